package filters

import (
	"math"

	"github.com/spinerad/spinerad/internal/volume"
)

// pointwiseCrop returns a Float64 image of the crop of img to bb with
// out = f(in), or an error for a bad image or box.
func pointwiseCrop(img *volume.Image, bb volume.BBox, f func(float64) float64) (*volume.Image, error) {
	if err := checkImage(img); err != nil {
		return nil, err
	}
	g, err := cropGeometry(img.Geometry, bb)
	if err != nil {
		return nil, err
	}
	out := volume.New(g, volume.Float64)
	nx, ny := img.Size[0], img.Size[1]
	i := 0
	for z := bb.Lo[2]; z <= bb.Hi[2]; z++ {
		for y := bb.Lo[1]; y <= bb.Hi[1]; y++ {
			b := (z*ny+y)*nx + bb.Lo[0]
			for _, v := range img.Data[b : b+g.Size[0]] {
				out.Data[i] = f(v)
				i++
			}
		}
	}
	return out, nil
}

// SquareCrop returns Square(img).Crop(bb, 0) bit for bit, computing the
// whole-image maximum |x| once and the squares only inside bb.
func SquareCrop(img *volume.Image, bb volume.BBox) (*volume.Image, error) {
	if err := checkImage(img); err != nil {
		return nil, err
	}
	c := 1 / math.Sqrt(maxAbs(img.Data))
	return pointwiseCrop(img, bb, func(x float64) float64 {
		v := c * x
		return v * v
	})
}

// SquareRootCrop returns SquareRoot(img).Crop(bb, 0) bit for bit (whole-image
// maximum |x|, square roots only inside bb).
func SquareRootCrop(img *volume.Image, bb volume.BBox) (*volume.Image, error) {
	if err := checkImage(img); err != nil {
		return nil, err
	}
	m := maxAbs(img.Data)
	return pointwiseCrop(img, bb, func(x float64) float64 {
		switch {
		case x > 0:
			return math.Sqrt(x * m)
		case x < 0:
			return -math.Sqrt(-x * m)
		}
		return x
	})
}

// logSigned is Logarithm's first step: ln(x+1) for x > 0, -ln(1-x) for
// x < 0, x for x = 0.
func logSigned(x float64) float64 {
	switch {
	case x > 0:
		return math.Log(x + 1)
	case x < 0:
		return -math.Log(-(x - 1))
	}
	return x
}

// LogarithmCrop returns Logarithm(img).Crop(bb, 0) bit for bit: the
// whole-image maxima of |x| and of |logSigned(x)| are computed without
// storing the whole logarithm image, then only the crop is scaled.
func LogarithmCrop(img *volume.Image, bb volume.BBox) (*volume.Image, error) {
	if err := checkImage(img); err != nil {
		return nil, err
	}
	m := maxAbs(img.Data)
	my := 0.0
	for _, v := range img.Data {
		a := math.Abs(logSigned(v))
		if a > my || math.IsNaN(a) {
			if math.IsNaN(a) {
				my = math.NaN()
				break
			}
			my = a
		}
	}
	f := m / my
	return pointwiseCrop(img, bb, func(x float64) float64 { return logSigned(x) * f })
}

// ExponentialCrop returns Exponential(img).Crop(bb, 0) bit for bit
// (whole-image maximum |x|, exponentials only inside bb).
func ExponentialCrop(img *volume.Image, bb volume.BBox) (*volume.Image, error) {
	if err := checkImage(img); err != nil {
		return nil, err
	}
	m := maxAbs(img.Data)
	c := math.Log(m) / m
	return pointwiseCrop(img, bb, func(x float64) float64 { return math.Exp(c * x) })
}
