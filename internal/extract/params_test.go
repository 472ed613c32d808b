package extract

import (
	"strings"
	"testing"
)

func TestParseParamsValid(t *testing.T) {
	p, err := ParseParams([]byte(`
setting:
  binWidth: 25
  label: 2
  resampledPixelSpacing: [2, 2, 0]
  interpolator: 'sitkLinear'
  force2D: True
  resegmentRange: [400, -500]
imageType:
  Original: {}
  LoG:
    sigma: [1, 2.5, 3.0]
    binWidth: 5
featureClass:
  glcm:
    - Contrast
    - SumVariance
  firstorder:
`))
	if err != nil {
		t.Fatal(err)
	}
	s := p.Setting
	if s.BinWidth != 25 || s.Label != 2 || !s.Force2D || s.Interpolator != "sitkLinear" {
		t.Fatalf("settings not applied: %+v", s)
	}
	if s.ResegmentRange[0] != -500 || s.ResegmentRange[1] != 400 {
		t.Errorf("resegmentRange not sorted: %v", s.ResegmentRange)
	}
	if len(p.ImageTypes) != 2 || p.ImageTypes[1].Name != "LoG" {
		t.Fatalf("image types %+v", p.ImageTypes)
	}
	log := p.SettingsFor(p.ImageTypes[1])
	if log.BinWidth != 5 || p.Setting.BinWidth != 25 {
		t.Errorf("per-image-type override leaked or missing: %v %v", log.BinWidth, p.Setting.BinWidth)
	}
	// LoG names follow Python's str() of the YAML number.
	if got := strings.Join(log.SigmaText, ","); got != "1,2.5,3.0" {
		t.Errorf("sigma texts %q", got)
	}
	if len(p.Classes) != 2 || p.Classes[0].Name != "glcm" || p.Classes[1].Name != "firstorder" {
		t.Fatalf("classes %+v", p.Classes)
	}
}

func TestParseParamsErrors(t *testing.T) {
	cases := []struct{ doc, want string }{
		{"setting:\n  binWidht: 25\n", `unknown setting "binWidht"`},
		{"setting:\n  binWidth: -1\n", `setting "binWidth"`},
		{"setting:\n  force2Ddimension: 3\n", `setting "force2Ddimension"`},
		{"setting:\n  resegmentMode: fancy\n", `setting "resegmentMode"`},
		{"setting:\n  interpolator: sitkCubic\n", `setting "interpolator"`},
		{"setting:\n  distances: [0]\n", `setting "distances"`},
		{"imageType:\n  Blur: {}\n", `unknown image type "Blur"`},
		{"imageType:\n  LoG:\n    sigma: fast\n", `imageType LoG`},
		{"featureClass:\n  glcmm:\n", `unknown feature class "glcmm"`},
		{"featureClass:\n  glcm: [Contrasts]\n", `no feature "Contrasts"`},
		{"settings:\n  binWidth: 25\n", `unknown top-level key "settings"`},
		{"[1, 2]", "must be a mapping"},
		{"setting: {binWidth: [}", "not valid YAML"},
	}
	for _, c := range cases {
		_, err := ParseParams([]byte(c.doc))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: error %v, want it to contain %q", c.doc, err, c.want)
		}
	}
}

func TestParseParamsDefaultsAndVoxelSetting(t *testing.T) {
	p, err := ParseParams([]byte("voxelSetting:\n  kernelRadius: 2\nfeatureClass: {}\n"))
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Warnings) != 1 || !strings.Contains(p.Warnings[0], "voxelSetting") {
		t.Errorf("warnings %v", p.Warnings)
	}
	hasShape2D := false
	for _, c := range p.Classes {
		hasShape2D = hasShape2D || c.Name == "shape2D"
	}
	if !hasShape2D {
		t.Error("an empty featureClass block must enable shape2D too")
	}
	d := DefaultParams()
	for _, c := range d.Classes {
		if c.Name == "shape2D" {
			t.Error("defaults must not enable shape2D")
		}
	}
	if d.Setting.BinWidth != 25 || d.Setting.PadDistance != 5 || d.Setting.Distances[0] != 1 || !d.Setting.SymmetricalGLCM {
		t.Errorf("defaults %+v", d.Setting)
	}
}

func TestOverride(t *testing.T) {
	p := DefaultParams()
	for _, o := range []string{"force2D:true", "binWidth:2.5", "resampledPixelSpacing:[1, 1, 0]", "interpolator:sitkNearestNeighbor"} {
		if err := p.Override(o); err != nil {
			t.Fatal(err)
		}
	}
	if !p.Setting.Force2D || p.Setting.BinWidth != 2.5 || p.Setting.ResampledPixelSpacing[2] != 0 || p.Setting.Interpolator != "sitkNearestNeighbor" {
		t.Errorf("%+v", p.Setting)
	}
	if err := p.Override("nonsense"); err == nil {
		t.Error("override without ':' accepted")
	}
	if err := p.Override("padDistance:-1"); err == nil {
		t.Error("negative padDistance accepted")
	}
}
