package calibration

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"sort"
)

// Refit refits the model on a bootstrap sample. rows holds the sample's
// indices into the original data (n of them, drawn with replacement, in
// draw order). It returns the refitted model's predicted event
// probabilities for all n original rows, in their original order. An error
// marks the resample as failed (rms skips it, as for a non-converged fit).
type Refit func(rows []int) ([]float64, error)

// BootstrapOptions configures BootstrapCalibrate.
type BootstrapOptions struct {
	// B is the number of bootstrap resamples (rms' calibrate uses B = 40 by
	// default; the study uses 1000). B = 0 gives the apparent curve only.
	B int
	// Seed seeds the PCG generator (math/rand/v2) that draws the resamples;
	// a given seed always gives the same curve. R's RNG is not reproduced.
	Seed uint64
}

// BootstrapCurve is an optimism-corrected calibration curve, the columns of
// rms::calibrate(fit, method = "boot") for a logistic fit.
type BootstrapCurve struct {
	// Predy is the grid of predicted probabilities: 50 equally spaced
	// values from the 5th smallest to the 5th largest apparent prediction.
	Predy []float64
	// Apparent is calibrated.orig: the lowess(p, y, iter = 0) calibration
	// curve of the original model read at Predy.
	Apparent []float64
	// Corrected is calibrated.corrected = Apparent - Optimism.
	Corrected []float64
	// Training and Test are the mean calibration errors (smoothed observed
	// minus Predy) of the refitted models in their bootstrap sample and in
	// the original sample; Optimism = Training - Test. NaN at grid points
	// no successful resample covered (as R's 0/0).
	Training, Test, Optimism []float64
	// N counts, per grid point, the resamples that contributed (R's n).
	N []int
	// B is the number of resamples drawn and Failed how many refits failed.
	B, Failed int
	// MeanAbsError, MeanSqError and Q90AbsError summarise
	// err = p - Corrected(p) over the apparent predictions p, with Corrected
	// interpolated linearly (approx, ties = mean, NA outside the grid
	// dropped), as print.calibrate.default reports them.
	MeanAbsError, MeanSqError, Q90AbsError float64
}

// BootstrapCalibrate estimates the optimism-corrected calibration curve of
// a model as rms::calibrate(fit, B, method = "boot") does for an lrm fit
// (rms 6.5 calibrate.default + predab.resample):
//
//  1. p are the original model's predictions on its n training rows and y
//     their 0/1 outcomes. The grid is predy = seq(p(5), p(n-4), length = 50)
//     over the sorted predictions (n > 10 required).
//  2. The calibration error of predictions x on outcomes y at the grid is
//     cal(x, y) - predy, where cal is lowess(x, y, iter = 0) (f = 2/3,
//     delta = 1% of the range) read at predy by linear interpolation with
//     ties resolved to the first value, NA outside the range of x.
//  3. Apparent = cal(p, y).
//  4. For each of B resamples (n rows drawn with replacement), the model is
//     refitted on the resample (refit); with q its predictions for all n
//     rows, training error = error(q[rows], y[rows]), test error =
//     error(q, y). Failed refits are skipped; NA errors at a grid point are
//     left out of that point's mean (N counts the rest).
//  5. Optimism = mean training error - mean test error, and
//     Corrected = Apparent - Optimism.
//
// The resamples are drawn with a PCG generator seeded by opts.Seed, so the
// result is deterministic for a seed (but differs from R's, whose RNG is not
// reproduced). refit is called sequentially.
func BootstrapCalibrate(y, p []float64, refit Refit, opts BootstrapOptions) (*BootstrapCurve, error) {
	if err := checkPY(p, y); err != nil {
		return nil, err
	}
	n := len(p)
	if n <= 10 {
		return nil, errors.New("calibration: bootstrap calibration needs n > 10")
	}
	if opts.B < 0 {
		return nil, fmt.Errorf("calibration: B = %d, want B >= 0", opts.B)
	}
	if refit == nil && opts.B > 0 {
		return nil, errors.New("calibration: bootstrap calibration needs a refit function")
	}
	sorted := append([]float64(nil), p...)
	sort.Float64s(sorted)
	predy := seqLength(sorted[4], sorted[n-5], 50)
	apparent, err := calCurve(p, y, predy)
	if err != nil {
		return nil, err
	}
	m := len(predy)
	out := &BootstrapCurve{
		Predy: predy, Apparent: apparent, B: opts.B,
		Corrected: make([]float64, m), Training: make([]float64, m), Test: make([]float64, m),
		Optimism: make([]float64, m), N: make([]int, m),
	}
	rng := rand.New(rand.NewPCG(opts.Seed, opts.Seed^0x9e3779b97f4a7c15))
	rows := make([]int, n)
	xs := make([]float64, n)
	ys := make([]float64, n)
	for b := 0; b < opts.B; b++ {
		for i := range rows {
			rows[i] = rng.IntN(n)
		}
		q, err := refit(rows)
		if err == nil && len(q) != n {
			err = fmt.Errorf("refit returned %d predictions, want %d", len(q), n)
		}
		if err == nil {
			for _, v := range q {
				if math.IsNaN(v) || v < 0 || v > 1 {
					err = errors.New("refit returned a probability outside [0, 1]")
					break
				}
			}
		}
		if err != nil {
			out.Failed++
			continue
		}
		for i, r := range rows {
			xs[i], ys[i] = q[r], y[r]
		}
		train, err := calCurve(xs, ys, predy)
		if err != nil {
			out.Failed++
			continue
		}
		test, err := calCurve(q, y, predy)
		if err != nil {
			out.Failed++
			continue
		}
		for k := range predy {
			if math.IsNaN(train[k]) || math.IsNaN(test[k]) {
				continue
			}
			out.Training[k] += train[k] - predy[k]
			out.Test[k] += test[k] - predy[k]
			out.N[k]++
		}
	}
	for k := range predy {
		nk := float64(out.N[k])
		out.Training[k] /= nk
		out.Test[k] /= nk
		out.Optimism[k] = out.Training[k] - out.Test[k]
		out.Corrected[k] = apparent[k] - out.Optimism[k]
	}
	out.summarise(p)
	return out, nil
}

// summarise fills the print.calibrate.default error summaries.
func (c *BootstrapCurve) summarise(p []float64) {
	var gx, gy []float64
	for k := range c.Predy {
		if !math.IsNaN(c.Corrected[k]) {
			gx = append(gx, c.Predy[k])
			gy = append(gy, c.Corrected[k])
		}
	}
	nan := math.NaN()
	c.MeanAbsError, c.MeanSqError, c.Q90AbsError = nan, nan, nan
	if len(gx) == 0 {
		return
	}
	fit := approxTies(gx, gy, p, true)
	var abs []float64
	sa, ss := 0.0, 0.0
	for i, v := range fit {
		if math.IsNaN(v) {
			continue
		}
		e := p[i] - v
		abs = append(abs, math.Abs(e))
		sa += math.Abs(e)
		ss += e * e
	}
	if len(abs) == 0 {
		return
	}
	c.MeanAbsError = sa / float64(len(abs))
	c.MeanSqError = ss / float64(len(abs))
	sort.Float64s(abs)
	c.Q90AbsError = quantile7(abs, 0.9)
}

// calCurve returns approx(lowess(x, y, iter = 0), xout = predy,
// ties = first)$y: NaN outside the range of x.
func calCurve(x, y, predy []float64) ([]float64, error) {
	xs, ys, err := lowessDefault(x, y)
	if err != nil {
		return nil, err
	}
	return approxTies(xs, ys, predy, false), nil
}

// seqLength is R's seq(from, to, length.out = n) for n > 2:
// c(from, from + (1:(n-2)) * ((to - from)/(n-1)), to).
func seqLength(from, to float64, n int) []float64 {
	out := make([]float64, n)
	if from == to {
		for i := range out {
			out[i] = from
		}
		return out
	}
	by := (to - from) / float64(n-1)
	out[0] = from
	for i := 1; i < n-1; i++ {
		out[i] = from + float64(float64(i)*by)
	}
	out[n-1] = to
	return out
}
