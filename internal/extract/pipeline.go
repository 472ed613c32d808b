package extract

import (
	"fmt"
	"math"
	"strings"

	"github.com/spinerad/spinerad/internal/features"
	"github.com/spinerad/spinerad/internal/filters"
	"github.com/spinerad/spinerad/internal/preprocess"
	"github.com/spinerad/spinerad/internal/volume"
)

// Feature is one named output value.
type Feature struct {
	Name  string
	Value float64
}

// Diagnostic is one diagnostics_* entry, already rendered as text.
type Diagnostic struct {
	Name  string
	Value string
}

// Result is the output of one extraction: diagnostics and features in
// PyRadiomics' order.
type Result struct {
	Diagnostics []Diagnostic
	Features    []Feature
	Warnings    []string
}

// Value returns the value of the named feature.
func (r *Result) Value(name string) (float64, bool) {
	for _, f := range r.Features {
		if f.Name == name {
			return f.Value, true
		}
	}
	return 0, false
}

// derived is one filtered image with its PyRadiomics name and settings.
type derived struct {
	name     string
	image    *volume.Image
	settings Settings
}

// Execute runs the pipeline of PyRadiomics' RadiomicsFeatureExtractor.execute
// (segment-based) on an image and mask: mask preparation, normalisation,
// resampling or pre-crop, mask checks, resegmentation, shape, then every
// enabled image type and feature class (docs/pyradiomics-parity.md, section 1).
func (p *Params) Execute(img, mask *volume.Image) (*Result, error) {
	s := p.Setting
	res := &Result{Warnings: append([]string(nil), p.Warnings...)}
	diag := newDiagnostics(p, res)
	if err := checkFinite(img); err != nil {
		return nil, err
	}
	diag.image("original", img)
	m, err := preprocess.GetMask(mask, s.Label)
	if err != nil {
		return nil, err
	}
	diag.maskBlock("original", img, mask, s.Label, false)
	if s.Normalize {
		img = preprocess.Normalize(img, s.NormalizeScale, s.RemoveOutliers)
	}
	checkOpt := preprocess.CheckOptions{
		GeometryTolerance:    s.GeometryTolerance,
		CorrectMask:          s.CorrectMask,
		MinimumROIDimensions: s.MinimumROIDimensions,
		MinimumROISize:       s.MinimumROISize,
	}
	interpolated := false
	if s.Interpolator != "" && s.ResampledPixelSpacing != nil {
		interp, err := preprocess.ParseInterpolator(s.Interpolator)
		if err != nil {
			return nil, err
		}
		var sp [3]float64
		copy(sp[:], s.ResampledPixelSpacing)
		img, m, err = preprocess.ResampleImageAndMask(img, m, s.Label, sp, interp, s.PadDistance)
		if err != nil {
			return nil, err
		}
		interpolated = true
	} else if s.PreCrop {
		bb, corrected, err := preprocess.CheckMask(img, m, s.Label, checkOpt)
		if err != nil {
			return nil, err
		}
		if corrected != nil {
			m = corrected
		}
		img, m = img.Crop(bb, s.PadDistance), m.Crop(bb, s.PadDistance)
	}
	bb, corrected, err := preprocess.CheckMask(img, m, s.Label, checkOpt)
	if err != nil {
		return nil, err
	}
	if corrected != nil {
		m = corrected
		diag.maskBlock("corrected", img, m, s.Label, true)
	}
	if interpolated {
		diag.image("interpolated", img)
		diag.maskBlock("interpolated", img, m, s.Label, true)
	}
	shapeMask := m
	roiMask := m
	if s.ResegmentRange != nil {
		rm, err := preprocess.Resegment(img, m, s.Label, s.ResegmentRange, s.ResegmentMode)
		if err != nil {
			return nil, err
		}
		bb, _, err = preprocess.CheckMask(img, rm, s.Label, checkOpt)
		if err != nil {
			return nil, fmt.Errorf("after resegmentation: %w", err)
		}
		roiMask = rm
		if s.ResegmentShape {
			shapeMask = rm
		}
		diag.maskBlock("resegmented", img, rm, s.Label, true)
	}
	label := float64(s.Label)

	// Shape classes: on the unfiltered image, cropped to the bounding box.
	for _, cs := range p.Classes {
		if cs.Name != "shape" && cs.Name != "shape2D" {
			continue
		}
		if cs.Name == "shape2D" {
			if !s.Force2D {
				res.Warnings = append(res.Warnings, "shape2D needs force2D: true; skipped")
				continue
			}
			// PyRadiomics indexes the ITK-ordered box size with the array-ordered
			// force2Ddimension here; reproduced as is.
			if bb.Size()[s.Force2DDimension] <= 1 {
				res.Warnings = append(res.Warnings, "shape2D: size in the 2D dimension is 1; skipped")
				continue
			}
		}
		region := cropRegion(img, shapeMask, bb, label)
		fs := classSettings(s)
		if err := runClass(res, "original", cs, region, &fs); err != nil {
			return nil, err
		}
	}

	// Filtered images and the other classes.
	for _, it := range p.ImageTypes {
		ds, err := p.filter(img, it, res)
		if err != nil {
			return nil, err
		}
		for _, d := range ds {
			region := cropRegion(d.image, roiMask, bb, label)
			discretise(region, d.image.Type, &d.settings)
			fs := classSettings(d.settings)
			for _, cs := range p.Classes {
				if cs.Name == "shape" || cs.Name == "shape2D" {
					continue
				}
				if err := runClass(res, d.name, cs, region, &fs); err != nil {
					return nil, err
				}
			}
		}
	}
	if !s.AdditionalInfo {
		res.Diagnostics = nil
	}
	return res, nil
}

// filter produces the derived images of one image type.
func (p *Params) filter(img *volume.Image, it ImageType, res *Result) ([]derived, error) {
	s := p.SettingsFor(it)
	switch it.Name {
	case "Original":
		return []derived{{"original", img, s}}, nil
	case "LoG":
		var out []derived
		for i, sigma := range s.Sigma {
			if err := filters.LoGCheck(img.Size, img.Spacing, sigma); err != nil {
				res.Warnings = append(res.Warnings, "LoG: "+err.Error())
				continue
			}
			im, err := filters.LoG(img, sigma)
			if err != nil {
				return nil, err
			}
			name := "log-sigma-" + strings.ReplaceAll(s.SigmaText[i], ".", "-") + "-mm-3D"
			out = append(out, derived{name, im, s})
		}
		return out, nil
	case "Wavelet":
		ws, err := filters.Wavelet(img, s.Wavelet, s.StartLevel, s.Level, s.Force2D, s.Force2DDimension)
		if err != nil {
			return nil, err
		}
		out := make([]derived, len(ws))
		for i, w := range ws {
			out[i] = derived{w.Name, w.Image, s}
		}
		return out, nil
	case "Square", "SquareRoot", "Logarithm", "Exponential", "Gradient":
		var im *volume.Image
		var err error
		switch it.Name {
		case "Square":
			im, err = filters.Square(img)
		case "SquareRoot":
			im, err = filters.SquareRoot(img)
		case "Logarithm":
			im, err = filters.Logarithm(img)
		case "Exponential":
			im, err = filters.Exponential(img)
		default:
			im, err = filters.Gradient(img, s.GradientUseSpacing)
		}
		if err != nil {
			return nil, fmt.Errorf("%s filter: %w", it.Name, err)
		}
		return []derived{{strings.ToLower(it.Name), im, s}}, nil
	}
	return nil, fmt.Errorf("image type %s is not supported yet", it.Name)
}

// cropRegion crops image and mask to bb (no margin) and builds a feature region.
func cropRegion(img, mask *volume.Image, bb volume.BBox, label float64) *features.Region {
	ci := img.Crop(bb, 0)
	cm := mask.Crop(bb, 0)
	roi := make([]bool, len(cm.Data))
	for i, v := range cm.Data {
		roi[i] = v == label
	}
	return &features.Region{Size: ci.Size, Spacing: ci.Spacing, Values: ci.Data, ROI: roi}
}

// discretise fills region.Levels with the binWidth or binCount levels.
func discretise(r *features.Region, pt volume.PixelType, s *Settings) {
	r.Levels = make([]int32, len(r.Values))
	if s.BinCount > 0 {
		preprocess.DiscretizeBinCount(r.Values, r.ROI, s.BinCount, pt, r.Levels)
	} else {
		preprocess.DiscretizeBinWidth(r.Values, r.ROI, s.BinWidth, r.Levels)
	}
}

func classSettings(s Settings) features.Settings {
	return features.Settings{
		Distances:        s.Distances,
		Force2D:          s.Force2D,
		Force2DDimension: s.Force2DDimension,
		SymmetricalGLCM:  s.SymmetricalGLCM,
		WeightingNorm:    s.WeightingNorm,
		GLDMAlpha:        s.GLDMAlpha,
		VoxelArrayShift:  float64(s.VoxelArrayShift),
	}
}

// runClass computes one class on a region and appends its enabled features.
func runClass(res *Result, imageName string, cs ClassSpec, r *features.Region, s *features.Settings) error {
	c, ok := features.Lookup(cs.Name)
	if !ok {
		return fmt.Errorf("feature class %s is not available", cs.Name)
	}
	idx, err := c.Enabled(cs.Features)
	if err != nil {
		return err
	}
	vals, err := c.Compute(r, s)
	if err != nil {
		return fmt.Errorf("%s_%s: %w", imageName, cs.Name, err)
	}
	for _, i := range idx {
		res.Features = append(res.Features, Feature{imageName + "_" + cs.Name + "_" + c.Features[i].Name, vals[i]})
	}
	return nil
}

// checkFinite rejects images holding NaN or infinite voxels (PyRadiomics
// would propagate them unpredictably; spinerad refuses them, a documented
// difference).
func checkFinite(img *volume.Image) error {
	for i, v := range img.Data {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			x, y, z := img.Coords(i)
			return fmt.Errorf("image has a non-finite voxel value (%v) at index (%d, %d, %d)", v, x, y, z)
		}
	}
	return nil
}
