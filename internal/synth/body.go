package synth

import "math"

// body paints the target vertebral body with its texture, deformation,
// signs and lesions (§3.1, §5–§7), and rasterises both readers' masks (§9).
func (r *renderer) body() {
	g, m := r.g, r.m
	plane := g.nx * g.ny
	hmax := math.Max(m.hp, m.ha)/2 + 2
	ext := 3 + m.bulge + m.haemTh
	i0, i1 := span(g.xs, -m.a-ext, m.a+ext)
	j0, j1 := span(g.ys, -m.b-ext-6, m.b+ext)
	k0, k1 := span(g.zs, -hmax, hmax)
	sqrt125 := math.Sqrt(1.25)
	var retroTop float64
	if m.retro != nil {
		rc := m.columnAt((m.retro[0][0]+m.retro[0][1])/2, m.retro[1][1])
		retroTop = rc.zt
	}
	var schC [3]float64
	if s := m.schmorl; s != nil {
		c := m.columnAt(s[0], s[1])
		schC = [3]float64{s[0], s[1], pick(s[3] > 0, c.zt, c.zb)}
	}
	for j := j0; j <= j1; j++ {
		y := g.ys[j]
		for i := i0; i <= i1; i++ {
			x := g.xs[i]
			c := i + g.nx*j
			col := &r.cols[c]
			if col.rho > 2 {
				continue
			}
			hDef := col.zt - col.zb
			tSide := m.tPost + (m.tAnt-m.tPost)*clamp((y/m.b+1)/2, 0, 1)
			for k := k0; k <= k1; k++ {
				z := g.zs[k]
				idx := c + k*plane
				t := (z - col.zb) / hDef
				tc := clamp(t, 0, 1)
				u := 2*tc - 1
				w := 1 - m.omega*(1-u*u)
				dRad0 := (col.rho - w) / col.grad
				dRad := dRad0
				// Convex posterior border: the contour moves back.
				bulgeFill := 0.0
				if m.bulge > 0 && y < 0 {
					xb := x / (0.6 * m.a)
					amt := m.bulge * math.Max(0, 1-xb*xb) * math.Max(0, 1-u*u) * clamp((-y/m.b-0.5)/0.4, 0, 1)
					if amt > 0 {
						dRad -= amt
						bulgeFill = 1 - cover(dRad0, r.hxy)
					}
				}
				// Steps of posterior-wall and puzzle fractures.
				for gi := range m.gaps {
					gp := &m.gaps[gi]
					if gp.step <= 0 {
						continue
					}
					pn := gp.n[0]*x + gp.n[1]*y - gp.d0
					if pn > 0 && pn < 8 && gp.dir[0]*x+gp.dir[1]*y > 0 && (gp.zFromTop == 0 || z > col.zt-gp.zFromTop) {
						dRad += gp.step
					}
				}
				dTop, dBot := z-col.zt, col.zb-z
				d, h, tSh := dRad, r.hxy, tSide
				if dTop > d {
					d, h, tSh = dTop, r.hz, m.tEnd
				}
				if dBot > d {
					d, h, tSh = dBot, r.hz, m.tEnd
				}
				if m.retro != nil {
					b := m.retro
					dr := boxSDF(x, y, z, [3]float64{(b[0][0] + b[0][1]) / 2, (b[1][0] + b[1][1]) / 2, retroTop + (b[2][0]+b[2][1])/2},
						[3]float64{(b[0][1] - b[0][0]) / 2, (b[1][1] - b[1][0]) / 2, (b[2][1] - b[2][0]) / 2}, 0.8)
					if dr < d {
						d, h, tSh = dr, r.hxy, tSide
					}
				}
				if bulgeFill > 0 {
					tSh *= 0.5
				}
				r.dBody[idx] = float32(d)
				if d <= 0 {
					r.mask[idx] = 1
				}
				if math.Abs(d) < 4 {
					if d+waveSum(m.r2Field, x, y, z)+m.r2Offset <= 0 {
						r.mask2[idx] = 1
					}
				} else if d < 0 {
					r.mask2[idx] = 1
				}
				// Thin paravertebral haematoma over the anterior two thirds.
				if m.haemTh > 0 && dRad > -h && y > -m.b/3 && t > 0 && t < 1 {
					r.paint(idx, cover(dRad-m.haemTh, r.hxy), m.haemHU, LabelHaematoma)
				}
				if d > h {
					continue
				}
				// Cancellous value, sampled in undeformed coordinates.
				z0 := col.zb0 + tc*(col.zt0-col.zb0)
				t1, t2 := r.texAt(c, z0)
				canc := (m.bg + m.texSD*(t1+0.5*t2)/sqrt125) * col.comp
				if m.bandDepth > 0 {
					depth := col.zt - z
					bd := m.bandDepth + waveSum(m.bandPert, x, y, 0)
					canc += m.bandHU * (1 - smoothstep(bd-0.5, bd+0.5, depth))
				}
				for li := range m.lines {
					l := &m.lines[li]
					dist := math.Abs(l.n[0]*x + l.n[1]*y + l.n[2]*z - l.d)
					canc += l.hu * (1 - smoothstep(l.th/2-0.3, l.th/2+0.3, dist))
				}
				if hm := m.hemangioma; hm != nil {
					dist := math.Sqrt(sq(x-hm.c[0]) + sq(y-hm.c[1]) + sq(z0-hm.c[2]))
					if wv := 1 - smoothstep(hm.r-0.5, hm.r+0.5, dist); wv > 0 {
						lx := math.Mod(x-hm.offX+100*hm.spacing, hm.spacing) - hm.spacing/2
						ly := math.Mod(y-hm.offY+100*hm.spacing, hm.spacing) - hm.spacing/2
						hv := hm.bgHU + (hm.rodHU-hm.bgHU)*cover(math.Hypot(lx, ly)-hm.rodR, r.hxy)
						canc += wv * (hv - canc)
					}
				}
				lesW, lesHU, breachW := r.lesionAt(x, y, z0, t1, t2)
				canc += lesW * (lesHU - canc)
				if bulgeFill > 0 {
					canc += bulgeFill * (m.bulgeHU - canc)
					if m.bulgeHU == m.haemHU { // benign: half cancellous, half haematoma
						canc += 0.5 * bulgeFill * (canc - m.bulgeHU)
					}
				}
				shellHU := m.cortex
				if m.schmorl != nil {
					ds := math.Sqrt(sq(x-schC[0])+sq(y-schC[1])+sq(z-schC[2])) - m.schmorl[2]
					canc += cover(ds-1, r.hxy) * (m.bg + 200 - canc)
					cs := cover(ds, r.hxy)
					canc += cs * (m.disc - canc)
					shellHU += cs * (m.disc - shellHU)
				}
				if e := m.cleft; e != nil {
					de := e.sdf(x, y, z)
					if de < 2.5 {
						canc += cover(de-1.5, r.hxy) * (150 - canc)
						canc += cover(de, r.hxy) * (-950 - canc)
					}
				}
				for gi := range m.gaps {
					gp := &m.gaps[gi]
					pn := gp.n[0]*x + gp.n[1]*y - gp.d0
					if gp.dir[0]*x+gp.dir[1]*y <= 0 || (gp.zFromTop > 0 && z < col.zt-gp.zFromTop) {
						continue
					}
					if wg := 1 - smoothstep(gp.width/2-0.3, gp.width/2+0.3, math.Abs(pn)); wg > 0 {
						fill := gp.fillHU
						if math.IsNaN(fill) {
							fill = canc
						}
						shellHU += wg * (fill - shellHU)
					}
				}
				if m.breach && breachW > 0 {
					shellHU += breachW * (canc - shellHU)
				}
				lab := uint8(LabelBody)
				if lesW >= 0.5 {
					lab = LabelLesion
				}
				r.paint(idx, cover(d, h), shellHU, lab)
				r.img[idx] += cover(d+tSh, h) * (canc - r.img[idx])
			}
		}
	}
}

// lesionAt returns the combined lesion weight and HU at an undeformed point,
// and the weight of the lesions dilated by 1 mm (for cortical breach).
func (r *renderer) lesionAt(x, y, z, t1, t2 float64) (w, hu, breach float64) {
	m := r.m
	if len(m.foci) == 0 {
		return 0, 0, 0
	}
	keep, keepB := 1.0, 1.0
	var sw, shu float64
	for fi := range m.foci {
		f := &m.foci[fi]
		ux, uy, uz := (x-f.c[0])*f.inv[0], (y-f.c[1])*f.inv[1], (z-f.c[2])*f.inv[2]
		q := math.Sqrt(ux*ux + uy*uy + uz*uz)
		lim := 1 + 0.5 + (f.width/2+1)/f.rMean
		if q > lim {
			continue
		}
		var mod float64
		if q > 1e-9 {
			mod = waveSum(f.mod, ux/q, uy/q, uz/q)
		}
		dl := (q - 1 - mod) * f.rMean
		wl := 1 - smoothstep(-f.width/2, f.width/2, dl)
		wb := 1 - smoothstep(-f.width/2, f.width/2, dl-1)
		if wl > 0 {
			tx := t1
			if f.blastic {
				tx = t2
			}
			keep *= 1 - wl
			sw += wl
			shu += wl * (f.hu + f.texSD*tx)
		}
		keepB *= 1 - wb
	}
	if sw == 0 {
		return 0, 0, 1 - keepB
	}
	return 1 - keep, shu / sw, 1 - keepB
}
