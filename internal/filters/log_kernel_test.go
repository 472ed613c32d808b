package filters

import (
	"fmt"
	"math"
	"math/rand"
	"testing"

	"github.com/spinerad/spinerad/internal/volume"
)

// refRecLine is a plain single-line transcription of ITK's
// RecursiveSeparableImageFilter::FilterDataArray (parity spec 5.3): causal
// and anticausal recursions over the whole line with edge-value extension,
// outputs float32(y+ + y-). It shares no code with recLines/recSteps.
func refRecLine(x []float64, out []float32, co *RecursiveCoefficients) {
	L := len(x)
	n, d, m, bn, bm := co.N, co.D, co.M, co.BN, co.BM
	yp := make([]float64, L)
	ym := make([]float64, L)
	u := x[0]
	yp[0] = float64(u*n[0]) + float64(u*n[1]) + float64(u*n[2]) + float64(u*n[3]) -
		(float64(u*bn[0]) + float64(u*bn[1]) + float64(u*bn[2]) + float64(u*bn[3]))
	yp[1] = float64(x[1]*n[0]) + float64(u*n[1]) + float64(u*n[2]) + float64(u*n[3]) -
		(float64(yp[0]*d[0]) + float64(u*bn[1]) + float64(u*bn[2]) + float64(u*bn[3]))
	yp[2] = float64(x[2]*n[0]) + float64(x[1]*n[1]) + float64(u*n[2]) + float64(u*n[3]) -
		(float64(yp[1]*d[0]) + float64(yp[0]*d[1]) + float64(u*bn[2]) + float64(u*bn[3]))
	yp[3] = float64(x[3]*n[0]) + float64(x[2]*n[1]) + float64(x[1]*n[2]) + float64(u*n[3]) -
		(float64(yp[2]*d[0]) + float64(yp[1]*d[1]) + float64(yp[0]*d[2]) + float64(u*bn[3]))
	for i := 4; i < L; i++ {
		yp[i] = float64(x[i]*n[0]) + float64(x[i-1]*n[1]) + float64(x[i-2]*n[2]) + float64(x[i-3]*n[3]) -
			(float64(yp[i-1]*d[0]) + float64(yp[i-2]*d[1]) + float64(yp[i-3]*d[2]) + float64(yp[i-4]*d[3]))
	}
	v := x[L-1]
	ym[L-1] = float64(v*m[0]) + float64(v*m[1]) + float64(v*m[2]) + float64(v*m[3]) -
		(float64(v*bm[0]) + float64(v*bm[1]) + float64(v*bm[2]) + float64(v*bm[3]))
	ym[L-2] = float64(x[L-1]*m[0]) + float64(v*m[1]) + float64(v*m[2]) + float64(v*m[3]) -
		(float64(ym[L-1]*d[0]) + float64(v*bm[1]) + float64(v*bm[2]) + float64(v*bm[3]))
	ym[L-3] = float64(x[L-2]*m[0]) + float64(x[L-1]*m[1]) + float64(v*m[2]) + float64(v*m[3]) -
		(float64(ym[L-2]*d[0]) + float64(ym[L-1]*d[1]) + float64(v*bm[2]) + float64(v*bm[3]))
	ym[L-4] = float64(x[L-3]*m[0]) + float64(x[L-2]*m[1]) + float64(x[L-1]*m[2]) + float64(v*m[3]) -
		(float64(ym[L-3]*d[0]) + float64(ym[L-2]*d[1]) + float64(ym[L-1]*d[2]) + float64(v*bm[3]))
	for k := L - 5; k >= 0; k-- {
		ym[k] = float64(x[k+1]*m[0]) + float64(x[k+2]*m[1]) + float64(x[k+3]*m[2]) + float64(x[k+4]*m[3]) -
			(float64(ym[k+1]*d[0]) + float64(ym[k+2]*d[1]) + float64(ym[k+3]*d[2]) + float64(ym[k+4]*d[3]))
	}
	for i := range out {
		out[i] = float32(yp[i] + ym[i])
	}
}

// refLoG is LoG computed line by line with refRecLine on the full volume
// (every pass on every line) and the original float64 accumulator.
func refLoG(t *testing.T, img *volume.Image, sigma float64) *volume.Image {
	t.Helper()
	sz := img.Size
	out := volume.New(img.Geometry, volume.Float32)
	cur := make([]float64, len(img.Data))
	for d := 0; d < 3; d++ {
		copy(cur, img.Data)
		a2, a3 := logOtherAxes(d)
		for k, ax := range []int{d, a2, a3} {
			order := 0
			if k == 0 {
				order = 2
			}
			co, err := GaussianCoefficients(sigma, img.Spacing[ax], order)
			if err != nil {
				t.Fatal(err)
			}
			stride := [3]int{1, sz[0], sz[0] * sz[1]}[ax]
			L := sz[ax]
			line := make([]float64, L)
			res := make([]float32, L)
			for i := range cur {
				x, y, z := img.Coords(i)
				if [3]int{x, y, z}[ax] != 0 {
					continue
				}
				for j := 0; j < L; j++ {
					line[j] = cur[i+j*stride]
				}
				refRecLine(line, res, &co)
				for j := 0; j < L; j++ {
					cur[i+j*stride] = float64(res[j])
				}
			}
		}
		f := 1.0 / float64(img.Spacing[d]*img.Spacing[d])
		for i, v := range cur {
			out.Data[i] = float64(float32(out.Data[i] + float64(v*f)))
		}
	}
	return out
}

// recKernelModes returns the recSteps implementations this machine can run
// and a function that selects one.
func recKernelModes() ([]string, func(string)) {
	modes := []string{"go"}
	if cpuHasAVX2() {
		modes = append(modes, "avx2")
	}
	if cpuHasAVX512() {
		modes = append(modes, "avx512")
	}
	asm, a512 := recAsm, recAVX512
	set := func(m string) {
		switch m {
		case "go":
			recAsm, recAVX512 = false, false
		case "avx2":
			recAsm, recAVX512 = true, false
		case "avx512":
			recAsm, recAVX512 = true, true
		default: // restore
			recAsm, recAVX512 = asm, a512
		}
	}
	return modes, set
}

// TestLoGKernelsBitIdentical checks LoG and LoGCrop, with every recSteps
// implementation (portable Go, AVX2, AVX-512 where the CPU has them),
// against refLoG bit for bit (signed zeros included) on seeded float32 and
// int16 images of odd sizes: lines shorter than the 4/8/16-lane groups,
// block counts that leave a remainder of 1..63 lines, axes of 4..7 voxels,
// constant regions (exact zeros) and random crop boxes.
func TestLoGKernelsBitIdentical(t *testing.T) {
	modes, set := recKernelModes()
	defer set("")
	t.Logf("kernels: %v", modes)
	sizes := [][3]int{{4, 4, 4}, {5, 6, 7}, {7, 5, 4}, {4, 9, 5}, {13, 5, 6}, {67, 4, 5}, {5, 70, 4}, {6, 5, 66}, {33, 17, 9}}
	r := rand.New(rand.NewSource(7))
	for si, size := range sizes {
		for _, pt := range []volume.PixelType{volume.Float32, volume.Int16} {
			img := randFloatImage(size, pt, int64(100+si))
			if si%3 == 1 { // a constant slab of zeros: exercises signed zeros
				for i := range img.Data {
					if _, _, z := img.Coords(i); z < 2 {
						img.Data[i] = 0
					}
				}
			}
			for _, sigma := range []float64{0.5, 1.5, 3} {
				want := refLoG(t, img, sigma)
				boxes := []volume.BBox{{Hi: [3]int{size[0] - 1, size[1] - 1, size[2] - 1}}, randBBox(r, size), randBBox(r, size)}
				for _, mode := range modes {
					set(mode)
					name := fmt.Sprintf("%v %v sigma %v %s", size, pt, sigma, mode)
					got, err := LoG(img, sigma)
					if err != nil {
						t.Fatal(err)
					}
					sameImage(t, name+" LoG", got, want)
					for _, bb := range boxes {
						got, err := LoGCrop(img, sigma, bb)
						if err != nil {
							t.Fatal(err)
						}
						sameImage(t, fmt.Sprintf("%s LoGCrop %v", name, bb), got, want.Crop(bb, 0))
					}
				}
			}
		}
	}
}

// TestRecStepsKernels runs recSteps directly with every implementation on
// random buffers, lane counts 1..recWidth and both row directions, and
// compares every element of the output buffer (lanes past the requested
// count may differ only where an implementation rounds the count up).
func TestRecStepsKernels(t *testing.T) {
	modes, set := recKernelModes()
	defer set("")
	r := rand.New(rand.NewSource(3))
	const R, rows = recStride, 9
	x := make([]float64, (rows+8)*R)
	y0 := make([]float64, len(x))
	for i := range x {
		x[i] = r.NormFloat64() * 100
		y0[i] = r.NormFloat64() * 100
	}
	var c [8]float64
	for i := range c {
		c[i] = r.NormFloat64()
	}
	for lanes := 1; lanes <= recWidth; lanes++ {
		for _, s := range []int{R, -R} {
			xo, yo := 4*R, 4*R
			if s < 0 {
				xo, yo = (rows+3)*R, (rows+3)*R
			}
			want := make([]float64, len(y0))
			copy(want, y0)
			for row := 0; row < rows; row++ {
				for g := 0; g < lanes; g++ {
					X, Y := xo+row*s+g, yo+row*s+g
					want[Y] = float64(x[X]*c[0]) + float64(x[X-s]*c[1]) + float64(x[X-2*s]*c[2]) + float64(x[X-3*s]*c[3]) -
						(float64(want[Y-s]*c[4]) + float64(want[Y-2*s]*c[5]) + float64(want[Y-3*s]*c[6]) + float64(want[Y-4*s]*c[7]))
				}
			}
			for _, mode := range modes {
				set(mode)
				got := make([]float64, len(y0))
				copy(got, y0)
				recSteps(x, got, xo, yo, s, rows, lanes, &c)
				for i := range got {
					g := (i % R)
					if g >= lanes && g < recWidth {
						continue // rounded-up lanes
					}
					if math.Float64bits(got[i]) != math.Float64bits(want[i]) {
						t.Fatalf("%s lanes %d step %d: element %d = %v, want %v", mode, lanes, s, i, got[i], want[i])
					}
				}
			}
		}
	}
}
