//go:build amd64 && !purego

#include "textflag.h"

// func recKernelAVX512(x, y *float64, s, rows, lanes int, c *[8]float64)
//
// recKernelAVX2 with eight lanes per instruction; a remainder of four lanes
// (lanes is a multiple of 4) is done with YMM registers.
TEXT ·recKernelAVX512(SB), NOSPLIT, $0-48
	MOVQ x+0(FP), SI
	MOVQ y+8(FP), DI
	MOVQ s+16(FP), DX
	MOVQ rows+24(FP), CX
	MOVQ lanes+32(FP), R8
	MOVQ c+40(FP), AX
	VBROADCASTSD 0(AX), Z0
	VBROADCASTSD 8(AX), Z1
	VBROADCASTSD 16(AX), Z2
	VBROADCASTSD 24(AX), Z3
	VBROADCASTSD 32(AX), Z4
	VBROADCASTSD 40(AX), Z5
	VBROADCASTSD 48(AX), Z6
	VBROADCASTSD 56(AX), Z7
	SHLQ $3, R8            // lanes in bytes
	MOVQ R8, R14
	ANDQ $-64, R14         // bytes done eight lanes at a time
	MOVQ DX, R9
	NEGQ R9                // -s
	LEAQ (R9)(R9*1), R10   // -2s
	LEAQ (R10)(R9*1), R11  // -3s
	LEAQ (R10)(R10*1), R12 // -4s

row512:
	TESTQ CX, CX
	JLE   done512
	XORQ  BX, BX
	CMPQ  BX, R14
	JGE   tail512

lane512:
	LEAQ   (SI)(BX*1), AX
	LEAQ   (DI)(BX*1), R13
	VMULPD (AX), Z0, Z8
	VMULPD (AX)(R9*1), Z1, Z9
	VADDPD Z9, Z8, Z8
	VMULPD (AX)(R10*1), Z2, Z9
	VADDPD Z9, Z8, Z8
	VMULPD (AX)(R11*1), Z3, Z9
	VADDPD Z9, Z8, Z8
	VMULPD (R13)(R9*1), Z4, Z10
	VMULPD (R13)(R10*1), Z5, Z11
	VADDPD Z11, Z10, Z10
	VMULPD (R13)(R11*1), Z6, Z11
	VADDPD Z11, Z10, Z10
	VMULPD (R13)(R12*1), Z7, Z11
	VADDPD Z11, Z10, Z10
	VSUBPD Z10, Z8, Z8
	VMOVUPD Z8, (R13)
	ADDQ   $64, BX
	CMPQ   BX, R14
	JLT    lane512

tail512:
	CMPQ   BX, R8
	JGE    next512
	LEAQ   (SI)(BX*1), AX
	LEAQ   (DI)(BX*1), R13
	VMULPD (AX), Y0, Y8
	VMULPD (AX)(R9*1), Y1, Y9
	VADDPD Y9, Y8, Y8
	VMULPD (AX)(R10*1), Y2, Y9
	VADDPD Y9, Y8, Y8
	VMULPD (AX)(R11*1), Y3, Y9
	VADDPD Y9, Y8, Y8
	VMULPD (R13)(R9*1), Y4, Y10
	VMULPD (R13)(R10*1), Y5, Y11
	VADDPD Y11, Y10, Y10
	VMULPD (R13)(R11*1), Y6, Y11
	VADDPD Y11, Y10, Y10
	VMULPD (R13)(R12*1), Y7, Y11
	VADDPD Y11, Y10, Y10
	VSUBPD Y10, Y8, Y8
	VMOVUPD Y8, (R13)

next512:
	ADDQ DX, SI
	ADDQ DX, DI
	DECQ CX
	JMP  row512

done512:
	VZEROUPPER
	RET

// func recKernelAVX2(x, y *float64, s, rows, lanes int, c *[8]float64)
//
// For each row: y[0:lanes] = (((x0*c0 + x1*c1) + x2*c2) + x3*c3) -
// (((y1*c4 + y2*c5) + y3*c6) + y4*c7) with xj = x - j*s, yj = y - j*s (s in
// bytes), then x += s, y += s. IEEE addition and multiplication are
// commutative, so operand order within one operation does not matter.
TEXT ·recKernelAVX2(SB), NOSPLIT, $0-48
	MOVQ x+0(FP), SI
	MOVQ y+8(FP), DI
	MOVQ s+16(FP), DX
	MOVQ rows+24(FP), CX
	MOVQ lanes+32(FP), R8
	MOVQ c+40(FP), AX
	VBROADCASTSD 0(AX), Y0
	VBROADCASTSD 8(AX), Y1
	VBROADCASTSD 16(AX), Y2
	VBROADCASTSD 24(AX), Y3
	VBROADCASTSD 32(AX), Y4
	VBROADCASTSD 40(AX), Y5
	VBROADCASTSD 48(AX), Y6
	VBROADCASTSD 56(AX), Y7
	SHLQ $3, R8          // lanes in bytes
	MOVQ DX, R9
	NEGQ R9              // -s
	LEAQ (R9)(R9*1), R10 // -2s
	LEAQ (R10)(R9*1), R11 // -3s
	LEAQ (R10)(R10*1), R12 // -4s

row:
	TESTQ CX, CX
	JLE   done
	XORQ  BX, BX

lane:
	LEAQ   (SI)(BX*1), AX
	LEAQ   (DI)(BX*1), R13
	VMULPD (AX), Y0, Y8
	VMULPD (AX)(R9*1), Y1, Y9
	VADDPD Y9, Y8, Y8
	VMULPD (AX)(R10*1), Y2, Y9
	VADDPD Y9, Y8, Y8
	VMULPD (AX)(R11*1), Y3, Y9
	VADDPD Y9, Y8, Y8
	VMULPD (R13)(R9*1), Y4, Y10
	VMULPD (R13)(R10*1), Y5, Y11
	VADDPD Y11, Y10, Y10
	VMULPD (R13)(R11*1), Y6, Y11
	VADDPD Y11, Y10, Y10
	VMULPD (R13)(R12*1), Y7, Y11
	VADDPD Y11, Y10, Y10
	VSUBPD Y10, Y8, Y8
	VMOVUPD Y8, (R13)
	ADDQ   $32, BX
	CMPQ   BX, R8
	JLT    lane
	ADDQ   DX, SI
	ADDQ   DX, DI
	DECQ   CX
	JMP    row

done:
	VZEROUPPER
	RET

// func cvt32to64AVX2(dst *float64, src *float32, n int)
//
// dst[i] = float64(src[i]) for i < n, n a positive multiple of 8 (the
// conversion is exact).
TEXT ·cvt32to64AVX2(SB), NOSPLIT, $0-24
	MOVQ dst+0(FP), DI
	MOVQ src+8(FP), SI
	MOVQ n+16(FP), CX
	SHRQ $3, CX

cvt:
	VCVTPS2PD (SI), Y0
	VCVTPS2PD 16(SI), Y1
	VMOVUPD   Y0, (DI)
	VMOVUPD   Y1, 32(DI)
	ADDQ      $32, SI
	ADDQ      $64, DI
	DECQ      CX
	JNZ       cvt
	VZEROUPPER
	RET

// TRANSPOSE4 transposes the 4x4 doubles in Y0..Y3 (rows) into Y8..Y11.
#define TRANSPOSE4 \
	VUNPCKLPD  Y1, Y0, Y4       \
	VUNPCKHPD  Y1, Y0, Y5       \
	VUNPCKLPD  Y3, Y2, Y6       \
	VUNPCKHPD  Y3, Y2, Y7       \
	VPERM2F128 $0x20, Y6, Y4, Y8 \
	VPERM2F128 $0x20, Y7, Y5, Y9 \
	VPERM2F128 $0x31, Y6, Y4, Y10 \
	VPERM2F128 $0x31, Y7, Y5, Y11

// func gatherT64AVX2(dst *float64, src *float64, stride, n, rstride int)
//
// Four lines of src (line k at src + k*stride bytes) to four adjacent lanes
// of dst: dst[i*rstride + k] = src[k][i] for i < n (n a positive multiple of
// 4; rstride in bytes).
TEXT ·gatherT64AVX2(SB), NOSPLIT, $0-40
	MOVQ dst+0(FP), DI
	MOVQ src+8(FP), SI
	MOVQ stride+16(FP), DX
	MOVQ n+24(FP), CX
	MOVQ rstride+32(FP), R8
	SHRQ $2, CX
	LEAQ (DX)(DX*2), R9 // 3*stride
	LEAQ (R8)(R8*2), R10 // 3*rstride

g64:
	VMOVUPD (SI), Y0
	VMOVUPD (SI)(DX*1), Y1
	VMOVUPD (SI)(DX*2), Y2
	VMOVUPD (SI)(R9*1), Y3
	TRANSPOSE4
	VMOVUPD Y8, (DI)
	VMOVUPD Y9, (DI)(R8*1)
	VMOVUPD Y10, (DI)(R8*2)
	VMOVUPD Y11, (DI)(R10*1)
	ADDQ    $32, SI
	LEAQ    (DI)(R8*4), DI
	DECQ    CX
	JNZ     g64
	VZEROUPPER
	RET

// func gatherT32AVX2(dst *float64, src *float32, stride, n, rstride int)
//
// gatherT64AVX2 for float32 lines (converted exactly to float64).
TEXT ·gatherT32AVX2(SB), NOSPLIT, $0-40
	MOVQ dst+0(FP), DI
	MOVQ src+8(FP), SI
	MOVQ stride+16(FP), DX
	MOVQ n+24(FP), CX
	MOVQ rstride+32(FP), R8
	SHRQ $2, CX
	LEAQ (DX)(DX*2), R9
	LEAQ (R8)(R8*2), R10

g32:
	VCVTPS2PD (SI), Y0
	VCVTPS2PD (SI)(DX*1), Y1
	VCVTPS2PD (SI)(DX*2), Y2
	VCVTPS2PD (SI)(R9*1), Y3
	TRANSPOSE4
	VMOVUPD Y8, (DI)
	VMOVUPD Y9, (DI)(R8*1)
	VMOVUPD Y10, (DI)(R8*2)
	VMOVUPD Y11, (DI)(R10*1)
	ADDQ    $16, SI
	LEAQ    (DI)(R8*4), DI
	DECQ    CX
	JNZ     g32
	VZEROUPPER
	RET

// func scatterTAVX2(dst *float32, stride int, p, m *float64, n, rstride int)
//
// The inverse of gatherT32AVX2 with the final sum of recAxis: for four
// adjacent lanes k of p and m, dst[k][i] = float32(p[i*rstride + k] +
// m[i*rstride + k]) for i < n (n a positive multiple of 4; line k of dst at
// dst + k*stride bytes; rstride in bytes).
TEXT ·scatterTAVX2(SB), NOSPLIT, $0-48
	MOVQ dst+0(FP), DI
	MOVQ stride+8(FP), DX
	MOVQ p+16(FP), SI
	MOVQ m+24(FP), BX
	MOVQ n+32(FP), CX
	MOVQ rstride+40(FP), R8
	SHRQ $2, CX
	LEAQ (DX)(DX*2), R9
	LEAQ (R8)(R8*2), R10

st:
	VMOVUPD (SI), Y0
	VADDPD  (BX), Y0, Y0
	VMOVUPD (SI)(R8*1), Y1
	VADDPD  (BX)(R8*1), Y1, Y1
	VMOVUPD (SI)(R8*2), Y2
	VADDPD  (BX)(R8*2), Y2, Y2
	VMOVUPD (SI)(R10*1), Y3
	VADDPD  (BX)(R10*1), Y3, Y3
	TRANSPOSE4
	VCVTPD2PSY Y8, X12
	VCVTPD2PSY Y9, X13
	VCVTPD2PSY Y10, X14
	VCVTPD2PSY Y11, X4
	VMOVUPS X12, (DI)
	VMOVUPS X13, (DI)(DX*1)
	VMOVUPS X14, (DI)(DX*2)
	VMOVUPS X4, (DI)(R9*1)
	LEAQ    (SI)(R8*4), SI
	LEAQ    (BX)(R8*4), BX
	ADDQ    $16, DI
	DECQ    CX
	JNZ     st
	VZEROUPPER
	RET

// func sum32AVX2(dst *float32, p, m *float64, n int)
//
// dst[i] = float32(p[i] + m[i]) for i < n, n a positive multiple of 8.
TEXT ·sum32AVX2(SB), NOSPLIT, $0-32
	MOVQ dst+0(FP), DI
	MOVQ p+8(FP), SI
	MOVQ m+16(FP), BX
	MOVQ n+24(FP), CX
	SHRQ $3, CX

sum:
	VMOVUPD    (SI), Y0
	VADDPD     (BX), Y0, Y0
	VMOVUPD    32(SI), Y1
	VADDPD     32(BX), Y1, Y1
	VCVTPD2PSY Y0, X2
	VCVTPD2PSY Y1, X3
	VMOVUPS    X2, (DI)
	VMOVUPS    X3, 16(DI)
	ADDQ       $64, SI
	ADDQ       $64, BX
	ADDQ       $32, DI
	DECQ       CX
	JNZ        sum
	VZEROUPPER
	RET
