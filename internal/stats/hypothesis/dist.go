package hypothesis

import (
	"math"

	"github.com/spinerad/spinerad/internal/stats/dist"
)

// meanVar returns R's mean(x) and var(x) (divisor n-1; NaN when n < 2):
// the mean is refined by a second pass as R does, and the variance is the
// two-pass sum of squared deviations.
func meanVar(x []float64) (mean, variance float64) {
	n := float64(len(x))
	if len(x) == 0 {
		return math.NaN(), math.NaN()
	}
	mean = dist.Sum(x) / n
	var r, c float64 // second pass: mean += Σ(x - mean)/n
	for _, v := range x {
		d := v - mean
		t := r + d
		if math.Abs(r) >= math.Abs(d) {
			c += (r - t) + d
		} else {
			c += (d - t) + r
		}
		r = t
	}
	mean += (r + c) / n
	if len(x) < 2 {
		return mean, math.NaN()
	}
	var ss, cs float64
	for _, v := range x {
		d := v - mean
		sq := d * d
		t := ss + sq
		if ss >= sq {
			cs += (ss - t) + sq
		} else {
			cs += (sq - t) + ss
		}
		ss = t
	}
	return mean, (ss + cs) / (n - 1)
}
