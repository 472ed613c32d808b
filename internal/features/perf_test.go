package features

import (
	"math"
	"math/cmplx"
	"math/rand"
	"testing"
)

// mccGeneralRef is PyRadiomics' MCC computed on the general (dgeev) path
// for every matrix: the reference of the certified symmetric path.
func mccGeneralRef(t *testing.T, set *glcmSet) float64 {
	t.Helper()
	n, na := set.n, len(set.mats)
	ms := newMCCScratch(n)
	px, py := make([]float64, n), make([]float64, n)
	second := make([]complex128, na)
	realMode := true
	for a, p := range set.mats {
		glcmMarginals(p, n, na == 1, px, py)
		z, isReal, ok := ms.geevSecond(p, n, px, py)
		if !ok {
			t.Fatal("dgeev did not converge")
		}
		second[a], realMode = z, realMode && isReal
	}
	vals := make([]float64, na)
	if realMode {
		for a, z := range second {
			vals[a] = math.Sqrt(real(z))
		}
		return nanMeanNP(vals)
	}
	cnt := 0
	for a, z := range second {
		if r := cmplx.Sqrt(z); !cmplx.IsNaN(r) {
			vals[a] = real(r)
			cnt++
		}
	}
	return complexRealPairwiseSumNP(vals) / float64(cnt)
}

// cmRandomLevels returns random levels 1..ng (0 = outside the ROI with
// probability hole) for a crop of nz*ny*nx voxels.
func cmRandomLevels(rng *rand.Rand, nz, ny, nx, ng int, hole float64) []int32 {
	lv := make([]int32, nz*ny*nx)
	for i := range lv {
		if rng.Float64() >= hole {
			lv[i] = int32(1 + rng.Intn(ng))
		}
	}
	return lv
}

func TestMCCSymmetricPathMatchesGeneral(t *testing.T) {
	// Per matrix, a certified symmetric-path eigenvalue must agree with
	// dgeev on Q; the class value must agree with the all-dgeev reference.
	// Cases: symmetric and asymmetric GLCMs, merged matrices, rare levels
	// (large eps terms), a level that co-occurs only with itself (an isolated
	// block: second eigenvalue ~1, near-degenerate) and an alternating row (a
	// double eigenvalue 1); the last two are not certified (general path).
	rng := rand.New(rand.NewSource(5))
	type tc struct {
		name string
		lv   []int32
		mod  func(*Settings)
	}
	var cases []tc
	for k := 0; k < 4; k++ {
		cases = append(cases, tc{"random", cmRandomLevels(rng, 5, 12, 11, 8+6*k, 0.2), nil})
	}
	cases = append(cases,
		tc{"asymmetric", cmRandomLevels(rng, 4, 10, 9, 15, 0.3), func(s *Settings) { s.SymmetricalGLCM = false }},
		tc{"merged", cmRandomLevels(rng, 4, 10, 9, 15, 0.1), func(s *Settings) { s.WeightingNorm = "no_weighting" }},
		tc{"distances12", cmRandomLevels(rng, 4, 10, 9, 12, 0.1), func(s *Settings) { s.Distances = []int{1, 2} }},
	)
	rare := cmRandomLevels(rng, 6, 14, 14, 6, 0)
	rare[3], rare[700] = 40, 41 // single voxels of rare levels
	cases = append(cases, tc{"rare", rare, nil})
	iso := cmRandomLevels(rng, 5, 10, 10, 6, 0)
	for z := 0; z < 5; z++ { // a 2-voxel-wide column of level 9 fenced by holes
		for y := 0; y < 10; y++ {
			for x := 5; x < 10; x++ {
				i := (z*10+y)*10 + x
				switch {
				case x == 5:
					iso[i] = 0
				case x > 5 && y < 2:
					iso[i] = 9
				case x > 5 && y == 2:
					iso[i] = 0
				}
			}
		}
	}
	cases = append(cases, tc{"isolated", iso, nil}, tc{"alternating", []int32{1, 2, 1, 2, 1, 2, 1, 2}, nil})
	certified, total := 0, 0
	for _, c := range cases {
		var nz, ny, nx int
		switch len(c.lv) {
		case 5 * 12 * 11:
			nz, ny, nx = 5, 12, 11
		case 4 * 10 * 9:
			nz, ny, nx = 4, 10, 9
		case 6 * 14 * 14:
			nz, ny, nx = 6, 14, 14
		case 8:
			nz, ny, nx = 1, 1, 8
		default:
			nz, ny, nx = 5, 10, 10
		}
		r := cmLevelRegion(nz, ny, nx, c.lv, [3]float64{0.7, 0.7, 2})
		s := DefaultSettings()
		if c.mod != nil {
			c.mod(&s)
		}
		set, err := buildGLCMs(r, &s)
		if err != nil {
			t.Fatal(err)
		}
		n := set.n
		ms := newMCCScratch(n)
		px, py := make([]float64, n), make([]float64, n)
		nCert := 0
		for _, p := range set.mats {
			glcmMarginals(p, n, len(set.mats) == 1, px, py)
			l2, ok := mccSecondEigenSym(p, n, px, py, ms)
			z, _, _ := ms.geevSecond(p, n, px, py)
			total++
			if !ok {
				continue
			}
			certified++
			nCert++
			if imag(z) != 0 || math.Abs(l2-real(z)) > 1e-12*real(z) {
				t.Errorf("%s: certified eigenvalue %v, dgeev %v", c.name, l2, z)
			}
		}
		if (c.name == "isolated" || c.name == "alternating") && nCert != 0 {
			t.Errorf("%s: %d near-degenerate second eigenvalues certified", c.name, nCert)
		}
		got := glcmMCC(set, &glcmScratch{px: px, py: py})
		want := mccGeneralRef(t, set)
		if !(math.Abs(got-want) <= 1e-12*math.Abs(want)) {
			t.Errorf("%s: MCC %v, all-dgeev %v", c.name, got, want)
		}
	}
	if certified < total/2 {
		t.Errorf("only %d of %d matrices certified for the symmetric path", certified, total)
	}
}

// glrlmBrute counts runs by walking every line of the crop (the C
// implementation's way) for offset a: levels lv (0 outside the ROI), array
// shape sh; P[g-1][len-1] for levels 1..ng, then zeroed when no line holds
// more than one ROI voxel.
func glrlmBrute(lv []int32, sh [3]int, a [3]int, ng, nr int) []float64 {
	P := make([]float64, ng*nr)
	in := func(z, y, x int) bool { return z >= 0 && y >= 0 && x >= 0 && z < sh[0] && y < sh[1] && x < sh[2] }
	multi := false
	for z := 0; z < sh[0]; z++ {
		for y := 0; y < sh[1]; y++ {
			for x := 0; x < sh[2]; x++ {
				if in(z-a[0], y-a[1], x-a[2]) {
					continue // not a line start
				}
				g, run, cnt := int32(0), 0, 0
				for zz, yy, xx := z, y, x; in(zz, yy, xx); zz, yy, xx = zz+a[0], yy+a[1], xx+a[2] {
					v := lv[(zz*sh[1]+yy)*sh[2]+xx]
					if v > 0 {
						cnt++
					}
					if v > 0 && v == g {
						run++
						continue
					}
					if g > 0 {
						P[int(g-1)*nr+run-1]++
					}
					g, run = v, 1
				}
				if g > 0 {
					P[int(g-1)*nr+run-1]++
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

func TestGLRLMMatricesBruteForce(t *testing.T) {
	// The one-pass run counting against line walking, on random crops with
	// dense and sparse ROIs (sparse: lines whose ROI voxels are never
	// adjacent) and thin shapes, every level present.
	rng := rand.New(rand.NewSource(9))
	for _, c := range []struct {
		sh   [3]int
		ng   int
		hole float64
	}{
		{[3]int{4, 7, 9}, 3, 0.1}, {[3]int{3, 5, 6}, 2, 0.6}, {[3]int{1, 8, 8}, 4, 0.2},
		{[3]int{5, 1, 7}, 3, 0.3}, {[3]int{6, 6, 1}, 2, 0.5}, {[3]int{3, 2, 2}, 1, 0.7},
	} {
		lv := cmRandomLevels(rng, c.sh[0], c.sh[1], c.sh[2], c.ng, c.hole)
		for g := 1; g <= c.ng; g++ {
			lv[g-1] = int32(g)
		}
		if c.sh == [3]int{3, 2, 2} { // ROI voxels only on the z line through (y, x) = (0, 0), not adjacent
			lv = []int32{1, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0}
		}
		r := cmLevelRegion(c.sh[0], c.sh[1], c.sh[2], lv, [3]float64{1, 1, 1})
		s := DefaultSettings()
		tl, err := texPrepare(r, "glrlm", 1)
		if err != nil {
			t.Fatal(err)
		}
		angles := Angles(tl.shape, []int{1}, false, false, 0)
		nr := max(c.sh[0], c.sh[1], c.sh[2])
		pl, ps := texPadded(r, texPad(&s))
		pi, _ := texPaddedIndex(r, texPad(&s))
		ng := len(tl.ivals)
		sc := getScratch()
		var counts [256]int64
		P, nc := glrlmRuns(newByteVol(pl, ps, tl.shape, 1, &sc.vol, &counts), sc, &counts, pl, ps, 1, tl.rowOf, ng, angles, nr)
		G := glrlmMatricesGeneral(pi, pl, ps, tl.shape, 1, angles, ng, nr)
		for ai, a := range angles {
			want := glrlmBrute(lv, c.sh, a, ng, nr)
			n := nc[ai]
			got := P[ai]
			gen := G[ai*ng*nr : (ai+1)*ng*nr]
			for k := range want {
				g := 0.0 // columns past the longest run are all zero
				if k%nr < n {
					g = got[k/nr*n+k%nr]
				}
				if g != want[k] || gen[k] != want[k] {
					t.Errorf("shape %v offset %v cell (%d, %d): %v (general %v), want %v", c.sh, a, k/nr, k%nr, g, gen[k], want[k])
					break
				}
			}
		}
	}
}

func TestTextureCacheInPlaceChange(t *testing.T) {
	// Classes computed on a region whose levels and ROI were changed in
	// place after a first computation must equal those of a fresh region.
	rng := rand.New(rand.NewSource(13))
	lv := cmRandomLevels(rng, 4, 9, 8, 6, 0.2)
	r := cmLevelRegion(4, 9, 8, lv, [3]float64{1, 1, 1})
	classes := []string{"glcm", "glrlm", "glszm", "gldm", "ngtdm"}
	s := DefaultSettings()
	for _, c := range classes {
		cl, _ := Lookup(c)
		if _, err := cl.Compute(r, &s); err != nil {
			t.Fatal(err)
		}
	}
	for i := range r.Levels {
		if r.ROI[i] {
			r.Levels[i] = r.Levels[i]%6 + 1
		}
	}
	r.ROI[5] = !r.ROI[5]
	r.Levels[5] = 3
	fresh := &Region{Size: r.Size, Spacing: r.Spacing, Values: r.Values,
		ROI: append([]bool(nil), r.ROI...), Levels: append([]int32(nil), r.Levels...)}
	for _, dist := range [][]int{{1}, {1, 2}} {
		s.Distances = dist
		for _, c := range classes {
			cl, _ := Lookup(c)
			got, err := cl.Compute(r, &s)
			if err != nil {
				t.Fatal(err)
			}
			want, _ := cl.Compute(fresh, &s)
			for k := range want {
				if math.Float64bits(got[k]) != math.Float64bits(want[k]) {
					t.Errorf("%s %v %s: %v after in-place change, fresh region %v", c, dist, cl.Features[k].Name, got[k], want[k])
				}
			}
		}
	}
}

func TestTextureCacheFixedRegionNewSlices(t *testing.T) {
	// A Fixed region trusts its cache only while ROI and Levels are the
	// slices it was built from: new slices (other levels) must be re-read.
	rng := rand.New(rand.NewSource(17))
	r := cmLevelRegion(4, 9, 8, cmRandomLevels(rng, 4, 9, 8, 6, 0.2), [3]float64{1, 1, 1})
	r.Fixed = true
	s := DefaultSettings()
	classes := []string{"glcm", "glrlm", "glszm", "gldm", "ngtdm"}
	for _, c := range classes {
		cl, _ := Lookup(c)
		if _, err := cl.Compute(r, &s); err != nil {
			t.Fatal(err)
		}
	}
	r.Levels = cmRandomLevels(rng, 4, 9, 8, 7, 0)
	r.ROI = append([]bool(nil), r.ROI...)
	for i := range r.ROI {
		r.ROI[i] = r.Levels[i] > 0
	}
	fresh := &Region{Size: r.Size, Spacing: r.Spacing, Values: r.Values, ROI: r.ROI, Levels: r.Levels}
	for _, c := range classes {
		cl, _ := Lookup(c)
		got, err := cl.Compute(r, &s)
		if err != nil {
			t.Fatal(err)
		}
		want, _ := cl.Compute(fresh, &s)
		for k := range want {
			if math.Float64bits(got[k]) != math.Float64bits(want[k]) {
				t.Errorf("%s %s: %v with new slices, fresh region %v", c, cl.Features[k].Name, got[k], want[k])
			}
		}
	}
}
