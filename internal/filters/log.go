package filters

import (
	"fmt"
	"math"
	"sync"
	"sync/atomic"

	"github.com/spinerad/spinerad/internal/volume"
)

// Deriche's published constants used by ITK's RecursiveGaussianImageFilter:
// the zero-order (smoothing) and second-order sets, and the shared
// frequencies (W) and decay rates (L).
const (
	derW1 = 0.6681
	derL1 = -1.3932
	derW2 = 2.0787
	derL2 = -1.3732
)

var (
	derSet0 = [4]float64{1.3530, 1.8151, -0.3531, 0.0902}  // A1, B1, A2, B2
	derSet2 = [4]float64{-1.3563, 5.2318, 0.3446, -2.2355} // A1, B1, A2, B2
)

// RecursiveCoefficients are the coefficients of one ITK recursive Gaussian
// pass (RecursiveGaussianImageFilter::SetUp): the causal numerator N, the
// shared denominator D, the anticausal numerator M and the edge-extension
// corrections BN (causal) and BM (anticausal). Index i holds coefficient i
// (N0..N3, D1..D4, M1..M4, BN1..BN4, BM1..BM4).
type RecursiveCoefficients struct {
	N, D, M, BN, BM [4]float64
}

// nCoefficients is ITK's ComputeNCoefficients for one constant set: the
// numerator n0..n3 and its sum SN, first moment DN and second moment EN,
// with every product rounded before it is added (no FMA), as ITK evaluates it.
func nCoefficients(set [4]float64, c1, c2, s1, s2, e1, e2 float64) (n [4]float64, sn, dn, en float64) {
	a1, b1, a2, b2 := set[0], set[1], set[2], set[3]
	n[0] = a1 + a2
	n[1] = float64(e2 * (float64(b2*s2) - float64((a2+float64(2*a1))*c2)))
	n[1] = n[1] + float64(e1*(float64(b1*s1)-float64((a1+float64(2*a2))*c1)))
	n[2] = float64(float64((a1+a2)*c2) * c1)
	n[2] = n[2] - (float64(float64(b1*c2)*s1) + float64(float64(b2*c1)*s2))
	n[2] = float64(n[2] * float64(float64(2*e1)*e2))
	n[2] = n[2] + (float64(float64(a2*e1)*e1) + float64(float64(a1*e2)*e2))
	n[3] = float64(float64(float64(e2*e1)*e1) * (float64(b2*s2) - float64(a2*c2)))
	n[3] = n[3] + float64(float64(float64(e1*e2)*e2)*(float64(b1*s1)-float64(a1*c1)))
	sn = n[0] + n[1] + n[2] + n[3]
	dn = n[1] + float64(2*n[2]) + float64(3*n[3])
	en = n[1] + float64(4*n[2]) + float64(9*n[3])
	return
}

// GaussianCoefficients returns the coefficients of ITK's
// RecursiveGaussianImageFilter (Deriche's 4th-order approximation) for a pass
// of order 0 (smoothing) or 2 (second derivative) along an axis of spacing
// delta (mm) with sigma in mm, NormalizeAcrossScale on (parity spec 5.3): for
// order 2 the numerator is scaled by sigma^2/alpha2 with sigma in mm; for
// order 0 by 1/alpha0.
//
// Results are memoised (they cost about 0.3 ms of 320-bit arithmetic).
func GaussianCoefficients(sigma, delta float64, order int) (RecursiveCoefficients, error) {
	key := coefKey{sigma, delta, order}
	if rc, ok := coefCache.Load(key); ok {
		return rc.(RecursiveCoefficients), nil
	}
	rc, err := gaussianCoefficients(sigma, delta, order)
	if err == nil && coefCount.Add(1) <= coefCacheMax {
		coefCache.Store(key, rc)
	}
	return rc, err
}

// coefKey identifies one set of recursive Gaussian coefficients.
type coefKey struct {
	sigma, delta float64
	order        int
}

// coefCache memoises GaussianCoefficients, up to coefCacheMax entries.
var (
	coefCache sync.Map // coefKey -> RecursiveCoefficients
	coefCount atomic.Int64
)

const coefCacheMax = 4096

// gaussianCoefficients computes GaussianCoefficients.
func gaussianCoefficients(sigma, delta float64, order int) (RecursiveCoefficients, error) {
	var rc RecursiveCoefficients
	if !(sigma > 0) || !(delta > 0) || math.IsInf(sigma, 0) || math.IsInf(delta, 0) {
		return rc, fmt.Errorf("filters: recursive Gaussian needs sigma > 0 and spacing > 0, got %v and %v", sigma, delta)
	}
	if order != 0 && order != 2 {
		return rc, fmt.Errorf("filters: recursive Gaussian order must be 0 or 2, got %d", order)
	}
	s := sigma / delta
	s1, c1 := crSinCos(derW1 / s)
	s2, c2 := crSinCos(derW2 / s)
	e1, e2 := crExp(derL1/s), crExp(derL2/s)

	var d [4]float64 // D1..D4
	d[3] = float64(float64(float64(e1*e1)*e2) * e2)
	d[2] = float64(float64(float64(float64(-2*c1)*e1)*e2) * e2)
	d[2] = d[2] + float64(float64(float64(float64(-2*c2)*e2)*e1)*e1)
	d[1] = float64(float64(float64(float64(4*c2)*c1)*e1) * e2)
	d[1] = d[1] + (float64(e1*e1) + float64(e2*e2))
	d[0] = float64(-2 * (float64(e2*c2) + float64(e1*c1)))
	sd := 1 + d[0] + d[1] + d[2] + d[3]
	dd := d[0] + float64(2*d[1]) + float64(3*d[2]) + float64(4*d[3])
	ed := d[0] + float64(4*d[1]) + float64(9*d[2]) + float64(16*d[3])

	n0, sn0, dn0, en0 := nCoefficients(derSet0, c1, c2, s1, s2, e1, e2)
	var n [4]float64
	if order == 0 {
		alpha0 := float64(2*sn0)/sd - n0[0]
		inv := 1.0 / alpha0
		for i := range n {
			n[i] = float64(n0[i] * inv)
		}
	} else {
		n2, sn2, dn2, en2 := nCoefficients(derSet2, c1, c2, s1, s2, e1, e2)
		beta := -(float64(2*sn2) - float64(sd*n2[0])) / (float64(2*sn0) - float64(sd*n0[0]))
		for i := range n {
			n[i] = n2[i] + float64(beta*n0[i])
		}
		sn := sn2 + float64(beta*sn0)
		dn := dn2 + float64(beta*dn0)
		en := en2 + float64(beta*en0)
		alpha2 := float64(float64(en*sd)*sd) - float64(float64(ed*sn)*sd)
		alpha2 = alpha2 - float64(float64(float64(2*dn)*dd)*sd)
		alpha2 = alpha2 + float64(float64(float64(2*dd)*dd)*sn)
		alpha2 = alpha2 / float64(float64(sd*sd)*sd)
		scale := float64(sigma*sigma) / alpha2
		for i := range n {
			n[i] = float64(n[i] * scale)
		}
	}
	rc.N = n
	rc.D = d
	rc.M[0] = n[1] - float64(d[0]*n[0])
	rc.M[1] = n[2] - float64(d[1]*n[0])
	rc.M[2] = n[3] - float64(d[2]*n[0])
	rc.M[3] = -float64(d[3] * n[0])
	sns := n[0] + n[1] + n[2] + n[3]
	sm := rc.M[0] + rc.M[1] + rc.M[2] + rc.M[3]
	sds := 1 + d[0] + d[1] + d[2] + d[3]
	for i := 0; i < 4; i++ {
		rc.BN[i] = float64(d[i]*sns) / sds
		rc.BM[i] = float64(d[i]*sm) / sds
	}
	return rc, nil
}

// LoGCheck applies PyRadiomics' getLoGImage skip rules for an image of the
// given size and spacing (ITK order, mm): no LoG image at all if some axis
// has fewer than 4 voxels; sigma skipped if sigma <= 0 or if, on some axis,
// size < ceil(sigma/spacing) + 1. A non-nil error says why the caller should
// warn and skip.
func LoGCheck(size [3]int, spacing [3]float64, sigma float64) error {
	for a := 0; a < 3; a++ {
		if size[a] < 4 {
			return fmt.Errorf("filters: image too small to apply LoG filter, size %v (every axis needs >= 4 voxels)", size)
		}
	}
	if !(sigma > 0) {
		return fmt.Errorf("filters: LoG sigma must be greater than 0, got %v", sigma)
	}
	for a := 0; a < 3; a++ {
		if float64(size[a]) < math.Ceil(sigma/spacing[a])+1 {
			return fmt.Errorf("filters: LoG sigma %v mm too large for size %v and spacing %v (size must be >= ceil(sigma/spacing)+1 on every axis)", sigma, size, spacing)
		}
	}
	return nil
}

// LoG reproduces SimpleITK's LaplacianRecursiveGaussianImageFilter with
// NormalizeAcrossScale on and sigma in mm (PyRadiomics' LoG image type,
// parity spec 5.3), bit for bit: for each axis d (x, y, z) the image is
// filtered with the second-order recursive Gaussian along d and the
// zero-order one along the two other axes (ascending), every pass rounded to
// float32, and acc = float32(acc + T*(1/spacing_d^2)) accumulates the three
// terms. The output has pixel type Float32 (SimpleITK's output type for this
// filter) and the input geometry; the input is not modified.
//
// LoG itself only rejects what ITK rejects (an axis with fewer than 4
// voxels, sigma <= 0, non-positive spacing); PyRadiomics' additional skip
// rule is LoGCheck.
func LoG(img *volume.Image, sigma float64) (*volume.Image, error) {
	if err := checkImage(img); err != nil {
		return nil, err
	}
	out, err := LoGCrop(img, sigma, volume.BBox{Hi: [3]int{img.Size[0] - 1, img.Size[1] - 1, img.Size[2] - 1}})
	if err != nil {
		return nil, err
	}
	out.Geometry = img.Geometry
	return out, nil
}

// LoGCrop returns LoG(img, sigma).Crop(bb, 0), bit for bit, computing only
// what the crop needs (PyRadiomics filters the whole image and then uses only
// the ROI bounding box). For each pass sequence (second order along d, then
// zero order along the two other axes a2 < a3) the first pass runs on every
// line along d but keeps only the outputs in bb's range of d; the second runs
// only on the lines whose d coordinate lies in bb, keeping bb's range of a2;
// the third only on the lines inside bb along d and a2. A recursion whose
// outputs are needed only in [lo, hi] runs its causal part up to hi and its
// anticausal part down to lo. Every kept value is computed by the same
// arithmetic as in the full filter. bb must lie inside the image; the output
// (Float32) has the geometry Crop gives.
func LoGCrop(img *volume.Image, sigma float64, bb volume.BBox) (*volume.Image, error) {
	if err := checkImage(img); err != nil {
		return nil, err
	}
	for a := 0; a < 3; a++ {
		if img.Size[a] < 4 {
			return nil, fmt.Errorf("filters: LoG needs at least 4 voxels along every axis, size %v", img.Size)
		}
	}
	g, err := cropGeometry(img.Geometry, bb)
	if err != nil {
		return nil, err
	}
	var co0, co2 [3]RecursiveCoefficients
	for a := 0; a < 3; a++ {
		if co0[a], err = GaussianCoefficients(sigma, img.Spacing[a], 0); err != nil {
			return nil, err
		}
		if co2[a], err = GaussianCoefficients(sigma, img.Spacing[a], 2); err != nil {
			return nil, err
		}
	}
	out := volume.New(g, volume.Float32)
	bs := bb.Size()
	// Scratch sizes: the largest first- and second-pass outputs over the
	// three sequences.
	n1, n2 := 0, 0
	for d := 0; d < 3; d++ {
		a2, a3 := logOtherAxes(d)
		n1 = max(n1, bs[d]*img.Size[a2]*img.Size[a3])
		n2 = max(n2, bs[d]*bs[a2]*img.Size[a3])
	}
	buf1 := getBuf[float32](n1)
	buf2 := getBuf[float32](n2)
	buf3 := getBuf[float32](len(out.Data))
	defer putBuf(buf1)
	defer putBuf(buf2)
	defer putBuf(buf3)
	rb := newRecBuf(img.Size)
	acc := out.Data
	for d := 0; d < 3; d++ {
		a2, a3 := logOtherAxes(d)
		sz := img.Size
		recAxis(img.Data, buf1, sz, d, bb.Lo[d], bb.Hi[d], &co2[d], rb)
		sz[d] = bs[d]
		recAxis(buf1, buf2, sz, a2, bb.Lo[a2], bb.Hi[a2], &co0[a2], rb)
		sz[a2] = bs[a2]
		recAxis(buf2, buf3, sz, a3, bb.Lo[a3], bb.Hi[a3], &co0[a3], rb)
		f := 1.0 / float64(img.Spacing[d]*img.Spacing[d])
		for i, t := range buf3[:len(acc)] {
			acc[i] = float64(float32(acc[i] + float64(float64(t)*f)))
		}
	}
	return out, nil
}

// logOtherAxes returns the two axes other than d in ascending order (the
// order of the zero-order passes of LoG's sequence d).
func logOtherAxes(d int) (int, int) {
	a, b := (d+1)%3, (d+2)%3
	if a > b {
		a, b = b, a
	}
	return a, b
}

// cropGeometry returns the geometry of the crop of g to bb (no margin), as
// volume.Image.Crop computes it, or an error if bb is empty or not inside g.
func cropGeometry(g volume.Geometry, bb volume.BBox) (volume.Geometry, error) {
	for a := 0; a < 3; a++ {
		if bb.Lo[a] < 0 || bb.Hi[a] >= g.Size[a] || bb.Lo[a] > bb.Hi[a] {
			return g, fmt.Errorf("filters: crop box %v..%v is empty or outside the image of size %v", bb.Lo, bb.Hi, g.Size)
		}
	}
	c := g
	c.Size = bb.Size()
	c.Origin = g.IndexToPhysical(bb.Lo)
	return c, nil
}

// recGroup is the number of lines whose recursions one inner loop advances
// together (their independent recursions overlap in the CPU pipeline), and
// recWidth the number of lines gathered and filtered as one block (a
// multiple of recGroup: wider blocks read the volume in longer runs).
const (
	recGroup = 16
	recWidth = 4 * recGroup
)

// recBuf holds the interleaved line buffers of recAxis: sample i of line g
// of a block is at index i*recWidth + g.
type recBuf struct {
	in, yp, ym []float64
	out        []float32
}

func newRecBuf(size [3]int) *recBuf {
	l := max(size[0], size[1], size[2]) * recWidth
	return &recBuf{in: make([]float64, l), yp: make([]float64, l), ym: make([]float64, l), out: make([]float32, l)}
}

// recAxis applies one recursive Gaussian pass (ITK RecursiveSeparableImageFilter
// FilterDataArray with edge-value extension, parity spec 5.3) along ITK axis
// ax of the volume src (x fastest, size sz) and stores the outputs with
// index lo..hi along ax, rounded to float32, in dst, a volume of size sz
// except hi-lo+1 along ax. Lines must have at least 4 samples and
// 0 <= lo <= hi < sz[ax].
func recAxis[S float32 | float64](src []S, dst []float32, sz [3]int, ax, lo, hi int, co *RecursiveCoefficients, rb *recBuf) {
	nx, ny, nz := sz[0], sz[1], sz[2]
	L := sz[ax]
	w := hi - lo + 1
	// Lines are grouped by an outer index o and an inner index p (a block is
	// up to W consecutive p); line (o, p) starts at o*outer + p*inner in src
	// and at o*dOuter + p*dInner in dst; samples are s (src) and ds (dst) apart.
	var nOuter, outer, dOuter, nInner, inner, dInner, s, ds int
	switch ax {
	case 0:
		nOuter, nInner, inner, dInner, s, ds = 1, ny*nz, nx, w, 1, 1
	case 1:
		nOuter, outer, dOuter, nInner, inner, dInner, s, ds = nz, nx*ny, nx*w, nx, 1, 1, nx, nx
	default:
		nOuter, nInner, inner, dInner, s, ds = 1, nx*ny, 1, 1, nx*ny, nx*ny
	}
	const W = recWidth
	in, yp, ym, out := rb.in[:L*W], rb.yp[:L*W], rb.ym[:L*W], rb.out[:L*W]
	for o := 0; o < nOuter; o++ {
		for p0 := 0; p0 < nInner; p0 += W {
			gn := min(W, nInner-p0)
			start := o*outer + p0*inner
			dStart := o*dOuter + p0*dInner
			// gather
			if inner == 1 {
				for i := 0; i < L; i++ {
					row := src[start+i*s : start+i*s+gn]
					dl := in[i*W : i*W+gn]
					for g, v := range row {
						dl[g] = float64(v)
					}
				}
			} else {
				for g := 0; g < gn; g++ {
					line := src[start+g*inner : start+g*inner+L]
					for i, v := range line {
						in[i*W+g] = float64(v)
					}
				}
			}
			recLines(in, yp, ym, out, L, gn, lo, hi, co)
			// scatter
			if dInner == 1 {
				for i := lo; i <= hi; i++ {
					b := dStart + (i-lo)*ds
					copy(dst[b:b+gn], out[i*W:i*W+gn])
				}
			} else {
				for g := 0; g < gn; g++ {
					line := dst[dStart+g*dInner : dStart+g*dInner+w]
					for i := range line {
						line[i] = out[(i+lo)*W+g]
					}
				}
			}
		}
	}
}

// recLines runs the causal and anticausal recursions on gn <= recWidth
// interleaved lines of length L (L >= 4; sample i of line g at i*recWidth+g)
// and writes float32(y+ + y-) to out for the samples lo..hi: the causal
// recursion stops after sample hi and the anticausal one after sample lo
// (their first four samples are always computed). Every product is
// rounded before it is added and sums run left to right, as ITK evaluates
// them (parity spec 5.3, "Filtering one line").
func recLines(in, yp, ym []float64, out []float32, L, gn, lo, hi int, co *RecursiveCoefficients) {
	const G, W = recGroup, recWidth
	n0, n1, n2, n3 := co.N[0], co.N[1], co.N[2], co.N[3]
	d1, d2, d3, d4 := co.D[0], co.D[1], co.D[2], co.D[3]
	m1, m2, m3, m4 := co.M[0], co.M[1], co.M[2], co.M[3]
	bn1, bn2, bn3, bn4 := co.BN[0], co.BN[1], co.BN[2], co.BN[3]
	bm1, bm2, bm3, bm4 := co.BM[0], co.BM[1], co.BM[2], co.BM[3]
	// The main loops run over whole groups of G lanes (lanes >= gn hold
	// finite stale data and are never stored) with fixed-size views, free of
	// bounds checks.
	gw := (gn + G - 1) / G * G

	// causal part, first four samples (edge value u = d[0])
	for g := 0; g < gn; g++ {
		u := in[g]
		x1, x2, x3 := in[W+g], in[2*W+g], in[3*W+g]
		y0 := float64(u*n0) + float64(u*n1) + float64(u*n2) + float64(u*n3) -
			(float64(u*bn1) + float64(u*bn2) + float64(u*bn3) + float64(u*bn4))
		y1 := float64(x1*n0) + float64(u*n1) + float64(u*n2) + float64(u*n3) -
			(float64(y0*d1) + float64(u*bn2) + float64(u*bn3) + float64(u*bn4))
		y2 := float64(x2*n0) + float64(x1*n1) + float64(u*n2) + float64(u*n3) -
			(float64(y1*d1) + float64(y0*d2) + float64(u*bn3) + float64(u*bn4))
		y3 := float64(x3*n0) + float64(x2*n1) + float64(x1*n2) + float64(u*n3) -
			(float64(y2*d1) + float64(y1*d2) + float64(y0*d3) + float64(u*bn4))
		yp[g], yp[W+g], yp[2*W+g], yp[3*W+g] = y0, y1, y2, y3
	}
	for i := 4; i <= hi; i++ {
		for b := i * W; b < i*W+gw; b += G {
			x0 := (*[G]float64)(in[b:])
			x1 := (*[G]float64)(in[b-W:])
			x2 := (*[G]float64)(in[b-2*W:])
			x3 := (*[G]float64)(in[b-3*W:])
			q1 := (*[G]float64)(yp[b-W:])
			q2 := (*[G]float64)(yp[b-2*W:])
			q3 := (*[G]float64)(yp[b-3*W:])
			q4 := (*[G]float64)(yp[b-4*W:])
			y := (*[G]float64)(yp[b:])
			for g := 0; g < G; g++ {
				y[g] = float64(x0[g]*n0) + float64(x1[g]*n1) + float64(x2[g]*n2) + float64(x3[g]*n3) -
					(float64(q1[g]*d1) + float64(q2[g]*d2) + float64(q3[g]*d3) + float64(q4[g]*d4))
			}
		}
	}
	// anticausal part, last four samples (edge value v = d[L-1])
	for g := 0; g < gn; g++ {
		v := in[(L-1)*W+g]
		x1, x2, x3 := in[(L-1)*W+g], in[(L-2)*W+g], in[(L-3)*W+g]
		y0 := float64(v*m1) + float64(v*m2) + float64(v*m3) + float64(v*m4) -
			(float64(v*bm1) + float64(v*bm2) + float64(v*bm3) + float64(v*bm4))
		y1 := float64(x1*m1) + float64(v*m2) + float64(v*m3) + float64(v*m4) -
			(float64(y0*d1) + float64(v*bm2) + float64(v*bm3) + float64(v*bm4))
		y2 := float64(x2*m1) + float64(x1*m2) + float64(v*m3) + float64(v*m4) -
			(float64(y1*d1) + float64(y0*d2) + float64(v*bm3) + float64(v*bm4))
		y3 := float64(x3*m1) + float64(x2*m2) + float64(x1*m3) + float64(v*m4) -
			(float64(y2*d1) + float64(y1*d2) + float64(y0*d3) + float64(v*bm4))
		ym[(L-1)*W+g], ym[(L-2)*W+g], ym[(L-3)*W+g], ym[(L-4)*W+g] = y0, y1, y2, y3
	}
	for k := L - 5; k >= lo; k-- {
		for b := k * W; b < k*W+gw; b += G {
			x1 := (*[G]float64)(in[b+W:])
			x2 := (*[G]float64)(in[b+2*W:])
			x3 := (*[G]float64)(in[b+3*W:])
			x4 := (*[G]float64)(in[b+4*W:])
			q1 := (*[G]float64)(ym[b+W:])
			q2 := (*[G]float64)(ym[b+2*W:])
			q3 := (*[G]float64)(ym[b+3*W:])
			q4 := (*[G]float64)(ym[b+4*W:])
			y := (*[G]float64)(ym[b:])
			for g := 0; g < G; g++ {
				y[g] = float64(x1[g]*m1) + float64(x2[g]*m2) + float64(x3[g]*m3) + float64(x4[g]*m4) -
					(float64(q1[g]*d1) + float64(q2[g]*d2) + float64(q3[g]*d3) + float64(q4[g]*d4))
			}
		}
	}
	for i := lo; i <= hi; i++ {
		b := i * W
		o := out[b : b+gn]
		p := yp[b : b+gn]
		m := ym[b : b+gn]
		for g := range o {
			o[g] = float32(p[g] + m[g])
		}
	}
}
