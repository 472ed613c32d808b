package features

import (
	"fmt"
	"math"

	"github.com/spinerad/spinerad/internal/pairwise"
)

// glcmFeatures lists PyRadiomics' glcm features in output order (sorted
// get<Name>FeatureValue method names). Per matrix p (normalised GLCM of one
// offset; i, j level values; Ng the largest level present; ux = sum p*i,
// uy = sum p*j; px, py the marginals; p_{x+y}, p_{x-y} the sum and absolute
// difference distributions), then nanmean over offsets unless noted.
var glcmFeatures = []Feature{
	// Autocorrelation (IBSI QWB0): sum p*i*j.
	{Name: "Autocorrelation", IBSI: "QWB0"},
	// ClusterProminence (IBSI AE86): sum p*(i + j - ux - uy)^4.
	{Name: "ClusterProminence", IBSI: "AE86"},
	// ClusterShade (IBSI 7NFM): sum p*(i + j - ux - uy)^3.
	{Name: "ClusterShade", IBSI: "7NFM"},
	// ClusterTendency (IBSI DG8W): sum p*(i + j - ux - uy)^2.
	{Name: "ClusterTendency", IBSI: "DG8W"},
	// Contrast (IBSI ACUI): sum p*(i - j)^2.
	{Name: "Contrast", IBSI: "ACUI"},
	// Correlation (IBSI NI2N): sum p*(i - ux)*(j - uy) / (sx*sy + eps), 1 where sx*sy = 0.
	{Name: "Correlation", IBSI: "NI2N"},
	// DifferenceAverage (IBSI TF7R): sum_k k*p_{x-y}(k).
	{Name: "DifferenceAverage", IBSI: "TF7R"},
	// DifferenceEntropy (IBSI NTRS): -sum_k p_{x-y}(k)*log2(p_{x-y}(k) + eps).
	{Name: "DifferenceEntropy", IBSI: "NTRS"},
	// DifferenceVariance (IBSI D3YU): sum_k (k - DifferenceAverage)^2 * p_{x-y}(k).
	{Name: "DifferenceVariance", IBSI: "D3YU"},
	// Dissimilarity (IBSI 8S9J; deprecated, never output): equals DifferenceAverage.
	{Name: "Dissimilarity", IBSI: "8S9J", Deprecated: true, Silent: true},
	// Homogeneity1 (IBSI IB1Z; deprecated, never output): equals Id.
	{Name: "Homogeneity1", IBSI: "IB1Z", Deprecated: true, Silent: true},
	// Homogeneity2 (IBSI WF0Z; deprecated, never output): equals Idm.
	{Name: "Homogeneity2", IBSI: "WF0Z", Deprecated: true, Silent: true},
	// Id (IBSI IB1Z): sum_k p_{x-y}(k) / (1 + k).
	{Name: "Id", IBSI: "IB1Z"},
	// Idm (IBSI WF0Z): sum_k p_{x-y}(k) / (1 + k^2).
	{Name: "Idm", IBSI: "WF0Z"},
	// Idmn (IBSI 1QCO): sum_k p_{x-y}(k) / (1 + k^2/Ng^2).
	{Name: "Idmn", IBSI: "1QCO"},
	// Idn (IBSI NDRX): sum_k p_{x-y}(k) / (1 + k/Ng).
	{Name: "Idn", IBSI: "NDRX"},
	// Imc1 (IBSI R8DG): (HXY - HXY1) / max(HX, HY), 0 where max(HX, HY) = 0.
	{Name: "Imc1", IBSI: "R8DG"},
	// Imc2 (IBSI JN9H): sqrt(1 - exp(-2*(HXY2 - HXY))), 0 where HXY2 = HXY, NaN (dropped) for a negative radicand.
	{Name: "Imc2", IBSI: "JN9H"},
	// InverseVariance (IBSI E8JP): sum_{k>=1} p_{x-y}(k) / k^2.
	{Name: "InverseVariance", IBSI: "E8JP"},
	// JointAverage (IBSI 60VM): ux, plain mean over offsets.
	{Name: "JointAverage", IBSI: "60VM"},
	// JointEnergy (IBSI 8ZQL): sum p^2.
	{Name: "JointEnergy", IBSI: "8ZQL"},
	// JointEntropy (IBSI TU9B): HXY = -sum p*log2(p + eps).
	{Name: "JointEntropy", IBSI: "TU9B"},
	// MCC (no IBSI-1 code): sqrt(second largest eigenvalue of Q(i,i') = sum_k p(i,k)p(i',k)/(px(i)py(k) + eps)), 1 for one level.
	{Name: "MCC"},
	// MaximumProbability (IBSI GYBY): max p.
	{Name: "MaximumProbability", IBSI: "GYBY"},
	// SumAverage (IBSI ZGXS): sum_k k*p_{x+y}(k).
	{Name: "SumAverage", IBSI: "ZGXS"},
	// SumEntropy (IBSI P6QZ): -sum_k p_{x+y}(k)*log2(p_{x+y}(k) + eps).
	{Name: "SumEntropy", IBSI: "P6QZ"},
	// SumSquares (IBSI UR99): sum p*(i - ux)^2.
	{Name: "SumSquares", IBSI: "UR99"},
	// SumVariance (IBSI OEEB; deprecated, never output): equals ClusterTendency.
	{Name: "SumVariance", IBSI: "OEEB", Deprecated: true, Silent: true},
}

// Indices into glcmFeatures.
const (
	cmAutocorrelation = iota
	cmClusterProminence
	cmClusterShade
	cmClusterTendency
	cmContrast
	cmCorrelation
	cmDifferenceAverage
	cmDifferenceEntropy
	cmDifferenceVariance
	cmDissimilarity
	cmHomogeneity1
	cmHomogeneity2
	cmId
	cmIdm
	cmIdmn
	cmIdn
	cmImc1
	cmImc2
	cmInverseVariance
	cmJointAverage
	cmJointEnergy
	cmJointEntropy
	cmMCC
	cmMaximumProbability
	cmSumAverage
	cmSumEntropy
	cmSumSquares
	cmSumVariance
	cmNumFeatures
)

func init() {
	register(&Class{Name: "glcm", Features: glcmFeatures, Compute: computeGLCM})
}

// glcmSet holds the processed GLCMs of a region: after deleting absent grey
// levels, symmetrising, weighting, deleting empty offsets and normalising.
type glcmSet struct {
	// n is the number of grey levels present; mats[a] is the n*n row-major
	// matrix of offset a (row = centre level, column = neighbour level).
	n    int
	mats [][]float64
	// levels are the present level values, ascending; ng is the largest.
	levels []float64
	ng     int
}

// glcmSettings validates the GLCM settings of s and returns the distances.
func glcmSettings(s *Settings) ([]int, error) {
	dists := s.Distances
	if len(dists) == 0 {
		dists = []int{1}
	}
	for _, d := range dists {
		if d < 1 {
			return nil, fmt.Errorf("features: glcm: distance %d is not positive", d)
		}
	}
	if s.Force2D && (s.Force2DDimension < 0 || s.Force2DDimension > 2) {
		return nil, fmt.Errorf("features: glcm: force2Ddimension %d is not 0, 1 or 2", s.Force2DDimension)
	}
	switch s.WeightingNorm {
	case "", "manhattan", "euclidean", "infinity", "no_weighting":
	default:
		return nil, fmt.Errorf("features: glcm: weightingNorm %q is not one of manhattan, euclidean, infinity, no_weighting", s.WeightingNorm)
	}
	return dists, nil
}

// glcmCounts builds the asymmetric co-occurrence counts of PyRadiomics' C
// calculate_glcm for every offset in one pass over the ROI: the count at(a,
// ci, cj) is the number of ROI voxels of present-level index ci whose
// neighbour at offset angles[a] (array order z, y, x) is in the crop and in
// the ROI with index cj. pi is the padded row-index volume (texPaddedIndex,
// -1 outside the ROI and in the padding pad >= every offset component).
//
// The counts are kept in (ci+1, cj+1, a) order (glcmWork), so that the
// offsets of one voxel update neighbouring cells; a neighbour outside the
// ROI (cj = -1) goes to the unused column 0 instead of being tested for
// (and row 0 serves the AVX2 kernel likewise). Rows are counted by the AVX2
// kernel glcmCountAVX2 where available (cell indices of eight voxels per
// instruction, then the increments voxel by voxel), else by glcmCountRowGo.
func glcmCounts(pi []int32, ps, shape [3]int, pad, n int, angles [][3]int) glcmWork {
	na := len(angles)
	w := glcmWork{n: n, na: na, rs: (n + 1) * na}
	w.c = make([]int32, (n+1)*w.rs)
	delta := make([]int, na)
	off := make([]int, na)
	for a, o := range angles {
		delta[a] = texDelta(o, ps)
		off[a] = 4 * delta[a]
	}
	dlo, dhi := deltaRange(delta)
	for z := 0; z < shape[0]; z++ {
		for y := 0; y < shape[1]; y++ {
			p0 := texRowStart(z, y, pad, ps)
			if !glcmAsm || !glcmCountRowAsm(pi, p0, shape[2], delta, off, dlo, dhi, w.c, w.rs) {
				glcmCountRowGo(pi, p0, shape[2], delta, w.c, w.rs)
			}
		}
	}
	return w
}

// glcmWork holds the co-occurrence counts of glcmCounts: c[(ci+1)*rs +
// (cj+1)*na + a] for n present levels and na offsets, rs = (n+1)*na.
type glcmWork struct {
	c         []int32
	n, na, rs int
}

// at returns the count of offset a, centre index ci and neighbour index cj.
func (w glcmWork) at(a, ci, cj int) int32 { return w.c[(ci+1)*w.rs+(cj+1)*w.na+a] }

// glcmCountRowGo counts the nx voxels at padded index p0 into work (see
// glcmCounts; rs its row stride): for each ROI voxel of index ci and each
// offset a, work[(ci+1)*rs + (cj+1)*na + a]++ with cj the index of the
// neighbour (-1 outside the ROI).
func glcmCountRowGo(pi []int32, p0, nx int, delta []int, work []int32, rs int) {
	na := len(delta)
	for x, ci := range pi[p0 : p0+nx] {
		if ci < 0 {
			continue
		}
		p := p0 + x
		c := work[int(ci+1)*rs : int(ci+2)*rs]
		for a, d := range delta {
			c[int(pi[p+d]+1)*na+a]++
		}
	}
}

// buildGLCMs runs PyRadiomics' RadiomicsGLCM._calculateMatrix on r.
func buildGLCMs(r *Region, s *Settings) (*glcmSet, error) {
	dists, err := glcmSettings(s)
	if err != nil {
		return nil, err
	}
	pad := texPad(s)
	t, err := texPrepare(r, "glcm", pad)
	if err != nil {
		return nil, err
	}
	shape := t.shape
	angles := Angles(shape, dists, false, s.Force2D, s.Force2DDimension)
	set := &glcmSet{ng: t.ng, levels: t.ivals, n: len(t.ivals)}
	n := set.n
	pi, ps := texPaddedIndex(r, pad)
	w := glcmCounts(pi, ps, shape, pad, n, angles)
	nn := n * n
	mats := make([][]float64, len(angles))
	slab := make([]float64, len(angles)*nn)
	na, rs := w.na, w.rs
	for a := range mats {
		m := slab[a*nn : (a+1)*nn : (a+1)*nn]
		for i := 0; i < n; i++ {
			row := w.c[(i+1)*rs+na+a:]
			mr := m[i*n : (i+1)*n]
			if s.SymmetricalGLCM {
				// column i of the counts: c[(j+1)*rs + (i+1)*na + a]
				col := w.c[rs+(i+1)*na+a:]
				for j := range mr {
					mr[j] = float64(row[j*na]) + float64(col[j*rs])
				}
			} else {
				for j := range mr {
					mr[j] = float64(row[j*na])
				}
			}
		}
		mats[a] = m
	}

	if s.WeightingNorm != "" {
		sp := r.ArraySpacing()
		w := make([]float64, len(angles))
		for a, o := range angles {
			var d [3]float64
			for k := range d {
				d[k] = math.Abs(float64(o[k])) * sp[k]
			}
			switch s.WeightingNorm {
			case "infinity":
				m := max(d[0], d[1], d[2])
				w[a] = math.Exp(-(m * m))
			case "euclidean":
				w[a] = math.Exp(-(float64(float64(d[0]*d[0])+float64(d[1]*d[1])) + float64(d[2]*d[2])))
			case "manhattan":
				m := (d[0] + d[1]) + d[2]
				w[a] = math.Exp(-(m * m))
			default: // no_weighting
				w[a] = 1
			}
		}
		merged := make([]float64, nn)
		terms := make([]float64, len(angles))
		for k := range merged {
			for a := range mats {
				terms[a] = mats[a][k] * w[a]
			}
			merged[k] = pairwise.Sum(terms)
		}
		mats = [][]float64{merged}
	}

	// Sums (NumPy: pairwise over the contiguous matrix when one matrix is
	// left, in row-major order otherwise) and deletion of empty offsets.
	onePairwise := len(mats) == 1
	sums := make([]float64, len(mats))
	for a, m := range mats {
		sums[a] = reduceNP(m, onePairwise)
	}
	if len(mats) > 1 {
		kept := mats[:0]
		ks := sums[:0]
		for a, m := range mats {
			if sums[a] != 0 {
				kept = append(kept, m)
				ks = append(ks, sums[a])
			}
		}
		mats, sums = kept, ks
	}
	for a, m := range mats {
		sum := sums[a]
		if sum == 0 {
			sum = math.NaN()
		}
		for k := range m {
			m[k] /= sum
		}
	}
	set.mats = mats
	return set, nil
}

// reduceNP sums terms as NumPy's np.sum over GLCM axes does: pairwise
// summation (pairwise.Sum) when a single matrix remains, since the terms
// are then contiguous, else in order (a strided reduction).
func reduceNP(terms []float64, usePairwise bool) float64 {
	if usePairwise {
		return pairwise.Sum(terms)
	}
	s := 0.0
	for _, v := range terms {
		s += v
	}
	return s
}

// glcmScratch holds per-matrix work buffers.
type glcmScratch struct {
	terms, terms2, px, py, lpx, lpy, pxAddy, pxSuby, gather, kbuf []float64
	t2, t3, t4, dy, dy2                                           []float64 // glcmMatrixFeaturesSeq tables
	lvIdx                                                         []int32
	logs                                                          log2Memo
}

// computeGLCM returns the values of glcmFeatures for r, following
// PyRadiomics' radiomics/glcm.py (sums in NumPy's order, see reduceNP).
func computeGLCM(r *Region, s *Settings) ([]float64, error) {
	if s == nil {
		d := DefaultSettings()
		s = &d
	}
	set, err := buildGLCMs(r, s)
	if err != nil {
		return nil, err
	}
	return glcmFeatureValues(set)
}

// glcmFeatureValues computes every feature per matrix and aggregates over
// matrices (nanmean, NumPy pairwise order). A single (merged) matrix goes
// through glcmMatrixFeatures, which mirrors glcm.py's term arrays and their
// pairwise sums; a stack of matrices, whose sums NumPy takes in order,
// through the one-pass glcmMatrixFeaturesSeq.
func glcmFeatureValues(set *glcmSet) ([]float64, error) {
	n, ng, na := set.n, set.ng, len(set.mats)
	onePairwise := na == 1
	per := make([][]float64, cmNumFeatures)
	for f := range per {
		per[f] = make([]float64, na)
	}
	sc := &glcmScratch{
		terms:  make([]float64, n*n),
		terms2: make([]float64, n*n),
		px:     make([]float64, n),
		py:     make([]float64, n),
		lpx:    make([]float64, n),
		lpy:    make([]float64, n),
		pxAddy: make([]float64, 2*ng-1),
		pxSuby: make([]float64, ng),
		gather: make([]float64, 0, 2*n),
		kbuf:   make([]float64, 2*ng),
		lvIdx:  make([]int32, 2*ng+1),
		t2:     make([]float64, 2*ng+1),
		t3:     make([]float64, 2*ng+1),
		t4:     make([]float64, 2*ng+1),
		dy:     make([]float64, n),
		dy2:    make([]float64, n),
	}
	for k := range sc.lvIdx {
		sc.lvIdx[k] = -1
	}
	for c, l := range set.levels {
		sc.lvIdx[int(l)] = int32(c)
	}
	sc.logs.reset()
	for a, p := range set.mats {
		if onePairwise {
			glcmMatrixFeatures(p, set, sc, true, per, a)
		} else {
			glcmMatrixFeaturesSeq(p, set, sc, per, a)
		}
	}

	out := nanSlice(cmNumFeatures)
	for f := range per {
		switch f {
		case cmDissimilarity, cmHomogeneity1, cmHomogeneity2, cmSumVariance, cmMCC:
			continue
		case cmJointAverage:
			if na > 0 {
				out[f] = pairwise.Sum(per[f]) / float64(na)
			}
		default:
			out[f] = nanMeanNP(per[f])
		}
	}
	out[cmMCC] = glcmMCC(set, sc)
	return out, nil
}

// glcmMatrixFeatures computes the per-matrix values of matrix a (p, n*n,
// normalised) into per[f][a].
func glcmMatrixFeatures(p []float64, set *glcmSet, sc *glcmScratch, usePairwise bool, per [][]float64, a int) {
	n, ng := set.n, set.ng
	lv := set.levels
	t := sc.terms
	red := func(b []float64) float64 { return reduceNP(b, usePairwise) }

	glcmMarginals(p, n, usePairwise, sc.px, sc.py)
	for i := 0; i < n; i++ {
		for j := 0; j < n; j++ {
			t[i*n+j] = lv[i] * p[i*n+j]
		}
	}
	ux := red(t)
	for i := 0; i < n; i++ {
		for j := 0; j < n; j++ {
			t[i*n+j] = lv[j] * p[i*n+j]
		}
	}
	uy := red(t)

	// p_{x+y}(k), k = 2..2Ng, and p_{x-y}(k), k = 0..Ng-1: cells gathered
	// in row-major order (NumPy boolean indexing), then summed.
	for k := 2; k <= 2*ng; k++ {
		g := sc.gather[:0]
		for i := 0; i < n; i++ {
			lj := k - int(lv[i])
			if lj >= 1 && lj <= ng {
				if j := sc.lvIdx[lj]; j >= 0 {
					g = append(g, p[i*n+int(j)])
				}
			}
		}
		sc.pxAddy[k-2] = red(g)
	}
	for k := 0; k < ng; k++ {
		g := sc.gather[:0]
		for i := 0; i < n; i++ {
			li := int(lv[i])
			if lj := li - k; k > 0 && lj >= 1 {
				if j := sc.lvIdx[lj]; j >= 0 {
					g = append(g, p[i*n+int(j)])
				}
			}
			if lj := li + k; lj <= ng {
				if j := sc.lvIdx[lj]; j >= 0 {
					g = append(g, p[i*n+int(j)])
				}
			}
		}
		sc.pxSuby[k] = red(g)
	}

	// Sums over the matrix: each term array is filled in row-major order
	// (explicit loops, same expressions as glcm.py) and reduced as NumPy.
	logEps := log2NP(Eps) // log2(v + eps) of an empty cell
	for k, v := range p {
		if v == 0 {
			t[k] = v * logEps
		} else {
			t[k] = v * log2NP(v+Eps)
		}
	}
	hxy := -1 * red(t)
	for i := 0; i < n; i++ {
		li, row, tr := lv[i], p[i*n:(i+1)*n], t[i*n:(i+1)*n]
		for j, v := range row {
			tr[j] = v * (li * lv[j])
		}
	}
	per[cmAutocorrelation][a] = red(t)
	for i := 0; i < n; i++ {
		li, row, tr := lv[i], p[i*n:(i+1)*n], t[i*n:(i+1)*n]
		for j, v := range row {
			tr[j] = v * pow4NP(li+lv[j]-ux-uy)
		}
	}
	per[cmClusterProminence][a] = red(t)
	for i := 0; i < n; i++ {
		li, row, tr := lv[i], p[i*n:(i+1)*n], t[i*n:(i+1)*n]
		for j, v := range row {
			tr[j] = v * cubeNP(li+lv[j]-ux-uy)
		}
	}
	per[cmClusterShade][a] = red(t)
	for i := 0; i < n; i++ {
		li, row, tr := lv[i], p[i*n:(i+1)*n], t[i*n:(i+1)*n]
		for j, v := range row {
			d := li + lv[j] - ux - uy
			tr[j] = v * (d * d)
		}
	}
	per[cmClusterTendency][a] = red(t)
	for i := 0; i < n; i++ {
		li, row, tr := lv[i], p[i*n:(i+1)*n], t[i*n:(i+1)*n]
		for j, v := range row {
			d := li - lv[j]
			tr[j] = v * (d * d)
		}
	}
	per[cmContrast][a] = red(t)
	for i := 0; i < n; i++ {
		d := lv[i] - ux
		d2, row, tr := d*d, p[i*n:(i+1)*n], t[i*n:(i+1)*n]
		for j, v := range row {
			tr[j] = v * d2
		}
	}
	ssx := red(t)
	for i := 0; i < n; i++ {
		row, tr := p[i*n:(i+1)*n], t[i*n:(i+1)*n]
		for j, v := range row {
			d := lv[j] - uy
			tr[j] = v * (d * d)
		}
	}
	ssy := red(t)
	for i := 0; i < n; i++ {
		di, row, tr := lv[i]-ux, p[i*n:(i+1)*n], t[i*n:(i+1)*n]
		for j, v := range row {
			tr[j] = v * di * (lv[j] - uy)
		}
	}
	corm := red(t)
	sigxy := math.Sqrt(ssx) * math.Sqrt(ssy)
	if sigxy == 0 {
		per[cmCorrelation][a] = 1
	} else {
		per[cmCorrelation][a] = corm / (sigxy + Eps)
	}
	per[cmSumSquares][a] = ssx
	for k, v := range p {
		t[k] = v * v
	}
	per[cmJointEnergy][a] = red(t)
	per[cmJointEntropy][a] = hxy
	per[cmJointAverage][a] = ux
	mp := p[0] // np.amax: NaN propagates
	for _, v := range p {
		if math.IsNaN(v) {
			mp = v
			break
		}
		if v > mp {
			mp = v
		}
	}
	per[cmMaximumProbability][a] = mp

	// Information measures of correlation. HXY1 and HXY2 share the
	// logarithm log2(px(i)py(j) + eps).
	for i := 0; i < n; i++ {
		sc.lpx[i] = sc.px[i] * log2NP(sc.px[i]+Eps)
		sc.lpy[i] = sc.py[i] * log2NP(sc.py[i]+Eps)
	}
	hx := -1 * red(sc.lpx)
	hy := -1 * red(sc.lpy)
	t2 := sc.terms2
	for i := 0; i < n; i++ {
		pxi, row, tr, tr2 := sc.px[i], p[i*n:(i+1)*n], t[i*n:(i+1)*n], t2[i*n:(i+1)*n]
		for j, v := range row {
			q := pxi * sc.py[j]
			l := log2NP(q + Eps)
			tr[j] = v * l
			tr2[j] = q * l
		}
	}
	hxy1 := -1 * red(t)
	hxy2 := -1 * red(t2)
	per[cmImc1][a], per[cmImc2][a] = glcmIMC(hx, hy, hxy, hxy1, hxy2)

	// Features of p_{x-y} (k = 0..Ng-1) and p_{x+y} (k = 2..2Ng).
	pd := sc.pxSuby
	kb := sc.kbuf[:ng]
	ngf := float64(ng)
	kmap := func(term func(k, v float64) float64) float64 {
		for k, v := range pd {
			kb[k] = term(float64(k), v)
		}
		return red(kb)
	}
	da := kmap(func(k, v float64) float64 { return k * v })
	per[cmDifferenceAverage][a] = da
	per[cmDifferenceEntropy][a] = -1 * kmap(func(_, v float64) float64 { return v * log2NP(v+Eps) })
	per[cmDifferenceVariance][a] = kmap(func(k, v float64) float64 {
		d := k - da
		return v * (d * d)
	})
	per[cmIdm][a] = kmap(func(k, v float64) float64 { return v / (1 + k*k) })
	per[cmIdmn][a] = kmap(func(k, v float64) float64 { return v / (1 + (k*k)/float64(ng*ng)) })
	per[cmId][a] = kmap(func(k, v float64) float64 { return v / (1 + k) })
	per[cmIdn][a] = kmap(func(k, v float64) float64 { return v / (1 + k/ngf) })
	iv := kb[:0]
	for k := 1; k < ng; k++ {
		kf := float64(k)
		iv = append(iv, pd[k]/(kf*kf))
	}
	per[cmInverseVariance][a] = red(iv)
	ps := sc.pxAddy
	kb = sc.kbuf[:len(ps)]
	for k, v := range ps {
		kb[k] = float64(k+2) * v
	}
	per[cmSumAverage][a] = red(kb)
	for k, v := range ps {
		kb[k] = v * log2NP(v+Eps)
	}
	per[cmSumEntropy][a] = -1 * red(kb)
}

// fmaxNP is np.fmax: the larger value, ignoring a NaN operand.
func fmaxNP(a, b float64) float64 {
	switch {
	case math.IsNaN(a):
		return b
	case math.IsNaN(b):
		return a
	case b > a:
		return b
	}
	return a
}

// nanMeanNP is np.nanmean of a contiguous float64 vector: the NumPy pairwise
// sum with NaNs replaced by 0, divided by the number of non-NaN entries;
// NaN when there is none.
func nanMeanNP(v []float64) float64 {
	b := make([]float64, len(v))
	cnt := 0
	for i, x := range v {
		if !math.IsNaN(x) {
			b[i] = x
			cnt++
		}
	}
	if cnt == 0 {
		return math.NaN()
	}
	return pairwise.Sum(b) / float64(cnt)
}

// glcmMarginals fills px (row sums) and py (column sums) of the n*n matrix
// p as NumPy forms them: a row is contiguous, hence pairwise-summed, when a
// single matrix is left; a column is always a strided, in-order sum.
func glcmMarginals(p []float64, n int, usePairwise bool, px, py []float64) {
	for i := 0; i < n; i++ {
		px[i] = reduceNP(p[i*n:(i+1)*n], usePairwise)
	}
	for j := 0; j < n; j++ {
		s := 0.0
		for i := 0; i < n; i++ {
			s += p[i*n+j]
		}
		py[j] = s
	}
}

// complexRealPairwiseSumNP is the real part of NumPy's pairwise sum of a
// contiguous complex128 vector whose real parts are re: NumPy sums the
// interleaved (re, im) scalars, so fewer than 4 values are added in order,
// up to 64 use four accumulators combined as (r0+r1)+(r2+r3) plus the rest in
// order, and longer vectors split at (m - m%8)/2 values.
func complexRealPairwiseSumNP(re []float64) float64 {
	m := len(re)
	switch {
	case 2*m < 8:
		s := 0.0
		for _, v := range re {
			s += v
		}
		return s
	case 2*m <= 128:
		r0, r1, r2, r3 := re[0], re[1], re[2], re[3]
		lim := m - m%4
		i := 4
		for ; i < lim; i += 4 {
			r0 += re[i]
			r1 += re[i+1]
			r2 += re[i+2]
			r3 += re[i+3]
		}
		s := (r0 + r1) + (r2 + r3)
		for ; i < m; i++ {
			s += re[i]
		}
		return s
	default:
		n2 := m // scalars/2
		n2 -= n2 % 8
		return complexRealPairwiseSumNP(re[:n2/2]) + complexRealPairwiseSumNP(re[n2/2:])
	}
}

// glcmIMC returns PyRadiomics' Imc1 = (HXY - HXY1) / max(HX, HY) (0 when
// the maximum is 0) and Imc2 = sqrt(1 - exp(-2 (HXY2 - HXY))) (0 when
// HXY2 == HXY) from the entropies of one matrix.
func glcmIMC(hx, hy, hxy, hxy1, hxy2 float64) (imc1, imc2 float64) {
	if div := fmaxNP(hx, hy); div != 0 {
		imc1 = (hxy - hxy1) / div
	}
	if hxy2 != hxy {
		imc2 = math.Sqrt(1 - math.Exp(-2*(hxy2-hxy)))
	}
	return imc1, imc2
}
