package filters

import (
	"math"
	"math/cmplx"
	"math/rand"
	"testing"

	"github.com/spinerad/spinerad/internal/volume"
)

// trimeshIcosphere1 is trimesh.creation.icosphere(1, 1.0).vertices as
// printed by trimesh 5.0.0rc1 (mikedh/trimesh a513c0e2) with NumPy 1.24.2:
// the icosahedron, then the edge midpoints in trimesh's order.
var trimeshIcosphere1 = [42][3]float64{
	{-0.5257311121191336, 0.85065080835204, 0.0},
	{0.5257311121191336, 0.85065080835204, 0.0},
	{-0.5257311121191336, -0.85065080835204, 0.0},
	{0.5257311121191336, -0.85065080835204, 0.0},
	{0.0, -0.5257311121191336, 0.85065080835204},
	{0.0, 0.5257311121191336, 0.85065080835204},
	{0.0, -0.5257311121191336, -0.85065080835204},
	{0.0, 0.5257311121191336, -0.85065080835204},
	{0.85065080835204, 0.0, -0.5257311121191336},
	{0.85065080835204, 0.0, 0.5257311121191336},
	{-0.85065080835204, 0.0, -0.5257311121191336},
	{-0.85065080835204, 0.0, 0.5257311121191336},
	{0.0, 1.0, 0.0},
	{0.0, -1.0, 0.0},
	{-0.3090169943749474, -0.8090169943749473, 0.5},
	{0.3090169943749474, -0.8090169943749473, 0.5},
	{-0.3090169943749474, 0.8090169943749473, 0.5},
	{0.3090169943749474, 0.8090169943749473, 0.5},
	{0.0, 0.0, 1.0},
	{-0.3090169943749474, -0.8090169943749473, -0.5},
	{0.3090169943749474, -0.8090169943749473, -0.5},
	{-0.3090169943749474, 0.8090169943749473, -0.5},
	{0.3090169943749474, 0.8090169943749473, -0.5},
	{0.0, 0.0, -1.0},
	{0.8090169943749475, 0.5000000000000001, -0.30901699437494745},
	{0.8090169943749475, -0.5000000000000001, -0.30901699437494745},
	{0.5000000000000001, -0.30901699437494745, -0.8090169943749475},
	{0.5000000000000001, 0.30901699437494745, -0.8090169943749475},
	{0.8090169943749475, 0.5000000000000001, 0.30901699437494745},
	{0.8090169943749475, -0.5000000000000001, 0.30901699437494745},
	{0.5000000000000001, -0.30901699437494745, 0.8090169943749475},
	{0.5000000000000001, 0.30901699437494745, 0.8090169943749475},
	{1.0, 0.0, 0.0},
	{-0.8090169943749475, 0.5000000000000001, -0.30901699437494745},
	{-0.8090169943749475, -0.5000000000000001, -0.30901699437494745},
	{-0.5000000000000001, -0.30901699437494745, -0.8090169943749475},
	{-0.5000000000000001, 0.30901699437494745, -0.8090169943749475},
	{-0.8090169943749475, 0.5000000000000001, 0.30901699437494745},
	{-0.8090169943749475, -0.5000000000000001, 0.30901699437494745},
	{-0.5000000000000001, -0.30901699437494745, 0.8090169943749475},
	{-0.5000000000000001, 0.30901699437494745, 0.8090169943749475},
	{-1.0, 0.0, 0.0},
}

// TestIcosphere checks the vertex count 10*4^s + 2, that every vertex lies
// on the sphere, trimesh's vertex order and values bit for bit (subdivision
// 1; two vertices of subdivision 2 at radius 1.5, also printed by trimesh),
// and that the subdivision-1 vertices are the 12 icosahedron vertices plus
// the normalised midpoints of its 30 edges (built here from the golden
// ratio, independently of trimesh's tables).
func TestIcosphere(t *testing.T) {
	for s, want := range []int{12, 42, 162, 642} {
		for _, r := range []float64{1, 1.5, 0.7} {
			v := icosphere(s, r)
			if len(v) != want {
				t.Fatalf("subdivision %d: %d vertices, want %d", s, len(v), want)
			}
			for i, w := range v {
				if d := math.Sqrt(w[0]*w[0]+w[1]*w[1]+w[2]*w[2]) - r; math.Abs(d) > 4e-16*r {
					t.Errorf("subdivision %d radius %v: vertex %d at distance %v from the sphere", s, r, i, d)
				}
			}
		}
	}
	v := icosphere(1, 1)
	for i := range v {
		if v[i] != trimeshIcosphere1[i] {
			t.Errorf("vertex %d = %v, trimesh %v", i, v[i], trimeshIcosphere1[i])
		}
	}
	v2 := icosphere(2, 1.5)
	if v2[100] != [3]float64{1.2940027206242792, -0.38983786951163163, 0.6508328468290422} ||
		v2[161] != [3]float64{-1.4265847744427305, -0.3942983340893503, 0.2436897721746798} {
		t.Errorf("subdivision 2 radius 1.5: vertices 100, 161 = %v, %v", v2[100], v2[161])
	}
	// Independent construction: cyclic permutations of (0, ±1, ±phi).
	phi := (1 + math.Sqrt(5)) / 2
	var ico [][3]float64
	for _, a := range []float64{-1, 1} {
		for _, b := range []float64{-phi, phi} {
			ico = append(ico, [3]float64{0, a, b}, [3]float64{a, b, 0}, [3]float64{b, 0, a})
		}
	}
	norm := func(p [3]float64) [3]float64 {
		n := math.Sqrt(p[0]*p[0] + p[1]*p[1] + p[2]*p[2])
		return [3]float64{p[0] / n, p[1] / n, p[2] / n}
	}
	var want [][3]float64
	for i := range ico {
		want = append(want, norm(ico[i]))
		for j := i + 1; j < len(ico); j++ {
			d := [3]float64{ico[i][0] - ico[j][0], ico[i][1] - ico[j][1], ico[i][2] - ico[j][2]}
			if math.Abs(d[0]*d[0]+d[1]*d[1]+d[2]*d[2]-4) < 1e-9 { // edge length 2
				want = append(want, norm([3]float64{ico[i][0] + ico[j][0], ico[i][1] + ico[j][1], ico[i][2] + ico[j][2]}))
			}
		}
	}
	if len(want) != 42 {
		t.Fatalf("independent construction: %d vertices", len(want))
	}
	for _, w := range want {
		found := false
		for _, g := range v {
			if math.Abs(g[0]-w[0]) < 1e-15 && math.Abs(g[1]-w[1]) < 1e-15 && math.Abs(g[2]-w[2]) < 1e-15 {
				found = true
			}
		}
		if !found {
			t.Errorf("vertex %v missing", w)
		}
	}
}

// TestSphHarmClosedForms checks sphHarm(m, n, theta, phi) (SciPy's
// argument order: theta azimuthal, phi polar) against the closed forms of
// the orthonormal harmonics with the Condon-Shortley phase, in terms of
// x = cos(phi) and s = sqrt(1 - x^2) (SciPy's P_n^m uses the non-negative
// root, also for phi outside [0, pi], as PyRadiomics passes the azimuth
// arctan2(...) there).
func TestSphHarmClosedForms(t *testing.T) {
	e := func(m int, theta float64) complex128 { return cmplx.Exp(complex(0, float64(m)*theta)) }
	pi := math.Pi
	forms := []struct {
		m, n int
		f    func(x, s, theta float64) complex128
	}{
		{0, 0, func(x, s, th float64) complex128 { return complex(0.5/math.Sqrt(pi), 0) }},
		{0, 1, func(x, s, th float64) complex128 { return complex(math.Sqrt(3/(4*pi))*x, 0) }},
		{1, 1, func(x, s, th float64) complex128 { return complex(-0.5*math.Sqrt(3/(2*pi))*s, 0) * e(1, th) }},
		{-1, 1, func(x, s, th float64) complex128 { return complex(0.5*math.Sqrt(3/(2*pi))*s, 0) * e(-1, th) }},
		{0, 2, func(x, s, th float64) complex128 { return complex(0.25*math.Sqrt(5/pi)*(3*x*x-1), 0) }},
		{1, 2, func(x, s, th float64) complex128 { return complex(-0.5*math.Sqrt(15/(2*pi))*s*x, 0) * e(1, th) }},
		{-1, 2, func(x, s, th float64) complex128 { return complex(0.5*math.Sqrt(15/(2*pi))*s*x, 0) * e(-1, th) }},
		{2, 2, func(x, s, th float64) complex128 { return complex(0.25*math.Sqrt(15/(2*pi))*s*s, 0) * e(2, th) }},
		{-2, 2, func(x, s, th float64) complex128 { return complex(0.25*math.Sqrt(15/(2*pi))*s*s, 0) * e(-2, th) }},
		{0, 3, func(x, s, th float64) complex128 { return complex(0.25*math.Sqrt(7/pi)*(5*x*x*x-3*x), 0) }},
		{1, 3, func(x, s, th float64) complex128 {
			return complex(-0.125*math.Sqrt(21/pi)*s*(5*x*x-1), 0) * e(1, th)
		}},
		{3, 3, func(x, s, th float64) complex128 { return complex(-0.125*math.Sqrt(35/pi)*s*s*s, 0) * e(3, th) }},
		{-3, 3, func(x, s, th float64) complex128 { return complex(0.125*math.Sqrt(35/pi)*s*s*s, 0) * e(-3, th) }},
		{0, 4, func(x, s, th float64) complex128 {
			return complex(3.0/16*math.Sqrt(1/pi)*(35*x*x*x*x-30*x*x+3), 0)
		}},
		{2, 4, func(x, s, th float64) complex128 {
			return complex(3.0/8*math.Sqrt(5/(2*pi))*s*s*(7*x*x-1), 0) * e(2, th)
		}},
	}
	angles := []float64{0, 0.3, 1, math.Pi / 2, 2.5, math.Pi, -0.7, -2.9}
	for _, f := range forms {
		for _, th := range angles {
			for _, ph := range angles {
				re, im := sphHarm(f.m, f.n, th, ph)
				x := math.Cos(ph)
				want := f.f(x, math.Sqrt(1-x*x), th)
				if cmplx.Abs(complex(re, im)-want) > 1e-14 {
					t.Errorf("Y(m=%d, n=%d, theta=%v, phi=%v) = %v%+vi, want %v", f.m, f.n, th, ph, re, im, want)
				}
			}
		}
	}
}

// TestCorrectlyRoundedAngles checks crAcos and crAtan2 against exactly
// known values and against math.Acos/Atan2 to a few units in the last
// place (Go's differ from the correctly rounded value by up to tens of
// units near |x| = 1, which is why they are not used).
func TestCorrectlyRoundedAngles(t *testing.T) {
	exact := []struct{ got, want float64 }{
		{crAcos(1), 0}, {crAcos(-1), math.Pi}, {crAcos(0), math.Pi / 2}, {crAcos(0.5), math.Pi / 3},
		{crAcos(-0.5), 2 * math.Pi / 3}, {crAtan2(1, 1), math.Pi / 4}, {crAtan2(-1, -1), -3 * math.Pi / 4},
		{crAtan2(1, 0), math.Pi / 2}, {crAtan2(0, -1), math.Pi}, {crAtan2(-2, 2), -math.Pi / 4},
	}
	for i, c := range exact {
		if c.got != c.want {
			t.Errorf("case %d: %v, want %v", i, c.got, c.want)
		}
	}
	// An icosphere z coordinate: glibc and mpmath give 0.15707963267948938,
	// math.Acos 0.15707963267948966 (28 units in the last place off).
	if got := crAcos(0.9876883405951378); got != 0.15707963267948938 {
		t.Errorf("acos(0.9876883405951378) = %v", got)
	}
	rng := rand.New(rand.NewSource(5))
	for i := 0; i < 200; i++ {
		x := 2*rng.Float64() - 1
		if d := math.Abs(crAcos(x) - math.Acos(x)); d > 64*ulp(math.Acos(x)) {
			t.Errorf("acos(%v): %v vs math %v", x, crAcos(x), math.Acos(x))
		}
		y, z := rng.NormFloat64(), rng.NormFloat64()
		if d := math.Abs(crAtan2(y, z) - math.Atan2(y, z)); d > 4*ulp(math.Atan2(y, z)) {
			t.Errorf("atan2(%v, %v): %v vs math %v", y, z, crAtan2(y, z), math.Atan2(y, z))
		}
	}
}

func ulp(x float64) float64 {
	x = math.Abs(x)
	return math.Nextafter(x, math.Inf(1)) - x
}

// splineTestCoefficients returns the spline coefficients of the whole image
// (every line filtered).
func splineTestCoefficients(img *volume.Image) []float64 {
	var tabs [3]splineAxis
	strides := [3]int{1, img.Size[0], img.Size[0] * img.Size[1]}
	for k := 0; k < 3; k++ {
		tabs[k] = newSplineAxis(0, img.Size[k]-1, img.Size[k], []float64{0}, strides[k])
	}
	return splineCoefficients(img, &tabs, []bool{true}, volume.BBox{})
}

// splineTestAt interpolates the coefficients at continuous index p (ITK
// order x, y, z) as map_coordinates does.
func splineTestAt(coef []float64, img *volume.Image, p [3]float64) float64 {
	var taps [3]splineTap
	strides := [3]int{1, img.Size[0], img.Size[0] * img.Size[1]}
	for k := 0; k < 3; k++ {
		taps[k] = newSplineAxis(0, 0, img.Size[k], []float64{p[k]}, strides[k]).taps[0]
	}
	return sampleSpline(coef, &taps[2], &taps[1], &taps[0])
}

// TestSplineInterpolation checks the cubic B-spline interpolation: it
// reproduces the data at every grid point (the mirror-boundary prefilter
// solves the interpolation conditions, edges included), reproduces a
// tensor-product cubic polynomial between grid points away from the edges
// (B-splines of degree 3 reproduce cubics; the boundary's influence decays
// as |z|^d, z = sqrt(3) - 2), gives 0 (cval) as soon as a coordinate is
// below 0 or above size-1 and interpolates at exactly 0 and size-1.
func TestSplineInterpolation(t *testing.T) {
	rng := rand.New(rand.NewSource(9))
	small := volume.New(volume.Geometry{Size: [3]int{7, 5, 6}, Spacing: [3]float64{1, 1, 1}, Direction: volume.Identity}, volume.Float64)
	for i := range small.Data {
		small.Data[i] = rng.NormFloat64() * 100
	}
	coef := splineTestCoefficients(small)
	for i, v := range small.Data {
		x, y, z := small.Coords(i)
		if got := splineTestAt(coef, small, [3]float64{float64(x), float64(y), float64(z)}); math.Abs(got-v) > 1e-12*100 {
			t.Errorf("grid point (%d,%d,%d): %v, data %v", x, y, z, got, v)
		}
	}
	for _, p := range [][3]float64{{-1e-9, 2, 2}, {6.000001, 2, 2}, {3, -0.5, 1}, {3, 2, 5.5}} {
		if got := splineTestAt(coef, small, p); got != 0 {
			t.Errorf("outside point %v: %v, want 0", p, got)
		}
	}
	if got := splineTestAt(coef, small, [3]float64{6, 4, 5}); math.Abs(got-small.At(6, 4, 5)) > 1e-10 {
		t.Errorf("corner (6,4,5): %v, data %v", got, small.At(6, 4, 5))
	}

	poly := func(x, y, z float64) float64 {
		px := 1 + 0.5*x - 0.03*x*x + 0.001*x*x*x
		py := 2 - 0.2*y + 0.01*y*y + 0.0005*y*y*y
		pz := 0.5 + 0.1*z - 0.002*z*z*z
		return px*py*pz + 3*px - py
	}
	big := volume.New(volume.Geometry{Size: [3]int{64, 60, 62}, Spacing: [3]float64{1, 1, 1}, Direction: volume.Identity}, volume.Float64)
	for i := range big.Data {
		x, y, z := big.Coords(i)
		big.Data[i] = poly(float64(x), float64(y), float64(z))
	}
	coef = splineTestCoefficients(big)
	for i := 0; i < 300; i++ {
		p := [3]float64{28 + 8*rng.Float64(), 26 + 8*rng.Float64(), 27 + 8*rng.Float64()}
		want := poly(p[0], p[1], p[2])
		if got := splineTestAt(coef, big, p); math.Abs(got-want) > 1e-9*math.Abs(want) {
			t.Errorf("cubic at %v: %v, want %v", p, got, want)
		}
	}
}

// TestMirrorIndexAndWeights checks scipy's mirror mapping and the cubic
// weights: w = (1/6, 2/3, 1/6, ~0) at t = 0, symmetric at t = 1/2, and the
// closed forms w0 = (1-t)^3/6, w1 = (3t^3 - 6t^2 + 4)/6.
func TestMirrorIndexAndWeights(t *testing.T) {
	for _, c := range []struct{ i, n, want int }{
		{-1, 5, 1}, {-2, 5, 2}, {-4, 5, 4}, {-5, 5, 3}, {5, 5, 3}, {6, 5, 2}, {8, 5, 0}, {9, 5, 1},
		{-1, 2, 1}, {2, 2, 0}, {3, 2, 1}, {-1, 1, 0}, {2, 1, 0}, {0, 1, 0}, {3, 5, 3},
	} {
		if got := mirrorIndex(c.i, c.n); got != c.want {
			t.Errorf("mirrorIndex(%d, %d) = %d, want %d", c.i, c.n, got, c.want)
		}
	}
	w := splineWeights3(7)
	if math.Abs(w[0]-1.0/6) > 1e-16 || math.Abs(w[1]-2.0/3) > 1e-16 || math.Abs(w[2]-1.0/6) > 1e-16 || math.Abs(w[3]) > 1e-15 {
		t.Errorf("weights at an integer: %v", w)
	}
	w = splineWeights3(2.5)
	if math.Abs(w[0]-w[3]) > 1e-16 || w[1] != w[2] || math.Abs(w[0]-1.0/48) > 1e-16 {
		t.Errorf("weights at t = 1/2: %v", w)
	}
	for _, x := range []float64{0.1, 0.37, 0.9, 3.25} {
		tt := x - math.Floor(x)
		w := splineWeights3(x)
		w0 := (1 - tt) * (1 - tt) * (1 - tt) / 6
		w1 := (3*tt*tt*tt - 6*tt*tt + 4) / 6
		if math.Abs(w[0]-w0) > 1e-15 || math.Abs(w[1]-w1) > 1e-15 || math.Abs(w[0]+w[1]+w[2]+w[3]-1) > 1e-15 {
			t.Errorf("weights at %v: %v", x, w)
		}
	}
}

// lbpTestVolume returns a float image of the given size and type.
func lbpTestVolume(nx, ny, nz int, pt volume.PixelType) *volume.Image {
	return volume.New(volume.Geometry{Size: [3]int{nx, ny, nz}, Spacing: [3]float64{1, 1, 1}, Direction: volume.Identity}, pt)
}

// TestLBP3DHandComputed builds a linear image f = f0 + g.(z, y, x), on
// which cubic spline interpolation is exact away from the edges, so the
// sample at vertex w of a voxel is f(voxel) + g.w. At a few central voxels
// it recomputes every step from the formulas, with an independently built
// icosphere (icosahedron plus normalised edge midpoints, any order) and the
// closed-form harmonics of degree 0 and 1 with PyRadiomics' exchanged
// angles (azimuth theta = arccos(w2), polar phi = arctan2(w1, w0)):
// bits b = g.w >= 0, c_nm = sum b Y_n^m, f_n(w) = sum_m c_nm Y_n^m(w),
// level n+1 = sqrt(sum_w f_n(w)^2) (real), kurtosis m4/m2^2 - 3 of the
// samples; level 1 is also sqrt(42) * (number of set bits) / (4 pi). The
// float64 image gives samples as such, the int16 image (larger slope)
// rounds them half away from zero.
func TestLBP3DHandComputed(t *testing.T) {
	// Vertices: cyclic permutations of (0, ±1, ±phi), normalised, and the
	// normalised midpoints of the 30 edges.
	phi := (1 + math.Sqrt(5)) / 2
	var ico [][3]float64
	for _, a := range []float64{-1, 1} {
		for _, b := range []float64{-phi, phi} {
			ico = append(ico, [3]float64{0, a, b}, [3]float64{a, b, 0}, [3]float64{b, 0, a})
		}
	}
	norm := func(p [3]float64) [3]float64 {
		n := math.Sqrt(p[0]*p[0] + p[1]*p[1] + p[2]*p[2])
		return [3]float64{p[0] / n, p[1] / n, p[2] / n}
	}
	var verts [][3]float64
	for i := range ico {
		verts = append(verts, norm(ico[i]))
		for j := i + 1; j < len(ico); j++ {
			d := [3]float64{ico[i][0] - ico[j][0], ico[i][1] - ico[j][1], ico[i][2] - ico[j][2]}
			if math.Abs(d[0]*d[0]+d[1]*d[1]+d[2]*d[2]-4) < 1e-9 {
				verts = append(verts, norm([3]float64{ico[i][0] + ico[j][0], ico[i][1] + ico[j][1], ico[i][2] + ico[j][2]}))
			}
		}
	}
	// Y[w] = (Y_0^0, Y_1^-1, Y_1^0, Y_1^1) at vertex w.
	Y := make([][4]complex128, len(verts))
	for w, v := range verts {
		theta := math.Acos(v[2])
		x := math.Cos(math.Atan2(v[1], v[0]))
		s := math.Sqrt(1 - x*x)
		k := 0.5 * math.Sqrt(3/(2*math.Pi)) * s
		Y[w] = [4]complex128{
			complex(0.5/math.Sqrt(math.Pi), 0),
			complex(k, 0) * cmplx.Exp(complex(0, -theta)),
			complex(math.Sqrt(3/(4*math.Pi))*x, 0),
			complex(-k, 0) * cmplx.Exp(complex(0, theta)),
		}
	}
	const n = 50
	// Gradients along array axes z, y, x; the int16 one is integral so that
	// the image is exactly linear.
	for _, c := range []struct {
		pt volume.PixelType
		gs [3]float64
	}{{volume.Float64, [3]float64{0.9, -0.45, 0.2}}, {volume.Int16, [3]float64{33, -17, 7}}} {
		gs := c.gs
		img := lbpTestVolume(n, n, n, c.pt)
		for i := range img.Data {
			x, y, z := img.Coords(i)
			img.Data[i] = 3 + gs[0]*float64(z) + gs[1]*float64(y) + gs[2]*float64(x)
		}
		mask := lbpTestVolume(n, n, n, volume.UInt8)
		centres := [][3]int{{25, 25, 25}, {24, 26, 25}, {26, 24, 23}}
		for _, p := range centres {
			mask.Data[mask.Index(p[0], p[1], p[2])] = 1
		}
		res, err := LBP3D(img, mask, 1, 2, 1, 1)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range centres {
			centre := img.At(p[0], p[1], p[2])
			samples := make([]float64, len(verts))
			var cnm [4]complex128
			ones := 0
			for w, v := range verts {
				d := gs[0]*v[0] + gs[1]*v[1] + gs[2]*v[2]
				s := centre + d
				if c.pt == volume.Int16 {
					if f := math.Abs(s - math.Trunc(s)); math.Abs(f-0.5) < 1e-6 {
						t.Fatalf("sample %v too close to a rounding tie", s)
					}
					s = math.Round(s) // half away from zero
				}
				samples[w] = s
				if s >= centre {
					ones++
					for j := range cnm {
						cnm[j] += Y[w][j]
					}
				}
			}
			var l1, l2 complex128
			for w := range verts {
				f0 := cnm[0] * Y[w][0]
				f1 := cnm[1]*Y[w][1] + cnm[2]*Y[w][2] + cnm[3]*Y[w][3]
				l1 += f0 * f0
				l2 += f1 * f1
			}
			var mean, m2, m4 float64
			for _, s := range samples {
				mean += s
			}
			mean /= float64(len(samples))
			for _, s := range samples {
				d := s - mean
				m2 += d * d
				m4 += d * d * d * d
			}
			m2 /= float64(len(samples))
			m4 /= float64(len(samples))
			kurt := m4/(m2*m2) - 3

			i := img.Index(p[0], p[1], p[2])
			got := [3]float64{res[0].Image.Data[i], res[1].Image.Data[i], res[2].Image.Data[i]}
			want := [3]float64{real(cmplx.Sqrt(l1)), real(cmplx.Sqrt(l2)), kurt}
			for k := range got {
				if math.Abs(got[k]-want[k]) > 1e-9*math.Max(1, math.Abs(want[k])) {
					t.Errorf("%v voxel %v %s: %v, hand-computed %v", c.pt, p, res[k].Name, got[k], want[k])
				}
			}
			if l1 := math.Sqrt(42) * float64(ones) / (4 * math.Pi); math.Abs(got[0]-l1) > 1e-12*l1 {
				t.Errorf("%v voxel %v: level 1 %v, sqrt(42)*%d/(4 pi) = %v", c.pt, p, got[0], ones, l1)
			}
			if ones == 0 || ones == len(verts) {
				t.Errorf("%v voxel %v: degenerate pattern (%d bits set)", c.pt, p, ones)
			}
		}
	}
}

// randomLBP3DImage returns a random float64 image.
func randomLBP3DImage(nx, ny, nz int, seed int64) *volume.Image {
	rng := rand.New(rand.NewSource(seed))
	img := lbpTestVolume(nx, ny, nz, volume.Float64)
	for i := range img.Data {
		img.Data[i] = rng.NormFloat64()*50 + 100
	}
	return img
}

// TestLBP3DSymmetries checks the symmetries the method has and those it
// lacks. Reflecting the image along ITK x or y leaves every output unchanged
// at the reflected voxel: the icosphere is symmetric and, with PyRadiomics'
// exchanged angles, Y_n^m(w) = N P_n^m(cos(arctan2(w1, w0))) exp(i m
// arccos(w2/r)) is even in w1 and, when w2 changes sign, becomes (-1)^m
// times its conjugate, which leaves sum_w f_n(w)^2 unchanged up to
// conjugation. Reflecting along z (w0 -> -w0) would multiply Y by
// (-1)^(n+m), also harmless, but at the poles (0, 0, ±r) arctan2(0, 0) = 0
// puts them at cos = 1 either way, so z reflections change the output.
// Scaling a float64 image by 2 changes no bit of any output. Swapping x and
// y is not a symmetry either: the method is not rotation invariant (its
// intended rotation invariance is lost to the exchanged angles).
func TestLBP3DSymmetries(t *testing.T) {
	const nx, ny, nz = 9, 10, 11
	img := randomLBP3DImage(nx, ny, nz, 21)
	mask := lbpTestVolume(nx, ny, nz, volume.UInt8)
	for i := range mask.Data {
		mask.Data[i] = 1
	}
	base, err := LBP3D(img, mask, 1, 3, 1.3, 1)
	if err != nil {
		t.Fatal(err)
	}
	for axis := 0; axis < 3; axis++ {
		ref := lbpTestVolume(nx, ny, nz, volume.Float64)
		mirror := func(x, y, z int) int {
			p := [3]int{x, y, z}
			p[axis] = img.Size[axis] - 1 - p[axis]
			return img.Index(p[0], p[1], p[2])
		}
		for i := range ref.Data {
			x, y, z := ref.Coords(i)
			ref.Data[i] = img.Data[mirror(x, y, z)]
		}
		got, err := LBP3D(ref, mask, 1, 3, 1.3, 1)
		if err != nil {
			t.Fatal(err)
		}
		maxDiff := 0.0
		for k := range got {
			for i := range ref.Data {
				x, y, z := ref.Coords(i)
				a, b := got[k].Image.Data[i], base[k].Image.Data[mirror(x, y, z)]
				maxDiff = math.Max(maxDiff, math.Abs(a-b))
				if axis < 2 && math.Abs(a-b) > 1e-12*math.Max(1, math.Abs(b)) {
					t.Fatalf("reflection along axis %d, %s voxel (%d,%d,%d): %v, original %v", axis, got[k].Name, x, y, z, a, b)
				}
			}
		}
		if axis == 2 && maxDiff < 1e-3 {
			t.Errorf("reflection along z changed the outputs by at most %v: unexpectedly invariant", maxDiff)
		}
	}
	twice := img.Clone()
	for i := range twice.Data {
		twice.Data[i] *= 2
	}
	got, err := LBP3D(twice, mask, 1, 3, 1.3, 1)
	if err != nil {
		t.Fatal(err)
	}
	for k := range got {
		for i := range got[k].Image.Data {
			if math.Float64bits(got[k].Image.Data[i]) != math.Float64bits(base[k].Image.Data[i]) {
				t.Fatalf("scaled by 2, %s voxel %d: %v, original %v", got[k].Name, i, got[k].Image.Data[i], base[k].Image.Data[i])
			}
		}
	}
	// Swap x and y (a cube, so the geometry is unchanged).
	cube := randomLBP3DImage(8, 8, 8, 5)
	cmask := lbpTestVolume(8, 8, 8, volume.UInt8)
	for i := range cmask.Data {
		cmask.Data[i] = 1
	}
	sw := cube.Clone()
	for i := range sw.Data {
		x, y, z := sw.Coords(i)
		sw.Data[i] = cube.At(y, x, z)
	}
	a, _ := LBP3D(cube, cmask, 1, 2, 1, 1)
	b, _ := LBP3D(sw, cmask, 1, 2, 1, 1)
	maxDiff := 0.0
	for i := range sw.Data {
		x, y, z := sw.Coords(i)
		maxDiff = math.Max(maxDiff, math.Abs(b[1].Image.Data[i]-a[1].Image.At(y, x, z)))
	}
	if maxDiff < 1e-3 {
		t.Errorf("swapping x and y changed lbp-3D-m2 by at most %v: unexpectedly invariant", maxDiff)
	}
}

// TestLBP3DCrop checks that LBP3DCrop equals LBP3D followed by Crop, bit for
// bit, for boxes inside and touching the borders, with the ROI a random
// subset of the box; and that every pixel type's samples are stored as
// map_coordinates does (mapCast).
func TestLBP3DCrop(t *testing.T) {
	rng := rand.New(rand.NewSource(17))
	for _, pt := range []volume.PixelType{volume.Float64, volume.Float32, volume.Int16, volume.UInt8} {
		img := lbpTestVolume(10, 9, 8, pt)
		for i := range img.Data {
			img.Data[i] = pt.Cast(rng.Float64() * 200)
		}
		for _, bb := range []volume.BBox{
			{Lo: [3]int{2, 3, 1}, Hi: [3]int{6, 5, 5}},
			{Lo: [3]int{0, 0, 0}, Hi: [3]int{9, 8, 7}},
			{Lo: [3]int{7, 0, 6}, Hi: [3]int{9, 2, 7}},
		} {
			mask := lbpTestVolume(10, 9, 8, volume.UInt8)
			sz := bb.Size()
			roi := make([]bool, sz[0]*sz[1]*sz[2])
			for i := range roi {
				roi[i] = rng.Intn(3) > 0
				x, y, z := i%sz[0], (i/sz[0])%sz[1], i/(sz[0]*sz[1])
				if roi[i] {
					mask.Data[mask.Index(bb.Lo[0]+x, bb.Lo[1]+y, bb.Lo[2]+z)] = 2
				}
			}
			full, err := LBP3D(img, mask, 2, 2, 1, 1)
			if err != nil {
				t.Fatal(err)
			}
			got, err := LBP3DCrop(img, bb, roi, 2, 1, 1)
			if err != nil {
				t.Fatal(err)
			}
			for k := range got {
				want := full[k].Image.Crop(bb, 0)
				if got[k].Image.Geometry != want.Geometry || got[k].Name != full[k].Name {
					t.Fatalf("%v %v: %s geometry %+v, want %+v", pt, bb, got[k].Name, got[k].Image.Geometry, want.Geometry)
				}
				for i := range want.Data {
					if math.Float64bits(got[k].Image.Data[i]) != math.Float64bits(want.Data[i]) {
						t.Fatalf("%v %v %s voxel %d: %v, want %v", pt, bb, got[k].Name, i, got[k].Image.Data[i], want.Data[i])
					}
				}
			}
		}
	}
	for _, c := range []struct {
		pt      volume.PixelType
		in, out float64
	}{
		{volume.Int16, 2.5, 3}, {volume.Int16, -2.5, -3}, {volume.Int16, -0.2, 0}, {volume.Int16, 40000, 32767},
		{volume.Int16, -40000, -32768}, {volume.UInt8, -3, 0}, {volume.UInt8, 254.5, 255}, {volume.UInt8, 300, 255},
		{volume.Float32, 0.1, float64(float32(0.1))}, {volume.Float64, 0.1, 0.1},
	} {
		if got := mapCast(c.pt, c.in); got != c.out {
			t.Errorf("mapCast(%v, %v) = %v, want %v", c.pt, c.in, got, c.out)
		}
	}
}

// TestLBP3DKurtosis checks the kurtosis step against the direct two-pass
// formula (m4/m2^2 - 3 with population moments) on random samples, in
// float64 and float32, and its NaN for constant samples.
func TestLBP3DKurtosis(t *testing.T) {
	rng := rand.New(rand.NewSource(3))
	sp := lbpSphereFor(1, 1, 2)
	for _, pt := range []volume.PixelType{volume.Float64, volume.Int16, volume.Float32} {
		ws := newLBP3DWork(sp, pt)
		for trial := 0; trial < 20; trial++ {
			for i := range ws.samples {
				ws.samples[i] = mapCast(pt, rng.ExpFloat64()*100)
			}
			var mean, m2, m4 float64
			for _, s := range ws.samples {
				mean += s
			}
			mean /= float64(len(ws.samples))
			for _, s := range ws.samples {
				d := s - mean
				m2 += d * d
				m4 += d * d * d * d
			}
			n := float64(len(ws.samples))
			want := (m4/n)/((m2/n)*(m2/n)) - 3
			tol := 1e-12
			if pt == volume.Float32 {
				tol = 1e-4
			}
			if got := ws.kurtosis(); math.Abs(got-want) > tol*math.Max(1, math.Abs(want)) {
				t.Errorf("%v: kurtosis %v, direct %v", pt, got, want)
			}
		}
		for i := range ws.samples {
			ws.samples[i] = 7
		}
		if got := ws.kurtosis(); !math.IsNaN(got) {
			t.Errorf("%v constant samples: kurtosis %v, want NaN", pt, got)
		}
	}
}

// TestLBP3DOutsideAndErrors: a ROI voxel whose samples all fall outside the
// image (radius larger than the image) sees 42 zero samples; bad settings
// are errors, and voxels outside the ROI are 0.
func TestLBP3DOutsideAndErrors(t *testing.T) {
	img := lbpTestVolume(3, 3, 3, volume.Int16)
	for i := range img.Data {
		img.Data[i] = -5
	}
	mask := lbpTestVolume(3, 3, 3, volume.UInt8)
	mask.Data[mask.Index(1, 1, 1)] = 1
	res, err := LBP3D(img, mask, 1, 2, 5, 1)
	if err != nil {
		t.Fatal(err)
	}
	// All samples 0 >= -5: every bit set; kurtosis of constant zeros: NaN.
	i := img.Index(1, 1, 1)
	if want := math.Sqrt(42) * 42 / (4 * math.Pi); math.Abs(res[0].Image.Data[i]-want) > 1e-13*want {
		t.Errorf("level 1: %v, want %v", res[0].Image.Data[i], want)
	}
	if !math.IsNaN(res[2].Image.Data[i]) {
		t.Errorf("kurtosis %v, want NaN", res[2].Image.Data[i])
	}
	for k := range res {
		for j, v := range res[k].Image.Data {
			if j != i && v != 0 {
				t.Errorf("%s: non-ROI voxel %d = %v", res[k].Name, j, v)
			}
		}
	}
	for _, c := range []struct {
		name        string
		levels, sub int
		radius      float64
	}{
		{"levels 1", 1, 1, 1}, {"levels 0", 0, 1, 1}, {"levels 33", 33, 1, 1}, {"radius 0", 2, 1, 0},
		{"radius NaN", 2, 1, math.NaN()}, {"radius Inf", 2, 1, math.Inf(1)}, {"subdivision -1", 2, -1, 1},
		{"subdivision 7", 2, 7, 1},
	} {
		if _, err := LBP3D(img, mask, 1, c.levels, c.radius, c.sub); err == nil {
			t.Errorf("%s: no error", c.name)
		}
	}
	if _, err := LBP3D(nil, mask, 1, 2, 1, 1); err == nil {
		t.Error("nil image: no error")
	}
	if _, err := LBP3D(img, lbpTestVolume(3, 3, 2, volume.UInt8), 1, 2, 1, 1); err == nil {
		t.Error("mask of another size: no error")
	}
	if _, err := LBP3DCrop(img, volume.BBox{Hi: [3]int{1, 1, 1}}, make([]bool, 7), 2, 1, 1); err == nil {
		t.Error("ROI flags of the wrong length: no error")
	}
	if _, err := LBP3DCrop(img, volume.BBox{Hi: [3]int{3, 1, 1}}, make([]bool, 16), 2, 1, 1); err == nil {
		t.Error("box outside the image: no error")
	}
}
