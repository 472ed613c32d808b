package filters

import (
	"math"
	"math/rand"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/spinerad/spinerad/internal/imageio"
	"github.com/spinerad/spinerad/internal/refdata"
	"github.com/spinerad/spinerad/internal/volume"
)

// sameImage fails unless a and b have equal geometry, pixel type and
// bit-identical voxels.
func sameImage(t *testing.T, what string, got, want *volume.Image) {
	t.Helper()
	if got.Geometry != want.Geometry || got.Type != want.Type {
		t.Fatalf("%s: geometry/type %+v %v, want %+v %v", what, got.Geometry, got.Type, want.Geometry, want.Type)
	}
	for i := range want.Data {
		if math.Float64bits(got.Data[i]) != math.Float64bits(want.Data[i]) {
			x, y, z := want.Coords(i)
			t.Fatalf("%s: voxel (%d,%d,%d) = %v, want %v", what, x, y, z, got.Data[i], want.Data[i])
		}
	}
}

// randFloatImage returns a seeded image of the given type with non-integer
// values (rounded to the type), unit-ish spacing that differs per axis.
func randFloatImage(size [3]int, pt volume.PixelType, seed int64) *volume.Image {
	g := volume.Geometry{Size: size, Spacing: [3]float64{0.8, 1.1, 2.5}, Origin: [3]float64{-3, 4, 5},
		Direction: [3][3]float64{{1, 0, 0}, {0, -1, 0}, {0, 0, 1}}}
	im := volume.New(g, pt)
	r := rand.New(rand.NewSource(seed))
	for i := range im.Data {
		im.Data[i] = pt.Cast(r.NormFloat64()*300 - 100)
	}
	return im
}

// randBBox returns a random box inside size; with probability 1/3 per side
// it touches the border.
func randBBox(r *rand.Rand, size [3]int) volume.BBox {
	var b volume.BBox
	for a := 0; a < 3; a++ {
		lo, hi := r.Intn(size[a]), r.Intn(size[a])
		if lo > hi {
			lo, hi = hi, lo
		}
		if r.Intn(3) == 0 {
			lo = 0
		}
		if r.Intn(3) == 0 {
			hi = size[a] - 1
		}
		b.Lo[a], b.Hi[a] = lo, hi
	}
	return b
}

func TestLoGCropRandom(t *testing.T) {
	r := rand.New(rand.NewSource(7))
	sizes := [][3]int{{4, 4, 4}, {5, 9, 4}, {17, 6, 11}, {23, 19, 7}, {40, 33, 12}}
	for k, sz := range sizes {
		for _, pt := range []volume.PixelType{volume.Int16, volume.Float32, volume.Float64} {
			img := randFloatImage(sz, pt, int64(k))
			for _, sigma := range []float64{0.7, 1.5, 3} {
				full, err := LoG(img, sigma)
				if err != nil {
					t.Fatal(err)
				}
				boxes := []volume.BBox{
					{Hi: [3]int{sz[0] - 1, sz[1] - 1, sz[2] - 1}},
					{Lo: [3]int{sz[0] - 1, sz[1] - 1, sz[2] - 1}, Hi: [3]int{sz[0] - 1, sz[1] - 1, sz[2] - 1}},
					{},
				}
				for i := 0; i < 6; i++ {
					boxes = append(boxes, randBBox(r, sz))
				}
				for _, bb := range boxes {
					got, err := LoGCrop(img, sigma, bb)
					if err != nil {
						t.Fatal(err)
					}
					sameImage(t, "LoGCrop", got, full.Crop(bb, 0))
				}
			}
		}
	}
}

func TestLoGCropSigmasMatchesLoGCrop(t *testing.T) {
	// The multi-sigma filter shares the first pass's gathering only: every
	// output must be bit-identical to LoGCrop of its sigma alone.
	r := rand.New(rand.NewSource(11))
	sigmas := []float64{0.7, 1, 2.5, 4}
	for k, sz := range [][3]int{{9, 7, 5}, {23, 19, 7}, {70, 12, 9}} {
		for _, pt := range []volume.PixelType{volume.Int16, volume.Float64} {
			img := randFloatImage(sz, pt, int64(20+k))
			for _, bb := range []volume.BBox{randBBox(r, sz), randBBox(r, sz), {Hi: [3]int{sz[0] - 1, sz[1] - 1, sz[2] - 1}}} {
				outs, err := LoGCropSigmas(img, sigmas, bb)
				if err != nil {
					t.Fatal(err)
				}
				for i, sigma := range sigmas {
					want, err := LoGCrop(img, sigma, bb)
					if err != nil {
						t.Fatal(err)
					}
					sameImage(t, "LoGCropSigmas", outs[i], want)
				}
			}
		}
	}
}

func TestLoGCropErrors(t *testing.T) {
	img := randFloatImage([3]int{6, 6, 6}, volume.Float32, 1)
	for _, bb := range []volume.BBox{
		{Lo: [3]int{-1, 0, 0}, Hi: [3]int{3, 3, 3}},
		{Hi: [3]int{6, 3, 3}},
		{Lo: [3]int{3, 0, 0}, Hi: [3]int{2, 3, 3}},
	} {
		if _, err := LoGCrop(img, 1, bb); err == nil {
			t.Errorf("box %v: no error", bb)
		}
	}
	if _, err := LoGCrop(randFloatImage([3]int{3, 6, 6}, volume.Float32, 1), 1, volume.BBox{}); err == nil {
		t.Error("3-voxel axis: no error")
	}
	if _, err := LoGCrop(nil, 1, volume.BBox{}); err == nil {
		t.Error("nil image: no error")
	}
}

// referenceCases returns the image and label of every PyRadiomics test case
// in the reference data (found by layout: pyradiomics/<case>_image.nrrd with
// <case>_label.nrrd) and the IBSI CT phantom ("ct_phantom").
func referenceCases(t *testing.T) map[string][2]*volume.Image {
	t.Helper()
	read := func(p string) *volume.Image {
		im, err := imageio.Read(p)
		if err != nil {
			t.Fatal(err)
		}
		return im
	}
	pr := refdata.Dir(t, "pyradiomics")
	ct := filepath.Join(refdata.Dir(t, "ibsi1"), "ct_phantom", "nifti")
	cases := map[string][2]*volume.Image{
		"ct_phantom": {read(filepath.Join(ct, "image.nii.gz")), read(filepath.Join(ct, "mask.nii.gz"))},
	}
	images, err := filepath.Glob(filepath.Join(pr, "*_image.nrrd"))
	if err != nil {
		t.Fatal(err)
	}
	for _, im := range images {
		name := strings.TrimSuffix(filepath.Base(im), "_image.nrrd")
		label := filepath.Join(pr, name+"_label.nrrd")
		if _, err := os.Stat(label); err != nil {
			continue
		}
		cases[name] = [2]*volume.Image{read(im), read(label)}
	}
	return cases
}

func TestLoGCropReference(t *testing.T) {
	for name, c := range referenceCases(t) {
		bb, _, ok := volume.LabelBBox(c[1], 1)
		if !ok {
			t.Fatalf("%s: empty label", name)
		}
		for _, sigma := range []float64{1, 2, 3, 4, 5} {
			if LoGCheck(c[0].Size, c[0].Spacing, sigma) != nil {
				continue
			}
			full, err := LoG(c[0], sigma)
			if err != nil {
				t.Fatal(err)
			}
			got, err := LoGCrop(c[0], sigma, bb)
			if err != nil {
				t.Fatal(err)
			}
			sameImage(t, name, got, full.Crop(bb, 0))
		}
	}
}

// sameWavelets fails unless got and want have the same names and
// bit-identical images.
func sameWavelets(t *testing.T, what string, got, want []WaveletImage) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %d images, want %d", what, len(got), len(want))
	}
	for i := range want {
		if got[i].Name != want[i].Name {
			t.Fatalf("%s: image %d is %s, want %s", what, i, got[i].Name, want[i].Name)
		}
		sameImage(t, what+" "+want[i].Name, got[i].Image, want[i].Image)
	}
}

// cropAll crops every wavelet image to bb.
func cropAll(ws []WaveletImage, bb volume.BBox) []WaveletImage {
	out := make([]WaveletImage, len(ws))
	for i, w := range ws {
		out[i] = WaveletImage{w.Name, w.Image.Crop(bb, 0)}
	}
	return out
}

func TestWaveletCropRandom(t *testing.T) {
	r := rand.New(rand.NewSource(11))
	cases := []struct {
		size         [3]int
		wavelet      string
		start, level int
		force2D      bool
		dim          int
	}{
		{[3]int{20, 17, 9}, "coif1", 0, 1, false, 0},
		{[3]int{21, 16, 8}, "coif1", 0, 1, false, 0},
		{[3]int{31, 24, 13}, "coif1", 1, 1, false, 0},
		{[3]int{31, 24, 13}, "coif1", 0, 2, false, 0},
		{[3]int{25, 22, 15}, "db2", 2, 2, false, 0},
		{[3]int{19, 20, 7}, "haar", 0, 3, false, 0},
		{[3]int{12, 9, 5}, "db10", 0, 1, false, 0},
		{[3]int{18, 15, 6}, "sym4", 1, 2, false, 0},
		{[3]int{23, 18, 9}, "coif1", 0, 1, true, 0},
		{[3]int{23, 18, 9}, "coif2", 0, 2, true, 1},
		{[3]int{23, 18, 9}, "bior2.2", 1, 1, true, 2},
		{[3]int{1, 7, 5}, "coif1", 0, 1, false, 0},
	}
	for _, c := range cases {
		for _, pt := range []volume.PixelType{volume.Int16, volume.Float32, volume.Float64} {
			img := randFloatImage(c.size, pt, 3)
			full, err := Wavelet(img, c.wavelet, c.start, c.level, c.force2D, c.dim)
			if err != nil {
				t.Fatal(err)
			}
			sz := c.size
			boxes := []volume.BBox{{Hi: [3]int{sz[0] - 1, sz[1] - 1, sz[2] - 1}}, {}, {Lo: [3]int{sz[0] - 1, sz[1] - 1, sz[2] - 1}, Hi: [3]int{sz[0] - 1, sz[1] - 1, sz[2] - 1}}}
			for i := 0; i < 5; i++ {
				boxes = append(boxes, randBBox(r, sz))
			}
			for _, bb := range boxes {
				got, err := WaveletCrop(img, bb, c.wavelet, c.start, c.level, c.force2D, c.dim)
				if err != nil {
					t.Fatal(err)
				}
				sameWavelets(t, c.wavelet+" "+pt.String(), got, cropAll(full, bb))
			}
		}
	}
}

func TestWaveletCropErrors(t *testing.T) {
	img := randFloatImage([3]int{6, 6, 6}, volume.Float32, 1)
	full := volume.BBox{Hi: [3]int{5, 5, 5}}
	bad := []struct {
		bb           volume.BBox
		wavelet      string
		start, level int
		dim          int
	}{
		{volume.BBox{Hi: [3]int{6, 5, 5}}, "coif1", 0, 1, 0},
		{full, "nope", 0, 1, 0},
		{full, "coif1", -1, 1, 0},
		{full, "coif1", 0, 0, 0},
		{full, "coif1", 0, 1, 3},
	}
	for _, b := range bad {
		if _, err := WaveletCrop(img, b.bb, b.wavelet, b.start, b.level, b.dim == 3, b.dim); err == nil {
			t.Errorf("%+v: no error", b)
		}
	}
}

func TestWaveletCropReference(t *testing.T) {
	for name, c := range referenceCases(t) {
		bb, _, ok := volume.LabelBBox(c[1], 1)
		if !ok {
			t.Fatalf("%s: empty label", name)
		}
		full, err := Wavelet(c[0], "coif1", 0, 1, false, 0)
		if err != nil {
			t.Fatal(err)
		}
		got, err := WaveletCrop(c[0], bb, "coif1", 0, 1, false, 0)
		if err != nil {
			t.Fatal(err)
		}
		sameWavelets(t, name, got, cropAll(full, bb))
	}
}

func TestPointwiseCrop(t *testing.T) {
	r := rand.New(rand.NewSource(5))
	type fn func(*volume.Image) (*volume.Image, error)
	type cfn func(*volume.Image, volume.BBox) (*volume.Image, error)
	filters := []struct {
		name string
		full fn
		crop cfn
	}{
		{"square", Square, SquareCrop},
		{"squareroot", SquareRoot, SquareRootCrop},
		{"logarithm", Logarithm, LogarithmCrop},
		{"exponential", Exponential, ExponentialCrop},
		{"gradient", func(im *volume.Image) (*volume.Image, error) { return Gradient(im, true) },
			func(im *volume.Image, bb volume.BBox) (*volume.Image, error) { return GradientCrop(im, true, bb) }},
		{"gradient-nospacing", func(im *volume.Image) (*volume.Image, error) { return Gradient(im, false) },
			func(im *volume.Image, bb volume.BBox) (*volume.Image, error) { return GradientCrop(im, false, bb) }},
	}
	for _, sz := range [][3]int{{1, 1, 1}, {7, 5, 3}, {16, 13, 9}} {
		for _, pt := range []volume.PixelType{volume.Int16, volume.Float32, volume.Float64} {
			img := randFloatImage(sz, pt, 9)
			for _, f := range filters {
				full, err := f.full(img)
				if err != nil {
					t.Fatal(err)
				}
				boxes := []volume.BBox{{Hi: [3]int{sz[0] - 1, sz[1] - 1, sz[2] - 1}}, {}}
				for i := 0; i < 5; i++ {
					boxes = append(boxes, randBBox(r, sz))
				}
				for _, bb := range boxes {
					got, err := f.crop(img, bb)
					if err != nil {
						t.Fatal(err)
					}
					sameImage(t, f.name, got, full.Crop(bb, 0))
				}
				if _, err := f.crop(img, volume.BBox{Hi: sz}); err == nil {
					t.Errorf("%s: box outside the image: no error", f.name)
				}
			}
		}
	}
}
