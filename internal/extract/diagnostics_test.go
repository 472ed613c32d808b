package extract

import (
	"math"
	"path/filepath"
	"strings"
	"testing"

	"github.com/spinerad/spinerad/internal/imageio"
	"github.com/spinerad/spinerad/internal/refdata"
	"github.com/spinerad/spinerad/internal/volume"
)

// TestCT1316Diagnostics compares the image and mask diagnostics of the
// ct1316 run on every PyRadiomics case with <case>_1316_diagnostics.csv with
// PyRadiomics', text for text: hashes, statistics, bounding box, voxel and
// component counts, centre of mass.
func TestCT1316Diagnostics(t *testing.T) {
	dir, cases := refdata.Cases(t, "pyradiomics", "_1316_diagnostics.csv", "_image.nrrd", "_label.nrrd")
	for _, c := range cases {
		t.Run(c, func(t *testing.T) { checkDiagnosticsCase(t, dir, c) })
	}
}

func checkDiagnosticsCase(t *testing.T, dir, c string) {
	ref := map[string]string{}
	for _, r := range readTable(t, filepath.Join(dir, c+"_1316_diagnostics.csv"))[1:] {
		ref[r[0]] = r[1]
	}
	img, err := imageio.Read(filepath.Join(dir, c+"_image.nrrd"))
	if err != nil {
		t.Fatal(err)
	}
	mask, err := imageio.Read(filepath.Join(dir, c+"_label.nrrd"))
	if err != nil {
		t.Fatal(err)
	}
	p, err := ResolveParams("ct1316")
	if err != nil {
		t.Fatal(err)
	}
	p.Setting.AdditionalInfo = true
	res, err := p.Execute(img, mask)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, d := range res.Diagnostics {
		if !strings.HasPrefix(d.Name, "diagnostics_Image-") && !strings.HasPrefix(d.Name, "diagnostics_Mask-") {
			continue
		}
		want, ok := ref[d.Name]
		if !ok {
			t.Errorf("%s not in the reference", d.Name)
			continue
		}
		n++
		if d.Value != want {
			t.Errorf("%s = %s, want %s", d.Name, d.Value, want)
		}
	}
	if n != 15 {
		t.Errorf("%d image/mask diagnostics compared, want 15", n)
	}
}

func TestComponents26(t *testing.T) {
	// 5x4x3 mask: a diagonal chain (one 26-component), an isolated voxel
	// and a pair touching only the volume border; other labels ignored.
	g := volume.Geometry{Size: [3]int{5, 4, 3}, Spacing: [3]float64{1, 1, 1}, Direction: volume.Identity}
	m := volume.New(g, volume.UInt8)
	set := func(x, y, z int, v float64) { m.Data[m.Index(x, y, z)] = v }
	set(0, 0, 0, 1)
	set(1, 1, 1, 1)
	set(2, 2, 2, 1) // chain through corners
	set(4, 0, 0, 1) // isolated
	set(4, 3, 0, 1)
	set(4, 2, 0, 1) // pair on the border
	set(2, 0, 0, 2) // another label between them
	bb, n, ok := volume.LabelBBox(m, 1)
	if !ok || n != 6 {
		t.Fatalf("bbox: %v %d %v", bb, n, ok)
	}
	if got := components26(m, 1, bb); got != 3 {
		t.Errorf("components26 = %d, want 3", got)
	}
	bb2, _, _ := volume.LabelBBox(m, 2)
	if got := components26(m, 2, bb2); got != 1 {
		t.Errorf("label 2: %d components, want 1", got)
	}
}

func TestValueStats(t *testing.T) {
	// Sum in order, minimum and maximum with math.Min/math.Max semantics.
	for _, c := range []struct {
		data         []float64
		mean, lo, hi float64
	}{
		{[]float64{3, -1, 2}, 4.0 / 3, -1, 3},
		{[]float64{0, math.Copysign(0, -1)}, 0, math.Copysign(0, -1), 0},
		{[]float64{math.Copysign(0, -1), 0}, 0, math.Copysign(0, -1), 0},
		{[]float64{1, math.NaN(), 2}, math.NaN(), math.NaN(), math.NaN()},
		{[]float64{math.Inf(-1), 5}, math.Inf(-1), math.Inf(-1), 5},
	} {
		var a, b valueStats
		a.addAll(c.data)
		for _, v := range c.data {
			b.add(v)
		}
		for _, s := range []*valueStats{&a, &b} {
			mean, lo, hi := s.result()
			ref := []float64{c.mean, c.lo, c.hi}
			for k, v := range []float64{mean, lo, hi} {
				if math.Float64bits(v) != math.Float64bits(ref[k]) && !(math.IsNaN(v) && math.IsNaN(ref[k])) {
					t.Errorf("%v: stat %d = %v, want %v", c.data, k, v, ref[k])
				}
			}
		}
	}
	var empty valueStats
	if m, lo, hi := empty.result(); !math.IsNaN(m) || !math.IsInf(lo, 1) || !math.IsInf(hi, -1) {
		t.Errorf("empty: %v %v %v", m, lo, hi)
	}
}
