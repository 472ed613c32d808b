//go:build amd64 && !purego

#include "textflag.h"

// func slabPair32AVX2(acc, r0, r1 *float32, n int, c0, c1 float32)
//
// acc[p] = (acc[p] + c0*r0[p]) + c1*r1[p] for p < n, every product and sum
// rounded to float32 (VMULPS then VADDPS, never fused), eight lanes per
// instruction and a scalar tail.
TEXT ·slabPair32AVX2(SB), NOSPLIT, $0-40
	MOVQ         acc+0(FP), DI
	MOVQ         r0+8(FP), SI
	MOVQ         r1+16(FP), DX
	MOVQ         n+24(FP), CX
	VBROADCASTSS c0+32(FP), Y0
	VBROADCASTSS c1+36(FP), Y1
	XORQ         AX, AX

loop8:
	CMPQ    CX, $8
	JLT     tail
	VMOVUPS (SI)(AX*4), Y2
	VMULPS  Y0, Y2, Y2
	VMOVUPS (DI)(AX*4), Y3
	VADDPS  Y2, Y3, Y3
	VMOVUPS (DX)(AX*4), Y4
	VMULPS  Y1, Y4, Y4
	VADDPS  Y4, Y3, Y3
	VMOVUPS Y3, (DI)(AX*4)
	ADDQ    $8, AX
	SUBQ    $8, CX
	JMP     loop8

tail:
	TESTQ  CX, CX
	JZ     done
	VMOVSS (SI)(AX*4), X2
	VMULSS X0, X2, X2
	VMOVSS (DI)(AX*4), X3
	VADDSS X2, X3, X3
	VMOVSS (DX)(AX*4), X4
	VMULSS X1, X4, X4
	VADDSS X4, X3, X3
	VMOVSS X3, (DI)(AX*4)
	INCQ   AX
	DECQ   CX
	JMP    tail

done:
	VZEROUPPER
	RET
