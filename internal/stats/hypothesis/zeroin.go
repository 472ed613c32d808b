package hypothesis

import "math"

// RUnirootTol is R's default uniroot() tolerance, .Machine$double.eps^0.25.
var RUnirootTol = math.Pow(0x1p-52, 0.25)

// zeroin finds a root of f in [a, b] (fa = f(a), fb = f(b) of opposite
// signs) with Brent's method as R's uniroot (R_zeroin2): each iteration
// keeps b the best estimate and c the bracketing point, tries inverse
// quadratic (or secant) interpolation when it stays inside the bracket and
// shrinks fast enough, otherwise bisects, and stops when |c-b|/2 <=
// 2·eps·|b| + tol/2 or f(b) = 0; at most maxit iterations.
func zeroin(f func(float64) float64, a, b, fa, fb, tol float64, maxit int) float64 {
	if fa == 0 {
		return a
	}
	if fb == 0 {
		return b
	}
	c, fc := a, fa
	for it := 0; it <= maxit; it++ {
		prev := b - a
		if math.Abs(fc) < math.Abs(fb) {
			a, b, c = b, c, b
			fa, fb, fc = fb, fc, fb
		}
		tolAct := float64(2*eps*math.Abs(b)) + tol/2
		step := (c - b) / 2
		if math.Abs(step) <= tolAct || fb == 0 {
			return b
		}
		if math.Abs(prev) >= tolAct && math.Abs(fa) > math.Abs(fb) {
			var p, q float64
			cb := c - b
			if a == c {
				t1 := fb / fa
				p = cb * t1
				q = 1 - t1
			} else {
				qq := fa / fc
				t1 := fb / fc
				t2 := fb / fa
				p = t2 * (float64(float64(cb*qq)*(qq-t1)) - float64((b-a)*(t1-1)))
				q = (qq - 1) * (t1 - 1) * (t2 - 1)
			}
			if p > 0 {
				q = -q
			} else {
				p = -p
			}
			if p < float64(0.75*cb*q)-math.Abs(tolAct*q)/2 && p < math.Abs(prev*q/2) {
				step = p / q
			}
		}
		if math.Abs(step) < tolAct {
			if step > 0 {
				step = tolAct
			} else {
				step = -tolAct
			}
		}
		a, fa = b, fb
		b += step
		fb = f(b)
		if (fb > 0 && fc > 0) || (fb < 0 && fc < 0) {
			c, fc = a, fa
		}
	}
	return b
}
