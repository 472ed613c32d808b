package synth

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/spinerad/spinerad/internal/imageio"
	"github.com/spinerad/spinerad/internal/refdata"
)

// readTree returns every regular file under dir (relative path -> bytes).
func readTree(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	err := filepath.Walk(dir, func(p string, info os.FileInfo, err error) error {
		if err != nil || info.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		rel, _ := filepath.Rel(dir, p)
		out[rel] = b
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestWriteDeterministicAndComplete(t *testing.T) {
	d1, d2 := t.TempDir(), t.TempDir()
	st := time.Now()
	m1, err := Write(d1, Options{N: 12, Seed: 7, Workers: 1, Labels: true})
	if err != nil {
		t.Fatal(err)
	}
	el := time.Since(st)
	t.Logf("N=12 with labels, 1 worker: %v", el)
	// Budget: < 5 s on an idle 2-core machine (≈1 s measured); the bound
	// is loose because CI machines are shared.
	if el > 30*time.Second {
		t.Errorf("N=12 took %v", el)
	}
	if _, err := Write(d2, Options{N: 12, Seed: 7, Workers: 3, Labels: true}); err != nil {
		t.Fatal(err)
	}
	a, b := readTree(t, d1), readTree(t, d2)
	if len(a) != len(b) {
		t.Fatalf("%d vs %d files", len(a), len(b))
	}
	for k, v := range a {
		if !bytes.Equal(v, b[k]) {
			t.Errorf("%s differs between -j1 and -j3", k)
		}
	}
	// 12 cases × 4 images + 5 text files + manifest.
	if len(a) != 12*4+6 {
		t.Errorf("%d files, want %d", len(a), 12*4+6)
	}
	for _, f := range []string{"README_SYNTHETIC.txt", "manifest.json", "clinical.csv", "truth.csv", "cases.csv", "cases_r2.csv",
		"images/SYN001_ct.nii", "masks/SYN012_mask.nii", "masks/SYN012_mask_r2.nii", "labels/SYN003_labels.nii"} {
		if _, ok := a[filepath.FromSlash(f)]; !ok {
			t.Errorf("missing %s", f)
		}
	}
	if !m1.Synthetic || !strings.Contains(string(a["README_SYNTHETIC.txt"]), "not patient data") ||
		!bytes.Contains(a["manifest.json"], []byte(`"synthetic": true`)) {
		t.Error("outputs are not labelled synthetic")
	}
	// The manifest's voxel hashes match the images read back.
	for _, fh := range m1.Files {
		if fh.Kind != "voxels" {
			continue
		}
		im, err := imageio.Read(filepath.Join(d1, fh.Path))
		if err != nil {
			t.Fatal(err)
		}
		if got := VoxelHash(im); got != fh.SHA256 {
			t.Errorf("%s: voxel hash %s, manifest %s", fh.Path, got, fh.SHA256)
		}
	}
	// A different seed changes the images.
	c8, err := Generate(Options{N: 12, Seed: 8})
	if err != nil {
		t.Fatal(err)
	}
	cs, err := c8.Render(c8.Patients[0], false)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, fh := range m1.Files {
		if fh.Path == "images/SYN001_ct.nii" {
			found = true
			if VoxelHash(cs.CT) == fh.SHA256 {
				t.Error("seed does not change the images")
			}
		}
	}
	if !found {
		t.Error("manifest lacks images/SYN001_ct.nii")
	}
}

func TestOptionsErrors(t *testing.T) {
	bad := []Options{
		{N: 2},
		{N: 1000},
		{Workers: -1},
		{Params: Params{Profile: "x"}},
	}
	p, _ := DefaultParams(ProfileCompact)
	p.PConsp = 1.5
	bad = append(bad, Options{Params: p})
	for i, o := range bad {
		if _, err := Generate(o); err == nil {
			t.Errorf("case %d: no error for %+v", i, o)
		}
	}
	if _, err := DefaultParams("huge"); err == nil {
		t.Error("unknown profile accepted")
	}
}

func TestRealisticProfile(t *testing.T) {
	p, err := DefaultParams(ProfileRealistic)
	if err != nil {
		t.Fatal(err)
	}
	c, err := Generate(Options{N: 6, Seed: 2, Params: p})
	if err != nil {
		t.Fatal(err)
	}
	cs, err := c.Render(c.Patients[0], false)
	if err != nil {
		t.Fatal(err)
	}
	if cs.CT.Size != [3]int{103, 129, 48} || float32(cs.CT.Spacing[0]) != 0.7 || float32(cs.CT.Spacing[2]) != 1.0 {
		t.Errorf("realistic grid %v at %v", cs.CT.Size, cs.CT.Spacing)
	}
	// Mask volume is independent of the grid to within partial-volume error.
	ml := float64(cs.Stats.MaskVoxels) * 0.7 * 0.7 * 1.0 / 1000
	if ml < 8 || ml > 60 {
		t.Errorf("realistic mask %.1f mL", ml)
	}
}

func TestCountsAndSplits(t *testing.T) {
	tests := []struct {
		n                            int
		mal, train, trainMal, valMal int
	}{
		{208, 94, 145, 66, 28},
		{12, 5, 8, 3, 2},
		{100, 45, 70, 32, 13},
	}
	for _, tc := range tests {
		c, err := Generate(Options{N: tc.n, Seed: 3})
		if err != nil {
			t.Fatal(err)
		}
		var mal, train, trainMal, valMal int
		folds := map[[2]int]int{}
		for i, p := range c.Patients {
			if want := fmt.Sprintf("SYN%03d", i+1); p.ID != want {
				t.Fatalf("ID %s, want %s", p.ID, want)
			}
			if p.Malignant {
				mal++
			}
			switch p.Cohort {
			case "train":
				train++
				if p.Malignant {
					trainMal++
				}
				if p.CVFold < 1 || p.CVFold > 5 {
					t.Errorf("%s: cv_fold %d", p.ID, p.CVFold)
				}
				folds[[2]int{b2i(p.Malignant), p.CVFold}]++
			case "validation":
				if p.Malignant {
					valMal++
				}
				if p.CVFold != 0 {
					t.Errorf("%s: validation row with fold %d", p.ID, p.CVFold)
				}
			default:
				t.Errorf("%s: cohort %q", p.ID, p.Cohort)
			}
		}
		got := [4]int{mal, train, trainMal, valMal}
		if want := [4]int{tc.mal, tc.train, tc.trainMal, tc.valMal}; got != want {
			t.Errorf("N=%d: malignant/train/train-malignant/validation-malignant = %v, want %v", tc.n, got, want)
		}
		// Stratified round-robin: within a class the fold sizes differ by ≤ 1.
		for cl := 0; cl < 2; cl++ {
			lo, hi := math.MaxInt, 0
			for f := 1; f <= 5; f++ {
				lo, hi = min(lo, folds[[2]int{cl, f}]), max(hi, folds[[2]int{cl, f}])
			}
			if hi-lo > 1 {
				t.Errorf("N=%d class %d: fold sizes %d…%d", tc.n, cl, lo, hi)
			}
		}
	}
}

func b2i(b bool) int { return pick(b, 1, 0) }

// TestClinicalDistributions pools 20 seeds of 208 and compares the clinical
// table with the design values of §10 (tolerances ≈ 3 binomial SEs).
func TestClinicalDistributions(t *testing.T) {
	type acc struct {
		n, pi, fem, hist, miss, c35 float64
		age, lc125                  []float64
	}
	var s [2]acc
	for seed := uint64(1); seed <= 20; seed++ {
		c, err := Generate(Options{Seed: seed})
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range c.Patients {
			a := &s[b2i(p.Malignant)]
			a.n++
			a.pi += float64(b2i(p.PosteriorInvolvement))
			a.fem += float64(b2i(p.Sex == "F"))
			a.hist += float64(b2i(p.HistoryOfCancer))
			a.miss += float64(b2i(p.PainWeeks == 0))
			a.c35 += float64(b2i(p.CA125 > 35))
			a.age = append(a.age, float64(p.Age))
			a.lc125 = append(a.lc125, math.Log(p.CA125))
		}
	}
	med := func(v []float64) float64 { w := append([]float64(nil), v...); sort.Float64s(w); return w[len(w)/2] }
	mean := func(v []float64) float64 {
		t := 0.0
		for _, x := range v {
			t += x
		}
		return t / float64(len(v))
	}
	tests := []struct {
		name      string
		got, want float64
		tol       float64
	}{
		{"benign PI", s[0].pi / s[0].n, 0.25, 0.03},
		{"malignant PI", s[1].pi / s[1].n, 0.50, 0.04}, // E[logistic(0.8a)] = 0.5 by symmetry
		{"benign female", s[0].fem / s[0].n, 0.55, 0.035},
		{"malignant female", s[1].fem / s[1].n, 0.45, 0.04},
		{"benign history", s[0].hist / s[0].n, 0.07, 0.02},
		{"malignant history", s[1].hist / s[1].n, 0.15, 0.03},
		{"benign pain missing", s[0].miss / s[0].n, 0.03, 0.012},
		{"benign CA125>35", s[0].c35 / s[0].n, 0.08, 0.025},
		{"malignant CA125>35", s[1].c35 / s[1].n, 0.26, 0.05},
		{"benign median CA125", math.Exp(med(s[0].lc125)), 12, 1},
		{"benign mean age", mean(s[0].age), 64, 0.8},
		{"malignant mean age", mean(s[1].age), 62, 1},
	}
	for _, tc := range tests {
		if math.Abs(tc.got-tc.want) > tc.tol {
			t.Errorf("%s = %.4f, want %.4f ± %.4f", tc.name, tc.got, tc.want, tc.tol)
		}
	}
}

// TestClinicalHeaderMatchesFixture checks clinical.csv's header against the
// clinical columns of the stats fixture cohort_b.csv.
func TestClinicalHeaderMatchesFixture(t *testing.T) {
	d := refdata.Dir(t, "stats")
	f, err := os.Open(filepath.Join(d, "data", "cohort_b.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	hdr, err := csv.NewReader(f).Read()
	if err != nil {
		t.Fatal(err)
	}
	if len(hdr) < len(ClinicalColumns) {
		t.Fatalf("fixture header %v", hdr)
	}
	for i, c := range ClinicalColumns {
		if hdr[i] != c {
			t.Errorf("column %d: %q, fixture %q", i, c, hdr[i])
		}
	}
	var buf bytes.Buffer
	c, _ := Generate(Options{N: 12, Seed: 1})
	if err := writeClinical(&buf, c); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(rows[0], ",") != strings.Join(ClinicalColumns, ",") || len(rows) != 13 {
		t.Errorf("clinical.csv header %v, %d rows", rows[0], len(rows))
	}
}
