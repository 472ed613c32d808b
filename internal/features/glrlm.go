package features

import (
	"fmt"
	"math"
)

// This file holds the GLRLM class and the helpers shared by the four
// "size-matrix" classes of this group (glrlm, glszm, gldm, ngtdm): input
// validation, the padded level volume and the common emphasis sums.

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

// texLevels is the validated grey-level input of a texture class.
type texLevels struct {
	shape   [3]int // crop shape, array order (z, y, x)
	ng      int    // largest level present in the ROI
	nroi    int    // number of ROI voxels
	present []bool // present[g] for g = 0..ng: level g occurs in the ROI
	// rowOf[g] is the matrix row of level g among the levels present (-1
	// when absent); ivals[row] is the level value of a row. Matrices keep
	// only present levels, as PyRadiomics does after deleting empty rows.
	rowOf []int32
	ivals []float64
}

// texPrepare validates r for the texture classes and finds the levels present.
func texPrepare(r *Region, class string) (texLevels, error) {
	var t texLevels
	if r == nil {
		return t, fmt.Errorf("%s: nil region", class)
	}
	t.shape = r.ArrayShape()
	n := 1
	for k := 0; k < 3; k++ {
		if t.shape[k] < 1 {
			return t, fmt.Errorf("%s: invalid region size %v", class, r.Size)
		}
		n *= t.shape[k]
	}
	if len(r.ROI) != n || len(r.Levels) != n {
		return t, fmt.Errorf("%s: region size %v needs %d voxels, got %d ROI flags and %d levels",
			class, r.Size, n, len(r.ROI), len(r.Levels))
	}
	for i, in := range r.ROI {
		if !in {
			continue
		}
		g := int(r.Levels[i])
		if g < 1 {
			return t, fmt.Errorf("%s: ROI voxel %d has grey level %d (levels must be >= 1)", class, i, g)
		}
		if g > t.ng {
			t.ng = g
		}
		t.nroi++
	}
	if t.nroi == 0 {
		return t, fmt.Errorf("%s: the ROI is empty", class)
	}
	t.present = make([]bool, t.ng+1)
	for i, in := range r.ROI {
		if in {
			t.present[r.Levels[i]] = true
		}
	}
	t.rowOf = make([]int32, t.ng+1)
	for g := range t.rowOf {
		t.rowOf[g] = -1
		if t.present[g] {
			t.rowOf[g] = int32(len(t.ivals))
			t.ivals = append(t.ivals, float64(g))
		}
	}
	return t, nil
}

// texPadded returns the levels of r in a volume padded by pad voxels on every
// side (array order), with ROI voxels holding their level, non-ROI voxels 0
// and the padding -1, and the padded shape. Neighbour offsets then become
// flat index deltas that need no bounds checks.
func texPadded(r *Region, shape [3]int, pad int) ([]int32, [3]int) {
	ps := [3]int{shape[0] + 2*pad, shape[1] + 2*pad, shape[2] + 2*pad}
	out := make([]int32, ps[0]*ps[1]*ps[2])
	for i := range out {
		out[i] = -1
	}
	src := 0
	for z := 0; z < shape[0]; z++ {
		for y := 0; y < shape[1]; y++ {
			dst := ((z+pad)*ps[1]+(y+pad))*ps[2] + pad
			for x := 0; x < shape[2]; x++ {
				if r.ROI[src] {
					out[dst] = r.Levels[src]
				} else {
					out[dst] = 0
				}
				src++
				dst++
			}
		}
	}
	return out, ps
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

// glrlmMatrices counts the runs of every offset into P[a][rowOf[g]*nr + len-1]
// (PyRadiomics' C calculate_glrlm): along each line of the crop in direction
// a, maximal sequences of ROI voxels with equal level; non-ROI voxels end
// runs. An offset whose lines all hold at most one ROI voxel is zeroed.
func glrlmMatrices(pl []int32, ps, shape [3]int, angles [][3]int, rowOf []int32, ng, nr int) []float64 {
	na := len(angles)
	P := make([]float64, na*ng*nr)
	for ai, a := range angles {
		m := P[ai*ng*nr : (ai+1)*ng*nr]
		delta := texDelta(a, ps)
		multi := false
		// Lines start at the voxels whose predecessor (p - delta) lies
		// outside the crop: whole rows when z or y steps out, otherwise
		// only the first (dx = 1) or last (dx = -1) voxel of the row.
		walk := func(p int) {
			gl, rl, elems := int32(0), 0, 0
			for q := p; ; q += delta {
				v := pl[q]
				if v < 0 {
					break
				}
				if v > 0 {
					elems++
					if gl == 0 {
						gl, rl = v, 0
					} else if v == gl {
						rl++
					} else {
						m[int(rowOf[gl])*nr+rl]++
						gl, rl = v, 0
					}
				} else if gl > 0 {
					m[int(rowOf[gl])*nr+rl]++
					gl = 0
				}
			}
			if gl > 0 {
				m[int(rowOf[gl])*nr+rl]++
			}
			if elems > 1 {
				multi = true
			}
		}
		for z := 0; z < shape[0]; z++ {
			zOut := z-a[0] < 0 || z-a[0] >= shape[0]
			for y := 0; y < shape[1]; y++ {
				p := ((z+1)*ps[1]+(y+1))*ps[2] + 1
				if zOut || y-a[1] < 0 || y-a[1] >= shape[1] {
					for x := 0; x < shape[2]; x++ {
						walk(p + x)
					}
				} else if a[2] == 1 {
					walk(p)
				} else if a[2] == -1 {
					walk(p + shape[2] - 1)
				}
			}
		}
		if !multi {
			for i := range m {
				m[i] = 0
			}
		}
	}
	return P
}

// computeGLRLM computes the GLRLM features of r (PyRadiomics RadiomicsGLRLM):
// 13 (or 4 in-plane) unidirectional distance-1 offsets whatever the
// distances setting, per-offset features averaged with nanmean, or one
// merged matrix when WeightingNorm is set.
func computeGLRLM(r *Region, s *Settings) ([]float64, error) {
	t, err := texPrepare(r, "glrlm")
	if err != nil {
		return nil, err
	}
	if s == nil {
		d := DefaultSettings()
		s = &d
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
	pl, ps := texPadded(r, t.shape, 1)
	P := glrlmMatrices(pl, ps, t.shape, angles, t.rowOf, ng, nr)
	mats := len(angles)
	if s.WeightingNorm != "" {
		sp := r.ArraySpacing()
		merged := make([]float64, ng*nr)
		for ai, a := range angles {
			w, err := glrlmWeight(a, sp, s.WeightingNorm)
			if err != nil {
				return nil, err
			}
			m := P[ai*ng*nr : (ai+1)*ng*nr]
			for k, v := range m {
				merged[k] += v * w
			}
		}
		P, mats = merged, 1
	}
	ivals := t.ivals
	jvals := make([]float64, nr)
	for j := range jvals {
		jvals[j] = float64(j + 1)
	}
	buf := make([]float64, ng+nr)
	per := make([][]float64, len(glrlmFeatures))
	for f := range per {
		per[f] = make([]float64, 0, mats)
	}
	var st sizeStats
	for ai := 0; ai < mats; ai++ {
		m := P[ai*ng*nr : (ai+1)*ng*nr]
		N := 0.0
		for _, v := range m {
			N += v
		}
		if N == 0 {
			if mats > 1 {
				continue // empty offsets are deleted
			}
			N = math.NaN()
		}
		computeSizeStats(&st, m, ng, nr, ivals, jvals, N, buf)
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
