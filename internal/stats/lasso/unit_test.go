package lasso

import (
	"math"
	"testing"

	"gonum.org/v1/gonum/mat"
)

func TestAUCHand(t *testing.T) {
	for _, tc := range []struct {
		y, p []float64
		want float64
	}{
		// 2 events x 2 controls: pairs (0.8>0.1), (0.8>0.4), (0.3>0.1), (0.3<0.4) -> 3/4.
		{[]float64{1, 1, 0, 0}, []float64{0.8, 0.3, 0.1, 0.4}, 0.75},
		// one tie between an event and a control counts 1/2: (0.5=0.5) + (0.5>0.2) -> 1.5/2.
		{[]float64{1, 0, 0}, []float64{0.5, 0.5, 0.2}, 0.75},
		{[]float64{1, 1, 0}, []float64{0.1, 0.2, 0.3}, 0},
	} {
		if got := AUC(tc.y, tc.p); math.Abs(got-tc.want) > 1e-15 {
			t.Errorf("AUC(%v, %v) = %v, want %v", tc.y, tc.p, got, tc.want)
		}
	}
	if !math.IsNaN(AUC([]float64{1, 1}, []float64{0.2, 0.3})) {
		t.Error("single class: want NaN")
	}
}

func TestLambdaInterpHand(t *testing.T) {
	lam := []float64{1, 0.5, 0.25}
	for _, tc := range []struct {
		s           float64
		left, right int
		frac        float64
	}{
		{1, 0, 0, 1},
		{0.5, 1, 1, 1},
		{0.75, 0, 1, 0.5}, // halfway between 1 and 0.5
		{0.3, 1, 2, 0.2},  // (0.3 - 0.25)/(0.5 - 0.25)
		{2, 0, 0, 1},      // clamped above
		{0.1, 2, 2, 1},    // clamped below
	} {
		l, r, f := lambdaInterp(lam, tc.s)
		if l != tc.left || r != tc.right || math.Abs(f-tc.frac) > 1e-14 {
			t.Errorf("s=%v: got %d %d %v, want %d %d %v", tc.s, l, r, f, tc.left, tc.right, tc.frac)
		}
	}
}

func TestStratifiedFolds(t *testing.T) {
	y := make([]float64, 103)
	for i := range y {
		if i%3 == 0 {
			y[i] = 1
		}
	}
	f1, err := StratifiedFolds(y, 5, 42)
	if err != nil {
		t.Fatal(err)
	}
	f2, _ := StratifiedFolds(y, 5, 42)
	ev := make([]int, 5)
	sz := make([]int, 5)
	for i, f := range f1 {
		if f != f2[i] {
			t.Fatal("same seed, different folds")
		}
		sz[f-1]++
		if y[i] == 1 {
			ev[f-1]++
		}
	}
	for k := 0; k < 5; k++ {
		if sz[k] < 20 || sz[k] > 21 || ev[k] < 6 || ev[k] > 7 {
			t.Errorf("fold %d: size %d events %d", k+1, sz[k], ev[k])
		}
	}
	if _, err := StratifiedFolds(y, 1, 1); err == nil {
		t.Error("1 fold: want error")
	}
}

func TestPathBadInput(t *testing.T) {
	X := mat.NewDense(6, 2, []float64{1, 2, 2, 1, 3, 5, 4, 4, 5, 2, 6, 3})
	yOK := []float64{0, 1, 0, 1, 1, 0}
	nan := mat.DenseCopyOf(X)
	nan.Set(2, 1, math.NaN())
	constant := mat.NewDense(6, 2, []float64{1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1})
	for _, tc := range []struct {
		name string
		X    *mat.Dense
		y    []float64
		opt  PathOptions
	}{
		{"nil X", nil, yOK, DefaultPathOptions()},
		{"length mismatch", X, []float64{0, 1}, DefaultPathOptions()},
		{"y not 0/1", X, []float64{0, 1, 2, 1, 1, 0}, DefaultPathOptions()},
		{"single class", X, []float64{1, 1, 1, 1, 1, 1}, DefaultPathOptions()},
		{"one event", X, []float64{1, 0, 0, 0, 0, 0}, DefaultPathOptions()},
		{"NaN", nan, yOK, DefaultPathOptions()},
		{"all constant", constant, yOK, DefaultPathOptions()},
		{"bad ratio", X, yOK, PathOptions{LambdaMinRatio: 2}},
		{"increasing lambda", X, yOK, PathOptions{Lambda: []float64{0.1, 0.2}}},
	} {
		if _, err := Path(tc.X, tc.y, tc.opt); err == nil {
			t.Errorf("%s: want error", tc.name)
		}
	}
	if _, err := CV(X, yOK, CVOptions{FoldID: []int{1, 1, 2, 2, 3}}); err == nil {
		t.Error("CV with short foldid: want error")
	}
}

func TestUserLambdaKKT(t *testing.T) {
	// On a user-supplied lambda sequence the tight solution satisfies the
	// lasso KKT conditions on the standardized scale:
	// |z_j'(y - p)|/n <= lambda, with equality and the sign of beta_j for
	// nonzero coefficients, and sum(y - p) = 0.
	X, y := randomProblem(60, 12, 3)
	opt := DefaultPathOptions()
	opt.Lambda = []float64{0.08, 0.04, 0.02}
	opt.Tight = true
	res, err := Path(X, y, opt)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Lambda) != 3 || res.Lambda[0] != 0.08 {
		t.Fatalf("lambda %v", res.Lambda)
	}
	n, p := X.Dims()
	for k, lam := range res.Lambda {
		resid := make([]float64, n)
		s0 := 0.0
		for i := 0; i < n; i++ {
			e := res.A0[k]
			for j := 0; j < p; j++ {
				e += X.At(i, j) * res.Beta[k][j]
			}
			resid[i] = y[i] - 1/(1+math.Exp(-e))
			s0 += resid[i]
		}
		if math.Abs(s0) > 1e-10 {
			t.Errorf("lambda %v: sum of residuals %v", lam, s0)
		}
		for j := 0; j < p; j++ {
			g := 0.0
			for i := 0; i < n; i++ {
				g += (X.At(i, j) - res.XMean[j]) / res.XSD[j] * resid[i]
			}
			g /= float64(n)
			if b := res.Beta[k][j]; b != 0 {
				if math.Abs(g-math.Copysign(lam, b)) > 1e-10 {
					t.Errorf("lambda %v feature %d: gradient %v, beta %v", lam, j, g, b)
				}
			} else if math.Abs(g) > lam*(1+1e-9) {
				t.Errorf("lambda %v feature %d: KKT violated, |g| = %v", lam, j, math.Abs(g))
			}
		}
	}
}
