package figures

import (
	"errors"
	"fmt"
	"image/color"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// CalibrationSeries is one model's calibration data; every part is
// optional but at least one must be given. Probabilities are in [0, 1];
// NaN in a curve is drawn as a gap.
type CalibrationSeries struct {
	Name string
	// GroupPredicted and GroupObserved are grouped points, e.g. the mean
	// predicted probability and the observed event rate of each decile
	// (Hosmer-Lemeshow groups).
	GroupPredicted, GroupObserved []float64
	// ApparentX and ApparentY are the apparent calibration curve (e.g.
	// lowess of y on p, or rms calibrate's "apparent").
	ApparentX, ApparentY []float64
	// CorrectedX and CorrectedY are the bootstrap bias-corrected curve
	// (rms calibrate's "calibrated.corrected").
	CorrectedX, CorrectedY []float64
	// Predictions are the patients' predicted probabilities, drawn as a rug
	// along the top.
	Predictions []float64
}

// rugRow is the height, in probability units, of one rug row.
const rugRow = 0.045

// Calibration writes calibration curves: the ideal diagonal (grey dashed),
// for each series its apparent curve (dotted), bias-corrected curve
// (solid), grouped points (circles) and a rug of predictions along the top,
// all in the model's colour. With one series the legend sits in the plot
// (default size 4.2 x 4.2 in); with several it lists the models and then
// the line types in a column to the right (default size 5.7 x 4.2 in).
func Calibration(series []CalibrationSeries, title string, out Output) error {
	if len(series) == 0 {
		return errors.New("figures: Calibration: no series")
	}
	nRug := 0
	for _, s := range series {
		pairs := []struct {
			what string
			x, y []float64
		}{
			{"grouped points", s.GroupPredicted, s.GroupObserved},
			{"apparent curve", s.ApparentX, s.ApparentY},
			{"corrected curve", s.CorrectedX, s.CorrectedY},
		}
		empty := len(s.Predictions) == 0
		for _, pr := range pairs {
			if len(pr.x) != len(pr.y) {
				return fmt.Errorf("figures: Calibration: %q %s has %d x and %d y values", s.Name, pr.what, len(pr.x), len(pr.y))
			}
			if err := checkProb(s.Name+" "+pr.what, pr.x, pr.y); err != nil {
				return err
			}
			empty = empty && len(pr.x) == 0
		}
		if empty {
			return fmt.Errorf("figures: Calibration: series %q has no data", s.Name)
		}
		if err := checkFinite("Calibration "+s.Name+" predictions", s.Predictions); err != nil {
			return err
		}
		if err := checkProb(s.Name+" predictions", s.Predictions); err != nil {
			return err
		}
		if len(s.Predictions) > 0 {
			nRug++
		}
	}

	p := NewPlot(title, "Predicted probability", "Observed probability")
	p.X.Min, p.X.Max = 0, 1
	p.Y.Min, p.Y.Max = 0, 1+rugRow*float64(nRug)
	p.X.Tick.Marker = fixedTicks(0, 1, 0.2, 1, 2)
	p.Y.Tick.Marker = fixedTicks(0, 1, 0.2, 1, 2)
	ideal := draw.LineStyle{Color: colorReference, Width: vg.Points(1), Dashes: []vg.Length{vg.Points(4), vg.Points(3)}}
	p.Add(polyline{X: []float64{0, 1}, Y: []float64{0, 1}, Style: ideal})

	leg := legendBox{Corners: []corner{bottomRight, topLeft}, Style: textStyle(sansFont, legendFont)}
	leg.Avoid = append(leg.Avoid, segment{0, 0, 1, 1})
	var hasApp, hasCorr, hasGroup bool
	row := 0
	one := len(series) == 1
	for i, s := range series {
		col := ModelColor(s.Name, i)
		app := draw.LineStyle{Color: col, Width: vg.Points(1.25), Dashes: []vg.Length{vg.Points(1.5), vg.Points(1.5)}}
		corr := draw.LineStyle{Color: col, Width: vg.Points(1.5)}
		glyph := draw.GlyphStyle{Color: col, Radius: vg.Points(2.5), Shape: draw.CircleGlyph{}}
		if len(s.Predictions) > 0 {
			y0 := 1 + rugRow*(float64(row)+0.2)
			y1 := 1 + rugRow*(float64(row)+0.8)
			p.Add(rug{X: s.Predictions, Y0: y0, Y1: y1, Style: draw.LineStyle{Color: col, Width: vg.Points(0.4)}})
			for _, x := range s.Predictions {
				leg.Avoid = append(leg.Avoid, segment{x, y0, x, y1})
			}
			row++
		}
		if len(s.ApparentX) > 0 {
			p.Add(polyline{X: s.ApparentX, Y: s.ApparentY, Style: app})
			leg.Avoid = append(leg.Avoid, segmentsOf(s.ApparentX, s.ApparentY)...)
			hasApp = true
			if one {
				leg.Entries = append(leg.Entries, legendEntry{Text: "Apparent", Line: &app})
			}
		}
		if len(s.CorrectedX) > 0 {
			p.Add(polyline{X: s.CorrectedX, Y: s.CorrectedY, Style: corr})
			leg.Avoid = append(leg.Avoid, segmentsOf(s.CorrectedX, s.CorrectedY)...)
			hasCorr = true
			if one {
				leg.Entries = append(leg.Entries, legendEntry{Text: "Bias-corrected", Line: &corr})
			}
		}
		if len(s.GroupPredicted) > 0 {
			p.Add(points{X: s.GroupPredicted, Y: s.GroupObserved, Glyph: glyph})
			for k := range s.GroupPredicted {
				leg.Avoid = append(leg.Avoid, segment{s.GroupPredicted[k], s.GroupObserved[k], s.GroupPredicted[k], s.GroupObserved[k]})
			}
			hasGroup = true
			if one {
				leg.Entries = append(leg.Entries, legendEntry{Text: "Grouped observed", Glyph: &glyph})
			}
		}
		if !one {
			sw := corr
			leg.Entries = append(leg.Entries, legendEntry{Text: s.Name, Line: &sw})
		}
	}
	if !one {
		// the style key, in dark grey
		key := color.Gray{Y: 0x40}
		if hasApp {
			leg.Entries = append(leg.Entries, legendEntry{Text: "Apparent", Line: &draw.LineStyle{Color: key, Width: vg.Points(1.25), Dashes: []vg.Length{vg.Points(1.5), vg.Points(1.5)}}})
		}
		if hasCorr {
			leg.Entries = append(leg.Entries, legendEntry{Text: "Bias-corrected", Line: &draw.LineStyle{Color: key, Width: vg.Points(1.5)}})
		}
		if hasGroup {
			leg.Entries = append(leg.Entries, legendEntry{Text: "Grouped observed", Glyph: &draw.GlyphStyle{Color: key, Radius: vg.Points(2.5), Shape: draw.CircleGlyph{}}})
		}
	}
	leg.Entries = append(leg.Entries, legendEntry{Text: "Ideal", Line: &ideal})
	if one {
		p.Add(leg)
		w, h := out.size(4.2*vg.Inch, 4.2*vg.Inch)
		return save(frame(p, 0), w, h, out)
	}
	// several models: the legend goes to the right of the plot
	w, h := out.size(5.7*vg.Inch, 4.2*vg.Inch)
	return save(newLegendRight(frame(p, 0), leg.Entries, leg.Style, 0.3*w), w, h, out)
}

// checkProb requires every non-NaN value in [0, 1] (and no ±Inf).
func checkProb(what string, xss ...[]float64) error {
	for _, xs := range xss {
		for i, x := range xs {
			if math.IsNaN(x) {
				continue
			}
			if !(x >= 0 && x <= 1) {
				return fmt.Errorf("figures: Calibration: %s[%d] = %v is not a probability", what, i, x)
			}
		}
	}
	return nil
}

// rug draws a short vertical tick from Y0 to Y1 at each X.
type rug struct {
	X      []float64
	Y0, Y1 float64
	Style  draw.LineStyle
}

// Plot implements plot.Plotter.
func (r rug) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	y0, y1 := trY(r.Y0), trY(r.Y1)
	for _, x := range r.X {
		px := trX(x)
		c.StrokeLine2(r.Style, px, y0, px, y1)
	}
}
