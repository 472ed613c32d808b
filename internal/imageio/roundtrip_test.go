package imageio

import (
	"bytes"
	"crypto/sha1"
	"encoding/hex"
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/spinerad/spinerad/internal/volume"
)

func TestRoundTripFiles(t *testing.T) {
	dir := t.TempDir()
	for _, ext := range []string{".nii", ".nii.gz", ".NRRD", ".Nii.Gz"} {
		for _, pt := range allTypes {
			im := randomImage(pt, [3]int{7, 5, 3}, int64(pt)+11)
			p := filepath.Join(dir, "rt_"+pt.String()+ext)
			if err := Write(p, im); err != nil {
				t.Fatalf("%s: %v", p, err)
			}
			got, err := Read(p)
			if err != nil {
				t.Fatalf("%s: %v", p, err)
			}
			sameGeometry(t, p, got.Geometry, im.Geometry)
			sameData(t, p, got, im)
		}
	}
	// No temporary files are left behind.
	ents, _ := os.ReadDir(dir)
	for _, e := range ents {
		if e.Name()[0] == '.' {
			t.Errorf("leftover temporary file %s", e.Name())
		}
	}
}

// NIfTI-2 and big-endian variants of the encoder, decoded from memory.
func TestRoundTripNIfTIVariants(t *testing.T) {
	for _, version := range []int{1, 2} {
		for _, be := range []bool{false, true} {
			for _, pt := range allTypes {
				im := randomImage(pt, [3]int{4, 3, 2}, int64(pt)+100)
				b := niftiBytes(t, im, version, be)
				got, err := DecodeNIfTI(bytes.NewReader(b))
				if err != nil {
					t.Fatalf("v%d be=%v %v: %v", version, be, pt, err)
				}
				sameGeometry(t, "nifti variant", got.Geometry, im.Geometry)
				sameData(t, "nifti variant", got, im)
			}
		}
	}
}

// NRRD stores doubles: spacings and origins that are not float32 values
// (brain1's) round-trip exactly.
func TestRoundTripNRRDDoubleGeometry(t *testing.T) {
	im := randomImage(volume.Int16, [3]int{3, 3, 3}, 5)
	im.Spacing = [3]float64{0.7812499999999999, 0.7812499999999999, 6.499999999999998}
	im.Origin = [3]float64{-99.609374999999986, 99.609374999999986, -77.999999999999957}
	im.Direction = [3][3]float64{{1, 0, 0}, {0, -1, 0}, {0, 0, 1}}
	got, err := DecodeNRRD(bytes.NewReader(encodeBytes(t, im, func(b *bytes.Buffer, im *volume.Image) error { return EncodeNRRD(b, im) })), "")
	if err != nil {
		t.Fatal(err)
	}
	sameGeometry(t, "nrrd", got.Geometry, im.Geometry)
	sameData(t, "nrrd", got, im)
}

// An oblique (rotated) direction survives NRRD to ~1 ulp and NIfTI-1 to
// float32 precision.
func TestRoundTripOblique(t *testing.T) {
	c, s := math.Cos(0.3), math.Sin(0.3)
	im := randomImage(volume.Float32, [3]int{4, 4, 4}, 9)
	im.Direction = [3][3]float64{{c, -s, 0}, {s, c, 0}, {0, 0, 1}}
	for _, tc := range []struct {
		name string
		tol  float64
		dec  func([]byte) (*volume.Image, error)
		enc  func(*bytes.Buffer, *volume.Image) error
	}{
		{"nrrd", 1e-15, func(b []byte) (*volume.Image, error) { return DecodeNRRD(bytes.NewReader(b), "") },
			func(b *bytes.Buffer, im *volume.Image) error { return EncodeNRRD(b, im) }},
		{"nifti1", 1e-6, func(b []byte) (*volume.Image, error) { return DecodeNIfTI(bytes.NewReader(b)) },
			func(b *bytes.Buffer, im *volume.Image) error { return EncodeNIfTI(b, im) }},
	} {
		got, err := tc.dec(encodeBytes(t, im, tc.enc))
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		for i := 0; i < 3; i++ {
			if math.Abs(got.Spacing[i]-im.Spacing[i]) > tc.tol*im.Spacing[i] || math.Abs(got.Origin[i]-im.Origin[i]) > tc.tol*200 {
				t.Errorf("%s: spacing %v origin %v, want %v %v", tc.name, got.Spacing, got.Origin, im.Spacing, im.Origin)
			}
			for k := 0; k < 3; k++ {
				if math.Abs(got.Direction[i][k]-im.Direction[i][k]) > tc.tol {
					t.Errorf("%s: direction %v, want %v", tc.name, got.Direction, im.Direction)
				}
			}
		}
		sameData(t, tc.name, got, im)
	}
}

func TestWriteRejects(t *testing.T) {
	dir := t.TempDir()
	ok := randomImage(volume.Int16, [3]int{2, 2, 2}, 1)
	frac := ok.Clone()
	frac.Data[3] = 2.5
	big := ok.Clone()
	big.Data[0] = 40000
	short := ok.Clone()
	short.Data = short.Data[:5]
	badSp := ok.Clone()
	badSp.Spacing[1] = 0
	for _, tc := range []struct {
		name string
		im   *volume.Image
		file string
	}{
		{"fraction", frac, "a.nii"}, {"range", big, "b.nrrd"}, {"short", short, "c.nii.gz"},
		{"spacing", badSp, "d.nrrd"}, {"extension", ok, "e.mha"}, {"nil", nil, "f.nii"},
	} {
		p := filepath.Join(dir, tc.file)
		err := Write(p, tc.im)
		if err == nil {
			t.Errorf("%s: no error", tc.name)
			continue
		}
		if !bytes.Contains([]byte(err.Error()), []byte(p)) {
			t.Errorf("%s: error %q does not name the file", tc.name, err)
		}
		if _, serr := os.Stat(p); serr == nil {
			t.Errorf("%s: output file exists after a failed write", tc.name)
		}
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 0 {
		t.Errorf("files left behind: %v", ents)
	}
}

func TestRawHashTypes(t *testing.T) {
	// RawHash must hash exactly these hand-written little-endian buffers.
	for _, tc := range []struct {
		t    volume.PixelType
		data []float64
		raw  []byte
	}{
		{volume.UInt8, []float64{1, 255}, []byte{0x01, 0xff}},
		{volume.Int8, []float64{-1, 5}, []byte{0xff, 0x05}},
		{volume.Int16, []float64{-1, 258}, []byte{0xff, 0xff, 0x02, 0x01}},
		{volume.UInt32, []float64{1}, []byte{1, 0, 0, 0}},
		{volume.Float32, []float64{1, -2}, []byte{0, 0, 0x80, 0x3f, 0, 0, 0, 0xc0}},
		{volume.Float64, []float64{1}, []byte{0, 0, 0, 0, 0, 0, 0xf0, 0x3f}},
		{volume.Int64, []float64{-2}, []byte{0xfe, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff}},
	} {
		im := &volume.Image{Type: tc.t, Data: tc.data}
		want := sha1.Sum(tc.raw)
		if got := RawHash(im); got != hex.EncodeToString(want[:]) {
			t.Errorf("%v: hash %s, want %x", tc.t, got, want)
		}
	}
}
