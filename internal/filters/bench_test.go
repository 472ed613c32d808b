package filters

import (
	"math/rand"
	"testing"

	"github.com/spinerad/spinerad/internal/volume"
)

// ctLike returns a seeded float32 image the size of the IBSI CT phantom
// (204x201x60, 0.977x0.977x3 mm).
func ctLike() *volume.Image {
	g := volume.Geometry{Size: [3]int{204, 201, 60}, Spacing: [3]float64{0.9765625, 0.9765625, 3}, Direction: volume.Identity}
	im := volume.New(g, volume.Float32)
	r := rand.New(rand.NewSource(1))
	for i := range im.Data {
		im.Data[i] = float64(float32(r.NormFloat64()*300 - 200))
	}
	return im
}

func BenchmarkLoGOneSigma(b *testing.B) {
	im := ctLike()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := LoG(im, 3); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkWaveletSet(b *testing.B) {
	im := ctLike()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := Wavelet(im, "coif1", 0, 1, false, 0); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkWaveletSetInt16(b *testing.B) {
	im := ctLike()
	im.Type = volume.Int16
	for i, v := range im.Data {
		im.Data[i] = float64(int16(v))
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := Wavelet(im, "coif1", 0, 1, false, 0); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkWaveletSetCompute measures the transform alone: output images are
// recycled, so first-touch page faults of fresh memory are not counted.
func BenchmarkWaveletSetCompute(b *testing.B) {
	im := ctLike()
	bank, _ := lookupWavelet("coif1")
	var imgs []*volume.Image
	for i := 0; i < 8; i++ {
		imgs = append(imgs, volume.New(im.Geometry, volume.Float32))
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		k := 0
		waveletT(im, bank.decLo32, bank.decHi32, []int{0, 1, 2}, 0, 1, func() *volume.Image { k++; return imgs[k-1] })
	}
}

// ctBBox is the CT phantom's ROI bounding box (index 51, 51, 17, size 100x99x26).
var ctBBox = volume.BBox{Lo: [3]int{51, 51, 17}, Hi: [3]int{150, 149, 42}}

func BenchmarkLoGCropOneSigma(b *testing.B) {
	im := ctLike()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := LoGCrop(im, 3, ctBBox); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkWaveletCropSet(b *testing.B) {
	im := ctLike()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := WaveletCrop(im, ctBBox, "coif1", 0, 1, false, 0); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkGaussianCoefficientsUncached measures one coefficient set
// computed from scratch (GaussianCoefficients memoises it).
func BenchmarkGaussianCoefficientsUncached(b *testing.B) {
	for i := 0; i < b.N; i++ {
		if _, err := gaussianCoefficients(3, 0.9765625, 2); err != nil {
			b.Fatal(err)
		}
	}
}
