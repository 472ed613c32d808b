package features

// This file computes the Gram matrix S = Y Yᵀ of the MCC's symmetric path
// exactly as gonum's Dsyrk (NoTrans, Upper, alpha 1, beta 0) does, faster.
//
// Dsyrk sets S(i,j), j >= i, to the dot product of rows i and j of Y by its
// DotUnitary kernel, which keeps four partial sums: A_r adds the products
// Y(i,k)Y(j,k) with k = r (mod 4), k < m4 = n - n%4, in increasing k, A_0
// then also the remaining k >= m4 in order, and the result is
// (A_0 + A_2) + (A_1 + A_3) (all sums starting at +0). Y >= 0, so every
// product is >= +0 and a partial sum is never -0: the products of the zero
// entries of row i, all +0, can be left out without changing a bit. mccGram
// therefore lists, for each row i, its nonzero entries by partial sum and
// forms the same four sums over them, for many j at once (the AVX2 kernel
// works on Yᵀ, eight columns j per step, with VMULPD then VADDPD, never
// fused); the lists are walked in lockstep, shorter ones padded with zero
// entries, so that the four sums advance independently.

// gramScratch holds the work buffers of mccGram for n levels.
type gramScratch struct {
	npad int       // n rounded up to a multiple of 8
	yt   []float64 // n*npad: Yᵀ, columns n..npad-1 zero
	vals []float64 // 4*L lockstep entries (value), see gramLists
	ks   []int     // 4*L lockstep entries (k)
	offs []int     // 4*L byte offsets k*npad*8 into yt
	out  []float64 // npad: one row of S
}

// gramLists fills g.vals and g.ks with the nonzero entries of row yr (length
// n) in lockstep: entry t of partial sum r at index 4t + r, padded with
// (0, k = 0). It returns the number of steps L. (Each row's byte offsets
// k*npad*8 go to g.offs.)
func (g *gramScratch) gramLists(yr []float64) int {
	n := len(yr)
	m4 := n - n%4
	size := 4 * (n/4 + 4)
	if cap(g.vals) < size {
		g.vals = make([]float64, size)
		g.ks = make([]int, size)
		g.offs = make([]int, size)
	}
	vals, ks := g.vals[:size], g.ks[:size]
	// cnt[r] is the next lockstep position of partial sum r.
	var cnt [4]int
	for k := 0; k < m4; k += 4 {
		for r, v := range yr[k : k+4] {
			if v != 0 {
				p := 4*cnt[r] + r
				vals[p], ks[p] = v, k+r
				cnt[r]++
			}
		}
	}
	for k := m4; k < n; k++ {
		if v := yr[k]; v != 0 {
			p := 4 * cnt[0]
			vals[p], ks[p] = v, k
			cnt[0]++
		}
	}
	L := max(cnt[0], cnt[1], cnt[2], cnt[3])
	for r, c := range cnt {
		for t := c; t < L; t++ {
			vals[4*t+r], ks[4*t+r] = 0, 0
		}
	}
	g.vals, g.ks, g.offs = vals[:4*L], ks[:4*L], g.offs[:4*L]
	return L
}

// mccGram sets the upper triangle of s (n*n, row-major) to Y Yᵀ for the n*n
// matrix y >= 0, bit for bit as gonum's Dsyrk (see above).
func mccGram(y []float64, n int, s []float64, g *gramScratch) {
	npad := (n + 7) &^ 7
	if g.npad != npad || len(g.yt) < n*npad {
		g.npad = npad
		g.yt = make([]float64, n*npad)
		g.out = make([]float64, npad)
	}
	yt := g.yt[:n*npad]
	for k := 0; k < n; k++ {
		row := yt[k*npad : (k+1)*npad]
		for j := 0; j < n; j++ {
			row[j] = y[j*n+k]
		}
		clear(row[n:])
	}
	for i := 0; i < n; i++ {
		L := g.gramLists(y[i*n : (i+1)*n])
		j0 := i &^ 7
		srow := s[i*n : (i+1)*n]
		if L == 0 {
			clear(srow[i:])
			continue
		}
		if gramAsm {
			for t, k := range g.ks {
				g.offs[t] = k * npad * 8
			}
			gramRowAVX2(&yt[j0], (npad-j0)/8, &g.vals[0], &g.offs[0], L, &g.out[j0])
			copy(srow[i:], g.out[i:n])
			continue
		}
		gramRowGo(yt, npad, g.vals, g.ks, i, n, srow)
	}
}

// gramRowGo sets srow[j], i <= j < n, to the dot products of the lockstep
// entries (vals, ks) with column j of Y (yt = Yᵀ with row stride npad), as
// (A_0 + A_2) + (A_1 + A_3).
func gramRowGo(yt []float64, npad int, vals []float64, ks []int, i, n int, srow []float64) {
	for j := i; j < n; j++ {
		var a0, a1, a2, a3 float64
		for t := 0; t+3 < len(vals); t += 4 {
			a0 += float64(vals[t] * yt[ks[t]*npad+j])
			a1 += float64(vals[t+1] * yt[ks[t+1]*npad+j])
			a2 += float64(vals[t+2] * yt[ks[t+2]*npad+j])
			a3 += float64(vals[t+3] * yt[ks[t+3]*npad+j])
		}
		srow[j] = (a0 + a2) + (a1 + a3)
	}
}
