package preprocess

import (
	"errors"
	"fmt"
	"math"
	"sort"

	"github.com/spinerad/spinerad/internal/pairwise"

	"github.com/spinerad/spinerad/internal/volume"
)

// MeanStdFloat32 returns NumPy 1.24's np.mean and np.std (ddof 0) of a
// float32 array: mean = float32(double(S)/n) with S the float32 pairwise sum;
// std: m = S/n in float32, d = x - m in float32, var = float32(double(D)/n)
// with D the float32 pairwise sum of d*d (each product rounded to float32),
// sd = float32(sqrt(var)). An empty array gives NaN.
func MeanStdFloat32(a []float32) (mean, std float32) {
	n := len(a)
	if n == 0 {
		nan := float32(math.NaN())
		return nan, nan
	}
	s := pairwise.Sum(a)
	mean = float32(float64(s) / float64(n))
	m := s / float32(n)
	d := make([]float32, n)
	for i, v := range a {
		x := v - m
		d[i] = x * x
	}
	variance := float32(float64(pairwise.Sum(d)) / float64(n))
	return mean, float32(math.Sqrt(float64(variance)))
}

// meanStdFloat64 returns np.mean and np.std (ddof 0) of a float64 array:
// mean = S/n, std = sqrt(D/n) with S and D pairwise sums, D over (x - mean)².
func meanStdFloat64(a []float64) (mean, std float64) {
	n := float64(len(a))
	mean = pairwise.Sum(a) / n
	d := make([]float64, len(a))
	for i, v := range a {
		x := v - mean
		d[i] = x * x
	}
	return mean, math.Sqrt(pairwise.Sum(d) / n)
}

// Resegment is PyRadiomics' imageoperations.resegmentMask (section 6.1 of
// the parity spec). rng holds 1 or 2 values, sorted first; mode is
//
//	"absolute" (or ""): thresholds = rng;
//	"relative": thresholds = max(ROI)*t for each sorted t (not re-sorted);
//	"sigma": thresholds = mean(ROI) + std(ROI)*t (NumPy mean/std, ddof 0).
//
// A ROI voxel (mask == label) is kept when value >= t_low and, with two
// values, value <= t_high. For Float32 images the comparisons are made in
// float32 (thresholds rounded to float32 unless that overflows, NumPy 1.24)
// and sigma mode uses NumPy's float32 mean and std (MeanStdFloat32). The new
// mask is an Int64 image with the mask's geometry holding label at kept
// voxels and 0 elsewhere. Errors: nil inputs or mismatched sizes, rng of the
// wrong length or with NaN, unknown mode, label absent, at most one voxel
// kept.
func Resegment(img, mask *volume.Image, label int, rng []float64, mode string) (*volume.Image, error) {
	if img == nil || mask == nil {
		return nil, errors.New("resegment: image and mask are required")
	}
	if img.Size != mask.Size || len(img.Data) != len(mask.Data) || len(img.Data) != img.NumVoxels() {
		return nil, fmt.Errorf("resegment: image size %v and mask size %v differ", img.Size, mask.Size)
	}
	if len(rng) != 1 && len(rng) != 2 {
		return nil, fmt.Errorf("resegment: resegmentRange must have 1 or 2 values, got %d", len(rng))
	}
	sorted := append([]float64(nil), rng...)
	for _, v := range sorted {
		if math.IsNaN(v) {
			return nil, fmt.Errorf("resegment: resegmentRange %v contains NaN", rng)
		}
	}
	sort.Float64s(sorted)
	lab := float64(label)
	f32 := img.Type == volume.Float32
	var roi []float64
	for i, m := range mask.Data {
		if m == lab {
			roi = append(roi, img.Data[i])
		}
	}
	if len(roi) == 0 {
		return nil, fmt.Errorf("resegment: label %d not present in mask", label)
	}
	thr := make([]float64, len(sorted))
	switch mode {
	case "", "absolute":
		copy(thr, sorted)
	case "relative":
		mx := math.Inf(-1)
		for _, v := range roi {
			if v > mx || math.IsNaN(v) {
				mx = v
			}
		}
		for k, t := range sorted {
			thr[k] = mx * t
		}
	case "sigma":
		var mean, sd float64
		if f32 {
			a := make([]float32, len(roi))
			for i, v := range roi {
				a[i] = float32(v)
			}
			m32, s32 := MeanStdFloat32(a)
			mean, sd = float64(m32), float64(s32)
		} else {
			mean, sd = meanStdFloat64(roi)
		}
		for k, t := range sorted {
			thr[k] = mean + float64(sd*t)
		}
	default:
		return nil, fmt.Errorf("resegment: resegmentMode %q not recognized (absolute, relative or sigma)", mode)
	}
	if f32 {
		for k, t := range thr {
			if math.Abs(t) <= math.MaxFloat32 {
				thr[k] = float64(float32(t))
			}
		}
	}
	out := &volume.Image{Geometry: mask.Geometry, Type: volume.Int64, Data: make([]float64, len(mask.Data))}
	kept := 0
	for i, m := range mask.Data {
		if m != lab {
			continue
		}
		v := img.Data[i]
		if !(v >= thr[0]) || (len(thr) == 2 && !(v <= thr[1])) {
			continue
		}
		out.Data[i] = lab
		kept++
	}
	if kept <= 1 {
		return nil, fmt.Errorf("resegmentation excluded too many voxels with label %d (retained %d voxel(s)): cannot extract features", label, kept)
	}
	return out, nil
}
