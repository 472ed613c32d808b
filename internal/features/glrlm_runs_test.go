package features

import (
	"fmt"
	"math/rand"
	"testing"
)

// glrlmRef counts the runs of offset a by walking every line of the crop of
// r (bounds-checked coordinates, no padding): P[row][len-1] with rows
// rowOf[level] (ngp rows) and nr columns, zeroed when no line holds more
// than one ROI voxel.
func glrlmRef(r *Region, a [3]int, rowOf []int32, ngp, nr int) []float64 {
	sh := r.ArrayShape()
	at := func(z, y, x int) int32 {
		i := (z*sh[1]+y)*sh[2] + x
		if !r.ROI[i] {
			return 0
		}
		return r.Levels[i]
	}
	in := func(z, y, x int) bool { return z >= 0 && y >= 0 && x >= 0 && z < sh[0] && y < sh[1] && x < sh[2] }
	P := make([]float64, ngp*nr)
	multi := false
	for z := 0; z < sh[0]; z++ {
		for y := 0; y < sh[1]; y++ {
			for x := 0; x < sh[2]; x++ {
				if in(z-a[0], y-a[1], x-a[2]) {
					continue // not the first voxel of a line
				}
				g, run, cnt := int32(0), 0, 0
				for zz, yy, xx := z, y, x; in(zz, yy, xx); zz, yy, xx = zz+a[0], yy+a[1], xx+a[2] {
					v := at(zz, yy, xx)
					if v > 0 {
						cnt++
					}
					if v > 0 && v == g {
						run++
						continue
					}
					if g > 0 {
						P[int(rowOf[g])*nr+run-1]++
					}
					g, run = v, 1
				}
				if g > 0 {
					P[int(rowOf[g])*nr+run-1]++
				}
				multi = multi || cnt > 1
			}
		}
	}
	if !multi {
		clear(P)
	}
	return P
}

// glrlmRunCases adds long lines to the labelling cases: constant levels
// along x, y and z up to 255 voxels (run positions up to 254, the byte
// limit), and a line with two ROI voxels that are never adjacent.
func glrlmRunCases() []*Region {
	out := glszmLabelCases()
	rng := rand.New(rand.NewSource(8))
	for _, sh := range [][3]int{{1, 1, 255}, {1, 255, 2}, {255, 1, 2}, {3, 2, 200}} {
		lv := make([]int32, sh[0]*sh[1]*sh[2])
		for i := range lv {
			lv[i] = 7
			if rng.Intn(50) == 0 {
				lv[i] = 3
			}
		}
		out = append(out, cmLevelRegion(sh[0], sh[1], sh[2], lv, [3]float64{1, 1, 1}))
	}
	out = append(out, cmLevelRegion(3, 2, 2, []int32{1, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0}, [3]float64{1, 1, 1}))
	return out
}

// The fast run counting (portable and AVX2 kernels) and the general path
// give the run-length matrices of the line walk, for every offset set (3D,
// force2D along each axis) and padding 1 and 2.
func TestGLRLMRunsMatchReference(t *testing.T) {
	texKernelSweep(t, "glrlm", false, glrlmRunCases(), func(name string, r *Region, tl texLevels, angles [][3]int, pad int, kernels []bool) {
		ng := len(tl.ivals)
		nr := max(tl.shape[0], tl.shape[1], tl.shape[2])
		want := make([][]float64, len(angles))
		for ai, a := range angles {
			want[ai] = glrlmRef(r, a, tl.rowOf, ng, nr)
		}
		pl, ps := texPadded(r, pad)
		for _, k := range kernels {
			useAVX2 = k
			sc := getScratch()
			var counts [256]int64
			P, nc := glrlmRuns(newByteVol(pl, ps, tl.shape, pad, &sc.vol, &counts), sc, &counts, pl, ps, pad, tl.rowOf, ng, angles, nr)
			for ai, a := range angles {
				longest := 1
				for g := 0; g < ng; g++ {
					for l := 1; l <= nr; l++ {
						w := want[ai][g*nr+l-1]
						if w != 0 {
							longest = max(longest, l)
						}
						got := 0.0
						if l <= nc[ai] {
							got = P[ai][g*nc[ai]+l-1]
						}
						if got != w {
							t.Fatalf("%s (avx2 %v) offset %v row %d length %d: %v, want %v", name, k, a, g, l, got, w)
						}
					}
				}
				// the longest run, or 1 for a matrix that was
				// zeroed (its runs were counted before)
				if nc[ai] != longest && longest != 1 {
					t.Errorf("%s offset %v: %d columns, longest run %d", name, a, nc[ai], longest)
				}
				if len(P[ai]) != ng*nc[ai] {
					t.Errorf("%s offset %v: %d values for %d x %d", name, a, len(P[ai]), ng, nc[ai])
				}
			}
		}
		pi, _ := texPaddedIndex(r, pad)
		G := glrlmMatricesGeneral(pi, pl, ps, tl.shape, pad, angles, ng, nr)
		for ai, a := range angles {
			for k, w := range want[ai] {
				if got := G[ai*ng*nr+k]; got != w {
					t.Fatalf("%s general offset %v cell %d: %v, want %v", name, a, k, got, w)
				}
			}
		}
	})
}

// Above 255 levels or with a line longer than 255 voxels computeGLRLM takes
// the general path; its features equal the fast path's where both apply
// (levels shifted by 300: the count-only features are bit-identical).
func TestGLRLMGeneralPathFeatures(t *testing.T) {
	for _, c := range glrlmRunCases()[:40] {
		hi := &Region{Size: c.Size, Spacing: c.Spacing, ROI: c.ROI, Levels: make([]int32, len(c.Levels))}
		for i, l := range c.Levels {
			hi.Levels[i] = l + 300
		}
		a := texCompute(t, "glrlm", c, DefaultSettings())
		b := texCompute(t, "glrlm", hi, DefaultSettings())
		for _, f := range []string{"ShortRunEmphasis", "LongRunEmphasis", "RunLengthNonUniformity",
			"RunLengthNonUniformityNormalized", "RunPercentage", "RunVariance", "GrayLevelNonUniformity",
			"GrayLevelNonUniformityNormalized", "RunEntropy"} {
			x, y := texFeature(t, "glrlm", a, f), texFeature(t, "glrlm", b, f)
			if !bitsEqual([]float64{x}, []float64{y}) {
				t.Errorf("%v %s: %v (fast) vs %v (general, levels+300)", c.Size, f, x, y)
			}
		}
	}
	// A 300-voxel line: general path, one run per level stretch.
	lv := make([]int32, 300)
	for i := range lv {
		lv[i] = int32(1 + i/100)
	}
	v := texCompute(t, "glrlm", texRegion([3]int{1, 1, 300}, lv), DefaultSettings())
	texExpect(t, "glrlm", v, map[string]float64{"LongRunEmphasis": 10000, "RunPercentage": 0.01,
		"GrayLevelNonUniformity": 1, "ShortRunEmphasis": 1e-4})
}

// Concurrent calls on different regions share only the scratch pool: their
// results equal sequential ones.
func TestGLRLMGLSZMConcurrent(t *testing.T) {
	cases := glrlmRunCases()[:24]
	want := make([][]float64, 2*len(cases))
	for i, r := range cases {
		want[2*i] = texCompute(t, "glrlm", r, DefaultSettings())
		want[2*i+1] = texCompute(t, "glszm", r, DefaultSettings())
	}
	done := make(chan error)
	for g := 0; g < 4; g++ {
		go func(g int) {
			for rep := 0; rep < 3; rep++ {
				for i, r := range cases {
					fresh := &Region{Size: r.Size, Spacing: r.Spacing, ROI: r.ROI, Levels: r.Levels}
					for k, c := range []string{"glrlm", "glszm"} {
						cl, _ := Lookup(c)
						v, err := cl.Compute(fresh, nil)
						if err == nil && !bitsEqual(v, want[2*i+k]) {
							err = fmt.Errorf("goroutine %d: %s of case %d differs", g, c, i)
						}
						if err != nil {
							done <- err
							return
						}
					}
				}
			}
			done <- nil
		}(g)
	}
	for g := 0; g < 4; g++ {
		if err := <-done; err != nil {
			t.Error(err)
		}
	}
}
