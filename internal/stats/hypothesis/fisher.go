package hypothesis

import (
	"errors"
	"fmt"
	"math"

	"github.com/spinerad/spinerad/internal/stats/dist"
)

// Fisher is Fisher's exact test on a 2x2 table, two-sided, as R's
// fisher.test(table) reports it.
type Fisher struct {
	// P is the two-sided p-value.
	P float64
	// OddsRatio is the conditional maximum-likelihood estimate (0 or +Inf
	// when the observed cell is at the edge of its support).
	OddsRatio float64
	// ConfInt is the 95% conditional exact interval of the odds ratio.
	ConfInt [2]float64
}

// FisherExact2x2 is R's fisher.test(t) for a 2x2 table of counts with the
// root finder run to full precision (tolerance 1e-15, matching the fixture's
// fisher.tight). See FisherExact2x2Tol.
func FisherExact2x2(t [2][2]int) (Fisher, error) { return FisherExact2x2Tol(t, 1e-15) }

// FisherExact2x2Tol is R's fisher.test(t) (two-sided, conf.level 0.95) with
// uniroot tolerance tol; tol = RUnirootTol reproduces R's own, looser
// estimates. With m = t[0][0]+t[1][0], n = t[0][1]+t[1][1], k = t[0][0]+t[0][1]
// and x = t[0][0], the support is lo..hi = max(0, k-n)..min(k, m) and
// under odds ratio ψ the conditional law is the noncentral hypergeometric
// d_ψ(u) ∝ dhyper(u; m, n, k)·ψ^u.
//
//   - P = Σ d_1(u) over u with d_1(u) <= d_1(x)·(1 + 1e-7).
//   - OddsRatio: 0 if x = lo, Inf if x = hi, else the root of E_ψ[u] = x,
//     found as R does: on ψ in (0, 1) when E_1[u] > x, else as 1/t with t
//     in (eps, 1).
//   - ConfInt: lower = root of P_ψ(u >= x) = 0.025 (0 if x = lo), upper =
//     root of P_ψ(u <= x) = 0.025 (Inf if x = hi), with the same
//     (0, 1) / 1/t parametrisation.
//
// Errors: negative counts, an empty row or column, tol <= 0.
func FisherExact2x2Tol(t [2][2]int, tol float64) (Fisher, error) {
	for i := range t {
		for j := range t[i] {
			if t[i][j] < 0 {
				return Fisher{}, fmt.Errorf("hypothesis: negative count [%d][%d] = %d", i, j, t[i][j])
			}
		}
	}
	if !(tol > 0) {
		return Fisher{}, errors.New("hypothesis: Fisher test tolerance must be > 0")
	}
	m := t[0][0] + t[1][0]
	n := t[0][1] + t[1][1]
	k := t[0][0] + t[0][1]
	if m == 0 || n == 0 || k == 0 || k == m+n {
		return Fisher{}, errors.New("hypothesis: Fisher test needs non-empty rows and columns")
	}
	x := t[0][0]
	h := newNHyper(x, m, n, k)

	var r Fisher
	// p-value at psi = 1.
	d := h.density(1)
	dx := d[x-h.lo] * (1 + 1e-7)
	sel := make([]float64, 0, len(d))
	for _, v := range d {
		if v <= dx {
			sel = append(sel, v)
		}
	}
	r.P = dist.Sum(sel)

	r.OddsRatio = h.mle(tol)
	const alpha = 0.025
	r.ConfInt = [2]float64{h.ncpLower(alpha, tol), h.ncpUpper(alpha, tol)}
	return r, nil
}

// nhyper is the noncentral hypergeometric law of the (0, 0) cell.
type nhyper struct {
	x, lo, hi int
	logdc     []float64 // log dhyper(u; m, n, k), u = lo..hi
	buf       []float64
}

func newNHyper(x, m, n, k int) *nhyper {
	lo := max(0, k-n)
	hi := min(k, m)
	h := &nhyper{x: x, lo: lo, hi: hi, logdc: make([]float64, hi-lo+1), buf: make([]float64, hi-lo+1)}
	lc := lchoose(m+n, k)
	for u := lo; u <= hi; u++ {
		h.logdc[u-lo] = lchoose(m, u) + lchoose(n, k-u) - lc
	}
	return h
}

func lchoose(n, k int) float64 {
	a, _ := math.Lgamma(float64(n + 1))
	b, _ := math.Lgamma(float64(k + 1))
	c, _ := math.Lgamma(float64(n - k + 1))
	return a - b - c
}

// density returns R's dnhyper(ncp): d(u) ∝ exp(logdc(u) + log(ncp)·u),
// scaled by its maximum and normalised to sum 1 (into a reused buffer).
func (h *nhyper) density(ncp float64) []float64 {
	l := math.Log(ncp)
	mx := math.Inf(-1)
	for i, v := range h.logdc {
		e := v + l*float64(h.lo+i)
		h.buf[i] = e
		mx = math.Max(mx, e)
	}
	for i, e := range h.buf {
		h.buf[i] = math.Exp(e - mx)
	}
	s := dist.Sum(h.buf)
	for i := range h.buf {
		h.buf[i] /= s
	}
	return h.buf
}

// mean is R's mnhyper(ncp) = Σ u·d(u).
func (h *nhyper) mean(ncp float64) float64 {
	if ncp == 0 {
		return float64(h.lo)
	}
	if math.IsInf(ncp, 1) {
		return float64(h.hi)
	}
	d := h.density(ncp)
	s, c := 0.0, 0.0
	for i, v := range d {
		y := float64(h.lo+i)*v - c
		t := s + y
		c = (t - s) - y
		s = t
	}
	return s
}

// cdf is R's pnhyper(q, ncp, upper.tail): P(u <= q) or P(u >= q).
func (h *nhyper) cdf(q int, ncp float64, upper bool) float64 {
	if ncp == 0 {
		if upper {
			return b2f(q <= h.lo)
		}
		return b2f(q >= h.lo)
	}
	if math.IsInf(ncp, 1) {
		if upper {
			return b2f(q <= h.hi)
		}
		return b2f(q >= h.hi)
	}
	d := h.density(ncp)
	s := 0.0
	for i, v := range d {
		u := h.lo + i
		if (upper && u >= q) || (!upper && u <= q) {
			s += v
		}
	}
	return s
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

// solve finds the root ψ of g with R's parametrisation: at1 > 0 means the
// root lies in (0, 1) and is found directly; at1 < 0 means it is 1/t with
// t in (eps, 1) solving g(1/t) = 0; at1 = 0 gives 1.
func (h *nhyper) solve(g func(float64) float64, at1 float64, tol float64) float64 {
	switch {
	case at1 > 0:
		return zeroin(g, 0, 1, g(0), g(1), tol, 1000)
	case at1 < 0:
		gi := func(t float64) float64 { return g(1 / t) }
		return 1 / zeroin(gi, eps, 1, gi(eps), gi(1), tol, 1000)
	}
	return 1
}

// mle is R's conditional MLE of the odds ratio.
func (h *nhyper) mle(tol float64) float64 {
	if h.x == h.lo {
		return 0
	}
	if h.x == h.hi {
		return math.Inf(1)
	}
	fx := float64(h.x)
	g := func(t float64) float64 { return h.mean(t) - fx }
	return h.solve(g, g(1), tol)
}

// ncpUpper is R's ncp.U(x, alpha): the ψ with P_ψ(u <= x) = alpha.
func (h *nhyper) ncpUpper(alpha, tol float64) float64 {
	if h.x == h.hi {
		return math.Inf(1)
	}
	// P_ψ(u <= x) decreases in ψ: R solves pnhyper(x, t) - alpha = 0.
	g := func(t float64) float64 { return h.cdf(h.x, t, false) - alpha }
	// R: p = pnhyper(x, 1); p < alpha -> root in (0, 1); p > alpha -> 1/t.
	return h.solve(g, alpha-h.cdf(h.x, 1, false), tol)
}

// ncpLower is R's ncp.L(x, alpha): the ψ with P_ψ(u >= x) = alpha.
func (h *nhyper) ncpLower(alpha, tol float64) float64 {
	if h.x == h.lo {
		return 0
	}
	g := func(t float64) float64 { return h.cdf(h.x, t, true) - alpha }
	return h.solve(g, h.cdf(h.x, 1, true)-alpha, tol)
}
