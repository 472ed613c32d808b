package hypothesis

import (
	"errors"
	"math"
	"sort"

	"github.com/spinerad/spinerad/internal/stats/dist"
)

// Wilcoxon is a two-sample Wilcoxon rank-sum (Mann-Whitney) test result,
// two-sided with mu = 0, as R's wilcox.test(x, y) reports it.
type Wilcoxon struct {
	// W = (sum of the mid-ranks of x in the pooled sample) - nx(nx+1)/2.
	W float64
	// P is the two-sided p-value.
	P float64
	// Exact tells whether P is the exact permutation p-value (R's default
	// when nx < 50, ny < 50 and there are no ties); otherwise P is the
	// normal approximation with tie-corrected variance and continuity
	// correction, and Z is its statistic.
	Exact bool
	// Ties tells whether the pooled sample has tied values.
	Ties bool
	// Z is the continuity-corrected normal statistic (NaN when Exact).
	Z float64
}

// WilcoxonRankSum is R's wilcox.test(x, y) with its defaults (exact = NULL,
// correct = TRUE, two-sided). W = Σ rank(x) - nx(nx+1)/2 with mid-ranks of
// the pooled sample. When nx < 50, ny < 50 and no value is tied, P is exact:
// p = min(1, 2·P(W' <= W)) if W <= nx·ny/2, else min(1, 2·P(W' >= W)),
// from the null distribution of W' (counts by the recurrence
// c(m, n, k) = c(m-1, n, k-n) + c(m, n-1, k), as R's cwilcox). Otherwise
// z = (W - nx·ny/2 - sign(·)·0.5)/σ with
// σ² = (nx·ny/12)·((nx+ny+1) - Σ(t³-t)/((nx+ny)(nx+ny-1))) over tie
// groups t, and P = 2·min(Φ(z), 1-Φ(z)). Errors: NaN values (drop missing
// values first), an empty group, all values tied (σ = 0).
func WilcoxonRankSum(x, y []float64) (Wilcoxon, error) {
	if err := checkFinite(x, "x"); err != nil {
		return Wilcoxon{}, err
	}
	if err := checkFinite(y, "y"); err != nil {
		return Wilcoxon{}, err
	}
	nx, ny := len(x), len(y)
	if nx == 0 || ny == 0 {
		return Wilcoxon{}, errors.New("hypothesis: Wilcoxon test needs values in both groups")
	}
	n := nx + ny
	type obs struct {
		v   float64
		isX bool
	}
	pool := make([]obs, 0, n)
	for _, v := range x {
		pool = append(pool, obs{v, true})
	}
	for _, v := range y {
		pool = append(pool, obs{v, false})
	}
	sort.Slice(pool, func(i, j int) bool { return pool[i].v < pool[j].v })
	rankSum := 0.0
	tieTerm := 0.0
	ties := false
	for i := 0; i < n; {
		j := i + 1
		for j < n && pool[j].v == pool[i].v {
			j++
		}
		t := float64(j - i)
		rank := float64(i+1+j) / 2 // mean of ranks i+1..j
		for k := i; k < j; k++ {
			if pool[k].isX {
				rankSum += rank
			}
		}
		if j-i > 1 {
			ties = true
			tieTerm += t*t*t - t
		}
		i = j
	}
	fx, fy := float64(nx), float64(ny)
	w := rankSum - fx*(fx+1)/2
	r := Wilcoxon{W: w, Ties: ties}
	if nx < 50 && ny < 50 && !ties {
		r.Exact = true
		r.Z = math.NaN()
		var p float64
		if w > fx*fy/2 {
			p = wilcoxUpper(w-1, nx, ny)
		} else {
			p = wilcoxLower(w, nx, ny)
		}
		r.P = math.Min(2*p, 1)
		return r, nil
	}
	z := w - fx*fy/2
	sigma := math.Sqrt((fx * fy / 12) * ((fx + fy + 1) - tieTerm/((fx+fy)*(fx+fy-1))))
	if !(sigma > 0) {
		return Wilcoxon{}, errors.New("hypothesis: Wilcoxon test: all values are tied")
	}
	corr := 0.0
	switch {
	case z > 0:
		corr = 0.5
	case z < 0:
		corr = -0.5
	}
	r.Z = (z - corr) / sigma
	r.P = dist.NormTwoSided(r.Z)
	return r, nil
}

// wilcoxCounts returns c[k] = number of rank arrangements with W = k,
// k = 0..m·n, for sample sizes m and n (no ties).
func wilcoxCounts(m, n int) []float64 {
	// prev[j] holds the counts for (mm-1, j); cur[j] for (mm, j).
	prev := make([][]float64, n+1)
	for j := range prev {
		prev[j] = []float64{1} // m = 0: only W = 0
	}
	for mm := 1; mm <= m; mm++ {
		cur := make([][]float64, n+1)
		cur[0] = []float64{1} // n = 0: only W = 0
		for j := 1; j <= n; j++ {
			c := make([]float64, mm*j+1)
			// c(mm, j, k) = c(mm-1, j, k-j) + c(mm, j-1, k)
			for k, v := range cur[j-1] {
				c[k] += v
			}
			for k, v := range prev[j] {
				c[k+j] += v
			}
			cur[j] = c
		}
		prev = cur
	}
	return prev[n]
}

// wilcoxLower is R's pwilcox(q, m, n): P(W <= q).
func wilcoxLower(q float64, m, n int) float64 {
	c := wilcoxCounts(m, n)
	total := dist.Sum(c)
	s := 0.0
	for k := 0; k < len(c) && float64(k) <= q; k++ {
		s += c[k]
	}
	return s / total
}

// wilcoxUpper is R's pwilcox(q, m, n, lower.tail = FALSE): P(W > q).
func wilcoxUpper(q float64, m, n int) float64 {
	c := wilcoxCounts(m, n)
	total := dist.Sum(c)
	s := 0.0
	for k := len(c) - 1; k >= 0 && float64(k) > q; k-- {
		s += c[k]
	}
	return s / total
}
