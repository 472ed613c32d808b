//go:build !amd64 || purego

package filters

// recAsm is false: there is no assembly kernel on this architecture (or with
// the purego tag), recSteps always runs recStepsGo.
var recAsm = false

// recStepsAsm is never called when recAsm is false; it reports that it did
// nothing.
func recStepsAsm(x, y []float64, xo, yo, s, rows, lanes int, c *[8]float64) bool {
	return false
}

// recAVX512 is false: see recAsm.
var recAVX512 = false

// cpuHasAVX2 reports false: no assembly kernel here.
func cpuHasAVX2() bool { return false }

// cpuHasAVX512 reports false: no assembly kernel here.
func cpuHasAVX512() bool { return false }

// cvt32to64 sets dst[i] = float64(src[i]) for i < len(dst) (len(src) >=
// len(dst)).
func cvt32to64(dst []float64, src []float32) {
	src = src[:len(dst)]
	for i, v := range src {
		dst[i] = float64(v)
	}
}

// gatherT4 does nothing and returns 0 (no assembly transpose here).
func gatherT4[S float32 | float64](dst []float64, src []S, start, inner, L int) int { return 0 }

// scatterT4 does nothing and returns 0 (no assembly transpose here).
func scatterT4(dst []float32, dStart, dInner int, p, m []float64, w int) int { return 0 }

// sum32 sets dst[i] = float32(p[i] + m[i]) for i < len(dst) (p and m at
// least as long).
func sum32(dst []float32, p, m []float64) {
	p, m = p[:len(dst)], m[:len(dst)]
	for i := range dst {
		dst[i] = float32(p[i] + m[i])
	}
}
