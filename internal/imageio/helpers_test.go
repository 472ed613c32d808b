package imageio

import (
	"bytes"
	"encoding/binary"
	"math"
	"math/rand"
	"testing"

	"github.com/spinerad/spinerad/internal/volume"
)

var allTypes = []volume.PixelType{volume.Int8, volume.UInt8, volume.Int16, volume.UInt16, volume.Int32,
	volume.UInt32, volume.Int64, volume.UInt64, volume.Float32, volume.Float64}

// testGeometry has float32-exact spacing and origin, so that it survives
// NIfTI-1's float32 fields exactly.
func testGeometry(size [3]int) volume.Geometry {
	return volume.Geometry{
		Size:      size,
		Spacing:   [3]float64{0.75, 1.25, 3},
		Origin:    [3]float64{-120.5, 33.25, -7.125},
		Direction: volume.Identity,
	}
}

// randomImage fills an image with seeded values covering the type's range,
// including its extremes.
func randomImage(t volume.PixelType, size [3]int, seed int64) *volume.Image {
	im := volume.New(testGeometry(size), t)
	rng := rand.New(rand.NewSource(seed))
	lo, hi := t.Range()
	for i := range im.Data {
		var v float64
		switch t {
		case volume.Float32:
			v = float64(float32(rng.NormFloat64() * 1000))
		case volume.Float64:
			v = rng.NormFloat64() * 1e6
		case volume.Int64:
			v = float64(rng.Int63n(1<<53) - 1<<52)
		case volume.UInt64:
			v = float64(rng.Int63n(1 << 53))
		default:
			v = math.Floor(lo + rng.Float64()*(hi-lo+1))
			if v > hi {
				v = hi
			}
		}
		im.Data[i] = v
	}
	if t.IsInteger() && t != volume.Int64 && t != volume.UInt64 {
		im.Data[0], im.Data[1] = lo, hi
	}
	return im
}

func encodeBytes(t *testing.T, im *volume.Image, enc func(*bytes.Buffer, *volume.Image) error) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := enc(&b, im); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func niftiBytes(t *testing.T, im *volume.Image, version int, bigEndian bool) []byte {
	return encodeBytes(t, im, func(b *bytes.Buffer, im *volume.Image) error { return encodeNIfTI(b, im, version, bigEndian) })
}

// Header patch helpers for little-endian NIfTI-1 bytes.
func put16(b []byte, off int, v int16) { binary.LittleEndian.PutUint16(b[off:], uint16(v)) }
func putF32(b []byte, off int, v float32) {
	binary.LittleEndian.PutUint32(b[off:], math.Float32bits(v))
}

func sameGeometry(t *testing.T, what string, got, want volume.Geometry) {
	t.Helper()
	if got.Size != want.Size || got.Spacing != want.Spacing || got.Origin != want.Origin || got.Direction != want.Direction {
		t.Errorf("%s: geometry\n got  %+v\n want %+v", what, got, want)
	}
}

func sameData(t *testing.T, what string, got, want *volume.Image) {
	t.Helper()
	if got.Type != want.Type {
		t.Errorf("%s: type %v, want %v", what, got.Type, want.Type)
	}
	if len(got.Data) != len(want.Data) {
		t.Fatalf("%s: %d values, want %d", what, len(got.Data), len(want.Data))
	}
	for i := range got.Data {
		if got.Data[i] != want.Data[i] && !(math.IsNaN(got.Data[i]) && math.IsNaN(want.Data[i])) {
			t.Fatalf("%s: voxel %d = %v, want %v", what, i, got.Data[i], want.Data[i])
		}
	}
}
