package hypothesis

import (
	"math"

	"gonum.org/v1/gonum/mathext"
)

// tTwoSided is R's 2*pt(-|t|, df) for real df > 0, computed as the
// regularized incomplete beta I_x(df/2, 1/2) with x = df/(df + t²), which
// keeps small p-values accurate.
func tTwoSided(t, df float64) float64 {
	if math.IsNaN(t) || math.IsNaN(df) {
		return math.NaN()
	}
	if math.IsInf(t, 0) {
		return 0
	}
	return mathext.RegIncBeta(df/2, 0.5, df/(df+t*t))
}

// tQuantileUpper is R's qt(1 - a, df) for 0 < a < 1/2 and real df > 0: it
// solves I_x(df/2, 1/2) = 2a for x = df/(df + t²) (betaQuantile) and
// returns sqrt(df·(1-x)/x).
func tQuantileUpper(a, df float64) float64 {
	x := betaQuantile(df/2, 0.5, 2*a)
	return math.Sqrt(df * (1 - x) / x)
}

// chiSqUpper is R's pchisq(x, df, lower.tail = FALSE): the upper
// regularized incomplete gamma Q(df/2, x/2).
func chiSqUpper(x, df float64) float64 {
	switch {
	case math.IsNaN(x):
		return math.NaN()
	case x <= 0:
		return 1
	case math.IsInf(x, 1):
		return 0
	}
	return mathext.GammaIncRegComp(df/2, x/2)
}

// normTwoSided is R's 2*pnorm(-|z|) = erfc(|z|/√2).
func normTwoSided(z float64) float64 { return math.Erfc(math.Abs(z) / math.Sqrt2) }

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

// accurateSum returns Σx with Neumaier's compensated summation (close to
// R's long-double accumulation in sum() and mean()).
func accurateSum(x []float64) float64 {
	var s, c float64
	for _, v := range x {
		t := s + v
		if math.Abs(s) >= math.Abs(v) {
			c += (s - t) + v
		} else {
			c += (v - t) + s
		}
		s = t
	}
	return s + c
}

// meanVar returns R's mean(x) and var(x) (divisor n-1; NaN when n < 2):
// the mean is refined by a second pass as R does, and the variance is the
// two-pass sum of squared deviations.
func meanVar(x []float64) (mean, variance float64) {
	n := float64(len(x))
	if len(x) == 0 {
		return math.NaN(), math.NaN()
	}
	mean = accurateSum(x) / n
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
