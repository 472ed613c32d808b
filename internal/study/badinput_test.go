package study

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/spinerad/spinerad/internal/stats/rfixture"
)

// writeFile writes content into dir/name and returns the path.
func writeFile(t *testing.T, dir, name, content string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// cohortCopy returns the fixture cohort's lines (header first).
func cohortCopy(t *testing.T) []string {
	t.Helper()
	b, err := os.ReadFile(rfixture.Path("data/cohort_b.csv"))
	if err != nil {
		t.Skipf("no cohort fixture: %v", err)
	}
	return strings.Split(strings.TrimRight(string(b), "\n"), "\n")
}

func TestStudyBadInput(t *testing.T) {
	lines := cohortCopy(t)
	dir := t.TempDir()
	mutate := func(name string, f func([]string) []string) string {
		l := append([]string(nil), lines...)
		return writeFile(t, dir, name, strings.Join(f(l), "\n")+"\n")
	}
	cases := []struct {
		name string
		cfg  func(c *Config)
		want string
	}{
		{"duplicate ID", func(c *Config) {
			c.Clinical = mutate("dup.csv", func(l []string) []string { return append(l, l[1]) })
		}, `appears twice`},
		{"empty ID", func(c *Config) {
			c.Clinical = mutate("empty.csv", func(l []string) []string { l[3] = "," + l[3][strings.Index(l[3], ","):][1:]; return l })
		}, `empty ID`},
		{"non-numeric cell", func(c *Config) {
			c.Clinical = mutate("text.csv", func(l []string) []string {
				l[5] = strings.Replace(l[5], "\"train\"", "\"train\"", 1)
				f := strings.Split(l[5], ",")
				f[12] = "high" // original_firstorder_Mean
				l[5] = strings.Join(f, ",")
				return l
			})
		}, `"high" is not a number`},
		{"single outcome class", func(c *Config) {
			c.Clinical = mutate("oneclass.csv", func(l []string) []string {
				for i := 1; i < len(l); i++ {
					f := strings.Split(l[i], ",")
					f[3] = "0"
					l[i] = strings.Join(f, ",")
				}
				return l
			})
		}, `single class`},
		{"missing outcome column", func(c *Config) { c.Outcome = "death" }, `no outcome column "death"`},
		{"missing ID column", func(c *Config) { c.ID = "pid" }, `no ID column "pid"`},
		{"unknown clinical variable", func(c *Config) { c.ClinicalVars = []string{"bmi"} }, `"bmi": no such column`},
		{"log of a text column", func(c *Config) { c.ClinicalVars = []string{"log:sex"} }, `not numeric`},
		{"no feature columns", func(c *Config) { c.FeatureColumns = "^nothing$" }, `no radiomics feature column`},
		{"bad split value", func(c *Config) {
			c.Clinical = mutate("split.csv", func(l []string) []string { l[2] = strings.Replace(l[2], "\"train\"", "\"test2\"", 1); return l })
		}, `neither train nor validation`},
		{"LASSO keeps no feature", func(c *Config) { c.LassoRule = "lambda.1se" }, `LASSO kept no feature`},
	}
	for _, tc := range cases {
		c := fixtureConfig()
		c.Bootstrap = 0
		tc.cfg(&c)
		_, err := Run(c)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want it to mention %q", tc.name, err, tc.want)
		}
	}
}

func TestStudyWarnings(t *testing.T) {
	lines := cohortCopy(t)
	dir := t.TempDir()
	// Clinical file without three patients, features in a separate file:
	// IDs in one file only are reported and left out.
	var clin, feat []string
	for i, l := range lines {
		f := strings.Split(l, ",")
		if i > 0 && i <= 3 {
			feat = append(feat, strings.Join(append([]string{f[0]}, f[12:]...), ","))
			continue
		}
		clin = append(clin, strings.Join(f[:12], ","))
		feat = append(feat, strings.Join(append([]string{f[0]}, f[12:]...), ","))
	}
	c := fixtureConfig()
	c.Bootstrap = 0
	c.Clinical = writeFile(t, dir, "clin.csv", strings.Join(clin, "\n")+"\n")
	c.Features = writeFile(t, dir, "feat.csv", strings.Join(feat, "\n")+"\n")
	c.ClinicalVars = []string{"age", "sex", "log:ca125", "log:cea", "alp", "posterior_involvement", "pain_duration_weeks", "history_of_cancer"}
	c.ClinicalSelection = "univariable"
	r, err := Run(c)
	if err != nil {
		t.Fatal(err)
	}
	joined := strings.Join(r.Warnings, "\n")
	for _, want := range []string{"3 ID(s) only in", "fewer than 10 per variable"} {
		if !strings.Contains(joined, want) {
			t.Errorf("warnings %q lack %q", joined, want)
		}
	}
	if len(r.IDs) != len(lines)-1-3 {
		t.Errorf("%d patients after the join, want %d", len(r.IDs), len(lines)-4)
	}
}

func TestModelFileVersionAndHash(t *testing.T) {
	c := fixtureConfig()
	c.Bootstrap = 0
	r, err := Run(c)
	if err != nil {
		t.Fatal(err)
	}
	mf, err := r.ModelFile("imageType: {Original: {}}\n", 1, "test")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	save := func(m *ModelFile) string {
		b, _ := json.Marshal(m)
		return writeFile(t, dir, "model.json", string(b))
	}
	if _, err := LoadModel(save(mf)); err != nil {
		t.Fatalf("round trip: %v", err)
	}
	old := *mf
	old.FormatVersion = 0
	if _, err := LoadModel(save(&old)); err == nil || !strings.Contains(err.Error(), "format version 0") {
		t.Errorf("old version: %v", err)
	}
	edited := *mf
	edited.Radiomics.Intercept += 1
	if _, err := LoadModel(save(&edited)); err == nil || !strings.Contains(err.Error(), "hash mismatch") {
		t.Errorf("edited model: %v", err)
	}
	if _, err := LoadModel(writeFile(t, dir, "x.json", `{"format":"other"}`)); err == nil || !strings.Contains(err.Error(), "not a spinerad model") {
		t.Errorf("foreign file: %v", err)
	}
	// Scoring without the selected features is an error naming the missing one.
	p, err := mf.Predict(map[string]float64{}, nil)
	if err == nil || !strings.Contains(err.Error(), "is missing") {
		t.Errorf("missing features: %v %v", p, err)
	}
}
