package features

import (
	"math/rand"
	"testing"
)

// texBenchRegion is a CT-phantom-sized crop (26 x 99 x 100, ROI about half
// the box) with ng smoothly varying levels plus seeded noise.
func texBenchRegion(ng int) *Region {
	nz, ny, nx := 26, 99, 100
	rng := rand.New(rand.NewSource(7))
	lv := make([]int32, nz*ny*nx)
	for z := 0; z < nz; z++ {
		for y := 0; y < ny; y++ {
			for x := 0; x < nx; x++ {
				dx, dy := float64(x-nx/2), float64(y-ny/2)
				if dx*dx+dy*dy > 0.6*float64(nx*ny)/4 {
					continue
				}
				lv[(z*ny+y)*nx+x] = int32(1 + ((x+y+z)/8+rng.Intn(3))%ng)
			}
		}
	}
	return cmLevelRegion(nz, ny, nx, lv, [3]float64{1, 1, 1})
}

// BenchmarkTexScan times the texture preparation of a fresh region.
func BenchmarkTexScan(b *testing.B) {
	r := texBenchRegion(40)
	for i := 0; i < b.N; i++ {
		r.tex = nil
		if _, err := texPrepare(r, "gldm", 1); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkTexPaddedIndex times the row-index volume of a prepared region.
func BenchmarkTexPaddedIndex(b *testing.B) {
	r := texBenchRegion(40)
	if _, err := texPrepare(r, "glcm", 1); err != nil {
		b.Fatal(err)
	}
	for i := 0; i < b.N; i++ {
		r.tex.pi = nil
		texPaddedIndex(r, 1)
	}
}
