package imageio

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/spinerad/spinerad/internal/refdata"
	"github.com/spinerad/spinerad/internal/volume"
)

func TestIBSICTPhantom(t *testing.T) {
	dir := filepath.Join(refdata.Dir(t, "ibsi1"), "ct_phantom", "nifti")
	t0 := time.Now()
	im, err := Read(filepath.Join(dir, "image.nii.gz"))
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("CT phantom read in %v", time.Since(t0))
	want := volume.Geometry{
		Size:      [3]int{204, 201, 60},
		Spacing:   [3]float64{0.9769999980926514, 0.9769999980926514, 3.0},
		Origin:    [3]float64{-174.39450073242188, -79.62550354003906, -100.4000015258789},
		Direction: volume.Identity,
	}
	sameGeometry(t, "image", im.Geometry, want)
	if im.Type != volume.Float32 {
		t.Errorf("type %v, want float32", im.Type)
	}
	for i, v := range im.Data {
		if v != float64(int64(v)) {
			t.Fatalf("voxel %d = %v is not a whole number", i, v)
		}
	}
	m, err := Read(filepath.Join(dir, "mask.nii.gz"))
	if err != nil {
		t.Fatal(err)
	}
	sameGeometry(t, "mask", m.Geometry, want)
	if m.Type != volume.UInt8 {
		t.Errorf("mask type %v, want uint8", m.Type)
	}
	if _, n, _ := volume.LabelBBox(m, 1); n != 125256 {
		t.Errorf("mask has %d voxels equal to 1, want 125256", n)
	}
}

func TestIBSIDigitalPhantom(t *testing.T) {
	dir := filepath.Join(refdata.Dir(t, "ibsi1"), "digital_phantom")
	im, err := Read(filepath.Join(dir, "image.nii.gz"))
	if err != nil {
		t.Fatal(err)
	}
	m, err := Read(filepath.Join(dir, "mask.nii.gz"))
	if err != nil {
		t.Fatal(err)
	}
	want := volume.Geometry{Size: [3]int{5, 4, 4}, Spacing: [3]float64{2, 2, 2}, Direction: volume.Identity}
	sameGeometry(t, "image", im.Geometry, want)
	sameGeometry(t, "mask", m.Geometry, want)
	if im.Type != volume.Int16 {
		t.Errorf("type %v, want int16", im.Type)
	}
	in, out := map[float64]int{}, map[float64]int{}
	for i, v := range im.Data {
		if m.Data[i] == 1 {
			in[v]++
		} else {
			out[v]++
		}
	}
	wantIn := map[float64]int{1: 50, 3: 1, 4: 16, 6: 7}
	wantOut := map[float64]int{1: 5, 9: 1}
	if len(in) != len(wantIn) || len(out) != len(wantOut) {
		t.Fatalf("grey levels inside %v outside %v, want %v and %v", in, out, wantIn, wantOut)
	}
	for g, n := range wantIn {
		if in[g] != n {
			t.Errorf("inside: level %v occurs %d times, want %d", g, in[g], n)
		}
	}
	for g, n := range wantOut {
		if out[g] != n {
			t.Errorf("outside: level %v occurs %d times, want %d", g, out[g], n)
		}
	}
}

func TestBrain1NRRD(t *testing.T) {
	dir := refdata.Dir(t, "pyradiomics")
	im, err := Read(filepath.Join(dir, "brain1_image.nrrd"))
	if err != nil {
		t.Fatal(err)
	}
	want := volume.Geometry{
		Size:      [3]int{256, 256, 25},
		Spacing:   [3]float64{0.7812499999999999, 0.7812499999999999, 6.499999999999998},
		Origin:    [3]float64{-99.609374999999986, 99.609374999999986, -77.999999999999957},
		Direction: [3][3]float64{{1, 0, 0}, {0, -1, 0}, {0, 0, 1}},
	}
	sameGeometry(t, "image", im.Geometry, want)
	if im.Type != volume.Int16 {
		t.Errorf("type %v, want int16", im.Type)
	}
	if h := RawHash(im); h != "5c9ce3ca174f0f8324aa4d277e0fef82dc5ac566" {
		t.Errorf("image hash %s", h)
	}
	// Appendix A.3 of the parity spec: raw values at ITK indices.
	for _, c := range []struct {
		idx [3]int
		v   float64
	}{{[3]int{180, 100, 14}, 629}, {[3]int{200, 120, 12}, 561}, {[3]int{0, 0, 0}, 0}, {[3]int{255, 255, 24}, 0}} {
		if v := im.At(c.idx[0], c.idx[1], c.idx[2]); v != c.v {
			t.Errorf("voxel %v = %v, want %v", c.idx, v, c.v)
		}
	}
	m, err := Read(filepath.Join(dir, "brain1_label.nrrd"))
	if err != nil {
		t.Fatal(err)
	}
	sameGeometry(t, "label", m.Geometry, want)
	if m.Type != volume.Int32 {
		t.Errorf("label type %v, want int32", m.Type)
	}
	b, n, _ := volume.LabelBBox(m, 1)
	if n != 4137 || b.Lo != [3]int{162, 84, 11} || b.Size() != [3]int{47, 70, 7} {
		t.Errorf("label 1: %d voxels, box %v size %v; want 4137, (162,84,11), (47,70,7)", n, b.Lo, b.Size())
	}
	// PyRadiomics hashes the mask after its cast to UInt32; for a 0/1 int32
	// label map both buffers are byte-identical.
	const wantMask = "9dc2c3137b31fd872997d92c9a92d5178126d9d3"
	if h := RawHash(m); h != wantMask {
		t.Errorf("mask hash as int32 %s", h)
	}
	u := m.Clone()
	u.Type = volume.UInt32
	if h := RawHash(u); h != wantMask {
		t.Errorf("mask hash as uint32 %s", h)
	}
}

func BenchmarkReadCTPhantom(b *testing.B) {
	p := filepath.Join(refdata.Dir(b, "ibsi1"), "ct_phantom", "nifti", "image.nii.gz")
	for i := 0; i < b.N; i++ {
		if _, err := Read(p); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkReadBrain1(b *testing.B) {
	p := filepath.Join(refdata.Dir(b, "pyradiomics"), "brain1_image.nrrd")
	for i := 0; i < b.N; i++ {
		if _, err := Read(p); err != nil {
			b.Fatal(err)
		}
	}
}
