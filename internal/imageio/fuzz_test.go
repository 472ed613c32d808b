package imageio

import (
	"bytes"
	"math"
	"testing"

	"github.com/spinerad/spinerad/internal/volume"
)

// checkDecoded asserts the invariants every successfully decoded image must
// satisfy.
func checkDecoded(t *testing.T, im *volume.Image) {
	if im.Size[0] <= 0 || im.Size[1] <= 0 || im.Size[2] <= 0 || len(im.Data) != im.NumVoxels() {
		t.Fatalf("size %v with %d values", im.Size, len(im.Data))
	}
	for a := 0; a < 3; a++ {
		if !(im.Spacing[a] > 0) || math.IsInf(im.Spacing[a], 0) || math.IsNaN(im.Origin[a]) || math.IsInf(im.Origin[a], 0) {
			t.Fatalf("bad geometry %+v", im.Geometry)
		}
	}
	if im.Type.IsInteger() {
		for i, v := range im.Data {
			if im.Type.Cast(v) != v && !(im.Type == volume.Int64 || im.Type == volume.UInt64) {
				t.Fatalf("voxel %d = %v not representable as %v", i, v, im.Type)
			}
		}
	}
}

func FuzzDecodeNIfTI(f *testing.F) {
	for i, pt := range allTypes {
		im := randomImage(pt, [3]int{3, 2, 2}, int64(i))
		var b bytes.Buffer
		if err := encodeNIfTI(&b, im, 1+i%2, i%3 == 0); err != nil {
			f.Fatal(err)
		}
		f.Add(b.Bytes())
		if i%4 == 0 {
			f.Add(gz(b.Bytes()))
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		im, err := DecodeNIfTI(bytes.NewReader(data))
		if err != nil {
			if im != nil {
				t.Fatal("image returned with an error")
			}
			return
		}
		checkDecoded(t, im)
	})
}

func FuzzDecodeNRRD(f *testing.F) {
	for i, pt := range []volume.PixelType{volume.UInt8, volume.Int16, volume.Float32, volume.Float64, volume.Int64} {
		im := randomImage(pt, [3]int{3, 2, 2}, int64(i))
		var b bytes.Buffer
		if err := EncodeNRRD(&b, im); err != nil {
			f.Fatal(err)
		}
		f.Add(b.Bytes())
	}
	f.Add([]byte("NRRD0004\ntype: short\ndimension: 3\nsizes: 2 1 1\nspace: RAS\nspace directions: (1,0,0) (0,1,0) (0,0,1)\nspace origin: (1,2,3)\nendian: big\nencoding: raw\nbyte skip: -1\n\nxx\x00\x01\x00\x02"))
	f.Add([]byte("NRRD0001\ntype: float\ndimension: 2\nsizes: 2 2\nspacings: 1 2\naxis mins: 0 0\ncenters: node cell\nencoding: ascii\n\n1 2 3 4\n"))
	f.Add([]byte("NRRD0005\ntype: uchar\ndimension: 4\nsizes: 1 2 1 1\nkinds: list domain domain domain\nencoding: hex\nline skip: 1\n\nskip me\n0a0b\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		im, err := DecodeNRRD(bytes.NewReader(data), "")
		if err != nil {
			if im != nil {
				t.Fatal("image returned with an error")
			}
			return
		}
		checkDecoded(t, im)
	})
}
