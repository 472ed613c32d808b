package filters

import (
	"fmt"
	"math"
	"runtime"
	"strconv"
	"sync"

	"github.com/spinerad/spinerad/internal/pairwise"

	"github.com/spinerad/spinerad/internal/volume"
)

// LBP3DImage is one derived image of LBP3D.
type LBP3DImage struct {
	// Name is PyRadiomics' image name: "lbp-3D-m1" ... "lbp-3D-m<levels>",
	// then "lbp-3D-k".
	Name string
	// Image is Float64 (PyRadiomics fills a float64 array) with the geometry
	// of the input (LBP3D) or of the crop box (LBP3DCrop). Only ROI voxels
	// hold LBP values; every other voxel is 0 (PyRadiomics leaves them as
	// uninitialised memory, which no feature reads).
	Image *volume.Image
}

// lbp3DMaxLevels bounds lbp3DLevels (levels^2 harmonics per vertex).
const lbp3DMaxLevels = 32

// LBP3D reproduces PyRadiomics' getLBP3DImage (image types lbp-3D-m<l> and
// lbp-3D-k; PyRadiomics 3.1.0.post111, commit 8ed5793, with SciPy 1.10.1,
// NumPy 1.24.2 and trimesh 5.0.0rc1): the 3D local binary
// pattern by spherical harmonics of Banerjee et al. (2013), not rotation
// invariant as PyRadiomics implements it (see below). For every voxel
// of mask equal to label (array coordinates (z, y, x); spacing is ignored):
//
//   - the image is sampled at the Nv vertices w of
//     trimesh.creation.icosphere(subdivision, radius), vertex component k
//     added to array axis k (w[0] to z, w[1] to y, w[2] to x), by
//     scipy.ndimage.map_coordinates(order=3, mode='constant', cval=0): cubic
//     B-spline interpolation of the whole image's spline coefficients
//     (spline_filter with mirror boundaries), 0 where any coordinate lies
//     outside [0, size-1], the result stored in the image's pixel type
//     (integers rounded half away from zero and clamped, float32 rounded);
//   - the kurtosis image is scipy.stats.kurtosis of the Nv samples (Fisher,
//     biased: m4/m2^2 - 3 with NumPy's pairwise means; NaN when m2 <=
//     (1e-15*mean)^2, in float32 arithmetic for float32 images);
//   - each sample is thresholded, b(w) = sample >= centre voxel value, and
//     expanded in the harmonics Y_n^m(w) = sph_harm(m, n, theta_w, phi_w)
//     with theta = arccos(w[2]/radius) and phi = arctan2(w[1], w[0]) (SciPy's
//     sph_harm takes the azimuth first, so PyRadiomics evaluates the
//     harmonics with the polar and azimuthal angles exchanged):
//     c_nm = sum_w b(w) Y_n^m(w);
//   - level l = n+1 (n = 0 .. levels-1) is the real part of
//     sqrt(sum_w f_n(w)^2), f_n(w) = sum_m c_nm Y_n^m(w), in complex
//     arithmetic (f_n is real up to rounding; the square is complex, not
//     |f_n|^2, and sqrt is glibc's csqrt).
//
// The results are the images lbp-3D-m1 ... lbp-3D-m<levels> and lbp-3D-k,
// in that order, Float64, defined at ROI voxels and 0 elsewhere. Every step
// follows the upstream arithmetic operation by operation (summation orders
// included); see docs/conventions.md for what stays platform dependent.
//
// PyRadiomics fails (IndexError) for levels < 2; so does LBP3D, with an
// error. No PyRadiomics output for LBP3D exists in the project's shared
// reference data; the tests compare with values computed by running
// PyRadiomics' own getLBP3DImage (testdata/lbp3d_pyradiomics.txt).
func LBP3D(img, mask *volume.Image, label float64, levels int, radius float64, subdivision int) ([]LBP3DImage, error) {
	if err := checkImage(img); err != nil {
		return nil, err
	}
	if mask == nil || mask.Size != img.Size || len(mask.Data) != len(img.Data) {
		return nil, fmt.Errorf("filters: lbp3D: mask missing or of a different size than the image")
	}
	roi := make([]bool, len(mask.Data))
	for i, v := range mask.Data {
		roi[i] = v == label
	}
	bb := volume.BBox{Hi: [3]int{img.Size[0] - 1, img.Size[1] - 1, img.Size[2] - 1}}
	return LBP3DCrop(img, bb, roi, levels, radius, subdivision)
}

// LBP3DCrop returns the images of LBP3D cropped to bb (as Image.Crop(bb, 0))
// for the ROI given by roi, one flag per voxel of bb (x fastest): only those
// voxels are computed, each from the whole image (the spline coefficients
// are those of the whole image, computed only on the lines the box needs,
// which is exact: each line of the separable prefilter is filtered on its
// own).
func LBP3DCrop(img *volume.Image, bb volume.BBox, roi []bool, levels int, radius float64, subdivision int) ([]LBP3DImage, error) {
	if err := checkImage(img); err != nil {
		return nil, err
	}
	if levels < 2 || levels > lbp3DMaxLevels {
		return nil, fmt.Errorf("filters: lbp3D: lbp3DLevels %d outside 2..%d (PyRadiomics' getLBP3DImage fails with an IndexError below 2)", levels, lbp3DMaxLevels)
	}
	if !(radius > 0) || math.IsInf(radius, 0) {
		return nil, fmt.Errorf("filters: lbp3D: lbp3DIcosphereRadius %v must be positive and finite", radius)
	}
	if subdivision < 0 || subdivision > lbpMaxSubdivision {
		return nil, fmt.Errorf("filters: lbp3D: lbp3DIcosphereSubdivision %d outside 0..%d", subdivision, lbpMaxSubdivision)
	}
	g, err := cropGeometry(img.Geometry, bb)
	if err != nil {
		return nil, err
	}
	if len(roi) != g.NumVoxels() {
		return nil, fmt.Errorf("filters: lbp3D: %d ROI flags for a box of %d voxels", len(roi), g.NumVoxels())
	}
	sp := lbpSphereFor(subdivision, radius, levels)
	out := make([]LBP3DImage, levels+1)
	for l := 0; l < levels; l++ {
		out[l] = LBP3DImage{Name: "lbp-3D-m" + strconv.Itoa(l+1), Image: volume.New(g, volume.Float64)}
	}
	out[levels] = LBP3DImage{Name: "lbp-3D-k", Image: volume.New(g, volume.Float64)}

	// Per axis (ITK order), per box coordinate and vertex: the spline
	// footprint; then the coefficients of the lines they reach.
	var tabs [3]splineAxis
	strides := [3]int{1, img.Size[0], img.Size[0] * img.Size[1]}
	for k := 0; k < 3; k++ {
		// ITK axis k is array axis 2-k and receives vertex component 2-k.
		comp := make([]float64, len(sp.verts))
		for v, w := range sp.verts {
			comp[v] = w[2-k]
		}
		tabs[k] = newSplineAxis(bb.Lo[k], bb.Hi[k], img.Size[k], comp, strides[k])
	}
	coef := splineCoefficients(img, &tabs, roi, bb)
	if coef != nil {
		defer putBuf(coef)
	}

	// Voxels are split by z slice of the box over GOMAXPROCS workers; each
	// voxel's arithmetic is independent of the split.
	nz := bb.Size()[2]
	workers := min(runtime.GOMAXPROCS(0), nz)
	var wg sync.WaitGroup
	next := make(chan int, nz)
	for z := 0; z < nz; z++ {
		next <- z
	}
	close(next)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ws := newLBP3DWork(sp, img.Type)
			for z := range next {
				ws.slice(img, coef, &tabs, roi, bb, g, z, out)
			}
		}()
	}
	wg.Wait()
	return out, nil
}

// lbpSphere holds the icosphere and its harmonics table for one setting.
type lbpSphere struct {
	verts  [][3]float64
	levels int
	// yr, yi hold Y_n^m(w) at index w*J + j, j = n*n + (m+n), J = levels^2
	// (PyRadiomics' column order: n = 0, then n = 1 with m = -1, 0, 1, ...).
	yr, yi []float64
}

type lbpSphereKey struct {
	subdivision, levels int
	radius              float64
}

var lbpSphereCache sync.Map // lbpSphereKey -> *lbpSphere

// lbpSphereFor returns the (memoised) sphere and harmonics of a setting.
func lbpSphereFor(subdivision int, radius float64, levels int) *lbpSphere {
	key := lbpSphereKey{subdivision, levels, radius}
	if s, ok := lbpSphereCache.Load(key); ok {
		return s.(*lbpSphere)
	}
	verts := icosphere(subdivision, radius)
	J := levels * levels
	s := &lbpSphere{verts: verts, levels: levels, yr: make([]float64, len(verts)*J), yi: make([]float64, len(verts)*J)}
	for w, v := range verts {
		theta := crAcos(v[2] / radius)
		phi := crAtan2(v[1], v[0])
		j := 0
		for n := 0; n < levels; n++ {
			for m := -n; m <= n; m++ {
				s.yr[w*J+j], s.yi[w*J+j] = sphHarm(m, n, theta, phi)
				j++
			}
		}
	}
	if sz := len(verts) * J; sz <= 1<<16 {
		lbpSphereCache.Store(key, s)
	}
	return s
}

// lbp3DWork is one worker's scratch space (no allocation per voxel).
type lbp3DWork struct {
	sp      *lbpSphere
	pt      volume.PixelType
	samples []float64
	dev     []float64 // kurtosis: deviations and their powers
	s32     []float32 // kurtosis of float32 images: samples, powers
	d32     []float32
	bits    []bool
	cr, ci  []float64 // c_nm
	fr, fi  []float64 // f_n(w) terms of one vertex (2n+1 of them)
}

func newLBP3DWork(sp *lbpSphere, pt volume.PixelType) *lbp3DWork {
	nv, J := len(sp.verts), sp.levels*sp.levels
	return &lbp3DWork{
		sp: sp, pt: pt,
		samples: make([]float64, nv),
		dev:     make([]float64, nv),
		s32:     make([]float32, nv),
		d32:     make([]float32, nv),
		bits:    make([]bool, nv),
		cr:      make([]float64, J),
		ci:      make([]float64, J),
		fr:      make([]float64, 2*sp.levels),
		fi:      make([]float64, 2*sp.levels),
	}
}

// slice computes the ROI voxels of box slice z (box-relative).
func (ws *lbp3DWork) slice(img *volume.Image, coef []float64, tabs *[3]splineAxis, roi []bool, bb volume.BBox, g volume.Geometry, z int, out []LBP3DImage) {
	sz := g.Size
	nv := len(ws.sp.verts)
	levels := ws.sp.levels
	for y := 0; y < sz[1]; y++ {
		for x := 0; x < sz[0]; x++ {
			o := x + sz[0]*(y+sz[1]*z)
			if !roi[o] {
				continue
			}
			X, Y, Z := bb.Lo[0]+x, bb.Lo[1]+y, bb.Lo[2]+z
			centre := img.Data[img.Index(X, Y, Z)]
			tz := tabs[2].at(z, nv)
			ty := tabs[1].at(y, nv)
			tx := tabs[0].at(x, nv)
			for v := 0; v < nv; v++ {
				ws.samples[v] = mapCast(ws.pt, sampleSpline(coef, &tz[v], &ty[v], &tx[v]))
			}
			out[levels].Image.Data[o] = ws.kurtosis()
			for v, s := range ws.samples {
				ws.bits[v] = s >= centre
			}
			ws.levelsAt(out, o)
		}
	}
}

// sampleSpline is scipy's NI_GeometricTransform for order 3 at one point:
// 0 (cval) when the point is outside on any axis, else the sum over the
// 4x4x4 footprint, z slowest and x fastest, of ((c*wz)*wy)*wx.
func sampleSpline(coef []float64, tz, ty, tx *splineTap) float64 {
	if !tz.in || !ty.in || !tx.in {
		return 0
	}
	t := 0.0
	for a := 0; a < 4; a++ {
		oa, wa := tz.off[a], tz.w[a]
		for b := 0; b < 4; b++ {
			ob, wb := oa+ty.off[b], ty.w[b]
			for c := 0; c < 4; c++ {
				t += float64(float64(float64(coef[ob+tx.off[c]]*wa)*wb) * tx.w[c])
			}
		}
	}
	return t
}

// mapCast stores an interpolated value into map_coordinates' output array of
// the input's dtype (scipy ni_interpolation.c CASE_INTERP_OUT*): integers
// round half away from zero (unsigned: negative values give 0) and clamp to
// the type's range; float32 rounds; float64 keeps the value.
func mapCast(pt volume.PixelType, t float64) float64 {
	switch pt {
	case volume.Float64:
		return t
	case volume.Float32:
		return float64(float32(t))
	}
	lo, hi := pt.Range()
	if lo == 0 {
		if t > 0 {
			t += 0.5
		} else {
			t = 0
		}
	} else if t > 0 {
		t += 0.5
	} else {
		t -= 0.5
	}
	if t > hi {
		t = hi
	}
	if t < lo {
		t = lo
	}
	return math.Trunc(t)
}

// kurtosis is scipy.stats.kurtosis(samples) (SciPy 1.10.1, fisher=True,
// bias=True): mean, m2 = mean(d^2), m4 = mean((d^2)^2) with NumPy's pairwise
// sums, NaN when m2 <= (resolution*mean)^2, else m4/(m2*m2) - 3. Float32
// images give float32 samples, and NumPy then computes all of it in float32
// (resolution 1e-6).
func (ws *lbp3DWork) kurtosis() float64 {
	a, d := ws.samples, ws.dev
	n := len(a)
	if ws.pt == volume.Float32 {
		a32, d32 := ws.s32[:n], ws.d32[:n]
		for i, x := range a {
			a32[i] = float32(x)
		}
		mean := pairwise.Sum(a32) / float32(n)
		for i, x := range a32 {
			v := x - mean
			d32[i] = v * v
		}
		m2 := pairwise.Sum(d32) / float32(n)
		for i, x := range d32 {
			d32[i] = x * x
		}
		m4 := pairwise.Sum(d32) / float32(n)
		r := float32(1e-6) * mean
		if m2 <= r*r {
			return math.NaN()
		}
		return float64(m4/(m2*m2) - 3)
	}
	mean := pairwise.Sum(a) / float64(n)
	for i, x := range a {
		d[i] = x - mean
	}
	for i, x := range d {
		d[i] = float64(x * x)
	}
	m2 := pairwise.Sum(d) / float64(n)
	for i, x := range d {
		d[i] = float64(x * x)
	}
	m4 := pairwise.Sum(d) / float64(n)
	r := float64(1e-15 * mean)
	if m2 <= float64(r*r) {
		return math.NaN()
	}
	return m4/float64(m2*m2) - 3
}

// levelsAt computes the level images at output index o from ws.bits.
func (ws *lbp3DWork) levelsAt(out []LBP3DImage, o int) {
	sp := ws.sp
	J := sp.levels * sp.levels
	nv := len(sp.verts)
	// c_nm = sum_w b(w) Y(w), in vertex order (NumPy reduces axis 1 of the
	// (Np, Nv, J) product sequentially); b*Y is Y or a zero.
	cr, ci := ws.cr, ws.ci
	for j := range cr {
		cr[j], ci[j] = 0, 0
	}
	for w := 0; w < nv; w++ {
		if !ws.bits[w] {
			continue
		}
		yr, yi := sp.yr[w*J:(w+1)*J], sp.yi[w*J:(w+1)*J]
		for j := range cr {
			cr[j] += yr[j]
			ci[j] += yi[j]
		}
	}
	for n := 0; n < sp.levels; n++ {
		j0, K := n*n, 2*n+1
		var sr, si float64 // sum_w f_n(w)^2
		for w := 0; w < nv; w++ {
			yr, yi := sp.yr[w*J+j0:w*J+j0+K], sp.yi[w*J+j0:w*J+j0+K]
			for k := 0; k < K; k++ {
				a, b := cr[j0+k], ci[j0+k]
				ws.fr[k] = float64(a*yr[k]) - float64(b*yi[k])
				ws.fi[k] = float64(a*yi[k]) + float64(b*yr[k])
			}
			var fr, fi float64
			if n == 0 {
				fr, fi = ws.fr[0], ws.fi[0]
			} else {
				fr, fi = complexPairwiseSum(ws.fr[:K], ws.fi[:K])
			}
			sr += float64(fr*fr) - float64(fi*fi)
			si += float64(fr*fi) + float64(fi*fr)
		}
		out[n].Image.Data[o] = csqrtReal(sr, si)
	}
}

// complexPairwiseSum is NumPy 1.24's pairwise summation of a complex128
// reduction over K terms: in order when K < 4, else with four complex
// accumulators (blocks of 64 terms).
func complexPairwiseSum(re, im []float64) (float64, float64) {
	n := len(re)
	switch {
	case n < 4:
		var sr, si float64
		for k := 0; k < n; k++ {
			sr += re[k]
			si += im[k]
		}
		return sr, si
	case n <= 64:
		var r, s [4]float64
		copy(r[:], re[:4])
		copy(s[:], im[:4])
		i := 4
		for ; i < n-n%4; i += 4 {
			for k := 0; k < 4; k++ {
				r[k] += re[i+k]
				s[k] += im[i+k]
			}
		}
		sr := (r[0] + r[1]) + (r[2] + r[3])
		si := (s[0] + s[1]) + (s[2] + s[3])
		for ; i < n; i++ {
			sr += re[i]
			si += im[i]
		}
		return sr, si
	}
	n2 := n / 2
	n2 -= n2 % 4
	ar, ai := complexPairwiseSum(re[:n2], im[:n2])
	br, bi := complexPairwiseSum(re[n2:], im[n2:])
	return ar + br, ai + bi
}

// csqrtReal is the real part of glibc's csqrt(re + i im) for finite
// arguments: sqrt(re) (0 for re < 0) when im is 0, sqrt(|im|/2) when re is
// 0, else sqrt(0.5*(hypot + re)) for re > 0 and |0.5*(im/s)|, s =
// sqrt(0.5*(hypot - re)), for re < 0 (glibc's scalings of huge and tiny
// arguments included).
func csqrtReal(re, im float64) float64 {
	switch {
	case im == 0:
		if re < 0 {
			return 0
		}
		return math.Sqrt(re)
	case re == 0:
		if math.Abs(im) >= 2*minNormal {
			return math.Sqrt(0.5 * math.Abs(im))
		}
		return 0.5 * math.Sqrt(2*math.Abs(im))
	}
	scale := 0
	switch {
	case math.Abs(re) > math.MaxFloat64/4:
		scale = 1
		re, im = math.Ldexp(re, -2), math.Ldexp(im, -2)
	case math.Abs(im) > math.MaxFloat64/4:
		scale = 1
		if math.Abs(re) >= 4*minNormal {
			re = math.Ldexp(re, -2)
		} else {
			re = 0
		}
		im = math.Ldexp(im, -2)
	case math.Abs(re) < 2*minNormal && math.Abs(im) < 2*minNormal:
		scale = -27
		re, im = math.Ldexp(re, 54), math.Ldexp(im, 54)
	}
	d := glibcHypot(re, im)
	var r float64
	if re > 0 {
		r = math.Sqrt(0.5 * (d + re))
	} else {
		s := math.Sqrt(0.5 * (d - re))
		if scale == 1 && math.Abs(im) < 1 {
			return math.Abs(im / s)
		}
		r = math.Abs(0.5 * (im / s))
	}
	if scale != 0 {
		r = math.Ldexp(r, scale)
	}
	return r
}

// minNormal is the smallest positive normal float64 (DBL_MIN).
const minNormal = 0x1p-1022

// glibcHypot is glibc 2.35+'s hypot without FMA (Borges' corrected
// sqrt(x^2 + y^2), "An improved algorithm for hypot(a,b)", 2019): h =
// sqrt(ax^2 + ay^2) is corrected by the rounding error of the squares.
func glibcHypot(x, y float64) float64 {
	if math.IsInf(x, 0) || math.IsInf(y, 0) {
		return math.Inf(1)
	}
	if math.IsNaN(x) || math.IsNaN(y) {
		return x + y
	}
	x, y = math.Abs(x), math.Abs(y)
	ax, ay := math.Max(x, y), math.Min(x, y)
	const (
		scaleF = 0x1p-600
		large  = 0x1p+511
		tiny   = 0x1p-459
		eps    = 0x1p-54
	)
	switch {
	case ax > large:
		if ay <= ax*eps {
			return ax + ay
		}
		return hypotKernel(ax*scaleF, ay*scaleF) / scaleF
	case ay < tiny:
		if ax >= ay/eps {
			return ax + ay
		}
		return hypotKernel(ax/scaleF, ay/scaleF) * scaleF
	case ay <= ax*eps:
		return ax + ay
	}
	return hypotKernel(ax, ay)
}

// hypotKernel is the corrected square root for ax >= ay >= 0 of moderate
// size.
func hypotKernel(ax, ay float64) float64 {
	h := math.Sqrt(float64(ax*ax) + float64(ay*ay))
	var t1, t2 float64
	if h <= 2*ay {
		delta := h - ay
		t1 = float64(ax * (float64(2*delta) - ax))
		t2 = float64((delta - float64(2*(ax-ay))) * delta)
	} else {
		delta := h - ax
		t1 = float64(float64(2*delta) * (ax - float64(2*ay)))
		t2 = float64(float64(float64(4*delta)-ay)*ay) + float64(delta*delta)
	}
	return h - (t1+t2)/float64(2*h)
}
