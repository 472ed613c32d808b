//go:build !amd64 || purego

package filters

// slabPair32 is slabPair32Go (no assembly kernel here).
func slabPair32(acc, r0, r1 []float32, c0, c1 float32) { slabPair32Go(acc, r0, r1, c0, c1) }
