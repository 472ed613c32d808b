package filters

import "sync"

// Scratch volumes are recycled between calls (a pipeline runs several LoG
// sigmas and wavelet levels on images of one size): allocating and first
// touching tens of megabytes per call costs more than the filtering itself on
// some systems.
var (
	pool32 sync.Pool // *[]float32
	pool64 sync.Pool // *[]float64
)

// getBuf returns a scratch slice of length n (contents undefined).
func getBuf[T float32 | float64](n int) []T {
	var z T
	switch any(z).(type) {
	case float32:
		if p, ok := pool32.Get().(*[]float32); ok && cap(*p) >= n {
			return any((*p)[:n]).([]T)
		}
	default:
		if p, ok := pool64.Get().(*[]float64); ok && cap(*p) >= n {
			return any((*p)[:n]).([]T)
		}
	}
	return make([]T, n)
}

// putBuf returns a slice obtained from getBuf to the pool.
func putBuf[T float32 | float64](b []T) {
	switch v := any(b).(type) {
	case []float32:
		pool32.Put(&v)
	case []float64:
		pool64.Put(&v)
	}
}
