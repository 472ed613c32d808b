// Package figures draws the figures of a spinerad study report: LASSO
// coefficient paths and cross-validation curve, selected coefficients,
// rad-score by class, ROC curves, calibration curves, decision curves,
// clinical impact and net-reduction curves, and an rms-style nomogram.
//
// Every figure function takes plain data (slices and the small structs
// defined here) and writes one figure in three formats next to each other:
// Dir/Name.svg, Dir/Name.png (300 dpi, with a pHYs chunk that says so) and
// Dir/Name.pdf (fonts embedded). Files are written atomically.
//
// Style: Liberation Sans regular only (metric-compatible with Arial; one
// face because vgpdf cannot embed two, see pdfCanvas), title 11 pt, axis
// labels 10 pt, tick labels and legends 9 pt, nothing under 8 pt at the
// figure's nominal size. The three study models keep one colour and one dash
// pattern across all figures (see ModelColor).
//
// Determinism: the same data give byte-identical SVG, PNG and PDF files. The
// PDF writer (fpdf) would stamp the current time as CreationDate/ModDate and
// list its resources in map order; this package sets fpdf's process-wide
// defaults once (fixed dates, sorted catalogs) when it is first used. The
// date is taken from SOURCE_DATE_EPOCH when set, else 2000-01-01T00:00:00Z.
package figures

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"image/color"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"codeberg.org/go-pdf/fpdf"
	xfont "golang.org/x/image/font"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgpdf"
	"gonum.org/v1/plot/vg/vgsvg"

	"github.com/spinerad/spinerad/internal/safefile"
)

// DPI is the resolution of the PNG files.
const DPI = 300

// Font sizes used by every figure.
const (
	titleSize  = vg.Length(11)
	labelSize  = vg.Length(10)
	tickSize   = vg.Length(9)
	legendFont = vg.Length(9)
	smallSize  = vg.Length(8)
)

var (
	sansFont = font.Font{Typeface: "Liberation", Variant: "Sans"}
)

// Output names the three files a figure is written to: Dir/Name.svg,
// Dir/Name.png and Dir/Name.pdf. Width and Height (zero: the figure's
// default size) give the physical size of the figure.
type Output struct {
	Dir, Name     string
	Width, Height vg.Length
}

// Paths returns the SVG, PNG and PDF paths of o.
func (o Output) Paths() (svg, png, pdf string) {
	base := filepath.Join(o.Dir, o.Name)
	return base + ".svg", base + ".png", base + ".pdf"
}

// size returns o's size, falling back to the defaults w and h.
func (o Output) size(w, h vg.Length) (vg.Length, vg.Length) {
	if o.Width > 0 {
		w = o.Width
	}
	if o.Height > 0 {
		h = o.Height
	}
	return w, h
}

func (o Output) validate() error {
	if o.Name == "" {
		return errors.New("figures: empty output name")
	}
	if strings.ContainsAny(o.Name, `/\`) || o.Name == "." || o.Name == ".." {
		return fmt.Errorf("figures: output name %q must be a plain file name without extension", o.Name)
	}
	if o.Width < 0 || o.Height < 0 {
		return fmt.Errorf("figures: %s: negative size %v x %v", o.Name, o.Width, o.Height)
	}
	return nil
}

// drawer is anything that draws itself on a canvas; *plot.Plot is one.
type drawer interface {
	Draw(c draw.Canvas)
}

// drawFunc adapts a function to the drawer interface.
type drawFunc func(c draw.Canvas)

func (f drawFunc) Draw(c draw.Canvas) { f(c) }

// Save writes p, w wide and h high, to the SVG, PNG (300 dpi) and PDF files
// named by out, with the small outer margins of the report's figures and
// the title wrapped if it is too wide. Each file is written atomically; a
// panic inside gonum/plot is returned as an error.
func Save(p *plot.Plot, w, h vg.Length, out Output) error {
	if p == nil {
		return errors.New("figures: nil plot")
	}
	return save(frame(p, 0), w, h, out)
}

// Outer margins of every plot: room for the half of the last x tick label
// that sticks out to the right, and for text at the edges.
const (
	marginLeft   = vg.Length(4)
	marginRight  = vg.Length(10)
	marginTop    = vg.Length(4)
	marginBottom = vg.Length(3)
)

// framedPlot draws a plot inside the outer margins, with its title wrapped
// to the width and an optional band of height top between the title (or
// the top margin) and the data area, for labels drawn there.
type framedPlot struct {
	p   *plot.Plot
	top vg.Length
}

// frame returns p framed; top > 0 reserves the band above the data area.
func frame(p *plot.Plot, top vg.Length) *framedPlot {
	if top > 0 && p.Title.Text != "" {
		p.Title.Padding += top
	}
	return &framedPlot{p: p, top: top}
}

// inner returns the canvas the plot itself is drawn on.
func (f *framedPlot) inner(c draw.Canvas) draw.Canvas {
	c.Min.X += marginLeft
	c.Max.X -= marginRight
	c.Min.Y += marginBottom
	c.Max.Y -= marginTop
	if f.top > 0 && f.p.Title.Text == "" {
		c.Max.Y -= f.top
	}
	f.p.Title.Text = wrapText(f.p.Title.Text, f.p.Title.TextStyle, c.Max.X-c.Min.X)
	return c
}

// Draw implements drawer.
func (f *framedPlot) Draw(c draw.Canvas) {
	c.SetColor(color.White)
	c.Fill(c.Rectangle.Path())
	f.p.Draw(f.inner(c))
}

// dataCanvas returns the data area of the plot when drawn on c.
func (f *framedPlot) dataCanvas(c draw.Canvas) draw.Canvas {
	return f.p.DataCanvas(f.inner(c))
}

// wrapText breaks every line of s wider than w at the space closest to
// its middle, repeatedly, until the lines fit or cannot be broken.
func wrapText(s string, sty text.Style, w vg.Length) string {
	if w <= 0 || sty.Width(s) <= w {
		return s
	}
	var out []string
	for _, line := range strings.Split(s, "\n") {
		out = append(out, wrapLine(line, sty, w)...)
	}
	return strings.Join(out, "\n")
}

func wrapLine(line string, sty text.Style, w vg.Length) []string {
	if sty.Width(line) <= w {
		return []string{line}
	}
	best, bd := -1, len(line)
	for i := 1; i < len(line)-1; i++ {
		if line[i] == ' ' {
			if d := abs(2*i - len(line)); d < bd {
				best, bd = i, d
			}
		}
	}
	if best < 0 {
		return []string{line}
	}
	return append(wrapLine(line[:best], sty, w), wrapLine(line[best+1:], sty, w)...)
}

// legendRight draws a framed plot with its legend in a column to the
// right of it, top-aligned with the data area (for legends too big to sit
// inside the data area).
type legendRight struct {
	f       *framedPlot
	entries []legendEntry
	sty     text.Style
	width   vg.Length
}

// newLegendRight wraps entry texts wider than maxW (at an underscore,
// hyphen or space), shortens what still does not fit, and sizes the
// column.
func newLegendRight(f *framedPlot, entries []legendEntry, sty text.Style, maxW vg.Length) *legendRight {
	avail := maxW - legendIcon - legendGap - 2*legendPad
	for i := range entries {
		t := entries[i].Text
		if sty.Width(t) > avail {
			t = wrapName(t, sty, avail)
			lines := strings.Split(t, "\n")
			for k := range lines {
				lines[k] = fitWidth(lines[k], sty, avail)
			}
			t = strings.Join(lines, "\n")
		}
		entries[i].Text = t
	}
	w, _ := legendExtent(entries, sty)
	// slack for SVG viewers that substitute a wider font (e.g. DejaVu Sans)
	w += 0.12 * (w - legendIcon - legendGap - 2*legendPad)
	return &legendRight{f: f, entries: entries, sty: sty, width: w}
}

// Draw implements drawer.
func (l *legendRight) Draw(c draw.Canvas) {
	c.SetColor(color.White)
	c.Fill(c.Rectangle.Path())
	pc := c
	pc.Max.X -= l.width
	l.f.Draw(pc)
	dc := l.f.dataCanvas(pc)
	drawEntries(c, l.entries, l.sty, pc.Max.X+legendPad, dc.Max.Y)
}

var pdfDefaults sync.Once

// fixPDFDefaults makes fpdf output reproducible (see the package comment).
func fixPDFDefaults() {
	pdfDefaults.Do(func() {
		t := time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
		if s := os.Getenv("SOURCE_DATE_EPOCH"); s != "" {
			if sec, err := strconv.ParseInt(s, 10, 64); err == nil {
				t = time.Unix(sec, 0).UTC()
			}
		}
		fpdf.SetDefaultCreationDate(t)
		fpdf.SetDefaultModificationDate(t)
		fpdf.SetDefaultCatalogSort(true)
	})
}

func save(d drawer, w, h vg.Length, out Output) error {
	if err := out.validate(); err != nil {
		return err
	}
	if !(w > 0 && h > 0) || math.IsInf(float64(w+h), 0) {
		return fmt.Errorf("figures: %s: invalid size %v x %v", out.Name, w, h)
	}
	fixPDFDefaults()
	svgPath, pngPath, pdfPath := out.Paths()

	svgBytes, err := render(func() ([]byte, error) {
		c := vgsvg.New(w, h)
		d.Draw(draw.New(c))
		var b bytes.Buffer
		if _, err := c.WriteTo(&b); err != nil {
			return nil, err
		}
		return fixSVGFonts(b.Bytes()), nil
	})
	if err != nil {
		return fmt.Errorf("figures: %s.svg: %w", out.Name, err)
	}
	pngBytes, err := render(func() ([]byte, error) {
		c := vgimg.NewWith(vgimg.UseWH(w, h), vgimg.UseDPI(DPI))
		d.Draw(draw.New(c))
		var b bytes.Buffer
		if _, err := (vgimg.PngCanvas{Canvas: c}).WriteTo(&b); err != nil {
			return nil, err
		}
		return addPNGDensity(b.Bytes(), DPI)
	})
	if err != nil {
		return fmt.Errorf("figures: %s.png: %w", out.Name, err)
	}
	pdfBytes, err := render(func() ([]byte, error) {
		c := pdfCanvas{vgpdf.New(w, h)}
		d.Draw(draw.New(c))
		var b bytes.Buffer
		if _, err := c.WriteTo(&b); err != nil {
			return nil, err
		}
		return b.Bytes(), nil
	})
	if err != nil {
		return fmt.Errorf("figures: %s.pdf: %w", out.Name, err)
	}
	for _, f := range []struct {
		path string
		data []byte
	}{{svgPath, svgBytes}, {pngPath, pngBytes}, {pdfPath, pdfBytes}} {
		data := f.data
		if err := safefile.Write(f.path, func(w io.Writer) error {
			_, err := w.Write(data)
			return err
		}); err != nil {
			return fmt.Errorf("figures: %w", err)
		}
	}
	return nil
}

// render runs f, turning a panic (gonum/plot panics on some bad input)
// into an error.
func render(f func() ([]byte, error)) (b []byte, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("drawing failed: %v", r)
		}
	}()
	return f()
}

// fixSVGFonts gives the font-family of every text element fallbacks, so
// that viewers without Liberation Sans use the metric-compatible Arial.
func fixSVGFonts(b []byte) []byte {
	return bytes.ReplaceAll(b, []byte("font-family:Liberation Sans;"),
		[]byte("font-family:'Liberation Sans',Arial,Helvetica,sans-serif;"))
}

// addPNGDensity inserts a pHYs chunk (pixels per metre) after the IHDR
// chunk of the PNG stream b, so that viewers and journals see the dpi.
func addPNGDensity(b []byte, dpi int) ([]byte, error) {
	const ihdrEnd = 8 + 4 + 4 + 13 + 4
	if len(b) < ihdrEnd || string(b[12:16]) != "IHDR" {
		return nil, errors.New("unexpected PNG layout")
	}
	ppm := uint32(math.Round(float64(dpi) / 0.0254))
	chunk := make([]byte, 4+4+9+4)
	binary.BigEndian.PutUint32(chunk[0:], 9)
	copy(chunk[4:], "pHYs")
	binary.BigEndian.PutUint32(chunk[8:], ppm)
	binary.BigEndian.PutUint32(chunk[12:], ppm)
	chunk[16] = 1 // unit: metre
	binary.BigEndian.PutUint32(chunk[17:], crc32.ChecksumIEEE(chunk[4:17]))
	out := make([]byte, 0, len(b)+len(chunk))
	out = append(out, b[:ihdrEnd]...)
	out = append(out, chunk...)
	return append(out, b[ihdrEnd:]...), nil
}

// pdfCanvas converts text to Windows-1252, the encoding vgpdf declares for
// its embedded fonts; characters outside it are drawn as '?'. Figure text
// therefore sticks to Latin-1 plus the en dash.
type pdfCanvas struct {
	*vgpdf.Canvas
}

// FillString implements vg.Canvas. All PDF text is set in the regular
// face: vgpdf runs every face through fpdf's MakeFont under the same file
// name ("font.z") and fpdf keys embedded font programs by that name, so a
// second face (bold, italic) would overwrite the first one's glyphs.
func (c pdfCanvas) FillString(f font.Face, pt vg.Point, s string) {
	if f.Font.Weight != xfont.WeightNormal || f.Font.Style != xfont.StyleNormal || f.Font.Variant != sansFont.Variant {
		f = font.DefaultCache.Lookup(sansFont, f.Font.Size)
	}
	c.Canvas.FillString(f, pt, toCP1252(s))
}

// cp1252High maps the Unicode characters of bytes 0x80-0x9F of
// Windows-1252 (0 marks an unused byte).
var cp1252High = [32]rune{
	0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
	0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017D, 0,
	0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
	0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0, 0x017E, 0x0178,
}

// toCP1252 encodes s in Windows-1252, replacing unencodable runes by '?'.
func toCP1252(s string) string {
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			ascii = false
			break
		}
	}
	if ascii {
		return s
	}
	b := make([]byte, 0, len(s))
	for _, r := range s {
		switch {
		case r < 0x80 || (r >= 0xA0 && r <= 0xFF):
			b = append(b, byte(r))
		default:
			c := byte('?')
			for i, h := range cp1252High {
				if h != 0 && h == r {
					c = byte(0x80 + i)
					break
				}
			}
			b = append(b, c)
		}
	}
	return string(b)
}

// ---------------------------------------------------------------------
// Style.

// Colours of the three study models and of the reference lines
// (Okabe-Ito palette, safe for colour-blind readers).
var (
	ColorClinical  color.Color = color.RGBA{R: 0x00, G: 0x9E, B: 0x73, A: 0xFF} // bluish green
	ColorRadiomics color.Color = color.RGBA{R: 0x00, G: 0x72, B: 0xB2, A: 0xFF} // blue
	ColorCombined  color.Color = color.RGBA{R: 0xD5, G: 0x5E, B: 0x00, A: 0xFF} // vermillion
	colorTreatAll  color.Color = color.RGBA{R: 0x80, G: 0x80, B: 0x80, A: 0xFF}
	colorReference color.Color = color.RGBA{R: 0x99, G: 0x99, B: 0x99, A: 0xFF}
	colorBenign    color.Color = color.RGBA{R: 0x56, G: 0xB4, B: 0xE9, A: 0xFF} // sky blue
	colorMalignant color.Color = color.RGBA{R: 0xE6, G: 0x9F, B: 0x00, A: 0xFF} // orange
)

// otherColors is used, in order, for models that are none of the three.
var otherColors = []color.Color{
	color.RGBA{R: 0xCC, G: 0x79, B: 0xA7, A: 0xFF},
	color.RGBA{R: 0xE6, G: 0x9F, B: 0x00, A: 0xFF},
	color.RGBA{R: 0x56, G: 0xB4, B: 0xE9, A: 0xFF},
	color.RGBA{R: 0x00, G: 0x00, B: 0x00, A: 0xFF},
	color.RGBA{R: 0x99, G: 0x99, B: 0x33, A: 0xFF},
}

// modelKind classifies a model name: 0 clinical, 1 radiomics, 2 combined,
// -1 other. "Combined"/"nomogram" wins over the other two so that
// "Combined (clinical + radiomics)" is the combined model.
func modelKind(name string) int {
	n := strings.ToLower(name)
	switch {
	case strings.Contains(n, "combin") || strings.Contains(n, "nomogram"):
		return 2
	case strings.Contains(n, "radiom") || strings.Contains(n, "rad-score") || strings.Contains(n, "radscore"):
		return 1
	case strings.Contains(n, "clinic"):
		return 0
	}
	return -1
}

// ModelColor returns the colour a model is drawn in: ColorClinical,
// ColorRadiomics or ColorCombined when its name contains "clinic",
// "radiom" or "combin"/"nomogram" (combined wins), else the i-th of a
// fixed list of other colours.
func ModelColor(name string, i int) color.Color {
	switch modelKind(name) {
	case 0:
		return ColorClinical
	case 1:
		return ColorRadiomics
	case 2:
		return ColorCombined
	}
	if i < 0 {
		i = -i
	}
	return otherColors[i%len(otherColors)]
}

// modelLine returns the line style of a model: its colour and a dash
// pattern (clinical dashed, radiomics dash-dot, combined solid) so the
// curves stay apart in grey-scale print.
func modelLine(name string, i int) draw.LineStyle {
	s := draw.LineStyle{Color: ModelColor(name, i), Width: vg.Points(1.5)}
	switch modelKind(name) {
	case 0:
		s.Dashes = []vg.Length{vg.Points(5), vg.Points(2.5)}
	case 1:
		s.Dashes = []vg.Length{vg.Points(7), vg.Points(2), vg.Points(1.5), vg.Points(2)}
	case -1:
		if i%2 == 1 {
			s.Dashes = []vg.Length{vg.Points(2), vg.Points(2)}
		}
	}
	return s
}

func textStyle(f font.Font, size vg.Length) text.Style {
	return text.Style{
		Color:   color.Black,
		Font:    font.From(f, size),
		XAlign:  draw.XLeft,
		YAlign:  draw.YBottom,
		Handler: plot.DefaultTextHandler,
	}
}

// NewPlot returns an empty plot in the report's style (fonts, sizes,
// paddings) with the given title and axis labels, for figures this package
// does not provide; write it with Save.
func NewPlot(title, xLabel, yLabel string) *plot.Plot {
	p := plot.New()
	p.Title.Text = title
	p.Title.TextStyle.Font = font.From(sansFont, titleSize)
	p.Title.Padding = vg.Points(6)
	p.X.Label.Text = xLabel
	p.Y.Label.Text = yLabel
	for _, a := range []*plot.Axis{&p.X, &p.Y} {
		a.Label.TextStyle.Font = font.From(sansFont, labelSize)
		a.Label.Padding = vg.Points(4)
		a.Tick.Label.Font = font.From(sansFont, tickSize)
		a.Tick.Length = vg.Points(4)
		a.Padding = vg.Points(3)
		a.LineStyle.Width = vg.Points(0.75)
		a.Tick.LineStyle.Width = vg.Points(0.75)
		a.Tick.Marker = trimTicks{}
	}
	p.Legend.TextStyle.Font = font.From(sansFont, legendFont)
	return p
}

// trimTicks is plot.DefaultTicks with labels that drop trailing zeros
// consistently ("0.0", "0.5", "1.0" rather than "0", "0.5", "1").
type trimTicks struct{}

func (trimTicks) Ticks(min, max float64) []plot.Tick {
	t := plot.DefaultTicks{}.Ticks(min, max)
	// the number of decimals the major labels need
	dec := 0
	for _, tk := range t {
		if tk.Label == "" {
			continue
		}
		if i := strings.IndexByte(tk.Label, '.'); i >= 0 && !strings.ContainsAny(tk.Label, "e") {
			if d := len(tk.Label) - i - 1; d > dec {
				dec = d
			}
		}
	}
	for i := range t {
		if t[i].Label != "" && !strings.ContainsAny(t[i].Label, "e") {
			t[i].Label = formatTick(t[i].Value, dec)
		}
	}
	return t
}

// formatTick formats v with dec decimals, without a negative zero.
func formatTick(v float64, dec int) string {
	s := strconv.FormatFloat(v, 'f', dec, 64)
	if strings.Trim(s, "-0.") == "" {
		s = strings.TrimPrefix(s, "-")
	}
	return s
}

// fixedTicks returns major ticks from lo to hi by step, labelled with dec
// decimals, and unlabelled minor ticks every step/minor.
func fixedTicks(lo, hi, step float64, dec, minor int) plot.ConstantTicks {
	var t plot.ConstantTicks
	n := int(math.Round((hi - lo) / step))
	for i := 0; i <= n; i++ {
		v := lo + float64(i)*step
		t = append(t, plot.Tick{Value: v, Label: formatTick(v, dec)})
		if minor > 1 && i < n {
			for j := 1; j < minor; j++ {
				t = append(t, plot.Tick{Value: v + float64(j)*step/float64(minor)})
			}
		}
	}
	return t
}

// niceStep returns a 1-2-5 step that splits span into about n intervals.
func niceStep(span float64, n int) float64 {
	if !(span > 0) {
		return 1
	}
	raw := span / float64(n)
	mag := math.Pow(10, math.Floor(math.Log10(raw)))
	for _, m := range []float64{1, 2, 2.5, 5, 10} {
		if m*mag >= raw {
			return m * mag
		}
	}
	return 10 * mag
}

// decimals returns how many decimals the multiples of step need.
func decimals(step float64) int {
	for d := 0; d < 8; d++ {
		s := step * math.Pow(10, float64(d))
		if math.Abs(s-math.Round(s)) < 1e-9*math.Max(1, s) {
			return d
		}
	}
	return 8
}

// niceAxis sets a's range to [lo, hi] with about n labelled ticks.
func niceAxis(a *plot.Axis, lo, hi float64, n int) {
	niceAxisSnap(a, lo, hi, n, false, false)
}

// niceAxisSnap is niceAxis with the lower and/or upper end moved out to
// the next labelled tick, so that the axis ends on a label.
func niceAxisSnap(a *plot.Axis, lo, hi float64, n int, snapLo, snapHi bool) {
	step := niceStep(hi-lo, n)
	if snapLo {
		lo = math.Floor(lo/step+1e-9) * step
	}
	if snapHi {
		hi = math.Ceil(hi/step-1e-9) * step
	}
	a.Min, a.Max = lo, hi
	first := math.Ceil(lo/step-1e-9) * step
	last := math.Floor(hi/step+1e-9) * step
	a.Tick.Marker = fixedTicks(first, last, step, decimals(step), 1)
}

// ---------------------------------------------------------------------
// Validation.

func checkFinite(what string, xs []float64) error {
	for i, x := range xs {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return fmt.Errorf("figures: %s[%d] = %v is not finite", what, i, x)
		}
	}
	return nil
}

// checkFiniteOrNaN accepts NaN (drawn as a gap) but not ±Inf.
func checkFiniteOrNaN(what string, xs []float64) error {
	for i, x := range xs {
		if math.IsInf(x, 0) {
			return fmt.Errorf("figures: %s[%d] = %v is infinite", what, i, x)
		}
	}
	return nil
}

func checkLen(what string, n, want int) error {
	if n != want {
		return fmt.Errorf("figures: %s has %d values, want %d", what, n, want)
	}
	return nil
}

// minMax returns the range of the non-NaN values of the slices
// (+Inf, -Inf when there are none).
func minMax(xss ...[]float64) (lo, hi float64) {
	lo, hi = math.Inf(1), math.Inf(-1)
	for _, xs := range xss {
		for _, x := range xs {
			if math.IsNaN(x) {
				continue
			}
			lo = math.Min(lo, x)
			hi = math.Max(hi, x)
		}
	}
	return lo, hi
}

// formatAUC formats an AUC with its confidence interval (NaN bounds: no
// interval), e.g. "AUC 0.846 (0.750–0.940)".
func formatAUC(auc, lo, hi float64) string {
	s := "AUC " + strconv.FormatFloat(auc, 'f', 3, 64)
	if !math.IsNaN(lo) && !math.IsNaN(hi) {
		s += " (" + strconv.FormatFloat(lo, 'f', 3, 64) + "\u2013" + strconv.FormatFloat(hi, 'f', 3, 64) + ")"
	}
	return s
}
