package hypothesis

import (
	"math"
	"sort"
)

// Summary describes one group of a continuous variable, as the
// baseline-characteristics table reports it.
type Summary struct {
	// N counts the non-missing values, NMissing the NaN ones.
	N, NMissing int
	// Mean is R's mean; SD is R's sd (divisor n-1; NaN when N < 2).
	Mean, SD float64
	// Median, Q1 and Q3 are R's quantile(x, c(.5, .25, .75), type = 7).
	Median, Q1, Q3 float64
	// Min and Max of the non-missing values.
	Min, Max float64
}

// Summarize summarises x, treating NaN as missing (R's na.rm = TRUE): n,
// n missing, mean, SD (n-1), median and quartiles by quantile type 7
// (h = (n-1)p, x[⌊h⌋] + (h-⌊h⌋)(x[⌊h⌋+1]-x[⌊h⌋]) evaluated as R does,
// (1-f)·x_lo + f·x_hi), min and max. With no non-missing value every
// statistic is NaN.
func Summarize(x []float64) Summary {
	v := dropNaN(x)
	s := Summary{N: len(v), NMissing: len(x) - len(v)}
	if len(v) == 0 {
		nan := math.NaN()
		s.Mean, s.SD, s.Median, s.Q1, s.Q3, s.Min, s.Max = nan, nan, nan, nan, nan, nan, nan
		return s
	}
	m, va := meanVar(v)
	s.Mean, s.SD = m, math.Sqrt(va)
	sort.Float64s(v)
	s.Min, s.Max = v[0], v[len(v)-1]
	s.Q1 = Quantile7(v, 0.25)
	s.Median = Quantile7(v, 0.5)
	s.Q3 = Quantile7(v, 0.75)
	return s
}

// Quantile7 is R's quantile(x, p, type = 7) of an ascending, NaN-free
// sample: index = 1 + (n-1)p, lo = ⌊index⌋, hi = ⌈index⌉, result
// (1-h)·x[lo] + h·x[hi] with h = index - lo (x[lo] when h = 0 or the two
// order statistics are equal). NaN for an empty sample or p outside [0, 1].
func Quantile7(sorted []float64, p float64) float64 {
	n := len(sorted)
	if n == 0 || !(p >= 0 && p <= 1) {
		return math.NaN()
	}
	index := 1 + float64(n-1)*p
	lo := math.Floor(index)
	hi := math.Ceil(index)
	qs := sorted[int(lo)-1]
	xh := sorted[int(hi)-1]
	if index > lo && xh != qs {
		h := index - lo
		return float64((1-h)*qs) + float64(h*xh)
	}
	return qs
}

func dropNaN(x []float64) []float64 {
	v := make([]float64, 0, len(x))
	for _, e := range x {
		if !math.IsNaN(e) {
			v = append(v, e)
		}
	}
	return v
}
