package features

import "fmt"

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
// ROI or Levels in place between computations is safe.
type texCache struct {
	t texLevels
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
	if c := r.tex; c != nil && c.matches(r) {
		return c.t, nil
	}
	r.tex = nil
	t, err := texScan(r, class)
	if err != nil {
		return t, err
	}
	r.tex = &texCache{t: t}
	r.tex.build(r, pad)
	return t, nil
}

// texScan does the work of texPrepare.
func texScan(r *Region, class string) (texLevels, error) {
	var t texLevels
	t.shape = r.ArrayShape()
	n := 1
	for k := 0; k < 3; k++ {
		if t.shape[k] < 1 {
			return t, fmt.Errorf("%s: invalid region size %v", class, r.Size)
		}
		n *= t.shape[k]
	}
	if len(r.ROI) != n || len(r.Levels) != n {
		return t, fmt.Errorf("%s: region size %v needs %d voxels, got %d ROI flags and %d levels",
			class, r.Size, n, len(r.ROI), len(r.Levels))
	}
	lv := r.Levels[:n]
	for i, in := range r.ROI {
		if !in {
			continue
		}
		g := int(lv[i])
		if g < 1 {
			return t, fmt.Errorf("%s: ROI voxel %d has grey level %d (levels must be >= 1)", class, i, g)
		}
		t.ng = max(t.ng, g)
		t.nroi++
	}
	if t.nroi == 0 {
		return t, fmt.Errorf("%s: the ROI is empty", class)
	}
	t.present = make([]bool, t.ng+1)
	for i, in := range r.ROI {
		if in {
			t.present[lv[i]] = true
		}
	}
	t.rowOf = make([]int32, t.ng+1)
	for g := range t.rowOf {
		t.rowOf[g] = -1
		if t.present[g] {
			t.rowOf[g] = int32(len(t.ivals))
			t.ivals = append(t.ivals, float64(g))
		}
	}
	return t, nil
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
		c.pi = make([]int32, len(c.pl))
		rowOf := c.t.rowOf
		for i, g := range c.pl {
			if g > 0 {
				c.pi[i] = rowOf[g]
			} else {
				c.pi[i] = -1
			}
		}
	}
	return c.pi, c.ps
}

// build fills c.pl for padding pad from r (whose masked levels c describes)
// and drops c.pi.
func (c *texCache) build(r *Region, pad int) {
	shape := c.t.shape
	ps := [3]int{shape[0] + 2*pad, shape[1] + 2*pad, shape[2] + 2*pad}
	pl := make([]int32, ps[0]*ps[1]*ps[2])
	for i := range pl {
		pl[i] = -1
	}
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

// texBoxSums returns, for every voxel p of the padded level volume pl (shape
// ps, padding >= 1) that lies in the crop, the sum over the box {-1,0,1}
// along axes (0 along the others) around p, p included, of
// int64(level)<<8 + 1 over the ROI voxels (level > 0): the low byte counts
// the ROI voxels of the box (at most 27), the higher bits sum their levels.
// It is separable: one 3-tap pass per axis, exact in integers. Values at
// pad voxels are meaningless.
func texBoxSums(pl []int32, ps [3]int, axes [3]bool) []int64 {
	a := make([]int64, len(pl))
	for i, g := range pl {
		if g > 0 {
			a[i] = int64(g)<<8 | 1
		}
	}
	var b []int64
	strides := [3]int{ps[1] * ps[2], ps[2], 1}
	for k := 2; k >= 0; k-- {
		if !axes[k] {
			continue
		}
		if b == nil {
			b = make([]int64, len(pl))
		}
		st := strides[k]
		n := len(a)
		if n <= 2*st {
			continue // cannot happen with padding >= 1
		}
		lo, mid, hi, dst := a[:n-2*st], a[st:n-st], a[2*st:], b[st:n-st]
		for i := range dst {
			dst[i] = lo[i] + mid[i] + hi[i]
		}
		a, b = b, a
	}
	return a
}
