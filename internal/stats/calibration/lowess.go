package calibration

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"sort"
)

// Lowess is R's lowess(x, y, f, iter, delta): Cleveland's locally weighted
// linear smoother as implemented by clowess in R's stats/src/lowess.c,
// reproduced operation for operation (tricube weights on the
// ns = max(2, min(n, floor(f*n + 1e-7))) nearest points, ties on the right
// included; points within delta of the last fitted x are linearly
// interpolated; iter robustness iterations with bisquare weights on 6 MAD).
// The points are ordered by x with a stable sort (R's order()), and the
// result is (sorted x, fitted y). rms::val.prob and rms::calibrate use
// f = 2/3, iter = 0, delta = 0.01*diff(range(x)).
func Lowess(x, y []float64, f float64, iter int, delta float64) (xs, ys []float64, err error) {
	n := len(x)
	if n == 0 || len(y) != n {
		return nil, nil, fmt.Errorf("calibration: lowess needs equally long non-empty x and y (got %d, %d)", len(x), len(y))
	}
	if !(f > 0) || math.IsInf(f, 0) || iter < 0 || !(delta >= 0) || math.IsInf(delta, 0) {
		return nil, nil, fmt.Errorf("calibration: lowess needs f > 0, iter >= 0, delta >= 0 (got %v, %d, %v)", f, iter, delta)
	}
	for i := range x {
		if math.IsNaN(x[i]) || math.IsNaN(y[i]) || math.IsInf(x[i], 0) || math.IsInf(y[i], 0) {
			return nil, nil, fmt.Errorf("calibration: lowess input %d is not finite", i)
		}
	}
	o := make([]int, n)
	for i := range o {
		o[i] = i
	}
	slices.SortStableFunc(o, func(a, b int) int { return cmp.Compare(x[a], x[b]) })
	xs = make([]float64, n)
	yo := make([]float64, n)
	for k, i := range o {
		xs[k], yo[k] = x[i], y[i]
	}
	ys = make([]float64, n)
	clowess(xs, yo, f, iter, delta, ys, make([]float64, n), make([]float64, n))
	return xs, ys, nil
}

// lowessDefault runs Lowess with R's defaults for f and delta and iter = 0,
// the call lowess(x, y, iter = 0) of rms.
func lowessDefault(x, y []float64) (xs, ys []float64, err error) {
	lo, hi := x[0], x[0]
	for _, v := range x {
		lo = math.Min(lo, v)
		hi = math.Max(hi, v)
	}
	return Lowess(x, y, 2.0/3.0, 0, 0.01*(hi-lo))
}

// clowess smooths (x, y), x sorted increasingly, into ys; rw and res are
// scratch vectors of length n. It follows R's clowess with 0-based indices.
func clowess(x, y []float64, f float64, nsteps int, delta float64, ys, rw, res []float64) {
	n := len(x)
	if n < 2 {
		ys[0] = y[0]
		return
	}
	ns := int(float64(f*float64(n)) + 1e-7)
	ns = max(2, min(n, ns))
	for iter := 1; iter <= nsteps+1; iter++ {
		nleft, nright := 0, ns-1
		last := -1 // index of the previous fitted point
		i := 0     // index of the current point
		for {
			if nright < n-1 {
				// Move the window right if that shrinks its radius.
				d1 := x[i] - x[nleft]
				d2 := x[nright+1] - x[i]
				if d1 > d2 {
					nleft++
					nright++
					continue
				}
			}
			v, ok := lowest(x, y, x[i], nleft, nright, res, iter > 1, rw)
			if ok {
				ys[i] = v
			} else {
				ys[i] = y[i]
			}
			if last < i-1 { // skipped points: interpolate
				denom := x[i] - x[last]
				for j := last + 1; j < i; j++ {
					alpha := (x[j] - x[last]) / denom
					ys[j] = float64(alpha*ys[i]) + float64((1-alpha)*ys[last])
				}
			}
			last = i
			cut := x[last] + delta
			for i = last + 1; i < n; i++ {
				if x[i] > cut {
					break
				}
				if x[i] == x[last] {
					ys[i] = ys[last]
					last = i
				}
			}
			i = max(last+1, i-1)
			if last >= n-1 {
				break
			}
		}
		for k := range res {
			res[k] = y[k] - ys[k]
		}
		sc := 0.0
		for _, r := range res {
			sc += math.Abs(r)
		}
		sc /= float64(n)
		if iter > nsteps {
			break
		}
		for k := range res {
			rw[k] = math.Abs(res[k])
		}
		// cmad = 6 * median(|res|).
		srt := append([]float64(nil), rw...)
		sort.Float64s(srt)
		m1 := n / 2
		var cmad float64
		if n%2 == 0 {
			cmad = 3 * (srt[m1] + srt[n-m1-1])
		} else {
			cmad = 6 * srt[m1]
		}
		if cmad < 1e-7*sc {
			break
		}
		c9, c1 := 0.999*cmad, 0.001*cmad
		for k := range res {
			r := math.Abs(res[k])
			switch {
			case r <= c1:
				rw[k] = 1
			case r <= c9:
				q := r / cmad
				q = 1 - float64(q*q)
				rw[k] = q * q
			default:
				rw[k] = 0
			}
		}
	}
}

// lowest is R's lowest(): the locally weighted linear fit at xs using the
// points nleft..nright (plus ties on the right); w is scratch (length n).
func lowest(x, y []float64, xs float64, nleft, nright int, w []float64, userw bool, rw []float64) (float64, bool) {
	n := len(x)
	rng := x[n-1] - x[0]
	h := math.Max(xs-x[nleft], x[nright]-xs)
	h9, h1 := 0.999*h, 0.001*h
	a := 0.0
	j := nleft
	for j < n {
		w[j] = 0
		r := math.Abs(x[j] - xs)
		if r <= h9 {
			if r <= h1 {
				w[j] = 1
			} else {
				q := r / h
				q = 1 - float64(q*q*q)
				w[j] = q * q * q
			}
			if userw {
				w[j] *= rw[j]
			}
			a += w[j]
		} else if x[j] > xs {
			break
		}
		j++
	}
	nrt := j - 1
	if a <= 0 {
		return 0, false
	}
	for j := nleft; j <= nrt; j++ {
		w[j] /= a
	}
	if h > 0 {
		a = 0
		for j := nleft; j <= nrt; j++ {
			a += float64(w[j] * x[j])
		}
		b := xs - a
		c := 0.0
		for j := nleft; j <= nrt; j++ {
			d := x[j] - a
			c += float64(w[j] * float64(d*d))
		}
		if math.Sqrt(c) > 0.001*rng {
			b /= c
			for j := nleft; j <= nrt; j++ {
				w[j] *= float64(b*(x[j]-a)) + 1
			}
		}
	}
	ys := 0.0
	for j := nleft; j <= nrt; j++ {
		ys += float64(w[j] * y[j])
	}
	return ys, true
}

// approxTies evaluates the piecewise-linear interpolant of (xs, ys) (xs
// sorted increasingly, possibly tied) at xout, as R's approx(xs, ys, xout,
// ties = tie, rule = 1): tied xs are collapsed to one point whose y is the
// mean (tieMean) or the first (otherwise) of their ys; xout outside
// [xs[0], xs[n-1]] gives NaN (R's NA).
func approxTies(xs, ys []float64, xout []float64, tieMean bool) []float64 {
	ux := make([]float64, 0, len(xs))
	uy := make([]float64, 0, len(xs))
	for s := 0; s < len(xs); {
		e := s + 1
		for e < len(xs) && xs[e] == xs[s] {
			e++
		}
		v := ys[s]
		if tieMean && e-s > 1 {
			allEq := true
			sum := 0.0
			for k := s; k < e; k++ {
				sum += ys[k]
				allEq = allEq && ys[k] == ys[s]
			}
			if !allEq {
				v = sum / float64(e-s)
			}
		}
		ux = append(ux, xs[s])
		uy = append(uy, v)
		s = e
	}
	out := make([]float64, len(xout))
	nu := len(ux)
	for k, v := range xout {
		if math.IsNaN(v) || v < ux[0] || v > ux[nu-1] {
			out[k] = math.NaN()
			continue
		}
		// R's approx1: bisection to x[i] <= v <= x[j], j = i+1.
		i, j := 0, nu-1
		for i < j-1 {
			ij := (i + j) / 2
			if v < ux[ij] {
				j = ij
			} else {
				i = ij
			}
		}
		switch {
		case v == ux[j]:
			out[k] = uy[j]
		case v == ux[i]:
			out[k] = uy[i]
		default:
			out[k] = uy[i] + (uy[j]-uy[i])*((v-ux[i])/(ux[j]-ux[i]))
		}
	}
	return out
}

// quantile7 is R's quantile(x, prob, type = 7) on sorted x, with R's
// arithmetic: index = 1 + (n-1)*prob, lo = floor(index), and when
// index > lo and x[hi] != x[lo], (1-h)*x[lo] + h*x[hi], h = index - lo.
func quantile7(sorted []float64, prob float64) float64 {
	n := len(sorted)
	index := 1 + float64(float64(n-1)*prob)
	lo := math.Floor(index)
	hi := math.Ceil(index)
	qs := sorted[int(lo)-1]
	xhi := sorted[int(hi)-1]
	if index > lo && xhi != qs {
		h := index - lo
		qs = float64((1-h)*qs) + float64(h*xhi)
	}
	return qs
}
