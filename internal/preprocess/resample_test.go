package preprocess

import (
	"math"
	"math/rand"
	"strings"
	"testing"

	"github.com/spinerad/spinerad/internal/volume"
)

func TestParseInterpolator(t *testing.T) {
	cases := []struct {
		in      string
		want    Interpolator
		errPart string
	}{
		{"sitkNearestNeighbor", NearestNeighbor, ""},
		{"sitkLinear", Linear, ""},
		{"sitkBSpline", BSpline, ""},
		{" sitkBSpline ", BSpline, ""},
		{"1", NearestNeighbor, ""},
		{"2", Linear, ""},
		{"3", BSpline, ""},
		{"sitkGaussian", 0, "not supported"},
		{"sitkLanczosWindowedSinc", 0, "not supported"},
		{"10", 0, "not supported"},
		{"11", 0, "not a SimpleITK interpolator"},
		{"0", 0, "not a SimpleITK interpolator"},
		{"bspline", 0, "unknown interpolator"},
	}
	for _, c := range cases {
		got, err := ParseInterpolator(c.in)
		if c.errPart != "" {
			if err == nil || !strings.Contains(err.Error(), c.errPart) {
				t.Errorf("%q: error %v, want one containing %q", c.in, err, c.errPart)
			}
			continue
		}
		if err != nil || got != c.want {
			t.Errorf("%q: got %v, %v; want %v", c.in, got, err, c.want)
		}
	}
	if BSpline.String() != "sitkBSpline" {
		t.Errorf("String = %q", BSpline.String())
	}
}

// Geometry of brain1 as ITK reads it (spacing = norm of the NRRD space
// directions, direction diag(1, -1, 1)).
func brain1Geometry() volume.Geometry {
	return volume.Geometry{
		Size:      [3]int{256, 256, 25},
		Spacing:   [3]float64{0.7812499999999999, 0.7812499999999999, 6.499999999999998},
		Origin:    [3]float64{-99.609374999999986, 99.609374999999986, -77.999999999999957},
		Direction: [3][3]float64{{1, 0, 0}, {0, -1, 0}, {0, 0, 1}},
	}
}

func ctPhantomGeometry() volume.Geometry {
	return volume.Geometry{
		Size:      [3]int{204, 201, 60},
		Spacing:   [3]float64{0.9769999980926514, 0.9769999980926514, 3.0},
		Origin:    [3]float64{-174.39450073242188, -79.62550354003906, -100.4000015258789},
		Direction: volume.Identity,
	}
}

// TestNewGridSpecTable checks the worked examples of spec section 3.3.
func TestNewGridSpecTable(t *testing.T) {
	cases := []struct {
		name       string
		g          volume.Geometry
		lower, sz  [3]int
		r          [3]float64
		wantSize   [3]int
		wantOrigin [3]float64
	}{
		{"brain1 2mm", brain1Geometry(), [3]int{162, 84, 11}, [3]int{47, 70, 7}, [3]float64{2, 2, 2},
			[3]int{30, 39, 34}, [3]float64{17.000000000000014, 44.999999999999986, -22.249999999999964}},
		{"CT 1mm", ctPhantomGeometry(), [3]int{51, 51, 17}, [3]int{100, 99, 26}, [3]float64{1, 1, 1},
			[3]int{110, 109, 90}, [3]float64{-130.3830007314682, -35.61400353908539, -57.400001525878906}},
		{"CT 2,2,0", ctPhantomGeometry(), [3]int{51, 51, 17}, [3]int{100, 99, 26}, [3]float64{2, 2, 3.0},
			[3]int{61, 61, 38}, [3]float64{-135.8830007314682, -41.114003539085395, -67.4000015258789}},
	}
	for _, c := range cases {
		g := newGrid(&c.g, roiBounds{c.lower, c.sz}, c.r, 5)
		if g.Size != c.wantSize {
			t.Errorf("%s: size %v, want %v", c.name, g.Size, c.wantSize)
		}
		if g.Origin != c.wantOrigin {
			t.Errorf("%s: origin %v, want %v (bit-exact)", c.name, g.Origin, c.wantOrigin)
		}
		if g.Spacing != c.r || g.Direction != c.g.Direction {
			t.Errorf("%s: spacing %v direction %v", c.name, g.Spacing, g.Direction)
		}
	}
}

// TestDecompose1D checks the B-spline prefilter on hand-checkable lines: a
// constant line has constant coefficients, and the coefficients reproduce
// the samples through the cubic B-spline kernel (1/6, 4/6, 1/6) with mirror
// boundaries, for a short line (exact mirror start) and a long one
// (accelerated start).
func TestDecompose1D(t *testing.T) {
	for _, n := range []int{2, 3, 5, 18, 19, 40} {
		c := make([]float64, n)
		for i := range c {
			c[i] = 7
		}
		decompose1D(c)
		for i, v := range c {
			if math.Abs(v-7) > 1e-8 { // accelerated start: truncation ~|z|^18
				t.Fatalf("n=%d constant line: coef[%d] = %v, want 7", n, i, v)
			}
		}
		rng := rand.New(rand.NewSource(int64(n)))
		data := make([]float64, n)
		for i := range data {
			data[i] = rng.Float64()*200 - 100
		}
		c = append(c[:0], data...)
		decompose1D(c)
		for i := range data {
			l, r := mirrorIndex(i-1, n), mirrorIndex(i+1, n)
			got := (c[l] + 4*c[i] + c[r]) / 6
			// The accelerated start truncates the mirror sum at |z|^18 ~ 5e-11.
			if math.Abs(got-data[i]) > 1e-8 {
				t.Errorf("n=%d sample %d: reconstructed %v, want %v", n, i, got, data[i])
			}
		}
	}
	one := []float64{3}
	decompose1D(one)
	if one[0] != 3 {
		t.Errorf("length-1 line changed: %v", one[0])
	}
}

func TestMirrorIndex(t *testing.T) {
	cases := []struct{ k, n, want int }{
		{-1, 5, 1}, {-2, 5, 2}, {0, 5, 0}, {4, 5, 4}, {5, 5, 3}, {6, 5, 2},
		{3, 1, 0}, {-1, 1, 0}, {-1, 2, 1}, {2, 2, 0}, {3, 2, 1},
	}
	for _, c := range cases {
		if got := mirrorIndex(c.k, c.n); got != c.want {
			t.Errorf("mirrorIndex(%d, %d) = %d, want %d", c.k, c.n, got, c.want)
		}
	}
}

// smallImage returns a 4x3x2 image with value 100x + 10y + z + 1.
func smallImage(t volume.PixelType) *volume.Image {
	g := volume.Geometry{Size: [3]int{4, 3, 2}, Spacing: [3]float64{1, 1, 1}, Direction: volume.Identity}
	im := volume.New(g, t)
	for z := 0; z < 2; z++ {
		for y := 0; y < 3; y++ {
			for x := 0; x < 4; x++ {
				im.Data[im.Index(x, y, z)] = float64(100*x + 10*y + z + 1)
			}
		}
	}
	return im
}

func TestSamplers(t *testing.T) {
	im := smallImage(volume.Float64)
	nn := sampler{data: im.Data, n: im.Size, interp: NearestNeighbor}
	lin := sampler{data: im.Data, n: im.Size, interp: Linear}
	bs := sampler{data: bsplineCoefficients(im), n: im.Size, interp: BSpline}
	cases := []struct {
		c          [3]float64
		wantNN     float64
		wantLinear float64
	}{
		{[3]float64{0, 0, 0}, 1, 1},
		{[3]float64{0.5, 0, 0}, 101, 51},         // NN ties round up
		{[3]float64{1.25, 1.5, 0.5}, 122, 141.5}, // 100*1.25 + 10*1.5 + 0.5 + 1
		{[3]float64{-0.4, -0.2, 0}, 1, 1},        // negative t: no interpolation
		{[3]float64{3.4, 2.4, 1.4}, 322, 322},    // beyond the last index: that value
		{[3]float64{2.75, 0.25, 0.25}, 301, 278.75},
	}
	for _, c := range cases {
		if got := nn.eval(c.c); got != c.wantNN {
			t.Errorf("NN at %v = %v, want %v", c.c, got, c.wantNN)
		}
		if got := lin.eval(c.c); math.Abs(got-c.wantLinear) > 1e-12 {
			t.Errorf("linear at %v = %v, want %v", c.c, got, c.wantLinear)
		}
	}
	// The cubic B-spline interpolates: at grid nodes it returns the data.
	for z := 0; z < 2; z++ {
		for y := 0; y < 3; y++ {
			for x := 0; x < 4; x++ {
				c := [3]float64{float64(x), float64(y), float64(z)}
				if got, want := bs.eval(c), im.At(x, y, z); math.Abs(got-want) > 1e-9 {
					t.Errorf("B-spline at node %v = %v, want %v", c, got, want)
				}
			}
		}
	}
	// A linear function in the interior is reproduced by the cubic spline
	// (mirror boundaries only bend it near the ends of x).
	if got := bs.eval([3]float64{1.5, 1, 0}); math.Abs(got-161) > 2 {
		t.Errorf("B-spline at (1.5,1,0) = %v, want about 161", got)
	}
	inside := []struct {
		c    [3]float64
		want bool
	}{
		{[3]float64{-0.5, 0, 0}, true}, {[3]float64{-0.5000001, 0, 0}, false},
		{[3]float64{3.4999, 2.4999, 1.4999}, true}, {[3]float64{3.5, 0, 0}, false},
		{[3]float64{math.NaN(), 0, 0}, false},
	}
	for _, c := range inside {
		if got := nn.inside(c.c); got != c.want {
			t.Errorf("inside(%v) = %v, want %v", c.c, got, c.want)
		}
	}
}

// TestResampleSynthetic upsamples a small image by 2 along x with linear
// interpolation and checks the hand-computed grid and values, the int16
// truncation and the nearest-neighbour mask.
func TestResampleSynthetic(t *testing.T) {
	g := volume.Geometry{Size: [3]int{4, 3, 3}, Spacing: [3]float64{2, 1, 1}, Direction: volume.Identity}
	img := volume.New(g, volume.Int16)
	mask := volume.New(g, volume.UInt32)
	for z := 0; z < 3; z++ {
		for y := 0; y < 3; y++ {
			for x := 0; x < 4; x++ {
				img.Data[img.Index(x, y, z)] = float64(10*x + 3)
			}
		}
	}
	// ROI: x 1..2, y 1, z 0..2 (two-dimensional).
	for z := 0; z < 3; z++ {
		mask.Data[mask.Index(1, 1, z)] = 1
		mask.Data[mask.Index(2, 1, z)] = 1
	}
	ri, rm, err := ResampleImageAndMask(img, mask, 1, [3]float64{1, 0, 0}, Linear, 0)
	if err != nil {
		t.Fatal(err)
	}
	// ratio 2 along x: L = floor((1-0.5)*2) = 1, U = ceil((3-0.5)*2) = 5; y and z
	// keep spacing 1 (y: ROI one voxel thick; z: 0 = mask spacing) and
	// L = floor(lower - 0.5), U = ceil(lower + size - 0.5).
	wantSize := [3]int{5, 3, 3}
	if ri.Size != wantSize || rm.Size != wantSize {
		t.Fatalf("sizes %v %v, want %v", ri.Size, rm.Size, wantSize)
	}
	// c0 = 0.5*(1-2)/2 + 1/2 = 0.25 (x), 0 + 0 = 0 (y: L = 0), z: 0.
	if want := [3]float64{0.5, 0, 0}; ri.Origin != want {
		t.Errorf("origin %v, want %v", ri.Origin, want)
	}
	if ri.Type != volume.Int16 || rm.Type != volume.UInt32 {
		t.Errorf("types %v %v", ri.Type, rm.Type)
	}
	// Output x k samples input continuous index 0.25 + 0.5k: values 10c + 3,
	// truncated: 5.5 -> 5, 10.5 -> 10, 15.5 -> 15, 20.5 -> 20, 25.5 -> 25.
	wantRow := []float64{5, 10, 15, 20, 25}
	wantMask := []float64{0, 1, 1, 1, 1} // NN: c = 0.25, 0.75, 1.25, 1.75, 2.25 -> 0, 1, 1, 2, 2
	for x := 0; x < 5; x++ {
		if got := ri.At(x, 1, 1); got != wantRow[x] {
			t.Errorf("image x=%d: %v, want %v", x, got, wantRow[x])
		}
		if got := rm.At(x, 1, 1); got != wantMask[x] {
			t.Errorf("mask x=%d: %v, want %v", x, got, wantMask[x])
		}
	}
	// Same spacing: only the mask is resampled, both cropped to bbox + pad.
	ri, rm, err = ResampleImageAndMask(img, mask, 1, [3]float64{2, 1, 1}, BSpline, 1)
	if err != nil {
		t.Fatal(err)
	}
	if ri.Size != [3]int{4, 3, 3} || ri.Data[ri.Index(2, 1, 1)] != 23 || rm.At(1, 1, 0) != 1 {
		t.Errorf("allclose path: size %v value %v mask %v", ri.Size, ri.At(2, 1, 1), rm.At(1, 1, 0))
	}
	// Errors.
	if _, _, err := ResampleImageAndMask(img, mask, 2, [3]float64{1, 1, 1}, Linear, 0); err == nil || !strings.Contains(err.Error(), "label 2") {
		t.Errorf("absent label: %v", err)
	}
	if _, _, err := ResampleImageAndMask(img, mask, 1, [3]float64{-1, 1, 1}, Linear, 0); err == nil {
		t.Error("negative spacing accepted")
	}
	far := mask.Clone()
	far.Origin = [3]float64{100, 0, 0}
	if _, _, err := ResampleImageAndMask(img, far, 1, [3]float64{1, 1, 1}, Linear, 0); err == nil || !strings.Contains(err.Error(), "larger than image space") {
		t.Errorf("ROI outside image: %v", err)
	}
}

// TestBsplineCoefficientsBundles checks that the bundled y/z passes give
// exactly the coefficients of line-by-line decompose1D passes.
func TestBsplineCoefficientsBundles(t *testing.T) {
	for _, size := range [][3]int{{5, 2, 20}, {3, 19, 4}, {1, 7, 25}, {6, 1, 1}} {
		g := volume.Geometry{Size: size, Spacing: [3]float64{1, 1, 1}, Direction: volume.Identity}
		im := volume.New(g, volume.Float64)
		rng := rand.New(rand.NewSource(3))
		for i := range im.Data {
			im.Data[i] = rng.NormFloat64() * 100
		}
		want := append([]float64(nil), im.Data...)
		strides := [3]int{1, size[0], size[0] * size[1]}
		for axis := 0; axis < 3; axis++ {
			for i := range want {
				x, y, z := g.Coords(i)
				if [3]int{x, y, z}[axis] != 0 {
					continue
				}
				line := make([]float64, size[axis])
				for k := range line {
					line[k] = want[i+k*strides[axis]]
				}
				decompose1D(line)
				for k := range line {
					want[i+k*strides[axis]] = line[k]
				}
			}
		}
		got := bsplineCoefficients(im)
		for i := range got {
			if got[i] != want[i] {
				t.Fatalf("size %v voxel %d: %v, want %v", size, i, got[i], want[i])
			}
		}
	}
}
