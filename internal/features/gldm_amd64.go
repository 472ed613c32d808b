//go:build amd64 && !purego

package features

import "golang.org/x/sys/cpu"

// gldmAsm reports whether gldmRow uses the AVX2 kernel gldmRowAVX2 (the CPU
// and the operating system support AVX2). Tests switch it off to compare the
// kernel with the portable path.
var gldmAsm = texHasAVX2()

// texHasAVX2 reports whether the CPU has AVX2 and the OS saves the YMM
// registers (golang.org/x/sys/cpu checks both).
func texHasAVX2() bool { return cpu.X86.HasAVX2 }

// gldmRowAVX2 is gldmRowGo on raw pointers for blocks*8 voxels starting at c
// (a pointer into the padded level volume), eight voxels per instruction:
// off holds the nd neighbour offsets in bytes; dep and diff point at the
// output entries of the first voxel. alpha1 is alpha + 1. The float64 terms
// use the same correctly rounded operations as gldmRowGo (VCVTDQ2PD, VDIVPD,
// VSUBPD, sign cleared), so they are bit-identical. Blocks whose eight centre
// voxels are all outside the ROI are skipped.
//
//go:noescape
func gldmRowAVX2(c *int32, blocks int, off *int, nd int, alpha1 int32, dep *int32, diff *float64)

// gldmRowEqAVX2 is gldmRowAVX2 for alpha = 0 (a plain equality test, the
// centre being in the ROI), two offsets per step: nd must be even.
//
//go:noescape
func gldmRowEqAVX2(c *int32, blocks int, off *int, nd int, dep *int32, diff *float64)

// gldmRowAsm runs gldmRow's AVX2 kernel after checking that every index it
// touches lies inside pl and the outputs; it returns false (and does nothing)
// when the row is shorter than one block or an index would be out of range.
// dlo and dhi are the smallest and largest of deltas. The last block
// overlaps the previous one when nx is not a multiple of 8, recomputing the
// same values.
func gldmRowAsm(pl []int32, p0, nx int, deltas []int, dlo, dhi int, alpha int32, dep []int32, diff []float64) bool {
	if nx < 8 || len(deltas) == 0 || len(dep) < nx || len(diff) < nx ||
		p0 < 0 || p0+dlo < 0 || p0+nx+dhi > len(pl) || p0+nx > len(pl) {
		return false
	}
	var offBuf [32]int
	off := offBuf[:0]
	if len(deltas) > len(offBuf) {
		off = make([]int, 0, len(deltas))
	}
	for _, d := range deltas {
		off = append(off, 4*d)
	}
	blocks := nx / 8
	if alpha == 0 && len(off)%2 == 0 {
		gldmRowEqAVX2(&pl[p0], blocks, &off[0], len(off), &dep[0], &diff[0])
		if r := nx - 8*blocks; r != 0 {
			gldmRowEqAVX2(&pl[p0+nx-8], 1, &off[0], len(off), &dep[nx-8], &diff[nx-8])
		}
		return true
	}
	gldmRowAVX2(&pl[p0], blocks, &off[0], len(off), alpha+1, &dep[0], &diff[0])
	if r := nx - 8*blocks; r != 0 {
		gldmRowAVX2(&pl[p0+nx-8], 1, &off[0], len(off), alpha+1, &dep[nx-8], &diff[nx-8])
	}
	return true
}

// texHasAVX2Safe reports whether the AVX2 kernels can run here.
func texHasAVX2Safe() bool { return texHasAVX2() }
