package features

import (
	"fmt"
	"sync"
)

// This file holds the per-region data shared by the texture classes (glcm,
// glrlm, glszm, gldm, ngtdm): the validated grey levels and the padded level
// and level-index volumes, each built once per region and reused.

// texLevels is the validated grey-level input of a texture class. Its slices
// are shared through the region cache and must not be modified.
type texLevels struct {
	shape   [3]int // crop shape, array order (z, y, x)
	ng      int    // largest level present in the ROI
	nroi    int    // number of ROI voxels
	present []bool // present[g] for g = 0..ng: level g occurs in the ROI
	// rowOf[g] is the matrix row of level g among the levels present (-1
	// when absent); ivals[row] is the level value of a row. Matrices keep
	// only present levels, as PyRadiomics does after deleting empty rows.
	rowOf []int32
	ivals []float64
}

// texCache is the texture data cached in a Region. It is a function of the
// crop shape and of the masked levels (the level of ROI voxels, 0 elsewhere),
// which the padded level volume pl holds exactly: a cache is reused only
// after checking that the region still has those masked levels, so changing
// ROI or Levels in place between computations is safe. A Fixed region skips
// that check when its ROI and Levels are still the slices the cache was
// built from.
type texCache struct {
	t texLevels
	// roi and lv identify the slices the cache was built from (Fixed).
	roi *bool
	lv  *int32
	// pad is the padding of pl and pi; ps their shape.
	pad int
	ps  [3]int
	// pl holds the levels of ROI voxels, 0 for other crop voxels and -1 in
	// the padding; pi (nil until needed) the row index rowOf[level] of ROI
	// voxels and -1 elsewhere. Both are shared: classes must not modify them.
	pl, pi []int32
	// ngtdm holds the NGTDM sums computed by the gldm class's pass.
	ngtdm *ngtdmCache
}

// ngtdmCache holds the NGTDM sums n[g], s[g] (see ngtdmSums) of the
// offsets angles in the padded volume of padding pad.
type ngtdmCache struct {
	pad    int
	angles [][3]int
	n, s   []float64
}

// sameSlices reports whether r's ROI and Levels are the slices (same first
// element, same length) c was built from.
func (c *texCache) sameSlices(r *Region) bool {
	sh := c.t.shape
	n := sh[0] * sh[1] * sh[2]
	return r.ArrayShape() == sh && len(r.ROI) == n && len(r.Levels) == n &&
		&r.ROI[0] == c.roi && &r.Levels[0] == c.lv
}

// matches reports whether c was built from the current contents of r.
func (c *texCache) matches(r *Region) bool {
	shape := c.t.shape
	if r.ArrayShape() != shape {
		return false
	}
	n := shape[0] * shape[1] * shape[2]
	if len(r.ROI) != n || len(r.Levels) != n {
		return false
	}
	src := 0
	for z := 0; z < shape[0]; z++ {
		for y := 0; y < shape[1]; y++ {
			p0 := texRowStart(z, y, c.pad, c.ps)
			row := c.pl[p0 : p0+shape[2]]
			lv := r.Levels[src : src+shape[2]]
			for x, in := range r.ROI[src : src+shape[2]] {
				g := int32(0)
				if in {
					g = lv[x]
				}
				if row[x] != g {
					return false
				}
			}
			src += shape[2]
		}
	}
	return true
}

// texPrepare validates r for the texture classes and finds the levels
// present; the result and the padded level volume (padding pad, see
// texPadded) are cached in r.
func texPrepare(r *Region, class string, pad int) (texLevels, error) {
	if r == nil {
		return texLevels{}, fmt.Errorf("%s: nil region", class)
	}
	if c := r.tex; c != nil && (r.Fixed && c.sameSlices(r) || c.matches(r)) {
		return c.t, nil
	}
	r.tex = nil
	c, err := texScan(r, class, pad)
	if err != nil {
		return texLevels{}, err
	}
	c.roi, c.lv = &r.ROI[0], &r.Levels[0]
	r.tex = c
	return c.t, nil
}

// texScan does the work of texPrepare in one pass over the crop: it builds
// the padded level volume (padding pad) and, on the way, counts the ROI
// voxels, finds the largest level and the levels present, and checks that
// every ROI level is >= 1.
func texScan(r *Region, class string, pad int) (*texCache, error) {
	shape := r.ArrayShape()
	n := 1
	for k := 0; k < 3; k++ {
		if shape[k] < 1 {
			return nil, fmt.Errorf("%s: invalid region size %v", class, r.Size)
		}
		n *= shape[k]
	}
	if len(r.ROI) != n || len(r.Levels) != n {
		return nil, fmt.Errorf("%s: region size %v needs %d voxels, got %d ROI flags and %d levels",
			class, r.Size, n, len(r.ROI), len(r.Levels))
	}
	c := &texCache{t: texLevels{shape: shape}}
	pl, ps := texAlloc(shape, pad)
	// seen[g] records level g (0 stands for the voxels outside the ROI);
	// it grows on demand. bad records an ROI level < 1.
	seen := make([]bool, 256)
	var nroi int
	var gmax, gmin int32 = 0, 1
	src := 0
	for z := 0; z < shape[0]; z++ {
		for y := 0; y < shape[1]; y++ {
			dst := texRowStart(z, y, pad, ps)
			row := pl[dst : dst+shape[2]]
			lv := r.Levels[src : src+shape[2]]
			roi := r.ROI[src : src+shape[2]]
			rmax, rmin, cnt := texMaskRow(row, lv, roi)
			nroi += int(cnt)
			gmin = min(gmin, rmin)
			if rmin < 1 {
				src += shape[2]
				continue // an error, reported below
			}
			if int(rmax) >= len(seen) {
				seen = append(seen, make([]bool, int(rmax)+1-len(seen)+len(seen)/2)...)
			}
			gmax = max(gmax, rmax)
			texMarkRow(seen, row)
			src += shape[2]
		}
	}
	bad := gmin < 1
	if bad {
		for i, in := range r.ROI {
			if in && r.Levels[i] < 1 {
				return nil, fmt.Errorf("%s: ROI voxel %d has grey level %d (levels must be >= 1)", class, i, r.Levels[i])
			}
		}
	}
	if nroi == 0 {
		return nil, fmt.Errorf("%s: the ROI is empty", class)
	}
	t := &c.t
	t.ng, t.nroi = int(gmax), nroi
	t.present = seen[:t.ng+1]
	t.present[0] = false
	t.rowOf = make([]int32, t.ng+1)
	for g := range t.rowOf {
		t.rowOf[g] = -1
		if t.present[g] {
			t.rowOf[g] = int32(len(t.ivals))
			t.ivals = append(t.ivals, float64(g))
		}
	}
	c.pad, c.ps, c.pl = pad, ps, pl
	return c, nil
}

// texMaskRow writes the masked levels of a crop row to row (lv[x] for ROI
// voxels, 0 elsewhere) and returns their largest value (at least 0), the
// smallest ROI level (1 when there is none) and the number of ROI voxels.
// It is branch-free: m is -1 for ROI voxels and 0 elsewhere.
func texMaskRow(row, lv []int32, roi []bool) (rmax, rmin, cnt int32) {
	if texAsm {
		return texMaskRowAsm(row, lv, roi)
	}
	return texMaskRowGo(row, lv, roi)
}

// texMaskRowGo is the portable texMaskRow.
func texMaskRowGo(row, lv []int32, roi []bool) (rmax, rmin, cnt int32) {
	rmin = 1
	lv = lv[:len(roi)]
	row = row[:len(roi)]
	for x, in := range roi {
		m := -int32(b2u8(in))
		g := lv[x] & m
		row[x] = g
		cnt -= m
		rmax = max(rmax, g)
		rmin = min(rmin, g|int32(uint32(^m)>>1))
	}
	return rmax, rmin, cnt
}

// texMarkRow sets seen[g] for the levels g of row (all < len(seen)).
func texMarkRow(seen []bool, row []int32) {
	for _, g := range row {
		seen[g] = true
	}
}

// texIndexRowsGo sets dst[i] = lut[max(src[i], 0)]: the row index of a
// level (lut[0] = -1 for the voxels outside the ROI and the padding).
func texIndexRowsGo(dst, src, lut []int32) {
	dst = dst[:len(src)]
	for i, g := range src {
		dst[i] = lut[max(g, 0)]
	}
}

// b2u8 is 1 for true and 0 for false.
func b2u8(b bool) uint8 {
	if b {
		return 1
	}
	return 0
}

// texAlloc returns a level volume for the crop shape padded by pad, its pad
// voxels set to -1 (the crop voxels are left to the caller), and its shape.
func texAlloc(shape [3]int, pad int) ([]int32, [3]int) {
	ps := [3]int{shape[0] + 2*pad, shape[1] + 2*pad, shape[2] + 2*pad}
	pl := getInt32s(ps[0] * ps[1] * ps[2]) // every voxel is written below or by the caller
	fill := func(s []int32) {
		for i := range s {
			s[i] = -1
		}
	}
	plane := ps[1] * ps[2]
	fill(pl[:pad*plane])
	fill(pl[(pad+shape[0])*plane:])
	for z := pad; z < pad+shape[0]; z++ {
		p := pl[z*plane : (z+1)*plane]
		fill(p[:pad*ps[2]])
		fill(p[(pad+shape[1])*ps[2]:])
		// Between crop rows: the right pad of one row and the left pad of
		// the next are contiguous.
		for y := pad; y <= pad+shape[1]; y++ {
			lo := y*ps[2] - pad
			fill(p[lo : lo+2*pad])
		}
	}
	return pl, ps
}

// texPad is the padding of the cached volumes for settings s: the largest
// distance, at least 1, so that every class's offsets stay in the volume.
func texPad(s *Settings) int {
	p := 1
	for _, d := range s.Distances {
		p = max(p, d)
	}
	return p
}

// texPadded returns the padded level volume of r (ROI voxels hold their
// level, other crop voxels 0, the pad voxels of padding on every side -1)
// and its shape, in array order. Neighbour offsets up to pad then become
// flat index deltas that need no bounds checks. r must have passed
// texPrepare; the volume is cached and must not be modified.
func texPadded(r *Region, pad int) ([]int32, [3]int) {
	c := r.tex
	if c.pad != pad {
		c.build(r, pad)
	}
	return c.pl, c.ps
}

// texPaddedIndex is texPadded with the row index rowOf[level] in ROI voxels
// and -1 everywhere else.
func texPaddedIndex(r *Region, pad int) ([]int32, [3]int) {
	c := r.tex
	if c.pad != pad {
		c.build(r, pad)
	}
	if c.pi == nil {
		c.pi = getInt32s(len(c.pl)) // every voxel is written below
		// rowOf1 is rowOf with -1 for level 0 (the voxels outside the ROI).
		rowOf1 := append([]int32(nil), c.t.rowOf...)
		rowOf1[0] = -1
		pi, pl := c.pi, c.pl
		// The pad voxels, -1; then the crop rows (and the pad voxels
		// between them) through rowOf1.
		first, last := texRowStart(0, 0, c.pad, c.ps), texRowStart(c.t.shape[0]-1, c.t.shape[1]-1, c.pad, c.ps)+c.t.shape[2]
		for i := range pi[:first] {
			pi[i] = -1
		}
		for i := range pi[last:] {
			pi[last+i] = -1
		}
		if texAsm {
			texIndexRowsAsm(pi[first:last], pl[first:last], rowOf1, int32(c.t.ng))
		} else {
			texIndexRowsGo(pi[first:last], pl[first:last], rowOf1)
		}
	}
	return c.pi, c.ps
}

// build fills c.pl for padding pad from r (whose masked levels c describes)
// and drops c.pi.
func (c *texCache) build(r *Region, pad int) {
	shape := c.t.shape
	pl, ps := texAlloc(shape, pad)
	src := 0
	for z := 0; z < shape[0]; z++ {
		for y := 0; y < shape[1]; y++ {
			dst := texRowStart(z, y, pad, ps)
			row := pl[dst : dst+shape[2]]
			lv := r.Levels[src : src+shape[2]]
			for x, in := range r.ROI[src : src+shape[2]] {
				g := int32(0)
				if in {
					g = lv[x]
				}
				row[x] = g
			}
			src += shape[2]
		}
	}
	c.pad, c.ps, c.pl, c.pi, c.ngtdm = pad, ps, pl, nil, nil
}

// texRowStart is the padded index of the first voxel of crop row (z, y) in a
// volume of shape ps padded by pad.
func texRowStart(z, y, pad int, ps [3]int) int { return ((z+pad)*ps[1]+(y+pad))*ps[2] + pad }

// texBoxAxes reports whether the offsets angles are exactly the box
// {-1,0,1}^3 without its centre restricted to some axes (the others 0), and
// which axes: the distance-1 neighbourhood, 26 offsets in 3D, 8 in-plane.
// Angles lists distinct offsets, so all in the box and 3^k - 1 of them is the
// whole box.
func texBoxAxes(angles [][3]int) (axes [3]bool, ok bool) {
	for _, a := range angles {
		for k, v := range a {
			if v < -1 || v > 1 {
				return axes, false
			}
			if v != 0 {
				axes[k] = true
			}
		}
	}
	n := 1
	for _, on := range axes {
		if on {
			n *= 3
		}
	}
	return axes, len(angles) == n-1
}

// int32Pool recycles the padded volumes (pl, pi) of released regions: a
// 1,316-feature extraction builds 14 of each, and fresh memory costs page
// faults.
var int32Pool sync.Pool // *[]int32

// getInt32s returns a slice of length n with unspecified contents, from
// int32Pool when it holds one large enough.
func getInt32s(n int) []int32 {
	if p, ok := int32Pool.Get().(*[]int32); ok && cap(*p) >= n {
		return (*p)[:n]
	}
	return make([]int32, n)
}

// Release hands the texture data cached in r (the padded level and index
// volumes) back for reuse by later regions and drops r's cache. Call it
// when no feature class will run on r any more; a class run afterwards
// rebuilds the data.
func (r *Region) Release() {
	c := r.tex
	if c == nil {
		return
	}
	r.tex = nil
	for _, b := range [][]int32{c.pl, c.pi} {
		if b != nil {
			int32Pool.Put(&b)
		}
	}
}
