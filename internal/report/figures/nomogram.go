package figures

import (
	"errors"
	"fmt"
	"image/color"
	"math"
	"slices"
	"strconv"

	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// NomogramTick is one labelled tick of a nomogram axis.
type NomogramTick struct {
	// Value is what the tick stands for: the predictor's value, the
	// linear predictor or the probability.
	Value float64
	// Label is the tick's text; "" formats Value with %g.
	Label string
	// Points places the tick: predictor points (0..MaxPoints) on a
	// predictor axis, total points on the linear predictor and risk axes.
	Points float64
}

// NomogramAxis is one predictor of a nomogram with its ticks; a binary
// predictor has two ticks (e.g. "No" at 0 points, "Yes" at 37.5).
type NomogramAxis struct {
	Name  string
	Ticks []NomogramTick
}

// NomogramSpec is everything an rms-style nomogram shows, as plain data
// (the caller computes points as rms::nomogram does).
type NomogramSpec struct {
	Title string
	// MaxPoints is the end of the Points axis (0: 100).
	MaxPoints float64
	// Predictors are drawn top to bottom in this order.
	Predictors []NomogramAxis
	// TotalPoints are the labelled ticks of the Total Points axis,
	// increasing; the axis spans the first to the last.
	TotalPoints []float64
	// LinearPredictor (optional) and Risk give their ticks positioned by
	// total points.
	LinearPredictor []NomogramTick
	Risk            []NomogramTick
	// RiskLabel names the risk axis ("" gives "Risk of malignancy").
	RiskLabel string
}

func (t NomogramTick) text() string {
	if t.Label != "" {
		return t.Label
	}
	return strconv.FormatFloat(t.Value, 'g', -1, 64)
}

func (n *NomogramSpec) validate() error {
	if len(n.Predictors) == 0 {
		return errors.New("figures: Nomogram: no predictors")
	}
	maxPts := n.maxPoints()
	if !(maxPts > 0) || math.IsInf(maxPts, 0) {
		return fmt.Errorf("figures: Nomogram: MaxPoints %v", n.MaxPoints)
	}
	tol := 1e-6 * maxPts
	for _, a := range n.Predictors {
		if len(a.Ticks) == 0 {
			return fmt.Errorf("figures: Nomogram: predictor %q has no ticks", a.Name)
		}
		for _, t := range a.Ticks {
			if math.IsNaN(t.Points) || t.Points < -tol || t.Points > maxPts+tol {
				return fmt.Errorf("figures: Nomogram: predictor %q tick %q at %v points is outside [0, %v]", a.Name, t.text(), t.Points, maxPts)
			}
		}
	}
	if len(n.TotalPoints) < 2 {
		return errors.New("figures: Nomogram: need at least 2 total-points ticks")
	}
	if err := checkFinite("Nomogram TotalPoints", n.TotalPoints); err != nil {
		return err
	}
	for i := 1; i < len(n.TotalPoints); i++ {
		if !(n.TotalPoints[i] > n.TotalPoints[i-1]) {
			return errors.New("figures: Nomogram: total-points ticks must increase")
		}
	}
	lo, hi := n.TotalPoints[0], n.TotalPoints[len(n.TotalPoints)-1]
	ttol := 1e-6 * (hi - lo)
	if len(n.Risk) == 0 {
		return errors.New("figures: Nomogram: no risk ticks")
	}
	for _, ax := range []struct {
		name  string
		ticks []NomogramTick
	}{{"linear predictor", n.LinearPredictor}, {"risk", n.Risk}} {
		for _, t := range ax.ticks {
			if math.IsNaN(t.Points) || t.Points < lo-ttol || t.Points > hi+ttol {
				return fmt.Errorf("figures: Nomogram: %s tick %q at %v total points is outside the total-points axis [%v, %v]", ax.name, t.text(), t.Points, lo, hi)
			}
		}
	}
	return nil
}

func (n *NomogramSpec) maxPoints() float64 {
	if n.MaxPoints == 0 {
		return 100
	}
	return n.MaxPoints
}

// Nomogram layout constants.
const (
	nomoRow     = 0.46 * vg.Inch
	nomoTick    = vg.Length(4)
	nomoMargin  = vg.Length(12)
	nomoNameGap = vg.Length(14)
)

// Nomogram writes an rms-style nomogram: a Points axis (0 to MaxPoints) at
// the top with faint vertical guides, one axis per predictor with its tick
// values placed by points (labels that would collide go under the line),
// then the Total Points, optional Linear Predictor and risk axes, whose
// ticks are placed by total points. Default size 7.5 in wide, 0.46 in per
// axis high.
func Nomogram(n NomogramSpec, out Output) error {
	if err := n.validate(); err != nil {
		return err
	}
	riskLabel := n.RiskLabel
	if riskLabel == "" {
		riskLabel = "Risk of malignancy"
	}
	type row struct {
		name  string
		ticks []NomogramTick
		total bool // positioned by total points
		minor bool // the points axis: minor ticks
	}
	maxPts := n.maxPoints()
	step := niceStep(maxPts, 10)
	var pts []NomogramTick
	for v := 0.0; v <= maxPts*(1+1e-9); v += step {
		pts = append(pts, NomogramTick{Value: v, Label: formatTick(v, decimals(step)), Points: v})
	}
	rows := []row{{name: "Points", ticks: pts, minor: true}}
	for _, a := range n.Predictors {
		rows = append(rows, row{name: a.Name, ticks: a.Ticks})
	}
	var tot []NomogramTick
	dec := 0
	for _, v := range n.TotalPoints {
		dec = max(dec, decimals(v))
	}
	for _, v := range n.TotalPoints {
		tot = append(tot, NomogramTick{Value: v, Label: formatTick(v, min(dec, 3)), Points: v})
	}
	rows = append(rows, row{name: "Total Points", ticks: tot, total: true})
	if len(n.LinearPredictor) > 0 {
		rows = append(rows, row{name: "Linear Predictor", ticks: n.LinearPredictor, total: true})
	}
	rows = append(rows, row{name: riskLabel, ticks: n.Risk, total: true})

	nameSty := textStyle(sansFont, labelSize)
	nameSty.XAlign = draw.XRight
	nameSty.YAlign = draw.YCenter
	tickSty := textStyle(sansFont, tickSize)
	tickSty.XAlign = draw.XCenter
	titleSty := textStyle(sansFont, titleSize)
	titleSty.XAlign = draw.XCenter
	titleSty.YAlign = draw.YTop

	var nameW vg.Length
	for _, r := range rows {
		nameW = max(nameW, nameSty.Width(r.name))
	}
	titleH := vg.Length(0)
	if n.Title != "" {
		titleH = titleSty.Height(n.Title) + 8
	}
	w, h := out.size(7.5*vg.Inch, titleH+nomoRow*vg.Length(len(rows))+2*nomoMargin)
	totLo, totHi := n.TotalPoints[0], n.TotalPoints[len(n.TotalPoints)-1]

	line := draw.LineStyle{Color: color.Black, Width: vg.Points(0.75)}
	guide := draw.LineStyle{Color: color.Gray{Y: 0xD8}, Width: vg.Points(0.5)}
	fig := drawFunc(func(c draw.Canvas) {
		c.SetColor(color.White)
		c.Fill(c.Rectangle.Path())
		top := c.Max.Y - nomoMargin
		if n.Title != "" {
			c.FillText(titleSty, vg.Point{X: (c.Min.X + c.Max.X) / 2, Y: top}, n.Title)
			top -= titleH
		}
		x0 := c.Min.X + nomoMargin + nameW + nomoNameGap
		// leave room for half of the widest right-most label
		var rightLab vg.Length
		for _, r := range rows {
			rightLab = max(rightLab, tickSty.Width(r.ticks[len(r.ticks)-1].text())/2)
		}
		x1 := c.Max.X - nomoMargin - rightLab
		xPts := func(p float64) vg.Length { return x0 + vg.Length(p/maxPts)*(x1-x0) }
		xTot := func(p float64) vg.Length { return x0 + vg.Length((p-totLo)/(totHi-totLo))*(x1-x0) }
		// the line of row i is 40% down its slot: labels above, room below
		yRow := func(i int) vg.Length { return top - nomoRow*(vg.Length(i)+0.62) }

		// vertical guides from the Points axis through the predictor rows
		yLast := yRow(len(n.Predictors))
		for v := 0.0; v <= maxPts*(1+1e-9); v += step / 2 {
			c.StrokeLine2(guide, xPts(v), yRow(0), xPts(v), yLast-nomoRow*0.3)
		}
		for i, r := range rows {
			y := yRow(i)
			c.FillText(nameSty, vg.Point{X: x0 - nomoNameGap, Y: y}, r.name)
			pos := func(t NomogramTick) vg.Length {
				if r.total {
					return xTot(t.Points)
				}
				return xPts(t.Points)
			}
			ticks := slices.Clone(r.ticks)
			slices.SortStableFunc(ticks, func(a, b NomogramTick) int { return cmpFloat(a.Points, b.Points) })
			c.StrokeLine2(line, pos(ticks[0]), y, pos(ticks[len(ticks)-1]), y)
			if r.minor {
				for v := 0.0; v <= maxPts*(1+1e-9); v += step / 5 {
					c.StrokeLine2(line, xPts(v), y, xPts(v), y+nomoTick/2)
				}
			}
			drawNomoTicks(c, ticks, pos, y, line, tickSty)
		}
	})
	return save(fig, w, h, out)
}

// drawNomoTicks draws the ticks of one nomogram axis at height y: tick
// marks up with labels above, except that a label that would overlap the
// previous label above goes below the line with its tick mark down.
func drawNomoTicks(c draw.Canvas, ticks []NomogramTick, pos func(NomogramTick) vg.Length, y vg.Length, line draw.LineStyle, sty text.Style) {
	gap := sty.Width(" ")
	lastAbove, lastBelow := vg.Length(math.Inf(-1)), vg.Length(math.Inf(-1))
	for _, t := range ticks {
		x := pos(t)
		lab := t.text()
		lw := sty.Width(lab)
		above := x-lw/2 >= lastAbove+gap
		if !above && x-lw/2 < lastBelow+gap {
			// both places taken: keep it above (rare; ticks too dense)
			above = true
		}
		s := sty
		if above {
			c.StrokeLine2(line, x, y, x, y+nomoTick)
			s.YAlign = draw.YBottom
			c.FillText(s, vg.Point{X: x, Y: y + nomoTick + 1.5}, lab)
			lastAbove = x + lw/2
		} else {
			c.StrokeLine2(line, x, y, x, y-nomoTick)
			s.YAlign = draw.YTop
			c.FillText(s, vg.Point{X: x, Y: y - nomoTick - 1.5}, lab)
			lastBelow = x + lw/2
		}
	}
}
