package lasso

import (
	"math"
	"strconv"
	"testing"

	"github.com/spinerad/spinerad/internal/stats/rfixture"
	"gonum.org/v1/gonum/mat"
)

type pathExact struct {
	A0        []rfixture.Float   `json:"a0"`
	Beta      [][]rfixture.Float `json:"beta"`
	Objective []rfixture.Float   `json:"objective"`
}

type pathFixture struct {
	Features  []string           `json:"features"`
	N         int                `json:"n"`
	XMean     []rfixture.Float   `json:"x_mean"`
	XSD       []rfixture.Float   `json:"x_sd_population"`
	Lambda    []rfixture.Float   `json:"lambda"`
	A0        []rfixture.Float   `json:"a0"`
	Beta      [][]rfixture.Float `json:"beta"`
	Df        []int              `json:"df"`
	DevRatio  []rfixture.Float   `json:"dev_ratio"`
	NullDev   rfixture.Float     `json:"nulldev"`
	NPasses   int                `json:"npasses"`
	Objective []rfixture.Float   `json:"objective"`
	Exact     pathExact          `json:"exact"`
	DvE       struct {
		SupportMismatch []int `json:"support_mismatch"`
	} `json:"default_vs_exact"`
}

// data holds cohort_b.csv.
type data struct {
	cols map[string][]string
	n    int
}

func loadData(t testing.TB) *data {
	t.Helper()
	cols := rfixture.Columns(t, "data/cohort_b.csv")
	return &data{cols: cols, n: len(cols["patient_id"])}
}

// matrix returns the feature matrix of the rows with cohort == which (all
// rows when which is ""), the outcome, the patient ids and the cv_fold
// column.
func (d *data) matrix(t testing.TB, features []string, which string) (*mat.Dense, []float64, []string, []int) {
	t.Helper()
	var rows []int
	for i := 0; i < d.n; i++ {
		if which == "" || d.cols["cohort"][i] == which {
			rows = append(rows, i)
		}
	}
	X := mat.NewDense(len(rows), len(features), nil)
	y := make([]float64, len(rows))
	ids := make([]string, len(rows))
	folds := make([]int, len(rows))
	for r, i := range rows {
		for j, f := range features {
			col, ok := d.cols[f]
			if !ok {
				t.Fatalf("no column %s", f)
			}
			v, err := strconv.ParseFloat(col[i], 64)
			if err != nil {
				t.Fatal(err)
			}
			X.Set(r, j, v)
		}
		y[r], _ = strconv.ParseFloat(d.cols["malignant"][i], 64)
		ids[r] = d.cols["patient_id"][i]
		if s := d.cols["cv_fold"][i]; s != "" {
			folds[r], _ = strconv.Atoi(s)
		}
	}
	return X, y, ids, folds
}

func loadPath(t testing.TB) (pathFixture, *mat.Dense, []float64) {
	var fx pathFixture
	rfixture.Load(t, "02_glmnet_path.json", &fx)
	d := loadData(t)
	X, y, _, _ := d.matrix(t, fx.Features, "train")
	return fx, X, y
}

func relErr(got, want float64) float64 {
	return math.Abs(got-want) / math.Max(1, math.Abs(want))
}

func TestPathDefaultAgainstGlmnet(t *testing.T) {
	fx, X, y := loadPath(t)
	res, err := Path(X, y, DefaultPathOptions())
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Lambda) != len(fx.Lambda) {
		t.Fatalf("path length %d, glmnet %d", len(res.Lambda), len(fx.Lambda))
	}
	mx := 0.0
	for k := range fx.Lambda {
		mx = math.Max(mx, math.Abs(res.Lambda[k]-float64(fx.Lambda[k]))/float64(fx.Lambda[k]))
	}
	if mx > 1e-12 {
		t.Errorf("lambda max rel diff %.3g", mx)
	}
	t.Logf("lambda: max rel diff %.3g; npasses %d (glmnet %d)", mx, res.NPasses, fx.NPasses)
	for j := range fx.Features {
		if relErr(res.XMean[j], float64(fx.XMean[j])) > 1e-12 || math.Abs(res.XSD[j]-float64(fx.XSD[j])) > 1e-12*float64(fx.XSD[j]) {
			t.Errorf("feature %d: mean/sd %v %v vs %v %v", j, res.XMean[j], res.XSD[j], fx.XMean[j], fx.XSD[j])
		}
	}
	if relErr(res.NullDev, float64(fx.NullDev)) > 1e-12 {
		t.Errorf("nulldev %v vs %v", res.NullDev, fx.NullDev)
	}
	mObj, mBeta, mDR := 0.0, 0.0, 0.0
	dfDiff := 0
	for k := range fx.Lambda {
		obj := res.Objective(X, y, k)
		mObj = math.Max(mObj, math.Abs(obj-float64(fx.Objective[k]))/float64(fx.Objective[k]))
		for j := range fx.Features {
			mBeta = math.Max(mBeta, math.Abs(res.Beta[k][j]-float64(fx.Beta[j][k]))*float64(fx.XSD[j]))
		}
		mDR = math.Max(mDR, math.Abs(res.DevRatio[k]-float64(fx.DevRatio[k])))
		if res.Df[k] != fx.Df[k] {
			dfDiff++
		}
	}
	t.Logf("default vs glmnet default: objective max rel %.3g, beta*sd max abs %.3g, dev.ratio max abs %.3g, df mismatches %d", mObj, mBeta, mDR, dfDiff)
	if mObj > 1e-5 {
		t.Errorf("objective max rel diff %.3g > 1e-5", mObj)
	}
	if mBeta > 2e-2 {
		t.Errorf("beta*sd max abs diff %.3g > 2e-2", mBeta)
	}
}

func TestPathTightAgainstExact(t *testing.T) {
	fx, X, y := loadPath(t)
	opt := DefaultPathOptions()
	opt.Tight = true
	res, err := Path(X, y, opt)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Lambda) != len(fx.Lambda) {
		t.Fatalf("path length %d, glmnet %d", len(res.Lambda), len(fx.Lambda))
	}
	mBeta, mObj, mA0 := 0.0, 0.0, 0.0
	for k := range fx.Lambda {
		for j := range fx.Features {
			mBeta = math.Max(mBeta, math.Abs(res.Beta[k][j]-float64(fx.Exact.Beta[j][k]))*float64(fx.XSD[j]))
		}
		mA0 = math.Max(mA0, math.Abs(res.A0[k]-float64(fx.Exact.A0[k])))
		obj := res.Objective(X, y, k)
		mObj = math.Max(mObj, math.Abs(obj-float64(fx.Exact.Objective[k]))/float64(fx.Exact.Objective[k]))
	}
	t.Logf("tight vs exact: beta*sd max abs %.3g, a0 max abs %.3g, objective max rel %.3g", mBeta, mA0, mObj)
	if mBeta > 1e-6 {
		t.Errorf("beta*sd max abs diff %.3g > 1e-6", mBeta)
	}
	if mObj > 1e-10 {
		t.Errorf("objective max rel diff %.3g > 1e-10", mObj)
	}
}

type atLambda struct {
	Intercept rfixture.Float   `json:"intercept"`
	NNonzero  int              `json:"n_nonzero"`
	Features  []string         `json:"features"`
	AllCoef   []rfixture.Float `json:"all_coefficients"`
}

type cvExact struct {
	CVM         []rfixture.Float   `json:"cvm"`
	CVSD        []rfixture.Float   `json:"cvsd"`
	FoldMeasure [][]rfixture.Float `json:"fold_measure"`
	IndexMin    int                `json:"index_min"`
	Index1SE    int                `json:"index_1se"`
}

type cvMeasureFx struct {
	Lambda      []rfixture.Float   `json:"lambda"`
	CVM         []rfixture.Float   `json:"cvm"`
	CVSD        []rfixture.Float   `json:"cvsd"`
	NZero       []int              `json:"nzero"`
	LambdaMin   rfixture.Float     `json:"lambda_min"`
	Lambda1SE   rfixture.Float     `json:"lambda_1se"`
	IndexMin    int                `json:"index_min"`
	Index1SE    int                `json:"index_1se"`
	AtMin       atLambda           `json:"at_lambda_min"`
	At1SE       atLambda           `json:"at_lambda_1se"`
	FoldMeasure [][]rfixture.Float `json:"fold_measure"`
	Exact       cvExact            `json:"exact_solution"`
}

type cvFixture struct {
	FoldID    []int       `json:"foldid"`
	PatientID []string    `json:"patient_id"`
	FoldSizes []int       `json:"fold_sizes"`
	Deviance  cvMeasureFx `json:"deviance"`
	AUC       cvMeasureFx `json:"auc"`
}

type foldFx struct {
	Lambda   []rfixture.Float   `json:"lambda"`
	A0       []rfixture.Float   `json:"a0"`
	Beta     [][]rfixture.Float `json:"beta"`
	Df       []int              `json:"df"`
	DevRatio []rfixture.Float   `json:"dev_ratio"`
	Exact    struct {
		A0   []rfixture.Float   `json:"a0"`
		Beta [][]rfixture.Float `json:"beta"`
	} `json:"exact"`
}

type foldsFixture struct {
	Folds        []foldFx           `json:"folds"`
	OOFLink      [][]rfixture.Float `json:"oof_link"`
	OOFLinkExact [][]rfixture.Float `json:"oof_link_exact"`
}

type radFixture struct {
	IndexMin         int              `json:"index_min"`
	Intercept        rfixture.Float   `json:"intercept"`
	SelectedFeatures []string         `json:"selected_features"`
	PatientID        []string         `json:"patient_id"`
	Radscore         []rfixture.Float `json:"radscore"`
	RadscoreExact    []rfixture.Float `json:"radscore_exact_solution"`
}

// selectedAbove returns the names of features with |beta * sd| >= 1e-3 (the
// README's LASSO caveat).
func selectedAbove(features []string, beta []float64, sd []rfixture.Float) map[string]bool {
	out := map[string]bool{}
	for j, b := range beta {
		if math.Abs(b)*float64(sd[j]) >= 1e-3 {
			out[features[j]] = true
		}
	}
	return out
}

func runCV(t *testing.T, tight bool) (*CVResult, pathFixture, cvFixture, *mat.Dense, []float64) {
	t.Helper()
	fx, X, y := loadPath(t)
	var cf cvFixture
	rfixture.Load(t, "02_cv_glmnet.json", &cf)
	d := loadData(t)
	_, _, ids, folds := d.matrix(t, fx.Features, "train")
	for i := range ids {
		if ids[i] != cf.PatientID[i] || folds[i] != cf.FoldID[i] {
			t.Fatalf("row %d: %s fold %d vs fixture %s fold %d", i, ids[i], folds[i], cf.PatientID[i], cf.FoldID[i])
		}
	}
	opt := DefaultCVOptions()
	opt.FoldID = cf.FoldID
	opt.Path.Tight = tight
	res, err := CV(X, y, opt)
	if err != nil {
		t.Fatal(err)
	}
	for k, s := range cf.FoldSizes {
		if res.FoldSize[k] != s {
			t.Errorf("fold %d size %d, want %d", k+1, res.FoldSize[k], s)
		}
	}
	return res, fx, cf, X, y
}

func maxAbs2(got [][]float64, want [][]rfixture.Float) float64 {
	m := 0.0
	for i := range want {
		for j := range want[i] {
			m = math.Max(m, math.Abs(got[i][j]-float64(want[i][j])))
		}
	}
	return m
}

func TestCVDefaultAgainstCvGlmnet(t *testing.T) {
	res, fx, cf, _, _ := runCV(t, false)
	var ff foldsFixture
	rfixture.Load(t, "02_cv_folds.json", &ff)
	// Fold paths.
	for k, f := range ff.Folds {
		fk := res.Folds[k]
		if len(fk.Lambda) != len(f.Lambda) {
			t.Errorf("fold %d: path length %d, glmnet %d", k+1, len(fk.Lambda), len(f.Lambda))
			continue
		}
		mb := 0.0
		for j := range f.Lambda {
			if relErr(fk.Lambda[j], float64(f.Lambda[j])) > 1e-12 {
				t.Errorf("fold %d lambda %d: %v vs %v", k+1, j, fk.Lambda[j], f.Lambda[j])
			}
			for i := range fx.Features {
				mb = math.Max(mb, math.Abs(fk.Beta[j][i]-float64(f.Beta[i][j]))*fk.XSD[i])
			}
		}
		t.Logf("fold %d: %d lambdas, beta*sd max abs diff vs glmnet %.3g", k+1, len(f.Lambda), mb)
		if mb > 2e-2 {
			t.Errorf("fold %d beta diff %.3g", k+1, mb)
		}
	}
	d := maxAbs2(res.FitPreval, ff.OOFLink)
	t.Logf("fit.preval vs oof_link: max abs diff %.3g", d)
	if d > 0.1 {
		t.Errorf("fit.preval max abs diff %.3g", d)
	}
	for _, c := range []struct {
		m   CVMeasure
		fx  cvMeasureFx
		tol float64
	}{{res.Deviance, cf.Deviance, 1e-3}, {res.AUC, cf.AUC, 5e-3}} {
		if len(c.fx.Lambda) != len(res.Lambda) {
			t.Fatalf("%s: %d lambdas vs %d", c.m.Name, len(res.Lambda), len(c.fx.Lambda))
		}
		mcvm, mcvsd := 0.0, 0.0
		for j := range c.fx.CVM {
			mcvm = math.Max(mcvm, math.Abs(c.m.CVM[j]-float64(c.fx.CVM[j])))
			mcvsd = math.Max(mcvsd, math.Abs(c.m.CVSD[j]-float64(c.fx.CVSD[j])))
			if res.NZero[j] != c.fx.NZero[j] {
				t.Errorf("%s nzero[%d] %d vs %d", c.m.Name, j, res.NZero[j], c.fx.NZero[j])
			}
		}
		t.Logf("%s: cvm max abs diff %.3g, cvsd %.3g, fold_measure %.3g", c.m.Name, mcvm, mcvsd, maxAbs2(c.m.FoldMeasure, c.fx.FoldMeasure))
		if mcvm > c.tol || mcvsd > c.tol {
			t.Errorf("%s: cvm/cvsd diff %.3g/%.3g > %g", c.m.Name, mcvm, mcvsd, c.tol)
		}
		if c.m.IndexMin+1 != c.fx.IndexMin || c.m.Index1SE+1 != c.fx.Index1SE {
			t.Errorf("%s: index min/1se %d/%d, want %d/%d", c.m.Name, c.m.IndexMin+1, c.m.Index1SE+1, c.fx.IndexMin, c.fx.Index1SE)
		}
		if relErr(c.m.LambdaMin, float64(c.fx.LambdaMin)) > 1e-12 || relErr(c.m.Lambda1SE, float64(c.fx.Lambda1SE)) > 1e-12 {
			t.Errorf("%s: lambda min/1se %v/%v", c.m.Name, c.m.LambdaMin, c.m.Lambda1SE)
		}
		for _, at := range []struct {
			got  Coefficients
			want atLambda
			what string
		}{{c.m.AtMin, c.fx.AtMin, "min"}, {c.m.At1SE, c.fx.At1SE, "1se"}} {
			mc := 0.0
			for j := range fx.Features {
				mc = math.Max(mc, math.Abs(at.got.Beta[j]-float64(at.want.AllCoef[j]))*float64(fx.XSD[j]))
			}
			want := make([]float64, len(at.want.AllCoef))
			for j := range want {
				want[j] = float64(at.want.AllCoef[j])
			}
			gs := selectedAbove(fx.Features, at.got.Beta, fx.XSD)
			ws := selectedAbove(fx.Features, want, fx.XSD)
			same := len(gs) == len(ws)
			for f := range ws {
				same = same && gs[f]
			}
			t.Logf("%s at lambda.%s: %d selected (R %d), beta*sd max abs diff %.3g, intercept diff %.3g", c.m.Name, at.what, len(at.got.Selected), at.want.NNonzero, mc, math.Abs(at.got.Intercept-float64(at.want.Intercept)))
			if !same {
				t.Errorf("%s at lambda.%s: selected sets differ: %v vs %v", c.m.Name, at.what, gs, ws)
			}
			if mc > 2e-2 {
				t.Errorf("%s at lambda.%s: coefficients differ by %.3g", c.m.Name, at.what, mc)
			}
			if at.want.NNonzero == 0 && len(at.got.Selected) != 0 {
				t.Errorf("%s at lambda.%s: want the empty selection", c.m.Name, at.what)
			}
		}
	}
}

func TestCVTightAgainstExactSolution(t *testing.T) {
	res, _, cf, _, _ := runCV(t, true)
	var ff foldsFixture
	rfixture.Load(t, "02_cv_folds.json", &ff)
	d := maxAbs2(res.FitPreval, ff.OOFLinkExact)
	t.Logf("tight fit.preval vs oof_link_exact: max abs diff %.3g", d)
	if d > 1e-6 {
		t.Errorf("fit.preval (tight) max abs diff %.3g", d)
	}
	for _, c := range []struct {
		m   CVMeasure
		fx  cvMeasureFx
		tol float64
	}{{res.Deviance, cf.Deviance, 1e-8}, {res.AUC, cf.AUC, 1e-12}} {
		mcvm, mcvsd := 0.0, 0.0
		for j := range c.fx.Exact.CVM {
			mcvm = math.Max(mcvm, math.Abs(c.m.CVM[j]-float64(c.fx.Exact.CVM[j])))
			mcvsd = math.Max(mcvsd, math.Abs(c.m.CVSD[j]-float64(c.fx.Exact.CVSD[j])))
		}
		t.Logf("%s tight vs exact_solution: cvm max abs %.3g, cvsd %.3g", c.m.Name, mcvm, mcvsd)
		if mcvm > c.tol || mcvsd > c.tol {
			t.Errorf("%s: cvm/cvsd diff %.3g/%.3g > %g", c.m.Name, mcvm, mcvsd, c.tol)
		}
		if c.m.IndexMin+1 != c.fx.Exact.IndexMin || c.m.Index1SE+1 != c.fx.Exact.Index1SE {
			t.Errorf("%s: index min/1se %d/%d, want %d/%d", c.m.Name, c.m.IndexMin+1, c.m.Index1SE+1, c.fx.Exact.IndexMin, c.fx.Exact.Index1SE)
		}
	}
}

func TestRadscore(t *testing.T) {
	var rf radFixture
	rfixture.Load(t, "02_radscore.json", &rf)
	for _, tight := range []bool{false, true} {
		res, fx, _, _, _ := runCV(t, tight)
		d := loadData(t)
		Xall, _, ids, _ := d.matrix(t, fx.Features, "")
		for i := range ids {
			if ids[i] != rf.PatientID[i] {
				t.Fatalf("patient order differs at %d", i)
			}
		}
		if res.Deviance.IndexMin+1 != rf.IndexMin {
			t.Fatalf("index_min %d vs %d", res.Deviance.IndexMin+1, rf.IndexMin)
		}
		score, err := res.Fit.PredictLink(Xall, res.Deviance.LambdaMin)
		if err != nil {
			t.Fatal(err)
		}
		want, tol := rf.Radscore, 1e-2
		if tight {
			want, tol = rf.RadscoreExact, 1e-6
		}
		m := 0.0
		for i := range score {
			m = math.Max(m, math.Abs(score[i]-float64(want[i])))
		}
		t.Logf("tight=%v: radscore max abs diff %.3g", tight, m)
		if m > tol {
			t.Errorf("tight=%v: radscore max abs diff %.3g > %g", tight, m, tol)
		}
	}
}
