package filters

import (
	"math"
	"math/big"

	"github.com/spinerad/spinerad/internal/volume"
)

// Cubic B-spline interpolation as scipy.ndimage.map_coordinates(input,
// coordinates, order=3) does it in SciPy 1.10.1 (mode 'constant', cval 0,
// prefilter True): spline_filter(input, 3, output=float64, mode='constant')
// runs the cubic prefilter along array axes 0, 1, 2 in turn with mirror
// boundary conditions (scipy's apply_filter treats 'constant' as 'mirror'),
// then each point is interpolated from the 4x4x4 coefficients around it,
// indices past an edge mirrored (spline_mode MIRROR), and points with any
// coordinate outside [0, size-1] get cval (ni_interpolation.c
// NI_GeometricTransform). Every floating-point operation is in scipy's order.

// splinePole is the pole of the cubic B-spline prefilter, sqrt(3) - 2, as
// written in scipy's ni_splines.c.
const splinePole = -0.267949192431122706472553658494127633

// splineTap is the interpolation footprint of one coordinate along one axis:
// whether the coordinate is inside [0, size-1], the element offsets (index
// times the axis stride) of its four coefficients and their weights.
type splineTap struct {
	in  bool
	off [4]int
	w   [4]float64
}

// splineAxis holds the taps of one axis for each coordinate of a box range
// and each vertex component (index i*nv + v), and the range of coefficient
// indices they reach.
type splineAxis struct {
	taps           []splineTap
	need           bool // some tap is inside
	minIdx, maxIdx int
}

// at returns the taps of box-relative coordinate i.
func (a *splineAxis) at(i, nv int) []splineTap { return a.taps[i*nv : (i+1)*nv] }

// newSplineAxis builds the taps for integer coordinates from..to plus each
// offset in comp, on an axis of the given size and element stride: the
// coordinate is the double float64(i) + comp[v] (as NumPy adds the integer
// ROI index and the vertex coordinate).
func newSplineAxis(from, to, size int, comp []float64, stride int) splineAxis {
	nv := len(comp)
	a := splineAxis{taps: make([]splineTap, (to-from+1)*nv), minIdx: math.MaxInt, maxIdx: -1}
	for i := from; i <= to; i++ {
		for v, c := range comp {
			t := &a.taps[(i-from)*nv+v]
			cc := float64(i) + c
			if cc < 0 || cc > float64(size-1) {
				continue // map_coordinate(CONSTANT) gives -1: cval
			}
			t.in = true
			start := int(math.Floor(cc)) - 1
			edge := start < 0 || start+3 >= size
			for l := 0; l < 4; l++ {
				idx := start + l
				if edge {
					idx = mirrorIndex(idx, size)
				}
				t.off[l] = idx * stride
				a.minIdx = min(a.minIdx, idx)
				a.maxIdx = max(a.maxIdx, idx)
			}
			t.w = splineWeights3(cc)
			a.need = true
		}
	}
	return a
}

// mirrorIndex is scipy's map_coordinate(i, n, NI_EXTEND_MIRROR) for an
// integer index: reflection about the first and last samples (period 2n-2),
// 0 for n = 1.
func mirrorIndex(i, n int) int {
	if n <= 1 {
		if i < 0 || i > n-1 {
			return 0
		}
		return i
	}
	sz2 := 2*n - 2
	if i < 0 {
		i += sz2 * (-i / sz2)
		if i <= 1-n {
			i += sz2
		} else {
			i = -i
		}
	} else if i > n-1 {
		i -= sz2 * (i / sz2)
		if i >= n {
			i = sz2 - i
		}
	}
	return i
}

// splineWeights3 is scipy's get_spline_interpolation_weights(x, 3): with
// t = x - floor(x), w1 = (t^2 (t-2) 3 + 4)/6, w2 the same in 1-t,
// w0 = (1-t)^3/6 and w3 = ((1 - w0) - w1) - w2, each in scipy's order.
func splineWeights3(x float64) [4]float64 {
	x -= math.Floor(x)
	y, z := x, 1.0-x
	var w [4]float64
	w[1] = float64(float64(float64(float64(y*y)*(y-2.0))*3.0)+4.0) / 6.0
	w[2] = float64(float64(float64(float64(z*z)*(z-2.0))*3.0)+4.0) / 6.0
	w[0] = float64(float64(z*z)*z) / 6.0
	w[3] = 1.0
	for i := 0; i < 3; i++ {
		w[3] -= w[i]
	}
	return w
}

// splineCoefficients returns scipy's spline_filter(img, 3) coefficients of
// the whole image (x fastest), computed only where the taps reach: the
// array-axis-0 (z) pass runs over the whole image, the y pass over the z
// slices the taps reach and the x pass over their (z, y) rows. Each line is
// filtered independently, so the values are those of the full prefilter.
// It returns nil when no sample point is inside the image.
func splineCoefficients(img *volume.Image, tabs *[3]splineAxis, roi []bool, bb volume.BBox) []float64 {
	if !tabs[0].need || !tabs[1].need || !tabs[2].need {
		return nil
	}
	roiAny := false
	for _, r := range roi {
		if r {
			roiAny = true
			break
		}
	}
	if !roiAny {
		return nil
	}
	nx, ny, nz := img.Size[0], img.Size[1], img.Size[2]
	c := getBuf[float64](len(img.Data))
	copy(c, img.Data)
	plane := nx * ny
	if nz > 1 {
		acc := make([]float64, nx)
		zn1 := crPowInt(splinePole, nz-1)
		for y := 0; y < ny; y++ {
			splineFilterLines(c, y*nx, plane, nz, nx, zn1, acc)
		}
	}
	if ny > 1 {
		acc := make([]float64, nx)
		zn1 := crPowInt(splinePole, ny-1)
		for z := tabs[2].minIdx; z <= tabs[2].maxIdx; z++ {
			splineFilterLines(c, z*plane, nx, ny, nx, zn1, acc)
		}
	}
	if nx > 1 {
		acc := make([]float64, 1)
		zn1 := crPowInt(splinePole, nx-1)
		for z := tabs[2].minIdx; z <= tabs[2].maxIdx; z++ {
			for y := tabs[1].minIdx; y <= tabs[1].maxIdx; y++ {
				splineFilterLines(c, z*plane+y*nx, 1, nx, 1, zn1, acc)
			}
		}
	}
	return c
}

// splineFilterLines runs scipy's cubic apply_filter (mirror boundaries) on k
// lines of n >= 2 samples at once: sample i of line j is c[base+i*stride+j].
// zn1 is pow(z, n-1); acc is scratch of length >= k. Per line: scale by the
// gain (1-z)(1-1/z); causal initial value
// c0 = (c0 + z^(n-1) c[n-1] + sum_{i=1}^{n-2} z^i (c[i] + z^(n-1) c[n-1-i]))
// / (1 - z^(2n-2)); c[i] += z c[i-1]; anticausal initial value
// c[n-1] = (z c[n-2] + c[n-1]) z / (z^2 - 1); c[i] = z (c[i+1] - c[i]).
func splineFilterLines(c []float64, base, stride, n, k int, zn1 float64, acc []float64) {
	const z = splinePole
	row := func(i int) []float64 { p := base + i*stride; return c[p : p+k] }
	gain := float64(float64(1.0-z) * float64(1.0-1.0/z))
	for i := 0; i < n; i++ {
		r := row(i)
		for j := range r {
			r[j] *= gain
		}
	}
	first, last := row(0), row(n-1)
	for j := 0; j < k; j++ {
		acc[j] = first[j] + float64(zn1*last[j])
	}
	zi := z
	for i := 1; i < n-1; i++ {
		a, b := row(i), row(n-1-i)
		for j := 0; j < k; j++ {
			acc[j] += float64(zi * (a[j] + float64(zn1*b[j])))
		}
		zi = float64(zi * z)
	}
	den := 1 - float64(zn1*zn1)
	for j := 0; j < k; j++ {
		first[j] = acc[j] / den
	}
	for i := 1; i < n; i++ {
		prev, cur := row(i-1), row(i)
		for j := 0; j < k; j++ {
			cur[j] += float64(z * prev[j])
		}
	}
	prev := row(n - 2)
	den = float64(z*z) - 1
	for j := 0; j < k; j++ {
		last[j] = float64(float64(float64(z*prev[j])+last[j])*z) / den
	}
	for i := n - 2; i >= 0; i-- {
		cur, next := row(i), row(i+1)
		for j := 0; j < k; j++ {
			cur[j] = float64(z * (next[j] - cur[j]))
		}
	}
}

// crPowInt returns the correctly rounded x^k for k >= 0 (glibc's pow, which
// scipy calls for z^(n-1), returns the correctly rounded power for these
// arguments).
func crPowInt(x float64, k int) float64 {
	p := uint(crPrec + 64)
	r := new(big.Float).SetPrec(p).SetInt64(1)
	b := new(big.Float).SetPrec(p).SetFloat64(x)
	for e := k; e > 0; e >>= 1 {
		if e&1 == 1 {
			r.Mul(r, b)
		}
		b.Mul(b, b)
	}
	v, _ := r.Float64()
	return v
}
