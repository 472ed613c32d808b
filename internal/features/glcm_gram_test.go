package features

import (
	"math"
	"math/rand"
	"testing"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas64"
)

// mccGram, by the AVX2 kernel and by the portable loop, equals gonum's
// Dsyrk bit for bit on random non-negative matrices with zero entries
// (dense to very sparse, empty rows) of every size n%8 and n%4 class.
func TestMCCGramMatchesSyrk(t *testing.T) {
	rng := rand.New(rand.NewSource(41))
	sizes := []int{1, 2, 3, 4, 5, 7, 8, 9, 13, 16, 17, 31, 40, 66, 87, 158}
	for _, n := range sizes {
		for _, density := range []float64{1, 0.6, 0.2, 0.03} {
			y := make([]float64, n*n)
			for k := range y {
				if rng.Float64() < density {
					y[k] = rng.ExpFloat64() * math.Pow(10, float64(rng.Intn(9)-6))
				}
			}
			if n > 2 {
				clear(y[n : 2*n]) // an empty row
			}
			want := make([]float64, n*n)
			blas64.Syrk(blas.NoTrans, 1, blas64.General{Rows: n, Cols: n, Stride: n, Data: y}, 0,
				blas64.Symmetric{Uplo: blas.Upper, N: n, Stride: n, Data: want})
			for _, asm := range []bool{false, true} {
				if asm && !gramAsm {
					continue
				}
				saved := gramAsm
				gramAsm = asm
				got := make([]float64, n*n)
				for k := range got {
					got[k] = -1 // the lower triangle must be left alone
				}
				mccGram(y, n, got, &gramScratch{})
				gramAsm = saved
			cells:
				for i := 0; i < n; i++ {
					for j := 0; j < n; j++ {
						w := want[i*n+j]
						if j < i {
							w = -1
						}
						if math.Float64bits(got[i*n+j]) != math.Float64bits(w) {
							t.Errorf("n %d density %v asm %v: S(%d,%d) = %v, want %v", n, density, asm, i, j, got[i*n+j], w)
							break cells
						}
					}
				}
			}
		}
	}
}
