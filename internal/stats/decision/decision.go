// Package decision computes decision curves (net benefit, Vickers & Elkin
// 2006), the net reduction in interventions (Vickers 2008) and clinical
// impact curves (rmda's plot_clinical_impact without bootstrap, population
// size 1000), as the study's R code in fixture 05_dca does.
package decision

import (
	"errors"
	"fmt"
	"math"
)

// Point is the decision-curve row at one threshold probability pt.
type Point struct {
	// Threshold is pt; odds = pt/(1-pt).
	Threshold float64
	// TP and FP count the high-risk patients (p > pt, strict as in rmda)
	// with and without the event.
	TP, FP int
	// NetBenefit = tp/n - fp/n * pt/(1-pt).
	NetBenefit float64
	// TreatAll = prev - (1-prev) * pt/(1-pt); TreatNone = 0.
	TreatAll, TreatNone float64
	// NetReductionPer100 = (NetBenefit - TreatAll) / (pt/(1-pt)) * 100:
	// avoidable interventions per 100 patients.
	NetReductionPer100 float64
	// CICHighRiskPer1000 = 1000*(tp+fp)/n and
	// CICHighRiskWithEventPer1000 = 1000*tp/n: rmda's clinical impact
	// curve for a population of 1000.
	CICHighRiskPer1000, CICHighRiskWithEventPer1000 float64
}

// Curve is a decision curve over a set of thresholds.
type Curve struct {
	// N is the number of patients, Events the number with y = 1 and
	// Prevalence = Events/N.
	N, Events  int
	Prevalence float64
	// Points holds one row per threshold, in the order given.
	Points []Point
}

// DefaultThresholds returns rmda's grid pt = k/100, k = 1..99, each
// computed in double as k / 100 (R's (1:99)/100).
func DefaultThresholds() []float64 {
	t := make([]float64, 99)
	for k := range t {
		t[k] = float64(k+1) / 100
	}
	return t
}

// DecisionCurve computes the decision curve of risk predictions p for the
// 0/1 outcome y at the given thresholds (nil means DefaultThresholds()).
// At each pt: tp = #{p > pt, y = 1}, fp = #{p > pt, y = 0} (strict, rmda's
// calculate.nb convention), NB = tp/n - fp/n·pt/(1-pt), treat-all
// NB = prev - (1-prev)·pt/(1-pt), net reduction per 100 =
// (NB - NB_all)/(pt/(1-pt))·100, clinical impact per 1000 = 1000·(tp+fp)/n
// and 1000·tp/n; each evaluated in the same operation order as the R code
// of fixture 05. Errors: empty or mismatched input, y not 0/1 or a single
// class, NaN predictions, thresholds outside (0, 1).
func DecisionCurve(y, p []float64, thresholds []float64) (*Curve, error) {
	n := len(y)
	if n == 0 {
		return nil, errors.New("decision: empty input")
	}
	if len(p) != n {
		return nil, fmt.Errorf("decision: %d outcomes but %d predictions", n, len(p))
	}
	events := 0
	for i, v := range y {
		switch v {
		case 1:
			events++
		case 0:
		default:
			return nil, fmt.Errorf("decision: outcome %d is %v, want 0 or 1", i, v)
		}
		if math.IsNaN(p[i]) {
			return nil, fmt.Errorf("decision: prediction %d is NaN", i)
		}
	}
	if events == 0 || events == n {
		return nil, errors.New("decision: outcome has a single class (need events and non-events)")
	}
	if thresholds == nil {
		thresholds = DefaultThresholds()
	}
	for _, pt := range thresholds {
		if !(pt > 0 && pt < 1) {
			return nil, fmt.Errorf("decision: threshold %v outside (0, 1)", pt)
		}
	}
	fn := float64(n)
	prev := float64(events) / fn
	c := &Curve{N: n, Events: events, Prevalence: prev, Points: make([]Point, len(thresholds))}
	for k, pt := range thresholds {
		tp, fp := 0, 0
		for i, pi := range p {
			if pi > pt {
				if y[i] == 1 {
					tp++
				} else {
					fp++
				}
			}
		}
		odds := pt / (1 - pt)
		ftp, ffp := float64(tp), float64(fp)
		// R: tp/n - fp/n * pt/(1 - pt), left to right.
		nb := ftp/fn - float64(ffp/fn*pt)/(1-pt)
		all := prev - float64((1-prev)*pt)/(1-pt)
		c.Points[k] = Point{
			Threshold:                   pt,
			TP:                          tp,
			FP:                          fp,
			NetBenefit:                  nb,
			TreatAll:                    all,
			NetReductionPer100:          (nb - all) / odds * 100,
			CICHighRiskPer1000:          1000 * (ftp + ffp) / fn,
			CICHighRiskWithEventPer1000: 1000 * ftp / fn,
		}
	}
	return c, nil
}
