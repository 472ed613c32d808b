// Package pairwise reproduces NumPy's pairwise summation of a contiguous
// array (np.add.reduce, used by np.sum, np.mean and np.nanmean), whose exact
// order decides the last bits of PyRadiomics' sums.
package pairwise

// Sum adds a as NumPy does, accumulating in the element type: fewer than 8
// values in order; up to 128 values with eight interleaved accumulators
// combined as ((r0+r1)+(r2+r3))+((r4+r5)+(r6+r7)), then the n%8 remaining
// values in order; longer arrays split at n2 = n/2 - (n/2)%8 and the two
// halves summed recursively.
func Sum[T float32 | float64](a []T) T {
	n := len(a)
	switch {
	case n < 8:
		var res T
		for _, v := range a {
			res += v
		}
		return res
	case n <= 128:
		r0, r1, r2, r3 := a[0], a[1], a[2], a[3]
		r4, r5, r6, r7 := a[4], a[5], a[6], a[7]
		m := n - n%8
		i := 8
		for ; i < m; i += 8 {
			b := a[i : i+8 : i+8]
			r0 += b[0]
			r1 += b[1]
			r2 += b[2]
			r3 += b[3]
			r4 += b[4]
			r5 += b[5]
			r6 += b[6]
			r7 += b[7]
		}
		res := ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7))
		for ; i < n; i++ {
			res += a[i]
		}
		return res
	default:
		n2 := n / 2
		n2 -= n2 % 8
		return Sum(a[:n2]) + Sum(a[n2:])
	}
}
