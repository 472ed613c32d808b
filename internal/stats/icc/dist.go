package icc

import (
	"math"

	"gonum.org/v1/gonum/mathext"
)

// fUpper is R's pf(f, d1, d2, lower.tail = FALSE), computed directly as the
// regularized incomplete beta I_x(d2/2, d1/2) with x = d2/(d2 + d1·f), so
// that tiny upper tails (p ~ 1e-37) keep their relative accuracy.
func fUpper(f, d1, d2 float64) float64 {
	switch {
	case math.IsNaN(f):
		return math.NaN()
	case f <= 0:
		return 1
	case math.IsInf(f, 1):
		return 0
	}
	return mathext.RegIncBeta(d2/2, d1/2, d2/(d2+d1*f))
}

// fQuantileUpper is R's qf(1 - alpha, d1, d2) for non-integer degrees of
// freedom too: it solves I_x(d2/2, d1/2) = alpha (the small tail, better
// conditioned than 1 - alpha) with gonum's inverse incomplete beta, polishes
// x by Newton steps on the same equation, and returns d2·(1-x)/(d1·x).
func fQuantileUpper(alpha, d1, d2 float64) float64 {
	a, b := d2/2, d1/2
	x := betaQuantile(a, b, alpha)
	return d2 * (1 - x) / (d1 * x)
}

// betaQuantile solves I_x(a, b) = p for x by gonum's InvRegIncBeta followed
// by up to four Newton steps (each kept only while it reduces the residual).
func betaQuantile(a, b, p float64) float64 {
	x := mathext.InvRegIncBeta(a, b, p)
	if x <= 0 || x >= 1 {
		return x
	}
	lb := mathext.Lbeta(a, b)
	res := mathext.RegIncBeta(a, b, x) - p
	for it := 0; it < 4 && res != 0; it++ {
		dens := math.Exp(float64((a-1)*math.Log(x)) + float64((b-1)*math.Log1p(-x)) - lb)
		if !(dens > 0) || math.IsInf(dens, 0) {
			break
		}
		nx := x - res/dens
		if !(nx > 0 && nx < 1) {
			break
		}
		nres := mathext.RegIncBeta(a, b, nx) - p
		if math.Abs(nres) >= math.Abs(res) {
			break
		}
		x, res = nx, nres
	}
	return x
}
