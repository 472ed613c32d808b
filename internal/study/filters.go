package study

import (
	"fmt"

	"github.com/spinerad/spinerad/internal/stats/hypothesis"
	"github.com/spinerad/spinerad/internal/stats/icc"
)

// filters applies the optional radiomics filters in order: ICC against a
// second reader, a two-group test, correlation redundancy.
func (r *Result) filters(t *Table, names []string, raw map[string][]float64, train []int) ([]string, error) {
	cfg := r.Config
	if cfg.ICCFeatures != "" {
		var err error
		if names, err = r.iccFilter(t, names, raw, cfg.ICCFeatures, cfg.ICCThreshold); err != nil {
			return nil, err
		}
	}
	if cfg.TwoGroupP > 0 {
		var kept []string
		for _, f := range names {
			var g [2][]float64
			for _, i := range train {
				g[int(r.Y[i])] = append(g[int(r.Y[i])], raw[f][i])
			}
			w, err := hypothesis.WilcoxonRankSum(g[0], g[1])
			if err != nil {
				return nil, fmt.Errorf("two-group filter, %s: %w", f, err)
			}
			if w.P < cfg.TwoGroupP {
				kept = append(kept, f)
			}
		}
		names = kept
		r.Steps = append(r.Steps, FilterStep{"two-group test (Wilcoxon, train)", len(names), "p < " + ftoa(cfg.TwoGroupP) + " kept"})
	}
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

// iccFilter keeps the features whose ICC(2,1) (two-way random effects,
// absolute agreement, psych::ICC) between the first reader (raw) and a
// second reader's file reaches thr, over the patients both readers measured.
func (r *Result) iccFilter(t *Table, names []string, raw map[string][]float64, path string, thr float64) ([]string, error) {
	second, err := ReadTable(path, r.Config.ID)
	if err != nil {
		return nil, err
	}
	row := map[string]int{}
	for i, id := range second.IDs {
		row[id] = i
	}
	var pairs [][2]int // (row in the study, row in the second file)
	for i, id := range r.IDs {
		if j, ok := row[id]; ok {
			pairs = append(pairs, [2]int{i, j})
		}
	}
	if len(pairs) < 3 {
		return nil, fmt.Errorf("ICC filter: %s shares %d patients with the study; at least 3 are needed", path, len(pairs))
	}
	var kept []string
	for _, f := range names {
		if _, ok := second.Columns[f]; !ok {
			return nil, fmt.Errorf("ICC filter: %s has no column %s", path, f)
		}
		x2, err := second.Numeric(f)
		if err != nil {
			return nil, err
		}
		ratings := make([][]float64, len(pairs))
		for k, p := range pairs {
			ratings[k] = []float64{raw[f][p[0]], x2[p[1]]}
		}
		res, err := icc.Compute(ratings)
		if err != nil {
			r.Warnings = append(r.Warnings, fmt.Sprintf("ICC of %s: %v; feature dropped", f, err))
			continue
		}
		r.ICC = append(r.ICC, ICCRow{f, res.Get(icc.ICC2)})
		if res.Get(icc.ICC2).ICC >= thr {
			kept = append(kept, f)
		}
	}
	r.Steps = append(r.Steps, FilterStep{"inter-reader ICC(2,1)", len(kept), fmt.Sprintf(">= %s kept, %d patients", ftoa(thr), len(pairs))})
	return kept, nil
}

// ICCRow is one feature's inter-reader agreement.
type ICCRow struct {
	Feature string
	Row     icc.Row
}
