package filters

import (
	"errors"

	"github.com/spinerad/spinerad/internal/volume"
)

// ErrNotImplemented is returned by the filters spinerad does not provide yet.
var ErrNotImplemented = errors.New("filters: not implemented")

// LBP2D would reproduce PyRadiomics' getLBP2DImage (scikit-image
// local_binary_pattern per slice); it is not implemented and returns
// ErrNotImplemented.
func LBP2D(img *volume.Image) (*volume.Image, error) {
	return nil, errors.Join(ErrNotImplemented, errors.New("LBP2D (image type lbp-2D) is out of scope"))
}

// LBP3D would reproduce PyRadiomics' getLBP3DImage (spherical-harmonics LBP);
// it is not implemented and returns ErrNotImplemented.
func LBP3D(img *volume.Image) ([]*volume.Image, error) {
	return nil, errors.Join(ErrNotImplemented, errors.New("LBP3D (image types lbp-3D-*) is out of scope"))
}
