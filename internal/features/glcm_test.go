package features

import (
	"math"
	"math/rand"
	"sort"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// cmLevelRegion returns a region of array shape (nz, ny, nx) with the given
// levels (x fastest); level 0 marks voxels outside the ROI. Values equal
// the levels. spacing is in ITK order.
func cmLevelRegion(nz, ny, nx int, levels []int32, spacing [3]float64) *Region {
	r := &Region{Size: [3]int{nx, ny, nz}, Spacing: spacing, Levels: levels,
		Values: make([]float64, len(levels)), ROI: make([]bool, len(levels))}
	for i, l := range levels {
		r.ROI[i] = l > 0
		r.Values[i] = float64(l)
	}
	return r
}

// cmHandRegion is the 1x2x3 (z, y, x) crop
//
//	y=0: 1 2 2
//	y=1: 3 1 2
//
// with in-plane offsets (0,1,1), (0,1,0), (0,1,-1), (0,0,1). Counts
// (centre -> neighbour), then symmetrised matrices P (levels 1..3):
//
//	(0,1,1):  1->1, 2->2              P = [[2,0,0],[0,2,0],[0,0,0]]   sum 4
//	(0,1,0):  1->3, 2->1, 2->2        P = [[0,1,1],[1,2,0],[1,0,0]]   sum 6
//	(0,1,-1): 2->3, 2->1              P = [[0,1,0],[1,0,1],[0,1,0]]   sum 4
//	(0,0,1):  1->2 (twice), 2->2, 3->1 P = [[0,2,1],[2,2,0],[1,0,0]]  sum 8
func cmHandRegion(spacing [3]float64) *Region {
	return cmLevelRegion(1, 2, 3, []int32{1, 2, 2, 3, 1, 2}, spacing)
}

var cmHandP = [][]float64{
	{2, 0, 0, 0, 2, 0, 0, 0, 0},
	{0, 1, 1, 1, 2, 0, 1, 0, 0},
	{0, 1, 0, 1, 0, 1, 0, 1, 0},
	{0, 2, 1, 2, 2, 0, 1, 0, 0},
}

func TestGLCMHandMatrices(t *testing.T) {
	s := DefaultSettings()
	set, err := buildGLCMs(cmHandRegion([3]float64{1, 1, 1}), &s)
	if err != nil {
		t.Fatal(err)
	}
	if set.n != 3 || set.ng != 3 || len(set.mats) != 4 {
		t.Fatalf("n %d ng %d matrices %d, want 3 3 4", set.n, set.ng, len(set.mats))
	}
	for a, m := range set.mats {
		sum := 0.0
		for _, v := range cmHandP[a] {
			sum += v
		}
		for k, v := range m {
			if want := cmHandP[a][k] / sum; v != want {
				t.Errorf("angle %d cell %d: %g, want %g", a, k, v, want)
			}
		}
	}
}

func TestGLCMHandFeatures(t *testing.T) {
	// Per-angle values from the matrices of cmHandRegion, then means:
	//   ux: 1.5, 11/6, 2, 1.75                 -> JointAverage 85/48
	//   Contrast: 0, 10/6, 1, 1.5              -> 25/24
	//   MaximumProbability: 1/2, 1/3, 1/4, 1/4 -> 1/3
	//   JointEnergy: 1/2, 2/9, 1/4, 7/32       -> 343/1152
	//   Idn (Ng = 3): 1, (1 + 3/4 + 3/5)/3, 3/4, 1/4 + 3/8 + 3/20 -> mean
	//   Autocorrelation (sum P*i*j / sum P): (2*1 + 2*4)/4 = 2.5, (2*2 + 2*3 + 2*4)/6 = 3,
	//     (2*2 + 2*6)/4 = 4, (4*2 + 2*3 + 2*4)/8 = 2.75
	//   SumAverage = 2*JointAverage (symmetric); DifferenceAverage: 0, 1, 1, 1/2 + 2*1/4
	s := DefaultSettings()
	got := foFeatureMap(t, "glcm", cmHandRegion([3]float64{1, 1, 1}), &s)
	idn := (1 + (1.0+0.75+0.6)/3 + 0.75 + (0.25 + 0.375 + 0.15)) / 4
	want := map[string]float64{
		"JointAverage": 85.0 / 48, "Contrast": 25.0 / 24, "MaximumProbability": 1.0 / 3,
		"JointEnergy": 343.0 / 1152, "Idn": idn, "Autocorrelation": (2.5 + 3 + 4 + 2.75) / 4,
		"SumAverage": 2 * 85.0 / 48, "DifferenceAverage": (0 + 1 + 1 + (0.5 + 2*0.25)) / 4,
	}
	for name, w := range want {
		foClose(t, name, got[name], w, 1e-14, 1e-15)
	}
	for _, name := range []string{"Dissimilarity", "Homogeneity1", "Homogeneity2", "SumVariance"} {
		if !math.IsNaN(got[name]) {
			t.Errorf("deprecated %s = %g, want NaN placeholder", name, got[name])
		}
	}
}

func TestGLCMToyA6(t *testing.T) {
	// Appendix A.6: array (1,1,5), levels [1, 2, 0, 0, 3], ROI [1, 1, 0, 0, 1].
	// One offset (0,0,1), one pair 1->2. Symmetric p(1,2) = p(2,1) = 1/2 with
	// levels 1, 2, 3 kept (Ng = 3): ux = uy = 1.5, px = py = (1/2, 1/2, 0).
	// HX = HY = HXY = 1, HXY1 = HXY2 = 2 -> Imc1 = -1, Imc2 = sqrt(1 - e^-2).
	// p_{x-y}(1) = 1: Id 1/2, Idm 1/2, Idn 1/(1 + 1/3), Idmn 1/(1 + 1/9), InverseVariance 1.
	// p_{x+y}(3) = 1: SumAverage 3, SumEntropy -log2(1 + eps).
	// Q = diag(1, 1, 0) (to eps): MCC 1. Correlation -0.25/0.25 = -1.
	r := cmLevelRegion(1, 1, 5, []int32{1, 2, 0, 0, 3}, [3]float64{1, 1, 1})
	s := DefaultSettings()
	set, err := buildGLCMs(r, &s)
	if err != nil {
		t.Fatal(err)
	}
	if len(set.mats) != 1 || set.n != 3 {
		t.Fatalf("%d matrices of %d levels, want 1 of 3", len(set.mats), set.n)
	}
	wantP := []float64{0, 0.5, 0, 0.5, 0, 0, 0, 0, 0}
	for k, v := range set.mats[0] {
		if v != wantP[k] {
			t.Errorf("p[%d] = %g, want %g", k, v, wantP[k])
		}
	}
	got := foFeatureMap(t, "glcm", r, &s)
	tiny := -3.2034265038149176e-16
	want := map[string]float64{
		"Autocorrelation": 2, "ClusterProminence": 0, "ClusterShade": 0, "ClusterTendency": 0,
		"Contrast": 1, "Correlation": -1, "DifferenceAverage": 1, "DifferenceEntropy": tiny,
		"DifferenceVariance": 0, "Id": 0.5, "Idm": 0.5, "Idmn": 0.9, "Idn": 0.75,
		"Imc1": -1, "Imc2": math.Sqrt(1 - math.Exp(-2)), "InverseVariance": 1, "JointAverage": 1.5,
		"JointEnergy": 0.5, "JointEntropy": 1, "MCC": 1, "MaximumProbability": 0.5,
		"SumAverage": 3, "SumEntropy": tiny, "SumSquares": 0.25,
	}
	for name, w := range want {
		foClose(t, name, got[name], w, 1e-14, 1e-15)
	}

	// Asymmetric: p(1,2) = 1 only: ux = 1, uy = 2, JointAverage 1, SumSquares 0,
	// Correlation 1 (sx*sy = 0), MaximumProbability 1.
	s.SymmetricalGLCM = false
	got = foFeatureMap(t, "glcm", r, &s)
	for name, w := range map[string]float64{"JointAverage": 1, "SumSquares": 0, "Correlation": 1,
		"MaximumProbability": 1, "Contrast": 1, "SumAverage": 3} {
		foClose(t, name, got[name], w, 1e-14, 1e-15)
	}
}

func TestGLCMFlat(t *testing.T) {
	// Flat ROI, level 1 (sections 8.2 and 12). Every matrix gives
	// HXY = -log2(1 + eps) = -3.2034265038149176e-16; the nanmean over 13 3D
	// offsets rounds it to -3.203426503814918e-16 (the value of PyRadiomics'
	// stored brain1_flatRegion baseline), over 4 in-plane offsets it stays exact.
	lv := make([]int32, 27)
	for i := range lv {
		lv[i] = 1
	}
	for _, c := range []struct {
		name string
		nz   int
		tiny float64
	}{
		{"3D", 3, -3.203426503814918e-16},
		{"2D", 1, -3.2034265038149176e-16},
	} {
		got := foFeatureMap(t, "glcm", cmLevelRegion(c.nz, 3, 3, lv[:c.nz*9], [3]float64{1, 1, 1}), nil)
		want := map[string]float64{
			"Autocorrelation": 1, "JointAverage": 1, "SumAverage": 2, "Contrast": 0, "Correlation": 1,
			"Imc1": 0, "Imc2": 0, "MCC": 1, "Id": 1, "Idm": 1, "Idmn": 1, "Idn": 1, "InverseVariance": 0,
			"JointEnergy": 1, "MaximumProbability": 1, "JointEntropy": c.tiny, "DifferenceEntropy": c.tiny,
			"SumEntropy": c.tiny, "ClusterShade": 0, "ClusterProminence": 0, "ClusterTendency": 0,
			"SumSquares": 0, "DifferenceAverage": 0, "DifferenceVariance": 0,
		}
		for name, w := range want {
			if got[name] != w {
				t.Errorf("%s: %s = %.17g, want %.17g", c.name, name, got[name], w)
			}
		}
	}
}

func TestGLCMEmptyAngles(t *testing.T) {
	// (1,2,2) crop with ROI on the diagonal: levels 1 at (0,0), 2 at (1,1).
	// Only offset (0,1,1) has a pair; the three empty offsets are deleted,
	// so the features are those of one matrix p(1,2) = p(2,1) = 1/2 (not a
	// mean with NaN; JointAverage is a plain mean and would be NaN).
	r := cmLevelRegion(1, 2, 2, []int32{1, 0, 0, 2}, [3]float64{1, 1, 1})
	got := foFeatureMap(t, "glcm", r, nil)
	for name, w := range map[string]float64{"JointAverage": 1.5, "Contrast": 1, "JointEnergy": 0.5, "Correlation": -1} {
		foClose(t, name, got[name], w, 1e-14, 1e-15)
	}
	// A single offset without pairs: the matrix is NaN and so is every feature.
	r = cmLevelRegion(1, 1, 3, []int32{1, 0, 2}, [3]float64{1, 1, 1})
	got = foFeatureMap(t, "glcm", r, nil)
	for name, v := range got {
		if !math.IsNaN(v) {
			t.Errorf("empty single offset: %s = %g, want NaN", name, v)
		}
	}
}

func TestGLCMWeighting(t *testing.T) {
	// cmHandRegion with spacing (x, y, z) = (0.5, 2, 3): offsets in mm (z, y, x)
	// (0,2,0.5), (0,2,0), (0,2,0.5), (0,0,0.5). Merged matrix
	// M = sum_a w_a P_a with w = exp(-d^2) of the norm d of each offset.
	e := math.Exp
	cases := []struct {
		norm string
		w    [4]float64
	}{
		{"infinity", [4]float64{e(-4), e(-4), e(-4), e(-0.25)}},
		{"euclidean", [4]float64{e(-4.25), e(-4), e(-4.25), e(-0.25)}},
		{"manhattan", [4]float64{e(-6.25), e(-4), e(-6.25), e(-0.25)}},
		{"no_weighting", [4]float64{1, 1, 1, 1}},
	}
	lv := []float64{1, 2, 3}
	for _, c := range cases {
		t.Run(c.norm, func(t *testing.T) {
			s := DefaultSettings()
			s.WeightingNorm = c.norm
			r := cmHandRegion([3]float64{0.5, 2, 3})
			set, err := buildGLCMs(r, &s)
			if err != nil {
				t.Fatal(err)
			}
			if len(set.mats) != 1 {
				t.Fatalf("%d matrices, want 1", len(set.mats))
			}
			m := make([]float64, 9)
			sum := 0.0
			for k := range m {
				for a := 0; a < 4; a++ {
					m[k] += c.w[a] * cmHandP[a][k]
				}
				sum += m[k]
			}
			ux, contrast := 0.0, 0.0
			for i := 0; i < 3; i++ {
				for j := 0; j < 3; j++ {
					p := m[i*3+j] / sum
					foClose(t, "p", set.mats[0][i*3+j], p, 1e-14, 1e-17)
					ux += p * lv[i]
					contrast += p * (lv[i] - lv[j]) * (lv[i] - lv[j])
				}
			}
			got := foFeatureMap(t, "glcm", r, &s)
			foClose(t, "JointAverage", got["JointAverage"], ux, 1e-14, 0)
			foClose(t, "Contrast", got["Contrast"], contrast, 1e-14, 0)
		})
	}
	// no_weighting by hand: M = [[2,4,2],[4,6,1],[2,1,0]], sum 22, ux = 39/22.
	s := DefaultSettings()
	s.WeightingNorm = "no_weighting"
	got := foFeatureMap(t, "glcm", cmHandRegion([3]float64{1, 1, 1}), &s)
	foClose(t, "JointAverage no_weighting", got["JointAverage"], 39.0/22, 1e-14, 0)
}

func TestGLCMDistances12(t *testing.T) {
	// cmHandRegion with distances [1, 2]: 7 offsets (0,1,2) (0,1,1) (0,1,0)
	// (0,1,-1) (0,1,-2) (0,0,2) (0,0,1). The distance-2 ones:
	// (0,1,2): 1->2, ux 1.5; (0,1,-2): 2->3, ux 2.5; (0,0,2): 1->2, 3->2, ux 2.
	// JointAverage = (1.5 + 1.5 + 11/6 + 2 + 2.5 + 2 + 1.75)/7.
	s := DefaultSettings()
	s.Distances = []int{1, 2}
	r := cmHandRegion([3]float64{1, 1, 1})
	set, err := buildGLCMs(r, &s)
	if err != nil {
		t.Fatal(err)
	}
	if len(set.mats) != 7 {
		t.Fatalf("%d matrices, want 7", len(set.mats))
	}
	got := foFeatureMap(t, "glcm", r, &s)
	foClose(t, "JointAverage", got["JointAverage"], (1.5+1.5+11.0/6+2+2.5+2+1.75)/7, 1e-14, 0)
}

// cmCounts runs glcmCounts on the compact level indices cidx (array order,
// -1 outside the ROI) of a crop of the given shape, padded by 1.
func cmCounts(shape [3]int, cidx []int32, n int, angles [][3]int) []int32 {
	ps := [3]int{shape[0] + 2, shape[1] + 2, shape[2] + 2}
	pi := make([]int32, ps[0]*ps[1]*ps[2])
	for i := range pi {
		pi[i] = -1
	}
	src := 0
	for z := 0; z < shape[0]; z++ {
		for y := 0; y < shape[1]; y++ {
			p := texRowStart(z, y, 1, ps)
			copy(pi[p:p+shape[2]], cidx[src:src+shape[2]])
			src += shape[2]
		}
	}
	return glcmCounts(pi, ps, shape, 1, n, angles).dense()
}

// dense returns the counts of w in (a, ci, cj) order.
func (w glcmWork) dense() []int32 {
	n := w.n
	out := make([]int32, w.na*n*n)
	for a := 0; a < w.na; a++ {
		for i := 0; i < n; i++ {
			for j := 0; j < n; j++ {
				out[(a*n+i)*n+j] = w.at(a, i, j)
			}
		}
	}
	return out
}

func TestGLCMForce2D(t *testing.T) {
	// Random 3-slice block: with force2D (dimension 0) there are 4 in-plane
	// offsets and each matrix is the sum of the three single-slice matrices
	// (section 8.1: force2D is not per slice). Without force2D: 13 offsets.
	rng := rand.New(rand.NewSource(7))
	const nz, ny, nx = 3, 5, 6
	lv := make([]int32, nz*ny*nx)
	for i := range lv {
		if rng.Intn(5) > 0 {
			lv[i] = int32(1 + rng.Intn(4))
		}
	}
	lv[0], lv[1], lv[2], lv[3] = 1, 2, 3, 4 // every level present in the block
	r := cmLevelRegion(nz, ny, nx, lv, [3]float64{1, 1, 1})
	s := DefaultSettings()
	s.Force2D = true
	s.SymmetricalGLCM = false
	shape := r.ArrayShape()
	angles := Angles(shape, []int{1}, false, true, 0)
	if len(angles) != 4 {
		t.Fatalf("%d in-plane offsets, want 4", len(angles))
	}
	cidx := make([]int32, len(lv))
	for i, l := range lv {
		cidx[i] = l - 1
	}
	all := cmCounts(shape, cidx, 4, angles)
	sum := make([]int32, len(all))
	for z := 0; z < nz; z++ {
		sl := cidx[z*ny*nx : (z+1)*ny*nx]
		c := cmCounts([3]int{1, ny, nx}, sl, 4, angles)
		for k := range c {
			sum[k] += c[k]
		}
	}
	for k := range all {
		if all[k] != sum[k] {
			t.Fatalf("force2D counts differ from the sum of slices at %d: %d vs %d", k, all[k], sum[k])
		}
	}
	set, err := buildGLCMs(r, &s)
	if err != nil {
		t.Fatal(err)
	}
	if len(set.mats) != 4 {
		t.Errorf("force2D: %d matrices, want 4", len(set.mats))
	}
	s.Force2D = false
	if set, _ = buildGLCMs(r, &s); len(set.mats) != 13 {
		t.Errorf("3D: %d matrices, want 13", len(set.mats))
	}
	// Direct count of one 3D offset, (1,0,0): pairs (z,y,x) -> (z+1,y,x).
	var want [16]int32
	for z := 0; z+1 < nz; z++ {
		for i := 0; i < ny*nx; i++ {
			a, b := lv[z*ny*nx+i], lv[(z+1)*ny*nx+i]
			if a > 0 && b > 0 {
				want[(a-1)*4+b-1]++
			}
		}
	}
	a3 := Angles(shape, []int{1}, false, false, 0)
	c3 := cmCounts(shape, cidx, 4, a3)
	for ai, o := range a3 {
		if o == [3]int{1, 0, 0} {
			for k := 0; k < 16; k++ {
				if c3[ai*16+k] != want[k] {
					t.Errorf("offset (1,0,0) cell %d: %d, want %d", k, c3[ai*16+k], want[k])
				}
			}
		}
	}
}

func TestGLCMAbsentLevels(t *testing.T) {
	// Levels 2 and 5 only (Ng = 5, n = 2), 1x1x3 crop [2, 5, 2]: offset (0,0,1)
	// pairs 2->5, 5->2; symmetric p(2,5) = p(5,2) = 1/2 with level values kept:
	// ux = 3.5, Contrast 9, Idn = 1/(1 + 3/5), Idmn = 1/(1 + 9/25), DifferenceAverage 3.
	r := cmLevelRegion(1, 1, 3, []int32{2, 5, 2}, [3]float64{1, 1, 1})
	got := foFeatureMap(t, "glcm", r, nil)
	for name, w := range map[string]float64{"JointAverage": 3.5, "Contrast": 9, "Idn": 1 / 1.6,
		"Idmn": 1 / (1 + 9.0/25), "DifferenceAverage": 3, "Autocorrelation": 10, "SumAverage": 7} {
		foClose(t, name, got[name], w, 1e-14, 1e-15)
	}
}

func TestGLCMErrors(t *testing.T) {
	r := cmHandRegion([3]float64{1, 1, 1})
	cases := []struct {
		name string
		mod  func(s *Settings)
	}{
		{"distance 0", func(s *Settings) { s.Distances = []int{0} }},
		{"weighting", func(s *Settings) { s.WeightingNorm = "chebyshev" }},
		{"force2D dim", func(s *Settings) { s.Force2D = true; s.Force2DDimension = 3 }},
	}
	c, _ := Lookup("glcm")
	for _, tc := range cases {
		s := DefaultSettings()
		tc.mod(&s)
		if _, err := c.Compute(r, &s); err == nil {
			t.Errorf("%s: no error", tc.name)
		}
	}
	r.Levels = r.Levels[:2]
	if _, err := c.Compute(r, nil); err == nil {
		t.Error("short levels: no error")
	}
}

func TestGLCMRegistry(t *testing.T) {
	c, ok := Lookup("glcm")
	if !ok {
		t.Fatal("glcm not registered")
	}
	idx, _ := c.Enabled(nil)
	want := []string{"Autocorrelation", "ClusterProminence", "ClusterShade", "ClusterTendency", "Contrast",
		"Correlation", "DifferenceAverage", "DifferenceEntropy", "DifferenceVariance", "Id", "Idm", "Idmn",
		"Idn", "Imc1", "Imc2", "InverseVariance", "JointAverage", "JointEnergy", "JointEntropy", "MCC",
		"MaximumProbability", "SumAverage", "SumEntropy", "SumSquares"}
	if len(idx) != len(want) {
		t.Fatalf("%d default glcm features, want %d", len(idx), len(want))
	}
	for k, i := range idx {
		if c.Features[i].Name != want[k] {
			t.Errorf("glcm feature %d = %s, want %s", k, c.Features[i].Name, want[k])
		}
	}
	if idx, _ := c.Enabled([]string{"SumVariance", "Contrast"}); len(idx) != 1 {
		t.Errorf("named deprecated glcm feature produced output")
	}
	f, _ := Lookup("firstorder")
	idx, _ = f.Enabled(nil)
	wantF := []string{"10Percentile", "90Percentile", "Energy", "Entropy", "InterquartileRange", "Kurtosis",
		"Maximum", "MeanAbsoluteDeviation", "Mean", "Median", "Minimum", "Range",
		"RobustMeanAbsoluteDeviation", "RootMeanSquared", "Skewness", "TotalEnergy", "Uniformity", "Variance"}
	if len(idx) != len(wantF) {
		t.Fatalf("%d default firstorder features, want %d", len(idx), len(wantF))
	}
	for k, i := range idx {
		if f.Features[i].Name != wantF[k] {
			t.Errorf("firstorder feature %d = %s, want %s", k, f.Features[i].Name, wantF[k])
		}
	}
	if idx, _ := f.Enabled([]string{"StandardDeviation"}); len(idx) != 1 {
		t.Errorf("named StandardDeviation not output")
	}
}

func TestGLCMMCCSymmetricCrossCheck(t *testing.T) {
	// For a symmetric GLCM, Q = Dx^-1 P Dy^-1 P^T (eps aside) has the
	// eigenvalues of the symmetric S = Dx^-1/2 P Dy^-1 P^T Dx^-1/2. Compute
	// MCC that way with a symmetric solver and compare with the general
	// (dgeev) path on a random 3D region with 20 levels.
	rng := rand.New(rand.NewSource(11))
	const nz, ny, nx = 6, 9, 8
	lv := make([]int32, nz*ny*nx)
	for i := range lv {
		lv[i] = int32(1 + rng.Intn(20))
	}
	r := cmLevelRegion(nz, ny, nx, lv, [3]float64{1, 1, 1})
	s := DefaultSettings()
	set, err := buildGLCMs(r, &s)
	if err != nil {
		t.Fatal(err)
	}
	n := set.n
	sum := 0.0
	for _, p := range set.mats {
		px := make([]float64, n)
		for i := 0; i < n; i++ {
			for j := 0; j < n; j++ {
				px[i] += p[i*n+j]
			}
		}
		sm := mat.NewSymDense(n, nil)
		for i := 0; i < n; i++ {
			for j := i; j < n; j++ {
				v := 0.0
				for k := 0; k < n; k++ {
					if px[k] > 0 {
						v += p[i*n+k] * p[j*n+k] / px[k]
					}
				}
				if px[i] > 0 && px[j] > 0 {
					v /= math.Sqrt(px[i] * px[j])
				}
				sm.SetSym(i, j, v)
			}
		}
		var es mat.EigenSym
		if !es.Factorize(sm, false) {
			t.Fatal("EigenSym failed")
		}
		ev := es.Values(nil)
		sort.Float64s(ev)
		sum += math.Sqrt(ev[n-2])
	}
	want := sum / float64(len(set.mats))
	got := foFeatureMap(t, "glcm", r, &s)["MCC"]
	foClose(t, "MCC", got, want, 1e-9, 0)
}

// cmBenchRegion is a 60x60x40 crop with random levels 1..40 in a ball-shaped ROI.
func cmBenchRegion() *Region {
	rng := rand.New(rand.NewSource(1))
	const nx, ny, nz = 60, 60, 40
	lv := make([]int32, nx*ny*nz)
	i := 0
	for z := 0; z < nz; z++ {
		for y := 0; y < ny; y++ {
			for x := 0; x < nx; x++ {
				dx, dy, dz := float64(x-30)/30, float64(y-30)/30, float64(z-20)/20
				if dx*dx+dy*dy+dz*dz <= 1.2 {
					lv[i] = int32(1 + rng.Intn(40))
				}
				i++
			}
		}
	}
	r := cmLevelRegion(nz, ny, nx, lv, [3]float64{0.8, 0.8, 2.5})
	for k := range r.Values {
		r.Values[k] = r.Values[k]*25 + rng.Float64()*25
	}
	return r
}

func BenchmarkGLCM(b *testing.B) {
	r := cmBenchRegion()
	s := DefaultSettings()
	c, _ := Lookup("glcm")
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := c.Compute(r, &s); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkFirstOrder(b *testing.B) {
	r := cmBenchRegion()
	s := DefaultSettings()
	c, _ := Lookup("firstorder")
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := c.Compute(r, &s); err != nil {
			b.Fatal(err)
		}
	}
}
