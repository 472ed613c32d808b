package features

import (
	"encoding/csv"
	"math"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/spinerad/spinerad/internal/imageio"
	"github.com/spinerad/spinerad/internal/preprocess"
	"github.com/spinerad/spinerad/internal/refdata"
	"github.com/spinerad/spinerad/internal/volume"
)

// foBrain1Region reads PyRadiomics' brain1 case, crops image and label 1 to
// the label's bounding box (pad 0) and discretises with binWidth 25.
func foBrain1Region(t *testing.T) *Region {
	t.Helper()
	img, err := imageio.Read(refdata.File(t, "pyradiomics", "brain1_image.nrrd"))
	if err != nil {
		t.Fatal(err)
	}
	lab, err := imageio.Read(refdata.File(t, "pyradiomics", "brain1_label.nrrd"))
	if err != nil {
		t.Fatal(err)
	}
	bb, _, ok := volume.LabelBBox(lab, 1)
	if !ok {
		t.Fatal("brain1: no label 1")
	}
	ci, cl := img.Crop(bb, 0), lab.Crop(bb, 0)
	r := &Region{Size: ci.Size, Spacing: ci.Spacing, Values: ci.Data,
		ROI: make([]bool, len(cl.Data)), Levels: make([]int32, len(ci.Data))}
	for i, v := range cl.Data {
		r.ROI[i] = v == 1
	}
	if preprocess.DiscretizeBinWidth(r.Values, r.ROI, 25, r.Levels) != 33 {
		t.Fatal("brain1: binWidth 25 should give Ng = 33")
	}
	return r
}

// foReadCSVColumn reads column col of a feature CSV (first column = name).
func foReadCSVColumn(t *testing.T, path, col string) map[string]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	cr := csv.NewReader(f)
	cr.FieldsPerRecord = -1
	recs, err := cr.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	k := -1
	for i, h := range recs[0] {
		if h == col {
			k = i
		}
	}
	if k < 0 {
		t.Fatalf("%s: no column %s", path, col)
	}
	out := map[string]string{}
	for _, rec := range recs[1:] {
		if k < len(rec) {
			out[rec[0]] = rec[k]
		}
	}
	return out
}

// TestBrain1FirstOrderGLCM compares every original_firstorder_* and
// original_glcm_* value of brain1_1316.csv (PyRadiomics 8ed5793) at 1e-6
// relative with a 1e-9 absolute floor.
func TestBrain1FirstOrderGLCM(t *testing.T) {
	r := foBrain1Region(t)
	ref := foReadCSVColumn(t, refdata.File(t, "pyradiomics", "brain1_1316.csv"), "value")
	s := DefaultSettings()
	worst := 0.0
	for _, cn := range []string{"firstorder", "glcm"} {
		c, _ := Lookup(cn)
		idx, _ := c.Enabled(nil)
		vals, err := c.Compute(r, &s)
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, i := range idx {
			key := "original_" + cn + "_" + c.Features[i].Name
			ws, ok := ref[key]
			if !ok {
				t.Errorf("%s missing from the reference", key)
				continue
			}
			want, _ := strconv.ParseFloat(ws, 64)
			d := math.Abs(vals[i] - want)
			if d > 1e-9 && d > 1e-6*math.Abs(want) {
				t.Errorf("%s = %.17g, want %.17g", key, vals[i], want)
			}
			worst = max(worst, d/math.Abs(want))
			n++
		}
		if cn == "firstorder" && n != 18 || cn == "glcm" && n != 24 {
			t.Errorf("%s: compared %d features", cn, n)
		}
	}
	t.Logf("brain1 firstorder+glcm: max relative deviation %.3g", worst)
}

// TestBrain1FlatRegionGLCM reproduces the glcm values of PyRadiomics' stored
// brain1_flatRegion baseline (binWidth 5000: one grey level; resegmentRange
// [0] keeps the whole ROI, whose values are all >= 468).
func TestBrain1FlatRegionGLCM(t *testing.T) {
	r := foBrain1Region(t)
	for i, in := range r.ROI {
		if in {
			r.Levels[i] = 1
		}
	}
	ref := foReadCSVColumn(t, refdata.File(t, "pyradiomics", "baseline_brain1.csv"), "brain1_flatRegion")
	c, _ := Lookup("glcm")
	vals, err := c.Compute(r, nil)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for i, f := range c.Features {
		ws, ok := ref["original_glcm_"+f.Name]
		if !ok || f.Deprecated {
			continue
		}
		want, _ := strconv.ParseFloat(strings.TrimSpace(ws), 64)
		if vals[i] != want {
			t.Errorf("flat %s = %.17g, want %.17g", f.Name, vals[i], want)
		}
		n++
	}
	if n != 24 {
		t.Errorf("compared %d flat-region glcm values, want 24", n)
	}
}

// TestBrain1BaselineColumns compares firstorder and glcm with PyRadiomics'
// stored brain1 baselines (about 12 significant digits) for settings that
// exercise voxelArrayShift, force2D, binCount and weightingNorm.
func TestBrain1BaselineColumns(t *testing.T) {
	path := refdata.File(t, "pyradiomics", "baseline_brain1.csv")
	cases := []struct {
		column string
		mod    func(r *Region, s *Settings)
	}{
		{"brain1", func(_ *Region, s *Settings) { s.VoxelArrayShift = 2000 }},
		{"brain1_2d", func(_ *Region, s *Settings) { s.Force2D = true }},
		{"brain1_FBN", func(r *Region, _ *Settings) {
			preprocess.DiscretizeBinCount(r.Values, r.ROI, 64, volume.Int16, r.Levels)
		}},
		{"brain1_combined", func(_ *Region, s *Settings) { s.WeightingNorm = "no_weighting" }},
	}
	base := foBrain1Region(t)
	for _, tc := range cases {
		t.Run(tc.column, func(t *testing.T) {
			ref := foReadCSVColumn(t, path, tc.column)
			r := *base
			r.Levels = append([]int32(nil), base.Levels...)
			s := DefaultSettings()
			tc.mod(&r, &s)
			n := 0
			worst := 0.0
			for _, cn := range []string{"firstorder", "glcm"} {
				c, _ := Lookup(cn)
				vals, err := c.Compute(&r, &s)
				if err != nil {
					t.Fatal(err)
				}
				for i, f := range c.Features {
					ws := strings.TrimSpace(ref["original_"+cn+"_"+f.Name])
					if ws == "" || f.Deprecated {
						continue
					}
					want, err := strconv.ParseFloat(ws, 64)
					if err != nil {
						t.Fatalf("%s: %v", f.Name, err)
					}
					d := math.Abs(vals[i] - want)
					if d > 1e-9 && d > 1e-6*math.Abs(want) {
						t.Errorf("%s_%s = %.17g, want %.17g", cn, f.Name, vals[i], want)
					}
					if want != 0 {
						worst = max(worst, d/math.Abs(want))
					}
					n++
				}
			}
			if n < 24 {
				t.Errorf("only %d values compared", n)
			}
			t.Logf("%s: %d values, max relative deviation %.3g", tc.column, n, worst)
		})
	}
}
