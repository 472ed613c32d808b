package preprocess

import (
	"errors"
	"fmt"
	"math"
	"math/big"
	"runtime"
	"strconv"
	"strings"
	"sync"

	"github.com/spinerad/spinerad/internal/volume"
)

// Interpolator selects how ResampleImageAndMask samples the image. The values
// are SimpleITK's InterpolatorEnum codes (sitkNearestNeighbor = 1, ...).
type Interpolator int

// The supported interpolators (SimpleITK codes 1, 2 and 3).
const (
	// NearestNeighbor is itk::NearestNeighborInterpolateImageFunction:
	// index floor(c + 0.5) per axis.
	NearestNeighbor Interpolator = 1
	// Linear is itk::LinearInterpolateImageFunction (3D specialisation).
	Linear Interpolator = 2
	// BSpline is itk::BSplineInterpolateImageFunction of order 3 with mirror
	// boundaries, SimpleITK's sitkBSpline and PyRadiomics' default.
	BSpline Interpolator = 3
)

// sitkInterpolators lists SimpleITK's interpolator names by code (1..10).
var sitkInterpolators = [...]string{"", "sitkNearestNeighbor", "sitkLinear", "sitkBSpline", "sitkGaussian",
	"sitkLabelGaussian", "sitkHammingWindowedSinc", "sitkCosineWindowedSinc", "sitkWelchWindowedSinc",
	"sitkLanczosWindowedSinc", "sitkBlackmanWindowedSinc"}

// String returns the SimpleITK name of the interpolator.
func (ip Interpolator) String() string {
	if ip >= 1 && int(ip) < len(sitkInterpolators) {
		return sitkInterpolators[ip]
	}
	return fmt.Sprintf("Interpolator(%d)", int(ip))
}

// ParseInterpolator maps a PyRadiomics interpolator setting to an
// Interpolator: a SimpleITK name (sitkNearestNeighbor, sitkLinear,
// sitkBSpline) or its integer code (1, 2, 3). The other names and codes
// SimpleITK defines (sitkGaussian = 4 ... sitkBlackmanWindowedSinc = 10) are
// reported as unsupported; anything else as unknown.
func ParseInterpolator(name string) (Interpolator, error) {
	s := strings.TrimSpace(name)
	code := -1
	if n, err := strconv.Atoi(s); err == nil {
		if n < 1 || n >= len(sitkInterpolators) {
			return 0, fmt.Errorf("interpolator code %d is not a SimpleITK interpolator (valid codes 1-10)", n)
		}
		code = n
	} else {
		for i, v := range sitkInterpolators {
			if i > 0 && v == s {
				code = i
			}
		}
		if code < 0 {
			return 0, fmt.Errorf("unknown interpolator %q (supported: sitkNearestNeighbor, sitkLinear, sitkBSpline or codes 1-3)", name)
		}
	}
	if code > int(BSpline) {
		return 0, fmt.Errorf("interpolator %s (code %d) is not supported (supported: sitkNearestNeighbor, sitkLinear, sitkBSpline)",
			sitkInterpolators[code], code)
	}
	return Interpolator(code), nil
}

// roiBounds is the ROI bounding box in the LabelShapeStatistics convention:
// lower index and size per axis.
type roiBounds struct {
	lower, size [3]int
}

// checkROI is PyRadiomics' _checkROI: the bounding box of label in mask
// index space, and an error if its outer corners (continuous mask indices
// lower - 0.5 and lower + size - 0.5) map to continuous image indices below
// -0.5 - 1e-3 or above imageSize - 0.5 + 1e-3 on any axis.
func checkROI(img, mask *volume.Image, label int) (roiBounds, error) {
	var rb roiBounds
	bb, _, ok := volume.LabelBBox(mask, float64(label))
	if !ok {
		return rb, fmt.Errorf("label %d not present in mask", label)
	}
	rb.lower = bb.Lo
	rb.size = bb.Size()
	var c1, c2 [3]float64
	for i := 0; i < 3; i++ {
		c1[i] = float64(rb.lower[i]) - 0.5
		c2[i] = float64(rb.lower[i]+rb.size[i]) - 0.5
	}
	binv := inverseMatrix(&img.Geometry)
	i1 := physicalToContinuous(&binv, &img.Origin, continuousIndexToPhysical(&mask.Geometry, c1))
	i2 := physicalToContinuous(&binv, &img.Origin, continuousIndexToPhysical(&mask.Geometry, c2))
	const tol = 1e-3
	for i := 0; i < 3; i++ {
		lo, hi := math.Min(i1[i], i2[i]), math.Max(i1[i], i2[i])
		if lo < -0.5-tol || hi > float64(img.Size[i])-0.5+tol || math.IsNaN(lo) || math.IsNaN(hi) {
			return rb, fmt.Errorf("bounding box of ROI is larger than image space: ROI bounds in image index space %v to %v, image size %v",
				i1, i2, img.Size)
		}
	}
	return rb, nil
}

// ResampleImageAndMask is PyRadiomics' imageoperations.resampleImage
// (sections 3.1-3.6 of the parity spec). spacing is the target spacing in ITK
// order; a 0 entry keeps the mask spacing, and so does every axis along which
// the ROI (voxels equal to label) is one voxel thick. If the image spacing is
// already allclose to the target (|a - b| <= 1e-8 + 1e-5*|b|), only the mask
// is resampled onto the image grid (nearest neighbour) and both are cropped
// to the ROI bounding box plus padDistance. Otherwise the new grid is
//
//	ratio = m/r, L = floor((lower - 0.5)*ratio - pad), U = ceil((lower + size - 0.5)*ratio + pad),
//	clipped to [0, ceil(S*ratio) - 1], size = U - L + 1,
//	origin = mask.ContinuousIndexToPhysical((0.5*(r - m))/m + L/ratio),
//
// (m mask spacing, r target spacing, lower/size the ROI box in mask index
// space, S the mask size) with the mask's direction; the image is resampled
// with interp into its own pixel type (integers clamped then truncated toward
// zero), the mask with nearest neighbour into its pixel type, both with ITK's
// scan-line mapping and default value 0. Errors: nil inputs, negative or
// non-finite spacing, negative padDistance, label absent, ROI outside the
// image's physical space, unsupported interpolator.
func ResampleImageAndMask(img, mask *volume.Image, label int, spacing [3]float64, interp Interpolator, padDistance int) (*volume.Image, *volume.Image, error) {
	if img == nil || mask == nil {
		return nil, nil, errors.New("resample: image and mask are required")
	}
	if err := checkImage(img, "image"); err != nil {
		return nil, nil, err
	}
	if err := checkImage(mask, "mask"); err != nil {
		return nil, nil, err
	}
	if interp < NearestNeighbor || interp > BSpline {
		return nil, nil, fmt.Errorf("resample: interpolator %v is not supported", interp)
	}
	if padDistance < 0 {
		return nil, nil, fmt.Errorf("resample: padDistance %d is negative", padDistance)
	}
	m := mask.Spacing
	var r [3]float64
	for i := 0; i < 3; i++ {
		if !(spacing[i] >= 0) || math.IsInf(spacing[i], 1) {
			return nil, nil, fmt.Errorf("resample: target spacing %v must be finite and >= 0", spacing)
		}
		r[i] = spacing[i]
		if r[i] == 0 {
			r[i] = m[i]
		}
	}
	rb, err := checkROI(img, mask, label)
	if err != nil {
		return nil, nil, fmt.Errorf("resample: %w", err)
	}
	for i := 0; i < 3; i++ {
		if rb.size[i] == 1 {
			r[i] = m[i]
		}
	}
	same := true
	for i := 0; i < 3; i++ {
		if !(math.Abs(img.Spacing[i]-r[i]) <= 1e-8+float64(1e-5*math.Abs(r[i]))) {
			same = false
		}
	}
	if same {
		rm := resampleOnto(mask, img.Geometry, NearestNeighbor, mask.Type)
		bb, _, ok := volume.LabelBBox(rm, float64(label))
		if !ok {
			return nil, nil, fmt.Errorf("resample: label %d vanished when resampling the mask onto the image grid", label)
		}
		return img.Crop(bb, padDistance), rm.Crop(bb, padDistance), nil
	}
	g := newGrid(&mask.Geometry, rb, r, padDistance)
	return resampleOnto(img, g, interp, img.Type), resampleOnto(mask, g, NearestNeighbor, mask.Type), nil
}

// newGrid computes the resampled geometry of section 3.3.
func newGrid(mg *volume.Geometry, rb roiBounds, r [3]float64, pad int) volume.Geometry {
	m := mg.Spacing
	fpad := float64(pad)
	var c0 [3]float64
	g := volume.Geometry{Spacing: r, Direction: mg.Direction}
	for i := 0; i < 3; i++ {
		ratio := m[i] / r[i]
		l := math.Floor(float64((float64(rb.lower[i])-0.5)*ratio) - fpad)
		u := math.Ceil(float64(float64(rb.lower[i]+rb.size[i])-0.5)*ratio + fpad)
		umax := math.Ceil(float64(mg.Size[i])*ratio) - 1
		if !(l >= 0) {
			l = 0
		}
		if u > umax {
			u = umax
		}
		g.Size[i] = int(u - l + 1)
		c0[i] = (0.5*(r[i]-m[i]))/m[i] + l/ratio
	}
	g.Origin = continuousIndexToPhysical(mg, c0)
	return g
}

// checkImage rejects images whose data do not match their size.
func checkImage(im *volume.Image, what string) error {
	for i := 0; i < 3; i++ {
		if im.Size[i] < 1 {
			return fmt.Errorf("%s has an empty size %v", what, im.Size)
		}
		if !(im.Spacing[i] > 0) || math.IsInf(im.Spacing[i], 1) {
			return fmt.Errorf("%s has an invalid spacing %v", what, im.Spacing)
		}
	}
	if len(im.Data) != im.NumVoxels() {
		return fmt.Errorf("%s holds %d voxels, its size %v needs %d", what, len(im.Data), im.Size, im.NumVoxels())
	}
	return nil
}

// resampleOnto resamples in onto the grid og with ITK's ResampleImageFilter
// (identity transform, default value 0, scan-line path of section 3.4) and
// casts the interpolated values to outType.
func resampleOnto(in *volume.Image, og volume.Geometry, interp Interpolator, outType volume.PixelType) *volume.Image {
	out := volume.New(og, outType)
	s := sampler{data: in.Data, n: in.Size, interp: interp}
	if interp == BSpline {
		s.data = bsplineCoefficients(in)
	}
	aOut := og.Matrix()
	bIn := inverseMatrix(&in.Geometry)
	nx, ny := og.Size[0], og.Size[1]
	lines := ny * og.Size[2]
	inOrigin := in.Origin
	parallelFor(lines, func(lo, hi int) {
		for l := lo; l < hi; l++ {
			y, z := float64(l%ny), float64(l/ny)
			cs := physicalToContinuous(&bIn, &inOrigin, indexToPhysical(&aOut, &og.Origin, [3]float64{0, y, z}))
			ce := physicalToContinuous(&bIn, &inOrigin, indexToPhysical(&aOut, &og.Origin, [3]float64{float64(nx), y, z}))
			d := [3]float64{ce[0] - cs[0], ce[1] - cs[1], ce[2] - cs[2]}
			row := out.Data[l*nx : (l+1)*nx]
			for x := range row {
				alpha := float64(x) / float64(nx)
				c := [3]float64{cs[0] + float64(alpha*d[0]), cs[1] + float64(alpha*d[1]), cs[2] + float64(alpha*d[2])}
				if !s.inside(c) {
					continue // default pixel value 0
				}
				row[x] = outType.Cast(s.eval(c))
			}
		}
	})
	return out
}

// parallelFor splits [0, n) into contiguous chunks run on GOMAXPROCS
// goroutines. Each index is processed exactly once, so results do not depend
// on the split.
func parallelFor(n int, f func(lo, hi int)) {
	w := runtime.GOMAXPROCS(0)
	if w > n {
		w = n
	}
	if w <= 1 {
		f(0, n)
		return
	}
	var wg sync.WaitGroup
	chunk := (n + w - 1) / w
	for lo := 0; lo < n; lo += chunk {
		hi := lo + chunk
		if hi > n {
			hi = n
		}
		wg.Add(1)
		go func(lo, hi int) {
			defer wg.Done()
			f(lo, hi)
		}(lo, hi)
	}
	wg.Wait()
}

// sampler evaluates an interpolator at continuous indices of one image; data
// holds the voxel values, or the B-spline coefficients for BSpline.
type sampler struct {
	data   []float64
	n      [3]int
	interp Interpolator
}

// inside is ITK's IsInsideBuffer: -0.5 <= c < n - 0.5 on every axis (NaN fails).
func (s *sampler) inside(c [3]float64) bool {
	for i := 0; i < 3; i++ {
		if !(c[i] >= -0.5 && c[i] < float64(s.n[i])-0.5) {
			return false
		}
	}
	return true
}

func (s *sampler) eval(c [3]float64) float64 {
	switch s.interp {
	case NearestNeighbor:
		return s.nearest(c)
	case Linear:
		return s.linear(c)
	default:
		return s.bspline(c)
	}
}

// nearest reads the voxel at floor(c + 0.5) per axis (ITK RoundHalfIntegerUp).
func (s *sampler) nearest(c [3]float64) float64 {
	var ix [3]int
	for i := 0; i < 3; i++ {
		k := int(math.Floor(c[i] + 0.5))
		if k > s.n[i]-1 { // only reachable through rounding of c + 0.5
			k = s.n[i] - 1
		}
		if k < 0 {
			k = 0
		}
		ix[i] = k
	}
	return s.data[ix[0]+s.n[0]*(ix[1]+s.n[1]*ix[2])]
}

// linear is itk::LinearInterpolateImageFunction's 3D path: b = floor(c)
// clamped to >= 0, t = c - b; an axis is interpolated only when t > 0 and
// b + 1 is inside the image; successive lerps v0 + (v1 - v0)*t along x, y, z.
func (s *sampler) linear(c [3]float64) float64 {
	var b [3]int
	var t [3]float64
	var act [3]bool
	for i := 0; i < 3; i++ {
		k := int(math.Floor(c[i]))
		if k < 0 {
			k = 0
		}
		b[i] = k
		t[i] = c[i] - float64(k)
		act[i] = t[i] > 0 && k+1 <= s.n[i]-1
	}
	nx, nxy := s.n[0], s.n[0]*s.n[1]
	at := func(dx, dy, dz int) float64 {
		return s.data[(b[0]+dx)+nx*(b[1]+dy)+nxy*(b[2]+dz)]
	}
	lerpX := func(dy, dz int) float64 {
		v0 := at(0, dy, dz)
		if !act[0] {
			return v0
		}
		return v0 + float64((at(1, dy, dz)-v0)*t[0])
	}
	lerpXY := func(dz int) float64 {
		v0 := lerpX(0, dz)
		if !act[1] {
			return v0
		}
		return v0 + float64((lerpX(1, dz)-v0)*t[1])
	}
	v0 := lerpXY(0)
	if !act[2] {
		return v0
	}
	return v0 + float64((lerpXY(1)-v0)*t[2])
}

// bspline evaluates the cubic B-spline at c (itk::BSplineInterpolateImageFunction,
// order 3): support start floor(float32(c)) - 1, weights from w = c - (start + 1),
// whole-sample mirror boundaries, sum over the 4x4x4 support in ITK's order.
func (s *sampler) bspline(c [3]float64) float64 {
	var w [3][4]float64
	var idx [3][4]int
	for a := 0; a < 3; a++ {
		st := int(math.Floor(float64(float32(c[a])))) - 1
		x := c[a] - float64(st+1)
		w3 := (1.0 / 6.0) * x * x * x
		w0 := (1.0 / 6.0) + float64(0.5*x*(x-1.0)) - w3
		w2 := x + w0 - float64(2.0*w3)
		w1 := 1.0 - w0 - w2 - w3
		w[a] = [4]float64{w0, w1, w2, w3}
		n := s.n[a]
		for k := 0; k < 4; k++ {
			idx[a][k] = mirrorIndex(st+k, n)
		}
	}
	nx, nxy := s.n[0], s.n[0]*s.n[1]
	sum := 0.0
	for pz := 0; pz < 4; pz++ {
		oz := nxy * idx[2][pz]
		wz := w[2][pz]
		for py := 0; py < 4; py++ {
			oyz := oz + nx*idx[1][py]
			wy := w[1][py]
			for px := 0; px < 4; px++ {
				ww := float64(w[0][px]*wy) * wz
				sum += float64(ww * s.data[oyz+idx[0][px]])
			}
		}
	}
	return sum
}

// mirrorIndex applies ITK's whole-sample mirror boundary to support index k
// of an axis of n samples: 0 if n == 1; -k if k < 0; 2(n-1) - k if k >= n-1.
// ITK applies the rule once, which for n == 2 can leave k = 3 at -1 (an
// out-of-bounds read in ITK); here the reflection is repeated until k is
// inside.
func mirrorIndex(k, n int) int {
	if n == 1 {
		return 0
	}
	for {
		if k < 0 {
			k = -k
		}
		if k >= n-1 {
			k = 2*(n-1) - k
		}
		if k >= 0 && k <= n-1 {
			return k
		}
	}
}

// The cubic B-spline pole and the constants of BSplineDecompositionImageFilter.
var (
	bsplinePole    = math.Sqrt(3.0) - 2.0
	bsplineGain    = 1.0 * (1.0 - bsplinePole) * (1.0 - 1.0/bsplinePole)
	bsplineHorizon = int(math.Ceil(math.Log(1e-10) / math.Log(math.Abs(bsplinePole))))
	bsplinePowOnce sync.Once
	bsplinePowTab  []float64
)

// polePow returns z^k correctly rounded (C's pow for the exact-mirror
// initialisation), for 0 <= k < horizon.
func polePow(k int) float64 {
	bsplinePowOnce.Do(func() {
		bsplinePowTab = make([]float64, bsplineHorizon+1)
		z := new(big.Float).SetPrec(4096).SetFloat64(bsplinePole)
		p := new(big.Float).SetPrec(4096).SetFloat64(1)
		for i := range bsplinePowTab {
			f, _ := p.Float64()
			bsplinePowTab[i] = f
			p.Mul(p, z)
		}
	})
	if k < len(bsplinePowTab) {
		return bsplinePowTab[k]
	}
	return math.Pow(bsplinePole, float64(k))
}

// bsplineCoefficients computes the cubic B-spline coefficients of the whole
// image (itk::BSplineDecompositionImageFilter, order 3, mirror boundaries),
// in double, axis by axis in the order x, y, z, each line in place. Lines
// along y and z are processed in bundles of nx adjacent lines (same
// arithmetic per line, cache-friendly access).
func bsplineCoefficients(in *volume.Image) []float64 {
	coef := append([]float64(nil), in.Data...)
	nx, ny, nz := in.Size[0], in.Size[1], in.Size[2]
	if nx > 1 {
		parallelFor(ny*nz, func(lo, hi int) {
			for l := lo; l < hi; l++ {
				decompose1D(coef[l*nx : (l+1)*nx])
			}
		})
	}
	if ny > 1 {
		parallelFor(nz, func(lo, hi int) {
			sum := make([]float64, nx)
			for z := lo; z < hi; z++ {
				decomposeBundle(coef, z*nx*ny, nx, ny, nx, sum)
			}
		})
	}
	if nz > 1 {
		parallelFor(ny, func(lo, hi int) {
			sum := make([]float64, nx)
			for y := lo; y < hi; y++ {
				decomposeBundle(coef, y*nx, nx*ny, nz, nx, sum)
			}
		})
	}
	return coef
}

// decomposeBundle runs decompose1D on width adjacent lines at once: line j
// has its samples at c[start + k*stride + j], k = 0..n-1 (n >= 2). sum is
// scratch of length width. The arithmetic of each line is exactly that of
// decompose1D.
func decomposeBundle(c []float64, start, stride, n, width int, sum []float64) {
	row := func(k int) []float64 { o := start + k*stride; return c[o : o+width] }
	z := bsplinePole
	for k := 0; k < n; k++ {
		r := row(k)
		for j := range r {
			r[j] *= bsplineGain
		}
	}
	r0 := row(0)
	sum = sum[:width]
	zn := z
	if bsplineHorizon < n {
		copy(sum, r0)
		for k := 1; k < bsplineHorizon; k++ {
			rk := row(k)
			for j := range sum {
				sum[j] += float64(zn * rk[j])
			}
			zn *= z
		}
		copy(r0, sum)
	} else {
		iz := 1.0 / z
		z2n := polePow(n - 1)
		rl := row(n - 1)
		for j := range sum {
			sum[j] = r0[j] + float64(z2n*rl[j])
		}
		z2n *= z2n * iz
		for k := 1; k <= n-2; k++ {
			rk := row(k)
			f := zn + z2n
			for j := range sum {
				sum[j] += float64(f * rk[j])
			}
			zn *= z
			z2n *= iz
		}
		d := 1.0 - float64(zn*zn)
		for j := range r0 {
			r0[j] = sum[j] / d
		}
	}
	prev := r0
	for k := 1; k < n; k++ {
		rk := row(k)
		for j := range rk {
			rk[j] += float64(z * prev[j])
		}
		prev = rk
	}
	last, before := row(n-1), row(n-2)
	g := z / (float64(z*z) - 1.0)
	for j := range last {
		last[j] = g * (float64(z*before[j]) + last[j])
	}
	next := last
	for k := n - 2; k >= 0; k-- {
		rk := row(k)
		for j := range rk {
			rk[j] = z * (next[j] - rk[j])
		}
		next = rk
	}
}

// decompose1D is BSplineDecompositionImageFilter::DataToCoefficients1D for
// the cubic pole z = sqrt(3) - 2: gain, causal initialisation (accelerated
// over 18 samples or mirror-exact), causal pass, anticausal initialisation
// and pass. Lines shorter than 2 samples are left unchanged.
func decompose1D(c []float64) {
	n := len(c)
	if n < 2 {
		return
	}
	z := bsplinePole
	for k := range c {
		c[k] *= bsplineGain
	}
	zn := z
	if bsplineHorizon < n {
		sum := c[0]
		for k := 1; k < bsplineHorizon; k++ {
			sum += float64(zn * c[k])
			zn *= z
		}
		c[0] = sum
	} else {
		iz := 1.0 / z
		z2n := polePow(n - 1)
		sum := c[0] + float64(z2n*c[n-1])
		z2n *= z2n * iz
		for k := 1; k <= n-2; k++ {
			sum += float64((zn + z2n) * c[k])
			zn *= z
			z2n *= iz
		}
		c[0] = sum / (1.0 - float64(zn*zn))
	}
	for k := 1; k < n; k++ {
		c[k] += float64(z * c[k-1])
	}
	c[n-1] = (z / (float64(z*z) - 1.0)) * (float64(z*c[n-2]) + c[n-1])
	for k := n - 2; k >= 0; k-- {
		c[k] = z * (c[k+1] - c[k])
	}
}
