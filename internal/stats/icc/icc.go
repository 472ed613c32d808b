// Package icc computes intraclass correlation coefficients of an n x k
// matrix of ratings (n subjects, k raters) as psych::ICC(x, lmer = FALSE)
// does (psych 2.2.9): mean squares from the two-way ANOVA
// values ~ subject + rater, Shrout & Fleiss's six ICCs, their F tests and
// 95% confidence intervals (McGraw & Wong's approximate df for ICC2/ICC2k).
package icc

import (
	"errors"
	"fmt"
	"math"

	"github.com/spinerad/spinerad/internal/stats/dist"
)

// Kind indexes the six rows of psych's ICC table.
type Kind int

// The six ICCs, in psych's row order.
const (
	// ICC1: one-way random effects, absolute agreement, single rater:
	// (MSB - MSW)/(MSB + (k-1)·MSW).
	ICC1 Kind = iota
	// ICC2 = ICC(2,1): two-way random effects, absolute agreement, single
	// rater: (MSB - MSE)/(MSB + (k-1)·MSE + k·(MSJ - MSE)/n).
	ICC2
	// ICC3 = ICC(3,1): two-way mixed effects, consistency, single rater:
	// (MSB - MSE)/(MSB + (k-1)·MSE).
	ICC3
	// ICC1k: one-way random, mean of k raters: (MSB - MSW)/MSB.
	ICC1k
	// ICC2k: two-way random, mean of k raters: (MSB - MSE)/(MSB + (MSJ - MSE)/n).
	ICC2k
	// ICC3k: two-way mixed, mean of k raters: (MSB - MSE)/MSB.
	ICC3k
)

var kindNames = [6]string{"ICC1", "ICC2", "ICC3", "ICC1k", "ICC2k", "ICC3k"}

// String returns psych's type label ("ICC1", ..., "ICC3k").
func (k Kind) String() string {
	if k < 0 || int(k) >= len(kindNames) {
		return fmt.Sprintf("Kind(%d)", int(k))
	}
	return kindNames[k]
}

// Row is one row of psych's ICC table.
type Row struct {
	// Type is the ICC's kind.
	Type Kind
	// ICC is the coefficient.
	ICC float64
	// F is the test statistic (MSB/MSW for ICC1/ICC1k, MSB/MSE otherwise)
	// with DF1 = n-1 and DF2 = n(k-1) (ICC1, ICC1k) or (n-1)(k-1) (others).
	F, DF1, DF2 float64
	// P is the upper tail of F(DF1, DF2) at F.
	P float64
	// Lower and Upper are the confidence bounds (1 - alpha).
	Lower, Upper float64
}

// Result holds the ANOVA mean squares and the six ICC rows.
type Result struct {
	// N subjects (rows) and K raters (columns).
	N, K int
	// MSRows (MSB, subjects), MSColumns (MSJ, raters), MSError (MSE,
	// residual) and MSWithin = (SSJ + SSE)/(n(k-1)) (MSW).
	MSRows, MSColumns, MSError, MSWithin float64
	// Rows are the six ICCs indexed by Kind.
	Rows [6]Row
}

// Get returns the row of kind k.
func (r *Result) Get(k Kind) Row { return r.Rows[k] }

// Compute is ComputeAlpha(ratings, 0.05), psych's default 95% intervals.
func Compute(ratings [][]float64) (*Result, error) { return ComputeAlpha(ratings, 0.05) }

// ComputeAlpha computes psych::ICC(ratings, alpha = alpha, lmer = FALSE).
// ratings[i][j] is rater j's value for subject i.
//
// Mean squares (balanced two-way ANOVA, equal to aov(values ~ subs + ind)):
// MSB = k·Σ(r̄_i - ḡ)²/(n-1), MSJ = n·Σ(c̄_j - ḡ)²/(k-1),
// MSE = ΣΣ(x_ij - r̄_i - c̄_j + ḡ)²/((n-1)(k-1)), MSW = (SSJ+SSE)/(n(k-1)).
// Tests: F11 = MSB/MSW on (n-1, n(k-1)) df, F21 = MSB/MSE on
// (n-1, (n-1)(k-1)) df; p = upper F tail. Intervals (q(a,b) = qf(1-alpha/2,
// a, b)): ICC1 and ICC1k from FL = F11/q(df11n, df11d), FU = F11·q(df11d,
// df11n) as (FL-1)/(FL+k-1), (FU-1)/(FU+k-1) and 1-1/FL, 1-1/FU; ICC3 and
// ICC3k likewise with F21; ICC2 with McGraw & Wong's
// v = (k-1)(n-1)(k·ICC2·Fj + n(1+(k-1)ICC2) - k·ICC2)² /
// ((n-1)k²ICC2²Fj² + (n(1+(k-1)ICC2) - k·ICC2)²), Fj = MSJ/MSE,
// FU = q(n-1, v), FL = q(v, n-1), L = n(MSB - FU·MSE)/(FU(k·MSJ +
// (kn-k-n)MSE) + n·MSB), U = n(FL·MSB - MSE)/(k·MSJ + (kn-k-n)MSE +
// n·FL·MSB), and ICC2k bounds L·k/(1+L(k-1)), U·k/(1+U(k-1)).
//
// Errors: fewer than 2 subjects or raters, ragged rows, NaN or infinite
// ratings (psych with lmer = FALSE stops on missing data), alpha outside
// (0, 1), all ratings equal. When MSE = 0 (perfect consistency) the F
// statistics are +Inf, p = 0 and some bounds are NaN, as in R.
func ComputeAlpha(ratings [][]float64, alpha float64) (*Result, error) {
	n := len(ratings)
	if n < 2 {
		return nil, fmt.Errorf("icc: need at least 2 subjects, have %d", n)
	}
	k := len(ratings[0])
	if k < 2 {
		return nil, fmt.Errorf("icc: need at least 2 raters, have %d", k)
	}
	if !(alpha > 0 && alpha < 1) {
		return nil, fmt.Errorf("icc: alpha %v outside (0, 1)", alpha)
	}
	for i, row := range ratings {
		if len(row) != k {
			return nil, fmt.Errorf("icc: subject %d has %d ratings, subject 0 has %d", i, len(row), k)
		}
		for j, v := range row {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return nil, fmt.Errorf("icc: rating [%d][%d] is %v (missing or non-finite ratings are not allowed)", i, j, v)
			}
		}
	}
	fn, fk := float64(n), float64(k)
	rowMean := make([]float64, n)
	colMean := make([]float64, k)
	grand := 0.0
	for i, row := range ratings {
		s := 0.0
		for j, v := range row {
			s += v
			colMean[j] += v
		}
		grand += s
		rowMean[i] = s / fk
	}
	grand /= fn * fk
	for j := range colMean {
		colMean[j] /= fn
	}
	// Second pass: centre the means on the grand mean to avoid cancellation.
	var ssb, ssj, sse float64
	for _, m := range rowMean {
		d := m - grand
		ssb += d * d
	}
	ssb *= fk
	for _, m := range colMean {
		d := m - grand
		ssj += d * d
	}
	ssj *= fn
	for i, row := range ratings {
		for j, v := range row {
			e := v - rowMean[i] - colMean[j] + grand
			sse += e * e
		}
	}
	if ssb == 0 && ssj == 0 && sse == 0 {
		return nil, errors.New("icc: all ratings are equal (no variance)")
	}
	dfb, dfj, dfe := fn-1, fk-1, (fn-1)*(fk-1)
	msb, msj, mse := ssb/dfb, ssj/dfj, sse/dfe
	msw := (ssj + sse) / (dfj + dfe)
	r := &Result{N: n, K: k, MSRows: msb, MSColumns: msj, MSError: mse, MSWithin: msw}

	icc1 := (msb - msw) / (msb + (fk-1)*msw)
	icc2 := (msb - mse) / (msb + (fk-1)*mse + fk*(msj-mse)/fn)
	icc3 := (msb - mse) / (msb + (fk-1)*mse)
	icc12 := (msb - msw) / msb
	icc22 := (msb - mse) / (msb + (msj-mse)/fn)
	icc32 := (msb - mse) / msb

	f11 := msb / msw
	df11n, df11d := fn-1, fn*(fk-1)
	p11 := dist.FUpper(f11, df11n, df11d)
	f21 := msb / mse
	df21n, df21d := fn-1, (fn-1)*(fk-1)
	p21 := dist.FUpper(f21, df21n, df21d)

	a2 := alpha / 2
	f1l := f11 / dist.FQuantileUpper(a2, df11n, df11d)
	f1u := f11 * dist.FQuantileUpper(a2, df11d, df11n)
	f3l := f21 / dist.FQuantileUpper(a2, df21n, df21d)
	f3u := f21 * dist.FQuantileUpper(a2, df21d, df21n)

	fj := msj / mse
	t := fn*(1+(fk-1)*icc2) - fk*icc2
	vn := (fk - 1) * (fn - 1) * sq(fk*icc2*fj+t)
	vd := (fn-1)*fk*fk*icc2*icc2*fj*fj + sq(t)
	v := vn / vd
	g3u := dist.FQuantileUpper(a2, fn-1, v)
	g3l := dist.FQuantileUpper(a2, v, fn-1)
	c := fk*fn - fk - fn // kn - k - n
	l2 := fn * (msb - g3u*mse) / (g3u*(fk*msj+c*mse) + fn*msb)
	u2 := fn * (g3l*msb - mse) / (fk*msj + c*mse + fn*g3l*msb)

	r.Rows[ICC1] = Row{ICC1, icc1, f11, df11n, df11d, p11, (f1l - 1) / (f1l + (fk - 1)), (f1u - 1) / (f1u + fk - 1)}
	r.Rows[ICC2] = Row{ICC2, icc2, f21, df21n, df21d, p21, l2, u2}
	r.Rows[ICC3] = Row{ICC3, icc3, f21, df21n, df21d, p21, (f3l - 1) / (f3l + fk - 1), (f3u - 1) / (f3u + fk - 1)}
	r.Rows[ICC1k] = Row{ICC1k, icc12, f11, df11n, df11d, p11, 1 - 1/f1l, 1 - 1/f1u}
	r.Rows[ICC2k] = Row{ICC2k, icc22, f21, df21n, df21d, p21, l2 * fk / (1 + l2*(fk-1)), u2 * fk / (1 + u2*(fk-1))}
	r.Rows[ICC3k] = Row{ICC3k, icc32, f21, df21n, df21d, p21, 1 - 1/f3l, 1 - 1/f3u}
	return r, nil
}

func sq(x float64) float64 { return x * x }
