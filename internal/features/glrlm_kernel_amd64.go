//go:build amd64 && !purego

package features

// useAVX2 reports whether byteVol.eqWords and byteVol.runStep use their
// AVX2 kernels; tests switch it off to compare them with the portable code.
var useAVX2 = texHasAVX2()

// eqWordsAVX2 is eqWordsGo on raw pointers (v at v[0], rel at rel[0], out
// at out[0]; n >= 1 words, nrel >= 1), 32 bytes per instruction.
//
//go:noescape
func eqWordsAVX2(v *byte, w0, n int, rel *int, nrel int, out *uint64)

// runStepAVX2 is runStepGo on raw pointers (v, pos at index 0, e at e[0];
// n >= 1), 32 bytes per instruction, the second half of a word after the
// first.
//
//go:noescape
func runStepAVX2(v, pos *byte, w0, n, delta int, e *uint64)
