package volume

import "testing"

func TestGeometryTransforms(t *testing.T) {
	// brain1's geometry (NRRD header values as parsed doubles).
	g := Geometry{
		Size:      [3]int{256, 256, 25},
		Spacing:   [3]float64{0.7812499999999999, 0.7812499999999999, 6.499999999999998},
		Origin:    [3]float64{-99.609374999999986, 99.609374999999986, -77.999999999999957},
		Direction: [3][3]float64{{1, 0, 0}, {0, -1, 0}, {0, 0, 1}},
	}
	// Centre of mass index and point from PyRadiomics' diagnostics of brain1.
	com := [3]float64{186.98549673676578, 106.3562968334542, 14.38917089678511}
	want := [3]float64{46.47304432559825, 16.518518098863908, 15.529610829103234}
	got := g.ContinuousIndexToPhysical(com)
	for i := range got {
		if d := got[i] - want[i]; d > 1e-12 || d < -1e-12 {
			t.Errorf("axis %d: %v, want %v", i, got[i], want[i])
		}
	}
	back := g.PhysicalToContinuousIndex(got)
	for i := range back {
		if d := back[i] - com[i]; d > 1e-9 || d < -1e-9 {
			t.Errorf("round trip axis %d: %v, want %v", i, back[i], com[i])
		}
	}
	b := g.InverseMatrix()
	if b[1][1] != 1/(-0.7812499999999999) || b[0][1] != 0 {
		t.Errorf("inverse of a diagonal matrix must be exact: %v", b)
	}
	p := g.IndexToPhysical([3]int{162, 84, 11})
	if p[0] != -99.609374999999986+float64(0.7812499999999999*162) {
		t.Errorf("IndexToPhysical x = %v", p[0])
	}
}

func TestCastAndCrop(t *testing.T) {
	if Int16.Cast(664.9956) != 664 || Int16.Cast(-34.399) != -34 || Int16.Cast(40000) != 32767 || UInt8.Cast(-3) != 0 {
		t.Error("integer casts must clamp then truncate toward zero")
	}
	if Float32.Cast(0.1) != float64(float32(0.1)) {
		t.Error("float32 cast")
	}
	g := Geometry{Size: [3]int{4, 3, 2}, Spacing: [3]float64{1, 2, 3}, Origin: [3]float64{10, 20, 30}, Direction: Identity}
	im := New(g, Int16)
	for i := range im.Data {
		im.Data[i] = float64(i)
	}
	m := New(g, UInt8)
	m.Data[g.Index(1, 1, 1)] = 1
	m.Data[g.Index(2, 1, 1)] = 1
	bb, n, ok := LabelBBox(m, 1)
	if !ok || n != 2 || bb.Lo != [3]int{1, 1, 1} || bb.Hi != [3]int{2, 1, 1} {
		t.Fatalf("bbox %+v n=%d", bb, n)
	}
	c := im.Crop(bb, 1)
	if c.Size != [3]int{4, 3, 2} || c.Origin != [3]float64{10, 20, 30} {
		t.Errorf("padded crop clipped to the image: size %v origin %v", c.Size, c.Origin)
	}
	c = im.Crop(bb, 0)
	if c.Size != [3]int{2, 1, 1} || c.Origin != [3]float64{11, 22, 33} || c.Data[0] != float64(g.Index(1, 1, 1)) || c.Data[1] != float64(g.Index(2, 1, 1)) {
		t.Errorf("crop: size %v origin %v data %v", c.Size, c.Origin, c.Data)
	}
}

func TestNewUninitRecycle(t *testing.T) {
	g := Geometry{Size: [3]int{4, 3, 2}, Spacing: [3]float64{1, 1, 1}, Direction: [3][3]float64{{1, 0, 0}, {0, 1, 0}, {0, 0, 1}}}
	a := NewUninit(g, Float32)
	if len(a.Data) != 24 || a.Geometry != g || a.Type != Float32 {
		t.Fatalf("NewUninit: %d voxels, %+v %v", len(a.Data), a.Geometry, a.Type)
	}
	Recycle(a)
	if a.Data != nil {
		t.Fatal("Recycle left Data set")
	}
	Recycle(nil) // no-op
	big := g
	big.Size = [3]int{10, 10, 10}
	if b := NewUninit(big, Int16); len(b.Data) != 1000 {
		t.Fatalf("NewUninit after a smaller recycle: %d voxels", len(b.Data))
	}
}
