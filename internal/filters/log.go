package filters

import (
	"fmt"
	"math"

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
func GaussianCoefficients(sigma, delta float64, order int) (RecursiveCoefficients, error) {
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
	for a := 0; a < 3; a++ {
		if img.Size[a] < 4 {
			return nil, fmt.Errorf("filters: LoG needs at least 4 voxels along every axis, size %v", img.Size)
		}
	}
	var co0, co2 [3]RecursiveCoefficients
	for a := 0; a < 3; a++ {
		var err error
		if co0[a], err = GaussianCoefficients(sigma, img.Spacing[a], 0); err != nil {
			return nil, err
		}
		if co2[a], err = GaussianCoefficients(sigma, img.Spacing[a], 2); err != nil {
			return nil, err
		}
	}
	out := volume.New(img.Geometry, volume.Float32)
	nv := img.NumVoxels()
	bufA := getBuf[float32](nv)
	bufB := getBuf[float32](nv)
	defer putBuf(bufA)
	defer putBuf(bufB)
	rb := newRecBuf(img.Size)
	acc := out.Data
	for d := 0; d < 3; d++ {
		o1, o2 := (d+1)%3, (d+2)%3
		if o1 > o2 {
			o1, o2 = o2, o1
		}
		recAxis(img.Data, bufA, img.Size, d, &co2[d], rb)
		recAxis(bufA, bufB, img.Size, o1, &co0[o1], rb)
		recAxis(bufB, bufA, img.Size, o2, &co0[o2], rb)
		f := 1.0 / float64(img.Spacing[d]*img.Spacing[d])
		for i, t := range bufA {
			acc[i] = float64(float32(acc[i] + float64(float64(t)*f)))
		}
	}
	return out, nil
}

// recGroup is the number of lines filtered together (interleaved) so that the
// recursions of independent lines overlap in the CPU pipeline.
const recGroup = 16

// recBuf holds the interleaved line buffers of recAxis: sample i of line g
// is at index i*recGroup + g.
type recBuf struct {
	in, yp, ym []float64
	out        []float32
}

func newRecBuf(size [3]int) *recBuf {
	l := max(size[0], size[1], size[2]) * recGroup
	return &recBuf{in: make([]float64, l), yp: make([]float64, l), ym: make([]float64, l), out: make([]float32, l)}
}

// recAxis applies one recursive Gaussian pass (ITK RecursiveSeparableImageFilter
// FilterDataArray with edge-value extension, parity spec 5.3) along ITK axis
// ax of the volume src (x fastest, size sz) and stores the result rounded to
// float32 in dst. Lines must have at least 4 samples.
func recAxis[S float32 | float64](src []S, dst []float32, sz [3]int, ax int, co *RecursiveCoefficients, rb *recBuf) {
	nx, ny, nz := sz[0], sz[1], sz[2]
	var nOuter, outerStride, nInner, innerStride, s int
	switch ax {
	case 0:
		nOuter, outerStride, nInner, innerStride, s = 1, 0, ny*nz, nx, 1
	case 1:
		nOuter, outerStride, nInner, innerStride, s = nz, nx*ny, nx, 1, nx
	default:
		nOuter, outerStride, nInner, innerStride, s = 1, 0, nx*ny, 1, nx*ny
	}
	L := sz[ax]
	const G = recGroup
	in, yp, ym, out := rb.in[:L*G], rb.yp[:L*G], rb.ym[:L*G], rb.out[:L*G]
	for o := 0; o < nOuter; o++ {
		for p0 := 0; p0 < nInner; p0 += G {
			gn := min(G, nInner-p0)
			start := o*outerStride + p0*innerStride
			// gather
			if innerStride == 1 {
				for i := 0; i < L; i++ {
					row := src[start+i*s : start+i*s+gn]
					dl := in[i*G : i*G+gn]
					for g, v := range row {
						dl[g] = float64(v)
					}
				}
			} else {
				for g := 0; g < gn; g++ {
					line := src[start+g*innerStride : start+g*innerStride+L]
					for i, v := range line {
						in[i*G+g] = float64(v)
					}
				}
			}
			recLines(in, yp, ym, out, L, gn, co)
			// scatter
			if innerStride == 1 {
				for i := 0; i < L; i++ {
					row := dst[start+i*s : start+i*s+gn]
					copy(row, out[i*G:i*G+gn])
				}
			} else {
				for g := 0; g < gn; g++ {
					line := dst[start+g*innerStride : start+g*innerStride+L]
					for i := range line {
						line[i] = out[i*G+g]
					}
				}
			}
		}
	}
}

// recLines runs the causal and anticausal recursions on gn interleaved lines
// of length L (L >= 4) and writes float32(y+ + y-) to out. Every product is
// rounded before it is added and sums run left to right, as ITK evaluates
// them (parity spec 5.3, "Filtering one line").
func recLines(in, yp, ym []float64, out []float32, L, gn int, co *RecursiveCoefficients) {
	const G = recGroup
	n0, n1, n2, n3 := co.N[0], co.N[1], co.N[2], co.N[3]
	d1, d2, d3, d4 := co.D[0], co.D[1], co.D[2], co.D[3]
	m1, m2, m3, m4 := co.M[0], co.M[1], co.M[2], co.M[3]
	bn1, bn2, bn3, bn4 := co.BN[0], co.BN[1], co.BN[2], co.BN[3]
	bm1, bm2, bm3, bm4 := co.BM[0], co.BM[1], co.BM[2], co.BM[3]

	// causal part, first four samples (edge value u = d[0])
	for g := 0; g < gn; g++ {
		u := in[g]
		x1, x2, x3 := in[G+g], in[2*G+g], in[3*G+g]
		y0 := float64(u*n0) + float64(u*n1) + float64(u*n2) + float64(u*n3) -
			(float64(u*bn1) + float64(u*bn2) + float64(u*bn3) + float64(u*bn4))
		y1 := float64(x1*n0) + float64(u*n1) + float64(u*n2) + float64(u*n3) -
			(float64(y0*d1) + float64(u*bn2) + float64(u*bn3) + float64(u*bn4))
		y2 := float64(x2*n0) + float64(x1*n1) + float64(u*n2) + float64(u*n3) -
			(float64(y1*d1) + float64(y0*d2) + float64(u*bn3) + float64(u*bn4))
		y3 := float64(x3*n0) + float64(x2*n1) + float64(x1*n2) + float64(u*n3) -
			(float64(y2*d1) + float64(y1*d2) + float64(y0*d3) + float64(u*bn4))
		yp[g], yp[G+g], yp[2*G+g], yp[3*G+g] = y0, y1, y2, y3
	}
	for i := 4; i < L; i++ {
		b := i * G
		x0 := in[b : b+gn]
		x1 := in[b-G : b-G+gn]
		x2 := in[b-2*G : b-2*G+gn]
		x3 := in[b-3*G : b-3*G+gn]
		q1 := yp[b-G : b-G+gn]
		q2 := yp[b-2*G : b-2*G+gn]
		q3 := yp[b-3*G : b-3*G+gn]
		q4 := yp[b-4*G : b-4*G+gn]
		y := yp[b : b+gn]
		for g := range y {
			y[g] = float64(x0[g]*n0) + float64(x1[g]*n1) + float64(x2[g]*n2) + float64(x3[g]*n3) -
				(float64(q1[g]*d1) + float64(q2[g]*d2) + float64(q3[g]*d3) + float64(q4[g]*d4))
		}
	}
	// anticausal part, last four samples (edge value v = d[L-1])
	for g := 0; g < gn; g++ {
		v := in[(L-1)*G+g]
		x1, x2, x3 := in[(L-1)*G+g], in[(L-2)*G+g], in[(L-3)*G+g]
		y0 := float64(v*m1) + float64(v*m2) + float64(v*m3) + float64(v*m4) -
			(float64(v*bm1) + float64(v*bm2) + float64(v*bm3) + float64(v*bm4))
		y1 := float64(x1*m1) + float64(v*m2) + float64(v*m3) + float64(v*m4) -
			(float64(y0*d1) + float64(v*bm2) + float64(v*bm3) + float64(v*bm4))
		y2 := float64(x2*m1) + float64(x1*m2) + float64(v*m3) + float64(v*m4) -
			(float64(y1*d1) + float64(y0*d2) + float64(v*bm3) + float64(v*bm4))
		y3 := float64(x3*m1) + float64(x2*m2) + float64(x1*m3) + float64(v*m4) -
			(float64(y2*d1) + float64(y1*d2) + float64(y0*d3) + float64(v*bm4))
		ym[(L-1)*G+g], ym[(L-2)*G+g], ym[(L-3)*G+g], ym[(L-4)*G+g] = y0, y1, y2, y3
	}
	for k := L - 5; k >= 0; k-- {
		b := k * G
		x1 := in[b+G : b+G+gn]
		x2 := in[b+2*G : b+2*G+gn]
		x3 := in[b+3*G : b+3*G+gn]
		x4 := in[b+4*G : b+4*G+gn]
		q1 := ym[b+G : b+G+gn]
		q2 := ym[b+2*G : b+2*G+gn]
		q3 := ym[b+3*G : b+3*G+gn]
		q4 := ym[b+4*G : b+4*G+gn]
		y := ym[b : b+gn]
		for g := range y {
			y[g] = float64(x1[g]*m1) + float64(x2[g]*m2) + float64(x3[g]*m3) + float64(x4[g]*m4) -
				(float64(q1[g]*d1) + float64(q2[g]*d2) + float64(q3[g]*d3) + float64(q4[g]*d4))
		}
	}
	for i := 0; i < L; i++ {
		b := i * G
		o := out[b : b+gn]
		p := yp[b : b+gn]
		m := ym[b : b+gn]
		for g := range o {
			o[g] = float32(p[g] + m[g])
		}
	}
}
