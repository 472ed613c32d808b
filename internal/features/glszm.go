package features

import (
	"fmt"
	"math"
)

// glszmFeatures lists the GLSZM features in PyRadiomics' output order. Nz is
// the number of zones, Np the number of ROI voxels, P(i,j) the zone matrix
// (level i, zone size j), ps(j) = sum_i P(i,j), pg(i) = sum_j P(i,j).
var glszmFeatures = []Feature{
	// GrayLevelNonUniformity (IBSI JNSA): sum_i pg(i)² / Nz.
	{Name: "GrayLevelNonUniformity", IBSI: "JNSA"},
	// GrayLevelNonUniformityNormalized (IBSI Y1RO): sum_i pg(i)² / Nz².
	{Name: "GrayLevelNonUniformityNormalized", IBSI: "Y1RO"},
	// GrayLevelVariance (IBSI BYLV): with q = pg/Nz, sum_i q(i) (i - sum_i q(i) i)².
	{Name: "GrayLevelVariance", IBSI: "BYLV"},
	// HighGrayLevelZoneEmphasis (IBSI 5GN9): sum_i pg(i) i² / Nz.
	{Name: "HighGrayLevelZoneEmphasis", IBSI: "5GN9"},
	// LargeAreaEmphasis (IBSI 48P8): sum_j ps(j) j² / Nz.
	{Name: "LargeAreaEmphasis", IBSI: "48P8"},
	// LargeAreaHighGrayLevelEmphasis (IBSI J17V): sum_ij P(i,j) i² j² / Nz.
	{Name: "LargeAreaHighGrayLevelEmphasis", IBSI: "J17V"},
	// LargeAreaLowGrayLevelEmphasis (IBSI YH51): sum_ij P(i,j) j² / i² / Nz.
	{Name: "LargeAreaLowGrayLevelEmphasis", IBSI: "YH51"},
	// LowGrayLevelZoneEmphasis (IBSI XMSY): sum_i pg(i) / i² / Nz.
	{Name: "LowGrayLevelZoneEmphasis", IBSI: "XMSY"},
	// SizeZoneNonUniformity (IBSI 4JP3): sum_j ps(j)² / Nz.
	{Name: "SizeZoneNonUniformity", IBSI: "4JP3"},
	// SizeZoneNonUniformityNormalized (IBSI VB3A): sum_j ps(j)² / Nz².
	{Name: "SizeZoneNonUniformityNormalized", IBSI: "VB3A"},
	// SmallAreaEmphasis (IBSI 5QRC): sum_j ps(j) / j² / Nz.
	{Name: "SmallAreaEmphasis", IBSI: "5QRC"},
	// SmallAreaHighGrayLevelEmphasis (IBSI HW1V): sum_ij P(i,j) i² / j² / Nz.
	{Name: "SmallAreaHighGrayLevelEmphasis", IBSI: "HW1V"},
	// SmallAreaLowGrayLevelEmphasis (IBSI 5RAI): sum_ij P(i,j) / (i² j²) / Nz.
	{Name: "SmallAreaLowGrayLevelEmphasis", IBSI: "5RAI"},
	// ZoneEntropy (IBSI GU8N): -sum_ij p log2(p + eps), p = P/Nz.
	{Name: "ZoneEntropy", IBSI: "GU8N"},
	// ZonePercentage (IBSI P30P): Nz / Np, Np = sum_j ps(j) j.
	{Name: "ZonePercentage", IBSI: "P30P"},
	// ZoneVariance (IBSI 3NSA): with q = ps/Nz, sum_j q(j) (j - sum_j q(j) j)².
	{Name: "ZoneVariance", IBSI: "3NSA"},
}

func init() {
	register(&Class{Name: "glszm", Features: glszmFeatures, Compute: computeGLSZM})
}

// glszmZones finds the zones (PyRadiomics' C calculate_glszm): connected
// components of ROI voxels of equal level, connected through the flat index
// deltas, by an iterative flood fill that marks visited voxels -1 in pi (a
// private copy of the padded row-index volume). It returns the row (level
// index) and size of every zone, in pairs, and the largest size.
//
// The neighbour loop is branch-free: every neighbour is written to the top of
// the stack, which grows only when the neighbour joins the zone, and is
// marked visited (-1) by a mask.
func glszmZones(pi []int32, ps, shape [3]int, pad int, deltas []int, nroi int) ([]int32, int) {
	zones := make([]int32, 0, 2*nroi)
	stack := make([]int32, nroi+len(deltas)+1)
	maxSize := 0
	for z := 0; z < shape[0]; z++ {
		for y := 0; y < shape[1]; y++ {
			p := texRowStart(z, y, pad, ps)
			for x := 0; x < shape[2]; x, p = x+1, p+1 {
				g := pi[p]
				if g < 0 {
					continue
				}
				pi[p] = -1
				stack[0] = int32(p)
				sp, size := 1, 0
				for sp > 0 {
					sp--
					k := int(stack[sp])
					size++
					for _, d := range deltas {
						q := k + d
						w := pi[q]
						in := b2i32(w == g)
						stack[sp] = int32(q)
						sp += int(in)
						pi[q] = w | -in
					}
				}
				maxSize = max(maxSize, size)
				zones = append(zones, g, int32(size))
			}
		}
	}
	return zones, maxSize
}

// computeGLSZM computes the GLSZM features of r (PyRadiomics RadiomicsGLSZM):
// one matrix of the zones of all slices, 26-connected (8-connected in-plane
// with force2D or a one-slice crop); distances and weightingNorm are ignored.
func computeGLSZM(r *Region, s *Settings) ([]float64, error) {
	if s == nil {
		d := DefaultSettings()
		s = &d
	}
	pad := texPad(s)
	t, err := texPrepare(r, "glszm", pad)
	if err != nil {
		return nil, err
	}
	angles, err := texAngles(t.shape, []int{1}, true, s, "glszm")
	if err != nil {
		return nil, err
	}
	shared, ps := texPaddedIndex(r, pad)
	if len(shared) > math.MaxInt32 {
		return nil, fmt.Errorf("glszm: region of size %v is too large", r.Size)
	}
	pi := make([]int32, len(shared))
	copy(pi, shared)
	deltas := make([]int, len(angles))
	for i, a := range angles {
		deltas[i] = texDelta(a, ps)
	}
	zones, maxSize := glszmZones(pi, ps, t.shape, pad, deltas, t.nroi)

	// Compress the zone-size axis to the sizes that occur (PyRadiomics
	// deletes all-zero size columns; j keeps its value).
	col := make([]int32, maxSize+1)
	for k := 1; k < len(zones); k += 2 {
		col[zones[k]] = 1
	}
	var jvals []float64
	for sz := 1; sz <= maxSize; sz++ {
		if col[sz] != 0 {
			col[sz] = int32(len(jvals))
			jvals = append(jvals, float64(sz))
		}
	}
	ng, nc := len(t.ivals), len(jvals)
	P := make([]float64, ng*nc)
	for k := 0; k < len(zones); k += 2 {
		P[int(zones[k])*nc+int(col[zones[k+1]])]++
	}
	ivals := t.ivals
	nz := float64(len(zones) / 2)
	var st sizeStats
	computeSizeStats(&st, P, ng, nc, ivals, jvals, nz, make([]float64, ng+nc))
	return []float64{st.gln, st.glnn, st.glv, st.hge, st.le, st.lhg, st.llg, st.lge,
		st.cn, st.cnn, st.se, st.shg, st.slg, st.ent, nz / st.npix, st.cv}, nil
}
