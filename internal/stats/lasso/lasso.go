// Package lasso fits L1-penalised (LASSO) logistic regression paths the way
// R's glmnet(family = "binomial", alpha = 1, standardize = TRUE) does
// (glmnet 4.1-6, C++ glmnetpp two-class "Newton" solver), and
// cross-validates them as cv.glmnet does.
//
// The objective at lambda, on the standardized scale (columns centred and
// scaled by their 1/n standard deviation), is
//
//	-(1/n) sum_i [y_i eta_i - log(1 + exp(eta_i))] + lambda sum_j |beta_j|.
//
// Coefficients are reported on the original scale (beta_j / sd_j, and the
// intercept shifted by the means), as coef.glmnet.
package lasso

import (
	"errors"
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"
)

// glmnet.control() factory defaults.
const (
	fdev   = 1e-5  // minimum fractional change in deviance for stopping path
	devmax = 0.999 // maximum fraction of explained deviance
	epsLam = 1e-6  // minimum lambda.min.ratio
	big    = 9.9e35
	mnlam  = 5
	pmin   = 1e-9
)

// PathOptions controls Path. Use DefaultPathOptions and change fields.
type PathOptions struct {
	// NLambda is glmnet's nlambda (100).
	NLambda int
	// LambdaMinRatio is lambda.min.ratio; 0 means glmnet's default,
	// 1e-2 when n < p and 1e-4 otherwise.
	LambdaMinRatio float64
	// Lambda is an optional user-supplied decreasing lambda sequence
	// (glmnet's lambda argument); the path then has no early stop and no
	// fix.lam.
	Lambda []float64
	// Thresh is glmnet's thresh (1e-7); coordinate descent stops when the
	// largest weighted squared change xv_j * dbeta_j^2 falls below
	// Thresh times the null deviance (half mean deviance scale).
	Thresh float64
	// MaxIt is glmnet's maxit (1e5), the maximum total number of passes.
	MaxIt int
	// Tight additionally computes, at every lambda of the default path
	// (whose lambda sequence and early stop are those of glmnet with the
	// default Thresh), the exact minimiser: coordinate descent from the
	// default solution with thresh 1e-13, then Newton's method on the
	// active set with the signs fixed (KKT verified). The returned A0,
	// Beta, Df and DevRatio are then the exact solutions.
	Tight bool
}

// DefaultPathOptions returns glmnet's defaults: nlambda 100,
// lambda.min.ratio by glmnet's rule, thresh 1e-7, maxit 1e5.
func DefaultPathOptions() PathOptions {
	return PathOptions{NLambda: 100, Thresh: 1e-7, MaxIt: 100000}
}

// PathResult is a fitted LASSO path (glmnet's lognet object).
type PathResult struct {
	Lambda   []float64   // decreasing
	A0       []float64   // intercept per lambda, original scale
	Beta     [][]float64 // Beta[k][j]: feature j at Lambda[k], original scale
	Df       []int       // number of nonzero coefficients
	DevRatio []float64   // fraction of null deviance explained
	NullDev  float64     // null deviance (2 * n * half mean deviance)
	NPasses  int         // total coordinate-descent passes (glmnet npasses)
	XMean    []float64   // column means
	XSD      []float64   // column 1/n standard deviations
	N        int
}

// solver holds the state of glmnet's two-class point solver on the
// standardized data.
type solver struct {
	n, p   int
	x      []float64 // standardized, column-major: x[j*n+i]
	y, w   []float64 // outcome, normalized weights (sum 1)
	ju     []bool    // variable is not constant
	b0     float64
	b      []float64 // standardized coefficients
	bs0    float64
	bs     []float64
	xv     []float64
	ia     []int  // active set in order of entry
	mm     []bool // is active
	ixx    []bool // strong set
	ga     []float64
	r, v   []float64
	q      []float64
	eta    []float64
	xmz    float64
	dev1   float64 // deviance term of the null model (glmnet dev)
	dev0   float64 // null deviance, half-mean scale
	thr    float64
	nlp    int
	maxit  int
	fmax   float64
	vmin   float64
	broken bool // total variance too small
}

var errMaxIt = errors.New("lasso: maximum number of passes (maxit) reached")

func (s *solver) clone() *solver {
	c := *s
	c.b = append([]float64(nil), s.b...)
	c.bs = append([]float64(nil), s.bs...)
	c.xv = append([]float64(nil), s.xv...)
	c.ia = append(make([]int, 0, s.p), s.ia...)
	c.mm = append([]bool(nil), s.mm...)
	c.ixx = append([]bool(nil), s.ixx...)
	c.ga = append([]float64(nil), s.ga...)
	c.r = append([]float64(nil), s.r...)
	c.v = append([]float64(nil), s.v...)
	c.q = append([]float64(nil), s.q...)
	c.eta = append([]float64(nil), s.eta...)
	return &c
}

func dot(a, b []float64) float64 {
	b = b[:len(a)]
	s0, s1, s2, s3 := 0.0, 0.0, 0.0, 0.0
	i := 0
	for ; i+4 <= len(a); i += 4 {
		s0 += a[i] * b[i]
		s1 += a[i+1] * b[i+1]
		s2 += a[i+2] * b[i+2]
		s3 += a[i+3] * b[i+3]
	}
	for ; i < len(a); i++ {
		s0 += a[i] * b[i]
	}
	return (s0 + s2) + (s1 + s3)
}

func (s *solver) col(j int) []float64 { return s.x[j*s.n : (j+1)*s.n] }

// newSolver standardizes X (glmnet's LStandardize1 with weights 1/n) and
// initialises the intercept-only state (glmnet's construct).
func newSolver(X *mat.Dense, y []float64, thresh float64, maxit int) (*solver, []float64, []float64, error) {
	n, p := X.Dims()
	s := &solver{n: n, p: p, maxit: maxit}
	s.x = make([]float64, n*p)
	s.y = append([]float64(nil), y...)
	s.w = make([]float64, n)
	for i := range s.w {
		s.w[i] = 1 / float64(n)
	}
	s.ju = make([]bool, p)
	xm := make([]float64, p)
	xs := make([]float64, p)
	for i := 0; i < n; i++ {
		row := X.RawRowView(i)
		for j, v := range row {
			s.x[j*n+i] = v
		}
	}
	for j := 0; j < p; j++ {
		c := s.col(j)
		for i := 1; i < n; i++ {
			if c[i] != c[0] {
				s.ju[j] = true
				break
			}
		}
		if !s.ju[j] {
			continue
		}
		m := dot(s.w, c)
		xm[j] = m
		for i := range c {
			c[i] -= m
		}
		ss := 0.0
		for i := range c {
			ss += s.w[i] * c[i] * c[i]
		}
		sd := math.Sqrt(ss)
		xs[j] = sd
		for i := range c {
			c[i] /= sd
		}
	}
	s.b = make([]float64, p)
	s.bs = make([]float64, p)
	s.xv = make([]float64, p)
	s.ia = make([]int, 0, p)
	s.mm = make([]bool, p)
	s.ixx = make([]bool, p)
	s.ga = make([]float64, p)
	s.r = make([]float64, n)
	s.v = make([]float64, n)
	s.q = make([]float64, n)
	s.eta = make([]float64, n)
	s.fmax = math.Log(1/pmin - 1)
	s.vmin = (1 + pmin) * pmin * (1 - pmin)
	q0 := dot(s.w, s.y)
	if q0 <= pmin || q0 >= 1-pmin {
		return nil, nil, nil, errors.New("lasso: the outcome has a single class")
	}
	bz := math.Log(q0 / (1 - q0))
	s.b0 = bz
	vi := q0 * (1 - q0)
	for i := 0; i < n; i++ {
		s.v[i] = vi * s.w[i]
		s.r[i] = s.w[i] * (s.y[i] - q0)
		s.q[i] = q0
	}
	s.xmz = vi
	s.dev1 = -(bz*q0 + math.Log(1-q0))
	s.dev0 = s.dev1
	for i := 0; i < n; i++ {
		if s.y[i] > 0 {
			s.dev0 += s.w[i] * s.y[i] * math.Log(s.y[i])
		}
		if s.y[i] < 1 {
			s.dev0 += s.w[i] * (1 - s.y[i]) * math.Log(1-s.y[i])
		}
	}
	s.thr = thresh * s.dev0
	for j := 0; j < p; j++ {
		if s.ju[j] {
			s.ga[j] = math.Abs(dot(s.r, s.col(j)))
		}
	}
	return s, xm, xs, nil
}

// updateCoord is one coordinate update of feature k at penalty ab; it
// returns the weighted squared change.
func (s *solver) updateCoord(k int, ab float64, full bool) (float64, error) {
	old := s.b[k]
	xk := s.col(k)
	gk := dot(s.r, xk)
	u := gk + old*s.xv[k]
	vv := math.Abs(u) - ab
	nb := 0.0
	if vv > 0 {
		nb = math.Copysign(vv, u) / s.xv[k]
	}
	s.b[k] = nb
	if nb == old {
		return 0, nil
	}
	if full && !s.mm[k] {
		s.mm[k] = true
		s.ia = append(s.ia, k)
	}
	d := nb - old
	r, v := s.r, s.v[:len(s.r)]
	xk = xk[:len(r)]
	for i := range r {
		r[i] -= d * (v[i] * xk[i])
	}
	return s.xv[k] * d * d, nil
}

// pass runs one coordinate-descent pass (all strong-set variables when
// full, else the active set) followed by the intercept update; it reports
// convergence (largest weighted squared change below thr).
func (s *solver) pass(ab float64, full bool) (bool, error) {
	s.nlp++
	dlx := 0.0
	if full {
		for k := 0; k < s.p; k++ {
			if !s.ixx[k] {
				continue
			}
			d, err := s.updateCoord(k, ab, true)
			if err != nil {
				return false, err
			}
			if d > dlx {
				dlx = d
			}
		}
	} else {
		for _, k := range s.ia {
			d, _ := s.updateCoord(k, ab, false)
			if d > dlx {
				dlx = d
			}
		}
	}
	// intercept
	d := sum(s.r) / s.xmz
	if d != 0 {
		s.b0 += d
		if t := s.xmz * d * d; t > dlx {
			dlx = t
		}
		for i := range s.r {
			s.r[i] -= d * s.v[i]
		}
	}
	if dlx < s.thr {
		return true, nil
	}
	if s.nlp > s.maxit {
		return false, errMaxIt
	}
	return false, nil
}

func sum(a []float64) float64 {
	t := 0.0
	for _, v := range a {
		t += v
	}
	return t
}

// fitPoint is glmnet's IRLS point solver at lambda alm (previous lambda
// alm0, for the sequential strong rule 2 alm - alm0).
func (s *solver) fitPoint(alm, alm0 float64) error {
	ab := alm
	tlam := 2*alm - alm0
	for k := 0; k < s.p; k++ {
		if s.ixx[k] || !s.ju[k] {
			continue
		}
		if s.ga[k] > tlam {
			s.ixx[k] = true
		}
	}
	for {
		if s.nlp > s.maxit {
			return errMaxIt
		}
		// setup_wls
		s.bs0 = s.b0
		for _, k := range s.ia {
			s.bs[k] = s.b[k]
		}
		for j := 0; j < s.p; j++ {
			if s.ixx[j] {
				xj := s.col(j)
				t := 0.0
				for i, vi := range s.v {
					t += vi * (xj[i] * xj[i])
				}
				s.xv[j] = t
			}
		}
		// wls
		for {
			conv, err := s.pass(ab, true)
			if err != nil {
				return err
			}
			if conv {
				break
			}
			for {
				conv, err := s.pass(ab, false)
				if err != nil {
					return err
				}
				if conv {
					break
				}
			}
		}
		// update_irls: new quadratic approximation
		for i := range s.eta {
			s.eta[i] = s.b0
		}
		for _, k := range s.ia {
			bk := s.b[k]
			xk := s.col(k)[:len(s.eta)]
			for i := range s.eta {
				s.eta[i] += bk * xk[i]
			}
		}
		xmz := 0.0
		for i, fi := range s.eta {
			var qi float64
			switch {
			case fi < -s.fmax:
				qi = 0
			case fi > s.fmax:
				qi = 1
			default:
				qi = 1 / (1 + math.Exp(-fi))
			}
			s.q[i] = qi
			s.v[i] = s.w[i] * qi * (1 - qi)
			xmz += s.v[i]
		}
		s.xmz = xmz
		if xmz <= s.vmin {
			s.broken = true
			return nil
		}
		for i := range s.r {
			s.r[i] = s.w[i] * (s.y[i] - s.q[i])
		}
		d0 := s.b0 - s.bs0
		changed := xmz*d0*d0 > s.thr
		if !changed {
			for _, k := range s.ia {
				d := s.b[k] - s.bs[k]
				if s.xv[k]*d*d > s.thr {
					changed = true
					break
				}
			}
		}
		if changed {
			continue
		}
		// KKT check on the variables outside the strong set.
		viol := false
		for k := 0; k < s.p; k++ {
			if s.ixx[k] || !s.ju[k] {
				continue
			}
			s.ga[k] = math.Abs(dot(s.r, s.col(k)))
			if s.ga[k] > ab {
				s.ixx[k] = true
				viol = true
			}
		}
		if !viol {
			return nil
		}
	}
}

// devi is glmnet's dev2: the mean binomial -loglik at the current q with
// probabilities clamped to [pmin, 1 - pmin].
func (s *solver) devi() float64 {
	t := 0.0
	for i, qi := range s.q {
		pi := math.Min(math.Max(pmin, qi), 1-pmin)
		t -= s.w[i] * (s.y[i]*math.Log(pi) + (1-s.y[i])*math.Log(1-pi))
	}
	return t
}

// checkInputs validates the design and outcome.
func checkInputs(X *mat.Dense, y []float64) error {
	if X == nil {
		return errors.New("lasso: nil design matrix")
	}
	n, p := X.Dims()
	if len(y) != n {
		return fmt.Errorf("lasso: len(y) = %d, X has %d rows", len(y), n)
	}
	if p == 0 {
		return errors.New("lasso: no features")
	}
	if n < 2 {
		return errors.New("lasso: fewer than 2 observations")
	}
	n1 := 0
	for i, v := range y {
		if v != 0 && v != 1 {
			return fmt.Errorf("lasso: y[%d] = %v is not 0/1", i, v)
		}
		if v == 1 {
			n1++
		}
	}
	if n1 <= 1 || n-n1 <= 1 {
		return errors.New("lasso: one binomial class has 1 or 0 observations (glmnet refuses this)")
	}
	for i := 0; i < n; i++ {
		for j, v := range X.RawRowView(i) {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return fmt.Errorf("lasso: X[%d,%d] = %v is not finite", i, j, v)
			}
		}
	}
	return nil
}

// Path fits the LASSO logistic path, matching
// glmnet(x, y, family = "binomial", alpha = 1, standardize = TRUE) of
// glmnet 4.1-6 with type.logistic = "Newton":
//   - columns are centred and scaled by their 1/n standard deviation;
//     constant columns are excluded;
//   - lambda_max = max_j |sum_i z_ij (y_i - ybar)| / n; the sequence is
//     lambda_max * r^(k-1), r = ratio^(1/(nlambda-1)), with the first value
//     replaced as fix.lam does;
//   - at each lambda (warm start from the previous one) the sequential
//     strong rule selects candidates, IRLS builds quadratic
//     approximations, each solved by cyclic coordinate descent (full passes
//     over the strong set alternating with passes over the active set until
//     max_j xv_j dbeta_j^2 < thresh * nulldev/(2n)); KKT violators outside
//     the strong set are added and the IRLS restarted;
//   - the path stops early at the first k >= 5 (1-based) where dev.ratio
//     rises by less than 1e-5 or exceeds 0.999.
func Path(X *mat.Dense, y []float64, opt PathOptions) (*PathResult, error) {
	if err := checkInputs(X, y); err != nil {
		return nil, err
	}
	n, p := X.Dims()
	if opt.NLambda <= 0 {
		opt.NLambda = 100
	}
	if opt.Thresh <= 0 {
		opt.Thresh = 1e-7
	}
	if opt.MaxIt <= 0 {
		opt.MaxIt = 100000
	}
	flmin := opt.LambdaMinRatio
	if flmin == 0 {
		flmin = 1e-4
		if n < p {
			flmin = 1e-2
		}
	}
	if flmin < 0 || flmin >= 1 {
		return nil, fmt.Errorf("lasso: lambda.min.ratio %v must be in (0, 1)", flmin)
	}
	user := len(opt.Lambda) > 0
	nlam := opt.NLambda
	if user {
		nlam = len(opt.Lambda)
		for k, l := range opt.Lambda {
			if !(l >= 0) || math.IsInf(l, 0) || (k > 0 && l > opt.Lambda[k-1]) {
				return nil, errors.New("lasso: user lambda must be finite, >= 0 and decreasing")
			}
		}
	}
	s, xm, xs, err := newSolver(X, y, opt.Thresh, opt.MaxIt)
	if err != nil {
		return nil, err
	}
	anyVar := false
	for _, u := range s.ju {
		anyVar = anyVar || u
	}
	if !anyVar {
		return nil, errors.New("lasso: all features are constant")
	}
	alf := 1.0
	if !user {
		alf = math.Pow(math.Max(epsLam, flmin), 1/float64(nlam-1))
	}
	res := &PathResult{NullDev: 2 * float64(n) * s.dev0, XMean: xm, XSD: xs, N: n}
	var almCur float64
	var prevDev float64
	for m := 0; m < nlam; m++ {
		alm0 := almCur
		alm := alm0
		switch {
		case user:
			alm = opt.Lambda[m]
		case m > 1:
			alm *= alf
		case m == 0:
			alm = big
		default:
			alm0 = 0
			for j := 0; j < p; j++ {
				if s.ju[j] {
					alm0 = math.Max(alm0, s.ga[j])
				}
			}
			alm = alm0 * alf
		}
		almCur = alm
		if err := s.fitPoint(alm, alm0); err != nil {
			if len(res.Lambda) == 0 {
				return nil, err
			}
			return res, fmt.Errorf("lasso: lambda %d: %w; path truncated", m+1, err)
		}
		dr := (s.dev1 - s.devi()) / s.dev0
		src := s
		if opt.Tight {
			t, err := s.tighten(alm)
			if err != nil {
				return nil, err
			}
			src = t
		}
		res.Lambda = append(res.Lambda, alm)
		a0, bo, df := src.unstandardize(xm, xs)
		res.A0 = append(res.A0, a0)
		res.Beta = append(res.Beta, bo)
		res.Df = append(res.Df, df)
		if opt.Tight {
			res.DevRatio = append(res.DevRatio, src.devRatioAt())
		} else {
			res.DevRatio = append(res.DevRatio, dr)
		}
		change := dr - prevDev
		prevDev = dr
		if m+1 < mnlam || user {
			continue
		}
		if change < fdev || dr > devmax {
			break
		}
		if s.broken {
			break
		}
	}
	res.NPasses = s.nlp
	if !user && len(res.Lambda) > 2 {
		// fix.lam
		l := res.Lambda
		l[0] = math.Exp(2*math.Log(l[1]) - math.Log(l[2]))
	}
	return res, nil
}

// unstandardize maps standardized coefficients to the original scale.
func (s *solver) unstandardize(xm, xs []float64) (float64, []float64, int) {
	b := s.b
	out := make([]float64, s.p)
	a0 := s.b0
	df := 0
	for _, k := range s.ia {
		if b[k] == 0 {
			continue
		}
		df++
		out[k] = b[k] / xs[k]
		a0 -= out[k] * xm[k]
	}
	return a0, out, df
}

// devRatioAt is 1 - dev/nulldev at the solver's current coefficients.
func (s *solver) devRatioAt() float64 {
	t := 0.0
	for i := 0; i < s.n; i++ {
		e := s.b0
		for _, k := range s.ia {
			e += s.b[k] * s.x[k*s.n+i]
		}
		pi := 1 / (1 + math.Exp(-e))
		pi = math.Min(math.Max(pmin, pi), 1-pmin)
		t -= s.w[i] * (s.y[i]*math.Log(pi) + (1-s.y[i])*math.Log(1-pi))
	}
	return (s.dev1 - t) / s.dev0
}

// Coef returns the intercept and original-scale coefficients at lambda s,
// linearly interpolated between the two neighbouring path lambdas and
// clamped to the path's range, exactly as predict.glmnet(s = s,
// type = "coefficients") via glmnet:::lambda.interp.
func (r *PathResult) Coef(s float64) (float64, []float64) {
	left, right, frac := lambdaInterp(r.Lambda, s)
	p := len(r.XMean)
	beta := make([]float64, p)
	for j := 0; j < p; j++ {
		beta[j] = r.Beta[left][j]*frac + r.Beta[right][j]*(1-frac)
	}
	a0 := r.A0[left]*frac + r.A0[right]*(1-frac)
	return a0, beta
}

// PredictLink returns a0 + X beta at lambda s (predict.glmnet,
// type = "link", with s interpolation).
func (r *PathResult) PredictLink(X *mat.Dense, s float64) ([]float64, error) {
	n, p := X.Dims()
	if p != len(r.XMean) {
		return nil, fmt.Errorf("lasso: predict with %d columns, model has %d", p, len(r.XMean))
	}
	a0, beta := r.Coef(s)
	out := make([]float64, n)
	for i := 0; i < n; i++ {
		e := a0
		for j, b := range beta {
			if b != 0 {
				e += X.At(i, j) * b
			}
		}
		out[i] = e
	}
	return out, nil
}

// Objective returns glmnet's objective at path point k on data (X, y):
// -(1/n) sum[y eta - log(1 + exp(eta))] + lambda_k sum_j |beta_j| sd_j.
func (r *PathResult) Objective(X *mat.Dense, y []float64, k int) float64 {
	n, _ := X.Dims()
	ll := 0.0
	for i := 0; i < n; i++ {
		e := r.A0[k]
		for j, b := range r.Beta[k] {
			if b != 0 {
				e += X.At(i, j) * b
			}
		}
		ll += y[i]*e - softplus(e)
	}
	pen := 0.0
	for j, b := range r.Beta[k] {
		pen += math.Abs(b) * r.XSD[j]
	}
	return -ll/float64(n) + r.Lambda[k]*pen
}

func softplus(x float64) float64 {
	if x > 0 {
		return x + math.Log1p(math.Exp(-x))
	}
	return math.Log1p(math.Exp(x))
}

// lambdaInterp is glmnet:::lambda.interp for a single s: the left/right
// indices into the decreasing lambda and the weight of the left one.
func lambdaInterp(lambda []float64, s float64) (int, int, float64) {
	k := len(lambda)
	if k == 1 {
		return 0, 0, 1
	}
	l1, lk := lambda[0], lambda[k-1]
	den := l1 - lk
	sfrac := (l1 - s) / den
	// normalized lambdas, increasing from 0 to 1
	lo := (l1 - lambda[0]) / den
	hi := (l1 - lambda[k-1]) / den
	if sfrac < lo {
		sfrac = lo
	}
	if sfrac > hi {
		sfrac = hi
	}
	nl := func(j int) float64 { return (l1 - lambda[j]) / den }
	// approx(lambda_norm, 1:k, sfrac) as R's approx1 (binary search).
	i, j := 0, k-1
	for i < j-1 {
		ij := (i + j) / 2
		if sfrac < nl(ij) {
			j = ij
		} else {
			i = ij
		}
	}
	var coord float64
	switch {
	case sfrac == nl(j):
		coord = float64(j + 1)
	case sfrac == nl(i):
		coord = float64(i + 1)
	default:
		coord = float64(i+1) + float64(1)*((sfrac-nl(i))/(nl(j)-nl(i)))
	}
	left := int(math.Floor(coord)) - 1
	right := int(math.Ceil(coord)) - 1
	if left == right {
		return left, right, 1
	}
	ll, lr := nl(left), nl(right)
	frac := (sfrac - lr) / (ll - lr)
	if math.Abs(ll-lr) < 2.220446049250313e-16 {
		frac = 1
	}
	return left, right, frac
}
