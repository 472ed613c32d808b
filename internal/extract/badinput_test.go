package extract

import (
	"math"
	"strings"
	"testing"

	"github.com/spinerad/spinerad/internal/phantom"
	"github.com/spinerad/spinerad/internal/volume"
)

// TestExecuteBadInput checks that bad image/mask pairs give clear errors.
func TestExecuteBadInput(t *testing.T) {
	cases := []struct {
		name   string
		mutate func(img, mask *volume.Image)
		params func(p *Params)
		want   string
	}{
		{"NaN voxel", func(img, mask *volume.Image) { img.Data[7] = math.NaN() }, nil, "non-finite voxel value (NaN) at index (2, 1, 0)"},
		{"empty mask", func(img, mask *volume.Image) {
			for i := range mask.Data {
				mask.Data[i] = 0
			}
		}, nil, "no labels"},
		{"label absent", func(img, mask *volume.Image) {
			for i := range mask.Data {
				mask.Data[i] *= 2
			}
		}, nil, "label 1 not present"},
		{"geometry mismatch (origin)", func(img, mask *volume.Image) { mask.Origin[0] += 1 }, nil, "origin"},
		{"geometry mismatch (size)", func(img, mask *volume.Image) {
			mask.Size[2] = 3
			mask.Data = mask.Data[:60]
		}, nil, "size"},
		{"ROI too small", func(img, mask *volume.Image) {}, func(p *Params) { p.Override("minimumROISize:100") }, "minimumROISize"},
		{"single voxel", func(img, mask *volume.Image) {
			for i := range mask.Data {
				mask.Data[i] = 0
			}
			mask.Data[5] = 1
		}, nil, "voxel"},
	}
	for _, c := range cases {
		img, mask := phantom.DigitalPhantom()
		c.mutate(img, mask)
		p := DefaultParams()
		if c.params != nil {
			c.params(p)
		}
		_, err := p.Execute(img, mask)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want it to mention %q", c.name, err, c.want)
		}
	}
}

// TestExecuteDigitalPhantom checks a few hand-verifiable values of the
// built-in phantom: 74 ROI voxels of 2 mm (VoxelVolume 592 mm³), mean 159/74.
func TestExecuteDigitalPhantom(t *testing.T) {
	p, err := ResolveParams("ibsi-digital-phantom")
	if err != nil {
		t.Fatal(err)
	}
	img, mask := phantom.DigitalPhantom()
	res, err := p.Execute(img, mask)
	if err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]float64{
		"original_shape_VoxelVolume":  74 * 8,
		"original_firstorder_Mean":    159.0 / 74,
		"original_firstorder_Minimum": 1,
		"original_firstorder_Maximum": 6,
		"original_firstorder_Range":   5,
		"original_firstorder_Median":  1,
		"original_firstorder_Energy":  50*1 + 1*9 + 16*16 + 7*36,
	} {
		got, ok := res.Value(name)
		if !ok || math.Abs(got-want) > 1e-12*math.Max(1, math.Abs(want)) {
			t.Errorf("%s = %v, want %v", name, got, want)
		}
	}
}
