// Package nomogram builds the point scales of a logistic-regression
// nomogram as rms::nomogram(fit, fun = plogis, fun.at = ..., lp = TRUE)
// does (rms 6.5-0) for a model whose predictors enter linearly, and scores
// patients on it.
package nomogram

import (
	"errors"
	"fmt"
	"math"
	"sort"

	"github.com/spinerad/spinerad/internal/stats/dist"
)

// Predictor is one linear term of the logistic model.
type Predictor struct {
	// Name identifies the predictor (the key for Score).
	Name string
	// Coef is its coefficient β.
	Coef float64
	// Train holds its values on the training rows, row-aligned across
	// predictors (they give the axis range and the training linear
	// predictors).
	Train []float64
	// Discrete forces the axis ticks to be the distinct training values.
	// As with rms's datadist (n.unique = 10), a predictor with at most 10
	// distinct values is discrete anyway.
	Discrete bool
}

// Model is a fitted logistic model lp = Intercept + Σ Coef·x.
type Model struct {
	// Intercept is β0.
	Intercept float64
	// Predictors are the model's terms, in model order.
	Predictors []Predictor
}

// Options are nomogram()'s settings.
type Options struct {
	// MaxScale is the points of the widest predictor axis (rms maxscale,
	// default 100).
	MaxScale float64
	// NInt is the number of intervals asked of pretty() (rms nint,
	// default 10).
	NInt int
	// FunAt are the probability ticks (rms fun.at); nil means
	// pretty(plogis(range(lp axis)), NInt) as rms.
	FunAt []float64
}

// Axis is one predictor's point scale.
type Axis struct {
	// Name of the predictor, Discrete whether its ticks are its distinct
	// values (else pretty(range, NInt)).
	Name     string
	Discrete bool
	// Coef is β; Values are the tick values, XBeta = β·value and
	// Points = (XBeta - XBetaMin)·Sc.
	Coef                  float64
	Values, XBeta, Points []float64
	// XBetaMin and XBetaMax bound XBeta over the ticks.
	XBetaMin, XBetaMax float64
	// PointsPerUnit = Sc·|β|.
	PointsPerUnit float64
}

// Nomogram holds all scales of the nomogram.
type Nomogram struct {
	// Axes, one per predictor, in model order.
	Axes []Axis
	// MaxScale and Sc = MaxScale / max over axes of (XBetaMax - XBetaMin).
	MaxScale, Sc float64
	// Intercept is the nomogram intercept β0 + Σ XBetaMin: total points T
	// give lp = Intercept + T/Sc.
	Intercept float64
	// TotalPointsAxis = pretty(c(0, max(MaxScale, Sc·max(LPAxis -
	// Intercept))), NInt) (MaxScale alone with a single predictor).
	TotalPointsAxis []float64
	// LPAxis = pretty(range(training linear predictors), NInt) and
	// LPAxisPoints = (LPAxis - Intercept)·Sc.
	LPAxis, LPAxisPoints []float64
	// FunAt are the probability ticks kept (those inside the LP axis'
	// range); FunPoints their total-point positions as rms computes them
	// (linear interpolation of plogis on a 1000-point lp grid over the LP
	// axis range) and FunPointsExact = (qlogis(p) - Intercept)·Sc.
	FunAt, FunPoints, FunPointsExact []float64
	// TrainLP are the training linear predictors β0 + Σ β·x.
	TrainLP []float64
}

// Build constructs rms::nomogram's scales for model m, following
// nomogram.s (rms 6.5-0): tick values per predictor (distinct values when
// discrete, else pretty(range(train), NInt)), xbeta = β·value, sc =
// MaxScale / widest xbeta range, points = (xbeta - min xbeta)·sc,
// nomogram intercept = β0 + Σ min xbeta, lp axis = pretty(range(train lp),
// NInt), total-points axis, and the probability axis (see Nomogram).
// Errors: no predictors, duplicate or empty names, mismatched training
// lengths, fewer than 2 training rows, non-finite values or coefficients,
// a constant predictor, all coefficients zero, fun.at outside (0, 1).
func Build(m Model, opt Options) (*Nomogram, error) {
	if opt.MaxScale == 0 {
		opt.MaxScale = 100
	}
	if opt.NInt == 0 {
		opt.NInt = 10
	}
	if !(opt.MaxScale > 0) || opt.NInt < 1 {
		return nil, errors.New("nomogram: MaxScale and NInt must be positive")
	}
	if len(m.Predictors) == 0 {
		return nil, errors.New("nomogram: model has no predictors")
	}
	if !finite(m.Intercept) {
		return nil, errors.New("nomogram: intercept is not finite")
	}
	nrow := len(m.Predictors[0].Train)
	if nrow < 2 {
		return nil, errors.New("nomogram: need at least 2 training rows")
	}
	seen := map[string]bool{}
	nm := &Nomogram{MaxScale: opt.MaxScale, Axes: make([]Axis, len(m.Predictors))}
	widest := 0.0
	for j, p := range m.Predictors {
		if p.Name == "" || seen[p.Name] {
			return nil, fmt.Errorf("nomogram: predictor %d has an empty or duplicate name %q", j, p.Name)
		}
		seen[p.Name] = true
		if len(p.Train) != nrow {
			return nil, fmt.Errorf("nomogram: predictor %s has %d training values, %s has %d", p.Name, len(p.Train), m.Predictors[0].Name, nrow)
		}
		if !finite(p.Coef) {
			return nil, fmt.Errorf("nomogram: coefficient of %s is not finite", p.Name)
		}
		distinct := make([]float64, 0, len(p.Train))
		for i, v := range p.Train {
			if !finite(v) {
				return nil, fmt.Errorf("nomogram: training value %d of %s is %v", i, p.Name, v)
			}
			distinct = append(distinct, v)
		}
		sort.Float64s(distinct)
		distinct = uniq(distinct)
		if len(distinct) < 2 {
			return nil, fmt.Errorf("nomogram: predictor %s is constant", p.Name)
		}
		ax := Axis{Name: p.Name, Coef: p.Coef, Discrete: p.Discrete || len(distinct) <= 10}
		if ax.Discrete {
			ax.Values = distinct
		} else {
			v, err := Pretty(distinct[0], distinct[len(distinct)-1], opt.NInt)
			if err != nil {
				return nil, err
			}
			ax.Values = v
		}
		ax.XBeta = make([]float64, len(ax.Values))
		ax.XBetaMin, ax.XBetaMax = math.Inf(1), math.Inf(-1)
		for i, v := range ax.Values {
			xb := p.Coef * v
			ax.XBeta[i] = xb
			ax.XBetaMin = math.Min(ax.XBetaMin, xb)
			ax.XBetaMax = math.Max(ax.XBetaMax, xb)
		}
		widest = math.Max(widest, ax.XBetaMax-ax.XBetaMin)
		nm.Axes[j] = ax
	}
	if !(widest > 0) {
		return nil, errors.New("nomogram: all coefficients are zero")
	}
	nm.Sc = opt.MaxScale / widest
	mins := make([]float64, len(nm.Axes))
	for j := range nm.Axes {
		ax := &nm.Axes[j]
		ax.Points = make([]float64, len(ax.XBeta))
		for i, xb := range ax.XBeta {
			ax.Points[i] = (xb - ax.XBetaMin) * nm.Sc
		}
		ax.PointsPerUnit = nm.Sc * math.Abs(ax.Coef)
		mins[j] = ax.XBetaMin
	}
	nm.Intercept = m.Intercept + dist.Sum(mins)

	// Training linear predictors and the lp axis.
	nm.TrainLP = make([]float64, nrow)
	terms := make([]float64, len(m.Predictors))
	lpMin, lpMax := math.Inf(1), math.Inf(-1)
	for i := range nm.TrainLP {
		for j, p := range m.Predictors {
			terms[j] = p.Coef * p.Train[i]
		}
		lp := m.Intercept + dist.Sum(terms)
		nm.TrainLP[i] = lp
		lpMin, lpMax = math.Min(lpMin, lp), math.Max(lpMax, lp)
	}
	var err error
	if nm.LPAxis, err = Pretty(lpMin, lpMax, opt.NInt); err != nil {
		return nil, err
	}
	nm.LPAxisPoints = make([]float64, len(nm.LPAxis))
	lpAxMin, lpAxMax := math.Inf(1), math.Inf(-1)
	for i, v := range nm.LPAxis {
		nm.LPAxisPoints[i] = (v - nm.Intercept) * nm.Sc
		lpAxMin, lpAxMax = math.Min(lpAxMin, v), math.Max(lpAxMax, v)
	}
	sumMax := opt.MaxScale
	if len(m.Predictors) > 1 {
		sumMax = math.Max(opt.MaxScale, nm.Sc*(lpAxMax-nm.Intercept))
	}
	if nm.TotalPointsAxis, err = Pretty(0, sumMax, opt.NInt); err != nil {
		return nil, err
	}

	// Probability axis.
	for _, p := range opt.FunAt {
		if !(p > 0 && p < 1) {
			return nil, fmt.Errorf("nomogram: fun.at value %v outside (0, 1)", p)
		}
	}
	fat := opt.FunAt
	if fat == nil {
		lo, hi := plogis(lpAxMin), plogis(lpAxMax)
		if fat, err = Pretty(lo, hi, opt.NInt); err != nil {
			return nil, err
		}
	}
	const ngrid = 1000
	xseq := make([]float64, ngrid)
	xseq[0], xseq[ngrid-1] = lpAxMin, lpAxMax
	by := (lpAxMax - lpAxMin) / (ngrid - 1)
	for i := 1; i < ngrid-1; i++ {
		xseq[i] = lpAxMin + float64(float64(i)*by)
	}
	fu := make([]float64, ngrid)
	for i, x := range xseq {
		fu[i] = plogis(x)
	}
	fx, fy := tiesMean(fu, xseq)
	for _, p := range fat {
		w := approx(fx, fy, p)
		if math.IsNaN(w) || !(p > 0 && p < 1) {
			continue // outside the lp axis: rms drops the tick
		}
		nm.FunAt = append(nm.FunAt, p)
		nm.FunPoints = append(nm.FunPoints, (w-nm.Intercept)*nm.Sc)
		nm.FunPointsExact = append(nm.FunPointsExact, (qlogis(p)-nm.Intercept)*nm.Sc)
	}
	return nm, nil
}

// Score is one patient's position on the nomogram.
type Score struct {
	// Points per predictor, in model order: (β·x - XBetaMin)·Sc.
	Points []float64
	// Total is the sum of the points.
	Total float64
	// LP = Intercept + Total/Sc (equal to the model's linear predictor) and
	// Probability = plogis(LP).
	LP, Probability float64
}

// Score places a patient on the nomogram: values maps every predictor name
// to its value (extra keys are an error, to catch misspellings). Points
// are computed from the exact coefficients (not read off the drawn axis),
// so values outside the axis range are allowed.
func (nm *Nomogram) Score(values map[string]float64) (Score, error) {
	if len(values) != len(nm.Axes) {
		return Score{}, fmt.Errorf("nomogram: got %d values for %d predictors", len(values), len(nm.Axes))
	}
	s := Score{Points: make([]float64, len(nm.Axes))}
	for j, ax := range nm.Axes {
		v, ok := values[ax.Name]
		if !ok {
			return Score{}, fmt.Errorf("nomogram: no value for predictor %s", ax.Name)
		}
		if !finite(v) {
			return Score{}, fmt.Errorf("nomogram: value of %s is %v", ax.Name, v)
		}
		s.Points[j] = (ax.Coef*v - ax.XBetaMin) * nm.Sc
	}
	s.Total = dist.Sum(s.Points)
	s.LP = nm.Intercept + s.Total/nm.Sc
	s.Probability = plogis(s.LP)
	return s, nil
}

// plogis is R's plogis(x) = 1/(1 + exp(-x)).
func plogis(x float64) float64 { return 1 / (1 + math.Exp(-x)) }

// qlogis is R's qlogis(p) = log(p/(1-p)).
func qlogis(p float64) float64 { return math.Log(p / (1 - p)) }

// tiesMean is R's regularize.values(x, y, ties = mean) for x already
// non-decreasing: equal x values collapse to one with the mean of their y.
func tiesMean(x, y []float64) ([]float64, []float64) {
	ox := make([]float64, 0, len(x))
	oy := make([]float64, 0, len(y))
	for i := 0; i < len(x); {
		j := i + 1
		for j < len(x) && x[j] == x[i] {
			j++
		}
		ox = append(ox, x[i])
		oy = append(oy, dist.Sum(y[i:j])/float64(j-i))
		i = j
	}
	return ox, oy
}

// approx is R's approx(x, y, xout = v, rule = 1)$y for increasing x:
// bisection for x[i] <= v <= x[i+1], then y[i] + (y[i+1]-y[i])·((v-x[i])/
// (x[i+1]-x[i])); NaN outside [x[0], x[n-1]].
func approx(x, y []float64, v float64) float64 {
	n := len(x)
	if n == 0 || v < x[0] || v > x[n-1] {
		return math.NaN()
	}
	i, j := 0, n-1
	for i < j-1 {
		ij := (i + j) / 2
		if v < x[ij] {
			j = ij
		} else {
			i = ij
		}
	}
	if v == x[j] {
		return y[j]
	}
	if v == x[i] {
		return y[i]
	}
	return y[i] + float64((y[j]-y[i])*((v-x[i])/(x[j]-x[i])))
}

func uniq(sorted []float64) []float64 {
	out := sorted[:0]
	for i, v := range sorted {
		if i == 0 || v != sorted[i-1] {
			out = append(out, v)
		}
	}
	return out
}

func finite(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }
