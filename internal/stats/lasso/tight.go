package lasso

import (
	"math"

	"gonum.org/v1/gonum/mat"
)

// tightThresh is the relative coordinate-descent threshold of the tight
// refinement (glmnet's thresh, multiplied by the null deviance).
const tightThresh = 1e-13

// tighten returns a copy of the solver state refined to the exact
// minimiser at lambda: coordinate descent from the current (default
// tolerance) solution with thresh 1e-13, then Newton's method on the
// intercept and the nonzero coefficients with their signs fixed, i.e. on
// the smooth objective -(1/n) loglik + lambda sum_j s_j beta_j. The Newton
// result is kept only if no sign changes and the KKT conditions of the
// zero coefficients hold (|x_j'(y - p)|/n <= lambda); otherwise the
// coordinate-descent answer is returned.
func (s *solver) tighten(lambda float64) (*solver, error) {
	t := s.clone()
	t.thr = tightThresh * t.dev0
	t.maxit = math.MaxInt / 2
	t.broken = false
	if err := t.fitPoint(lambda, lambda); err != nil {
		return nil, err
	}
	t.newtonPolish(lambda)
	return t, nil
}

// newtonPolish runs the sign-fixed Newton iteration described at tighten.
func (t *solver) newtonPolish(lambda float64) {
	var act []int
	for _, k := range t.ia {
		if t.b[k] != 0 {
			act = append(act, k)
		}
	}
	m := len(act) + 1
	if m > t.n {
		return
	}
	sign := make([]float64, len(act))
	for a, k := range act {
		sign[a] = math.Copysign(1, t.b[k])
	}
	coef := make([]float64, m)
	coef[0] = t.b0
	for a, k := range act {
		coef[a+1] = t.b[k]
	}
	eta := make([]float64, t.n)
	pr := make([]float64, t.n)
	grad := make([]float64, m)
	H := mat.NewSymDense(m, nil)
	step := mat.NewVecDense(m, nil)
	g := mat.NewVecDense(m, nil)
	var ch mat.Cholesky
	nf := float64(t.n)
	compute := func(c []float64) {
		for i := range eta {
			eta[i] = c[0]
		}
		for a, k := range act {
			xk := t.col(k)
			for i := range eta {
				eta[i] += c[a+1] * xk[i]
			}
		}
		for i, e := range eta {
			pr[i] = 1 / (1 + math.Exp(-e))
		}
	}
	ok := false
	prevStep := math.Inf(1)
	for it := 0; it < 50; it++ {
		compute(coef)
		// gradient of -(1/n) loglik + lambda s'beta
		g0 := 0.0
		for i := range pr {
			g0 -= (t.y[i] - pr[i]) / nf
		}
		grad[0] = g0
		for a, k := range act {
			xk := t.col(k)
			gg := 0.0
			for i := range pr {
				gg -= xk[i] * (t.y[i] - pr[i])
			}
			grad[a+1] = gg/nf + lambda*sign[a]
		}
		// Hessian (1/n) X' W X with the intercept column
		for a := 0; a < m; a++ {
			for c := a; c < m; c++ {
				h := 0.0
				for i := range pr {
					wi := pr[i] * (1 - pr[i])
					xa, xc := 1.0, 1.0
					if a > 0 {
						xa = t.x[act[a-1]*t.n+i]
					}
					if c > 0 {
						xc = t.x[act[c-1]*t.n+i]
					}
					h += wi * xa * xc
				}
				H.SetSym(a, c, h/nf)
			}
		}
		if !ch.Factorize(H) {
			return
		}
		for a := range grad {
			g.SetVec(a, grad[a])
		}
		if err := ch.SolveVecTo(step, g); err != nil {
			return
		}
		mx, cmax := 0.0, 1.0
		for a := 0; a < m; a++ {
			coef[a] -= step.AtVec(a)
			mx = math.Max(mx, math.Abs(step.AtVec(a)))
			cmax = math.Max(cmax, math.Abs(coef[a]))
		}
		// Stop at rounding level, or when a small step no longer shrinks
		// (quadratic convergence has hit the floating-point floor).
		if mx <= 1e-14*cmax || (mx < 1e-9*cmax && mx >= prevStep) {
			ok = true
			break
		}
		prevStep = mx
	}
	if !ok {
		return
	}
	for a := range act {
		if math.Copysign(1, coef[a+1]) != sign[a] || coef[a+1] == 0 {
			return
		}
	}
	compute(coef)
	for k := 0; k < t.p; k++ {
		if !t.ju[k] || t.b[k] != 0 {
			continue
		}
		xk := t.col(k)
		gk := 0.0
		for i := range pr {
			gk += xk[i] * (t.y[i] - pr[i])
		}
		if math.Abs(gk)/nf > lambda*(1+1e-9) {
			return
		}
	}
	t.b0 = coef[0]
	for a, k := range act {
		t.b[k] = coef[a+1]
	}
}
