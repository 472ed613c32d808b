package hypothesis

import (
	"math"
	"strconv"
	"strings"
	"testing"

	"github.com/spinerad/spinerad/internal/stats/dist"

	"github.com/spinerad/spinerad/internal/stats/rfixture"
)

type fxSummary struct {
	N        int     `json:"n"`
	NMissing int     `json:"n_missing"`
	Mean     float64 `json:"mean"`
	SD       float64 `json:"sd"`
	Median   float64 `json:"median"`
	Q1       float64 `json:"q1"`
	Q3       float64 `json:"q3"`
	Min      float64 `json:"min"`
	Max      float64 `json:"max"`
}

type fxTTest struct {
	T        float64    `json:"statistic_t"`
	DF       float64    `json:"df"`
	P        float64    `json:"p_value"`
	ConfInt  [2]float64 `json:"conf_int"`
	Estimate [2]float64 `json:"estimate"`
}

type fxContinuous struct {
	Group0   fxSummary `json:"group0"`
	Group1   fxSummary `json:"group1"`
	Student  fxTTest   `json:"t_test_equal_var"`
	Welch    fxTTest   `json:"t_test_welch"`
	Wilcoxon struct {
		W     float64 `json:"statistic_W"`
		P     float64 `json:"p_value"`
		Exact bool    `json:"exact"`
		Ties  bool    `json:"ties"`
	} `json:"wilcoxon"`
}

type fxChi struct {
	Statistic float64 `json:"statistic"`
	DF        float64 `json:"df"`
	P         float64 `json:"p_value"`
}

type fxOR struct {
	OddsRatio rfixture.Float    `json:"odds_ratio"`
	ConfInt   [2]rfixture.Float `json:"conf_int"`
}

type fxCategorical struct {
	Levels        []string    `json:"levels"`
	Counts        [][]int     `json:"counts"`
	ColumnPercent [][]float64 `json:"column_percent"`
	Yates         fxChi       `json:"chisq_yates"`
	NoCorrection  fxChi       `json:"chisq_no_correction"`
	Expected      [][]float64 `json:"expected"`
	Fisher        struct {
		P float64 `json:"p_value"`
		fxOR
		Tight fxOR `json:"tight"`
	} `json:"fisher"`
}

type fxComparison struct {
	Continuous  map[string]fxContinuous  `json:"continuous"`
	Categorical map[string]fxCategorical `json:"categorical"`
}

// cohort reads data/cohort_b.csv as column name -> values (strings).
func cohort(t *testing.T) map[string][]string {
	t.Helper()
	return rfixture.Columns(t, "data/cohort_b.csv")
}

func parseCol(t *testing.T, s []string) []float64 {
	out := make([]float64, len(s))
	for i, v := range s {
		if v == "" || v == "NA" {
			out[i] = math.NaN()
			continue
		}
		x, err := strconv.ParseFloat(v, 64)
		if err != nil {
			t.Fatal(err)
		}
		out[i] = x
	}
	return out
}

type devs struct{ closed, dist, or, orR float64 }

func rel(got, want float64) float64 {
	if got == want {
		return 0
	}
	return math.Abs(got-want) / math.Max(1, math.Abs(want))
}

func TestBaselineFixture(t *testing.T) {
	var fx struct {
		ByOutcome fxComparison `json:"by_outcome"`
		ByCohort  fxComparison `json:"by_cohort"`
	}
	rfixture.Load(t, "07_baseline_tests.json", &fx)
	cols := cohort(t)
	n := len(cols["patient_id"])
	// by_outcome: train rows, group = malignant (0, 1); by_cohort: all rows,
	// group = train / validation.
	var outcomeRows [2][]int
	var cohortRows [2][]int
	for i := 0; i < n; i++ {
		g := 1
		if cols["cohort"][i] == "train" {
			g = 0
			m := 0
			if cols["malignant"][i] == "1" {
				m = 1
			}
			outcomeRows[m] = append(outcomeRows[m], i)
		}
		cohortRows[g] = append(cohortRows[g], i)
	}
	var d devs
	runComparison(t, "by_outcome", fx.ByOutcome, cols, outcomeRows, &d)
	runComparison(t, "by_cohort", fx.ByCohort, cols, cohortRows, &d)
	t.Logf("max rel deviation vs R: closed-form %.3g, p/CI %.3g, Fisher OR/CI vs tight %.3g, R-tolerance Fisher vs R %.3g", d.closed, d.dist, d.or, d.orR)
}

func pick[T any](v []T, rows []int) []T {
	out := make([]T, len(rows))
	for i, r := range rows {
		out[i] = v[r]
	}
	return out
}

func runComparison(t *testing.T, name string, fx fxComparison, cols map[string][]string, rows [2][]int, d *devs) {
	if len(fx.Continuous) == 0 || len(fx.Categorical) == 0 {
		t.Fatalf("%s: empty fixture", name)
	}
	closed := func(what string, got, want float64) {
		t.Helper()
		if !rfixture.Rel(got, want, 1e-10) {
			t.Errorf("%s %s: got %.17g want %.17g", name, what, got, want)
		}
		d.closed = math.Max(d.closed, rel(got, want))
	}
	dist := func(what string, got, want float64) {
		t.Helper()
		if !rfixture.Rel(got, want, 1e-9) {
			t.Errorf("%s %s: got %.17g want %.17g", name, what, got, want)
		}
		d.dist = math.Max(d.dist, rel(got, want))
	}
	for v, want := range fx.Continuous {
		col, ok := cols[v]
		if !ok {
			t.Fatalf("column %s missing", v)
		}
		x := parseCol(t, col)
		c, err := CompareContinuous(pick(x, rows[0]), pick(x, rows[1]))
		if err != nil {
			t.Fatalf("%s %s: %v", name, v, err)
		}
		for gi, pair := range [2]struct {
			got  Summary
			want fxSummary
		}{{c.Group0, want.Group0}, {c.Group1, want.Group1}} {
			g, w := pair.got, pair.want
			if g.N != w.N || g.NMissing != w.NMissing {
				t.Errorf("%s %s group%d: n %d/%d want %d/%d", name, v, gi, g.N, g.NMissing, w.N, w.NMissing)
			}
			closed(v+" mean", g.Mean, w.Mean)
			closed(v+" sd", g.SD, w.SD)
			closed(v+" median", g.Median, w.Median)
			closed(v+" q1", g.Q1, w.Q1)
			closed(v+" q3", g.Q3, w.Q3)
			closed(v+" min", g.Min, w.Min)
			closed(v+" max", g.Max, w.Max)
		}
		for _, pair := range [2]struct {
			got  TTest
			want fxTTest
			what string
		}{{c.Student, want.Student, "student"}, {c.Welch, want.Welch, "welch"}} {
			g, w := pair.got, pair.want
			closed(v+" "+pair.what+" t", g.T, w.T)
			closed(v+" "+pair.what+" df", g.DF, w.DF)
			dist(v+" "+pair.what+" p", g.P, w.P)
			dist(v+" "+pair.what+" ci lo", g.ConfInt[0], w.ConfInt[0])
			dist(v+" "+pair.what+" ci hi", g.ConfInt[1], w.ConfInt[1])
			closed(v+" "+pair.what+" est0", g.Estimate[0], w.Estimate[0])
			closed(v+" "+pair.what+" est1", g.Estimate[1], w.Estimate[1])
		}
		if c.Wilcoxon.W != want.Wilcoxon.W || c.Wilcoxon.Exact != want.Wilcoxon.Exact || c.Wilcoxon.Ties != want.Wilcoxon.Ties {
			t.Errorf("%s %s wilcoxon: W %v exact %v ties %v, want %v %v %v", name, v,
				c.Wilcoxon.W, c.Wilcoxon.Exact, c.Wilcoxon.Ties, want.Wilcoxon.W, want.Wilcoxon.Exact, want.Wilcoxon.Ties)
		}
		dist(v+" wilcoxon p", c.Wilcoxon.P, want.Wilcoxon.P)
	}
	for v, want := range fx.Categorical {
		col, ok := cols[v]
		if !ok {
			t.Fatalf("column %s missing", v)
		}
		counts, err := CrossTab(want.Levels, pick(col, rows[0]), pick(col, rows[1]))
		if err != nil {
			t.Fatal(err)
		}
		c, err := CompareCategorical(counts)
		if err != nil {
			t.Fatal(err)
		}
		for i := range want.Counts {
			for j := range want.Counts[i] {
				if counts[i][j] != want.Counts[i][j] {
					t.Errorf("%s %s counts[%d][%d] = %d want %d", name, v, i, j, counts[i][j], want.Counts[i][j])
				}
				closed(v+" column percent", c.ColumnPercent[i][j], want.ColumnPercent[i][j])
				closed(v+" expected", c.ChiSq.Expected[i][j], want.Expected[i][j])
			}
		}
		for _, pair := range [2]struct {
			got  ChiSq
			want fxChi
		}{{c.ChiSqYates, want.Yates}, {c.ChiSq, want.NoCorrection}} {
			closed(v+" chisq", pair.got.Statistic, pair.want.Statistic)
			if pair.got.DF != pair.want.DF {
				t.Errorf("%s %s chisq df %v want %v", name, v, pair.got.DF, pair.want.DF)
			}
			dist(v+" chisq p", pair.got.P, pair.want.P)
		}
		f := c.Fisher
		if f == nil {
			t.Fatalf("%s %s: no Fisher test", name, v)
		}
		dist(v+" fisher p", f.P, want.Fisher.P)
		orCheck := func(what string, got, want, tol float64) {
			t.Helper()
			if math.IsInf(want, 0) || want == 0 {
				if got != want {
					t.Errorf("%s %s %s: got %.17g want %.17g", name, v, what, got, want)
				}
				return
			}
			if math.Abs(got-want) > tol*math.Abs(want) {
				t.Errorf("%s %s %s: got %.17g want %.17g", name, v, what, got, want)
			}
		}
		orCheck("fisher OR vs tight", f.OddsRatio, float64(want.Fisher.Tight.OddsRatio), 1e-8)
		orCheck("fisher CI lo vs tight", f.ConfInt[0], float64(want.Fisher.Tight.ConfInt[0]), 1e-8)
		orCheck("fisher CI hi vs tight", f.ConfInt[1], float64(want.Fisher.Tight.ConfInt[1]), 1e-8)
		for _, p := range [][2]float64{
			{f.OddsRatio, float64(want.Fisher.Tight.OddsRatio)},
			{f.ConfInt[0], float64(want.Fisher.Tight.ConfInt[0])}, {f.ConfInt[1], float64(want.Fisher.Tight.ConfInt[1])}} {
			if p[0] != p[1] {
				d.or = math.Max(d.or, math.Abs(p[0]-p[1])/math.Abs(p[1]))
			}
		}
		orCheck("fisher OR vs R", f.OddsRatio, float64(want.Fisher.OddsRatio), 1e-3)
		orCheck("fisher CI lo vs R", f.ConfInt[0], float64(want.Fisher.ConfInt[0]), 1e-3)
		orCheck("fisher CI hi vs R", f.ConfInt[1], float64(want.Fisher.ConfInt[1]), 1e-3)
		// With R's own uniroot tolerance the loose values are reproduced closely.
		tab := [2][2]int{{counts[0][0], counts[0][1]}, {counts[1][0], counts[1][1]}}
		fr, err := FisherExact2x2Tol(tab, RUnirootTol)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range [][2]float64{
			{fr.OddsRatio, float64(want.Fisher.OddsRatio)},
			{fr.ConfInt[0], float64(want.Fisher.ConfInt[0])}, {fr.ConfInt[1], float64(want.Fisher.ConfInt[1])}} {
			dv := 0.0
			if p[0] != p[1] {
				dv = math.Abs(p[0]-p[1]) / math.Abs(p[1])
			}
			if dv > 1e-8 {
				t.Errorf("%s %s: Fisher with R's uniroot tolerance %.17g, R %.17g", name, v, p[0], p[1])
			}
			d.orR = math.Max(d.orR, dv)
		}
	}
}

func TestSummarizeAndQuantile(t *testing.T) {
	s := Summarize([]float64{4, math.NaN(), 1, 3, 2})
	// sorted 1 2 3 4: q1 index 1.75 -> 1.75, median 2.5, q3 3.25.
	if s.N != 4 || s.NMissing != 1 || s.Mean != 2.5 || s.Median != 2.5 || s.Q1 != 1.75 || s.Q3 != 3.25 || s.Min != 1 || s.Max != 4 {
		t.Errorf("summary %+v", s)
	}
	if math.Abs(s.SD-math.Sqrt(5.0/3)) > 1e-15 {
		t.Errorf("sd %v", s.SD)
	}
	e := Summarize([]float64{math.NaN()})
	if e.N != 0 || e.NMissing != 1 || !math.IsNaN(e.Mean) {
		t.Errorf("empty summary %+v", e)
	}
}

func TestWilcoxonExact(t *testing.T) {
	// R: wilcox.test(c(1.1, 2.2, 3.3, 4.4), c(5.5, 6.6, 7.7)) -> W = 0,
	// p = 2/choose(7, 3) = 2/35; and wilcox.test(c(1, 3, 5), c(2, 4, 6, 7)):
	// W = #{x > y pairs} = 0+1+2 = 3, P(W <= 3) for m = 3, n = 4 is 7/35,
	// two-sided p = 14/35 = 0.4.
	cases := []struct {
		x, y []float64
		w, p float64
	}{
		{[]float64{1.1, 2.2, 3.3, 4.4}, []float64{5.5, 6.6, 7.7}, 0, 2.0 / 35},
		{[]float64{1, 3, 5}, []float64{2, 4, 6, 7}, 3, 0.4},
		{[]float64{5.5, 6.6, 7.7}, []float64{1.1, 2.2, 3.3, 4.4}, 12, 2.0 / 35},
	}
	for i, tc := range cases {
		r, err := WilcoxonRankSum(tc.x, tc.y)
		if err != nil {
			t.Fatal(err)
		}
		if !r.Exact || r.W != tc.w || math.Abs(r.P-tc.p) > 1e-15 {
			t.Errorf("case %d: %+v, want W %v p %v", i, r, tc.w, tc.p)
		}
	}
	// The counts of W for m = n = 2 are 1 1 2 1 1.
	c := wilcoxCounts(2, 2)
	want := []float64{1, 1, 2, 1, 1}
	for k := range want {
		if c[k] != want[k] {
			t.Errorf("counts %v want %v", c, want)
			break
		}
	}
}

func TestChiSquareHand(t *testing.T) {
	// 2x2 {{10, 20}, {20, 10}}: E = 15 everywhere, |O-E| = 5.
	r, err := ChiSquare([][]float64{{10, 20}, {20, 10}}, false)
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(r.Statistic-4*25.0/15) > 1e-13 || r.DF != 1 {
		t.Errorf("no correction: %+v", r)
	}
	ry, _ := ChiSquare([][]float64{{10, 20}, {20, 10}}, true)
	if math.Abs(ry.Statistic-4*4.5*4.5/15) > 1e-13 || ry.Yates != 0.5 {
		t.Errorf("yates: %+v", ry)
	}
	// Upper tail of chi-square(1) at 3.841458820694124 is 0.05.
	if p := dist.ChiSqUpper(3.841458820694124, 1); math.Abs(p-0.05) > 1e-15 {
		t.Errorf("chisq upper %v", p)
	}
}

func TestFisherHand(t *testing.T) {
	// R: fisher.test(matrix(c(3, 1, 1, 3), 2)) -> p = 0.4857142857142857
	// (= 34/70), OR estimate 6.408309 (R's uniroot tolerance).
	f, err := FisherExact2x2([2][2]int{{3, 1}, {1, 3}})
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(f.P-34.0/70) > 1e-14 {
		t.Errorf("p = %.17g", f.P)
	}
	if math.Abs(f.OddsRatio-6.408309) > 1e-4*6.4 {
		t.Errorf("OR = %.10g", f.OddsRatio)
	}
	// R's printed estimate (7 digits) is reproduced with R's tolerance.
	fr, _ := FisherExact2x2Tol([2][2]int{{3, 1}, {1, 3}}, RUnirootTol)
	if math.Abs(fr.OddsRatio-6.408309) > 5e-7 {
		t.Errorf("OR (R tolerance) = %.10g", fr.OddsRatio)
	}
	// Conditional MLE: E_psi[u] = x at the estimate.
	h := newNHyper(3, 4, 4, 4)
	if m := h.mean(f.OddsRatio); math.Abs(m-3) > 1e-13 {
		t.Errorf("E[u] at MLE = %v", m)
	}
	// Edge: x at the bottom of its support -> OR 0, lower bound 0.
	e, err := FisherExact2x2([2][2]int{{0, 5}, {5, 0}})
	if err != nil {
		t.Fatal(err)
	}
	if e.OddsRatio != 0 || e.ConfInt[0] != 0 || !(e.ConfInt[1] > 0) {
		t.Errorf("edge: %+v", e)
	}
}

func TestErrors(t *testing.T) {
	nan := math.NaN()
	check := func(what string, err error, msg string) {
		t.Helper()
		if err == nil || !strings.Contains(err.Error(), msg) {
			t.Errorf("%s: err = %v, want mention of %q", what, err, msg)
		}
	}
	_, err := StudentT([]float64{1, nan}, []float64{1, 2})
	check("t NaN", err, "missing")
	_, err = WelchT([]float64{1}, []float64{1, 2})
	check("welch n", err, "at least 2")
	_, err = StudentT([]float64{3, 3}, []float64{3, 3})
	check("t constant", err, "constant")
	_, err = WilcoxonRankSum(nil, []float64{1})
	check("wilcoxon empty", err, "both groups")
	_, err = WilcoxonRankSum([]float64{2, 2, 2}, []float64{2, 2})
	check("wilcoxon tied", err, "tied")
	_, err = ChiSquare([][]float64{{1, 2}}, false)
	check("chisq rows", err, "2 rows")
	_, err = ChiSquare([][]float64{{0, 2}, {0, 3}}, false)
	check("chisq empty column", err, "empty")
	_, err = FisherExact2x2([2][2]int{{-1, 2}, {3, 4}})
	check("fisher negative", err, "negative")
	_, err = FisherExact2x2([2][2]int{{0, 0}, {3, 4}})
	check("fisher empty row", err, "non-empty")
	_, err = CrossTab([]string{"F", "M"}, []string{"F", "X"})
	check("crosstab level", err, "not a level")
	_, err = CompareCategorical([][]int{{1, 2, 3}})
	check("categorical shape", err, "2x2")
}
