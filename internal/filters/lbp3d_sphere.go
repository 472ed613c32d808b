package filters

import (
	"math"
	"sort"
)

// The sampling sphere and the spherical harmonics of LBP3D.
//
// PyRadiomics samples each ROI voxel's neighbourhood at the vertices of
// trimesh.creation.icosphere(subdivision, radius) and expands the thresholded
// samples in scipy.special.sph_harm. Both are reproduced here operation by
// operation, so that the vertex coordinates and the harmonics table are the
// same doubles (checked bit for bit against trimesh 5.0.0rc1, whose icosphere
// is that of trimesh 4.x, and SciPy 1.10.1; see docs/conventions.md).

// icoBaseVertices and icoBaseFaces are trimesh's icosahedron
// (trimesh/resources/creation.json, key "icosahedron"; older trimesh versions
// computed the same doubles as (±1, ±t, 0)/sqrt(2+t), t the golden ratio).
var icoBaseVertices = [12][3]float64{
	{-0.5257311121191336, 0.85065080835204, 0},
	{0.5257311121191336, 0.85065080835204, 0},
	{-0.5257311121191336, -0.85065080835204, 0},
	{0.5257311121191336, -0.85065080835204, 0},
	{0, -0.5257311121191336, 0.85065080835204},
	{0, 0.5257311121191336, 0.85065080835204},
	{0, -0.5257311121191336, -0.85065080835204},
	{0, 0.5257311121191336, -0.85065080835204},
	{0.85065080835204, 0, -0.5257311121191336},
	{0.85065080835204, 0, 0.5257311121191336},
	{-0.85065080835204, 0, -0.5257311121191336},
	{-0.85065080835204, 0, 0.5257311121191336},
}

var icoBaseFaces = [20][3]int{
	{0, 11, 5}, {0, 5, 1}, {0, 1, 7}, {0, 7, 10}, {0, 10, 11},
	{1, 5, 9}, {5, 11, 4}, {11, 10, 2}, {10, 7, 6}, {7, 1, 8},
	{3, 9, 4}, {3, 4, 2}, {3, 2, 6}, {3, 6, 8}, {3, 8, 9},
	{4, 9, 5}, {2, 4, 11}, {6, 2, 10}, {8, 6, 7}, {9, 8, 1},
}

// lbpMaxSubdivision bounds lbp3DIcosphereSubdivision: 10*4^s + 2 vertices
// (s = 6 gives 40,962 samples per voxel, far beyond any practical use).
const lbpMaxSubdivision = 6

// icosphere returns the vertices of trimesh.creation.icosphere(subdivisions,
// radius), in trimesh's order: the 12 icosahedron vertices, then after each
// subdivision the edge midpoints of the previous mesh ordered by (larger,
// smaller) vertex index of their edge (trimesh.remesh.subdivide: the edges
// are made unique by np.unique on a 64-bit key holding the larger index in
// its upper half). After every subdivision (or once, for subdivisions <= 0)
// each vertex v is moved to v + (v/|v|)*(radius - |v|), |v| computed as
// sqrt((x*x + y*y) + z*z). Vertex order matters only in the last bits of
// LBP3D's sums (every sum over vertices runs in this order).
func icosphere(subdivisions int, radius float64) [][3]float64 {
	v := append([][3]float64(nil), icoBaseVertices[:]...)
	f := append([][3]int(nil), icoBaseFaces[:]...)
	refine := func() {
		for i := range v {
			x, y, z := v[i][0], v[i][1], v[i][2]
			s := math.Sqrt(float64(float64(x*x)+float64(y*y)) + float64(z*z))
			d := radius - s
			for k := 0; k < 3; k++ {
				v[i][k] += float64(v[i][k]/s) * d
			}
		}
	}
	for it := 0; it < subdivisions; it++ {
		v, f = icoSubdivide(v, f)
		refine()
	}
	if subdivisions <= 0 {
		refine()
	}
	return v
}

// icoSubdivide is trimesh.remesh.subdivide on every face: one midpoint
// (v[lo] + v[hi])/2 per unique edge, appended in (hi, lo) order, and each
// face (a, b, c) with edge midpoints ab, bc, ca replaced by (a, ab, ca),
// (ab, b, bc), (ca, bc, c), (ab, bc, ca).
func icoSubdivide(v [][3]float64, f [][3]int) ([][3]float64, [][3]int) {
	type edge struct{ lo, hi int }
	edges := make([]edge, 3*len(f))
	for i, t := range f {
		for k := 0; k < 3; k++ {
			a, b := t[k], t[(k+1)%3]
			if a > b {
				a, b = b, a
			}
			edges[3*i+k] = edge{a, b}
		}
	}
	order := make([]int, len(edges))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(i, j int) bool {
		a, b := edges[order[i]], edges[order[j]]
		if a.hi != b.hi {
			return a.hi < b.hi
		}
		return a.lo < b.lo
	})
	inverse := make([]int, len(edges))
	nv := len(v)
	var last edge
	u := -1
	for k, i := range order {
		if k == 0 || edges[i] != last {
			u++
			last = edges[i]
			a, b := v[last.lo], v[last.hi]
			v = append(v, [3]float64{(a[0] + b[0]) / 2, (a[1] + b[1]) / 2, (a[2] + b[2]) / 2})
		}
		inverse[i] = nv + u
	}
	nf := make([][3]int, 0, 4*len(f))
	for i, t := range f {
		m0, m1, m2 := inverse[3*i], inverse[3*i+1], inverse[3*i+2]
		nf = append(nf, [3]int{t[0], m0, m2}, [3]int{m0, t[1], m1}, [3]int{m2, m1, t[2]}, [3]int{m0, m1, m2})
	}
	return v, nf
}

// sphHarm is scipy.special.sph_harm(m, n, theta, phi) of SciPy 1.10.1 for
// integer 0 <= |m| <= n, theta the azimuthal and phi the polar angle
// (scipy/special/sph_harm.pxd): with x = cos(phi) and P = lpmv(|m|, n, x),
//
//	Y = P [* (-1)^|m| poch(n+|m|+1, -2|m|) if m < 0]
//	      * sqrt((2n+1)/4/pi) * sqrt(poch(n+m+1, -2m)) * exp(i m theta),
//
// multiplied in that order; exp(i y) is (cos y, sin y) with y = m*theta.
// cos and sin are correctly rounded; glibc's (which SciPy calls) are too
// for the arguments of degree <= 1 but differ by one unit in the last place
// for a few larger ones (sin(6.126105674500097), say), so harmonics of
// degree >= 2 may differ from SciPy's in the last bit.
func sphHarm(m, n int, theta, phi float64) (re, im float64) {
	_, x := crSinCos(phi)
	mp := m
	if m < 0 {
		mp = -m
	}
	val := lpmv(mp, n, x)
	if m < 0 {
		pref := poch(float64(n+mp+1), float64(-2*mp))
		if mp%2 == 1 {
			pref = -pref
		}
		val *= pref
	}
	val *= math.Sqrt(float64(2*n+1) / 4.0 / math.Pi)
	val *= math.Sqrt(poch(float64(n+m+1), float64(-2*m)))
	s, c := crSinCos(float64(m) * theta)
	return val * c, val * s
}

// poch is the Pochhammer symbol (a)_m of SciPy's cephes poch.c, for the
// integer arguments sph_harm uses (only its recurrence part runs).
func poch(a, m float64) float64 {
	r := 1.0
	for m >= 1 {
		if a+m == 1 {
			break
		}
		m -= 1
		r *= a + m
		if math.IsInf(r, 0) || math.IsNaN(r) || r == 0 {
			break
		}
	}
	for m <= -1 {
		if a+m == 0 {
			break
		}
		r /= a + m
		m += 1
		if math.IsInf(r, 0) || math.IsNaN(r) || r == 0 {
			break
		}
	}
	return r // m is 0 here for integer arguments
}

// lpmv is SciPy's pmv(m, v, x) for integer order m >= 0 and integer degree
// v >= 0 (specfun.f LPMV): upward recursion on the degree from lpmv0(m, m)
// and lpmv0(m+1, m) when v > 2 and v > m, else lpmv0(v, m) directly.
func lpmv(m, v int, x float64) float64 {
	if v > 2 && v > m {
		fm := float64(m)
		p0 := lpmv0(m, m, x)
		p1 := lpmv0(m+1, m, x)
		pmv := p1
		for j := m + 2; j <= v; j++ {
			fj := float64(j)
			a := float64(2*fj - 1)
			b := float64(float64(fj-1) + fm)
			num := float64(float64(a*x)*p1) - float64(b*p0)
			pmv = num / float64(fj-fm)
			p0, p1 = p1, pmv
		}
		return pmv
	}
	return lpmv0(v, m, x)
}

// lpmv0 is specfun.f LPMV0 for integer degree nv >= m >= 0 (the
// hypergeometric series of DLMF 14.3.4 in 1+x, finite for integer degree),
// with Fortran's left-to-right evaluation.
func lpmv0(nv, m int, x float64) float64 {
	v := float64(nv)
	c0 := 1.0
	if m != 0 {
		rg := v * (v + float64(m))
		for j := 1; j <= m-1; j++ {
			rg *= float64(v*v) - float64(j*j)
		}
		xq := math.Sqrt(1 - float64(x*x))
		r0 := 1.0
		for j := 1; j <= m; j++ {
			r0 = float64(float64(0.5*r0)*xq) / float64(j)
		}
		c0 = r0 * rg
	}
	pmv, r := 1.0, 1.0
	for k := 1; k <= nv-m; k++ {
		r = float64(float64(0.5*r)*(float64(-nv+m+k)-1.0)) * float64(nv+m+k)
		r = float64(r/float64(k*(k+m))) * (1.0 + x)
		pmv += r
	}
	sign := 1.0
	if nv%2 == 1 {
		sign = -1
	}
	return float64(sign*c0) * pmv
}
