// Package volume holds spinerad's 3D image model: a voxel grid with ITK/LPS
// geometry (size, spacing, origin, direction cosines) and a pixel type that
// travels with the data through the pipeline, as it does in SimpleITK.
//
// Axis order: every [3] array in this package is in ITK order (x, y, z).
// Voxel data are stored with x varying fastest, so the flat index of (x, y, z)
// is x + nx*(y + ny*z), which is also NumPy's C order of the (z, y, x) array
// that PyRadiomics builds with GetArrayFromImage.
package volume

import (
	"fmt"
	"math"
	"sync"
)

// PixelType is the storage type of an image's voxels. Values are held as
// float64 in memory (every supported type except 64-bit integers beyond 2^53
// is exactly representable), and operations that write voxels call Cast so
// that the stored values are exactly those the pixel type can hold.
type PixelType int

// The supported pixel types, mirroring SimpleITK's scalar pixel IDs.
const (
	Int8 PixelType = iota
	UInt8
	Int16
	UInt16
	Int32
	UInt32
	Int64
	UInt64
	Float32
	Float64
)

var pixelTypeNames = [...]string{"int8", "uint8", "int16", "uint16", "int32", "uint32", "int64", "uint64", "float32", "float64"}

// String returns the lower-case type name (for example "int16").
func (t PixelType) String() string {
	if t < 0 || int(t) >= len(pixelTypeNames) {
		return fmt.Sprintf("PixelType(%d)", int(t))
	}
	return pixelTypeNames[t]
}

// IsInteger reports whether t is an integer type.
func (t PixelType) IsInteger() bool { return t <= UInt64 }

// Range returns the smallest and largest value the type can hold.
func (t PixelType) Range() (lo, hi float64) {
	switch t {
	case Int8:
		return math.MinInt8, math.MaxInt8
	case UInt8:
		return 0, math.MaxUint8
	case Int16:
		return math.MinInt16, math.MaxInt16
	case UInt16:
		return 0, math.MaxUint16
	case Int32:
		return math.MinInt32, math.MaxInt32
	case UInt32:
		return 0, math.MaxUint32
	case Int64:
		return math.MinInt64, math.MaxInt64
	case UInt64:
		return 0, math.MaxUint64
	case Float32:
		return -math.MaxFloat32, math.MaxFloat32
	default:
		return math.Inf(-1), math.Inf(1)
	}
}

// Cast converts a computed double to the value the pixel type stores, the way
// ITK's ResampleImageFilter does: integer types clamp to their range and then
// truncate toward zero; float32 rounds to the nearest float32; float64 keeps v.
func (t PixelType) Cast(v float64) float64 {
	switch {
	case t == Float64:
		return v
	case t == Float32:
		return float64(float32(v))
	}
	if math.IsNaN(v) {
		return 0
	}
	lo, hi := t.Range()
	if v <= lo {
		return lo
	}
	if v >= hi {
		return hi
	}
	return math.Trunc(v)
}

// Geometry is the physical placement of a voxel grid in LPS coordinates, in
// ITK order. Direction is row-major: Direction[i][k] is the i-th physical
// component of the k-th index axis.
type Geometry struct {
	Size      [3]int
	Spacing   [3]float64
	Origin    [3]float64
	Direction [3][3]float64
}

// Identity is the identity direction matrix.
var Identity = [3][3]float64{{1, 0, 0}, {0, 1, 0}, {0, 0, 1}}

// NumVoxels returns nx*ny*nz.
func (g Geometry) NumVoxels() int { return g.Size[0] * g.Size[1] * g.Size[2] }

// Index returns the flat index of voxel (x, y, z).
func (g Geometry) Index(x, y, z int) int { return x + g.Size[0]*(y+g.Size[1]*z) }

// Coords returns the (x, y, z) index of flat index i.
func (g Geometry) Coords(i int) (x, y, z int) {
	x = i % g.Size[0]
	i /= g.Size[0]
	return x, i % g.Size[1], i / g.Size[1]
}

// IndexToPhysical maps an integer index to a physical point with ITK's
// integer-index formula: p[i] = origin[i], then p[i] += D[i][k]*spacing[k]*index[k]
// for k = 0, 1, 2 (the origin first).
func (g Geometry) IndexToPhysical(idx [3]int) [3]float64 {
	var p [3]float64
	for i := 0; i < 3; i++ {
		p[i] = g.Origin[i]
		for k := 0; k < 3; k++ {
			p[i] = p[i] + float64(float64(g.Direction[i][k]*g.Spacing[k])*float64(idx[k]))
		}
	}
	return p
}

// ContinuousIndexToPhysical maps a continuous index to a physical point with
// ITK's TransformContinuousIndexToPhysicalPoint: the matrix product is
// accumulated from zero over k = 0, 1, 2 and the origin is added last.
func (g Geometry) ContinuousIndexToPhysical(c [3]float64) [3]float64 {
	var p [3]float64
	for i := 0; i < 3; i++ {
		s := 0.0
		for k := 0; k < 3; k++ {
			s = s + float64(float64(g.Direction[i][k]*g.Spacing[k])*c[k])
		}
		p[i] = s + g.Origin[i]
	}
	return p
}

// PhysicalToContinuousIndex maps a physical point to a continuous index:
// v = p - origin, c[i] = sum_k B[i][k]*v[k] with B the inverse of
// Direction*diag(Spacing), accumulated from zero.
func (g Geometry) PhysicalToContinuousIndex(p [3]float64) [3]float64 {
	b := g.InverseMatrix()
	var v, c [3]float64
	for i := 0; i < 3; i++ {
		v[i] = p[i] - g.Origin[i]
	}
	for i := 0; i < 3; i++ {
		s := 0.0
		for k := 0; k < 3; k++ {
			s = s + float64(b[i][k]*v[k])
		}
		c[i] = s
	}
	return c
}

// Matrix returns A = Direction*diag(Spacing), A[i][k] = D[i][k]*spacing[k].
func (g Geometry) Matrix() [3][3]float64 {
	var a [3][3]float64
	for i := 0; i < 3; i++ {
		for k := 0; k < 3; k++ {
			a[i][k] = g.Direction[i][k] * g.Spacing[k]
		}
	}
	return a
}

// InverseMatrix returns the inverse of Matrix(). For a diagonal matrix
// (axis-aligned directions such as diag(1, -1, 1)) it is exactly
// diag(1/A[i][i]), as ITK's SVD-based inverse gives it.
func (g Geometry) InverseMatrix() [3][3]float64 {
	a := g.Matrix()
	if a[0][1] == 0 && a[0][2] == 0 && a[1][0] == 0 && a[1][2] == 0 && a[2][0] == 0 && a[2][1] == 0 {
		var b [3][3]float64
		for i := 0; i < 3; i++ {
			b[i][i] = 1 / a[i][i]
		}
		return b
	}
	return invert3(a)
}

func invert3(m [3][3]float64) [3][3]float64 {
	det := m[0][0]*(m[1][1]*m[2][2]-m[1][2]*m[2][1]) -
		m[0][1]*(m[1][0]*m[2][2]-m[1][2]*m[2][0]) +
		m[0][2]*(m[1][0]*m[2][1]-m[1][1]*m[2][0])
	var r [3][3]float64
	r[0][0] = (m[1][1]*m[2][2] - m[1][2]*m[2][1]) / det
	r[0][1] = (m[0][2]*m[2][1] - m[0][1]*m[2][2]) / det
	r[0][2] = (m[0][1]*m[1][2] - m[0][2]*m[1][1]) / det
	r[1][0] = (m[1][2]*m[2][0] - m[1][0]*m[2][2]) / det
	r[1][1] = (m[0][0]*m[2][2] - m[0][2]*m[2][0]) / det
	r[1][2] = (m[0][2]*m[1][0] - m[0][0]*m[1][2]) / det
	r[2][0] = (m[1][0]*m[2][1] - m[1][1]*m[2][0]) / det
	r[2][1] = (m[0][1]*m[2][0] - m[0][0]*m[2][1]) / det
	r[2][2] = (m[0][0]*m[1][1] - m[0][1]*m[1][0]) / det
	return r
}

// Image is a 3D scalar image: geometry, pixel type and voxel values
// (x fastest). Data[i] always holds a value representable in Type.
type Image struct {
	Geometry
	Type PixelType
	Data []float64
}

// New returns a zero-filled image of the given geometry and pixel type.
func New(g Geometry, t PixelType) *Image {
	return &Image{Geometry: g, Type: t, Data: make([]float64, g.NumVoxels())}
}

// dataPool holds voxel arrays handed back by Recycle.
var dataPool sync.Pool // *[]float64

// NewUninit is New with voxel values left unspecified (possibly a recycled
// array): for callers that write every voxel. Fresh memory costs page
// faults, and a pipeline makes many images of one size.
func NewUninit(g Geometry, t PixelType) *Image {
	n := g.NumVoxels()
	if p, ok := dataPool.Get().(*[]float64); ok && cap(*p) >= n {
		return &Image{Geometry: g, Type: t, Data: (*p)[:n]}
	}
	return New(g, t)
}

// Recycle hands im's voxel array to later NewUninit calls; neither im nor
// any slice of its Data may be used afterwards.
func Recycle(im *Image) {
	if im == nil || cap(im.Data) == 0 {
		return
	}
	d := im.Data
	im.Data = nil
	dataPool.Put(&d)
}

// At returns the voxel value at (x, y, z).
func (im *Image) At(x, y, z int) float64 { return im.Data[im.Index(x, y, z)] }

// Clone returns a deep copy of the image.
func (im *Image) Clone() *Image {
	c := *im
	c.Data = append([]float64(nil), im.Data...)
	return &c
}

// BBox is an inclusive index box in ITK order: voxels Lo[i] <= idx[i] <= Hi[i].
type BBox struct {
	Lo, Hi [3]int
}

// Size returns the number of voxels along each axis of the box.
func (b BBox) Size() [3]int {
	return [3]int{b.Hi[0] - b.Lo[0] + 1, b.Hi[1] - b.Lo[1] + 1, b.Hi[2] - b.Lo[2] + 1}
}

// LabelBBox returns the bounding box of the voxels of m equal to label and
// their count; ok is false when there is none.
func LabelBBox(m *Image, label float64) (b BBox, n int, ok bool) {
	b.Lo = [3]int{math.MaxInt, math.MaxInt, math.MaxInt}
	b.Hi = [3]int{-1, -1, -1}
	nx, ny := m.Size[0], m.Size[1]
	i := 0
	for z := 0; z < m.Size[2]; z++ {
		for y := 0; y < ny; y++ {
			for x := 0; x < nx; x++ {
				if m.Data[i] == label {
					n++
					p := [3]int{x, y, z}
					for a := 0; a < 3; a++ {
						if p[a] < b.Lo[a] {
							b.Lo[a] = p[a]
						}
						if p[a] > b.Hi[a] {
							b.Hi[a] = p[a]
						}
					}
				}
				i++
			}
		}
	}
	return b, n, n > 0
}

// Crop returns the sub-image of box b grown by pad voxels on every side and
// clipped to the image, with the origin set to the physical point of its
// first index (ITK integer-index formula), as PyRadiomics' cropToTumorMask.
func (im *Image) Crop(b BBox, pad int) *Image {
	var lo, hi [3]int
	for a := 0; a < 3; a++ {
		lo[a] = b.Lo[a] - pad
		if lo[a] < 0 {
			lo[a] = 0
		}
		hi[a] = b.Hi[a] + pad
		if hi[a] > im.Size[a]-1 {
			hi[a] = im.Size[a] - 1
		}
	}
	g := im.Geometry
	g.Size = [3]int{hi[0] - lo[0] + 1, hi[1] - lo[1] + 1, hi[2] - lo[2] + 1}
	g.Origin = im.IndexToPhysical(lo)
	out := New(g, im.Type)
	j := 0
	for z := lo[2]; z <= hi[2]; z++ {
		for y := lo[1]; y <= hi[1]; y++ {
			row := im.Index(lo[0], y, z)
			j += copy(out.Data[j:j+g.Size[0]], im.Data[row:row+g.Size[0]])
		}
	}
	return out
}

// SameGeometry reports whether a and b have equal sizes and agree within
// ITK's tolerances: origin and spacing element-wise within
// coordTol*a.Spacing[0], direction within dirTol (|difference| > tol fails).
func SameGeometry(a, b Geometry, coordTol, dirTol float64) bool {
	if a.Size != b.Size {
		return false
	}
	tc := coordTol * a.Spacing[0]
	for i := 0; i < 3; i++ {
		if math.Abs(a.Origin[i]-b.Origin[i]) > tc || math.Abs(a.Spacing[i]-b.Spacing[i]) > tc {
			return false
		}
		for k := 0; k < 3; k++ {
			if math.Abs(a.Direction[i][k]-b.Direction[i][k]) > dirTol {
				return false
			}
		}
	}
	return true
}
