package features

import (
	"fmt"
	"math"
)

// Shape2D features: PyRadiomics' "shape2D" class (shape2D.py and the
// calculate_coefficients2D function of cshape.c), see
// docs/pyradiomics-parity.md section 9.6. The ROI must be one voxel thick
// along array axis Settings.Force2DDimension, which is dropped. Notation:
// S = mesh surface, P = perimeter, Np = number of ROI pixels, λ1 <= λ2 the
// eigenvalues of the population covariance of the pixel centres (mm²).
// IBSI defines no 2D morphology features, so no IBSI codes are given.
//
// | feature                    | formula                                              |
// |----------------------------|------------------------------------------------------|
// | Elongation                 | sqrt(λ1 / λ2)                                        |
// | MajorAxisLength            | 4 sqrt(λ2)                                           |
// | MaximumDiameter            | max distance over all pairs of contour vertices      |
// | MeshSurface                | S = Σ_segments (a0·b1 − b0·a1) / 2                   |
// | MinorAxisLength            | 4 sqrt(λ1)                                           |
// | Perimeter                  | P = Σ_segments |a − b|                               |
// | PerimeterSurfaceRatio      | P / S                                                |
// | PixelSurface               | Np · (Δx·Δy)                                         |
// | SphericalDisproportion (d) | P / (2 sqrt(π S))                                    |
// | Sphericity                 | 2 sqrt(π S) / P                                      |
var shape2DFeatures = []Feature{
	{Name: "Elongation"},
	{Name: "MajorAxisLength"},
	{Name: "MaximumDiameter"},
	{Name: "MeshSurface"},
	{Name: "MinorAxisLength"},
	{Name: "Perimeter"},
	{Name: "PerimeterSurfaceRatio"},
	{Name: "PixelSurface"},
	{Name: "SphericalDisproportion", Deprecated: true},
	{Name: "Sphericity"},
}

func init() {
	register(&Class{Name: "shape2D", Features: shape2DFeatures, Compute: computeShape2D})
}

// computeShape2D computes shape2DFeatures in order. It fails, as PyRadiomics
// does, when the ROI crop is thicker than one voxel along array axis
// s.Force2DDimension (0 = z). Whether shape2D runs at all (force2D, 2D
// images) is the caller's decision.
func computeShape2D(r *Region, s *Settings) ([]float64, error) {
	dims, np, err := checkShapeRegion(r)
	if err != nil {
		return nil, fmt.Errorf("shape2D: %w", err)
	}
	d := 0
	if s != nil {
		d = s.Force2DDimension
	}
	if d < 0 || d > 2 {
		return nil, fmt.Errorf("shape2D: force2Ddimension %d is not 0, 1 or 2", d)
	}
	if dims[d] > 1 {
		return nil, fmt.Errorf("shape2D: size of the mask in dimension %d is %d (more than 1), cannot compute 2D shape", d, dims[d])
	}
	asp := r.ArraySpacing()
	var n [2]int
	var sp [2]float64
	j := 0
	for a := 0; a < 3; a++ {
		if a != d {
			n[j], sp[j] = dims[a], asp[a]
			j++
		}
	}
	// Dropping a size-1 axis keeps the flat (C) order: the ROI is already the
	// (n0, n1) array with axis 1 fastest.
	pn := [2]int{n[0] + 2, n[1] + 2}
	pm := make([]uint8, pn[0]*pn[1])
	for y := 0; y < n[0]; y++ {
		row := (y+1)*pn[1] + 1
		for x := 0; x < n[1]; x++ {
			if r.ROI[y*n[1]+x] {
				pm[row+x] = 1
			}
		}
	}

	perim, surf := marchingSquares(pm, pn, sp)
	var fp farthestScratch
	diam := math.Sqrt(fp.farthest(contourVertices2D(pm, pn, sp)))

	var sum [2]float64
	for y := 0; y < pn[0]; y++ {
		for x := 0; x < pn[1]; x++ {
			if pm[y*pn[1]+x] != 0 {
				sum[0] += float64(float64(y) * sp[0])
				sum[1] += float64(float64(x) * sp[1])
			}
		}
	}
	fn := float64(np)
	m0, m1 := sum[0]/fn, sum[1]/fn
	sq := math.Sqrt(fn)
	var c [3]float64
	for y := 0; y < pn[0]; y++ {
		py := (float64(y)*sp[0] - m0) / sq
		for x := 0; x < pn[1]; x++ {
			if pm[y*pn[1]+x] != 0 {
				px := (float64(x)*sp[1] - m1) / sq
				c[0] += float64(py * py)
				c[1] += float64(py * px)
				c[2] += float64(px * px)
			}
		}
	}
	ev, err := symEigenvalues(2, []float64{c[0], c[1], c[1], c[2]})
	if err != nil {
		return nil, fmt.Errorf("shape2D: %w", err)
	}

	sph := (2 * math.Sqrt(math.Pi*surf)) / perim
	out := make([]float64, len(shape2DFeatures))
	out[0] = eigRatio(ev[0], ev[1])
	out[1] = axisLength(ev[1])
	out[2] = diam
	out[3] = surf
	out[4] = axisLength(ev[0])
	out[5] = perim
	out[6] = perim / surf
	out[7] = fn * (sp[1] * sp[0])
	out[8] = 1.0 / sph
	out[9] = sph
	return out, nil
}

// marchingSquares returns the perimeter and surface of the padded 2D mask pm
// (dims pn, spacing sp), exactly as cshape.c's calculate_coefficients2D:
// squares visited row by row; square index = Σ 2^k over ROI corners, indices
// 0 and 15 skipped, no complement; for each segment (a, b) of lineTable2D,
// surface += a0·b1 − b0·a1 and perimeter += |a − b|, without fused
// multiply-adds; finally surface /= 2.
func marchingSquares(pm []uint8, pn [2]int, sp [2]float64) (perimeter, surface float64) {
	cy, cx := halfCoords(pn[0], sp[0]), halfCoords(pn[1], sp[1])
	w := pn[1]
	for iy := 0; iy < pn[0]-1; iy++ {
		for ix := 0; ix < pn[1]-1; ix++ {
			i := iy*w + ix
			idx := pm[i] | pm[i+1]<<1 | pm[i+w+1]<<2 | pm[i+w]<<3
			if idx == 0 || idx == 15 {
				continue
			}
			row := &lineTable2D[idx]
			for t := 0; t < 4 && row[t] >= 0; t += 2 {
				ea, eb := squareEdges2[row[t]], squareEdges2[row[t+1]]
				a0, a1 := cy[2*iy+ea[0]], cx[2*ix+ea[1]]
				b0, b1 := cy[2*iy+eb[0]], cx[2*ix+eb[1]]
				surface += float64(a0*b1) - float64(b0*a1)
				d0, d1 := a0-b0, a1-b1
				perimeter += math.Sqrt(float64(d0*d0) + float64(d1*d1))
			}
		}
	}
	return perimeter, surface / 2
}

// contourVertices2D returns every contour vertex once: the midpoint of every
// pixel edge between two 4-adjacent pixels of pm that differ (the set
// cshape.c collects from square edges 3 and 2), with a zero third
// coordinate so that farthest computes cshape.c's Δ0² + Δ1².
func contourVertices2D(pm []uint8, pn [2]int, sp [2]float64) []meshVertex {
	cy, cx := halfCoords(pn[0], sp[0]), halfCoords(pn[1], sp[1])
	w := pn[1]
	var v []meshVertex
	for y := 0; y < pn[0]; y++ {
		for x := 0; x < w; x++ {
			m := pm[y*w+x]
			if x+1 < w && m != pm[y*w+x+1] {
				v = append(v, meshVertex{k: [3]int32{int32(2 * y), int32(2*x + 1), 0}, c: [3]float64{cy[2*y], cx[2*x+1], 0}})
			}
			if y+1 < pn[0] && m != pm[(y+1)*w+x] {
				v = append(v, meshVertex{k: [3]int32{int32(2*y + 1), int32(2 * x), 0}, c: [3]float64{cy[2*y+1], cx[2*x], 0}})
			}
		}
	}
	return v
}
