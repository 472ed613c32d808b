package preprocess

import (
	"math"

	"github.com/spinerad/spinerad/internal/volume"
)

// Normalize is PyRadiomics' imageoperations.normalizeImage (section 4 of
// the parity spec): ITK's NormalizeImageFilter over all voxels of the image,
// then optional outlier clipping, then scaling:
//
//	mean = S/N, sd = sqrt((Q - S*S/N)/(N - 1)), y = (x + (-mean)) * (1/sd),
//	y = clip(y, -removeOutliers, removeOutliers) if removeOutliers > 0, y *= scale,
//
// with S and Q the compensated (Kahan) sums of x and x² in double. The
// output is Float64 with the input geometry. As in ITK, an image of one voxel
// or of constant value gives NaN voxels (sd is 0 or NaN). A nil image gives
// nil.
func Normalize(img *volume.Image, scale float64, removeOutliers float64) *volume.Image {
	if img == nil {
		return nil
	}
	var s, sc, q, qc float64 // Kahan sums and compensations
	for _, x := range img.Data {
		y := x - sc
		t := s + y
		sc = (t - s) - y
		s = t
		y2 := float64(x*x) - qc
		t2 := q + y2
		qc = (t2 - q) - y2
		q = t2
	}
	n := float64(len(img.Data))
	mean := s / n
	variance := (q - float64(s*s)/n) / (n - 1)
	shift := -mean
	inv := 1 / math.Sqrt(variance)
	out := &volume.Image{Geometry: img.Geometry, Type: volume.Float64, Data: make([]float64, len(img.Data))}
	clip := removeOutliers > 0
	for i, x := range img.Data {
		y := (x + shift) * inv
		if clip {
			if y > removeOutliers {
				y = removeOutliers
			} else if y < -removeOutliers {
				y = -removeOutliers
			}
		}
		out.Data[i] = y * scale
	}
	return out
}
