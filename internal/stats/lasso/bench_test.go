package lasso

import (
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// randomProblem is a seeded n x p design with 6 informative features.
func randomProblem(n, p int, seed uint64) (*mat.Dense, []float64) {
	rng := rand.New(rand.NewPCG(seed, 1))
	X := mat.NewDense(n, p, nil)
	y := make([]float64, n)
	for i := 0; i < n; i++ {
		eta := -0.2
		for j := 0; j < p; j++ {
			v := rng.NormFloat64()*float64(1+j%7) + float64(j%3)
			X.Set(i, j, v)
			if j < 6 {
				eta += 0.8 * (v - float64(j%3)) / float64(1+j%7)
			}
		}
		if rng.Float64() < 1/(1+math.Exp(-eta)) {
			y[i] = 1
		}
	}
	return X, y
}

// BenchmarkPathCV145x1316 times Path + 5-fold CV (the study's size:
// 145 patients, 1316 radiomics features).
func BenchmarkPathCV145x1316(b *testing.B) {
	X, y := randomProblem(145, 1316, 20261127)
	folds, err := StratifiedFolds(y, 5, 7)
	if err != nil {
		b.Fatal(err)
	}
	opt := DefaultCVOptions()
	opt.FoldID = folds
	b.ResetTimer()
	for it := 0; it < b.N; it++ {
		res, err := CV(X, y, opt)
		if err != nil {
			b.Fatal(err)
		}
		if it == 0 {
			b.ReportMetric(float64(len(res.Lambda)), "lambdas")
			b.ReportMetric(float64(res.Fit.NPasses), "passes")
		}
	}
}
