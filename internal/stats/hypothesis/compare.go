// Package hypothesis implements the two-group tests and summaries of a
// baseline-characteristics table, each matching the R function named in
// its doc comment: Student and Welch t-tests (t.test), the Wilcoxon
// rank-sum test (wilcox.test), Pearson's chi-square test with and without
// Yates's correction (chisq.test), Fisher's exact test for 2x2 tables
// (fisher.test), and per-group summaries (mean, sd, quantile type 7).
package hypothesis

import (
	"fmt"
)

// ContinuousComparison is one continuous row of the baseline table.
type ContinuousComparison struct {
	// Group0 and Group1 summarise each group (missing values counted).
	Group0, Group1 Summary
	// Student (var.equal = TRUE) and Welch t-tests; T's sign is group0 -
	// group1.
	Student, Welch TTest
	// Wilcoxon is the rank-sum test with W for group0.
	Wilcoxon Wilcoxon
}

// CompareContinuous summarises g0 and g1 and compares them with the
// Student and Welch t-tests and the Wilcoxon rank-sum test. NaN marks a
// missing value: it is counted in NMissing and dropped before the tests
// (R's default na.action for t.test and wilcox.test).
func CompareContinuous(g0, g1 []float64) (ContinuousComparison, error) {
	var c ContinuousComparison
	c.Group0, c.Group1 = Summarize(g0), Summarize(g1)
	x, y := dropNaN(g0), dropNaN(g1)
	var err error
	if c.Student, err = StudentT(x, y); err != nil {
		return c, err
	}
	if c.Welch, err = WelchT(x, y); err != nil {
		return c, err
	}
	if c.Wilcoxon, err = WilcoxonRankSum(x, y); err != nil {
		return c, err
	}
	return c, nil
}

// CategoricalComparison is one categorical row of the baseline table.
type CategoricalComparison struct {
	// Counts[i][j] is the number with level i in group j.
	Counts [][]int
	// ColumnPercent[i][j] = 100·Counts[i][j]/(size of group j).
	ColumnPercent [][]float64
	// ChiSqYates is chisq.test(tab) (Yates's correction for 2x2 tables) and
	// ChiSq is chisq.test(tab, correct = FALSE).
	ChiSqYates, ChiSq ChiSq
	// Fisher is fisher.test(tab); nil unless the table is 2x2.
	Fisher *Fisher
}

// CompareCategorical tests a levels x groups table of counts with the
// chi-square tests (with and without Yates's correction) and, for a 2x2
// table, Fisher's exact test (tight root finding), and gives column
// percentages.
func CompareCategorical(counts [][]int) (CategoricalComparison, error) {
	c := CategoricalComparison{Counts: counts}
	if len(counts) < 2 || len(counts[0]) < 2 {
		return c, fmt.Errorf("hypothesis: need at least a 2x2 table, have %d rows", len(counts))
	}
	nc := len(counts[0])
	tot := make([]int, nc)
	f := make([][]float64, len(counts))
	for i, row := range counts {
		if len(row) != nc {
			return c, fmt.Errorf("hypothesis: row %d has %d cells, row 0 has %d", i, len(row), nc)
		}
		f[i] = make([]float64, nc)
		for j, v := range row {
			tot[j] += v
			f[i][j] = float64(v)
		}
	}
	var err error
	if c.ChiSqYates, err = ChiSquare(f, true); err != nil {
		return c, err
	}
	if c.ChiSq, err = ChiSquare(f, false); err != nil {
		return c, err
	}
	c.ColumnPercent = make([][]float64, len(counts))
	for i, row := range counts {
		c.ColumnPercent[i] = make([]float64, nc)
		for j, v := range row {
			c.ColumnPercent[i][j] = 100 * float64(v) / float64(tot[j])
		}
	}
	if len(counts) == 2 && nc == 2 {
		fi, err := FisherExact2x2([2][2]int{{counts[0][0], counts[0][1]}, {counts[1][0], counts[1][1]}})
		if err != nil {
			return c, err
		}
		c.Fisher = &fi
	}
	return c, nil
}

// CrossTab counts, for each group, how many values fall in each level:
// out[i][j] = #{v in groups[j] : v == levels[i]} (R's table(variable,
// group) with the given level order). A value not among levels is an
// error; an empty string counts as missing and is skipped.
func CrossTab(levels []string, groups ...[]string) ([][]int, error) {
	idx := make(map[string]int, len(levels))
	for i, l := range levels {
		if _, dup := idx[l]; dup {
			return nil, fmt.Errorf("hypothesis: duplicate level %q", l)
		}
		idx[l] = i
	}
	out := make([][]int, len(levels))
	for i := range out {
		out[i] = make([]int, len(groups))
	}
	for j, g := range groups {
		for _, v := range g {
			if v == "" {
				continue
			}
			i, ok := idx[v]
			if !ok {
				return nil, fmt.Errorf("hypothesis: value %q is not a level %v", v, levels)
			}
			out[i][j]++
		}
	}
	return out, nil
}
