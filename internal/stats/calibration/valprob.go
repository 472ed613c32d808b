// Package calibration assesses the calibration of predicted probabilities:
// the Hosmer-Lemeshow test, the full rms::val.prob statistics vector,
// calibration-plot data (grouped observed vs predicted risk and R's lowess
// curve) and rms::calibrate-style bootstrap optimism-corrected calibration.
//
// Outcomes are 0/1 with 1 = the event; probabilities must lie in (0, 1).
package calibration

import (
	"errors"
	"fmt"
	"math"
	"sort"

	"gonum.org/v1/gonum/mathext"
)

// ValProbNames are the names of rms::val.prob's result vector, in R's order.
var ValProbNames = []string{"Dxy", "C (ROC)", "R2", "D", "D:Chi-sq", "D:p", "U", "U:Chi-sq", "U:p",
	"Q", "Brier", "Intercept", "Slope", "Emax", "E90", "Eavg", "S:z", "S:p"}

// ValProbResult is the vector returned by rms::val.prob(p, y, pl = FALSE)
// (rms 6.5). L(q) denotes -2 sum(y log q + (1-y) log(1-q)) and L0 the
// intercept-only -2 log-likelihood, -2 sum_k n_k log(n_k/n).
type ValProbResult struct {
	// Dxy = (concordant - discordant)/pairs and C = (concordant + ties/2) /
	// pairs, rms' lrm.fit rank statistics: the probabilities are binned as
	// int(5000 q + 1), so C is the AUC of the binned scores and may differ
	// slightly from the exact AUC.
	Dxy, C float64
	// R2 is Nagelkerke's R² of D:Chi-sq: (1 - exp(-LR/n)) / (1 - exp(-L0/n)).
	R2 float64
	// D = (DChiSq - 1)/n is the discrimination index; DChiSq = L0 - L(p).
	D, DChiSq float64
	// DP is NaN: rms returns NA for it (lrm.fit started from given values).
	DP float64
	// U = (UChiSq - 2)/n is the unreliability index, UChiSq = L(p) -
	// L(recalibrated) the LR statistic of the logistic recalibration, and
	// UP = 1 - pchisq(UChiSq, 2).
	U, UChiSq, UP float64
	// Q = D - U is the quality index.
	Q float64
	// Brier = mean((p - y)²).
	Brier float64
	// Intercept and Slope of the logistic recalibration
	// glm(y ~ qlogis(p)), fitted with lrm.fit's Newton-Raphson and its
	// default convergence rule (-2LL change <= 0.025, then one more step).
	Intercept, Slope float64
	// Emax, E90, Eavg: max, type-7 0.9-quantile and mean of
	// |p - s(p)| with s the lowess(p, y, iter = 0) curve read at each p by
	// approx(ties = mean).
	Emax, E90, Eavg float64
	// SZ and SP are Spiegelhalter's test: z = sum((y - p)(1 - 2p)) /
	// sqrt(sum((1 - 2p)² p (1 - p))), p-value 2*pnorm(-|z|).
	SZ, SP float64
}

// Vector returns the result in R's order (see ValProbNames).
func (r *ValProbResult) Vector() []float64 {
	return []float64{r.Dxy, r.C, r.R2, r.D, r.DChiSq, r.DP, r.U, r.UChiSq, r.UP,
		r.Q, r.Brier, r.Intercept, r.Slope, r.Emax, r.E90, r.Eavg, r.SZ, r.SP}
}

// checkPY validates probabilities in (0, 1) and 0/1 outcomes with both
// classes.
func checkPY(p, y []float64) error {
	if len(p) != len(y) {
		return fmt.Errorf("calibration: %d probabilities but %d outcomes", len(p), len(y))
	}
	if len(p) == 0 {
		return errors.New("calibration: no observations")
	}
	n1 := 0
	for i := range p {
		if !(p[i] > 0 && p[i] < 1) {
			return fmt.Errorf("calibration: probability %d is %v, want a value in (0, 1)", i, p[i])
		}
		switch y[i] {
		case 1:
			n1++
		case 0:
		default:
			return fmt.Errorf("calibration: outcome %d is %v, want 0 or 1", i, y[i])
		}
	}
	if n1 == 0 || n1 == len(y) {
		return errors.New("calibration: the outcome needs both classes")
	}
	return nil
}

// ValProb computes rms::val.prob(p, y, pl = FALSE) (rms 6.5) for predicted
// probabilities p in (0, 1) and 0/1 outcomes y with both classes; see
// ValProbResult for each statistic's definition. Needs n >= 3 (as lrm.fit).
// When all p are equal, rms takes a separate branch (D = -1/n, C = 0.5,
// intercept-only recalibration with 1 df for U); rms 6.5 mislabels part of
// that vector (19 values for 18 names), and we return the evident intent:
// Slope 0 and Emax = E90 = Eavg = |p - mean(y)|.
func ValProb(p, y []float64) (*ValProbResult, error) {
	if err := checkPY(p, y); err != nil {
		return nil, err
	}
	n := len(p)
	if n < 3 {
		return nil, errors.New("calibration: val.prob needs at least 3 observations")
	}
	fn := float64(n)
	logit := make([]float64, n)
	n1 := 0.0
	brier := 0.0
	for i, v := range p {
		logit[i] = math.Log(v / (1 - v))
		n1 += y[i]
		d := v - y[i]
		brier += d * d
	}
	brier /= fn
	r := &ValProbResult{Brier: brier, DP: math.NaN()}
	r.SZ, r.SP = spiegelhalter(p, y)

	// L01 = -2 sum(y*logit - log(1 + exp(logit))).
	l01 := 0.0
	for i, lg := range logit {
		l01 += y[i]*lg - math.Log(1+math.Exp(lg))
	}
	l01 *= -2

	constant := true
	for _, v := range p {
		if v != p[0] {
			constant = false
			break
		}
	}
	if constant {
		// rms' branch for a single distinct p: D = -1/n, no slope, U from
		// the intercept-only recalibration with 1 df.
		pbar := n1 / fn
		intc := math.Log(pbar / (1 - pbar))
		lcal := -2 * (n1*intc - fn*math.Log(1+math.Exp(intc)))
		r.UChiSq = l01 - lcal
		r.UP = chiSqSurvival(r.UChiSq, 1)
		r.U = (r.UChiSq - 1) / fn
		r.D = -1 / fn
		r.Q = r.D - r.U
		r.C, r.Dxy, r.R2, r.DChiSq, r.DP = 0.5, 0, 0, 0, 1
		r.Intercept, r.Slope = intc, 0
		e := math.Abs(p[0] - pbar)
		r.Emax, r.E90, r.Eavg = e, e, e
		return r, nil
	}

	// f.fixed: lrm.fit(logit, y, initial = c(0, 1), maxit = 1) evaluates the
	// model at intercept 0, slope 1, i.e. at plogis(logit) ~ p.
	q := make([]float64, n)
	lfix := 0.0
	for i, lg := range logit {
		q[i] = lprob(0 + lg)
		if y[i] == 1 {
			lfix += math.Log(q[i])
		} else {
			lfix += math.Log(1 - q[i])
		}
	}
	lfix *= -2
	l0 := -2 * (n1*math.Log(n1/fn) + (fn-n1)*math.Log((fn-n1)/fn))
	lr := l0 - lfix
	r.DChiSq = lr
	r.R2 = (1 - math.Exp(-lr/fn)) / (1 - math.Exp(-l0/fn))
	r.C, r.Dxy = binnedConcordance(q, y)
	r.D = (lr - 1) / fn

	b0, b1, dev, err := lrmFit2(logit, y)
	if err != nil {
		return nil, err
	}
	r.Intercept, r.Slope = b0, b1
	r.UChiSq = l01 - dev
	r.UP = chiSqSurvival(r.UChiSq, 2)
	r.U = (r.UChiSq - 2) / fn
	r.Q = r.D - r.U

	r.Emax, r.E90, r.Eavg, err = lowessErrors(p, y)
	if err != nil {
		return nil, err
	}
	return r, nil
}

// lowessErrors returns max, type-7 0.9-quantile and mean of |p - s(p)|,
// s = approx(lowess(p, y, iter = 0), xout = p, ties = mean).
func lowessErrors(p, y []float64) (emax, e90, eavg float64, err error) {
	xs, ys, err := lowessDefault(p, y)
	if err != nil {
		return 0, 0, 0, err
	}
	cal := approxTies(xs, ys, p, true)
	er := make([]float64, len(p))
	for i := range p {
		er[i] = math.Abs(p[i] - cal[i])
		eavg += er[i]
		emax = math.Max(emax, er[i])
	}
	eavg /= float64(len(p))
	sort.Float64s(er)
	return emax, quantile7(er, 0.9), eavg, nil
}

// spiegelhalter returns Spiegelhalter's z and its two-sided p-value.
func spiegelhalter(p, y []float64) (z, pv float64) {
	num, den := 0.0, 0.0
	for i, v := range p {
		a := 1 - 2*v
		num += (y[i] - v) * a
		den += a * a * v * (1 - v)
	}
	z = num / math.Sqrt(den)
	return z, math.Erfc(math.Abs(z) / math.Sqrt2)
}

// chiSqSurvival is 1 - pchisq(x, df) computed as the upper regularized
// incomplete gamma function (1 for x <= 0).
func chiSqSurvival(x, df float64) float64 {
	if math.IsNaN(x) {
		return math.NaN()
	}
	if x <= 0 {
		return 1
	}
	return mathext.GammaIncRegComp(df/2, x/2)
}
