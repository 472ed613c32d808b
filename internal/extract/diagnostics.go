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

// diagnostics collects PyRadiomics-style diagnostics_* entries.
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
	p := "Image-" + stage + "_"
	if stage == "original" {
		d.add(p+"Hash", imageio.RawHash(im))
		d.add(p+"Dimensionality", "3D")
	}
	d.add(p+"Spacing", tupleF(im.Spacing[:]))
	d.add(p+"Size", tupleI(im.Size[:]))
	mean, lo, hi := 0.0, math.Inf(1), math.Inf(-1)
	for _, v := range im.Data {
		mean += v
		lo = math.Min(lo, v)
		hi = math.Max(hi, v)
	}
	d.add(p+"Mean", FormatFloat(mean/float64(len(im.Data))))
	d.add(p+"Minimum", FormatFloat(lo))
	d.add(p+"Maximum", FormatFloat(hi))
}

// maskBlock records the Mask-<stage>_* block; withStats adds the mean,
// minimum and maximum of the image inside the ROI.
func (d *diagnostics) maskBlock(stage string, im, m *volume.Image, label int, withStats bool) {
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
	var com [3]float64
	for i, v := range m.Data {
		if v == l {
			x, y, z := m.Coords(i)
			com[0] += float64(x)
			com[1] += float64(y)
			com[2] += float64(z)
		}
	}
	for a := range com {
		com[a] /= float64(n)
	}
	d.add(p+"CenterOfMassIndex", tupleF(com[:]))
	pt := m.ContinuousIndexToPhysical(com)
	d.add(p+"CenterOfMass", tupleF(pt[:]))
	if withStats && volume.SameGeometry(im.Geometry, m.Geometry, 1e-6, 1e-6) {
		mean, lo, hi := 0.0, math.Inf(1), math.Inf(-1)
		for i, v := range m.Data {
			if v == l {
				x := im.Data[i]
				mean += x
				lo = math.Min(lo, x)
				hi = math.Max(hi, x)
			}
		}
		d.add(p+"Mean", FormatFloat(mean/float64(n)))
		d.add(p+"Minimum", FormatFloat(lo))
		d.add(p+"Maximum", FormatFloat(hi))
	}
}

// components26 counts the 26-connected components of the voxels equal to l.
func components26(m *volume.Image, l float64, bb volume.BBox) int {
	nx, ny, nz := m.Size[0], m.Size[1], m.Size[2]
	seen := make([]bool, len(m.Data))
	var stack []int
	count := 0
	for z := bb.Lo[2]; z <= bb.Hi[2]; z++ {
		for y := bb.Lo[1]; y <= bb.Hi[1]; y++ {
			for x := bb.Lo[0]; x <= bb.Hi[0]; x++ {
				i := m.Index(x, y, z)
				if m.Data[i] != l || seen[i] {
					continue
				}
				count++
				seen[i] = true
				stack = append(stack[:0], i)
				for len(stack) > 0 {
					j := stack[len(stack)-1]
					stack = stack[:len(stack)-1]
					cx, cy, cz := m.Coords(j)
					for dz := -1; dz <= 1; dz++ {
						for dy := -1; dy <= 1; dy++ {
							for dx := -1; dx <= 1; dx++ {
								xx, yy, zz := cx+dx, cy+dy, cz+dz
								if xx < 0 || yy < 0 || zz < 0 || xx >= nx || yy >= ny || zz >= nz {
									continue
								}
								k := m.Index(xx, yy, zz)
								if m.Data[k] == l && !seen[k] {
									seen[k] = true
									stack = append(stack, k)
								}
							}
						}
					}
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
