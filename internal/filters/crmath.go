package filters

import (
	"math"
	"math/big"
)

// Correctly rounded cos, sin and exp. ITK's recursive Gaussian coefficients
// are computed with the C library's cos, sin and exp; glibc's results are the
// correctly rounded ones (Go's math.Cos, for example, is off by one unit in
// the last place for cos(0.6681), which changes the coefficients' last bits).
// These functions evaluate the Taylor series in 320-bit big.Float arithmetic
// and round once; they are used only a few times per filter setup.

const crPrec = 320

// crPi returns pi to crPrec+64 bits (Machin: pi = 16 atan(1/5) - 4 atan(1/239)).
func crPi() *big.Float {
	p := uint(crPrec + 64)
	atanInv := func(n int64) *big.Float {
		// atan(1/n) = sum (-1)^k / ((2k+1) n^(2k+1))
		x := new(big.Float).SetPrec(p).Quo(big.NewFloat(1).SetPrec(p), new(big.Float).SetPrec(p).SetInt64(n))
		x2 := new(big.Float).SetPrec(p).Mul(x, x)
		sum := new(big.Float).SetPrec(p).Set(x)
		term := new(big.Float).SetPrec(p).Set(x)
		eps := new(big.Float).SetMantExp(big.NewFloat(1), -int(p)-8)
		for k := int64(1); ; k++ {
			term.Mul(term, x2)
			t := new(big.Float).SetPrec(p).Quo(term, new(big.Float).SetPrec(p).SetInt64(2*k+1))
			if k%2 == 1 {
				sum.Sub(sum, t)
			} else {
				sum.Add(sum, t)
			}
			if t.Cmp(eps) < 0 {
				break
			}
		}
		return sum
	}
	a := new(big.Float).SetPrec(p).Mul(big.NewFloat(16).SetPrec(p), atanInv(5))
	b := new(big.Float).SetPrec(p).Mul(big.NewFloat(4).SetPrec(p), atanInv(239))
	return a.Sub(a, b)
}

// crSinCos returns the correctly rounded sin(x) and cos(x) for finite x with
// |x| < 2^40.
func crSinCos(x float64) (sin, cos float64) {
	if x == 0 || math.IsNaN(x) || math.IsInf(x, 0) || math.Abs(x) >= 1<<40 {
		return math.Sin(x), math.Cos(x)
	}
	p := uint(crPrec + 64)
	bx := new(big.Float).SetPrec(p).SetFloat64(x)
	// reduce: r = x - k*2pi, |r| <= pi
	twoPi := crPi()
	twoPi.Mul(twoPi, big.NewFloat(2))
	q := new(big.Float).SetPrec(p).Quo(bx, twoPi)
	qi, _ := q.Float64()
	k := math.Round(qi)
	r := new(big.Float).SetPrec(p).Mul(twoPi, new(big.Float).SetPrec(p).SetFloat64(k))
	r.Sub(bx, r)
	r2 := new(big.Float).SetPrec(p).Mul(r, r)
	s := new(big.Float).SetPrec(p).Set(r)      // sin sum
	c := new(big.Float).SetPrec(p).SetInt64(1) // cos sum
	term := new(big.Float).SetPrec(p).Set(r)   // r^n/n!, n odd for sin
	cterm := new(big.Float).SetPrec(p).SetInt64(1)
	eps := new(big.Float).SetMantExp(big.NewFloat(1), -int(p)-8)
	for n := int64(1); ; n++ {
		// cos term: (-1)^n r^(2n)/(2n)!
		cterm.Mul(cterm, r2)
		cterm.Quo(cterm, new(big.Float).SetPrec(p).SetInt64((2*n-1)*(2*n)))
		term.Mul(term, r2)
		term.Quo(term, new(big.Float).SetPrec(p).SetInt64((2*n)*(2*n+1)))
		if n%2 == 1 {
			c.Sub(c, cterm)
			s.Sub(s, term)
		} else {
			c.Add(c, cterm)
			s.Add(s, term)
		}
		if new(big.Float).Abs(cterm).Cmp(eps) < 0 && new(big.Float).Abs(term).Cmp(eps) < 0 {
			break
		}
	}
	sin, _ = s.Float64()
	cos, _ = c.Float64()
	return sin, cos
}

// crExp returns the correctly rounded exp(x) for finite x within float64
// range.
func crExp(x float64) float64 {
	if x == 0 || math.IsNaN(x) || math.IsInf(x, 0) || x > 709 || x < -745 {
		return math.Exp(x)
	}
	p := uint(crPrec + 64)
	// exp(x) = exp(x/2^k)^(2^k) with |x/2^k| < 1/2
	k := 0
	for math.Abs(x)/math.Ldexp(1, k) >= 0.5 {
		k++
	}
	r := new(big.Float).SetPrec(p).SetFloat64(math.Ldexp(x, -k)) // exact
	sum := new(big.Float).SetPrec(p).SetInt64(1)
	term := new(big.Float).SetPrec(p).SetInt64(1)
	eps := new(big.Float).SetMantExp(big.NewFloat(1), -int(p)-8)
	for n := int64(1); ; n++ {
		term.Mul(term, r)
		term.Quo(term, new(big.Float).SetPrec(p).SetInt64(n))
		sum.Add(sum, term)
		if new(big.Float).Abs(term).Cmp(eps) < 0 {
			break
		}
	}
	for i := 0; i < k; i++ {
		sum.Mul(sum, sum)
	}
	v, _ := sum.Float64()
	return v
}
