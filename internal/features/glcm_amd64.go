//go:build amd64 && !purego

package features

// glcmAsm reports whether glcmCounts uses the AVX2 kernel glcmCountAVX2 (the
// CPU and the operating system support AVX2). Tests switch it off to compare
// the kernel with the portable loop.
var glcmAsm = texHasAVX2()

// glcmMaxAsmAngles is the largest number of offsets of glcmCountAVX2 (the
// size of its index buffer).
const glcmMaxAsmAngles = 64

// glcmCountAVX2 counts the co-occurrences of blocks*8 voxels starting at
// ci (a pointer into the padded row-index volume), eight voxels at a time:
// for each offset a (off[a] in bytes) it forms the cell indices
// (ci+1)*rs + (cj+1)*na + a of the eight voxels, then, voxel by voxel and
// offset by offset (the order of glcmCountsGo), increments work at those
// cells. Voxels outside the ROI (ci = -1) are skipped; neighbours outside
// it (cj = -1) land in column 0. na must be at most glcmMaxAsmAngles.
//
//go:noescape
func glcmCountAVX2(ci *int32, blocks int, off *int, na int, work *int32, rs int)

// glcmCountRowAsm counts the crop row of nx voxels at padded index p0 with
// the AVX2 kernel, its last nx%8 voxels by the portable loop; false (nothing
// done) when the kernel does not apply.
func glcmCountRowAsm(pi []int32, p0, nx int, delta, off []int, dlo, dhi int, work []int32, rs int) bool {
	na := len(delta)
	if na == 0 || na > glcmMaxAsmAngles || nx < 8 || p0+dlo < 0 || p0+nx+dhi > len(pi) {
		return false
	}
	blocks := nx / 8
	glcmCountAVX2(&pi[p0], blocks, &off[0], na, &work[0], rs)
	glcmCountRowGo(pi, p0+8*blocks, nx-8*blocks, delta, work, rs)
	return true
}

// gramAsm reports whether mccGram uses the AVX2 kernel gramRowAVX2.
var gramAsm = texHasAVX2()

// gramRowAVX2 computes blocks*8 entries of one row of S = Y Yᵀ: out[j] =
// (A_0 + A_2) + (A_1 + A_3) with A_r = sum over t < L of vals[4t+r] *
// yt[offs[4t+r] bytes + j], for j = 0..8*blocks-1 (yt points at the first
// column of the block range, offs are byte offsets of rows of Yᵀ).
//
//go:noescape
func gramRowAVX2(yt *float64, blocks int, vals *float64, offs *int, L int, out *float64)
