// Package preprocess prepares image and mask pairs the way PyRadiomics does
// before feature extraction: label selection and mask checks, cropping,
// resampling (ITK ResampleImageFilter with nearest-neighbour, linear and
// cubic B-spline interpolation), normalization, resegmentation and grey-level
// discretisation. Every geometric quantity is in ITK order (x, y, z) on
// volume.Image, whose data are stored x fastest.
package preprocess

import (
	"math"

	"github.com/spinerad/spinerad/internal/volume"
)

// pyMod returns Python's a % b for floats: the result takes the sign of b.
func pyMod(a, b float64) float64 {
	r := math.Mod(a, b)
	if r != 0 && (r < 0) != (b < 0) {
		r += b
	}
	return r
}

// roiMinMax returns the smallest and largest non-NaN value of values at ROI
// voxels (all voxels when roi is nil) and whether any such voxel exists.
func roiMinMax(values []float64, roi []bool) (lo, hi float64, ok bool) {
	lo, hi = math.Inf(1), math.Inf(-1)
	for i, v := range values {
		if roi != nil && !roi[i] {
			continue
		}
		if v < lo {
			lo = v
		}
		if v > hi {
			hi = v
		}
		ok = ok || v == v
	}
	return lo, hi, ok
}

// maxEdgeTable is the largest number of bin edges DiscretizeBinWidth
// tabulates (beyond it, edges are computed as needed).
const maxEdgeTable = 1 << 16

// countEdgesTable is countEdgesLE with the edges in a slice.
func countEdgesTable(v float64, guess float64, edges []float64) int64 {
	nE := int64(len(edges))
	if v != v {
		return nE
	}
	var g int64
	switch {
	case guess >= float64(nE):
		g = nE
	case guess > 0:
		g = int64(guess)
	}
	for g < nE && edges[g] <= v {
		g++
	}
	for g > 0 && edges[g-1] > v {
		g--
	}
	return g
}

// countEdgesLE returns the number of edges <= v (np.digitize with increasing
// edges) for nE non-decreasing edges given by edge(i), starting from the
// (possibly far off, clamped) guess and correcting it by walking along the edges.
func countEdgesLE(v float64, guess float64, nE int64, edge func(int64) float64) int64 {
	if v != v { // NaN sorts after every edge in NumPy's searchsorted
		return nE
	}
	var g int64
	switch {
	case guess >= float64(nE):
		g = nE
	case guess > 0:
		g = int64(guess)
	}
	for g < nE && edge(g) <= v {
		g++
	}
	for g > 0 && edge(g-1) > v {
		g--
	}
	return g
}

// BinWidthEdges returns the parameters of PyRadiomics' fixed-bin-width edges
// for ROI values in [min, max] and width w: lo = min - pymod(min, w),
// edges = np.arange(lo, max + 2w, w) with nE elements, element i being lo
// (i = 0), lo + w (i = 1) or lo + i*delta with delta = (lo + w) - lo.
func BinWidthEdges(min, max, w float64) (lo, delta float64, nE int64) {
	lo = min - pyMod(min, w)
	hi := max + 2*w
	nE = int64(math.Ceil((hi - lo) / w))
	delta = (lo + w) - lo
	return lo, delta, nE
}

// DiscretizeBinWidth discretises values with PyRadiomics' fixed bin width w
// (section 7.1 of the parity spec, IBSI "fixed bin size" as implemented by
// PyRadiomics): lo = min - pymod(min, w), edges = np.arange(lo, max + 2w, w),
// level = number of edges <= value (np.digitize), with min and max taken over
// the ROI. out[i] receives the 1-based level at ROI voxels (roi[i] true, or
// every voxel when roi is nil) and 0 elsewhere; the returned maxLevel is the
// largest level present (Ng). No allocation: edges are evaluated on the fly
// from NumPy's arange rule and each voxel's level is the closed form
// floor((v - lo)/delta) + 1 corrected against the exact edges.
//
// Invalid input (len(out) or a non-nil roi not matching len(values), w not
// positive and finite, no non-NaN ROI value, more than 2^31-1 edges) returns
// 0 with out zeroed as far as it reaches. NaN voxels (which callers should
// reject beforehand) get the top level, as np.digitize gives them.
func DiscretizeBinWidth(values []float64, roi []bool, w float64, out []int32) (maxLevel int32) {
	zeroFill(out)
	if len(out) != len(values) || (roi != nil && len(roi) != len(values)) || !(w > 0) || math.IsInf(w, 1) {
		return 0
	}
	mn, mx, ok := roiMinMax(values, roi)
	if !ok || math.IsInf(mn, 0) || math.IsInf(mx, 0) {
		return 0
	}
	lo, delta, nE := BinWidthEdges(mn, mx, w)
	if nE < 1 || nE > math.MaxInt32 {
		return 0
	}
	e1 := lo + w
	edge := func(i int64) float64 {
		switch i {
		case 0:
			return lo
		case 1:
			return e1
		}
		return float64(float64(i)*delta) + lo
	}
	var gmax int64
	if nE <= maxEdgeTable {
		// The usual case: a table of the edges, searched inline.
		edges := make([]float64, nE)
		for i := range edges {
			edges[i] = edge(int64(i))
		}
		inv := 1 / delta // the guess needs no exact division: the walk corrects it
		for i, v := range values {
			if roi != nil && !roi[i] {
				continue
			}
			g := countEdgesTable(v, math.Floor((v-lo)*inv)+1, edges)
			out[i] = int32(g)
			gmax = max(gmax, g)
		}
		return int32(gmax)
	}
	for i, v := range values {
		if roi != nil && !roi[i] {
			continue
		}
		g := countEdgesLE(v, math.Floor((v-lo)/delta)+1, nE, edge)
		out[i] = int32(g)
		if g > gmax {
			gmax = g
		}
	}
	return int32(gmax)
}

// DiscretizeBinCount discretises values into n bins the way PyRadiomics'
// binCount mode does (section 7.2 of the parity spec; IBSI "fixed bin number"
// as implemented with np.histogram): first, last = ROI min and max (float64),
// widened by 0.5 each way when equal; edges[k] = k*((last - first)/n) + first
// for k < n, edges[n] = last + 1; level = number of edges <= value. For a
// Float32 image (pt) the edges are rounded to float32 and the +1 is a float32
// addition, as NumPy 1.24 does. A flat ROI gets level floor(n/2) + 1.
//
// out, roi, maxLevel and invalid input (n < 1 in addition) behave as in
// DiscretizeBinWidth. No allocation.
func DiscretizeBinCount(values []float64, roi []bool, n int, pt volume.PixelType, out []int32) (maxLevel int32) {
	zeroFill(out)
	if len(out) != len(values) || (roi != nil && len(roi) != len(values)) || n < 1 || n >= math.MaxInt32 {
		return 0
	}
	first, last, ok := roiMinMax(values, roi)
	if !ok || math.IsInf(first, 0) || math.IsInf(last, 0) {
		return 0
	}
	if first == last {
		first -= 0.5
		last += 0.5
	}
	nb := int64(n)
	step := (last - first) / float64(n)
	f32 := pt == volume.Float32
	top := last + 1
	if f32 {
		top = float64(float32(last) + float32(1))
	}
	edge := func(k int64) float64 {
		if k == nb {
			return top
		}
		e := float64(float64(k)*step) + first
		if f32 {
			e = float64(float32(e))
		}
		return e
	}
	nE := nb + 1
	var gmax int64
	for i, v := range values {
		if roi != nil && !roi[i] {
			continue
		}
		g := countEdgesLE(v, math.Floor((v-first)/step)+1, nE, edge)
		out[i] = int32(g)
		if g > gmax {
			gmax = g
		}
	}
	return int32(gmax)
}

func zeroFill(out []int32) {
	for i := range out {
		out[i] = 0
	}
}
