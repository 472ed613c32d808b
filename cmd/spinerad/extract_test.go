package main

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/spinerad/spinerad/internal/refdata"
)

// TestExtractCT1316MatchesPyRadiomics runs `spinerad extract -p ct1316` on
// every case of the reference data that has a <case>_1316.csv (PyRadiomics'
// full output) and compares all 1,316 features: 1e-6 relative with a 1e-9
// absolute floor. Cases are discovered from the file layout.
func TestExtractCT1316MatchesPyRadiomics(t *testing.T) {
	dir := refdata.Dir(t, "pyradiomics")
	refs, _ := filepath.Glob(filepath.Join(dir, "*_1316.csv"))
	if len(refs) == 0 {
		t.Fatalf("no <case>_1316.csv in %s", dir)
	}
	for _, ref := range refs {
		c := strings.TrimSuffix(filepath.Base(ref), "_1316.csv")
		t.Run(c, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "features.csv")
			if _, se, err := run(t, "extract", filepath.Join(dir, c+"_image.nrrd"), filepath.Join(dir, c+"_label.nrrd"), "-p", "ct1316", "-o", out); err != nil {
				t.Fatalf("extract: %v\n%s", err, se)
			}
			got := map[string]string{}
			for _, r := range readCSV(t, out) {
				got[r["feature"]] = r["value"]
			}
			want := readCSV(t, ref)
			if len(got) != len(want) || len(want) != 1316 {
				t.Errorf("%d features, PyRadiomics %d", len(got), len(want))
			}
			bad, exact := 0, 0
			for _, r := range want {
				g, ok := got[r["feature"]]
				if !ok {
					t.Errorf("%s: missing", r["feature"])
					continue
				}
				if g == r["value"] {
					exact++
				}
				gv, wv := fnumT(t, g), fnumT(t, r["value"])
				if d := gv - wv; d > 1e-9 && d > 1e-6*abs(wv) || -d > 1e-9 && -d > 1e-6*abs(wv) {
					t.Errorf("%s = %s, PyRadiomics %s", r["feature"], g, r["value"])
					bad++
				}
			}
			t.Logf("%s: %d features, %d outside tolerance, %d written byte-identical to PyRadiomics", c, len(want), bad, exact)
		})
	}
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}
