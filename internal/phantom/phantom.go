// Package phantom holds the IBSI-1 digital phantom (Zwanenburg et al., IBSI
// reference manual; CC BY 4.0) as built-in data: 5 x 4 x 4 voxels of 2.0 mm,
// grey levels 1, 3, 4, 6 inside a 74-voxel ROI, so that spinerad can run and
// be checked without any external file.
package phantom

import "github.com/spinerad/spinerad/internal/volume"

// The voxel values, x fastest then y then z (ITK order), as stored in the
// phantom's NIfTI file and read into LPS (identity direction).
var (
	digitalImage = [80]int16{
		1, 4, 4, 1, 1, 1, 4, 6, 1, 1, 4, 1, 6, 4, 1, 4, 4, 6, 4, 1,
		1, 4, 4, 1, 1, 1, 1, 6, 1, 1, 1, 1, 3, 1, 1, 4, 4, 6, 1, 1,
		1, 4, 4, 1, 1, 1, 1, 1, 1, 1, 1, 1, 9, 1, 1, 1, 1, 6, 1, 1,
		1, 4, 4, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 6, 1, 1,
	}
	digitalMask = [80]int16{
		1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
		1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1,
		1, 1, 1, 0, 0, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1, 1, 1, 1, 1,
		1, 1, 1, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	}
)

// DigitalPhantom returns the IBSI-1 digital phantom image and its ROI mask
// (label 1), both int16 with 2.0 mm isotropic spacing, origin 0, identity
// direction.
func DigitalPhantom() (image, mask *volume.Image) {
	g := volume.Geometry{
		Size:      [3]int{5, 4, 4},
		Spacing:   [3]float64{2, 2, 2},
		Direction: volume.Identity,
	}
	image = volume.New(g, volume.Int16)
	mask = volume.New(g, volume.Int16)
	for i := range digitalImage {
		image.Data[i] = float64(digitalImage[i])
		mask.Data[i] = float64(digitalMask[i])
	}
	return image, mask
}
