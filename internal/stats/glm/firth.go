package glm

import (
	"errors"
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat/distuv"
)

// firthState evaluates, at coefficients b, the Firth-modified score
// U*(b) = X'(w(y - p) + h(1/2 - p)) with h the diagonal of the hat matrix
// W^1/2 X (X'WX)^-1 X' W^1/2 (W = w p(1-p)), the inverse information, and
// the penalised log-likelihood l(b) + 1/2 log|X'WX|.
func firthState(D *mat.Dense, y, wt, b []float64, score []float64, cov *mat.SymDense) (float64, error) {
	n, k := D.Dims()
	info := mat.NewSymDense(k, nil)
	row := make([]float64, k)
	pr := make([]float64, n)
	ll := 0.0
	for i := 0; i < n; i++ {
		e := 0.0
		for j := 0; j < k; j++ {
			row[j] = D.At(i, j)
			e += row[j] * b[j]
		}
		p := 1 / (1 + math.Exp(-e))
		pr[i] = p
		// log p = -log(1+exp(-e)), log(1-p) = -log(1+exp(e)), stable.
		if y[i] == 1 {
			ll -= wt[i] * softplus(-e)
		} else {
			ll -= wt[i] * softplus(e)
		}
		wi := wt[i] * p * (1 - p)
		for a := 0; a < k; a++ {
			for c := a; c < k; c++ {
				info.SetSym(a, c, info.At(a, c)+wi*row[a]*row[c])
			}
		}
	}
	var ch mat.Cholesky
	if !ch.Factorize(info) {
		return 0, errors.New("glm: Firth: information matrix is not positive definite")
	}
	if err := ch.InverseTo(cov); err != nil {
		return 0, fmt.Errorf("glm: Firth: %v", err)
	}
	logDet := ch.LogDet()
	for j := range score {
		score[j] = 0
	}
	tmp := make([]float64, k)
	for i := 0; i < n; i++ {
		for j := 0; j < k; j++ {
			row[j] = D.At(i, j)
		}
		// h_i = w_i p_i (1-p_i) x_i' cov x_i
		for a := 0; a < k; a++ {
			s := 0.0
			for c := 0; c < k; c++ {
				s += cov.At(a, c) * row[c]
			}
			tmp[a] = s
		}
		q := 0.0
		for a := 0; a < k; a++ {
			q += row[a] * tmp[a]
		}
		p := pr[i]
		h := wt[i] * p * (1 - p) * q
		r := wt[i]*(y[i]-p) + h*(0.5-p)
		for j := 0; j < k; j++ {
			score[j] += r * row[j]
		}
	}
	return ll + 0.5*logDet, nil
}

// softplus returns log(1 + exp(x)) without overflow.
func softplus(x float64) float64 {
	if x > 0 {
		return x + math.Log1p(math.Exp(-x))
	}
	return math.Log1p(math.Exp(x))
}

// firthNewton maximises the penalised likelihood by Newton-Raphson on the
// modified score (logistf's algorithm: step b += (X'WX)^-1 U*, largest
// component capped at maxstep = 5, step halving while the penalised
// log-likelihood decreases), iterated until the step and the score are at
// machine-precision level.
func firthNewton(D *mat.Dense, y, wt []float64, maxIter int) (b []float64, cov *mat.SymDense, pll float64, iter int, conv bool, err error) {
	_, k := D.Dims()
	b = make([]float64, k)
	score := make([]float64, k)
	cov = mat.NewSymDense(k, nil)
	pll, err = firthState(D, y, wt, b, score, cov)
	if err != nil {
		return nil, nil, 0, 0, false, err
	}
	delta := make([]float64, k)
	nb := make([]float64, k)
	nscore := make([]float64, k)
	ncov := mat.NewSymDense(k, nil)
	for iter = 1; iter <= maxIter; iter++ {
		mx := 0.0
		for a := 0; a < k; a++ {
			s := 0.0
			for c := 0; c < k; c++ {
				s += cov.At(a, c) * score[c]
			}
			delta[a] = s
			mx = math.Max(mx, math.Abs(s))
		}
		if mx > 5 {
			for a := range delta {
				delta[a] *= 5 / mx
			}
			mx = 5
		}
		var npll float64
		for h := 0; ; h++ {
			for a := range b {
				nb[a] = b[a] + delta[a]
			}
			npll, err = firthState(D, y, wt, nb, nscore, ncov)
			if err == nil && (npll >= pll-1e-12*math.Abs(pll) || h >= 30) {
				break
			}
			for a := range delta {
				delta[a] /= 2
			}
			mx /= 2
		}
		if err != nil {
			return nil, nil, 0, iter, false, err
		}
		copy(b, nb)
		copy(score, nscore)
		cov.CopySym(ncov)
		pll = npll
		gmax := 0.0
		for _, s := range score {
			gmax = math.Max(gmax, math.Abs(s))
		}
		bmax := 0.0
		for _, v := range b {
			bmax = math.Max(bmax, math.Abs(v))
		}
		if mx <= 1e-13*(1+bmax) && gmax <= 1e-9 {
			conv = true
			break
		}
	}
	if iter > maxIter {
		iter = maxIter
	}
	return b, cov, pll, iter, conv, nil
}

// fitFirth fits the Firth-penalised logistic regression (Heinze & Schemper
// 2002; R's logistf with pl = FALSE): it maximises
// l(b) + 1/2 log|X'WX|. The Wald covariance is (X'WX)^-1 at the estimate.
// The likelihood-ratio statistic is logistf's: twice the difference of the
// penalised log-likelihoods of the model and of the intercept-only
// penalised model.
func fitFirth(D *mat.Dense, y, wt []float64, opt Options, res *Result) ([]float64, error) {
	maxIter := opt.MaxIter
	if maxIter < 100 {
		maxIter = 100
	}
	b, _, pll, iter, conv, err := firthNewton(D, y, wt, maxIter)
	if err != nil {
		return nil, err
	}
	res.Iter = iter
	res.Converged = conv
	if !conv {
		res.Warnings = append(res.Warnings, "Firth: Newton-Raphson did not converge")
	}
	res.PenalizedLogLik = pll
	return b, nil
}

// firthLR fills the penalised likelihood-ratio test of a Firth fit against
// the intercept-only (or empty) penalised model.
func firthLR(D *mat.Dense, y, wt []float64, intercept bool, res *Result) error {
	n, k := D.Dims()
	var null float64
	if intercept {
		D0 := mat.NewDense(n, 1, nil)
		for i := 0; i < n; i++ {
			D0.Set(i, 0, 1)
		}
		_, _, pll0, _, _, err := firthNewton(D0, y, wt, 100)
		if err != nil {
			return err
		}
		null = pll0
	} else {
		null = 0
		for i := range y {
			null -= wt[i] * math.Ln2
		}
	}
	df := k
	if intercept {
		df = k - 1
	}
	res.LRChisq = 2 * (res.PenalizedLogLik - null)
	res.LRDF = df
	if df > 0 {
		res.LRP = distuv.ChiSquared{K: float64(df)}.Survival(res.LRChisq)
	} else {
		res.LRP = math.NaN()
	}
	return nil
}
