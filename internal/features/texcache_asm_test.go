package features

import (
	"math"
	"testing"
)

// texSetAsm switches every assembly kernel of the texture classes on or off
// (a kernel stays off when the CPU lacks it) and returns a function that
// restores the previous state.
func texSetAsm(on bool) func() {
	hw := texHasAVX2Safe()
	old := [4]bool{texAsm, gldmAsm, glcmAsm, gramAsm}
	texAsm, gldmAsm, glcmAsm, gramAsm = on && hw, on && hw, on && hw, on && hw
	return func() { texAsm, gldmAsm, glcmAsm, gramAsm = old[0], old[1], old[2], old[3] }
}

// On real data (PyRadiomics' brain1 case, binWidth 25), the glcm, gldm and
// ngtdm classes give bit-identical values with the assembly kernels and
// with the portable code, for the default settings, distances [1, 2] with
// alpha 2, and force2D.
func TestTextureAsmMatchesPortableBrain1(t *testing.T) {
	if !texHasAVX2Safe() {
		t.Skip("no AVX2 kernels on this machine or build")
	}
	base := foBrain1Region(t)
	for _, mod := range []string{"default", "d12a2", "force2D"} {
		s := DefaultSettings()
		switch mod {
		case "d12a2":
			s.Distances, s.GLDMAlpha = []int{1, 2}, 2
		case "force2D":
			s.Force2D = true
		}
		for _, class := range []string{"glcm", "gldm", "ngtdm"} {
			c, _ := Lookup(class)
			var vals [2][]float64
			for k, on := range []bool{false, true} {
				restore := texSetAsm(on)
				r := &Region{Size: base.Size, Spacing: base.Spacing, Values: base.Values, ROI: base.ROI, Levels: base.Levels}
				v, err := c.Compute(r, &s)
				restore()
				if err != nil {
					t.Fatal(err)
				}
				vals[k] = v
			}
			for f := range vals[0] {
				if math.Float64bits(vals[0][f]) != math.Float64bits(vals[1][f]) {
					t.Errorf("%s %s %s: portable %v, assembly %v", mod, class, c.Features[f].Name, vals[0][f], vals[1][f])
				}
			}
		}
	}
}
