package features

import (
	"math"
	"math/rand"
	"testing"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/gonum/blas/gonum"
)

// mccBLAS.Dsymv equals gonum's Dsymv bit for bit for both triangles, unit
// and strided increments, alpha and beta of every kind and sizes around
// the four-row blocking, and it is the BLAS that gonum's LAPACK uses.
func TestMCCBLASSymvMatchesGonum(t *testing.T) {
	if _, ok := blas64.Implementation().(mccBLAS); !ok {
		t.Fatalf("blas64 implementation is %T, want mccBLAS", blas64.Implementation())
	}
	rng := rand.New(rand.NewSource(61))
	for _, n := range []int{0, 1, 2, 3, 4, 5, 7, 8, 9, 31, 32, 33, 67} {
		for _, ul := range []blas.Uplo{blas.Upper, blas.Lower} {
			for _, inc := range [][2]int{{1, 1}, {3, 1}, {1, 2}, {5, 4}, {-1, 1}, {2, -3}} {
				for _, ab := range [][2]float64{{1, 0}, {-0.5, 1}, {2, 0.3}, {0, 0.7}, {1, 1}} {
					lda := n + 3
					a := make([]float64, max(1, lda*n))
					for k := range a {
						a[k] = rng.NormFloat64() * math.Pow(10, float64(rng.Intn(5)-2))
					}
					incX, incY := inc[0], inc[1]
					ax, ay := max(1, incX, -incX), max(1, incY, -incY)
					x := make([]float64, max(1, (n-1)*ax+1))
					for k := range x {
						x[k] = rng.NormFloat64()
					}
					y0 := make([]float64, max(1, (n-1)*ay+1))
					for k := range y0 {
						y0[k] = rng.NormFloat64()
					}
					want := append([]float64(nil), y0...)
					got := append([]float64(nil), y0...)
					gonum.Implementation{}.Dsymv(ul, n, ab[0], a, max(1, lda), x, incX, ab[1], want, incY)
					mccBLAS{}.Dsymv(ul, n, ab[0], a, max(1, lda), x, incX, ab[1], got, incY)
					for k := range want {
						if math.Float64bits(got[k]) != math.Float64bits(want[k]) {
							t.Fatalf("n %d uplo %c inc %v alpha, beta %v: y[%d] = %v, want %v", n, ul, inc, ab, k, got[k], want[k])
						}
					}
				}
			}
		}
	}
}
