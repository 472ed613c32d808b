package features

import (
	"errors"
	"fmt"
	"math"
	"slices"

	"gonum.org/v1/gonum/mat"
)

// Shape (3D) features: PyRadiomics' "shape" class (shape.py and the
// calculate_coefficients function of cshape.c), see
// docs/pyradiomics-parity.md section 9. Notation: V = mesh volume, A = mesh
// surface area, Np = number of ROI voxels, λ1 <= λ2 <= λ3 the eigenvalues of
// the population covariance of the ROI voxel centres (mm²).
//
// | feature                    | IBSI | formula                                       |
// |----------------------------|------|-----------------------------------------------|
// | Compactness1 (deprecated)  | SKGS | V / (A^(3/2) · sqrt(π))                       |
// | Compactness2 (deprecated)  | BQWJ | 36π V² / A³                                   |
// | Elongation                 | Q3CK | sqrt(λ2 / λ3)                                 |
// | Flatness                   | N17B | sqrt(λ1 / λ3)                                 |
// | LeastAxisLength            | 7J51 | 4 sqrt(λ1)                                    |
// | MajorAxisLength            | TDIC | 4 sqrt(λ3)                                    |
// | Maximum2DDiameterColumn    | -    | max vertex distance over pairs of equal y     |
// | Maximum2DDiameterRow       | -    | max vertex distance over pairs of equal x     |
// | Maximum2DDiameterSlice     | -    | max vertex distance over pairs of equal z     |
// | Maximum3DDiameter          | L0JK | max vertex distance over all vertex pairs     |
// | MeshVolume                 | RNU0 | V = Σ_faces sign · (a × b) · c / 6            |
// | MinorAxisLength            | P9VJ | 4 sqrt(λ2)                                    |
// | SphericalDisproportion (d) | KRCK | A / (36π V²)^(1/3)                            |
// | Sphericity                 | QCFX | (36π V²)^(1/3) / A                            |
// | SurfaceArea                | C0JK | A = Σ_faces |(a − c) × (b − c)| / 2          |
// | SurfaceVolumeRatio         | 2PR5 | A / V                                         |
// | VoxelVolume                | YEKZ | Np · (Δz·Δx·Δy)                               |
var shapeFeatures = []Feature{
	{Name: "Compactness1", IBSI: "SKGS", Deprecated: true},
	{Name: "Compactness2", IBSI: "BQWJ", Deprecated: true},
	{Name: "Elongation", IBSI: "Q3CK"},
	{Name: "Flatness", IBSI: "N17B"},
	{Name: "LeastAxisLength", IBSI: "7J51"},
	{Name: "MajorAxisLength", IBSI: "TDIC"},
	{Name: "Maximum2DDiameterColumn"},
	{Name: "Maximum2DDiameterRow"},
	{Name: "Maximum2DDiameterSlice"},
	{Name: "Maximum3DDiameter", IBSI: "L0JK"},
	{Name: "MeshVolume", IBSI: "RNU0"},
	{Name: "MinorAxisLength", IBSI: "P9VJ"},
	{Name: "SphericalDisproportion", IBSI: "KRCK", Deprecated: true},
	{Name: "Sphericity", IBSI: "QCFX"},
	{Name: "SurfaceArea", IBSI: "C0JK"},
	{Name: "SurfaceVolumeRatio", IBSI: "2PR5"},
	{Name: "VoxelVolume", IBSI: "YEKZ"},
}

func init() {
	register(&Class{Name: "shape", Features: shapeFeatures, Compute: computeShape})
}

// computeShape computes shapeFeatures in order for the region r.
func computeShape(r *Region, _ *Settings) ([]float64, error) {
	dims, np, err := checkShapeRegion(r)
	if err != nil {
		return nil, fmt.Errorf("shape: %w", err)
	}
	sp := r.ArraySpacing()
	pm, pdims := padMask3D(r.ROI, dims)

	area, vol := marchingCubes(pm, pdims, sp)
	d := meshDiameters3D(pm, pdims, sp)
	ev, err := principalMoments3D(pm, pdims, sp, np)
	if err != nil {
		return nil, fmt.Errorf("shape: %w", err)
	}

	sph := math.Pow(36*math.Pi*(vol*vol), 1.0/3.0)
	out := make([]float64, len(shapeFeatures))
	out[0] = vol / (math.Pow(area, 1.5) * math.Sqrt(math.Pi))
	out[1] = 36 * math.Pi * (vol * vol) / math.Pow(area, 3)
	out[2] = eigRatio(ev[1], ev[2])
	out[3] = eigRatio(ev[0], ev[2])
	out[4] = axisLength(ev[0])
	out[5] = axisLength(ev[2])
	out[6] = d[1]
	out[7] = d[2]
	out[8] = d[0]
	out[9] = d[3]
	out[10] = vol
	out[11] = axisLength(ev[1])
	out[12] = area / sph
	out[13] = sph / area
	out[14] = area
	out[15] = area / vol
	out[16] = float64(np) * (sp[0] * sp[2] * sp[1])
	return out, nil
}

// axisLength is PyRadiomics' axis length 4·sqrt(λ), NaN for negative λ.
func axisLength(l float64) float64 {
	if l < 0 {
		return math.NaN()
	}
	return math.Sqrt(l) * 4
}

// eigRatio is sqrt(num/den), NaN when either eigenvalue is negative.
func eigRatio(num, den float64) float64 {
	if num < 0 || den < 0 {
		return math.NaN()
	}
	return math.Sqrt(num / den)
}

// checkShapeRegion validates r and returns its array-order size and the
// number of ROI voxels.
func checkShapeRegion(r *Region) ([3]int, int, error) {
	if r == nil {
		return [3]int{}, 0, errors.New("nil region")
	}
	dims := r.ArrayShape()
	n := 1
	for a := 0; a < 3; a++ {
		if dims[a] < 1 {
			return dims, 0, fmt.Errorf("invalid region size %v", r.Size)
		}
		if dims[a] > math.MaxInt32/4 || n > math.MaxInt/(dims[a]+2) {
			return dims, 0, fmt.Errorf("region size %v too large", r.Size)
		}
		n *= dims[a]
		if s := r.Spacing[a]; !(s > 0) || math.IsInf(s, 0) {
			return dims, 0, fmt.Errorf("invalid spacing %v", r.Spacing)
		}
	}
	if len(r.ROI) != n {
		return dims, 0, fmt.Errorf("ROI has %d voxels, region size %v needs %d", len(r.ROI), r.Size, n)
	}
	np := 0
	for _, b := range r.ROI {
		if b {
			np++
		}
	}
	if np == 0 {
		return dims, 0, errors.New("empty ROI")
	}
	return dims, np, nil
}

// padMask3D returns the ROI (array order dims, x fastest) padded with one
// layer of zeros on every side, as 0/1 bytes, and its dims.
func padMask3D(roi []bool, dims [3]int) ([]uint8, [3]int) {
	pd := [3]int{dims[0] + 2, dims[1] + 2, dims[2] + 2}
	pm := make([]uint8, pd[0]*pd[1]*pd[2])
	i := 0
	for z := 0; z < dims[0]; z++ {
		for y := 0; y < dims[1]; y++ {
			row := ((z+1)*pd[1]+y+1)*pd[2] + 1
			for x := 0; x < dims[2]; x++ {
				if roi[i] {
					pm[row+x] = 1
				}
				i++
			}
		}
	}
	return pm, pd
}

// halfCoords returns c[k] = (k/2)·s for k = 0..2(n-1): the coordinate of
// index k/2 (an integer or half-integer index of an axis of n voxels),
// computed as cshape.c does ((index + offset) · spacing, one rounding).
func halfCoords(n int, s float64) []float64 {
	c := make([]float64, 2*n-1)
	for k := range c {
		c[k] = (float64(k) * 0.5) * s
	}
	return c
}

// mcTriangle is one triangle of triTable as half-voxel offsets of its three
// vertices (a, b, c), each (dz, dy, dx).
type mcTriangle [3][3]int

// mcTriangles[idx] lists the triangles of cube index idx (0..127).
var mcTriangles = func() [128][]mcTriangle {
	var t [128][]mcTriangle
	for idx := range triTable {
		row := triTable[idx]
		for k := 0; k+2 < 16 && row[k] >= 0; k += 3 {
			t[idx] = append(t[idx], mcTriangle{cubeEdges2[row[k]], cubeEdges2[row[k+1]], cubeEdges2[row[k+2]]})
		}
	}
	return t
}()

// mcPairIndex maps two 4-bit column codes (lo = column x, hi = column x+1;
// bit 0 = (z, y), bit 1 = (z, y+1), bit 2 = (z+1, y), bit 3 = (z+1, y+1)) to
// the 8-bit cube index of cshape.c's corner numbering.
var mcPairIndex = func() [256]uint8 {
	var t [256]uint8
	for p := 0; p < 256; p++ {
		lo, hi := p&15, p>>4
		var idx int
		for k, c := range cubeCorners {
			col := lo
			if c[2] == 1 {
				col = hi
			}
			if col>>(c[0]*2+c[1])&1 == 1 {
				idx |= 1 << k
			}
		}
		t[p] = uint8(idx)
	}
	return t
}()

// marchingCubes returns the mesh surface area and volume of the padded mask
// pm (array-order dims pd, spacing sp in array order), exactly as
// cshape.c's calculate_coefficients: cubes visited z outermost, x innermost;
// cube index = Σ 2^k over ROI corners; if corner 7 is set the index is
// complemented and the volume sign is −1; for each triangle (a, b, c) of
// triTable, volume += sign·((a×b)·c) and area += |(a−c)×(b−c)|/2, without
// fused multiply-adds; finally volume /= 6.
func marchingCubes(pm []uint8, pd [3]int, sp [3]float64) (area, volume float64) {
	cz, cy, cx := halfCoords(pd[0], sp[0]), halfCoords(pd[1], sp[1]), halfCoords(pd[2], sp[2])
	nx, sy, sz := pd[2], pd[2], pd[1]*pd[2]
	col := make([]uint8, nx)
	for iz := 0; iz < pd[0]-1; iz++ {
		for iy := 0; iy < pd[1]-1; iy++ {
			r0 := iz*sz + iy*sy
			r1, r2, r3 := r0+sy, r0+sz, r0+sz+sy
			seen := uint8(0)
			for x := 0; x < nx; x++ {
				c := pm[r0+x] | pm[r1+x]<<1 | pm[r2+x]<<2 | pm[r3+x]<<3
				col[x] = c
				seen |= c
			}
			if seen == 0 {
				continue
			}
			for ix := 0; ix < nx-1; ix++ {
				p := col[ix] | col[ix+1]<<4
				if p == 0 || p == 0xff {
					continue
				}
				idx := mcPairIndex[p]
				sign := 1.0
				if idx&0x80 != 0 {
					idx ^= 0xff
					sign = -1
				}
				bz, by, bx := 2*iz, 2*iy, 2*ix
				for _, t := range mcTriangles[idx] {
					a0, a1, a2 := cz[bz+t[0][0]], cy[by+t[0][1]], cx[bx+t[0][2]]
					b0, b1, b2 := cz[bz+t[1][0]], cy[by+t[1][1]], cx[bx+t[1][2]]
					c0, c1, c2 := cz[bz+t[2][0]], cy[by+t[2][1]], cx[bx+t[2][2]]

					x0 := float64(a1*b2) - float64(b1*a2)
					x1 := float64(a2*b0) - float64(b2*a0)
					x2 := float64(a0*b1) - float64(b0*a1)
					volume += sign * (float64(x0*c0) + float64(x1*c1) + float64(x2*c2))

					a0, a1, a2 = a0-c0, a1-c1, a2-c2
					b0, b1, b2 = b0-c0, b1-c1, b2-c2
					x0 = float64(a1*b2) - float64(b1*a2)
					x1 = float64(a2*b0) - float64(b2*a0)
					x2 = float64(a0*b1) - float64(b0*a1)
					area += 0.5 * math.Sqrt(float64(x0*x0)+float64(x1*x1)+float64(x2*x2))
				}
			}
		}
	}
	return area, volume / 6
}

// meshVertex is a mesh vertex: its position in half-voxel units of the
// padded array (array order) and its coordinates in mm.
type meshVertex struct {
	k [3]int32
	c [3]float64
}

// meshVertices3D returns every mesh vertex once: the midpoint of every grid
// edge between two 6-adjacent voxels of pm that differ in ROI membership
// (the set cshape.c collects from cube edges 6, 7 and 11).
func meshVertices3D(pm []uint8, pd [3]int, sp [3]float64) []meshVertex {
	cz, cy, cx := halfCoords(pd[0], sp[0]), halfCoords(pd[1], sp[1]), halfCoords(pd[2], sp[2])
	sy, sz := pd[2], pd[1]*pd[2]
	n := 0
	for z := 0; z < pd[0]; z++ {
		for y := 0; y < pd[1]; y++ {
			row := z*sz + y*sy
			for x := 0; x < pd[2]; x++ {
				m := pm[row+x]
				if x+1 < pd[2] && m != pm[row+x+1] {
					n++
				}
				if y+1 < pd[1] && m != pm[row+x+sy] {
					n++
				}
				if z+1 < pd[0] && m != pm[row+x+sz] {
					n++
				}
			}
		}
	}
	v := make([]meshVertex, 0, n)
	add := func(kz, ky, kx int) {
		v = append(v, meshVertex{k: [3]int32{int32(kz), int32(ky), int32(kx)}, c: [3]float64{cz[kz], cy[ky], cx[kx]}})
	}
	for z := 0; z < pd[0]; z++ {
		for y := 0; y < pd[1]; y++ {
			row := z*sz + y*sy
			for x := 0; x < pd[2]; x++ {
				m := pm[row+x]
				if x+1 < pd[2] && m != pm[row+x+1] {
					add(2*z, 2*y, 2*x+1)
				}
				if y+1 < pd[1] && m != pm[row+x+sy] {
					add(2*z, 2*y+1, 2*x)
				}
				if z+1 < pd[0] && m != pm[row+x+sz] {
					add(2*z+1, 2*y, 2*x)
				}
			}
		}
	}
	return v
}

// meshDiameters3D returns cshape.c's four diameters of the mesh of pm:
// [0] max distance over vertex pairs of equal z (Slice), [1] equal y
// (Column), [2] equal x (Row), [3] all pairs (3D). Each is the square root of
// the maximum of the squared distances (Δz² + Δy²) + Δx² computed as
// cshape.c does; the search is exact (see farthest and extremeFilter) but
// far faster than all pairs.
func meshDiameters3D(pm []uint8, pd [3]int, sp [3]float64) [4]float64 {
	v := meshVertices3D(pm, pd, sp)
	var ranges [3]int
	for a := 0; a < 3; a++ {
		ranges[a] = 2*pd[a] - 1
	}
	fs := newFilterScratch(ranges)
	var fp farthestScratch
	var out [4]float64

	// 3D: extremes along z, then y, then x (each step keeps the maximum).
	f := fs.extremeFilter(v, 0, make([]meshVertex, 0, len(v)))
	f2 := fs.extremeFilter(f, 1, make([]meshVertex, 0, len(f)))
	f = fs.extremeFilter(f2, 2, f[:0])
	out[3] = fp.farthest(f)

	// Planes: group by the key of the fixed axis (counting sort); visit the
	// planes by decreasing bound (rounded squared diagonal of the plane's
	// vertex bounding box, which no in-plane pair can exceed), stop when
	// the bound cannot beat the maximum, else filter in-plane and maximise.
	coords := [3][]float64{halfCoords(pd[0], sp[0]), halfCoords(pd[1], sp[1]), halfCoords(pd[2], sp[2])}
	g, h := f2[:0], f[:0]
	byPlane := make([]meshVertex, len(v))
	nr := max(ranges[0], ranges[1], ranges[2])
	start := make([]int, nr+1)
	type planeBox struct {
		lo, hi [3]int32
		bound  float64
		key    int
	}
	boxes := make([]planeBox, nr)
	for a := 0; a < 3; a++ {
		st := start[:ranges[a]+1]
		clear(st)
		bx := boxes[:ranges[a]]
		for k := range bx {
			bx[k] = planeBox{lo: [3]int32{math.MaxInt32, math.MaxInt32, math.MaxInt32}, hi: [3]int32{-1, -1, -1}, key: k}
		}
		for i := range v {
			p := &v[i].k
			st[p[a]+1]++
			b := &bx[p[a]]
			for e := 0; e < 3; e++ {
				b.lo[e] = min(b.lo[e], p[e])
				b.hi[e] = max(b.hi[e], p[e])
			}
		}
		for k := 1; k < len(st); k++ {
			st[k] += st[k-1]
		}
		for i := range v {
			k := v[i].k[a]
			byPlane[st[k]] = v[i]
			st[k]++
		}
		b, c := (a+1)%3, (a+2)%3
		for k := range bx {
			if bx[k].hi[a] < 0 {
				continue
			}
			db := coords[b][bx[k].hi[b]] - coords[b][bx[k].lo[b]]
			dc := coords[c][bx[k].hi[c]] - coords[c][bx[k].lo[c]]
			bx[k].bound = float64(db*db) + float64(dc*dc)
		}
		slices.SortFunc(bx, func(p, q planeBox) int {
			switch {
			case p.bound > q.bound:
				return -1
			case p.bound < q.bound:
				return 1
			}
			return 0
		})
		best := 0.0
		for _, pb := range bx {
			if pb.bound <= best {
				break
			}
			lo, hi := 0, st[pb.key]
			if pb.key > 0 {
				lo = st[pb.key-1]
			}
			g = fs.extremeFilter(byPlane[lo:hi], b, g[:0])
			h = fs.extremeFilter(g, c, h[:0])
			if d := fp.farthest(h); d > best {
				best = d
			}
		}
		out[a] = best
	}
	for i := range out {
		out[i] = math.Sqrt(out[i])
	}
	return out
}

// filterScratch holds per-line minimum and maximum keys for extremeFilter.
type filterScratch struct {
	ranges [3]int
	lo, hi []int32
}

// newFilterScratch allocates line tables for key ranges (exclusive upper
// bounds of the three half-voxel keys).
func newFilterScratch(ranges [3]int) *filterScratch {
	n := max(ranges[0]*ranges[1], ranges[1]*ranges[2], ranges[0]*ranges[2])
	fs := &filterScratch{ranges: ranges, lo: make([]int32, n), hi: make([]int32, n)}
	for i := range fs.lo {
		fs.lo[i] = math.MaxInt32
		fs.hi[i] = math.MinInt32
	}
	return fs
}

// extremeFilter appends to out the vertices of pts that are the first or
// last, along axis, of their line (the vertices of pts sharing the two other
// keys). The farthest-pair value is unchanged: for a fixed vertex p, moving
// another vertex q along its line towards the line end away from p never
// decreases the rounded squared distance (subtraction, squaring and addition
// are monotone under rounding), so some maximising pair lies in the output.
func (fs *filterScratch) extremeFilter(pts []meshVertex, axis int, out []meshVertex) []meshVertex {
	u, w := (axis+1)%3, (axis+2)%3
	stride := int32(fs.ranges[w])
	for i := range pts {
		id := pts[i].k[u]*stride + pts[i].k[w]
		k := pts[i].k[axis]
		fs.lo[id] = min(fs.lo[id], k)
		fs.hi[id] = max(fs.hi[id], k)
	}
	for i := range pts {
		id := pts[i].k[u]*stride + pts[i].k[w]
		if k := pts[i].k[axis]; k == fs.lo[id] || k == fs.hi[id] {
			out = append(out, pts[i])
		}
	}
	for i := range pts {
		id := pts[i].k[u]*stride + pts[i].k[w]
		fs.lo[id] = math.MaxInt32
		fs.hi[id] = math.MinInt32
	}
	return out
}

// sqDist is cshape.c's squared distance (Δ0² + Δ1²) + Δ2², not fused.
func sqDist(a0, a1, a2, b0, b1, b2 float64) float64 {
	d0, d1, d2 := a0-b0, a1-b1, a2-b2
	return float64(d0*d0) + float64(d1*d1) + float64(d2*d2)
}

// farthestScratch holds reusable buffers of farthest.
type farthestScratch struct {
	count  []int32
	cellID []int32
	cells  []fpCell
	pairs  []fpPair
	x      [3][]float64
}

// fpCell is a block of points (indices lo..hi-1 of the sorted coordinates)
// with the bounding box of their coordinates.
type fpCell struct {
	lo, hi   int
	min, max [3]float64
}

// fpPair is a pair of cells with an upper bound of their squared distances.
type fpPair struct {
	bound float64
	i, j  int
}

// bruteLimit is the point count up to which farthest compares all pairs.
const bruteLimit = 128

// farthest returns the largest squared distance (sqDist) over all pairs of
// pts, 0 for fewer than two points. It is exactly the all-pairs maximum:
// points are grouped in spatial cells; for two cells, the rounded bound
// sqDist computed from the largest coordinate differences of their bounding
// boxes is >= every rounded pair distance between them (rounding is
// monotone), so cell pairs whose bound does not exceed the current maximum
// are skipped.
func (fp *farthestScratch) farthest(pts []meshVertex) float64 {
	n := len(pts)
	if n < 2 {
		return 0
	}
	if n <= bruteLimit {
		best := 0.0
		for i := 1; i < n; i++ {
			a := &pts[i].c
			for j := 0; j < i; j++ {
				b := &pts[j].c
				if d := sqDist(a[0], a[1], a[2], b[0], b[1], b[2]); d > best {
					best = d
				}
			}
		}
		return best
	}

	// Cells: cubes of cs half-voxel keys (coarsened when the grid would have
	// many more cells than points), filled by a counting sort.
	klo, khi := pts[0].k, pts[0].k
	for i := range pts {
		for a := 0; a < 3; a++ {
			klo[a] = min(klo[a], pts[i].k[a])
			khi[a] = max(khi[a], pts[i].k[a])
		}
	}
	cs := int32(8)
	var gdim [3]int
	for {
		for a := 0; a < 3; a++ {
			gdim[a] = int((khi[a]-klo[a])/cs) + 1
		}
		if gdim[0]*gdim[1]*gdim[2] <= max(4*n, 4096) {
			break
		}
		cs *= 2
	}
	ng := gdim[0] * gdim[1] * gdim[2]
	fp.count = slices.Grow(fp.count[:0], ng+1)[:ng+1]
	clear(fp.count)
	fp.cellID = slices.Grow(fp.cellID[:0], n)[:n]
	for i := range pts {
		p := &pts[i].k
		id := (int((p[0]-klo[0])/cs)*gdim[1]+int((p[1]-klo[1])/cs))*gdim[2] + int((p[2]-klo[2])/cs)
		fp.cellID[i] = int32(id)
		fp.count[id+1]++
	}
	fp.cells = fp.cells[:0]
	for id := 0; id < ng; id++ {
		c := fp.count[id+1]
		fp.count[id+1] = fp.count[id] + c
		if c > 0 {
			fp.cells = append(fp.cells, fpCell{lo: int(fp.count[id]), hi: int(fp.count[id+1]),
				min: [3]float64{math.Inf(1), math.Inf(1), math.Inf(1)}, max: [3]float64{math.Inf(-1), math.Inf(-1), math.Inf(-1)}})
		}
	}
	for a := 0; a < 3; a++ {
		fp.x[a] = slices.Grow(fp.x[a][:0], n)[:n]
	}
	for i := range pts {
		id := fp.cellID[i]
		j := fp.count[id]
		fp.count[id]++
		for a := 0; a < 3; a++ {
			fp.x[a][j] = pts[i].c[a]
		}
	}
	for ci := range fp.cells {
		c := &fp.cells[ci]
		for a := 0; a < 3; a++ {
			for _, v := range fp.x[a][c.lo:c.hi] {
				c.min[a] = min(c.min[a], v)
				c.max[a] = max(c.max[a], v)
			}
		}
	}
	xs, ys, zs := fp.x[0], fp.x[1], fp.x[2]

	// Initial maximum: the points extreme along each axis against all points.
	best := 0.0
	for a := 0; a < 3; a++ {
		imin, imax := 0, 0
		for i := 1; i < n; i++ {
			if fp.x[a][i] < fp.x[a][imin] {
				imin = i
			}
			if fp.x[a][i] > fp.x[a][imax] {
				imax = i
			}
		}
		for _, e := range [2]int{imin, imax} {
			e0, e1, e2 := xs[e], ys[e], zs[e]
			for j := 0; j < n; j++ {
				if d := sqDist(e0, e1, e2, xs[j], ys[j], zs[j]); d > best {
					best = d
				}
			}
		}
	}

	fp.pairs = fp.pairs[:0]
	for i := range fp.cells {
		ci := &fp.cells[i]
		for j := i; j < len(fp.cells); j++ {
			cj := &fp.cells[j]
			m0 := max(ci.max[0]-cj.min[0], cj.max[0]-ci.min[0])
			m1 := max(ci.max[1]-cj.min[1], cj.max[1]-ci.min[1])
			m2 := max(ci.max[2]-cj.min[2], cj.max[2]-ci.min[2])
			if b := float64(m0*m0) + float64(m1*m1) + float64(m2*m2); b > best {
				fp.pairs = append(fp.pairs, fpPair{bound: b, i: i, j: j})
			}
		}
	}
	slices.SortFunc(fp.pairs, func(p, q fpPair) int {
		switch {
		case p.bound > q.bound:
			return -1
		case p.bound < q.bound:
			return 1
		}
		return 0
	})
	for _, pr := range fp.pairs {
		if pr.bound <= best {
			break
		}
		ci, cj := &fp.cells[pr.i], &fp.cells[pr.j]
		for a := ci.lo; a < ci.hi; a++ {
			a0, a1, a2 := xs[a], ys[a], zs[a]
			for b := cj.lo; b < cj.hi; b++ {
				d0, d1, d2 := a0-xs[b], a1-ys[b], a2-zs[b]
				if d := float64(d0*d0) + float64(d1*d1) + float64(d2*d2); d > best {
					best = d
				}
			}
		}
	}
	return best
}

// principalMoments3D returns the eigenvalues λ1 <= λ2 <= λ3 of PyRadiomics'
// shape covariance: ROI voxel centres index·spacing (array order, padded
// indices), centred on their mean, divided by sqrt(Np), C = XᵀX (population
// covariance); eigenvalues in (−1e-10, 0) are set to 0.
func principalMoments3D(pm []uint8, pd [3]int, sp [3]float64, np int) ([]float64, error) {
	var sum [3]float64
	i := 0
	for z := 0; z < pd[0]; z++ {
		for y := 0; y < pd[1]; y++ {
			for x := 0; x < pd[2]; x++ {
				if pm[i] != 0 {
					sum[0] += float64(float64(z) * sp[0])
					sum[1] += float64(float64(y) * sp[1])
					sum[2] += float64(float64(x) * sp[2])
				}
				i++
			}
		}
	}
	fn := float64(np)
	mean := [3]float64{sum[0] / fn, sum[1] / fn, sum[2] / fn}
	sq := math.Sqrt(fn)
	var c [6]float64 // zz, zy, zx, yy, yx, xx
	i = 0
	for z := 0; z < pd[0]; z++ {
		pz := (float64(z)*sp[0] - mean[0]) / sq
		for y := 0; y < pd[1]; y++ {
			py := (float64(y)*sp[1] - mean[1]) / sq
			for x := 0; x < pd[2]; x++ {
				if pm[i] != 0 {
					px := (float64(x)*sp[2] - mean[2]) / sq
					c[0] += float64(pz * pz)
					c[1] += float64(pz * py)
					c[2] += float64(pz * px)
					c[3] += float64(py * py)
					c[4] += float64(py * px)
					c[5] += float64(px * px)
				}
				i++
			}
		}
	}
	return symEigenvalues(3, []float64{c[0], c[1], c[2], c[1], c[3], c[4], c[2], c[4], c[5]})
}

// symEigenvalues returns the eigenvalues, ascending, of the symmetric n×n
// matrix a (row-major), with values in (−1e-10, 0) set to 0 as PyRadiomics
// does after numpy.linalg.eigvals.
func symEigenvalues(n int, a []float64) ([]float64, error) {
	for _, v := range a {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, errors.New("non-finite covariance")
		}
	}
	var es mat.EigenSym
	if !es.Factorize(mat.NewSymDense(n, a), false) {
		return nil, errors.New("eigen-decomposition of the covariance failed")
	}
	ev := es.Values(nil)
	slices.Sort(ev)
	for i, v := range ev {
		if v < 0 && v > -1e-10 {
			ev[i] = 0
		}
	}
	return ev, nil
}
