package features

import (
	"fmt"
	"math"
	"math/rand"
	"slices"
	"testing"
)

// glszmRefZones is the straightforward zone search the fast labelling is
// checked against: a breadth-first search over the crop coordinates of r
// through the offsets angles (bounds checked, no padding), returning the
// (matrix row, size) pairs of the zones sorted.
func glszmRefZones(r *Region, angles [][3]int, rowOf []int32) [][2]int32 {
	sh := r.ArrayShape()
	lv := make([]int32, len(r.Levels))
	for i, in := range r.ROI {
		if in {
			lv[i] = r.Levels[i]
		}
	}
	seen := make([]bool, len(lv))
	var out [][2]int32
	var queue [][3]int
	for z := 0; z < sh[0]; z++ {
		for y := 0; y < sh[1]; y++ {
			for x := 0; x < sh[2]; x++ {
				i := (z*sh[1]+y)*sh[2] + x
				if lv[i] == 0 || seen[i] {
					continue
				}
				g, size := lv[i], int32(0)
				seen[i] = true
				queue = append(queue[:0], [3]int{z, y, x})
				for len(queue) > 0 {
					p := queue[len(queue)-1]
					queue = queue[:len(queue)-1]
					size++
					for _, a := range angles {
						q := [3]int{p[0] + a[0], p[1] + a[1], p[2] + a[2]}
						if q[0] < 0 || q[1] < 0 || q[2] < 0 || q[0] >= sh[0] || q[1] >= sh[1] || q[2] >= sh[2] {
							continue
						}
						j := (q[0]*sh[1]+q[1])*sh[2] + q[2]
						if lv[j] == g && !seen[j] {
							seen[j] = true
							queue = append(queue, q)
						}
					}
				}
				out = append(out, [2]int32{rowOf[g], size})
			}
		}
	}
	glszmSortZones(out)
	return out
}

func glszmSortZones(z [][2]int32) {
	slices.SortFunc(z, func(a, b [2]int32) int {
		if a[0] != b[0] {
			return int(a[0] - b[0])
		}
		return int(a[1] - b[1])
	})
}

// glszmPairs turns a zone list (row, size, row, size, ...) into sorted
// pairs, checking the largest size.
func glszmPairs(t *testing.T, name string, zones []int32, maxSize int) [][2]int32 {
	t.Helper()
	var out [][2]int32
	m := 0
	for k := 0; k < len(zones); k += 2 {
		out = append(out, [2]int32{zones[k], zones[k+1]})
		m = max(m, int(zones[k+1]))
	}
	if m != maxSize {
		t.Errorf("%s: largest zone %d, reported %d", name, m, maxSize)
	}
	glszmSortZones(out)
	return out
}

// glszmLabelCases are seeded random crops for the zone labelling: 3D,
// one-slice, one-row and one-column crops, rows longer than a bitmap word
// and shorter than the minimum byte-volume stride, single voxels; few
// levels (big zones, long runs) to 255 (the byte limit); no holes to mostly
// holes.
func glszmLabelCases() []*Region {
	rng := rand.New(rand.NewSource(5))
	var out []*Region
	shapes := [][3]int{{5, 9, 11}, {1, 8, 13}, {6, 1, 7}, {4, 7, 1}, {3, 4, 40}, {2, 2, 2},
		{1, 1, 1}, {1, 1, 9}, {9, 1, 1}, {3, 70, 5}, {2, 3, 130}, {12, 17, 66}}
	for _, sh := range shapes {
		for _, ng := range []int{1, 2, 5, 60, 255} {
			for _, hole := range []float64{0, 0.2, 0.6} {
				lv := cmRandomLevels(rng, sh[0], sh[1], sh[2], ng, hole)
				lv[len(lv)/2] = int32(ng) // at least one ROI voxel
				out = append(out, cmLevelRegion(sh[0], sh[1], sh[2], lv, [3]float64{1, 1, 1}))
			}
		}
	}
	// Smooth crops: zones of hundreds of voxels winding through all
	// neighbour directions.
	for _, ng := range []int{2, 3} {
		sh := [3]int{10, 20, 30}
		lv := make([]int32, sh[0]*sh[1]*sh[2])
		for z := 0; z < sh[0]; z++ {
			for y := 0; y < sh[1]; y++ {
				for x := 0; x < sh[2]; x++ {
					lv[(z*sh[1]+y)*sh[2]+x] = int32((x/3+y/4+z/2+rng.Intn(2))%ng) + 1
				}
			}
		}
		out = append(out, cmLevelRegion(sh[0], sh[1], sh[2], lv, [3]float64{1, 1, 1}))
	}
	return out
}

// The fast labelling (portable and AVX2 kernels) and the general flood
// fill find the zones of the reference search, with every connectivity
// (3D, force2D along each axis) and padding 1 and 2.
// texKernelSweep runs check for every region of cases under every offset set
// of the texture class (3D, force2D along each axis; distances [1] and
// [1, 2], i.e. padding 1 and 2), with the AVX2 kernel switch (useAVX2) to
// try, restored afterwards; combinations where no offset fits are skipped.
// It fails if fewer than 400 combinations ran.
func texKernelSweep(t *testing.T, class string, bidirectional bool, cases []*Region,
	check func(name string, r *Region, tl texLevels, angles [][3]int, pad int, kernels []bool)) {
	t.Helper()
	defer func(v bool) { useAVX2 = v }(useAVX2)
	kernels := []bool{false}
	if useAVX2 {
		kernels = append(kernels, true)
	}
	n := 0
	for ci, r := range cases {
		for _, f2 := range []int{-1, 0, 1, 2} {
			for _, dist := range [][]int{{1}, {1, 2}} {
				s := DefaultSettings()
				s.Distances = dist
				if f2 >= 0 {
					s.Force2D, s.Force2DDimension = true, f2
				}
				pad := texPad(&s)
				tl, err := texPrepare(r, class, pad)
				if err != nil {
					t.Fatal(err)
				}
				angles, err := texAngles(tl.shape, []int{1}, bidirectional, &s, class)
				if err != nil {
					continue // no offsets fit (force2D on a flat crop)
				}
				check(fmt.Sprintf("case %d shape %v f2d %d pad %d", ci, tl.shape, f2, pad), r, tl, angles, pad, kernels)
				n++
			}
		}
	}
	if n < 400 {
		t.Fatalf("only %d cases ran", n)
	}
}

func TestGLSZMZonesMatchReference(t *testing.T) {
	texKernelSweep(t, "glszm", true, glszmLabelCases(), func(name string, r *Region, tl texLevels, angles [][3]int, pad int, kernels []bool) {
		want := glszmRefZones(r, angles, tl.rowOf)
		conn, ok := texBoxAxes(angles)
		if !ok {
			t.Fatalf("%s: offsets %v not a box", name, angles)
		}
		pl, ps := texPadded(r, pad)
		for _, k := range kernels {
			useAVX2 = k
			sc := getScratch()
			z, m := glszmZones(newByteVol(pl, ps, tl.shape, pad, &sc.vol, nil), sc, conn, tl.rowOf, tl.nroi)
			got := glszmPairs(t, name, z, m)
			if !slices.Equal(got, want) {
				t.Errorf("%s (avx2 %v): %d zones %v, want %d %v", name, k, len(got), got, len(want), want)
			}
		}
		shared, _ := texPaddedIndex(r, pad)
		pi := append([]int32(nil), shared...)
		deltas := make([]int, len(angles))
		for i, a := range angles {
			deltas[i] = texDelta(a, ps)
		}
		z, m := glszmZonesGeneral(pi, ps, tl.shape, pad, deltas, tl.nroi)
		if got := glszmPairs(t, name, z, m); !slices.Equal(got, want) {
			t.Errorf("%s: general path %v, want %v", name, got, want)
		}
	})
}

// Above 255 levels computeGLSZM takes the general path; both paths give
// bit-identical features where both apply (levels shifted by 300 compared
// with the originals).
func TestGLSZMGeneralPathFeatures(t *testing.T) {
	for _, c := range glszmLabelCases()[:40] {
		hi := &Region{Size: c.Size, Spacing: c.Spacing, ROI: c.ROI, Levels: make([]int32, len(c.Levels))}
		for i, l := range c.Levels {
			hi.Levels[i] = l + 300
		}
		a := texCompute(t, "glszm", c, DefaultSettings())
		b := texCompute(t, "glszm", hi, DefaultSettings())
		// The features that depend on the zone counts only are
		// bit-identical.
		for _, f := range []string{"LargeAreaEmphasis", "SmallAreaEmphasis", "SizeZoneNonUniformity",
			"SizeZoneNonUniformityNormalized", "ZonePercentage", "ZoneVariance", "GrayLevelNonUniformity",
			"GrayLevelNonUniformityNormalized", "ZoneEntropy"} {
			x, y := texFeature(t, "glszm", a, f), texFeature(t, "glszm", b, f)
			if math.Float64bits(x) != math.Float64bits(y) {
				t.Errorf("%v %s: %v (fast) vs %v (general, levels+300)", c.Size, f, x, y)
			}
		}
	}
}

// glszmJoins: for every pattern of same-level neighbours, under every
// connectivity, each neighbour of the voxel's level is connected (through
// neighbours of that level adjacent to each other) to a kept join or to
// the left neighbour.
func TestGLSZMJoinsCover(t *testing.T) {
	left := [3]int{0, 0, -1}
	adj := func(a, b [3]int) bool {
		for k := 0; k < 3; k++ {
			if d := a[k] - b[k]; d < -1 || d > 1 {
				return false
			}
		}
		return true
	}
	for cm := 0; cm < 8; cm++ {
		conn := [3]bool{cm&1 != 0, cm&2 != 0, cm&4 != 0}
		// the enabled neighbours: index 12 is the left neighbour
		var nb []int
		pos := append(append([][3]int(nil), glszmNbrs[:]...), left)
		for k, d := range pos {
			if (d[0] == 0 || conn[0]) && (d[1] == 0 || conn[1]) && (d[2] == 0 || conn[2]) {
				nb = append(nb, k)
			}
		}
		for pat := 0; pat < 1<<len(nb); pat++ {
			eq := make([]bool, 13)
			for i, k := range nb {
				eq[k] = pat>>i&1 != 0
			}
			var e [12]uint64
			for k := range e {
				if eq[k] {
					e[k] = 1
				}
			}
			var L uint64
			if eq[12] {
				L = 1
			}
			glszmJoins(&e, L)
			// reached: kept joins and the left neighbour, closed under
			// adjacency among same-level neighbours
			reached := make([]bool, 13)
			for k := range e {
				if e[k]&1 != 0 {
					if !eq[k] {
						t.Fatalf("conn %v pattern %b: join to %v, which has another level", conn, pat, pos[k])
					}
					reached[k] = true
				}
			}
			reached[12] = eq[12]
			for changed := true; changed; {
				changed = false
				for a := 0; a < 13; a++ {
					for b := 0; b < 13; b++ {
						if reached[a] && eq[b] && !reached[b] && adj(pos[a], pos[b]) {
							reached[b], changed = true, true
						}
					}
				}
			}
			for k := 0; k < 13; k++ {
				if eq[k] && !reached[k] {
					t.Fatalf("conn %v pattern %b: neighbour %v not joined", conn, pat, pos[k])
				}
			}
		}
	}
}
