package features

import (
	"math/bits"
	"math/rand"
	"slices"
	"testing"
)

// kernelVols are byte volumes for the kernel tests: random crops (few and
// many levels, holes, thin and wide shapes) and brain1 discretised with
// bin width 25 (real data).
func kernelVols(t *testing.T) []*byteVol {
	var out []*byteVol
	for _, r := range glrlmRunCases() {
		tl, err := texPrepare(r, "glrlm", 1)
		if err != nil {
			t.Fatal(err)
		}
		pl, ps := texPadded(r, 1)
		var buf []byte
		out = append(out, newByteVol(pl, ps, tl.shape, 1, &buf, nil))
	}
	r := texBrain1(t)
	texBinWidth(t, r, 25)
	tl, err := texPrepare(r, "glrlm", 2)
	if err != nil {
		t.Fatal(err)
	}
	pl, ps := texPadded(r, 2)
	var buf []byte
	out = append(out, newByteVol(pl, ps, tl.shape, 2, &buf, nil))
	return out
}

// The AVX2 kernels give the portable kernels' bitmaps and positions.
func TestKernelsAVX2MatchGo(t *testing.T) {
	if !useAVX2 {
		t.Skip("no AVX2 kernels on this machine or build")
	}
	defer func(v bool) { useAVX2 = v }(useAVX2)
	for vi, b := range kernelVols(t) {
		// every neighbour offset of the box, both directions
		var rel []int
		for dz := -1; dz <= 1; dz++ {
			for dy := -1; dy <= 1; dy++ {
				for dx := -1; dx <= 1; dx++ {
					if dz != 0 || dy != 0 || dx != 0 {
						rel = append(rel, dz*b.ss+dy*b.s+dx)
					}
				}
			}
		}
		n := b.w1 - b.w0
		var got, want []uint64
		for _, k := range []bool{true, false} {
			useAVX2 = k
			out := make([]uint64, (len(rel)+1)*n)
			b.eqWords(b.w0, n, rel, out)
			if k {
				got = out
			} else {
				want = out
			}
		}
		if !slices.Equal(got, want) {
			t.Errorf("volume %d %v: eqWords differ", vi, b.shape)
		}
		for _, d := range []int{b.s - 1, b.s, b.s + 1, b.ss - b.s - 1, b.ss, b.ss + b.s + 1} {
			var pos [2][]byte
			var e [2][]uint64
			for i, k := range []bool{true, false} {
				useAVX2 = k
				pos[i] = make([]byte, len(b.v))
				for j := range pos[i] {
					pos[i][j] = byte(j * 7) // garbage left from an earlier use
				}
				e[i] = make([]uint64, b.nw)
				b.runStep(pos[i], b.w0, n, d, e[i])
			}
			if !slices.Equal(e[0], e[1]) || !slices.Equal(pos[0][64*b.w0:64*b.w1], pos[1][64*b.w0:64*b.w1]) {
				t.Errorf("volume %d %v delta %d: runStep differs", vi, b.shape, d)
			}
		}
	}
}

// The portable kernels against their definitions, voxel by voxel.
func TestKernelsGoDefinition(t *testing.T) {
	defer func(v bool) { useAVX2 = v }(useAVX2)
	useAVX2 = false
	for vi, b := range kernelVols(t)[:60] {
		rel := []int{-1, 1, -b.s, -b.ss - b.s + 1, b.ss}
		n := b.w1 - b.w0
		out := make([]uint64, (len(rel)+1)*n)
		b.eqWords(b.w0, n, rel, out)
		for w := b.w0; w < b.w1; w++ {
			for bit := 0; bit < 64; bit++ {
				i := 64*w + bit
				in := b.v[i] != 0
				if got := out[w-b.w0]>>bit&1 != 0; got != in {
					t.Fatalf("volume %d: ROI bit %d = %v", vi, i, got)
				}
				for k, r := range rel {
					want := in && b.v[i+r] == b.v[i]
					if got := out[(k+1)*n+w-b.w0]>>bit&1 != 0; got != want {
						t.Fatalf("volume %d: offset %d bit %d = %v", vi, r, i, got)
					}
				}
			}
		}
		d := b.ss - b.s + 1
		pos := make([]byte, len(b.v))
		e := make([]uint64, b.nw)
		b.runStep(pos, b.w0, n, d, e)
		ref := make([]byte, len(b.v))
		for i := 64 * b.w0; i < 64*b.w1; i++ {
			same := b.v[i] != 0 && b.v[i] == b.v[i-d]
			if same {
				ref[i] = ref[i-d] + 1
			}
			if pos[i] != ref[i] || (e[i>>6]>>(i&63)&1 != 0) != same {
				t.Fatalf("volume %d: runStep at %d: pos %d want %d", vi, i, pos[i], ref[i])
			}
		}
	}
}

// SWAR helpers on every pair of byte values (in every byte lane).
func TestSWARBytes(t *testing.T) {
	for a := 0; a < 256; a++ {
		for b := 0; b < 256; b++ {
			for lane := 0; lane < 8; lane += 7 {
				sh := uint(8 * lane)
				// other lanes: equal nonzero bytes, to catch carries
				x := uint64(0x1111111111111111)&^(0xff<<sh) | uint64(a)<<sh
				y := uint64(0x1111111111111111)&^(0xff<<sh) | uint64(b)<<sh
				eq := swarMovemask(swarEq(x, y))
				wantEq := uint64(0xff)
				if a != b {
					wantEq &^= 1 << lane
				}
				if eq != wantEq {
					t.Fatalf("swarEq(%#x, %#x) lane %d: %08b", a, b, lane, eq)
				}
				nz := swarMovemask(swarNonzero(x))
				wantNz := uint64(0xff)
				if a == 0 {
					wantNz &^= 1 << lane
				}
				if nz != wantNz {
					t.Fatalf("swarNonzero(%#x) lane %d: %08b", a, lane, nz)
				}
			}
		}
	}
}

func TestDecodeBits(t *testing.T) {
	rng := rand.New(rand.NewSource(3))
	out := make([]int32, 200)
	for _, m := range []uint64{0, 1, 1 << 63, 0xff, 0x1ff, ^uint64(0), 0x8000000000000001} {
		k := decodeBits(out, 5, 1000, m)
		var want []int32
		for b := 0; b < 64; b++ {
			if m>>b&1 != 0 {
				want = append(want, int32(1000+b))
			}
		}
		if k != 5+len(want) || !slices.Equal(out[5:k], want) {
			t.Errorf("decodeBits(%#x) = %v, want %v", m, out[5:k], want)
		}
	}
	for i := 0; i < 1000; i++ {
		m := rng.Uint64() & rng.Uint64()
		k := decodeBits(out, 0, 0, m)
		if k != bits.OnesCount64(m) {
			t.Fatal("count")
		}
		for _, b := range out[:k] {
			m &^= 1 << b
		}
		if m != 0 {
			t.Fatalf("bits left %#x", m)
		}
	}
}
