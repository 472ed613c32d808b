package synth

import (
	"errors"
	"fmt"
	"math"

	"github.com/spinerad/spinerad/internal/volume"
)

// Label values of the QA label map (§9).
const (
	LabelBody      = 1
	LabelLesion    = 2
	LabelPosterior = 3
	LabelTumour    = 4
	LabelHaematoma = 5
	LabelDisc      = 6
	LabelNeighbour = 7
	LabelCanal     = 8
	LabelMuscle    = 9
	LabelFat       = 10
)

// Case is one rendered case: the int16 HU CT, the uint8 reader-1 and
// reader-2 body masks and (when requested) the label map.
type Case struct {
	Patient *Patient
	CT      *volume.Image
	Mask    *volume.Image
	MaskR2  *volume.Image
	Labels  *volume.Image // nil unless labels were requested
	Stats   CaseStats
}

// CaseStats are measured QA values of a rendered case.
type CaseStats struct {
	MaskVoxels, MaskR2Voxels int
	// Dice is the reader-1 vs reader-2 Dice coefficient.
	Dice float64
	// LesionVoxelFraction is the fraction of mask voxels labelled lesion.
	LesionVoxelFraction float64
}

// grid is the voxel grid with the model-frame coordinate of every index:
// model x = −LPS x (patient right), model y = −LPS y (anterior), z = LPS z.
type grid struct {
	geo        volume.Geometry
	nx, ny, nz int
	dx, dz     float64
	xs, ys, zs []float64
}

func f32(v float64) float64 { return float64(float32(v)) }

// newGrid builds the grid of p. Spacing and origin are float32 values, so
// they survive the NIfTI-1 header exactly.
func newGrid(p Params) grid {
	var g grid
	g.nx, g.ny, g.nz = p.Size[0], p.Size[1], p.Size[2]
	sp := [3]float64{f32(p.Spacing[0]), f32(p.Spacing[1]), f32(p.Spacing[2])}
	org := [3]float64{
		f32(-float64(g.nx-1) * sp[0] / 2),
		f32(-(p.YRange[1] - sp[1]/2)),
		f32(-float64(g.nz-1) * sp[2] / 2),
	}
	g.geo = volume.Geometry{Size: p.Size, Spacing: sp, Origin: org, Direction: volume.Identity}
	g.dx, g.dz = sp[0], sp[2]
	g.xs = make([]float64, g.nx)
	for i := range g.xs {
		g.xs[i] = -(org[0] + float64(i)*sp[0])
	}
	g.ys = make([]float64, g.ny)
	for j := range g.ys {
		g.ys[j] = -(org[1] + float64(j)*sp[1])
	}
	g.zs = make([]float64, g.nz)
	for k := range g.zs {
		g.zs[k] = org[2] + float64(k)*sp[2]
	}
	return g
}

// span returns the inclusive index range whose coordinates lie in [lo, hi]
// (empty when i0 > i1).
func span(cs []float64, lo, hi float64) (int, int) {
	i0, i1 := len(cs), -1
	for i, c := range cs {
		if c >= lo && c <= hi {
			i0 = min(i0, i)
			i1 = max(i1, i)
		}
	}
	return i0, i1
}

// renderer holds one case's buffers.
type renderer struct {
	g      grid
	m      *model
	pt     *Patient
	img    []float64
	lab    []uint8
	mask   []uint8
	mask2  []uint8
	dBody  []float32
	t1, t2 []float64
	cols   []column
	hxy    float64 // half voxel extent in plane
	hz     float64 // half voxel extent along z
}

// Render draws the images of patient pt of cohort c (§3–§9). It is safe to
// call concurrently for different patients.
func (c *Cohort) Render(pt *Patient, labels bool) (*Case, error) {
	if pt == nil || pt.m == nil {
		return nil, errors.New("synth: patient was not drawn by Generate")
	}
	return render(pt, c.Options, labels, true)
}

func render(pt *Patient, opt Options, labels, noise bool) (*Case, error) {
	g := newGrid(opt.Params)
	m := pt.m
	n := g.nx * g.ny * g.nz
	r := &renderer{g: g, m: m, pt: pt, img: make([]float64, n), lab: make([]uint8, n),
		mask: make([]uint8, n), mask2: make([]uint8, n), dBody: make([]float32, n),
		hxy: 0.5 * g.dx, hz: 0.5 * g.dz}
	for i := range r.dBody {
		r.dBody[i] = math.MaxFloat32
	}
	f := newFilterer(g.nx, g.ny, g.nz)
	// Texture: two octaves of Gaussian-filtered white noise (§5), each
	// normalised to unit variance analytically.
	tr := newStream(opt.Seed, pt.Index, streamTexture)
	r.t1 = make([]float64, n)
	r.t2 = make([]float64, n)
	sp := g.geo.Spacing
	for o, buf := range [][]float64{r.t1, r.t2} {
		sxy, sz := 0.5, 0.9
		if o == 1 {
			sxy, sz = 1.5, 1.5
		}
		kx, ky, kz := gaussKernel(sxy/sp[0]), gaussKernel(sxy/sp[1]), gaussKernel(sz/sp[2])
		whiteNoise(tr, buf)
		f.gauss3(buf, kx, ky, kz)
		s := 1 / math.Sqrt(kernelDot(kx, kx)*kernelDot(ky, ky)*kernelDot(kz, kz))
		for i := range buf {
			buf[i] *= s
		}
	}
	r.cols = make([]column, g.nx*g.ny)
	for j, y := range g.ys {
		for i, x := range g.xs {
			r.cols[i+g.nx*j] = m.columnAt(x, y)
		}
	}
	r.softTissue()
	r.neighbours()
	r.body()
	r.posterior()
	r.canal()
	r.extraosseous()
	keepLargest(r.mask, g.nx, g.ny, g.nz)
	keepLargest(r.mask2, g.nx, g.ny, g.nz)

	// PSF (§8): in-plane FWHM, σ_z = 0.3·slice thickness.
	sxy := m.fwhm / 2.355
	f.gauss3(r.img, gaussKernel(sxy/sp[0]), gaussKernel(sxy/sp[1]), gaussKernel(0.3*sp[2]/sp[2]))
	ct := volume.New(g.geo, volume.Int16)
	if noise {
		// Band-pass noise: G_0.35mm*w − 0.5·G_1.0mm*w, unit SD, times σ_n.
		nr := newStream(opt.Seed, pt.Index, streamNoise)
		w1 := make([]float64, n)
		whiteNoise(nr, w1)
		w2 := append([]float64(nil), w1...)
		k1 := [3][]float64{gaussKernel(0.35 / sp[0]), gaussKernel(0.35 / sp[1]), gaussKernel(0.35 / sp[2])}
		k2 := [3][]float64{gaussKernel(1.0 / sp[0]), gaussKernel(1.0 / sp[1]), gaussKernel(1.0 / sp[2])}
		f.gauss3(w1, k1[0], k1[1], k1[2])
		f.gauss3(w2, k2[0], k2[1], k2[2])
		v11, v12, v22 := 1.0, 1.0, 1.0
		for a := 0; a < 3; a++ {
			v11 *= kernelDot(k1[a], k1[a])
			v12 *= kernelDot(k1[a], k2[a])
			v22 *= kernelDot(k2[a], k2[a])
		}
		s := m.sigmaN / math.Sqrt(v11-v12+0.25*v22)
		for i := range r.img {
			r.img[i] += s * (w1[i] - 0.5*w2[i])
		}
	}
	for i, v := range r.img {
		ct.Data[i] = clamp(math.Round(v), -1024, 3071)
	}
	cs := &Case{Patient: pt, CT: ct, Mask: volume.New(g.geo, volume.UInt8), MaskR2: volume.New(g.geo, volume.UInt8)}
	var n1, n2, both, les int
	for i := range r.mask {
		cs.Mask.Data[i] = float64(r.mask[i])
		cs.MaskR2.Data[i] = float64(r.mask2[i])
		n1 += int(r.mask[i])
		n2 += int(r.mask2[i])
		both += int(r.mask[i] & r.mask2[i])
		if r.mask[i] != 0 && r.lab[i] == LabelLesion {
			les++
		}
	}
	if n1 == 0 {
		return nil, fmt.Errorf("synth: %s: empty body mask", pt.ID)
	}
	cs.Stats = CaseStats{MaskVoxels: n1, MaskR2Voxels: n2, Dice: 2 * float64(both) / float64(n1+n2), LesionVoxelFraction: float64(les) / float64(n1)}
	if labels {
		cs.Labels = volume.New(g.geo, volume.UInt8)
		for i, l := range r.lab {
			cs.Labels.Data[i] = float64(l)
		}
	}
	return cs, nil
}

// paint blends a layer into voxel idx with coverage cov.
func (r *renderer) paint(idx int, cov, hu float64, label uint8) {
	if cov <= 0 {
		return
	}
	r.img[idx] += cov * (hu - r.img[idx])
	if cov >= 0.5 {
		r.lab[idx] = label
	}
}

// softTissue paints fat, muscles and vessels (z-invariant, §3.3).
func (r *renderer) softTissue() {
	g, m := r.g, r.m
	yCanalBack := m.postWallY(0) - m.canalAP
	slice := make([]float64, g.nx*g.ny)
	sl := make([]uint8, g.nx*g.ny)
	for j, y := range g.ys {
		for i, x := range g.xs {
			v, l := m.fat, uint8(LabelFat)
			blend := func(d, hu float64, lab uint8) {
				c := cover(d, r.hxy)
				v += c * (hu - v)
				if c >= 0.5 {
					l = lab
				}
			}
			for _, s := range [2]float64{-1, 1} {
				if m.psoas {
					blend(ellipse2(x, y, s*(m.a+m.psoasA*0.9), -0.15*m.b, m.psoasA, m.psoasB), m.muscle, LabelMuscle)
				}
				blend(ellipse2(x, y, s*(m.spW/2+19), yCanalBack-m.lamTh-16, 17.5, 15), m.muscle, LabelMuscle)
			}
			blend(ellipse2(x, y, -0.35*m.a, m.b+2+m.aortaR, m.aortaR, m.aortaR), m.blood, LabelFat)
			blend(ellipse2(x, y, 0.6*m.a, m.b+9, 11, 7), m.blood, LabelFat)
			slice[i+g.nx*j], sl[i+g.nx*j] = v, l
		}
	}
	for k := 0; k < g.nz; k++ {
		copy(r.img[k*len(slice):], slice)
		copy(r.lab[k*len(sl):], sl)
	}
}

// texAt returns the cancellous texture at column c and (continuous) z.
func (r *renderer) texAt(c int, z float64) (t1, t2 float64) {
	g := r.g
	kf := (z - g.zs[0]) / g.dz
	k0 := int(math.Floor(kf))
	fr := kf - float64(k0)
	k0 = min(max(k0, 0), g.nz-1)
	k1 := min(k0+1, g.nz-1)
	plane := g.nx * g.ny
	i0, i1 := c+k0*plane, c+k1*plane
	t1 = r.t1[i0] + fr*(r.t1[i1]-r.t1[i0])
	t2 = r.t2[i0] + fr*(r.t2[i1]-r.t2[i0])
	return
}

// neighbours paints the discs and the adjacent vertebrae (§3.3), which
// follow the target's undeformed endplates shifted by the mean collapse.
func (r *renderer) neighbours() {
	g, m := r.g, r.m
	var sumT, sumB float64
	var cnt int
	for _, c := range r.cols {
		if c.rho <= 1 {
			sumT += c.dTop
			sumB += c.dBot
			cnt++
		}
	}
	mt, mb := sumT/float64(max(cnt, 1)), sumB/float64(max(cnt, 1))
	i0, i1 := span(g.xs, -m.a-4, m.a+4)
	j0, j1 := span(g.ys, -m.b-4, m.b+4)
	plane := g.nx * g.ny
	canc := m.bg
	for j := j0; j <= j1; j++ {
		for i := i0; i <= i1; i++ {
			c := i + g.nx*j
			col := &r.cols[c]
			if col.rho > 1.3 {
				continue
			}
			dRad := (col.rho - 1) / col.grad
			nbBot := col.zt0 - mt + m.discUp
			nbTop := col.zb0 + mb - m.discLo
			for k, z := range g.zs {
				idx := c + k*plane
				// Discs (slightly bulging beyond the bodies).
				dDisc := math.Max((col.rho-1.03)/col.grad, math.Min(math.Max(col.zt-0.5-z, z-nbBot-0.5), math.Max(z-col.zb-0.5, nbTop-0.5-z)))
				if z > col.zt-1 || z < col.zb+1 {
					h := r.hz
					if dDisc == (col.rho-1.03)/col.grad {
						h = r.hxy
					}
					r.paint(idx, cover(dDisc, h), m.disc, LabelDisc)
				}
				var dn float64
				if z > 0 {
					dn = math.Max(dRad, math.Max(nbBot-z, z-(nbBot+m.hp)))
				} else {
					dn = math.Max(dRad, math.Max(z-nbTop, (nbTop-m.hp)-z))
				}
				h := r.hz
				if dn == dRad {
					h = r.hxy
				}
				if dn > h {
					continue
				}
				t1, t2 := r.texAt(c, z)
				v := canc + m.texSD*(t1+0.5*t2)/math.Sqrt(1.25)
				r.paint(idx, cover(dn, h), m.cortex, LabelNeighbour)
				t := pick(h == r.hz, m.tEnd, m.tPost+(m.tAnt-m.tPost)*clamp((g.ys[j]/m.b+1)/2, 0, 1))
				r.img[idx] += cover(dn+t, h) * (v - r.img[idx])
			}
		}
	}
}
