package icc

import (
	"math"
	"strconv"
	"strings"
	"testing"

	"github.com/spinerad/spinerad/internal/stats/rfixture"
)

type iccRow struct {
	Type  string         `json:"type"`
	ICC   rfixture.Float `json:"icc"`
	F     rfixture.Float `json:"F"`
	DF1   float64        `json:"df1"`
	DF2   float64        `json:"df2"`
	P     rfixture.Float `json:"p_value"`
	Lower rfixture.Float `json:"lower"`
	Upper rfixture.Float `json:"upper"`
}

type iccFeature struct {
	NSubjects int      `json:"n_subjects"`
	NRaters   int      `json:"n_raters"`
	MSRows    float64  `json:"ms_rows"`
	MSColumns float64  `json:"ms_columns"`
	MSError   float64  `json:"ms_error"`
	MSWithin  float64  `json:"ms_within"`
	ICC21     iccRow   `json:"icc2_1"`
	ICC31     iccRow   `json:"icc3_1"`
	All       []iccRow `json:"all"`
}

// readReaders loads data/icc_readers.csv as feature -> n x 2 ratings, in
// file order.
func readReaders(t *testing.T) map[string][][]float64 {
	t.Helper()
	header, rows := rfixture.CSV(t, "data/icc_readers.csv")
	col := map[string]int{}
	for j, h := range header {
		col[h] = j
	}
	out := map[string][][]float64{}
	for _, r := range rows {
		a, err1 := strconv.ParseFloat(r[col["reader1"]], 64)
		b, err2 := strconv.ParseFloat(r[col["reader2"]], 64)
		if err1 != nil || err2 != nil {
			t.Fatalf("bad row %v", r)
		}
		name := r[col["feature"]]
		out[name] = append(out[name], []float64{a, b})
	}
	return out
}

func TestICCFixture(t *testing.T) {
	var fx struct {
		Features map[string]iccFeature `json:"features"`
	}
	rfixture.Load(t, "08_icc.json", &fx)
	data := readReaders(t)
	if len(fx.Features) == 0 {
		t.Fatal("no features")
	}
	var maxClosed, maxDist, maxTiny float64
	dev := func(got, want float64) float64 {
		return math.Abs(got-want) / math.Max(1, math.Abs(want))
	}
	for name, want := range fx.Features {
		x, ok := data[name]
		if !ok {
			t.Fatalf("%s not in icc_readers.csv", name)
		}
		r, err := Compute(x)
		if err != nil {
			t.Fatal(err)
		}
		if r.N != want.NSubjects || r.K != want.NRaters {
			t.Errorf("%s: n=%d k=%d", name, r.N, r.K)
		}
		closed := func(what string, got, w float64) {
			t.Helper()
			if !rfixture.Rel(got, w, 1e-10) {
				t.Errorf("%s %s: got %.17g want %.17g", name, what, got, w)
			}
			maxClosed = math.Max(maxClosed, dev(got, w))
		}
		distr := func(what string, got, w float64) {
			t.Helper()
			if w != 0 && math.Abs(w) < 1e-15 {
				// Tiny tail: relative to itself.
				d := math.Abs(got-w) / math.Abs(w)
				if d > 1e-6 {
					t.Errorf("%s %s: got %.17g want %.17g (rel %.3g)", name, what, got, w, d)
				}
				maxTiny = math.Max(maxTiny, d)
				return
			}
			if !rfixture.Rel(got, w, 1e-9) {
				t.Errorf("%s %s: got %.17g want %.17g", name, what, got, w)
			}
			maxDist = math.Max(maxDist, dev(got, w))
		}
		closed("ms_rows", r.MSRows, want.MSRows)
		closed("ms_columns", r.MSColumns, want.MSColumns)
		closed("ms_error", r.MSError, want.MSError)
		closed("ms_within", r.MSWithin, want.MSWithin)
		if len(want.All) != 6 {
			t.Fatalf("%s: %d rows", name, len(want.All))
		}
		rows := append([]iccRow{want.ICC21, want.ICC31}, want.All...)
		kinds := append([]Kind{ICC2, ICC3}, ICC1, ICC2, ICC3, ICC1k, ICC2k, ICC3k)
		for i, w := range rows {
			g := r.Get(kinds[i])
			if g.Type.String() != w.Type {
				t.Errorf("%s row %d: type %s want %s", name, i, g.Type, w.Type)
			}
			if g.DF1 != w.DF1 || g.DF2 != w.DF2 {
				t.Errorf("%s %s: df %v,%v want %v,%v", name, w.Type, g.DF1, g.DF2, w.DF1, w.DF2)
			}
			closed(w.Type+" icc", g.ICC, float64(w.ICC))
			closed(w.Type+" F", g.F, float64(w.F))
			distr(w.Type+" p", g.P, float64(w.P))
			distr(w.Type+" lower", g.Lower, float64(w.Lower))
			distr(w.Type+" upper", g.Upper, float64(w.Upper))
		}
	}
	t.Logf("max rel deviation: closed-form %.3g, p/CI %.3g, tiny p (rel to itself) %.3g", maxClosed, maxDist, maxTiny)
}

func TestICCHand(t *testing.T) {
	// 3 subjects x 2 raters; rater 2 = rater 1 + 1 (pure bias).
	x := [][]float64{{1, 2}, {3, 4}, {5, 6}}
	r, err := Compute(x)
	if err != nil {
		t.Fatal(err)
	}
	// Row means 1.5, 3.5, 5.5, grand 3.5: SSB = 2·8 = 16, MSB = 8;
	// column means 3, 4: SSJ = 3·0.5 = 1.5, MSJ = 1.5; SSE = 0.
	if r.MSRows != 8 || r.MSColumns != 1.5 || r.MSError != 0 || r.MSWithin != 0.5 {
		t.Fatalf("MS = %v %v %v %v", r.MSRows, r.MSColumns, r.MSError, r.MSWithin)
	}
	// ICC3 (consistency) = 1; ICC2 = 8/(8 + 2·1.5/3) = 8/9; ICC1 = 7.5/8.5.
	if g := r.Get(ICC3).ICC; g != 1 {
		t.Errorf("ICC3 = %v", g)
	}
	if g := r.Get(ICC2).ICC; math.Abs(g-8.0/9) > 1e-15 {
		t.Errorf("ICC2 = %v", g)
	}
	if g := r.Get(ICC1).ICC; math.Abs(g-7.5/8.5) > 1e-15 {
		t.Errorf("ICC1 = %v", g)
	}
	if g := r.Get(ICC3); !math.IsInf(g.F, 1) || g.P != 0 {
		t.Errorf("ICC3 F = %v p = %v", g.F, g.P)
	}
}

func TestICCErrors(t *testing.T) {
	cases := []struct {
		name string
		x    [][]float64
		msg  string
	}{
		{"one subject", [][]float64{{1, 2}}, "2 subjects"},
		{"one rater", [][]float64{{1}, {2}}, "2 raters"},
		{"ragged", [][]float64{{1, 2}, {3}}, "ratings"},
		{"nan", [][]float64{{1, 2}, {3, math.NaN()}}, "missing"},
		{"constant", [][]float64{{2, 2}, {2, 2}, {2, 2}}, "equal"},
	}
	for _, tc := range cases {
		_, err := Compute(tc.x)
		if err == nil || !strings.Contains(err.Error(), tc.msg) {
			t.Errorf("%s: err = %v, want mention of %q", tc.name, err, tc.msg)
		}
	}
	if _, err := ComputeAlpha([][]float64{{1, 2}, {3, 5}}, 1.5); err == nil {
		t.Error("alpha 1.5 accepted")
	}
}
