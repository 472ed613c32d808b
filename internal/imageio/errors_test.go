package imageio

import (
	"bytes"
	"encoding/hex"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/spinerad/spinerad/internal/volume"
)

func TestReadErrors(t *testing.T) {
	dir := t.TempDir()
	im := randomImage(volume.Int16, [3]int{6, 5, 4}, 2)
	nii := niftiBytes(t, im, 1, false)
	patched := func(f func([]byte)) []byte {
		b := append([]byte(nil), nii...)
		f(b)
		return b
	}
	niigz := gz(nii)
	corrupt := append([]byte(nil), niigz...)
	for i := len(corrupt) / 3; i < len(corrupt)/3+20; i++ {
		corrupt[i] ^= 0x5a
	}
	var nrrd bytes.Buffer
	if err := EncodeNRRD(&nrrd, im); err != nil {
		t.Fatal(err)
	}
	nrrdHdr := func(extra string) string {
		return "NRRD0004\ntype: short\ndimension: 3\nsizes: 2 2 2\nendian: little\n" + extra
	}
	raw16 := make([]byte, 16)
	nb := nrrd.Bytes()
	hdrEnd := bytes.Index(nb, []byte("\n\n")) + 2
	nrrdCorrupt := append([]byte(nil), nb...)
	for i := hdrEnd + 20; i < hdrEnd+40 && i < len(nrrdCorrupt); i++ {
		nrrdCorrupt[i] ^= 0xa5
	}
	for _, tc := range []struct {
		name, file string
		data       []byte
		want       string // substring of the error (besides the path)
	}{
		{"unknown extension", "x.mha", []byte("x"), "unknown image format"},
		{"empty nifti", "empty.nii", nil, "truncated"},
		{"truncated header", "th.nii", nii[:200], "truncated"},
		{"truncated data", "td.nii", nii[:len(nii)-10], "truncated"},
		{"truncated gzip", "tg.nii.gz", niigz[:len(niigz)/2], "truncated"},
		{"corrupt gzip", "cg.nii.gz", corrupt, "gzip"},
		{"not gzip at all", "ng.nii.gz", []byte("hello world, this is not a NIfTI file at all........"), "truncated"},
		{"bad sizeof_hdr", "bm.nii", patched(func(b []byte) { b[0] = 7 }), "bad magic"},
		{"bad magic string", "bm2.nii", patched(func(b []byte) { copy(b[344:], "abc\x00") }), "bad magic"},
		{"RGB datatype", "rgb.nii", patched(func(b []byte) { put16(b, offDatatype, 128) }), "unsupported datatype 128 (RGB24)"},
		{"complex datatype", "cx.nii", patched(func(b []byte) { put16(b, offDatatype, 32) }), "complex64"},
		{"unknown datatype", "ux.nii", patched(func(b []byte) { put16(b, offDatatype, 3) }), "unsupported datatype 3"},
		{"data smaller than dims", "mm.nii", patched(func(b []byte) { put16(b, offDim+6, 40) }), "truncated"},
		{"zero dimension", "z.nii", patched(func(b []byte) { put16(b, offDim+4, 0) }), "must be positive"},
		{"negative dimension", "n.nii", patched(func(b []byte) { put16(b, offDim+2, -5) }), "must be positive"},
		{"bad dim[0]", "d0.nii", patched(func(b []byte) { put16(b, offDim, 9) }), "dim[0]"},
		{"4D", "4d.nii", patched(func(b []byte) { put16(b, offDim, 4); put16(b, offDim+8, 3) }), "only 3D"},
		{"absurd size", "abs.nii", patched(func(b []byte) {
			put16(b, offDim+2, 32767)
			put16(b, offDim+4, 32767)
			put16(b, offDim+6, 32767)
		}), "voxels"},
		{"huge claim in tiny gzip", "huge.nii.gz", gz(patched(func(b []byte) {
			put16(b, offDim+2, 1000)
			put16(b, offDim+4, 1000)
			put16(b, offDim+6, 1000)
		})), "cannot hold"},
		{"vox_offset beyond end", "vo.nii", patched(func(b []byte) { putF32(b, offVoxOff, 1e6) }), "vox_offset"},
		{"negative pixdim", "np.nii", patched(func(b []byte) { putF32(b, offPixdim+4, -1) }), "negative pixdim"},
		{"hdr pair without img", "lonely.hdr", patched(func(b []byte) { copy(b[344:], "ni1\x00") })[:348], "data file"},
		{"nrrd bad magic", "bm.nrrd", []byte("NRRD0009\ntype: short\n\n"), "bad magic"},
		{"nrrd not nrrd", "png.nrrd", []byte("\x89PNG\r\n\x1a\n"), "bad magic"},
		{"nrrd empty", "e.nrrd", nil, "bad magic"},
		{"nrrd header without end", "he.nrrd", []byte(nrrdHdr("encoding: raw\n")), "truncated"},
		{"nrrd truncated raw", "tr.nrrd", append([]byte(nrrdHdr("encoding: raw\n\n")), raw16[:9]...), "truncated"},
		{"nrrd truncated gzip", "tgz.nrrd", nb[:len(nb)-40], "truncated"},
		{"nrrd corrupt gzip", "cgz.nrrd", nrrdCorrupt, "gzip"},
		{"nrrd huge claim in tiny gzip", "hg.nrrd", append([]byte("NRRD0004\ntype: short\ndimension: 3\nsizes: 1000 1000 1000\nendian: little\nencoding: gzip\n\n"), gz(raw16)...), "cannot hold"},
		{"nrrd block type", "bl.nrrd", []byte("NRRD0004\ntype: block\ndimension: 3\nsizes: 2 2 2\nencoding: raw\n\n"), "block"},
		{"nrrd unknown type", "ut.nrrd", []byte("NRRD0004\ntype: complex\ndimension: 3\nsizes: 2 2 2\nencoding: raw\n\n"), "unsupported type"},
		{"nrrd missing endian", "me.nrrd", append([]byte("NRRD0004\ntype: short\ndimension: 3\nsizes: 2 2 2\nencoding: raw\n\n"), raw16...), "endian"},
		{"nrrd zero size", "zs.nrrd", append([]byte(nrrdHdr("encoding: raw\n\n")[:0]+"NRRD0004\ntype: short\ndimension: 3\nsizes: 2 0 2\nendian: little\nencoding: raw\n\n"), raw16...), "non-positive"},
		{"nrrd negative size", "ns.nrrd", []byte("NRRD0004\ntype: short\ndimension: 3\nsizes: 2 -2 2\nendian: little\nencoding: raw\n\n"), "non-positive"},
		{"nrrd absurd size", "as.nrrd", []byte("NRRD0004\ntype: short\ndimension: 3\nsizes: 100000 100000 100000\nendian: little\nencoding: raw\n\n"), "voxels"},
		{"nrrd overflow size", "os.nrrd", []byte("NRRD0004\ntype: short\ndimension: 3\nsizes: 9223372036854775807 4 4\nendian: little\nencoding: raw\n\n"), "voxels"},
		{"nrrd vector", "vec.nrrd", []byte("NRRD0004\ntype: float\ndimension: 4\nsizes: 3 2 2 2\nkinds: vector domain domain domain\nendian: little\nencoding: raw\n\n"), "vector"},
		{"nrrd 4D", "4d.nrrd", []byte("NRRD0004\ntype: float\ndimension: 4\nsizes: 2 2 2 2\nendian: little\nencoding: raw\n\n"), "only 3D"},
		{"nrrd unknown field", "uf.nrrd", []byte(nrrdHdr("colour: blue\nencoding: raw\n\n")), "unknown header field"},
		{"nrrd bad direction count", "dc.nrrd", []byte(nrrdHdr("space: LPS\nspace directions: (1,0,0) (0,1,0)\nencoding: raw\n\n")), "space directions"},
		{"nrrd bad vector", "bv.nrrd", []byte(nrrdHdr("space: LPS\nspace directions: (1,0,0) (0,1) (0,0,1)\nencoding: raw\n\n")), "components"},
		{"nrrd missing data file", "md.nhdr", []byte(nrrdHdr("encoding: raw\ndata file: nothere.raw\n")), "nothere.raw"},
		{"nrrd bad encoding", "be.nrrd", []byte(nrrdHdr("encoding: zstd\n\n")), "unsupported encoding"},
		{"nrrd corrupt bzip2", "bz.nrrd", append([]byte(nrrdHdr("encoding: bzip2\n\n")), badBzip2()...), "bzip2"},
		{"nrrd bad ascii", "ba.nrrd", []byte("NRRD0004\ntype: short\ndimension: 3\nsizes: 2 1 1\nencoding: ascii\n\n1 x\n"), "bad number"},
		{"nrrd ascii out of range", "ar.nrrd", []byte("NRRD0004\ntype: uchar\ndimension: 3\nsizes: 2 1 1\nencoding: ascii\n\n1 300\n"), "does not fit"},
		{"nrrd short ascii", "sa.nrrd", []byte("NRRD0004\ntype: uchar\ndimension: 3\nsizes: 2 1 1\nencoding: ascii\n\n1\n"), "truncated"},
		{"nrrd zero direction", "zd.nrrd", []byte(nrrdHdr("space: LPS\nspace directions: (0,0,0) (0,1,0) (0,0,1)\nencoding: raw\n\n")), "zero space direction"},
	} {
		p := filepath.Join(dir, tc.file)
		if err := os.WriteFile(p, tc.data, 0o644); err != nil {
			t.Fatal(err)
		}
		_, err := Read(p)
		if err == nil {
			t.Errorf("%s: no error", tc.name)
			continue
		}
		msg := err.Error()
		if !strings.HasPrefix(msg, p+": ") {
			t.Errorf("%s: error %q does not start with the file name", tc.name, msg)
		}
		if !strings.Contains(msg, tc.want) {
			t.Errorf("%s: error %q does not mention %q", tc.name, msg, tc.want)
		}
	}
	if _, err := Read(filepath.Join(dir, "missing.nii")); err == nil || !strings.Contains(err.Error(), "missing.nii") {
		t.Errorf("missing file: %v", err)
	}
}

// A tiny file that claims a huge image must fail without a huge allocation.
func TestHugeClaimAllocatesLittle(t *testing.T) {
	im := randomImage(volume.Int16, [3]int{2, 2, 2}, 1)
	b := niftiBytes(t, im, 1, false)
	put16(b, offDim+2, 1000)
	put16(b, offDim+4, 1000)
	put16(b, offDim+6, 1000)
	for _, tc := range []struct {
		name string
		r    func() *bytes.Reader
		dec  func(*bytes.Reader) error
	}{
		{"nifti gz", func() *bytes.Reader { return bytes.NewReader(gz(b)) }, func(r *bytes.Reader) error { _, err := DecodeNIfTI(r); return err }},
		{"nifti raw", func() *bytes.Reader { return bytes.NewReader(b) }, func(r *bytes.Reader) error { _, err := DecodeNIfTI(r); return err }},
		{"nrrd gz", func() *bytes.Reader {
			return bytes.NewReader(append([]byte("NRRD0004\ntype: short\ndimension: 3\nsizes: 1000 1000 1000\nendian: little\nencoding: gzip\n\n"), gz(make([]byte, 4000))...))
		}, func(r *bytes.Reader) error { _, err := DecodeNRRD(r, ""); return err }},
		{"nrrd gz via plain reader", func() *bytes.Reader {
			return bytes.NewReader(append([]byte("NRRD0004\ntype: short\ndimension: 3\nsizes: 1000 1000 1000\nendian: little\nencoding: gzip\n\n"), gz(make([]byte, 4000))...))
		}, func(r *bytes.Reader) error { _, err := DecodeNRRD(struct{ *bytes.Reader }{r}, ""); return err }},
	} {
		r := tc.r()
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		err := tc.dec(r)
		runtime.ReadMemStats(&after)
		if err == nil {
			t.Errorf("%s: no error", tc.name)
		}
		if d := after.TotalAlloc - before.TotalAlloc; d > 100<<20 {
			t.Errorf("%s: allocated %d MB before failing", tc.name, d>>20)
		}
	}
}

// badBzip2 is a valid bzip2 stream of 12 bytes with one corrupted byte.
func badBzip2() []byte {
	b, _ := hex.DecodeString("425a683931415926535952776ba400000040007ff820002201a06840d0340b3c48abcde3e2ee48a70a120a4eed7480")
	b[20] ^= 0xff
	return b
}

// Truncation inside the pipelined reader (data larger than 4 pipe chunks).
func TestTruncatedLargeData(t *testing.T) {
	dir := t.TempDir()
	im := randomImage(volume.Int16, [3]int{128, 128, 40}, 6)
	b := niftiBytes(t, im, 1, false)
	for name, data := range map[string][]byte{
		"big.nii":    b[:len(b)-1000],
		"big.nii.gz": gz(b)[:len(gz(b))*3/4],
		"ok.nii.gz":  gz(b),
	} {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		got, err := Read(p)
		if name == "ok.nii.gz" {
			if err != nil {
				t.Fatal(err)
			}
			sameData(t, name, got, im)
			continue
		}
		if err == nil || !strings.Contains(err.Error(), "truncated") || !strings.Contains(err.Error(), p) {
			t.Errorf("%s: error %v", name, err)
		}
	}
}
