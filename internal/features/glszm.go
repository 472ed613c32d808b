package features

import (
	"fmt"
	"math"
	"math/bits"
)

// glszmFeatures lists the GLSZM features in PyRadiomics' output order. Nz is
// the number of zones, Np the number of ROI voxels, P(i,j) the zone matrix
// (level i, zone size j), ps(j) = sum_i P(i,j), pg(i) = sum_j P(i,j).
var glszmFeatures = []Feature{
	// GrayLevelNonUniformity (IBSI JNSA): sum_i pg(i)² / Nz.
	{Name: "GrayLevelNonUniformity", IBSI: "JNSA"},
	// GrayLevelNonUniformityNormalized (IBSI Y1RO): sum_i pg(i)² / Nz².
	{Name: "GrayLevelNonUniformityNormalized", IBSI: "Y1RO"},
	// GrayLevelVariance (IBSI BYLV): with q = pg/Nz, sum_i q(i) (i - sum_i q(i) i)².
	{Name: "GrayLevelVariance", IBSI: "BYLV"},
	// HighGrayLevelZoneEmphasis (IBSI 5GN9): sum_i pg(i) i² / Nz.
	{Name: "HighGrayLevelZoneEmphasis", IBSI: "5GN9"},
	// LargeAreaEmphasis (IBSI 48P8): sum_j ps(j) j² / Nz.
	{Name: "LargeAreaEmphasis", IBSI: "48P8"},
	// LargeAreaHighGrayLevelEmphasis (IBSI J17V): sum_ij P(i,j) i² j² / Nz.
	{Name: "LargeAreaHighGrayLevelEmphasis", IBSI: "J17V"},
	// LargeAreaLowGrayLevelEmphasis (IBSI YH51): sum_ij P(i,j) j² / i² / Nz.
	{Name: "LargeAreaLowGrayLevelEmphasis", IBSI: "YH51"},
	// LowGrayLevelZoneEmphasis (IBSI XMSY): sum_i pg(i) / i² / Nz.
	{Name: "LowGrayLevelZoneEmphasis", IBSI: "XMSY"},
	// SizeZoneNonUniformity (IBSI 4JP3): sum_j ps(j)² / Nz.
	{Name: "SizeZoneNonUniformity", IBSI: "4JP3"},
	// SizeZoneNonUniformityNormalized (IBSI VB3A): sum_j ps(j)² / Nz².
	{Name: "SizeZoneNonUniformityNormalized", IBSI: "VB3A"},
	// SmallAreaEmphasis (IBSI 5QRC): sum_j ps(j) / j² / Nz.
	{Name: "SmallAreaEmphasis", IBSI: "5QRC"},
	// SmallAreaHighGrayLevelEmphasis (IBSI HW1V): sum_ij P(i,j) i² / j² / Nz.
	{Name: "SmallAreaHighGrayLevelEmphasis", IBSI: "HW1V"},
	// SmallAreaLowGrayLevelEmphasis (IBSI 5RAI): sum_ij P(i,j) / (i² j²) / Nz.
	{Name: "SmallAreaLowGrayLevelEmphasis", IBSI: "5RAI"},
	// ZoneEntropy (IBSI GU8N): -sum_ij p log2(p + eps), p = P/Nz.
	{Name: "ZoneEntropy", IBSI: "GU8N"},
	// ZonePercentage (IBSI P30P): Nz / Np, Np = sum_j ps(j) j.
	{Name: "ZonePercentage", IBSI: "P30P"},
	// ZoneVariance (IBSI 3NSA): with q = ps/Nz, sum_j q(j) (j - sum_j q(j) j)².
	{Name: "ZoneVariance", IBSI: "3NSA"},
}

func init() {
	register(&Class{Name: "glszm", Features: glszmFeatures, Compute: computeGLSZM})
}

// glszmZones finds the zones (PyRadiomics' C calculate_glszm) of the byte
// volume b: connected components of ROI voxels of equal level, connected
// through the box neighbourhood {-1,0,1} along the axes conn
// (26-connectivity in 3D, 8 in a plane; an axis off in conn is never
// crossed). It returns the matrix row (rowOf[level]) and size of every zone,
// in pairs, and the largest size; nroi is the number of ROI voxels. The
// order of the zones is unspecified (the zone matrix does not depend on it).
// The scratch comes from sc; the zones stay in it until sc is reused.
//
// One scan of the volume in memory order labels runs: maximal stretches of
// equal level along x (single voxels when x is not connected), numbered from
// 1 in scan order. They are the nodes of a union-find forest whose parent
// links always point to a smaller number, so the root of a zone is its first
// run. The scan works on 64-voxel bitmaps (byteVol.eqWords): the ROI, the
// voxels with the level of their left neighbour (run starts are the others,
// run ends those whose right neighbour differs) and the voxels with the
// level of each of their 12 other already scanned neighbours; the run of a
// voxel is the number of run starts before its word plus a popcount.
//
// A voxel p must be joined with every ROI voxel of its level among its 13
// already scanned neighbours (its left neighbour L, the three voxels of the
// row before in the slice, the nine of the slice before), but most of these
// joins are redundant: two such neighbours that are adjacent to each other
// are already in one zone (the later one was joined with the earlier one
// when it was scanned), and L is in p's own run. So p is joined with a
// neighbour q of its level only when neither L nor a neighbour of higher
// priority adjacent to q has p's level (glszmJoins, word-wide): by induction
// on the priority every neighbour of p's level is then in p's zone, and
// about one join per voxel on a zone boundary is left instead of one per
// touching pair.
//
// Since parents precede their children, one forward pass at the end points
// every run at its root and adds its length into the root's.
func glszmZones(b *byteVol, sc *rlScratch, conn [3]bool, rowOf []int32, nroi int) ([]int32, int) {
	// rel[0]: the left neighbour, rel[1+k]: glszmNbrs[k], as flat offsets;
	// on[k] whether the offset is along connected axes only.
	var rel [1 + len(glszmNbrs)]int
	var on [1 + len(glszmNbrs)]bool
	rel[0], on[0] = -1, conn[2]
	for k, d := range glszmNbrs {
		rel[1+k] = d[0]*b.ss + d[1]*b.s + d[2]
		on[1+k] = (d[0] == 0 || conn[0]) && (d[1] == 0 || conn[1]) && (d[2] == 0 || conn[2])
	}
	const batch = 128 // words per eqWords call (plus one for the run ends)
	const list = 64*batch + 8
	// Per run (1-based; slot 0 unused; 8 spare slots for decodeBits): flat
	// index of its first voxel, length (then zone size), parent. Per word:
	// the number of runs started before it. idx: decoded bit lists.
	// zones: the result, in the scratch too.
	ints := growBuf(&sc.ints, 5*(nroi+9)+b.nw+list)
	start, length, parent := ints[:nroi+9], ints[nroi+9:2*(nroi+9)], ints[2*(nroi+9):3*(nroi+9)]
	zones := ints[3*(nroi+9) : 5*(nroi+9)]
	base, idx := ints[5*(nroi+9):5*(nroi+9)+b.nw], ints[5*(nroi+9)+b.nw:]
	// Per word: the run starts; then the bitmaps of a batch (ROI, left
	// neighbour, 12 neighbours) and the joins of its words (12 per word).
	nbm := (1 + len(rel)) * (batch + 1)
	words := growBuf(&sc.words, b.nw+nbm+len(glszmNbrs)*batch)
	starts, out, joins := words[:b.nw], words[b.nw:b.nw+nbm], words[b.nw+nbm:]
	n, ne := 0, 0
	for wb := b.w0; wb < b.w1; wb += batch {
		nb := min(batch, b.w1-wb)
		st := nb + 1 // stride of the bitmaps in out
		b.eqWords(wb, st, rel[:], out[:(1+len(rel))*st])
		for k := range rel {
			if !on[k] {
				clear(out[(1+k)*st : (2+k)*st])
			}
		}
		roi, left := out[:st], out[st:2*st]
		// Runs: starts (flat indexes into start), ends (into idx).
		n0, m := n, 0
		for i := 0; i < nb; i++ {
			w := wb + i
			L := left[i]
			s := roi[i] &^ L
			starts[w], base[w] = s, int32(n)
			if roi[i] == 0 {
				for k := range glszmNbrs {
					joins[k*batch+i] = 0
				}
				continue
			}
			n = decodeBits(start, n+1, int32(64*w), s) - 1
			right := L>>1 | left[i+1]<<63 // same level as the right neighbour
			m = decodeBits(idx, m, int32(64*w), roi[i]&^right)
			var e [len(glszmNbrs)]uint64
			for k := range e {
				e[k] = out[(2+k)*st+i]
			}
			glszmJoins(&e, L)
			for k, v := range e {
				joins[k*batch+i] = v
			}
		}
		for i := n0 + 1; i <= n; i++ {
			parent[i] = int32(i)
		}
		for _, end := range idx[:m] {
			ne++
			length[ne] = end + 1 - start[ne]
		}
		// Joins, one neighbour at a time.
		for k := range glszmNbrs {
			m := 0
			for i, v := range joins[k*batch : k*batch+nb] {
				if v != 0 {
					m = decodeBits(idx, m, int32(64*(wb+i)), v)
				}
			}
			r := rel[1+k]
			for _, p := range idx[:m] {
				w := p >> 6
				a := base[w] + int32(bits.OnesCount64(starts[w]&lowMask(int(p&63))))
				q := p + int32(r) // the neighbour
				wq := q >> 6
				c := base[wq] + int32(bits.OnesCount64(starts[wq]&lowMask(int(q&63))))
				// Union: link the larger root under the smaller one
				// (parents precede children). Both starts are pointed
				// at their roots, so trees stay shallow and the common
				// case, roots at most two links away, takes no branch.
				ra, rc := parent[parent[a]], parent[parent[c]]
				if parent[ra] != ra || parent[rc] != rc {
					ra, rc = glszmRoot(parent, ra), glszmRoot(parent, rc)
				}
				parent[a], parent[c] = ra, rc
				parent[max(ra, rc)] = min(ra, rc)
			}
		}
	}
	// Resolve: parent[i] < i for non-roots, so parent[parent[i]] is
	// already a root when i is reached. Zone sizes accumulate in length: a
	// run's length moves into its root's slot (a root's own slot is read
	// before any later member adds to it). Both loops are branch-free.
	size := length
	for i := int32(1); i <= int32(n); i++ {
		p := parent[parent[i]]
		parent[i] = p
		l := size[i]
		size[i] = 0
		size[p] += l
	}
	k := 0
	maxSize := int32(0)
	for i := int32(1); i <= int32(n); i++ {
		zones[k], zones[k+1] = rowOf[b.v[start[i]]], size[i]
		maxSize = max(maxSize, size[i])
		k += 2 * int(b2i32(parent[i] == i))
	}
	zones = zones[:k]
	return zones, int(maxSize)
}

// glszmNbrs lists the scanned neighbours of a voxel other than its left
// neighbour, as offsets (dz, dy, dx), by rows (dx = -1, 0, 1). The bitmaps
// and joins of glszmZones use this order.
var glszmNbrs = [12][3]int{
	{0, -1, -1}, {0, -1, 0}, {0, -1, 1}, // A: the row before in the slice
	{-1, -1, -1}, {-1, -1, 0}, {-1, -1, 1}, // the slice before: row y-1
	{-1, 0, -1}, {-1, 0, 0}, {-1, 0, 1}, // row y
	{-1, 1, -1}, {-1, 1, 0}, {-1, 1, 1}, // row y+1
}

// glszmJoins reduces the same-level bitmaps e of the 12 neighbours
// (glszmNbrs order) of 64 voxels to the joins glszmZones makes, given the
// bitmap L of the voxels whose left neighbour has their level. Names: Adx
// is the voxel (z, y-1, x+dx), Bdy,dx the voxel (z-1, y+dy, x+dx), with m,
// 0, p for -1, 0, +1. The priority, highest first, is B00 (adjacent to all
// 12 others and to L), A0 (adjacent to all but the Bp row), Bp0, B0m, B0p,
// Am, Ap, Bm0, Bmm, Bmp, Bpm, Bpp. A neighbour is dropped when L (adjacent
// to every neighbour with dx <= 0) or a higher-priority neighbour adjacent
// to it has the voxel's level. Neighbours along axes that are not
// connected have empty bitmaps, and the adjacencies used between the
// others are then along connected axes only, so the rule holds for every
// connectivity (TestGLSZMJoinsCover checks all patterns).
func glszmJoins(e *[12]uint64, L uint64) {
	am, a0, ap := e[0], e[1], e[2]
	bmm, bm0, bmp := e[3], e[4], e[5]
	b0m, b00, b0p := e[6], e[7], e[8]
	bpm, bp0, bpp := e[9], e[10], e[11]
	e[7] = b00 &^ L
	e[1] = a0 &^ (L | b00)
	e[10] = bp0 &^ (L | b00)
	e[6] = b0m &^ (L | b00 | a0 | bp0)
	e[8] = b0p &^ (b00 | a0 | bp0)
	e[0] = am &^ (L | b00 | a0 | b0m)
	e[2] = ap &^ (b00 | a0 | b0p)
	e[4] = bm0 &^ (L | b00 | a0 | b0m | b0p | am | ap)
	e[3] = bmm &^ (L | b00 | a0 | b0m | am | bm0)
	e[5] = bmp &^ (b00 | a0 | b0p | ap | bm0)
	e[9] = bpm &^ (L | b00 | bp0 | b0m)
	e[11] = bpp &^ (b00 | bp0 | b0p)
}

// glszmRoot returns the root of run a, halving the path to it.
func glszmRoot(parent []int32, a int32) int32 {
	for parent[a] != a {
		parent[a] = parent[parent[a]]
		a = parent[a]
	}
	return a
}

// glszmZonesGeneral is glszmZones for any number of levels (used when a
// level exceeds 255): the zones are connected through the flat index deltas
// of the padded volumes, found by an iterative flood fill that marks
// visited voxels -1 in pi (a private copy of the padded row-index volume).
// It returns the row (level index) and size of every zone, in pairs, and
// the largest size.
//
// The neighbour loop is branch-free: every neighbour is written to the top of
// the stack, which grows only when the neighbour joins the zone, and is
// marked visited (-1) by a mask.
func glszmZonesGeneral(pi []int32, ps, shape [3]int, pad int, deltas []int, nroi int) ([]int32, int) {
	zones := make([]int32, 0, 2*nroi)
	stack := make([]int32, nroi+len(deltas)+1)
	maxSize := 0
	for z := 0; z < shape[0]; z++ {
		for y := 0; y < shape[1]; y++ {
			p := texRowStart(z, y, pad, ps)
			for x := 0; x < shape[2]; x, p = x+1, p+1 {
				g := pi[p]
				if g < 0 {
					continue
				}
				pi[p] = -1
				stack[0] = int32(p)
				sp, size := 1, 0
				for sp > 0 {
					sp--
					k := int(stack[sp])
					size++
					for _, d := range deltas {
						q := k + d
						w := pi[q]
						in := b2i32(w == g)
						stack[sp] = int32(q)
						sp += int(in)
						pi[q] = w | -in
					}
				}
				maxSize = max(maxSize, size)
				zones = append(zones, g, int32(size))
			}
		}
	}
	return zones, maxSize
}

// computeGLSZM computes the GLSZM features of r (PyRadiomics RadiomicsGLSZM):
// one matrix of the zones of all slices, 26-connected (8-connected in-plane
// with force2D or a one-slice crop); distances and weightingNorm are ignored.
// The zones come from glszmZones (levels up to 255) or glszmZonesGeneral.
func computeGLSZM(r *Region, s *Settings) ([]float64, error) {
	if s == nil {
		d := DefaultSettings()
		s = &d
	}
	pad := texPad(s)
	t, err := texPrepare(r, "glszm", pad)
	if err != nil {
		return nil, err
	}
	angles, err := texAngles(t.shape, []int{1}, true, s, "glszm")
	if err != nil {
		return nil, err
	}
	var zones []int32
	var maxSize int
	// The distance-1 offsets are always a box; the general path would
	// take any offsets.
	if conn, box := texBoxAxes(angles); box && t.ng <= math.MaxUint8 && byteVolFits(t.shape) {
		pl, ps := texPadded(r, pad)
		sc := getScratch()
		zones, maxSize = glszmZones(newByteVol(pl, ps, t.shape, pad, &sc.vol, nil), sc, conn, t.rowOf, t.nroi)
		defer rlPool.Put(sc) // zones live in sc
	} else {
		shared, ps := texPaddedIndex(r, pad)
		if len(shared) > math.MaxInt32 {
			return nil, fmt.Errorf("glszm: region of size %v is too large", r.Size)
		}
		pi := make([]int32, len(shared))
		copy(pi, shared)
		deltas := make([]int, len(angles))
		for i, a := range angles {
			deltas[i] = texDelta(a, ps)
		}
		zones, maxSize = glszmZonesGeneral(pi, ps, t.shape, pad, deltas, t.nroi)
	}

	// Compress the zone-size axis to the sizes that occur (PyRadiomics
	// deletes all-zero size columns; j keeps its value).
	col := make([]int32, maxSize+1)
	for k := 1; k < len(zones); k += 2 {
		col[zones[k]] = 1
	}
	var jvals []float64
	for sz := 1; sz <= maxSize; sz++ {
		if col[sz] != 0 {
			col[sz] = int32(len(jvals))
			jvals = append(jvals, float64(sz))
		}
	}
	ng, nc := len(t.ivals), len(jvals)
	P := make([]float64, ng*nc)
	for k := 0; k < len(zones); k += 2 {
		P[int(zones[k])*nc+int(col[zones[k+1]])]++
	}
	ivals := t.ivals
	nz := float64(len(zones) / 2)
	var st sizeStats
	computeSizeStats(&st, P, ng, nc, ivals, jvals, nz, make([]float64, ng+nc))
	return []float64{st.gln, st.glnn, st.glv, st.hge, st.le, st.lhg, st.llg, st.lge,
		st.cn, st.cnn, st.se, st.shg, st.slg, st.ent, nz / st.npix, st.cv}, nil
}
