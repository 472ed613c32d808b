package glm

import (
	"errors"
	"math"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/spinerad/spinerad/internal/stats/rfixture"
	"gonum.org/v1/gonum/mat"
)

type exactMLE struct {
	Estimate    []rfixture.Float `json:"estimate"`
	StdError    []rfixture.Float `json:"std_error"`
	ZValue      []rfixture.Float `json:"z_value"`
	PValue      []rfixture.Float `json:"p_value"`
	ORLower     []rfixture.Float `json:"or_ci95_lower"`
	ORUpper     []rfixture.Float `json:"or_ci95_upper"`
	Deviance    rfixture.Float   `json:"deviance"`
	Iter        int              `json:"iter"`
	MaxAbsDiff  rfixture.Float   `json:"max_abs_diff_estimate"`
	MaxRelDiffS rfixture.Float   `json:"max_rel_diff_std_error"`
}

type glmBlock struct {
	Formula      string             `json:"formula"`
	NUsed        int                `json:"n_used"`
	Dropped      []string           `json:"patient_id_dropped"`
	Terms        []string           `json:"terms"`
	Estimate     []rfixture.Float   `json:"estimate"`
	StdError     []rfixture.Float   `json:"std_error"`
	ZValue       []rfixture.Float   `json:"z_value"`
	PValue       []rfixture.Float   `json:"p_value"`
	OddsRatio    []rfixture.Float   `json:"odds_ratio"`
	ORLower      []rfixture.Float   `json:"or_ci95_lower"`
	ORUpper      []rfixture.Float   `json:"or_ci95_upper"`
	CoefLower    []rfixture.Float   `json:"coef_ci95_lower"`
	CoefUpper    []rfixture.Float   `json:"coef_ci95_upper"`
	Vcov         [][]rfixture.Float `json:"vcov"`
	Deviance     rfixture.Float     `json:"deviance"`
	NullDeviance rfixture.Float     `json:"null_deviance"`
	DFResidual   int                `json:"df_residual"`
	DFNull       int                `json:"df_null"`
	AIC          rfixture.Float     `json:"aic"`
	LogLik       rfixture.Float     `json:"loglik"`
	LRChisq      rfixture.Float     `json:"lr_chisq"`
	LRDF         int                `json:"lr_df"`
	LRP          rfixture.Float     `json:"lr_p_value"`
	Iter         int                `json:"iter"`
	Converged    bool               `json:"converged"`
	IDsUsed      []string           `json:"patient_id_used"`
	LinPred      []rfixture.Float   `json:"linear_predictor"`
	Fitted       []rfixture.Float   `json:"fitted_probability"`
	Exact        exactMLE           `json:"exact_mle"`
}

type glmFixture struct {
	Univariable   map[string]glmBlock `json:"univariable"`
	Multivariable glmBlock            `json:"multivariable"`
	Clinical      glmBlock            `json:"clinical_model"`
	Combined      glmBlock            `json:"combined_model"`
}

type radscoreFixture struct {
	PatientID []string         `json:"patient_id"`
	Radscore  []rfixture.Float `json:"radscore"`
}

// cohort is data/cohort_b.csv as columns of strings.
type cohort struct {
	cols map[string][]string
	n    int
}

func loadCohort(t *testing.T) *cohort {
	t.Helper()
	cols := rfixture.Columns(t, "data/cohort_b.csv")
	return &cohort{cols: cols, n: len(cols["patient_id"])}
}

func (c *cohort) num(t *testing.T, name string, i int) float64 {
	t.Helper()
	s := c.cols[name][i]
	if s == "" || s == "NA" {
		return math.NaN()
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		t.Fatalf("column %s row %d: %v", name, i, err)
	}
	return v
}

// design builds the train-row design of terms (without the intercept),
// dropping incomplete rows as na.omit.
func design(t *testing.T, c *cohort, terms []string, rad map[string]float64) (*mat.Dense, []float64, []string, []string) {
	t.Helper()
	var rows [][]float64
	var y []float64
	var used, dropped []string
	for i := 0; i < c.n; i++ {
		if c.cols["cohort"][i] != "train" {
			continue
		}
		id := c.cols["patient_id"][i]
		row := make([]float64, len(terms))
		for j, term := range terms {
			var v float64
			switch term {
			case "sexM":
				switch c.cols["sex"][i] {
				case "M":
					v = 1
				case "F":
					v = 0
				default:
					v = math.NaN()
				}
			case "log_ca125":
				v = math.Log(c.num(t, "ca125", i))
			case "log_cea":
				v = math.Log(c.num(t, "cea", i))
			case "radscore":
				r, ok := rad[id]
				if !ok {
					t.Fatalf("no radscore for %s", id)
				}
				v = r
			default:
				if _, ok := c.cols[term]; !ok {
					t.Fatalf("unknown term %q", term)
				}
				v = c.num(t, term, i)
			}
			row[j] = v
		}
		complete := true
		for _, v := range row {
			if math.IsNaN(v) {
				complete = false
			}
		}
		if !complete {
			dropped = append(dropped, id)
			continue
		}
		rows = append(rows, row)
		y = append(y, c.num(t, "malignant", i))
		used = append(used, id)
	}
	X := mat.NewDense(len(rows), len(terms), nil)
	for i, r := range rows {
		X.SetRow(i, r)
	}
	return X, y, used, dropped
}

// maxRel returns max |got - want| / max(1, |want|).
func maxRel(got []float64, want []rfixture.Float) float64 {
	m := 0.0
	for i := range got {
		w := float64(want[i])
		m = math.Max(m, math.Abs(got[i]-w)/math.Max(1, math.Abs(w)))
	}
	return m
}

func relDiff(got float64, want rfixture.Float) float64 {
	w := float64(want)
	return math.Abs(got-w) / math.Max(1, math.Abs(w))
}

func checkBlock(t *testing.T, name string, blk glmBlock, c *cohort, rad map[string]float64) {
	t.Helper()
	if len(blk.Terms) == 0 || blk.Terms[0] != "(Intercept)" {
		t.Fatalf("%s: unexpected terms %v", name, blk.Terms)
	}
	terms := blk.Terms[1:]
	X, y, used, dropped := design(t, c, terms, rad)
	if len(used) != blk.NUsed || strings.Join(used, ",") != strings.Join(blk.IDsUsed, ",") {
		t.Fatalf("%s: rows used differ: %d vs %d", name, len(used), blk.NUsed)
	}
	if strings.Join(dropped, ",") != strings.Join(blk.Dropped, ",") {
		t.Errorf("%s: dropped %v, want %v", name, dropped, blk.Dropped)
	}
	res, err := Fit(X, y, terms, DefaultOptions())
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	if strings.Join(res.Terms, ",") != strings.Join(blk.Terms, ",") {
		t.Errorf("%s: terms %v", name, res.Terms)
	}
	// R's default fit.
	type cmp struct {
		what string
		got  []float64
		want []rfixture.Float
		tol  float64
	}
	var vc []float64
	var vcWant []rfixture.Float
	for i := range blk.Vcov {
		for j := range blk.Vcov[i] {
			vc = append(vc, res.Vcov.At(i, j))
			vcWant = append(vcWant, blk.Vcov[i][j])
		}
	}
	for _, cc := range []cmp{
		{"estimate", res.Coef, blk.Estimate, 1e-6},
		{"odds_ratio", res.OR, blk.OddsRatio, 1e-6},
		{"std_error", res.SE, blk.StdError, 1e-3},
		{"z", res.Z, blk.ZValue, 1e-3},
		{"p", res.P, blk.PValue, 1e-3},
		{"or_ci_lower", res.ORLower, blk.ORLower, 1e-3},
		{"or_ci_upper", res.ORUpper, blk.ORUpper, 1e-3},
		{"coef_ci_lower", res.CILower, blk.CoefLower, 1e-3},
		{"coef_ci_upper", res.CIUpper, blk.CoefUpper, 1e-3},
		{"vcov", vc, vcWant, 1e-3},
		{"linear_predictor", res.LinearPredictor, blk.LinPred, 1e-6},
		{"fitted", res.Fitted, blk.Fitted, 1e-6},
	} {
		d := maxRel(cc.got, cc.want)
		if d > cc.tol {
			t.Errorf("%s %s: max rel diff %.3g > %g", name, cc.what, d, cc.tol)
		}
		t.Logf("%s %-16s max rel diff vs R default %.3g", name, cc.what, d)
	}
	for _, sc := range []struct {
		what string
		got  float64
		want rfixture.Float
		tol  float64
	}{
		{"deviance", res.Deviance, blk.Deviance, 1e-9},
		{"null_deviance", res.NullDeviance, blk.NullDeviance, 1e-9},
		{"aic", res.AIC, blk.AIC, 1e-9},
		{"loglik", res.LogLik, blk.LogLik, 1e-9},
		{"lr_chisq", res.LRChisq, blk.LRChisq, 1e-8},
		{"lr_p", res.LRP, blk.LRP, 1e-8},
	} {
		if d := relDiff(sc.got, sc.want); d > sc.tol {
			t.Errorf("%s %s: %v vs %v (rel %.3g)", name, sc.what, sc.got, float64(sc.want), d)
		}
	}
	if res.DFResidual != blk.DFResidual || res.DFNull != blk.DFNull || res.LRDF != blk.LRDF {
		t.Errorf("%s: df %d/%d/%d, want %d/%d/%d", name, res.DFResidual, res.DFNull, res.LRDF, blk.DFResidual, blk.DFNull, blk.LRDF)
	}
	if res.Iter != blk.Iter || res.Converged != blk.Converged {
		t.Errorf("%s: iter %d conv %v, want %d %v", name, res.Iter, res.Converged, blk.Iter, blk.Converged)
	}
	// exact_mle with Exact.
	opt := DefaultOptions()
	opt.Exact = true
	ex, err := Fit(X, y, terms, opt)
	if err != nil {
		t.Fatalf("%s exact: %v", name, err)
	}
	ciL := make([]float64, len(ex.Coef))
	ciU := make([]float64, len(ex.Coef))
	for j := range ex.Coef {
		ciL[j] = math.Exp(ex.Coef[j] - 1.959963984540054*ex.SEAtEstimate[j])
		ciU[j] = math.Exp(ex.Coef[j] + 1.959963984540054*ex.SEAtEstimate[j])
	}
	for _, cc := range []cmp{
		{"exact estimate", ex.Coef, blk.Exact.Estimate, 1e-8},
		{"exact se (at estimate)", ex.SEAtEstimate, blk.Exact.StdError, 1e-8},
		{"exact se (R convention)", ex.SE, blk.Exact.StdError, 1e-8},
		{"exact z", ex.ZAtEstimate, blk.Exact.ZValue, 1e-8},
		{"exact p", ex.PAtEstimate, blk.Exact.PValue, 1e-8},
		{"exact or_lower", ciL, blk.Exact.ORLower, 1e-8},
		{"exact or_upper", ciU, blk.Exact.ORUpper, 1e-8},
		// The default fit's estimate evaluated at its own final information
		// agrees with exact_mle's SE far better than R's SE does.
		{"default se at estimate vs exact", res.SEAtEstimate, blk.Exact.StdError, 1e-6},
	} {
		d := maxRel(cc.got, cc.want)
		if d > cc.tol {
			t.Errorf("%s %s: max rel diff %.3g > %g", name, cc.what, d, cc.tol)
		}
		t.Logf("%s %-16s max rel diff vs exact_mle %.3g", name, cc.what, d)
	}
	if d := relDiff(ex.Deviance, blk.Exact.Deviance); d > 1e-12 {
		t.Errorf("%s exact deviance rel %.3g", name, d)
	}
	if ex.Iter != blk.Exact.Iter {
		t.Logf("%s exact iter %d, R %d", name, ex.Iter, blk.Exact.Iter)
	}
}

func TestGLMAgainstR(t *testing.T) {
	var fx glmFixture
	rfixture.Load(t, "01_glm_clinical.json", &fx)
	var rs radscoreFixture
	rfixture.Load(t, "02_radscore.json", &rs)
	rad := map[string]float64{}
	for i, id := range rs.PatientID {
		rad[id] = float64(rs.Radscore[i])
	}
	c := loadCohort(t)
	names := make([]string, 0, len(fx.Univariable))
	for k := range fx.Univariable {
		names = append(names, k)
	}
	sort.Strings(names)
	if len(names) == 0 {
		t.Fatal("no univariable blocks")
	}
	for _, k := range names {
		t.Run("univariable_"+k, func(t *testing.T) { checkBlock(t, "univariable."+k, fx.Univariable[k], c, rad) })
	}
	t.Run("multivariable", func(t *testing.T) { checkBlock(t, "multivariable", fx.Multivariable, c, rad) })
	t.Run("clinical_model", func(t *testing.T) { checkBlock(t, "clinical_model", fx.Clinical, c, rad) })
	t.Run("combined_model", func(t *testing.T) { checkBlock(t, "combined_model", fx.Combined, c, rad) })
}

func TestPredictMatchesFit(t *testing.T) {
	// Hand-checkable: predictions equal the fitted values on the training
	// design and plogis of the linear predictor.
	X := mat.NewDense(8, 1, []float64{1, 2, 3, 4, 5, 6, 7, 8})
	y := []float64{0, 0, 1, 0, 1, 0, 1, 1}
	res, err := Fit(X, y, []string{"x"}, DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	p, err := res.Predict(X)
	if err != nil {
		t.Fatal(err)
	}
	l, _ := res.PredictLink(X)
	for i := range p {
		want := 1 / (1 + math.Exp(-(res.Coef[0] + res.Coef[1]*X.At(i, 0))))
		if math.Abs(p[i]-want) > 1e-15 || math.Abs(p[i]-res.Fitted[i]) > 1e-15 || math.Abs(l[i]-res.LinearPredictor[i]) > 1e-15 {
			t.Fatalf("row %d: %v %v %v", i, p[i], want, res.Fitted[i])
		}
	}
	// Score equations at the MLE: sum(y - p) = 0 and sum(x (y - p)) = 0.
	s0, s1 := 0.0, 0.0
	for i := range y {
		s0 += y[i] - p[i]
		s1 += X.At(i, 0) * (y[i] - p[i])
	}
	if math.Abs(s0) > 1e-6 || math.Abs(s1) > 1e-6 {
		t.Errorf("score at MLE: %g %g", s0, s1)
	}
	if _, err := res.Predict(mat.NewDense(2, 2, nil)); err == nil {
		t.Error("predict with wrong column count: want error")
	}
}

func TestBadInput(t *testing.T) {
	good := mat.NewDense(6, 1, []float64{1, 2, 3, 4, 5, 6})
	yGood := []float64{0, 1, 0, 1, 1, 0}
	nan := mat.NewDense(6, 1, []float64{1, 2, math.NaN(), 4, 5, 6})
	allNaN := mat.NewDense(6, 1, []float64{math.NaN(), math.NaN(), math.NaN(), math.NaN(), math.NaN(), math.NaN()})
	constant := mat.NewDense(6, 1, []float64{3, 3, 3, 3, 3, 3})
	collinear := mat.NewDense(6, 2, []float64{1, 2, 2, 4, 3, 6, 4, 8, 5, 10, 6, 12})
	for _, tc := range []struct {
		name string
		X    *mat.Dense
		y    []float64
		opt  Options
		sep  bool
	}{
		{"single class", good, []float64{1, 1, 1, 1, 1, 1}, DefaultOptions(), false},
		{"y not 0/1", good, []float64{0, 1, 2, 1, 1, 0}, DefaultOptions(), false},
		{"y NaN", good, []float64{0, 1, math.NaN(), 1, 1, 0}, DefaultOptions(), false},
		{"length mismatch", good, []float64{0, 1, 0}, DefaultOptions(), false},
		{"NaN predictor", nan, yGood, DefaultOptions(), false},
		{"all-NaN predictor", allNaN, yGood, DefaultOptions(), false},
		{"constant predictor", constant, yGood, DefaultOptions(), false},
		{"rank deficient", collinear, yGood, DefaultOptions(), false},
		{"bad weights", good, yGood, Options{Intercept: true, Weights: []float64{1, 1, -1, 1, 1, 1}}, false},
		{"complete separation", good, []float64{0, 0, 0, 1, 1, 1}, DefaultOptions(), true},
		{"quasi-complete separation", mat.NewDense(6, 1, []float64{1, 2, 3, 3, 5, 6}), []float64{0, 0, 0, 1, 1, 1}, DefaultOptions(), true},
	} {
		_, err := Fit(tc.X, tc.y, nil, tc.opt)
		if err == nil {
			t.Errorf("%s: want error", tc.name)
			continue
		}
		if tc.sep != errors.Is(err, ErrSeparation) {
			t.Errorf("%s: separation error mismatch: %v", tc.name, err)
		}
		t.Logf("%s: %v", tc.name, err)
	}
	if _, err := Fit(nil, nil, nil, DefaultOptions()); err == nil {
		t.Error("nil X: want error")
	}
}

func TestFirthTwoByTwo(t *testing.T) {
	// Quasi-complete separation: x = 1 has 4 events and 0 non-events,
	// x = 0 has 2 events and 6 non-events. For a saturated binary-covariate
	// model each group's hat values sum to 1 (h = 1/n_g), so the modified
	// score of group g reads e_g - n_g p_g + 1/2 - p_g = 0, i.e.
	// p_g = (e_g + 1/2)/(n_g + 1): p1 = 4.5/5, p0 = 2.5/9. Hence
	// intercept = logit(2.5/9) = log(2.5/6.5) and
	// log OR = log(4.5/0.5) - log(2.5/6.5); the inverse information at the
	// estimate gives var(intercept) = 1/(n0 p0 (1-p0)) and
	// var(log OR) = 1/(n1 p1(1-p1)) + 1/(n0 p0 (1-p0)).
	x := []float64{1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0}
	y := []float64{1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0}
	X := mat.NewDense(len(x), 1, x)
	if _, err := Fit(X, y, []string{"x"}, DefaultOptions()); !errors.Is(err, ErrSeparation) {
		t.Fatalf("MLE fit: want ErrSeparation, got %v", err)
	}
	opt := DefaultOptions()
	opt.Firth = true
	res, err := Fit(X, y, []string{"x"}, opt)
	if err != nil {
		t.Fatal(err)
	}
	p1, p0 := 4.5/5, 2.5/9
	wantB0 := math.Log(2.5 / 6.5)
	wantB1 := math.Log(4.5/0.5) - wantB0
	v0 := 1 / (8 * p0 * (1 - p0))
	v1 := 1/(4*p1*(1-p1)) + v0
	for _, c := range []struct {
		what      string
		got, want float64
	}{
		{"intercept", res.Coef[0], wantB0},
		{"log OR", res.Coef[1], wantB1},
		{"se intercept", res.SE[0], math.Sqrt(v0)},
		{"se log OR", res.SE[1], math.Sqrt(v1)},
	} {
		if math.Abs(c.got-c.want) > 1e-10*math.Max(1, math.Abs(c.want)) {
			t.Errorf("Firth %s: %.15g, want %.15g", c.what, c.got, c.want)
		}
	}
	if !res.Converged || !res.Firth {
		t.Errorf("Firth: converged %v firth %v", res.Converged, res.Firth)
	}
}

func TestFirthCompleteSeparation(t *testing.T) {
	// Complete separation: the Firth estimate is finite and its score
	// equations hold; the slope is positive and the fitted probabilities
	// stay inside (0, 1).
	X := mat.NewDense(8, 1, []float64{1, 2, 3, 4, 5, 6, 7, 8})
	y := []float64{0, 0, 0, 0, 1, 1, 1, 1}
	opt := DefaultOptions()
	opt.Firth = true
	res, err := Fit(X, y, []string{"x"}, opt)
	if err != nil {
		t.Fatal(err)
	}
	if !res.Converged || !(res.Coef[1] > 0) || math.IsInf(res.Coef[1], 0) {
		t.Fatalf("Firth on complete separation: %+v", res.Coef)
	}
	// Symmetry: the design is symmetric about 4.5, so the fitted
	// probability at 4.5 is 1/2, i.e. intercept = -4.5 slope.
	if math.Abs(res.Coef[0]+4.5*res.Coef[1]) > 1e-9 {
		t.Errorf("symmetry: b0 = %v, b1 = %v", res.Coef[0], res.Coef[1])
	}
	for _, p := range res.Fitted {
		if p <= 0 || p >= 1 {
			t.Errorf("fitted %v", p)
		}
	}
}

func TestWeightsEqualDuplication(t *testing.T) {
	// Prior weights of 2 are the same likelihood as every row twice.
	x := []float64{0.5, 1.2, 2.2, 2.9, 3.1, 4.4, 5.0, 6.3, 7.1, 8.8}
	y := []float64{0, 0, 1, 0, 0, 1, 1, 0, 1, 1}
	X := mat.NewDense(len(x), 1, x)
	w := make([]float64, len(x))
	for i := range w {
		w[i] = 2
	}
	opt := DefaultOptions()
	opt.Weights = w
	opt.Exact = true
	rw, err := Fit(X, y, []string{"x"}, opt)
	if err != nil {
		t.Fatal(err)
	}
	x2 := append(append([]float64(nil), x...), x...)
	y2 := append(append([]float64(nil), y...), y...)
	opt2 := DefaultOptions()
	opt2.Exact = true
	rd, err := Fit(mat.NewDense(len(x2), 1, x2), y2, []string{"x"}, opt2)
	if err != nil {
		t.Fatal(err)
	}
	for j := range rw.Coef {
		if math.Abs(rw.Coef[j]-rd.Coef[j]) > 1e-10 || math.Abs(rw.SEAtEstimate[j]-rd.SEAtEstimate[j]) > 1e-10 {
			t.Errorf("coef %d: %v/%v vs %v/%v", j, rw.Coef[j], rw.SEAtEstimate[j], rd.Coef[j], rd.SEAtEstimate[j])
		}
	}
	for _, c := range [][2]float64{{rw.Deviance, rd.Deviance}, {rw.NullDeviance, rd.NullDeviance}, {rw.AIC, rd.AIC}} {
		if math.Abs(c[0]-c[1]) > 1e-9 {
			t.Errorf("%v vs %v", c[0], c[1])
		}
	}
}
