package decision

import (
	"math"
	"strings"
	"testing"

	"github.com/spinerad/spinerad/internal/stats/rfixture"
)

type dcaModel struct {
	P                     []float64 `json:"p"`
	TP                    []int     `json:"tp"`
	FP                    []int     `json:"fp"`
	NetBenefit            []float64 `json:"net_benefit"`
	NetReduction          []float64 `json:"net_reduction_per_100"`
	CICHighRisk           []float64 `json:"cic_high_risk_per_1000"`
	CICHighRiskWithEvents []float64 `json:"cic_high_risk_with_event_per_1000"`
}

type dcaFixture struct {
	Y          []float64           `json:"y"`
	N          int                 `json:"n"`
	NEvents    int                 `json:"n_events"`
	Prevalence float64             `json:"prevalence"`
	Thresholds []float64           `json:"thresholds"`
	TreatAll   []float64           `json:"treat_all"`
	TreatNone  []float64           `json:"treat_none"`
	Models     map[string]dcaModel `json:"models"`
}

func TestDecisionCurveFixture(t *testing.T) {
	var fx dcaFixture
	rfixture.Load(t, "05_dca.json", &fx)
	def := DefaultThresholds()
	if len(def) != len(fx.Thresholds) {
		t.Fatalf("default thresholds: %d, fixture %d", len(def), len(fx.Thresholds))
	}
	for k := range def {
		if def[k] != fx.Thresholds[k] {
			t.Errorf("threshold %d: %v, want %v (bit-exact)", k, def[k], fx.Thresholds[k])
		}
	}
	if len(fx.Models) == 0 {
		t.Fatal("no models in fixture")
	}
	const tol = 1e-10
	maxDev := 0.0
	check := func(what string, got, want float64) {
		t.Helper()
		if !rfixture.Rel(got, want, tol) {
			t.Errorf("%s: got %.17g want %.17g", what, got, want)
		}
		maxDev = math.Max(maxDev, math.Abs(got-want)/math.Max(1, math.Abs(want)))
	}
	for name, m := range fx.Models {
		c, err := DecisionCurve(fx.Y, m.P, nil)
		if err != nil {
			t.Fatal(err)
		}
		if c.N != fx.N || c.Events != fx.NEvents {
			t.Errorf("%s: n=%d events=%d, want %d %d", name, c.N, c.Events, fx.N, fx.NEvents)
		}
		check(name+" prevalence", c.Prevalence, fx.Prevalence)
		for k, pt := range c.Points {
			if pt.TP != m.TP[k] || pt.FP != m.FP[k] {
				t.Errorf("%s pt=%v: tp/fp %d/%d, want %d/%d", name, pt.Threshold, pt.TP, pt.FP, m.TP[k], m.FP[k])
			}
			check(name+" net benefit", pt.NetBenefit, m.NetBenefit[k])
			check(name+" treat all", pt.TreatAll, fx.TreatAll[k])
			check(name+" treat none", pt.TreatNone, fx.TreatNone[k])
			check(name+" net reduction", pt.NetReductionPer100, m.NetReduction[k])
			check(name+" cic", pt.CICHighRiskPer1000, m.CICHighRisk[k])
			check(name+" cic events", pt.CICHighRiskWithEventPer1000, m.CICHighRiskWithEvents[k])
		}
	}
	t.Logf("max rel deviation vs R: %.3g", maxDev)
}

func TestDecisionCurveHand(t *testing.T) {
	// n = 4, 2 events; at pt = 0.5 only p > 0.5 is high risk (0.5 itself is not).
	y := []float64{1, 0, 1, 0}
	p := []float64{0.9, 0.6, 0.5, 0.1}
	c, err := DecisionCurve(y, p, []float64{0.5, 0.25})
	if err != nil {
		t.Fatal(err)
	}
	pt := c.Points[0]
	if pt.TP != 1 || pt.FP != 1 {
		t.Fatalf("tp/fp = %d/%d, want 1/1", pt.TP, pt.FP)
	}
	// NB = 1/4 - 1/4*1 = 0; all = 0.5 - 0.5 = 0; reduction 0; CIC 500 and 250.
	want := []float64{0, 0, 0, 500, 250}
	got := []float64{pt.NetBenefit, pt.TreatAll, pt.NetReductionPer100, pt.CICHighRiskPer1000, pt.CICHighRiskWithEventPer1000}
	for i := range want {
		if math.Abs(got[i]-want[i]) > 1e-15 {
			t.Errorf("value %d: %v want %v", i, got[i], want[i])
		}
	}
	// pt = 0.25, odds 1/3: tp = 2, fp = 1 -> NB = 0.5 - 0.25/3; all = 0.5 - 0.5/3.
	pt = c.Points[1]
	if math.Abs(pt.NetBenefit-(0.5-0.25/3)) > 1e-15 || math.Abs(pt.TreatAll-(0.5-0.5/3)) > 1e-15 {
		t.Errorf("pt=0.25: NB %v all %v", pt.NetBenefit, pt.TreatAll)
	}
	if math.Abs(pt.NetReductionPer100-25) > 1e-12 { // (0.25/3)/(1/3)*100
		t.Errorf("net reduction %v want 25", pt.NetReductionPer100)
	}
}

func TestDecisionCurveErrors(t *testing.T) {
	cases := []struct {
		name      string
		y, p, thr []float64
		msg       string
	}{
		{"empty", nil, nil, nil, "empty"},
		{"mismatch", []float64{0, 1}, []float64{0.5}, nil, "predictions"},
		{"bad y", []float64{0, 2}, []float64{0.5, 0.5}, nil, "want 0 or 1"},
		{"single class", []float64{1, 1}, []float64{0.5, 0.5}, nil, "single class"},
		{"nan p", []float64{0, 1}, []float64{0.5, math.NaN()}, nil, "NaN"},
		{"bad threshold", []float64{0, 1}, []float64{0.5, 0.5}, []float64{1}, "outside"},
	}
	for _, tc := range cases {
		_, err := DecisionCurve(tc.y, tc.p, tc.thr)
		if err == nil || !strings.Contains(err.Error(), tc.msg) {
			t.Errorf("%s: err = %v, want mention of %q", tc.name, err, tc.msg)
		}
	}
}
