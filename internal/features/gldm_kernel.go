package features

import "math"

// This file holds the neighbourhood pass shared by GLDM and NGTDM: for every
// ROI voxel, the number of dependent neighbours (GLDM) and the count and level
// sum of its ROI neighbours (NGTDM), over an arbitrary list of neighbour
// offsets, a crop row at a time. The per-voxel work (a compare, a count and
// a sum per offset, then the NGTDM term |g - sum/cnt|) is done eight voxels
// per instruction by an AVX2 kernel (gldm_amd64.s: int32 lanes, then the
// term in float64 lanes with the same correctly rounded operations as the
// scalar code); the row's voxels are then added to the matrix and to the
// float64 sums s[g] one by one in raster order, as C does, so every bit
// stays the same. gldmRowGo is the portable form and the reference.

// gldmRowGo fills, for the nx voxels of the padded level volume pl starting at
// p0 (a crop row), dep[x] = the number of offsets d of deltas whose neighbour
// pl[p0+x+d] is an ROI voxel (> 0) with |pl[p0+x] - pl[p0+x+d]| <= alpha, and
// diff[x] = |g - sum/cnt| in float64 (0 when cnt = 0), with g = pl[p0+x], cnt
// the number of those neighbours in the ROI and sum the (integer) sum of their
// levels: the term of PyRadiomics' NGTDM. Voxels outside the ROI (pl <= 0)
// are skipped and their entries left as they were. The level sums must fit
// in int32 (gldmFitsInt32). It is the portable reference of gldmRow's
// assembly kernel.
func gldmRowGo(pl []int32, p0, nx int, deltas []int, alpha int32, dep []int32, diff []float64) {
	row := pl[p0 : p0+nx]
	dep, diff = dep[:nx], diff[:nx]
	for x, g := range row {
		if g <= 0 {
			continue
		}
		p := p0 + x
		var dp, c, s int32
		for _, d := range deltas {
			w := pl[p+d]
			// Branch-free: in = 1 when w > 0 (pl >= -1), ok = 1 when
			// |g - w| <= alpha.
			in := int32(uint32(-w) >> 31)
			dd := g - w
			m := dd >> 31
			dd = (dd ^ m) - m
			ok := int32(uint32(dd-alpha-1) >> 31)
			dp += in & ok
			c += in
			s += w & -in
		}
		dep[x] = dp
		diff[x] = 0
		if c != 0 {
			diff[x] = math.Abs(float64(g) - float64(s)/float64(c))
		}
	}
}

// gldmFitsInt32 reports whether the neighbour level sums of nd offsets over
// levels up to ng fit the int32 lanes of gldmRow.
func gldmFitsInt32(ng, nd int) bool {
	return int64(ng)*int64(nd) < 1<<31-1
}

// gldmRow is gldmRowGo, by the AVX2 kernel when the CPU has it (entries of
// voxels outside the ROI may then be overwritten with meaningless values).
func gldmRow(pl []int32, p0, nx int, deltas []int, dlo, dhi int, alpha int32, dep []int32, diff []float64) {
	if gldmAsm && gldmRowAsm(pl, p0, nx, deltas, dlo, dhi, alpha, dep, diff) {
		return
	}
	gldmRowGo(pl, p0, nx, deltas, alpha, dep, diff)
}

// deltaRange returns the smallest and largest of deltas (0 for none).
func deltaRange(deltas []int) (lo, hi int) {
	for _, d := range deltas {
		lo, hi = min(lo, d), max(hi, d)
	}
	return lo, hi
}

// gldmNGTDMPass runs the neighbourhood pass over the crop (shape, padded
// volume pl of shape ps and padding pad, neighbour offsets deltas as flat
// index deltas): for each ROI voxel of level g, in raster order, n[g]++ and
// s[g] += |g - mean level of its ROI neighbours| (0 without any), the NGTDM
// sums of PyRadiomics' C calculate_ngtdm; and, when P is not nil, P[rowOf[g]*nc
// + dep]++ with dep the number of dependent neighbours (calculate_gldm). The
// s[g] are float64 sums in the C order, hence bit-identical to it (a run of
// voxels of one level is summed in a register, in the same order); the
// integer neighbour sums equal C's double sums exactly.
func gldmNGTDMPass(pl []int32, ps, shape [3]int, pad int, deltas []int, alpha int32, rowOf []int32, nc int, P []int32, n []int64, s []float64) {
	nx := shape[2]
	dep := make([]int32, nx)
	diff := make([]float64, nx)
	dlo, dhi := deltaRange(deltas)
	for z := 0; z < shape[0]; z++ {
		for y := 0; y < shape[1]; y++ {
			p0 := texRowStart(z, y, pad, ps)
			row := pl[p0 : p0+nx]
			gldmRow(pl, p0, nx, deltas, dlo, dhi, alpha, dep, diff)
			if P != nil {
				gldmRowCount(row, dep, diff, rowOf, nc, P, s)
			} else {
				ngtdmRowSums(row, diff, n, s)
			}
		}
	}
}

// gldmRowCount adds the voxels of the crop row row (levels, <= 0 outside
// the ROI) to the dependence matrix P, P[rowOf[g]*nc + dep[x]]++, and to the
// NGTDM difference sums, s[g] += diff[x], in raster order.
func gldmRowCount(row, dep []int32, diff []float64, rowOf []int32, nc int, P []int32, s []float64) {
	dep, diff = dep[:len(row)], diff[:len(row)]
	for x, g := range row {
		if g > 0 {
			P[int(rowOf[g])*nc+int(dep[x])]++
			s[g] += diff[x]
		}
	}
}

// ngtdmRowSums adds the voxels of the crop row row to the NGTDM sums:
// n[g]++ and s[g] += diff[x], in raster order.
func ngtdmRowSums(row []int32, diff []float64, n []int64, s []float64) {
	diff = diff[:len(row)]
	for x, g := range row {
		if g > 0 {
			s[g] += diff[x]
			n[g]++
		}
	}
}
