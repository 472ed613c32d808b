package preprocess

import (
	"github.com/spinerad/spinerad/internal/volume"
)

// The helpers below repeat volume.Geometry's index/point transforms with
// every product explicitly rounded (float64(a*b) + c), so that the Go
// compiler can never fuse them into FMA instructions (it does with
// GOAMD64=v3 and on arm64). ITK's reference builds did not fuse, and the
// nearest-neighbour mask depends on the last bits (ties within 1.8e-15).

// indexToPhysical is ITK's TransformIndexToPhysicalPoint for an integer
// index: p[i] = origin[i], then p[i] += A[i][k]*idx[k] for k = 0, 1, 2.
func indexToPhysical(a *[3][3]float64, origin *[3]float64, idx [3]float64) [3]float64 {
	var p [3]float64
	for i := 0; i < 3; i++ {
		s := origin[i]
		for k := 0; k < 3; k++ {
			s += float64(a[i][k] * idx[k])
		}
		p[i] = s
	}
	return p
}

// continuousIndexToPhysical is ITK's TransformContinuousIndexToPhysicalPoint:
// the matrix product accumulated from zero, the origin added last.
func continuousIndexToPhysical(g *volume.Geometry, c [3]float64) [3]float64 {
	a := g.Matrix()
	var p [3]float64
	for i := 0; i < 3; i++ {
		s := 0.0
		for k := 0; k < 3; k++ {
			s += float64(a[i][k] * c[k])
		}
		p[i] = s + g.Origin[i]
	}
	return p
}

// physicalToContinuous is ITK's TransformPhysicalPointToContinuousIndex:
// v = p - origin, c[i] = sum_k B[i][k]*v[k] accumulated from zero, with B
// the inverse of Direction*diag(Spacing).
func physicalToContinuous(b *[3][3]float64, origin *[3]float64, p [3]float64) [3]float64 {
	var v, c [3]float64
	for i := 0; i < 3; i++ {
		v[i] = p[i] - origin[i]
	}
	for i := 0; i < 3; i++ {
		s := 0.0
		for k := 0; k < 3; k++ {
			s += float64(b[i][k] * v[k])
		}
		c[i] = s
	}
	return c
}

// inverseMatrix returns the inverse of A = Direction*diag(Spacing) as ITK's
// m_PhysicalPointToIndex: for a diagonal A (axis-aligned directions, possibly
// flipped) exactly diag(1/A[i][i]); otherwise volume's general inverse.
func inverseMatrix(g *volume.Geometry) [3][3]float64 {
	a := g.Matrix()
	diag := true
	for i := 0; i < 3; i++ {
		for k := 0; k < 3; k++ {
			if i != k && a[i][k] != 0 {
				diag = false
			}
		}
	}
	if !diag {
		return g.InverseMatrix()
	}
	var b [3][3]float64
	for i := 0; i < 3; i++ {
		b[i][i] = 1 / a[i][i]
	}
	return b
}
