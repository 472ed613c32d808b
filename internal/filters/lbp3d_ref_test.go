package filters

import (
	"bufio"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/spinerad/spinerad/internal/imageio"
	"github.com/spinerad/spinerad/internal/refdata"
	"github.com/spinerad/spinerad/internal/volume"
)

// The shared reference data hold no PyRadiomics output for LBP3D. These
// tests compare with testdata/lbp3d_pyradiomics.txt, written by running
// PyRadiomics' own getLBP3DImage (commit 8ed5793) with NumPy 1.24.2, SciPy
// 1.10.1 and trimesh 5.0.0rc1, np.arccos/np.arctan2 replaced by the C
// library's (testdata/lbp3d_pyradiomics_gen.py says how and why).

// pyradLBP3DCase is one synthetic case of the reference file.
type pyradLBP3DCase struct {
	name                string
	dtype               volume.PixelType
	shape               [3]int // NumPy order: z, y, x
	levels, subdivision int
	radius, label       float64
	image, mask         []float64
	names               []string
	outs                [][]float64 // values at the ROI voxels, C order
}

// pyradLBP3DDigest is the SHA-256 of one output's ROI values (float64,
// little endian, C order) on a reference image.
type pyradLBP3DDigest struct {
	image, name, sha string
	roi              int
}

var lbp3DTestTypes = map[string]volume.PixelType{
	"int16": volume.Int16, "uint8": volume.UInt8, "float32": volume.Float32, "float64": volume.Float64,
}

func readPyradLBP3D(t *testing.T) ([]*pyradLBP3DCase, []pyradLBP3DDigest) {
	t.Helper()
	f, err := os.Open("testdata/lbp3d_pyradiomics.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	nums := func(fs []string) []float64 {
		out := make([]float64, len(fs))
		for i, s := range fs {
			v, err := strconv.ParseFloat(s, 64)
			if err != nil {
				t.Fatalf("bad number %q", s)
			}
			out[i] = v
		}
		return out
	}
	var cases []*pyradLBP3DCase
	var digests []pyradLBP3DDigest
	var c *pyradLBP3DCase
	var digestImage string
	var digestROI int
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<22)
	for sc.Scan() {
		fs := strings.Fields(sc.Text())
		if len(fs) == 0 || strings.HasPrefix(fs[0], "#") {
			continue
		}
		switch fs[0] {
		case "case":
			c = &pyradLBP3DCase{name: fs[1]}
			cases = append(cases, c)
		case "dtype":
			pt, ok := lbp3DTestTypes[fs[1]]
			if !ok {
				t.Fatalf("dtype %q", fs[1])
			}
			c.dtype = pt
		case "shape":
			for i := range c.shape {
				c.shape[i], _ = strconv.Atoi(fs[1+i])
			}
		case "levels":
			c.levels, _ = strconv.Atoi(fs[1])
			c.radius, _ = strconv.ParseFloat(fs[3], 64)
			c.subdivision, _ = strconv.Atoi(fs[5])
			c.label, _ = strconv.ParseFloat(fs[7], 64)
		case "image":
			c.image = nums(fs[1:])
		case "mask":
			c.mask = nums(fs[1:])
		case "out":
			c.names = append(c.names, fs[1])
			c.outs = append(c.outs, nums(fs[2:]))
		case "end":
			c = nil
		case "digest":
			digestImage = fs[1]
			digestROI, _ = strconv.Atoi(fs[7])
		case "sha256":
			digests = append(digests, pyradLBP3DDigest{image: digestImage, name: fs[1], sha: fs[2], roi: digestROI})
		default:
			t.Fatalf("unknown line %q", fs[0])
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if len(cases) < 7 {
		t.Fatalf("%d cases", len(cases))
	}
	return cases, digests
}

// TestLBP3DPyRadiomics compares LBP3D with PyRadiomics' outputs on seven
// synthetic images (pixel types int16, uint8, float32, float64; ROIs
// touching the borders, an axis of length 1, radius 1 to 2, subdivisions 0
// to 2, 2 to 6 levels, flat regions and NaN kurtosis). The kurtosis and
// the first two levels are bit-identical; higher levels use harmonics of
// degree >= 2, whose exp(i m theta) for |m| >= 2 glibc's sin/cos round
// differently from the correctly rounded values in a few cases, so they
// agree to 4e-16 relative.
func TestLBP3DPyRadiomics(t *testing.T) {
	cases, _ := readPyradLBP3D(t)
	for _, c := range cases {
		g := volume.Geometry{Size: [3]int{c.shape[2], c.shape[1], c.shape[0]}, Spacing: [3]float64{1, 1, 1}, Direction: volume.Identity}
		im := volume.New(g, c.dtype)
		ma := volume.New(g, volume.UInt32)
		if len(c.image) != g.NumVoxels() || len(c.mask) != g.NumVoxels() {
			t.Fatalf("%s: %d/%d values for %d voxels", c.name, len(c.image), len(c.mask), g.NumVoxels())
		}
		copy(im.Data, c.image)
		copy(ma.Data, c.mask)
		res, err := LBP3D(im, ma, c.label, c.levels, c.radius, c.subdivision)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if len(res) != len(c.names) {
			t.Fatalf("%s: %d images, want %d", c.name, len(res), len(c.names))
		}
		for k, r := range res {
			if r.Name != c.names[k] {
				t.Errorf("%s: image %d is %s, want %s", c.name, k, r.Name, c.names[k])
			}
			if r.Image.Type != volume.Float64 || r.Image.Geometry != g {
				t.Errorf("%s %s: type %v geometry %+v", c.name, r.Name, r.Image.Type, r.Image.Geometry)
			}
			exact := k < 2 || k == len(res)-1
			j, bad := 0, 0
			for i, m := range ma.Data {
				got := r.Image.Data[i]
				if m != c.label {
					if got != 0 {
						t.Fatalf("%s %s: non-ROI voxel %d = %v, want 0", c.name, r.Name, i, got)
					}
					continue
				}
				want := c.outs[k][j]
				j++
				same := math.Float64bits(got) == math.Float64bits(want) || math.IsNaN(got) && math.IsNaN(want)
				if !same && (exact || !(math.Abs(got-want) <= 4e-16*math.Abs(want))) {
					if bad++; bad <= 3 {
						t.Errorf("%s %s: voxel %d = %v, PyRadiomics %v", c.name, r.Name, i, got, want)
					}
				}
			}
			if j != len(c.outs[k]) {
				t.Fatalf("%s %s: %d ROI voxels, reference has %d", c.name, r.Name, j, len(c.outs[k]))
			}
		}
	}
}

// TestLBP3DPyRadiomicsReferenceImages checks LBP3D with default settings
// (2 levels, radius 1, subdivision 1) on brain1 (int16) and the IBSI CT
// phantom (float32, 125,256 ROI voxels) bit for bit: the SHA-256 of each
// output's ROI values equals that of PyRadiomics' output.
func TestLBP3DPyRadiomicsReferenceImages(t *testing.T) {
	_, digests := readPyradLBP3D(t)
	if len(digests) != 6 {
		t.Fatalf("%d digests, want 6", len(digests))
	}
	refs := referenceCases(t)
	for _, name := range []string{"brain1", "ct_phantom"} { // the digests' images
		c, ok := refs[name]
		if !ok {
			t.Logf("%s: not in the reference data; its digests are not checked", name)
			continue
		}
		img, mask := c[0], c[1]
		res, err := LBP3D(img, mask, 1, 2, 1, 1)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range res {
			var want *pyradLBP3DDigest
			for i := range digests {
				if digests[i].image == name && digests[i].name == r.Name {
					want = &digests[i]
				}
			}
			if want == nil {
				t.Fatalf("%s: no digest for %s", name, r.Name)
			}
			h := sha256.New()
			var b [8]byte
			n := 0
			for z := 0; z < img.Size[2]; z++ {
				for y := 0; y < img.Size[1]; y++ {
					for x := 0; x < img.Size[0]; x++ {
						i := img.Index(x, y, z)
						if mask.Data[i] == 1 {
							binary.LittleEndian.PutUint64(b[:], math.Float64bits(r.Image.Data[i]))
							h.Write(b[:])
							n++
						}
					}
				}
			}
			if n != want.roi {
				t.Errorf("%s: %d ROI voxels, reference %d", name, n, want.roi)
			}
			if got := hex.EncodeToString(h.Sum(nil)); got != want.sha {
				t.Errorf("%s %s: SHA-256 %s, PyRadiomics %s", name, r.Name, got, want.sha)
			}
		}
	}
}

// BenchmarkLBP3DCTPhantom times LBP3DCrop with default settings on the
// IBSI CT phantom (125,256 ROI voxels, 42 samples each), cropped to the
// ROI box as the pipeline runs it.
func BenchmarkLBP3DCTPhantom(b *testing.B) {
	dir := filepath.Join(refdata.Dir(b, "ibsi1"), "ct_phantom", "nifti")
	img, err := imageio.Read(filepath.Join(dir, "image.nii.gz"))
	if err != nil {
		b.Fatal(err)
	}
	mask, err := imageio.Read(filepath.Join(dir, "mask.nii.gz"))
	if err != nil {
		b.Fatal(err)
	}
	bb, _, _ := volume.LabelBBox(mask, 1)
	sz := bb.Size()
	roi := make([]bool, 0, sz[0]*sz[1]*sz[2])
	for z := bb.Lo[2]; z <= bb.Hi[2]; z++ {
		for y := bb.Lo[1]; y <= bb.Hi[1]; y++ {
			for x := bb.Lo[0]; x <= bb.Hi[0]; x++ {
				roi = append(roi, mask.At(x, y, z) == 1)
			}
		}
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := LBP3DCrop(img, bb, roi, 2, 1, 1); err != nil {
			b.Fatal(err)
		}
	}
}
