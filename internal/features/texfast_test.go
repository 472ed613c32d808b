package features

import (
	"fmt"
	"math"
	"slices"
	"testing"
)

// texFastCases are seeded random regions for the box-neighbourhood fast
// paths: 3D crops, one-slice and one-row crops, force2D along each axis, few
// and many levels (long runs / big zones and short ones), and large levels
// (packed box sums).
func texFastCases() []struct {
	name  string
	r     *Region
	s     Settings
	alpha int
} {
	type tc = struct {
		name  string
		r     *Region
		s     Settings
		alpha int
	}
	var out []tc
	shapes := [][3]int{{5, 9, 11}, {1, 8, 13}, {6, 1, 7}, {4, 7, 1}, {3, 4, 40}, {2, 2, 2}}
	for si, sh := range shapes {
		for _, ng := range []int{1, 2, 5, 60} {
			for _, f2 := range []int{-1, 0, 1, 2} {
				for _, alpha := range []int{0, 1} {
					s := DefaultSettings()
					s.GLDMAlpha = alpha
					if f2 >= 0 {
						s.Force2D, s.Force2DDimension = true, f2
					}
					r := texRandomRegion(sh, ng, uint64(1000*si+10*ng+f2+2))
					out = append(out, tc{fmt.Sprintf("%v ng%d f2d%d a%d", sh, ng, f2, alpha), r, s, alpha})
				}
			}
		}
	}
	// Large levels: the packed level sums keep the high bits.
	big := texRandomRegion([3]int{3, 5, 6}, 3, 77)
	for i := range big.Levels {
		if big.ROI[i] {
			big.Levels[i] += 1 << 20
		}
	}
	out = append(out, tc{"large levels", big, DefaultSettings(), 0})
	return out
}

// The box paths of GLDM and NGTDM give bit-identical matrices and sums to
// the general offset loops.
func TestGLDMNGTDMBoxPathBitIdentical(t *testing.T) {
	nbox := 0
	for _, c := range texFastCases() {
		pad := texPad(&c.s)
		tl, err := texPrepare(c.r, "gldm", pad)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		angles, err := texAngles(tl.shape, []int{1}, true, &c.s, "gldm")
		if err != nil {
			continue // no offsets fit (force2D on a flat crop)
		}
		axes, ok := texBoxAxes(angles)
		if !ok {
			t.Fatalf("%s: distance-1 offsets %v not recognised as a box", c.name, angles)
		}
		nbox++
		pl, ps := texPadded(c.r, pad)
		deltas := make([]int, len(angles))
		for i, a := range angles {
			deltas[i] = texDelta(a, ps)
		}
		ng := len(tl.ivals)
		n1, s1 := make([]float64, tl.ng+1), make([]float64, tl.ng+1)
		n2, s2 := make([]float64, tl.ng+1), make([]float64, tl.ng+1)
		alpha := int32(min(c.alpha, tl.ng))
		P1 := gldmMatrix(pl, ps, tl.shape, pad, deltas, tl.rowOf, ng, alpha, n1, s1)
		P2 := gldmMatrixBox(pl, ps, tl.shape, pad, deltas, axes, tl.rowOf, ng, alpha, n2, s2)
		if !slices.Equal(P1, P2) || !slices.Equal(n1, n2) || !bitsEqual(s1, s2) {
			t.Errorf("%s: gldm box path differs:\nP %v\nP %v\ns %v\ns %v", c.name, P1, P2, s1, s2)
		}
		n3, s3 := make([]float64, tl.ng+1), make([]float64, tl.ng+1)
		ngtdmSumsBox(pl, ps, tl.shape, pad, axes, n3, s3)
		if !slices.Equal(n1, n3) || !bitsEqual(s1, s3) {
			t.Errorf("%s: ngtdm box path differs: %v %v", c.name, s1, s3)
		}
	}
	if nbox < 100 {
		t.Fatalf("only %d box cases", nbox)
	}
}

// bitsEqual reports whether a and b hold the same float64 bit patterns.
func bitsEqual(a, b []float64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if math.Float64bits(a[i]) != math.Float64bits(b[i]) {
			return false
		}
	}
	return true
}

func TestTexBoxAxes(t *testing.T) {
	for _, c := range []struct {
		shape   [3]int
		dist    []int
		f2d     int
		want    [3]bool
		wantBox bool
	}{
		{[3]int{3, 3, 3}, []int{1}, -1, [3]bool{true, true, true}, true},
		{[3]int{1, 3, 3}, []int{1}, -1, [3]bool{false, true, true}, true},
		{[3]int{3, 3, 3}, []int{1}, 0, [3]bool{false, true, true}, true},
		{[3]int{3, 3, 3}, []int{1}, 2, [3]bool{true, true, false}, true},
		{[3]int{3, 3, 3}, []int{1, 2}, -1, [3]bool{}, false},
		{[3]int{3, 3, 3}, []int{2}, -1, [3]bool{}, false},
	} {
		angles := Angles(c.shape, c.dist, true, c.f2d >= 0, max(c.f2d, 0))
		axes, ok := texBoxAxes(angles)
		if ok != c.wantBox || (ok && axes != c.want) {
			t.Errorf("%+v: got %v %v", c, axes, ok)
		}
	}
}
