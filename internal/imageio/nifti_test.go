package imageio

import (
	"bytes"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/spinerad/spinerad/internal/volume"
)

// NIfTI-1 header offsets used by the patches below.
const (
	offDim      = 40
	offDatatype = 70
	offBitpix   = 72
	offPixdim   = 76
	offVoxOff   = 108
	offSlope    = 112
	offInter    = 116
	offUnits    = 123
	offQCode    = 252
	offSCode    = 254
	offQuatern  = 256
	offQOffset  = 268
	offSrow     = 280
	offMagic    = 344
)

func smallImage(t volume.PixelType, vals ...float64) *volume.Image {
	im := volume.New(testGeometry([3]int{len(vals), 1, 1}), t)
	copy(im.Data, vals)
	return im
}

func decodeNIfTIBytes(t *testing.T, b []byte) *volume.Image {
	t.Helper()
	im, err := DecodeNIfTI(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	return im
}

func TestNIfTIScaling(t *testing.T) {
	for _, tc := range []struct {
		name         string
		typ          volume.PixelType
		in           []float64
		slope, inter float32
		wantType     volume.PixelType
		want         []float64
	}{
		{"int16 slope 2 inter 1.5", volume.Int16, []float64{0, 1, -3, 100}, 2, 1.5, volume.Float32, []float64{1.5, 3.5, -4.5, 201.5}},
		{"uint8 slope 0.1f inter -0.25", volume.UInt8, []float64{3, 0, 255}, 0.1, -0.25, volume.Float32,
			[]float64{0.05000000447034836, -0.25, float64(float32(float64(float32(0.1))*255 - 0.25))}},
		{"int16 slope 0.1f", volume.Int16, []float64{3, -7, 1000}, 0.1, -0.25, volume.Float32,
			[]float64{0.05000000447034836, -0.949999988079071, 99.75}},
		{"float32 slope 1 inter 0 untouched", volume.Float32, []float64{-1000, 0, 3071, 17}, 1, 0, volume.Float32, []float64{-1000, 0, 3071, 17}},
		{"float32 slope 2", volume.Float32, []float64{0.5, -3}, 2, 0, volume.Float32, []float64{1, -6}},
		{"float64 keeps type", volume.Float64, []float64{0.1, 2}, 3, 1, volume.Float64, []float64{0.1*3 + 1, 7}},
		{"uint8 slope 1 inter 0 keeps type", volume.UInt8, []float64{7, 200}, 1, 0, volume.UInt8, []float64{7, 200}},
		{"slope 0 means 1, no intercept", volume.Int16, []float64{7, -2}, 0, 0, volume.Int16, []float64{7, -2}},
		// ITK 5.2: a zero slope becomes 1 but a non-zero intercept is still applied.
		{"slope 0 with intercept (ITK)", volume.Int16, []float64{7, -2}, 0, 5, volume.Float32, []float64{12, 3}},
		{"NaN slope is 0", volume.Int32, []float64{7}, float32(math.NaN()), 0, volume.Int32, []float64{7}},
	} {
		b := niftiBytes(t, smallImage(tc.typ, tc.in...), 1, false)
		putF32(b, offSlope, tc.slope)
		putF32(b, offInter, tc.inter)
		im := decodeNIfTIBytes(t, b)
		if im.Type != tc.wantType {
			t.Errorf("%s: type %v, want %v", tc.name, im.Type, tc.wantType)
		}
		for i, w := range tc.want {
			if im.Data[i] != w {
				t.Errorf("%s: value %d = %v, want %v", tc.name, i, im.Data[i], w)
			}
		}
	}
}

func TestNIfTIOrientation(t *testing.T) {
	base := func() []byte {
		im := randomImage(volume.Int16, [3]int{3, 2, 2}, 3)
		return niftiBytes(t, im, 1, false)
	}
	setSrow := func(b []byte, rows [3][4]float32) {
		for i := 0; i < 3; i++ {
			for k := 0; k < 4; k++ {
				putF32(b, offSrow+16*i+4*k, rows[i][k])
			}
		}
	}
	setQ := func(b []byte, q [6]float32) {
		for i, v := range q {
			putF32(b, offQuatern+4*i, v)
		}
	}
	// Spacing of testGeometry is (0.75, 1.25, 3).
	shifted := [3][4]float32{{-0.75, 0, 0, 10}, {0, -1.25, 0, 20}, {0, 0, 3, 30}}
	for _, tc := range []struct {
		name   string
		patch  func([]byte)
		origin [3]float64
		dir    [3][3]float64
		tol    float64
	}{
		{"no qform, no sform", func(b []byte) { put16(b, offQCode, 0); put16(b, offSCode, 0) },
			[3]float64{}, volume.Identity, 0},
		{"sform only (aligned)", func(b []byte) { put16(b, offQCode, 0); put16(b, offSCode, 2); setSrow(b, shifted) },
			[3]float64{-10, -20, 30}, volume.Identity, 0},
		{"sform scanner wins over different qform", func(b []byte) { put16(b, offSCode, 1); setSrow(b, shifted) },
			[3]float64{-10, -20, 30}, volume.Identity, 0},
		{"qform wins over different aligned sform", func(b []byte) { put16(b, offSCode, 2); setSrow(b, shifted) },
			[3]float64{-120.5, 33.25, -7.125}, volume.Identity, 0},
		{"qform only, qfac -1", func(b []byte) {
			put16(b, offSCode, 0)
			setQ(b, [6]float32{0, 0, 1, 1, 2, 3})
			putF32(b, offPixdim, -1)
		}, [3]float64{-1, -2, 3}, [3][3]float64{{1, 0, 0}, {0, 1, 0}, {0, 0, -1}}, 0},
		{"qform only, 90 degrees about z", func(b []byte) {
			put16(b, offSCode, 0)
			setQ(b, [6]float32{0, 0, float32(math.Sqrt(0.5)), 0, 0, 0})
		}, [3]float64{}, [3][3]float64{{0, 1, 0}, {-1, 0, 0}, {0, 0, 1}}, 1e-7},
		{"sform not orthonormal, no qform", func(b []byte) {
			put16(b, offQCode, 0)
			put16(b, offSCode, 2)
			setSrow(b, [3][4]float32{{-0.75, 0.5, 0, 0}, {0, -1.25, 0, 0}, {0, 0, 3, 0}})
		}, [3]float64{}, volume.Identity, -1},
	} {
		b := base()
		tc.patch(b)
		im, err := DecodeNIfTI(bytes.NewReader(b))
		if tc.tol < 0 {
			if err == nil || !strings.Contains(err.Error(), "orthonormal") {
				t.Errorf("%s: error %v, want an orthonormal-direction error", tc.name, err)
			}
			continue
		}
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if im.Origin != tc.origin {
			t.Errorf("%s: origin %v, want %v", tc.name, im.Origin, tc.origin)
		}
		for i := 0; i < 3; i++ {
			for k := 0; k < 3; k++ {
				if math.Abs(im.Direction[i][k]-tc.dir[i][k]) > tc.tol {
					t.Errorf("%s: direction %v, want %v", tc.name, im.Direction, tc.dir)
				}
			}
		}
		if im.Spacing != [3]float64{0.75, 1.25, 3} {
			t.Errorf("%s: spacing %v", tc.name, im.Spacing)
		}
	}
}

func TestNIfTIDimsAndUnits(t *testing.T) {
	im := randomImage(volume.UInt16, [3]int{3, 2, 1}, 4)
	// Units: metre scales the spacing only.
	b := niftiBytes(t, im, 1, false)
	b[offUnits] = 1
	got := decodeNIfTIBytes(t, b)
	if got.Spacing != [3]float64{750, 1250, 3000} || got.Origin != im.Origin {
		t.Errorf("metre units: spacing %v origin %v", got.Spacing, got.Origin)
	}
	// Zero pixdim becomes 1.
	b = niftiBytes(t, im, 1, false)
	putF32(b, offPixdim+8, 0)
	put16(b, offQCode, 0)
	put16(b, offSCode, 0)
	if got := decodeNIfTIBytes(t, b); got.Spacing != [3]float64{0.75, 1, 3} {
		t.Errorf("zero pixdim: spacing %v", got.Spacing)
	}
	// dim[0] = 4 with a unit fourth dimension is 3D.
	b = niftiBytes(t, im, 1, false)
	put16(b, offDim, 4)
	if got := decodeNIfTIBytes(t, b); got.Size != [3]int{3, 2, 1} {
		t.Errorf("4D with t=1: size %v", got.Size)
	}
	// dim[0] = 2: a 2D image gets z spacing 1 and origin z 0, as ITK's
	// reader pads a 2D file.
	b = niftiBytes(t, im, 1, false)
	put16(b, offDim, 2)
	got = decodeNIfTIBytes(t, b)
	if got.Size != [3]int{3, 2, 1} || got.Spacing != [3]float64{0.75, 1.25, 1} || got.Origin != [3]float64{-120.5, 33.25, 0} {
		t.Errorf("2D: size %v spacing %v origin %v", got.Size, got.Spacing, got.Origin)
	}
	sameData(t, "2D", got, im)
}

func TestNIfTIPair(t *testing.T) {
	dir := t.TempDir()
	im := randomImage(volume.Int16, [3]int{4, 3, 2}, 8)
	b := niftiBytes(t, im, 1, false)
	copy(b[offMagic:], "ni1\x00")
	putF32(b, offVoxOff, 0)
	if err := os.WriteFile(filepath.Join(dir, "pair.hdr"), b[:348], 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "pair.img"), b[352:], 0o644); err != nil {
		t.Fatal(err)
	}
	got, err := Read(filepath.Join(dir, "pair.hdr"))
	if err != nil {
		t.Fatal(err)
	}
	sameGeometry(t, "pair", got.Geometry, im.Geometry)
	sameData(t, "pair", got, im)
}

// The qform matrix follows niftilib bit for bit on simple cases.
func TestQuaternToMat44(t *testing.T) {
	// Identity quaternion: a = 1, diagonal = voxel sizes.
	m := quaternToMat44(0, 0, 0, 1, 2, 3, 0.75, 1.25, 3, 1, true)
	want := mat44{{0.75, 0, 0, 1}, {0, 1.25, 0, 2}, {0, 0, 3, 3}, {0, 0, 0, 1}}
	if m != want {
		t.Errorf("identity: %v", m)
	}
	// (0,0,1): 180 degrees about z, the special a = 0 branch.
	m = quaternToMat44(0, 0, 1, 0, 0, 0, 2, 2, 2, -1, true)
	want = mat44{{-2, 0, 0, 0}, {0, -2, 0, 0}, {0, 0, -2, 0}, {0, 0, 0, 1}}
	if m != want {
		t.Errorf("180 about z, qfac -1: %v", m)
	}
}
