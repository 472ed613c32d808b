package features

import (
	"encoding/binary"
	"math"
	"math/bits"
	"sync"
)

// This file holds the byte copy of a region's levels shared by the fast
// paths of the GLRLM run counting and the GLSZM zone labelling, and the
// two kernels both build on: same-level bitmaps against fixed neighbour
// offsets (eqWords) and run positions along one offset (runStep). Each has
// a portable Go version (SWAR: eight voxels per 64-bit word) and an AVX2
// version on amd64 (glrlm_kernel_amd64.s), which must give identical
// results.

// byteVol is the crop of a region as one flat byte array: voxel (z, y, x)
// is at org + z*ss + y*s + x and holds its level when in the ROI (the
// levels must be <= 255), 0 otherwise. Between rows, slices and around the
// crop there are zero bytes (at least one on every side along x, a zero row
// before and after every slice, a zero slice before and after the crop), so
// every neighbour at distance 1 of a crop voxel is readable and reads 0
// outside the crop; runs of equal nonzero bytes therefore never leave a row.
// The row stride s is at least 33, so that the flat distance of every
// neighbour outside the row (a step in y or z) is at least 32.
//
// Bitmaps over the volume (64-bit words, bit i%64 of word i/64 for flat
// index i) cover the crop with the words [w0, w1); they are allocated with
// nw words, so that the words up to a neighbour distance past w1 exist
// (and are zero).
type byteVol struct {
	v          []byte
	shape      [3]int // crop shape (z, y, x)
	s, ss      int    // row and slice strides
	org        int    // index of voxel (0, 0, 0)
	w0, w1, nw int
}

// byteVolLen is the length of the byteVol of a crop of shape (z, y, x):
// 64 bytes before the zero slice z = -1, so that the 64-byte loads at the
// backward neighbour offsets (at most ss+s+1) of the first word stay in v;
// after the crop the zero slice z = nz and 128 bytes, for the loads of the
// word after the last (the run ends look one word ahead).
func byteVolLen(shape [3]int) (s, ss, n int) {
	s = max(shape[2]+2, 33)
	ss = (shape[1] + 2) * s
	return s, ss, 64 + (shape[0]+2)*ss + 128
}

// byteVolFits reports whether the flat indexes of the byteVol of a crop of
// shape (z, y, x) fit in an int32 (the fast paths keep them in int32 lists).
func byteVolFits(shape [3]int) bool {
	_, _, n := byteVolLen(shape)
	return n < math.MaxInt32/2
}

// newByteVol copies the crop of the padded level volume pl (shape ps,
// padding pad; levels <= 255) into a byteVol whose bytes are buf (grown as
// needed; the result's v is buf[:len(v)]). When counts is not nil it also
// sets counts[g] to the number of crop voxels of value g (level 0: outside
// the ROI), counting in four interleaved tables so that the increments of a
// stretch of equal values do not wait on each other.
func newByteVol(pl []int32, ps, shape [3]int, pad int, buf *[]byte, counts *[256]int64) *byteVol {
	nz, ny, nx := shape[0], shape[1], shape[2]
	b := &byteVol{shape: shape}
	var n int
	b.s, b.ss, n = byteVolLen(shape)
	b.org = 64 + b.ss + b.s + 1
	b.v = growBuf(buf, n)
	clear(b.v)
	var h [4][256]int32
	for z := 0; z < nz; z++ {
		for y := 0; y < ny; y++ {
			src := pl[texRowStart(z, y, pad, ps):][:nx]
			dst := b.v[b.org+z*b.ss+y*b.s:][:nx]
			if counts == nil {
				for x, l := range src {
					dst[x] = byte(l)
				}
				continue
			}
			x := 0
			for ; x+4 <= nx; x += 4 {
				l0, l1, l2, l3 := byte(src[x]), byte(src[x+1]), byte(src[x+2]), byte(src[x+3])
				dst[x], dst[x+1], dst[x+2], dst[x+3] = l0, l1, l2, l3
				h[0][l0]++
				h[1][l1]++
				h[2][l2]++
				h[3][l3]++
			}
			for ; x < nx; x++ {
				l := byte(src[x])
				dst[x] = l
				h[0][l]++
			}
		}
	}
	if counts != nil {
		for k := range counts {
			counts[k] = int64(h[0][k]) + int64(h[1][k]) + int64(h[2][k]) + int64(h[3][k])
		}
	}
	last := b.org + (nz-1)*b.ss + (ny-1)*b.s + nx - 1
	b.w0, b.w1 = b.org>>6, last>>6+1
	b.nw = b.w1 + (b.ss+b.s+1)>>6 + 3
	return b
}

// rlScratch holds the scratch buffers of glrlmRuns and glszmZones,
// recycled through rlPool (their contents are undefined when taken).
type rlScratch struct {
	vol, pos []byte
	words    []uint64
	ints     []int32
	// tab is glrlmRuns' count table, all zero between uses.
	tab *[1 << 16]int32
}

// rlPool recycles the scratch of glrlmRuns and glszmZones between calls
// (calls on different regions may run concurrently).
var rlPool sync.Pool // *rlScratch

// getScratch takes a scratch from rlPool; put it back with rlPool.Put.
func getScratch() *rlScratch {
	if s, ok := rlPool.Get().(*rlScratch); ok {
		return s
	}
	return new(rlScratch)
}

// growBuf returns (*buf)[:n], reallocating *buf when it is too short;
// the contents are undefined.
func growBuf[T any](buf *[]T, n int) []T {
	if cap(*buf) < n {
		*buf = make([]T, n)
	}
	return (*buf)[:n]
}

// eqWords sets, for the words w0 <= w < w0+n of the volume, out[w-w0] to
// the bitmap of the ROI voxels and out[(k+1)*n + w-w0] to the bitmap of the
// ROI voxels i whose neighbour i+rel[k] has the same level. The loads reach
// v[64*w0 + min(rel)] .. v[64*(w0+n) + max(rel) + 63].
func (b *byteVol) eqWords(w0, n int, rel []int, out []uint64) {
	_ = out[(len(rel)+1)*n-1]
	_ = b.v[64*w0+minRel(rel)]
	_ = b.v[64*(w0+n)+maxRel(rel)+63]
	if useAVX2 && n > 0 {
		eqWordsAVX2(&b.v[0], w0, n, &rel[0], len(rel), &out[0])
		return
	}
	eqWordsGo(b.v, w0, n, rel, out)
}

// runStep computes, for the words w0 <= w < w0+n of the volume and the
// offset delta >= 32 (a step in y or z, so that the predecessor i-delta of
// a voxel lies in an earlier 32-byte block), the voxels that continue the
// run of their predecessor along the offset, e[w] (bitmap of the ROI voxels
// i with the level of i-delta), and their positions in their run,
// pos[i] = pos[i-delta]+1 for them and 0 for the other voxels of the words.
// Positions must fit in a byte. The words are processed in increasing
// order, 32 bytes at a time, so pos[i-delta] is final when read; only the
// positions of continuing voxels are used, and their predecessors are ROI
// voxels, so pos may hold anything outside the words of this and earlier
// calls of a pass that cover the ROI.
func (b *byteVol) runStep(pos []byte, w0, n, delta int, e []uint64) {
	_ = e[w0+n-1]
	_ = b.v[64*w0-delta]
	_ = b.v[64*(w0+n)-1]
	_ = pos[64*(w0+n)-1]
	if useAVX2 && n > 0 {
		runStepAVX2(&b.v[0], &pos[0], w0, n, delta, &e[0])
		return
	}
	runStepGo(b.v, pos, w0, n, delta, e)
}

// minRel is the smallest of 0 and the offsets rel.
func minRel(rel []int) int {
	m := 0
	for _, r := range rel {
		m = min(m, r)
	}
	return m
}

// maxRel is the largest of 0 and the offsets rel.
func maxRel(rel []int) int {
	m := 0
	for _, r := range rel {
		m = max(m, r)
	}
	return m
}

// eqWordsGo is the portable eqWords: eight bytes per SWAR step.
func eqWordsGo(v []byte, w0, n int, rel []int, out []uint64) {
	for i := 0; i < n; i++ {
		p := 64 * (w0 + i)
		var roi uint64
		for c := 0; c < 8; c++ {
			roi |= swarMovemask(swarNonzero(load8(v, p+8*c))) << (8 * c)
		}
		out[i] = roi
		for k, r := range rel {
			var m uint64
			for c := 0; c < 8; c++ {
				m |= swarMovemask(swarEq(load8(v, p+8*c), load8(v, p+8*c+r))) << (8 * c)
			}
			out[(k+1)*n+i] = m & roi
		}
	}
}

// runStepGo is the portable runStep: eight bytes per SWAR step, in
// increasing order (delta >= 8 suffices).
func runStepGo(v, pos []byte, w0, n, delta int, e []uint64) {
	for w := w0; w < w0+n; w++ {
		var m uint64
		for c := 0; c < 8; c++ {
			i := 64*w + 8*c
			cur := load8(v, i)
			same := swarNonzero(cur) & swarEq(cur, load8(v, i-delta)) // bit 7 of the bytes that continue
			full := (same >> 7) * 0xff                                // 0xff in those bytes
			// Bytes of pos at i-delta plus one, then masked: a byte
			// that continues holds a position < 255, so no carry
			// crosses bytes where it matters, and the others are
			// cleared.
			p := (load8(pos, i-delta) & full) + (full & 0x0101010101010101)
			binary.LittleEndian.PutUint64(pos[i:], p)
			m |= swarMovemask(same) << (8 * c)
		}
		e[w] = m
	}
}

// SWAR byte masks: a mask word has bit 7 of byte k set for a property of
// byte k and all other bits clear.
const (
	swarLow7 = 0x7f7f7f7f7f7f7f7f
	swarHigh = 0x8080808080808080
)

// swarEq returns the mask of the bytes of a and b that are equal.
func swarEq(a, b uint64) uint64 {
	v := a ^ b
	// Bit 7 of (v&0x7f)+0x7f is set iff the low 7 bits of a byte are not
	// all zero; no carry leaves a byte.
	return ^((v&swarLow7 + swarLow7) | v | swarLow7)
}

// swarNonzero returns the mask of the nonzero bytes of a.
func swarNonzero(a uint64) uint64 { return (a&swarLow7 + swarLow7 | a) & swarHigh }

// swarMovemask packs a byte mask into 8 bits (bit k = bit 7 of byte k): the
// multiplier moves bit 8k+7 to bit 56+k, and no two partial products share
// a bit, so nothing carries.
func swarMovemask(m uint64) uint64 { return (m * 0x0002040810204081) >> 56 }

// load8 is the little-endian word of the 8 bytes at b[i:] (byte k = b[i+k]).
func load8(b []uint8, i int) uint64 { return binary.LittleEndian.Uint64(b[i:]) }

// lowMask is the mask of bits 0..b of a word (all bits for b = 63).
func lowMask(b int) uint64 { return 2<<uint(b) - 1 }

// decodeBits writes base+b for the set bits b of m, in increasing order, to
// out[k:] and returns k + popcount(m). out must have room for 8 entries
// past k even when m has fewer bits: the first eight are written without
// branches (the common case), the rest in a loop.
func decodeBits(out []int32, k int, base int32, m uint64) int {
	n := bits.OnesCount64(m)
	o := out[k : k+8]
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
	for j := k + 8; m != 0; j++ {
		out[j] = base + int32(bits.TrailingZeros64(m))
		m &= m - 1
	}
	return k + n
}
