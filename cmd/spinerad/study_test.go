package main

import (
	"encoding/csv"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/spinerad/spinerad/internal/stats/rfixture"
)

// readCSV reads a table into maps keyed by header.
func readCSV(t *testing.T, path string) []map[string]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	var out []map[string]string
	for _, r := range recs[1:] {
		m := map[string]string{}
		for i, h := range recs[0] {
			m[h] = r[i]
		}
		out = append(out, m)
	}
	return out
}

func fnumT(t *testing.T, s string) float64 {
	t.Helper()
	if s == "NA" {
		return math.NaN()
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		t.Fatalf("not a number: %q", s)
	}
	return v
}

// TestStudyCLIMatchesR runs `spinerad study` through the command line on
// the R fixture cohort (its fixture folder from SPINERAD_STATS_FIXTURES when
// set) and compares the output tables with R: selected features and
// lambda.min, validation AUCs with DeLong CIs, DeLong tests, Youden
// thresholds and metrics, Hosmer-Lemeshow, decision curves.
func TestStudyCLIMatchesR(t *testing.T) {
	cohort := rfixture.Path("data/cohort_b.csv")
	if _, err := os.Stat(cohort); err != nil {
		t.Skipf("no cohort fixture: %v", err)
	}
	out := filepath.Join(t.TempDir(), "study")
	_, stderr, err := run(t, "study", "--clinical", cohort, "--id", "patient_id", "--outcome", "malignant", "--positive", "1",
		"--split-column", "cohort", "--fold-column", "cv_fold", "--clinical-vars", "log:ca125,posterior_involvement",
		"--clinical-selection", "none", "--bootstrap", "50", "-o", out)
	if err != nil {
		t.Fatalf("study: %v\n%s", err, stderr)
	}
	tab := func(name string) []map[string]string { return readCSV(t, filepath.Join(out, "tables", name+".csv")) }

	// LASSO: lambda.min and the selected features (R's LASSO caveat: a
	// feature with |beta*sd| < 1e-3 may be in or out).
	var rad struct {
		LambdaMin float64   `json:"lambda_min"`
		Selected  []string  `json:"selected_features"`
		Coefs     []float64 `json:"selected_coefficients"`
	}
	rfixture.Load(t, "02_radscore.json", &rad)
	var path struct {
		Features []string  `json:"features"`
		SD       []float64 `json:"x_sd_population"`
	}
	rfixture.Load(t, "02_glmnet_path.json", &path)
	choice := tab("lasso_choice")[0]
	if !rfixture.Rel(fnumT(t, choice["lambda"]), rad.LambdaMin, 1e-12) {
		t.Errorf("lambda.min %s, R %v", choice["lambda"], rad.LambdaMin)
	}
	sdOf := map[string]float64{}
	for i, f := range path.Features {
		sdOf[f] = path.SD[i]
	}
	rSel := map[string]float64{}
	for i, f := range rad.Selected {
		rSel[f] = rad.Coefs[i] * sdOf[f]
	}
	ours := map[string]float64{}
	for _, r := range tab("selected_features") {
		if r["feature"] != "(Intercept)" {
			ours[r["feature"]] = fnumT(t, r["coefficient_z"])
		}
	}
	for f, b := range rSel {
		if _, ok := ours[f]; !ok && math.Abs(b) >= 1e-3 {
			t.Errorf("R selects %s (beta*sd %.3g), spinerad does not", f, b)
		}
	}
	for f, b := range ours {
		if _, ok := rSel[f]; !ok && math.Abs(b) >= 1e-3 {
			t.Errorf("spinerad selects %s (beta_z %.3g), R does not", f, b)
		}
	}

	// Validation AUCs, Youden thresholds and metrics.
	var roc struct {
		Validation struct {
			ROC map[string]struct {
				AUC rfixture.Float `json:"auc"`
				CI  struct {
					Lower, Upper rfixture.Float
				} `json:"ci_delong"`
			} `json:"roc"`
		} `json:"validation"`
		Paired []struct {
			ROC1, ROC2 string
			Z          rfixture.Float `json:"statistic_Z"`
			P          rfixture.Float `json:"p_value"`
		} `json:"paired_delong_validation"`
		AtYouden map[string]struct {
			Threshold                                    float64
			TP, FP, TN, FN                               int
			Accuracy, Sensitivity, Specificity, PPV, NPV float64
		} `json:"validation_at_train_youden"`
	}
	rfixture.Load(t, "03_roc_cohort.json", &roc)
	model := map[string]string{"clinical": "clinical", "radscore": "radiomics", "combined": "combined"}
	perf := map[string]map[string]string{}
	for _, r := range tab("performance") {
		perf[r["model"]+"/"+r["cohort"]] = r
	}
	for rname, b := range roc.Validation.ROC {
		p := perf[model[rname]+"/validation"]
		if p == nil {
			t.Fatalf("no validation row for %s", rname)
		}
		for _, c := range []struct {
			col  string
			want float64
			tol  float64
		}{{"auc", float64(b.AUC), 1e-10}, {"auc_lower", float64(b.CI.Lower), 1e-9}, {"auc_upper", float64(b.CI.Upper), 1e-9}} {
			if got := fnumT(t, p[c.col]); !rfixture.Rel(got, c.want, c.tol) {
				t.Errorf("%s validation %s = %v, R %v", rname, c.col, got, c.want)
			}
		}
		y := roc.AtYouden[rname]
		if got := fnumT(t, p["threshold"]); !rfixture.Rel(got, y.Threshold, 1e-6) {
			t.Errorf("%s train Youden threshold %v, R %v", rname, got, y.Threshold)
		}
		for col, want := range map[string]int{"tp": y.TP, "fp": y.FP, "tn": y.TN, "fn": y.FN} {
			if p[col] != strconv.Itoa(want) {
				t.Errorf("%s validation %s = %s, R %d", rname, col, p[col], want)
			}
		}
		for col, want := range map[string]float64{"accuracy": y.Accuracy, "sensitivity": y.Sensitivity, "specificity": y.Specificity, "ppv": y.PPV, "npv": y.NPV} {
			if got := fnumT(t, p[col]); !rfixture.Rel(got, want, 1e-10) {
				t.Errorf("%s validation %s = %v, R %v", rname, col, got, want)
			}
		}
	}
	// DeLong tests on validation.
	dl := tab("delong")
	for _, pd := range roc.Paired {
		found := false
		for _, r := range dl {
			if r["cohort"] == "validation" && r["model_a"] == model[pd.ROC1] && r["model_b"] == model[pd.ROC2] {
				found = true
				if !rfixture.Rel(fnumT(t, r["z"]), float64(pd.Z), 1e-9) || !rfixture.Rel(fnumT(t, r["p"]), float64(pd.P), 1e-9) {
					t.Errorf("DeLong %s vs %s: z %s p %s, R %v %v", pd.ROC1, pd.ROC2, r["z"], r["p"], pd.Z, pd.P)
				}
			}
		}
		if !found {
			t.Errorf("no DeLong row %s vs %s", pd.ROC1, pd.ROC2)
		}
	}
	// Hosmer-Lemeshow.
	var cal map[string]any
	rfixture.Load(t, "04_calibration.json", &cal)
	for _, r := range tab("calibration") {
		hl := cal[r["cohort"]].(map[string]any)[r["model"]].(map[string]any)["hosmer_lemeshow"].(map[string]any)
		if !rfixture.Rel(fnumT(t, r["hl_chisq"]), hl["chisq"].(float64), 1e-10) || r["hl_df"] != strconv.Itoa(int(hl["df"].(float64))) ||
			!rfixture.Rel(fnumT(t, r["hl_p"]), hl["p_value"].(float64), 1e-9) {
			t.Errorf("%s %s HL chisq %s df %s p %s, R %v %v %v", r["model"], r["cohort"], r["hl_chisq"], r["hl_df"], r["hl_p"], hl["chisq"], hl["df"], hl["p_value"])
		}
	}
	// Decision curves (validation).
	var dca struct {
		Thresholds []float64 `json:"thresholds"`
		TreatAll   []float64 `json:"treat_all"`
		Models     map[string]struct {
			NB  []float64 `json:"net_benefit"`
			NR  []float64 `json:"net_reduction_per_100"`
			CIC []float64 `json:"cic_high_risk_per_1000"`
		} `json:"models"`
	}
	rfixture.Load(t, "05_dca.json", &dca)
	rows := tab("dca")
	nr := tab("net_reduction")
	checked := 0
	for name, m := range dca.Models {
		k := 0
		for i, r := range rows {
			if r["model"] != name || r["cohort"] != "validation" {
				continue
			}
			if !rfixture.Rel(fnumT(t, r["threshold"]), dca.Thresholds[k], 1e-15) ||
				!rfixture.Rel(fnumT(t, r["net_benefit"]), m.NB[k], 1e-10) ||
				!rfixture.Rel(fnumT(t, r["treat_all"]), dca.TreatAll[k], 1e-10) ||
				!rfixture.Rel(fnumT(t, nr[i]["net_reduction_per_100"]), m.NR[k], 1e-10) {
				t.Errorf("%s DCA at %s: nb %s, R %v", name, r["threshold"], r["net_benefit"], m.NB[k])
			}
			k++
			checked++
		}
		if k != len(dca.Thresholds) {
			t.Errorf("%s: %d DCA rows, R %d", name, k, len(dca.Thresholds))
		}
	}
	if checked == 0 {
		t.Error("no DCA row checked")
	}
}
