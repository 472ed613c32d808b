package features

import (
	"fmt"
	"math"
	"slices"
	"testing"
)

// texFastCases are seeded random regions for the texture fast paths: 3D
// crops, one-slice and one-row crops (rows shorter and longer than an AVX2
// block), force2D along each axis, few and many levels (long runs / big
// zones and short ones), and large levels (level sums near the int32 lanes).
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
	// Large levels: the level sums keep the high bits.
	big := texRandomRegion([3]int{3, 5, 6}, 3, 77)
	for i := range big.Levels {
		if big.ROI[i] {
			big.Levels[i] += 1 << 20
		}
	}
	out = append(out, tc{"large levels", big, DefaultSettings(), 0})

	return out
}

// gldmNaive is PyRadiomics' C calculate_gldm and calculate_ngtdm written
// plainly on the unpadded crop (levels lv, 0 outside the ROI): for each ROI
// voxel in raster order, its dependent neighbours among offsets (|g - w| <=
// alpha) and the mean level of its ROI neighbours, accumulated as C does
// (double sums). P is indexed by the matrix row rowOf[g] and dependence.
func gldmNaive(lv []int32, sh [3]int, offsets [][3]int, alpha, ng int, rowOf []int32) (P, n, s []float64) {
	nc := len(offsets) + 1
	nrow := 0
	for _, r := range rowOf {
		nrow = max(nrow, int(r)+1)
	}
	P = make([]float64, nrow*nc)
	n, s = make([]float64, ng+1), make([]float64, ng+1)
	for z := 0; z < sh[0]; z++ {
		for y := 0; y < sh[1]; y++ {
			for x := 0; x < sh[2]; x++ {
				g := lv[(z*sh[1]+y)*sh[2]+x]
				if g <= 0 {
					continue
				}
				dep, cnt, sum := 0, 0, 0.0
				for _, o := range offsets {
					zz, yy, xx := z+o[0], y+o[1], x+o[2]
					if zz < 0 || yy < 0 || xx < 0 || zz >= sh[0] || yy >= sh[1] || xx >= sh[2] {
						continue
					}
					w := lv[(zz*sh[1]+yy)*sh[2]+xx]
					if w <= 0 {
						continue
					}
					cnt++
					sum += float64(w)
					if d := int(g) - int(w); d <= alpha && -d <= alpha {
						dep++
					}
				}
				P[int(rowOf[g])*nc+dep]++
				n[g]++
				if cnt > 0 {
					s[g] += math.Abs(float64(g) - sum/float64(cnt))
				}
			}
		}
	}
	return P, n, s
}

// The neighbourhood pass of GLDM and NGTDM (assembly kernel and portable
// rows), and the plain int64 voxel loops, give the dependence matrix and the
// NGTDM sums of gldmNaive bit for bit: distances 1 and [1, 2], alpha 0, 1
// and 2, force2D along each axis, one-slice, one-row and tiny crops.
func TestGLDMNGTDMPassMatchesNaive(t *testing.T) {
	ncase := 0
	for _, c := range texFastCases() {
		for _, dist := range [][]int{{1}, {1, 2}} {
			for _, alpha := range []int{c.alpha, c.alpha + 2} {
				s := c.s
				s.Distances = dist
				pad := texPad(&s)
				tl, err := texPrepare(c.r, "gldm", pad)
				if err != nil {
					t.Fatalf("%s: %v", c.name, err)
				}
				angles, err := texAngles(tl.shape, dist, true, &s, "gldm")
				if err != nil {
					continue // no offsets fit (force2D on a flat crop)
				}
				ncase++
				pl, ps := texPadded(c.r, pad)
				deltas := make([]int, len(angles))
				for i, a := range angles {
					deltas[i] = texDelta(a, ps)
				}
				lv := make([]int32, len(c.r.Levels))
				for i, in := range c.r.ROI {
					if in {
						lv[i] = c.r.Levels[i]
					}
				}
				want, nn, sn := gldmNaive(lv, tl.shape, angles, alpha, tl.ng, tl.rowOf)
				nc := len(angles) + 1
				a32 := int32(min(alpha, tl.ng))
				name := fmt.Sprintf("%s dist %v alpha %d", c.name, dist, alpha)
				ng := len(tl.ivals)
				n1, s1 := make([]float64, tl.ng+1), make([]float64, tl.ng+1)
				P1 := gldmMatrix(pl, ps, tl.shape, pad, deltas, tl.rowOf, ng, a32, n1, s1)
				if !slices.Equal(P1, want) || !slices.Equal(n1, nn) || !bitsEqual(s1, sn) {
					t.Errorf("%s: voxel loop differs from the naive one", name)
				}
				for _, asm := range []bool{false, true} {
					if asm && !gldmAsm {
						continue
					}
					if !gldmFitsInt32(tl.ng, len(deltas)) {
						// Only the int64 loops apply (ngtdmSums falls back);
						// see TestGLDMNGTDMInt64Fallback.
						n3, s3 := make([]float64, tl.ng+1), make([]float64, tl.ng+1)
						ngtdmSums(pl, ps, tl.shape, pad, deltas, n3, s3)
						if !slices.Equal(n3, nn) || !bitsEqual(s3, sn) {
							t.Errorf("%s: int64 NGTDM sums differ", name)
						}
						continue
					}
					saved := gldmAsm
					gldmAsm = asm
					Pc := make([]int32, ng*nc)
					s2 := make([]float64, tl.ng+1)
					gldmNGTDMPass(pl, ps, tl.shape, pad, deltas, a32, tl.rowOf, nc, Pc, nil, s2)
					n3, s3 := make([]float64, tl.ng+1), make([]float64, tl.ng+1)
					ngtdmSums(pl, ps, tl.shape, pad, deltas, n3, s3)
					gldmAsm = saved
					for k := range want {
						if float64(Pc[k]) != want[k] {
							t.Errorf("%s asm %v: P[%d] = %d, want %v", name, asm, k, Pc[k], want[k])
							break
						}
					}
					for g := range nn {
						if n3[g] != nn[g] {
							t.Errorf("%s asm %v: n[%d] = %v, want %v", name, asm, g, n3[g], nn[g])
						}
					}
					if !bitsEqual(s2, sn) || !bitsEqual(s3, sn) {
						t.Errorf("%s asm %v: s %v, %v, want %v", name, asm, s2, s3, sn)
					}
				}
			}
		}
	}
	if ncase < 300 {
		t.Fatalf("only %d cases", ncase)
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

// Neighbour level sums beyond int32 (levels near 2^20, 3374 offsets of
// distances 1 to 7): computeGLDM and ngtdmSums fall back to the int64 voxel
// loops, which agree with the naive sums.
func TestGLDMNGTDMInt64Fallback(t *testing.T) {
	r := texRandomRegion([3]int{15, 15, 15}, 3, 79)
	for i := range r.Levels {
		if r.ROI[i] {
			r.Levels[i] += 1 << 20
		}
	}
	s := DefaultSettings()
	s.Distances = []int{1, 2, 3, 4, 5, 6, 7}
	pad := texPad(&s)
	tl, err := texPrepare(r, "gldm", pad)
	if err != nil {
		t.Fatal(err)
	}
	angles, err := texAngles(tl.shape, s.Distances, true, &s, "gldm")
	if err != nil {
		t.Fatal(err)
	}
	if gldmFitsInt32(tl.ng, len(angles)) {
		t.Fatalf("%d offsets of levels up to %d fit int32", len(angles), tl.ng)
	}
	pl, ps := texPadded(r, pad)
	deltas := make([]int, len(angles))
	for i, a := range angles {
		deltas[i] = texDelta(a, ps)
	}
	lv := make([]int32, len(r.Levels))
	for i, in := range r.ROI {
		if in {
			lv[i] = r.Levels[i]
		}
	}
	Pn, nn, sn := gldmNaive(lv, tl.shape, angles, 0, tl.ng, tl.rowOf)
	n3, s3 := make([]float64, tl.ng+1), make([]float64, tl.ng+1)
	ngtdmSums(pl, ps, tl.shape, pad, deltas, n3, s3)
	if !slices.Equal(n3, nn) || !bitsEqual(s3, sn) {
		t.Errorf("NGTDM sums differ from the naive ones")
	}
	n1, s1 := make([]float64, tl.ng+1), make([]float64, tl.ng+1)
	P1 := gldmMatrix(pl, ps, tl.shape, pad, deltas, tl.rowOf, len(tl.ivals), 0, n1, s1)
	if !slices.Equal(P1, Pn) || !slices.Equal(n1, nn) || !bitsEqual(s1, sn) {
		t.Errorf("GLDM matrix differs from the naive one")
	}
	if _, err := computeGLDM(r, &s); err != nil {
		t.Fatal(err)
	}
}
