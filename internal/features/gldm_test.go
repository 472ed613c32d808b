package features

import (
	"math"
	"testing"
)

// The A.6 toy case: array shape (1,1,5), levels [1,2,0,0,3]: no voxel has a
// dependent neighbour, so P = [[j=1: 1], [1], [1]] and Nz = 3.
func TestGLDMToy(t *testing.T) {
	r := texRegion([3]int{1, 1, 5}, []int32{1, 2, 0, 0, 3})
	v := texCompute(t, "gldm", r, DefaultSettings())
	texExpect(t, "gldm", v, map[string]float64{
		"SmallDependenceEmphasis":           1,
		"LargeDependenceEmphasis":           1,
		"GrayLevelNonUniformity":            1,
		"DependenceNonUniformity":           3,
		"DependenceNonUniformityNormalized": 1,
		"GrayLevelVariance":                 2.0 / 3,
		"DependenceVariance":                0,
		"DependenceEntropy":                 -math.Log2(1.0/3 + Eps),
		"HighGrayLevelEmphasis":             14.0 / 3,
	})
	for _, n := range []string{"DependencePercentage", "GrayLevelNonUniformityNormalized"} {
		if x := texFeature(t, "gldm", v, n); !math.IsNaN(x) {
			t.Errorf("deprecated %s = %v, want NaN", n, x)
		}
	}
}

// One slice (y, x), 8 in-plane neighbours:
//
//	1 1 2
//	2 1 2
//	0 2 2
//
// Dependent neighbours (alpha 0) per voxel, row by row: 2, 2, 1 / 1, 2, 3 /
// -, 3, 2, so j = dep + 1 gives P(level 1) = {j3: 3}, P(level 2) = {j2: 2,
// j3: 1, j4: 2}; Nz = 8, pd = {j2: 2, j3: 4, j4: 2}, pg = {3, 5}.
func TestGLDMHand2D(t *testing.T) {
	r := texRegion([3]int{1, 3, 3}, []int32{1, 1, 2, 2, 1, 2, 0, 2, 2})
	v := texCompute(t, "gldm", r, DefaultSettings())
	e := func(p float64) float64 { return p * math.Log2(p+Eps) }
	w2 := 2.0/4 + 1.0/9 + 2.0/16 // level-2 sum of P/j²
	texExpect(t, "gldm", v, map[string]float64{
		"SmallDependenceEmphasis":              (2.0/4 + 4.0/9 + 2.0/16) / 8,
		"LargeDependenceEmphasis":              9.5,
		"GrayLevelNonUniformity":               4.25,
		"DependenceNonUniformity":              3,
		"DependenceNonUniformityNormalized":    0.375,
		"GrayLevelVariance":                    0.234375,
		"DependenceVariance":                   0.5,
		"DependenceEntropy":                    -(e(3.0/8) + 2*e(2.0/8) + e(1.0/8)),
		"LowGrayLevelEmphasis":                 (3 + 5.0/4) / 8,
		"HighGrayLevelEmphasis":                23.0 / 8,
		"SmallDependenceLowGrayLevelEmphasis":  (3.0/9 + w2/4) / 8,
		"SmallDependenceHighGrayLevelEmphasis": (3.0/9 + 4*w2) / 8,
		"LargeDependenceLowGrayLevelEmphasis":  (27 + 49.0/4) / 8,
		"LargeDependenceHighGrayLevelEmphasis": (27 + 4*49.0) / 8,
	})
	// alpha 1: every ROI neighbour is dependent; ROI-neighbour counts
	// 3, 5, 3 / 4, 7, 5 / -, 4, 3 give sum j² = 234.
	s := DefaultSettings()
	s.GLDMAlpha = 1
	v = texCompute(t, "gldm", r, s)
	texExpect(t, "gldm", v, map[string]float64{"LargeDependenceEmphasis": 234.0 / 8})
}

// GLDM uses distances: shape (1,1,3), levels [1,0,3]. With [1] no voxel has a
// ROI neighbour; with [1,2] each sees the other (|1-3| = 2 <= alpha 2).
func TestGLDMDistances(t *testing.T) {
	r := texRegion([3]int{1, 1, 3}, []int32{1, 0, 3})
	s := DefaultSettings()
	s.GLDMAlpha = 2
	v := texCompute(t, "gldm", r, s)
	texExpect(t, "gldm", v, map[string]float64{"LargeDependenceEmphasis": 1})
	s.Distances = []int{1, 2}
	v = texCompute(t, "gldm", r, s)
	texExpect(t, "gldm", v, map[string]float64{"LargeDependenceEmphasis": 4, "SmallDependenceEmphasis": 0.25})
	s.Distances = []int{2}
	v = texCompute(t, "gldm", r, s)
	texExpect(t, "gldm", v, map[string]float64{"LargeDependenceEmphasis": 4})
}

// A flat, fully segmented 3x3x3 block: the dependence of a voxel is its
// number of in-block neighbours: 8 corners 7, 12 edges 11, 6 faces 17, the
// centre 26; with force2D: 4 corners 3, 4 edges 5, centre 8 per slice.
func TestGLDMFlatForce2D(t *testing.T) {
	lv := make([]int32, 27)
	for i := range lv {
		lv[i] = 2
	}
	r := texRegion([3]int{3, 3, 3}, lv)
	v := texCompute(t, "gldm", r, DefaultSettings())
	lde := (8*64 + 12*144 + 6*324 + 729.0) / 27
	texExpect(t, "gldm", v, map[string]float64{"LargeDependenceEmphasis": lde, "GrayLevelVariance": 0,
		"LargeDependenceHighGrayLevelEmphasis": 4 * lde})
	s := DefaultSettings()
	s.Force2D = true
	v = texCompute(t, "gldm", r, s)
	texExpect(t, "gldm", v, map[string]float64{"LargeDependenceEmphasis": (4*16 + 4*36 + 81.0) / 9})
}

func BenchmarkGLDM(b *testing.B) { texBench(b, "gldm") }

// texNaiveNeighbours returns, for every ROI voxel (array order), the levels of
// its in-bounds ROI neighbours over the class offsets, by explicit
// coordinate checks (the reference for the padded flat-delta code).
func texNaiveNeighbours(r *Region, angles [][3]int) (centre []int32, nbrs [][]int32) {
	sh := r.ArrayShape()
	for z := 0; z < sh[0]; z++ {
		for y := 0; y < sh[1]; y++ {
			for x := 0; x < sh[2]; x++ {
				i := (z*sh[1]+y)*sh[2] + x
				if !r.ROI[i] {
					continue
				}
				var nb []int32
				for _, a := range angles {
					c := [3]int{z + a[0], y + a[1], x + a[2]}
					if c[0] < 0 || c[1] < 0 || c[2] < 0 || c[0] >= sh[0] || c[1] >= sh[1] || c[2] >= sh[2] {
						continue
					}
					j := (c[0]*sh[1]+c[1])*sh[2] + c[2]
					if r.ROI[j] {
						nb = append(nb, r.Levels[j])
					}
				}
				centre = append(centre, r.Levels[i])
				nbrs = append(nbrs, nb)
			}
		}
	}
	return
}

// GLDM and NGTDM against a naive coordinate-checked neighbourhood on seeded
// random regions, for several distance sets, alphas and force2D.
func TestGLDMNGTDMNaive(t *testing.T) {
	for _, tc := range []struct {
		shape   [3]int
		dist    []int
		alpha   int
		force2D bool
		dim     int
	}{
		{[3]int{3, 5, 4}, []int{1}, 0, false, 0},
		{[3]int{3, 5, 4}, []int{1, 2, 3}, 1, false, 0},
		{[3]int{2, 6, 5}, []int{2}, 0, false, 0},
		{[3]int{4, 4, 6}, []int{1, 2}, 2, true, 0},
		{[3]int{4, 4, 6}, []int{1, 3}, 0, true, 2},
	} {
		r := texRandomRegion(tc.shape, 5, uint64(len(tc.dist)*31+tc.alpha+tc.shape[2]))
		s := DefaultSettings()
		s.Distances, s.GLDMAlpha, s.Force2D, s.Force2DDimension = tc.dist, tc.alpha, tc.force2D, tc.dim
		angles := Angles(tc.shape, tc.dist, true, tc.force2D, tc.dim)
		centre, nbrs := texNaiveNeighbours(r, angles)

		// GLDM: P[level][dep], then the features from the formulas.
		P := map[[2]int]float64{}
		ns := map[int]float64{}
		ss := map[int]float64{}
		for k, g := range centre {
			dep, sum := 0, 0.0
			for _, w := range nbrs[k] {
				d := int(g - w)
				if d < 0 {
					d = -d
				}
				if d <= tc.alpha {
					dep++
				}
				sum += float64(w)
			}
			P[[2]int{int(g), dep + 1}]++
			ns[int(g)]++
			if len(nbrs[k]) > 0 {
				ss[int(g)] += math.Abs(float64(g) - sum/float64(len(nbrs[k])))
			}
		}
		nz := float64(len(centre))
		var lde, sdhg, ent float64
		for k, v := range P {
			i, j := float64(k[0]), float64(k[1])
			lde += v * j * j / nz
			sdhg += v * i * i / (j * j) / nz
			p := v / nz
			ent -= p * math.Log2(p+Eps)
		}
		v := texCompute(t, "gldm", r, s)
		for name, want := range map[string]float64{"LargeDependenceEmphasis": lde,
			"SmallDependenceHighGrayLevelEmphasis": sdhg, "DependenceEntropy": ent} {
			if got := texFeature(t, "gldm", v, name); !texClose(got, want, 1e-12, 1e-14) {
				t.Errorf("%+v: gldm %s = %v, want %v", tc, name, got, want)
			}
		}
		// NGTDM: Coarseness and Strength from n, s.
		var sumPS, sumS, str float64
		for g, n := range ns {
			sumPS += n / nz * ss[g]
			sumS += ss[g]
			for h, m := range ns {
				d := float64(g - h)
				str += (n/nz + m/nz) * d * d
			}
		}
		v = texCompute(t, "ngtdm", r, s)
		for name, want := range map[string]float64{"Coarseness": 1 / sumPS, "Strength": str / sumS} {
			if got := texFeature(t, "ngtdm", v, name); !texClose(got, want, 1e-12, 1e-14) {
				t.Errorf("%+v: ngtdm %s = %v, want %v", tc, name, got, want)
			}
		}
	}
}

// Levels keep their values when some are absent: levels {2, 5} only, shape
// (1,1,2): each class sees two entries of levels 2 and 5 (mean 3.5).
func TestTextureLevelGaps(t *testing.T) {
	r := texRegion([3]int{1, 1, 2}, []int32{2, 5})
	for c, name := range map[string]string{"glrlm": "HighGrayLevelRunEmphasis", "glszm": "HighGrayLevelZoneEmphasis"} {
		v := texCompute(t, c, r, DefaultSettings())
		texExpect(t, c, v, map[string]float64{"GrayLevelVariance": 2.25, name: 14.5})
	}
	v := texCompute(t, "gldm", r, DefaultSettings())
	texExpect(t, "gldm", v, map[string]float64{"GrayLevelVariance": 2.25, "HighGrayLevelEmphasis": 14.5,
		"LowGrayLevelEmphasis": (0.25 + 0.04) / 2})
	v = texCompute(t, "ngtdm", r, DefaultSettings())
	// n = (1, 1), s = (3, 3), p = 1/2: Coarseness 1/3, Contrast 0.5*9*6/2/2.
	texExpect(t, "ngtdm", v, map[string]float64{"Coarseness": 1.0 / 3, "Contrast": 0.5 * 9 * 6 / 2 / 2})
}
