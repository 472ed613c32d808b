package features

import (
	"fmt"
	"math"
	"math/rand"
	"testing"
)

// glcmTestCases are seeded random regions with holes for the GLCM fast
// paths: 3D crops, one-slice and one-row crops, a crop with a single level,
// sparse levels (absent levels between present ones), with settings varying
// symmetry, distances, force2D and weighting.
func glcmTestCases() []struct {
	name string
	r    *Region
	s    Settings
} {
	type tc = struct {
		name string
		r    *Region
		s    Settings
	}
	rng := rand.New(rand.NewSource(21))
	var out []tc
	shapes := [][3]int{{5, 9, 11}, {1, 8, 13}, {6, 1, 7}, {4, 7, 1}, {3, 4, 20}, {2, 2, 2}}
	for si, sh := range shapes {
		for _, ng := range []int{1, 3, 12, 40} {
			lv := cmRandomLevels(rng, sh[0], sh[1], sh[2], ng, 0.25)
			if ng == 40 {
				for i := range lv { // sparse levels: only multiples of 3
					lv[i] -= lv[i] % 3
				}
			}
			hasROI := false
			for _, g := range lv {
				hasROI = hasROI || g > 0
			}
			if !hasROI {
				lv[0] = 2
			}
			for _, mod := range []string{"default", "asym", "d12", "f2d0", "f2d2", "euclid", "none"} {
				s := DefaultSettings()
				switch mod {
				case "asym":
					s.SymmetricalGLCM = false
				case "d12":
					s.Distances = []int{1, 2}
				case "f2d0":
					s.Force2D, s.Force2DDimension = true, 0
				case "f2d2":
					s.Force2D, s.Force2DDimension = true, 2
				case "euclid":
					s.WeightingNorm = "euclidean"
				case "none":
					s.WeightingNorm = "no_weighting"
				}
				r := cmLevelRegion(sh[0], sh[1], sh[2], append([]int32(nil), lv...), [3]float64{0.7, 0.8, 2})
				out = append(out, tc{fmt.Sprintf("shape %v ng %d %s (%d)", sh, ng, mod, si), r, s})
			}
		}
	}
	return out
}

// newGLCMScratch allocates the per-matrix scratch of glcmFeatureValues for set.
func newGLCMScratch(set *glcmSet) *glcmScratch {
	n, ng := set.n, set.ng
	sc := &glcmScratch{
		terms: make([]float64, n*n), terms2: make([]float64, n*n),
		px: make([]float64, n), py: make([]float64, n), lpx: make([]float64, n), lpy: make([]float64, n),
		pxAddy: make([]float64, 2*ng-1), pxSuby: make([]float64, ng),
		gather: make([]float64, 0, 2*n), kbuf: make([]float64, 2*ng),
		lvIdx: make([]int32, 2*ng+1),
		t2:    make([]float64, 2*ng+1), t3: make([]float64, 2*ng+1), t4: make([]float64, 2*ng+1),
		dy: make([]float64, n), dy2: make([]float64, n),
	}
	for k := range sc.lvIdx {
		sc.lvIdx[k] = -1
	}
	sc.logs.reset()
	for c, l := range set.levels {
		sc.lvIdx[int(l)] = int32(c)
	}
	return sc
}

// The fused one-pass features of a matrix stack equal, bit for bit, the
// term-array form that mirrors glcm.py with NumPy's in-order sums, for every
// matrix of the random cases, and for matrices with a NaN cell.
func TestGLCMMatrixFeaturesSeqBitIdentical(t *testing.T) {
	nmat := 0
	for _, c := range glcmTestCases() {
		set, err := buildGLCMs(c.r, &c.s)
		if err != nil {
			continue // no offsets fit the crop
		}
		mats := set.mats
		if len(mats) == 1 {
			// The fused path serves stacks; test it on the merged matrix
			// too, against the in-order term arrays.
			mats = append(mats, mats[0])
		}
		if len(mats) > 0 {
			nan := append([]float64(nil), mats[0]...)
			nan[len(nan)/2] = math.NaN()
			mats = append(mats, nan)
		}
		for a, p := range mats {
			want := make([][]float64, cmNumFeatures)
			got := make([][]float64, cmNumFeatures)
			for f := range want {
				want[f], got[f] = make([]float64, 1), make([]float64, 1)
			}
			glcmMatrixFeatures(p, set, newGLCMScratch(set), false, want, 0)
			glcmMatrixFeaturesSeq(p, set, newGLCMScratch(set), got, 0)
			nmat++
			for f := range want {
				switch f {
				case cmDissimilarity, cmHomogeneity1, cmHomogeneity2, cmSumVariance, cmMCC:
					continue
				}
				if math.Float64bits(got[f][0]) != math.Float64bits(want[f][0]) {
					t.Errorf("%s matrix %d: %s = %v, want %v", c.name, a, glcmFeatures[f].Name, got[f][0], want[f][0])
				}
			}
		}
	}
	if nmat < 500 {
		t.Fatalf("only %d matrices", nmat)
	}
}

// glcmCountsNaive counts co-occurrences on the unpadded crop (levels lv, 0
// outside the ROI): counts[a*n*n + ci*n + cj] for the present-level indices
// rowOf of a voxel and its neighbour at offset angles[a].
func glcmCountsNaive(lv []int32, sh [3]int, angles [][3]int, rowOf []int32, n int) []int32 {
	counts := make([]int32, len(angles)*n*n)
	for z := 0; z < sh[0]; z++ {
		for y := 0; y < sh[1]; y++ {
			for x := 0; x < sh[2]; x++ {
				g := lv[(z*sh[1]+y)*sh[2]+x]
				if g <= 0 {
					continue
				}
				for a, o := range angles {
					zz, yy, xx := z+o[0], y+o[1], x+o[2]
					if zz < 0 || yy < 0 || xx < 0 || zz >= sh[0] || yy >= sh[1] || xx >= sh[2] {
						continue
					}
					if w := lv[(zz*sh[1]+yy)*sh[2]+xx]; w > 0 {
						counts[a*n*n+int(rowOf[g])*n+int(rowOf[w])]++
					}
				}
			}
		}
	}
	return counts
}

// glcmCounts, by the AVX2 kernel and by the portable loop, equals plain
// counting on the crop, for the random cases (holes, thin crops, force2D,
// distances 1 and 2) and a long-row crop with 90 levels.
func TestGLCMCountsMatchNaive(t *testing.T) {
	cases := glcmTestCases()
	rng := rand.New(rand.NewSource(33))
	long := cmLevelRegion(3, 5, 70, cmRandomLevels(rng, 3, 5, 70, 90, 0.3), [3]float64{1, 1, 1})
	cases = append(cases, struct {
		name string
		r    *Region
		s    Settings
	}{"long rows", long, DefaultSettings()})
	ncase := 0
	for _, c := range cases {
		dists, err := glcmSettings(&c.s)
		if err != nil {
			t.Fatal(err)
		}
		pad := texPad(&c.s)
		tl, err := texPrepare(c.r, "glcm", pad)
		if err != nil {
			t.Fatal(err)
		}
		angles := Angles(tl.shape, dists, false, c.s.Force2D, c.s.Force2DDimension)
		if len(angles) == 0 {
			continue
		}
		n := len(tl.ivals)
		pi, ps := texPaddedIndex(c.r, pad)
		lv := make([]int32, len(c.r.Levels))
		for i, in := range c.r.ROI {
			if in {
				lv[i] = c.r.Levels[i]
			}
		}
		want := glcmCountsNaive(lv, tl.shape, angles, tl.rowOf, n)
		for _, asm := range []bool{false, true} {
			if asm && !glcmAsm {
				continue
			}
			saved := glcmAsm
			glcmAsm = asm
			w := glcmCounts(pi, ps, tl.shape, pad, n, angles)
			glcmAsm = saved
			ncase++
		cells:
			for a := range angles {
				for i := 0; i < n; i++ {
					for j := 0; j < n; j++ {
						if got, want := w.at(a, i, j), want[(a*n+i)*n+j]; got != want {
							t.Errorf("%s asm %v: offset %d cell (%d, %d) = %d, want %d", c.name, asm, a, i, j, got, want)
							break cells
						}
					}
				}
			}
		}
	}
	if ncase < 150 {
		t.Fatalf("only %d cases", ncase)
	}
}
