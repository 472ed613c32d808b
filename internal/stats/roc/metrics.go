package roc

import (
	"math"
	"sort"

	"gonum.org/v1/gonum/mathext"
)

// Proportion is a binomial proportion X/N with exact (Clopper-Pearson) and
// Wilson score 95% confidence intervals.
type Proportion struct {
	X, N     int
	Estimate float64 // X/N; NaN when N = 0
	// CPLower, CPUpper: Clopper-Pearson exact interval, as R's
	// binom.test(X, N)$conf.int: lower = qbeta(0.025, X, N-X+1) (0 when
	// X = 0), upper = qbeta(0.975, X+1, N-X) (1 when X = N).
	CPLower, CPUpper float64
	// WilsonLower, WilsonUpper: Wilson score interval without continuity
	// correction, (p + z²/2N -/+ z*sqrt(p(1-p)/N + z²/4N²)) / (1 + z²/N),
	// z = qnorm(0.975) (R's prop.test(X, N, correct = FALSE)$conf.int).
	WilsonLower, WilsonUpper float64
}

// NewProportion returns X/N with its 95% Clopper-Pearson and Wilson
// intervals; every field but X and N is NaN when N = 0.
func NewProportion(x, n int) Proportion {
	p := Proportion{X: x, N: n}
	if n <= 0 || x < 0 || x > n {
		nan := math.NaN()
		p.Estimate, p.CPLower, p.CPUpper, p.WilsonLower, p.WilsonUpper = nan, nan, nan, nan, nan
		return p
	}
	fx, fn := float64(x), float64(n)
	p.Estimate = fx / fn
	const alpha = 0.05
	if x == 0 {
		p.CPLower = 0
	} else {
		p.CPLower = mathext.InvRegIncBeta(fx, fn-fx+1, alpha/2)
	}
	if x == n {
		p.CPUpper = 1
	} else {
		p.CPUpper = mathext.InvRegIncBeta(fx+1, fn-fx, 1-alpha/2)
	}
	z2 := z975 * z975
	den := 1 + z2/fn
	center := (p.Estimate + z2/(2*fn)) / den
	half := z975 * math.Sqrt(p.Estimate*(1-p.Estimate)/fn+z2/(4*fn*fn)) / den
	p.WilsonLower = math.Max(0, center-half)
	p.WilsonUpper = math.Min(1, center+half)
	return p
}

// Metrics are the classification metrics at one threshold (positive means
// score >= threshold, pROC's direction "<").
type Metrics struct {
	Threshold      float64
	TP, TN, FP, FN int
	// Accuracy = (TP+TN)/N, Sensitivity = TP/(TP+FN),
	// Specificity = TN/(TN+FP), PPV = TP/(TP+FP), NPV = TN/(TN+FN), each
	// with 95% Clopper-Pearson and Wilson intervals.
	Accuracy, Sensitivity, Specificity, PPV, NPV Proportion
}

// At returns the confusion counts and metrics of the curve's data at
// threshold t, counting an observation as positive when its score >= t (any
// t, not only the curve's thresholds). Cost O(log n).
func (c *Curve) At(t float64) Metrics {
	// #cases >= t and #controls < t, by binary search on the sorted scores.
	tp := c.NCases - sort.SearchFloat64s(c.sortedCases, t)
	tn := sort.SearchFloat64s(c.sortedControls, t)
	if math.IsNaN(t) {
		tp, tn = 0, 0
	}
	return metricsFromCounts(t, tp, tn, c.NControls-tn, c.NCases-tp)
}

// Classify returns the metrics of applying threshold t (positive means
// score >= t) to outcome y (0/1) and score; this is how a threshold chosen on
// one cohort (e.g. the training Youden cut-off) is applied to another.
func Classify(y, score []float64, t float64) (Metrics, error) {
	c, err := Compute(y, score)
	if err != nil {
		return Metrics{}, err
	}
	return c.At(t), nil
}

func metricsFromCounts(t float64, tp, tn, fp, fn int) Metrics {
	return Metrics{
		Threshold: t, TP: tp, TN: tn, FP: fp, FN: fn,
		Accuracy:    NewProportion(tp+tn, tp+tn+fp+fn),
		Sensitivity: NewProportion(tp, tp+fn),
		Specificity: NewProportion(tn, tn+fp),
		PPV:         NewProportion(tp, tp+fp),
		NPV:         NewProportion(tn, tn+fn),
	}
}
