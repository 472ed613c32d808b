package features

import (
	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/gonum/blas/gonum"
)

// The MCC's dsyev spends much of its time in dsymv (called by gonum's
// dsytrd for every column), whose upper-triangle loop adds each row's dot
// product one term at a time: a chain of dependent additions. mccBLAS is
// gonum's BLAS with a Dsymv that performs exactly the same floating-point
// operations in the same order for every element, but on four rows at once
// (four independent dot-product chains; each y(j) still receives the
// contributions of rows i, i+1, i+2, i+3 in that order, then its own row's
// sum), so its results are identical bit for bit, only faster. It is made
// the BLAS of gonum's LAPACK (blas64.Use) when the package is initialised;
// every other routine, and Dsymv calls outside the case it handles, are
// gonum's own. Products are wrapped in float64() (never fused into the
// additions), which reproduces gonum's loop as the default amd64 build
// (GOAMD64=v1) compiles it, and LAPACK's reference arithmetic.

func init() {
	if _, ok := blas64.Implementation().(gonum.Implementation); ok {
		blas64.Use(mccBLAS{})
	}
}

// mccBLAS is gonum's BLAS with the faster, bit-identical Dsymv.
type mccBLAS struct{ gonum.Implementation }

// Dsymv computes y = alpha*A*x + beta*y for the symmetric n*n matrix A as
// gonum's Dsymv does, bit for bit (see above); it handles the upper
// triangle with positive increments, n >= 2 and alpha != 0, when x, y and a
// do not overlap (the BLAS contract), and passes every other call to gonum.
func (b mccBLAS) Dsymv(ul blas.Uplo, n int, alpha float64, a []float64, lda int, x []float64, incX int, beta float64, y []float64, incY int) {
	if ul != blas.Upper || n < 2 || alpha == 0 || incX <= 0 || incY <= 0 || lda < n ||
		len(a) < lda*(n-1)+n || len(x) <= (n-1)*incX || len(y) <= (n-1)*incY {
		b.Implementation.Dsymv(ul, n, alpha, a, lda, x, incX, beta, y, incY)
		return
	}
	// y = beta*y, element by element as gonum's scaling kernels.
	if beta != 1 {
		for i, iy := 0, 0; i < n; i, iy = i+1, iy+incY {
			if beta == 0 {
				y[iy] = 0
			} else {
				y[iy] *= beta
			}
		}
	}
	i := 0
	for ; i+4 <= n; i += 4 {
		symvUpper4(i, n, alpha, a, lda, x, incX, y, incY)
	}
	for ; i < n; i++ {
		xv := x[i*incX] * alpha
		sum := x[i*incX] * a[i*lda+i]
		row := a[i*lda+i+1 : i*lda+n]
		for k, v := range row {
			j := i + 1 + k
			sum += float64(x[j*incX] * v)
			y[j*incY] += float64(xv * v)
		}
		y[i*incY] += float64(alpha * sum)
	}
}

// symvUpper4 runs rows i..i+3 of Dsymv's upper-triangle loop together:
// first the terms inside the 4x4 diagonal block, row by row, then the
// columns j >= i+4 (the four sums advancing in parallel, y(j) receiving
// rows i..i+3 in order), then the four row sums into y.
func symvUpper4(i, n int, alpha float64, a []float64, lda int, x []float64, incX int, y []float64, incY int) {
	x0, x1, x2, x3 := x[i*incX], x[(i+1)*incX], x[(i+2)*incX], x[(i+3)*incX]
	xv0, xv1, xv2, xv3 := x0*alpha, x1*alpha, x2*alpha, x3*alpha
	r0 := a[i*lda : i*lda+n]
	r1 := a[(i+1)*lda : (i+1)*lda+n]
	r2 := a[(i+2)*lda : (i+2)*lda+n]
	r3 := a[(i+3)*lda : (i+3)*lda+n]
	s0 := x0 * r0[i]
	s0 += float64(x1 * r0[i+1])
	y[(i+1)*incY] += float64(xv0 * r0[i+1])
	s0 += float64(x2 * r0[i+2])
	y[(i+2)*incY] += float64(xv0 * r0[i+2])
	s0 += float64(x3 * r0[i+3])
	y[(i+3)*incY] += float64(xv0 * r0[i+3])
	s1 := x1 * r1[i+1]
	s1 += float64(x2 * r1[i+2])
	y[(i+2)*incY] += float64(xv1 * r1[i+2])
	s1 += float64(x3 * r1[i+3])
	y[(i+3)*incY] += float64(xv1 * r1[i+3])
	s2 := x2 * r2[i+2]
	s2 += float64(x3 * r2[i+3])
	y[(i+3)*incY] += float64(xv2 * r2[i+3])
	s3 := x3 * r3[i+3]
	if incX == 1 && incY == 1 {
		xs, ys := x[i+4:n], y[i+4:n]
		r0, r1, r2, r3 = r0[i+4:], r1[i+4:], r2[i+4:], r3[i+4:]
		r0, r1, r2, r3 = r0[:len(xs)], r1[:len(xs)], r2[:len(xs)], r3[:len(xs)]
		ys = ys[:len(xs)]
		for k, xj := range xs {
			v0, v1, v2, v3 := r0[k], r1[k], r2[k], r3[k]
			s0 += float64(xj * v0)
			s1 += float64(xj * v1)
			s2 += float64(xj * v2)
			s3 += float64(xj * v3)
			yj := ys[k]
			yj += float64(xv0 * v0)
			yj += float64(xv1 * v1)
			yj += float64(xv2 * v2)
			yj += float64(xv3 * v3)
			ys[k] = yj
		}
	} else {
		for j := i + 4; j < n; j++ {
			xj := x[j*incX]
			v0, v1, v2, v3 := r0[j], r1[j], r2[j], r3[j]
			s0 += float64(xj * v0)
			s1 += float64(xj * v1)
			s2 += float64(xj * v2)
			s3 += float64(xj * v3)
			yj := y[j*incY]
			yj += float64(xv0 * v0)
			yj += float64(xv1 * v1)
			yj += float64(xv2 * v2)
			yj += float64(xv3 * v3)
			y[j*incY] = yj
		}
	}
	y[i*incY] += float64(alpha * s0)
	y[(i+1)*incY] += float64(alpha * s1)
	y[(i+2)*incY] += float64(alpha * s2)
	y[(i+3)*incY] += float64(alpha * s3)
}
