package synth

import "math"

// gaussKernel returns a normalised 1D Gaussian of standard deviation
// sigma voxels, truncated at ceil(3σ) (at least one tap each side).
func gaussKernel(sigma float64) []float64 {
	if sigma <= 0 {
		return []float64{1}
	}
	r := max(1, int(math.Ceil(3*sigma)))
	k := make([]float64, 2*r+1)
	s := 0.0
	for i := -r; i <= r; i++ {
		v := math.Exp(-0.5 * float64(i*i) / (sigma * sigma))
		k[i+r] = v
		s += v
	}
	for i := range k {
		k[i] /= s
	}
	return k
}

// kernelDot returns Σ k[i]·l[i] with both kernels centred (odd lengths).
func kernelDot(k, l []float64) float64 {
	rk, rl := len(k)/2, len(l)/2
	r := min(rk, rl)
	s := 0.0
	for i := -r; i <= r; i++ {
		s += k[i+rk] * l[i+rl]
	}
	return s
}

// filterer holds the scratch buffers of separable convolutions on one grid.
type filterer struct {
	nx, ny, nz int
	tmp        []float64
	line       []float64
}

func newFilterer(nx, ny, nz int) *filterer {
	return &filterer{nx: nx, ny: ny, nz: nz, tmp: make([]float64, nx*ny*nz), line: make([]float64, max(nx, ny, nz)+64)}
}

// gauss3 convolves data in place with the separable kernels kx, ky, kz,
// replicating edge voxels.
func (f *filterer) gauss3(data []float64, kx, ky, kz []float64) {
	nx, ny, nz := f.nx, f.ny, f.nz
	if len(kx) > 1 {
		rx := len(kx) / 2
		line := f.line[:nx+2*rx]
		for row := 0; row < ny*nz; row++ {
			src := data[row*nx : (row+1)*nx]
			for i := range line {
				line[i] = src[min(max(i-rx, 0), nx-1)]
			}
			for i := 0; i < nx; i++ {
				s := 0.0
				for t, w := range kx {
					s = s + float64(w*line[i+t])
				}
				src[i] = s
			}
		}
	}
	plane := nx * ny
	if len(ky) > 1 {
		ry := len(ky) / 2
		out := f.tmp
		for k := 0; k < nz; k++ {
			base := k * plane
			for j := 0; j < ny; j++ {
				o := out[base+j*nx : base+(j+1)*nx]
				clear(o)
				for t, w := range ky {
					jj := min(max(j+t-ry, 0), ny-1)
					in := data[base+jj*nx : base+(jj+1)*nx]
					for i := range o {
						o[i] = o[i] + float64(w*in[i])
					}
				}
			}
		}
		copy(data, out)
	}
	if len(kz) > 1 {
		rz := len(kz) / 2
		out := f.tmp
		for k := 0; k < nz; k++ {
			o := out[k*plane : (k+1)*plane]
			clear(o)
			for t, w := range kz {
				kk := min(max(k+t-rz, 0), nz-1)
				in := data[kk*plane : (kk+1)*plane]
				for i := range o {
					o[i] = o[i] + float64(w*in[i])
				}
			}
		}
		copy(data, out)
	}
}

// whiteNoise fills dst with independent zero-mean, unit-variance uniform
// deviates (two per 64-bit word). After the Gaussian filtering every use
// applies, the field is Gaussian to an excellent approximation.
func whiteNoise(r *rng, dst []float64) {
	const scale = 3.4641016151377544 / (1 << 32) // √12 / 2^32
	for i := 0; i < len(dst); i += 2 {
		u := r.src.Uint64()
		dst[i] = (float64(uint32(u)) + 0.5 - (1 << 31)) * scale
		if i+1 < len(dst) {
			dst[i+1] = (float64(uint32(u>>32)) + 0.5 - (1 << 31)) * scale
		}
	}
}
