//go:build !amd64 || purego

package features

// glcmAsm is false: there is no assembly kernel on this architecture (or
// with the purego tag); glcmCounts always runs the portable loop.
var glcmAsm = false

// glcmCountRowAsm is never called when glcmAsm is false; it reports that it
// did nothing.
func glcmCountRowAsm(pi []int32, p0, nx int, delta, off []int, dlo, dhi int, work []int32, rs int) bool {
	return false
}

// gramAsm is false: mccGram always runs gramRowGo.
var gramAsm = false

// gramRowAVX2 is never called when gramAsm is false.
func gramRowAVX2(yt *float64, blocks int, vals *float64, offs *int, L int, out *float64) {
	panic("features: gramRowAVX2 without assembly")
}
