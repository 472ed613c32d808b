package imageio

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/spinerad/spinerad/internal/volume"
)

// cstr returns the NUL-terminated string in b.
func cstr(b []byte) string {
	if i := bytes.IndexByte(b, 0); i >= 0 {
		return string(b[:i])
	}
	return string(b)
}

// TestWriteWithOptionsZeroIsWrite checks that the zero WriteOptions write
// exactly Write's bytes in every format.
func TestWriteWithOptionsZeroIsWrite(t *testing.T) {
	dir := t.TempDir()
	im := randomImage(volume.Int16, [3]int{6, 5, 4}, 3)
	for _, ext := range []string{".nii", ".nii.gz", ".nrrd"} {
		a, b := filepath.Join(dir, "a"+ext), filepath.Join(dir, "b"+ext)
		if err := Write(a, im); err != nil {
			t.Fatal(err)
		}
		if err := WriteWithOptions(b, im, WriteOptions{}); err != nil {
			t.Fatal(err)
		}
		ba, _ := os.ReadFile(a)
		bb, _ := os.ReadFile(b)
		if !bytes.Equal(ba, bb) {
			t.Errorf("%s: WriteWithOptions(zero) differs from Write", ext)
		}
	}
}

// TestWriteWithOptionsHeader checks the header fields at the offsets of the
// NIfTI-1 and NIfTI-2 standards (nifti1.h / nifti2.h) and the NRRD fields,
// and that the images still read back unchanged.
func TestWriteWithOptionsHeader(t *testing.T) {
	opt := WriteOptions{
		Description: "SYNTHETIC spinerad synth v1 seed=20261127 SYN001 - NOT PATIENT DATA",
		AuxFile:     "SYNTHETIC",
		IntentName:  "synthetic",
	}
	im := randomImage(volume.UInt8, [3]int{5, 4, 3}, 9)
	dir := t.TempDir()
	p := filepath.Join(dir, "x.nii")
	if err := WriteWithOptions(p, im, opt); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(p)
	tests := []struct {
		name      string
		got, want string
	}{
		{"nifti1 descrip@148", cstr(b[148:228]), opt.Description},
		{"nifti1 aux_file@228", cstr(b[228:252]), opt.AuxFile},
		{"nifti1 intent_name@328", cstr(b[328:344]), opt.IntentName},
		{"nifti1 magic@344", cstr(b[344:348]), "n+1"},
	}
	// NIfTI-2 (the variant encoder; both byte orders put strings alike).
	var b2 bytes.Buffer
	if err := encodeNIfTIOpt(&b2, im, 2, true, &opt); err != nil {
		t.Fatal(err)
	}
	h2 := b2.Bytes()
	tests = append(tests,
		struct{ name, got, want string }{"nifti2 descrip@240", cstr(h2[240:320]), opt.Description},
		struct{ name, got, want string }{"nifti2 aux_file@320", cstr(h2[320:344]), opt.AuxFile},
		struct{ name, got, want string }{"nifti2 intent_name@508", cstr(h2[508:524]), opt.IntentName})
	for _, tc := range tests {
		if tc.got != tc.want {
			t.Errorf("%s = %q, want %q", tc.name, tc.got, tc.want)
		}
	}
	got, err := Read(p)
	if err != nil {
		t.Fatal(err)
	}
	sameGeometry(t, "nifti1 with options", got.Geometry, im.Geometry)
	sameData(t, "nifti1 with options", got, im)
	got2, err := DecodeNIfTI(bytes.NewReader(h2))
	if err != nil {
		t.Fatal(err)
	}
	sameData(t, "nifti2 with options", got2, im)

	pn := filepath.Join(dir, "x.nrrd")
	if err := WriteWithOptions(pn, im, opt); err != nil {
		t.Fatal(err)
	}
	bn, _ := os.ReadFile(pn)
	hdr := string(bn[:bytes.Index(bn, []byte("\n\n"))+1])
	for _, want := range []string{"\ncontent: " + opt.Description + "\n", "\naux_file:=SYNTHETIC\n", "\nintent_name:=synthetic\n"} {
		if !strings.Contains(hdr, want) {
			t.Errorf("NRRD header lacks %q:\n%s", want, hdr)
		}
	}
	gotn, err := Read(pn)
	if err != nil {
		t.Fatal(err)
	}
	sameGeometry(t, "nrrd with options", gotn.Geometry, im.Geometry)
	sameData(t, "nrrd with options", gotn, im)
}

func TestWriteWithOptionsErrors(t *testing.T) {
	im := randomImage(volume.Int16, [3]int{3, 3, 3}, 1)
	dir := t.TempDir()
	tests := []struct {
		name string
		opt  WriteOptions
		want string
	}{
		{"long descrip", WriteOptions{Description: strings.Repeat("d", 80)}, "description"},
		{"long aux", WriteOptions{AuxFile: strings.Repeat("a", 24)}, "aux_file"},
		{"long intent", WriteOptions{IntentName: strings.Repeat("i", 16)}, "intent_name"},
		{"newline", WriteOptions{Description: "a\nb"}, "not printable"},
		{"nul", WriteOptions{AuxFile: "a\x00b"}, "not printable"},
		{"utf8", WriteOptions{IntentName: "é"}, "not printable"},
	}
	for _, tc := range tests {
		p := filepath.Join(dir, "e.nii")
		err := WriteWithOptions(p, im, tc.opt)
		if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), p) {
			t.Errorf("%s: error %v, want one naming the file and %q", tc.name, err, tc.want)
		}
		if _, err := os.Stat(p); err == nil {
			t.Errorf("%s: file written despite the error", tc.name)
		}
	}
	// Exactly full fields are accepted.
	ok := WriteOptions{Description: strings.Repeat("d", 79), AuxFile: strings.Repeat("a", 23), IntentName: strings.Repeat("i", 15)}
	if err := WriteWithOptions(filepath.Join(dir, "ok.nii"), im, ok); err != nil {
		t.Error(err)
	}
}
