// Package features computes PyRadiomics' feature classes (shape, shape2D,
// firstorder, glcm, glrlm, glszm, gldm, ngtdm) on a cropped region, with
// PyRadiomics' class names, feature names, default-enabled sets and numeric
// conventions (see docs/pyradiomics-parity.md of the shared reference, sections 8-11).
//
// One file per class. Each class registers itself in the package registry with
// the ordered list of its features (PyRadiomics' output order: sorted method
// names) and a Compute function that returns one value per listed feature.
package features

import (
	"fmt"
	"math"
	"sort"
)

// Eps is NumPy's spacing(1), the machine epsilon of float64, which
// PyRadiomics adds inside logarithms and denominators.
const Eps = 2.220446049250313e-16

// Region is the input of a feature class: the image and ROI cropped to the
// ROI bounding box (no margin). Arrays are flat with x fastest, i.e. the C
// order of the (z, y, x) array PyRadiomics works on.
//
// The texture classes cache data derived from Size, ROI and Levels in the
// region (validated levels, padded level volumes), built by the first class
// that needs them and reused by the others after checking that the masked
// levels are unchanged. A Region must therefore not be used by several
// goroutines at once.
type Region struct {
	// Size is the crop size in ITK order (x, y, z).
	Size [3]int
	// Spacing is the voxel spacing in ITK order (x, y, z), in mm.
	Spacing [3]float64
	// Values are the voxel intensities of the crop (all voxels).
	Values []float64
	// ROI marks the voxels of the region of interest.
	ROI []bool
	// Levels are the discretised grey levels (1-based) of ROI voxels and 0
	// elsewhere. Shape classes do not use them and may leave them nil.
	Levels []int32
	// Fixed promises that ROI and Levels are not modified in place once a
	// texture class has run on the region (assigning new slices is fine):
	// the texture classes then reuse their shared data without re-reading
	// the region to check it.
	Fixed bool

	tex *texCache // see texcache.go
}

// ArrayShape returns the crop size in array order (z, y, x).
func (r *Region) ArrayShape() [3]int { return [3]int{r.Size[2], r.Size[1], r.Size[0]} }

// ArraySpacing returns the spacing in array order (z, y, x).
func (r *Region) ArraySpacing() [3]float64 {
	return [3]float64{r.Spacing[2], r.Spacing[1], r.Spacing[0]}
}

// Settings are the PyRadiomics settings that feature classes read.
type Settings struct {
	// Distances are the neighbour distances (infinity norm), default [1].
	Distances []int
	// Force2D restricts neighbourhoods to the plane orthogonal to Force2DDimension.
	Force2D bool
	// Force2DDimension is the array axis (0 = z) removed by Force2D.
	Force2DDimension int
	// SymmetricalGLCM adds the transpose to each GLCM (default true).
	SymmetricalGLCM bool
	// WeightingNorm merges per-angle matrices: "", "manhattan", "euclidean",
	// "infinity" or "no_weighting".
	WeightingNorm string
	// GLDMAlpha is gldm_a, the coarseness of the GLDM dependence.
	GLDMAlpha int
	// VoxelArrayShift is added to intensities in Energy, TotalEnergy and RootMeanSquared.
	VoxelArrayShift float64
}

// DefaultSettings returns PyRadiomics' defaults for the class settings.
func DefaultSettings() Settings {
	return Settings{Distances: []int{1}, SymmetricalGLCM: true}
}

// Feature describes one feature of a class.
type Feature struct {
	// Name is PyRadiomics' feature name (e.g. "JointEnergy").
	Name string
	// IBSI is the IBSI-1 permanent code, or "" where IBSI defines none.
	IBSI string
	// Deprecated features are never enabled by enabling the whole class.
	Deprecated bool
	// Silent deprecated features produce no output even when named
	// (PyRadiomics' glcm and gldm deprecated features).
	Silent bool
}

// Class is a registered feature class.
type Class struct {
	// Name is PyRadiomics' class (module) name, e.g. "glcm".
	Name string
	// Features lists every feature, deprecated ones included, in
	// PyRadiomics' output order (sorted get<Name>FeatureValue method names).
	Features []Feature
	// Compute returns one value per entry of Features (NaN where a feature
	// cannot be computed).
	Compute func(r *Region, s *Settings) ([]float64, error)
}

var registry = map[string]*Class{}

// register adds a class to the registry; called from each class file's init.
func register(c *Class) {
	if _, dup := registry[c.Name]; dup {
		panic("features: class registered twice: " + c.Name)
	}
	registry[c.Name] = c
}

// Lookup returns the class with PyRadiomics name name.
func Lookup(name string) (*Class, bool) {
	c, ok := registry[name]
	return c, ok
}

// Names returns the registered class names, sorted (PyRadiomics' class order
// when no featureClass block is given).
func Names() []string {
	out := make([]string, 0, len(registry))
	for n := range registry {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// Enabled returns the features of c that are output: every non-deprecated
// feature when names is empty, else the named ones in the given order, with
// silent deprecated features dropped. Unknown names are an error.
func (c *Class) Enabled(names []string) ([]int, error) {
	var idx []int
	if len(names) == 0 {
		for i, f := range c.Features {
			if !f.Deprecated {
				idx = append(idx, i)
			}
		}
		return idx, nil
	}
	for _, n := range names {
		found := false
		for i, f := range c.Features {
			if f.Name == n {
				found = true
				if !f.Silent {
					idx = append(idx, i)
				}
				break
			}
		}
		if !found {
			return nil, fmt.Errorf("feature class %s has no feature %q", c.Name, n)
		}
	}
	return idx, nil
}

// nanMean is the mean of the non-NaN entries, NaN when all are NaN.
func nanMean(v []float64) float64 {
	s, n := 0.0, 0
	for _, x := range v {
		if !math.IsNaN(x) {
			s += x
			n++
		}
	}
	if n == 0 {
		return math.NaN()
	}
	return s / float64(n)
}

// nanSlice returns a slice of n NaNs.
func nanSlice(n int) []float64 {
	v := make([]float64, n)
	for i := range v {
		v[i] = math.NaN()
	}
	return v
}
