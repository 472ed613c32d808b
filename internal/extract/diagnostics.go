package extract

import (
	"fmt"
	"math"
	"runtime"
	"strconv"
	"strings"

	"github.com/spinerad/spinerad/internal/imageio"
	"github.com/spinerad/spinerad/internal/volume"
)

// Version is spinerad's version, reported in diagnostics and model files.
var Version = "0.1.0-dev"

// diagnostics collects PyRadiomics-style diagnostics_* entries; the methods
// of a nil *diagnostics do nothing.
type diagnostics struct {
	res *Result
}

func newDiagnostics(p *Params, res *Result) *diagnostics {
	d := &diagnostics{res: res}
	d.add("Versions_spinerad", Version)
	d.add("Versions_Go", runtime.Version())
	d.add("Configuration_Settings", p.Setting.Repr())
	d.add("Configuration_EnabledImageTypes", p.imageTypesRepr())
	return d
}

func (d *diagnostics) add(name, value string) {
	d.res.Diagnostics = append(d.res.Diagnostics, Diagnostic{"diagnostics_" + name, value})
}

// image records the Image-<stage>_* block.
func (d *diagnostics) image(stage string, im *volume.Image) {
	if d == nil {
		return
	}
	p := "Image-" + stage + "_"
	if stage == "original" {
		d.add(p+"Hash", imageio.RawHash(im))
		d.add(p+"Dimensionality", "3D")
	}
	d.add(p+"Spacing", tupleF(im.Spacing[:]))
	d.add(p+"Size", tupleI(im.Size[:]))
	var st valueStats
	st.addAll(im.Data)
	mean, lo, hi := st.result()
	d.add(p+"Mean", FormatFloat(mean))
	d.add(p+"Minimum", FormatFloat(lo))
	d.add(p+"Maximum", FormatFloat(hi))
}

// maskBlock records the Mask-<stage>_* block; withStats adds the mean,
// minimum and maximum of the image inside the ROI.
func (d *diagnostics) maskBlock(stage string, im, m *volume.Image, label int, withStats bool) {
	if d == nil {
		return
	}
	p := "Mask-" + stage + "_"
	if stage == "original" {
		d.add(p+"Hash", imageio.RawHash(m))
	}
	d.add(p+"Spacing", tupleF(m.Spacing[:]))
	d.add(p+"Size", tupleI(m.Size[:]))
	l := float64(label)
	bb, n, ok := volume.LabelBBox(m, l)
	if !ok {
		return
	}
	sz := bb.Size()
	d.add(p+"BoundingBox", tupleI([]int{bb.Lo[0], bb.Lo[1], bb.Lo[2], sz[0], sz[1], sz[2]}))
	d.add(p+"VoxelNum", strconv.Itoa(n))
	d.add(p+"VolumeNum", strconv.Itoa(components26(m, l, bb)))
	// Centre of mass and image statistics of the ROI: one pass over the
	// bounding box (every voxel equal to l lies in it), in index order.
	stats := withStats && volume.SameGeometry(im.Geometry, m.Geometry, 1e-6, 1e-6)
	var com [3]float64
	var st valueStats
	for z := bb.Lo[2]; z <= bb.Hi[2]; z++ {
		for y := bb.Lo[1]; y <= bb.Hi[1]; y++ {
			b := m.Index(bb.Lo[0], y, z)
			row := m.Data[b : b+sz[0]]
			for i, v := range row {
				if v != l {
					continue
				}
				com[0] += float64(bb.Lo[0] + i)
				com[1] += float64(y)
				com[2] += float64(z)
				if stats {
					st.add(im.Data[b+i])
				}
			}
		}
	}
	for a := range com {
		com[a] /= float64(n)
	}
	d.add(p+"CenterOfMassIndex", tupleF(com[:]))
	pt := m.ContinuousIndexToPhysical(com)
	d.add(p+"CenterOfMass", tupleF(pt[:]))
	if stats {
		mean, lo, hi := st.result()
		d.add(p+"Mean", FormatFloat(mean))
		d.add(p+"Minimum", FormatFloat(lo))
		d.add(p+"Maximum", FormatFloat(hi))
	}
}

// valueStats accumulates the sum (in order), minimum and maximum of values
// with math.Min and math.Max semantics (NaN wins; -0 < +0).
type valueStats struct {
	n       int
	sum     float64
	lo, hi  float64
	nan     bool
	started bool
}

// add accumulates one value.
func (s *valueStats) add(v float64) {
	if !s.started {
		s.lo, s.hi, s.started = math.Inf(1), math.Inf(-1), true
	}
	s.n++
	s.sum += v
	if v <= s.lo && (v < s.lo || math.Signbit(v)) {
		s.lo = v
	}
	if v >= s.hi && (v > s.hi || !math.Signbit(v)) {
		s.hi = v
	}
	if v != v {
		s.nan = true
	}
}

// addAll accumulates every value of data, in order.
func (s *valueStats) addAll(data []float64) {
	if !s.started {
		s.lo, s.hi, s.started = math.Inf(1), math.Inf(-1), true
	}
	sum, lo, hi, nan := s.sum, s.lo, s.hi, s.nan
	for _, v := range data {
		sum += v
		if v <= lo && (v < lo || math.Signbit(v)) {
			lo = v
		}
		if v >= hi && (v > hi || !math.Signbit(v)) {
			hi = v
		}
		if v != v {
			nan = true
		}
	}
	s.n += len(data)
	s.sum, s.lo, s.hi, s.nan = sum, lo, hi, nan
}

// result returns the mean, minimum and maximum (NaN, +Inf, -Inf for no
// values, as the loops they replace gave).
func (s *valueStats) result() (mean, lo, hi float64) {
	if !s.started {
		return math.NaN(), math.Inf(1), math.Inf(-1)
	}
	if s.nan {
		return s.sum / float64(s.n), math.NaN(), math.NaN()
	}
	return s.sum / float64(s.n), s.lo, s.hi
}

// components26 counts the 26-connected components of the voxels equal to l,
// which all lie in the bounding box bb: a flood fill on a copy of the box
// padded by one voxel, with flat neighbour offsets and no bounds checks.
func components26(m *volume.Image, l float64, bb volume.BBox) int {
	sz := bb.Size()
	px, py := sz[0]+2, sz[1]+2
	lab := make([]bool, px*py*(sz[2]+2))
	for z := 0; z < sz[2]; z++ {
		for y := 0; y < sz[1]; y++ {
			b := m.Index(bb.Lo[0], bb.Lo[1]+y, bb.Lo[2]+z)
			dst := lab[((z+1)*py+y+1)*px+1:]
			for x, v := range m.Data[b : b+sz[0]] {
				dst[x] = v == l
			}
		}
	}
	var deltas [26]int
	k := 0
	for dz := -1; dz <= 1; dz++ {
		for dy := -1; dy <= 1; dy++ {
			for dx := -1; dx <= 1; dx++ {
				if dx != 0 || dy != 0 || dz != 0 {
					deltas[k] = (dz*py+dy)*px + dx
					k++
				}
			}
		}
	}
	var stack []int
	count := 0
	for i, in := range lab {
		if !in {
			continue
		}
		count++
		lab[i] = false
		stack = append(stack[:0], i)
		for len(stack) > 0 {
			j := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			for _, d := range deltas {
				if q := j + d; lab[q] {
					lab[q] = false
					stack = append(stack, q)
				}
			}
		}
	}
	return count
}

func tupleF(v []float64) string {
	s := make([]string, len(v))
	for i, x := range v {
		s[i] = FormatFloat(x)
	}
	return "(" + strings.Join(s, ", ") + ")"
}

func tupleI(v []int) string {
	s := make([]string, len(v))
	for i, x := range v {
		s[i] = strconv.Itoa(x)
	}
	return "(" + strings.Join(s, ", ") + ")"
}

// pyRepr renders a setting value as Python's repr.
func pyRepr(v any) string {
	switch x := v.(type) {
	case nil:
		return "None"
	case bool:
		if x {
			return "True"
		}
		return "False"
	case int:
		return strconv.Itoa(x)
	case int64:
		return strconv.FormatInt(x, 10)
	case float64:
		return FormatFloat(x)
	case string:
		return "'" + x + "'"
	case Value:
		return pyRepr(x.V)
	case []Value:
		s := make([]string, len(x))
		for i, e := range x {
			s[i] = pyRepr(e.V)
		}
		return "[" + strings.Join(s, ", ") + "]"
	case []any:
		s := make([]string, len(x))
		for i, e := range x {
			s[i] = pyRepr(e)
		}
		return "[" + strings.Join(s, ", ") + "]"
	}
	return fmt.Sprint(v)
}

// Repr renders the explicitly set settings as PyRadiomics' settings dict.
func (s Settings) Repr() string {
	parts := make([]string, len(s.order))
	for i, k := range s.order {
		parts[i] = "'" + k + "': " + pyRepr(s.vals[k])
	}
	return "{" + strings.Join(parts, ", ") + "}"
}

func (p *Params) imageTypesRepr() string {
	parts := make([]string, len(p.ImageTypes))
	for i, it := range p.ImageTypes {
		kv := make([]string, len(it.Overrides))
		for j, o := range it.Overrides {
			kv[j] = "'" + o.Key + "': " + pyRepr(o.Value.V)
		}
		parts[i] = "'" + it.Name + "': {" + strings.Join(kv, ", ") + "}"
	}
	return "{" + strings.Join(parts, ", ") + "}"
}
