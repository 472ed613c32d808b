package filters

import (
	"math"

	"github.com/spinerad/spinerad/internal/volume"
)

// maxAbs returns max(|x|) over the whole image (NumPy's np.max(np.abs(im));
// NaN if any voxel is NaN).
func maxAbs(d []float64) float64 {
	m := 0.0
	for _, v := range d {
		a := math.Abs(v)
		if a > m || math.IsNaN(a) {
			if math.IsNaN(a) {
				return math.NaN()
			}
			m = a
		}
	}
	return m
}

// pointwise returns a Float64 image with the input geometry and out[i] = f(in[i]).
func pointwise(img *volume.Image, f func(float64) float64) (*volume.Image, error) {
	if err := checkImage(img); err != nil {
		return nil, err
	}
	out := volume.New(img.Geometry, volume.Float64)
	for i, v := range img.Data {
		out.Data[i] = f(v)
	}
	return out, nil
}

// Square reproduces PyRadiomics' getSquareImage (image type "square", parity
// spec 5.5): with M = max(|x|) over the whole image and c = 1/sqrt(M),
// out = (c*x)^2, i.e. x²/M without sign restoration. Output pixel type
// Float64 (PyRadiomics casts to float64); an all-zero image gives NaN
// everywhere, as in PyRadiomics.
func Square(img *volume.Image) (*volume.Image, error) {
	if err := checkImage(img); err != nil {
		return nil, err
	}
	c := 1 / math.Sqrt(maxAbs(img.Data))
	return pointwise(img, func(x float64) float64 {
		v := c * x
		return v * v
	})
}

// SquareRoot reproduces PyRadiomics' getSquareRootImage (image type
// "squareroot", parity spec 5.5): with M = max(|x|) over the whole image,
// out = sqrt(x*M) for x > 0, -sqrt(-x*M) for x < 0, 0 for x = 0. Output
// pixel type Float64.
func SquareRoot(img *volume.Image) (*volume.Image, error) {
	if err := checkImage(img); err != nil {
		return nil, err
	}
	m := maxAbs(img.Data)
	return pointwise(img, func(x float64) float64 {
		switch {
		case x > 0:
			return math.Sqrt(x * m)
		case x < 0:
			return -math.Sqrt(-x * m)
		}
		return x
	})
}

// Logarithm reproduces PyRadiomics' getLogarithmImage (image type
// "logarithm", parity spec 5.5): first y = ln(x + 1) for x > 0,
// y = -ln(1 - x) for x < 0, y = 0 for x = 0; then out = y * (M/max(|y|))
// with M = max(|x|) over the whole image. Output pixel type Float64; an
// all-zero image gives NaN everywhere, as in PyRadiomics.
func Logarithm(img *volume.Image) (*volume.Image, error) {
	if err := checkImage(img); err != nil {
		return nil, err
	}
	m := maxAbs(img.Data)
	out, _ := pointwise(img, logSigned)
	f := m / maxAbs(out.Data)
	for i, v := range out.Data {
		out.Data[i] = v * f
	}
	return out, nil
}

// Exponential reproduces PyRadiomics' getExponentialImage (image type
// "exponential", parity spec 5.5): with M = max(|x|) over the whole image and
// c = ln(M)/M, out = exp(c*x) (no sign handling). Output pixel type Float64;
// an all-zero image gives NaN everywhere, as in PyRadiomics.
func Exponential(img *volume.Image) (*volume.Image, error) {
	if err := checkImage(img); err != nil {
		return nil, err
	}
	m := maxAbs(img.Data)
	c := math.Log(m) / m
	return pointwise(img, func(x float64) float64 { return math.Exp(c * x) })
}
