package synth

import "math"

// column is the cross-section and endplate geometry of the target body at
// one (x, y) column (§3.1, §6).
type column struct {
	rho, grad  float64 // superellipse ρ0 and |∇ρ0| (1/mm)
	zt0, zb0   float64 // undeformed endplates
	zt, zb     float64 // deformed endplates
	comp       float64 // compaction factor (H0/H_def)^0.3
	dTop, dBot float64 // endplate displacements Δ_top, Δ_bot
}

// crossSection returns ρ0 and |∇ρ0| of the body's axial superellipse with
// the posterior concavity y′ = y − κ·b·(1 − (x/a)²) for y < 0.
func (m *model) crossSection(x, y float64) (rho, grad float64) {
	xa := x / m.a
	yp := y
	if y < 0 {
		yp = y - m.kappa*m.b*math.Max(0, 1-xa*xa)
	}
	X, Y := math.Abs(xa), math.Abs(yp/m.b)
	if X < 1e-12 && Y < 1e-12 {
		return 0, 1 / math.Min(m.a, m.b)
	}
	xn := math.Pow(X, m.n)
	yn := math.Pow(Y, m.n)
	s := xn + yn
	rho = math.Pow(s, 1/m.n)
	// ∂ρ/∂X = X^(n−1)·ρ^(1−n) = (xn/X)·rho/s.
	f := rho / s
	gx, gy := 0.0, 0.0
	if X > 0 {
		gx = xn / X * f / m.a
	}
	if Y > 0 {
		gy = yn / Y * f / m.b
	}
	grad = math.Hypot(gx, gy)
	if grad < 1e-9 {
		grad = 1e-9
	}
	return rho, grad
}

// heightAt is the undeformed body height at y (posterior Hp to anterior Ha).
func (m *model) heightAt(y float64) float64 {
	t := clamp((y+m.b)/(2*m.b), 0, 1)
	return m.hp + (m.ha-m.hp)*t
}

// columnAt evaluates the column geometry at (x, y).
func (m *model) columnAt(x, y float64) column {
	var c column
	c.rho, c.grad = m.crossSection(x, y)
	r := math.Min(c.rho, 1)
	conc := m.e * (1 - r*r)
	h := m.heightAt(y)
	c.zt0 = h/2 - conc
	c.zb0 = -h/2 + conc
	h0 := c.zt0 - c.zb0
	hl := m.hl
	switch m.morph {
	case morphWedge:
		c.dTop = hl * h0 * math.Pow(clamp((y+m.b)/(2*m.b), 0, 1), m.wedgeP)
		if m.wedgeBot {
			c.dBot = 0.2 * c.dTop
		}
	case morphBiconcave:
		c.dTop = 0.5 * hl * h0 * (1 - r*r)
		c.dBot = c.dTop
	case morphCrush:
		c.dTop = hl * h0 * (0.7 + 0.3*(1-r*r))
		c.dBot = 0.1 * hl * h0
	case morphAngled:
		u := m.angU[0]*x/m.a + m.angU[1]*y/m.b
		c.dTop = math.Max(0, hl*h0*(0.5+0.5*u)+waveSum(m.irregular, x, y, 0))
	}
	if tot := c.dTop + c.dBot; tot > 0.85*h0 {
		f := 0.85 * h0 / tot
		c.dTop *= f
		c.dBot *= f
	}
	c.zt = c.zt0 - c.dTop
	c.zb = c.zb0 + c.dBot
	c.comp = math.Pow(h0/(c.zt-c.zb), 0.3)
	return c
}

// cover is the box-filter partial-volume coverage of a voxel whose centre
// is at signed distance d from a surface, h being half the voxel's extent
// along the normal: the overlap of [d−h, d+h] with (−∞, 0], over 2h.
func cover(d, h float64) float64 {
	if d <= -h {
		return 1
	}
	if d >= h {
		return 0
	}
	return (h - d) / (2 * h)
}

// smoothstep is the cubic Hermite step from 0 at e0 to 1 at e1.
func smoothstep(e0, e1, x float64) float64 {
	t := clamp((x-e0)/(e1-e0), 0, 1)
	return t * t * (3 - 2*t)
}

// boxSDF is the signed distance to an axis-aligned box of half sizes hs
// centred at c, with edges rounded by rr (rr ≤ min(hs)).
func boxSDF(x, y, z float64, c, hs [3]float64, rr float64) float64 {
	qx := math.Abs(x-c[0]) - hs[0] + rr
	qy := math.Abs(y-c[1]) - hs[1] + rr
	qz := math.Abs(z-c[2]) - hs[2] + rr
	out := math.Sqrt(sq(math.Max(qx, 0)) + sq(math.Max(qy, 0)) + sq(math.Max(qz, 0)))
	in := math.Min(math.Max(qx, math.Max(qy, qz)), 0)
	return out + in - rr
}

func sq(v float64) float64 { return v * v }

// ellipticCylinder is the signed distance to a finite elliptic cylinder with
// axis from p0 along unit direction dir (in the x-y plane) of length L and
// semi-axes ra (horizontal, perpendicular to the axis) and rb (z).
func ellipticCylinder(x, y, z float64, p0 [3]float64, dir [2]float64, L, ra, rb float64) float64 {
	dx, dy, dz := x-p0[0], y-p0[1], z-p0[2]
	s := dx*dir[0] + dy*dir[1]
	u := -dx*dir[1] + dy*dir[0]
	q := math.Sqrt(sq(u/ra)+sq(dz/rb)) - 1
	dr := q * math.Min(ra, rb)
	return math.Max(dr, math.Max(-s, s-L))
}

// ellipse2 is the approximate signed distance to an infinite elliptic
// cylinder along z with centre (cx, cy) and semi-axes (sa, sb).
func ellipse2(x, y, cx, cy, sa, sb float64) float64 {
	q := math.Sqrt(sq((x-cx)/sa)+sq((y-cy)/sb)) - 1
	return q * math.Min(sa, sb)
}
