package extract

import (
	"fmt"
	"math"
	"runtime"
	"strings"
	"sync"

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
	donePrep := startStage("prepare")
	s := p.Setting
	res := &Result{Warnings: append([]string(nil), p.Warnings...)}
	var diag *diagnostics // nil: no diagnostics
	if s.AdditionalInfo && !p.NoDiagnostics {
		diag = newDiagnostics(p, res)
	}
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
	donePrep()

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
		done := startStage("shape " + cs.Name)
		ci := img.Crop(bb, 0)
		region := &features.Region{Size: ci.Size, Spacing: ci.Spacing, Values: ci.Data, ROI: roiCrop(shapeMask, bb, label)}
		fs := classSettings(s)
		res.Features, err = runClass(res.Features, "original", cs, region, &fs)
		done()
		if err != nil {
			return nil, err
		}
	}

	// Filtered images and the other classes. PyRadiomics filters the whole
	// image and then crops it to the ROI bounding box: the crop variants of
	// the filters compute only that crop, bit for bit. Image types (and each
	// derived image's feature classes) run concurrently on up to GOMAXPROCS
	// goroutines; results are assembled in PyRadiomics' order.
	roi := roiCrop(roiMask, bb, label)
	jobs := p.filterJobs(img, bb, roi, res)
	sch := newScheduler()
	for i := range jobs {
		j := &jobs[i]
		sch.do(&j.err, func() error {
			done := startStage("filter " + j.name)
			ds, err := j.run()
			done()
			if err != nil {
				return err
			}
			j.out = make([]derivedOut, len(ds))
			for k := range ds {
				d, o := ds[k], &j.out[k]
				sch.do(&o.err, func() error {
					var err error
					o.features, err = p.imageClasses(d, roi)
					return err
				})
			}
			return nil
		})
	}
	sch.wait()
	for _, j := range jobs {
		if j.err != nil {
			return nil, j.err
		}
		for _, o := range j.out {
			if o.err != nil {
				return nil, o.err
			}
			res.Features = append(res.Features, o.features...)
		}
	}
	return res, nil
}

// stageHook, when non-nil, is called at the start of each pipeline stage
// ("prepare", "shape <class>", "filter <image type>", "<image> <class>")
// and returns the function called at its end; benchmarks use it for
// per-stage timings. It may be called from several goroutines at once.
var stageHook func(stage string) (done func())

// startStage starts timing a stage (a no-op without stageHook).
func startStage(stage string) func() {
	if stageHook == nil {
		return func() {}
	}
	return stageHook(stage)
}

// filterJob produces the derived images of one image type (or, for LoG,
// of one sigma), already cropped to the ROI bounding box.
type filterJob struct {
	name string
	run  func() ([]derived, error)
	err  error
	out  []derivedOut
}

// derivedOut holds the features of one derived image.
type derivedOut struct {
	features []Feature
	err      error
}

// filterJobs lists the filter work of every enabled image type in
// PyRadiomics' order; LoG sigmas that PyRadiomics skips are reported as
// warnings here, in order. roi flags the ROI voxels of bb (LBP3D computes
// only those).
func (p *Params) filterJobs(img *volume.Image, bb volume.BBox, roi []bool, res *Result) []filterJob {
	var jobs []filterJob
	for _, it := range p.ImageTypes {
		s := p.SettingsFor(it)
		switch it.Name {
		case "Original":
			jobs = append(jobs, filterJob{name: it.Name, run: func() ([]derived, error) {
				return []derived{{"original", img.Crop(bb, 0), s}}, nil
			}})
		case "LoG":
			// One job for all sigmas: LoGCropSigmas reads the image once per
			// axis for all of them.
			var sigmas []float64
			var names []string
			for i, sigma := range s.Sigma {
				if err := filters.LoGCheck(img.Size, img.Spacing, sigma); err != nil {
					res.Warnings = append(res.Warnings, "LoG: "+err.Error())
					continue
				}
				sigmas = append(sigmas, sigma)
				names = append(names, "log-sigma-"+strings.ReplaceAll(s.SigmaText[i], ".", "-")+"-mm-3D")
			}
			if len(sigmas) == 0 {
				continue
			}
			jobs = append(jobs, filterJob{name: "LoG", run: func() ([]derived, error) {
				ims, err := filters.LoGCropSigmas(img, sigmas, bb)
				if err != nil {
					return nil, err
				}
				out := make([]derived, len(ims))
				for i, im := range ims {
					out[i] = derived{names[i], im, s}
				}
				return out, nil
			}})
		case "Wavelet":
			jobs = append(jobs, filterJob{name: it.Name, run: func() ([]derived, error) {
				ws, err := filters.WaveletCrop(img, bb, s.Wavelet, s.StartLevel, s.Level, s.Force2D, s.Force2DDimension)
				if err != nil {
					return nil, err
				}
				out := make([]derived, len(ws))
				for i, w := range ws {
					out[i] = derived{w.Name, w.Image, s}
				}
				return out, nil
			}})
		case "Square", "SquareRoot", "Logarithm", "Exponential", "Gradient":
			jobs = append(jobs, filterJob{name: it.Name, run: func() ([]derived, error) {
				var im *volume.Image
				var err error
				switch it.Name {
				case "Square":
					im, err = filters.SquareCrop(img, bb)
				case "SquareRoot":
					im, err = filters.SquareRootCrop(img, bb)
				case "Logarithm":
					im, err = filters.LogarithmCrop(img, bb)
				case "Exponential":
					im, err = filters.ExponentialCrop(img, bb)
				default:
					im, err = filters.GradientCrop(img, s.GradientUseSpacing, bb)
				}
				if err != nil {
					return nil, fmt.Errorf("%s filter: %w", it.Name, err)
				}
				return []derived{{strings.ToLower(it.Name), im, s}}, nil
			}})
		case "LBP2D":
			// getLBP2DImage: skimage local_binary_pattern per slice along
			// force2Ddimension; only the slices and pixels of the box are
			// computed (neighbours read from the whole image).
			jobs = append(jobs, filterJob{name: it.Name, run: func() ([]derived, error) {
				im, err := filters.LBP2DCrop(img, s.LBP2DRadius, s.LBP2DSamples, s.LBP2DMethod, s.Force2DDimension, bb)
				if err != nil {
					return nil, fmt.Errorf("LBP2D filter: %w", err)
				}
				return []derived{{"lbp-2D", im, s}}, nil
			}})
		case "LBP3D":
			// getLBP3DImage: spherical-harmonics LBP at the ROI voxels of the
			// (resegmented) mask, sampled from the whole image; lbp-3D-m1 ..
			// lbp-3D-m<levels>, then lbp-3D-k.
			jobs = append(jobs, filterJob{name: it.Name, run: func() ([]derived, error) {
				ims, err := filters.LBP3DCrop(img, bb, roi, s.LBP3DLevels, s.LBP3DIcosphereRadius, s.LBP3DIcosphereSubdiv)
				if err != nil {
					return nil, fmt.Errorf("LBP3D filter: %w", err)
				}
				out := make([]derived, len(ims))
				for i, d := range ims {
					out[i] = derived{d.Name, d.Image, s}
				}
				return out, nil
			}})
		default:
			jobs = append(jobs, filterJob{name: it.Name, run: func() ([]derived, error) {
				return nil, fmt.Errorf("image type %s is not supported yet", it.Name)
			}})
		}
	}
	return jobs
}

// imageClasses discretises one derived image (already cropped to the ROI
// bounding box; roi marks the ROI voxels of the crop) and computes its
// enabled non-shape feature classes, in order.
func (p *Params) imageClasses(d derived, roi []bool) ([]Feature, error) {
	region := &features.Region{Size: d.image.Size, Spacing: d.image.Spacing, Values: d.image.Data, ROI: roi, Fixed: true}
	done := startStage(d.name + " discretise")
	discretise(region, d.image.Type, &d.settings)
	done()
	defer func() {
		region.Release()
		levelsPool.Put(&region.Levels)
		volume.Recycle(d.image) // the derived image is not used after its classes
	}()
	fs := classSettings(d.settings)
	var out []Feature
	for _, cs := range p.Classes {
		if cs.Name == "shape" || cs.Name == "shape2D" {
			continue
		}
		done := startStage(d.name + " " + cs.Name)
		var err error
		out, err = runClass(out, d.name, cs, region, &fs)
		done()
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

// scheduler runs tasks on at most GOMAXPROCS goroutines at a time; a task
// may schedule further tasks. With GOMAXPROCS = 1 tasks run inline, in
// order. A panicking task is turned into its error.
type scheduler struct {
	sem chan struct{}
	wg  sync.WaitGroup
}

func newScheduler() *scheduler {
	n := runtime.GOMAXPROCS(0)
	if n <= 1 {
		return &scheduler{}
	}
	return &scheduler{sem: make(chan struct{}, n)}
}

// do runs f (now or later) and stores its error in *errp.
func (s *scheduler) do(errp *error, f func() error) {
	run := func() {
		defer func() {
			if r := recover(); r != nil {
				*errp = fmt.Errorf("internal error: %v", r)
			}
		}()
		*errp = f()
	}
	if s.sem == nil {
		run()
		return
	}
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		s.sem <- struct{}{}
		defer func() { <-s.sem }()
		run()
	}()
}

// wait blocks until every scheduled task has finished.
func (s *scheduler) wait() { s.wg.Wait() }

// roiCrop returns, for the voxels of mask's crop to bb (no margin), whether
// they equal label.
func roiCrop(mask *volume.Image, bb volume.BBox, label float64) []bool {
	sz := bb.Size()
	roi := make([]bool, 0, sz[0]*sz[1]*sz[2])
	for z := bb.Lo[2]; z <= bb.Hi[2]; z++ {
		for y := bb.Lo[1]; y <= bb.Hi[1]; y++ {
			b := mask.Index(bb.Lo[0], y, z)
			for _, v := range mask.Data[b : b+sz[0]] {
				roi = append(roi, v == label)
			}
		}
	}
	return roi
}

// levelsPool recycles the level arrays of the derived images (fresh memory
// costs page faults; the discretisation writes every element).
var levelsPool sync.Pool // *[]int32

// discretise fills region.Levels with the binWidth or binCount levels.
func discretise(r *features.Region, pt volume.PixelType, s *Settings) {
	n := len(r.Values)
	if p, ok := levelsPool.Get().(*[]int32); ok && cap(*p) >= n {
		r.Levels = (*p)[:n]
	} else {
		r.Levels = make([]int32, n)
	}
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

// runClass computes one class on a region and appends its enabled features
// to dst.
func runClass(dst []Feature, imageName string, cs ClassSpec, r *features.Region, s *features.Settings) ([]Feature, error) {
	c, ok := features.Lookup(cs.Name)
	if !ok {
		return dst, fmt.Errorf("feature class %s is not available", cs.Name)
	}
	idx, err := c.Enabled(cs.Features)
	if err != nil {
		return dst, err
	}
	vals, err := c.Compute(r, s)
	if err != nil {
		return dst, fmt.Errorf("%s_%s: %w", imageName, cs.Name, err)
	}
	for _, i := range idx {
		dst = append(dst, Feature{imageName + "_" + cs.Name + "_" + c.Features[i].Name, vals[i]})
	}
	return dst, nil
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
