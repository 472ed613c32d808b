package imageio

import (
	"bytes"
	"compress/gzip"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/spinerad/spinerad/internal/volume"
)

func gz(b []byte) []byte {
	var o bytes.Buffer
	w := gzip.NewWriter(&o)
	w.Write(b)
	w.Close()
	return o.Bytes()
}

func seq(n int) []float64 {
	v := make([]float64, n)
	for i := range v {
		v[i] = float64(i)
	}
	return v
}

const lps3 = "space: left-posterior-superior\nspace directions: (2,0,0) (0,3,0) (0,0,4)\nspace origin: (10,20,30)\n"

var lps3Geom = volume.Geometry{Size: [3]int{3, 2, 2}, Spacing: [3]float64{2, 3, 4}, Origin: [3]float64{10, 20, 30}, Direction: volume.Identity}

func TestNRRDEncodings(t *testing.T) {
	bz, _ := hex.DecodeString("425a683931415926535952776ba400000040007ff820002201a06840d0340b3c48abcde3e2ee48a70a120a4eed7480")
	le16 := []byte{}
	be16 := []byte{}
	for i := 0; i < 12; i++ {
		le16 = append(le16, byte(i), 0)
		be16 = append(be16, 0, byte(i))
	}
	hdr := func(typ, extra string) string {
		return "NRRD0004\n# comment\ntype: " + typ + "\ndimension: 3\nsizes: 3 2 2\n" + lps3 + extra
	}
	for _, tc := range []struct {
		name string
		file []byte
		typ  volume.PixelType
		want []float64
		geom volume.Geometry
	}{
		{"raw le signed short", append([]byte(hdr("signed short", "endian: little\nencoding: raw\n\n")), le16...), volume.Int16, seq(12), lps3Geom},
		{"raw be ushort", append([]byte(hdr("ushort", "endian: big\nencoding: raw\n\n")), be16...), volume.UInt16, seq(12), lps3Geom},
		{"ascii float", []byte(hdr("float", "encoding: ascii\n\n") + "0 1 2\n3,4,5\n6 7 8 9 10 11\n"), volume.Float32, seq(12), lps3Geom},
		{"text double", []byte(hdr("double", "encoding: text\n\n") + "0.5 1 2 3 4 5 6 7 8 9 10 11.25\n"), volume.Float64,
			[]float64{0.5, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11.25}, lps3Geom},
		{"hex uchar", []byte(hdr("uchar", "encoding: hex\n\n") + "000102030405\n06 07 08 09 0a 0B\n"), volume.UInt8, seq(12), lps3Geom},
		{"bzip2 uint8", append([]byte(hdr("uint8", "encoding: bzip2\n\n")), bz...), volume.UInt8, seq(12), lps3Geom},
		{"gz with byte skip on decompressed data", append([]byte(hdr("int16", "endian: little\nencoding: gz\nbyte skip: 4\n\n")),
			gz(append([]byte{9, 9, 9, 9}, le16...))...), volume.Int16, seq(12), lps3Geom},
		{"raw byte skip -1", append([]byte(hdr("short", "endian: little\nencoding: raw\nbyte skip: -1\n\n")),
			append([]byte("junk"), le16...)...), volume.Int16, seq(12), lps3Geom},
		{"raw byte skip -3 (2 trailing bytes)", append([]byte(hdr("short", "endian: little\nencoding: raw\nbyte skip: -3\n\n")),
			append(append([]byte("junk"), le16...), 7, 7)...), volume.Int16, seq(12), lps3Geom},
		{"line skip", append([]byte(hdr("int8", "encoding: raw\nline skip: 2\n\n")+"a\nb b\n"),
			[]byte{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}...), volume.Int8, seq(12), lps3Geom},
		{"RAS space flips x and y", append([]byte("NRRD0005\ntype: uint8\ndimension: 3\nsizes: 3 2 2\nspace: RAS\n"+
			"space directions: (2,0,0) (0,3,0) (0,0,4)\nspace origin: (10,20,30)\nencoding: raw\n\n"), bytes.Repeat([]byte{1}, 12)...),
			volume.UInt8, []float64{1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1},
			volume.Geometry{Size: [3]int{3, 2, 2}, Spacing: [3]float64{2, 3, 4}, Origin: [3]float64{-10, -20, 30},
				Direction: [3][3]float64{{-1, 0, 0}, {0, -1, 0}, {0, 0, 1}}}},
		{"no space: spacings and cell-centred axis mins", append([]byte("NRRD0001\ntype: uchar\ndimension: 3\nsizes: 3 2 2\n"+
			"spacings: 2 3 4\naxis mins: 0 10 -4\nencoding: raw\n\n"), make([]byte, 12)...), volume.UInt8, make([]float64, 12),
			volume.Geometry{Size: [3]int{3, 2, 2}, Spacing: [3]float64{2, 3, 4}, Origin: [3]float64{1, 11.5, -2}, Direction: volume.Identity}},
		{"no space: node-centred, spacing from axis maxs", append([]byte("NRRD0004\ntype: uchar\ndimension: 3\nsizes: 3 2 2\n"+
			"axis mins: 0 10 -4\naxis maxs: 4 13 0\ncenters: node node node\nspacings: NaN 3 4\nencoding: raw\n\n"), make([]byte, 12)...), volume.UInt8, make([]float64, 12),
			volume.Geometry{Size: [3]int{3, 2, 2}, Spacing: [3]float64{1, 3, 4}, Origin: [3]float64{0, 10, -4}, Direction: volume.Identity}},
		{"2D image", append([]byte("NRRD0004\ntype: uchar\ndimension: 2\nsizes: 3 4\nspace dimension: 2\n"+
			"space directions: (0.5,0) (0,0.25)\nspace origin: (1,2)\nencoding: raw\n\n"), make([]byte, 12)...), volume.UInt8, make([]float64, 12),
			volume.Geometry{Size: [3]int{3, 4, 1}, Spacing: [3]float64{0.5, 0.25, 1}, Origin: [3]float64{1, 2, 0}, Direction: volume.Identity}},
		{"size-1 component axis", append([]byte("NRRD0004\ntype: uchar\ndimension: 4\nsizes: 1 3 2 2\nkinds: list domain domain domain\n"+
			"space: LPS\nspace directions: none (2,0,0) (0,3,0) (0,0,4)\nspace origin: (10,20,30)\nencoding: raw\n\n"), make([]byte, 12)...),
			volume.UInt8, make([]float64, 12), lps3Geom},
	} {
		im, err := DecodeNRRD(bytes.NewReader(tc.file), "")
		if err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		if im.Type != tc.typ {
			t.Errorf("%s: type %v, want %v", tc.name, im.Type, tc.typ)
		}
		sameGeometry(t, tc.name, im.Geometry, tc.geom)
		sameData(t, tc.name, im, &volume.Image{Type: tc.typ, Data: tc.want})
	}
}

func TestNRRDTypeAliases(t *testing.T) {
	for alias, want := range map[string]volume.PixelType{
		"signed char": volume.Int8, "int8_t": volume.Int8, "uchar": volume.UInt8, "unsigned char": volume.UInt8,
		"short": volume.Int16, "short int": volume.Int16, "signed short int": volume.Int16, "int16": volume.Int16,
		"ushort": volume.UInt16, "unsigned short int": volume.UInt16, "int": volume.Int32, "signed int": volume.Int32,
		"uint": volume.UInt32, "unsigned int": volume.UInt32, "long long": volume.Int64, "longlong": volume.Int64,
		"signed long long int": volume.Int64, "unsigned long long": volume.UInt64, "uint64_t": volume.UInt64,
		"float": volume.Float32, "double": volume.Float64, "Unsigned  Short": volume.UInt16,
	} {
		n := typeBytes(want) * 12
		file := append([]byte("NRRD0004\ntype: "+alias+"\ndimension: 3\nsizes: 3 2 2\nendian: little\nencoding: raw\n\n"), make([]byte, n)...)
		im, err := DecodeNRRD(bytes.NewReader(file), "")
		if err != nil {
			t.Errorf("%q: %v", alias, err)
			continue
		}
		if im.Type != want {
			t.Errorf("%q: type %v, want %v", alias, im.Type, want)
		}
	}
}

func TestNRRDDetached(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, b []byte) {
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	le16 := func(from, n int) []byte {
		var b []byte
		for i := from; i < from+n; i++ {
			b = append(b, byte(i), 0)
		}
		return b
	}
	base := "NRRD0004\ntype: short\ndimension: 3\nsizes: 3 2 2\n" + lps3 + "endian: little\n"
	write("single.raw", le16(0, 12))
	write("single.nhdr", []byte(base+"encoding: raw\ndata file: single.raw\n"))
	write("skip.raw.gz", gz(append([]byte("two\nlines\n"), le16(0, 12)...)))
	write("skip.raw", append([]byte("two\nlines\n"), le16(0, 12)...))
	write("lineskip.nhdr", []byte(base+"encoding: raw\nline skip: 2\ndata file: ./skip.raw\n"))
	write("slice1.raw.gz", gz(le16(0, 6)))
	write("slice2.raw.gz", gz(le16(6, 6)))
	write("list.nhdr", []byte(base+"encoding: gzip\ndata file: LIST\nslice1.raw.gz\nslice2.raw.gz\n"))
	write("slice_03.raw", le16(0, 6))
	write("slice_05.raw", le16(6, 6))
	write("pattern.nhdr", []byte(base+"encoding: raw\ndata file: slice_%02d.raw 3 5 2 2\n"))
	write("PATTERN2.NHDR", []byte("NRRD0004\ndata file: slice_%02d.raw 5 3 -2\ntype: short\ndimension: 3\nsizes: 3 2 2\n"+lps3+"endian: little\nencoding: raw\n"))
	for _, name := range []string{"single.nhdr", "lineskip.nhdr", "list.nhdr", "pattern.nhdr"} {
		im, err := Read(filepath.Join(dir, name))
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		sameGeometry(t, name, im.Geometry, lps3Geom)
		sameData(t, name, im, &volume.Image{Type: volume.Int16, Data: seq(12)})
	}
	// Reversed file order.
	im, err := Read(filepath.Join(dir, "PATTERN2.NHDR"))
	if err != nil {
		t.Fatal(err)
	}
	want := append(seq(12)[6:], seq(6)...)
	sameData(t, "reversed pattern", im, &volume.Image{Type: volume.Int16, Data: want})
	// From memory without a directory: a clear error.
	b, _ := os.ReadFile(filepath.Join(dir, "single.nhdr"))
	if _, err := DecodeNRRD(bytes.NewReader(b), ""); err == nil || !strings.Contains(err.Error(), "detached") {
		t.Errorf("detached header without directory: %v", err)
	}
}
