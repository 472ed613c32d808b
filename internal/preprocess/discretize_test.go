package preprocess

import (
	"math"
	"math/rand"
	"testing"

	"github.com/spinerad/spinerad/internal/volume"
)

func TestDiscretizeBinWidth(t *testing.T) {
	cases := []struct {
		name    string
		values  []float64
		roi     []bool
		w       float64
		want    []int32
		wantMax int32
	}{
		// Spec 7.1: ROI 54..166, w 25, edges 50,75,...,200.
		{"spec 54..166", []float64{54, 75, 100, 166, 74, 125, 150, 149.999}, nil, 25,
			[]int32{1, 2, 3, 5, 1, 4, 5, 4}, 5},
		// brain1 range 468..1266: edges 450..1300, Ng 33.
		{"brain1 range", []float64{468, 1266, 475, 500}, nil, 25, []int32{1, 33, 2, 3}, 33},
		// Negative minimum: -1024 gives lo = -1025.
		{"negative min", []float64{-1024, -1000, -1001, -975, 0}, nil, 25, []int32{1, 2, 1, 3, 42}, 42},
		// Non-ROI voxels get 0 and do not enter min/max.
		{"roi mask", []float64{-5000, 54, 166, 9999}, []bool{false, true, true, false}, 25,
			[]int32{0, 1, 5, 0}, 5},
		// NumPy arange rule (element i = lo + i*((lo+w)-lo)): lo = -3.3000000000000003,
		// edge 4 = -2.9 (naive lo+4w: -2.9000000000000004), edge 6 = -2.6999999999999997.
		{"arange rule", []float64{-3.3, -2.9000000000000004, -2.9, -2.7, -2.6999999999999997, 5}, nil, 0.1,
			[]int32{1, 4, 5, 6, 7, 83}, 83},
		// Flat ROI on an edge: edges 100, 125, 150 -> level 1.
		{"flat on edge", []float64{100, 100}, nil, 25, []int32{1, 1}, 1},
		{"bad width", []float64{1, 2}, nil, 0, []int32{0, 0}, 0},
		{"empty roi", []float64{1, 2}, []bool{false, false}, 25, []int32{0, 0}, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			out := make([]int32, len(c.values))
			for i := range out {
				out[i] = -7 // must be overwritten
			}
			got := DiscretizeBinWidth(c.values, c.roi, c.w, out)
			if got != c.wantMax {
				t.Errorf("maxLevel = %d, want %d", got, c.wantMax)
			}
			for i := range out {
				if out[i] != c.want[i] {
					t.Errorf("value %v: level %d, want %d", c.values[i], out[i], c.want[i])
				}
			}
		})
	}
	if got := DiscretizeBinWidth([]float64{1, 2}, nil, 25, make([]int32, 1)); got != 0 {
		t.Errorf("length mismatch: got %d, want 0", got)
	}
}

func TestBinWidthEdges(t *testing.T) {
	lo, delta, n := BinWidthEdges(54, 166, 25)
	if lo != 50 || delta != 25 || n != 7 {
		t.Errorf("got lo %v delta %v n %d, want 50 25 7", lo, delta, n)
	}
	lo, _, n = BinWidthEdges(468, 1266, 25)
	if lo != 450 || n != 35 { // 450..1300
		t.Errorf("got lo %v n %d, want 450 35", lo, n)
	}
	lo, _, _ = BinWidthEdges(-1024, 0, 25)
	if lo != -1025 {
		t.Errorf("got lo %v, want -1025", lo)
	}
}

func TestDiscretizeBinCount(t *testing.T) {
	f32 := func(x float64) float64 { return float64(float32(x)) }
	cases := []struct {
		name    string
		values  []float64
		n       int
		pt      volume.PixelType
		want    []int32
		wantMax int32
	}{
		// Flat ROI: edges (v-0.5) + k/N -> level floor(N/2)+1.
		{"flat 64", []float64{7, 7, 7}, 64, volume.Int16, []int32{33, 33, 33}, 33},
		{"flat 5", []float64{-3.25, -3.25}, 5, volume.Float64, []int32{3, 3}, 3},
		{"flat 1", []float64{2}, 1, volume.Int16, []int32{1}, 1},
		// 0..10 in 5 bins: edges 0,2,4,6,8,11; values on interior edges go up.
		{"on edges", []float64{0, 2, 4, 9, 10, 1.999, 8, 7.9999}, 5, volume.Int16,
			[]int32{1, 2, 3, 5, 5, 1, 5, 4}, 5},
		// float32 image: float64 edges 0.10000000397364299, 0.20000000794728598 round to
		// float32 0.10000000149011612, 0.20000000298023224 = the float32 values 0.1, 0.2.
		{"float32 edges", []float64{0, f32(0.1), f32(0.2), f32(0.3)}, 3, volume.Float32,
			[]int32{1, 2, 3, 3}, 3},
		{"float64 edges", []float64{0, f32(0.1), f32(0.2), f32(0.3)}, 3, volume.Float64,
			[]int32{1, 1, 2, 3}, 3},
		{"bad n", []float64{1, 2}, 0, volume.Int16, []int32{0, 0}, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			out := make([]int32, len(c.values))
			got := DiscretizeBinCount(c.values, nil, c.n, c.pt, out)
			if got != c.wantMax {
				t.Errorf("maxLevel = %d, want %d", got, c.wantMax)
			}
			for i := range out {
				if out[i] != c.want[i] {
					t.Errorf("value %v: level %d, want %d", c.values[i], out[i], c.want[i])
				}
			}
		})
	}
}

// explicitEdgesLevels builds the edge array the NumPy way and counts edges
// linearly: an independent check of the closed form plus correction.
func explicitBinWidthLevels(values []float64, w float64) []int32 {
	mn, mx := math.Inf(1), math.Inf(-1)
	for _, v := range values {
		mn, mx = math.Min(mn, v), math.Max(mx, v)
	}
	lo := mn - pyMod(mn, w)
	n := int(math.Ceil(((mx + 2*w) - lo) / w))
	d := (lo + w) - lo
	edges := []float64{lo, lo + w}
	for i := 2; i < n; i++ {
		edges = append(edges, float64(float64(i)*d)+lo)
	}
	out := make([]int32, len(values))
	for i, v := range values {
		for _, e := range edges {
			if e <= v {
				out[i]++
			}
		}
	}
	return out
}

func TestDiscretizeBinWidthRandom(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	widths := []float64{0.1, 0.3, 1.7, 5, 25, 1e-3}
	for trial := 0; trial < 300; trial++ {
		w := widths[trial%len(widths)]
		n := 1 + rng.Intn(50)
		vals := make([]float64, n)
		base := rng.NormFloat64() * 100
		for i := range vals {
			// Snap some values onto multiples of w to exercise edge ties.
			v := base + rng.Float64()*w*20
			if rng.Intn(3) == 0 {
				v = math.Round(v/w) * w
			}
			vals[i] = v
		}
		if trial%50 == 49 {
			// more edges than maxEdgeTable: the untabulated path
			vals[0], w = base-1, 1e-4
			vals[n-1] = base + float64(maxEdgeTable)*2e-4
		}
		want := explicitBinWidthLevels(vals, w)
		out := make([]int32, n)
		DiscretizeBinWidth(vals, nil, w, out)
		for i := range out {
			if out[i] != want[i] {
				t.Fatalf("trial %d w %v value %v: level %d, want %d", trial, w, vals[i], out[i], want[i])
			}
		}
	}
}
