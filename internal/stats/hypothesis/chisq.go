package hypothesis

import (
	"errors"
	"fmt"
	"math"

	"github.com/spinerad/spinerad/internal/stats/dist"
)

// ChiSq is Pearson's chi-square test of independence on a contingency
// table, as R's chisq.test(table) reports it.
type ChiSq struct {
	// Statistic is X² = Σ(|O-E| - c)²/E with c the Yates correction.
	Statistic float64
	// DF = (r-1)(c-1).
	DF float64
	// P is the upper chi-square tail at Statistic.
	P float64
	// Expected[i][j] = rowSum[i]·colSum[j]/n.
	Expected [][]float64
	// Yates is the continuity correction used: min(0.5, min |O-E|) for a
	// 2x2 table with correct = true, else 0.
	Yates float64
	// LowExpected reports an expected count below 5 (R's "Chi-squared
	// approximation may be incorrect" warning).
	LowExpected bool
}

// ChiSquare is R's chisq.test(counts, correct = yates) on an r x c table
// (counts[i][j]: level i in group j): E = outer(rowSums, colSums)/n;
// for a 2x2 table with yates, YATES = min(0.5, min over cells |O-E|), else 0;
// X² = Σ(|O-E| - YATES)²/E; df = (r-1)(c-1); p = pchisq(X², df,
// lower.tail = FALSE). Errors: fewer than 2 rows or columns, ragged rows,
// negative or non-finite counts, a zero row or column total.
func ChiSquare(counts [][]float64, yates bool) (ChiSq, error) {
	nr := len(counts)
	if nr < 2 {
		return ChiSq{}, errors.New("hypothesis: chi-square test needs at least 2 rows")
	}
	nc := len(counts[0])
	if nc < 2 {
		return ChiSq{}, errors.New("hypothesis: chi-square test needs at least 2 columns")
	}
	rs := make([]float64, nr)
	cs := make([]float64, nc)
	n := 0.0
	for i, row := range counts {
		if len(row) != nc {
			return ChiSq{}, fmt.Errorf("hypothesis: row %d has %d cells, row 0 has %d", i, len(row), nc)
		}
		for j, v := range row {
			if !(v >= 0) || math.IsInf(v, 0) {
				return ChiSq{}, fmt.Errorf("hypothesis: count [%d][%d] is %v", i, j, v)
			}
			rs[i] += v
			cs[j] += v
			n += v
		}
	}
	for i, v := range rs {
		if v == 0 {
			return ChiSq{}, fmt.Errorf("hypothesis: row %d of the table is empty", i)
		}
	}
	for j, v := range cs {
		if v == 0 {
			return ChiSq{}, fmt.Errorf("hypothesis: column %d of the table is empty", j)
		}
	}
	r := ChiSq{Expected: make([][]float64, nr), DF: float64((nr - 1) * (nc - 1))}
	minDev := math.Inf(1)
	for i := range counts {
		r.Expected[i] = make([]float64, nc)
		for j := range counts[i] {
			e := rs[i] * cs[j] / n
			r.Expected[i][j] = e
			if e < 5 {
				r.LowExpected = true
			}
			minDev = math.Min(minDev, math.Abs(counts[i][j]-e))
		}
	}
	if yates && nr == 2 && nc == 2 {
		r.Yates = math.Min(0.5, minDev)
	}
	// Column-major order, as R's sum over a matrix.
	terms := make([]float64, 0, nr*nc)
	for j := 0; j < nc; j++ {
		for i := 0; i < nr; i++ {
			d := math.Abs(counts[i][j]-r.Expected[i][j]) - r.Yates
			terms = append(terms, d*d/r.Expected[i][j])
		}
	}
	r.Statistic = dist.Sum(terms)
	r.P = dist.ChiSqUpper(r.Statistic, r.DF)
	return r, nil
}
