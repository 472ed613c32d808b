//go:build !amd64 || purego

package features

// texAsm is false: texMaskRow always runs texMaskRowGo.
var texAsm = false

// texMaskRowAsm is never called when texAsm is false.
func texMaskRowAsm(row, lv []int32, roi []bool) (rmax, rmin, cnt int32) {
	return texMaskRowGo(row, lv, roi)
}

// texIndexRowsAsm is never called when texAsm is false.
func texIndexRowsAsm(dst, src, lut []int32, gmax int32) { texIndexRowsGo(dst, src, lut) }
