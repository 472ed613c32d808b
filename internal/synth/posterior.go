package synth

import "math"

// peFrame returns the shared landmarks of the posterior elements: the y of
// the canal's back wall and the z of the pedicle axes.
func (m *model) peFrame() (yCanalBack, zPed float64) {
	return m.postWallY(0) - m.canalAP, 0.05 * m.hp
}

// aabb is an axis-aligned bounding box in the model frame.
type aabb struct{ lo, hi [3]float64 }

func (b *aabb) grow(p [3]float64, r float64) {
	for a := 0; a < 3; a++ {
		b.lo[a] = math.Min(b.lo[a], p[a]-r)
		b.hi[a] = math.Max(b.hi[a], p[a]+r)
	}
}

func (b *aabb) far(x, y, z, margin float64) bool {
	return x < b.lo[0]-margin || x > b.hi[0]+margin || y < b.lo[1]-margin || y > b.hi[1]+margin || z < b.lo[2]-margin || z > b.hi[2]+margin
}

func emptyBox() aabb {
	inf := math.Inf(1)
	return aabb{lo: [3]float64{inf, inf, inf}, hi: [3]float64{-inf, -inf, -inf}}
}

// cyl is a finite elliptic cylinder along a horizontal axis.
type cyl struct {
	p0     [3]float64
	dir    [2]float64
	L      float64
	ra, rb float64
	box    aabb
}

func newCyl(p0 [3]float64, dir [2]float64, L, ra, rb float64) cyl {
	c := cyl{p0: p0, dir: dir, L: L, ra: ra, rb: rb, box: emptyBox()}
	r := math.Max(ra, rb)
	c.box.grow(p0, r)
	c.box.grow([3]float64{p0[0] + L*dir[0], p0[1] + L*dir[1], p0[2]}, r)
	return c
}

func (c *cyl) sdf(x, y, z float64) float64 {
	if c.box.far(x, y, z, 2) {
		return 2
	}
	return ellipticCylinder(x, y, z, c.p0, c.dir, c.L, c.ra, c.rb)
}

// peGeom holds the posterior-element primitives (§3.3).
type peGeom struct {
	ped        [2]cyl
	tp         [2]cyl
	lamC, lamH [3]float64
	lamBox     aabb
	spO        [2]float64 // origin (y, z) of the spinous process
	spS, spC   float64
	spBox      aabb
	all        aabb
}

// peGeom builds the posterior-element primitives of m.
func (m *model) peGeom() *peGeom {
	pe := &peGeom{}
	yBack, zp := m.peFrame()
	sn, cs := math.Sin(m.pedConv), math.Cos(m.pedConv)
	yLam := yBack - m.lamTh/2
	t15s, t15c := math.Sin(15*math.Pi/180), math.Cos(15*math.Pi/180)
	for si, s := range [2]float64{-1, 1} {
		x0 := s * (m.canalW/2 + m.pedW/2)
		y0 := m.postWallY(x0) + 3
		L := math.Max(m.pedLen, (y0-yLam)/cs)
		pe.ped[si] = newCyl([3]float64{x0, y0, zp}, [2]float64{s * sn, -cs}, L, m.pedW/2, m.pedH/2)
		p0 := [3]float64{s * (m.canalW/2 + m.pedW*0.5), yBack + 0.3*m.canalAP, zp}
		pe.tp[si] = newCyl(p0, [2]float64{s * t15c, -t15s}, m.pedW+m.tpLen, m.tpDiam/2, m.tpDiam/2)
	}
	pe.lamC = [3]float64{0, yLam, zp - 1}
	pe.lamH = [3]float64{m.canalW/2 + m.pedW*0.8, m.lamTh / 2, m.pedH/2 + 2}
	pe.lamBox = emptyBox()
	pe.lamBox.grow(pe.lamC, 0)
	for a := 0; a < 3; a++ {
		pe.lamBox.lo[a] -= pe.lamH[a]
		pe.lamBox.hi[a] += pe.lamH[a]
	}
	pe.spO = [2]float64{yBack - m.lamTh + 2, zp - 1}
	pe.spS, pe.spC = math.Sin(m.spIncl), math.Cos(m.spIncl)
	pe.spBox = emptyBox()
	for _, s := range [2]float64{0, m.spLen} {
		for _, v := range [2]float64{-m.spH / 2, m.spH / 2} {
			// Inverse of s = −ly·c − lz·s, v = −ly·s + lz·c.
			ly := -s*pe.spC - v*pe.spS
			lz := -s*pe.spS + v*pe.spC
			pe.spBox.grow([3]float64{0, pe.spO[0] + ly, pe.spO[1] + lz}, 0)
		}
	}
	pe.spBox.lo[0], pe.spBox.hi[0] = -m.spW/2, m.spW/2
	pe.all = emptyBox()
	for _, b := range []aabb{pe.ped[0].box, pe.ped[1].box, pe.tp[0].box, pe.tp[1].box, pe.lamBox, pe.spBox} {
		pe.all.grow(b.lo, 0)
		pe.all.grow(b.hi, 0)
	}
	return pe
}

// sdf returns the signed distances to the left/right pedicles and to the
// other posterior elements (laminae, spinous and transverse processes);
// distances beyond 2 mm are reported as 2.
func (pe *peGeom) sdf(m *model, x, y, z float64) (dl, dr, other float64) {
	dl = pe.ped[0].sdf(x, y, z)
	dr = pe.ped[1].sdf(x, y, z)
	other = math.Min(pe.tp[0].sdf(x, y, z), pe.tp[1].sdf(x, y, z))
	if !pe.lamBox.far(x, y, z, 2) {
		other = math.Min(other, boxSDF(x, y, z, pe.lamC, pe.lamH, 1))
	}
	if !pe.spBox.far(x, y, z, 2) {
		ly, lz := y-pe.spO[0], z-pe.spO[1]
		s := -ly*pe.spC - lz*pe.spS // along the process (posterior-caudal)
		v := -ly*pe.spS + lz*pe.spC
		other = math.Min(other, boxSDF(x, s, v, [3]float64{0, m.spLen / 2, 0}, [3]float64{m.spW / 2, m.spLen / 2, m.spH / 2}, 1.5))
	}
	return dl, dr, other
}

// posterior paints the target's posterior elements (§3.3) outside the body.
func (r *renderer) posterior() {
	g, m := r.g, r.m
	plane := g.nx * g.ny
	pe := m.peGeom()
	i0, i1 := span(g.xs, pe.all.lo[0]-2, pe.all.hi[0]+2)
	j0, j1 := span(g.ys, pe.all.lo[1]-2, pe.all.hi[1]+2)
	k0, k1 := span(g.zs, pe.all.lo[2]-2, pe.all.hi[2]+2)
	sqrt125 := math.Sqrt(1.25)
	for k := k0; k <= k1; k++ {
		z := g.zs[k]
		for j := j0; j <= j1; j++ {
			y := g.ys[j]
			for i := i0; i <= i1; i++ {
				x := g.xs[i]
				idx := i + g.nx*j + k*plane
				dl, dr, do := pe.sdf(m, x, y, z)
				d := math.Min(do, math.Min(dl, dr))
				if d > r.hxy {
					continue
				}
				outside := 1 - cover(float64(r.dBody[idx]), r.hxy)
				if outside <= 0 {
					continue
				}
				t1, t2 := r.texAt(i+g.nx*j, z)
				canc := m.bg + m.peOffset + m.texSD*(t1+0.5*t2)/sqrt125
				cortex, tc := m.cortex, m.peCortex
				les := 0.0
				if m.pedLesion[0] {
					les = math.Max(les, cover(dl, r.hxy))
				}
				if m.pedLesion[1] {
					les = math.Max(les, cover(dr, r.hxy))
				}
				if les > 0 {
					canc += les * (m.pedLesionHU + 10*t1 - canc)
					cortex += 0.5 * les * (m.pedLesionHU - cortex)
					tc -= les * (tc - 0.3)
				}
				r.paint(idx, outside*cover(d, r.hxy), cortex, LabelPosterior)
				r.img[idx] += outside * cover(d+tc, r.hxy) * (canc - r.img[idx])
			}
		}
	}
}

// canal paints the thecal sac and cord (§3.3) and the epidural mass.
func (r *renderer) canal() {
	g, m := r.g, r.m
	plane := g.nx * g.ny
	yBack, _ := m.peFrame()
	shift := 0.0
	if m.epidural != nil {
		shift = m.epidural.semi[1]
	}
	cy := (m.postWallY(0)+yBack)/2 - 0.5 - shift
	sa, sb := m.canalW/2-2.5, m.canalAP/2-2
	cord := m.cord > 0 && (r.pt.Level == "T11" || r.pt.Level == "T12" || r.pt.Level == "L1")
	j0, j1 := span(g.ys, yBack-2, m.postWallY(0)+1)
	i0, i1 := span(g.xs, -m.canalW/2-1, m.canalW/2+1)
	for k, z := range g.zs {
		for j := j0; j <= j1; j++ {
			y := g.ys[j]
			for i := i0; i <= i1; i++ {
				x := g.xs[i]
				idx := i + g.nx*j + k*plane
				outside := 1 - cover(float64(r.dBody[idx]), r.hxy)
				r.paint(idx, outside*cover(ellipse2(x, y, 0, cy, sa, sb), r.hxy), m.csf, LabelCanal)
				if cord {
					r.paint(idx, outside*cover(ellipse2(x, y, 0, cy+0.5, 4, 3), r.hxy), m.cord, LabelCanal)
				}
				if e := m.epidural; e != nil {
					r.paint(idx, outside*cover(e.sdf(x, y, z), r.hxy), m.epiHU, LabelTumour)
				}
			}
		}
	}
}

// extraosseous paints the focal paravertebral mass outside the body.
func (r *renderer) extraosseous() {
	e := r.m.mass
	if e == nil {
		return
	}
	g := r.g
	plane := g.nx * g.ny
	R := math.Max(e.semi[0], math.Max(e.semi[1], e.semi[2])) + 1
	i0, i1 := span(g.xs, e.c[0]-R, e.c[0]+R)
	j0, j1 := span(g.ys, e.c[1]-R, e.c[1]+R)
	k0, k1 := span(g.zs, e.c[2]-R, e.c[2]+R)
	for k := k0; k <= k1; k++ {
		for j := j0; j <= j1; j++ {
			for i := i0; i <= i1; i++ {
				idx := i + g.nx*j + k*plane
				outside := 1 - cover(float64(r.dBody[idx]), r.hxy)
				r.paint(idx, outside*cover(e.sdf(g.xs[i], g.ys[j], g.zs[k]), r.hxy), r.m.massHU, LabelTumour)
			}
		}
	}
}

// keepLargest keeps the largest 26-connected component of a 0/1 mask
// (ties: the component met first in index order).
func keepLargest(mask []uint8, nx, ny, nz int) {
	comp := make([]int32, len(mask))
	var queue []int
	best, bestSize := int32(0), 0
	next := int32(0)
	plane := nx * ny
	for s := range mask {
		if mask[s] == 0 || comp[s] != 0 {
			continue
		}
		next++
		comp[s] = next
		queue = append(queue[:0], s)
		size := 0
		for len(queue) > 0 {
			p := queue[len(queue)-1]
			queue = queue[:len(queue)-1]
			size++
			x, y, z := p%nx, (p/nx)%ny, p/plane
			for dz := -1; dz <= 1; dz++ {
				zz := z + dz
				if zz < 0 || zz >= nz {
					continue
				}
				for dy := -1; dy <= 1; dy++ {
					yy := y + dy
					if yy < 0 || yy >= ny {
						continue
					}
					for dx := -1; dx <= 1; dx++ {
						xx := x + dx
						if xx < 0 || xx >= nx {
							continue
						}
						q := xx + nx*yy + plane*zz
						if mask[q] != 0 && comp[q] == 0 {
							comp[q] = next
							queue = append(queue, q)
						}
					}
				}
			}
		}
		if size > bestSize {
			best, bestSize = next, size
		}
	}
	for i := range mask {
		if mask[i] != 0 && comp[i] != best {
			mask[i] = 0
		}
	}
}
