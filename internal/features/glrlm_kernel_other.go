//go:build !amd64 || purego

package features

// useAVX2 is false: there are no assembly kernels on this architecture (or
// with the purego tag).
var useAVX2 = false

// eqWordsAVX2 is never called when useAVX2 is false.
func eqWordsAVX2(v *byte, w0, n int, rel *int, nrel int, out *uint64) {
	panic("eqWordsAVX2: no assembly kernel")
}

// runStepAVX2 is never called when useAVX2 is false.
func runStepAVX2(v, pos *byte, w0, n, delta int, e *uint64) {
	panic("runStepAVX2: no assembly kernel")
}
