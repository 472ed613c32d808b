package filters

import (
	"math"
	"math/rand"
	"testing"

	"github.com/spinerad/spinerad/internal/volume"
)

// lbpSlice builds an nx x ny x nz Float64 volume from rows of x-fastest
// values (slice after slice).
func lbpVolume(nx, ny, nz int, vals []float64) *volume.Image {
	g := volume.Geometry{Size: [3]int{nx, ny, nz}, Spacing: [3]float64{1, 1, 1}, Direction: volume.Identity}
	im := volume.New(g, volume.Float64)
	copy(im.Data, vals)
	return im
}

// Hand-computed LBP codes (P = 8, R = 1; neighbour p at angle 2πp/P, offsets
// (row, col) = (0,1), (-a,a), (-1,0), (-a,-a), (0,-1), (a,-a), (1,0), (a,a)
// with a = 0.70711, bilinear, outside = 0; bit p = neighbour >= centre).
//
// Ramp slice f(r, c) = 3r + c + 1 (values 1..9). Centre (1,1) = 5: the
// interpolated neighbours are 5 + 3rp + cp = 6, 3.59, 2, 2.17, 4, 6.41, 8,
// 7.83 → bits 1,0,0,0,0,1,1,1: default 1+32+64+128 = 225, 2 changes → uniform
// 4, ror min rotation 0b00001111 = 15, nri_uniform (4 ones, first one at 0,
// first zero at 1 → rot 3) 1 + 3*8 + 3 = 28, var (1/8)Σ(3rp+cp)² = 2.5+5a².
// Corner (0,0) = 1: right 2, up 0, left 0, down 4; diagonals 0.5 (−a,a),
// 0.0858 (−a,−a), 0.914 (a,−a), 3.83 (a,a) → bits 1,0,0,0,0,0,1,1: default
// 193, uniform 3, ror 7.
//
// Cross slice (0 9 0 / 9 5 9 / 0 9 0), centre 5: edge neighbours 9, each
// diagonal interpolates to 4.157 → bits 1,0,1,0,1,0,1,0: default 85, 7
// changes → uniform P+1 = 9, ror 85, nri_uniform P(P-1)+2 = 58.
func TestLBP2DHandComputed(t *testing.T) {
	ramp := lbpVolume(3, 3, 1, []float64{1, 2, 3, 4, 5, 6, 7, 8, 9})
	cross := lbpVolume(3, 3, 1, []float64{0, 9, 0, 9, 5, 9, 0, 9, 0})
	a := 0.70711
	cases := []struct {
		name   string
		im     *volume.Image
		method string
		x, y   int
		want   float64
	}{
		{"ramp centre default", ramp, "default", 1, 1, 225},
		{"ramp centre uniform", ramp, "uniform", 1, 1, 4},
		{"ramp centre ror", ramp, "ror", 1, 1, 15},
		{"ramp centre nri", ramp, "nri_uniform", 1, 1, 28},
		{"ramp centre var", ramp, "var", 1, 1, 2.5 + 5*a*a},
		{"ramp corner default", ramp, "default", 0, 0, 193},
		{"ramp corner uniform", ramp, "UNIFORM", 0, 0, 3},
		{"ramp corner ror", ramp, "ror", 0, 0, 7},
		{"cross default", cross, "default", 1, 1, 85},
		{"cross uniform", cross, "uniform", 1, 1, 9},
		{"cross ror", cross, "ror", 1, 1, 85},
		{"cross nri", cross, "nri_uniform", 1, 1, 58},
	}
	for _, c := range cases {
		out, err := LBP2D(c.im, 1, 8, c.method, 0)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		got := out.At(c.x, c.y, 0)
		if math.Abs(got-c.want) > 1e-12*math.Abs(c.want) {
			t.Errorf("%s: got %v, want %v", c.name, got, c.want)
		}
		if out.Geometry != c.im.Geometry || out.Type != c.im.Type {
			t.Errorf("%s: geometry/type changed", c.name)
		}
	}
}

// P = 4, R = 1 samples the 4-neighbours exactly: at the centre of
// (1 2 3 / 4 5 6 / 7 8 9) right 6, up 2, left 4, down 8 → bits 1,0,0,1:
// default 9, ror (rotations 9, 12, 6, 3) 3, uniform 2 ones → 2.
func TestLBP2DFourNeighbours(t *testing.T) {
	im := lbpVolume(3, 3, 1, []float64{1, 2, 3, 4, 5, 6, 7, 8, 9})
	for _, c := range []struct {
		method string
		want   float64
	}{{"default", 9}, {"ror", 3}, {"uniform", 2}, {"var", 5}} {
		out, err := LBP2D(im, 1, 4, c.method, 0)
		if err != nil {
			t.Fatal(err)
		}
		// var of (6, 2, 4, 8) = mean 5, squares 1+9+1+9 → 20/4 = 5.
		if got := out.At(1, 1, 0); math.Abs(got-c.want) > 1e-12 {
			t.Errorf("%s: got %v, want %v", c.method, got, c.want)
		}
	}
}

// An all-zero image: every neighbour (outside ones too) equals the centre,
// so every bit is 1: default and ror 2^P-1, uniform P, var NaN.
func TestLBP2DConstantZero(t *testing.T) {
	im := lbpVolume(4, 5, 2, make([]float64, 40))
	for _, c := range []struct {
		method string
		want   float64
	}{{"default", 255}, {"ror", 255}, {"uniform", 8}, {"nri_uniform", 57}, {"var", math.NaN()}} {
		out, err := LBP2D(im, 1, 8, c.method, 0)
		if err != nil {
			t.Fatal(err)
		}
		for i, v := range out.Data {
			if !(v == c.want || math.IsNaN(v) && math.IsNaN(c.want)) {
				t.Fatalf("%s: voxel %d = %v, want %v", c.method, i, v, c.want)
			}
		}
	}
}

// Rotating a slice by 90° maps the sampling circle (P = 8) onto itself with
// a cyclic shift of 2 bits, so 'ror' and 'uniform' rotate with the image.
func TestLBP2DRotationInvariance(t *testing.T) {
	const n = 7
	rng := rand.New(rand.NewSource(3))
	vals := make([]float64, n*n)
	for i := range vals {
		vals[i] = rng.Float64() * 100
	}
	rot := make([]float64, n*n)
	// rot[r][c] = vals[c][n-1-r] (counter-clockwise turn).
	for r := 0; r < n; r++ {
		for c := 0; c < n; c++ {
			rot[r*n+c] = vals[c*n+n-1-r]
		}
	}
	im, imr := lbpVolume(n, n, 1, vals), lbpVolume(n, n, 1, rot)
	for _, m := range []string{"ror", "uniform"} {
		a, err := LBP2D(im, 1, 8, m, 0)
		if err != nil {
			t.Fatal(err)
		}
		b, err := LBP2D(imr, 1, 8, m, 0)
		if err != nil {
			t.Fatal(err)
		}
		distinct := map[float64]bool{}
		for r := 0; r < n; r++ {
			for c := 0; c < n; c++ {
				distinct[a.At(c, r, 0)] = true
				if got, want := b.At(c, r, 0), a.At(n-1-r, c, 0); got != want {
					t.Errorf("%s: rotated (%d,%d) = %v, original %v", m, r, c, got, want)
				}
			}
		}
		if len(distinct) < 3 {
			t.Errorf("%s: degenerate test image (%d distinct codes)", m, len(distinct))
		}
	}
	// 'default' is not rotation invariant: at least one code must change.
	a, _ := LBP2D(im, 1, 8, "default", 0)
	b, _ := LBP2D(imr, 1, 8, "default", 0)
	same := true
	for r := 0; r < n; r++ {
		for c := 0; c < n; c++ {
			if b.At(c, r, 0) != a.At(n-1-r, c, 0) {
				same = false
			}
		}
	}
	if same {
		t.Error("default: unexpectedly rotation invariant")
	}
}

// Each slice is processed on its own (neighbours never come from another
// slice), for each force2Ddimension; axes 1 and 2 equal axis 0 on the
// correspondingly permuted volume.
func TestLBP2DSlicesAndAxes(t *testing.T) {
	nx, ny, nz := 5, 4, 3
	rng := rand.New(rand.NewSource(7))
	im := lbpVolume(nx, ny, nz, nil)
	for i := range im.Data {
		im.Data[i] = float64(rng.Intn(20))
	}
	full, err := LBP2D(im, 1.5, 8, "uniform", 0)
	if err != nil {
		t.Fatal(err)
	}
	for z := 0; z < nz; z++ {
		one := lbpVolume(nx, ny, 1, im.Data[z*nx*ny:(z+1)*nx*ny])
		o, err := LBP2D(one, 1.5, 8, "uniform", 0)
		if err != nil {
			t.Fatal(err)
		}
		for i, v := range o.Data {
			if full.Data[z*nx*ny+i] != v {
				t.Fatalf("slice %d voxel %d: %v in volume, %v alone", z, i, full.Data[z*nx*ny+i], v)
			}
		}
	}
	// perm[d] gives, for the permuted volume's axis k, the source axis.
	for _, c := range []struct {
		dim  int
		perm [3]int
	}{{1, [3]int{0, 2, 1}}, {2, [3]int{2, 1, 0}}} {
		got, err := LBP2D(im, 1.5, 8, "default", c.dim)
		if err != nil {
			t.Fatal(err)
		}
		var ps [3]int
		for k := 0; k < 3; k++ {
			ps[k] = im.Size[c.perm[k]]
		}
		pv := lbpVolume(ps[0], ps[1], ps[2], nil)
		for i := range pv.Data {
			var q, s [3]int
			q[0], q[1], q[2] = pv.Coords(i)
			for k := 0; k < 3; k++ {
				s[c.perm[k]] = q[k]
			}
			pv.Data[i] = im.At(s[0], s[1], s[2])
		}
		want, err := LBP2D(pv, 1.5, 8, "default", 0)
		if err != nil {
			t.Fatal(err)
		}
		for i := range want.Data {
			var q, s [3]int
			q[0], q[1], q[2] = want.Coords(i)
			for k := 0; k < 3; k++ {
				s[c.perm[k]] = q[k]
			}
			if g := got.At(s[0], s[1], s[2]); g != want.Data[i] {
				t.Fatalf("dim %d: voxel %v = %v, permuted %v", c.dim, s, g, want.Data[i])
			}
		}
	}
}

// LBP2DCrop equals LBP2D followed by Crop, for every axis.
func TestLBP2DCrop(t *testing.T) {
	rng := rand.New(rand.NewSource(11))
	im := lbpVolume(6, 7, 5, nil)
	for i := range im.Data {
		im.Data[i] = rng.NormFloat64()
	}
	bb := volume.BBox{Lo: [3]int{1, 2, 1}, Hi: [3]int{4, 5, 3}}
	for dim := 0; dim < 3; dim++ {
		full, err := LBP2D(im, 2, 12, "var", dim)
		if err != nil {
			t.Fatal(err)
		}
		want := full.Crop(bb, 0)
		got, err := LBP2DCrop(im, 2, 12, "var", dim, bb)
		if err != nil {
			t.Fatal(err)
		}
		if got.Geometry != want.Geometry {
			t.Fatalf("dim %d: geometry %+v, want %+v", dim, got.Geometry, want.Geometry)
		}
		for i := range want.Data {
			if math.Float64bits(got.Data[i]) != math.Float64bits(want.Data[i]) {
				t.Fatalf("dim %d voxel %d: %v, want %v", dim, i, got.Data[i], want.Data[i])
			}
		}
	}
}

// PyRadiomics writes the float64 result back into the image's own array:
// integer types truncate (x86-64 conversion through int32 for narrow types).
func TestLBP2DPixelType(t *testing.T) {
	im := volume.New(volume.Geometry{Size: [3]int{3, 3, 1}, Spacing: [3]float64{1, 1, 1}, Direction: volume.Identity}, volume.Int16)
	copy(im.Data, []float64{1, 2, 3, 4, 5, 6, 7, 8, 9})
	out, err := LBP2D(im, 1, 8, "var", 0)
	if err != nil {
		t.Fatal(err)
	}
	if out.Type != volume.Int16 || out.At(1, 1, 0) != 5 { // trunc(5.0000228)
		t.Errorf("int16 var: type %v value %v, want Int16 5", out.Type, out.At(1, 1, 0))
	}
	for _, c := range []struct {
		pt   volume.PixelType
		in   float64
		want float64
	}{
		{volume.Int16, math.NaN(), 0},
		{volume.Int16, 40000, -25536},
		{volume.Int16, -2.7, -2},
		{volume.UInt8, 300, 44},
		{volume.Int32, math.NaN(), math.MinInt32},
		{volume.Float32, 0.1, float64(float32(0.1))},
		{volume.Float64, 0.1, 0.1},
	} {
		if got := npCast(c.pt, c.in); got != c.want {
			t.Errorf("npCast(%v, %v) = %v, want %v", c.pt, c.in, got, c.want)
		}
	}
}

func TestLBP2DErrors(t *testing.T) {
	im := lbpVolume(3, 3, 1, make([]float64, 9))
	cases := []struct {
		name    string
		radius  float64
		samples int
		method  string
		dim     int
	}{
		{"method", 1, 8, "nope", 0},
		{"samples 0", 1, 0, "uniform", 0},
		{"samples 32", 1, 32, "uniform", 0},
		{"radius 0", 0, 8, "uniform", 0},
		{"radius NaN", math.NaN(), 8, "uniform", 0},
		{"radius Inf", math.Inf(1), 8, "uniform", 0},
		{"dim", 1, 8, "uniform", 3},
	}
	for _, c := range cases {
		if _, err := LBP2D(im, c.radius, c.samples, c.method, c.dim); err == nil {
			t.Errorf("%s: no error", c.name)
		}
	}
	if _, err := LBP2D(nil, 1, 8, "uniform", 0); err == nil {
		t.Error("nil image: no error")
	}
}
