package filters

import (
	"fmt"

	"github.com/spinerad/spinerad/internal/volume"
)

// waveletSetup validates Wavelet's arguments and returns the transformed ITK
// axes, the filter bank and the output pixel type.
func waveletSetup(img *volume.Image, wavelet string, startLevel, level int, force2D bool, force2DDim int) ([]int, *waveletBank, volume.PixelType, error) {
	if err := checkImage(img); err != nil {
		return nil, nil, 0, err
	}
	if level < 1 {
		return nil, nil, 0, fmt.Errorf("filters: wavelet level must be >= 1, got %d", level)
	}
	if startLevel < 0 {
		return nil, nil, 0, fmt.Errorf("filters: wavelet start level must be >= 0, got %d", startLevel)
	}
	axes := []int{0, 1, 2} // ITK axes x, y, z = array axes 2, 1, 0
	if force2D {
		if force2DDim < 0 || force2DDim > 2 {
			return nil, nil, 0, fmt.Errorf("filters: force2Ddimension must be 0, 1 or 2, got %d", force2DDim)
		}
		drop := 2 - force2DDim
		axes = append(axes[:drop:drop], axes[drop+1:]...)
	}
	bank, err := lookupWavelet(wavelet)
	if err != nil {
		return nil, nil, 0, err
	}
	pt := volume.Float64
	if img.Type == volume.Float32 {
		pt = volume.Float32
	}
	return axes, bank, pt, nil
}

// WaveletCrop returns the images of Wavelet(img, ...) each cropped to bb
// (no margin), bit for bit, computing only the outputs the crop needs: an
// output sample of a periodic axis pass depends on the F input samples
// (n + F/2 - j) mod N, so each level is computed on the index sets (per
// axis, modulo the padded size) that the following levels and the box need,
// with the same taps in the same summation order as Wavelet. With
// startLevel + level > 1 the all-low images of earlier levels are computed
// on the correspondingly larger sets (the whole padded axis once the set
// covers it). bb must lie inside the image; outputs have the geometry Crop
// gives and Wavelet's names, order and pixel types.
func WaveletCrop(img *volume.Image, bb volume.BBox, wavelet string, startLevel, level int, force2D bool, force2DDim int) ([]WaveletImage, error) {
	axes, bank, pt, err := waveletSetup(img, wavelet, startLevel, level, force2D, force2DDim)
	if err != nil {
		return nil, err
	}
	g, err := cropGeometry(img.Geometry, bb)
	if err != nil {
		return nil, err
	}
	newImg := func() *volume.Image { return volume.NewUninit(g, pt) } // cropSets writes every voxel
	if pt == volume.Float32 {
		return waveletCropT(img, bb, bank.decLo32, bank.decHi32, axes, startLevel, level, newImg), nil
	}
	return waveletCropT(img, bb, bank.decLo, bank.decHi, axes, startLevel, level, newImg), nil
}

// idxSets are per-axis sorted lists of padded indices; a sub-volume on sets
// s holds the samples of s[0] x s[1] x s[2], x fastest.
type idxSets [3][]int

func (s *idxSets) extent() [3]int { return [3]int{len(s[0]), len(s[1]), len(s[2])} }

func (s *idxSets) numVoxels() int { return len(s[0]) * len(s[1]) * len(s[2]) }

// swtWindow returns the sorted padded indices (n + F/2 - j) mod p for n in
// set and j = 0..f-1: the inputs of the periodic pass outputs in set.
func swtWindow(set []int, p, f int) []int {
	mark := make([]bool, p)
	for _, n := range set {
		for j := 0; j < f; j++ {
			mark[((n+f/2-j)%p+p)%p] = true
		}
	}
	var out []int
	for i, m := range mark {
		if m {
			out = append(out, i)
		}
	}
	return out
}

// cropSWT holds the state of waveletCropT.
type cropSWT[T float32 | float64] struct {
	lo, hi []T
	pad    [3]int
	axes   []int
	depth  [][2][]T // per transformed axis except the last: low and high outputs
	tapJ   []int    // per output sample, the taps j in summation order
	tapPos []int    // and the local input positions
}

// waveletCropT runs WaveletCrop in computation type T.
func waveletCropT[T float32 | float64](img *volume.Image, bb volume.BBox, lo, hi []T, axes []int, startLevel, level int, newImg func() *volume.Image) []WaveletImage {
	f := len(lo)
	st := &cropSWT[T]{lo: lo, hi: hi, axes: axes}
	var box idxSets
	transformed := [3]bool{}
	for _, a := range axes {
		transformed[a] = true
	}
	for a := 0; a < 3; a++ {
		st.pad[a] = img.Size[a] + img.Size[a]%2
		for i := bb.Lo[a]; i <= bb.Hi[a]; i++ {
			box[a] = append(box[a], i)
		}
	}
	// outSets[k] are the sets on which level k (0-based, startLevel+level
	// levels in all) is computed; inSets the sets of the level-0 input.
	total := startLevel + level
	outSets := make([]idxSets, total)
	outSets[total-1] = box
	for k := total - 1; k >= 0; k-- {
		var in idxSets
		for a := 0; a < 3; a++ {
			in[a] = outSets[k][a]
			if transformed[a] {
				in[a] = swtWindow(outSets[k][a], st.pad[a], f)
			}
		}
		if k > 0 {
			outSets[k-1] = in
		} else {
			outSets = append([]idxSets{in}, outSets...) // outSets[0] is now the input
		}
	}
	// Scratch: depth buffers sized for the largest level.
	maxN, maxL := 0, 0
	for _, s := range outSets {
		maxN = max(maxN, s.numVoxels())
		maxL = max(maxL, len(s[0]), len(s[1]), len(s[2]))
	}
	st.tapJ = make([]int, maxL*f)
	st.tapPos = make([]int, maxL*f)
	st.depth = make([][2][]T, len(axes))
	for k := range st.depth {
		st.depth[k] = [2][]T{getBuf[T](maxN), getBuf[T](maxN)}
		defer putBuf(st.depth[k][0])
		defer putBuf(st.depth[k][1])
	}
	// Level-0 input: padded image (odd axes wrap to index 0) on outSets[0].
	in0 := outSets[0]
	cur := getBuf[T](maxN)
	next := getBuf[T](maxN)
	defer func() {
		putBuf(cur)
		putBuf(next)
	}()
	nx, ny, nz := img.Size[0], img.Size[1], img.Size[2]
	wrap := func(p, n int) int {
		if p >= n {
			return p - n
		}
		return p
	}
	i := 0
	for _, z := range in0[2] {
		sz := wrap(z, nz)
		for _, y := range in0[1] {
			row := img.Data[(sz*ny+wrap(y, ny))*nx : (sz*ny+wrap(y, ny)+1)*nx]
			for _, x := range in0[0] {
				cur[i] = T(row[wrap(x, nx)])
				i++
			}
		}
	}
	n := len(axes)
	var res []WaveletImage
	for k := 0; k < total; k++ {
		lev := k - startLevel + 1 // 1-based output level, < 1 for start levels
		in, out := outSets[k], outSets[k+1]
		last := k == total-1
		st.transform(cur, in, out, 0, 0, lev >= 1, func(c int, vol []T) {
			if c == 0 && !last {
				copy(next, vol[:out.numVoxels()])
				return
			}
			im := newImg()
			cropSets(vol, out, box, im.Data)
			if c != 0 {
				res = append(res, WaveletImage{Name: waveletName(lev, c, n), Image: im})
			} else {
				res = append(res, WaveletImage{Name: waveletName(lev, 0, n), Image: im})
			}
		})
		cur, next = next, cur
	}
	// The all-low image comes last (it was emitted first of its level).
	if len(res) > 1 {
		lll := res[len(res)-(1<<n)]
		copy(res[len(res)-(1<<n):], res[len(res)-(1<<n)+1:])
		res[len(res)-1] = lll
	}
	return res
}

// cropSets copies the samples of vol (on sets from) at the indices of box
// (a subset of from on every axis) into dst.
func cropSets[T float32 | float64](vol []T, from, box idxSets, dst []float64) {
	var off [3]int
	for a := 0; a < 3; a++ {
		j := 0
		for from[a][j] != box[a][0] {
			j++
		}
		off[a] = j // box indices are consecutive, and so are they in from
	}
	ex := from.extent()
	bs := box.extent()
	i := 0
	for z := 0; z < bs[2]; z++ {
		for y := 0; y < bs[1]; y++ {
			b := ((z+off[2])*ex[1]+y+off[1])*ex[0] + off[0]
			for _, v := range vol[b : b+bs[0]] {
				dst[i] = float64(v)
				i++
			}
		}
	}
}

// transform filters src (on sets in) along st.axes[k:] onto the sets out,
// depth first with the low band before the high band, and hands each final
// subband volume (code built from prefix) to emit. With details false only
// the all-low subband is computed.
func (st *cropSWT[T]) transform(src []T, in, out idxSets, k, prefix int, details bool, emit func(c int, vol []T)) {
	ax := st.axes[k]
	dstSets := in
	dstSets[ax] = out[ax]
	buf := st.depth[k]
	doHi := details || prefix != 0
	st.pass(src, in, ax, out[ax], buf[0], buf[1], doHi)
	if k == len(st.axes)-1 {
		emit(prefix<<1, buf[0])
		if doHi {
			emit(prefix<<1|1, buf[1])
		}
		return
	}
	st.transform(buf[0], dstSets, out, k+1, prefix<<1, details, emit)
	if doHi {
		st.transform(buf[1], dstSets, out, k+1, prefix<<1|1, details, emit)
	}
}

// pass applies the low (into dLo) and, if doHi, the high (into dHi) periodic
// filters along axis ax of src (on sets in), for the outputs at the padded
// indices outSet: a[n] = sum_j h[j]*x[(n + F/2 - j) mod N] with Wavelet's
// summation order (see swtLine), each product rounded before it is added.
func (st *cropSWT[T]) pass(src []T, in idxSets, ax int, outSet []int, dLo, dHi []T, doHi bool) {
	f := len(st.lo)
	p := st.pad[ax]
	pos := make(map[int]int, len(in[ax]))
	for l, v := range in[ax] {
		pos[v] = l
	}
	nOut := len(outSet)
	tj, tp := st.tapJ[:nOut*f], st.tapPos[:nOut*f]
	for o, nIdx := range outSet {
		i := nIdx + f/2
		q := o * f
		add := func(j int) {
			tj[q] = j
			tp[q] = pos[((i-j)%p+p)%p]
			q++
		}
		if i >= p {
			for j := i - p; j >= 0; j-- {
				add(j)
			}
			for j := i - p + 1; j < f; j++ {
				add(j)
			}
		} else {
			for j := 0; j < f; j++ {
				add(j)
			}
		}
	}
	ex := in.extent()
	inner, outer := 1, 1
	for a := 0; a < ax; a++ {
		inner *= ex[a]
	}
	for a := ax + 1; a < 3; a++ {
		outer *= ex[a]
	}
	L := ex[ax]
	lo, hi := st.lo, st.hi
	if inner == 1 {
		for ou := 0; ou < outer; ou++ {
			line := src[ou*L : (ou+1)*L]
			dl := dLo[ou*nOut : (ou+1)*nOut]
			dh := dHi[ou*nOut : (ou+1)*nOut]
			for o := range dl {
				js, ps := tj[o*f:(o+1)*f], tp[o*f:(o+1)*f]
				var a, d T
				for q, j := range js {
					v := line[ps[q]]
					a += T(lo[j] * v)
					d += T(hi[j] * v)
				}
				dl[o] = a
				if doHi {
					dh[o] = d
				}
			}
		}
		return
	}
	for ou := 0; ou < outer; ou++ {
		for o := 0; o < nOut; o++ {
			b := (ou*nOut + o) * inner
			js, ps := tj[o*f:(o+1)*f], tp[o*f:(o+1)*f]
			st.slab(src, ou*L*inner, inner, js, ps, lo, dLo[b:b+inner])
			if doHi {
				st.slab(src, ou*L*inner, inner, js, ps, hi, dHi[b:b+inner])
			}
		}
	}
}

// slab computes acc[p] = sum over taps q of h[js[q]]*src[base + ps[q]*inner + p]
// for p < inner, adding the products in order starting from zero.
func (st *cropSWT[T]) slab(src []T, base, inner int, js, ps []int, h []T, acc []T) {
	clear(acc)
	q := 0
	for ; q+2 <= len(js); q += 2 {
		c0, c1 := h[js[q]], h[js[q+1]]
		r0 := src[base+ps[q]*inner : base+ps[q]*inner+inner]
		r1 := src[base+ps[q+1]*inner : base+ps[q+1]*inner+inner]
		if a32, ok := any(acc).([]float32); ok {
			slabPair32(a32, any(r0).([]float32), any(r1).([]float32), float32(c0), float32(c1))
			continue
		}
		for p := range acc {
			s := acc[p]
			s += T(c0 * r0[p])
			s += T(c1 * r1[p])
			acc[p] = s
		}
	}
	for ; q < len(js); q++ {
		c := h[js[q]]
		r := src[base+ps[q]*inner : base+ps[q]*inner+inner]
		for p := range acc {
			acc[p] += T(c * r[p])
		}
	}
}

// slabPair32Go sets acc[p] = (acc[p] + c0*r0[p]) + c1*r1[p] for
// p < len(acc), every product and sum rounded to float32 (two taps of slab).
func slabPair32Go(acc, r0, r1 []float32, c0, c1 float32) {
	r0, r1 = r0[:len(acc)], r1[:len(acc)]
	for p := range acc {
		s := acc[p]
		s += float32(c0 * r0[p])
		s += float32(c1 * r1[p])
		acc[p] = s
	}
}
