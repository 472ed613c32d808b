//go:build amd64 && !purego

#include "textflag.h"

// func glcmCountAVX2(ci *int32, blocks int, off *int, na int, work *int32, rs int)
//
// Per block of eight voxels: Y0 = (ci+1)*rs; for each offset a, the cell
// indices Y0 + cj*na + (na + a) go to buf[a] (eight int32). Then for each
// ROI voxel (mask bits in R13), for each offset, work[buf[a][lane]]++.
TEXT ·glcmCountAVX2(SB), $2048-48
	MOVQ ci+0(FP), SI
	MOVQ blocks+8(FP), CX
	MOVQ off+16(FP), R8
	MOVQ na+24(FP), R9
	MOVQ work+32(FP), R10
	MOVQ rs+40(FP), AX
	VMOVD        AX, X15
	VPBROADCASTD X15, Y15 // rs
	VMOVD        R9, X14
	VPBROADCASTD X14, Y14 // na
	VPCMPEQD     Y13, Y13, Y13 // -1

block:
	VMOVDQU   (SI), Y0
	VPCMPGTD  Y13, Y0, Y1 // ci > -1
	VMOVMSKPS Y1, R13
	TESTQ     R13, R13
	JZ        next
	VPSUBD    Y13, Y0, Y0 // ci + 1
	VPMULLD   Y15, Y0, Y0 // (ci+1)*rs
	MOVQ      R8, DI
	LEAQ      buf-2048(SP), R12
	MOVQ      R9, DX // na + a

angle:
	MOVQ         (DI), BX
	VMOVDQU      (SI)(BX*1), Y2 // cj
	VPMULLD      Y14, Y2, Y2
	VPADDD       Y0, Y2, Y2
	VMOVD        DX, X3
	VPBROADCASTD X3, Y3
	VPADDD       Y3, Y2, Y2
	VMOVDQU      Y2, (R12)
	ADDQ         $8, DI
	ADDQ         $32, R12
	INCQ         DX
	MOVQ         DX, BX
	SUBQ         R9, BX
	CMPQ         BX, R9
	JLT          angle

	// Increments, voxel by voxel (lane l: bytes 4l of each buf row).
	LEAQ buf-2048(SP), R14

lane:
	BTQ  $0, R13
	JCC  skiplane
	MOVQ R14, R12
	MOVQ R9, DX
	CMPQ DX, $2
	JLT  inc1

inc2:
	MOVLQSX (R12), BX
	MOVLQSX 32(R12), R11
	INCL    (R10)(BX*4)
	INCL    (R10)(R11*4)
	ADDQ    $64, R12
	SUBQ    $2, DX
	CMPQ    DX, $2
	JGE     inc2
	TESTQ   DX, DX
	JZ      skiplane

inc1:
	MOVLQSX (R12), BX
	INCL    (R10)(BX*4)

skiplane:
	ADDQ $4, R14
	SHRQ $1, R13
	JNZ  lane

next:
	ADDQ $32, SI
	DECQ CX
	JNZ  block
	VZEROUPPER
	RET

// func gramRowAVX2(yt *float64, blocks int, vals *float64, offs *int, L int, out *float64)
//
// Per block of eight columns: accumulators Y0-Y3 (columns 0-3) and Y4-Y7
// (columns 4-7) for the partial sums A_0..A_3; per lockstep step t and sum
// r, A_r += broadcast(vals[4t+r]) * yt[offs[4t+r]:][0:8] (VMULPD, VADDPD).
TEXT ·gramRowAVX2(SB), NOSPLIT, $0-48
	MOVQ yt+0(FP), SI
	MOVQ blocks+8(FP), CX
	MOVQ vals+16(FP), R8
	MOVQ offs+24(FP), R9
	MOVQ L+32(FP), R10
	MOVQ out+40(FP), R11

gblock:
	VXORPD Y0, Y0, Y0
	VXORPD Y1, Y1, Y1
	VXORPD Y2, Y2, Y2
	VXORPD Y3, Y3, Y3
	VXORPD Y4, Y4, Y4
	VXORPD Y5, Y5, Y5
	VXORPD Y6, Y6, Y6
	VXORPD Y7, Y7, Y7
	MOVQ   R8, DI
	MOVQ   R9, BX
	MOVQ   R10, DX

gstep:
	MOVQ         (BX), AX
	VBROADCASTSD (DI), Y8
	VMULPD       (SI)(AX*1), Y8, Y9
	VMULPD       32(SI)(AX*1), Y8, Y10
	VADDPD       Y9, Y0, Y0
	VADDPD       Y10, Y4, Y4
	MOVQ         8(BX), AX
	VBROADCASTSD 8(DI), Y8
	VMULPD       (SI)(AX*1), Y8, Y9
	VMULPD       32(SI)(AX*1), Y8, Y10
	VADDPD       Y9, Y1, Y1
	VADDPD       Y10, Y5, Y5
	MOVQ         16(BX), AX
	VBROADCASTSD 16(DI), Y8
	VMULPD       (SI)(AX*1), Y8, Y9
	VMULPD       32(SI)(AX*1), Y8, Y10
	VADDPD       Y9, Y2, Y2
	VADDPD       Y10, Y6, Y6
	MOVQ         24(BX), AX
	VBROADCASTSD 24(DI), Y8
	VMULPD       (SI)(AX*1), Y8, Y9
	VMULPD       32(SI)(AX*1), Y8, Y10
	VADDPD       Y9, Y3, Y3
	VADDPD       Y10, Y7, Y7
	ADDQ         $32, DI
	ADDQ         $32, BX
	DECQ         DX
	JNZ          gstep

	VADDPD  Y2, Y0, Y0
	VADDPD  Y3, Y1, Y1
	VADDPD  Y1, Y0, Y0
	VADDPD  Y6, Y4, Y4
	VADDPD  Y7, Y5, Y5
	VADDPD  Y5, Y4, Y4
	VMOVUPD Y0, (R11)
	VMOVUPD Y4, 32(R11)
	ADDQ    $64, SI
	ADDQ    $64, R11
	DECQ    CX
	JNZ     gblock
	VZEROUPPER
	RET
