package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/spinerad/spinerad/internal/stats/rfixture"
)

// TestPredictBatchReproducesStudy scores the study's own patients with
// predict --batch (feature columns given) and requires predictions.csv's
// rad-score, probabilities and classes to the last digit.
func TestPredictBatchReproducesStudy(t *testing.T) {
	cohort := rfixture.Path("data/cohort_b.csv")
	if _, err := os.Stat(cohort); err != nil {
		t.Skipf("no cohort fixture: %v", err)
	}
	dir := t.TempDir()
	out := filepath.Join(dir, "study")
	if _, se, err := run(t, "study", "--clinical", cohort, "--split-column", "cohort", "--fold-column", "cv_fold",
		"--clinical-vars", "log:ca125,posterior_involvement", "--clinical-selection", "none", "--bootstrap", "0", "-o", out); err != nil {
		t.Fatalf("study: %v\n%s", err, se)
	}
	pred := filepath.Join(dir, "pred.csv")
	if _, se, err := run(t, "predict", "-m", filepath.Join(out, "model.json"), "--batch", cohort, "-o", pred); err != nil {
		t.Fatalf("predict: %v\n%s", err, se)
	}
	want := readCSV(t, filepath.Join(out, "tables", "predictions.csv"))
	got := readCSV(t, pred)
	if len(got) != len(want) {
		t.Fatalf("%d predictions, study has %d", len(got), len(want))
	}
	for i := range want {
		w, g := want[i], got[i]
		if g["id"] != w["id"] {
			t.Fatalf("row %d: id %s vs %s", i, g["id"], w["id"])
		}
		for _, col := range []string{"radscore", "clinical", "radiomics", "combined", "clinical_class", "radiomics_class", "combined_class"} {
			if g[col] != w[col] {
				t.Errorf("%s %s: predict %s, study %s", w["id"], col, g[col], w[col])
			}
		}
	}
}

// TestStudyFailureLeavesNoOutput checks that a failing study writes
// nothing: no OUTDIR and no partial directory beside it.
func TestStudyFailureLeavesNoOutput(t *testing.T) {
	cohort := rfixture.Path("data/cohort_b.csv")
	if _, err := os.Stat(cohort); err != nil {
		t.Skipf("no cohort fixture: %v", err)
	}
	dir := t.TempDir()
	out := filepath.Join(dir, "study")
	_, se, err := run(t, "study", "--clinical", cohort, "--split-column", "cohort", "--fold-column", "cv_fold",
		"--clinical-vars", "log:ca125,posterior_involvement", "--clinical-selection", "none", "--lasso-rule", "lambda.1se", "-o", out)
	if err == nil || !strings.Contains(se, "LASSO kept no feature") {
		t.Fatalf("want a LASSO error, got %v\n%s", err, se)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 0 {
		t.Errorf("failed study left %v", entries)
	}
	// A model file from another format version is refused with a clear message.
	bad := filepath.Join(dir, "model.json")
	os.WriteFile(bad, []byte(`{"format":"spinerad-model","format_version":99}`), 0o644)
	if _, se, err := run(t, "predict", "-m", bad, "--batch", cohort); err == nil || !strings.Contains(se, "format version 99") {
		t.Errorf("old model accepted: %v %s", err, se)
	}
}
