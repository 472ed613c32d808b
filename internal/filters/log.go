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
	outs, err := LoGCropSigmas(img, []float64{sigma}, bb)
	if err != nil {
		return nil, err
	}
	return outs[0], nil
}

// LoGCropSigmas returns LoGCrop(img, sigma, bb) for each of sigmas, bit for
// bit. The first pass of each axis sequence, the only one that reads the
// whole image, gathers each block of image lines once for all sigmas: the
// image is read three times in all instead of three times per sigma.
func LoGCropSigmas(img *volume.Image, sigmas []float64, bb volume.BBox) ([]*volume.Image, error) {
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
	ns := len(sigmas)
	co0 := make([][3]RecursiveCoefficients, ns)
	co2 := make([][3]RecursiveCoefficients, ns)
	for k, sigma := range sigmas {
		for a := 0; a < 3; a++ {
			if co0[k][a], err = GaussianCoefficients(sigma, img.Spacing[a], 0); err != nil {
				return nil, err
			}
			if co2[k][a], err = GaussianCoefficients(sigma, img.Spacing[a], 2); err != nil {
				return nil, err
			}
		}
	}
	outs := make([]*volume.Image, ns)
	for k := range outs {
		outs[k] = volume.NewUninit(g, volume.Float32) // the last sequence writes every voxel
	}
	bs := bb.Size()
	nb := bs[0] * bs[1] * bs[2]
	// Scratch sizes: the largest first- and second-pass outputs over the
	// three sequences.
	n1, n2 := 0, 0
	for d := 0; d < 3; d++ {
		a2, a3 := logOtherAxes(d)
		n1 = max(n1, bs[d]*img.Size[a2]*img.Size[a3])
		n2 = max(n2, bs[d]*bs[a2]*img.Size[a3])
	}
	buf1 := make([][]float32, ns) // first-pass outputs, one per sigma
	acc := make([][]float32, ns)  // the running sums (float32 values)
	for k := range buf1 {
		buf1[k] = getBuf[float32](n1)
		acc[k] = getBuf[float32](nb)
		defer putBuf(buf1[k])
		defer putBuf(acc[k])
	}
	buf2 := getBuf[float32](n2)
	buf3 := getBuf[float32](nb)
	defer putBuf(buf2)
	defer putBuf(buf3)
	rb := newRecBuf(img.Size)
	cos := make([]*RecursiveCoefficients, ns)
	for d := 0; d < 3; d++ {
		a2, a3 := logOtherAxes(d)
		for k := range cos {
			cos[k] = &co2[k][d]
		}
		recAxisMulti(img.Data, buf1, img.Size, d, bb.Lo[d], bb.Hi[d], cos, rb)
		f := 1.0 / float64(img.Spacing[d]*img.Spacing[d])
		for k := range sigmas {
			sz := img.Size
			sz[d] = bs[d]
			recAxis(buf1[k], buf2, sz, a2, bb.Lo[a2], bb.Hi[a2], &co0[k][a2], rb)
			sz[a2] = bs[a2]
			recAxis(buf2, buf3, sz, a3, bb.Lo[a3], bb.Hi[a3], &co0[k][a3], rb)
			t3, ak := buf3[:nb], acc[k][:nb]
			switch d {
			case 0: // acc starts at +0 (0 + -0 is +0, so the addition stays)
				for i, t := range t3 {
					ak[i] = float32(0 + float64(float64(t)*f))
				}
			case 1:
				for i, t := range t3 {
					ak[i] = float32(float64(ak[i]) + float64(float64(t)*f))
				}
			default:
				o := outs[k].Data[:nb]
				for i, t := range t3 {
					o[i] = float64(float32(float64(ak[i]) + float64(float64(t)*f)))
				}
			}
		}
	}
	return outs, nil
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

// recGroup is the number of lines whose recursions the portable inner loop
// advances together (their independent recursions overlap in the CPU
// pipeline), and recWidth the number of lines gathered and filtered as one
// block (a multiple of recGroup: wider blocks read the volume in longer
// runs). recStride is the distance in recBuf between samples i and i+1 of a
// line: recWidth plus a pad of 8, so that the rows of a block do not all map
// to the same few L1 cache sets (a stride of 512 bytes would).
const (
	recGroup  = 16
	recWidth  = 4 * recGroup
	recStride = recWidth + 8
)

// recBuf holds the interleaved line buffers of recAxis: sample i of line g
// of a block is at index (i+4)*recStride + g of in, yp and ym (four rows
// before sample 0 and after sample L-1 hold the edge values of recLines).
type recBuf struct {
	in, yp, ym []float64
}

func newRecBuf(size [3]int) *recBuf {
	l := (max(size[0], size[1], size[2]) + 8) * recStride
	return &recBuf{in: make([]float64, l), yp: make([]float64, l), ym: make([]float64, l)}
}

// recAxis applies one recursive Gaussian pass (ITK RecursiveSeparableImageFilter
// FilterDataArray with edge-value extension, parity spec 5.3) along ITK axis
// ax of the volume src (x fastest, size sz) and stores the outputs with
// index lo..hi along ax, rounded to float32, in dst, a volume of size sz
// except hi-lo+1 along ax. Lines must have at least 4 samples and
// 0 <= lo <= hi < sz[ax].
func recAxis[S float32 | float64](src []S, dst []float32, sz [3]int, ax, lo, hi int, co *RecursiveCoefficients, rb *recBuf) {
	recAxisMulti(src, [][]float32{dst}, sz, ax, lo, hi, []*RecursiveCoefficients{co}, rb)
}

// recAxisMulti is recAxis for several coefficient sets at once: pass k
// (coefficients cos[k]) stores its outputs in dsts[k]. Each block of lines is
// gathered from src once for all passes, which matters when src is a whole
// image read once per LoG sigma otherwise.
func recAxisMulti[S float32 | float64](src []S, dsts [][]float32, sz [3]int, ax, lo, hi int, cos []*RecursiveCoefficients, rb *recBuf) {
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
	const W, R = recWidth, recStride
	in, yp, ym := rb.in[:(L+8)*R], rb.yp[:(L+8)*R], rb.ym[:(L+8)*R]
	src0 := in[4*R:] // sample 0 of the block's lines
	for o := 0; o < nOuter; o++ {
		for p0 := 0; p0 < nInner; p0 += W {
			gn := min(W, nInner-p0)
			start := o*outer + p0*inner
			dStart := o*dOuter + p0*dInner
			// gather
			if inner == 1 {
				if s64, ok := any(src).([]float64); ok {
					for i := 0; i < L; i++ {
						copy(src0[i*R:i*R+gn], s64[start+i*s:start+i*s+gn])
					}
				} else if s32, ok := any(src).([]float32); ok {
					for i := 0; i < L; i++ {
						cvt32to64(src0[i*R:i*R+gn], s32[start+i*s:])
					}
				}
			} else {
				for g := 0; g < gn; g++ {
					line := src[start+g*inner : start+g*inner+L]
					i0 := 0
					if g+4 <= gn {
						// four lines by 4x4 transposes where available
						if i0 = gatherT4(src0[g:], src, start+g*inner, inner, L); i0 > 0 {
							for k := 0; k < 4; k++ {
								line := src[start+(g+k)*inner : start+(g+k)*inner+L]
								for i := i0; i < L; i++ {
									src0[i*R+g+k] = float64(line[i])
								}
							}
							g += 3
							continue
						}
					}
					for i, v := range line {
						src0[i*R+g] = float64(v)
					}
				}
			}
			for k, co := range cos {
				recLines(in, yp, ym, L, gn, lo, hi, co)
				recScatter(dsts[k], yp, ym, dStart, dInner, ds, gn, lo, hi)
			}
		}
	}
}

// recScatter stores float32(y+ + y-) of the samples lo..hi of the gn lines
// of a block (see recAxisMulti) in dst: line g starts at dStart + g*dInner,
// samples ds apart.
func recScatter(dst []float32, yp, ym []float64, dStart, dInner, ds, gn, lo, hi int) {
	const R = recStride
	w := hi - lo + 1
	if dInner == 1 {
		for i := lo; i <= hi; i++ {
			b := dStart + (i-lo)*ds
			sum32(dst[b:b+gn], yp[(i+4)*R:], ym[(i+4)*R:])
		}
	} else {
		p := yp[(lo+4)*R : (hi+5)*R]
		m := ym[(lo+4)*R : (hi+5)*R]
		for g := 0; g < gn; g++ {
			line := dst[dStart+g*dInner : dStart+g*dInner+w]
			if g+4 <= gn {
				// four lines by 4x4 transposes where available
				if i0 := scatterT4(dst, dStart+g*dInner, dInner, p[g:], m[g:], w); i0 > 0 {
					for k := 0; k < 4; k++ {
						line := dst[dStart+(g+k)*dInner : dStart+(g+k)*dInner+w]
						for i := i0; i < w; i++ {
							line[i] = float32(p[i*R+g+k] + m[i*R+g+k])
						}
					}
					g += 3
					continue
				}
			}
			for i := range line {
				line[i] = float32(p[i*R+g] + m[i*R+g])
			}
		}
	}
}

// recLines runs the causal and anticausal recursions on gn <= recWidth
// interleaved lines of length L (L >= 4; sample i of line g at
// (i+4)*recStride+g of in, yp and ym), leaving y+ in yp and y- in ym for
// the samples lo..hi (recAxis stores float32(y+ + y-)): the causal recursion
// stops after sample hi and the anticausal one after sample lo (their first
// four samples are always computed). Every product is rounded before it is
// added and sums run left to right, as ITK evaluates them (parity spec 5.3,
// "Filtering one line").
//
// ITK's first four causal samples use the edge value u = d[0] in place of
// the missing inputs and outputs, with the coefficients BN in place of D for
// the missing outputs: y+[r] = sum_j x[r-j]*N_j - (sum_{j<=r} y+[r-j]*D_j +
// sum_{j>r} u*BN_j) with x[r-j] = u for r-j < 0. Storing u in the four rows
// before sample 0 of in and yp makes these exactly recSteps with a
// per-row coefficient set; likewise v = d[L-1] after sample L-1 of in and
// ym, with M and BM, for the anticausal recursion.
func recLines(in, yp, ym []float64, L, gn, lo, hi int, co *RecursiveCoefficients) {
	const R = recStride
	const base = 4 * R // index of sample 0
	n, d, m := co.N, co.D, co.M

	first := in[base : base+gn]
	last := in[base+(L-1)*R : base+(L-1)*R+gn]
	for j := 1; j <= 4; j++ {
		copy(in[base-j*R:], first)
		copy(yp[base-j*R:], first)
		copy(in[base+(L-1+j)*R:], last)
		copy(ym[base+(L-1+j)*R:], last)
	}
	// causal: rows 0..3 with the edge coefficients, then 4..hi (x terms at
	// rows i..i-3, y terms at i-1..i-4)
	cc := [8]float64{n[0], n[1], n[2], n[3]}
	for r := 0; r < 4; r++ {
		for j := 1; j <= 4; j++ {
			if j <= r {
				cc[3+j] = d[j-1]
			} else {
				cc[3+j] = co.BN[j-1]
			}
		}
		recSteps(in, yp, base+r*R, base+r*R, R, 1, gn, &cc)
	}
	if hi >= 4 {
		cc = [8]float64{n[0], n[1], n[2], n[3], d[0], d[1], d[2], d[3]}
		recSteps(in, yp, base+4*R, base+4*R, R, hi-3, gn, &cc)
	}
	// anticausal: rows L-1..L-4 with the edge coefficients, then L-5 down to
	// lo (x terms at rows k+1..k+4, y terms at k+1..k+4; the row step is -R)
	cc = [8]float64{m[0], m[1], m[2], m[3]}
	for r := 0; r < 4; r++ {
		for j := 1; j <= 4; j++ {
			if j <= r {
				cc[3+j] = d[j-1]
			} else {
				cc[3+j] = co.BM[j-1]
			}
		}
		k := L - 1 - r
		recSteps(in, ym, base+(k+1)*R, base+k*R, -R, 1, gn, &cc)
	}
	if L-5 >= lo {
		cc = [8]float64{m[0], m[1], m[2], m[3], d[0], d[1], d[2], d[3]}
		recSteps(in, ym, base+(L-4)*R, base+(L-5)*R, -R, L-4-lo, gn, &cc)
	}
}

// recSteps advances the recursion of lanes interleaved lines by rows
// samples: for r = 0..rows-1 and every lane g < lanes, with X = xo + r*s + g
// and Y = yo + r*s + g,
//
//	y[Y] = x[X]*c0 + x[X-s]*c1 + x[X-2s]*c2 + x[X-3s]*c3 -
//	       (y[Y-s]*c4 + y[Y-2s]*c5 + y[Y-3s]*c6 + y[Y-4s]*c7),
//
// every product rounded before it is added and the sums evaluated left to
// right (no FMA), as ITK's causal (s > 0) and anticausal (s < 0) loops do.
// Lanes up to the next multiple of recGroup (at most |s|) may also be
// computed from whatever the buffers hold there; callers never read them.
// It uses the AVX2 kernel when the CPU has one (recAsm), which performs the
// same IEEE operations lane by lane and so gives identical bits.
func recSteps(x, y []float64, xo, yo, s, rows, lanes int, c *[8]float64) {
	if recAsm && recStepsAsm(x, y, xo, yo, s, rows, lanes, c) {
		return
	}
	recStepsGo(x, y, xo, yo, s, rows, lanes, c)
}

// recStepsGo is the portable recSteps: groups of recGroup lanes with
// fixed-size views, free of bounds checks in the inner loop.
func recStepsGo(x, y []float64, xo, yo, s, rows, lanes int, c *[8]float64) {
	const G = recGroup
	c0, c1, c2, c3 := c[0], c[1], c[2], c[3]
	c4, c5, c6, c7 := c[4], c[5], c[6], c[7]
	gw := (lanes + G - 1) / G * G
	for r := 0; r < rows; r++ {
		xb, yb := xo+r*s, yo+r*s
		for g0 := 0; g0 < gw; g0 += G {
			x0 := (*[G]float64)(x[xb+g0:])
			x1 := (*[G]float64)(x[xb-s+g0:])
			x2 := (*[G]float64)(x[xb-2*s+g0:])
			x3 := (*[G]float64)(x[xb-3*s+g0:])
			q1 := (*[G]float64)(y[yb-s+g0:])
			q2 := (*[G]float64)(y[yb-2*s+g0:])
			q3 := (*[G]float64)(y[yb-3*s+g0:])
			q4 := (*[G]float64)(y[yb-4*s+g0:])
			yy := (*[G]float64)(y[yb+g0:])
			for g := 0; g < G; g++ {
				yy[g] = float64(x0[g]*c0) + float64(x1[g]*c1) + float64(x2[g]*c2) + float64(x3[g]*c3) -
					(float64(q1[g]*c4) + float64(q2[g]*c5) + float64(q3[g]*c6) + float64(q4[g]*c7))
			}
		}
	}
}
