package extract

import (
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
)

// Settings are PyRadiomics' extraction settings (the `setting` block of a
// parameter file, merged with per-image-type overrides). Field defaults are
// PyRadiomics' (DefaultSettings); docs/pyradiomics-parity.md section 2.6 of
// the shared reference lists them.
type Settings struct {
	MinimumROIDimensions  int       // minimumROIDimensions, 1-3 (default 2)
	MinimumROISize        int       // minimumROISize, 0 = unset; the ROI must have more voxels
	Normalize             bool      // normalize the whole image (ITK NormalizeImageFilter)
	NormalizeScale        float64   // normalizeScale (default 1)
	RemoveOutliers        float64   // removeOutliers in SD units, 0 = unset
	ResampledPixelSpacing []float64 // resampledPixelSpacing (x, y, z) in mm; nil = no resampling; 0 keeps an axis
	Interpolator          string    // interpolator name (default sitkBSpline)
	PreCrop               bool      // preCrop: crop to bounding box + padDistance before filtering
	PadDistance           int       // padDistance (default 5)
	Distances             []int     // distances (default [1])
	Force2D               bool      // force2D
	Force2DDimension      int       // force2Ddimension, array axis 0-2 (0 = z)
	ResegmentRange        []float64 // resegmentRange, 1 or 2 values; nil = none
	ResegmentMode         string    // resegmentMode: absolute, relative or sigma
	ResegmentShape        bool      // resegmentShape: shape uses the resegmented mask
	Label                 int       // label (default 1)
	LabelChannel          int       // label_channel for vector masks
	AdditionalInfo        bool      // additionalInfo: output diagnostics
	BinWidth              float64   // binWidth (default 25)
	BinCount              int       // binCount, 0 = unset (binWidth applies)
	VoxelArrayShift       int       // voxelArrayShift
	SymmetricalGLCM       bool      // symmetricalGLCM (default true)
	WeightingNorm         string    // weightingNorm: "", manhattan, euclidean, infinity, no_weighting
	GLDMAlpha             int       // gldm_a
	CorrectMask           bool      // correctMask
	GeometryTolerance     float64   // geometryTolerance, 0 = ITK default 1e-6
	Sigma                 []float64 // LoG sigma values in mm
	SigmaText             []string  // Python str() of each sigma as written (names log-sigma-<s>-mm-3D)
	Wavelet               string    // wavelet (default coif1)
	StartLevel            int       // start_level
	Level                 int       // level (default 1)
	GradientUseSpacing    bool      // gradientUseSpacing (default true)
	LBP2DRadius           float64   // lbp2DRadius
	LBP2DSamples          int       // lbp2DSamples (default 8)
	LBP2DMethod           string    // lbp2DMethod (default uniform)
	LBP3DLevels           int       // lbp3DLevels
	LBP3DIcosphereRadius  float64   // lbp3DIcosphereRadius
	LBP3DIcosphereSubdiv  int       // lbp3DIcosphereSubdivision
	// order records the keys set explicitly, in the order they were set,
	// for the Configuration_Settings diagnostic.
	order []string
	vals  map[string]any
}

// DefaultSettings returns PyRadiomics' defaults.
func DefaultSettings() Settings {
	s := Settings{
		MinimumROIDimensions: 2,
		NormalizeScale:       1,
		Interpolator:         "sitkBSpline",
		PadDistance:          5,
		Distances:            []int{1},
		ResegmentMode:        "absolute",
		Label:                1,
		AdditionalInfo:       true,
		BinWidth:             25,
		SymmetricalGLCM:      true,
		Wavelet:              "coif1",
		Level:                1,
		GradientUseSpacing:   true,
		LBP2DRadius:          1,
		LBP2DSamples:         8,
		LBP2DMethod:          "uniform",
		LBP3DLevels:          2,
		LBP3DIcosphereRadius: 1,
		LBP3DIcosphereSubdiv: 1,
	}
	// The extractor's own defaults appear in PyRadiomics' settings repr.
	for _, kv := range []struct {
		k string
		v any
	}{
		{"minimumROIDimensions", 2}, {"minimumROISize", nil}, {"normalize", false}, {"normalizeScale", 1},
		{"removeOutliers", nil}, {"resampledPixelSpacing", nil}, {"interpolator", "sitkBSpline"},
		{"preCrop", false}, {"padDistance", 5}, {"distances", []any{1}}, {"force2D", false},
		{"force2Ddimension", 0}, {"resegmentRange", nil}, {"label", 1}, {"additionalInfo", true},
	} {
		s.record(kv.k, kv.v)
	}
	return s
}

// Clone returns a deep copy (slices and the record are not shared).
func (s Settings) Clone() Settings {
	c := s
	c.ResampledPixelSpacing = append([]float64(nil), s.ResampledPixelSpacing...)
	if s.ResampledPixelSpacing == nil {
		c.ResampledPixelSpacing = nil
	}
	c.Distances = append([]int(nil), s.Distances...)
	if s.ResegmentRange != nil {
		c.ResegmentRange = append([]float64(nil), s.ResegmentRange...)
	}
	c.Sigma = append([]float64(nil), s.Sigma...)
	c.SigmaText = append([]string(nil), s.SigmaText...)
	c.order = append([]string(nil), s.order...)
	c.vals = make(map[string]any, len(s.vals))
	for k, v := range s.vals {
		c.vals[k] = v
	}
	return c
}

func (s *Settings) record(key string, v any) {
	if s.vals == nil {
		s.vals = map[string]any{}
	}
	if _, ok := s.vals[key]; !ok {
		s.order = append(s.order, key)
	}
	s.vals[key] = v
}

// settingKeys are the keys PyRadiomics' parameter schema accepts in `setting`
// and in per-image-type blocks.
var settingKeys = []string{
	"minimumROIDimensions", "minimumROISize", "normalize", "normalizeScale", "removeOutliers",
	"resampledPixelSpacing", "interpolator", "preCrop", "padDistance", "distances", "force2D",
	"force2Ddimension", "resegmentRange", "resegmentMode", "resegmentShape", "label", "label_channel",
	"additionalInfo", "binWidth", "binCount", "voxelArrayShift", "symmetricalGLCM", "weightingNorm",
	"gldm_a", "correctMask", "geometryTolerance", "sigma", "wavelet", "start_level", "level",
	"gradientUseSpacing", "lbp2DRadius", "lbp2DSamples", "lbp2DMethod", "lbp3DLevels",
	"lbp3DIcosphereRadius", "lbp3DIcosphereSubdivision", "dtype",
}

// interpolators are the names (and SimpleITK codes) PyRadiomics accepts.
var interpolators = map[string]string{
	"sitkNearestNeighbor": "sitkNearestNeighbor", "sitkLinear": "sitkLinear", "sitkBSpline": "sitkBSpline",
	"sitkGaussian": "sitkGaussian", "sitkLabelGaussian": "sitkLabelGaussian",
	"sitkHammingWindowedSinc": "sitkHammingWindowedSinc", "sitkCosineWindowedSinc": "sitkCosineWindowedSinc",
	"sitkWelchWindowedSinc": "sitkWelchWindowedSinc", "sitkLanczosWindowedSinc": "sitkLanczosWindowedSinc",
	"sitkBlackmanWindowedSinc": "sitkBlackmanWindowedSinc",
	"1":                        "sitkNearestNeighbor", "2": "sitkLinear", "3": "sitkBSpline", "4": "sitkGaussian",
	"5": "sitkLabelGaussian", "6": "sitkHammingWindowedSinc", "7": "sitkCosineWindowedSinc",
	"8": "sitkWelchWindowedSinc", "9": "sitkLanczosWindowedSinc", "10": "sitkBlackmanWindowedSinc",
}

// Value is a parameter value decoded from YAML, JSON or a -s override: nil,
// bool, int64, float64, string or []Value. Text keeps the literal of a
// number as written (PyRadiomics names LoG images with str(sigma)).
type Value struct {
	V    any
	Text string
}

// Set validates value v for setting key against PyRadiomics' schema and
// stores it. Unknown keys and out-of-range values are errors naming the key.
func (s *Settings) Set(key string, v Value) error {
	bad := func(want string) error {
		return fmt.Errorf("setting %q: %s expected, got %s", key, want, v.describe())
	}
	switch key {
	case "minimumROIDimensions":
		n, ok := v.int()
		if !ok || n < 1 || n > 3 {
			return bad("an integer 1-3")
		}
		s.MinimumROIDimensions = n
	case "minimumROISize":
		if v.V == nil {
			s.MinimumROISize = 0
			break
		}
		n, ok := v.int()
		if !ok || n <= 0 {
			return bad("a positive integer")
		}
		s.MinimumROISize = n
	case "normalize":
		b, ok := v.V.(bool)
		if !ok {
			return bad("true or false")
		}
		s.Normalize = b
	case "normalizeScale":
		f, ok := v.float()
		if !ok || f <= 0 {
			return bad("a number > 0")
		}
		s.NormalizeScale = f
	case "removeOutliers":
		if v.V == nil {
			s.RemoveOutliers = 0
			break
		}
		f, ok := v.float()
		if !ok || f <= 0 {
			return bad("a number > 0")
		}
		s.RemoveOutliers = f
	case "resampledPixelSpacing":
		if v.V == nil {
			s.ResampledPixelSpacing = nil
			break
		}
		l, ok := v.floats()
		if !ok || len(l) != 3 {
			return bad("a list of 3 numbers >= 0 (x, y, z)")
		}
		for _, f := range l {
			if f < 0 {
				return bad("a list of 3 numbers >= 0 (x, y, z)")
			}
		}
		s.ResampledPixelSpacing = l
	case "interpolator":
		if v.V == nil {
			s.Interpolator = ""
			break
		}
		name, ok := interpolators[fmt.Sprint(v.V)]
		if !ok {
			return bad("one of sitkNearestNeighbor, sitkLinear, sitkBSpline (or a SimpleITK interpolator name or code 1-10)")
		}
		s.Interpolator = name
	case "preCrop":
		b, ok := v.V.(bool)
		if !ok {
			return bad("true or false")
		}
		s.PreCrop = b
	case "padDistance":
		n, ok := v.int()
		if !ok || n < 0 {
			return bad("an integer >= 0")
		}
		s.PadDistance = n
	case "distances":
		l, ok := v.ints()
		if !ok || len(l) == 0 {
			return bad("a list of integers > 0")
		}
		for _, d := range l {
			if d <= 0 {
				return bad("a list of integers > 0")
			}
		}
		s.Distances = l
	case "force2D":
		b, ok := v.V.(bool)
		if !ok {
			return bad("true or false")
		}
		s.Force2D = b
	case "force2Ddimension":
		n, ok := v.int()
		if !ok || n < 0 || n > 2 {
			return bad("0, 1 or 2")
		}
		s.Force2DDimension = n
	case "resegmentRange":
		if v.V == nil {
			s.ResegmentRange = nil
			break
		}
		l, ok := v.floats()
		if !ok || len(l) < 1 || len(l) > 2 {
			return bad("a list of 1 or 2 numbers")
		}
		sort.Float64s(l)
		s.ResegmentRange = l
	case "resegmentMode":
		m, ok := v.V.(string)
		if !ok || (m != "absolute" && m != "relative" && m != "sigma") {
			return bad("absolute, relative or sigma")
		}
		s.ResegmentMode = m
	case "resegmentShape":
		b, ok := v.V.(bool)
		if !ok {
			return bad("true or false")
		}
		s.ResegmentShape = b
	case "label":
		n, ok := v.int()
		if !ok || n <= 0 {
			return bad("an integer > 0")
		}
		s.Label = n
	case "label_channel":
		n, ok := v.int()
		if !ok || n < 0 {
			return bad("an integer >= 0")
		}
		s.LabelChannel = n
	case "additionalInfo":
		b, ok := v.V.(bool)
		if !ok {
			return bad("true or false")
		}
		s.AdditionalInfo = b
	case "binWidth":
		f, ok := v.float()
		if !ok || f <= 0 || math.IsInf(f, 0) {
			return bad("a number > 0")
		}
		s.BinWidth = f
	case "binCount":
		if v.V == nil {
			s.BinCount = 0
			break
		}
		n, ok := v.int()
		if !ok || n <= 0 {
			return bad("an integer > 0")
		}
		s.BinCount = n
	case "voxelArrayShift":
		n, ok := v.int()
		if !ok {
			return bad("an integer")
		}
		s.VoxelArrayShift = n
	case "symmetricalGLCM":
		b, ok := v.V.(bool)
		if !ok {
			return bad("true or false")
		}
		s.SymmetricalGLCM = b
	case "weightingNorm":
		if v.V == nil {
			s.WeightingNorm = ""
			break
		}
		w, ok := v.V.(string)
		if !ok || (w != "manhattan" && w != "euclidean" && w != "infinity" && w != "no_weighting") {
			return bad("manhattan, euclidean, infinity, no_weighting or null")
		}
		s.WeightingNorm = w
	case "gldm_a":
		n, ok := v.int()
		if !ok || n < 0 {
			return bad("an integer >= 0")
		}
		s.GLDMAlpha = n
	case "correctMask":
		b, ok := v.V.(bool)
		if !ok {
			return bad("true or false")
		}
		s.CorrectMask = b
	case "geometryTolerance":
		if v.V == nil {
			s.GeometryTolerance = 0
			break
		}
		f, ok := v.float()
		if !ok || f <= 0 {
			return bad("a number > 0")
		}
		s.GeometryTolerance = f
	case "sigma":
		l, ok := v.floats()
		if !ok {
			return bad("a list of numbers > 0")
		}
		s.Sigma = l
		s.SigmaText = v.texts()
	case "wavelet":
		w, ok := v.V.(string)
		if !ok {
			return bad("a wavelet name")
		}
		s.Wavelet = w
	case "start_level":
		n, ok := v.int()
		if !ok || n < 0 {
			return bad("an integer >= 0")
		}
		s.StartLevel = n
	case "level":
		n, ok := v.int()
		if !ok || n <= 0 {
			return bad("an integer > 0")
		}
		s.Level = n
	case "gradientUseSpacing":
		b, ok := v.V.(bool)
		if !ok {
			return bad("true or false")
		}
		s.GradientUseSpacing = b
	case "lbp2DRadius":
		f, ok := v.float()
		if !ok || f <= 0 {
			return bad("a number > 0")
		}
		s.LBP2DRadius = f
	case "lbp2DSamples":
		n, ok := v.int()
		if !ok || n < 1 {
			return bad("an integer >= 1")
		}
		s.LBP2DSamples = n
	case "lbp2DMethod":
		m, ok := v.V.(string)
		if !ok || (m != "default" && m != "ror" && m != "uniform" && m != "var") {
			return bad("default, ror, uniform or var")
		}
		s.LBP2DMethod = m
	case "lbp3DLevels":
		n, ok := v.int()
		if !ok || n < 1 {
			return bad("an integer >= 1")
		}
		s.LBP3DLevels = n
	case "lbp3DIcosphereRadius":
		f, ok := v.float()
		if !ok || f <= 0 {
			return bad("a number > 0")
		}
		s.LBP3DIcosphereRadius = f
	case "lbp3DIcosphereSubdivision":
		n, ok := v.int()
		if !ok || n < 0 {
			return bad("an integer >= 0")
		}
		s.LBP3DIcosphereSubdiv = n
	case "dtype":
		// Accepted by PyRadiomics' schema for voxel-based output; no effect here.
	default:
		return fmt.Errorf("unknown setting %q (valid settings: %s)", key, strings.Join(settingKeys, ", "))
	}
	s.record(key, v.V)
	return nil
}

func (v Value) describe() string {
	if v.V == nil {
		return "null"
	}
	return fmt.Sprintf("%v", v.V)
}

func (v Value) int() (int, bool) {
	switch x := v.V.(type) {
	case int64:
		return int(x), true
	case float64:
		if x == math.Trunc(x) && math.Abs(x) < 1<<53 {
			return int(x), true
		}
	}
	return 0, false
}

func (v Value) float() (float64, bool) {
	switch x := v.V.(type) {
	case int64:
		return float64(x), true
	case float64:
		return x, !math.IsNaN(x)
	}
	return 0, false
}

func (v Value) floats() ([]float64, bool) {
	l, ok := v.V.([]Value)
	if !ok {
		return nil, false
	}
	out := make([]float64, len(l))
	for i, e := range l {
		f, ok := e.float()
		if !ok {
			return nil, false
		}
		out[i] = f
	}
	return out, true
}

func (v Value) ints() ([]int, bool) {
	l, ok := v.V.([]Value)
	if !ok {
		return nil, false
	}
	out := make([]int, len(l))
	for i, e := range l {
		n, ok := e.int()
		if !ok {
			return nil, false
		}
		out[i] = n
	}
	return out, true
}

// texts returns Python's str() of each list element (for LoG names).
func (v Value) texts() []string {
	l, _ := v.V.([]Value)
	out := make([]string, len(l))
	for i, e := range l {
		out[i] = pyStr(e)
	}
	return out
}

// pyStr renders a number as Python's str() would: ints plainly, floats with
// repr rules (1.0, 2.5).
func pyStr(v Value) string {
	switch x := v.V.(type) {
	case int64:
		return strconv.FormatInt(x, 10)
	case float64:
		return FormatFloat(x)
	}
	return fmt.Sprint(v.V)
}
