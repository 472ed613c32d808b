package features

import (
	"math"
	"math/rand"
	"slices"
	"testing"

	"github.com/spinerad/spinerad/internal/pairwise"
)

// foClose fails unless got is within rel (relative) or abs (absolute) of want.
func foClose(t *testing.T, name string, got, want, rel, abs float64) {
	t.Helper()
	if math.IsNaN(want) {
		if !math.IsNaN(got) {
			t.Errorf("%s = %.17g, want NaN", name, got)
		}
		return
	}
	if d := math.Abs(got - want); !(d <= abs || d <= rel*math.Abs(want)) {
		t.Errorf("%s = %.17g, want %.17g (diff %.3g)", name, got, want, d)
	}
}

// foFeatureMap returns the values of class cn for r and s by feature name.
func foFeatureMap(t *testing.T, cn string, r *Region, s *Settings) map[string]float64 {
	t.Helper()
	c, ok := Lookup(cn)
	if !ok {
		t.Fatalf("class %s not registered", cn)
	}
	vals, err := c.Compute(r, s)
	if err != nil {
		t.Fatalf("%s: %v", cn, err)
	}
	if len(vals) != len(c.Features) {
		t.Fatalf("%s: %d values for %d features", cn, len(vals), len(c.Features))
	}
	m := map[string]float64{}
	for i, f := range c.Features {
		m[f.Name] = vals[i]
	}
	return m
}

// foLineRegion returns a 1x1xn region (ITK size (n, 1, 1)) of values and levels, all in the ROI.
func foLineRegion(values []float64, levels []int32, spacing [3]float64) *Region {
	roi := make([]bool, len(values))
	for i := range roi {
		roi[i] = true
	}
	return &Region{Size: [3]int{len(values), 1, 1}, Spacing: spacing, Values: values, ROI: roi, Levels: levels}
}

func TestFirstOrderHand(t *testing.T) {
	// X = [1, 2, 3, 4, 10], levels [1, 1, 1, 1, 3] (occupied levels 1 and 3:
	// p = 0.8, 0.2), spacing (2, 3, 4) mm: voxel volume 24.
	// mean 4; deviations -3 -2 -1 0 6; m2 = 50/5 = 10; m3 = 180/5 = 36; m4 = 1394/5 = 278.8.
	// Percentiles (n = 5, h = 4q): P10 = 1 + 0.4*1 = 1.4; P90 = 10 - 6*0.4 = 7.6; P25 = 2; P75 = 4.
	// rMAD keeps {2, 3, 4} (within [1.4, 7.6]), mean 3, mean |dev| = 2/3.
	x := []float64{1, 2, 3, 4, 10}
	lv := []int32{1, 1, 1, 1, 3}
	cases := []struct {
		name  string
		shift float64
		want  map[string]float64
	}{
		{"shift0", 0, map[string]float64{
			"10Percentile": 1.4, "90Percentile": 7.6, "Energy": 130, "Entropy": 0.7219280948873623,
			"InterquartileRange": 2, "Kurtosis": 2.788, "Maximum": 10, "MeanAbsoluteDeviation": 2.4,
			"Mean": 4, "Median": 3, "Minimum": 1, "Range": 9, "RobustMeanAbsoluteDeviation": 2.0 / 3,
			"RootMeanSquared": math.Sqrt(26), "Skewness": 36 / math.Pow(10, 1.5),
			"StandardDeviation": math.Sqrt(10), "TotalEnergy": 130 * 24, "Uniformity": 0.68, "Variance": 10,
		}},
		// voxelArrayShift 10: (11^2 + 12^2 + 13^2 + 14^2 + 20^2) = 1030; nothing else moves.
		{"shift10", 10, map[string]float64{
			"Energy": 1030, "TotalEnergy": 1030 * 24, "RootMeanSquared": math.Sqrt(206),
			"Mean": 4, "Variance": 10, "Minimum": 1, "Skewness": 36 / math.Pow(10, 1.5),
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := DefaultSettings()
			s.VoxelArrayShift = c.shift
			got := foFeatureMap(t, "firstorder", foLineRegion(x, lv, [3]float64{2, 3, 4}), &s)
			for name, want := range c.want {
				foClose(t, name, got[name], want, 1e-14, 1e-15)
			}
		})
	}
}

func TestFirstOrderEvenMedianAndROI(t *testing.T) {
	// Only ROI voxels count: X = [4, 1, 3, 2] out of [4, 100, 1, 3, 2, -50].
	// Sorted 1 2 3 4: median 2.5; P10: h = 0.3 -> 1.3; P90: h = 2.7 -> 4 - 1*0.3 = 3.7.
	r := &Region{
		Size:    [3]int{3, 2, 1},
		Spacing: [3]float64{1, 1, 1},
		Values:  []float64{4, 100, 1, 3, 2, -50},
		ROI:     []bool{true, false, true, true, true, false},
		Levels:  []int32{1, 0, 1, 1, 1, 0},
	}
	got := foFeatureMap(t, "firstorder", r, nil)
	want := map[string]float64{"Median": 2.5, "10Percentile": 1.3, "90Percentile": 3.7,
		"Minimum": 1, "Maximum": 4, "Mean": 2.5, "Energy": 30, "Uniformity": 1}
	for name, w := range want {
		foClose(t, name, got[name], w, 1e-14, 1e-15)
	}
}

func TestFirstOrderFlat(t *testing.T) {
	// Flat ROI (section 12): entropy -log2(1 + eps) = -3.2034265038149176e-16,
	// m2 = 0 replaced by 1, so Skewness = m3 = 0 and Kurtosis = m4 = 0.
	x := []float64{7, 7, 7, 7, 7, 7, 7}
	lv := []int32{1, 1, 1, 1, 1, 1, 1}
	got := foFeatureMap(t, "firstorder", foLineRegion(x, lv, [3]float64{1, 1, 1}), nil)
	want := map[string]float64{
		"Entropy": -3.2034265038149176e-16, "Uniformity": 1, "Skewness": 0, "Kurtosis": 0,
		"Variance": 0, "InterquartileRange": 0, "Range": 0, "MeanAbsoluteDeviation": 0,
		"RobustMeanAbsoluteDeviation": 0, "Mean": 7, "Median": 7, "Energy": 343, "RootMeanSquared": 7,
	}
	for name, w := range want {
		if got[name] != w {
			t.Errorf("%s = %.17g, want %.17g", name, got[name], w)
		}
	}
}

func TestFirstOrderErrors(t *testing.T) {
	good := func() *Region {
		return foLineRegion([]float64{1, 2}, []int32{1, 2}, [3]float64{1, 1, 1})
	}
	cases := []struct {
		name string
		mod  func(r *Region)
	}{
		{"short values", func(r *Region) { r.Values = r.Values[:1] }},
		{"no levels", func(r *Region) { r.Levels = nil }},
		{"level 0 in ROI", func(r *Region) { r.Levels[0] = 0 }},
		{"empty ROI", func(r *Region) { r.ROI = []bool{false, false} }},
		{"NaN value", func(r *Region) { r.Values[1] = math.NaN() }},
		{"bad size", func(r *Region) { r.Size = [3]int{2, 0, 1} }},
	}
	c, _ := Lookup("firstorder")
	for _, tc := range cases {
		r := good()
		tc.mod(r)
		if _, err := c.Compute(r, nil); err == nil {
			t.Errorf("%s: no error", tc.name)
		}
	}
	if _, err := c.Compute(nil, nil); err == nil {
		t.Error("nil region: no error")
	}
}

func TestPercentileNP(t *testing.T) {
	// Hand-computed with NumPy's linear rule: h = (n-1)*q/100.
	s := []float64{-5, 0, 2.5, 10}
	cases := []struct{ q, want float64 }{
		{0, -5}, {100, 10}, {50, 1.25}, {10, -5 + 5*0.3}, {90, 10 - 7.5*(1-0.7)}, {25, 0 - 5*(1-0.75)},
	}
	for _, c := range cases {
		foClose(t, "percentile", percentileNP(s, c.q), c.want, 1e-15, 1e-15)
	}
}

func TestPairwiseSumNP(t *testing.T) {
	// Values chosen so that the grouping shows: 1e16 + 1 + 1 ... is 1e16 in
	// order, but the pairwise blocks add the ones together first.
	a := make([]float64, 16)
	a[0] = 1e16
	for i := 1; i < 16; i++ {
		a[i] = 1
	}
	// 8 accumulators: r0 = 1e16 + 1 (= 1e16), r1..r7 = 2; (r0+r1) = 1e16+2,
	// (r2+r3) = 4, (r4+r5)+(r6+r7) = 8 -> 1e16 + 2 + 4 + 8 = 1e16 + 14.
	if got, want := pairwise.Sum(a), 1e16+14; got != want {
		t.Errorf("pairwise 16 = %.17g, want %.17g", got, want)
	}
	// n < 8: in order, every +1 is lost.
	if got := pairwise.Sum(a[:7]); got != 1e16 {
		t.Errorf("pairwise 7 = %.17g, want 1e16", got)
	}
	// n > 128 splits at n/2 - (n/2)%8: 200 ones sum exactly.
	b := make([]float64, 200)
	for i := range b {
		b[i] = 1
	}
	if got := pairwise.Sum(b); got != 200 {
		t.Errorf("pairwise 200 ones = %g", got)
	}
}

func TestPowNP(t *testing.T) {
	for _, d := range []float64{-3.3, 0.1, 1e-3, 7.123456789, -1e5} {
		foClose(t, "cube", cubeNP(d), d*d*d, 4e-16, 0)
		foClose(t, "pow4", pow4NP(d), d*d*d*d, 6e-16, 0)
	}
	if cubeNP(3) != 27 || pow4NP(-3) != 81 {
		t.Error("integer powers not exact")
	}
}

func TestOrderStatsMatchSort(t *testing.T) {
	// Histogram + quickselect ranks against a full sort, on random data with
	// many ties, skewed, too wide to scale, constant and distinct values, for
	// sizes on both sides of orderStatsMinN.
	rng := rand.New(rand.NewSource(3))
	for _, n := range []int{1, 2, 3, 5, 17, 100, 1000, 2047, 2048, 4137, 130001} {
		for _, kind := range []string{"distinct", "ties", "skewed", "wide", "constant"} {
			ties := kind != "distinct"
			x := make([]float64, n)
			for i := range x {
				switch kind {
				case "ties":
					x[i] = float64(rng.Intn(7))
				case "skewed": // most values in one histogram bucket, ties
					x[i] = math.Round(math.Exp(8*rng.Float64())) / 4
				case "wide": // max - min overflows
					x[i] = rng.NormFloat64() * 1e308
				case "constant":
					x[i] = -3
				default:
					x[i] = rng.NormFloat64()
				}
			}
			s := slices.Clone(x)
			slices.Sort(s)
			qs := []float64{10, 25, 75, 90}
			var bucket []uint16
			ost := newOrderStats(x, qs, s[0], s[n-1], &bucket)
			for _, q := range qs {
				if got, want := ost.percentile(q), percentileNP(s, q); got != want {
					t.Errorf("n %d ties %v: P%g = %g, want %g", n, ties, q, got, want)
				}
			}
			if got, want := ost.at((n-1)/2)+ost.at(n/2), s[(n-1)/2]+s[n/2]; got != want {
				t.Errorf("n %d: median ranks %g, want %g", n, got, want)
			}
		}
	}
}
