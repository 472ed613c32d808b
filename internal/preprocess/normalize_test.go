package preprocess

import (
	"math"
	"strings"
	"testing"

	"github.com/spinerad/spinerad/internal/pairwise"

	"github.com/spinerad/spinerad/internal/volume"
)

func lineImage(t volume.PixelType, vals ...float64) *volume.Image {
	g := volume.Geometry{Size: [3]int{len(vals), 1, 1}, Spacing: [3]float64{1, 1, 1}, Direction: volume.Identity}
	return &volume.Image{Geometry: g, Type: t, Data: append([]float64(nil), vals...)}
}

func TestNormalize(t *testing.T) {
	img := lineImage(volume.Int16, 1, 2, 3, 4)
	// mean 2.5, unbiased var (30 - 100/4)/3 = 5/3; y = (x - 2.5)*(1/sqrt(5/3)).
	cases := []struct {
		scale, outliers float64
		want            []float64
	}{
		{1, 0, []float64{-1.161895003862225, -0.3872983346207417, 0.3872983346207417, 1.161895003862225}},
		{100, 0, []float64{-116.1895003862225, -38.72983346207417, 38.72983346207417, 116.1895003862225}},
		{1, 1, []float64{-1, -0.3872983346207417, 0.3872983346207417, 1}},
		{10, 0.5, []float64{-5, -3.872983346207417, 3.872983346207417, 5}},
	}
	for _, c := range cases {
		out := Normalize(img, c.scale, c.outliers)
		if out.Type != volume.Float64 || out.Geometry != img.Geometry {
			t.Fatalf("type %v geometry %+v", out.Type, out.Geometry)
		}
		for i, w := range c.want {
			if math.Abs(out.Data[i]-w) > 1e-15*math.Abs(w) {
				t.Errorf("scale %v outliers %v voxel %d: %v, want %v", c.scale, c.outliers, i, out.Data[i], w)
			}
		}
	}
	if img.Data[0] != 1 {
		t.Error("input modified")
	}
	if Normalize(nil, 1, 0) != nil {
		t.Error("nil input")
	}
}

func TestPairwiseSumFloat32(t *testing.T) {
	ones := func(n int, first float32) []float32 {
		a := make([]float32, n)
		for i := range a {
			a[i] = 1
		}
		a[0] = first
		return a
	}
	const big = 1 << 24 // 2^24 + 1 rounds back to 2^24 in float32
	cases := []struct {
		name string
		a    []float32
		want float32
	}{
		{"n<8 sequential", ones(7, big), big},
		// ((2^24+1) + 2) + (2 + 2) = 16777216 + 2 + 4.
		{"n=8 accumulators", ones(8, big), 16777222},
		// n=136: halves 64 and 72; first half r0 = 2^24 (7 ones lost), r1..r7 = 8.
		{"n>128 split", ones(136, big), 16777344},
		{"empty", nil, 0},
	}
	for _, c := range cases {
		if got := pairwise.Sum(c.a); got != c.want {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
		}
	}
	a64 := []float64{1e16, 1, 1, 1, 1, 1, 1, 1}
	// ((1e16+1) + 2) + 4 in float64: 1e16+1 -> 1e16, +2 -> 1e16+2, +4 -> 1e16+6.
	if got := pairwise.Sum(a64); got != 1e16+6 {
		t.Errorf("float64 pairwise: %v", got)
	}
	m, s := MeanStdFloat32([]float32{1, 2, 3, 4})
	if m != 2.5 || s != float32(1.1180340051651) {
		t.Errorf("mean/std %v %v", m, s)
	}
}

func TestResegment(t *testing.T) {
	mask := func(vals ...float64) *volume.Image { return lineImage(volume.UInt32, vals...) }
	f32 := float64(float32(0.1)) // 0.10000000149011612
	cases := []struct {
		name    string
		img     *volume.Image
		mask    *volume.Image
		rng     []float64
		mode    string
		want    []float64
		errPart string
	}{
		{"absolute sorted", lineImage(volume.Int16, 0, 1, 2, 3, 4, 9), mask(1, 1, 1, 1, 1, 0), []float64{3, 1}, "absolute",
			[]float64{0, 1, 1, 1, 0, 0}, ""},
		{"absolute lower only", lineImage(volume.Int16, 0, 1, 2, 3, 4, 9), mask(1, 1, 1, 1, 1, 1), []float64{2}, "",
			[]float64{0, 0, 1, 1, 1, 1}, ""},
		{"relative", lineImage(volume.Int16, 2, 4, 5, 6, 10, 20), mask(1, 1, 1, 1, 1, 0), []float64{0.5}, "relative",
			[]float64{0, 0, 1, 1, 1, 0}, ""},
		// Negative maximum: thresholds -5, -10 keep nothing.
		{"relative negative max", lineImage(volume.Int16, -10, -8, -5, -2), mask(1, 1, 1, 1), []float64{0.5, 1}, "relative",
			nil, "retained 0 voxel"},
		// mean 3, std sqrt(2): range [1.586, 4.414].
		{"sigma", lineImage(volume.Int16, 1, 2, 3, 4, 5), mask(1, 1, 1, 1, 1), []float64{-1, 1}, "sigma",
			[]float64{0, 1, 1, 1, 0}, ""},
		// Threshold 0.10000000149011613 rounds to float32 0.1 = the voxel value.
		{"float32 compare", lineImage(volume.Float32, f32, 0.5, 0), mask(1, 1, 1), []float64{0.10000000149011613}, "absolute",
			[]float64{1, 1, 0}, ""},
		{"float64 compare", lineImage(volume.Float64, f32, 0.5, 0.75), mask(1, 1, 1), []float64{0.10000000149011613}, "absolute",
			[]float64{0, 1, 1}, ""},
		{"one voxel left", lineImage(volume.Int16, 1, 2, 3), mask(1, 1, 1), []float64{3}, "absolute", nil, "retained 1 voxel"},
		{"bad mode", lineImage(volume.Int16, 1, 2, 3), mask(1, 1, 1), []float64{3}, "percent", nil, "not recognized"},
		{"bad range", lineImage(volume.Int16, 1, 2, 3), mask(1, 1, 1), []float64{1, 2, 3}, "absolute", nil, "1 or 2 values"},
		{"absent label", lineImage(volume.Int16, 1, 2, 3), mask(2, 2, 2), []float64{1}, "absolute", nil, "not present"},
	}
	for _, c := range cases {
		out, err := Resegment(c.img, c.mask, 1, c.rng, c.mode)
		if c.errPart != "" {
			if err == nil || !strings.Contains(err.Error(), c.errPart) {
				t.Errorf("%s: error %v, want one containing %q", c.name, err, c.errPart)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		if out.Type != volume.Int64 {
			t.Errorf("%s: type %v", c.name, out.Type)
		}
		for i, w := range c.want {
			if out.Data[i] != w {
				t.Errorf("%s: voxel %d = %v, want %v", c.name, i, out.Data[i], w)
			}
		}
	}
}
