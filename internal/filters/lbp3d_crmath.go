package filters

import (
	"math"
	"math/big"
)

// Correctly rounded arccos and arctan2 for the icosphere angles of LBP3D.
// glibc's acos and atan2 return the correctly rounded values for these
// arguments, Go's math.Acos and math.Atan2 are off by up to tens of units in
// the last place near |x| = 1 (see docs/conventions.md). Like crSinCos they
// work in crPrec-bit big.Float arithmetic and round once; they run once per
// icosphere vertex.

// crAtanBig returns atan(t) to about crPrec bits: t is reduced below 2^-10
// by the half-angle identity atan(t) = 2 atan(t / (1 + sqrt(1 + t^2))),
// then the Taylor series is summed.
func crAtanBig(t *big.Float) *big.Float {
	p := uint(crPrec + 64)
	one := new(big.Float).SetPrec(p).SetInt64(1)
	x := new(big.Float).SetPrec(p).Set(t)
	neg := x.Sign() < 0
	x.Abs(x)
	var offset *big.Float // atan(t) = pi/2 - atan(1/t) for t > 1
	if x.Cmp(one) > 0 {
		x.Quo(one, x)
		offset = crPi()
		offset.Quo(offset, new(big.Float).SetPrec(p).SetInt64(2))
	}
	small := new(big.Float).SetMantExp(one, -10)
	k := 0
	for x.Cmp(small) > 0 {
		s := new(big.Float).SetPrec(p).Mul(x, x)
		s.Add(s, one)
		s.Sqrt(s)
		s.Add(s, one)
		x.Quo(x, s)
		k++
	}
	x2 := new(big.Float).SetPrec(p).Mul(x, x)
	sum := new(big.Float).SetPrec(p).Set(x)
	term := new(big.Float).SetPrec(p).Set(x)
	eps := new(big.Float).SetMantExp(one, -int(p)-8)
	for i := int64(1); ; i++ {
		term.Mul(term, x2)
		term.Neg(term)
		q := new(big.Float).SetPrec(p).Quo(term, new(big.Float).SetPrec(p).SetInt64(2*i+1))
		sum.Add(sum, q)
		if new(big.Float).Abs(q).Cmp(eps) < 0 {
			break
		}
	}
	sum.SetMantExp(sum, k)
	if offset != nil {
		sum.Sub(offset, sum)
	}
	if neg {
		sum.Neg(sum)
	}
	return sum
}

// crAtan2 returns the correctly rounded atan2(y, x) for finite arguments
// (zero and infinite arguments are handled by math.Atan2, whose results are
// then exact constants).
func crAtan2(y, x float64) float64 {
	if x == 0 || y == 0 || math.IsInf(x, 0) || math.IsInf(y, 0) || math.IsNaN(x) || math.IsNaN(y) {
		return math.Atan2(y, x)
	}
	p := uint(crPrec + 64)
	q := new(big.Float).SetPrec(p).Quo(new(big.Float).SetPrec(p).SetFloat64(y), new(big.Float).SetPrec(p).SetFloat64(x))
	r := crAtanBig(q)
	if x < 0 {
		pi := crPi()
		if y > 0 {
			r.Add(r, pi)
		} else {
			r.Sub(r, pi)
		}
	}
	v, _ := r.Float64()
	return v
}

// crAcos returns the correctly rounded arccos(x) for -1 <= x <= 1, as
// atan2(sqrt((1-x)(1+x)), x) in big.Float arithmetic; NaN outside.
func crAcos(x float64) float64 {
	switch {
	case math.IsNaN(x) || x < -1 || x > 1:
		return math.NaN()
	case x == 1:
		return 0
	case x == -1:
		return math.Pi
	case x == 0:
		return math.Pi / 2
	}
	p := uint(crPrec + 64)
	one := new(big.Float).SetPrec(p).SetInt64(1)
	bx := new(big.Float).SetPrec(p).SetFloat64(x)
	a := new(big.Float).SetPrec(p).Sub(one, bx)
	b := new(big.Float).SetPrec(p).Add(one, bx)
	s := new(big.Float).SetPrec(p).Mul(a, b)
	s.Sqrt(s)
	r := crAtanBig(s.Quo(s, bx))
	if x < 0 {
		r.Add(r, crPi())
	}
	v, _ := r.Float64()
	return v
}
