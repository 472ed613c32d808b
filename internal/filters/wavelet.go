package filters

import (
	"fmt"
	"strconv"

	"github.com/spinerad/spinerad/internal/volume"
)

// WaveletImage is one output of Wavelet: PyRadiomics' image-type name (for
// example "wavelet-LLH" or "wavelet2-HHL") and the filtered image.
type WaveletImage struct {
	// Name is the PyRadiomics image name: "wavelet-" plus one letter per
	// transformed axis in x, y, z order (L = low pass, H = high pass), with the
	// level number after "wavelet" for levels >= 2.
	Name string
	// Image has the input geometry; its pixel type is Float32 when the input
	// is Float32 (PyWavelets keeps float32 data in float32) and Float64
	// otherwise (PyWavelets converts every integer type to float64).
	Image *volume.Image
}

// Wavelet reproduces PyRadiomics' getWaveletImage (pywt.swtn with periodic
// stationary transforms, PyWavelets 1.1.1), parity spec 5.4.
//
// Every axis of odd length is padded at its end with a copy of its first
// sample; each transformed axis (x, then y, then z; with force2D the array
// axis force2DDim, 0 = z, is left out) is filtered with the undecimated
// periodic convolution a[n] = sum_k h[k]*x[(n + F/2 - k) mod N] (h = dec_lo
// for L, dec_hi for H, F taps, PyWavelets' summation order), and results are
// cropped back to the input size. The transform is applied startLevel times
// keeping only the all-low image; then, for each of level levels, the detail
// images are emitted and the all-low image is carried on (filters are never
// dilated). Output order: per level the details in PyWavelets' key order
// (LLH, LHL, LHH, HLL, HLH, HHL, HHH; with force2D LH, HL, HH), then the last
// all-low image ("wavelet-LLL" if level == 1, else "wavelet<level>-LLL").
//
// float32 images are transformed in float32 with PyWavelets' single
// precision taps (bit-identical to PyWavelets); every other pixel type in
// float64. The input is not modified.
func Wavelet(img *volume.Image, wavelet string, startLevel, level int, force2D bool, force2DDim int) ([]WaveletImage, error) {
	axes, bank, pt, err := waveletSetup(img, wavelet, startLevel, level, force2D, force2DDim)
	if err != nil {
		return nil, err
	}
	newImg := func() *volume.Image { return volume.New(img.Geometry, pt) }
	if pt == volume.Float32 {
		return waveletT(img, bank.decLo32, bank.decHi32, axes, startLevel, level, newImg), nil
	}
	return waveletT(img, bank.decLo, bank.decHi, axes, startLevel, level, newImg), nil
}

// checkImage validates an input image.
func checkImage(img *volume.Image) error {
	if img == nil {
		return fmt.Errorf("filters: nil image")
	}
	for a := 0; a < 3; a++ {
		if img.Size[a] < 1 {
			return fmt.Errorf("filters: image size %v has an empty axis", img.Size)
		}
	}
	if len(img.Data) != img.NumVoxels() {
		return fmt.Errorf("filters: image has %d voxels for size %v", len(img.Data), img.Size)
	}
	return nil
}

// waveletName returns PyRadiomics' name of subband code c (bit n-1-k set =
// high pass along the k-th transformed axis) at 1-based level lev.
func waveletName(lev, c, n int) string {
	b := make([]byte, n)
	for k := 0; k < n; k++ {
		if c>>(n-1-k)&1 == 1 {
			b[k] = 'H'
		} else {
			b[k] = 'L'
		}
	}
	if lev == 1 {
		return "wavelet-" + string(b)
	}
	return "wavelet" + strconv.Itoa(lev) + "-" + string(b)
}

// swtState holds the buffers of one multi-axis stationary transform.
type swtState[T float32 | float64] struct {
	size, pad [3]int // original and padded size
	axes      []int
	lo, hi    []T
	depth     [][2][]T // per axis except the last: low and high results (padded)
	ext       []T      // periodic extension of one x line (length N + F - 1)
	outA      []T      // x-pass output lines
	outD      []T
	accA      []T // stridedPass accumulators (one chunk)
	accD      []T
	order     []int // summation order of the taps for one output
}

// sink receives the lines of an axis pass: into a padded buffer, into a
// cropped float64 image, or both.
type sink[T float32 | float64] struct {
	pad  []T
	crop []float64
}

// waveletT runs Wavelet in computation type T; newImg returns a fresh
// output image with the input geometry and the output pixel type.
func waveletT[T float32 | float64](img *volume.Image, lo, hi []T, axes []int, startLevel, level int, newImg func() *volume.Image) []WaveletImage {
	st := &swtState[T]{size: img.Size, axes: axes, lo: lo, hi: hi}
	nv := 1
	maxN := 0
	for a := 0; a < 3; a++ {
		st.pad[a] = img.Size[a] + img.Size[a]%2
		nv *= st.pad[a]
		if st.pad[a] > maxN {
			maxN = st.pad[a]
		}
	}
	f := len(lo)
	st.ext = make([]T, maxN+f-1)
	st.outA = make([]T, maxN)
	st.outD = make([]T, maxN)
	chunk := max(swtChunk, st.pad[0])
	st.accA = make([]T, chunk)
	st.accD = make([]T, chunk)
	st.order = make([]int, f)
	st.depth = make([][2][]T, len(axes)-1)
	for k := range st.depth {
		st.depth[k] = [2][]T{getBuf[T](nv), getBuf[T](nv)}
		defer putBuf(st.depth[k][0])
		defer putBuf(st.depth[k][1])
	}
	// Padded input in the computation type (wrap padding of odd axes).
	cur := getBuf[T](nv)
	px, py := st.pad[0], st.pad[1]
	nx, ny, nz := img.Size[0], img.Size[1], img.Size[2]
	for z := 0; z < st.pad[2]; z++ {
		sz := z % nz
		for y := 0; y < py; y++ {
			sy := y % ny
			row := cur[(z*py+y)*px : (z*py+y+1)*px]
			src := img.Data[(sz*ny+sy)*nx : (sz*ny+sy+1)*nx]
			for x := range src {
				row[x] = T(src[x])
			}
			if px != nx {
				row[nx] = T(src[0])
			}
		}
	}
	next := getBuf[T](nv)
	defer func() {
		putBuf(cur)
		putBuf(next)
	}()
	n := len(axes)
	ncode := 1 << n
	var res []WaveletImage
	for s := 0; s < startLevel; s++ {
		st.transform(cur, 0, 0, func(c int) sink[T] {
			if c == 0 {
				return sink[T]{pad: next}
			}
			return sink[T]{}
		})
		cur, next = next, cur
	}
	var approx *volume.Image
	for lev := 1; lev <= level; lev++ {
		outs := make([]*volume.Image, ncode)
		for c := 1; c < ncode; c++ {
			outs[c] = newImg()
		}
		if lev == level {
			approx = newImg()
		}
		st.transform(cur, 0, 0, func(c int) sink[T] {
			if c != 0 {
				return sink[T]{crop: outs[c].Data}
			}
			if lev == level {
				return sink[T]{crop: approx.Data}
			}
			return sink[T]{pad: next}
		})
		for c := 1; c < ncode; c++ {
			res = append(res, WaveletImage{Name: waveletName(lev, c, n), Image: outs[c]})
		}
		cur, next = next, cur
	}
	res = append(res, WaveletImage{Name: waveletName(level, 0, n), Image: approx})
	return res
}

// transform filters src along st.axes[k:] (depth first, low before high) and
// hands the final lines of subband code (built from prefix) to dst(code).
// Subbands whose sink is empty are not computed.
func (st *swtState[T]) transform(src []T, k, prefix int, dst func(c int) sink[T]) {
	n := len(st.axes)
	last := k == n-1
	var sa, sd sink[T]
	if last {
		sa, sd = dst(prefix<<1), dst(prefix<<1|1)
	} else {
		// Intermediate results: compute the high band only if some final
		// subband below it is wanted.
		sa.pad = st.depth[k][0]
		if st.wanted(k+1, prefix<<1|1, dst) {
			sd.pad = st.depth[k][1]
		}
	}
	st.axisPass(src, st.axes[k], sa, sd)
	if last {
		return
	}
	st.transform(st.depth[k][0], k+1, prefix<<1, dst)
	if sd.pad != nil {
		st.transform(st.depth[k][1], k+1, prefix<<1|1, dst)
	}
}

// wanted reports whether any final subband under code prefix at depth k has a
// non-empty sink.
func (st *swtState[T]) wanted(k, prefix int, dst func(c int) sink[T]) bool {
	rest := len(st.axes) - k
	for c := prefix << rest; c < (prefix+1)<<rest; c++ {
		s := dst(c)
		if s.pad != nil || s.crop != nil {
			return true
		}
	}
	return false
}

// axisPass applies the low and high periodic filters along ITK axis ax of the
// padded volume src and hands the result rows (runs of pad[0] samples along
// x) to the sinks.
func (st *swtState[T]) axisPass(src []T, ax int, sa, sd sink[T]) {
	doA := sa.pad != nil || sa.crop != nil
	doD := sd.pad != nil || sd.crop != nil
	if !doA && !doD {
		return
	}
	px, py, pz := st.pad[0], st.pad[1], st.pad[2]
	f := len(st.lo)
	switch ax {
	case 0:
		// lines are contiguous rows: periodic extension ext[t] = x[(t+shift) mod N]
		shift := f/2 - (f - 1)
		ext := st.ext[:px+f-1]
		outA, outD := st.outA[:px], st.outD[:px]
		for z := 0; z < pz; z++ {
			for y := 0; y < py; y++ {
				row := src[(z*py+y)*px : (z*py+y+1)*px]
				i := ((shift % px) + px) % px
				for t := range ext {
					ext[t] = row[i]
					i++
					if i == px {
						i = 0
					}
				}
				swtLine(ext, st.lo, st.hi, outA, outD, px, doA, doD)
				st.emit(sa, y, z, outA)
				st.emit(sd, y, z, outD)
			}
		}
	case 1:
		for z := 0; z < pz; z++ {
			plane := src[z*py*px : (z+1)*py*px]
			st.stridedPass(plane, py, px, doA, doD, func(n, r int, a, d []T) {
				st.emit(sa, n, z, a)
				st.emit(sd, n, z, d)
			})
		}
	default:
		st.stridedPass(src, pz, px*py, doA, doD, func(n, r int, a, d []T) {
			st.emit(sa, r, n, a)
			st.emit(sd, r, n, d)
		})
	}
}

// emit writes one result row (padded coordinates y, z) to a sink.
func (st *swtState[T]) emit(snk sink[T], y, z int, row []T) {
	px, py := st.pad[0], st.pad[1]
	if snk.pad != nil {
		copy(snk.pad[(z*py+y)*px:(z*py+y+1)*px], row)
	}
	nx, ny, nz := st.size[0], st.size[1], st.size[2]
	if snk.crop != nil && y < ny && z < nz {
		dst := snk.crop[(z*ny+y)*nx : (z*ny+y+1)*nx]
		for i, v := range row[:nx] {
			dst[i] = float64(v)
		}
	}
}

// stridedPass filters a volume viewed as N slices of inner contiguous
// samples along the slice index: out[n][p] = sum_j h[j]*in[(n + F/2 - j) mod
// N][p], in PyWavelets' summation order (see swtLine). The inner samples are
// processed in chunks of whole x rows (row length pad[0]) so that the F
// input rows of a chunk stay in cache; emit receives each output row with its
// slice index n and its row index r within the slice.
func (st *swtState[T]) stridedPass(src []T, nLen, inner int, doA, doD bool, emit func(n, r int, a, d []T)) {
	px := st.pad[0]
	f := len(st.lo)
	rowsPerChunk := max(1, swtChunk/px)
	nRows := inner / px
	order := st.order[:f]
	for r0 := 0; r0 < nRows; r0 += rowsPerChunk {
		rc := min(rowsPerChunk, nRows-r0)
		w := rc * px
		accA, accD := st.accA[:w], st.accD[:w]
		for n := 0; n < nLen; n++ {
			i := n + f/2
			k := 0
			if i >= nLen {
				for j := i - nLen; j >= 0; j-- {
					order[k] = j
					k++
				}
				for j := i - nLen + 1; j < f; j++ {
					order[k] = j
					k++
				}
			} else {
				for j := 0; j < f; j++ {
					order[j] = j
				}
			}
			clear(accA)
			clear(accD)
			// taps in order, up to four per sweep over the chunk (each sum
			// still adds one product at a time, in order)
			for t0 := 0; t0 < f; t0 += 4 {
				tn := min(4, f-t0)
				var rows [4][]T
				var cl, ch [4]T
				for q := 0; q < tn; q++ {
					j := order[t0+q]
					m := ((i-j)%nLen + nLen) % nLen
					rows[q] = src[m*inner+r0*px : m*inner+r0*px+w]
					cl[q], ch[q] = st.lo[j], st.hi[j]
				}
				switch tn {
				case 4:
					sweep4(accA, accD, rows[0], rows[1], rows[2], rows[3], cl, ch, doA, doD)
				case 3:
					sweep2(accA, accD, rows[0], rows[1], cl[0], cl[1], ch[0], ch[1], doA, doD)
					sweep1(accA, accD, rows[2], cl[2], ch[2], doA, doD)
				case 2:
					sweep2(accA, accD, rows[0], rows[1], cl[0], cl[1], ch[0], ch[1], doA, doD)
				default:
					sweep1(accA, accD, rows[0], cl[0], ch[0], doA, doD)
				}
			}
			for r := 0; r < rc; r++ {
				emit(n, r0+r, accA[r*px:(r+1)*px], accD[r*px:(r+1)*px])
			}
		}
	}
}

// sweep1 adds c*in to the accumulators (acc += c*v, product rounded first).
func sweep1[T float32 | float64](accA, accD, in []T, cl, ch T, doA, doD bool) {
	if doA {
		a := accA[:len(in)]
		for p, v := range in {
			a[p] += T(cl * v)
		}
	}
	if doD {
		d := accD[:len(in)]
		for p, v := range in {
			d[p] += T(ch * v)
		}
	}
}

// sweep2 adds two taps in order: acc = (acc + c0*r0) + c1*r1.
func sweep2[T float32 | float64](accA, accD, r0, r1 []T, l0, l1, h0, h1 T, doA, doD bool) {
	n := len(r0)
	r1 = r1[:n]
	if doA {
		a := accA[:n]
		for p := range a {
			s := a[p]
			s += T(l0 * r0[p])
			s += T(l1 * r1[p])
			a[p] = s
		}
	}
	if doD {
		d := accD[:n]
		for p := range d {
			s := d[p]
			s += T(h0 * r0[p])
			s += T(h1 * r1[p])
			d[p] = s
		}
	}
}

// sweep4 adds four taps in order: acc = (((acc + c0*r0) + c1*r1) + c2*r2) + c3*r3.
func sweep4[T float32 | float64](accA, accD, r0, r1, r2, r3 []T, cl, ch [4]T, doA, doD bool) {
	n := len(r0)
	r1, r2, r3 = r1[:n], r2[:n], r3[:n]
	if doA {
		a := accA[:n]
		for p := range a {
			s := a[p]
			s += T(cl[0] * r0[p])
			s += T(cl[1] * r1[p])
			s += T(cl[2] * r2[p])
			s += T(cl[3] * r3[p])
			a[p] = s
		}
	}
	if doD {
		d := accD[:n]
		for p := range d {
			s := d[p]
			s += T(ch[0] * r0[p])
			s += T(ch[1] * r1[p])
			s += T(ch[2] * r2[p])
			s += T(ch[3] * r3[p])
			d[p] = s
		}
	}
}

// swtChunk is the number of samples per chunk of stridedPass.
const swtChunk = 2048

// swtLine computes, for n < N, a[n] = sum_j lo[j]*x[(n + F/2 - j) mod N] and
// d[n] likewise with hi, from the periodic extension ext (ext[n+F-1-j] =
// x[(n + F/2 - j) mod N]) with PyWavelets' summation order: j ascending from
// 0, except for the outputs with i = n + F/2 >= N, where the wrapped terms
// j = i-N, i-N-1, ..., 0 come first and then j = i-N+1, ..., F-1
// (downsampling_convolution_periodization with step 1, PyWavelets 1.1.1).
func swtLine[T float32 | float64](ext, lo, hi, outA, outD []T, nLen int, doA, doD bool) {
	f := len(lo)
	nMain := max(nLen-f/2, 0)
	for n := 0; n < nMain; n++ {
		w := ext[n : n+f]
		var a, d T
		for j := range lo {
			v := w[f-1-j]
			a += T(lo[j] * v)
			d += T(hi[j] * v)
		}
		outA[n] = a
		outD[n] = d
	}
	for n := nMain; n < nLen; n++ {
		i := n + f/2
		w := ext[n : n+f]
		var a, d T
		for j := i - nLen; j >= 0; j-- {
			a += T(lo[j] * w[f-1-j])
			d += T(hi[j] * w[f-1-j])
		}
		for j := i - nLen + 1; j < f; j++ {
			a += T(lo[j] * w[f-1-j])
			d += T(hi[j] * w[f-1-j])
		}
		outA[n] = a
		outD[n] = d
	}
}
