package filters

import (
	"encoding/csv"
	"math"
	"os"
	"strconv"
	"testing"

	"github.com/spinerad/spinerad/internal/imageio"
	"github.com/spinerad/spinerad/internal/refdata"
	"github.com/spinerad/spinerad/internal/volume"
)

func readRef(t *testing.T, name string) *volume.Image {
	t.Helper()
	im, err := imageio.Read(refdata.File(t, "pyradiomics", name))
	if err != nil {
		t.Fatal(err)
	}
	return im
}

// Appendix A.3: brain1 voxel values of LoG (bit-exact float32) and of the
// coif1 wavelet images (float64, ≤ 1e-9 relative).
func TestBrain1A3(t *testing.T) {
	im := readRef(t, "brain1_image.nrrd")
	if im.Type != volume.Int16 {
		t.Fatalf("brain1 pixel type %v", im.Type)
	}
	idx := [][3]int{{180, 100, 14}, {200, 120, 12}, {0, 0, 0}, {255, 255, 24}}
	logWant := map[float64][]float64{
		1: {8.297224044799805, -3.2681775093078613, 3.657339334487915, 0.07173185795545578},
		3: {48.1641960144043, -20.125385284423828, 2.0586605072021484, 2.5562527179718018},
	}
	for sigma, want := range logWant {
		out, err := LoG(im, sigma)
		if err != nil {
			t.Fatal(err)
		}
		for i, p := range idx {
			if got := out.At(p[0], p[1], p[2]); got != want[i] {
				t.Errorf("LoG sigma %v at %v: %.17g, want %.17g", sigma, p, got, want[i])
			}
		}
	}
	wvWant := map[string][]float64{
		"wavelet-LLH": {70.43334162244662, 25.55909502729129, -0.5379489830010203, 0.0146812378537753},
		"wavelet-HHH": {7.277834471036939, -22.95865998033523, 0.5492917053614392, 0.07963940380568435},
		"wavelet-LLL": {1815.3140789264621, 1543.243973738538, -1.4239664204311866, -0.21687787560788047},
	}
	ws, err := Wavelet(im, "coif1", 0, 1, false, 0)
	if err != nil {
		t.Fatal(err)
	}
	worst := 0.0
	for _, w := range ws {
		want, ok := wvWant[w.Name]
		if !ok {
			continue
		}
		for i, p := range idx {
			got := w.Image.At(p[0], p[1], p[2])
			rel := math.Abs(got-want[i]) / math.Abs(want[i])
			worst = math.Max(worst, rel)
			if rel > 1e-9 {
				t.Errorf("%s at %v: %.17g, want %.17g", w.Name, p, got, want[i])
			}
		}
	}
	t.Logf("wavelet A.3 max relative deviation %.3g", worst)
}

// Cross-check against PyRadiomics' brain1 run (brain1_1316.csv): the mean,
// minimum and maximum over the ROI of every LoG and wavelet image.
func TestBrain1FirstOrderOfFilters(t *testing.T) {
	im := readRef(t, "brain1_image.nrrd")
	mask := readRef(t, "brain1_label.nrrd")
	f, err := os.Open(refdata.File(t, "pyradiomics", "brain1_1316.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	ref := map[string]float64{}
	for _, r := range rows[1:] {
		v, err := strconv.ParseFloat(r[1], 64)
		if err == nil {
			ref[r[0]] = v
		}
	}
	images := map[string]*volume.Image{}
	for _, s := range []float64{1, 2, 3, 4, 5} {
		out, err := LoG(im, s)
		if err != nil {
			t.Fatal(err)
		}
		images["log-sigma-"+strconv.Itoa(int(s))+"-0-mm-3D"] = out
	}
	ws, err := Wavelet(im, "coif1", 0, 1, false, 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range ws {
		images[w.Name] = w.Image
	}
	worst := 0.0
	for name, img := range images {
		sum, n := 0.0, 0
		lo, hi := math.Inf(1), math.Inf(-1)
		for i, m := range mask.Data {
			if m == 1 {
				v := img.Data[i]
				sum += v
				n++
				lo, hi = math.Min(lo, v), math.Max(hi, v)
			}
		}
		for feat, got := range map[string]float64{"Mean": sum / float64(n), "Minimum": lo, "Maximum": hi} {
			want, ok := ref[name+"_firstorder_"+feat]
			if !ok {
				t.Fatalf("%s_firstorder_%s missing from brain1_1316.csv", name, feat)
			}
			rel := math.Abs(got-want) / math.Abs(want)
			worst = math.Max(worst, rel)
			if rel > 1e-9 {
				t.Errorf("%s %s: %.17g, PyRadiomics %.17g (rel %.3g)", name, feat, got, want, rel)
			}
		}
	}
	t.Logf("%d images; max relative deviation of ROI mean/min/max: %.3g", len(images), worst)
}
