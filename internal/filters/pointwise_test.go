package filters

import (
	"math"
	"testing"

	"github.com/spinerad/spinerad/internal/volume"
)

func tiny(vals []float64, pt volume.PixelType) *volume.Image {
	g := volume.Geometry{Size: [3]int{len(vals), 1, 1}, Spacing: [3]float64{1, 1, 1}, Direction: volume.Identity}
	im := volume.New(g, pt)
	copy(im.Data, vals)
	return im
}

// Parity spec 5.5 on x = (-4, 0, 1, 16), M = 16, computed by hand.
func TestPointwiseFilters(t *testing.T) {
	in := []float64{-4, 0, 1, 16}
	l17 := math.Log(17)
	cases := []struct {
		name string
		f    func(*volume.Image) (*volume.Image, error)
		want []float64
	}{
		{"square", Square, []float64{1, 0, 0.0625, 16}},
		{"squareroot", SquareRoot, []float64{-8, 0, 4, 16}},
		{"logarithm", Logarithm, []float64{-math.Log(5) * 16 / l17, 0, math.Log(2) * 16 / l17, 16}},
		{"exponential", Exponential, []float64{0.5, 1, math.Pow(16, 1.0/16), 16}},
	}
	for _, c := range cases {
		im := tiny(in, volume.Int16)
		out, err := c.f(im)
		if err != nil {
			t.Fatal(err)
		}
		if out.Type != volume.Float64 || out.Geometry != im.Geometry {
			t.Errorf("%s: type %v", c.name, out.Type)
		}
		for i, w := range c.want {
			if math.Abs(out.Data[i]-w) > 1e-14*math.Max(1, math.Abs(w)) {
				t.Errorf("%s[%d] = %.17g, want %.17g", c.name, i, out.Data[i], w)
			}
		}
		if im.Data[0] != -4 || im.Data[3] != 16 {
			t.Errorf("%s modified its input", c.name)
		}
	}
	// all-zero image: PyRadiomics divides by zero (NaN), except SquareRoot.
	zero := tiny([]float64{0, 0}, volume.Float32)
	for _, c := range cases {
		out, _ := c.f(zero)
		nan := math.IsNaN(out.Data[0])
		if nan != (c.name != "squareroot") {
			t.Errorf("%s of zeros: %v", c.name, out.Data)
		}
	}
	if _, err := Square(nil); err == nil {
		t.Error("nil image: no error")
	}
}

// Gradient of f = x² + 2y + 3z on a 3x3x3 grid, by hand: central
// differences (f[i+1]-f[i-1])/2 per spacing, edges replicated.
func TestGradient(t *testing.T) {
	g := volume.Geometry{Size: [3]int{3, 3, 3}, Spacing: [3]float64{0.5, 1, 2}, Direction: volume.Identity}
	im := volume.New(g, volume.Float32)
	for i := range im.Data {
		x, y, z := im.Coords(i)
		im.Data[i] = float64(x*x + 2*y + 3*z)
	}
	cases := []struct {
		useSpacing bool
		at         [3]int
		want       float64
	}{
		{true, [3]int{1, 1, 1}, math.Sqrt(16 + 4 + 2.25)},  // gx = (4-0)/2/0.5, gy = 2, gz = 6/2/2
		{true, [3]int{0, 0, 0}, math.Sqrt(1 + 1 + 0.5625)}, // one-sided at the edge: (1-0)/2/0.5, (2-0)/2, (3-0)/2/2
		{true, [3]int{2, 2, 2}, math.Sqrt(9 + 1 + 0.5625)}, // (4-1)/2/0.5
		{false, [3]int{1, 1, 1}, math.Sqrt(4 + 4 + 9)},
		{false, [3]int{2, 0, 1}, math.Sqrt(2.25 + 1 + 9)},
	}
	for _, c := range cases {
		out, err := Gradient(im, c.useSpacing)
		if err != nil {
			t.Fatal(err)
		}
		if out.Type != volume.Float32 {
			t.Fatalf("type %v", out.Type)
		}
		if got := out.At(c.at[0], c.at[1], c.at[2]); got != float64(float32(c.want)) {
			t.Errorf("useSpacing %v at %v: %.9g, want %.9g", c.useSpacing, c.at, got, c.want)
		}
	}
	g.Spacing[1] = 0
	if _, err := Gradient(volume.New(g, volume.Int16), true); err == nil {
		t.Error("zero spacing: no error")
	}
}
