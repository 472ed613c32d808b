package phantom

import (
	"path/filepath"
	"testing"

	"github.com/spinerad/spinerad/internal/imageio"
	"github.com/spinerad/spinerad/internal/refdata"
)

// TestDigitalPhantomMatchesFile checks the built-in phantom against the IBSI
// NIfTI files: same geometry and voxels.
func TestDigitalPhantomMatchesFile(t *testing.T) {
	dir := filepath.Join(refdata.Dir(t, "ibsi1"), "digital_phantom")
	img, mask := DigitalPhantom()
	for name, built := range map[string][]float64{"image.nii.gz": img.Data, "mask.nii.gz": mask.Data} {
		f, err := imageio.Read(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		if f.Geometry != img.Geometry {
			t.Errorf("%s: geometry %+v, built-in %+v", name, f.Geometry, img.Geometry)
		}
		for i := range built {
			if f.Data[i] != built[i] {
				t.Fatalf("%s: voxel %d = %v, built-in %v", name, i, f.Data[i], built[i])
			}
		}
	}
	n, sum := 0, 0.0
	for i, m := range mask.Data {
		if m == 1 {
			n++
			sum += img.Data[i]
		}
	}
	if n != 74 || sum != 159 {
		t.Errorf("ROI has %d voxels summing to %v; IBSI says 74 and 159", n, sum)
	}
}
