package features

import (
	"encoding/csv"
	"math"
	"os"
	"strconv"
	"testing"

	"github.com/spinerad/spinerad/internal/imageio"
	"github.com/spinerad/spinerad/internal/preprocess"
	"github.com/spinerad/spinerad/internal/refdata"
	"github.com/spinerad/spinerad/internal/volume"
)

// ---- helpers shared by the glrlm, glszm, gldm and ngtdm tests ----

// texRegion builds a Region from a (z, y, x) shape and levels in array order;
// level 0 marks voxels outside the ROI.
func texRegion(shape [3]int, levels []int32) *Region {
	r := &Region{Size: [3]int{shape[2], shape[1], shape[0]}, Spacing: [3]float64{1, 1, 1}}
	r.Levels = append([]int32(nil), levels...)
	r.ROI = make([]bool, len(levels))
	r.Values = make([]float64, len(levels))
	for i, g := range levels {
		r.ROI[i] = g > 0
		r.Values[i] = float64(g)
	}
	return r
}

// texFeature returns the value of the named feature of class c.
func texFeature(t *testing.T, c string, vals []float64, name string) float64 {
	t.Helper()
	cl, _ := Lookup(c)
	for i, f := range cl.Features {
		if f.Name == name {
			return vals[i]
		}
	}
	t.Fatalf("%s has no feature %s", c, name)
	return 0
}

// texCompute runs class c on r with s.
func texCompute(t *testing.T, c string, r *Region, s Settings) []float64 {
	t.Helper()
	cl, ok := Lookup(c)
	if !ok {
		t.Fatalf("class %s not registered", c)
	}
	v, err := cl.Compute(r, &s)
	if err != nil {
		t.Fatalf("%s: %v", c, err)
	}
	if len(v) != len(cl.Features) {
		t.Fatalf("%s returned %d values for %d features", c, len(v), len(cl.Features))
	}
	return v
}

// texExpect checks named feature values (relative 1e-12, absolute floor 1e-12).
func texExpect(t *testing.T, c string, vals []float64, want map[string]float64) {
	t.Helper()
	for name, w := range want {
		got := texFeature(t, c, vals, name)
		if !texClose(got, w, 1e-12, 1e-12) {
			t.Errorf("%s %s = %.17g, want %.17g", c, name, got, w)
		}
	}
}

func texClose(got, want, rel, abs float64) bool {
	if math.IsNaN(want) || math.IsNaN(got) {
		return math.IsNaN(want) && math.IsNaN(got)
	}
	return math.Abs(got-want) <= math.Max(abs, rel*math.Abs(want))
}

// texRandomRegion is a seeded random region: shape (z, y, x), levels 1..ng,
// about 80% of the voxels in the ROI.
func texRandomRegion(shape [3]int, ng int, seed uint64) *Region {
	n := shape[0] * shape[1] * shape[2]
	lv := make([]int32, n)
	x := seed | 1
	next := func() uint64 { // xorshift64*
		x ^= x >> 12
		x ^= x << 25
		x ^= x >> 27
		return x * 2685821657736338717
	}
	for i := range lv {
		if next()%5 != 0 {
			lv[i] = int32(next()%uint64(ng)) + 1
		}
	}
	return texRegion(shape, lv)
}

// texBrain1 returns brain1's ROI (label 1) cropped to its bounding box (pad
// 0), read with imageio; levels are filled by texBinWidth or texBinCount.
func texBrain1(t *testing.T) *Region {
	t.Helper()
	img, err := imageio.Read(refdata.File(t, "pyradiomics", "brain1_image.nrrd"))
	if err != nil {
		t.Fatal(err)
	}
	lab, err := imageio.Read(refdata.File(t, "pyradiomics", "brain1_label.nrrd"))
	if err != nil {
		t.Fatal(err)
	}
	if img.Size != lab.Size {
		t.Fatalf("label size %v != image size %v", lab.Size, img.Size)
	}
	bb, n, ok := volume.LabelBBox(lab, 1)
	if !ok || n != 4137 {
		t.Fatalf("brain1 label 1: %d voxels, want 4137", n)
	}
	ci, cl := img.Crop(bb, 0), lab.Crop(bb, 0)
	r := &Region{Size: ci.Size, Spacing: ci.Spacing, Values: ci.Data}
	r.ROI = make([]bool, len(cl.Data))
	for i, v := range cl.Data {
		r.ROI[i] = v == 1
	}
	r.Levels = make([]int32, len(r.Values))
	return r
}

// texBinWidth discretises r with bin width w (preprocess.DiscretizeBinWidth).
func texBinWidth(t *testing.T, r *Region, w float64) {
	t.Helper()
	if preprocess.DiscretizeBinWidth(r.Values, r.ROI, w, r.Levels) < 1 {
		t.Fatal("DiscretizeBinWidth failed")
	}
}

// texBinCount discretises r with n bins (preprocess.DiscretizeBinCount, int16 image).
func texBinCount(t *testing.T, r *Region, n int) {
	t.Helper()
	if preprocess.DiscretizeBinCount(r.Values, r.ROI, n, volume.Int16, r.Levels) < 1 {
		t.Fatal("DiscretizeBinCount failed")
	}
}

// texReadCSV reads a two-or-more column CSV into rows keyed by the first column.
func texReadCSV(t *testing.T, path string) (header []string, rows map[string][]string) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	rows = map[string][]string{}
	for _, rec := range recs[1:] {
		rows[rec[0]] = rec[1:]
	}
	return recs[0][1:], rows
}

// texCompareRef compares every enabled feature of the classes with the
// reference values ref[<prefix><class>_<feature>] at 1e-6 relative (1e-9
// absolute floor) and returns the largest relative deviation.
func texCompareRef(t *testing.T, r *Region, s Settings, classes []string, ref map[string]string, prefix string) float64 {
	t.Helper()
	worst := 0.0
	for _, c := range classes {
		cl, _ := Lookup(c)
		vals := texCompute(t, c, r, s)
		idx, _ := cl.Enabled(nil)
		for _, i := range idx {
			key := prefix + c + "_" + cl.Features[i].Name
			txt, ok := ref[key]
			if !ok || txt == "" {
				t.Errorf("no reference value for %s", key)
				continue
			}
			want, err := strconv.ParseFloat(txt, 64)
			if err != nil {
				t.Fatalf("%s: %v", key, err)
			}
			got := vals[i]
			if !texClose(got, want, 1e-6, 1e-9) {
				t.Errorf("%s = %.17g, want %.17g", key, got, want)
			}
			if want != 0 {
				worst = math.Max(worst, math.Abs(got-want)/math.Abs(want))
			}
		}
	}
	return worst
}

// ---- GLRLM tests ----

func TestTextureClassOrder(t *testing.T) {
	for _, tc := range []struct {
		class string
		n     int
	}{{"glrlm", 16}, {"glszm", 16}, {"gldm", 16}, {"ngtdm", 5}} {
		cl, ok := Lookup(tc.class)
		if !ok {
			t.Fatalf("%s not registered", tc.class)
		}
		if len(cl.Features) != tc.n {
			t.Errorf("%s: %d features, want %d", tc.class, len(cl.Features), tc.n)
		}
		for i := 1; i < len(cl.Features); i++ {
			a := "get" + cl.Features[i-1].Name + "FeatureValue"
			b := "get" + cl.Features[i].Name + "FeatureValue"
			if a >= b {
				t.Errorf("%s: %s listed before %s", tc.class, a, b)
			}
		}
		for _, f := range cl.Features {
			if f.IBSI == "" {
				t.Errorf("%s %s has no IBSI code", tc.class, f.Name)
			}
		}
		idx, _ := cl.Enabled(nil)
		wantEnabled := tc.n
		if tc.class == "gldm" {
			wantEnabled = 14
		}
		if len(idx) != wantEnabled {
			t.Errorf("%s: %d enabled features, want %d", tc.class, len(idx), wantEnabled)
		}
	}
	cl, _ := Lookup("gldm")
	idx, err := cl.Enabled([]string{"DependencePercentage", "GrayLevelNonUniformityNormalized", "DependenceEntropy"})
	if err != nil || len(idx) != 1 || cl.Features[idx[0]].Name != "DependenceEntropy" {
		t.Errorf("gldm deprecated features should be silent, got %v %v", idx, err)
	}
}

// The A.6 toy case: array shape (1,1,5), levels [1,2,0,0,3]. GLRLM: the only
// offset is (0,0,1); runs (1,len1), (2,len1), (3,len1): Nr = 3, Np = 3.
func TestGLRLMToy(t *testing.T) {
	r := texRegion([3]int{1, 1, 5}, []int32{1, 2, 0, 0, 3})
	v := texCompute(t, "glrlm", r, DefaultSettings())
	// P = [[1],[1],[1]] (levels 1..3, run length 1).
	texExpect(t, "glrlm", v, map[string]float64{
		"ShortRunEmphasis":                 1,
		"LongRunEmphasis":                  1,
		"GrayLevelNonUniformity":           1, // (1+1+1)/3
		"GrayLevelNonUniformityNormalized": 1.0 / 3,
		"RunLengthNonUniformity":           3, // 3²/3
		"RunLengthNonUniformityNormalized": 1,
		"RunPercentage":                    1,
		"GrayLevelVariance":                2.0 / 3, // mean 2
		"RunVariance":                      0,
		"RunEntropy":                       -math.Log2(1.0/3 + Eps),
		"LowGrayLevelRunEmphasis":          (1 + 1.0/4 + 1.0/9) / 3,
		"HighGrayLevelRunEmphasis":         14.0 / 3,
		"ShortRunLowGrayLevelEmphasis":     (1 + 1.0/4 + 1.0/9) / 3,
		"ShortRunHighGrayLevelEmphasis":    14.0 / 3,
		"LongRunLowGrayLevelEmphasis":      (1 + 1.0/4 + 1.0/9) / 3,
		"LongRunHighGrayLevelEmphasis":     14.0 / 3,
	})
}

// A 2x3 single-slice region (z=1):
//
//	1 1 2
//	1 0 2
//
// In-plane offsets (0,1,1) (0,1,0) (0,1,-1) (0,0,1); no through-plane offset
// fits. Runs per offset (level, length):
//
//	(0,1,1):  diagonals y-x const: {(0,0)=1,(1,1)=0}: (1,1); {(0,1)=1,(1,2)=2}: (1,1),(2,1);
//	          {(0,2)=2}: (2,1); {(1,0)=1}: (1,1)        -> P1 = [3 0; 2 0], Nr 5
//	(0,1,0):  columns: x0 [1,1]: (1,2); x1 [1,-]: (1,1); x2 [2,2]: (2,2)
//	                                                     -> P1 = [1 1; 0 1], Nr 3
//	(0,1,-1): anti-diagonals: {(0,0)}: (1,1); {(0,1),(1,0)} = 1,1: (1,2);
//	          {(0,2),(1,1)} = 2,-: (2,1); {(1,2)}: (2,1) -> P1 = [1 1; 2 0], Nr 4
//	(0,0,1):  rows: [1,1,2]: (1,2),(2,1); [1,-,2]: (1,1),(2,1)
//	                                                     -> P1 = [1 1; 2 0], Nr 4
func TestGLRLMHand2D(t *testing.T) {
	r := texRegion([3]int{1, 2, 3}, []int32{1, 1, 2, 1, 0, 2})
	v := texCompute(t, "glrlm", r, DefaultSettings())
	type mat [2][2]float64
	mats := []mat{{{3, 0}, {2, 0}}, {{1, 1}, {0, 1}}, {{1, 1}, {2, 0}}, {{1, 1}, {2, 0}}}
	want := map[string]float64{}
	add := func(k string, x float64) { want[k] += x / float64(len(mats)) }
	for _, m := range mats {
		var nr, np, sre, lre, gln, rln, ent, glm, rlm float64
		pg := [2]float64{m[0][0] + m[0][1], m[1][0] + m[1][1]}
		pr := [2]float64{m[0][0] + m[1][0], m[0][1] + m[1][1]}
		for i := 0; i < 2; i++ {
			for j := 0; j < 2; j++ {
				nr += m[i][j]
			}
		}
		for j := 0; j < 2; j++ {
			jj := float64(j + 1)
			sre += pr[j] / (jj * jj)
			lre += pr[j] * jj * jj
			rln += pr[j] * pr[j]
			np += pr[j] * jj
			rlm += pr[j] / nr * jj
		}
		var lg, hg, srl, srh, lrl, lrh float64
		for i := 0; i < 2; i++ {
			ii := float64(i + 1)
			gln += pg[i] * pg[i]
			glm += pg[i] / nr * ii
			lg += pg[i] / (ii * ii)
			hg += pg[i] * ii * ii
			for j := 0; j < 2; j++ {
				jj := float64(j + 1)
				p := m[i][j] / nr
				ent -= p * math.Log2(p+Eps)
				srl += m[i][j] / (ii * ii * jj * jj)
				srh += m[i][j] * ii * ii / (jj * jj)
				lrl += m[i][j] * jj * jj / (ii * ii)
				lrh += m[i][j] * ii * ii * jj * jj
			}
		}
		var glv, rv float64
		for i := 0; i < 2; i++ {
			d := float64(i+1) - glm
			glv += pg[i] / nr * d * d
			d = float64(i+1) - rlm
			rv += pr[i] / nr * d * d
		}
		add("ShortRunEmphasis", sre/nr)
		add("LongRunEmphasis", lre/nr)
		add("GrayLevelNonUniformity", gln/nr)
		add("GrayLevelNonUniformityNormalized", gln/(nr*nr))
		add("RunLengthNonUniformity", rln/nr)
		add("RunLengthNonUniformityNormalized", rln/(nr*nr))
		add("RunPercentage", nr/np)
		add("GrayLevelVariance", glv)
		add("RunVariance", rv)
		add("RunEntropy", ent)
		add("LowGrayLevelRunEmphasis", lg/nr)
		add("HighGrayLevelRunEmphasis", hg/nr)
		add("ShortRunLowGrayLevelEmphasis", srl/nr)
		add("ShortRunHighGrayLevelEmphasis", srh/nr)
		add("LongRunLowGrayLevelEmphasis", lrl/nr)
		add("LongRunHighGrayLevelEmphasis", lrh/nr)
	}
	texExpect(t, "glrlm", v, want)
	// Spot value: every offset covers the 5 ROI voxels, so RunPercentage =
	// mean(5/5, 3/5, 4/5, 4/5) = 0.8.
	if got := texFeature(t, "glrlm", v, "RunPercentage"); !texClose(got, 0.8, 1e-15, 0) {
		t.Errorf("RunPercentage = %v", got)
	}
}

// Degenerate offsets: two voxels stacked in z only, (z,y,x) shape (2,1,1).
// The only offset is (1,0,0); its single line holds both voxels, so it is
// kept: levels 1,1 give one run of length 2. With levels 1,0... (one ROI
// voxel only) the offset would be zeroed and everything NaN.
// Gap rule: shape (1,1,4) levels [1,0,0,1]: the line holds 2 ROI voxels (not
// adjacent) so the offset is kept: 2 runs of length 1.
func TestGLRLMDegenerate(t *testing.T) {
	v := texCompute(t, "glrlm", texRegion([3]int{2, 1, 1}, []int32{1, 1}), DefaultSettings())
	texExpect(t, "glrlm", v, map[string]float64{"LongRunEmphasis": 4, "RunPercentage": 0.5, "ShortRunEmphasis": 0.25})
	v = texCompute(t, "glrlm", texRegion([3]int{1, 1, 4}, []int32{1, 0, 0, 1}), DefaultSettings())
	texExpect(t, "glrlm", v, map[string]float64{"LongRunEmphasis": 1, "RunPercentage": 1, "GrayLevelNonUniformity": 2})
	v = texCompute(t, "glrlm", texRegion([3]int{1, 1, 2}, []int32{0, 3}), DefaultSettings())
	for i, x := range v {
		if !math.IsNaN(x) {
			t.Errorf("single voxel: %s = %v, want NaN", glrlmFeatures[i].Name, x)
		}
	}
	// A 2x2x2 block whose ROI is the two voxels (0,0,0) and (1,1,1): every
	// line holds at most one ROI voxel except the (1,1,1) diagonal, which
	// alone survives: one run of length 1 of each level... both voxels level 2
	// give one run of length 2.
	lv := []int32{2, 0, 0, 0, 0, 0, 0, 2}
	v = texCompute(t, "glrlm", texRegion([3]int{2, 2, 2}, lv), DefaultSettings())
	texExpect(t, "glrlm", v, map[string]float64{"LongRunEmphasis": 4, "RunPercentage": 0.5, "GrayLevelVariance": 0})
}

// weightingNorm merges the offsets with the distance as weight. For the 2x3
// slice of TestGLRLMHand2D with spacing (x, y) = (0.5, 2): weights (array
// order offsets (0,1,1), (0,1,0), (0,1,-1), (0,0,1)):
// infinity 2, 2, 2, 0.5; euclidean sqrt(4.25), 2, sqrt(4.25), 0.5;
// manhattan 2.5, 2, 2.5, 0.5; no_weighting 1.
func TestGLRLMWeighting(t *testing.T) {
	mats := [][2][2]float64{{{3, 0}, {2, 0}}, {{1, 1}, {0, 1}}, {{1, 1}, {2, 0}}, {{1, 1}, {2, 0}}}
	for _, tc := range []struct {
		norm string
		w    [4]float64
	}{
		{"infinity", [4]float64{2, 2, 2, 0.5}},
		{"euclidean", [4]float64{math.Sqrt(4.25), 2, math.Sqrt(4.25), 0.5}},
		{"manhattan", [4]float64{2.5, 2, 2.5, 0.5}},
		{"no_weighting", [4]float64{1, 1, 1, 1}},
	} {
		r := texRegion([3]int{1, 2, 3}, []int32{1, 1, 2, 1, 0, 2})
		r.Spacing = [3]float64{0.5, 2, 3}
		s := DefaultSettings()
		s.WeightingNorm = tc.norm
		v := texCompute(t, "glrlm", r, s)
		var m [2][2]float64
		for a := range mats {
			for i := 0; i < 2; i++ {
				for j := 0; j < 2; j++ {
					m[i][j] += mats[a][i][j] * tc.w[a]
				}
			}
		}
		nr := m[0][0] + m[0][1] + m[1][0] + m[1][1]
		pr := [2]float64{m[0][0] + m[1][0], m[0][1] + m[1][1]}
		pg := [2]float64{m[0][0] + m[0][1], m[1][0] + m[1][1]}
		texExpect(t, "glrlm", v, map[string]float64{
			"ShortRunEmphasis":         (pr[0] + pr[1]/4) / nr,
			"RunPercentage":            nr / (pr[0] + 2*pr[1]),
			"GrayLevelNonUniformity":   (pg[0]*pg[0] + pg[1]*pg[1]) / nr,
			"HighGrayLevelRunEmphasis": (pg[0] + 4*pg[1]) / nr,
		})
	}
	r := texRegion([3]int{1, 2, 3}, []int32{1, 1, 2, 1, 0, 2})
	s := DefaultSettings()
	s.WeightingNorm = "chebyshev"
	if _, err := computeGLRLM(r, &s); err == nil {
		t.Error("unknown weightingNorm should be an error")
	}
}

// GLRLM ignores distances; force2D drops the 9 through-plane offsets.
func TestGLRLMDistancesForce2D(t *testing.T) {
	r := texRandomRegion([3]int{5, 6, 7}, 4, 11)
	base := texCompute(t, "glrlm", r, DefaultSettings())
	s := DefaultSettings()
	s.Distances = []int{1, 2}
	v := texCompute(t, "glrlm", r, s)
	for i := range v {
		if v[i] != base[i] {
			t.Errorf("distances [1,2] changed %s: %v -> %v", glrlmFeatures[i].Name, base[i], v[i])
		}
	}
	// On a one-slice region, force2D changes nothing (the through-plane
	// offsets do not fit anyway).
	one := texRandomRegion([3]int{1, 6, 7}, 4, 12)
	s = DefaultSettings()
	s.Force2D = true
	a := texCompute(t, "glrlm", one, s)
	b := texCompute(t, "glrlm", one, DefaultSettings())
	for i := range a {
		if a[i] != b[i] {
			t.Errorf("one slice: force2D changed %s", glrlmFeatures[i].Name)
		}
	}
	// force2D pools slices: two identical slices double every count, so
	// the normalised features stay equal and the non-uniformities double.
	two := &Region{Size: [3]int{7, 6, 2}, Spacing: one.Spacing}
	two.Levels = append(append([]int32(nil), one.Levels...), one.Levels...)
	two.ROI = append(append([]bool(nil), one.ROI...), one.ROI...)
	c := texCompute(t, "glrlm", two, s)
	for i, f := range glrlmFeatures {
		w := a[i]
		if f.Name == "GrayLevelNonUniformity" || f.Name == "RunLengthNonUniformity" {
			w *= 2
		}
		if !texClose(c[i], w, 1e-12, 1e-15) {
			t.Errorf("two equal slices, force2D: %s = %v, want %v", f.Name, c[i], w)
		}
	}
}

func TestTextureErrors(t *testing.T) {
	good := texRegion([3]int{1, 2, 2}, []int32{1, 2, 2, 1})
	bad := []struct {
		name string
		r    *Region
		s    func(*Settings)
	}{
		{"nil", nil, nil},
		{"short levels", &Region{Size: [3]int{2, 2, 1}, ROI: make([]bool, 4), Levels: make([]int32, 3)}, nil},
		{"empty roi", texRegion([3]int{1, 2, 2}, []int32{0, 0, 0, 0}), nil},
		{"zero level in roi", &Region{Size: [3]int{2, 1, 1}, ROI: []bool{true, true}, Levels: []int32{1, 0}}, nil},
		{"bad force2D dim", good, func(s *Settings) { s.Force2D = true; s.Force2DDimension = 3 }},
		{"one voxel", texRegion([3]int{1, 1, 1}, []int32{1}), nil},
	}
	for _, c := range []string{"glrlm", "glszm", "gldm", "ngtdm"} {
		cl, _ := Lookup(c)
		for _, b := range bad {
			s := DefaultSettings()
			if b.s != nil {
				b.s(&s)
			}
			if _, err := cl.Compute(b.r, &s); err == nil {
				t.Errorf("%s %s: expected an error", c, b.name)
			}
		}
	}
	for _, c := range []string{"gldm", "ngtdm"} {
		cl, _ := Lookup(c)
		s := DefaultSettings()
		s.Distances = []int{0}
		if _, err := cl.Compute(good, &s); err == nil {
			t.Errorf("%s: distance 0 should be an error", c)
		}
	}
	s := DefaultSettings()
	s.GLDMAlpha = -1
	if _, err := computeGLDM(good, &s); err == nil {
		t.Error("gldm: negative alpha should be an error")
	}
}

// brain1 against PyRadiomics: the 1316 run (original image) and the stored
// baseline variants that touch these classes (2d = force2D, FBN = binCount
// 64, combined = glrlm weightingNorm no_weighting, flatRegion = one level).
func TestTextureBrain1(t *testing.T) {
	classes := []string{"glrlm", "glszm", "gldm", "ngtdm"}
	r := texBrain1(t)

	_, rows := texReadCSV(t, refdata.File(t, "pyradiomics", "brain1_1316.csv"))
	ref := map[string]string{}
	for k, v := range rows {
		ref[k] = v[0]
	}
	texBinWidth(t, r, 25)
	w := texCompareRef(t, r, DefaultSettings(), classes, ref, "original_")
	t.Logf("brain1_1316: max relative deviation %.3g", w)

	header, base := texReadCSV(t, refdata.File(t, "pyradiomics", "baseline_brain1.csv"))
	col := func(name string) map[string]string {
		for i, h := range header {
			if h == name {
				m := map[string]string{}
				for k, v := range base {
					m[k] = v[i]
				}
				return m
			}
		}
		t.Fatalf("no column %s", name)
		return nil
	}
	for _, tc := range []struct {
		col     string
		classes []string
		bin     func()
		set     func(*Settings)
	}{
		{"brain1", classes, func() { texBinWidth(t, r, 25) }, nil},
		{"brain1_2d", classes, func() { texBinWidth(t, r, 25) }, func(s *Settings) { s.Force2D = true }},
		{"brain1_FBN", classes, func() { texBinCount(t, r, 64) }, nil},
		{"brain1_combined", []string{"glrlm"}, func() { texBinWidth(t, r, 25) }, func(s *Settings) { s.WeightingNorm = "no_weighting" }},
		{"brain1_flatRegion", classes, func() { texBinWidth(t, r, 5000) }, nil},
	} {
		tc.bin()
		s := DefaultSettings()
		if tc.set != nil {
			tc.set(&s)
		}
		w := texCompareRef(t, r, s, tc.classes, col(tc.col), "original_")
		t.Logf("%s: max relative deviation %.3g", tc.col, w)
	}
}

func BenchmarkGLRLM(b *testing.B) { texBench(b, "glrlm") }

// texBench times class c on a 60x60x40 (x, y, z) random region with Ng = 40.
func texBench(b *testing.B, c string) {
	r := texRandomRegion([3]int{40, 60, 60}, 40, 7)
	cl, _ := Lookup(c)
	s := DefaultSettings()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := cl.Compute(r, &s); err != nil {
			b.Fatal(err)
		}
	}
}
