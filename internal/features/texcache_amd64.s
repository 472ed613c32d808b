//go:build amd64 && !purego

#include "textflag.h"

// func texMaskAVX2(row, lv *int32, roi *bool, blocks int, acc *[24]int32)
//
// Per eight voxels: b = roi (0/1, zero-extended), m = -b, g = lv & m
// stored to row; max (Y10) of g, min (Y11) of g | (^m & 0x7fffffff),
// count (Y12) += b.
TEXT ·texMaskAVX2(SB), NOSPLIT, $0-40
	MOVQ row+0(FP), DI
	MOVQ lv+8(FP), SI
	MOVQ roi+16(FP), DX
	MOVQ blocks+24(FP), CX
	MOVQ acc+32(FP), R8
	VPXOR        Y15, Y15, Y15
	VPCMPEQD     Y14, Y14, Y14
	VPSRLD       $1, Y14, Y14 // 0x7fffffff
	VPXOR        Y10, Y10, Y10
	VMOVDQU      Y14, Y11
	VPXOR        Y12, Y12, Y12

mloop:
	VPMOVZXBD (DX), Y1
	VPSUBD    Y1, Y15, Y2 // m
	VPAND     (SI), Y2, Y3 // g
	VMOVDQU   Y3, (DI)
	VPMAXSD   Y3, Y10, Y10
	VPANDN    Y14, Y2, Y4 // ^m & 0x7fffffff
	VPOR      Y3, Y4, Y4
	VPMINSD   Y4, Y11, Y11
	VPADDD    Y1, Y12, Y12
	ADDQ      $8, DX
	ADDQ      $32, SI
	ADDQ      $32, DI
	DECQ      CX
	JNZ       mloop

	VMOVDQU Y10, (R8)
	VMOVDQU Y11, 32(R8)
	VMOVDQU Y12, 64(R8)
	VZEROUPPER
	RET

// func texIndexAVX2(dst, src *int32, blocks int, lut *int32)
//
// dst[i] = lut[max(src[i], 0)] for blocks*8 entries (VPGATHERDD).
TEXT ·texIndexAVX2(SB), NOSPLIT, $0-32
	MOVQ  dst+0(FP), DI
	MOVQ  src+8(FP), SI
	MOVQ  blocks+16(FP), CX
	MOVQ  lut+24(FP), R8
	VPXOR Y15, Y15, Y15

iloop:
	VMOVDQU    (SI), Y0
	VPMAXSD    Y15, Y0, Y0
	VPCMPEQD   Y1, Y1, Y1
	VPXOR      Y2, Y2, Y2
	VPGATHERDD Y1, (R8)(Y0*4), Y2
	VMOVDQU    Y2, (DI)
	ADDQ       $32, SI
	ADDQ       $32, DI
	DECQ       CX
	JNZ        iloop
	VZEROUPPER
	RET
