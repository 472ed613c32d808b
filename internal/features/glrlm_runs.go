package features

import "math/bits"

// glrlmBatch is the number of words whose bits are decoded at a time.
const glrlmBatch = 64

// glrlmRuns counts the runs of every offset a of angles (PyRadiomics' C
// calculate_glrlm) in the byte volume b: along each line of the crop in
// direction a, maximal sequences of ROI voxels with equal level; non-ROI
// voxels end runs. It returns the run-length matrix of every offset,
// P[a][row*nc[a] + len-1] (rows: rowOf[level], ngp of them), with nc[a]
// columns: its longest run, at least 1 (the longer lengths up to the line
// length would be all-zero columns). An offset whose lines all hold at most
// one ROI voxel has an all-zero matrix (pl, ps, pad: the padded level
// volume, for that check). The runs must be shorter than 256 (nr, the
// longest line, <= 255). sc provides the scratch.
//
// Runs of length 1 are not counted one by one: with N(g) the number of ROI
// voxels of level g (nvox[g], from newByteVol), P(g, 1) = N(g) - sum_{l >= 2}
// l P(g, l). Along x, from the bitmap (byteVol.eqWords) of the voxels
// equal to their left neighbour, a run of length >= 2 starts at a voxel
// equal to its right but not to its left neighbour and ends at the next
// voxel equal to its left but not to its right neighbour. For every other
// offset, whose flat distance delta is
// at least 32, one pass in memory order (byteVol.runStep) finds the voxels
// that continue their predecessor's run and their positions in the run; a
// run of length >= 2 ends at such a voxel i when i+delta does not continue
// it (a shift of the bitmap by delta bits), and its length is pos[i]+1
// (glrlmEnds). Words without ROI voxels are skipped, and the set bits of
// the bitmaps are decoded into index lists (decodeBits) before the
// counting loops, which add to a table indexed by len<<8 | level (no bounds
// checks: 16-bit indexes into 65536 entries).
func glrlmRuns(b *byteVol, sc *rlScratch, nvox *[256]int64, pl []int32, ps [3]int, pad int, rowOf []int32, ngp int, angles [][3]int, nr int) ([][]float64, []int) {
	na := len(angles)
	// tab: the counts of one offset, zero between offsets (the rows used
	// are cleared after each). idx: decoded bit lists.
	if sc.tab == nil {
		sc.tab = new([1 << 16]int32)
	}
	tab := sc.tab
	idx := growBuf(&sc.ints, 2*(64*glrlmBatch+16))
	P := make([][]float64, na)
	nc := make([]int, na)
	// matrix fills P[ai] from tab and clears tab (runs up to maxLen).
	matrix := func(ai, maxLen int) {
		n := max(1, maxLen)
		nc[ai] = n
		m := make([]float64, ngp*n)
		P[ai] = m
		if maxLen < 2 && !glrlmMultiLine(pl, ps, b.shape, pad, angles[ai]) {
			return // all-zero matrix
		}
		for lv, row := range rowOf {
			if row < 0 {
				continue
			}
			r := m[int(row)*n:][:n]
			ones := nvox[lv]
			for l := 2; l <= n; l++ {
				v := tab[l<<8|lv]
				r[l-1] = float64(v)
				ones -= int64(l) * int64(v)
			}
			r[0] = float64(ones)
		}
		clear(tab[2<<8 : (n+1)<<8])
	}
	w0, nw := b.w0, b.w1-b.w0
	words := growBuf(&sc.words, 2*(nw+1)+b.nw)
	xb, e := words[:2*(nw+1)], words[2*(nw+1):]
	b.eqWords(w0, nw+1, []int{-1}, xb) // ROI and left-equal bitmaps, one word more
	roi, left := xb[:nw+1], xb[nw+1:]
	for ai, a := range angles {
		if a != [3]int{0, 0, 1} {
			continue
		}
		// Runs along x of length >= 2 start at the voxels equal to their
		// right neighbour but not to their left one and end at those
		// equal to their left neighbour but not to their right one: the
		// k-th end closes the k-th start (a run open at the end of a
		// batch is carried over).
		ml := 1
		idx2 := idx[64*glrlmBatch+16:]
		carry := 0
		for i0 := 0; i0 < nw; i0 += glrlmBatch {
			ns, ne := carry, 0
			for i := i0; i < min(i0+glrlmBatch, nw); i++ {
				right := left[i]>>1 | left[i+1]<<63
				if right|left[i] == 0 {
					continue
				}
				base := int32(64 * (w0 + i))
				ns = decodeBits(idx, ns, base, right&^left[i])
				ne = decodeBits(idx2, ne, base, left[i]&^right)
			}
			for k, end := range idx2[:ne] {
				l := int(end-idx[k]) + 1
				tab[uint16(l<<8|int(b.v[end]))]++
				ml = max(ml, l)
			}
			carry = ns - ne // 0 or 1
			idx[0] = idx[ne]
		}
		matrix(ai, ml)
	}
	// The words holding ROI voxels, as ranges [lo, hi) (gaps of fewer
	// than 4 empty words bridged): runStep and the scans skip the others,
	// whose bits stay zero.
	var spans [][2]int
	for i := 0; i < nw; i++ {
		if roi[i] == 0 {
			continue
		}
		if k := len(spans) - 1; k >= 0 && w0+i-spans[k][1] < 4 {
			spans[k][1] = w0 + i + 1
		} else {
			spans = append(spans, [2]int{w0 + i, w0 + i + 1})
		}
	}
	clear(e)
	pos := growBuf(&sc.pos, len(b.v))
	for ai, a := range angles {
		if a == [3]int{0, 0, 1} {
			continue
		}
		delta := a[0]*b.ss + a[1]*b.s + a[2]
		for _, sp := range spans {
			b.runStep(pos, sp[0], sp[1]-sp[0], delta, e)
		}
		dw, db := delta>>6, uint(delta&63)
		ml := 0
		for _, sp := range spans {
			ml = max(ml, glrlmEnds(e, pos, b.v, tab, sp[0], sp[1], dw, db, idx))
		}
		matrix(ai, ml)
	}
	return P, nc
}

// glrlmEnds counts, into tab[len<<8 | level], the runs of length >= 2 that
// end in the words [lo, hi): voxels i that continue their predecessor's
// run (bit of e) whose successor i+delta does not (bit of e shifted by
// delta = 64*dw+db). Their length is pos[i]+1; it returns the longest. idx
// is scratch for 64*glrlmBatch+16 indexes.
func glrlmEnds(e []uint64, pos, v []byte, tab *[1 << 16]int32, lo, hi, dw int, db uint, idx []int32) int {
	ml := 0
	for wb := lo; wb < hi; wb += glrlmBatch {
		n := 0
		for w := wb; w < min(wb+glrlmBatch, hi); w++ {
			next := e[w+dw] >> db // e at i+delta, as bit i
			if db != 0 {
				next |= e[w+dw+1] << (64 - db)
			}
			m := e[w] &^ next
			if m == 0 {
				continue
			}
			// decodeBits, inlined: eight entries without branches
			base, cnt := int32(64*w), bits.OnesCount64(m)
			o := idx[n : n+8]
			o[0] = base + int32(bits.TrailingZeros64(m))
			m &= m - 1
			o[1] = base + int32(bits.TrailingZeros64(m))
			m &= m - 1
			o[2] = base + int32(bits.TrailingZeros64(m))
			m &= m - 1
			o[3] = base + int32(bits.TrailingZeros64(m))
			m &= m - 1
			o[4] = base + int32(bits.TrailingZeros64(m))
			m &= m - 1
			o[5] = base + int32(bits.TrailingZeros64(m))
			m &= m - 1
			o[6] = base + int32(bits.TrailingZeros64(m))
			m &= m - 1
			o[7] = base + int32(bits.TrailingZeros64(m))
			m &= m - 1
			for j := n + 8; m != 0; j++ {
				idx[j] = base + int32(bits.TrailingZeros64(m))
				m &= m - 1
			}
			n += cnt
		}
		// Two far-apart halves interleaved: neighbouring runs often hit
		// the same cell, and increments of one cell serialize.
		h := n / 2
		for k, i := range idx[:h] {
			j := idx[k+h]
			pi, pj := int(pos[i])+1, int(pos[j])+1
			tab[uint16(pi<<8|int(v[i]))]++
			tab[uint16(pj<<8|int(v[j]))]++
			ml = max(ml, pi, pj)
		}
		if n&1 != 0 {
			i := idx[n-1]
			l := int(pos[i]) + 1
			tab[uint16(l<<8|int(v[i]))]++
			ml = max(ml, l)
		}
	}
	return ml
}
