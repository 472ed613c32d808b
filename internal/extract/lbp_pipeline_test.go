package extract

import (
	"math"
	"strings"
	"testing"

	"github.com/spinerad/spinerad/internal/filters"
)

// TestExecuteLBP2D runs an imageType LBP2D parameter set and checks that the
// lbp-2D first-order features are produced and describe the LBP image of
// the ROI: with method uniform, P = 8, every code lies in 0..9, and Mean and
// Maximum equal those of filters.LBP2D on the whole image over the ROI
// voxels (checks the crop/mask alignment of the pipeline's crop path).
func TestExecuteLBP2D(t *testing.T) {
	p := mustParams(t, `imageType:
  LBP2D: {}
featureClass:
  firstorder:
setting:
  binWidth: 1
  force2D: true
`)
	img, mask := synthCase(5, 1)
	res, err := p.Execute(img, mask)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]float64{}
	for _, f := range res.Features {
		if strings.HasPrefix(f.Name, "lbp-2D_firstorder_") {
			got[strings.TrimPrefix(f.Name, "lbp-2D_firstorder_")] = f.Value
		}
	}
	if len(got) < 18 {
		t.Fatalf("%d lbp-2D_firstorder features, want the 18 enabled ones", len(got))
	}
	lbp, err := filters.LBP2D(img, 1, 8, "uniform", 0)
	if err != nil {
		t.Fatal(err)
	}
	var sum, maxV float64
	n := 0
	maxV = math.Inf(-1)
	for i, m := range mask.Data {
		if m == 1 {
			v := lbp.Data[i]
			if v < 0 || v > 9 || v != math.Trunc(v) {
				t.Fatalf("voxel %d: uniform code %v outside 0..9", i, v)
			}
			sum += v
			maxV = max(maxV, v)
			n++
		}
	}
	if want := sum / float64(n); math.Abs(got["Mean"]-want) > 1e-9*want {
		t.Errorf("Mean %v, want %v", got["Mean"], want)
	}
	if got["Maximum"] != maxV {
		t.Errorf("Maximum %v, want %v", got["Maximum"], maxV)
	}
}
