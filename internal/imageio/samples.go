package imageio

import (
	"encoding/binary"
	"fmt"
	"math"

	"github.com/spinerad/spinerad/internal/volume"
)

// typeBytes returns the number of bytes of one value of type t.
func typeBytes(t volume.PixelType) int {
	switch t {
	case volume.Int8, volume.UInt8:
		return 1
	case volume.Int16, volume.UInt16:
		return 2
	case volume.Int32, volume.UInt32, volume.Float32:
		return 4
	}
	return 8
}

// swapBytes reverses the byte order of every size-byte element of b in place.
func swapBytes(b []byte, size int) {
	switch size {
	case 2:
		for i := 0; i+1 < len(b); i += 2 {
			b[i], b[i+1] = b[i+1], b[i]
		}
	case 4:
		for i := 0; i+3 < len(b); i += 4 {
			b[i], b[i+1], b[i+2], b[i+3] = b[i+3], b[i+2], b[i+1], b[i]
		}
	case 8:
		for i := 0; i+7 < len(b); i += 8 {
			b[i], b[i+1], b[i+2], b[i+3], b[i+4], b[i+5], b[i+6], b[i+7] =
				b[i+7], b[i+6], b[i+5], b[i+4], b[i+3], b[i+2], b[i+1], b[i]
		}
	}
}

// decodeSamples converts the raw buffer src (len(dst) values of type t in
// byte order bigEndian) to float64 in one pass. src is byte-swapped in place
// when big-endian.
func decodeSamples(dst []float64, src []byte, t volume.PixelType, bigEndian bool) {
	sz := typeBytes(t)
	if bigEndian && sz > 1 {
		swapBytes(src, sz)
	}
	le := binary.LittleEndian
	switch t {
	case volume.Int8:
		for i := range dst {
			dst[i] = float64(int8(src[i]))
		}
	case volume.UInt8:
		for i := range dst {
			dst[i] = float64(src[i])
		}
	case volume.Int16:
		for i := range dst {
			dst[i] = float64(int16(le.Uint16(src[2*i:])))
		}
	case volume.UInt16:
		for i := range dst {
			dst[i] = float64(le.Uint16(src[2*i:]))
		}
	case volume.Int32:
		for i := range dst {
			dst[i] = float64(int32(le.Uint32(src[4*i:])))
		}
	case volume.UInt32:
		for i := range dst {
			dst[i] = float64(le.Uint32(src[4*i:]))
		}
	case volume.Int64:
		for i := range dst {
			dst[i] = float64(int64(le.Uint64(src[8*i:])))
		}
	case volume.UInt64:
		for i := range dst {
			dst[i] = float64(le.Uint64(src[8*i:]))
		}
	case volume.Float32:
		for i := range dst {
			dst[i] = float64(math.Float32frombits(le.Uint32(src[4*i:])))
		}
	case volume.Float64:
		for i := range dst {
			dst[i] = math.Float64frombits(le.Uint64(src[8*i:]))
		}
	}
}

// toInt64 converts an in-range integral double to int64, clamping at the
// ends (float64(MaxInt64) is 2^63, which int64 cannot hold).
func toInt64(v float64) int64 {
	if v >= 0x1p63 {
		return math.MaxInt64
	}
	if v <= -0x1p63 {
		return math.MinInt64
	}
	return int64(v)
}

// toUint64 converts an in-range integral double to uint64, clamping at 2^64.
func toUint64(v float64) uint64 {
	if v >= 0x1p64 {
		return math.MaxUint64
	}
	if v <= 0 {
		return 0
	}
	return uint64(v)
}

// putSamples writes src as values of type t into dst (len(src)*size bytes)
// in the given byte order. Values the type cannot hold are converted as by
// t.Cast; use checkSamples first to refuse them.
func putSamples(dst []byte, src []float64, t volume.PixelType, order binary.ByteOrder) {
	big := order == binary.ByteOrder(binary.BigEndian)
	le := binary.LittleEndian
	switch t {
	case volume.Int8:
		for i, v := range src {
			dst[i] = byte(int8(t.Cast(v)))
		}
	case volume.UInt8:
		for i, v := range src {
			dst[i] = byte(t.Cast(v))
		}
	case volume.Int16:
		for i, v := range src {
			le.PutUint16(dst[2*i:], uint16(int16(t.Cast(v))))
		}
	case volume.UInt16:
		for i, v := range src {
			le.PutUint16(dst[2*i:], uint16(t.Cast(v)))
		}
	case volume.Int32:
		for i, v := range src {
			le.PutUint32(dst[4*i:], uint32(int32(t.Cast(v))))
		}
	case volume.UInt32:
		for i, v := range src {
			le.PutUint32(dst[4*i:], uint32(t.Cast(v)))
		}
	case volume.Int64:
		for i, v := range src {
			le.PutUint64(dst[8*i:], uint64(toInt64(t.Cast(v))))
		}
	case volume.UInt64:
		for i, v := range src {
			le.PutUint64(dst[8*i:], toUint64(t.Cast(v)))
		}
	case volume.Float32:
		for i, v := range src {
			le.PutUint32(dst[4*i:], math.Float32bits(float32(v)))
		}
	case volume.Float64:
		for i, v := range src {
			le.PutUint64(dst[8*i:], math.Float64bits(v))
		}
	}
	if big {
		swapBytes(dst[:len(src)*typeBytes(t)], typeBytes(t))
	}
}

// checkSamples reports the first value of src that type t cannot hold
// exactly (a non-integer or out-of-range value for an integer type, a finite
// value beyond the float32 range for Float32).
func checkSamples(src []float64, t volume.PixelType) error {
	if t == volume.Float64 {
		return nil
	}
	lo, hi := t.Range()
	if t == volume.Float32 {
		for i, v := range src {
			if !math.IsInf(v, 0) && !math.IsNaN(v) && (v < lo || v > hi) {
				return fmt.Errorf("voxel %d: value %v is outside the float32 range", i, v)
			}
		}
		return nil
	}
	if t == volume.UInt64 {
		hi = 0x1p64 - 2048 // largest double below 2^64
	} else if t == volume.Int64 {
		hi = 0x1p63 - 1024 // largest double below 2^63
	}
	for i, v := range src {
		if !(v >= lo && v <= hi) || v != math.Trunc(v) {
			return fmt.Errorf("voxel %d: value %v cannot be stored as %v", i, v, t)
		}
	}
	return nil
}
