package filters

import (
	"bufio"
	"math"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/spinerad/spinerad/internal/volume"
)

// skimageLBPImage is one test image with expected local_binary_pattern
// outputs.
type skimageLBPImage struct {
	name   string
	pixels [][]float64
	cases  []skimageLBPCase
}

// skimageLBPCase is the expected output of local_binary_pattern(image, P, R,
// method).
type skimageLBPCase struct {
	P      int
	R      float64
	method string
	want   [][]float64
}

// readSkimageLBP parses a testdata file of "image [name rows cols]" blocks
// (rows of pixels), each followed by "expect P R method" blocks (rows of
// expected values); '#' lines are comments.
func readSkimageLBP(t *testing.T, path string) []skimageLBPImage {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var ims []skimageLBPImage
	var cur *[][]float64
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<16), 1<<20)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		fs := strings.Fields(line)
		switch fs[0] {
		case "image":
			name := "published"
			if len(fs) > 1 {
				name = fs[1]
			}
			ims = append(ims, skimageLBPImage{name: name})
			cur = &ims[len(ims)-1].pixels
			continue
		case "expect":
			if len(ims) == 0 || len(fs) != 4 {
				t.Fatalf("%s: bad line %q", path, line)
			}
			p, err1 := strconv.Atoi(fs[1])
			r, err2 := strconv.ParseFloat(fs[2], 64)
			if err1 != nil || err2 != nil {
				t.Fatalf("%s: bad line %q", path, line)
			}
			im := &ims[len(ims)-1]
			im.cases = append(im.cases, skimageLBPCase{P: p, R: r, method: fs[3]})
			cur = &im.cases[len(im.cases)-1].want
			continue
		}
		if cur == nil {
			t.Fatalf("%s: numbers before any block", path)
		}
		row := make([]float64, len(fs))
		for i, s := range fs {
			if row[i], err = strconv.ParseFloat(s, 64); err != nil {
				t.Fatalf("%s: bad number %q", path, s)
			}
		}
		*cur = append(*cur, row)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return ims
}

// lbp2DSliceAxes gives, per force2Ddimension, the ITK axes of the slice's
// rows and columns (as in LBP2DCrop).
var lbp2DSliceAxes = [3][2]int{{1, 0}, {2, 0}, {1, 2}}

// checkSkimageLBP runs LBP2D on each image of a testdata file, placed in a
// one-voxel-thick volume along every force2Ddimension, with pixel type pt,
// and compares every pixel with scikit-image's output bit for bit (NaN
// equals NaN).
func checkSkimageLBP(t *testing.T, path string, pt volume.PixelType, minCases int) {
	ims := readSkimageLBP(t, path)
	n := 0
	for _, img := range ims {
		rows, cols := len(img.pixels), len(img.pixels[0])
		for _, c := range img.cases {
			n++
			for dim := 0; dim < 3; dim++ {
				rowAx, colAx := lbp2DSliceAxes[dim][0], lbp2DSliceAxes[dim][1]
				size := [3]int{1, 1, 1}
				size[rowAx], size[colAx] = rows, cols
				im := volume.New(volume.Geometry{Size: size, Spacing: [3]float64{1, 1, 1}, Direction: volume.Identity}, pt)
				at := func(r, c int) int {
					var p [3]int
					p[rowAx], p[colAx] = r, c
					return im.Index(p[0], p[1], p[2])
				}
				for r := 0; r < rows; r++ {
					for cc := 0; cc < cols; cc++ {
						im.Data[at(r, cc)] = img.pixels[r][cc]
					}
				}
				out, err := LBP2D(im, c.R, c.P, c.method, dim)
				if err != nil {
					t.Fatal(err)
				}
				bad := 0
				for r := 0; r < rows; r++ {
					for cc := 0; cc < cols; cc++ {
						got, want := out.Data[at(r, cc)], npCast(pt, c.want[r][cc])
						if math.Float64bits(got) != math.Float64bits(want) && !(math.IsNaN(got) && math.IsNaN(want)) {
							if bad++; bad <= 3 {
								t.Errorf("%s %s P=%d R=%v dim %d: (%d,%d) = %v, scikit-image %v", img.name, c.method, c.P, c.R, dim, r, cc, got, want)
							}
						}
					}
				}
			}
		}
	}
	if n < minCases {
		t.Fatalf("%s: %d cases, want at least %d", path, n, minCases)
	}
}

// TestLBP2DSkimagePublished checks LBP2D's per-slice computation against the
// expected arrays scikit-image publishes in its own tests for
// local_binary_pattern (P = 8, R = 1; default, ror, uniform, nri_uniform),
// with the image in float64 (scikit-image 0.19) and in uint8 (its current
// test, and PyRadiomics writes the codes back into the uint8 array).
func TestLBP2DSkimagePublished(t *testing.T) {
	checkSkimageLBP(t, "testdata/lbp2d_skimage.txt", volume.Float64, 4)
	checkSkimageLBP(t, "testdata/lbp2d_skimage.txt", volume.UInt8, 4)
}

// TestLBP2DSkimageGenerated checks LBP2D against local_binary_pattern
// outputs computed with scikit-image 0.19.3 (Debian 12's python3-skimage,
// the version beside the reference data's NumPy 1.24.2) for two images (one
// with many ties) and P, R = (4, 1), (8, 1), (8, 2.5), (12, 1.5), (16, 2),
// (24, 3) with every method, 'var' included; all values bit for bit.
func TestLBP2DSkimageGenerated(t *testing.T) {
	checkSkimageLBP(t, "testdata/lbp2d_skimage_0.19.3.txt", volume.Float64, 60)
}
