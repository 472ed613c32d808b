//go:build amd64 && !purego

#include "textflag.h"

// func eqWordsAVX2(v *byte, w0, n int, rel *int, nrel int, out *uint64)
//
// For i < n, word w = w0+i: out[i] = bitmap of the nonzero bytes of
// v[64w:64w+64]; out[(k+1)*n+i] = that bitmap AND the bitmap of the bytes
// equal to v[64w+rel[k]:...]. Bitmap bit j is byte j.
TEXT ·eqWordsAVX2(SB), NOSPLIT, $0-48
	MOVQ v+0(FP), SI
	MOVQ w0+8(FP), AX
	SHLQ $6, AX
	ADDQ AX, SI              // SI = &v[64*w0]
	MOVQ n+16(FP), CX
	MOVQ rel+24(FP), R8
	MOVQ nrel+32(FP), R9
	MOVQ out+40(FP), DI
	MOVQ CX, R10
	SHLQ $3, R10             // R10 = bytes between two output bitmaps
	VPXOR Y15, Y15, Y15
	XORQ BX, BX              // i

eqword:
	VMOVDQU (SI), Y0
	VMOVDQU 32(SI), Y1
	VPCMPEQB Y15, Y0, Y2     // Y2, Y3: bytes == 0
	VPCMPEQB Y15, Y1, Y3
	VPMOVMSKB Y2, AX
	VPMOVMSKB Y3, DX
	SHLQ $32, DX
	ORQ  DX, AX
	NOTQ AX
	LEAQ (DI)(BX*8), R11
	MOVQ AX, (R11)           // ROI bitmap
	XORQ R12, R12            // k

eqrel:
	ADDQ R10, R11
	MOVQ (R8)(R12*8), R13    // rel[k]
	VMOVDQU (SI)(R13*1), Y4
	VMOVDQU 32(SI)(R13*1), Y5
	VPCMPEQB Y0, Y4, Y4
	VPCMPEQB Y1, Y5, Y5
	VPANDN Y4, Y2, Y4        // equal and nonzero
	VPANDN Y5, Y3, Y5
	VPMOVMSKB Y4, AX
	VPMOVMSKB Y5, DX
	SHLQ $32, DX
	ORQ  DX, AX
	MOVQ AX, (R11)
	INCQ R12
	CMPQ R12, R9
	JLT  eqrel

	ADDQ $64, SI
	INCQ BX
	CMPQ BX, CX
	JLT  eqword
	VZEROUPPER
	RET

// func runStepAVX2(v, pos *byte, w0, n, delta int, e *uint64)
//
// For the words w0 <= w < w0+n, in order, 32 bytes at a time: with i the
// byte index, same = v[i] != 0 && v[i] == v[i-delta];
// pos[i] = same ? pos[i-delta]+1 : 0; bit i%64 of e[w] = same.
TEXT ·runStepAVX2(SB), NOSPLIT, $0-48
	MOVQ v+0(FP), SI
	MOVQ pos+8(FP), DI
	MOVQ w0+16(FP), AX
	MOVQ AX, BX
	SHLQ $6, AX
	ADDQ AX, SI              // SI = &v[64*w0]
	ADDQ AX, DI              // DI = &pos[64*w0]
	MOVQ n+24(FP), CX
	MOVQ delta+32(FP), R8
	NEGQ R8                  // R8 = -delta
	MOVQ e+40(FP), R9
	LEAQ (R9)(BX*8), R9      // R9 = &e[w0]
	VPXOR Y15, Y15, Y15
	VPCMPEQB Y14, Y14, Y14   // all ones: -1 in every byte

runword:
	VMOVDQU (SI), Y0
	VMOVDQU (SI)(R8*1), Y1
	VPCMPEQB Y15, Y0, Y2
	VPCMPEQB Y0, Y1, Y1
	VPANDN Y1, Y2, Y1        // same
	VMOVDQU (DI)(R8*1), Y3
	VPSUBB Y14, Y3, Y3       // pos[i-delta] + 1
	VPAND Y1, Y3, Y3
	VMOVDQU Y3, (DI)
	VPMOVMSKB Y1, AX

	VMOVDQU 32(SI), Y0
	VMOVDQU 32(SI)(R8*1), Y1
	VPCMPEQB Y15, Y0, Y2
	VPCMPEQB Y0, Y1, Y1
	VPANDN Y1, Y2, Y1
	VMOVDQU 32(DI)(R8*1), Y3 // may read the half stored just above
	VPSUBB Y14, Y3, Y3
	VPAND Y1, Y3, Y3
	VMOVDQU Y3, 32(DI)
	VPMOVMSKB Y1, DX
	SHLQ $32, DX
	ORQ  DX, AX
	MOVQ AX, (R9)

	ADDQ $64, SI
	ADDQ $64, DI
	ADDQ $8, R9
	DECQ CX
	JNZ  runword
	VZEROUPPER
	RET
