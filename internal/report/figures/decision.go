package figures

import (
	"errors"
	"fmt"
	"image/color"
	"math"
	"strconv"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// NamedSeries is one model's values at the thresholds of a curve; NaN
// values are drawn as gaps.
type NamedSeries struct {
	Name string
	Y    []float64
}

// checkThresholds requires finite, strictly increasing thresholds in [0, 1].
func checkThresholds(fig string, t []float64) error {
	if len(t) < 2 {
		return fmt.Errorf("figures: %s: need at least 2 thresholds, have %d", fig, len(t))
	}
	for i, v := range t {
		if !(v >= 0 && v <= 1) {
			return fmt.Errorf("figures: %s: threshold[%d] = %v is outside [0, 1]", fig, i, v)
		}
		if i > 0 && !(v > t[i-1]) {
			return fmt.Errorf("figures: %s: thresholds must increase (threshold[%d] = %v after %v)", fig, i, v, t[i-1])
		}
	}
	return nil
}

// thresholdAxis sets the x axis of a decision-type plot: the threshold
// probability with, on a second line under each tick, the cost:benefit
// ratio t:(1-t) (as rmda's cost.benefit.axis).
func thresholdAxis(p *plot.Plot, t []float64) {
	lo, hi := t[0], t[len(t)-1]
	step := niceStep(hi-lo, 5)
	if step < 0.05 {
		step = 0.05
	}
	// the axis runs from tick to tick (0.01..0.99 shows 0 to 1)
	lo = math.Floor(lo/step+1e-9) * step
	hi = math.Ceil(hi/step-1e-9) * step
	first := lo
	var ticks plot.ConstantTicks
	dec := decimals(step)
	for v := first; v <= hi+1e-9; v += step {
		v = math.Round(v/step) * step
		lab := formatTick(v, dec)
		if r := costBenefit(v); r != "" {
			lab += "\n" + r
		}
		ticks = append(ticks, plot.Tick{Value: v, Label: lab})
	}
	p.X.Min, p.X.Max = lo, hi
	p.X.Tick.Marker = ticks
	p.X.Label.Text = "Threshold probability\n(cost:benefit ratio)"
}

// costBenefit formats the odds t:(1-t) as a ratio of small integers, "" at
// 0 and 1.
func costBenefit(t float64) string {
	if t <= 0 || t >= 1 {
		return ""
	}
	for n := 1; n <= 100; n++ {
		a, b := t*float64(n), (1-t)*float64(n)
		if math.Abs(a-math.Round(a)) < 1e-6 && math.Abs(b-math.Round(b)) < 1e-6 {
			return strconv.Itoa(int(math.Round(a))) + ":" + strconv.Itoa(int(math.Round(b)))
		}
	}
	return "1:" + strconv.FormatFloat((1-t)/t, 'g', 2, 64)
}

// DecisionCurve writes a decision curve analysis: the net benefit of each
// model against the threshold probability, with "treat all" (treatAll[i]
// at thresholds[i]) and "treat none" (net benefit 0). The y axis runs from
// -0.05 to a little above the largest model or treat-all net benefit;
// treat all is clipped below. Default size 5.5 x 4.2 in.
func DecisionCurve(thresholds []float64, models []NamedSeries, treatAll []float64, title string, out Output) error {
	if err := checkThresholds("DecisionCurve", thresholds); err != nil {
		return err
	}
	if len(models) == 0 {
		return errors.New("figures: DecisionCurve: no models")
	}
	if err := checkLen("DecisionCurve treatAll", len(treatAll), len(thresholds)); err != nil {
		return err
	}
	if err := checkFiniteOrNaN("DecisionCurve treatAll", treatAll); err != nil {
		return err
	}
	all := [][]float64{treatAll}
	for _, m := range models {
		if err := checkLen("DecisionCurve "+m.Name, len(m.Y), len(thresholds)); err != nil {
			return err
		}
		if err := checkFiniteOrNaN("DecisionCurve "+m.Name, m.Y); err != nil {
			return err
		}
		all = append(all, m.Y)
	}
	_, hi := minMax(all...)
	if math.IsInf(hi, 0) || hi < 0.05 {
		hi = 0.05
	}
	lo := -0.05
	hi += 0.1 * (hi - lo)

	p := NewPlot(title, "", "Net benefit")
	thresholdAxis(p, thresholds)
	niceAxisSnap(&p.Y, lo, hi, 6, false, true)
	leg := legendBox{Corners: []corner{topRight, bottomLeft, bottomRight}, Style: textStyle(sansFont, legendFont)}

	none := draw.LineStyle{Color: color.Black, Width: vg.Points(1)}
	p.Add(polyline{X: []float64{p.X.Min, p.X.Max}, Y: []float64{0, 0}, Style: none})
	allSty := draw.LineStyle{Color: colorTreatAll, Width: vg.Points(1)}
	p.Add(polyline{X: thresholds, Y: treatAll, Style: allSty})
	leg.Avoid = append(leg.Avoid, clampSegments(segmentsOf(thresholds, treatAll), lo, hi)...)
	for i, m := range models {
		sty := modelLine(m.Name, i)
		p.Add(polyline{X: thresholds, Y: m.Y, Style: sty})
		leg.Entries = append(leg.Entries, legendEntry{Text: m.Name, Line: &sty})
		leg.Avoid = append(leg.Avoid, clampSegments(segmentsOf(thresholds, m.Y), lo, hi)...)
	}
	leg.Entries = append(leg.Entries,
		legendEntry{Text: "Treat all", Line: &allSty},
		legendEntry{Text: "Treat none", Line: &none})
	p.Add(leg)
	w, h := out.size(5.5*vg.Inch, 4.2*vg.Inch)
	return save(frame(p, 0), w, h, out)
}

// ClinicalImpact writes a clinical impact curve (rmda's
// plot_clinical_impact) for one model: out of 1000 patients, the number
// classified high risk at each threshold and the number of those with the
// event. Default size 5.5 x 4.2 in.
func ClinicalImpact(thresholds, highRisk, highRiskWithEvent []float64, title string, out Output) error {
	if err := checkThresholds("ClinicalImpact", thresholds); err != nil {
		return err
	}
	for _, s := range []struct {
		name string
		v    []float64
	}{{"highRisk", highRisk}, {"highRiskWithEvent", highRiskWithEvent}} {
		if err := checkLen("ClinicalImpact "+s.name, len(s.v), len(thresholds)); err != nil {
			return err
		}
		if err := checkFiniteOrNaN("ClinicalImpact "+s.name, s.v); err != nil {
			return err
		}
		if lo, hi := minMax(s.v); lo < -1e-9 || hi > 1000+1e-9 {
			return fmt.Errorf("figures: ClinicalImpact: %s outside [0, 1000]", s.name)
		}
	}
	p := NewPlot(title, "", "Number high risk (of 1000 patients)")
	thresholdAxis(p, thresholds)
	p.Y.Min, p.Y.Max = 0, 1000
	p.Y.Tick.Marker = fixedTicks(0, 1000, 200, 0, 2)
	hr := draw.LineStyle{Color: ColorCombined, Width: vg.Points(1.5)}
	ev := draw.LineStyle{Color: ColorRadiomics, Width: vg.Points(1.5), Dashes: []vg.Length{vg.Points(5), vg.Points(2.5)}}
	p.Add(polyline{X: thresholds, Y: highRisk, Style: hr}, polyline{X: thresholds, Y: highRiskWithEvent, Style: ev})
	leg := legendBox{
		Entries: []legendEntry{
			{Text: "Number high risk", Line: &hr},
			{Text: "Number high risk with event", Line: &ev},
		},
		Corners: []corner{topRight, bottomLeft},
		Avoid:   append(segmentsOf(thresholds, highRisk), segmentsOf(thresholds, highRiskWithEvent)...),
		Style:   textStyle(sansFont, legendFont),
	}
	p.Add(leg)
	w, h := out.size(5.5*vg.Inch, 4.2*vg.Inch)
	return save(frame(p, 0), w, h, out)
}

// NetReduction writes the net reduction in interventions per 100 patients
// of each model against the threshold probability (Vickers' net
// reduction, (NB_model - NB_treat_all) / (t/(1-t)) * 100). The y axis
// starts at 0 or, when curves dip below 0, at most a quarter of the
// maximum below it (the curves are clipped there). Default size 5.5 x
// 4.2 in.
func NetReduction(thresholds []float64, models []NamedSeries, title string, out Output) error {
	if err := checkThresholds("NetReduction", thresholds); err != nil {
		return err
	}
	if len(models) == 0 {
		return errors.New("figures: NetReduction: no models")
	}
	var all [][]float64
	for _, m := range models {
		if err := checkLen("NetReduction "+m.Name, len(m.Y), len(thresholds)); err != nil {
			return err
		}
		if err := checkFiniteOrNaN("NetReduction "+m.Name, m.Y); err != nil {
			return err
		}
		all = append(all, m.Y)
	}
	lo, hi := minMax(all...)
	if math.IsInf(hi, 0) {
		lo, hi = 0, 10
	}
	hi = math.Max(hi, 1)
	lo = math.Min(0, math.Max(lo, -0.25*hi))
	hi += 0.04 * (hi - lo)
	p := NewPlot(title, "", "Net reduction in interventions\nper 100 patients")
	thresholdAxis(p, thresholds)
	niceAxisSnap(&p.Y, lo, hi, 6, true, true)
	p.Add(polyline{X: []float64{p.X.Min, p.X.Max}, Y: []float64{0, 0},
		Style: draw.LineStyle{Color: colorReference, Width: vg.Points(0.75)}})
	leg := legendBox{Corners: []corner{topLeft, topRight, bottomRight}, Style: textStyle(sansFont, legendFont)}
	for i, m := range models {
		sty := modelLine(m.Name, i)
		p.Add(polyline{X: thresholds, Y: m.Y, Style: sty})
		leg.Entries = append(leg.Entries, legendEntry{Text: m.Name, Line: &sty})
		leg.Avoid = append(leg.Avoid, clampSegments(segmentsOf(thresholds, m.Y), lo, hi)...)
	}
	p.Add(leg)
	w, h := out.size(5.5*vg.Inch, 4.2*vg.Inch)
	return save(frame(p, 0), w, h, out)
}
