package figures

import (
	"bytes"
	"encoding/binary"
	"encoding/xml"
	"errors"
	"image/png"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gonum.org/v1/plot/vg"
)

// figureCase writes one figure to out.
type figureCase struct {
	name  string
	write func(out Output) error
}

// smallCases are small synthetic inputs for every figure function.
func smallCases() []figureCase {
	lam := []float64{0.2, 0.1, 0.05, 0.02, 0.01}
	thr := []float64{0.1, 0.2, 0.3, 0.4, 0.5}
	return []figureCase{
		{"lasso_path", func(o Output) error {
			return LassoPath(lam, [][]float64{{0, 0, 0.1, 0.3, 0.4}, {0, -0.05, -0.2, -0.3, -0.35}, {0, 0, 0, 0, 0.02}},
				[]string{"original_firstorder_Mean", "wavelet-LLH_glcm_Idn", "log-sigma-3-0-mm-3D_glszm_SmallAreaLowGrayLevelEmphasis"}, 0.02, 0.05, "", o)
		}},
		{"lasso_cv", func(o Output) error {
			return LassoCV(lam, []float64{1.38, 1.2, 1.0, 0.95, 1.0}, []float64{1.42, 1.25, 1.06, 1.01, 1.07},
				[]float64{1.34, 1.15, 0.94, 0.89, 0.93}, []int{0, 1, 2, 2, 3}, 0.02, 0.05, "deviance", "", o)
		}},
		{"coefficients", func(o Output) error {
			return Coefficients([]string{"original_shape_Sphericity", "wavelet-LLH_glcm_Idn", "log-sigma-3-0-mm-3D_glszm_SmallAreaLowGrayLevelEmphasis"},
				[]float64{0.42, -0.31, 0.05}, "", o)
		}},
		{"radscore", func(o Output) error {
			return RadScore([]float64{-1, -0.5, 0.2, 0.8, 1.5, -0.2}, []int{0, 0, 0, 1, 1, 1}, "validation cohort", o)
		}},
		{"roc", func(o Output) error {
			return ROC([]ROCCurve{
				{Name: "Clinical", FPR: []float64{0, 0.3, 0.6, 1}, TPR: []float64{0, 0.4, 0.8, 1}, AUC: 0.64, CILow: 0.5, CIHigh: 0.78},
				{Name: "Combined", FPR: []float64{0, 0.1, 0.3, 1}, TPR: []float64{0, 0.6, 0.9, 1}, AUC: 0.85, CILow: math.NaN(), CIHigh: math.NaN()},
			}, "ROC, validation cohort", o)
		}},
		{"calibration", func(o Output) error {
			return Calibration([]CalibrationSeries{{
				Name:           "Combined",
				GroupPredicted: []float64{0.1, 0.5, 0.9}, GroupObserved: []float64{0.15, 0.45, 0.85},
				ApparentX: []float64{0, 0.5, 1}, ApparentY: []float64{0.05, 0.5, 0.95},
				CorrectedX: []float64{0, 0.5, 1}, CorrectedY: []float64{0.08, 0.5, math.NaN()},
				Predictions: []float64{0.1, 0.2, 0.8},
			}}, "Calibration", o)
		}},
		{"dca", func(o Output) error {
			return DecisionCurve(thr, []NamedSeries{{"Clinical", []float64{0.3, 0.25, 0.2, 0.1, math.NaN()}}},
				[]float64{0.4, 0.3, 0.1, -0.2, -0.6}, "Decision curve", o)
		}},
		{"cic", func(o Output) error {
			return ClinicalImpact(thr, []float64{900, 700, 500, 300, 100}, []float64{450, 420, 380, 250, 90}, "Clinical impact", o)
		}},
		{"net_reduction", func(o Output) error {
			return NetReduction(thr, []NamedSeries{{"Radiomics", []float64{-5, 10, 30, 40, 50}}}, "Net reduction", o)
		}},
		{"nomogram", func(o Output) error {
			return Nomogram(NomogramSpec{
				Title: "Nomogram",
				Predictors: []NomogramAxis{
					{Name: "log(CA125)", Ticks: []NomogramTick{{Value: 1, Points: 0}, {Value: 3, Points: 50}, {Value: 5, Points: 100}}},
					{Name: "Posterior involvement", Ticks: []NomogramTick{{Label: "No", Points: 0}, {Label: "Yes", Points: 40}}},
				},
				TotalPoints: []float64{0, 50, 100, 140},
				Risk:        []NomogramTick{{Value: 0.1, Points: 20}, {Value: 0.5, Points: 70}, {Value: 0.9, Points: 120}},
			}, o)
		}},
	}
}

// checkFiles verifies the three files of out: SVG well-formed XML, PNG of
// the expected pixel size with a 300-dpi pHYs chunk, PDF framing.
func checkFiles(t *testing.T, out Output) {
	t.Helper()
	svgPath, pngPath, pdfPath := out.Paths()
	svg, err := os.ReadFile(svgPath)
	if err != nil || len(svg) == 0 {
		t.Fatalf("svg: %v (%d bytes)", err, len(svg))
	}
	dec := xml.NewDecoder(bytes.NewReader(svg))
	root := ""
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("svg is not well-formed XML: %v", err)
		}
		if se, ok := tok.(xml.StartElement); ok && root == "" {
			root = se.Name.Local
		}
	}
	if root != "svg" {
		t.Errorf("svg root element %q", root)
	}
	if bytes.Contains(svg, []byte("font-family:Liberation Sans;")) {
		t.Errorf("svg font family without fallbacks")
	}

	pb, err := os.ReadFile(pngPath)
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(pb))
	if err != nil {
		t.Fatalf("png: %v", err)
	}
	wantW := int(math.Round(float64(out.Width/vg.Inch) * DPI))
	wantH := int(math.Round(float64(out.Height/vg.Inch) * DPI))
	if b := img.Bounds(); b.Dx() != wantW || b.Dy() != wantH {
		t.Errorf("png is %dx%d, want %dx%d", b.Dx(), b.Dy(), wantW, wantH)
	}
	i := bytes.Index(pb, []byte("pHYs"))
	if i < 0 {
		t.Errorf("png has no pHYs chunk")
	} else if ppm := binary.BigEndian.Uint32(pb[i+4:]); ppm != 11811 || pb[i+12] != 1 {
		t.Errorf("pHYs %d px/unit, unit %d; want 11811 px/m (300 dpi)", ppm, pb[i+12])
	}

	pdf, err := os.ReadFile(pdfPath)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(pdf, []byte("%PDF-")) || !bytes.Contains(pdf[max(0, len(pdf)-32):], []byte("%%EOF")) {
		t.Errorf("pdf framing wrong (%d bytes)", len(pdf))
	}
	if !bytes.Contains(pdf, []byte("/CreationDate (D:20000101000000)")) && os.Getenv("SOURCE_DATE_EPOCH") == "" {
		t.Errorf("pdf creation date not fixed")
	}
}

func TestFiguresWriteThreeFiles(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range smallCases() {
		t.Run(tc.name, func(t *testing.T) {
			out := Output{Dir: dir, Name: tc.name, Width: 5 * vg.Inch, Height: 4 * vg.Inch}
			if err := tc.write(out); err != nil {
				t.Fatal(err)
			}
			checkFiles(t, out)
		})
	}
	// no temporary files left behind
	ents, _ := os.ReadDir(dir)
	for _, e := range ents {
		if strings.HasPrefix(e.Name(), ".") {
			t.Errorf("leftover %s", e.Name())
		}
	}
}

func TestDeterministic(t *testing.T) {
	a, b := t.TempDir(), t.TempDir()
	for _, tc := range smallCases() {
		t.Run(tc.name, func(t *testing.T) {
			oa := Output{Dir: a, Name: tc.name}
			ob := Output{Dir: b, Name: tc.name}
			if err := tc.write(oa); err != nil {
				t.Fatal(err)
			}
			if err := tc.write(ob); err != nil {
				t.Fatal(err)
			}
			pa := [3]string{}
			pb := [3]string{}
			pa[0], pa[1], pa[2] = oa.Paths()
			pb[0], pb[1], pb[2] = ob.Paths()
			for k := range pa {
				x, _ := os.ReadFile(pa[k])
				y, _ := os.ReadFile(pb[k])
				if len(x) == 0 || !bytes.Equal(x, y) {
					t.Errorf("%s differs between runs (%d vs %d bytes)", filepath.Ext(pa[k]), len(x), len(y))
				}
			}
		})
	}
}

func TestDefaultSizes(t *testing.T) {
	dir := t.TempDir()
	// Coefficients: 6.5 in wide, 0.8 in + 0.36 in per (wrapped) feature
	if err := smallCases()[2].write(Output{Dir: dir, Name: "c"}); err != nil {
		t.Fatal(err)
	}
	checkFiles(t, Output{Dir: dir, Name: "c", Width: 6.5 * vg.Inch, Height: 0.8*vg.Inch + 3*0.36*vg.Inch})
	// ROC: 4.2 x 4.2 in
	if err := smallCases()[4].write(Output{Dir: dir, Name: "r"}); err != nil {
		t.Fatal(err)
	}
	checkFiles(t, Output{Dir: dir, Name: "r", Width: 4.2 * vg.Inch, Height: 4.2 * vg.Inch})
}

func TestBadInput(t *testing.T) {
	dir := t.TempDir()
	o := Output{Dir: dir, Name: "bad"}
	nan := math.NaN()
	cases := []struct {
		name string
		err  error
	}{
		{"empty name", ROC([]ROCCurve{{Name: "a", FPR: []float64{0, 1}, TPR: []float64{0, 1}, AUC: 0.5}}, "", Output{Dir: dir})},
		{"name with slash", ROC([]ROCCurve{{Name: "a", FPR: []float64{0, 1}, TPR: []float64{0, 1}, AUC: 0.5}}, "", Output{Dir: dir, Name: "a/b"})},
		{"missing dir", ROC([]ROCCurve{{Name: "a", FPR: []float64{0, 1}, TPR: []float64{0, 1}, AUC: 0.5}}, "", Output{Dir: filepath.Join(dir, "nope"), Name: "x"})},
		{"roc none", ROC(nil, "", o)},
		{"roc length", ROC([]ROCCurve{{Name: "a", FPR: []float64{0, 1}, TPR: []float64{0}, AUC: 0.5}}, "", o)},
		{"roc rate", ROC([]ROCCurve{{Name: "a", FPR: []float64{0, 1.2}, TPR: []float64{0, 1}, AUC: 0.5}}, "", o)},
		{"roc nan", ROC([]ROCCurve{{Name: "a", FPR: []float64{0, nan}, TPR: []float64{0, 1}, AUC: 0.5}}, "", o)},
		{"roc auc", ROC([]ROCCurve{{Name: "a", FPR: []float64{0, 1}, TPR: []float64{0, 1}, AUC: nan}}, "", o)},
		{"radscore class", RadScore([]float64{1, 2}, []int{0, 2}, "", o)},
		{"radscore one class", RadScore([]float64{1, 2}, []int{1, 1}, "", o)},
		{"radscore length", RadScore([]float64{1, 2}, []int{1}, "", o)},
		{"path lambda", LassoPath([]float64{0.1, 0}, [][]float64{{1, 2}}, []string{"a"}, 0.1, 0.1, "", o)},
		{"path names", LassoPath([]float64{0.1, 0.01}, [][]float64{{1, 2}}, nil, 0.1, 0.1, "", o)},
		{"path coef length", LassoPath([]float64{0.1, 0.01}, [][]float64{{1}}, []string{"a"}, 0.1, 0.1, "", o)},
		{"path lambda.min", LassoPath([]float64{0.1, 0.01}, [][]float64{{1, 2}}, []string{"a"}, -1, 0.1, "", o)},
		{"cv length", LassoCV([]float64{0.1, 0.01}, []float64{1}, []float64{1, 2}, []float64{1, 2}, []int{0, 1}, 0.1, 0.1, "auc", "", o)},
		{"cv inf", LassoCV([]float64{0.1, 0.01}, []float64{1, math.Inf(1)}, []float64{1, 2}, []float64{1, 2}, []int{0, 1}, 0.1, 0.1, "auc", "", o)},
		{"coef none", Coefficients(nil, nil, "", o)},
		{"coef names", Coefficients([]string{"a"}, []float64{1, 2}, "", o)},
		{"cal none", Calibration(nil, "", o)},
		{"cal empty series", Calibration([]CalibrationSeries{{Name: "a"}}, "", o)},
		{"cal prob", Calibration([]CalibrationSeries{{Name: "a", ApparentX: []float64{0, 1.5}, ApparentY: []float64{0, 1}}}, "", o)},
		{"cal length", Calibration([]CalibrationSeries{{Name: "a", ApparentX: []float64{0, 1}, ApparentY: []float64{0}}}, "", o)},
		{"dca thresholds", DecisionCurve([]float64{0.2, 0.1}, []NamedSeries{{"a", []float64{0, 0}}}, []float64{0, 0}, "", o)},
		{"dca models", DecisionCurve([]float64{0.1, 0.2}, nil, []float64{0, 0}, "", o)},
		{"dca length", DecisionCurve([]float64{0.1, 0.2}, []NamedSeries{{"a", []float64{0}}}, []float64{0, 0}, "", o)},
		{"dca inf", DecisionCurve([]float64{0.1, 0.2}, []NamedSeries{{"a", []float64{0, math.Inf(-1)}}}, []float64{0, 0}, "", o)},
		{"cic range", ClinicalImpact([]float64{0.1, 0.2}, []float64{1200, 500}, []float64{10, 10}, "", o)},
		{"nr none", NetReduction([]float64{0.1, 0.2}, nil, "", o)},
		{"nomo none", Nomogram(NomogramSpec{TotalPoints: []float64{0, 1}, Risk: []NomogramTick{{Value: 0.5, Points: 0.5}}}, o)},
		{"nomo points", Nomogram(NomogramSpec{Predictors: []NomogramAxis{{Name: "a", Ticks: []NomogramTick{{Value: 1, Points: 130}}}},
			TotalPoints: []float64{0, 100}, Risk: []NomogramTick{{Value: 0.5, Points: 50}}}, o)},
		{"nomo risk outside", Nomogram(NomogramSpec{Predictors: []NomogramAxis{{Name: "a", Ticks: []NomogramTick{{Value: 1, Points: 100}}}},
			TotalPoints: []float64{0, 100}, Risk: []NomogramTick{{Value: 0.5, Points: 150}}}, o)},
		{"nomo total order", Nomogram(NomogramSpec{Predictors: []NomogramAxis{{Name: "a", Ticks: []NomogramTick{{Value: 1, Points: 100}}}},
			TotalPoints: []float64{100, 0}, Risk: []NomogramTick{{Value: 0.5, Points: 50}}}, o)},
		{"save nil", Save(nil, vg.Inch, vg.Inch, o)},
		{"save size", Save(NewPlot("", "", ""), 0, vg.Inch, o)},
	}
	for _, c := range cases {
		if c.err == nil {
			t.Errorf("%s: no error", c.name)
		}
	}
	ents, _ := os.ReadDir(dir)
	if len(ents) != 0 {
		t.Errorf("bad input left %d files", len(ents))
	}
}

func TestToCP1252(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"AUC 0.846", "AUC 0.846"},
		{"0.75\u20130.94", "0.75\x960.94"},
		{"\u00b1\u00e9", "\xb1\xe9"},
		{"\u2026\u20ac", "\x85\x80"},
		{"\u03bb \u2264", "? ?"},
	} {
		if got := toCP1252(c.in); got != c.want {
			t.Errorf("toCP1252(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestCostBenefit(t *testing.T) {
	for _, c := range []struct {
		t    float64
		want string
	}{{0, ""}, {0.2, "1:4"}, {0.25, "1:3"}, {0.5, "1:1"}, {0.6, "3:2"}, {0.15, "3:17"}, {0.8, "4:1"}, {1, ""}} {
		if got := costBenefit(c.t); got != c.want {
			t.Errorf("costBenefit(%v) = %q, want %q", c.t, got, c.want)
		}
	}
}

func TestQuantile7(t *testing.T) {
	// R: quantile(1:10, c(.25, .5, .75)) = 3.25 5.5 7.75;
	//    quantile(c(1, 2, 3, 4, 10), .25) = 2
	ten := []float64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}
	for _, c := range []struct {
		x    []float64
		q    float64
		want float64
	}{{ten, 0.25, 3.25}, {ten, 0.5, 5.5}, {ten, 0.75, 7.75}, {[]float64{1, 2, 3, 4, 10}, 0.25, 2}, {ten, 1, 10}, {ten, 0, 1}} {
		if got := quantile7(c.x, c.q); math.Abs(got-c.want) > 1e-12 {
			t.Errorf("quantile7(%v) = %v, want %v", c.q, got, c.want)
		}
	}
}

func TestSegmentHitsRect(t *testing.T) {
	r := vg.Rectangle{Min: vg.Point{X: 0, Y: 0}, Max: vg.Point{X: 10, Y: 10}}
	for _, c := range []struct {
		s    [4]float64
		want bool
	}{
		{[4]float64{-5, 5, 15, 5}, true},    // crosses
		{[4]float64{2, 2, 3, 3}, true},      // inside
		{[4]float64{-5, -5, -1, 20}, false}, // left of it
		{[4]float64{-5, 12, 12, 20}, false}, // above
		{[4]float64{-5, 4, 5, 14}, true},    // clips the corner
		{[4]float64{5, 5, 5, 5}, true},      // a point inside
		{[4]float64{11, 5, 11, 5}, false},   // a point outside
	} {
		if got := segmentHitsRect(c.s[0], c.s[1], c.s[2], c.s[3], r); got != c.want {
			t.Errorf("segmentHitsRect(%v) = %v", c.s, got)
		}
	}
}

func TestModelColor(t *testing.T) {
	for _, c := range []struct {
		name string
		want any
	}{
		{"Clinical", ColorClinical}, {"clinical model", ColorClinical},
		{"Radiomics", ColorRadiomics}, {"Rad-score", ColorRadiomics},
		{"Combined", ColorCombined}, {"Combined (clinical + radiomics)", ColorCombined}, {"Nomogram", ColorCombined},
	} {
		if got := ModelColor(c.name, 5); got != c.want {
			t.Errorf("ModelColor(%q) = %v", c.name, got)
		}
	}
	if ModelColor("x", 0) == ModelColor("y", 1) {
		t.Errorf("other models share a colour")
	}
}

func TestWrapName(t *testing.T) {
	sty := textStyle(sansFont, tickSize)
	if got := wrapName("original_shape_Sphericity", sty, 3*vg.Inch); got != "original_shape_Sphericity" {
		t.Errorf("short name wrapped: %q", got)
	}
	got := wrapName("log-sigma-3-0-mm-3D_glszm_SmallAreaLowGrayLevelEmphasis", sty, 2*vg.Inch)
	if strings.ReplaceAll(got, "\n", "") != "log-sigma-3-0-mm-3D_glszm_SmallAreaLowGrayLevelEmphasis" || strings.Count(got, "\n") != 1 {
		t.Errorf("wrapName = %q", got)
	}
}
