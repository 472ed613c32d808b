package features

import (
	"math"
	"slices"
)

// ngtdmFeatures lists the NGTDM features in PyRadiomics' output order. Over
// the levels i present in the ROI: n_i voxels, p_i = n_i/Nvp (Nvp = all ROI
// voxels), s_i = sum of |i - mean neighbour level| of those voxels, Ngp the
// number of levels present.
var ngtdmFeatures = []Feature{
	// Busyness (IBSI NQ30): sum_i p_i s_i / sum_ij |i p_i - j p_j| (0 if the denominator is 0).
	{Name: "Busyness", IBSI: "NQ30"},
	// Coarseness (IBSI QCDE): 1 / sum_i p_i s_i (1e6 if the sum is 0).
	{Name: "Coarseness", IBSI: "QCDE"},
	// Complexity (IBSI HDEZ): sum_ij |i - j| (p_i s_i + p_j s_j) / (p_i + p_j) / Nvp.
	{Name: "Complexity", IBSI: "HDEZ"},
	// Contrast (IBSI 65HE): sum_ij p_i p_j (i - j)² · sum_i s_i / Nvp / (Ngp (Ngp - 1)) (0 if Ngp <= 1).
	{Name: "Contrast", IBSI: "65HE"},
	// Strength (IBSI 1X9X): sum_ij (p_i + p_j)(i - j)² / sum_i s_i (0 if sum_i s_i = 0).
	{Name: "Strength", IBSI: "1X9X"},
}

func init() {
	register(&Class{Name: "ngtdm", Features: ngtdmFeatures, Compute: computeNGTDM})
}

// ngtdmSums fills n[g] and s[g] (PyRadiomics' C calculate_ngtdm): for each ROI
// voxel of level g, n[g]++ and s[g] += |g - mean level of its ROI neighbours|,
// or += 0 when it has none. Voxels are visited in array order, as in C. It
// is gldmNGTDMPass without the dependence matrix, or the plain voxel loop
// (int64 level sums) when those sums could overflow int32.
func ngtdmSums(pl []int32, ps, shape [3]int, pad int, deltas []int, n, s []float64) {
	if gldmFitsInt32(len(n), len(deltas)) {
		cnt := make([]int64, len(n))
		gldmNGTDMPass(pl, ps, shape, pad, deltas, 0, nil, 0, nil, cnt, s)
		for g, v := range cnt {
			n[g] = float64(v)
		}
		return
	}
	for z := 0; z < shape[0]; z++ {
		for y := 0; y < shape[1]; y++ {
			p := ((z+pad)*ps[1]+(y+pad))*ps[2] + pad
			for x := 0; x < shape[2]; x, p = x+1, p+1 {
				g := pl[p]
				if g <= 0 {
					continue
				}
				// Branch-free count and integer sum of the ROI neighbours
				// (pl >= -1, so b = 1 exactly when w > 0). The integer sum
				// equals C's double sum of ints exactly.
				var cnt int32
				var sum int64
				for _, d := range deltas {
					w := pl[p+d]
					b := int32(uint32(-w) >> 31)
					cnt += b
					sum += int64(w & -b)
				}
				diff := 0.0
				if cnt != 0 {
					diff = math.Abs(float64(g) - float64(sum)/float64(cnt))
				}
				n[g]++
				s[g] += diff
			}
		}
	}
}

// computeNGTDM computes the NGTDM features of r (PyRadiomics RadiomicsNGTDM):
// bidirectional offsets of the distances setting; voxels without ROI
// neighbours count in n with s += 0 (unlike IBSI).
func computeNGTDM(r *Region, s *Settings) ([]float64, error) {
	if s == nil {
		d := DefaultSettings()
		s = &d
	}
	pad := texPad(s)
	t, err := texPrepare(r, "ngtdm", pad)
	if err != nil {
		return nil, err
	}
	dist, _, err := texDistances(s, "ngtdm")
	if err != nil {
		return nil, err
	}
	angles, err := texAngles(t.shape, dist, true, s, "ngtdm")
	if err != nil {
		return nil, err
	}
	var nAll, sAll []float64
	if c := r.tex.ngtdm; c != nil && c.pad == pad && slices.Equal(c.angles, angles) {
		nAll, sAll = c.n, c.s // computed by the gldm class in its pass
	} else {
		pl, ps := texPadded(r, pad)
		deltas := make([]int, len(angles))
		for i, a := range angles {
			deltas[i] = texDelta(a, ps)
		}
		nAll = make([]float64, t.ng+1)
		sAll = make([]float64, t.ng+1)
		ngtdmSums(pl, ps, t.shape, pad, deltas, nAll, sAll)
	}

	// Keep the levels present (n > 0).
	var iv, nv, sv []float64
	for g := 1; g <= t.ng; g++ {
		if nAll[g] > 0 {
			iv = append(iv, float64(g))
			nv = append(nv, nAll[g])
			sv = append(sv, sAll[g])
		}
	}
	return ngtdmFeatureValues(iv, nv, sv), nil
}

// ngtdmFeatureValues computes the five NGTDM features, in output order, from
// the level values iv, counts nv and difference sums sv of the levels present.
func ngtdmFeatureValues(iv, nv, sv []float64) []float64 {
	m := len(iv)
	nvp := 0.0
	for _, v := range nv {
		nvp += v
	}
	p := make([]float64, m)
	for k, v := range nv {
		p[k] = v / nvp
	}
	var sumPS, sumS float64
	for k := range p {
		sumPS += p[k] * sv[k]
		sumS += sv[k]
	}
	var con, busyDen, cplx, str float64
	for a := 0; a < m; a++ {
		for b := 0; b < m; b++ {
			d := iv[a] - iv[b]
			d2 := d * d
			con += p[a] * p[b] * d2
			busyDen += math.Abs(iv[a]*p[a] - iv[b]*p[b])
			cplx += math.Abs(d) * (p[a]*sv[a] + p[b]*sv[b]) / (p[a] + p[b])
			str += (p[a] + p[b]) * d2
		}
	}
	coarse := 1e6
	if sumPS != 0 {
		coarse = 1 / sumPS
	}
	con = con * sumS / nvp
	if div := float64(m * (m - 1)); div != 0 {
		con /= div
	} else {
		con = 0
	}
	busy := 0.0
	if busyDen != 0 {
		busy = sumPS / busyDen
	}
	cplx /= nvp
	if sumS != 0 {
		str /= sumS
	} else {
		str = 0
	}
	return []float64{busy, coarse, cplx, con, str}
}
