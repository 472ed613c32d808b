package roc

import (
	"math"
	"math/rand/v2"
	"strconv"
	"testing"

	"github.com/spinerad/spinerad/internal/stats/rfixture"
)

// Tolerances of the fixture README: closed-form results 1e-10 rel,
// distribution-function results 1e-9 rel.
const (
	tolClosed = 1e-10
	tolDist   = 1e-9
)

type fxCI struct {
	Lower rfixture.Float `json:"lower"`
	AUC   rfixture.Float `json:"auc"`
	Upper rfixture.Float `json:"upper"`
}

type fxCurve struct {
	Threshold   []rfixture.Float `json:"threshold"`
	Sensitivity []rfixture.Float `json:"sensitivity"`
	Specificity []rfixture.Float `json:"specificity"`
}

type fxYouden struct {
	Threshold   []rfixture.Float `json:"threshold"`
	Sensitivity []rfixture.Float `json:"sensitivity"`
	Specificity []rfixture.Float `json:"specificity"`
	Accuracy    []rfixture.Float `json:"accuracy"`
	PPV         []rfixture.Float `json:"ppv"`
	NPV         []rfixture.Float `json:"npv"`
	// pROC derives the counts as se*n_cases etc., so they can be an ulp off
	// an integer (e.g. 14.999999999999998); they are compared after rounding.
	TP []rfixture.Float `json:"tp"`
	TN []rfixture.Float `json:"tn"`
	FP []rfixture.Float `json:"fp"`
	FN []rfixture.Float `json:"fn"`
}

type fxROC struct {
	NControls   int            `json:"n_controls"`
	NCases      int            `json:"n_cases"`
	Direction   string         `json:"direction"`
	AUC         rfixture.Float `json:"auc"`
	CI          fxCI           `json:"ci_delong"`
	Var         rfixture.Float `json:"var_delong"`
	Curve       fxCurve        `json:"curve"`
	Youden      fxYouden       `json:"youden"`
	YoudenNTied int            `json:"youden_n_tied"`
}

type fxTest struct {
	ROC1    string           `json:"roc1"`
	ROC2    string           `json:"roc2"`
	Method  string           `json:"method"`
	Z       *rfixture.Float  `json:"statistic_Z"`
	D       *rfixture.Float  `json:"statistic_D"`
	DF      *rfixture.Float  `json:"df"`
	P       rfixture.Float   `json:"p_value"`
	AUC1    rfixture.Float   `json:"auc1"`
	AUC2    rfixture.Float   `json:"auc2"`
	DiffCI  []rfixture.Float `json:"diff_ci95"`
	Detail1 *fxROC           `json:"roc1_detail"`
	Detail2 *fxROC           `json:"roc2_detail"`
}

// maxDev records the largest relative deviation seen per tolerance class,
// logged by the fixture tests (go test -v) for the report.
var maxDev = map[float64]float64{}

func near(t *testing.T, what string, got float64, want rfixture.Float, tol float64) {
	t.Helper()
	if w := float64(want); !math.IsInf(w, 0) && !math.IsNaN(w) {
		if d := math.Abs(got-w) / math.Max(1, math.Abs(w)); d > maxDev[tol] {
			maxDev[tol] = d
		}
	}
	if !rfixture.Rel(got, float64(want), tol) {
		t.Errorf("%s = %.17g, want %.17g (diff %.3g)", what, got, float64(want), got-float64(want))
	}
}

// checkCurve compares a computed curve with a fixture ROC block in full.
func checkCurve(t *testing.T, name string, c *Curve, w *fxROC) {
	t.Helper()
	if w.Direction != "" && w.Direction != "<" {
		t.Fatalf("%s: fixture direction %q", name, w.Direction)
	}
	if c.NCases != w.NCases || c.NControls != w.NControls {
		t.Errorf("%s: n = %d/%d, want %d/%d", name, c.NCases, c.NControls, w.NCases, w.NControls)
	}
	near(t, name+" auc", c.AUC, w.AUC, tolClosed)
	near(t, name+" var", c.VarDeLong, w.Var, tolClosed)
	near(t, name+" ci.lower", c.CILower, w.CI.Lower, tolDist)
	near(t, name+" ci.auc", c.AUC, w.CI.AUC, tolClosed)
	near(t, name+" ci.upper", c.CIUpper, w.CI.Upper, tolDist)
	if len(c.Thresholds) != len(w.Curve.Threshold) {
		t.Fatalf("%s: %d thresholds, want %d", name, len(c.Thresholds), len(w.Curve.Threshold))
	}
	for k := range c.Thresholds {
		near(t, name+" threshold", c.Thresholds[k], w.Curve.Threshold[k], tolClosed)
		near(t, name+" sensitivity", c.Sensitivities[k], w.Curve.Sensitivity[k], tolClosed)
		near(t, name+" specificity", c.Specificities[k], w.Curve.Specificity[k], tolClosed)
	}
	rows := c.Youden()
	if len(rows) != w.YoudenNTied || len(rows) != len(w.Youden.Threshold) {
		t.Fatalf("%s: %d Youden rows, want %d", name, len(rows), w.YoudenNTied)
	}
	y := w.Youden
	for k, r := range rows {
		if r.Threshold != float64(y.Threshold[k]) {
			t.Errorf("%s youden threshold = %.17g, want %.17g", name, r.Threshold, float64(y.Threshold[k]))
		}
		near(t, name+" youden se", r.Sensitivity, y.Sensitivity[k], tolClosed)
		near(t, name+" youden sp", r.Specificity, y.Specificity[k], tolClosed)
		near(t, name+" youden accuracy", r.Accuracy, y.Accuracy[k], tolClosed)
		near(t, name+" youden ppv", r.PPV, y.PPV[k], tolClosed)
		near(t, name+" youden npv", r.NPV, y.NPV[k], tolClosed)
		if r.TP != iround(y.TP[k]) || r.TN != iround(y.TN[k]) || r.FP != iround(y.FP[k]) || r.FN != iround(y.FN[k]) {
			t.Errorf("%s youden counts tp/tn/fp/fn = %d/%d/%d/%d, want %d/%d/%d/%d", name,
				r.TP, r.TN, r.FP, r.FN, iround(y.TP[k]), iround(y.TN[k]), iround(y.FP[k]), iround(y.FN[k]))
		}
		// At(threshold) must reproduce the same row.
		m := c.At(r.Threshold)
		if m.TP != r.TP || m.TN != r.TN || m.FP != r.FP || m.FN != r.FN {
			t.Errorf("%s At(%g) counts differ from the curve row", name, r.Threshold)
		}
		near(t, name+" At ppv", m.PPV.Estimate, y.PPV[k], tolClosed)
		near(t, name+" At npv", m.NPV.Estimate, y.NPV[k], tolClosed)
	}
}

func iround(v rfixture.Float) int { return int(math.Round(float64(v))) }

func checkPaired(t *testing.T, got Test, w fxTest) {
	t.Helper()
	name := w.ROC1 + " vs " + w.ROC2
	if got.Method != w.Method {
		t.Errorf("%s method %q, want %q", name, got.Method, w.Method)
	}
	near(t, name+" Z", got.Statistic, *w.Z, tolClosed)
	near(t, name+" p", got.P, w.P, tolDist)
	near(t, name+" auc1", got.AUC1, w.AUC1, tolClosed)
	near(t, name+" auc2", got.AUC2, w.AUC2, tolClosed)
	near(t, name+" ci.lower", got.DiffCILower, w.DiffCI[0], tolDist)
	near(t, name+" ci.upper", got.DiffCIUpper, w.DiffCI[1], tolDist)
}

func checkUnpaired(t *testing.T, got Test, w fxTest) {
	t.Helper()
	name := w.ROC1 + " vs " + w.ROC2
	if got.Method != w.Method {
		t.Errorf("%s method %q, want %q", name, got.Method, w.Method)
	}
	near(t, name+" D", got.Statistic, *w.D, tolClosed)
	near(t, name+" df", got.DF, *w.DF, tolClosed)
	near(t, name+" p", got.P, w.P, tolDist)
	near(t, name+" auc1", got.AUC1, w.AUC1, tolClosed)
	near(t, name+" auc2", got.AUC2, w.AUC2, tolClosed)
	if w.Detail1 != nil {
		checkCurve(t, w.ROC1, got.Curve1, w.Detail1)
	}
	if w.Detail2 != nil {
		checkCurve(t, w.ROC2, got.Curve2, w.Detail2)
	}
}

// readCSV returns the named columns of a fixture CSV as floats, plus the
// string columns as strings.
func readCSV(t *testing.T, name string) map[string][]string {
	t.Helper()
	return rfixture.Columns(t, name)
}

func floatsOf(t *testing.T, s []string) []float64 {
	t.Helper()
	out := make([]float64, len(s))
	for i, v := range s {
		x, err := strconv.ParseFloat(v, 64)
		if err != nil {
			t.Fatal(err)
		}
		out[i] = x
	}
	return out
}

func TestASAH(t *testing.T) {
	var fx struct {
		ROC      map[string]*fxROC `json:"roc"`
		Paired   []fxTest          `json:"paired_delong"`
		Unpaired []fxTest          `json:"unpaired_delong"`
	}
	rfixture.Load(t, "03_roc_asah.json", &fx)
	cols := readCSV(t, "data/asah.csv")
	y := floatsOf(t, cols["outcome"])
	curves := map[string]*Curve{}
	for name, w := range fx.ROC {
		c, err := Compute(y, floatsOf(t, cols[name]))
		if err != nil {
			t.Fatal(err)
		}
		curves[name] = c
		checkCurve(t, name, c, w)
	}
	if len(fx.Paired) == 0 || len(fx.Unpaired) == 0 {
		t.Fatal("fixture has no tests")
	}
	for _, w := range fx.Paired {
		got, err := DeLongPaired(y, floatsOf(t, cols[w.ROC1]), floatsOf(t, cols[w.ROC2]))
		if err != nil {
			t.Fatal(err)
		}
		checkPaired(t, got, w)
	}
	// Unpaired: s100b in men vs s100b in women (roc1/roc2 name the subsets).
	for _, w := range fx.Unpaired {
		var y1, s1, y2, s2 []float64
		s := floatsOf(t, cols["s100b"])
		for i, g := range cols["gender"] {
			switch g {
			case "Male":
				y1, s1 = append(y1, y[i]), append(s1, s[i])
			case "Female":
				y2, s2 = append(y2, y[i]), append(s2, s[i])
			}
		}
		if w.ROC1 != "s100b, gender == Male" || w.ROC2 != "s100b, gender == Female" {
			t.Fatalf("unexpected unpaired comparison %q vs %q", w.ROC1, w.ROC2)
		}
		got, err := DeLongUnpaired(y1, s1, y2, s2)
		if err != nil {
			t.Fatal(err)
		}
		checkUnpaired(t, got, w)
	}
	t.Logf("max rel deviation: closed-form %.3g, distribution-based %.3g", maxDev[tolClosed], maxDev[tolDist])
}

type fxCohortPart struct {
	PatientID []string                    `json:"patient_id"`
	Malignant []float64                   `json:"malignant"`
	Predictor map[string][]rfixture.Float `json:"predictor"`
	ROC       map[string]*fxROC           `json:"roc"`
}

func TestCohort(t *testing.T) {
	var fx struct {
		Validation fxCohortPart `json:"validation"`
		Train      fxCohortPart `json:"train"`
		Paired     []fxTest     `json:"paired_delong_validation"`
		Unpaired   []fxTest     `json:"unpaired_delong"`
		AtYouden   map[string]struct {
			NTied       int            `json:"train_youden_n_tied"`
			Threshold   rfixture.Float `json:"threshold"`
			TP          int            `json:"tp"`
			FP          int            `json:"fp"`
			TN          int            `json:"tn"`
			FN          int            `json:"fn"`
			Accuracy    rfixture.Float `json:"accuracy"`
			Sensitivity rfixture.Float `json:"sensitivity"`
			Specificity rfixture.Float `json:"specificity"`
			PPV         rfixture.Float `json:"ppv"`
			NPV         rfixture.Float `json:"npv"`
		} `json:"validation_at_train_youden"`
	}
	rfixture.Load(t, "03_roc_cohort.json", &fx)
	curves := map[string]map[string]*Curve{}
	for part, d := range map[string]*fxCohortPart{"validation": &fx.Validation, "train": &fx.Train} {
		curves[part] = map[string]*Curve{}
		if len(d.ROC) == 0 {
			t.Fatalf("%s: no ROC blocks", part)
		}
		for name, w := range d.ROC {
			c, err := Compute(d.Malignant, rfixture.Floats(d.Predictor[name]))
			if err != nil {
				t.Fatal(err)
			}
			curves[part][name] = c
			checkCurve(t, part+"/"+name, c, w)
		}
	}
	v := fx.Validation
	for _, w := range fx.Paired {
		got, err := DeLongPaired(v.Malignant, rfixture.Floats(v.Predictor[w.ROC1]), rfixture.Floats(v.Predictor[w.ROC2]))
		if err != nil {
			t.Fatal(err)
		}
		checkPaired(t, got, w)
	}
	for _, w := range fx.Unpaired {
		if w.ROC1 != "radscore on train" || w.ROC2 != "radscore on validation" {
			t.Fatalf("unexpected unpaired comparison %q vs %q", w.ROC1, w.ROC2)
		}
		got, err := DeLongUnpaired(fx.Train.Malignant, rfixture.Floats(fx.Train.Predictor["radscore"]),
			v.Malignant, rfixture.Floats(v.Predictor["radscore"]))
		if err != nil {
			t.Fatal(err)
		}
		checkUnpaired(t, got, w)
	}
	if len(fx.AtYouden) == 0 {
		t.Fatal("no validation_at_train_youden blocks")
	}
	for name, w := range fx.AtYouden {
		rows := curves["train"][name].Youden()
		if len(rows) != w.NTied {
			t.Errorf("%s: %d train Youden rows, want %d", name, len(rows), w.NTied)
		}
		thr := rows[0].Threshold // lowest when tied
		if thr != float64(w.Threshold) {
			t.Errorf("%s: train Youden threshold %.17g, want %.17g", name, thr, float64(w.Threshold))
		}
		m, err := Classify(v.Malignant, rfixture.Floats(v.Predictor[name]), thr)
		if err != nil {
			t.Fatal(err)
		}
		if m.TP != w.TP || m.FP != w.FP || m.TN != w.TN || m.FN != w.FN {
			t.Errorf("%s: tp/fp/tn/fn = %d/%d/%d/%d, want %d/%d/%d/%d", name, m.TP, m.FP, m.TN, m.FN, w.TP, w.FP, w.TN, w.FN)
		}
		near(t, name+" accuracy", m.Accuracy.Estimate, w.Accuracy, tolClosed)
		near(t, name+" sensitivity", m.Sensitivity.Estimate, w.Sensitivity, tolClosed)
		near(t, name+" specificity", m.Specificity.Estimate, w.Specificity, tolClosed)
		near(t, name+" ppv", m.PPV.Estimate, w.PPV, tolClosed)
		near(t, name+" npv", m.NPV.Estimate, w.NPV, tolClosed)
	}
	t.Logf("max rel deviation: closed-form %.3g, distribution-based %.3g", maxDev[tolClosed], maxDev[tolDist])
}

// bruteAUC is the O(n²) Mann-Whitney AUC, ties 1/2.
func bruteAUC(y, s []float64) float64 {
	num, den := 0.0, 0.0
	for i := range y {
		if y[i] != 1 {
			continue
		}
		for j := range y {
			if y[j] != 0 {
				continue
			}
			den++
			switch {
			case s[i] > s[j]:
				num++
			case s[i] == s[j]:
				num += 0.5
			}
		}
	}
	return num / den
}

func TestAUCMatchesBruteForceWithTies(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for trial := 0; trial < 20; trial++ {
		n := 5 + r.IntN(60)
		y := make([]float64, n)
		s := make([]float64, n)
		for i := range y {
			y[i] = float64(i % 2)
			s[i] = float64(r.IntN(7)) // many ties
		}
		c, err := Compute(y, s)
		if err != nil {
			t.Fatal(err)
		}
		if want := bruteAUC(y, s); math.Abs(c.AUC-want) > 1e-14 {
			t.Errorf("trial %d: AUC %v, want %v", trial, c.AUC, want)
		}
		// Trapezoidal area under the stored curve equals the AUC.
		area := 0.0
		for k := 1; k < len(c.Thresholds); k++ {
			area += (c.Specificities[k] - c.Specificities[k-1]) * (c.Sensitivities[k] + c.Sensitivities[k-1]) / 2
		}
		if math.Abs(area-c.AUC) > 1e-12 {
			t.Errorf("trial %d: trapezoid %v vs AUC %v", trial, area, c.AUC)
		}
	}
}

func TestHandExample(t *testing.T) {
	// Cases 0.4, 0.8; controls 0.1, 0.4, 0.35. Pairs: (0.4 vs 0.1,0.4,0.35) =
	// 1 + 0.5 + 1; (0.8) = 3 -> AUC = 5.5/6.
	y := []float64{0, 0, 1, 0, 1}
	s := []float64{0.1, 0.4, 0.4, 0.35, 0.8}
	c, err := Compute(y, s)
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(c.AUC-5.5/6) > 1e-15 {
		t.Errorf("AUC = %v", c.AUC)
	}
	mid := func(a, b float64) float64 { return (a + b) / 2 } // in float64, not exact constants
	wantThr := []float64{math.Inf(-1), mid(0.1, 0.35), mid(0.35, 0.4), mid(0.4, 0.8), math.Inf(1)}
	wantSe := []float64{1, 1, 1, 0.5, 0}
	wantSp := []float64{0, 1.0 / 3, 2.0 / 3, 1, 1}
	for k := range wantThr {
		if c.Thresholds[k] != wantThr[k] || c.Sensitivities[k] != wantSe[k] || c.Specificities[k] != wantSp[k] {
			t.Errorf("point %d = (%v, %v, %v), want (%v, %v, %v)", k, c.Thresholds[k], c.Sensitivities[k],
				c.Specificities[k], wantThr[k], wantSe[k], wantSp[k])
		}
	}
	// Placements: V10 = (2.5/3, 3/3); V01 = (1, 1 - 0.5/2, 1) for controls 0.1, 0.4, 0.35.
	v10, v01 := c.Placements()
	wantV10 := []float64{2.5 / 3, 1}
	wantV01 := []float64{1, 0.75, 1}
	for i := range wantV10 {
		if math.Abs(v10[i]-wantV10[i]) > 1e-15 {
			t.Errorf("v10[%d] = %v", i, v10[i])
		}
	}
	for i := range wantV01 {
		if math.Abs(v01[i]-wantV01[i]) > 1e-15 {
			t.Errorf("v01[%d] = %v", i, v01[i])
		}
	}
	// var = var(v10)/2 + var(v01)/3: var(v10) = (1/6)²/2... computed by hand:
	// v10 deviations from 11/12: -1/12, 1/12 -> s² = 2/144 / 1; v01 deviations:
	// 1/12, -2/12, 1/12 -> s² = 6/144 / 2.
	wantVar := (2.0/144)/2 + (6.0/144/2)/3
	if math.Abs(c.VarDeLong-wantVar) > 1e-15 {
		t.Errorf("var = %v, want %v", c.VarDeLong, wantVar)
	}
	if c.CIUpper != 1 {
		t.Errorf("CI upper = %v, want clipped to 1", c.CIUpper)
	}
	m := c.At(0.4)
	if m.TP != 2 || m.FN != 0 || m.TN != 2 || m.FP != 1 {
		t.Errorf("At(0.4) = %+v", m)
	}
}

func TestNearTieThreshold(t *testing.T) {
	// Consecutive doubles: the midpoint rounds to one of them; pROC keeps
	// the threshold strictly above the lower value.
	a := 1.0
	b := math.Nextafter(a, 2)
	c, err := Compute([]float64{0, 1}, []float64{a, b})
	if err != nil {
		t.Fatal(err)
	}
	if c.Thresholds[1] != b {
		t.Errorf("threshold = %.17g, want %.17g", c.Thresholds[1], b)
	}
	if c.Sensitivities[1] != 1 || c.Specificities[1] != 1 {
		t.Errorf("se/sp at the near tie = %v/%v, want 1/1", c.Sensitivities[1], c.Specificities[1])
	}
}

func TestProportionIntervals(t *testing.T) {
	// Clopper-Pearson bounds solve P(X >= x | L) = 0.025 and
	// P(X <= x | U) = 0.025; check with a direct binomial sum.
	binomTail := func(n, x int, p float64, upper bool) float64 {
		s := 0.0
		for k := 0; k <= n; k++ {
			if (upper && k >= x) || (!upper && k <= x) {
				lg, _ := math.Lgamma(float64(n + 1))
				lk, _ := math.Lgamma(float64(k + 1))
				lnk, _ := math.Lgamma(float64(n - k + 1))
				s += math.Exp(lg - lk - lnk + float64(k)*math.Log(p) + float64(n-k)*math.Log1p(-p))
			}
		}
		return s
	}
	for _, c := range []struct{ x, n int }{{26, 41}, {1, 10}, {0, 7}, {7, 7}, {58, 72}} {
		p := NewProportion(c.x, c.n)
		if c.x > 0 {
			if v := binomTail(c.n, c.x, p.CPLower, true); math.Abs(v-0.025) > 1e-10 {
				t.Errorf("%v: P(X>=x|lower) = %v", c, v)
			}
		} else if p.CPLower != 0 {
			t.Errorf("%v: lower = %v", c, p.CPLower)
		}
		if c.x < c.n {
			if v := binomTail(c.n, c.x, p.CPUpper, false); math.Abs(v-0.025) > 1e-10 {
				t.Errorf("%v: P(X<=x|upper) = %v", c, v)
			}
		} else if p.CPUpper != 1 {
			t.Errorf("%v: upper = %v", c, p.CPUpper)
		}
		// Wilson bounds solve |phat - P| = z sqrt(P(1-P)/n).
		for _, b := range []float64{p.WilsonLower, p.WilsonUpper} {
			lhs := math.Abs(p.Estimate - b)
			rhs := z975 * math.Sqrt(b*(1-b)/float64(c.n))
			if math.Abs(lhs-rhs) > 1e-12 {
				t.Errorf("%v: Wilson bound %v: %v vs %v", c, b, lhs, rhs)
			}
		}
	}
	if p := NewProportion(0, 0); !math.IsNaN(p.Estimate) {
		t.Errorf("0/0 estimate = %v", p.Estimate)
	}
}

func TestBadInput(t *testing.T) {
	cases := []struct {
		name string
		y, s []float64
	}{
		{"mismatched", []float64{0, 1}, []float64{1}},
		{"single class", []float64{1, 1, 1}, []float64{1, 2, 3}},
		{"NaN score", []float64{0, 1}, []float64{math.NaN(), 1}},
		{"Inf score", []float64{0, 1}, []float64{math.Inf(1), 1}},
		{"bad outcome", []float64{0, 2}, []float64{1, 2}},
		{"empty", nil, nil},
	}
	for _, c := range cases {
		if _, err := Compute(c.y, c.s); err == nil {
			t.Errorf("%s: no error", c.name)
		}
	}
	if _, err := DeLongPaired([]float64{0, 1, 0, 1}, []float64{1, 2, 3, 4}, []float64{1, 2, 3}); err == nil {
		t.Error("paired with mismatched lengths: no error")
	}
	if _, err := DeLongPaired([]float64{0, 1, 0}, []float64{1, 2, 3}, []float64{3, 2, 1}); err == nil {
		t.Error("paired with one case: no error")
	}
}

func benchData(n int) (y, a, b []float64) {
	r := rand.New(rand.NewPCG(7, 11))
	y, a, b = make([]float64, n), make([]float64, n), make([]float64, n)
	for i := range y {
		if r.Float64() < 0.4 {
			y[i] = 1
		}
		a[i] = r.NormFloat64() + y[i]
		b[i] = r.NormFloat64() + 0.5*y[i]
	}
	return
}

func BenchmarkCompute1000(bm *testing.B) {
	y, a, _ := benchData(1000)
	for bm.Loop() {
		if _, err := Compute(y, a); err != nil {
			bm.Fatal(err)
		}
	}
}

func BenchmarkDeLongPaired1000(bm *testing.B) {
	y, a, b := benchData(1000)
	for bm.Loop() {
		if _, err := DeLongPaired(y, a, b); err != nil {
			bm.Fatal(err)
		}
	}
}
