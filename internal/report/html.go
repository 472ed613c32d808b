package report

import (
	"fmt"
	"html/template"
	"io"
	"math"
	"runtime"
	"strconv"
	"strings"

	"github.com/spinerad/spinerad/internal/study"
)

// htmlTable is a table ready for the template.
type htmlTable struct {
	Caption string
	Header  []string
	Rows    [][]string
}

type htmlFigure struct {
	Name, Caption string
	SVG           template.HTML
}

type section struct {
	ID, Title string
	Text      []template.HTML
	Tables    []htmlTable
	Figures   []htmlFigure
}

type page struct {
	Title     string
	Synthetic bool
	Version   string
	Warnings  []string
	Sections  []section
}

func num(v float64, digits int) string {
	switch {
	case math.IsNaN(v):
		return "NA"
	case math.IsInf(v, 0):
		return strconv.FormatFloat(v, 'g', -1, 64)
	}
	return strconv.FormatFloat(v, 'g', digits, 64)
}

func pval(p float64) string {
	switch {
	case math.IsNaN(p):
		return "NA"
	case p < 0.001:
		return "<0.001"
	}
	return strconv.FormatFloat(p, 'f', 3, 64)
}

func ci(est, lo, hi float64) string {
	return fmt.Sprintf("%.3f (%.3f–%.3f)", est, lo, hi)
}

// fromResultTable converts an output table with selected columns.
func fromResultTable(t *study.ResultTable, caption string) htmlTable {
	return htmlTable{Caption: caption, Header: t.Header, Rows: t.Rows}
}

func writeHTML(w io.Writer, r *study.Result, mf *study.ModelFile, meta Meta, figDir string, figs []figure) error {
	pg := page{Title: r.Config.Title, Synthetic: meta.Synthetic, Version: meta.Version, Warnings: r.Warnings}
	fig := func(sec string) ([]htmlFigure, error) {
		var out []htmlFigure
		for _, f := range figs {
			if f.Section != sec {
				continue
			}
			svg, err := inlineSVG(figDir, f.Name)
			if err != nil {
				return nil, err
			}
			out = append(out, htmlFigure{f.Name, f.Caption, template.HTML(svg)})
		}
		return out, nil
	}
	tables := map[string]*study.ResultTable{}
	for _, t := range r.Tables() {
		tables[t.Name] = t
	}
	n, nTrain, ev, evTrain := len(r.IDs), 0, 0, 0
	for i, s := range r.Split {
		ev += int(r.Y[i])
		if s == "train" {
			nTrain++
			evTrain += int(r.Y[i])
		}
	}
	// 1. Cohort.
	cohort := section{ID: "cohort", Title: "Cohort"}
	cohort.Text = append(cohort.Text, template.HTML(fmt.Sprintf(
		"%d patients (%d with the outcome %s = %s) were analysed: %d in the training cohort (%d events) and %d in the validation cohort (%d events).",
		n, ev, template.HTMLEscapeString(r.Config.Outcome), template.HTMLEscapeString(r.Config.Positive), nTrain, evTrain, n-nTrain, ev-evTrain)))
	cohort.Tables = append(cohort.Tables, baselineTable(r))
	// 2. Clinical model.
	clin := section{ID: "clinical", Title: "Clinical model"}
	if r.Config.ClinicalSelection == "univariable" {
		clin.Text = append(clin.Text, template.HTML(fmt.Sprintf("Candidate clinical variables were screened by univariable logistic regression on the training cohort (kept at p &lt; %g); those kept were entered together in a multivariable logistic regression and kept at p &lt; %g.", r.Config.UnivariableP, r.Config.MultivariableP)))
		clin.Tables = append(clin.Tables, coefTable(tables["univariable"], "Univariable logistic regression (training cohort)", []string{"variable", "term", "n", "odds_ratio", "or_lower", "or_upper", "p", "kept"}))
		clin.Tables = append(clin.Tables, coefTable(tables["multivariable"], "Multivariable logistic regression (training cohort)", []string{"term", "odds_ratio", "or_lower", "or_upper", "p"}))
	} else {
		clin.Text = append(clin.Text, "The clinical model uses the listed variables without selection.")
	}
	var kept []string
	for _, v := range r.ClinicalKept {
		kept = append(kept, v.Name())
	}
	clin.Text = append(clin.Text, template.HTML("Clinical model: "+template.HTMLEscapeString(strings.Join(kept, " + "))+"."))
	// 3. Radiomics.
	rad := section{ID: "radiomics", Title: "Radiomics signature"}
	rad.Text = append(rad.Text, template.HTML(fmt.Sprintf("Features were z-scored with the mean and SD of the training cohort. LASSO-logistic regression (glmnet algorithm) with %d-fold cross-validation (%s) chose λ = %.4g (%s); the rad-score is the linear predictor of the %d features with non-zero coefficients.",
		len(r.CV.Folds), r.Measure.Name, r.Chosen.Lambda, r.Config.LassoRule, len(r.Selected))))
	rad.Tables = append(rad.Tables, fromResultTable(tables["feature_selection"], "Radiomics feature counts at each step"))
	rad.Tables = append(rad.Tables, coefTable(tables["selected_features"], "Selected features and rad-score coefficients", []string{"feature", "coefficient_z", "mean", "sd"}))
	var err error
	if rad.Figures, err = fig("radiomics"); err != nil {
		return err
	}
	// 4. Models and performance.
	perf := section{ID: "performance", Title: "Models and discrimination"}
	perf.Tables = append(perf.Tables, coefTable(tables["models"], "Model coefficients (training cohort)", []string{"model", "term", "estimate", "odds_ratio", "or_lower", "or_upper", "p"}))
	perf.Tables = append(perf.Tables, perfTable(r))
	perf.Tables = append(perf.Tables, delongTable(r))
	perf.Text = append(perf.Text, "Thresholds are the Youden-optimal thresholds of each model's training ROC curve, applied unchanged to the validation cohort (positive: score ≥ threshold). 95% CIs: DeLong for AUCs, Clopper-Pearson for proportions.")
	if perf.Figures, err = fig("performance"); err != nil {
		return err
	}
	// 5. Calibration.
	cal := section{ID: "calibration", Title: "Calibration"}
	cal.Tables = append(cal.Tables, calTable(r))
	cal.Text = append(cal.Text, template.HTML(fmt.Sprintf("Hosmer-Lemeshow test with 10 groups by deciles of predicted risk; rms val.prob indices; the bias-corrected curve uses %d bootstrap resamples of the training cohort (each model refitted; the LASSO selection held fixed).", r.Config.Bootstrap)))
	if cal.Figures, err = fig("calibration"); err != nil {
		return err
	}
	// 6. Clinical utility.
	ut := section{ID: "utility", Title: "Clinical utility"}
	ut.Text = append(ut.Text, "Decision curve analysis: net benefit = TP/n − FP/n · pt/(1 − pt) over threshold probabilities pt = 0.01 … 0.99 (high risk: p > pt). Net reduction in interventions per 100 patients = (NB − NB_treat-all)/(pt/(1 − pt)) · 100.")
	if ut.Figures, err = fig("utility"); err != nil {
		return err
	}
	// 7. Nomogram.
	nom := section{ID: "nomogram", Title: "Nomogram"}
	if nm := r.Nomogram; nm != nil {
		nom.Text = append(nom.Text, template.HTML(fmt.Sprintf("Each predictor value gives points (β·x − min β·x)·%.4g; the total points T give the linear predictor %.4g + T/%.4g and the risk plogis of it.", nm.Sc, nm.Intercept, nm.Sc)))
	}
	if nom.Figures, err = fig("nomogram"); err != nil {
		return err
	}
	// 8. Methods.
	meth := section{ID: "methods", Title: "Methods"}
	meth.Text = methods(r, meta)
	pg.Sections = []section{cohort, clin, rad, perf, cal, ut, nom, meth}
	return pageTemplate.Execute(w, pg)
}

func coefTable(t *study.ResultTable, caption string, cols []string) htmlTable {
	idx := map[string]int{}
	for i, h := range t.Header {
		idx[h] = i
	}
	out := htmlTable{Caption: caption, Header: cols}
	for _, row := range t.Rows {
		var cells []string
		for _, c := range cols {
			v := row[idx[c]]
			if f, err := strconv.ParseFloat(v, 64); err == nil && strings.ContainsAny(v, ".e") {
				if c == "p" {
					v = pval(f)
				} else {
					v = num(f, 4)
				}
			}
			cells = append(cells, v)
		}
		out.Rows = append(out.Rows, cells)
	}
	return out
}

func baselineTable(r *study.Result) htmlTable {
	t := htmlTable{Caption: "Baseline characteristics (group 0 / group 1: training / validation cohort; within the training cohort: no event / event)", Header: []string{"comparison", "variable", "", "group 0", "group 1", "test", "p"}}
	for _, b := range r.Baseline {
		p := ""
		if b.Test != "" {
			p = pval(b.P)
		}
		t.Rows = append(t.Rows, []string{b.Comparison, b.Variable, b.Level, b.Group0, b.Group1, b.Test, p})
	}
	return t
}

func perfTable(r *study.Result) htmlTable {
	t := htmlTable{Caption: "Discrimination and classification at the training Youden threshold", Header: []string{"model", "cohort", "AUC (95% CI)", "threshold", "accuracy", "sensitivity", "specificity", "PPV", "NPV"}}
	for _, p := range r.Performance {
		m := p.Metrics
		t.Rows = append(t.Rows, []string{p.Model, p.Cohort, ci(p.Curve.AUC, p.Curve.CILower, p.Curve.CIUpper), num(m.Threshold, 4),
			ci(m.Accuracy.Estimate, m.Accuracy.CPLower, m.Accuracy.CPUpper), ci(m.Sensitivity.Estimate, m.Sensitivity.CPLower, m.Sensitivity.CPUpper),
			ci(m.Specificity.Estimate, m.Specificity.CPLower, m.Specificity.CPUpper), ci(m.PPV.Estimate, m.PPV.CPLower, m.PPV.CPUpper), ci(m.NPV.Estimate, m.NPV.CPLower, m.NPV.CPUpper)})
	}
	return t
}

func delongTable(r *study.Result) htmlTable {
	t := htmlTable{Caption: "DeLong tests for paired AUCs", Header: []string{"cohort", "model A", "model B", "AUC A", "AUC B", "Z", "p"}}
	for _, d := range r.DeLong {
		t.Rows = append(t.Rows, []string{d.Cohort, d.ModelA, d.ModelB, num(d.Test.AUC1, 3), num(d.Test.AUC2, 3), num(d.Test.Statistic, 3), pval(d.Test.P)})
	}
	return t
}

func calTable(r *study.Result) htmlTable {
	t := htmlTable{Caption: "Calibration: Hosmer-Lemeshow test and rms val.prob indices", Header: []string{"model", "cohort", "HL χ²", "df", "p", "Brier", "intercept", "slope", "Emax", "Eavg"}}
	for _, p := range r.Performance {
		v := p.ValProb
		t.Rows = append(t.Rows, []string{p.Model, p.Cohort, num(p.HL.ChiSq, 4), strconv.Itoa(p.HL.DF), pval(p.HL.P), num(v.Brier, 3), num(v.Intercept, 3), num(v.Slope, 3), num(v.Emax, 3), num(v.Eavg, 3)})
	}
	return t
}

func methods(r *study.Result, meta Meta) []template.HTML {
	c := r.Config
	var out []template.HTML
	esc := template.HTMLEscapeString
	split := "a seeded stratified random split (" + strconv.FormatFloat(c.TrainFraction*100, 'g', 3, 64) + "% training)"
	if c.SplitColumn != "" {
		split = "the column " + esc(c.SplitColumn)
	}
	out = append(out, template.HTML(fmt.Sprintf("<b>Software.</b> spinerad %s (Go %s). Radiomics features follow PyRadiomics' definitions and values; statistics reproduce R (glm, glmnet 4.1, pROC 1.18, rms 6.5, psych).", esc(meta.Version), runtime.Version())))
	if meta.ExtractionParams != "" {
		out = append(out, template.HTML("<b>Feature extraction.</b> PyRadiomics-compatible parameters (ROI label "+strconv.Itoa(meta.ExtractionLabel)+"):<pre>"+esc(meta.ExtractionParams)+"</pre>"))
	}
	out = append(out, template.HTML(fmt.Sprintf("<b>Cohorts.</b> Training and validation cohorts were defined by %s. Outcome: %s = %s.", split, esc(c.Outcome), esc(c.Positive))))
	folds := fmt.Sprintf("a seeded stratified assignment to %d folds", c.Folds)
	if c.FoldColumn != "" {
		folds = "the fold column " + esc(c.FoldColumn)
	}
	out = append(out, template.HTML(fmt.Sprintf("<b>Radiomics signature.</b> %d candidate features; z-scoring on the training cohort; LASSO-penalised logistic regression (standardised, default λ sequence of 100 values, glmnet convergence) with cross-validation folds from %s, measure %s, rule %s (λ = %.6g). The rad-score is the linear predictor at that λ; the radiomics model is its logistic transform.", len(r.FeatureCandidates), folds, esc(c.LassoMeasure), esc(c.LassoRule), r.Chosen.Lambda)))
	out = append(out, template.HTML("<b>Models.</b> Logistic regression by IRLS (R glm): the clinical model on the retained clinical variables and the combined model on those plus the rad-score, fitted on the training cohort."))
	out = append(out, template.HTML(fmt.Sprintf("<b>Evaluation.</b> ROC curves and AUCs with DeLong 95%% CIs and paired DeLong tests (pROC conventions: controls = 0, cases = 1, positive when score ≥ threshold); Youden-optimal thresholds from the training ROC; Hosmer-Lemeshow test (10 groups); rms val.prob; bootstrap optimism-corrected calibration (B = %d, seed %d); decision curves, clinical impact and net reduction (rmda conventions); rms nomogram of the combined model.", c.Bootstrap, c.Seed)))
	return out
}

var pageTemplate = template.Must(template.New("report").Parse(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Title}}</title>
<style>
body { font-family: -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; margin: 0; color: #1d2733; background: #fafbfc; }
header { background: #1f3b57; color: #fff; padding: 1.2em 2em; }
header h1 { margin: 0; font-size: 1.5em; }
header p { margin: 0.3em 0 0; opacity: 0.85; }
.synthetic { background: #b3261e; color: #fff; padding: 0.6em 2em; font-weight: bold; }
nav { padding: 0.6em 2em; background: #e8eef4; }
nav a { margin-right: 1.2em; color: #1f3b57; text-decoration: none; }
main { padding: 0 2em 3em; max-width: 1200px; }
section { margin-top: 2em; }
h2 { border-bottom: 2px solid #1f3b57; padding-bottom: 0.2em; }
table { border-collapse: collapse; margin: 1em 0; font-size: 0.85em; background: #fff; }
caption { text-align: left; font-weight: bold; padding: 0.3em 0; }
th, td { border: 1px solid #ccd5df; padding: 0.25em 0.6em; text-align: left; }
th { background: #e8eef4; }
figure { display: inline-block; margin: 1em 1em 1em 0; vertical-align: top; background: #fff; padding: 0.5em; border: 1px solid #ccd5df; max-width: 100%; }
figure svg { max-width: 100%; height: auto; }
figcaption { font-size: 0.85em; max-width: 36em; }
.warnings { background: #fff4e5; border-left: 4px solid #e8a33d; padding: 0.5em 1em; }
pre { background: #f0f3f6; padding: 0.6em; font-size: 0.85em; overflow-x: auto; }
</style>
</head>
<body>
<header><h1>{{.Title}}</h1><p>spinerad {{.Version}} study report</p></header>
{{if .Synthetic}}<div class="synthetic">SYNTHETIC DATA: every patient in this report is simulated. Not patient data, not for clinical use, not evidence.</div>{{end}}
<nav>{{range .Sections}}<a href="#{{.ID}}">{{.Title}}</a>{{end}}</nav>
<main>
{{if .Warnings}}<div class="warnings"><b>Warnings</b><ul>{{range .Warnings}}<li>{{.}}</li>{{end}}</ul></div>{{end}}
{{range .Sections}}
<section id="{{.ID}}">
<h2>{{.Title}}</h2>
{{range .Text}}<p>{{.}}</p>{{end}}
{{range .Tables}}<table><caption>{{.Caption}}</caption><thead><tr>{{range .Header}}<th>{{.}}</th>{{end}}</tr></thead><tbody>{{range .Rows}}<tr>{{range .}}<td>{{.}}</td>{{end}}</tr>{{end}}</tbody></table>
{{end}}
{{range .Figures}}<figure id="fig-{{.Name}}">{{.SVG}}<figcaption>{{.Caption}} (figures/{{.Name}}.svg, .png, .pdf)</figcaption></figure>
{{end}}
</section>
{{end}}
</main>
</body>
</html>
`))
