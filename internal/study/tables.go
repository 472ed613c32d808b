package study

import (
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"strconv"
)

// ResultTable is one output table (OUTDIR/tables/<Name>.csv).
type ResultTable struct {
	Name   string
	Header []string
	Rows   [][]string
}

func (t *ResultTable) add(cells ...any) {
	row := make([]string, len(cells))
	for i, c := range cells {
		row[i] = cell(c)
	}
	t.Rows = append(t.Rows, row)
}

// cell renders a value: numbers with the shortest round-trip digits, NaN
// and infinities as NA/Inf/-Inf (R's spelling).
func cell(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case int:
		return strconv.Itoa(x)
	case bool:
		if x {
			return "TRUE"
		}
		return "FALSE"
	case float64:
		switch {
		case math.IsNaN(x):
			return "NA"
		case math.IsInf(x, 1):
			return "Inf"
		case math.IsInf(x, -1):
			return "-Inf"
		}
		return strconv.FormatFloat(x, 'g', -1, 64)
	}
	return fmt.Sprint(v)
}

// Encode writes the table as CSV.
func (t *ResultTable) Encode(w io.Writer) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(t.Header); err != nil {
		return err
	}
	if err := cw.WriteAll(t.Rows); err != nil {
		return err
	}
	cw.Flush()
	return cw.Error()
}

// Tables returns every result table, named as in OUTDIR/tables/<name>.csv.
func (r *Result) Tables() []*ResultTable {
	var out []*ResultTable
	uni := &ResultTable{Name: "univariable", Header: []string{"variable", "term", "n", "estimate", "std_error", "z", "p", "odds_ratio", "or_lower", "or_upper", "kept"}}
	for _, u := range r.Univariable {
		f := u.Fit
		for j := 1; j < len(f.Terms); j++ {
			uni.add(u.Variable, f.Terms[j], u.NUsed, f.Coef[j], f.SE[j], f.Z[j], f.P[j], f.OR[j], f.ORLower[j], f.ORUpper[j], u.Kept)
		}
	}
	out = append(out, uni)
	mv := &ResultTable{Name: "multivariable", Header: []string{"term", "estimate", "std_error", "z", "p", "odds_ratio", "or_lower", "or_upper"}}
	if f := r.Multivar; f != nil {
		for j := range f.Terms {
			mv.add(f.Terms[j], f.Coef[j], f.SE[j], f.Z[j], f.P[j], f.OR[j], f.ORLower[j], f.ORUpper[j])
		}
	}
	out = append(out, mv)
	models := &ResultTable{Name: "models", Header: []string{"model", "term", "estimate", "std_error", "z", "p", "odds_ratio", "or_lower", "or_upper"}}
	for _, name := range ModelNames {
		m, ok := r.Models[name]
		if !ok {
			continue
		}
		if m.Fit == nil {
			models.add(name, "(Intercept)", 0.0, math.NaN(), math.NaN(), math.NaN(), 1.0, math.NaN(), math.NaN())
			models.add(name, "radscore", 1.0, math.NaN(), math.NaN(), math.NaN(), math.E, math.NaN(), math.NaN())
			continue
		}
		f := m.Fit
		for j := range f.Terms {
			models.add(name, f.Terms[j], f.Coef[j], f.SE[j], f.Z[j], f.P[j], f.OR[j], f.ORLower[j], f.ORUpper[j])
		}
	}
	out = append(out, models)
	sel := &ResultTable{Name: "selected_features", Header: []string{"feature", "coefficient_z", "mean", "sd", "coefficient_raw"}}
	for k, f := range r.Selected {
		j := r.Chosen.Selected[k]
		sel.add(f, r.SelectedCoefZ[k], r.ZMean[j], r.ZSD[j], r.SelectedCoefZ[k]/r.ZSD[j])
	}
	sel.add("(Intercept)", r.RadIntercept, math.NaN(), math.NaN(), r.RawIntercept())
	out = append(out, sel)
	steps := &ResultTable{Name: "feature_selection", Header: []string{"step", "remaining", "note"}}
	for _, s := range r.Steps {
		steps.add(s.Step, s.Remaining, s.Note)
	}
	out = append(out, steps)
	perf := &ResultTable{Name: "performance", Header: []string{"model", "cohort", "n", "events", "auc", "auc_lower", "auc_upper", "score_scale", "threshold",
		"tp", "fp", "tn", "fn", "accuracy", "accuracy_lower", "accuracy_upper", "sensitivity", "sensitivity_lower", "sensitivity_upper",
		"specificity", "specificity_lower", "specificity_upper", "ppv", "ppv_lower", "ppv_upper", "npv", "npv_lower", "npv_upper"}}
	for _, p := range r.Performance {
		m := p.Metrics
		perf.add(p.Model, p.Cohort, p.N, p.Events, p.Curve.AUC, p.Curve.CILower, p.Curve.CIUpper, r.Models[p.Model].ScoreScale, m.Threshold,
			m.TP, m.FP, m.TN, m.FN,
			m.Accuracy.Estimate, m.Accuracy.CPLower, m.Accuracy.CPUpper,
			m.Sensitivity.Estimate, m.Sensitivity.CPLower, m.Sensitivity.CPUpper,
			m.Specificity.Estimate, m.Specificity.CPLower, m.Specificity.CPUpper,
			m.PPV.Estimate, m.PPV.CPLower, m.PPV.CPUpper,
			m.NPV.Estimate, m.NPV.CPLower, m.NPV.CPUpper)
	}
	out = append(out, perf)
	dl := &ResultTable{Name: "delong", Header: []string{"cohort", "model_a", "model_b", "auc_a", "auc_b", "z", "p", "diff_lower", "diff_upper"}}
	for _, d := range r.DeLong {
		dl.add(d.Cohort, d.ModelA, d.ModelB, d.Test.AUC1, d.Test.AUC2, d.Test.Statistic, d.Test.P, d.Test.DiffCILower, d.Test.DiffCIUpper)
	}
	out = append(out, dl)
	cal := &ResultTable{Name: "calibration", Header: []string{"model", "cohort", "hl_chisq", "hl_df", "hl_p", "brier", "intercept", "slope", "emax", "eavg", "e90", "c", "dxy", "r2"}}
	for _, p := range r.Performance {
		v := p.ValProb
		cal.add(p.Model, p.Cohort, p.HL.ChiSq, p.HL.DF, p.HL.P, v.Brier, v.Intercept, v.Slope, v.Emax, v.Eavg, v.E90, v.C, v.Dxy, v.R2)
	}
	out = append(out, cal)
	boot := &ResultTable{Name: "calibration_bootstrap", Header: []string{"model", "predicted", "apparent", "bias_corrected", "optimism", "n"}}
	for _, name := range ModelNames {
		b, ok := r.Bootstrap[name]
		if !ok {
			continue
		}
		for k := range b.Predy {
			boot.add(name, b.Predy[k], b.Apparent[k], b.Corrected[k], b.Optimism[k], b.N[k])
		}
	}
	out = append(out, boot)
	pred := &ResultTable{Name: "predictions", Header: []string{"id", "cohort", "outcome", "radscore", "clinical", "radiomics", "combined", "clinical_class", "radiomics_class", "combined_class"}}
	for i, id := range r.IDs {
		row := []any{id, r.Split[i], int(r.Y[i]), r.RadScore[i]}
		for _, name := range ModelNames {
			if m, ok := r.Models[name]; ok {
				row = append(row, m.Prob[i])
			} else {
				row = append(row, math.NaN())
			}
		}
		for _, name := range ModelNames {
			m, ok := r.Models[name]
			switch {
			case !ok || math.IsNaN(m.Score[i]):
				row = append(row, "NA")
			case m.Score[i] >= m.Threshold:
				row = append(row, 1)
			default:
				row = append(row, 0)
			}
		}
		pred.add(row...)
	}
	out = append(out, pred)
	if r.CV != nil {
		path := &ResultTable{Name: "lasso_path", Header: []string{"lambda_index", "lambda", "feature", "coefficient"}}
		fit := r.CV.Fit
		for k, l := range fit.Lambda {
			for j, f := range r.LassoFeatures {
				if b := fit.Beta[k][j]; b != 0 {
					path.add(k+1, l, f, b)
				}
			}
		}
		out = append(out, path)
		cvt := &ResultTable{Name: "lasso_cv", Header: []string{"lambda_index", "lambda", "cvm", "cvsd", "cvup", "cvlo", "nzero", "measure"}}
		m := r.Measure
		for k, l := range r.CV.Lambda {
			cvt.add(k+1, l, m.CVM[k], m.CVSD[k], m.CVUp[k], m.CVLo[k], r.CV.NZero[k], m.Name)
		}
		out = append(out, cvt)
		ch := &ResultTable{Name: "lasso_choice", Header: []string{"measure", "rule", "lambda", "lambda_index", "lambda_min", "lambda_1se", "n_selected", "folds"}}
		ch.add(m.Name, r.Config.LassoRule, r.Chosen.Lambda, r.Chosen.Index+1, m.LambdaMin, m.Lambda1SE, len(r.Selected), len(r.CV.Folds))
		out = append(out, ch)
	}
	return append(out, r.extraTables()...)
}

// RawIntercept is the rad-score intercept for raw (un-z-scored) features:
// a0 - sum(beta_j * mean_j / sd_j).
func (r *Result) RawIntercept() float64 {
	a := r.RadIntercept
	for k := range r.Selected {
		j := r.Chosen.Selected[k]
		a -= r.SelectedCoefZ[k] * r.ZMean[j] / r.ZSD[j]
	}
	return a
}
