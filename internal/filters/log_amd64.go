//go:build amd64 && !purego

package filters

import "golang.org/x/sys/cpu"

// recAsm reports whether recSteps uses an assembly kernel: recKernelAVX512
// if the CPU and the operating system support AVX-512F (and AVX2), else
// recKernelAVX2 if they support AVX2. Tests switch them off to compare the
// kernels with the portable path.
var (
	recAsm    = cpuHasAVX2()
	recAVX512 = recAsm && cpuHasAVX512()
)

// cpuHasAVX2 reports whether the CPU has AVX2 and the OS saves the YMM
// registers (golang.org/x/sys/cpu checks both).
func cpuHasAVX2() bool { return cpu.X86.HasAVX2 }

// cpuHasAVX512 reports whether the CPU has AVX-512F and AVX2 and the OS
// saves the ZMM and opmask registers.
func cpuHasAVX512() bool { return cpu.X86.HasAVX512F && cpu.X86.HasAVX2 }

// recKernelAVX512 is recKernelAVX2 with eight lanes per instruction.
//
//go:noescape
func recKernelAVX512(x, y *float64, s, rows, lanes int, c *[8]float64)

// recKernelAVX2 is recSteps on raw pointers: x and y point at x[xo] and
// y[yo], s is the row step in bytes, lanes a positive multiple of 4 and rows
// positive. Four lanes per instruction, VMULPD then VADDPD/VSUBPD (never
// fused), in the operand order of recStepsGo.
//
//go:noescape
func recKernelAVX2(x, y *float64, s, rows, lanes int, c *[8]float64)

// recStepsAsm runs recSteps with the AVX2 kernel after checking that every
// index it touches lies inside x and y; it returns false (and does nothing)
// otherwise.
func recStepsAsm(x, y []float64, xo, yo, s, rows, lanes int, c *[8]float64) bool {
	if rows <= 0 || lanes <= 0 {
		return true
	}
	lw := (lanes + 3) &^ 3
	if lw > abs(s) {
		return false
	}
	// x is read at xo + (r-j)*s + g for r-j in [-3, rows-1]; y at
	// yo + (r-j)*s + g for r-j in [-4, rows-1]; g in [0, lw).
	if !inSpan(len(x), xo-3*s, xo+(rows-1)*s, lw) || !inSpan(len(y), yo-4*s, yo+(rows-1)*s, lw) {
		return false
	}
	if recAVX512 {
		recKernelAVX512(&x[xo], &y[yo], 8*s, rows, lw, c)
	} else {
		recKernelAVX2(&x[xo], &y[yo], 8*s, rows, lw, c)
	}
	return true
}

// cvt32to64AVX2 sets dst[i] = float64(src[i]) for i < n, n a positive
// multiple of 8.
//
//go:noescape
func cvt32to64AVX2(dst *float64, src *float32, n int)

// cvt32to64 sets dst[i] = float64(src[i]) for i < len(dst) (len(src) >=
// len(dst)), eight at a time with AVX2 when recAsm is set.
func cvt32to64(dst []float64, src []float32) {
	src = src[:len(dst)]
	k := 0
	if recAsm && len(dst) >= 8 {
		k = len(dst) &^ 7
		cvt32to64AVX2(&dst[0], &src[0], k)
	}
	for i := k; i < len(dst); i++ {
		dst[i] = float64(src[i])
	}
}

// gatherT64AVX2 and gatherT32AVX2 copy four lines of n samples (n a positive
// multiple of 4; line k at src + k*stride bytes) to four adjacent lanes of
// an interleaved buffer: dst[i*rstride + k] = float64(src[k][i]) (rstride in
// bytes), with 4x4 in-register transposes.
//
//go:noescape
func gatherT64AVX2(dst *float64, src *float64, stride, n, rstride int)

//go:noescape
func gatherT32AVX2(dst *float64, src *float32, stride, n, rstride int)

// scatterTAVX2 is the inverse transpose with recAxis's final sum: for lanes
// k < 4, dst[k][i] = float32(p[i*rstride + k] + m[i*rstride + k]) for i < n
// (n a positive multiple of 4; line k at dst + k*stride bytes).
//
//go:noescape
func scatterTAVX2(dst *float32, stride int, p, m *float64, n, rstride int)

// gatherT4 stores sample i of the four lines src[start + k*inner + i]
// (k < 4) at dst[i*recStride + k] for i < L&^3 with gatherT*AVX2 and returns
// L&^3, or returns 0 (nothing done) without AVX2 or if an index would fall
// outside src or dst.
func gatherT4[S float32 | float64](dst []float64, src []S, start, inner, L int) int {
	n := L &^ 3
	if !recAsm || n == 0 || start < 0 || start+3*inner+L > len(src) || (n-1)*recStride+4 > len(dst) {
		return 0
	}
	switch s := any(src).(type) {
	case []float64:
		gatherT64AVX2(&dst[0], &s[start], 8*inner, n, 8*recStride)
	case []float32:
		gatherT32AVX2(&dst[0], &s[start], 4*inner, n, 8*recStride)
	}
	return n
}

// scatterT4 sets dst[dStart + k*dInner + i] = float32(p[i*recStride + k] +
// m[i*recStride + k]) for k < 4 and i < w&^3 with scatterTAVX2 and returns
// w&^3, or returns 0 (nothing done) without AVX2 or if an index would fall
// outside dst, p or m.
func scatterT4(dst []float32, dStart, dInner int, p, m []float64, w int) int {
	n := w &^ 3
	if !recAsm || n == 0 || dStart < 0 || dStart+3*dInner+w > len(dst) ||
		(n-1)*recStride+4 > min(len(p), len(m)) {
		return 0
	}
	scatterTAVX2(&dst[dStart], 4*dInner, &p[0], &m[0], n, 8*recStride)
	return n
}

// sum32AVX2 sets dst[i] = float32(p[i] + m[i]) for i < n, n a positive
// multiple of 8.
//
//go:noescape
func sum32AVX2(dst *float32, p, m *float64, n int)

// sum32 sets dst[i] = float32(p[i] + m[i]) for i < len(dst) (p and m at
// least as long), eight at a time with AVX2 when recAsm is set.
func sum32(dst []float32, p, m []float64) {
	p, m = p[:len(dst)], m[:len(dst)]
	k := 0
	if recAsm && len(dst) >= 8 {
		k = len(dst) &^ 7
		sum32AVX2(&dst[0], &p[0], &m[0], k)
	}
	for i := k; i < len(dst); i++ {
		dst[i] = float32(p[i] + m[i])
	}
}

// inSpan reports whether [min(a, b), max(a, b)+w) lies inside [0, n).
func inSpan(n, a, b, w int) bool {
	lo, hi := min(a, b), max(a, b)
	return lo >= 0 && hi+w <= n
}

// abs returns the absolute value of v.
func abs(v int) int {
	if v < 0 {
		return -v
	}
	return v
}
