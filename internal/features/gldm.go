package features

import (
	"fmt"
	"math"
)

// gldmFeatures lists the GLDM features (IBSI's NGLDM) in PyRadiomics' output
// order, deprecated ones included. Nz is the number of ROI voxels, P(i,j) the
// dependence matrix (level i, dependence size j = dependent neighbours + 1),
// pd(j) = sum_i P(i,j), pg(i) = sum_j P(i,j).
var gldmFeatures = []Feature{
	// DependenceEntropy (IBSI FCBV): -sum_ij p log2(p + eps), p = P/Nz.
	{Name: "DependenceEntropy", IBSI: "FCBV"},
	// DependenceNonUniformity (IBSI Z87G): sum_j pd(j)² / Nz.
	{Name: "DependenceNonUniformity", IBSI: "Z87G"},
	// DependenceNonUniformityNormalized (IBSI OKJI): sum_j pd(j)² / Nz².
	{Name: "DependenceNonUniformityNormalized", IBSI: "OKJI"},
	// DependencePercentage (IBSI 6XV8): deprecated (always 1), never output.
	{Name: "DependencePercentage", IBSI: "6XV8", Deprecated: true, Silent: true},
	// DependenceVariance (IBSI DNX2): with q = pd/Nz, sum_j q(j) (j - sum_j q(j) j)².
	{Name: "DependenceVariance", IBSI: "DNX2"},
	// GrayLevelNonUniformity (IBSI FP8K): sum_i pg(i)² / Nz.
	{Name: "GrayLevelNonUniformity", IBSI: "FP8K"},
	// GrayLevelNonUniformityNormalized (IBSI 5SPA): deprecated (equals firstorder Uniformity), never output.
	{Name: "GrayLevelNonUniformityNormalized", IBSI: "5SPA", Deprecated: true, Silent: true},
	// GrayLevelVariance (IBSI 1PFV): with q = pg/Nz, sum_i q(i) (i - sum_i q(i) i)².
	{Name: "GrayLevelVariance", IBSI: "1PFV"},
	// HighGrayLevelEmphasis (IBSI OAE7): sum_i pg(i) i² / Nz.
	{Name: "HighGrayLevelEmphasis", IBSI: "OAE7"},
	// LargeDependenceEmphasis (IBSI IMOQ): sum_j pd(j) j² / Nz.
	{Name: "LargeDependenceEmphasis", IBSI: "IMOQ"},
	// LargeDependenceHighGrayLevelEmphasis (IBSI 9QMG): sum_ij P(i,j) i² j² / Nz.
	{Name: "LargeDependenceHighGrayLevelEmphasis", IBSI: "9QMG"},
	// LargeDependenceLowGrayLevelEmphasis (IBSI NBZI): sum_ij P(i,j) j² / i² / Nz.
	{Name: "LargeDependenceLowGrayLevelEmphasis", IBSI: "NBZI"},
	// LowGrayLevelEmphasis (IBSI TL9H): sum_i pg(i) / i² / Nz.
	{Name: "LowGrayLevelEmphasis", IBSI: "TL9H"},
	// SmallDependenceEmphasis (IBSI SODN): sum_j pd(j) / j² / Nz.
	{Name: "SmallDependenceEmphasis", IBSI: "SODN"},
	// SmallDependenceHighGrayLevelEmphasis (IBSI JA6D): sum_ij P(i,j) i² / j² / Nz.
	{Name: "SmallDependenceHighGrayLevelEmphasis", IBSI: "JA6D"},
	// SmallDependenceLowGrayLevelEmphasis (IBSI EQ3F): sum_ij P(i,j) / (i² j²) / Nz.
	{Name: "SmallDependenceLowGrayLevelEmphasis", IBSI: "EQ3F"},
}

func init() {
	register(&Class{Name: "gldm", Features: gldmFeatures, Compute: computeGLDM})
}

// gldmMatrix counts P[rowOf[g]*(na+1) + dep] (PyRadiomics' C calculate_gldm):
// dep is the number of offsets whose neighbour is in the ROI with
// |g - g_neighbour| <= alpha. In the same pass it fills the NGTDM sums n and
// s of ngtdmSums (same neighbourhood), which the ngtdm class then reuses. It
// is the plain voxel-by-voxel form of gldmNGTDMPass, with int64 level sums,
// used when those sums could overflow the int32 lanes of gldmRow.
func gldmMatrix(pl []int32, ps, shape [3]int, pad int, deltas []int, rowOf []int32, ng int, alpha int32, n, s []float64) []float64 {
	nc := len(deltas) + 1
	P := make([]float64, ng*nc)
	for z := 0; z < shape[0]; z++ {
		for y := 0; y < shape[1]; y++ {
			p := texRowStart(z, y, pad, ps)
			for x := 0; x < shape[2]; x, p = x+1, p+1 {
				g := pl[p]
				if g <= 0 {
					continue
				}
				// Branch-free: in = 1 when w > 0 (pl >= -1), ok = 1 when
				// |g - w| <= alpha; cnt and sum count and add the levels of
				// the ROI neighbours (integer sums equal C's double sums).
				var dep, cnt int32
				var sum int64
				for _, d := range deltas {
					w := pl[p+d]
					in := int32(uint32(-w) >> 31)
					diff := g - w
					m := diff >> 31
					diff = (diff ^ m) - m
					ok := int32(uint32(diff-alpha-1) >> 31)
					dep += in & ok
					cnt += in
					sum += int64(w & -in)
				}
				P[int(rowOf[g])*nc+int(dep)]++
				diff := 0.0
				if cnt != 0 {
					diff = math.Abs(float64(g) - float64(sum)/float64(cnt))
				}
				n[g]++
				s[g] += diff
			}
		}
	}
	return P
}

// computeGLDM computes the GLDM features of r (PyRadiomics RadiomicsGLDM):
// bidirectional offsets of the distances setting, dependence coarseness
// GLDMAlpha, one matrix. The matrix and the NGTDM sums (cached for the ngtdm
// class) come from one row-wise neighbourhood pass, gldmNGTDMPass (an AVX2
// kernel eight voxels at a time where available), or from the int64 voxel
// loop gldmMatrix when the neighbour level sums could overflow int32.
func computeGLDM(r *Region, s *Settings) ([]float64, error) {
	if s == nil {
		d := DefaultSettings()
		s = &d
	}
	pad := texPad(s)
	t, err := texPrepare(r, "gldm", pad)
	if err != nil {
		return nil, err
	}
	if s.GLDMAlpha < 0 {
		return nil, fmt.Errorf("gldm: gldm_a must be >= 0, got %d", s.GLDMAlpha)
	}
	dist, _, err := texDistances(s, "gldm")
	if err != nil {
		return nil, err
	}
	angles, err := texAngles(t.shape, dist, true, s, "gldm")
	if err != nil {
		return nil, err
	}
	pl, ps := texPadded(r, pad)
	deltas := make([]int, len(angles))
	for i, a := range angles {
		deltas[i] = texDelta(a, ps)
	}
	// Level differences never exceed ng - 1, so larger alphas are equivalent
	// to ng (and cannot overflow the branch-free comparison).
	alpha := int32(t.ng)
	if s.GLDMAlpha < t.ng {
		alpha = int32(s.GLDMAlpha)
	}
	ng, nc := len(t.ivals), len(deltas)+1
	nAll := make([]float64, t.ng+1)
	sAll := make([]float64, t.ng+1)
	var P []float64
	if gldmFitsInt32(t.ng, len(deltas)) {
		Pc := make([]int32, ng*nc)
		gldmNGTDMPass(pl, ps, t.shape, pad, deltas, alpha, t.rowOf, nc, Pc, nil, sAll)
		P = make([]float64, ng*nc)
		for k, v := range Pc {
			P[k] = float64(v)
		}
		// n[g] is the number of voxels of level g: its row sum in P.
		for g, row := range t.rowOf {
			if row >= 0 {
				cnt := int64(0)
				for _, v := range Pc[int(row)*nc : int(row+1)*nc] {
					cnt += int64(v)
				}
				nAll[g] = float64(cnt)
			}
		}
	} else {
		P = gldmMatrix(pl, ps, t.shape, pad, deltas, t.rowOf, ng, alpha, nAll, sAll)
	}
	r.tex.ngtdm = &ngtdmCache{pad: pad, angles: angles, n: nAll, s: sAll}
	ivals := t.ivals
	jvals := make([]float64, nc)
	for j := range jvals {
		jvals[j] = float64(j + 1)
	}
	var st sizeStats
	computeSizeStats(&st, P, ng, nc, ivals, jvals, float64(t.nroi), make([]float64, ng+nc))
	nan := math.NaN()
	return []float64{st.ent, st.cn, st.cnn, nan, st.cv, st.gln, nan, st.glv, st.hge,
		st.le, st.lhg, st.llg, st.lge, st.se, st.shg, st.slg}, nil
}
