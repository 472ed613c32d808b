package figures

import (
	"errors"
	"fmt"
	"image/color"
	"math"
	"slices"
	"strconv"
	"strings"

	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// maxPathLabels is the number of coefficient paths drawn in colour and
// named in the legend of LassoPath; the others are thin grey lines.
const maxPathLabels = 20

// pathColors is a 10-colour qualitative palette (Tableau 10) for the
// coefficient paths; after 10 paths the colours repeat with dashes.
var pathColors = []color.Color{
	color.RGBA{R: 0x4E, G: 0x79, B: 0xA7, A: 0xFF},
	color.RGBA{R: 0xF2, G: 0x8E, B: 0x2B, A: 0xFF},
	color.RGBA{R: 0xE1, G: 0x57, B: 0x59, A: 0xFF},
	color.RGBA{R: 0x76, G: 0xB7, B: 0xB2, A: 0xFF},
	color.RGBA{R: 0x59, G: 0xA1, B: 0x4F, A: 0xFF},
	color.RGBA{R: 0xED, G: 0xC9, B: 0x48, A: 0xFF},
	color.RGBA{R: 0xB0, G: 0x7A, B: 0xA1, A: 0xFF},
	color.RGBA{R: 0xFF, G: 0x9D, B: 0xA7, A: 0xFF},
	color.RGBA{R: 0x9C, G: 0x75, B: 0x5F, A: 0xFF},
	color.RGBA{R: 0x79, G: 0x70, B: 0x6E, A: 0xFF},
}

var (
	minLineStyle = draw.LineStyle{Color: color.Black, Width: vg.Points(1), Dashes: []vg.Length{vg.Points(4), vg.Points(3)}}
	seLineStyle  = draw.LineStyle{Color: color.Gray{Y: 0x50}, Width: vg.Points(1), Dashes: []vg.Length{vg.Points(1.2), vg.Points(2)}}
)

// checkLambdas requires at least two positive finite lambdas and positive
// lambda.min and lambda.1se.
func checkLambdas(fig string, lambdas []float64, lmin, l1se float64) error {
	if len(lambdas) < 2 {
		return fmt.Errorf("figures: %s: need at least 2 lambdas, have %d", fig, len(lambdas))
	}
	for i, l := range lambdas {
		if !(l > 0) || math.IsInf(l, 0) {
			return fmt.Errorf("figures: %s: lambda[%d] = %v is not positive and finite", fig, i, l)
		}
	}
	for _, l := range []float64{lmin, l1se} {
		if !(l > 0) || math.IsInf(l, 0) {
			return fmt.Errorf("figures: %s: lambda.min/lambda.1se %v is not positive and finite", fig, l)
		}
	}
	return nil
}

// logs returns the natural logarithms of xs.
func logs(xs []float64) []float64 {
	out := make([]float64, len(xs))
	for i, x := range xs {
		out[i] = math.Log(x)
	}
	return out
}

// nearest returns the index of the lambda closest to l on the log scale.
func nearest(lambdas []float64, l float64) int {
	best, bd := 0, math.Inf(1)
	for i, v := range lambdas {
		if d := math.Abs(math.Log(v / l)); d < bd {
			best, bd = i, d
		}
	}
	return best
}

// lambdaEntries returns the legend entries of the two vertical lines.
func lambdaEntries(lmin, l1se float64) []legendEntry {
	f := func(l float64) string { return "log = " + strconv.FormatFloat(math.Log(l), 'f', 2, 64) }
	return []legendEntry{
		{Text: "lambda.min (" + f(lmin) + ")", Line: &minLineStyle},
		{Text: "lambda.1se (" + f(l1se) + ")", Line: &seLineStyle},
	}
}

// LassoPath writes the LASSO coefficient paths (glmnet's plot(fit, xvar =
// "lambda")): coefs[j][k] is feature j's coefficient at lambdas[k], drawn
// against log(lambda), with dashed vertical lines at lambda.min and
// lambda.1se and the number of non-zero coefficients along the top. Pass
// every feature that is non-zero somewhere on the path (the others are
// flat zero lines); the count along the top is taken over the features
// passed. The features non-zero at lambda.min (at most 20, largest |coef|
// first) are drawn in colour and named in a legend to the right; the rest
// are thin grey lines. An empty title gives "LASSO coefficient paths".
// Default size 7.5 x 4.5 in (taller if the legend needs it).
func LassoPath(lambdas []float64, coefs [][]float64, names []string, lambdaMin, lambda1SE float64, title string, out Output) error {
	if err := checkLambdas("LassoPath", lambdas, lambdaMin, lambda1SE); err != nil {
		return err
	}
	if len(coefs) == 0 {
		return errors.New("figures: LassoPath: no features")
	}
	if err := checkLen("LassoPath names", len(names), len(coefs)); err != nil {
		return err
	}
	for j, c := range coefs {
		if err := checkLen("LassoPath coefs of "+names[j], len(c), len(lambdas)); err != nil {
			return err
		}
		if err := checkFinite("LassoPath coefs of "+names[j], c); err != nil {
			return err
		}
	}
	if title == "" {
		title = "LASSO coefficient paths"
	}
	x := logs(lambdas)
	kmin := nearest(lambdas, lambdaMin)

	// the highlighted features: non-zero at lambda.min, largest |coef| first
	var hl []int
	for j, c := range coefs {
		if c[kmin] != 0 {
			hl = append(hl, j)
		}
	}
	slices.SortStableFunc(hl, func(a, b int) int {
		return -cmpFloat(math.Abs(coefs[a][kmin]), math.Abs(coefs[b][kmin]))
	})
	if len(hl) > maxPathLabels {
		hl = hl[:maxPathLabels]
	}
	// legend order: by coefficient at lambda.min, top to bottom
	order := slices.Clone(hl)
	slices.SortStableFunc(order, func(a, b int) int { return -cmpFloat(coefs[a][kmin], coefs[b][kmin]) })

	p := NewPlot(title, "log(lambda)", "Coefficient")
	xlo, xhi := minMax(x)
	ylo, yhi := minMax(coefs...)
	ylo, yhi = math.Min(ylo, 0), math.Max(yhi, 0)
	if yhi-ylo < 1e-12 {
		ylo, yhi = -1, 1
	}
	m := 0.05 * (yhi - ylo)
	niceAxis(&p.X, xlo, xhi, 7)
	niceAxis(&p.Y, ylo-m, yhi+m, 6)
	p.Add(polyline{X: []float64{xlo, xhi}, Y: []float64{0, 0}, Style: draw.LineStyle{Color: colorReference, Width: vg.Points(0.5)}})

	isHL := make(map[int]int, len(hl))
	for i, j := range order {
		isHL[j] = i
	}
	grey := draw.LineStyle{Color: color.Gray{Y: 0xB8}, Width: vg.Points(0.6)}
	for j, c := range coefs {
		if _, ok := isHL[j]; !ok {
			p.Add(polyline{X: x, Y: c, Style: grey})
		}
	}
	var entries []legendEntry
	for i, j := range order {
		sty := draw.LineStyle{Color: pathColors[i%len(pathColors)], Width: vg.Points(1.3)}
		if i >= len(pathColors) {
			sty.Dashes = []vg.Length{vg.Points(4), vg.Points(2)}
		}
		p.Add(polyline{X: x, Y: coefs[j], Style: sty})
		entries = append(entries, legendEntry{Text: names[j], Line: &sty})
	}
	p.Add(vline{X: math.Log(lambdaMin), Style: minLineStyle}, vline{X: math.Log(lambda1SE), Style: seLineStyle})
	entries = append(entries, lambdaEntries(lambdaMin, lambda1SE)...)

	nz := make([]string, len(lambdas))
	for k := range lambdas {
		n := 0
		for _, c := range coefs {
			if c[k] != 0 {
				n++
			}
		}
		nz[k] = strconv.Itoa(n)
	}
	p.Add(topLabels{X: x, Labels: nz, Style: textStyle(sansFont, smallSize), Gap: 3})
	f := frame(p, smallSize+6)

	legSty := textStyle(sansFont, legendFont)
	if len(entries) > 14 {
		legSty = textStyle(sansFont, smallSize)
	}
	w, h := out.size(7.5*vg.Inch, 4.5*vg.Inch)
	lr := newLegendRight(f, entries, legSty, w*0.4)
	if out.Height == 0 {
		_, lh := legendExtent(lr.entries, legSty)
		h = max(h, lh+1.4*vg.Inch)
	}
	return save(lr, w, h, out)
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// fitWidth shortens s with a trailing ellipsis until it is at most w wide.
func fitWidth(s string, sty text.Style, w vg.Length) string {
	if sty.Width(s) <= w {
		return s
	}
	r := []rune(s)
	for len(r) > 1 {
		r = r[:len(r)-1]
		if t := string(r) + "\u2026"; sty.Width(t) <= w {
			return t
		}
	}
	return string(r)
}

// measureLabel returns the y-axis label of a glmnet type.measure.
func measureLabel(m string) string {
	switch strings.ToLower(m) {
	case "deviance", "binomial deviance":
		return "Binomial deviance"
	case "auc":
		return "AUC"
	case "class":
		return "Misclassification error"
	case "mse":
		return "Mean-squared error"
	case "mae":
		return "Mean absolute error"
	case "":
		return "CV error"
	}
	return m
}

// LassoCV writes glmnet's plot(cv.glmnet): the cross-validated measure
// cvm (dots) with cvlo..cvup error bars against log(lambda), dashed
// vertical lines at lambda.min and lambda.1se, and nzero (the number of
// non-zero coefficients at each lambda) along the top. measure is
// glmnet's type.measure ("deviance", "auc", "class", "mse") or any axis
// label. An empty title gives "LASSO cross-validation". Default size
// 6 x 4.2 in.
func LassoCV(lambdas, cvm, cvup, cvlo []float64, nzero []int, lambdaMin, lambda1SE float64, measure, title string, out Output) error {
	if err := checkLambdas("LassoCV", lambdas, lambdaMin, lambda1SE); err != nil {
		return err
	}
	n := len(lambdas)
	for _, s := range []struct {
		what string
		v    []float64
	}{{"cvm", cvm}, {"cvup", cvup}, {"cvlo", cvlo}} {
		if err := checkLen("LassoCV "+s.what, len(s.v), n); err != nil {
			return err
		}
		if err := checkFinite("LassoCV "+s.what, s.v); err != nil {
			return err
		}
	}
	if err := checkLen("LassoCV nzero", len(nzero), n); err != nil {
		return err
	}
	if title == "" {
		title = "LASSO cross-validation"
	}
	x := logs(lambdas)
	p := NewPlot(title, "log(lambda)", measureLabel(measure))
	xlo, xhi := minMax(x)
	ylo, yhi := minMax(cvlo, cvup, cvm)
	if yhi-ylo < 1e-12 {
		ylo, yhi = ylo-1, yhi+1
	}
	pad := 0.03 * (xhi - xlo)
	niceAxis(&p.X, xlo-pad, xhi+pad, 7)
	niceAxis(&p.Y, ylo-0.05*(yhi-ylo), yhi+0.05*(yhi-ylo), 6)
	p.Add(vline{X: math.Log(lambdaMin), Style: minLineStyle}, vline{X: math.Log(lambda1SE), Style: seLineStyle})
	p.Add(errorBars{X: x, Mid: cvm, Lo: cvlo, Hi: cvup,
		Bar: draw.LineStyle{Color: color.Gray{Y: 0x90}, Width: vg.Points(0.6)},
		Dot: draw.GlyphStyle{Color: color.RGBA{R: 0xD6, G: 0x27, B: 0x28, A: 0xFF}, Radius: vg.Points(1.8), Shape: draw.CircleGlyph{}},
		Cap: vg.Points(1.5)})
	labels := make([]string, n)
	for i, z := range nzero {
		labels[i] = strconv.Itoa(z)
	}
	p.Add(topLabels{X: x, Labels: labels, Style: textStyle(sansFont, smallSize), Gap: 3})
	leg := legendBox{Entries: lambdaEntries(lambdaMin, lambda1SE), Corners: []corner{topLeft, topRight, bottomRight, bottomLeft},
		Style: textStyle(sansFont, legendFont)}
	leg.Avoid = append(leg.Avoid, segmentsOf(x, cvup)...)
	leg.Avoid = append(leg.Avoid, segmentsOf(x, cvlo)...)
	for i := range x {
		leg.Avoid = append(leg.Avoid, segment{x[i], cvlo[i], x[i], cvup[i]})
	}
	for _, l := range []float64{lambdaMin, lambda1SE} {
		leg.Avoid = append(leg.Avoid, segment{math.Log(l), p.Y.Min, math.Log(l), p.Y.Max})
	}
	p.Add(leg)
	w, h := out.size(6*vg.Inch, 4.2*vg.Inch)
	return save(frame(p, smallSize+6), w, h, out)
}

// Coefficients writes a horizontal bar chart of the selected features'
// LASSO coefficients, largest at the top, positive bars (towards
// malignant) in orange and negative ones (towards benign) in sky blue,
// each labelled with its value. Long PyRadiomics names are wrapped at an
// underscore. An empty title gives "Selected radiomics features". Default
// size 6.5 in wide, 0.8 in + 0.28 in per feature high.
func Coefficients(names []string, coefs []float64, title string, out Output) error {
	if len(coefs) == 0 {
		return errors.New("figures: Coefficients: no features")
	}
	if err := checkLen("Coefficients names", len(names), len(coefs)); err != nil {
		return err
	}
	if err := checkFinite("Coefficients", coefs); err != nil {
		return err
	}
	if title == "" {
		title = "Selected radiomics features"
	}
	idx := make([]int, len(coefs))
	for i := range idx {
		idx[i] = i
	}
	// ascending: the largest coefficient is drawn last, at the top
	slices.SortStableFunc(idx, func(a, b int) int { return cmpFloat(coefs[a], coefs[b]) })

	p := NewPlot(title, "LASSO coefficient", "")
	tickSty := p.Y.Tick.Label
	labels := make([]string, len(idx))
	wrapped := false
	for i, j := range idx {
		labels[i] = wrapName(names[j], tickSty, 2.4*vg.Inch)
		wrapped = wrapped || strings.Contains(labels[i], "\n")
	}
	p.NominalY(labels...)
	p.Y.Min, p.Y.Max = -0.6, float64(len(idx))-0.4
	lo, hi := minMax(coefs)
	lo, hi = math.Min(lo, 0), math.Max(hi, 0)
	if hi-lo < 1e-12 {
		lo, hi = -1, 1
	}
	span := hi - lo
	dec := 3
	if span < 0.05 {
		dec = 4
	}
	// room for the value labels beyond the bars
	labW := 0.2 * span
	if lo < 0 {
		lo -= labW
	}
	if hi > 0 {
		hi += labW
	}
	niceAxisSnap(&p.X, lo, hi, 6, lo < 0, hi > 0)
	valSty := textStyle(sansFont, smallSize)
	valSty.YAlign = draw.YCenter
	for i, j := range idx {
		v := coefs[j]
		col := colorMalignant
		if v < 0 {
			col = colorBenign
		}
		p.Add(filledRect{X0: 0, X1: v, Y0: float64(i) - 0.32, Y1: float64(i) + 0.32, Fill: col})
		ls := valSty
		dx := vg.Points(3)
		if v < 0 {
			ls.XAlign = draw.XRight
			dx = -dx
		}
		p.Add(label{X: v, Y: float64(i), DX: dx, DY: centerFix(ls), Text: strconv.FormatFloat(v, 'f', dec, 64), Style: ls})
	}
	p.Add(vline{X: 0, Style: draw.LineStyle{Color: color.Black, Width: vg.Points(0.75)}})
	per := 0.28 * vg.Inch
	if wrapped {
		per = 0.36 * vg.Inch
	}
	w, h := out.size(6.5*vg.Inch, 0.8*vg.Inch+per*vg.Length(len(idx)))
	return save(frame(p, 0), w, h, out)
}

// wrapName breaks a feature name wider than w at the underscore (or
// hyphen) closest to its middle, giving two lines; the separator stays at
// the end of the first line so the name reads unchanged.
func wrapName(s string, sty text.Style, w vg.Length) string {
	if sty.Width(s) <= w {
		return s
	}
	best, bd := -1, len(s)
	for i := 1; i < len(s)-1; i++ {
		if s[i] == '_' || s[i] == '-' {
			if d := abs(2*i - len(s)); d < bd {
				best, bd = i, d
			}
		}
	}
	if best < 0 {
		return s
	}
	return s[:best+1] + "\n" + s[best+1:]
}

func abs(i int) int {
	if i < 0 {
		return -i
	}
	return i
}
