package filters

import (
	"math"
	"testing"

	"github.com/spinerad/spinerad/internal/volume"
)

// Appendix A.1 of the parity spec: ITK's coefficients, printed to 17 digits.
func TestGaussianCoefficientsA1(t *testing.T) {
	d1 := [4]float64{-0.14342048855145489, 0.029763088728200493, -0.0098214425795419176, 0.0039548998518187592}
	cases := []struct {
		name         string
		sigma, delta float64
		order        int
		n, d, m      [4]float64
		bn, bm       [4]float64
		checkD, full bool
	}{
		{"s1 zero", 1, 1, 0,
			[4]float64{0.40010105031602061, 0.18523775177369015, 0.031222073927696728, -0.00018314961116479707}, d1,
			[4]float64{0.24262043987996407, 0.019313830866894796, 0.0037464198805284106, -0.0015823595846073599},
			[4]float64{-0.10040158832886441, 0.020835665894501212, -0.0068755060356175627, 0.0027686297182130597},
			[4]float64{-0.043018900222590514, 0.008927422833699284, -0.0029459365439243562, 0.0011862701336057004}, true, true},
		{"s1 second", 1, 1, 2,
			[4]float64{-0.40312077485818376, 0.059829266958066459, 0.1495529732837711, 0.016269439354881909}, d1,
			[4]float64{0.0020134884826646868, 0.16155109267405615, 0.012310211811991812, 0.0015943022927516943},
			[4]float64{0.028907889237700886, -0.0059990596951425288, 0.0019796137714450483, -0.00079715114637584716},
			[4]float64{-0.028907889237700893, 0.0059990596951425305, -0.0019796137714450492, 0.00079715114637584738}, true, true},
		{"s2 second", 2, 1, 2,
			[4]float64{-0.20148612713222869, 0.16002137160997057, -0.0045626408357608986, 0.023056016506322573},
			[4]float64{-1.4515754672014429, 0.981825424214816, -0.36511848259031315, 0.062887994496714214},
			[4]float64{}, [4]float64{}, [4]float64{}, true, false},
	}
	for _, c := range cases {
		rc, err := GaussianCoefficients(c.sigma, c.delta, c.order)
		if err != nil {
			t.Fatal(err)
		}
		if rc.N != c.n {
			t.Errorf("%s: N = %.17g, want %.17g", c.name, rc.N, c.n)
		}
		if rc.D != c.d {
			t.Errorf("%s: D = %.17g, want %.17g", c.name, rc.D, c.d)
		}
		if c.full && (rc.M != c.m || rc.BN != c.bn || rc.BM != c.bm) {
			t.Errorf("%s: M, BN, BM = %.17g %.17g %.17g", c.name, rc.M, rc.BN, rc.BM)
		}
	}
	// sigma 1 mm at spacing 0.5 mm: same D and zero-order coefficients as
	// sigma 2 at spacing 1; second-order N four times smaller (sigma² in mm²).
	a0, _ := GaussianCoefficients(1, 0.5, 0)
	b0, _ := GaussianCoefficients(2, 1, 0)
	a2, _ := GaussianCoefficients(1, 0.5, 2)
	if a0 != b0 || a2.D != b0.D {
		t.Errorf("sigma/spacing 1/0.5 differs from 2/1: %v %v", a0, b0)
	}
	if a2.N[0] != -0.050371531783057172 {
		t.Errorf("n0(sigma 1, spacing 0.5) = %.17g, want -0.050371531783057172", a2.N[0])
	}
}

func TestGaussianCoefficientsErrors(t *testing.T) {
	for _, c := range []struct {
		s, d float64
		o    int
	}{{0, 1, 0}, {-1, 1, 2}, {1, 0, 0}, {1, 1, 1}, {math.NaN(), 1, 0}, {1, math.Inf(1), 0}} {
		if _, err := GaussianCoefficients(c.s, c.d, c.o); err == nil {
			t.Errorf("GaussianCoefficients(%v, %v, %d): no error", c.s, c.d, c.o)
		}
	}
}

// Appendix A.1 1D responses: sigma 2, spacing 1, unit impulse at sample 16 of
// 33, samples 12..20, one pass rounded to float32.
func TestRecursiveImpulseResponseA1(t *testing.T) {
	want := map[int][]float32{
		0: {0.027053824, 0.064942859, 0.12130366, 0.17655495, 0.20003971, 0.17655495, 0.12130366, 0.064942859, 0.027053824},
		2: {0.080883659, 0.080983564, 0.00099901541, -0.13245095, -0.20148613, -0.13245095, 0.00099901541, 0.080983564, 0.080883659},
	}
	wantSum := map[int]float64{0: 0.99999746, 2: 8.39e-6}
	for order, w := range want {
		co, _ := GaussianCoefficients(2, 1, order)
		src := make([]float64, 33)
		src[16] = 1
		dst := make([]float32, 33)
		recAxis(src, dst, [3]int{33, 1, 1}, 0, 0, 32, &co, newRecBuf([3]int{33, 1, 1}))
		sum := 0.0
		for _, v := range dst {
			sum += float64(v)
		}
		for i, v := range w {
			if dst[12+i] != v {
				t.Errorf("order %d sample %d = %.9g, want %.9g", order, 12+i, dst[12+i], v)
			}
		}
		if math.Abs(sum-wantSum[order]) > 1e-8 {
			t.Errorf("order %d: sum %.9g, want %.9g", order, sum, wantSum[order])
		}
	}
}

// Appendix A.2: LoG of a 3D impulse (int16, 17³, 1000 at (8,8,8), spacing 1).
func TestLoGImpulseA2(t *testing.T) {
	g := volume.Geometry{Size: [3]int{17, 17, 17}, Spacing: [3]float64{1, 1, 1}, Direction: volume.Identity}
	im := volume.New(g, volume.Int16)
	im.Data[im.Index(8, 8, 8)] = 1000
	orig := im.Clone()
	cases := []struct {
		sigma float64
		line  []float32
		sum   float64
	}{
		{1, []float32{0.36444962, 4.29417515, 8.45258045, -77.9417191, -193.595734, -77.9417191, 8.45258045, 4.29417515, 0.36444962}, 0.0166457443},
		{2, []float32{1.05581021, -1.99444461, -9.73836708, -19.5323162, -24.1879387, -19.5323162, -9.73836708, -1.99444461, 1.05581021}, -3.92339903},
	}
	for _, c := range cases {
		out, err := LoG(im, c.sigma)
		if err != nil {
			t.Fatal(err)
		}
		if out.Type != volume.Float32 || out.Geometry != im.Geometry {
			t.Fatalf("output type %v geometry %v", out.Type, out.Geometry)
		}
		for i, w := range c.line {
			if got := out.At(4+i, 8, 8); got != float64(w) {
				t.Errorf("sigma %v x=%d: %.9g, want %.9g", c.sigma, 4+i, got, w)
			}
		}
		sum := 0.0
		for _, v := range out.Data {
			if v != float64(float32(v)) {
				t.Fatalf("value %v is not a float32", v)
			}
			sum += v
		}
		if math.Abs(sum-c.sum) > 1e-8*math.Max(1, math.Abs(c.sum)) {
			t.Errorf("sigma %v: sum %.10g, want %.10g", c.sigma, sum, c.sum)
		}
	}
	for i := range im.Data {
		if im.Data[i] != orig.Data[i] {
			t.Fatal("LoG modified its input")
		}
	}
}

// An independent check: a Gaussian blob of width s0 filtered with the LoG of
// width sigma is, in closed form, sigma² ∇² of a Gaussian of width
// s = sqrt(s0² + sigma²): A (s0/s)³ (r²/s⁴ - 3/s²) exp(-r²/(2s²)). The
// recursive filter is an approximation, so the tolerance is loose (2% of the
// peak), but it checks sign, scale normalisation and anisotropic spacing.
func TestLoGGaussianBlob(t *testing.T) {
	for _, sp := range [][3]float64{{1, 1, 1}, {0.8, 1, 1.5}} {
		g := volume.Geometry{Direction: volume.Identity, Spacing: sp}
		for a := 0; a < 3; a++ {
			g.Size[a] = int(math.Round(64 / sp[a]))
		}
		im := volume.New(g, volume.Float64)
		const s0, sigma, amp = 3.0, 2.0, 1000.0
		var c [3]float64
		for a := 0; a < 3; a++ {
			c[a] = float64(g.Size[a]/2) * sp[a]
		}
		r2 := func(x, y, z int) float64 {
			dx, dy, dz := float64(x)*sp[0]-c[0], float64(y)*sp[1]-c[1], float64(z)*sp[2]-c[2]
			return dx*dx + dy*dy + dz*dz
		}
		for z := 0; z < g.Size[2]; z++ {
			for y := 0; y < g.Size[1]; y++ {
				for x := 0; x < g.Size[0]; x++ {
					im.Data[im.Index(x, y, z)] = amp * math.Exp(-r2(x, y, z)/(2*s0*s0))
				}
			}
		}
		out, err := LoG(im, sigma)
		if err != nil {
			t.Fatal(err)
		}
		s2 := s0*s0 + sigma*sigma
		peak := amp * math.Pow(s0*s0/s2, 1.5) * 3 / s2 * sigma * sigma
		maxErr := 0.0
		for z := 0; z < g.Size[2]; z++ {
			for y := 0; y < g.Size[1]; y++ {
				for x := 0; x < g.Size[0]; x++ {
					rr := r2(x, y, z)
					want := sigma * sigma * amp * math.Pow(s0*s0/s2, 1.5) * (rr/(s2*s2) - 3/s2) * math.Exp(-rr/(2*s2))
					maxErr = math.Max(maxErr, math.Abs(out.At(x, y, z)-want))
				}
			}
		}
		if maxErr > 0.02*peak {
			t.Errorf("spacing %v: max deviation %.4g from closed form (peak %.4g)", sp, maxErr, peak)
		}
		t.Logf("spacing %v: max deviation %.3g (%.2f%% of peak %.4g)", sp, maxErr, 100*maxErr/peak, peak)
	}
}

func TestLoGCheck(t *testing.T) {
	sp := [3]float64{0.5, 1, 3}
	cases := []struct {
		size  [3]int
		sigma float64
		ok    bool
	}{
		{[3]int{10, 10, 10}, 1, true},
		{[3]int{3, 10, 10}, 1, false},  // dimension < 4
		{[3]int{10, 10, 10}, 0, false}, // sigma <= 0
		{[3]int{10, 10, 10}, -1, false},
		{[3]int{10, 10, 10}, 4.5, true},  // ceil(4.5/0.5)+1 = 10 <= 10
		{[3]int{10, 10, 10}, 4.6, false}, // ceil(9.2)+1 = 11 > 10
		{[3]int{40, 10, 4}, 9, true},     // z: ceil(9/3)+1 = 4
		{[3]int{40, 10, 4}, 9.1, false},  // z: ceil(3.03)+1 = 5 > 4
	}
	for _, c := range cases {
		err := LoGCheck(c.size, sp, c.sigma)
		if (err == nil) != c.ok {
			t.Errorf("LoGCheck(%v, %v): %v, want ok=%v", c.size, c.sigma, err, c.ok)
		}
	}
}

func TestLoGErrors(t *testing.T) {
	g := volume.Geometry{Size: [3]int{3, 8, 8}, Spacing: [3]float64{1, 1, 1}, Direction: volume.Identity}
	if _, err := LoG(volume.New(g, volume.Int16), 1); err == nil {
		t.Error("size 3 along x: no error")
	}
	g.Size = [3]int{8, 8, 8}
	if _, err := LoG(volume.New(g, volume.Int16), 0); err == nil {
		t.Error("sigma 0: no error")
	}
	if _, err := LoG(nil, 1); err == nil {
		t.Error("nil image: no error")
	}
	bad := volume.New(g, volume.Int16)
	bad.Data = bad.Data[:10]
	if _, err := LoG(bad, 1); err == nil {
		t.Error("short data: no error")
	}
}

func TestCorrectlyRoundedMath(t *testing.T) {
	// glibc (correctly rounded) values; Go's math.Cos(0.6681) is one ulp off.
	cases := []struct{ got, want float64 }{
		{func() float64 { _, c := crSinCos(0.6681); return c }(), 0x1.91eb8945b6790p-1},
		{func() float64 { _, c := crSinCos(2.0787); return c }(), -0x1.f204d908e3564p-2},
		{func() float64 { s, _ := crSinCos(2.0787); return s }(), 0x1.bf5e40c41c2ddp-1},
		{func() float64 { s, _ := crSinCos(100.5); return s }(), math.Sin(100.5)},
		{crExp(-1.3932), 0.24827953756321083},
		{crExp(-8.9), math.Exp(-8.9)},
	}
	for i, c := range cases {
		if math.Abs(c.got-c.want) > 1e-16*math.Abs(c.want)*2 {
			t.Errorf("case %d: %.17g, want %.17g", i, c.got, c.want)
		}
	}
}
