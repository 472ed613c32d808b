package synth

import (
	"image"
	"image/color"
	"image/png"
	"os"
	"testing"
)

// TestMontage (set SYNTH_MONTAGE=<file.png>) writes a PNG montage for a
// human look: per case, the axial slice through the mask centre and the
// mid-sagittal slice (window −250…1000 HU), each next to its mask.
func TestMontage(t *testing.T) {
	out := os.Getenv("SYNTH_MONTAGE")
	if out == "" {
		t.Skip("set SYNTH_MONTAGE=<file.png> to write a montage")
	}
	c, err := Generate(Options{N: 16, Seed: DefaultSeed})
	if err != nil {
		t.Fatal(err)
	}
	g := newGrid(c.Options.Params)
	nx, ny, nz := g.nx, g.ny, g.nz
	rowH := max(ny, nz) + 2
	img := image.NewGray(image.Rect(0, 0, 2*(nx+ny+4), rowH*len(c.Patients)))
	win := func(v float64) uint8 { return uint8(clamp((v+250)/1250*255, 0, 255)) }
	for ci, p := range c.Patients {
		cs, err := c.Render(p, false)
		if err != nil {
			t.Fatal(err)
		}
		// Axial slice through the mask's centre of mass.
		var kSum, kN float64
		for i, m := range cs.Mask.Data {
			if m != 0 {
				_, _, z := cs.Mask.Coords(i)
				kSum += float64(z)
				kN++
			}
		}
		k := int(kSum / kN)
		oy := ci * rowH
		for j := 0; j < ny; j++ {
			for i := 0; i < nx; i++ {
				idx := i + nx*(j+ny*k)
				img.SetGray(i, oy+j, color.Gray{win(cs.CT.Data[idx])})
				img.SetGray(nx+ny+4+i, oy+j, color.Gray{uint8(255 * cs.Mask.Data[idx])})
			}
		}
		for kk := 0; kk < nz; kk++ {
			for j := 0; j < ny; j++ {
				idx := nx/2 + nx*(j+ny*kk)
				img.SetGray(nx+2+j, oy+nz-1-kk, color.Gray{win(cs.CT.Data[idx])})
				img.SetGray(2*nx+ny+6+j, oy+nz-1-kk, color.Gray{uint8(255 * cs.Mask.Data[idx])})
			}
		}
		t.Logf("row %d: %s malignant=%v %s %s HL=%.2f signs %+v", ci, p.ID, p.Malignant, p.LesionType, p.Truth.Morphology, p.Truth.HeightLoss, p.Truth.Signs)
	}
	f, err := os.Create(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := png.Encode(f, img); err != nil {
		t.Fatal(err)
	}
}
