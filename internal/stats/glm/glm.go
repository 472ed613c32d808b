// Package glm fits binary logistic regression models the way R's
// glm(family = binomial(link = "logit")) does (glm.fit's IRLS, summary.glm's
// Wald tests, confint.default, logLik, AIC and the likelihood-ratio test
// against the null model), with an opt-in Firth-penalised fit
// (Heinze & Schemper 2002, logistf semantics) for separated data.
//
// Conventions:
//   - X is n x p WITHOUT an intercept column; the intercept is added when
//     Options.Intercept (the default) is set and is reported as the term
//     "(Intercept)".
//   - y holds 0/1 outcomes (1 = event).
//   - Complete or quasi-complete separation is an error (ErrSeparation),
//     detected before fitting by a linear program (Konis 2007) and after
//     fitting by R's "fitted probabilities numerically 0 or 1" rule. Use
//     Options.Firth for a finite estimate in that case.
//   - Result.SE follows R (summary.glm): the IRLS weights at the START of
//     the last iteration. Result.SEAtEstimate is the information matrix
//     evaluated at the final estimate (what the fixtures' exact_mle uses).
package glm

import (
	"errors"
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat/distuv"
)

// ErrSeparation is returned (wrapped) when the outcome is completely or
// quasi-completely separated by a linear combination of the predictors, so
// that the maximum-likelihood estimate does not exist.
var ErrSeparation = errors.New("glm: complete or quasi-complete separation (MLE does not exist); use Options.Firth")

// Options controls Fit. The zero value is not the default: use
// DefaultOptions and change fields.
type Options struct {
	// Intercept adds an intercept column (R's default formula behaviour).
	Intercept bool
	// Weights are optional prior weights (R's glm weights), length n, >= 0.
	Weights []float64
	// MaxIter is glm.control's maxit (25). With Exact and MaxIter 0, 100.
	MaxIter int
	// Epsilon is glm.control's epsilon (1e-8): IRLS stops when
	// |dev - dev_old| / (|dev| + 0.1) < Epsilon.
	Epsilon float64
	// Exact iterates to machine precision (epsilon 1e-15, at least 100
	// iterations), as the fixtures' exact_mle; it also stops when no
	// coefficient moves by more than 1e-13 relative (IRLS steps are then
	// at rounding level, and the deviance can alternate
	// between two neighbouring doubles and never meet 1e-15).
	Exact bool
	// Firth fits the Firth-penalised likelihood l(b) + 0.5 log|I(b)|
	// (logistf) instead of the MLE; separation is then not an error.
	Firth bool
}

// DefaultOptions returns R's defaults: intercept, maxit 25, epsilon 1e-8.
func DefaultOptions() Options {
	return Options{Intercept: true, MaxIter: 25, Epsilon: 1e-8}
}

// Result is a fitted logistic regression. Slices over coefficients follow
// Terms.
type Result struct {
	Terms []string // "(Intercept)" first when fitted with an intercept
	Coef  []float64
	// SE, Z, P, CILower/CIUpper (coefficient scale), ORLower/ORUpper and
	// Vcov follow R's summary.glm convention: the inverse information built
	// from the IRLS weights at the start of the last iteration. For a Firth
	// fit they are the inverse information at the estimate.
	SE      []float64
	Z       []float64
	P       []float64 // two-sided normal Wald p-value
	OR      []float64 // exp(Coef)
	CILower []float64 // Coef - qnorm(0.975) SE (confint.default)
	CIUpper []float64
	ORLower []float64 // exp(CILower)
	ORUpper []float64
	Vcov    *mat.SymDense
	// SEAtEstimate and VcovAtEstimate use the information X'WX with
	// W = w p(1-p) evaluated at the final estimate; ZAtEstimate and
	// PAtEstimate follow from them.
	SEAtEstimate   []float64
	ZAtEstimate    []float64
	PAtEstimate    []float64
	VcovAtEstimate *mat.SymDense

	Deviance     float64 // residual deviance
	NullDeviance float64
	DFResidual   int
	DFNull       int
	AIC          float64
	LogLik       float64 // for Firth: the unpenalised log-likelihood at the estimate
	// PenalizedLogLik is l(b) + 0.5 log|I(b)| (Firth fits only).
	PenalizedLogLik float64
	// LRChisq is NullDeviance - Deviance (for Firth fits: twice the gain in
	// penalised log-likelihood over the intercept-only penalised model, as
	// logistf reports).
	LRChisq float64
	LRDF    int
	LRP     float64 // pchisq(LRChisq, LRDF, lower.tail = FALSE)

	Iter      int
	Converged bool
	Firth     bool
	// Warnings lists non-fatal conditions R would warn about (e.g.
	// non-convergence).
	Warnings []string

	LinearPredictor []float64 // eta per row of X
	Fitted          []float64 // plogis(eta) per row of X

	intercept bool
}

// R's logit link constants (src/library/stats/src/family.c).
const (
	thresh  = 30.0
	mthresh = -30.0
)

// dblEps is R's DBL_EPSILON; invEps its reciprocal (INVEPS in family.c).
const (
	dblEps = 2.220446049250313e-16
	invEps = 1 / dblEps
)

// linkinv is R's logit_linkinv.
func linkinv(eta float64) float64 {
	var tmp float64
	switch {
	case eta < mthresh:
		tmp = dblEps
	case eta > thresh:
		tmp = invEps
	default:
		tmp = math.Exp(eta)
	}
	return tmp / (1 + tmp)
}

// muEta is R's logit_mu_eta.
func muEta(eta float64) float64 {
	opexp := 1 + math.Exp(eta)
	if eta > thresh || eta < mthresh {
		return dblEps
	}
	return math.Exp(eta) / (opexp * opexp)
}

// yLogY is R's y_log_y.
func yLogY(y, mu float64) float64 {
	if y != 0 {
		return y * math.Log(y/mu)
	}
	return 0
}

// devResid is R's binomial_dev_resids for one observation.
func devResid(y, mu, wt float64) float64 {
	return 2 * wt * (yLogY(y, mu) + yLogY(1-y, 1-mu))
}

// Fit fits a binary logistic regression, matching R's
// glm(y ~ X, family = binomial(link = "logit"), weights = Weights):
// IRLS exactly as glm.fit (start mu = (w y + 0.5)/(w + 1), working response
// z = eta + (y - mu)/mu.eta, weighted least squares by Householder QR, stop
// when |dev - dev_old|/(|dev| + 0.1) < epsilon, iteration count as R), then
// summary.glm (Wald z, two-sided normal p), confint.default, logLik, AIC and
// the likelihood-ratio test against the null model. With Options.Firth it
// fits logistf's penalised likelihood instead (see fitFirth).
//
// names labels the p columns of X. Errors: mismatched lengths, NaN/Inf
// anywhere, y not 0/1, a single outcome class, constant predictors (with an
// intercept), rank deficiency, and separation (ErrSeparation) unless Firth.
func Fit(X *mat.Dense, y []float64, names []string, opt Options) (*Result, error) {
	if X == nil {
		return nil, errors.New("glm: nil design matrix")
	}
	n, p := X.Dims()
	if len(y) != n {
		return nil, fmt.Errorf("glm: len(y) = %d, X has %d rows", len(y), n)
	}
	if names != nil && len(names) != p {
		return nil, fmt.Errorf("glm: %d names for %d columns", len(names), p)
	}
	if names == nil {
		names = make([]string, p)
		for j := range names {
			names[j] = fmt.Sprintf("x%d", j+1)
		}
	}
	if opt.MaxIter <= 0 {
		opt.MaxIter = 25
	}
	if opt.Exact && opt.MaxIter < 100 {
		opt.MaxIter = 100
	}
	if opt.Epsilon <= 0 {
		opt.Epsilon = 1e-8
	}
	if opt.Exact {
		opt.Epsilon = 1e-15
	}
	w := opt.Weights
	if w == nil {
		w = make([]float64, n)
		for i := range w {
			w[i] = 1
		}
	} else if len(w) != n {
		return nil, fmt.Errorf("glm: %d weights for %d rows", len(w), n)
	}
	nPos, nNeg := 0.0, 0.0
	for i := 0; i < n; i++ {
		if math.IsNaN(y[i]) || (y[i] != 0 && y[i] != 1) {
			return nil, fmt.Errorf("glm: y[%d] = %v is not 0/1", i, y[i])
		}
		if math.IsNaN(w[i]) || math.IsInf(w[i], 0) || w[i] < 0 {
			return nil, fmt.Errorf("glm: weight %d = %v is not finite and >= 0", i, w[i])
		}
		if w[i] > 0 {
			if y[i] == 1 {
				nPos += w[i]
			} else {
				nNeg += w[i]
			}
		}
	}
	if nPos == 0 || nNeg == 0 {
		return nil, errors.New("glm: the outcome has a single class")
	}
	for j := 0; j < p; j++ {
		allNaN := true
		for i := 0; i < n; i++ {
			v := X.At(i, j)
			if !math.IsNaN(v) {
				allNaN = false
			}
		}
		if allNaN {
			return nil, fmt.Errorf("glm: predictor %q is all NaN", names[j])
		}
		for i := 0; i < n; i++ {
			v := X.At(i, j)
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return nil, fmt.Errorf("glm: predictor %q has a non-finite value at row %d (drop incomplete rows first, as na.omit)", names[j], i)
			}
		}
	}
	// Design with intercept, restricted to rows with positive weight.
	var good []int
	for i := 0; i < n; i++ {
		if w[i] > 0 {
			good = append(good, i)
		}
	}
	k := p
	terms := append([]string(nil), names...)
	if opt.Intercept {
		k = p + 1
		terms = append([]string{"(Intercept)"}, names...)
	}
	if k == 0 {
		return nil, errors.New("glm: empty model (no intercept, no predictors)")
	}
	ng := len(good)
	if ng < k {
		return nil, fmt.Errorf("glm: %d observations for %d coefficients", ng, k)
	}
	D := mat.NewDense(ng, k, nil)
	yg := make([]float64, ng)
	wg := make([]float64, ng)
	for r, i := range good {
		c := 0
		if opt.Intercept {
			D.Set(r, 0, 1)
			c = 1
		}
		for j := 0; j < p; j++ {
			D.Set(r, c+j, X.At(i, j))
		}
		yg[r] = y[i]
		wg[r] = w[i]
	}
	if err := checkRank(D, terms, opt.Intercept); err != nil {
		return nil, err
	}
	res := &Result{Terms: terms, intercept: opt.Intercept, Firth: opt.Firth}
	var vcovR *mat.SymDense
	var beta []float64
	if opt.Firth {
		var err error
		beta, err = fitFirth(D, yg, wg, opt, res)
		if err != nil {
			return nil, err
		}
	} else {
		var err error
		beta, vcovR, err = irls(D, yg, wg, opt, res)
		if (err != nil || suspectSeparation(D, beta, res.Converged)) && len(yg)*(3*len(terms)+len(yg)) <= maxSeparationLP {
			// The linear program of detectSeparation is exact but costly
			// (gonum's dense simplex can take minutes on degenerate problems
			// of a few hundred rows), so it runs only when the fit failed or
			// shows the signs of separation (no convergence, |eta| beyond 15,
			// i.e. fitted probabilities within 3e-7 of 0 or 1), and only on
			// small problems; larger ones rely on R's rule below (fitted
			// probabilities numerically 0 or 1).
			sep, which, lpErr := detectSeparation(D, yg)
			if lpErr != nil {
				return nil, lpErr
			}
			if sep {
				return nil, fmt.Errorf("%w (%d observations strictly separated at the separating direction found)", ErrSeparation, which)
			}
		}
		if err != nil {
			return nil, err
		}
	}
	res.Coef = beta
	// Linear predictor and fitted values for every row of X (zero-weight
	// rows included, as R's predict would give them).
	res.LinearPredictor = make([]float64, n)
	res.Fitted = make([]float64, n)
	for i := 0; i < n; i++ {
		eta := 0.0
		c := 0
		if opt.Intercept {
			eta = beta[0]
			c = 1
		}
		for j := 0; j < p; j++ {
			eta += X.At(i, j) * beta[c+j]
		}
		res.LinearPredictor[i] = eta
		res.Fitted[i] = linkinv(eta)
	}
	// Separation after the fact: R's "fitted probabilities numerically 0
	// or 1 occurred".
	if !opt.Firth {
		eps := 10 * dblEps
		cnt := 0
		for _, i := range good {
			if mu := res.Fitted[i]; mu > 1-eps || mu < eps {
				cnt++
			}
		}
		if cnt > 0 {
			return nil, fmt.Errorf("%w (fitted probabilities numerically 0 or 1 for %d observations)", ErrSeparation, cnt)
		}
	}
	// Deviance, null deviance, AIC, logLik.
	dev := 0.0
	for r, i := range good {
		dev += devResid(yg[r], res.Fitted[i], wg[r])
	}
	res.Deviance = dev
	sw, swy := 0.0, 0.0
	for r := range yg {
		sw += wg[r]
		swy += wg[r] * yg[r]
	}
	var wtdmu float64
	if opt.Intercept {
		wtdmu = swy / sw
	} else {
		wtdmu = linkinv(0)
	}
	nd := 0.0
	for r := range yg {
		nd += devResid(yg[r], wtdmu, wg[r])
	}
	res.NullDeviance = nd
	res.DFResidual = ng - k
	res.DFNull = ng
	if opt.Intercept {
		res.DFNull = ng - 1
	}
	// R: binomial()$aic = -2 sum(w/m * dbinom(round(m y), round(m), mu, log))
	// with m = weights for 0/1 data.
	ll := 0.0
	for r, i := range good {
		m := math.Round(wg[r])
		kk := math.Round(wg[r] * yg[r])
		ll += logDbinom(kk, m, res.Fitted[i])
	}
	res.AIC = -2*ll + 2*float64(k)
	res.LogLik = float64(k) - res.AIC/2
	res.LRChisq = res.NullDeviance - res.Deviance
	res.LRDF = res.DFNull - res.DFResidual
	if res.LRDF > 0 {
		res.LRP = distuv.ChiSquared{K: float64(res.LRDF)}.Survival(res.LRChisq)
	} else {
		res.LRP = math.NaN()
	}
	if opt.Firth {
		if err := firthLR(D, yg, wg, opt.Intercept, res); err != nil {
			return nil, err
		}
	}
	// Information at the estimate.
	vcovE, err := infoInverse(D, wg, beta)
	if err != nil {
		return nil, err
	}
	res.VcovAtEstimate = vcovE
	if vcovR == nil {
		vcovR = vcovE
	}
	res.Vcov = vcovR
	z975 := distuv.UnitNormal.Quantile(0.975)
	res.SE = make([]float64, k)
	res.Z = make([]float64, k)
	res.P = make([]float64, k)
	res.OR = make([]float64, k)
	res.CILower = make([]float64, k)
	res.CIUpper = make([]float64, k)
	res.ORLower = make([]float64, k)
	res.ORUpper = make([]float64, k)
	res.SEAtEstimate = make([]float64, k)
	res.ZAtEstimate = make([]float64, k)
	res.PAtEstimate = make([]float64, k)
	for j := 0; j < k; j++ {
		se := math.Sqrt(vcovR.At(j, j))
		res.SE[j] = se
		res.Z[j] = beta[j] / se
		res.P[j] = 2 * distuv.UnitNormal.Survival(math.Abs(res.Z[j]))
		res.OR[j] = math.Exp(beta[j])
		res.CILower[j] = beta[j] - z975*se
		res.CIUpper[j] = beta[j] + z975*se
		res.ORLower[j] = math.Exp(res.CILower[j])
		res.ORUpper[j] = math.Exp(res.CIUpper[j])
		seE := math.Sqrt(vcovE.At(j, j))
		res.SEAtEstimate[j] = seE
		res.ZAtEstimate[j] = beta[j] / seE
		res.PAtEstimate[j] = 2 * distuv.UnitNormal.Survival(math.Abs(res.ZAtEstimate[j]))
	}
	return res, nil
}

// logDbinom is log(dbinom(k, m, p)) for integer k <= m.
func logDbinom(k, m, p float64) float64 {
	if m == 0 {
		return 0
	}
	lc := 0.0
	if k != 0 && k != m {
		a, _ := math.Lgamma(m + 1)
		b, _ := math.Lgamma(k + 1)
		c, _ := math.Lgamma(m - k + 1)
		lc = a - b - c
	}
	s := lc
	if k > 0 {
		s += k * math.Log(p)
	}
	if m-k > 0 {
		s += (m - k) * math.Log1p(-p)
	}
	return s
}

// checkRank returns an error naming the first term that is (numerically) a
// linear combination of the previous ones, as R's pivoting QR (tolerance
// 1e-7 relative to the column norm) would drop it; constant predictors with
// an intercept are reported as constant.
func checkRank(D *mat.Dense, terms []string, intercept bool) error {
	n, k := D.Dims()
	start := 0
	if intercept {
		start = 1
	}
	for j := start; j < k; j++ {
		c := D.At(0, j)
		constant := true
		for i := 1; i < n; i++ {
			if D.At(i, j) != c {
				constant = false
				break
			}
		}
		if constant && (intercept || c == 0) {
			return fmt.Errorf("glm: predictor %q is constant", terms[j])
		}
	}
	// Gram-Schmidt with re-orthogonalisation on scaled columns.
	Q := make([][]float64, 0, k)
	for j := 0; j < k; j++ {
		v := make([]float64, n)
		norm0 := 0.0
		for i := 0; i < n; i++ {
			v[i] = D.At(i, j)
			norm0 += v[i] * v[i]
		}
		norm0 = math.Sqrt(norm0)
		for pass := 0; pass < 2; pass++ {
			for _, q := range Q {
				d := 0.0
				for i := range v {
					d += v[i] * q[i]
				}
				for i := range v {
					v[i] -= d * q[i]
				}
			}
		}
		nr := 0.0
		for i := range v {
			nr += v[i] * v[i]
		}
		nr = math.Sqrt(nr)
		if nr <= 1e-7*norm0 || norm0 == 0 {
			return fmt.Errorf("glm: design matrix is rank deficient: %q is collinear with earlier terms", terms[j])
		}
		for i := range v {
			v[i] /= nr
		}
		Q = append(Q, v)
	}
	return nil
}

// irls runs glm.fit's IRLS loop. It returns the coefficients and R's
// covariance (from the QR of the last iteration's weighted design).
func irls(D *mat.Dense, y, wt []float64, opt Options, res *Result) ([]float64, *mat.SymDense, error) {
	n, k := D.Dims()
	eta := make([]float64, n)
	mu := make([]float64, n)
	for i := 0; i < n; i++ {
		ms := (wt[i]*y[i] + 0.5) / (wt[i] + 1)
		eta[i] = math.Log(ms / (1 - ms))
		mu[i] = linkinv(eta[i])
	}
	devold := 0.0
	for i := 0; i < n; i++ {
		devold += devResid(y[i], mu[i], wt[i])
	}
	WX := mat.NewDense(n, k, nil)
	wz := mat.NewVecDense(n, nil)
	coef := mat.NewVecDense(k, nil)
	start := make([]float64, k)
	prev := make([]float64, k)
	var qr mat.QR
	conv := false
	iter := 0
	var lastR mat.Dense
	for iter = 1; iter <= opt.MaxIter; iter++ {
		for i := 0; i < n; i++ {
			me := muEta(eta[i])
			z := eta[i] + (y[i]-mu[i])/me
			vw := math.Sqrt(wt[i] * me * me / (mu[i] * (1 - mu[i])))
			for j := 0; j < k; j++ {
				WX.Set(i, j, D.At(i, j)*vw)
			}
			wz.SetVec(i, z*vw)
		}
		qr.Factorize(WX)
		if err := qr.SolveVecTo(coef, false, wz); err != nil {
			return nil, nil, fmt.Errorf("glm: weighted least squares failed at iteration %d: %v", iter, err)
		}
		for j := 0; j < k; j++ {
			start[j] = coef.AtVec(j)
			if math.IsNaN(start[j]) || math.IsInf(start[j], 0) {
				return nil, nil, fmt.Errorf("glm: non-finite coefficient at iteration %d", iter)
			}
		}
		qr.RTo(&lastR)
		dev := 0.0
		for i := 0; i < n; i++ {
			e := 0.0
			for j := 0; j < k; j++ {
				e += D.At(i, j) * start[j]
			}
			eta[i] = e
			mu[i] = linkinv(e)
			dev += devResid(y[i], mu[i], wt[i])
		}
		if math.IsNaN(dev) || math.IsInf(dev, 0) {
			return nil, nil, fmt.Errorf("glm: non-finite deviance at iteration %d", iter)
		}
		if math.Abs(dev-devold)/(math.Abs(dev)+0.1) < opt.Epsilon {
			conv = true
			break
		}
		if opt.Exact && iter > 1 {
			still := true
			for j := range start {
				if math.Abs(start[j]-prev[j]) > 1e-13*math.Max(1, math.Abs(start[j])) {
					still = false
					break
				}
			}
			if still {
				conv = true
				break
			}
		}
		copy(prev, start)
		devold = dev
	}
	if iter > opt.MaxIter {
		iter = opt.MaxIter
	}
	res.Iter = iter
	res.Converged = conv
	if !conv {
		res.Warnings = append(res.Warnings, "glm.fit: algorithm did not converge")
	}
	// chol2inv(R): (R'R)^-1 = R^-1 (R^-1)'.
	R := mat.NewTriDense(k, mat.Upper, nil)
	for i := 0; i < k; i++ {
		for j := i; j < k; j++ {
			R.SetTri(i, j, lastR.At(i, j))
		}
	}
	var Rinv mat.TriDense
	if err := Rinv.InverseTri(R); err != nil {
		return nil, nil, fmt.Errorf("glm: singular information matrix: %v", err)
	}
	var m mat.Dense
	m.Mul(&Rinv, Rinv.T())
	v := mat.NewSymDense(k, nil)
	for i := 0; i < k; i++ {
		for j := i; j < k; j++ {
			v.SetSym(i, j, 0.5*(m.At(i, j)+m.At(j, i)))
		}
	}
	return start, v, nil
}

// infoInverse returns (X' W X)^-1 with W = w p(1 - p) at coefficients b.
func infoInverse(D *mat.Dense, wt, b []float64) (*mat.SymDense, error) {
	n, k := D.Dims()
	info := mat.NewSymDense(k, nil)
	row := make([]float64, k)
	for i := 0; i < n; i++ {
		e := 0.0
		for j := 0; j < k; j++ {
			row[j] = D.At(i, j)
			e += row[j] * b[j]
		}
		pp := linkinv(e)
		wi := wt[i] * pp * (1 - pp)
		for a := 0; a < k; a++ {
			for c := a; c < k; c++ {
				info.SetSym(a, c, info.At(a, c)+wi*row[a]*row[c])
			}
		}
	}
	var ch mat.Cholesky
	if ok := ch.Factorize(info); !ok {
		return nil, errors.New("glm: information matrix is not positive definite")
	}
	inv := mat.NewSymDense(k, nil)
	if err := ch.InverseTo(inv); err != nil {
		return nil, fmt.Errorf("glm: inverting the information matrix: %v", err)
	}
	return inv, nil
}

// PredictLink returns the linear predictor intercept + X b for new rows
// (X without an intercept column, columns as in the fit), as
// predict.glm(type = "link").
func (r *Result) PredictLink(X *mat.Dense) ([]float64, error) {
	n, p := X.Dims()
	off := 0
	if r.intercept {
		off = 1
	}
	if p+off != len(r.Coef) {
		return nil, fmt.Errorf("glm: predict with %d columns, model has %d predictors", p, len(r.Coef)-off)
	}
	out := make([]float64, n)
	for i := 0; i < n; i++ {
		e := 0.0
		if r.intercept {
			e = r.Coef[0]
		}
		for j := 0; j < p; j++ {
			e += X.At(i, j) * r.Coef[off+j]
		}
		out[i] = e
	}
	return out, nil
}

// Predict returns predicted probabilities plogis(intercept + X b) for new
// rows, as predict.glm(type = "response").
func (r *Result) Predict(X *mat.Dense) ([]float64, error) {
	eta, err := r.PredictLink(X)
	if err != nil {
		return nil, err
	}
	for i, e := range eta {
		eta[i] = linkinv(e)
	}
	return eta, nil
}

// maxSeparationLP bounds the size (rows x variables) of the separation
// linear program that Fit solves exactly.
const maxSeparationLP = 6000

// suspectSeparation reports whether an IRLS result shows the signs of
// (quasi-)complete separation: no convergence, missing coefficients, or a
// linear predictor beyond ±15.
func suspectSeparation(D *mat.Dense, beta []float64, converged bool) bool {
	if !converged || beta == nil {
		return true
	}
	n, k := D.Dims()
	for i := 0; i < n; i++ {
		eta := 0.0
		for j := 0; j < k; j++ {
			eta += D.At(i, j) * beta[j]
		}
		if math.IsNaN(eta) || math.Abs(eta) > 15 {
			return true
		}
	}
	return false
}
