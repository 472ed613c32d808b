package features

import (
	"encoding/csv"
	"fmt"
	"math"
	"math/rand"
	"os"
	"strconv"
	"testing"

	"github.com/spinerad/spinerad/internal/imageio"
	"github.com/spinerad/spinerad/internal/refdata"
	"github.com/spinerad/spinerad/internal/volume"
)

// shape2DRegion builds a one-slice region: the 2D mask (n0 × n1, listed
// pixels on) is embedded in a 3D crop that is one voxel thick along array
// axis d; sp2 is the spacing of the two remaining array axes, in order, and
// the dropped axis gets spacing 9.
func shape2DRegion(d int, n [2]int, sp2 [2]float64, on ...[2]int) *Region {
	var dims [3]int
	var sp [3]float64
	j := 0
	for a := 0; a < 3; a++ {
		if a == d {
			dims[a], sp[a] = 1, 9
			continue
		}
		dims[a], sp[a] = n[j], sp2[j]
		j++
	}
	r := shapeMaskRegion(dims, sp)
	for _, p := range on {
		r.ROI[p[0]*n[1]+p[1]] = true
	}
	return r
}

// shape2DRect returns all pixels of an n0 × n1 rectangle.
func shape2DRect(n [2]int) [][2]int {
	var on [][2]int
	for y := 0; y < n[0]; y++ {
		for x := 0; x < n[1]; x++ {
			on = append(on, [2]int{y, x})
		}
	}
	return on
}

func TestShape2DA5(t *testing.T) {
	unit := [2]float64{1, 1}
	tests := []struct {
		name              string
		n                 [2]int
		on                [][2]int
		perim, surf, diam float64
	}{
		{"one pixel", [2]int{1, 1}, [][2]int{{0, 0}}, 2.8284271247461903, 0.5, 1},
		{"3x3 square", [2]int{3, 3}, shape2DRect([2]int{3, 3}), 10.82842712474619, 8.5, 3.605551275463989},
		{"diagonal", [2]int{2, 2}, [][2]int{{0, 0}, {1, 1}}, 5.6568542494923815, 1, 2.23606797749979},
		{"anti-diagonal", [2]int{2, 2}, [][2]int{{0, 1}, {1, 0}}, 5.6568542494923815, 1, 2.23606797749979},
	}
	for _, tc := range tests {
		for d := 0; d < 3; d++ {
			t.Run(fmt.Sprintf("%s/drop%d", tc.name, d), func(t *testing.T) {
				s := DefaultSettings()
				s.Force2D, s.Force2DDimension = true, d
				got := shapeValues(t, "shape2D", shape2DRegion(d, tc.n, unit, tc.on...), &s)
				for k, w := range map[string]float64{"Perimeter": tc.perim, "MeshSurface": tc.surf, "MaximumDiameter": tc.diam} {
					if shapeRelErr(got[k], w) > 1e-15 {
						t.Errorf("%s = %.17g, want %.17g", k, got[k], w)
					}
				}
			})
		}
	}
}

// TestShape2DRect checks rectangles against closed forms: an a×b rectangle
// (spacing s0, s1) has surface ab·s0·s1 − s0·s1/2 (four corner triangles),
// perimeter 2(a−1)s0 + 2(b−1)s1 + 2·sqrt(s0² + s1²), diameter²
// max(a²s0² + (b−1)²s1², (a−1)²s0² + b²s1²), and covariance eigenvalues
// s²(n²−1)/12 per axis.
func TestShape2DRect(t *testing.T) {
	tests := []struct {
		n  [2]int
		sp [2]float64
		d  int
	}{
		{[2]int{4, 7}, [2]float64{1, 1}, 0},
		{[2]int{5, 2}, [2]float64{0.7, 1.3}, 1},
		{[2]int{3, 9}, [2]float64{2, 0.5}, 2},
	}
	for _, tc := range tests {
		t.Run(fmt.Sprint(tc.n, tc.sp, tc.d), func(t *testing.T) {
			s := DefaultSettings()
			s.Force2D, s.Force2DDimension = true, tc.d
			got := shapeValues(t, "shape2D", shape2DRegion(tc.d, tc.n, tc.sp, shape2DRect(tc.n)...), &s)
			a, b := float64(tc.n[0]), float64(tc.n[1])
			s0, s1 := tc.sp[0], tc.sp[1]
			surf := a*b*s0*s1 - s0*s1/2
			perim := 2*(a-1)*s0 + 2*(b-1)*s1 + 2*math.Hypot(s0, s1)
			diam := math.Sqrt(max(a*a*s0*s0+(b-1)*(b-1)*s1*s1, (a-1)*(a-1)*s0*s0+b*b*s1*s1))
			l0, l1 := s0*s0*(a*a-1)/12, s1*s1*(b*b-1)/12
			lmin, lmax := min(l0, l1), max(l0, l1)
			sph := 2 * math.Sqrt(math.Pi*surf) / perim
			want := map[string]float64{
				"MeshSurface":            surf,
				"Perimeter":              perim,
				"PerimeterSurfaceRatio":  perim / surf,
				"PixelSurface":           a * b * s0 * s1,
				"MaximumDiameter":        diam,
				"Sphericity":             sph,
				"SphericalDisproportion": 1 / sph,
				"MajorAxisLength":        4 * math.Sqrt(lmax),
				"MinorAxisLength":        4 * math.Sqrt(lmin),
				"Elongation":             math.Sqrt(lmin / lmax),
			}
			for k, w := range want {
				if shapeRelErr(got[k], w) > 1e-12 {
					t.Errorf("%s = %.17g, want %.17g", k, got[k], w)
				}
			}
		})
	}
}

func TestShape2DErrors(t *testing.T) {
	c, _ := Lookup("shape2D")
	thick := shapeBoxRegion([3]int{2, 3, 3}, [3]float64{1, 1, 1})
	for _, tc := range []struct {
		name string
		r    *Region
		dim  int
	}{
		{"thick along z", thick, 0},
		{"thick along y", thick, 1},
		{"bad dimension", shapeBoxRegion([3]int{1, 3, 3}, [3]float64{1, 1, 1}), 3},
		{"negative dimension", shapeBoxRegion([3]int{1, 3, 3}, [3]float64{1, 1, 1}), -1},
		{"empty", shapeMaskRegion([3]int{1, 3, 3}, [3]float64{1, 1, 1}), 0},
		{"nil", nil, 0},
	} {
		s := DefaultSettings()
		s.Force2D, s.Force2DDimension = true, tc.dim
		if _, err := c.Compute(tc.r, &s); err == nil {
			t.Errorf("%s: no error", tc.name)
		}
	}
	// Thin along the dropped axis but not along the others: fine.
	s := DefaultSettings()
	s.Force2D, s.Force2DDimension = true, 2
	if _, err := c.Compute(shapeBoxRegion([3]int{4, 3, 1}, [3]float64{1, 1, 1}), &s); err != nil {
		t.Errorf("one voxel thick along x, force2Ddimension 2: %v", err)
	}
}

// TestShape2DDiameterAllPairs compares MaximumDiameter with cshape.c's
// all-pairs maximum on random masks.
func TestShape2DDiameterAllPairs(t *testing.T) {
	rng := rand.New(rand.NewSource(3))
	for trial := 0; trial < 30; trial++ {
		n := [2]int{1 + rng.Intn(60), 1 + rng.Intn(60)}
		sp := [2]float64{0.2 + rng.Float64(), 0.2 + 2*rng.Float64()}
		var on [][2]int
		for y := 0; y < n[0]; y++ {
			for x := 0; x < n[1]; x++ {
				if rng.Float64() < 0.6 {
					on = append(on, [2]int{y, x})
				}
			}
		}
		if len(on) == 0 {
			continue
		}
		r := shape2DRegion(0, n, sp, on...)
		s := DefaultSettings()
		got := shapeValues(t, "shape2D", r, &s)
		pn := [2]int{n[0] + 2, n[1] + 2}
		pm := make([]uint8, pn[0]*pn[1])
		for _, p := range on {
			pm[(p[0]+1)*pn[1]+p[1]+1] = 1
		}
		want := shapeNaiveDiameters(contourVertices2D(pm, pn, sp))[3]
		if got["MaximumDiameter"] != want {
			t.Errorf("trial %d: MaximumDiameter %.17g, all pairs %.17g", trial, got["MaximumDiameter"], want)
		}
	}
}

// TestShape2DBrain1Slice compares shape2D on slice z = 16 of brain1's label 1
// (984 pixels, matching the PixelSurface of the baseline) with the
// brain1_shape2D column of PyRadiomics' stored baseline (~12 significant
// digits, compared at 1e-9 relative).
func TestShape2DBrain1Slice(t *testing.T) {
	lab, err := imageio.Read(refdata.File(t, "pyradiomics", "brain1_label.nrrd"))
	if err != nil {
		t.Fatal(err)
	}
	for i := range lab.Data {
		if _, _, z := lab.Coords(i); z != 16 && lab.Data[i] == 1 {
			lab.Data[i] = 0
		}
	}
	bb, n, ok := volume.LabelBBox(lab, 1)
	if !ok || n != 984 || bb.Size()[2] != 1 {
		t.Fatalf("slice 16 of label 1: %d voxels, box %v", n, bb)
	}
	crop := lab.Crop(bb, 0)
	r := &Region{Size: crop.Size, Spacing: crop.Spacing, ROI: make([]bool, len(crop.Data))}
	for i, v := range crop.Data {
		r.ROI[i] = v == 1
	}
	ref := shapeReadBaselineColumn(t, refdata.File(t, "pyradiomics", "baseline_brain1.csv"), "brain1_shape2D")
	s := DefaultSettings()
	s.Force2D = true
	got := shapeValues(t, "shape2D", r, &s)
	worst := 0.0
	for _, f := range shape2DFeatures {
		if f.Deprecated {
			continue
		}
		want, ok := ref["original_shape2D_"+f.Name]
		if !ok {
			t.Errorf("baseline lacks original_shape2D_%s", f.Name)
			continue
		}
		e := shapeRelErr(got[f.Name], want)
		worst = max(worst, e)
		if e > 1e-9 {
			t.Errorf("%s = %.17g, want %.17g (rel %.2g)", f.Name, got[f.Name], want, e)
		}
	}
	t.Logf("brain1 slice 16 shape2D: max relative deviation %.3g", worst)
}

// shapeReadBaselineColumn reads one column of a featureName,<columns...> CSV.
func shapeReadBaselineColumn(t *testing.T, path, column string) map[string]float64 {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rd := csv.NewReader(f)
	rd.FieldsPerRecord = -1
	rows, err := rd.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	col := -1
	for i, h := range rows[0] {
		if h == column {
			col = i
		}
	}
	if col < 0 {
		t.Fatalf("%s has no column %s", path, column)
	}
	m := map[string]float64{}
	for _, r := range rows[1:] {
		if col < len(r) {
			if v, err := strconv.ParseFloat(r[col], 64); err == nil {
				m[r[0]] = v
			}
		}
	}
	return m
}
