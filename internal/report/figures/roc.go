package figures

import (
	"errors"
	"fmt"
	"image/color"
	"math"
	"math/rand/v2"
	"slices"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// ROCCurve is one model's ROC curve as drawn: the points (FPR[i], TPR[i]),
// i.e. (1 - specificity, sensitivity), joined in the given order (e.g.
// pROC's coords sorted by threshold), and its AUC with a confidence
// interval (CILow, CIHigh NaN: no interval shown).
type ROCCurve struct {
	Name               string
	FPR, TPR           []float64
	AUC, CILow, CIHigh float64
}

// ROC writes the ROC curves of up to a handful of models on one square
// plot, with the chance diagonal and a legend "Name: AUC 0.846
// (0.750–0.940)". Colours and dash patterns follow ModelColor. Default
// size 4.2 x 4.2 in.
func ROC(curves []ROCCurve, title string, out Output) error {
	if len(curves) == 0 {
		return errors.New("figures: ROC: no curves")
	}
	p := NewPlot(title, "1 - Specificity", "Sensitivity")
	p.X.Min, p.X.Max, p.Y.Min, p.Y.Max = 0, 1, 0, 1
	p.X.Tick.Marker = fixedTicks(0, 1, 0.2, 1, 2)
	p.Y.Tick.Marker = fixedTicks(0, 1, 0.2, 1, 2)
	p.Add(polyline{X: []float64{0, 1}, Y: []float64{0, 1},
		Style: draw.LineStyle{Color: colorReference, Width: vg.Points(0.75), Dashes: []vg.Length{vg.Points(3), vg.Points(3)}}})
	leg := legendBox{Corners: []corner{bottomRight, topLeft, bottomLeft, topRight}, Style: textStyle(sansFont, legendFont)}
	for i, cv := range curves {
		if len(cv.FPR) < 2 || len(cv.FPR) != len(cv.TPR) {
			return fmt.Errorf("figures: ROC: curve %q has %d FPR and %d TPR values (want the same number, at least 2)", cv.Name, len(cv.FPR), len(cv.TPR))
		}
		for _, v := range [][]float64{cv.FPR, cv.TPR} {
			if err := checkFinite("ROC "+cv.Name, v); err != nil {
				return err
			}
			if lo, hi := minMax(v); lo < 0 || hi > 1 {
				return fmt.Errorf("figures: ROC: curve %q has rates outside [0, 1]", cv.Name)
			}
		}
		if !(cv.AUC >= 0 && cv.AUC <= 1) {
			return fmt.Errorf("figures: ROC: curve %q has AUC %v", cv.Name, cv.AUC)
		}
		sty := modelLine(cv.Name, i)
		p.Add(polyline{X: cv.FPR, Y: cv.TPR, Style: sty})
		leg.Entries = append(leg.Entries, legendEntry{Text: cv.Name + ": " + formatAUC(cv.AUC, cv.CILow, cv.CIHigh), Line: &sty})
		leg.Avoid = append(leg.Avoid, segmentsOf(cv.FPR, cv.TPR)...)
	}
	w, h := out.size(4.2*vg.Inch, 4.2*vg.Inch)
	// long model names: put the AUC on a second line so the legend fits
	// in the data area (about the figure width less 1 in of axes)
	if lw, _ := legendExtent(leg.Entries, leg.Style); lw > w-1.1*vg.Inch {
		for i, cv := range curves {
			leg.Entries[i].Text = cv.Name + "\n" + formatAUC(cv.AUC, cv.CILow, cv.CIHigh)
		}
	}
	p.Add(leg)
	return save(frame(p, 0), w, h, out)
}

// RadScore writes the rad-score of each patient by class (y = 0 benign,
// 1 malignant) as a box plot (quartiles by R's quantile type 7, whiskers to
// the most extreme value within 1.5 IQR) with every patient drawn as a
// jittered dot (fixed seed: deterministic). cohortLabel ends the title,
// e.g. "training cohort". Default size 3.6 x 4 in.
func RadScore(scores []float64, y []int, cohortLabel string, out Output) error {
	if err := checkLen("RadScore y", len(y), len(scores)); err != nil {
		return err
	}
	if err := checkFinite("RadScore scores", scores); err != nil {
		return err
	}
	var groups [2][]float64
	for i, c := range y {
		if c != 0 && c != 1 {
			return fmt.Errorf("figures: RadScore: y[%d] = %d, want 0 (benign) or 1 (malignant)", i, c)
		}
		groups[c] = append(groups[c], scores[i])
	}
	if len(groups[0]) == 0 || len(groups[1]) == 0 {
		return fmt.Errorf("figures: RadScore: need both classes, have %d benign and %d malignant", len(groups[0]), len(groups[1]))
	}
	title := "Rad-score by class"
	if cohortLabel != "" {
		title += ", " + cohortLabel
	}
	p := NewPlot(title, "", "Rad-score")
	names := []string{
		fmt.Sprintf("Benign\n(n = %d)", len(groups[0])),
		fmt.Sprintf("Malignant\n(n = %d)", len(groups[1])),
	}
	p.X.Tick.Marker = plot.ConstantTicks{{Value: 0, Label: names[0]}, {Value: 1, Label: names[1]}}
	p.X.Tick.Length = 0
	p.X.Min, p.X.Max = -0.6, 1.6
	lo, hi := minMax(scores)
	if hi-lo < 1e-12 {
		lo, hi = lo-1, hi+1
	}
	m := 0.06 * (hi - lo)
	niceAxis(&p.Y, lo-m, hi+m, 6)

	rng := rand.New(rand.NewPCG(20250101, 7))
	for k, col := range []color.Color{colorBenign, colorMalignant} {
		s := slices.Clone(groups[k])
		slices.Sort(s)
		p.Add(boxWhisker{X: float64(k), Sorted: s, HalfWidth: 0.27, Fill: lighten(col, 0.65),
			Line: draw.LineStyle{Color: color.Black, Width: vg.Points(0.75)}})
	}
	// Dots after both boxes, in input order, so that the jitter of one
	// patient does not depend on the other class.
	xs := make([]float64, len(scores))
	for i, c := range y {
		xs[i] = float64(c) + (rng.Float64()-0.5)*0.36
	}
	for k, col := range []color.Color{colorBenign, colorMalignant} {
		var px, py []float64
		for i, c := range y {
			if c == k {
				px = append(px, xs[i])
				py = append(py, scores[i])
			}
		}
		p.Add(points{X: px, Y: py, Glyph: draw.GlyphStyle{
			Color: withAlpha(darken(col, 0.35), 170), Radius: vg.Points(1.7), Shape: draw.CircleGlyph{}}})
	}
	w, h := out.size(3.6*vg.Inch, 4*vg.Inch)
	return save(frame(p, 0), w, h, out)
}

// darken mixes col with black: f = 0 keeps col.
func darken(col color.Color, f float64) color.Color {
	r, g, b, _ := col.RGBA()
	mix := func(v uint32) uint8 { return uint8(math.Round(float64(v>>8) * (1 - f))) }
	return color.RGBA{R: mix(r), G: mix(g), B: mix(b), A: 0xFF}
}

// quantile7 is R's quantile(type = 7) of sorted data.
func quantile7(sorted []float64, q float64) float64 {
	n := len(sorted)
	h := float64(n-1) * q
	lo := math.Floor(h)
	i := int(lo)
	if i >= n-1 {
		return sorted[n-1]
	}
	return sorted[i] + (h-lo)*(sorted[i+1]-sorted[i])
}

// boxWhisker draws a box from the first to the third quartile with the
// median and whiskers to the most extreme data within 1.5 IQR of the box.
type boxWhisker struct {
	X         float64
	Sorted    []float64
	HalfWidth float64
	Fill      color.Color
	Line      draw.LineStyle
}

// Plot implements plot.Plotter.
func (b boxWhisker) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	q1, med, q3 := quantile7(b.Sorted, 0.25), quantile7(b.Sorted, 0.5), quantile7(b.Sorted, 0.75)
	iqr := q3 - q1
	wlo, whi := q1, q3
	for _, v := range b.Sorted {
		if v >= q1-1.5*iqr {
			wlo = math.Min(v, q1)
			break
		}
	}
	for i := len(b.Sorted) - 1; i >= 0; i-- {
		if v := b.Sorted[i]; v <= q3+1.5*iqr {
			whi = math.Max(v, q3)
			break
		}
	}
	x0, x1, xm := trX(b.X-b.HalfWidth), trX(b.X+b.HalfWidth), trX(b.X)
	box := vg.Rectangle{Min: vg.Point{X: x0, Y: trY(q1)}, Max: vg.Point{X: x1, Y: trY(q3)}}
	c.SetColor(b.Fill)
	c.Fill(box.Path())
	c.StrokeLines(b.Line, []vg.Point{box.Min, {X: x1, Y: box.Min.Y}, box.Max, {X: x0, Y: box.Max.Y}, box.Min})
	med2 := b.Line
	med2.Width *= 2.5
	c.StrokeLine2(med2, x0, trY(med), x1, trY(med))
	cap := (x1 - x0) / 4
	c.StrokeLine2(b.Line, xm, trY(q3), xm, trY(whi))
	c.StrokeLine2(b.Line, xm, trY(q1), xm, trY(wlo))
	c.StrokeLine2(b.Line, xm-cap, trY(whi), xm+cap, trY(whi))
	c.StrokeLine2(b.Line, xm-cap, trY(wlo), xm+cap, trY(wlo))
}
