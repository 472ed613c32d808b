package filters

import (
	"fmt"
	"math"
	"math/rand"
	"strings"
	"testing"

	"github.com/spinerad/spinerad/internal/volume"
)

// Parity spec 5.4 (doubles) and Appendix A.4 (PyWavelets' float taps).
func TestCoif1Taps(t *testing.T) {
	lo, hi, err := WaveletFilters("coif1")
	if err != nil {
		t.Fatal(err)
	}
	wantLo := []float64{-0.01565572813579199, -0.07273261951252645, 0.3848648468648578, 0.8525720202116004, 0.3378976624574818, -0.07273261951252645}
	wantHi := []float64{0.07273261951252645, 0.3378976624574818, -0.8525720202116004, 0.3848648468648578, 0.07273261951252645, -0.01565572813579199}
	lo32, hi32, _ := WaveletFilters32("coif1")
	wantLo32 := []float64{-0.015655728057026863, -0.07273261994123459, 0.38486483693122864, 0.852571964263916, 0.3378976583480835, -0.07273261994123459}
	wantHi32 := []float64{0.07273261994123459, 0.3378976583480835, -0.852571964263916, 0.38486483693122864, 0.07273261994123459, -0.015655728057026863}
	for i := range wantLo {
		// the spec prints the doubles with 16 significant digits
		if !close16(lo[i], wantLo[i]) || !close16(hi[i], wantHi[i]) {
			t.Errorf("double tap %d: %.17g %.17g", i, lo[i], hi[i])
		}
		if float64(lo32[i]) != wantLo32[i] || float64(hi32[i]) != wantHi32[i] {
			t.Errorf("float tap %d: %.17g %.17g", i, lo32[i], hi32[i])
		}
	}
	// the float tap that is not the rounding of the double one
	if float64(float32(lo[3])) == float64(lo32[3]) {
		t.Error("coif1 float dec_lo[3] equals the rounded double; PyWavelets' is 0.852571964263916")
	}
}

// close16 reports whether a and b agree to 16 significant digits.
func close16(a, b float64) bool { return math.Abs(a-b) <= 1e-16*math.Max(math.Abs(a), math.Abs(b))*5 }

func TestWaveletNames(t *testing.T) {
	names := Wavelets()
	if len(names) != 106 {
		t.Fatalf("%d discrete wavelets, want 106", len(names))
	}
	if names[0] != "bior1.1" || names[len(names)-1] != "sym20" {
		t.Errorf("order: first %s last %s", names[0], names[len(names)-1])
	}
	idx := map[string]int{}
	for i, n := range names {
		idx[n] = i
	}
	if !(idx["db9"] < idx["db10"] && idx["coif1"] < idx["db1"] && idx["dmey"] < idx["haar"]) {
		t.Error("not pywt.wavelist order")
	}
	for _, bad := range []string{"Coif1", "db0", "db39", "db01", "sym1", "sym21", "coif18", "bior1.2", "rbio6.9", "morl", "gaus1", ""} {
		if _, _, err := WaveletFilters(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
	_, _, err := WaveletFilters("wavy")
	if err == nil || !strings.Contains(err.Error(), "coif1") || !strings.Contains(err.Error(), "rbio6.8") {
		t.Errorf("unknown-wavelet error does not list the valid names: %v", err)
	}
}

// orthogonal reports whether a wavelet family is orthogonal.
func orthogonal(name string) bool {
	return !strings.HasPrefix(name, "bior") && !strings.HasPrefix(name, "rbio")
}

func TestWaveletTapIdentities(t *testing.T) {
	worstSum, worstOrth := 0.0, 0.0
	for _, name := range Wavelets() {
		lo, hi, err := WaveletFilters(name)
		if err != nil {
			t.Fatal(err)
		}
		f := len(lo)
		slo, shi := 0.0, 0.0
		for i := range lo {
			slo += lo[i]
			shi += hi[i]
		}
		worstSum = math.Max(worstSum, math.Abs(slo-math.Sqrt2))
		tolHi := 1e-9
		if name == "dmey" {
			tolHi = 2e-3 // FIR approximation: H(pi) = 0.00109
		}
		if math.Abs(slo-math.Sqrt2) > 1e-9 || math.Abs(shi) > tolHi {
			t.Errorf("%s: sum(dec_lo) = %.17g, sum(dec_hi) = %.3g", name, slo, shi)
		}
		if orthogonal(name) {
			// quadrature mirror: dec_hi[i] = (-1)^(F-1-i) dec_lo[F-1-i]
			for i := range hi {
				if hi[i] != altSign(f-1-i)*lo[f-1-i] {
					t.Errorf("%s: dec_hi[%d] is not the mirror of dec_lo", name, i)
				}
			}
			// orthonormality of even shifts: sum_k h[k] h[k+2m] = delta(m)
			tol := 1e-9
			if name == "dmey" {
				tol = 3e-3 // FIR approximation: sum h² = 1.00224
			}
			for m := 0; 2*m < f; m++ {
				s := 0.0
				for k := 0; k+2*m < f; k++ {
					s += lo[k] * lo[k+2*m]
				}
				want := 0.0
				if m == 0 {
					want = 1
				}
				if name != "dmey" {
					worstOrth = math.Max(worstOrth, math.Abs(s-want))
				}
				if math.Abs(s-want) > tol {
					t.Errorf("%s: sum h[k]h[k+%d] = %.6g", name, 2*m, s)
				}
			}
			continue
		}
		// biorthogonal: the decomposition filter of biorN.M and the
		// reconstruction filter (the reversed rbioN.M decomposition filter)
		// satisfy sum_k h~[k] h[k+2m+s] = delta(m) for one shift parity s.
		dual := "rbio" + name[4:]
		if strings.HasPrefix(name, "rbio") {
			dual = "bior" + name[4:]
		}
		dlo, _, _ := WaveletFilters(dual)
		rec := make([]float64, f)
		for i := range rec {
			rec[i] = dlo[f-1-i]
		}
		ok := false
		for par := 0; par < 2 && !ok; par++ {
			ok = true
			ones := 0
			for lag := -f + par; lag < f; lag += 2 {
				s := 0.0
				for k := 0; k < f; k++ {
					if j := k + lag; j >= 0 && j < f {
						s += lo[k] * rec[j]
					}
				}
				switch {
				case math.Abs(s-1) < 1e-9:
					ones++
				case math.Abs(s) > 1e-9:
					ok = false
				}
			}
			ok = ok && ones == 1
		}
		if !ok {
			t.Errorf("%s: not biorthogonal to %s", name, dual)
		}
	}
	t.Logf("max |sum(dec_lo) - sqrt2| = %.3g; max orthonormality defect (excl. dmey) = %.3g", worstSum, worstOrth)
}

// randImage returns a seeded image with integer values (exact in every type).
func randImage(size [3]int, pt volume.PixelType, seed int64) *volume.Image {
	g := volume.Geometry{Size: size, Spacing: [3]float64{0.7, 0.9, 2.5}, Origin: [3]float64{-3, 4, 5}, Direction: volume.Identity}
	im := volume.New(g, pt)
	r := rand.New(rand.NewSource(seed))
	for i := range im.Data {
		im.Data[i] = float64(r.Intn(2001) - 1000)
	}
	return im
}

// refAxis is a plain float64 periodic SWT along ITK axis ax of a padded
// volume: out[n] = sum_j h[j] x[(n + F/2 - j) mod N].
func refAxis(x []float64, p [3]int, ax int, h []float64) []float64 {
	out := make([]float64, len(x))
	st := [3]int{1, p[0], p[0] * p[1]}
	n := p[ax]
	f := len(h)
	for i := range x {
		c := [3]int{i % p[0], (i / p[0]) % p[1], i / (p[0] * p[1])}
		base := i - c[ax]*st[ax]
		s := 0.0
		for j := 0; j < f; j++ {
			k := ((c[ax]+f/2-j)%n + n) % n
			s += h[j] * x[base+k*st[ax]]
		}
		out[i] = s
	}
	return out
}

// refWavelet follows PyRadiomics' _swt3 literally with refAxis.
func refWavelet(img *volume.Image, name string, startLevel, level int, axes []int) map[string][]float64 {
	lo, hi, _ := WaveletFilters(name)
	var p [3]int
	for a := 0; a < 3; a++ {
		p[a] = img.Size[a] + img.Size[a]%2
	}
	data := make([]float64, p[0]*p[1]*p[2])
	for i := range data {
		x, y, z := i%p[0], (i/p[0])%p[1], i/(p[0]*p[1])
		data[i] = img.At(x%img.Size[0], y%img.Size[1], z%img.Size[2])
	}
	crop := func(v []float64) []float64 {
		out := make([]float64, img.NumVoxels())
		for i := range out {
			x, y, z := img.Coords(i)
			out[i] = v[x+p[0]*(y+p[1]*z)]
		}
		return out
	}
	swtn := func(d []float64) map[string][]float64 {
		cur := map[string][]float64{"": d}
		for _, ax := range axes {
			next := map[string][]float64{}
			for k, v := range cur {
				next[k+"L"] = refAxis(v, p, ax, lo)
				next[k+"H"] = refAxis(v, p, ax, hi)
			}
			cur = next
		}
		return cur
	}
	all := strings.Repeat("L", len(axes))
	for s := 0; s < startLevel; s++ {
		data = swtn(data)[all]
	}
	res := map[string][]float64{}
	for lev := 1; lev <= level; lev++ {
		dec := swtn(data)
		prefix := "wavelet-"
		if lev > 1 {
			prefix = fmt.Sprintf("wavelet%d-", lev)
		}
		for k, v := range dec {
			if k != all {
				res[prefix+k] = crop(v)
			}
		}
		data = dec[all]
	}
	if level == 1 {
		res["wavelet-"+all] = crop(data)
	} else {
		res[fmt.Sprintf("wavelet%d-%s", level, all)] = crop(data)
	}
	return res
}

func TestWaveletAgainstReference(t *testing.T) {
	cases := []struct {
		size         [3]int
		wavelet      string
		start, level int
		force2D      bool
		dim          int
		names        []string
	}{
		{[3]int{7, 5, 3}, "coif1", 0, 1, false, 0, []string{"wavelet-LLH", "wavelet-LHL", "wavelet-LHH", "wavelet-HLL", "wavelet-HLH", "wavelet-HHL", "wavelet-HHH", "wavelet-LLL"}},
		{[3]int{8, 6, 4}, "db4", 0, 1, false, 0, nil},
		{[3]int{9, 4, 5}, "haar", 1, 1, false, 0, nil},
		{[3]int{7, 5, 3}, "bior2.4", 0, 2, false, 0, nil},
		{[3]int{6, 7, 5}, "rbio3.1", 1, 2, false, 0, nil},
		{[3]int{7, 5, 3}, "sym3", 0, 1, true, 0, []string{"wavelet-LH", "wavelet-HL", "wavelet-HH", "wavelet-LL"}},
		{[3]int{7, 5, 3}, "coif1", 0, 2, true, 1, []string{"wavelet-LH", "wavelet-HL", "wavelet-HH", "wavelet2-LH", "wavelet2-HL", "wavelet2-HH", "wavelet2-LL"}},
		{[3]int{7, 5, 3}, "dmey", 0, 1, true, 2, nil},
		{[3]int{5, 3, 2}, "db10", 0, 1, false, 0, nil}, // filters longer than the axes
	}
	for _, c := range cases {
		im := randImage(c.size, volume.Int16, 7)
		orig := im.Clone()
		axes := []int{0, 1, 2}
		if c.force2D {
			axes = append(append([]int{}, axes[:2-c.dim]...), axes[3-c.dim:]...)
		}
		ref := refWavelet(im, c.wavelet, c.start, c.level, axes)
		got, err := Wavelet(im, c.wavelet, c.start, c.level, c.force2D, c.dim)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != len(ref) {
			t.Fatalf("%v: %d images, want %d", c, len(got), len(ref))
		}
		if c.names != nil {
			for i, n := range c.names {
				if got[i].Name != n {
					t.Errorf("%v: image %d is %s, want %s", c, i, got[i].Name, n)
				}
			}
		}
		worst := 0.0
		for _, w := range got {
			r, ok := ref[w.Name]
			if !ok {
				t.Fatalf("%v: unexpected image %s", c, w.Name)
			}
			if w.Image.Type != volume.Float64 || w.Image.Geometry != im.Geometry {
				t.Fatalf("%s: type %v geometry %v", w.Name, w.Image.Type, w.Image.Geometry)
			}
			for i, v := range w.Image.Data {
				worst = math.Max(worst, math.Abs(v-r[i]))
			}
		}
		if worst > 1e-9 {
			t.Errorf("%v: max deviation from reference %.3g", c, worst)
		}
		for i := range im.Data {
			if im.Data[i] != orig.Data[i] {
				t.Fatal("Wavelet modified its input")
			}
		}
	}
}

// pywtPeriodization32 transliterates the loop structure of PyWavelets'
// downsampling_convolution_periodization (step 1, no dilation) in float32:
// the left part with wrap-around to the end, the centre, and the right part
// that first adds the wrapped terms with descending filter index.
func pywtPeriodization32(in []float32, h []float32) []float32 {
	n, f := len(in), len(h)
	out := make([]float32, 0, n)
	i := f / 2
	for ; i < f && i < n; i++ {
		var s float32
		j := 0
		for ; j <= i; j++ {
			s += float32(h[j] * in[i-j])
		}
		for j < f {
			for k := 0; k < n && j < f; k, j = k+1, j+1 {
				s += float32(h[j] * in[n-1-k])
			}
		}
		out = append(out, s)
	}
	for ; i < n; i++ {
		var s float32
		for j := 0; j < f; j++ {
			s += float32(in[i-j] * h[j])
		}
		out = append(out, s)
	}
	for ; i < n+f/2; i++ {
		var s float32
		j := 0
		for i-j >= n {
			for k := 0; k < n && i-j >= n; k, j = k+1, j+1 {
				s += float32(h[i-n-j] * in[k])
			}
		}
		for ; j <= i && j < f; j++ {
			s += float32(h[j] * in[i-j])
		}
		for j < f {
			for k := 0; k < n && j < f; k, j = k+1, j+1 {
				s += float32(h[j] * in[n-1-k])
			}
		}
		out = append(out, s)
	}
	return out
}

// The float32 path must be bit-identical to PyWavelets' float loops.
func TestWaveletFloat32BitExact(t *testing.T) {
	for _, c := range []struct {
		size    [3]int
		wavelet string
	}{
		{[3]int{9, 6, 5}, "coif1"}, {[3]int{4, 2, 3}, "coif1"}, {[3]int{10, 8, 6}, "coif2"},
		{[3]int{8, 8, 4}, "dmey"}, {[3]int{7, 7, 7}, "bior3.9"}, {[3]int{12, 5, 2}, "db7"},
	} {
		im := randImage(c.size, volume.Float32, 3)
		r := rand.New(rand.NewSource(5))
		for i := range im.Data {
			im.Data[i] = float64(float32(r.NormFloat64() * 1000))
		}
		lo, hi, _ := WaveletFilters32(c.wavelet)
		var p [3]int
		for a := 0; a < 3; a++ {
			p[a] = c.size[a] + c.size[a]%2
		}
		data := make([]float32, p[0]*p[1]*p[2])
		for i := range data {
			x, y, z := i%p[0], (i/p[0])%p[1], i/(p[0]*p[1])
			data[i] = float32(im.At(x%c.size[0], y%c.size[1], z%c.size[2]))
		}
		axis := func(x []float32, ax int, h []float32) []float32 {
			out := make([]float32, len(x))
			st := [3]int{1, p[0], p[0] * p[1]}
			line := make([]float32, p[ax])
			for i := range x {
				if (i/st[ax])%p[ax] != 0 {
					continue
				}
				for k := range line {
					line[k] = x[i+k*st[ax]]
				}
				for k, v := range pywtPeriodization32(line, h) {
					out[i+k*st[ax]] = v
				}
			}
			return out
		}
		want := map[string][]float32{"": data}
		for _, ax := range []int{0, 1, 2} {
			next := map[string][]float32{}
			for k, v := range want {
				next[k+"L"] = axis(v, ax, lo)
				next[k+"H"] = axis(v, ax, hi)
			}
			want = next
		}
		got, err := Wavelet(im, c.wavelet, 0, 1, false, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, w := range got {
			if w.Image.Type != volume.Float32 {
				t.Fatalf("%s: type %v", w.Name, w.Image.Type)
			}
			ref := want[strings.TrimPrefix(w.Name, "wavelet-")]
			diff := 0
			for i, v := range w.Image.Data {
				x, y, z := im.Coords(i)
				if v != float64(ref[x+p[0]*(y+p[1]*z)]) {
					diff++
				}
			}
			if diff > 0 {
				t.Errorf("%v %s: %d voxels differ from PyWavelets' float loops", c, w.Name, diff)
			}
		}
	}
}

// Orthogonal wavelets preserve energy: the 8 subbands of an even-sized image
// hold 2^3 times its energy (|H|² + |G|² = 2 at every frequency). This checks
// every orthogonal filter through the whole 3D transform, including filters
// longer than the axes.
func TestWaveletEnergy(t *testing.T) {
	im := randImage([3]int{8, 6, 4}, volume.Int16, 11)
	e := 0.0
	for _, v := range im.Data {
		e += v * v
	}
	for _, name := range Wavelets() {
		if !orthogonal(name) {
			continue
		}
		ws, err := Wavelet(im, name, 0, 1, false, 0)
		if err != nil {
			t.Fatal(err)
		}
		s := 0.0
		for _, w := range ws {
			for _, v := range w.Image.Data {
				s += v * v
			}
		}
		tol := 1e-9
		if name == "dmey" {
			tol = 2e-3 // FIR approximation of an orthogonal filter
		}
		if math.Abs(s/(8*e)-1) > tol {
			t.Errorf("%s: subband energy / (8 x image energy) = %.12g", name, s/(8*e))
		}
	}
}

func TestWaveletConstant(t *testing.T) {
	for _, pt := range []volume.PixelType{volume.Int16, volume.Float32, volume.Float64} {
		g := volume.Geometry{Size: [3]int{7, 6, 5}, Spacing: [3]float64{1, 1, 1}, Direction: volume.Identity}
		im := volume.New(g, pt)
		for i := range im.Data {
			im.Data[i] = 100
		}
		ws, err := Wavelet(im, "coif1", 0, 1, false, 0)
		if err != nil {
			t.Fatal(err)
		}
		tol := 1e-12
		if pt == volume.Float32 {
			tol = 1e-5
		}
		for _, w := range ws {
			want := 0.0
			if w.Name == "wavelet-LLL" {
				want = 100 * math.Pow(2, 1.5)
			}
			for _, v := range w.Image.Data {
				if math.Abs(v-want) > tol*100 {
					t.Fatalf("%v %s: %v, want %v", pt, w.Name, v, want)
				}
			}
		}
	}
}

func TestWaveletErrors(t *testing.T) {
	im := randImage([3]int{4, 4, 4}, volume.Int16, 1)
	cases := []struct {
		name         string
		wavelet      string
		start, level int
		force2D      bool
		dim          int
	}{
		{"unknown", "coif0", 0, 1, false, 0},
		{"level 0", "coif1", 0, 0, false, 0},
		{"negative start", "coif1", -1, 1, false, 0},
		{"bad force2D dim", "coif1", 0, 1, true, 3},
	}
	for _, c := range cases {
		if _, err := Wavelet(im, c.wavelet, c.start, c.level, c.force2D, c.dim); err == nil {
			t.Errorf("%s: no error", c.name)
		}
	}
	if _, err := Wavelet(nil, "coif1", 0, 1, false, 0); err == nil {
		t.Error("nil image: no error")
	}
}
