package nomogram

import (
	"errors"
	"math"
)

// Pretty is R's pretty(c(lo, hi), n) with the defaults of pretty.default
// (min.n = n %/% 3, shrink.sml = 0.75, high.u.bias = 1.5, u5.bias =
// 0.5 + 1.5·high.u.bias, eps.correct = 0, f.min = 2^-20): R_pretty
// (src/appl/pretty.c, R 4.2.2) picks cell = (hi-lo)/n, base =
// 10^⌊log10(cell)⌋ and unit in {1, 2, 5, 10}·base biased towards larger
// units, then ns = ⌊lo/unit + 1e-10⌋, nu = ⌈hi/unit - 1e-10⌉ (adjusted so
// the ticks cover [lo, hi] and there are at least min.n intervals); the
// result is seq.int(l, u, length.out = ndiv + 1), with l = ns·unit (or lo
// when that is lower), u = nu·unit (or hi when higher), values computed as
// l + i·((u-l)/ndiv) and those below 1e-14·(u/ndiv - l/ndiv) in absolute
// value set to 0. Errors: non-finite bounds, hi < lo, n < 0.
func Pretty(lo, hi float64, n int) ([]float64, error) {
	if math.IsNaN(lo) || math.IsNaN(hi) || math.IsInf(lo, 0) || math.IsInf(hi, 0) {
		return nil, errors.New("nomogram: pretty needs finite bounds")
	}
	if hi < lo {
		return nil, errors.New("nomogram: pretty needs lo <= hi")
	}
	if n < 0 {
		return nil, errors.New("nomogram: pretty needs n >= 0")
	}
	const h = 1.5
	const h5 = 0.5 + 1.5*h
	l, u, ndiv := rPretty(lo, hi, n, n/3, 0.75, h, h5, 0x1p-20)
	out := make([]float64, ndiv+1)
	out[0] = l
	if ndiv == 0 {
		return out, nil
	}
	out[ndiv] = u
	if ndiv+1 > 2 {
		by := (u - l) / float64(ndiv)
		if math.IsInf(u-l, 0) {
			by = u/float64(ndiv) - l/float64(ndiv)
		}
		for i := 1; i < ndiv; i++ {
			out[i] = l + float64(float64(i)*by)
		}
	}
	delta := u/float64(ndiv) - l/float64(ndiv)
	for i, s := range out {
		if math.Abs(s) < 1e-14*delta {
			out[i] = 0
		}
	}
	return out, nil
}

// rPretty is R_pretty(&lo, &up, &ndiv, min_n, shrink_sml, high_u_fact,
// eps_correction = 0, return_bounds = 1); it returns the new bounds and
// the number of intervals.
func rPretty(lo, up float64, ndiv, minN int, shrink, h, h5, fMin float64) (float64, float64, int) {
	const roundingEps = 1e-10
	const dblEps = 0x1p-52
	lo0, up0 := lo, up
	dx := up0 - lo0
	var cell float64
	var iSmall bool
	if dx == 0 && up0 == 0 {
		cell = 1
		iSmall = true
	} else {
		cell = math.Max(math.Abs(lo0), math.Abs(up0))
		var U float64
		if h5 >= 1.5*h+0.5 {
			U = 1 + 1/(1+h)
		} else {
			U = 1 + 1.5/(1+h5)
		}
		U *= float64(max(1, ndiv)) * dblEps
		iSmall = dx < cell*U*3
	}
	if iSmall {
		if cell > 10 {
			cell = 9 + cell/10
		}
		cell *= shrink
		if minN > 1 {
			cell /= float64(minN)
		}
	} else {
		cell = dx
		if !math.IsInf(dx, 0) {
			if ndiv > 1 {
				cell /= float64(ndiv)
			}
		} else if ndiv >= 2 {
			cell = up0/float64(ndiv) - lo0/float64(ndiv)
		}
	}
	const maxF = 1.25
	subsmall := fMin * 0x1p-1022
	if subsmall == 0 {
		subsmall = 0x1p-1022
	}
	if cell < subsmall {
		cell = subsmall
	} else if cell > math.MaxFloat64/maxF {
		cell = math.MaxFloat64 / maxF
	}
	base := pow10Floor(cell)
	unit := base
	if U := 2 * base; U-cell < h*(cell-unit) {
		unit = U
		if U := 5 * base; U-cell < h5*(cell-unit) {
			unit = U
			if U := 10 * base; U-cell < h*(cell-unit) {
				unit = U
			}
		}
	}
	ns := math.Floor(lo0/unit + roundingEps)
	nu := math.Ceil(up0/unit - roundingEps)
	for ns*unit > lo+roundingEps*unit {
		ns--
	}
	for math.IsInf(ns*unit, 0) {
		ns++
	}
	for nu*unit < up-roundingEps*unit {
		nu++
	}
	for math.IsInf(nu*unit, 0) {
		nu--
	}
	k := int(0.5 + nu - ns)
	if k < minN {
		k = minN - k
		switch {
		case lo0 == 0 && ns == 0 && up0 != 0:
			nu += float64(k)
		case up0 == 0 && nu == 0 && lo0 != 0:
			ns -= float64(k)
		case ns >= 0:
			nu += float64(k / 2)
			ns -= float64(k/2 + k%2)
		default:
			ns -= float64(k / 2)
			nu += float64(k/2 + k%2)
		}
		ndiv = minN
	} else {
		ndiv = k
	}
	if ns*unit < lo {
		lo = ns * unit
	}
	if nu*unit > up {
		up = nu * unit
	}
	return lo, up, ndiv
}

// pow10Floor is C's pow(10.0, floor(log10(x))) for x > 0 with a correctly
// rounded log10 (glibc): Go's math.Log10 is not exact at powers of ten, so
// the exponent is corrected against math.Pow10 and, like a correctly
// rounded log10, rounded up when x is within half an ulp (of the exponent)
// below the next power of ten.
func pow10Floor(x float64) float64 {
	e := int(math.Floor(math.Log10(x)))
	for math.Pow10(e+1) <= x {
		e++
	}
	for math.Pow10(e) > x {
		e--
	}
	if t := e + 1; t != 0 {
		p := math.Pow10(t)
		d := (p - x) / p / math.Ln10 // log10(p) - log10(x)
		ft := float64(t)
		half := (ft - math.Nextafter(ft, math.Inf(-1))) / 2
		if d <= half {
			e = t
		}
	}
	return math.Pow10(e)
}
