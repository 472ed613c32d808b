package features

import (
	"fmt"
	"math/rand"
	"slices"
	"strings"
	"testing"
)

// texScan, with the AVX2 row kernel and without, builds the padded level
// volume (ROI levels, 0 elsewhere in the crop, -1 in the padding) and the
// level summary of a plain voxel walk, for random crops with holes (rows
// shorter than, equal to and longer than a block; paddings 1 to 3; large
// levels), and rejects ROI levels below 1 and empty ROIs.
func TestTexScanMatchesNaive(t *testing.T) {
	rng := rand.New(rand.NewSource(51))
	shapes := [][3]int{{1, 1, 1}, {2, 3, 5}, {3, 4, 8}, {2, 5, 13}, {4, 3, 40}, {1, 7, 1}}
	for _, sh := range shapes {
		for _, ng := range []int{1, 7, 300} {
			for pad := 1; pad <= 3; pad++ {
				n := sh[0] * sh[1] * sh[2]
				lv := make([]int32, n)
				roi := make([]bool, n)
				for i := range lv {
					lv[i] = int32(rng.Intn(ng+3)) - 1 // garbage outside the ROI
					if rng.Intn(4) > 0 {
						roi[i] = true
						lv[i] = 1 + int32(rng.Intn(ng))
					}
				}
				roi[n/2], lv[n/2] = true, int32(ng)
				r := &Region{Size: [3]int{sh[2], sh[1], sh[0]}, Spacing: [3]float64{1, 1, 1}, ROI: roi, Levels: lv}
				name := fmt.Sprintf("shape %v ng %d pad %d", sh, ng, pad)
				for _, asm := range []bool{false, true} {
					if asm && !texAsm {
						continue
					}
					saved := texAsm
					texAsm = asm
					c, err := texScan(r, "test", pad)
					texAsm = saved
					if err != nil {
						t.Fatalf("%s: %v", name, err)
					}
					texCheckScan(t, name, c, roi, lv, sh, pad)
				}
			}
		}
	}
	// Invalid levels and an empty ROI.
	for _, bad := range []int32{0, -3} {
		lv := []int32{1, 2, bad, 1, 2, 1, 1, 1, 1, 2}
		roi := make([]bool, len(lv))
		for i := range roi {
			roi[i] = true
		}
		r := &Region{Size: [3]int{10, 1, 1}, ROI: roi, Levels: lv}
		if _, err := texScan(r, "test", 1); err == nil || !strings.Contains(err.Error(), "ROI voxel 2 has grey level") {
			t.Errorf("level %d: error %v", bad, err)
		}
	}
	r := &Region{Size: [3]int{9, 1, 1}, ROI: make([]bool, 9), Levels: make([]int32, 9)}
	if _, err := texScan(r, "test", 1); err == nil || !strings.Contains(err.Error(), "empty") {
		t.Errorf("empty ROI: error %v", err)
	}
}

// texCheckScan compares a texScan result with a plain walk of the crop.
func texCheckScan(t *testing.T, name string, c *texCache, roi []bool, lv []int32, sh [3]int, pad int) {
	t.Helper()
	ps := [3]int{sh[0] + 2*pad, sh[1] + 2*pad, sh[2] + 2*pad}
	if c.ps != ps || c.pad != pad || len(c.pl) != ps[0]*ps[1]*ps[2] {
		t.Fatalf("%s: padded shape %v pad %d", name, c.ps, c.pad)
	}
	ngMax, nroi := 0, 0
	present := map[int]bool{}
	for z := 0; z < ps[0]; z++ {
		for y := 0; y < ps[1]; y++ {
			for x := 0; x < ps[2]; x++ {
				want := int32(-1)
				cz, cy, cx := z-pad, y-pad, x-pad
				if cz >= 0 && cy >= 0 && cx >= 0 && cz < sh[0] && cy < sh[1] && cx < sh[2] {
					i := (cz*sh[1]+cy)*sh[2] + cx
					want = 0
					if roi[i] {
						want = lv[i]
						nroi++
						ngMax = max(ngMax, int(lv[i]))
						present[int(lv[i])] = true
					}
				}
				if got := c.pl[(z*ps[1]+y)*ps[2]+x]; got != want {
					t.Fatalf("%s: pl(%d, %d, %d) = %d, want %d", name, z, y, x, got, want)
				}
			}
		}
	}
	tl := c.t
	if tl.ng != ngMax || tl.nroi != nroi || tl.shape != sh || len(tl.present) != ngMax+1 {
		t.Fatalf("%s: ng %d nroi %d shape %v, want %d %d %v", name, tl.ng, tl.nroi, tl.shape, ngMax, nroi, sh)
	}
	var ivals []float64
	for g := 0; g <= ngMax; g++ {
		if tl.present[g] != present[g] {
			t.Fatalf("%s: present[%d] = %v", name, g, tl.present[g])
		}
		want := int32(-1)
		if present[g] {
			want = int32(len(ivals))
			ivals = append(ivals, float64(g))
		}
		if tl.rowOf[g] != want {
			t.Fatalf("%s: rowOf[%d] = %d, want %d", name, g, tl.rowOf[g], want)
		}
	}
	if !slices.Equal(tl.ivals, ivals) {
		t.Fatalf("%s: ivals %v, want %v", name, tl.ivals, ivals)
	}
}

// texPaddedIndex, by the AVX2 kernel and by the portable loop, maps ROI
// voxels to their matrix rows and everything else to -1, for paddings 1
// and 2 and rebuilds at another padding.
func TestTexPaddedIndex(t *testing.T) {
	rng := rand.New(rand.NewSource(52))
	sh := [3]int{3, 4, 11}
	lv := cmRandomLevels(rng, sh[0], sh[1], sh[2], 9, 0.3)
	for i := range lv {
		if lv[i] > 0 {
			lv[i] = 2 * lv[i] // absent odd levels
		}
	}
	r := cmLevelRegion(sh[0], sh[1], sh[2], lv, [3]float64{1, 1, 1})
	for k, pad := range []int{1, 2, 1, 2} {
		tl, err := texPrepare(r, "test", pad)
		if err != nil {
			t.Fatal(err)
		}
		pl, ps := texPadded(r, pad)
		saved := texAsm
		texAsm = texAsm && k < 2 // the portable loop for the last two
		r.tex.pi = nil
		pi, ps2 := texPaddedIndex(r, pad)
		texAsm = saved
		if ps != ps2 || len(pi) != len(pl) {
			t.Fatalf("pad %d: shapes %v %v", pad, ps, ps2)
		}
		for i, g := range pl {
			want := int32(-1)
			if g > 0 {
				want = tl.rowOf[g]
			}
			if pi[i] != want {
				t.Fatalf("pad %d: pi[%d] = %d for level %d, want %d", pad, i, pi[i], g, want)
			}
		}
	}
}
