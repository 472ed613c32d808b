package features

import (
	"fmt"
	"math"
)

// This file holds the GLRLM class and the helpers shared by the four
// "size-matrix" classes of this group (glrlm, glszm, gldm, ngtdm): offsets,
// distances, weights and the common emphasis sums (the validated levels and
// padded volumes are in texcache.go; the run counting in glrlm_runs.go, on
// the byte volume and kernels of glrlm_vol.go).

// glrlmFeatures lists the GLRLM features in PyRadiomics' output order. Nr is
// the number of runs of one offset, P(i,j) its run-length matrix (level i,
// run length j), pr(j) = sum_i P(i,j), pg(i) = sum_j P(i,j).
var glrlmFeatures = []Feature{
	// GrayLevelNonUniformity (IBSI R5YN): sum_i pg(i)² / Nr.
	{Name: "GrayLevelNonUniformity", IBSI: "R5YN"},
	// GrayLevelNonUniformityNormalized (IBSI OVBL): sum_i pg(i)² / Nr².
	{Name: "GrayLevelNonUniformityNormalized", IBSI: "OVBL"},
	// GrayLevelVariance (IBSI 8CE5): with q = pg/Nr, sum_i q(i) (i - sum_i q(i) i)².
	{Name: "GrayLevelVariance", IBSI: "8CE5"},
	// HighGrayLevelRunEmphasis (IBSI G3QZ): sum_i pg(i) i² / Nr.
	{Name: "HighGrayLevelRunEmphasis", IBSI: "G3QZ"},
	// LongRunEmphasis (IBSI W4KF): sum_j pr(j) j² / Nr.
	{Name: "LongRunEmphasis", IBSI: "W4KF"},
	// LongRunHighGrayLevelEmphasis (IBSI 3KUM): sum_ij P(i,j) i² j² / Nr.
	{Name: "LongRunHighGrayLevelEmphasis", IBSI: "3KUM"},
	// LongRunLowGrayLevelEmphasis (IBSI IVPO): sum_ij P(i,j) j² / i² / Nr.
	{Name: "LongRunLowGrayLevelEmphasis", IBSI: "IVPO"},
	// LowGrayLevelRunEmphasis (IBSI V3SW): sum_i pg(i) / i² / Nr.
	{Name: "LowGrayLevelRunEmphasis", IBSI: "V3SW"},
	// RunEntropy (IBSI HJ9O): -sum_ij p log2(p + eps), p = P/Nr.
	{Name: "RunEntropy", IBSI: "HJ9O"},
	// RunLengthNonUniformity (IBSI W92Y): sum_j pr(j)² / Nr.
	{Name: "RunLengthNonUniformity", IBSI: "W92Y"},
	// RunLengthNonUniformityNormalized (IBSI IC23): sum_j pr(j)² / Nr².
	{Name: "RunLengthNonUniformityNormalized", IBSI: "IC23"},
	// RunPercentage (IBSI 9ZK5): Nr / Np_a, Np_a = sum_j pr(j) j (voxels covered by the offset's runs).
	{Name: "RunPercentage", IBSI: "9ZK5"},
	// RunVariance (IBSI SXLW): with q = pr/Nr, sum_j q(j) (j - sum_j q(j) j)².
	{Name: "RunVariance", IBSI: "SXLW"},
	// ShortRunEmphasis (IBSI 22OV): sum_j pr(j) / j² / Nr.
	{Name: "ShortRunEmphasis", IBSI: "22OV"},
	// ShortRunHighGrayLevelEmphasis (IBSI GD3A): sum_ij P(i,j) i² / j² / Nr.
	{Name: "ShortRunHighGrayLevelEmphasis", IBSI: "GD3A"},
	// ShortRunLowGrayLevelEmphasis (IBSI HTZT): sum_ij P(i,j) / (i² j²) / Nr.
	{Name: "ShortRunLowGrayLevelEmphasis", IBSI: "HTZT"},
}

func init() {
	register(&Class{Name: "glrlm", Features: glrlmFeatures, Compute: computeGLRLM})
}

// texDelta is the flat index delta of offset a (array order) in a volume of
// shape ps.
func texDelta(a [3]int, ps [3]int) int { return (a[0]*ps[1]+a[1])*ps[2] + a[2] }

// texDistances validates and defaults the distances setting.
func texDistances(s *Settings, class string) ([]int, int, error) {
	d := s.Distances
	if len(d) == 0 {
		d = []int{1}
	}
	dmax := 0
	for _, v := range d {
		if v < 1 {
			return nil, 0, fmt.Errorf("%s: distances must be >= 1, got %v", class, s.Distances)
		}
		if v > dmax {
			dmax = v
		}
	}
	return d, dmax, nil
}

// texAngles returns the neighbour offsets of a class, or an error when the
// force2D dimension is invalid or no offset fits the crop (PyRadiomics:
// "Error getting angle count").
func texAngles(shape [3]int, distances []int, bidirectional bool, s *Settings, class string) ([][3]int, error) {
	if s.Force2D && (s.Force2DDimension < 0 || s.Force2DDimension > 2) {
		return nil, fmt.Errorf("%s: force2Ddimension must be 0, 1 or 2, got %d", class, s.Force2DDimension)
	}
	a := Angles(shape, distances, bidirectional, s.Force2D, s.Force2DDimension)
	if len(a) == 0 {
		return nil, fmt.Errorf("%s: no neighbour offsets fit the region of size (z, y, x) %v", class, shape)
	}
	return a, nil
}

// sizeStats holds the sums shared by GLRLM, GLSZM and GLDM, computed on a
// matrix P(i,j) with row (grey level) values i, column (run length, zone
// size, dependence) values j and normaliser N.
type sizeStats struct {
	se, le    float64 // sum_j pj/j² / N, sum_j pj j² / N
	gln, glnn float64 // sum_i pi² / N, / N²
	cn, cnn   float64 // sum_j pj² / N, / N²
	glv, cv   float64 // variances of i and j under P/N
	ent       float64 // -sum p log2(p + eps), p = P/N
	lge, hge  float64 // sum_i pi/i² / N, sum_i pi i² / N
	slg, shg  float64 // sum P/(i² j²) / N, sum P i²/j² / N
	llg, lhg  float64 // sum P j²/i² / N, sum P i² j² / N
	npix      float64 // sum_j pj j
}

// computeSizeStats fills st from the nr x nc row-major matrix P. Rows and
// columns that are entirely zero contribute exact zeros, so they may be left
// in. buf must have room for nr + nc values. A NaN N makes every value NaN.
func computeSizeStats(st *sizeStats, P []float64, nr, nc int, ivals, jvals []float64, N float64, buf []float64) {
	*st = sizeStats{}
	if math.IsNaN(N) {
		nan := math.NaN()
		*st = sizeStats{se: nan, le: nan, gln: nan, glnn: nan, cn: nan, cnn: nan, glv: nan, cv: nan,
			ent: nan, lge: nan, hge: nan, slg: nan, shg: nan, llg: nan, lhg: nan, npix: nan}
		return
	}
	pg := buf[:nr]
	pc := buf[nr : nr+nc]
	for c := range pc {
		pc[c] = 0
	}
	var slg, shg, llg, lhg, ent float64
	for r := 0; r < nr; r++ {
		row := P[r*nc : (r+1)*nc]
		i := ivals[r]
		i2 := i * i
		s := 0.0
		for c, v := range row {
			if v == 0 {
				continue
			}
			s += v
			pc[c] += v
			j := jvals[c]
			j2 := j * j
			slg += v / (i2 * j2)
			shg += v * i2 / j2
			llg += v * j2 / i2
			lhg += v * (j2 * i2)
			p := v / N
			ent += p * math.Log2(p+Eps)
		}
		pg[r] = s
	}
	var gln, lge, hge, mi float64
	for r, v := range pg {
		if v == 0 {
			continue
		}
		i := ivals[r]
		gln += v * v
		lge += v / (i * i)
		hge += v * (i * i)
		mi += v / N * i
	}
	var glv float64
	for r, v := range pg {
		if v == 0 {
			continue
		}
		d := ivals[r] - mi
		glv += v / N * (d * d)
	}
	var se, le, cn, mj, npix float64
	for c, v := range pc {
		if v == 0 {
			continue
		}
		j := jvals[c]
		se += v / (j * j)
		le += v * (j * j)
		cn += v * v
		mj += v / N * j
		npix += v * j
	}
	var cv float64
	for c, v := range pc {
		if v == 0 {
			continue
		}
		d := jvals[c] - mj
		cv += v / N * (d * d)
	}
	st.se, st.le = se/N, le/N
	st.gln, st.glnn = gln/N, gln/(N*N)
	st.cn, st.cnn = cn/N, cn/(N*N)
	st.glv, st.cv = glv, cv
	st.ent = -ent
	st.lge, st.hge = lge/N, hge/N
	st.slg, st.shg, st.llg, st.lhg = slg/N, shg/N, llg/N, lhg/N
	st.npix = npix
}

// glrlmWeight is the weight of offset a (array order) in a merged GLRLM:
// the offset's length in mm under the norm (PyRadiomics weights GLRLMs by the
// distance itself, unlike the GLCM's exp(-d²)).
func glrlmWeight(a [3]int, sp [3]float64, norm string) (float64, error) {
	var d [3]float64
	for k := 0; k < 3; k++ {
		d[k] = math.Abs(float64(a[k])) * sp[k]
	}
	switch norm {
	case "infinity":
		return math.Max(d[0], math.Max(d[1], d[2])), nil
	case "euclidean":
		return math.Sqrt(d[0]*d[0] + d[1]*d[1] + d[2]*d[2]), nil
	case "manhattan":
		return d[0] + d[1] + d[2], nil
	case "no_weighting":
		return 1, nil
	}
	return 0, fmt.Errorf("glrlm: unknown weightingNorm %q (want euclidean, manhattan, infinity or no_weighting)", norm)
}

// glrlmMatricesGeneral is glrlmRuns for any levels and line lengths (used
// when a level or the longest line exceeds 255), with all nr columns: it
// counts the runs of every offset into P[a][row*nr + len-1] (PyRadiomics' C
// calculate_glrlm): along each line of the crop in direction a, maximal
// sequences of ROI voxels with equal level; non-ROI voxels end runs. An
// offset whose lines all hold at most one ROI voxel is zeroed. pi is the
// padded row-index volume (texPaddedIndex), pl the padded level volume.
//
// One branch-free pass per offset in memory order: the offsets are the
// lexicographically positive half, so the predecessor p - delta of voxel p on
// its line is visited first. pos[p], the 0-based position of p in its run, is
// pos[p-delta]+1 when the predecessor is in the ROI with the same level, else
// 0; E(g, k) counts the voxels of level g at position k, i.e. the runs longer
// than k, so P(g, k) = E(g, k) - E(g, k+1) (exact integers).
func glrlmMatricesGeneral(pi, pl []int32, ps, shape [3]int, pad int, angles [][3]int, ng, nr int) []float64 {
	na := len(angles)
	P := make([]float64, na*ng*nr)
	pos := make([]int32, len(pi))
	nr1 := nr + 1 // E has one spare column: E(g, nr) = 0
	e := make([]int32, ng*nr1)
	nx := shape[2]
	for ai, a := range angles {
		clear(e)
		delta := texDelta(a, ps)
		for z := 0; z < shape[0]; z++ {
			for y := 0; y < shape[1]; y++ {
				p0 := texRowStart(z, y, pad, ps)
				row := pi[p0 : p0+nx]
				if delta == 1 {
					// Along x: the position stays in a register.
					k, prev := int32(0), int32(-1)
					for _, g := range row {
						if g < 0 {
							prev = -1
							continue
						}
						k = (k + 1) & -b2i32(prev == g)
						prev = g
						e[int(g)*nr1+int(k)]++
					}
					continue
				}
				prev := pi[p0-delta : p0-delta+nx]
				cur := pos[p0 : p0+nx]
				before := pos[p0-delta : p0-delta+nx]
				for x, g := range row {
					if g < 0 {
						continue
					}
					k := (before[x] + 1) & -b2i32(prev[x] == g)
					cur[x] = k
					e[int(g)*nr1+int(k)]++
				}
			}
		}
		m := P[ai*ng*nr : (ai+1)*ng*nr]
		multi := false
		for g := 0; g < ng; g++ {
			eg, mg := e[g*nr1:(g+1)*nr1], m[g*nr:(g+1)*nr]
			for k := range mg {
				mg[k] = float64(eg[k] - eg[k+1])
			}
			multi = multi || eg[1] > 0
		}
		if !multi && !glrlmMultiLine(pl, ps, shape, pad, a) {
			clear(m)
		}
	}
	return P
}

// b2i32 is 1 for true and 0 for false.
func b2i32(b bool) int32 {
	if b {
		return 1
	}
	return 0
}

// glrlmMultiLine reports whether some line of the crop in direction a holds
// more than one ROI voxel, adjacent or not (pl: padded levels, -1 outside
// the crop). Lines start at the voxels whose predecessor lies outside the
// crop: whole rows when z or y steps out, otherwise only the first (dx = 1)
// or last (dx = -1) voxel of the row.
func glrlmMultiLine(pl []int32, ps, shape [3]int, pad int, a [3]int) bool {
	delta := texDelta(a, ps)
	walk := func(p int) bool {
		n := 0
		for q := p; pl[q] >= 0; q += delta {
			if pl[q] > 0 {
				n++
			}
		}
		return n > 1
	}
	for z := 0; z < shape[0]; z++ {
		zOut := z-a[0] < 0 || z-a[0] >= shape[0]
		for y := 0; y < shape[1]; y++ {
			p := texRowStart(z, y, pad, ps)
			if zOut || y-a[1] < 0 || y-a[1] >= shape[1] {
				for x := 0; x < shape[2]; x++ {
					if walk(p + x) {
						return true
					}
				}
			} else if a[2] == 1 && walk(p) || a[2] == -1 && walk(p+shape[2]-1) {
				return true
			}
		}
	}
	return false
}

// computeGLRLM computes the GLRLM features of r (PyRadiomics RadiomicsGLRLM):
// 13 (or 4 in-plane) unidirectional distance-1 offsets whatever the
// distances setting, per-offset features averaged with nanmean, or one
// merged matrix when WeightingNorm is set. The matrices come from glrlmRuns
// (levels and lines up to 255) or glrlmMatricesGeneral.
func computeGLRLM(r *Region, s *Settings) ([]float64, error) {
	if s == nil {
		d := DefaultSettings()
		s = &d
	}
	pad := texPad(s)
	t, err := texPrepare(r, "glrlm", pad)
	if err != nil {
		return nil, err
	}
	angles, err := texAngles(t.shape, []int{1}, false, s, "glrlm")
	if err != nil {
		return nil, err
	}
	nr := t.shape[0]
	if t.shape[1] > nr {
		nr = t.shape[1]
	}
	if t.shape[2] > nr {
		nr = t.shape[2]
	}
	ng := len(t.ivals)
	pl, ps := texPadded(r, pad)
	// mats holds one matrix per offset, matrix a with nc[a] columns (run
	// lengths 1..nc[a]; all-zero columns past the longest run may be left
	// out: they add exact zeros).
	var mats [][]float64
	var nc []int
	if t.ng <= math.MaxUint8 && nr <= math.MaxUint8 && byteVolFits(t.shape) {
		sc := getScratch()
		var counts [256]int64
		b := newByteVol(pl, ps, t.shape, pad, &sc.vol, &counts)
		mats, nc = glrlmRuns(b, sc, &counts, pl, ps, pad, t.rowOf, ng, angles, nr)
		rlPool.Put(sc)
	} else {
		pi, _ := texPaddedIndex(r, pad)
		P := glrlmMatricesGeneral(pi, pl, ps, t.shape, pad, angles, ng, nr)
		mats, nc = make([][]float64, len(angles)), make([]int, len(angles))
		for ai := range angles {
			mats[ai], nc[ai] = P[ai*ng*nr:(ai+1)*ng*nr], nr
		}
	}
	ncMax := 0
	for _, n := range nc {
		ncMax = max(ncMax, n)
	}
	if s.WeightingNorm != "" {
		sp := r.ArraySpacing()
		merged := make([]float64, ng*ncMax)
		for ai, a := range angles {
			w, err := glrlmWeight(a, sp, s.WeightingNorm)
			if err != nil {
				return nil, err
			}
			n := nc[ai]
			for g := 0; g < ng; g++ {
				dst := merged[g*ncMax : g*ncMax+n]
				for k, v := range mats[ai][g*n : (g+1)*n] {
					dst[k] += v * w
				}
			}
		}
		mats, nc = [][]float64{merged}, []int{ncMax}
	}
	ivals := t.ivals
	jvals := make([]float64, ncMax)
	for j := range jvals {
		jvals[j] = float64(j + 1)
	}
	buf := make([]float64, ng+ncMax)
	per := make([][]float64, len(glrlmFeatures))
	for f := range per {
		per[f] = make([]float64, 0, len(mats))
	}
	var st sizeStats
	for ai, m := range mats {
		N := 0.0
		for _, v := range m {
			N += v
		}
		if N == 0 {
			if len(mats) > 1 {
				continue // empty offsets are deleted
			}
			N = math.NaN()
		}
		computeSizeStats(&st, m, ng, nc[ai], ivals, jvals[:nc[ai]], N, buf)
		vals := [...]float64{st.gln, st.glnn, st.glv, st.hge, st.le, st.lhg, st.llg, st.lge,
			st.ent, st.cn, st.cnn, N / st.npix, st.cv, st.se, st.shg, st.slg}
		for f, v := range vals {
			per[f] = append(per[f], v)
		}
	}
	out := make([]float64, len(glrlmFeatures))
	for f := range out {
		out[f] = nanMean(per[f])
	}
	return out, nil
}
