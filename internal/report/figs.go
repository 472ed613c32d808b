package report

import (
	"fmt"
	"math"
	"strings"

	"github.com/spinerad/spinerad/internal/report/figures"
	"github.com/spinerad/spinerad/internal/study"
)

var modelLabel = map[string]string{"clinical": "Clinical", "radiomics": "Radiomics", "combined": "Combined"}

// writeFigures draws every figure of the study into dir and returns them in
// report order.
func writeFigures(dir string, r *study.Result) ([]figure, error) {
	var figs []figure
	out := func(name string) figures.Output { return figures.Output{Dir: dir, Name: name} }
	add := func(err error, f figure) error {
		if err != nil {
			return fmt.Errorf("figure %s: %w", f.Name, err)
		}
		figs = append(figs, f)
		return nil
	}
	cv := r.CV
	// LASSO path: features non-zero somewhere on the path.
	var names []string
	var coefs [][]float64
	for j, f := range r.LassoFeatures {
		row := make([]float64, len(cv.Fit.Lambda))
		nz := false
		for k := range cv.Fit.Lambda {
			row[k] = cv.Fit.Beta[k][j]
			nz = nz || row[k] != 0
		}
		if nz {
			names = append(names, f)
			coefs = append(coefs, row)
		}
	}
	m := r.Measure
	if err := add(figures.LassoPath(cv.Fit.Lambda, coefs, names, m.LambdaMin, m.Lambda1SE, "", out("lasso_path")),
		figure{"lasso_path", "radiomics", "LASSO coefficient paths of the z-scored features against log(λ); dashed lines at λ.min and λ.1se."}); err != nil {
		return nil, err
	}
	measure := "Binomial deviance"
	if m.Name == "auc" {
		measure = "AUC"
	}
	if err := add(figures.LassoCV(cv.Lambda, m.CVM, m.CVUp, m.CVLo, cv.NZero, m.LambdaMin, m.Lambda1SE, measure, "", out("lasso_cv")),
		figure{"lasso_cv", "radiomics", fmt.Sprintf("%d-fold cross-validation of the LASSO: mean %s ± 1 SE per λ; numbers of non-zero coefficients along the top.", len(cv.Folds), measure)}); err != nil {
		return nil, err
	}
	if err := add(figures.Coefficients(r.Selected, r.SelectedCoefZ, "", out("coefficients")),
		figure{"coefficients", "radiomics", "Coefficients of the selected features in the rad-score (z-scored features)."}); err != nil {
		return nil, err
	}
	for _, cohort := range study.Cohorts {
		var s []float64
		var y []int
		for i, c := range r.Split {
			if c == cohort {
				s = append(s, r.RadScore[i])
				y = append(y, int(r.Y[i]))
			}
		}
		name := "radscore_" + cohort
		if err := add(figures.RadScore(s, y, cohortName(cohort), out(name)), figure{name, "radiomics", "Rad-score by class, " + cohortName(cohort) + "."}); err != nil {
			return nil, err
		}
	}
	for _, cohort := range study.Cohorts {
		var curves []figures.ROCCurve
		var cal []figures.CalibrationSeries
		for _, model := range study.ModelNames {
			p, ok := r.PerfOf(model, cohort)
			if !ok {
				continue
			}
			c := p.Curve
			rc := figures.ROCCurve{Name: modelLabel[model], AUC: c.AUC, CILow: c.CILower, CIHigh: c.CIUpper}
			for k := range c.Thresholds {
				rc.FPR = append(rc.FPR, 1-c.Specificities[k])
				rc.TPR = append(rc.TPR, c.Sensitivities[k])
			}
			curves = append(curves, rc)
			cs := figures.CalibrationSeries{Name: modelLabel[model], ApparentX: p.Plot.SmoothX, ApparentY: clip01(p.Plot.SmoothY)}
			for _, g := range p.Plot.Groups {
				cs.GroupPredicted = append(cs.GroupPredicted, g.MeanPredicted)
				cs.GroupObserved = append(cs.GroupObserved, g.Observed)
			}
			if b, ok := r.Bootstrap[model]; ok && cohort == "train" && b.B > 0 {
				cs.CorrectedX, cs.CorrectedY = b.Predy, clip01(b.Corrected)
			}
			mdl := r.Models[model]
			for i, c := range r.Split {
				if c == cohort && !math.IsNaN(mdl.Prob[i]) {
					cs.Predictions = append(cs.Predictions, mdl.Prob[i])
				}
			}
			cal = append(cal, cs)
		}
		name := "roc_" + cohort
		if err := add(figures.ROC(curves, "ROC curves, "+cohortName(cohort), out(name)), figure{name, "performance", "ROC curves of the three models, " + cohortName(cohort) + ", with AUC and DeLong 95% CI."}); err != nil {
			return nil, err
		}
		name = "calibration_" + cohort
		capt := "Calibration, " + cohortName(cohort) + ": decile groups (circles) and lowess curve (dotted)"
		if cohort == "train" {
			capt += "; solid: bootstrap bias-corrected curve"
		}
		if err := add(figures.Calibration(cal, "Calibration, "+cohortName(cohort), out(name)), figure{name, "calibration", capt + "."}); err != nil {
			return nil, err
		}
	}
	for _, cohort := range study.Cohorts {
		var th, treatAll []float64
		var nb, nr []figures.NamedSeries
		for _, u := range r.Utility {
			if u.Cohort != cohort {
				continue
			}
			var y, z []float64
			for _, p := range u.Curve.Points {
				y = append(y, p.NetBenefit)
				z = append(z, p.NetReductionPer100)
			}
			if th == nil {
				for _, p := range u.Curve.Points {
					th = append(th, p.Threshold)
					treatAll = append(treatAll, p.TreatAll)
				}
			}
			nb = append(nb, figures.NamedSeries{Name: modelLabel[u.Model], Y: y})
			nr = append(nr, figures.NamedSeries{Name: modelLabel[u.Model], Y: z})
		}
		name := "dca_" + cohort
		if err := add(figures.DecisionCurve(th, nb, treatAll, "Decision curves, "+cohortName(cohort), out(name)), figure{name, "utility", "Decision curves, " + cohortName(cohort) + ": net benefit of each model, treating all and treating none."}); err != nil {
			return nil, err
		}
		name = "net_reduction_" + cohort
		if err := add(figures.NetReduction(th, nr, "Net reduction in interventions, "+cohortName(cohort), out(name)), figure{name, "utility", "Net reduction in interventions per 100 patients, " + cohortName(cohort) + "."}); err != nil {
			return nil, err
		}
		for _, u := range r.Utility {
			if u.Cohort != cohort || u.Model != "combined" {
				continue
			}
			var hr, hre []float64
			for _, p := range u.Curve.Points {
				hr = append(hr, p.CICHighRiskPer1000)
				hre = append(hre, p.CICHighRiskWithEventPer1000)
			}
			name = "clinical_impact_" + cohort
			if err := add(figures.ClinicalImpact(th, hr, hre, "Clinical impact (combined model), "+cohortName(cohort), out(name)), figure{name, "utility", "Clinical impact curve of the combined model per 1000 patients, " + cohortName(cohort) + ": number classified high risk, and of those with a malignant fracture."}); err != nil {
				return nil, err
			}
		}
	}
	if nm := r.Nomogram; nm != nil {
		spec := figures.NomogramSpec{Title: "Nomogram of the combined model", MaxPoints: nm.MaxScale, TotalPoints: nm.TotalPointsAxis}
		for _, a := range nm.Axes {
			ax := figures.NomogramAxis{Name: axisLabel(a.Name)}
			vals, pts := thinTicks(a.Values, a.Points)
			for k, v := range vals {
				ax.Ticks = append(ax.Ticks, figures.NomogramTick{Value: v, Points: pts[k]})
			}
			spec.Predictors = append(spec.Predictors, ax)
		}
		// rms draws the linear-predictor and risk ticks that fall on the
		// total-points axis; ticks of pretty(range(lp)) can lie just beyond it.
		lo, hi := nm.TotalPointsAxis[0], nm.TotalPointsAxis[len(nm.TotalPointsAxis)-1]
		inside := func(p float64) bool { return p >= lo-1e-9 && p <= hi+1e-9 }
		for k, lp := range nm.LPAxis {
			if inside(nm.LPAxisPoints[k]) {
				spec.LinearPredictor = append(spec.LinearPredictor, figures.NomogramTick{Value: lp, Points: nm.LPAxisPoints[k]})
			}
		}
		for k, p := range nm.FunAt {
			if inside(nm.FunPointsExact[k]) {
				spec.Risk = append(spec.Risk, figures.NomogramTick{Value: p, Points: nm.FunPointsExact[k]})
			}
		}
		if err := add(figures.Nomogram(spec, out("nomogram")), figure{"nomogram", "nomogram", "Nomogram of the combined model (rms scaling: 100 points for the predictor with the widest range of β·x)."}); err != nil {
			return nil, err
		}
	}
	return figs, nil
}

func cohortName(c string) string {
	if c == "train" {
		return "training cohort"
	}
	return "validation cohort"
}

func axisLabel(term string) string {
	switch {
	case term == "radscore":
		return "Rad-score"
	case strings.HasPrefix(term, "log_"):
		return "log(" + strings.TrimPrefix(term, "log_") + ")"
	}
	return term
}

// thinTicks keeps every second tick of a nomogram axis while its ticks are
// closer than 4 points on average, so that labels do not collide.
func thinTicks(vals, pts []float64) ([]float64, []float64) {
	for len(vals) > 3 {
		span := math.Abs(pts[len(pts)-1] - pts[0])
		if span/float64(len(vals)-1) >= 4 {
			break
		}
		var v, p []float64
		for k := 0; k < len(vals); k += 2 {
			v = append(v, vals[k])
			p = append(p, pts[k])
		}
		vals, pts = v, p
	}
	return vals, pts
}

// clip01 clamps smoothed calibration curves (lowess can leave [0, 1] at the
// ends) to the probability range for drawing; the tables keep the values.
func clip01(v []float64) []float64 {
	out := make([]float64, len(v))
	for i, x := range v {
		out[i] = math.Max(0, math.Min(1, x))
		if math.IsNaN(x) {
			out[i] = x
		}
	}
	return out
}
