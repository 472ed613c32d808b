package extract

import (
	"math"
	"strconv"
	"strings"
	"testing"

	"github.com/spinerad/spinerad/internal/filters"
	"github.com/spinerad/spinerad/internal/volume"
)

// TestExecuteLBP3D runs imageType LBP3D (with its own settings, and once
// with resegmentation) and checks the pipeline around filters.LBP3D: the
// derived images are lbp-3D-m1 .. lbp-3D-m<levels>, then lbp-3D-k, in
// PyRadiomics' order; each one's first-order Mean, Minimum and Maximum
// equal those of filters.LBP3D on the whole image over the ROI voxels; and
// the ROI is the resegmented mask when resegmentation is on (PyRadiomics
// passes that mask to getLBP3DImage). No PyRadiomics output for LBP3D
// exists in the shared reference data (the filter itself is compared with
// PyRadiomics in internal/filters).
func TestExecuteLBP3D(t *testing.T) {
	img, mask := synthCase(7, 1)
	for _, c := range []struct {
		name, doc string
		levels    int
		radius    float64
		sub       int
		reseg     []float64
	}{
		{"defaults", `imageType:
  LBP3D: {}
featureClass:
  firstorder:
setting:
  binWidth: 1
`, 2, 1, 1, nil},
		{"custom", `imageType:
  LBP3D:
    lbp3DLevels: 3
    lbp3DIcosphereRadius: 1.5
    lbp3DIcosphereSubdivision: 2
featureClass:
  firstorder:
setting:
  binWidth: 1
`, 3, 1.5, 2, nil},
		{"resegmented", `imageType:
  LBP3D: {}
featureClass:
  firstorder:
setting:
  binWidth: 1
  resegmentRange: [100, 1000]
`, 2, 1, 1, []float64{100, 1000}},
	} {
		p := mustParams(t, c.doc)
		res, err := p.Execute(img, mask)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		var order []string
		got := map[string]map[string]float64{}
		for _, f := range res.Features {
			im, rest, ok := strings.Cut(f.Name, "_firstorder_")
			if !ok || !strings.HasPrefix(im, "lbp-3D-") {
				continue
			}
			if got[im] == nil {
				got[im] = map[string]float64{}
				order = append(order, im)
			}
			got[im][rest] = f.Value
		}
		var want []string
		for l := 1; l <= c.levels; l++ {
			want = append(want, "lbp-3D-m"+strconv.Itoa(l))
		}
		want = append(want, "lbp-3D-k")
		if strings.Join(order, ",") != strings.Join(want, ",") {
			t.Fatalf("%s: derived images %v, want %v", c.name, order, want)
		}
		roiMask := volume.New(mask.Geometry, volume.UInt8)
		n := 0
		for i, m := range mask.Data {
			v := img.Data[i]
			if m == 1 && (c.reseg == nil || v >= c.reseg[0] && v <= c.reseg[1]) {
				roiMask.Data[i] = 1
				n++
			}
		}
		total := 0
		for _, m := range mask.Data {
			if m == 1 {
				total++
			}
		}
		if c.reseg != nil && (n == total || n == 0) {
			t.Fatalf("%s: resegmentation kept %d of %d voxels", c.name, n, total)
		}
		ims, err := filters.LBP3D(img, roiMask, 1, c.levels, c.radius, c.sub)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range ims {
			var sum float64
			lo, hi := math.Inf(1), math.Inf(-1)
			for i, m := range roiMask.Data {
				if m == 1 {
					v := d.Image.Data[i]
					sum += v
					lo, hi = math.Min(lo, v), math.Max(hi, v)
				}
			}
			g := got[d.Name]
			if mean := sum / float64(n); math.Abs(g["Mean"]-mean) > 1e-9*math.Max(1, math.Abs(mean)) {
				t.Errorf("%s %s: Mean %v, want %v", c.name, d.Name, g["Mean"], mean)
			}
			if g["Minimum"] != lo || g["Maximum"] != hi {
				t.Errorf("%s %s: Minimum, Maximum %v, %v, want %v, %v", c.name, d.Name, g["Minimum"], g["Maximum"], lo, hi)
			}
		}
	}
}

// TestExecuteLBP3DLevelsError: lbp3DLevels 1 passes PyRadiomics' schema but
// makes getLBP3DImage fail; the extraction fails with an error naming it.
func TestExecuteLBP3DLevelsError(t *testing.T) {
	p := mustParams(t, `imageType:
  LBP3D:
    lbp3DLevels: 1
featureClass:
  firstorder:
`)
	img, mask := synthCase(7, 1)
	if _, err := p.Execute(img, mask); err == nil || !strings.Contains(err.Error(), "lbp3DLevels") {
		t.Errorf("error %v, want one naming lbp3DLevels", err)
	}
}
