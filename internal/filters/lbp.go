package filters

import (
	"fmt"
	"math"
	"strings"

	"github.com/spinerad/spinerad/internal/volume"
)

// lbpMethod is scikit-image's one-letter method code.
type lbpMethod byte

const (
	lbpDefault    lbpMethod = 'D'
	lbpROR        lbpMethod = 'R'
	lbpUniform    lbpMethod = 'U'
	lbpNRIUniform lbpMethod = 'N'
	lbpVar        lbpMethod = 'V'
)

// lbpMethods maps scikit-image's method names (matched case-insensitively,
// as local_binary_pattern lower-cases them) to their codes.
var lbpMethods = map[string]lbpMethod{
	"default":     lbpDefault,
	"ror":         lbpROR,
	"uniform":     lbpUniform,
	"nri_uniform": lbpNRIUniform,
	"var":         lbpVar,
}

// lbpMaxSamples bounds P: scikit-image's 'default' and 'ror' weights are
// int32 powers of two (2^31 overflows), and no setting needs more.
const lbpMaxSamples = 31

// LBP2D reproduces PyRadiomics' getLBP2DImage (image type "lbp-2D", parity
// spec 5.6): scikit-image's local_binary_pattern(slice, P=samples, R=radius,
// method) applied to every slice along array axis force2DDim (0 = z: axial
// slices of rows y and columns x; 1 = y: rows z, columns x; 2 = x: rows y,
// columns z). Per pixel (r, c), neighbour p (0 <= p < P) sits at
// (r + round5(-R sin(2πp/P)), c + round5(R cos(2πp/P))), read by bilinear
// interpolation with pixels outside the slice equal to 0; bit p is
// neighbour - centre >= 0. Methods: "default" sum of bit_p 2^p; "ror" the
// minimum of that code over its P cyclic right rotations; "uniform" the
// number of 1 bits when the pattern has at most 2 changes between
// consecutive bits p, p+1 (p < P-1), else P+1; "nri_uniform" scikit-image's
// non-rotation-invariant uniform code; "var" the population variance of the
// P neighbours, NaN where it is 0. The result is stored in the input's pixel
// type, as PyRadiomics writes it back into the image array (integer types
// truncate; see npCast). Same geometry as img.
func LBP2D(img *volume.Image, radius float64, samples int, method string, force2DDim int) (*volume.Image, error) {
	if err := checkImage(img); err != nil {
		return nil, err
	}
	return LBP2DCrop(img, radius, samples, method, force2DDim, volume.BBox{Hi: [3]int{img.Size[0] - 1, img.Size[1] - 1, img.Size[2] - 1}})
}

// LBP2DCrop returns LBP2D(img, radius, samples, method, force2DDim).Crop(bb, 0)
// bit for bit, computing only the voxels of bb (their neighbours are read
// from the whole slice of img).
func LBP2DCrop(img *volume.Image, radius float64, samples int, method string, force2DDim int, bb volume.BBox) (*volume.Image, error) {
	if err := checkImage(img); err != nil {
		return nil, err
	}
	m, ok := lbpMethods[strings.ToLower(method)]
	if !ok {
		return nil, fmt.Errorf("filters: lbp2D: unknown method %q (want default, ror, uniform, nri_uniform or var)", method)
	}
	if samples < 1 || samples > lbpMaxSamples {
		return nil, fmt.Errorf("filters: lbp2D: samples %d outside 1..%d", samples, lbpMaxSamples)
	}
	if !(radius > 0) || math.IsInf(radius, 0) {
		return nil, fmt.Errorf("filters: lbp2D: radius %v must be positive and finite", radius)
	}
	// ITK axes of the slice rows and columns, and of the slicing axis.
	var rowAx, colAx, sliceAx int
	switch force2DDim {
	case 0:
		rowAx, colAx, sliceAx = 1, 0, 2
	case 1:
		rowAx, colAx, sliceAx = 2, 0, 1
	case 2:
		rowAx, colAx, sliceAx = 1, 2, 0
	default:
		return nil, fmt.Errorf("filters: lbp2D: force2Ddimension %d not in 0..2", force2DDim)
	}
	g, err := cropGeometry(img.Geometry, bb)
	if err != nil {
		return nil, err
	}
	out := volume.New(g, img.Type)

	P := samples
	rows, cols := img.Size[rowAx], img.Size[colAx]
	strides := [3]int{1, img.Size[0], img.Size[0] * img.Size[1]}
	rowStride, colStride := strides[rowAx], strides[colAx]
	ostrides := [3]int{1, g.Size[0], g.Size[0] * g.Size[1]}

	// Neighbour offsets, as skimage: rr = -R sin(2πp/P), cc = R cos(2πp/P),
	// both rounded to 5 decimals (NumPy round: rint(x*1e5)/1e5).
	rp := make([]float64, P)
	cp := make([]float64, P)
	for p := 0; p < P; p++ {
		a := 2 * math.Pi * float64(p) / float64(P)
		rp[p] = round5(-radius * math.Sin(a))
		cp[p] = round5(radius * math.Cos(a))
	}
	// Interpolation tables per row (and per column) of the box: the floor and
	// ceil of r + rp[p] and the fraction (r + rp[p]) - floor, computed exactly
	// as skimage does for that r.
	rt := newLBPAxisTable(bb.Lo[rowAx], bb.Hi[rowAx], rp)
	ct := newLBPAxisTable(bb.Lo[colAx], bb.Hi[colAx], cp)

	texture := make([]float64, P)
	bits := make([]int8, P)
	d := img.Data
	for s := bb.Lo[sliceAx]; s <= bb.Hi[sliceAx]; s++ {
		sliceBase := s * strides[sliceAx]
		// pix reads slice pixel (r, c), 0 outside (skimage mode 'C', cval 0).
		pix := func(r, c int) float64 {
			if r < 0 || r >= rows || c < 0 || c >= cols {
				return 0
			}
			return d[sliceBase+r*rowStride+c*colStride]
		}
		for r := bb.Lo[rowAx]; r <= bb.Hi[rowAx]; r++ {
			ri := r - bb.Lo[rowAx]
			for c := bb.Lo[colAx]; c <= bb.Hi[colAx]; c++ {
				ci := c - bb.Lo[colAx]
				centre := d[sliceBase+r*rowStride+c*colStride]
				for p := 0; p < P; p++ {
					k := ri*P + p
					minr, maxr, dr := rt.lo[k], rt.hi[k], rt.frac[k]
					k = ci*P + p
					minc, maxc, dc := ct.lo[k], ct.hi[k], ct.frac[k]
					tl, tr := pix(minr, minc), pix(minr, maxc)
					bl, br := pix(maxr, minc), pix(maxr, maxc)
					top := float64((1-dc)*tl) + float64(dc*tr)
					bottom := float64((1-dc)*bl) + float64(dc*br)
					texture[p] = float64((1-dr)*top) + float64(dr*bottom)
					if texture[p]-centre >= 0 {
						bits[p] = 1
					} else {
						bits[p] = 0
					}
				}
				var o [3]int
				o[rowAx], o[colAx], o[sliceAx] = ri, ci, s-bb.Lo[sliceAx]
				out.Data[o[0]+ostrides[1]*o[1]+ostrides[2]*o[2]] = npCast(img.Type, lbpCode(m, texture, bits))
			}
		}
	}
	return out, nil
}

// lbpAxisTable holds, for each coordinate of a box range and each sample p
// (index i*P + p), floor and ceil of coordinate + offset[p] and the fraction.
type lbpAxisTable struct {
	lo, hi []int
	frac   []float64
}

func newLBPAxisTable(from, to int, off []float64) lbpAxisTable {
	P := len(off)
	n := (to - from + 1) * P
	t := lbpAxisTable{lo: make([]int, n), hi: make([]int, n), frac: make([]float64, n)}
	for i := 0; i <= to-from; i++ {
		for p, o := range off {
			x := float64(from+i) + o
			f := math.Floor(x)
			t.lo[i*P+p] = int(f)
			t.hi[i*P+p] = int(math.Ceil(x))
			t.frac[i*P+p] = x - f
		}
	}
	return t
}

// round5 is NumPy's np.round(x, 5) for float64: rint(x*1e5)/1e5.
func round5(x float64) float64 {
	return math.RoundToEven(x*1e5) / 1e5
}

// lbpCode computes the LBP value of one pixel from its neighbour values and
// thresholded bits, following skimage's _local_binary_pattern.
func lbpCode(m lbpMethod, texture []float64, bits []int8) float64 {
	P := len(bits)
	switch m {
	case lbpVar:
		// Biased variance (ddof 0) from running sums, NaN when zero.
		var sum, sq float64
		for _, t := range texture {
			sum += t
			sq += float64(t * t)
		}
		v := (sq - float64(sum*sum)/float64(P)) / float64(P)
		if v != 0 {
			return v
		}
		return math.NaN()
	case lbpUniform, lbpNRIUniform:
		changes := 0
		for i := 0; i < P-1; i++ {
			if bits[i] != bits[i+1] {
				changes++
			}
		}
		if m == lbpUniform {
			if changes > 2 {
				return float64(P + 1)
			}
			n := 0
			for _, b := range bits {
				n += int(b)
			}
			return float64(n)
		}
		if changes > 2 {
			return float64(P*(P-1) + 2)
		}
		nOnes, firstOne, firstZero := 0, -1, -1
		for i, b := range bits {
			if b != 0 {
				nOnes++
				if firstOne == -1 {
					firstOne = i
				}
			} else if firstZero == -1 {
				firstZero = i
			}
		}
		switch nOnes {
		case 0:
			return 0
		case P:
			return float64(P*(P-1) + 1)
		}
		var rot int
		if firstOne == 0 {
			rot = nOnes - firstZero
		} else {
			rot = P - firstOne
		}
		return float64(1 + (nOnes-1)*P + rot)
	}
	code := 0
	for i, b := range bits {
		code += int(b) << i
	}
	if m == lbpROR {
		best, v := code, code
		for i := 1; i < P; i++ {
			v = (v >> 1) | ((v & 1) << (P - 1))
			best = min(best, v)
		}
		code = best
	}
	return float64(code)
}

// npCast is NumPy's assignment of a float64 into an array of pixel type t
// (PyRadiomics writes each LBP slice back into the image's own array):
// float types round, integer types truncate toward zero. Out-of-range values
// and NaN (method "var" on a flat neighbourhood) follow x86-64's conversion:
// for types narrower than 32 bits the value goes through int32 (NaN and
// out-of-range give math.MinInt32) and wraps to the type's width; 32- and
// 64-bit types are not wrapped but clamped (an approximation).
func npCast(t volume.PixelType, v float64) float64 {
	switch t {
	case volume.Float64:
		return v
	case volume.Float32:
		return float64(float32(v))
	case volume.Int8, volume.UInt8, volume.Int16, volume.UInt16:
		var i32 int32 = math.MinInt32
		if !math.IsNaN(v) && v > math.MinInt32-1 && v < math.MaxInt32+1 {
			i32 = int32(v)
		}
		switch t {
		case volume.Int8:
			return float64(int8(i32))
		case volume.UInt8:
			return float64(uint8(i32))
		case volume.Int16:
			return float64(int16(i32))
		default:
			return float64(uint16(i32))
		}
	case volume.Int32:
		if math.IsNaN(v) || v <= math.MinInt32-1 || v >= math.MaxInt32+1 {
			return math.MinInt32
		}
		return math.Trunc(v)
	}
	return t.Cast(v)
}
