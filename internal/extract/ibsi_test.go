package extract

import (
	"flag"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/spinerad/spinerad/internal/imageio"
	"github.com/spinerad/spinerad/internal/refdata"
	"github.com/spinerad/spinerad/internal/volume"
)

var updateIBSIDoc = flag.Bool("update-ibsi-doc", false, "rewrite docs/ibsi.md from the IBSI-1 run")

// ibsiRef is one IBSI reference value with its tolerance.
type ibsiRef struct {
	value, tol float64
	text       string
	code       string
}

// halfUnit returns half a unit of the last digit printed in s ("2.2" ->
// 0.05, "3.58e5" -> 500, "74" -> 0.5), the tolerance used where the manual
// gives none.
func halfUnit(s string) float64 {
	mant, exp := s, 0
	if i := strings.IndexAny(s, "eE"); i >= 0 {
		mant = s[:i]
		exp, _ = strconv.Atoi(s[i+1:])
	}
	dec := 0
	if i := strings.IndexByte(mant, '.'); i >= 0 {
		dec = len(mant) - i - 1
	}
	return 0.5 * math.Pow(10, float64(exp-dec))
}

// loadIBSIReferences joins tag_map.csv and reference_values.csv: tag ->
// dataset -> reference.
func loadIBSIReferences(t testing.TB, dir string) map[string]map[string]ibsiRef {
	type key struct{ family, feature, agg, dataset string }
	vals := map[key]ibsiRef{}
	for _, r := range readTable(t, filepath.Join(dir, "reference_values.csv"))[1:] {
		if r[4] == "" {
			continue
		}
		v, err := strconv.ParseFloat(r[4], 64)
		if err != nil {
			t.Fatalf("reference value %q: %v", r[4], err)
		}
		tol := halfUnit(r[4])
		if r[5] != "" {
			tol, _ = strconv.ParseFloat(r[5], 64)
		}
		vals[key{r[0], r[1], r[7], r[3]}] = ibsiRef{v, tol, r[4], r[2]}
	}
	out := map[string]map[string]ibsiRef{}
	for _, r := range readTable(t, filepath.Join(dir, "tag_map.csv"))[1:] {
		m := map[string]ibsiRef{}
		for k, v := range vals {
			if k.family == r[1] && k.feature == r[2] && k.agg == r[4] {
				m[k.dataset] = v
			}
		}
		out[r[0]] = m
	}
	return out
}

// ibsiDeviation names PyRadiomics' known deviation from IBSI that explains a
// miss of tag in dataset, or "" when none does.
func ibsiDeviation(tag, dataset string) string {
	discretised := strings.HasPrefix(tag, "ih_") || strings.HasPrefix(tag, "cm_") || strings.HasPrefix(tag, "rlm_") ||
		strings.HasPrefix(tag, "szm_") || strings.HasPrefix(tag, "ngt_") || strings.HasPrefix(tag, "ngl_")
	switch {
	case tag == "stat_kurt":
		return "kurtosis: PyRadiomics reports m4/m2^2, IBSI the excess kurtosis (m4/m2^2 - 3)"
	case strings.HasPrefix(tag, "morph_pca_"):
		return "PCA axes: PyRadiomics' covariance divides by N, IBSI's by N-1"
	case dataset == "config_B" || dataset == "config_C" || dataset == "config_D":
		return "resampling: PyRadiomics anchors the new grid at the image corner, resamples the mask by nearest neighbour and does not round intensities (IBSI: centred grid, interpolated mask thresholded at 0.5, rounded HU)"
	case dataset == "config_A" && discretised:
		return "fixed bin width: PyRadiomics' bin edges start at floor(min/w)*w, not at the re-segmentation lower bound (-500 HU)"
	}
	return ""
}

// ibsiRun is one data set of the IBSI-1 benchmark.
type ibsiRun struct {
	dataset string
	image   string
	mask    string
	params  string // parameter file stem in ibsi1_pyradiomics/
}

// TestIBSI1 runs PyRadiomics' IBSI benchmark configurations (digital phantom,
// CT phantom A-D; force2D false and true; per-direction and merged) and
// scores every mapped tag that has a reference value against the IBSI
// tolerance. Every miss must be one of PyRadiomics' known deviations.
func TestIBSI1(t *testing.T) {
	ibsi := refdata.Dir(t, "ibsi1")
	pyr := refdata.Dir(t, "ibsi1_pyradiomics")
	refs := loadIBSIReferences(t, ibsi)
	ct := filepath.Join(ibsi, "ct_phantom", "nifti")
	runs := []ibsiRun{{"digital_phantom", filepath.Join(ibsi, "digital_phantom", "image.nii.gz"), filepath.Join(ibsi, "digital_phantom", "mask.nii.gz"), "params_digital_phantom"}}
	for _, c := range []string{"A", "B", "C", "D"} {
		runs = append(runs, ibsiRun{"config_" + c, filepath.Join(ct, "image.nii.gz"), filepath.Join(ct, "mask.nii.gz"), "params_config_" + c})
	}
	var doc strings.Builder
	doc.WriteString(ibsiDocHeader)
	images := map[string]*volume.Image{}
	read := func(p string) *volume.Image {
		if im, ok := images[p]; ok {
			return im
		}
		im, err := imageio.Read(p)
		if err != nil {
			t.Fatal(err)
		}
		images[p] = im
		return im
	}
	for _, run := range runs {
		mapping := readTable(t, filepath.Join(pyr, "mapping_"+strings.TrimPrefix(run.params, "params_")+".csv"))
		img, mask := read(run.image), read(run.mask)
		results := map[string]*Result{}
		get := func(prefix string) *Result {
			if r, ok := results[prefix]; ok {
				return r
			}
			file := run.params
			if strings.Contains(prefix, "Combined_") {
				file += "_combined"
			}
			p, err := LoadParams(filepath.Join(pyr, file+".yaml"))
			if err != nil {
				t.Fatal(err)
			}
			if err := p.Override(fmt.Sprintf("force2D:%v", strings.HasPrefix(prefix, "2D_"))); err != nil {
				t.Fatal(err)
			}
			p.Setting.AdditionalInfo = true
			r, err := p.Execute(img, mask)
			if err != nil {
				t.Fatalf("%s %s: %v", run.dataset, prefix, err)
			}
			results[prefix] = r
			return r
		}
		pass, total := 0, 0
		var misses []string
		unexplained := 0
		for _, row := range mapping[1:] {
			tag, name := row[0], row[1]
			ref, ok := refs[tag][run.dataset]
			if !ok {
				continue
			}
			prefix := ""
			for _, p := range []string{"3D_Combined_", "2D_Combined_", "3D_", "2D_"} {
				if strings.HasPrefix(name, p) {
					prefix = p
					break
				}
			}
			if prefix == "" {
				t.Fatalf("mapping %s: unknown prefix in %s", tag, name)
			}
			feat := strings.TrimPrefix(name, prefix)
			got, ok := get(prefix).Value(feat)
			if !ok {
				t.Errorf("%s %s: %s not computed", run.dataset, tag, name)
				continue
			}
			total++
			if math.Abs(got-ref.value) <= ref.tol*(1+1e-12) {
				pass++
				continue
			}
			reason := ibsiDeviation(tag, run.dataset)
			if reason == "" {
				unexplained++
				reason = "UNEXPLAINED"
				t.Errorf("%s %s (%s): %v, IBSI %s ± %g", run.dataset, tag, name, got, ref.text, ref.tol)
			}
			misses = append(misses, fmt.Sprintf("| %s | %s | %s | %.6g | %s ± %g | %.3g | %s |", tag, ref.code, name, got, ref.text, ref.tol, math.Abs(got-ref.value)/math.Max(ref.tol, 1e-300), reason))
		}
		sort.Strings(misses)
		t.Logf("%s: %d of %d tags within the IBSI tolerance; %d misses (%d unexplained)", run.dataset, pass, total, total-pass, unexplained)
		fmt.Fprintf(&doc, "\n## %s\n\n%d of %d tags within tolerance; %d misses, each a known PyRadiomics deviation.\n", run.dataset, pass, total, total-pass)
		if len(misses) > 0 {
			doc.WriteString("\n| tag | IBSI code | PyRadiomics feature | spinerad | IBSI reference | miss (x tolerance) | reason |\n|---|---|---|---|---|---|---|\n")
			doc.WriteString(strings.Join(misses, "\n") + "\n")
		}
	}
	if *updateIBSIDoc {
		if err := os.WriteFile(filepath.Join("..", "..", "docs", "ibsi.md"), []byte(doc.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

const ibsiDocHeader = `# IBSI-1 agreement of spinerad's default (PyRadiomics-compatible) mode

Generated by ` + "`go test ./internal/extract -run TestIBSI1 -args -update-ibsi-doc`" + `.

spinerad's default mode reproduces PyRadiomics, so it is scored here exactly as
PyRadiomics' maintainers scored PyRadiomics against IBSI-1: the parameter files
and tag mappings of ` + "`ibsi1_pyradiomics/`" + ` in the reference data (each file run with
force2D false and true, and its ` + "`_combined`" + ` twin for merged matrices), joined to the
IBSI reference values through ` + "`ibsi1/tag_map.csv`" + `. A value passes when it lies within
the IBSI tolerance, or within half a unit of the last printed digit where the manual
gives none. The test fails on any miss that is not one of PyRadiomics' known
deviations from IBSI:

- kurtosis is reported as m4/m2² (IBSI: excess kurtosis, 3 less);
- the PCA covariance (major/minor/least axis, elongation, flatness) divides by N (IBSI: N-1);
- resampling anchors the new grid at the image corner, resamples the mask by nearest
  neighbour and does not round intensities (IBSI: grid centred on the image, mask
  interpolated like the image and thresholded at 0.5, intensities rounded to whole HU);
- fixed-bin-width edges start at floor(min/w)·w of the ROI, not at the re-segmentation
  lower bound.

Configurations B, C and D resample the image; every one of their misses is
attributed to the resampling deviation as a class. spinerad reproduces
PyRadiomics' resampling exactly (the brain1_resampling baseline passes, and the
grid origins and sizes of the CT phantom match the values measured from
PyRadiomics), so these misses are PyRadiomics' own; a feature-by-feature proof
needs the IBSI-compliant resampling below, after which B-D should be re-scored.

## Planned IBSI-compliant mode

Each deviation is one switch on the data path, not a fork of it:

| deviation | where the switch goes |
|---|---|
| kurtosis | features.Settings: firstorder subtracts 3 |
| PCA covariance N vs N-1 | features.Settings: shape scales the eigenvalues by N/(N-1) |
| fixed-bin-width lower bound | preprocess.DiscretizeBinWidth takes the lower edge (ROI minimum or re-segmentation bound) |
| resampling grid, mask interpolation, rounding | preprocess.ResampleImageAndMask takes a grid rule (corner- or centre-aligned), a mask rule (nearest neighbour or interpolate and threshold at 0.5) and a rounding rule |

The switches would be settings of the parameter file (an ` + "`ibsiCompliant`" + ` block), so
that a study records which mode produced its features.
`
