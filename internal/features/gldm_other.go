//go:build !amd64 || purego

package features

// gldmAsm is false: there is no assembly kernel on this architecture (or
// with the purego tag); gldmRow always runs gldmRowGo.
var gldmAsm = false

// gldmRowAsm is never called when gldmAsm is false; it reports that it did
// nothing.
func gldmRowAsm(pl []int32, p0, nx int, deltas []int, dlo, dhi int, alpha int32, dep []int32, diff []float64) bool {
	return false
}

// texHasAVX2Safe reports false: no assembly kernels here.
func texHasAVX2Safe() bool { return false }
