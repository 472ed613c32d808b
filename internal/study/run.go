package study

import (
	"fmt"
	"math"
	"strconv"

	"github.com/spinerad/spinerad/internal/stats/calibration"
	"github.com/spinerad/spinerad/internal/stats/glm"
	"github.com/spinerad/spinerad/internal/stats/lasso"
	"github.com/spinerad/spinerad/internal/stats/nomogram"
	"github.com/spinerad/spinerad/internal/stats/roc"
	"gonum.org/v1/gonum/mat"
)

// ModelNames are the three models in report order.
var ModelNames = []string{"clinical", "radiomics", "combined"}

// Cohorts are the two cohorts in report order.
var Cohorts = []string{"train", "validation"}

// UniRow is one univariable logistic regression of the clinical screen.
type UniRow struct {
	Variable string
	Fit      *glm.Result
	NUsed    int
	Kept     bool
}

// FilterStep records the radiomics feature count after one pipeline step.
type FilterStep struct {
	Step      string
	Remaining int
	Note      string
}

// Perf is a model's performance in one cohort at the training Youden threshold.
type Perf struct {
	Model, Cohort string
	Curve         *roc.Curve
	Metrics       roc.Metrics
	N, Events     int
	HL            *calibration.HLResult
	ValProb       *calibration.ValProbResult
	Plot          *calibration.PlotData
}

// DeLongRow is a paired DeLong test between two models in one cohort.
type DeLongRow struct {
	Cohort, ModelA, ModelB string
	Test                   roc.Test
}

// Result holds everything the study computed.
type Result struct {
	Config   Config
	Warnings []string

	IDs   []string
	Y     []float64
	Split []string

	Candidates   []Var
	ClinicalCols map[string][]Column // by variable name
	Univariable  []UniRow
	Multivar     *glm.Result
	MultivarVars []string
	ClinicalKept []Var

	FeatureCandidates []string
	Steps             []FilterStep
	LassoFeatures     []string   // features entering LASSO
	ZMean, ZSD        []float64  // z-score parameters (train) of LassoFeatures
	Z                 *mat.Dense // all rows, z-scored LassoFeatures
	CV                *lasso.CVResult
	Measure           *lasso.CVMeasure
	Chosen            lasso.Coefficients
	Selected          []string  // selected features
	SelectedCoefZ     []float64 // their coefficients on the z scale
	RadIntercept      float64   // intercept on the z scale
	RadScore          []float64

	Models      map[string]*Model
	Performance []Perf
	DeLong      []DeLongRow
	Bootstrap   map[string]*calibration.BootstrapCurve
	Utility     []Utility
	Nomogram    *nomogram.Nomogram
	Baseline    []BaselineRow
	ICC         []ICCRow
}

// Run performs the whole analysis on cfg's inputs.
func Run(cfg Config) (*Result, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	t, warnings, err := loadInputs(cfg)
	if err != nil {
		return nil, err
	}
	r := &Result{Config: cfg, Warnings: warnings, IDs: t.IDs, Models: map[string]*Model{}, ClinicalCols: map[string][]Column{}}
	if r.Y, err = outcome(t, cfg.Outcome, cfg.Positive); err != nil {
		return nil, err
	}
	if r.Split, err = split(t, cfg.SplitColumn, cfg.TrainFraction, r.Y, cfg.Seed); err != nil {
		return nil, err
	}
	train := rowsOf(r.Split, "train")
	if err := checkCohort(r.Y, train, "training"); err != nil {
		return nil, err
	}
	if err := checkCohort(r.Y, rowsOf(r.Split, "validation"), "validation"); err != nil {
		return nil, err
	}
	if err := r.clinical(t, train); err != nil {
		return nil, err
	}
	if err := r.radiomics(t, train); err != nil {
		return nil, err
	}
	if err := r.buildModels(train); err != nil {
		return nil, err
	}
	if err := r.evaluate(); err != nil {
		return nil, err
	}
	if err := r.utility(); err != nil {
		return nil, err
	}
	if err := r.buildNomogram(); err != nil {
		return nil, err
	}
	if err := r.baseline(t); err != nil {
		return nil, err
	}
	return r, nil
}

func loadInputs(cfg Config) (*Table, []string, error) {
	var t *Table
	var warnings []string
	for k, p := range []string{cfg.Clinical, cfg.Features} {
		if p == "" {
			continue
		}
		u, err := ReadTable(p, cfg.ID)
		if err != nil && k == 1 && cfg.ID != "ID" {
			// A features CSV from extract --batch of a PyRadiomics case list
			// carries the identifier in the column ID.
			if v, err2 := ReadTable(p, "ID"); err2 == nil {
				u, err = v, nil
				u.Columns[cfg.ID] = u.Columns["ID"]
				delete(u.Columns, "ID")
				for i, h := range u.Header {
					if h == "ID" {
						u.Header[i] = cfg.ID
					}
				}
			}
		}
		if err != nil {
			return nil, nil, err
		}
		if t == nil {
			t = u
			continue
		}
		j, w, err := Join(t, u)
		if err != nil {
			return nil, nil, err
		}
		t = j
		warnings = append(warnings, w...)
	}
	return t, warnings, nil
}

func checkCohort(y []float64, rows []int, name string) error {
	ev := 0
	for _, i := range rows {
		ev += int(y[i])
	}
	if len(rows) == 0 {
		return fmt.Errorf("the %s cohort is empty", name)
	}
	if ev == 0 || ev == len(rows) {
		return fmt.Errorf("the %s cohort has a single outcome class (%d events in %d)", name, ev, len(rows))
	}
	return nil
}

// clinical screens the candidate clinical variables.
func (r *Result) clinical(t *Table, train []int) error {
	cfg := r.Config
	events := 0
	for _, i := range train {
		events += int(r.Y[i])
	}
	if m := min(events, len(train)-events); len(cfg.ClinicalVars) > 0 && m < 10*len(cfg.ClinicalVars) {
		r.Warnings = append(r.Warnings, fmt.Sprintf("%d events (minority class) for %d candidate clinical variables: fewer than 10 per variable, models may overfit", m, len(cfg.ClinicalVars)))
	}
	for _, s := range cfg.ClinicalVars {
		v, _ := ParseVar(s)
		cols, _, err := clinicalColumns(t, v)
		if err != nil {
			return err
		}
		r.Candidates = append(r.Candidates, v)
		r.ClinicalCols[v.Name()] = cols
	}
	if cfg.ClinicalSelection == "none" {
		r.ClinicalKept = r.Candidates
		return nil
	}
	var kept []Var
	for _, v := range r.Candidates {
		fit, used, err := fitLogistic(r.ClinicalCols[v.Name()], r.Y, train)
		if err != nil {
			return fmt.Errorf("univariable logistic regression of %s: %w", v.Name(), err)
		}
		keep := false
		for j := 1; j < len(fit.P); j++ {
			if fit.P[j] < cfg.UnivariableP {
				keep = true
			}
		}
		r.Univariable = append(r.Univariable, UniRow{v.Name(), fit, len(used), keep})
		if keep {
			kept = append(kept, v)
		}
	}
	if len(kept) == 0 {
		r.Warnings = append(r.Warnings, "no clinical variable passed the univariable screen: the clinical model is empty")
		return nil
	}
	cols := r.columnsOf(kept)
	fit, _, err := fitLogistic(cols, r.Y, train)
	if err != nil {
		return fmt.Errorf("multivariable logistic regression: %w", err)
	}
	r.Multivar = fit
	for _, v := range kept {
		r.MultivarVars = append(r.MultivarVars, v.Name())
	}
	for _, v := range kept {
		for j, term := range fit.Terms {
			if j == 0 || !r.termOf(v, term) {
				continue
			}
			if fit.P[j] < cfg.MultivariableP {
				r.ClinicalKept = append(r.ClinicalKept, v)
				break
			}
		}
	}
	if len(r.ClinicalKept) == 0 {
		r.Warnings = append(r.Warnings, "no clinical variable stayed significant in the multivariable model: the clinical model is empty")
	}
	return nil
}

func (r *Result) termOf(v Var, term string) bool {
	for _, c := range r.ClinicalCols[v.Name()] {
		if c.Name == term {
			return true
		}
	}
	return false
}

func (r *Result) columnsOf(vars []Var) []Column {
	var cols []Column
	for _, v := range vars {
		cols = append(cols, r.ClinicalCols[v.Name()]...)
	}
	return cols
}

// radiomics z-scores the features on the training rows, applies the
// optional filters, runs LASSO with cross-validation and builds the rad-score.
func (r *Result) radiomics(t *Table, train []int) error {
	cfg := r.Config
	names, err := t.FeatureColumns(cfg.FeatureColumns)
	if err != nil {
		return err
	}
	if len(names) == 0 {
		return fmt.Errorf("no radiomics feature column matches %q", cfg.FeatureColumns)
	}
	r.FeatureCandidates = names
	r.Steps = append(r.Steps, FilterStep{"candidate features", len(names), ""})
	n := len(r.IDs)
	raw := make(map[string][]float64, len(names))
	var usable []string
	for _, f := range names {
		x, err := t.Numeric(f)
		if err != nil {
			return err
		}
		for i, v := range x {
			if math.IsNaN(v) {
				return fmt.Errorf("feature %s is missing for ID %s (did its extraction fail?)", f, r.IDs[i])
			}
		}
		_, s := meanSD(pick(x, train))
		if s == 0 || math.IsNaN(s) {
			continue
		}
		raw[f] = x
		usable = append(usable, f)
	}
	if d := len(names) - len(usable); d > 0 {
		r.Steps = append(r.Steps, FilterStep{"non-constant on training rows", len(usable), strconv.Itoa(d) + " constant feature(s) dropped"})
	}
	names = usable
	if names, err = r.filters(t, names, raw, train); err != nil {
		return err
	}
	if len(names) == 0 {
		return fmt.Errorf("no radiomics feature is left after the filters")
	}
	r.LassoFeatures = names
	r.ZMean = make([]float64, len(names))
	r.ZSD = make([]float64, len(names))
	r.Z = mat.NewDense(n, len(names), nil)
	for j, f := range names {
		m, s := meanSD(pick(raw[f], train))
		r.ZMean[j], r.ZSD[j] = m, s
		for i := 0; i < n; i++ {
			r.Z.Set(i, j, (raw[f][i]-m)/s)
		}
	}
	xTrain := mat.NewDense(len(train), len(names), nil)
	for k, i := range train {
		xTrain.SetRow(k, r.Z.RawRowView(i))
	}
	yTrain := pick(r.Y, train)
	opt := lasso.DefaultCVOptions()
	if cfg.FoldColumn != "" {
		folds, err := t.Numeric(cfg.FoldColumn)
		if err != nil {
			return err
		}
		opt.FoldID = make([]int, len(train))
		for k, i := range train {
			if math.IsNaN(folds[i]) || folds[i] < 1 || folds[i] != math.Trunc(folds[i]) {
				return fmt.Errorf("fold column %q: ID %s (training) has no valid fold number", cfg.FoldColumn, r.IDs[i])
			}
			opt.FoldID[k] = int(folds[i])
		}
	} else {
		opt.NFolds = cfg.Folds
		opt.Seed = cfg.Seed
	}
	cv, err := lasso.CV(xTrain, yTrain, opt)
	if err != nil {
		return fmt.Errorf("LASSO cross-validation: %w", err)
	}
	r.CV = cv
	r.Warnings = append(r.Warnings, cv.Warnings...)
	r.Measure = &cv.Deviance
	if cfg.LassoMeasure == "auc" {
		r.Measure = &cv.AUC
	}
	r.Chosen = r.Measure.AtMin
	if cfg.LassoRule == "lambda.1se" {
		r.Chosen = r.Measure.At1SE
	}
	if len(r.Chosen.Selected) == 0 {
		return fmt.Errorf("LASSO kept no feature at %s (lambda %.4g, measure %s): the rad-score would be a constant; try lasso_rule lambda.min, another measure, or check the features", cfg.LassoRule, r.Chosen.Lambda, cfg.LassoMeasure)
	}
	r.RadIntercept = r.Chosen.Intercept
	for _, j := range r.Chosen.Selected {
		r.Selected = append(r.Selected, names[j])
		r.SelectedCoefZ = append(r.SelectedCoefZ, r.Chosen.Beta[j])
	}
	r.Steps = append(r.Steps, FilterStep{"LASSO (" + cfg.LassoRule + ", " + cfg.LassoMeasure + ")", len(r.Selected), fmt.Sprintf("lambda = %.6g", r.Chosen.Lambda)})
	r.RadScore = make([]float64, n)
	for i := 0; i < n; i++ {
		s := r.RadIntercept
		for k, j := range r.Chosen.Selected {
			s += r.SelectedCoefZ[k] * r.Z.At(i, j)
		}
		r.RadScore[i] = s
	}
	return nil
}

// meanSD returns the mean and the sample SD (n - 1).
func meanSD(x []float64) (float64, float64) {
	m := 0.0
	for _, v := range x {
		m += v
	}
	m /= float64(len(x))
	ss := 0.0
	for _, v := range x {
		ss += (v - m) * (v - m)
	}
	return m, math.Sqrt(ss / float64(len(x)-1))
}

// buildModels fits the clinical and combined models and sets up the radiomics one.
func (r *Result) buildModels(train []int) error {
	n := len(r.IDs)
	radCol := Column{Name: "radscore", Values: r.RadScore}
	rad := &Model{Name: "radiomics", Terms: []string{"radscore"}, Coef: []float64{0, 1}, Score: r.RadScore, ScoreScale: "radscore", Prob: make([]float64, n)}
	for i, s := range r.RadScore {
		rad.Prob[i] = plogis(s)
	}
	r.Models["radiomics"] = rad
	fitModel := func(name string, cols []Column) error {
		fit, _, err := fitLogistic(cols, r.Y, train)
		if err != nil {
			return fmt.Errorf("%s model: %w", name, err)
		}
		for _, w := range fit.Warnings {
			r.Warnings = append(r.Warnings, name+" model: "+w)
		}
		prob, _ := predict(fit, cols, n)
		r.Models[name] = &Model{Name: name, Terms: fit.Terms[1:], Coef: fit.Coef, Fit: fit, Score: prob, Prob: prob, ScoreScale: "probability"}
		return nil
	}
	clin := r.columnsOf(r.ClinicalKept)
	if len(clin) > 0 {
		if err := fitModel("clinical", clin); err != nil {
			return err
		}
	}
	if err := fitModel("combined", append(append([]Column(nil), clin...), radCol)); err != nil {
		return err
	}
	return nil
}

// modelColumns returns the predictor columns of a model.
func (r *Result) modelColumns(name string) []Column {
	radCol := Column{Name: "radscore", Values: r.RadScore}
	switch name {
	case "clinical":
		return r.columnsOf(r.ClinicalKept)
	case "radiomics":
		return []Column{radCol}
	}
	return append(r.columnsOf(r.ClinicalKept), radCol)
}

// complete returns the rows of cohort whose model score is known.
func complete(rows []int, score []float64) []int {
	var out []int
	for _, i := range rows {
		if !math.IsNaN(score[i]) {
			out = append(out, i)
		}
	}
	return out
}

// evaluate computes ROC, thresholds, metrics, calibration and DeLong tests.
func (r *Result) evaluate() error {
	r.Bootstrap = map[string]*calibration.BootstrapCurve{}
	train := rowsOf(r.Split, "train")
	for _, name := range ModelNames {
		m, ok := r.Models[name]
		if !ok {
			continue
		}
		rows := complete(train, m.Score)
		c, err := roc.Compute(pick(r.Y, rows), pick(m.Score, rows))
		if err != nil {
			return fmt.Errorf("%s model, training ROC: %w", name, err)
		}
		best := c.Youden()
		m.Threshold = best[0].Threshold
		for _, b := range best[1:] {
			m.Threshold = math.Min(m.Threshold, b.Threshold)
		}
	}
	for _, cohort := range Cohorts {
		all := rowsOf(r.Split, cohort)
		curves := map[string]*roc.Curve{}
		for _, name := range ModelNames {
			m, ok := r.Models[name]
			if !ok {
				continue
			}
			rows := complete(all, m.Score)
			if len(rows) < len(all) {
				r.Warnings = append(r.Warnings, fmt.Sprintf("%s model, %s cohort: %d patient(s) with missing predictors left out", name, cohort, len(all)-len(rows)))
			}
			y, s, p := pick(r.Y, rows), pick(m.Score, rows), pick(m.Prob, rows)
			c, err := roc.Compute(y, s)
			if err != nil {
				return fmt.Errorf("%s model, %s ROC: %w", name, cohort, err)
			}
			curves[name] = c
			met, err := roc.Classify(y, s, m.Threshold)
			if err != nil {
				return fmt.Errorf("%s model, %s metrics: %w", name, cohort, err)
			}
			pf := Perf{Model: name, Cohort: cohort, Curve: c, Metrics: met, N: len(rows), Events: int(sum(y))}
			if pf.HL, err = calibration.HosmerLemeshow(y, p, 10); err != nil {
				return fmt.Errorf("%s model, %s Hosmer-Lemeshow: %w", name, cohort, err)
			}
			if pf.ValProb, err = calibration.ValProb(p, y); err != nil {
				r.Warnings = append(r.Warnings, fmt.Sprintf("%s model, %s cohort: val.prob indices not available: %v", name, cohort, err))
				pf.ValProb = nanValProb()
			}
			if pf.Plot, err = calibration.CalibrationPlot(p, y, 10); err != nil {
				return fmt.Errorf("%s model, %s calibration plot: %w", name, cohort, err)
			}
			r.Performance = append(r.Performance, pf)
		}
		for a := 0; a < len(ModelNames); a++ {
			for b := a + 1; b < len(ModelNames); b++ {
				ca, okA := curves[ModelNames[a]]
				cb, okB := curves[ModelNames[b]]
				if !okA || !okB || ca.NCases+ca.NControls != cb.NCases+cb.NControls {
					continue
				}
				test, err := roc.PairedCurves(ca, cb)
				if err != nil {
					return fmt.Errorf("DeLong %s vs %s (%s): %w", ModelNames[a], ModelNames[b], cohort, err)
				}
				r.DeLong = append(r.DeLong, DeLongRow{cohort, ModelNames[a], ModelNames[b], test})
			}
		}
	}
	// Bootstrap optimism-corrected calibration on the training rows, each
	// model refitted as a logistic regression on its predictors (the LASSO
	// selection and the rad-score are held fixed).
	for _, name := range ModelNames {
		m, ok := r.Models[name]
		if !ok {
			continue
		}
		rows := complete(train, m.Prob)
		cols := r.modelColumns(name)
		firth := m.Fit != nil && m.Fit.Firth
		y := pick(r.Y, rows)
		refit := func(sample []int) ([]float64, error) {
			abs := make([]int, len(sample))
			for k, s := range sample {
				abs[k] = rows[s]
			}
			// Refit with the original model's method: Firth where the
			// original fit needed it, else maximum likelihood (a resample
			// that separates counts as a failed refit, as in rms).
			method := mleOnly
			if firth {
				method = firthOnly
			}
			fit, _, err := fitLogisticWith(cols, r.Y, abs, method)
			if err != nil {
				return nil, err
			}
			p, _ := predict(fit, cols, len(r.IDs))
			return pick(p, rows), nil
		}
		bc, err := calibration.BootstrapCalibrate(y, pick(m.Prob, rows), refit, calibration.BootstrapOptions{B: r.Config.Bootstrap, Seed: r.Config.Seed})
		if err != nil {
			return fmt.Errorf("%s model, bootstrap calibration: %w", name, err)
		}
		r.Bootstrap[name] = bc
	}
	return nil
}

func sum(x []float64) float64 {
	s := 0.0
	for _, v := range x {
		s += v
	}
	return s
}

// PerfOf returns the performance of a model in a cohort.
func (r *Result) PerfOf(model, cohort string) (*Perf, bool) {
	for i := range r.Performance {
		if r.Performance[i].Model == model && r.Performance[i].Cohort == cohort {
			return &r.Performance[i], true
		}
	}
	return nil, false
}

// nanValProb is a val.prob result with every index NA.
func nanValProb() *calibration.ValProbResult {
	n := math.NaN()
	return &calibration.ValProbResult{Dxy: n, C: n, R2: n, D: n, DChiSq: n, DP: n, U: n, UChiSq: n, UP: n, Q: n, Brier: n, Intercept: n, Slope: n, Emax: n, E90: n, Eavg: n, SZ: n, SP: n}
}
