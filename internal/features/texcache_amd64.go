//go:build amd64 && !purego

package features

// texAsm reports whether texMaskRow uses the AVX2 kernel texMaskAVX2.
var texAsm = texHasAVX2()

// texMaskAVX2 is texMaskRow on raw pointers for blocks*8 voxels, eight at a
// time: it writes row and leaves in acc the lane-wise largest written value
// (acc[0:8]), smallest ROI level (acc[8:16], 0x7fffffff for none) and ROI
// count (acc[16:24]), for texMaskRowAsm to reduce.
//
//go:noescape
func texMaskAVX2(row, lv *int32, roi *bool, blocks int, acc *[24]int32)

// texMaskRowAsm is texMaskRow by the AVX2 kernel for the whole blocks of
// eight voxels and the portable loop for the rest.
func texMaskRowAsm(row, lv []int32, roi []bool) (rmax, rmin, cnt int32) {
	n := len(roi)
	blocks := n / 8
	if blocks == 0 || len(row) < n || len(lv) < n {
		return texMaskRowGo(row, lv, roi)
	}
	var acc [24]int32
	texMaskAVX2(&row[0], &lv[0], &roi[0], blocks, &acc)
	rmax, rmin, cnt = texMaskRowGo(row[8*blocks:n], lv[8*blocks:n], roi[8*blocks:])
	for l := 0; l < 8; l++ {
		rmax = max(rmax, acc[l])
		rmin = min(rmin, acc[8+l])
		cnt += acc[16+l]
	}
	return rmax, rmin, cnt
}

// texIndexAVX2 sets dst[i] = lut[max(src[i], 0)] for blocks*8 entries by
// VPGATHERDD; every max(src[i], 0) must index lut.
//
//go:noescape
func texIndexAVX2(dst, src *int32, blocks int, lut *int32)

// texIndexRowsAsm is texIndexRows by the AVX2 kernel for the whole blocks
// of eight entries and the portable loop for the rest.
func texIndexRowsAsm(dst, src, lut []int32, gmax int32) {
	n := min(len(dst), len(src))
	if blocks := n / 8; blocks > 0 && int(gmax) < len(lut) {
		texIndexAVX2(&dst[0], &src[0], blocks, &lut[0])
		dst, src = dst[8*blocks:n], src[8*blocks:n]
	}
	texIndexRowsGo(dst, src, lut)
}
