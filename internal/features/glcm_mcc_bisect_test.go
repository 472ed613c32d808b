package features

import (
	"math"
	"math/rand"
	"testing"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/gonum/lapack"
	"gonum.org/v1/gonum/lapack/lapack64"
)

func TestMCCEigenEndsMatchesSyev(t *testing.T) {
	// The bisection of eigenEnds must give the eigenvalues dsyev gives (the
	// smallest and the three largest) to within the rounding noise n*eps*|S|
	// that the certification allows, on Gram matrices like the MCC's and on
	// matrices with multiple and zero eigenvalues.
	rng := rand.New(rand.NewSource(29))
	type tc struct {
		name string
		s    func(n int) []float64
	}
	gram := func(n int, density float64) []float64 {
		y := make([]float64, n*n)
		for i := range y {
			if rng.Float64() < density {
				y[i] = rng.Float64() / float64(n)
			}
		}
		s := make([]float64, n*n)
		for i := 0; i < n; i++ {
			for j := i; j < n; j++ {
				v := 0.0
				for k := 0; k < n; k++ {
					v += y[i*n+k] * y[j*n+k]
				}
				s[i*n+j] = v
			}
		}
		return s
	}
	cases := []tc{
		{"dense gram", func(n int) []float64 { return gram(n, 1) }},
		{"sparse gram", func(n int) []float64 { return gram(n, 0.1) }},
		{"double eigenvalue", func(n int) []float64 { // diag(1, 1, 0.5, ..., 0)
			s := make([]float64, n*n)
			for i := 0; i < n; i++ {
				s[i*n+i] = max(0, 1-0.5*float64(max(0, i-1))/float64(n))
			}
			s[0*n+0], s[1*n+1] = 1, 1
			return s
		}},
		{"zero", func(n int) []float64 { return make([]float64, n*n) }},
	}
	for _, c := range cases {
		for _, n := range []int{mccBisectMinN, 9, 20, 64, 158} {
			s := c.s(n)
			full := append([]float64(nil), s...)
			want := make([]float64, n)
			ms := newMCCScratch(n)
			if !lapack64.Syev(lapack.EVNone, blas64.Symmetric{Uplo: blas.Upper, N: n, Stride: n, Data: full}, want, ms.work, len(ms.work)) {
				t.Fatal("dsyev failed")
			}
			w := make([]float64, n)
			if !ms.eigenEnds(blas64.Symmetric{Uplo: blas.Upper, N: n, Stride: n, Data: append([]float64(nil), s...)}, w) {
				t.Fatalf("%s n %d: eigenEnds failed", c.name, n)
			}
			tol := 8 * float64(n) * Eps * max(math.Abs(want[0]), math.Abs(want[n-1]), 1e-300)
			for _, i := range []int{0, n - 3, n - 2, n - 1} {
				if d := math.Abs(w[i] - want[i]); d > tol {
					t.Errorf("%s n %d: eigenvalue %d = %v, dsyev %v (|diff| %.2g > %.2g)", c.name, n, i, w[i], want[i], d, tol)
				}
			}
		}
	}
}
