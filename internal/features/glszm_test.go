package features

import (
	"math"
	"testing"
)

// The A.6 toy case: array shape (1,1,5), levels [1,2,0,0,3]: three zones of
// size 1 (levels 1, 2, 3): P = [[1],[1],[1]], Nz = 3, Np = 3.
func TestGLSZMToy(t *testing.T) {
	r := texRegion([3]int{1, 1, 5}, []int32{1, 2, 0, 0, 3})
	v := texCompute(t, "glszm", r, DefaultSettings())
	texExpect(t, "glszm", v, map[string]float64{
		"SmallAreaEmphasis":                1,
		"LargeAreaEmphasis":                1,
		"GrayLevelNonUniformity":           1,
		"GrayLevelNonUniformityNormalized": 1.0 / 3,
		"SizeZoneNonUniformity":            3,
		"SizeZoneNonUniformityNormalized":  1,
		"ZonePercentage":                   1,
		"GrayLevelVariance":                2.0 / 3,
		"ZoneVariance":                     0,
		"ZoneEntropy":                      -math.Log2(1.0/3 + Eps),
		"LowGrayLevelZoneEmphasis":         (1 + 1.0/4 + 1.0/9) / 3,
		"HighGrayLevelZoneEmphasis":        14.0 / 3,
	})
}

// One slice (y, x):
//
//	1 1 2
//	2 1 2
//	0 2 2
//
// 8-connectivity: level 1 zone {(0,0),(0,1),(1,1)} of size 3; level 2 zone
// {(0,2),(1,2),(2,2),(2,1)} joined diagonally by (1,0) via (2,1): size 5.
// P = [[size3: 1], [size5: 1]], Nz = 2, Np = 8.
func TestGLSZMHand2D(t *testing.T) {
	r := texRegion([3]int{1, 3, 3}, []int32{1, 1, 2, 2, 1, 2, 0, 2, 2})
	v := texCompute(t, "glszm", r, DefaultSettings())
	want := map[string]float64{
		"SmallAreaEmphasis":                (1.0/9 + 1.0/25) / 2,
		"LargeAreaEmphasis":                17,
		"GrayLevelNonUniformity":           1,
		"GrayLevelNonUniformityNormalized": 0.5,
		"SizeZoneNonUniformity":            1,
		"SizeZoneNonUniformityNormalized":  0.5,
		"ZonePercentage":                   0.25,
		"GrayLevelVariance":                0.25,
		"ZoneVariance":                     1,
		"ZoneEntropy":                      -math.Log2(0.5 + Eps),
		"LowGrayLevelZoneEmphasis":         0.625,
		"HighGrayLevelZoneEmphasis":        2.5,
		"SmallAreaLowGrayLevelEmphasis":    (1.0/9 + 1.0/100) / 2,
		"SmallAreaHighGrayLevelEmphasis":   (1.0/9 + 4.0/25) / 2,
		"LargeAreaLowGrayLevelEmphasis":    (9 + 25.0/4) / 2,
		"LargeAreaHighGrayLevelEmphasis":   (9 + 100.0) / 2,
	}
	texExpect(t, "glszm", v, want)
	// Stacking the slice twice in z: 26-connectivity merges the copies
	// (zones of size 6 and 10); with force2D they stay apart (4 zones, the
	// same sizes as one slice).
	two := texRegion([3]int{2, 3, 3}, []int32{1, 1, 2, 2, 1, 2, 0, 2, 2, 1, 1, 2, 2, 1, 2, 0, 2, 2})
	v = texCompute(t, "glszm", two, DefaultSettings())
	texExpect(t, "glszm", v, map[string]float64{"LargeAreaEmphasis": (36 + 100) / 2.0, "ZonePercentage": 2.0 / 16})
	s := DefaultSettings()
	s.Force2D = true
	v = texCompute(t, "glszm", two, s)
	texExpect(t, "glszm", v, map[string]float64{"LargeAreaEmphasis": 17, "ZonePercentage": 4.0 / 16,
		"SizeZoneNonUniformity": 2, "GrayLevelNonUniformity": 2})
}

// Two voxels touching only through a z-diagonal, shape (2,1,2): one zone in
// 3D, two with force2D.
func TestGLSZMDiagonal(t *testing.T) {
	r := texRegion([3]int{2, 1, 2}, []int32{4, 0, 0, 4})
	v := texCompute(t, "glszm", r, DefaultSettings())
	texExpect(t, "glszm", v, map[string]float64{"LargeAreaEmphasis": 4, "ZonePercentage": 0.5})
	s := DefaultSettings()
	s.Force2D = true
	v = texCompute(t, "glszm", r, s)
	texExpect(t, "glszm", v, map[string]float64{"LargeAreaEmphasis": 1, "ZonePercentage": 1})
}

// A flat, fully segmented 4x5x6 block is one zone of 120 voxels.
func TestGLSZMFlat(t *testing.T) {
	lv := make([]int32, 120)
	for i := range lv {
		lv[i] = 7
	}
	v := texCompute(t, "glszm", texRegion([3]int{4, 5, 6}, lv), DefaultSettings())
	texExpect(t, "glszm", v, map[string]float64{
		"LargeAreaEmphasis": 14400, "SmallAreaEmphasis": 1.0 / 14400, "ZonePercentage": 1.0 / 120,
		"GrayLevelVariance": 0, "ZoneVariance": 0, "ZoneEntropy": -math.Log2(1 + Eps),
		"HighGrayLevelZoneEmphasis": 49, "LargeAreaHighGrayLevelEmphasis": 14400 * 49,
	})
}

// GLSZM ignores distances and weightingNorm.
func TestGLSZMIgnoresDistances(t *testing.T) {
	r := texRandomRegion([3]int{5, 6, 7}, 3, 21)
	base := texCompute(t, "glszm", r, DefaultSettings())
	s := DefaultSettings()
	s.Distances = []int{1, 2}
	s.WeightingNorm = "euclidean"
	v := texCompute(t, "glszm", r, s)
	for i := range v {
		if v[i] != base[i] {
			t.Errorf("%s changed: %v -> %v", glszmFeatures[i].Name, base[i], v[i])
		}
	}
}

func BenchmarkGLSZM(b *testing.B) { texBench(b, "glszm") }
