package synth

import (
	"math"
	"testing"
)

// TestMasksAndQA renders 12 cases and checks the masks (§9): non-empty, a
// single component away from the image border, a plausible volume, and a
// reader-2 Dice in the design band.
func TestMasksAndQA(t *testing.T) {
	c, err := Generate(Options{N: 12, Seed: 11})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range c.Patients {
		cs, err := c.Render(p, true)
		if err != nil {
			t.Fatal(err)
		}
		g := cs.Mask.Geometry
		sp := g.Spacing
		vox := sp[0] * sp[1] * sp[2]
		ml := float64(cs.Stats.MaskVoxels) * vox / 1000
		if ml < 8 || ml > 60 {
			t.Errorf("%s: mask volume %.1f mL", p.ID, ml)
		}
		if d := cs.Stats.Dice; d < 0.85 || d > 0.98 {
			t.Errorf("%s: reader Dice %.3f", p.ID, d)
		}
		for i, v := range cs.Mask.Data {
			if v == 0 {
				continue
			}
			x, y, z := g.Coords(i)
			if x == 0 || y == 0 || z == 0 || x == g.Size[0]-1 || y == g.Size[1]-1 || z == g.Size[2]-1 {
				t.Errorf("%s: mask touches the border at %d,%d,%d", p.ID, x, y, z)
				break
			}
		}
		// Labels: every mask voxel is body or lesion.
		for i, v := range cs.Mask.Data {
			if v != 0 && cs.Labels.Data[i] != LabelBody && cs.Labels.Data[i] != LabelLesion {
				t.Errorf("%s: mask voxel with label %v", p.ID, cs.Labels.Data[i])
				break
			}
		}
		t.Logf("%s mal=%v %-8s %-9s HL=%.2f mask %.1f mL Dice %.3f lesion %.3f (drawn %.3f)", p.ID, p.Malignant, p.LesionType,
			p.Truth.Morphology, p.Truth.HeightLoss, ml, cs.Stats.Dice, cs.Stats.LesionVoxelFraction, p.Truth.LesionFraction)
	}
}

// erode returns the mask eroded by r voxels in-plane and 1 voxel in z.
func erodeMask(m []float64, nx, ny, nz, r int) []bool {
	out := make([]bool, len(m))
	for z := 1; z < nz-1; z++ {
		for y := r; y < ny-r; y++ {
			for x := r; x < nx-r; x++ {
				ok := true
				for dz := -1; dz <= 1 && ok; dz++ {
					for dy := -r; dy <= r && ok; dy++ {
						for dx := -r; dx <= r && ok; dx++ {
							ok = m[(x+dx)+nx*((y+dy)+ny*(z+dz))] != 0
						}
					}
				}
				out[x+nx*(y+ny*z)] = ok
			}
		}
	}
	return out
}

// TestTextureSD checks §5: noise-free, blurred, in-body SD away from the
// cortex of benign cases without focal signs is 25–40 HU (mean over cases).
func TestTextureSD(t *testing.T) {
	c, err := Generate(Options{N: 60, Seed: 5})
	if err != nil {
		t.Fatal(err)
	}
	var sds []float64
	for _, p := range c.Patients {
		s := p.Truth.Signs
		if p.Malignant || s.Band || s.FractureLines || s.Cleft || s.Haemangioma || s.Schmorl || p.PosteriorInvolvement {
			continue
		}
		cs, err := render(p, c.Options, false, false)
		if err != nil {
			t.Fatal(err)
		}
		g := cs.CT.Geometry
		in := erodeMask(cs.Mask.Data, g.Size[0], g.Size[1], g.Size[2], 3)
		var n, s1, s2 float64
		for i, ok := range in {
			if ok {
				v := cs.CT.Data[i]
				n++
				s1 += v
				s2 += v * v
			}
		}
		if n < 100 {
			continue
		}
		sd := math.Sqrt((s2 - s1*s1/n) / (n - 1))
		sds = append(sds, sd)
		t.Logf("%s B=%.0f texSD=%.1f measured SD %.1f", p.ID, p.Truth.BackgroundHU, p.m.texSD, sd)
	}
	if len(sds) < 3 {
		t.Fatalf("only %d plain benign cases", len(sds))
	}
	m := 0.0
	for _, v := range sds {
		m += v
	}
	m /= float64(len(sds))
	if m < 25 || m > 40 {
		t.Errorf("mean noise-free in-body SD %.1f HU, want 25–40", m)
	}
}
