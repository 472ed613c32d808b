package preprocess

import (
	"math"
	"strings"
	"testing"

	"github.com/spinerad/spinerad/internal/volume"
)

func cubeGeometry(n int) volume.Geometry {
	return volume.Geometry{Size: [3]int{n, n, n}, Spacing: [3]float64{1, 1, 1}, Direction: volume.Identity}
}

func TestGetMask(t *testing.T) {
	g := volume.Geometry{Size: [3]int{6, 1, 1}, Spacing: [3]float64{1, 1, 1}, Direction: volume.Identity}
	m := &volume.Image{Geometry: g, Type: volume.Float32, Data: []float64{0, 1.9, 2.2, -1, 3, 0}}
	out, err := GetMask(m, 1)
	if err != nil {
		t.Fatal(err)
	}
	want := []float64{0, 1, 2, 4294967295, 3, 0}
	for i, v := range want {
		if out.Data[i] != v {
			t.Errorf("voxel %d: %v, want %v", i, out.Data[i], v)
		}
	}
	if out.Type != volume.UInt32 {
		t.Errorf("type %v", out.Type)
	}
	_, err = GetMask(m, 5)
	if err == nil || !strings.Contains(err.Error(), "label 5 not present") || !strings.Contains(err.Error(), "[1 2 3 4294967295]") {
		t.Errorf("absent label error: %v", err)
	}
	zero := &volume.Image{Geometry: g, Type: volume.UInt8, Data: make([]float64, 6)}
	if _, err := GetMask(zero, 1); err == nil || !strings.Contains(err.Error(), "no labels") {
		t.Errorf("empty mask error: %v", err)
	}
	if _, err := GetMask(nil, 1); err == nil {
		t.Error("nil mask accepted")
	}
}

func TestCheckMask(t *testing.T) {
	g := cubeGeometry(5)
	img := volume.New(g, volume.Int16)
	mask := volume.New(g, volume.UInt32)
	set := func(m *volume.Image, pts ...[3]int) {
		for i := range m.Data {
			m.Data[i] = 0
		}
		for _, p := range pts {
			m.Data[m.Index(p[0], p[1], p[2])] = 1
		}
	}
	set(mask, [3]int{1, 1, 2}, [3]int{3, 1, 2}, [3]int{2, 2, 2})
	bb, corr, err := CheckMask(img, mask, 1, CheckOptions{})
	if err != nil || corr != nil {
		t.Fatalf("valid mask: %v", err)
	}
	if bb.Lo != [3]int{1, 1, 2} || bb.Hi != [3]int{3, 2, 2} {
		t.Errorf("bbox %+v", bb)
	}
	cases := []struct {
		name    string
		pts     [][3]int
		opt     CheckOptions
		errPart string
	}{
		{"single voxel", [][3]int{{1, 1, 1}}, CheckOptions{MinimumROIDimensions: 1}, "1 segmented voxel"},
		{"1D ROI default", [][3]int{{1, 1, 1}, {2, 1, 1}}, CheckOptions{}, "too few dimensions (number of dimensions 1, minimum required 2)"},
		{"1D ROI allowed", [][3]int{{1, 1, 1}, {2, 1, 1}}, CheckOptions{MinimumROIDimensions: 1}, ""},
		{"2D ROI needs 3", [][3]int{{1, 1, 1}, {2, 2, 1}}, CheckOptions{MinimumROIDimensions: 3}, "too few dimensions"},
		{"size equal fails", [][3]int{{1, 1, 1}, {2, 2, 1}, {2, 2, 2}}, CheckOptions{MinimumROISize: 3}, "too small"},
		{"size above passes", [][3]int{{1, 1, 1}, {2, 2, 1}, {2, 2, 2}}, CheckOptions{MinimumROISize: 2}, ""},
		{"bad dims option", [][3]int{{1, 1, 1}, {2, 2, 1}}, CheckOptions{MinimumROIDimensions: 4}, "minimumROIDimensions"},
		{"absent label", nil, CheckOptions{}, "label 1 not present"},
	}
	for _, c := range cases {
		set(mask, c.pts...)
		_, _, err := CheckMask(img, mask, 1, c.opt)
		if c.errPart == "" {
			if err != nil {
				t.Errorf("%s: %v", c.name, err)
			}
			continue
		}
		if err == nil || !strings.Contains(err.Error(), c.errPart) {
			t.Errorf("%s: error %v, want one containing %q", c.name, err, c.errPart)
		}
	}
}

func TestCheckMaskGeometry(t *testing.T) {
	g := cubeGeometry(5)
	g.Spacing = [3]float64{2, 2, 2}
	img := volume.New(g, volume.Int16)
	mask := volume.New(g, volume.UInt32)
	mask.Data[mask.Index(1, 1, 1)] = 1
	mask.Data[mask.Index(2, 2, 1)] = 1
	// Tolerance is 1e-6 * spacing[0] = 2e-6: a difference of 2e-6 passes (equal
	// passes), 3e-6 fails.
	mask.Origin[1] = 2e-6
	if _, _, err := CheckMask(img, mask, 1, CheckOptions{}); err != nil {
		t.Errorf("origin within tolerance: %v", err)
	}
	mask.Origin[1] = 3e-6
	_, _, err := CheckMask(img, mask, 1, CheckOptions{})
	if err == nil || !strings.Contains(err.Error(), "origin differs") {
		t.Errorf("origin mismatch: %v", err)
	}
	if _, _, err := CheckMask(img, mask, 1, CheckOptions{GeometryTolerance: 1e-5}); err != nil {
		t.Errorf("larger tolerance: %v", err)
	}
	m2 := mask.Clone()
	m2.Origin = [3]float64{}
	m2.Spacing[2] = 2.1
	if _, _, err := CheckMask(img, m2, 1, CheckOptions{}); err == nil || !strings.Contains(err.Error(), "spacing differs") {
		t.Errorf("spacing mismatch: %v", err)
	}
	m2.Spacing[2] = 2
	m2.Direction[0][1] = 1e-5
	if _, _, err := CheckMask(img, m2, 1, CheckOptions{}); err == nil || !strings.Contains(err.Error(), "direction differs") {
		t.Errorf("direction mismatch: %v", err)
	}
	small := volume.New(cubeGeometry(4), volume.UInt32)
	if _, _, err := CheckMask(img, small, 1, CheckOptions{}); err == nil || !strings.Contains(err.Error(), "size differs") {
		t.Errorf("size mismatch: %v", err)
	}

	// correctMask: a mask grid shifted by one image voxel (2 mm) along x is
	// resampled onto the image grid; the ROI moves by one index.
	shifted := volume.New(g, volume.UInt32)
	shifted.Origin = [3]float64{2, 0, 0}
	shifted.Data[shifted.Index(1, 1, 1)] = 1
	shifted.Data[shifted.Index(2, 2, 1)] = 1
	if _, _, err := CheckMask(img, shifted, 1, CheckOptions{}); err == nil {
		t.Fatal("shifted mask accepted without correctMask")
	}
	bb, corr, err := CheckMask(img, shifted, 1, CheckOptions{CorrectMask: true})
	if err != nil || corr == nil {
		t.Fatalf("correctMask: %v", err)
	}
	if bb.Lo != [3]int{2, 1, 1} || bb.Hi != [3]int{3, 2, 1} || corr.Geometry != img.Geometry || corr.At(2, 1, 1) != 1 {
		t.Errorf("corrected bbox %+v", bb)
	}
	// ROI partly outside the image: correction refused.
	out := shifted.Clone()
	out.Data[out.Index(4, 2, 1)] = 1 // x = 4 in mask space = image index 5 (outside)
	_, _, err = CheckMask(img, out, 1, CheckOptions{CorrectMask: true})
	if err == nil || !strings.Contains(err.Error(), "larger than image space") {
		t.Errorf("ROI outside image: %v", err)
	}
}

func TestGetMaskManyLabels(t *testing.T) {
	// 40 distinct labels (the label set switches from a list to a map at
	// 32), in an order with repeats; the absent-label error lists them sorted.
	const n = 40
	g := volume.Geometry{Size: [3]int{3 * n, 1, 1}, Spacing: [3]float64{1, 1, 1}, Direction: volume.Identity}
	m := &volume.Image{Geometry: g, Type: volume.Float64, Data: make([]float64, 3*n)}
	for i := 0; i < n; i++ {
		l := float64((i*17)%n + 1)
		m.Data[3*i], m.Data[3*i+1], m.Data[3*i+2] = l, 0, l+0.5
	}
	out, err := GetMask(m, 40)
	if err != nil {
		t.Fatal(err)
	}
	for i, v := range m.Data {
		if want := float64(int(v)); out.Data[i] != want {
			t.Fatalf("voxel %d: %v, want %v", i, out.Data[i], want)
		}
	}
	_, err = GetMask(m, 41)
	want := "[1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25 26 27 28 29 30 31 32 33 34 35 36 37 38 39 40]"
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("absent label error: %v", err)
	}
	m.Data[0], m.Data[1], m.Data[2] = math.NaN(), math.Inf(1), -0.5
	out, err = GetMask(m, 2)
	if err != nil {
		t.Fatal(err)
	}
	if out.Data[0] != 0 || out.Data[1] != 0 || out.Data[2] != 0 {
		t.Errorf("NaN, +Inf, -0.5 cast to %v, want 0 0 0", out.Data[:3])
	}
}
