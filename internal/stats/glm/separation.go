package glm

import (
	"errors"
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/optimize/convex/lp"
)

// detectSeparation reports whether the 0/1 outcome y is completely or
// quasi-completely separated by the columns of the design D (intercept
// included), i.e. whether some b != 0 has (2y_i - 1) x_i'b >= 0 for every i
// with at least one strict inequality; the MLE is then infinite (Albert &
// Anderson 1984). It solves the linear program of Konis (2007, the R package
// safeBinaryRegression / detectseparation):
//
//	maximise sum_i s_i  subject to  s_i = (2y_i - 1) x_i'b >= 0,  |b_j| <= 1,
//
// on columns scaled to max |x| = 1; the optimum is 0 exactly when the MLE
// exists. It also returns how many observations lie strictly on the
// separating side (s_i > 0) at the optimum.
func detectSeparation(D *mat.Dense, y []float64) (bool, int, error) {
	n, k := D.Dims()
	scale := make([]float64, k)
	for j := 0; j < k; j++ {
		m := 0.0
		for i := 0; i < n; i++ {
			m = math.Max(m, math.Abs(D.At(i, j)))
		}
		if m == 0 {
			m = 1
		}
		scale[j] = m
	}
	// Variables: b+ (k), b- (k), s (n), u (k), all >= 0.
	nv := 3*k + n
	nr := n + k
	A := mat.NewDense(nr, nv, nil)
	b := make([]float64, nr)
	c := make([]float64, nv)
	for i := 0; i < n; i++ {
		sg := 2*y[i] - 1
		for j := 0; j < k; j++ {
			a := sg * D.At(i, j) / scale[j]
			A.Set(i, j, a)
			A.Set(i, k+j, -a)
		}
		A.Set(i, 2*k+i, -1)
		c[2*k+i] = -1
	}
	for j := 0; j < k; j++ {
		r := n + j
		A.Set(r, j, 1)
		A.Set(r, k+j, 1)
		A.Set(r, 2*k+n+j, 1)
		b[r] = 1
	}
	basic := make([]int, nr)
	for i := 0; i < n; i++ {
		basic[i] = 2*k + i
	}
	for j := 0; j < k; j++ {
		basic[n+j] = 2*k + n + j
	}
	opt, x, err := lp.Simplex(c, A, b, 1e-12, basic)
	if err != nil {
		if errors.Is(err, lp.ErrUnbounded) {
			return true, 0, nil
		}
		return false, 0, fmt.Errorf("glm: separation check (linear program) failed: %v", err)
	}
	if opt < -1e-7 {
		cnt := 0
		for i := 0; i < n; i++ {
			if x[2*k+i] > 1e-9 {
				cnt++
			}
		}
		return true, cnt, nil
	}
	return false, 0, nil
}
