package nomogram

import (
	"math"
	"strconv"
	"strings"
	"testing"

	"github.com/spinerad/spinerad/internal/stats/rfixture"
)

type fxAxis struct {
	Values        []float64 `json:"values"`
	XBeta         []float64 `json:"xbeta"`
	Points        []float64 `json:"points"`
	XBetaMin      float64   `json:"xbeta_min"`
	XBetaMax      float64   `json:"xbeta_max"`
	PointsPerUnit float64   `json:"points_per_unit"`
}

type fxNomogram struct {
	LRM struct {
		Terms        []string  `json:"terms"`
		Coefficients []float64 `json:"coefficients"`
	} `json:"lrm"`
	MaxScale          float64           `json:"maxscale"`
	Sc                float64           `json:"sc"`
	NomogramIntercept float64           `json:"nomogram_intercept"`
	Axes              map[string]fxAxis `json:"axes"`
	TotalPointsAxis   []float64         `json:"total_points_axis"`
	LPAxis            struct {
		LP          []float64 `json:"lp"`
		TotalPoints []float64 `json:"total_points"`
	} `json:"lp_axis"`
	FunAxis struct {
		Probability      []float64 `json:"probability"`
		TotalPoints      []float64 `json:"total_points"`
		TotalPointsExact []float64 `json:"total_points_exact"`
		FunAtRequested   []float64 `json:"fun_at_requested"`
	} `json:"fun_axis"`
	Examples struct {
		PatientID    []string             `json:"patient_id"`
		Values       map[string][]float64 `json:"values"`
		Points       map[string][]float64 `json:"points"`
		TotalPoints  []float64            `json:"total_points"`
		LP           []float64            `json:"linear_predictor"`
		Probability  []float64            `json:"probability"`
		PredictedRMS []float64            `json:"predicted_rms"`
	} `json:"examples"`
}

// trainColumns returns, for each model term, its values on the training
// rows of cohort_b.csv (log_ca125 = log(ca125); radscore from
// 02_radscore.json; other terms are CSV columns).
func trainColumns(t *testing.T, terms []string) map[string][]float64 {
	t.Helper()
	header, rows := rfixture.CSV(t, "data/cohort_b.csv")
	col := map[string]int{}
	for j, h := range header {
		col[h] = j
	}
	var rs struct {
		PatientID []string  `json:"patient_id"`
		Radscore  []float64 `json:"radscore"`
	}
	rfixture.Load(t, "02_radscore.json", &rs)
	rad := map[string]float64{}
	for i, id := range rs.PatientID {
		rad[id] = rs.Radscore[i]
	}
	out := map[string][]float64{}
	for _, r := range rows {
		if r[col["cohort"]] != "train" {
			continue
		}
		for _, term := range terms {
			var v float64
			switch term {
			case "radscore":
				var ok bool
				if v, ok = rad[r[col["patient_id"]]]; !ok {
					t.Fatalf("no radscore for %s", r[col["patient_id"]])
				}
			case "log_ca125":
				x, err := strconv.ParseFloat(r[col["ca125"]], 64)
				if err != nil {
					t.Fatal(err)
				}
				v = math.Log(x)
			default:
				j, ok := col[term]
				if !ok {
					t.Fatalf("term %s not in cohort_b.csv", term)
				}
				x, err := strconv.ParseFloat(r[j], 64)
				if err != nil {
					t.Fatal(err)
				}
				v = x
			}
			out[term] = append(out[term], v)
		}
	}
	return out
}

func TestNomogramFixture(t *testing.T) {
	var fx fxNomogram
	rfixture.Load(t, "06_nomogram.json", &fx)
	if fx.LRM.Terms[0] != "Intercept" || len(fx.LRM.Terms) != len(fx.LRM.Coefficients) {
		t.Fatalf("unexpected lrm terms %v", fx.LRM.Terms)
	}
	terms := fx.LRM.Terms[1:]
	train := trainColumns(t, terms)
	m := Model{Intercept: fx.LRM.Coefficients[0]}
	for j, term := range terms {
		m.Predictors = append(m.Predictors, Predictor{Name: term, Coef: fx.LRM.Coefficients[j+1], Train: train[term]})
	}
	nm, err := Build(m, Options{MaxScale: fx.MaxScale, NInt: 10, FunAt: fx.FunAxis.FunAtRequested})
	if err != nil {
		t.Fatal(err)
	}
	maxDev := 0.0
	check := func(what string, got, want float64) {
		t.Helper()
		if !rfixture.Rel(got, want, 1e-10) {
			t.Errorf("%s: got %.17g want %.17g", what, got, want)
		}
		maxDev = math.Max(maxDev, math.Abs(got-want)/math.Max(1, math.Abs(want)))
	}
	checkVec := func(what string, got, want []float64) {
		t.Helper()
		if len(got) != len(want) {
			t.Errorf("%s: %d values %v, want %d %v", what, len(got), got, len(want), want)
			return
		}
		for i := range want {
			check(what, got[i], want[i])
		}
	}
	check("sc", nm.Sc, fx.Sc)
	check("nomogram intercept", nm.Intercept, fx.NomogramIntercept)
	if len(fx.Axes) != len(nm.Axes) {
		t.Fatalf("%d axes, want %d", len(nm.Axes), len(fx.Axes))
	}
	for _, ax := range nm.Axes {
		w, ok := fx.Axes[ax.Name]
		if !ok {
			t.Fatalf("axis %s not in fixture", ax.Name)
		}
		for i := range w.Values {
			if i < len(ax.Values) && ax.Values[i] != w.Values[i] {
				t.Errorf("%s tick %d: %.17g, want %.17g (bit-exact)", ax.Name, i, ax.Values[i], w.Values[i])
			}
		}
		checkVec(ax.Name+" values", ax.Values, w.Values)
		checkVec(ax.Name+" xbeta", ax.XBeta, w.XBeta)
		checkVec(ax.Name+" points", ax.Points, w.Points)
		check(ax.Name+" xbeta min", ax.XBetaMin, w.XBetaMin)
		check(ax.Name+" xbeta max", ax.XBetaMax, w.XBetaMax)
		check(ax.Name+" points per unit", ax.PointsPerUnit, w.PointsPerUnit)
	}
	checkVec("total points axis", nm.TotalPointsAxis, fx.TotalPointsAxis)
	checkVec("lp axis", nm.LPAxis, fx.LPAxis.LP)
	checkVec("lp axis points", nm.LPAxisPoints, fx.LPAxis.TotalPoints)
	checkVec("fun axis probability", nm.FunAt, fx.FunAxis.Probability)
	checkVec("fun axis exact", nm.FunPointsExact, fx.FunAxis.TotalPointsExact)
	// rms's interpolated positions: reproduced closely; within 1e-3 of exact.
	maxRMS := 0.0
	for i := range fx.FunAxis.TotalPoints {
		if i >= len(nm.FunPoints) {
			break
		}
		d := math.Abs(nm.FunPoints[i] - fx.FunAxis.TotalPoints[i])
		maxRMS = math.Max(maxRMS, d)
		if d > 1e-8 {
			t.Errorf("fun axis rms position %d: %.17g want %.17g", i, nm.FunPoints[i], fx.FunAxis.TotalPoints[i])
		}
		if math.Abs(nm.FunPoints[i]-nm.FunPointsExact[i]) > 1e-3 {
			t.Errorf("fun axis position %d: interpolated %v vs exact %v", i, nm.FunPoints[i], nm.FunPointsExact[i])
		}
	}
	// Examples.
	ex := fx.Examples
	for i := range ex.PatientID {
		vals := map[string]float64{}
		for name, v := range ex.Values {
			vals[name] = v[i]
		}
		s, err := nm.Score(vals)
		if err != nil {
			t.Fatal(err)
		}
		for j, ax := range nm.Axes {
			check(ex.PatientID[i]+" points "+ax.Name, s.Points[j], ex.Points[ax.Name][i])
		}
		check(ex.PatientID[i]+" total", s.Total, ex.TotalPoints[i])
		check(ex.PatientID[i]+" lp", s.LP, ex.LP[i])
		check(ex.PatientID[i]+" probability", s.Probability, ex.Probability[i])
		if math.Abs(s.Probability-ex.PredictedRMS[i]) > 1e-12 {
			t.Errorf("%s: probability %v vs predict.lrm %v", ex.PatientID[i], s.Probability, ex.PredictedRMS[i])
		}
	}
	t.Logf("max rel deviation vs R %.3g; rms fun-axis positions max abs deviation %.3g", maxDev, maxRMS)
}

func TestPrettyHand(t *testing.T) {
	cases := []struct {
		lo, hi float64
		n      int
		want   []float64
	}{
		// R: pretty(c(1, 10)) -> 0 2 4 6 8 10.
		{1, 10, 5, []float64{0, 2, 4, 6, 8, 10}},
		// R: pretty(c(0, 1)) -> 0.0 0.2 0.4 0.6 0.8 1.0.
		{0, 1, 5, []float64{0, 0.2, 0.4, 0.6000000000000001, 0.8, 1}},
		// R: pretty(c(0, 110.9), 10) -> 0 10 ... 120 (unit 10, ndiv 12).
		{0, 110.9, 10, []float64{0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 110, 120}},
	}
	for _, tc := range cases {
		got, err := Pretty(tc.lo, tc.hi, tc.n)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != len(tc.want) {
			t.Errorf("pretty(%v, %v, %d) = %v, want %v", tc.lo, tc.hi, tc.n, got, tc.want)
			continue
		}
		for i := range got {
			if got[i] != tc.want[i] {
				t.Errorf("pretty(%v, %v, %d) = %v, want %v", tc.lo, tc.hi, tc.n, got, tc.want)
				break
			}
		}
	}
	// pow10Floor must treat exact powers of ten as their own floor (Go's
	// math.Log10(1000) is 2.9999999999999996).
	for _, c := range []struct{ x, want float64 }{{1000, 1000}, {999.99, 100}, {0.1, 0.1}, {0.0999, 0.01}, {1e-5, 1e-5}, {5, 1}} {
		if got := pow10Floor(c.x); got != c.want {
			t.Errorf("pow10Floor(%v) = %v want %v", c.x, got, c.want)
		}
	}
}

func TestNomogramErrors(t *testing.T) {
	good := []float64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}
	cases := []struct {
		name string
		m    Model
		opt  Options
		msg  string
	}{
		{"none", Model{}, Options{}, "no predictors"},
		{"dup", Model{Predictors: []Predictor{{Name: "a", Coef: 1, Train: good}, {Name: "a", Coef: 1, Train: good}}}, Options{}, "duplicate"},
		{"len", Model{Predictors: []Predictor{{Name: "a", Coef: 1, Train: good}, {Name: "b", Coef: 1, Train: good[:3]}}}, Options{}, "training values"},
		{"nan", Model{Predictors: []Predictor{{Name: "a", Coef: 1, Train: []float64{1, math.NaN()}}}}, Options{}, "NaN"},
		{"const", Model{Predictors: []Predictor{{Name: "a", Coef: 1, Train: []float64{2, 2, 2}}}}, Options{}, "constant"},
		{"zero", Model{Predictors: []Predictor{{Name: "a", Coef: 0, Train: good}}}, Options{}, "zero"},
		{"funat", Model{Predictors: []Predictor{{Name: "a", Coef: 1, Train: good}}}, Options{FunAt: []float64{1.5}}, "outside"},
	}
	for _, tc := range cases {
		_, err := Build(tc.m, tc.opt)
		if err == nil || !strings.Contains(err.Error(), tc.msg) {
			t.Errorf("%s: err = %v, want mention of %q", tc.name, err, tc.msg)
		}
	}
	nm, err := Build(Model{Predictors: []Predictor{{Name: "a", Coef: 0.5, Train: good}}}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := nm.Score(map[string]float64{"b": 1}); err == nil || !strings.Contains(err.Error(), "no value") {
		t.Errorf("score with wrong name: %v", err)
	}
	// Single predictor: pretty(c(1, 12), 10) has cell 1.1 -> unit 1, ticks
	// 1..12; xbeta 0.5..6, so sc = 100/5.5 and x = 12 scores 100 points.
	if nm.Axes[0].Values[0] != 1 || nm.Axes[0].Values[len(nm.Axes[0].Values)-1] != 12 {
		t.Errorf("ticks %v", nm.Axes[0].Values)
	}
	if math.Abs(nm.Sc-100/5.5) > 1e-13 {
		t.Errorf("sc %v", nm.Sc)
	}
	s, _ := nm.Score(map[string]float64{"a": 12})
	if math.Abs(s.Total-100) > 1e-12 || math.Abs(s.LP-6) > 1e-12 {
		t.Errorf("score %+v", s)
	}
}
