//go:build amd64 && !purego

package filters

// slabPair32AVX2 sets acc[p] = (acc[p] + c0*r0[p]) + c1*r1[p] for p < n in
// float32, exactly as slabPair32Go does, eight lanes per instruction; the
// pointers address n float32 values each.
//
//go:noescape
func slabPair32AVX2(acc, r0, r1 *float32, n int, c0, c1 float32)

// slabPair32 is slabPair32Go, on the AVX2 kernel when recAsm allows it.
func slabPair32(acc, r0, r1 []float32, c0, c1 float32) {
	n := len(acc)
	if !recAsm || n == 0 || len(r0) < n || len(r1) < n {
		slabPair32Go(acc, r0, r1, c0, c1)
		return
	}
	slabPair32AVX2(&acc[0], &r0[0], &r1[0], n, c0, c1)
}
