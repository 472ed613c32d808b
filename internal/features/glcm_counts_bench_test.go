package features

import (
	"fmt"
	"math/rand"
	"testing"
)

// BenchmarkGLCMCounts times glcmCounts on a CT-phantom-sized crop (26 x 99
// x 100, ROI about half the box) with about 40 and 160 smoothly varying
// levels (seeded).
func BenchmarkGLCMCounts(b *testing.B) {
	for _, ng := range []int{40, 160} {
		b.Run(fmt.Sprint(ng), func(b *testing.B) { benchGLCMCounts(b, ng) })
	}
}

// benchGLCMCounts is BenchmarkGLCMCounts with about ng levels.
func benchGLCMCounts(b *testing.B, ng int) {
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
				lv[(z*ny+y)*nx+x] = int32(1 + ((x+y+z)*ng/40)/8 + rng.Intn(3*ng/40))
			}
		}
	}
	r := cmLevelRegion(nz, ny, nx, lv, [3]float64{1, 1, 1})
	t, err := texPrepare(r, "glcm", 1)
	if err != nil {
		b.Fatal(err)
	}
	angles := Angles(t.shape, []int{1}, false, false, 0)
	pi, ps := texPaddedIndex(r, 1)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		glcmCounts(pi, ps, t.shape, 1, len(t.ivals), angles)
	}
}
