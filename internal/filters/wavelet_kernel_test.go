package filters

import (
	"math"
	"math/rand"
	"testing"
)

func TestSlabPair32KernelMatchesGo(t *testing.T) {
	// The float32 wavelet kernel (AVX2 where available) must equal the
	// portable loop bit for bit, tails and special values included.
	rng := rand.New(rand.NewSource(3))
	special := []float32{0, float32(math.Copysign(0, -1)), 1e-42, -1e-42, 3.4e38, float32(math.Inf(1)), -2.5}
	for n := 0; n <= 70; n++ {
		for trial := 0; trial < 4; trial++ {
			acc, r0, r1 := make([]float32, n), make([]float32, n), make([]float32, n)
			for i := range acc {
				acc[i] = float32(rng.NormFloat64() * 100)
				r0[i] = float32(rng.NormFloat64() * 1000)
				r1[i] = float32(rng.NormFloat64())
				if rng.Intn(8) == 0 {
					r0[i] = special[rng.Intn(len(special))]
				}
			}
			c0, c1 := float32(rng.NormFloat64()), float32(rng.NormFloat64())
			if trial == 3 {
				c0 = float32(math.Copysign(0, -1))
			}
			want := append([]float32(nil), acc...)
			slabPair32Go(want, r0, r1, c0, c1)
			slabPair32(acc, r0, r1, c0, c1)
			for i := range acc {
				if math.Float32bits(acc[i]) != math.Float32bits(want[i]) {
					t.Fatalf("n %d lane %d: %v, want %v", n, i, acc[i], want[i])
				}
			}
		}
	}
}
