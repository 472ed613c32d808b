//go:build amd64 && !purego

#include "textflag.h"

// func gldmRowEqAVX2(c *int32, blocks int, off *int, nd int, dep *int32, diff *float64)
//
// gldmRowAVX2 for alpha 0 (dep counts the neighbours equal to g, which are
// in the ROI since g > 0), two offsets per iteration (nd even).
TEXT ·gldmRowEqAVX2(SB), NOSPLIT, $0-48
	MOVQ c+0(FP), SI
	MOVQ blocks+8(FP), CX
	MOVQ off+16(FP), R8
	MOVQ nd+24(FP), R9
	MOVQ dep+32(FP), R10
	MOVQ diff+40(FP), R11
	SHRQ $1, R9
	VPXOR        Y14, Y14, Y14
	VPCMPEQQ     Y13, Y13, Y13
	VPSRLQ       $1, Y13, Y13  // 0x7fff...: clears the sign of a float64

eblock:
	VMOVDQU  (SI), Y0
	VPCMPGTD Y14, Y0, Y5
	VPTEST   Y5, Y5
	JZ       enext
	VPXOR    Y1, Y1, Y1
	VPXOR    Y2, Y2, Y2
	VPXOR    Y3, Y3, Y3
	MOVQ     R8, DI
	MOVQ     R9, DX

eoffset:
	MOVQ     (DI), BX
	MOVQ     8(DI), AX
	VMOVDQU  (SI)(BX*1), Y4
	VMOVDQU  (SI)(AX*1), Y8
	VPCMPEQD Y0, Y4, Y7
	VPCMPEQD Y0, Y8, Y9
	VPSUBD   Y7, Y1, Y1
	VPSUBD   Y9, Y1, Y1
	VPCMPGTD Y14, Y4, Y5
	VPCMPGTD Y14, Y8, Y10
	VPSUBD   Y5, Y2, Y2
	VPSUBD   Y10, Y2, Y2
	VPMAXSD  Y14, Y4, Y6
	VPMAXSD  Y14, Y8, Y11
	VPADDD   Y6, Y3, Y3
	VPADDD   Y11, Y3, Y3
	ADDQ     $16, DI
	DECQ     DX
	JNZ      eoffset

	VMOVDQU Y1, (R10)

	VCVTDQ2PD X3, Y8
	VCVTDQ2PD X2, Y9
	VCVTDQ2PD X0, Y10
	VDIVPD    Y9, Y8, Y8
	VSUBPD    Y8, Y10, Y10
	VANDPD    Y13, Y10, Y10
	VXORPD    Y11, Y11, Y11
	VCMPPD    $4, Y11, Y9, Y9
	VANDPD    Y9, Y10, Y10
	VMOVUPD   Y10, (R11)

	VEXTRACTI128 $1, Y3, X3
	VEXTRACTI128 $1, Y2, X2
	VEXTRACTI128 $1, Y0, X0
	VCVTDQ2PD    X3, Y8
	VCVTDQ2PD    X2, Y9
	VCVTDQ2PD    X0, Y10
	VDIVPD       Y9, Y8, Y8
	VSUBPD       Y8, Y10, Y10
	VANDPD       Y13, Y10, Y10
	VCMPPD       $4, Y11, Y9, Y9
	VANDPD       Y9, Y10, Y10
	VMOVUPD      Y10, 32(R11)

enext:
	ADDQ $32, SI
	ADDQ $32, R10
	ADDQ $64, R11
	DECQ CX
	JNZ  eblock
	VZEROUPPER
	RET

// func gldmRowAVX2(c *int32, blocks int, off *int, nd int, alpha1 int32, dep *int32, diff *float64)
//
// Per block of eight voxels g (Y0): for each offset, w = c[off]:
// in = w > 0, cnt (Y2) -= in (a true compare is -1), sum (Y3) += max(w, 0),
// dep (Y1) -= in & (alpha1 > |g - w|). Then, four lanes at a time in
// float64, diff = |g - sum/cnt|, masked to +0 where cnt = 0 (0/0 is NaN).
TEXT ·gldmRowAVX2(SB), NOSPLIT, $0-56
	MOVQ c+0(FP), SI
	MOVQ blocks+8(FP), CX
	MOVQ off+16(FP), R8
	MOVQ nd+24(FP), R9
	MOVL alpha1+32(FP), AX
	MOVQ dep+40(FP), R10
	MOVQ diff+48(FP), R11
	VMOVD        AX, X15
	VPBROADCASTD X15, Y15
	VPXOR        Y14, Y14, Y14
	VPCMPEQQ     Y13, Y13, Y13
	VPSRLQ       $1, Y13, Y13  // 0x7fff...: clears the sign of a float64

block:
	VMOVDQU  (SI), Y0
	VPCMPGTD Y14, Y0, Y5
	VPTEST   Y5, Y5
	JZ       next
	VPXOR    Y1, Y1, Y1
	VPXOR    Y2, Y2, Y2
	VPXOR    Y3, Y3, Y3
	MOVQ     R8, DI
	MOVQ     R9, DX

offset:
	MOVQ     (DI), BX
	VMOVDQU  (SI)(BX*1), Y4
	VPCMPGTD Y14, Y4, Y5
	VPSUBD   Y5, Y2, Y2
	VPMAXSD  Y14, Y4, Y6
	VPADDD   Y6, Y3, Y3
	VPSUBD   Y4, Y0, Y7
	VPABSD   Y7, Y7
	VPCMPGTD Y7, Y15, Y7
	VPAND    Y5, Y7, Y7
	VPSUBD   Y7, Y1, Y1
	ADDQ     $8, DI
	DECQ     DX
	JNZ      offset

	VMOVDQU Y1, (R10)

	// Low four lanes.
	VCVTDQ2PD X3, Y8
	VCVTDQ2PD X2, Y9
	VCVTDQ2PD X0, Y10
	VDIVPD    Y9, Y8, Y8   // sum / cnt
	VSUBPD    Y8, Y10, Y10 // g - sum/cnt
	VANDPD    Y13, Y10, Y10
	VXORPD    Y11, Y11, Y11
	VCMPPD    $4, Y11, Y9, Y9 // cnt != 0
	VANDPD    Y9, Y10, Y10
	VMOVUPD   Y10, (R11)

	// High four lanes.
	VEXTRACTI128 $1, Y3, X3
	VEXTRACTI128 $1, Y2, X2
	VEXTRACTI128 $1, Y0, X0
	VCVTDQ2PD    X3, Y8
	VCVTDQ2PD    X2, Y9
	VCVTDQ2PD    X0, Y10
	VDIVPD       Y9, Y8, Y8
	VSUBPD       Y8, Y10, Y10
	VANDPD       Y13, Y10, Y10
	VCMPPD       $4, Y11, Y9, Y9
	VANDPD       Y9, Y10, Y10
	VMOVUPD      Y10, 32(R11)

next:
	ADDQ $32, SI
	ADDQ $32, R10
	ADDQ $64, R11
	DECQ CX
	JNZ  block
	VZEROUPPER
	RET
