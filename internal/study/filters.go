package study

// filters applies the optional radiomics filters in order: ICC against a
// second reader, a two-group test, correlation redundancy.
func (r *Result) filters(t *Table, names []string, raw map[string][]float64, train []int) ([]string, error) {
	cfg := r.Config
	if cfg.CorrelationThreshold > 0 {
		names = r.correlationFilter(names, raw, train, cfg.CorrelationThreshold)
	}
	return names, nil
}

// correlationFilter drops, in feature order, every feature whose |Pearson r|
// with an earlier kept feature exceeds thr (training rows).
func (r *Result) correlationFilter(names []string, raw map[string][]float64, train []int, thr float64) []string {
	var kept []string
	var keptZ [][]float64
	for _, f := range names {
		z := standardise(pick(raw[f], train))
		drop := false
		for _, k := range keptZ {
			rr := 0.0
			for i := range z {
				rr += z[i] * k[i]
			}
			rr /= float64(len(z) - 1)
			if rr > thr || rr < -thr {
				drop = true
				break
			}
		}
		if !drop {
			kept = append(kept, f)
			keptZ = append(keptZ, z)
		}
	}
	r.Steps = append(r.Steps, FilterStep{"correlation redundancy", len(kept), "|r| > " + ftoa(thr) + " dropped"})
	return kept
}

func standardise(x []float64) []float64 {
	m, s := meanSD(x)
	out := make([]float64, len(x))
	for i, v := range x {
		out[i] = (v - m) / s
	}
	return out
}
