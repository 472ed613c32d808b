package main

import (
	"os"
	"path/filepath"
	"testing"
)

// lightParams is a small parameter file (original image, three classes)
// that keeps the end-to-end test fast.
const lightParams = `imageType:
  Original: {}
featureClass:
  firstorder:
  glcm:
  glszm:
setting:
  binWidth: 25
  label: 1
`

// TestPipelineSynthExtractStudyPredict runs the whole chain through the
// command line on a small synthetic cohort: synth, extract --batch, study,
// then predict --batch on the cases' CTs and masks (features re-extracted
// with the model's stored parameters) must reproduce the study's
// predictions.csv exactly.
func TestPipelineSynthExtractStudyPredict(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end pipeline skipped in -short mode")
	}
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	if _, se, err := run(t, "synth", "--n", "120", "-o", data); err != nil {
		t.Fatalf("synth: %v\n%s", err, se)
	}
	params := filepath.Join(dir, "light.yaml")
	if err := os.WriteFile(params, []byte(lightParams), 0o644); err != nil {
		t.Fatal(err)
	}
	features := filepath.Join(dir, "features.csv")
	if _, se, err := run(t, "extract", "--batch", filepath.Join(data, "cases.csv"), "-p", params, "-o", features); err != nil {
		t.Fatalf("extract --batch: %v\n%s", err, se)
	}
	out := filepath.Join(dir, "study")
	if _, se, err := run(t, "study", "--clinical", filepath.Join(data, "clinical.csv"), "--features", features,
		"--split-column", "cohort", "--fold-column", "cv_fold", "--clinical-vars", "log:ca125,posterior_involvement",
		"--clinical-selection", "none", "--bootstrap", "0", "--extraction-params", params, "-o", out); err != nil {
		t.Fatalf("study: %v\n%s", err, se)
	}
	pred := filepath.Join(dir, "pred.csv")
	if _, se, err := run(t, "predict", "-m", filepath.Join(out, "model.json"), "--batch", filepath.Join(data, "cases.csv"),
		"--clinical", filepath.Join(data, "clinical.csv"), "-o", pred); err != nil {
		t.Fatalf("predict: %v\n%s", err, se)
	}
	want := map[string]map[string]string{}
	for _, r := range readCSV(t, filepath.Join(out, "tables", "predictions.csv")) {
		want[r["id"]] = r
	}
	got := readCSV(t, pred)
	if len(got) != len(want) {
		t.Fatalf("%d predictions, study %d", len(got), len(want))
	}
	train := 0
	for _, g := range got {
		w := want[g["id"]]
		if w["cohort"] == "train" {
			train++
		}
		for _, col := range []string{"radscore", "clinical", "radiomics", "combined", "clinical_class", "radiomics_class", "combined_class"} {
			if g[col] != w[col] {
				t.Errorf("%s %s: predict %s, study %s", g["id"], col, g[col], w[col])
			}
		}
	}
	if train == 0 {
		t.Error("no training patient compared")
	}
}
