// Package roc computes empirical ROC curves, their AUC with DeLong's variance
// and confidence interval, Youden-optimal cut-offs, metrics at a threshold and
// DeLong's tests for comparing two AUCs, reproducing pROC 1.18 called as
// roc(response = y, predictor = score, levels = c(0, 1), direction = "<").
//
// Conventions (pROC's, with those arguments):
//
//   - Controls are the observations with y = 0, cases those with y = 1.
//   - Direction "<": higher scores point to the event. An observation is
//     called positive at threshold t when score >= t, so at t the
//     sensitivity is #{cases >= t}/n_cases and the specificity is
//     #{controls < t}/n_controls.
//   - Thresholds are -Inf, the midpoints (u[k-1]+u[k])/2 of consecutive
//     distinct sorted scores u, and +Inf, in increasing order (so the
//     sensitivities decrease from 1 to 0 and the specificities increase
//     from 0 to 1). When rounding makes a midpoint equal to the lower of its
//     two scores, pROC uses the upper score instead; we do the same.
//   - The AUC is the Mann-Whitney estimate: the fraction of (case, control)
//     pairs in which the case scores higher, ties counting 1/2.
package roc

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"slices"
	"sort"

	"gonum.org/v1/gonum/mathext"
)

// z975 is qnorm(0.975), the two-sided 95% normal critical value.
var z975 = mathext.NormalQuantile(0.975)

// Curve is an empirical ROC curve with its DeLong statistics. It is
// immutable after Compute and safe for concurrent use.
type Curve struct {
	// Thresholds holds pROC's thresholds in increasing order: -Inf, the
	// midpoints between consecutive distinct sorted scores, +Inf.
	Thresholds []float64
	// Sensitivities[k] = #{cases >= Thresholds[k]} / NCases.
	Sensitivities []float64
	// Specificities[k] = #{controls < Thresholds[k]} / NControls.
	Specificities []float64
	// NControls and NCases count the observations with y = 0 and y = 1.
	NControls, NCases int
	// AUC is the Mann-Whitney AUC (ties 1/2); it equals DeLong's theta.
	AUC float64
	// VarDeLong is pROC's var(roc, method = "delong"):
	// var(V10)/n_cases + var(V01)/n_controls, var with divisor n-1, where
	// V10 (one per case) and V01 (one per control) are DeLong's placements.
	// NaN when a class has a single observation.
	VarDeLong float64
	// CILower and CIUpper form pROC's ci.auc(method = "delong", 0.95):
	// AUC -/+ qnorm(0.975)*sqrt(VarDeLong), each clipped to [0, 1] (pROC
	// clips). NaN when a class has a single observation.
	CILower, CIUpper float64

	// v10 holds the case placements in the input order of the cases,
	// v01 the control placements in the input order of the controls.
	v10, v01 []float64
	// sortedCases and sortedControls are the scores sorted increasingly.
	sortedCases, sortedControls []float64
}

// Compute builds the ROC curve of score against the 0/1 outcome y (1 = case),
// with pROC's conventions (see the package comment). It returns an error for
// mismatched lengths, y values other than 0 and 1, non-finite scores or an
// outcome with a single class. The cost is O(n log n).
func Compute(y, score []float64) (*Curve, error) {
	if len(y) != len(score) {
		return nil, fmt.Errorf("roc: %d outcomes but %d scores", len(y), len(score))
	}
	var cases, controls []float64
	nc := 0
	for i, v := range y {
		switch v {
		case 1:
			nc++
		case 0:
		default:
			return nil, fmt.Errorf("roc: outcome %d is %v, want 0 or 1", i, v)
		}
		if s := score[i]; math.IsNaN(s) || math.IsInf(s, 0) {
			return nil, fmt.Errorf("roc: score %d is %v, want a finite number", i, s)
		}
	}
	if nc == 0 || nc == len(y) {
		return nil, errors.New("roc: the outcome needs both classes (0 = control, 1 = case)")
	}
	cases = make([]float64, 0, nc)
	controls = make([]float64, 0, len(y)-nc)
	for i, v := range y {
		if v == 1 {
			cases = append(cases, score[i])
		} else {
			controls = append(controls, score[i])
		}
	}
	return fromGroups(cases, controls), nil
}

// fromGroups builds the curve from non-empty case and control score vectors
// (finite values, checked by the caller).
func fromGroups(cases, controls []float64) *Curve {
	m, n := len(cases), len(controls)
	c := &Curve{NCases: m, NControls: n}
	c.sortedCases = append([]float64(nil), cases...)
	c.sortedControls = append([]float64(nil), controls...)
	sort.Float64s(c.sortedCases)
	sort.Float64s(c.sortedControls)
	c.curve()
	c.v10, c.v01, c.AUC = placements(cases, controls)
	c.VarDeLong, c.CILower, c.CIUpper = math.NaN(), math.NaN(), math.NaN()
	if m > 1 && n > 1 {
		sx := sumSqDev(c.v10, c.AUC) / float64(m-1)
		sy := sumSqDev(c.v01, c.AUC) / float64(n-1)
		c.VarDeLong = sx/float64(m) + sy/float64(n)
		sd := math.Sqrt(c.VarDeLong)
		c.CILower = clip01(c.AUC - z975*sd)
		c.CIUpper = clip01(c.AUC + z975*sd)
	}
	return c
}

// curve fills Thresholds, Sensitivities and Specificities by merging the two
// sorted score vectors.
func (c *Curve) curve() {
	a, b := c.sortedCases, c.sortedControls
	m, n := len(a), len(b)
	// Distinct sorted values of the pooled scores.
	u := make([]float64, 0, m+n)
	i, j := 0, 0
	for i < m || j < n {
		var v float64
		if j >= n || (i < m && a[i] <= b[j]) {
			v = a[i]
		} else {
			v = b[j]
		}
		if len(u) == 0 || u[len(u)-1] != v {
			u = append(u, v)
		}
		if i < m && a[i] == v {
			i++
		} else {
			j++
		}
	}
	k := len(u)
	c.Thresholds = make([]float64, k+1)
	c.Sensitivities = make([]float64, k+1)
	c.Specificities = make([]float64, k+1)
	c.Thresholds[0] = math.Inf(-1)
	c.Thresholds[k] = math.Inf(1)
	for t := 1; t < k; t++ {
		lo, hi := u[t-1], u[t]
		mid := (lo + hi) / 2
		if math.Abs(mid) > 1e100 {
			mid = lo/2 + hi/2
		}
		if mid == lo { // near tie: pROC takes the upper value
			mid = hi
		}
		c.Thresholds[t] = mid
	}
	// Sensitivity and specificity: cases >= t and controls < t. Thresholds
	// are increasing, so walk both sorted vectors once.
	i, j = 0, 0 // i = #cases < t, j = #controls < t
	for t, th := range c.Thresholds {
		for i < m && a[i] < th {
			i++
		}
		for j < n && b[j] < th {
			j++
		}
		c.Sensitivities[t] = float64(m-i) / float64(m)
		c.Specificities[t] = float64(j) / float64(n)
	}
}

// placements returns DeLong's placements, in input order, and theta:
// V10[i] = (#{controls < case i} + #{controls == case i}/2) / n_controls,
// V01[j] = 1 - (#{cases < control j} + #{cases == control j}/2) / n_cases,
// theta = sum over cases of the unnormalised V10 / m / n (pROC's
// delongPlacementsCpp, computed in one pass over the sorted pooled scores).
func placements(cases, controls []float64) (v10, v01 []float64, theta float64) {
	m, n := len(cases), len(controls)
	type obs struct {
		v      float64
		idx    int32
		isCase bool
	}
	z := make([]obs, 0, m+n)
	for i, v := range cases {
		z = append(z, obs{v, int32(i), true})
	}
	for j, v := range controls {
		z = append(z, obs{v, int32(j), false})
	}
	slices.SortFunc(z, func(a, b obs) int { return cmp.Compare(a.v, b.v) })
	v10 = make([]float64, m)
	v01 = make([]float64, n)
	below1, below0 := 0, 0 // cases and controls strictly below the tie group
	for s := 0; s < len(z); {
		e := s
		d1, d0 := 0, 0
		for e < len(z) && z[e].v == z[s].v {
			if z[e].isCase {
				d1++
			} else {
				d0++
			}
			e++
		}
		for k := s; k < e; k++ {
			if z[k].isCase {
				v10[z[k].idx] = float64(below0) + float64(d0)/2
			} else {
				v01[z[k].idx] = float64(below1) + float64(d1)/2
			}
		}
		below1 += d1
		below0 += d0
		s = e
	}
	sum := 0.0
	for i := range v10 {
		sum += v10[i]
		v10[i] /= float64(n)
	}
	for j := range v01 {
		v01[j] = 1 - v01[j]/float64(m)
	}
	theta = sum / float64(m) / float64(n)
	return v10, v01, theta
}

// sumSqDev returns sum((x - c)^2).
func sumSqDev(x []float64, c float64) float64 {
	s := 0.0
	for _, v := range x {
		d := v - c
		s += d * d
	}
	return s
}

// sumCrossDev returns sum((x - cx)(y - cy)).
func sumCrossDev(x []float64, cx float64, y []float64, cy float64) float64 {
	s := 0.0
	for i := range x {
		s += (x[i] - cx) * (y[i] - cy)
	}
	return s
}

func clip01(v float64) float64 {
	if v > 1 {
		return 1
	}
	if v < 0 {
		return 0
	}
	return v
}

// Placements returns copies of DeLong's placements: v10 for the cases and v01
// for the controls, each in the input order of that class.
func (c *Curve) Placements() (v10, v01 []float64) {
	return append([]float64(nil), c.v10...), append([]float64(nil), c.v01...)
}

// Row is one operating point of the curve with its confusion counts, as
// pROC's coords(..., ret = c("threshold", "sensitivity", "specificity",
// "accuracy", "ppv", "npv", "tp", "tn", "fp", "fn")) reports it.
type Row struct {
	Threshold, Sensitivity, Specificity float64
	// Accuracy = (TP+TN)/N, PPV = TP/(TP+FP), NPV = TN/(TN+FN); NaN when the
	// denominator is zero.
	Accuracy, PPV, NPV float64
	TP, TN, FP, FN     int
}

// Youden returns every row that maximises sensitivity + specificity, in
// increasing threshold order, as pROC's coords(x = "best", best.method =
// "youden") with the default best.weights = c(1, 0.5) (criterion
// se + 1*sp, compared exactly). The extreme thresholds -Inf and +Inf are
// candidates as in pROC.
func (c *Curve) Youden() []Row {
	best := math.Inf(-1)
	for k := range c.Thresholds {
		if v := c.Sensitivities[k] + c.Specificities[k]; v > best {
			best = v
		}
	}
	var rows []Row
	for k := range c.Thresholds {
		if c.Sensitivities[k]+c.Specificities[k] == best {
			rows = append(rows, c.row(k))
		}
	}
	return rows
}

// row returns curve point k with its counts.
func (c *Curve) row(k int) Row {
	se, sp := c.Sensitivities[k], c.Specificities[k]
	tp := int(math.Round(se * float64(c.NCases)))
	tn := int(math.Round(sp * float64(c.NControls)))
	fn, fp := c.NCases-tp, c.NControls-tn
	return Row{
		Threshold: c.Thresholds[k], Sensitivity: se, Specificity: sp,
		Accuracy: ratio(tp+tn, c.NCases+c.NControls),
		PPV:      ratio(tp, tp+fp), NPV: ratio(tn, tn+fn),
		TP: tp, TN: tn, FP: fp, FN: fn,
	}
}

func ratio(a, b int) float64 {
	if b == 0 {
		return math.NaN()
	}
	return float64(a) / float64(b)
}
