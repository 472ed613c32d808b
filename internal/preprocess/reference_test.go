package preprocess

import (
	"path/filepath"
	"testing"

	"github.com/spinerad/spinerad/internal/imageio"
	"github.com/spinerad/spinerad/internal/refdata"
	"github.com/spinerad/spinerad/internal/volume"
)

func readPair(t testing.TB, img, mask string) (*volume.Image, *volume.Image) {
	t.Helper()
	im, err := imageio.Read(img)
	if err != nil {
		t.Fatalf("read %s: %v", img, err)
	}
	m, err := imageio.Read(mask)
	if err != nil {
		t.Fatalf("read %s: %v", mask, err)
	}
	mm, err := GetMask(m, 1)
	if err != nil {
		t.Fatal(err)
	}
	return im, mm
}

// TestBrain1Resample checks spec Appendix A.3: brain1 to 2 mm with the cubic
// B-spline and padDistance 5.
func TestBrain1Resample(t *testing.T) {
	dir := refdata.Dir(t, "pyradiomics")
	img, mask := readPair(t, filepath.Join(dir, "brain1_image.nrrd"), filepath.Join(dir, "brain1_label.nrrd"))
	if img.Geometry != brain1Geometry() {
		t.Fatalf("brain1 geometry %+v differs from the spec's", img.Geometry)
	}
	ri, rm, err := ResampleImageAndMask(img, mask, 1, [3]float64{2, 2, 2}, BSpline, 5)
	if err != nil {
		t.Fatal(err)
	}
	if want := [3]int{30, 39, 34}; ri.Size != want || rm.Size != want {
		t.Errorf("size %v / %v, want %v", ri.Size, rm.Size, want)
	}
	if want := [3]float64{17.000000000000014, 44.999999999999986, -22.249999999999964}; ri.Origin != want {
		t.Errorf("origin %v, want %v", ri.Origin, want)
	}
	if ri.Type != volume.Int16 {
		t.Errorf("type %v, want int16", ri.Type)
	}
	vals := []struct {
		idx    [3]int
		raw    float64 // untruncated B-spline value
		stored float64
	}{
		{[3]int{0, 0, 0}, 433.8725942487651, 433},
		{[3]int{15, 20, 17}, 548.9533272701568, 548},
		{[3]int{29, 38, 33}, 14.375427032209087, 14},
		{[3]int{10, 5, 3}, 492.7528579112041, 492},
	}
	f := img.Clone()
	f.Type = volume.Float64
	rf, _, err := ResampleImageAndMask(f, mask, 1, [3]float64{2, 2, 2}, BSpline, 5)
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range vals {
		if got := ri.At(v.idx[0], v.idx[1], v.idx[2]); got != v.stored {
			t.Errorf("int16 value at %v = %v, want %v", v.idx, got, v.stored)
		}
		if got := rf.At(v.idx[0], v.idx[1], v.idx[2]); got != v.raw {
			t.Errorf("float64 B-spline value at %v = %v, want %v (bit-exact)", v.idx, got, v.raw)
		}
	}
	_, n, _ := volume.LabelBBox(rm, 1)
	if n != 1915 {
		t.Errorf("resampled mask has %d ROI voxels, want 1915", n)
	}
	bb, corr, err := CheckMask(ri, rm, 1, CheckOptions{})
	if err != nil || corr != nil {
		t.Fatalf("checkMask on resampled pair: %v (corrected %v)", err, corr != nil)
	}
	t.Logf("resampled bounding box %v", bb)
}

// TestCTPhantomResampleGrid checks the CT phantom rows of the table in spec
// section 3.3 through the full entry point.
func TestCTPhantomResampleGrid(t *testing.T) {
	dir := refdata.Dir(t, "ibsi1")
	img, mask := readPair(t, filepath.Join(dir, "ct_phantom", "nifti", "image.nii.gz"), filepath.Join(dir, "ct_phantom", "nifti", "mask.nii.gz"))
	if img.Type != volume.Float32 {
		t.Errorf("CT phantom type %v, want float32", img.Type)
	}
	cases := []struct {
		r          [3]float64
		wantSize   [3]int
		wantOrigin [3]float64
	}{
		{[3]float64{1, 1, 1}, [3]int{110, 109, 90}, [3]float64{-130.3830007314682, -35.61400353908539, -57.400001525878906}},
		{[3]float64{2, 2, 0}, [3]int{61, 61, 38}, [3]float64{-135.8830007314682, -41.114003539085395, -67.4000015258789}},
	}
	for _, c := range cases {
		ri, rm, err := ResampleImageAndMask(img, mask, 1, c.r, BSpline, 5)
		if err != nil {
			t.Fatal(err)
		}
		if ri.Size != c.wantSize || rm.Size != c.wantSize || ri.Origin != c.wantOrigin {
			t.Errorf("%v: size %v origin %v, want %v %v", c.r, ri.Size, ri.Origin, c.wantSize, c.wantOrigin)
		}
		if ri.Type != volume.Float32 {
			t.Errorf("%v: type %v, want float32", c.r, ri.Type)
		}
		for _, v := range ri.Data {
			if v != float64(float32(v)) {
				t.Fatalf("%v: value %v not a float32", c.r, v)
			}
		}
	}
}

func BenchmarkResampleCTPhantom1mm(b *testing.B) {
	dir := refdata.Dir(b, "ibsi1")
	img, mask := readPair(b, filepath.Join(dir, "ct_phantom", "nifti", "image.nii.gz"), filepath.Join(dir, "ct_phantom", "nifti", "mask.nii.gz"))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, _, err := ResampleImageAndMask(img, mask, 1, [3]float64{1, 1, 1}, BSpline, 5); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDiscretizeBinWidth(b *testing.B) {
	dir := refdata.Dir(b, "pyradiomics")
	img, mask := readPair(b, filepath.Join(dir, "brain1_image.nrrd"), filepath.Join(dir, "brain1_label.nrrd"))
	roi := make([]bool, len(mask.Data))
	for i, v := range mask.Data {
		roi[i] = v == 1
	}
	out := make([]int32, len(img.Data))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		DiscretizeBinWidth(img.Data, roi, 25, out)
	}
}
