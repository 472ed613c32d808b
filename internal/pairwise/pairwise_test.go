package pairwise

import (
	"math"
	"testing"
)

// TestSumGrouping checks the accumulator order and the split points with
// sums whose value depends on the order of the additions.
func TestSumGrouping(t *testing.T) {
	// 1e16 + 1 + 1 ... : the order of additions decides the result.
	a := make([]float64, 20)
	a[0] = 1e16
	for i := 1; i < len(a); i++ {
		a[i] = 1
	}
	// n = 20: accumulators r0 = a0 + a8, r1..r7 = a_j + a_{j+8}, then a16..a19.
	r0 := a[0] + a[8]
	want := ((r0 + 2) + (2 + 2)) + ((2 + 2) + (2 + 2))
	for i := 16; i < 20; i++ {
		want += a[i]
	}
	if got := Sum(a); got != want {
		t.Errorf("Sum = %v, want %v", got, want)
	}
	// Fewer than 8 values: in order, so each +1 is lost against 1e16 (the
	// spacing of doubles there is 2).
	if got := Sum(a[:5]); got != 1e16 {
		t.Errorf("short sum %v", got)
	}
	// Long arrays split at n/2 - (n/2)%8.
	b := make([]float32, 300)
	for i := range b {
		b[i] = float32(math.Sin(float64(i)))
	}
	n2 := 150 - 150%8
	if got, want := Sum(b), Sum(b[:n2])+Sum(b[n2:]); got != want {
		t.Errorf("split: %v vs %v", got, want)
	}
}
