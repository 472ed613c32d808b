package features

import (
	"testing"
)

// The A.6 toy case: array shape (1,1,5), levels [1,2,0,0,3]; rows (n, s,
// level) = (1,1,1), (1,1,2), (1,0,3): the isolated voxel counts with s = 0.
// p = 1/3 each, sum p s = 2/3, sum s = 2, Nvp = 3, Ngp = 3.
func TestNGTDMToy(t *testing.T) {
	r := texRegion([3]int{1, 1, 5}, []int32{1, 2, 0, 0, 3})
	v := texCompute(t, "ngtdm", r, DefaultSettings())
	texExpect(t, "ngtdm", v, map[string]float64{
		"Coarseness": 1.5,
		"Contrast":   4.0 / 27, // (sum p p (i-j)² = 4/3) * 2 / 3 / 6
		"Busyness":   0.25,     // (2/3) / (8/3)
		"Complexity": 5.0 / 3,  // (2 + 2 + 1) / 3
		"Strength":   4,        // (2/3 * 12) / 2
	})
}

// One slice (y, x), 8 in-plane neighbours:
//
//	1 1 2
//	2 1 2
//	0 2 2
//
// |g - mean neighbour|, row by row: 1/3, 3/5, 2/3 / 3/4, 5/7, 2/5 / -, 1/4, 1/3.
// s1 = 1/3 + 3/5 + 5/7, s2 = 2/3 + 3/4 + 2/5 + 1/4 + 1/3 = 2.4, p = (3/8, 5/8).
func TestNGTDMHand2D(t *testing.T) {
	r := texRegion([3]int{1, 3, 3}, []int32{1, 1, 2, 2, 1, 2, 0, 2, 2})
	v := texCompute(t, "ngtdm", r, DefaultSettings())
	s1, s2 := 1.0/3+3.0/5+5.0/7, 2.4
	p1, p2 := 3.0/8, 5.0/8
	ps := p1*s1 + p2*s2
	texExpect(t, "ngtdm", v, map[string]float64{
		"Coarseness": 1 / ps,
		"Contrast":   2 * p1 * p2 * (s1 + s2) / 8 / 2,
		"Busyness":   ps / (2 * (10.0/8 - 3.0/8)),
		"Complexity": 2 * ps / (p1 + p2) / 8,
		"Strength":   2 * (p1 + p2) / (s1 + s2),
	})
}

// Flat ROI: every s is 0, so Coarseness is 1e6 and the rest 0.
func TestNGTDMFlat(t *testing.T) {
	lv := make([]int32, 60)
	for i := range lv {
		if i%7 != 0 {
			lv[i] = 5
		}
	}
	v := texCompute(t, "ngtdm", texRegion([3]int{3, 4, 5}, lv), DefaultSettings())
	texExpect(t, "ngtdm", v, map[string]float64{"Coarseness": 1e6, "Contrast": 0, "Busyness": 0, "Complexity": 0, "Strength": 0})
}

// NGTDM uses distances: shape (1,1,3), levels [1,0,3]. With [1] neither voxel
// has a ROI neighbour (Coarseness 1e6); with [1,2] each sees the other:
// s = 2 + 2, p = 1/2, sum p s = 2.
func TestNGTDMDistances(t *testing.T) {
	r := texRegion([3]int{1, 1, 3}, []int32{1, 0, 3})
	v := texCompute(t, "ngtdm", r, DefaultSettings())
	texExpect(t, "ngtdm", v, map[string]float64{"Coarseness": 1e6, "Strength": 0})
	s := DefaultSettings()
	s.Distances = []int{1, 2}
	v = texCompute(t, "ngtdm", r, s)
	texExpect(t, "ngtdm", v, map[string]float64{
		"Coarseness": 0.5,
		"Contrast":   0.5 * 4 * 4 / 2 / 2, // (2 * 1/4 * 4) * 4 / 2 / 2
		"Busyness":   1,                   // 2 / (2 * |1/2 - 3/2|)
		"Complexity": 2 * 2 * 2 / 1.0 / 2, // 2 pairs * |2| * (1 + 1) / 1 / Nvp
		"Strength":   2 * 1 * 4 / 4.0,
	})
}

// force2D: two slices (z) of a 1x2 row, levels [[1, 2], [3, 3]]. 3D: each
// voxel averages its 3 neighbours; force2D: only the in-row neighbour.
func TestNGTDMForce2D(t *testing.T) {
	r := texRegion([3]int{2, 1, 2}, []int32{1, 2, 3, 3})
	s := DefaultSettings()
	s.Force2D = true
	v := texCompute(t, "ngtdm", r, s)
	// force2D: s1 = |1-2| = 1, s2 = 1, s3 = 0 + 0; p = (1/4, 1/4, 1/2).
	texExpect(t, "ngtdm", v, map[string]float64{"Coarseness": 1 / (0.25 + 0.25), "Strength": (0.5*1 + 0.75*4 + 0.75*1) * 2 / 2.0})
	v = texCompute(t, "ngtdm", r, DefaultSettings())
	// 3D: 1 -> mean(2,3,3) = 8/3: 5/3; 2 -> mean(1,3,3) = 7/3: 1/3;
	// 3 (x0) -> mean(1,2,3) = 2: 1; 3 (x1) -> mean(1,2,3): 1; s3 = 2.
	texExpect(t, "ngtdm", v, map[string]float64{"Coarseness": 1 / (0.25*5.0/3 + 0.25/3 + 0.5*2)})
}

func BenchmarkNGTDM(b *testing.B) { texBench(b, "ngtdm") }
