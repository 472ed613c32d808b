package figures

import (
	"image/color"
	"math"
	"slices"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// polyline draws the points (X[i], Y[i]) joined by straight lines, clipped
// to the data area; a NaN in either coordinate breaks the line.
type polyline struct {
	X, Y  []float64
	Style draw.LineStyle
	// Step draws a right-continuous step function (horizontal then
	// vertical) instead of straight segments.
	Step bool
}

// Plot implements plot.Plotter.
func (l polyline) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	pts := make([]vg.Point, 0, 2*len(l.X))
	flush := func() {
		if len(pts) > 1 {
			c.StrokeLines(l.Style, c.ClipLinesXY(pts)...)
		}
		pts = pts[:0]
	}
	for i := range l.X {
		x, y := l.X[i], l.Y[i]
		if math.IsNaN(x) || math.IsNaN(y) {
			flush()
			continue
		}
		pt := vg.Point{X: trX(x), Y: trY(y)}
		if l.Step && len(pts) > 0 {
			pts = append(pts, vg.Point{X: pt.X, Y: pts[len(pts)-1].Y})
		}
		pts = append(pts, pt)
	}
	flush()
}

// vline is a vertical line across the data area at X.
type vline struct {
	X     float64
	Style draw.LineStyle
}

// Plot implements plot.Plotter.
func (l vline) Plot(c draw.Canvas, p *plot.Plot) {
	trX, _ := p.Transforms(&c)
	x := trX(l.X)
	if x < c.Min.X-0.01 || x > c.Max.X+0.01 {
		return
	}
	c.StrokeLine2(l.Style, x, c.Min.Y, x, c.Max.Y)
}

// points draws one glyph per (X[i], Y[i]), skipping NaNs.
type points struct {
	X, Y  []float64
	Glyph draw.GlyphStyle
}

// Plot implements plot.Plotter.
func (s points) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	for i := range s.X {
		if math.IsNaN(s.X[i]) || math.IsNaN(s.Y[i]) {
			continue
		}
		pt := vg.Point{X: trX(s.X[i]), Y: trY(s.Y[i])}
		if c.Contains(pt) {
			c.DrawGlyph(s.Glyph, pt)
		}
	}
}

// GlyphBoxes implements plot.GlyphBoxer so that glyphs at the edge of the
// axes are not cut.
func (s points) GlyphBoxes(p *plot.Plot) []plot.GlyphBox {
	r := s.Glyph.Radius
	var b []plot.GlyphBox
	for i := range s.X {
		if math.IsNaN(s.X[i]) || math.IsNaN(s.Y[i]) {
			continue
		}
		b = append(b, plot.GlyphBox{
			X: p.X.Norm(s.X[i]), Y: p.Y.Norm(s.Y[i]),
			Rectangle: vg.Rectangle{Min: vg.Point{X: -r, Y: -r}, Max: vg.Point{X: r, Y: r}},
		})
	}
	return b
}

// errorBars draws, at each X, a vertical bar from Lo to Hi with caps and a
// filled dot at Mid (glmnet's cv plot).
type errorBars struct {
	X, Mid, Lo, Hi []float64
	Bar            draw.LineStyle
	Dot            draw.GlyphStyle
	Cap            vg.Length
}

// Plot implements plot.Plotter.
func (e errorBars) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	for i := range e.X {
		x := trX(e.X[i])
		lo, hi := trY(e.Lo[i]), trY(e.Hi[i])
		c.StrokeLines(e.Bar, c.ClipLinesXY([]vg.Point{{X: x, Y: lo}, {X: x, Y: hi}})...)
		for _, y := range []vg.Length{lo, hi} {
			c.StrokeLines(e.Bar, c.ClipLinesXY([]vg.Point{{X: x - e.Cap, Y: y}, {X: x + e.Cap, Y: y}})...)
		}
	}
	for i := range e.X {
		pt := vg.Point{X: trX(e.X[i]), Y: trY(e.Mid[i])}
		if c.Contains(pt) {
			c.DrawGlyph(e.Dot, pt)
		}
	}
}

// topLabels writes Labels[i] above the data area at X[i], left to right,
// skipping a label that would come too close to the previous one (as R's
// axis() does for glmnet's number of non-zero coefficients along the top).
type topLabels struct {
	X      []float64
	Labels []string
	Style  text.Style
	Gap    vg.Length
}

// Plot implements plot.Plotter.
func (t topLabels) Plot(c draw.Canvas, p *plot.Plot) {
	trX, _ := p.Transforms(&c)
	sty := t.Style
	sty.XAlign = draw.XCenter
	sty.YAlign = draw.YBottom
	// left to right, whatever the order of X
	idx := make([]int, len(t.X))
	for i := range idx {
		idx[i] = i
	}
	slices.SortStableFunc(idx, func(a, b int) int { return cmpFloat(t.X[a], t.X[b]) })
	last := vg.Length(math.Inf(-1))
	for _, i := range idx {
		px := trX(t.X[i])
		if px < c.Min.X-0.5 || px > c.Max.X+0.5 {
			continue
		}
		w := sty.Width(t.Labels[i])
		if px-w/2 < last+sty.Width("00") {
			continue
		}
		c.FillText(sty, vg.Point{X: px, Y: c.Max.Y + t.Gap}, t.Labels[i])
		last = px + w/2
	}
}

// segment is a line segment in data coordinates that a legend should not
// cover.
type segment struct{ x0, y0, x1, y1 float64 }

// corner of the data area a legend is placed in.
type corner int

const (
	topLeft corner = iota
	topRight
	bottomLeft
	bottomRight
)

// legendEntry is one row of a legend: a line sample, a glyph, a filled
// square, or any combination.
type legendEntry struct {
	Text  string
	Line  *draw.LineStyle
	Glyph *draw.GlyphStyle
	Fill  color.Color
}

// legendBox draws a legend in a white box with a thin border, inside the
// data area, in the first of Corners that covers the fewest of the Avoid
// segments.
type legendBox struct {
	Entries []legendEntry
	Corners []corner
	Avoid   []segment
	Style   text.Style
}

const (
	legendPad   = vg.Length(4)
	legendIcon  = vg.Length(22)
	legendGap   = vg.Length(4)
	legendInset = vg.Length(5)
)

// legendExtent returns the width and height of a legend box.
func legendExtent(entries []legendEntry, sty text.Style) (w, h vg.Length) {
	var tw vg.Length
	lines := 0
	for _, e := range entries {
		tw = max(tw, sty.Width(e.Text))
		lines += entryLines(e)
	}
	return legendPad + legendIcon + legendGap + tw + legendPad,
		2*legendPad + vg.Length(lines)*rowHeight(sty)
}

func rowHeight(sty text.Style) vg.Length { return sty.Font.Size * 1.3 }

func entryLines(e legendEntry) int { return strings.Count(e.Text, "\n") + 1 }

// centerFix is how far text centred with draw.YCenter must move up to look
// centred (YCenter centres ascent plus descent, not the digits).
func centerFix(sty text.Style) vg.Length { return 0.1 * sty.Font.Size }

// drawEntries draws the entries from the top-left corner (x, y) of the box
// (inside its padding); a multi-line entry has its sample centred on its
// lines.
func drawEntries(c draw.Canvas, entries []legendEntry, sty text.Style, x, y vg.Length) {
	rh := rowHeight(sty)
	sty.XAlign = draw.XLeft
	sty.YAlign = draw.YCenter
	top := y
	for _, e := range entries {
		eh := rh * vg.Length(entryLines(e))
		cy := top - eh/2
		top -= eh
		if e.Fill != nil {
			r := vg.Rectangle{
				Min: vg.Point{X: x + legendIcon/2 - rh*0.35, Y: cy - rh*0.35},
				Max: vg.Point{X: x + legendIcon/2 + rh*0.35, Y: cy + rh*0.35},
			}
			c.SetColor(e.Fill)
			c.Fill(r.Path())
		}
		if e.Line != nil {
			c.StrokeLine2(*e.Line, x, cy, x+legendIcon, cy)
		}
		if e.Glyph != nil {
			c.DrawGlyphNoClip(*e.Glyph, vg.Point{X: x + legendIcon/2, Y: cy})
		}
		c.FillText(sty, vg.Point{X: x + legendIcon + legendGap, Y: cy + centerFix(sty)}, e.Text)
	}
}

// Plot implements plot.Plotter.
func (l legendBox) Plot(c draw.Canvas, p *plot.Plot) {
	if len(l.Entries) == 0 {
		return
	}
	w, h := legendExtent(l.Entries, l.Style)
	corners := l.Corners
	if len(corners) == 0 {
		corners = []corner{topRight, topLeft, bottomRight, bottomLeft}
	}
	rects := make([]vg.Rectangle, len(corners))
	for i, k := range corners {
		var r vg.Rectangle
		switch k {
		case topLeft, bottomLeft:
			r.Min.X = c.Min.X + legendInset
		default:
			r.Min.X = c.Max.X - legendInset - w
		}
		switch k {
		case topLeft, topRight:
			r.Min.Y = c.Max.Y - legendInset - h
		default:
			r.Min.Y = c.Min.Y + legendInset
		}
		r.Max = vg.Point{X: r.Min.X + w, Y: r.Min.Y + h}
		rects[i] = r
	}
	best, bestHits := 0, math.MaxInt
	if len(corners) > 1 && len(l.Avoid) > 0 {
		trX, trY := p.Transforms(&c)
		for i, r := range rects {
			hits := 0
			for _, s := range l.Avoid {
				if segmentHitsRect(float64(trX(s.x0)), float64(trY(s.y0)), float64(trX(s.x1)), float64(trY(s.y1)), r) {
					hits++
				}
			}
			if hits < bestHits {
				best, bestHits = i, hits
			}
		}
	}
	r := rects[best]
	c.SetColor(color.White)
	c.Fill(r.Path())
	c.StrokeLines(draw.LineStyle{Color: color.Gray{Y: 0xA0}, Width: vg.Points(0.5)},
		[]vg.Point{r.Min, {X: r.Max.X, Y: r.Min.Y}, r.Max, {X: r.Min.X, Y: r.Max.Y}, r.Min})
	drawEntries(c, l.Entries, l.Style, r.Min.X+legendPad, r.Max.Y-legendPad)
}

// segmentHitsRect reports whether the segment (x0,y0)-(x1,y1) meets r
// (Liang-Barsky clipping).
func segmentHitsRect(x0, y0, x1, y1 float64, r vg.Rectangle) bool {
	if math.IsNaN(x0 + y0 + x1 + y1) {
		return false
	}
	t0, t1 := 0.0, 1.0
	dx, dy := x1-x0, y1-y0
	for _, pq := range [4][2]float64{
		{-dx, x0 - float64(r.Min.X)},
		{dx, float64(r.Max.X) - x0},
		{-dy, y0 - float64(r.Min.Y)},
		{dy, float64(r.Max.Y) - y0},
	} {
		p, q := pq[0], pq[1]
		if p == 0 {
			if q < 0 {
				return false
			}
			continue
		}
		t := q / p
		if p < 0 {
			if t > t1 {
				return false
			}
			t0 = max(t0, t)
		} else {
			if t < t0 {
				return false
			}
			t1 = min(t1, t)
		}
	}
	return t0 <= t1
}

// segmentsOf returns the segments of the polyline (x[i], y[i]), skipping
// NaN points.
func segmentsOf(x, y []float64) []segment {
	var s []segment
	for i := 1; i < len(x) && i < len(y); i++ {
		if math.IsNaN(x[i-1] + y[i-1] + x[i] + y[i]) {
			continue
		}
		s = append(s, segment{x[i-1], y[i-1], x[i], y[i]})
	}
	return s
}

// clampSegments clips the y coordinates to [lo, hi] so that off-axis data
// do not count as legend collisions at the wrong place.
func clampSegments(s []segment, lo, hi float64) []segment {
	for i := range s {
		s[i].y0 = math.Min(math.Max(s[i].y0, lo), hi)
		s[i].y1 = math.Min(math.Max(s[i].y1, lo), hi)
	}
	return s
}

// filledRect fills the data-space rectangle [x0,x1] x [y0,y1] and strokes
// its border when Border.Width > 0.
type filledRect struct {
	X0, X1, Y0, Y1 float64
	Fill           color.Color
	Border         draw.LineStyle
}

// Plot implements plot.Plotter.
func (f filledRect) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	r := vg.Rectangle{
		Min: vg.Point{X: min(trX(f.X0), trX(f.X1)), Y: min(trY(f.Y0), trY(f.Y1))},
		Max: vg.Point{X: max(trX(f.X0), trX(f.X1)), Y: max(trY(f.Y0), trY(f.Y1))},
	}
	if f.Fill != nil {
		c.SetColor(f.Fill)
		c.Fill(r.Path())
	}
	if f.Border.Width > 0 {
		c.StrokeLines(f.Border, []vg.Point{r.Min, {X: r.Max.X, Y: r.Min.Y}, r.Max, {X: r.Min.X, Y: r.Max.Y}, r.Min})
	}
}

// label writes Text at the data point (X, Y) shifted by (DX, DY).
type label struct {
	X, Y   float64
	DX, DY vg.Length
	Text   string
	Style  text.Style
}

// Plot implements plot.Plotter.
func (l label) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	c.FillText(l.Style, vg.Point{X: trX(l.X) + l.DX, Y: trY(l.Y) + l.DY}, l.Text)
}

// withAlpha returns col with opacity a (0-255), non-premultiplied.
func withAlpha(col color.Color, a uint8) color.Color {
	r, g, b, _ := col.RGBA()
	return color.NRGBA{R: uint8(r >> 8), G: uint8(g >> 8), B: uint8(b >> 8), A: a}
}

// lighten mixes col with white: f = 0 keeps col, f = 1 is white.
func lighten(col color.Color, f float64) color.Color {
	r, g, b, _ := col.RGBA()
	mix := func(v uint32) uint8 { return uint8(math.Round(float64(v>>8)*(1-f) + 255*f)) }
	return color.RGBA{R: mix(r), G: mix(g), B: mix(b), A: 0xFF}
}
