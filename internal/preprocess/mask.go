package preprocess

import (
	"errors"
	"fmt"
	"math"
	"sort"
	"strings"

	"github.com/spinerad/spinerad/internal/volume"
)

// GetMask is PyRadiomics' imageoperations.getMask for a scalar mask: it casts
// the mask to UInt32 the way a C cast does (truncation toward zero, values
// wrapped modulo 2^32, NaN to 0) and checks that label is present. Errors:
// "no labels" when the only value is 0, and a label-absent error listing the
// non-zero labels present. When the cast changes no voxel the result shares
// mask's Data slice; callers must treat both as read-only.
func GetMask(mask *volume.Image, label int) (*volume.Image, error) {
	if mask == nil {
		return nil, errors.New("mask is nil")
	}
	if err := checkImage(mask, "mask"); err != nil {
		return nil, err
	}
	// The cast changes no value of a mask that already holds integers in
	// [0, 2^32) (every integer-typed mask file does): then the result shares
	// mask's voxels instead of copying 8 bytes per voxel.
	var set labelSet
	last := math.NaN()
	src := mask.Data
	var dst []float64
	for i, v := range src {
		u := v
		if !(v >= 0 && v < two32 && v == math.Trunc(v)) {
			if dst == nil {
				dst = make([]float64, len(src))
				copy(dst, src[:i])
			}
			u = castUInt32(v)
		}
		if dst != nil {
			dst[i] = u
		}
		if u != last {
			set.add(u)
			last = u
		}
	}
	if dst == nil {
		dst = src
	}
	out := &volume.Image{Geometry: mask.Geometry, Type: volume.UInt32, Data: dst}
	labels := make([]float64, 0, len(set.small)+len(set.big))
	for _, v := range set.values() {
		if v != 0 {
			labels = append(labels, v)
		}
	}
	sort.Float64s(labels)
	if len(labels) == 0 {
		return nil, errors.New("no labels found in this mask (i.e. nothing is segmented)")
	}
	if !set.has(float64(label)) || label == 0 {
		return nil, fmt.Errorf("label %d not present in mask; choose from %s", label, formatLabels(labels))
	}
	return out, nil
}

// two32 is 2^32, the modulus of the UInt32 cast.
const two32 = 1 << 32

// castUInt32 is C's cast of a double to uint32 as ITK's cast filter does it:
// truncation toward zero, wrapped modulo 2^32; NaN and infinities give 0.
func castUInt32(v float64) float64 {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return 0
	}
	u := math.Trunc(v)
	if u < 0 || u >= two32 {
		u = math.Mod(u, two32)
		if u < 0 {
			u += two32
		}
	}
	return u
}

// labelSet is a set of label values: a short list, then a map when many
// distinct values occur.
type labelSet struct {
	small []float64
	big   map[float64]struct{}
}

func (s *labelSet) add(v float64) {
	if s.big != nil {
		s.big[v] = struct{}{}
		return
	}
	for _, w := range s.small {
		if w == v {
			return
		}
	}
	if len(s.small) < 32 {
		s.small = append(s.small, v)
		return
	}
	s.big = make(map[float64]struct{}, 64)
	for _, w := range s.small {
		s.big[w] = struct{}{}
	}
	s.small = nil
	s.big[v] = struct{}{}
}

func (s *labelSet) has(v float64) bool {
	if s.big != nil {
		_, ok := s.big[v]
		return ok
	}
	for _, w := range s.small {
		if w == v {
			return true
		}
	}
	return false
}

func (s *labelSet) values() []float64 {
	if s.big == nil {
		return s.small
	}
	out := make([]float64, 0, len(s.big))
	for v := range s.big {
		out = append(out, v)
	}
	return out
}

func formatLabels(labels []float64) string {
	s := make([]string, len(labels))
	for i, v := range labels {
		s[i] = fmt.Sprintf("%.0f", v)
	}
	return "[" + strings.Join(s, " ") + "]"
}

// CheckOptions are the PyRadiomics settings that checkMask reads.
type CheckOptions struct {
	// GeometryTolerance scales ITK's geometry comparison of image and mask:
	// origin and spacing within GeometryTolerance*imageSpacing[0], direction
	// within GeometryTolerance. 0 means ITK's default 1e-6.
	GeometryTolerance float64
	// CorrectMask resamples a mask whose geometry differs onto the image grid
	// (nearest neighbour) instead of failing, provided the ROI lies inside the
	// image.
	CorrectMask bool
	// MinimumROIDimensions is the minimum number of axes along which the ROI
	// spans more than one voxel (1-3). 0 means PyRadiomics' default 2.
	MinimumROIDimensions int
	// MinimumROISize, when > 0, requires the ROI to have more than that many
	// voxels. 0 means unset.
	MinimumROISize int
}

// CheckMask is PyRadiomics' imageoperations.checkMask (sections 2.3 and 2.4
// of the parity spec). It verifies that img and mask share a geometry
// (sizes equal, origin and spacing within tol*imageSpacing[0], direction
// within tol, tol = GeometryTolerance or 1e-6); on a mismatch with
// CorrectMask it checks that the ROI lies inside the image and resamples the
// mask onto the image grid with nearest neighbour. It returns the inclusive
// bounding box of the voxels equal to label, the corrected mask (nil when no
// correction was needed) and an error when the geometry differs (naming what
// differs), the label is absent, the ROI is a single voxel, spans fewer than
// MinimumROIDimensions axes, or has no more than MinimumROISize voxels.
func CheckMask(img, mask *volume.Image, label int, opt CheckOptions) (volume.BBox, *volume.Image, error) {
	var bb volume.BBox
	if img == nil || mask == nil {
		return bb, nil, errors.New("checkMask: image and mask are required")
	}
	if err := checkImage(img, "image"); err != nil {
		return bb, nil, err
	}
	if err := checkImage(mask, "mask"); err != nil {
		return bb, nil, err
	}
	tol := opt.GeometryTolerance
	if tol == 0 {
		tol = 1e-6
	}
	if !(tol > 0) || math.IsInf(tol, 1) {
		return bb, nil, fmt.Errorf("checkMask: geometryTolerance %v must be > 0", opt.GeometryTolerance)
	}
	minDims := opt.MinimumROIDimensions
	if minDims == 0 {
		minDims = 2
	}
	if minDims < 1 || minDims > 3 {
		return bb, nil, fmt.Errorf("checkMask: minimumROIDimensions %d must be 1, 2 or 3", opt.MinimumROIDimensions)
	}
	if opt.MinimumROISize < 0 {
		return bb, nil, fmt.Errorf("checkMask: minimumROISize %d must be > 0 (or 0 for unset)", opt.MinimumROISize)
	}
	var corrected *volume.Image
	m := mask
	if diff := geometryDifference(img.Geometry, mask.Geometry, tol); diff != "" {
		if !opt.CorrectMask {
			return bb, nil, fmt.Errorf("image/mask geometry mismatch: %s (potential fixes: increase geometryTolerance, or enable correctMask)", diff)
		}
		if _, err := checkROI(img, mask, label); err != nil {
			return bb, nil, fmt.Errorf("image/mask geometry mismatch (%s) and correctMask failed: %w", diff, err)
		}
		corrected = resampleOnto(mask, img.Geometry, NearestNeighbor, mask.Type)
		m = corrected
	}
	bb, count, ok := volume.LabelBBox(m, float64(label))
	if !ok {
		if corrected != nil {
			return bb, nil, fmt.Errorf("label %d not present in the mask resampled onto the image grid", label)
		}
		return bb, nil, fmt.Errorf("label %d not present in mask", label)
	}
	ndims := 0
	for _, s := range bb.Size() {
		if s > 1 {
			ndims++
		}
	}
	if ndims == 0 {
		return bb, nil, errors.New("mask only contains 1 segmented voxel: cannot extract features for a single voxel")
	}
	if ndims < minDims {
		return bb, nil, fmt.Errorf("ROI has too few dimensions (number of dimensions %d, minimum required %d)", ndims, minDims)
	}
	if opt.MinimumROISize > 0 && count <= opt.MinimumROISize {
		return bb, nil, fmt.Errorf("ROI is too small (%d voxels; more than minimumROISize %d required)", count, opt.MinimumROISize)
	}
	return bb, corrected, nil
}

// geometryDifference describes how mask geometry b differs from image
// geometry a under ITK's VerifyInputInformation rule (|difference| > tol
// fails; coordinate tolerance tol*a.Spacing[0]), or returns "" when they
// agree.
func geometryDifference(a, b volume.Geometry, tol float64) string {
	if a.Size != b.Size {
		return fmt.Sprintf("size differs (image %v, mask %v)", a.Size, b.Size)
	}
	tc := tol * a.Spacing[0]
	var msgs []string
	for i := 0; i < 3; i++ {
		if !(math.Abs(a.Origin[i]-b.Origin[i]) <= tc) {
			msgs = append(msgs, fmt.Sprintf("origin differs (image %v, mask %v, tolerance %g)", a.Origin, b.Origin, tc))
			break
		}
	}
	for i := 0; i < 3; i++ {
		if !(math.Abs(a.Spacing[i]-b.Spacing[i]) <= tc) {
			msgs = append(msgs, fmt.Sprintf("spacing differs (image %v, mask %v, tolerance %g)", a.Spacing, b.Spacing, tc))
			break
		}
	}
dir:
	for i := 0; i < 3; i++ {
		for k := 0; k < 3; k++ {
			if !(math.Abs(a.Direction[i][k]-b.Direction[i][k]) <= tol) {
				msgs = append(msgs, fmt.Sprintf("direction differs (image %v, mask %v, tolerance %g)", a.Direction, b.Direction, tol))
				break dir
			}
		}
	}
	return strings.Join(msgs, "; ")
}
