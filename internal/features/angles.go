package features

// Angles returns the neighbour offsets of PyRadiomics' C build_angles, in
// array order (dz, dy, dx), for the crop shape (array order) and distances:
// candidates enumerated with dz slowest and dx fastest, each component from
// +dmax down to -dmax; the zero offset, offsets that do not fit the crop
// (|component| >= size along that axis) and, with force2D, offsets along
// array axis force2DDim are dropped; an offset is kept when its infinity norm
// is one of distances. Unidirectional sets (GLCM, GLRLM) keep the first half
// of the list; bidirectional sets (GLSZM, GLDM, NGTDM) keep all of it.
func Angles(shape [3]int, distances []int, bidirectional, force2D bool, force2DDim int) [][3]int {
	dmax := 0
	for _, d := range distances {
		if d > dmax {
			dmax = d
		}
	}
	isDist := func(n int) bool {
		for _, d := range distances {
			if d == n {
				return true
			}
		}
		return false
	}
	abs := func(v int) int {
		if v < 0 {
			return -v
		}
		return v
	}
	var out [][3]int
	for dz := dmax; dz >= -dmax; dz-- {
		for dy := dmax; dy >= -dmax; dy-- {
			for dx := dmax; dx >= -dmax; dx-- {
				a := [3]int{dz, dy, dx}
				if dz == 0 && dy == 0 && dx == 0 {
					continue
				}
				ok := true
				norm := 0
				for k := 0; k < 3; k++ {
					if abs(a[k]) >= shape[k] {
						ok = false
					}
					if abs(a[k]) > norm {
						norm = abs(a[k])
					}
				}
				if force2D && a[force2DDim] != 0 {
					ok = false
				}
				if ok && isDist(norm) {
					out = append(out, a)
				}
			}
		}
	}
	if !bidirectional {
		out = out[:len(out)/2]
	}
	return out
}
