package features

import (
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"fmt"
	"math"
	"math/rand"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/spinerad/spinerad/internal/imageio"
	"github.com/spinerad/spinerad/internal/refdata"
	"github.com/spinerad/spinerad/internal/volume"
)

// shapeTableSHA returns the SHA-256 of the integers joined by commas.
func shapeTableSHA(v []int8) string {
	s := make([]string, len(v))
	for i, x := range v {
		s[i] = strconv.Itoa(int(x))
	}
	h := sha256.Sum256([]byte(strings.Join(s, ",")))
	return hex.EncodeToString(h[:])
}

func TestMarchingTablesSHA256(t *testing.T) {
	var tri []int8
	for _, r := range triTable {
		tri = append(tri, r[:]...)
	}
	if got, want := shapeTableSHA(tri), "e606496033d591cb83611f206dcf03a6399f52bd877ca13b9f5116d9ebcdb4a3"; got != want {
		t.Errorf("triTable SHA-256 = %s, want %s", got, want)
	}
	var lines []int8
	for _, r := range lineTable2D {
		lines = append(lines, r[:]...)
	}
	if got, want := shapeTableSHA(lines), "d23779bf243925ffb42a70e4213d1174c45ebeb667a263fcb109be1f4283d6e7"; got != want {
		t.Errorf("lineTable2D SHA-256 = %s, want %s", got, want)
	}
	ntri := 0
	for _, l := range mcTriangles {
		ntri += len(l)
	}
	if ntri != 396 {
		t.Errorf("triTable holds %d triangles, want 396", ntri)
	}
}

// shapeMaskRegion builds a Region of array-order dims (z, y, x) and spacing
// (Δz, Δy, Δx) with the listed array-order voxels in the ROI.
func shapeMaskRegion(dims [3]int, sp [3]float64, on ...[3]int) *Region {
	r := &Region{
		Size:    [3]int{dims[2], dims[1], dims[0]},
		Spacing: [3]float64{sp[2], sp[1], sp[0]},
		ROI:     make([]bool, dims[0]*dims[1]*dims[2]),
	}
	for _, p := range on {
		r.ROI[(p[0]*dims[1]+p[1])*dims[2]+p[2]] = true
	}
	return r
}

// shapeBoxRegion is a region entirely inside the ROI.
func shapeBoxRegion(dims [3]int, sp [3]float64) *Region {
	r := shapeMaskRegion(dims, sp)
	for i := range r.ROI {
		r.ROI[i] = true
	}
	return r
}

// shapeValues computes the shape class and returns name -> value.
func shapeValues(t *testing.T, class string, r *Region, s *Settings) map[string]float64 {
	t.Helper()
	c, ok := Lookup(class)
	if !ok {
		t.Fatalf("class %s not registered", class)
	}
	v, err := c.Compute(r, s)
	if err != nil {
		t.Fatalf("%s: %v", class, err)
	}
	if len(v) != len(c.Features) {
		t.Fatalf("%s returned %d values for %d features", class, len(v), len(c.Features))
	}
	m := map[string]float64{}
	for i, f := range c.Features {
		m[f.Name] = v[i]
	}
	return m
}

// shapeRelErr is |got-want|/|want| (absolute when want is 0).
func shapeRelErr(got, want float64) float64 {
	if want == 0 {
		return math.Abs(got)
	}
	return math.Abs(got-want) / math.Abs(want)
}

func TestShapeA5(t *testing.T) {
	unit := [3]float64{1, 1, 1}
	cube := func(sp [3]float64) *Region { return shapeBoxRegion([3]int{3, 3, 3}, sp) }
	tests := []struct {
		name string
		r    *Region
		want map[string]float64
	}{
		{"one voxel", shapeBoxRegion([3]int{1, 1, 1}, unit), map[string]float64{
			"SurfaceArea": 1.732050807568877, "MeshVolume": 0.16666666666666666,
			"Maximum2DDiameterSlice": 1, "Maximum2DDiameterColumn": 1, "Maximum2DDiameterRow": 1, "Maximum3DDiameter": 1,
		}},
		{"3x3x3 cube", cube(unit), map[string]float64{
			"SurfaceArea": 42.70261355604606, "MeshVolume": 23.166666666666668,
			"Maximum2DDiameterSlice": 3.605551275463989, "Maximum2DDiameterColumn": 3.605551275463989,
			"Maximum2DDiameterRow": 3.605551275463989, "Maximum3DDiameter": 4.123105625617661,
		}},
		{"3x3x3 cube anisotropic", cube([3]float64{2, 1, 0.5}), map[string]float64{
			"SurfaceArea": 51.95390696371196, "MeshVolume": 23.166666666666668,
			"Maximum2DDiameterSlice": 3.1622776601683795, "Maximum2DDiameterColumn": 6.082762530298219,
			"Maximum2DDiameterRow": 6.324555320336759, "Maximum3DDiameter": 6.4031242374328485,
		}},
		{"edge pair in slice", shapeMaskRegion([3]int{1, 2, 2}, unit, [3]int{0, 0, 0}, [3]int{0, 1, 1}), map[string]float64{
			"SurfaceArea": 3.4641016151377553, "MeshVolume": 0.3333333333333333,
			"Maximum2DDiameterSlice": 2.23606797749979, "Maximum2DDiameterColumn": 1,
			"Maximum2DDiameterRow": 1, "Maximum3DDiameter": 2.23606797749979,
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := shapeValues(t, "shape", tc.r, nil)
			for k, w := range tc.want {
				if shapeRelErr(got[k], w) > 1e-15 {
					t.Errorf("%s = %.17g, want %.17g", k, got[k], w)
				}
			}
		})
	}
}

func TestShapeA5VoxelPairs(t *testing.T) {
	// Two voxels in a 2x2x2 mask (array-order indices), A.5.
	const (
		a3 = 3.464102 // 2*sqrt(3)
		a4 = 4.330127 // 2.5*sqrt(3)
		af = 4.560478
	)
	tests := []struct {
		p, q       [3]int
		vol, areaW float64
	}{
		{[3]int{0, 0, 0}, [3]int{1, 0, 1}, 1.0 / 3, a3},
		{[3]int{0, 1, 0}, [3]int{1, 0, 0}, 1.0 / 3, a3},
		{[3]int{0, 1, 0}, [3]int{1, 1, 1}, 1.0 / 3, a3},
		{[3]int{0, 1, 1}, [3]int{1, 0, 1}, 1.0 / 3, a3},
		{[3]int{1, 0, 0}, [3]int{1, 1, 1}, 1.0 / 3, a3},
		{[3]int{0, 0, 1}, [3]int{0, 1, 0}, 1.0 / 3, a4},
		{[3]int{0, 0, 1}, [3]int{1, 0, 0}, 1.0 / 3, a4},
		{[3]int{0, 0, 0}, [3]int{1, 1, 0}, 2.0 / 3, a4},
		{[3]int{0, 0, 1}, [3]int{1, 1, 1}, 5.0 / 6, a4},
		{[3]int{0, 1, 1}, [3]int{1, 1, 0}, 1.0 / 6, a4},
		{[3]int{1, 0, 1}, [3]int{1, 1, 0}, 1.0 / 6, a4},
		{[3]int{0, 0, 0}, [3]int{0, 1, 1}, 1.0 / 3, a3}, // the twelfth edge (A.5 row 4)
		// shared face, all orientations
		{[3]int{0, 0, 0}, [3]int{0, 0, 1}, 2.0 / 3, af},
		{[3]int{0, 0, 0}, [3]int{0, 1, 0}, 2.0 / 3, af},
		{[3]int{0, 0, 0}, [3]int{1, 0, 0}, 2.0 / 3, af},
		{[3]int{1, 1, 1}, [3]int{1, 1, 0}, 2.0 / 3, af},
		// shared vertex, the four diagonals
		{[3]int{0, 0, 0}, [3]int{1, 1, 1}, 1.0 / 3, a3},
		{[3]int{0, 0, 1}, [3]int{1, 1, 0}, 1.0 / 3, a3},
		{[3]int{0, 1, 0}, [3]int{1, 0, 1}, 1.0 / 3, a3},
		{[3]int{0, 1, 1}, [3]int{1, 0, 0}, 1.0 / 3, a3},
	}
	for _, tc := range tests {
		t.Run(fmt.Sprint(tc.p, tc.q), func(t *testing.T) {
			got := shapeValues(t, "shape", shapeMaskRegion([3]int{2, 2, 2}, [3]float64{1, 1, 1}, tc.p, tc.q), nil)
			if shapeRelErr(got["MeshVolume"], tc.vol) > 1e-14 {
				t.Errorf("MeshVolume = %.17g, want %.17g", got["MeshVolume"], tc.vol)
			}
			if math.Abs(got["SurfaceArea"]-tc.areaW) > 5e-7 {
				t.Errorf("SurfaceArea = %.17g, want %.7g", got["SurfaceArea"], tc.areaW)
			}
		})
	}
}

// TestShapeBox checks boxes against closed forms: an a×b×c box (unit
// spacing) has mesh volume abc − ((a−1)+(b−1)+(c−1))/2 − 5/6 and area
// Σ_faces (m−1)(n−1) + 4·Σ(n−1)·√2/2 + √3; diameters: max over axes of
// n_axis² + Σ_others (n−1)²; PCA eigenvalues s²(n²−1)/12 per axis.
func TestShapeBox(t *testing.T) {
	tests := []struct {
		dims [3]int
		sp   [3]float64
	}{
		{[3]int{2, 3, 5}, [3]float64{1, 1, 1}},
		{[3]int{4, 1, 6}, [3]float64{1, 1, 1}},
		{[3]int{7, 5, 3}, [3]float64{1, 1, 1}},
		{[3]int{3, 4, 6}, [3]float64{2.5, 0.5, 0.75}},
	}
	for _, tc := range tests {
		t.Run(fmt.Sprint(tc.dims, tc.sp), func(t *testing.T) {
			got := shapeValues(t, "shape", shapeBoxRegion(tc.dims, tc.sp), nil)
			n := [3]float64{float64(tc.dims[0]), float64(tc.dims[1]), float64(tc.dims[2])}
			var ev [3]float64
			for a := 0; a < 3; a++ {
				ev[a] = tc.sp[a] * tc.sp[a] * (n[a]*n[a] - 1) / 12
			}
			sorted := ev
			for i := 0; i < 3; i++ {
				for j := i + 1; j < 3; j++ {
					if sorted[j] < sorted[i] {
						sorted[i], sorted[j] = sorted[j], sorted[i]
					}
				}
			}
			// 2D diameter in the plane of axes u, v (others are fixed).
			d2 := func(u, v int) float64 {
				su, sv := tc.sp[u], tc.sp[v]
				return math.Sqrt(max(n[u]*n[u]*su*su+(n[v]-1)*(n[v]-1)*sv*sv, (n[u]-1)*(n[u]-1)*su*su+n[v]*n[v]*sv*sv))
			}
			d3 := 0.0
			for a := 0; a < 3; a++ {
				s := 0.0
				for b := 0; b < 3; b++ {
					m := n[b] - 1
					if b == a {
						m = n[b]
					}
					s += m * m * tc.sp[b] * tc.sp[b]
				}
				d3 = max(d3, s)
			}
			want := map[string]float64{
				"VoxelVolume":             n[0] * n[1] * n[2] * tc.sp[0] * tc.sp[1] * tc.sp[2],
				"MajorAxisLength":         4 * math.Sqrt(sorted[2]),
				"MinorAxisLength":         4 * math.Sqrt(sorted[1]),
				"LeastAxisLength":         4 * math.Sqrt(sorted[0]),
				"Elongation":              math.Sqrt(sorted[1] / sorted[2]),
				"Flatness":                math.Sqrt(sorted[0] / sorted[2]),
				"Maximum2DDiameterSlice":  d2(1, 2),
				"Maximum2DDiameterColumn": d2(0, 2),
				"Maximum2DDiameterRow":    d2(0, 1),
				"Maximum3DDiameter":       math.Sqrt(d3),
			}
			if tc.sp == [3]float64{1, 1, 1} {
				a, b, c := n[0], n[1], n[2]
				vol := a*b*c - ((a-1)+(b-1)+(c-1))/2 - 5.0/6
				area := 2*((a-1)*(b-1)+(b-1)*(c-1)+(a-1)*(c-1)) + 4*((a-1)+(b-1)+(c-1))*math.Sqrt2/2 + math.Sqrt(3)
				want["MeshVolume"] = vol
				want["SurfaceArea"] = area
				want["SurfaceVolumeRatio"] = area / vol
				want["Sphericity"] = math.Cbrt(36*math.Pi*vol*vol) / area
				want["SphericalDisproportion"] = area / math.Cbrt(36*math.Pi*vol*vol)
				want["Compactness1"] = vol / math.Sqrt(math.Pi*area*area*area)
				want["Compactness2"] = 36 * math.Pi * vol * vol / (area * area * area)
			}
			for k, w := range want {
				if shapeRelErr(got[k], w) > 1e-12 {
					t.Errorf("%s = %.17g, want %.17g", k, got[k], w)
				}
			}
		})
	}
}

func TestShapeSingleVoxelAxes(t *testing.T) {
	got := shapeValues(t, "shape", shapeBoxRegion([3]int{1, 1, 1}, [3]float64{3, 2, 1}), nil)
	for _, k := range []string{"MajorAxisLength", "MinorAxisLength", "LeastAxisLength"} {
		if got[k] != 0 {
			t.Errorf("%s = %g, want 0", k, got[k])
		}
	}
	for _, k := range []string{"Elongation", "Flatness"} {
		if !math.IsNaN(got[k]) {
			t.Errorf("%s = %g, want NaN (0/0)", k, got[k])
		}
	}
	if got["VoxelVolume"] != 6 {
		t.Errorf("VoxelVolume = %g, want 6", got["VoxelVolume"])
	}
}

// shapeNaiveDiameters is cshape.c's calculate_meshDiameter over all pairs.
func shapeNaiveDiameters(v []meshVertex) [4]float64 {
	var d [4]float64
	for i := range v {
		a := v[i].c
		for j := 0; j < i; j++ {
			b := v[j].c
			dist := sqDist(a[0], a[1], a[2], b[0], b[1], b[2])
			for k := 0; k < 3; k++ {
				if a[k] == b[k] && dist > d[k] {
					d[k] = dist
				}
			}
			if dist > d[3] {
				d[3] = dist
			}
		}
	}
	for i := range d {
		d[i] = math.Sqrt(d[i])
	}
	return d
}

// shapeRandomBlob is a seeded random mask: a noisy ellipsoid with holes.
func shapeRandomBlob(rng *rand.Rand, dims [3]int, sp [3]float64, fill float64) *Region {
	r := shapeMaskRegion(dims, sp)
	c := [3]float64{float64(dims[0]-1) / 2, float64(dims[1]-1) / 2, float64(dims[2]-1) / 2}
	i := 0
	for z := 0; z < dims[0]; z++ {
		for y := 0; y < dims[1]; y++ {
			for x := 0; x < dims[2]; x++ {
				q := 0.0
				for a, p := range [3]int{z, y, x} {
					if c[a] > 0 {
						d := (float64(p) - c[a]) / (c[a] + 0.5)
						q += d * d
					}
				}
				r.ROI[i] = q < 1 && rng.Float64() < fill
				i++
			}
		}
	}
	return r
}

func TestDiametersMatchAllPairs(t *testing.T) {
	rng := rand.New(rand.NewSource(7))
	for trial := 0; trial < 40; trial++ {
		dims := [3]int{1 + rng.Intn(14), 1 + rng.Intn(22), 1 + rng.Intn(22)}
		sp := [3]float64{0.3 + 3*rng.Float64(), 0.3 + rng.Float64(), 0.3 + rng.Float64()}
		if trial%4 == 0 {
			sp = [3]float64{5, 0.7, 0.7}
		}
		fill := 0.7 + 0.3*rng.Float64()
		r := shapeRandomBlob(rng, dims, sp, fill)
		if _, _, err := checkShapeRegion(r); err != nil {
			continue
		}
		pm, pd := padMask3D(r.ROI, r.ArrayShape())
		asp := r.ArraySpacing()
		want := shapeNaiveDiameters(meshVertices3D(pm, pd, asp))
		got := meshDiameters3D(pm, pd, asp)
		if got != want {
			t.Errorf("trial %d dims %v sp %v: diameters %v, all pairs %v", trial, dims, sp, got, want)
		}
	}
}

func TestFarthestCellsMatchBrute(t *testing.T) {
	rng := rand.New(rand.NewSource(11))
	var fp farthestScratch
	for trial := 0; trial < 20; trial++ {
		n := 400 + rng.Intn(3000)
		pts := make([]meshVertex, n)
		s := [3]float64{0.1 + rng.Float64(), 0.1 + rng.Float64(), 0.1 + 5*rng.Float64()}
		for i := range pts {
			for a := 0; a < 3; a++ {
				k := int32(rng.Intn(120))
				pts[i].k[a] = k
				pts[i].c[a] = (float64(k) * 0.5) * s[a]
			}
		}
		want := shapeNaiveDiameters(pts)[3]
		if got := math.Sqrt(fp.farthest(pts)); got != want {
			t.Errorf("trial %d: farthest %.17g, all pairs %.17g", trial, got, want)
		}
	}
}

func TestShapeErrors(t *testing.T) {
	c, _ := Lookup("shape")
	bad := []*Region{
		nil,
		shapeMaskRegion([3]int{2, 2, 2}, [3]float64{1, 1, 1}),                    // empty ROI
		{Size: [3]int{2, 2, 2}, Spacing: [3]float64{1, 1, 1}},                    // no ROI slice
		{Size: [3]int{0, 2, 2}, Spacing: [3]float64{1, 1, 1}},                    // zero size
		shapeBoxRegion([3]int{1, 1, 1}, [3]float64{1, 0, 1}),                     // zero spacing
		shapeBoxRegion([3]int{1, 1, 1}, [3]float64{1, math.NaN(), 1}),            // NaN spacing
		{Size: [3]int{1, 1, 2}, Spacing: [3]float64{1, 1, 1}, ROI: []bool{true}}, // short ROI
	}
	for i, r := range bad {
		if _, err := c.Compute(r, nil); err == nil {
			t.Errorf("case %d: no error", i)
		}
	}
}

func TestShapeOrderAndEnabled(t *testing.T) {
	for _, tc := range []struct {
		class string
		want  string
	}{
		{"shape", "Elongation Flatness LeastAxisLength MajorAxisLength Maximum2DDiameterColumn Maximum2DDiameterRow Maximum2DDiameterSlice Maximum3DDiameter MeshVolume MinorAxisLength Sphericity SurfaceArea SurfaceVolumeRatio VoxelVolume"},
		{"shape2D", "Elongation MajorAxisLength MaximumDiameter MeshSurface MinorAxisLength Perimeter PerimeterSurfaceRatio PixelSurface Sphericity"},
	} {
		c, ok := Lookup(tc.class)
		if !ok {
			t.Fatalf("%s not registered", tc.class)
		}
		idx, err := c.Enabled(nil)
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, i := range idx {
			names = append(names, c.Features[i].Name)
		}
		if got := strings.Join(names, " "); got != tc.want {
			t.Errorf("%s default features:\n got %s\nwant %s", tc.class, got, tc.want)
		}
		// Output order is that of the sorted get<Name>FeatureValue methods.
		for i := 1; i < len(c.Features); i++ {
			if "get"+c.Features[i-1].Name+"FeatureValue" >= "get"+c.Features[i].Name+"FeatureValue" {
				t.Errorf("%s: %s listed before %s", tc.class, c.Features[i-1].Name, c.Features[i].Name)
			}
		}
	}
	c, _ := Lookup("shape")
	idx, err := c.Enabled([]string{"Compactness1", "Compactness2", "SphericalDisproportion"})
	if err != nil || len(idx) != 3 {
		t.Errorf("named deprecated shape features: %v, %v (want 3 outputs)", idx, err)
	}
}

// shapeBrain1Region reads brain1_label.nrrd with imageio and crops label 1
// to its bounding box (no margin), as PyRadiomics' cropToTumorMask.
func shapeBrain1Region(t *testing.T) *Region {
	t.Helper()
	lab, err := imageio.Read(refdata.File(t, "pyradiomics", "brain1_label.nrrd"))
	if err != nil {
		t.Fatal(err)
	}
	bb, n, ok := volume.LabelBBox(lab, 1)
	if !ok || n != 4137 {
		t.Fatalf("brain1 label 1: %d voxels (ok=%v), want 4137", n, ok)
	}
	crop := lab.Crop(bb, 0)
	r := &Region{Size: crop.Size, Spacing: crop.Spacing, ROI: make([]bool, len(crop.Data))}
	for i, v := range crop.Data {
		r.ROI[i] = v == 1
	}
	return r
}

// shapeReadFeatureCSV reads a feature,value CSV into a map.
func shapeReadFeatureCSV(t *testing.T, path string) map[string]float64 {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	m := map[string]float64{}
	for _, r := range rows[1:] {
		if v, err := strconv.ParseFloat(r[1], 64); err == nil {
			m[r[0]] = v
		}
	}
	return m
}

func TestShapeBrain1(t *testing.T) {
	r := shapeBrain1Region(t)
	ref := shapeReadFeatureCSV(t, refdata.File(t, "pyradiomics", "brain1_1316.csv"))
	got := shapeValues(t, "shape", r, nil)
	c, _ := Lookup("shape")
	idx, _ := c.Enabled(nil)
	worst := 0.0
	for _, i := range idx {
		name := c.Features[i].Name
		want, ok := ref["original_shape_"+name]
		if !ok {
			t.Errorf("reference lacks original_shape_%s", name)
			continue
		}
		e := shapeRelErr(got[name], want)
		worst = max(worst, e)
		if e > 1e-9 {
			t.Errorf("%s = %.17g, want %.17g (rel %.2g)", name, got[name], want, e)
		}
	}
	// Mesh area, volume and diameters are bit-reproducible (spec 9.5).
	for _, name := range []string{"SurfaceArea", "MeshVolume", "Maximum3DDiameter", "Maximum2DDiameterSlice", "Maximum2DDiameterColumn", "Maximum2DDiameterRow"} {
		if got[name] != ref["original_shape_"+name] {
			t.Errorf("%s = %.17g, not bit-identical to %.17g", name, got[name], ref["original_shape_"+name])
		}
	}
	t.Logf("brain1 shape: max relative deviation %.3g over %d features", worst, len(idx))
}

// shapeEllipsoidRegion is a solid ellipsoid with semi-axes (in voxels) rz, ry, rx.
func shapeEllipsoidRegion(rz, ry, rx float64, sp [3]float64) *Region {
	dims := [3]int{int(2*rz) + 1, int(2*ry) + 1, int(2*rx) + 1}
	r := shapeMaskRegion(dims, sp)
	i := 0
	for z := 0; z < dims[0]; z++ {
		for y := 0; y < dims[1]; y++ {
			for x := 0; x < dims[2]; x++ {
				dz, dy, dx := (float64(z)-rz)/rz, (float64(y)-ry)/ry, (float64(x)-rx)/rx
				r.ROI[i] = dz*dz+dy*dy+dx*dx <= 1
				i++
			}
		}
	}
	return r
}

func TestShapeEllipsoidDiameters(t *testing.T) {
	if testing.Short() {
		t.Skip("all-pairs reference is slow")
	}
	r := shapeEllipsoidRegion(18, 22, 27, [3]float64{1.5, 0.8, 0.8})
	pm, pd := padMask3D(r.ROI, r.ArrayShape())
	sp := r.ArraySpacing()
	want := shapeNaiveDiameters(meshVertices3D(pm, pd, sp))
	if got := meshDiameters3D(pm, pd, sp); got != want {
		t.Errorf("diameters %v, all pairs %v", got, want)
	}
}

func BenchmarkShapeEllipsoid(b *testing.B) {
	r := shapeEllipsoidRegion(25, 30, 40, [3]float64{1, 1, 1})
	n := 0
	for _, v := range r.ROI {
		if v {
			n++
		}
	}
	c, _ := Lookup("shape")
	s := DefaultSettings()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := c.Compute(r, &s); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(n), "voxels")
}
