package synth

import (
	"crypto/sha256"
	"encoding/binary"
	"math"
	"math/bits"
	"math/rand/v2"
	"strconv"
)

// Stream names of the per-patient random streams (§12 of the design note).
// Each (seed, patient, stream) triple has its own generator, so adding a
// stream or rendering patients in another order never shifts another
// stream's draws.
const (
	streamCohort   = "cohort"
	streamClass    = "class"
	streamClinical = "clinical"
	streamGeometry = "geometry"
	streamTissue   = "tissue"
	streamSigns    = "signs"
	streamLesion   = "lesion"
	streamTexture  = "texture"
	streamNoise    = "noise"
	streamReader2  = "reader2"
)

// rng is a seeded generator: math/rand/v2's PCG (whose output is pinned by
// Go's own regression tests) for raw 64-bit words, with every derived
// distribution (uniform, normal, gamma, categorical) implemented here so
// that the output never depends on how the standard library derives them.
type rng struct {
	src      *rand.PCG
	spare    float64
	hasSpare bool
}

// newStream returns the stream of patient i (0 for cohort-level draws):
// its PCG state is the first 16 bytes of SHA-256("seed|i|name").
func newStream(seed uint64, i int, name string) *rng {
	h := sha256.Sum256([]byte(strconv.FormatUint(seed, 10) + "|" + strconv.Itoa(i) + "|" + name))
	return &rng{src: rand.NewPCG(binary.BigEndian.Uint64(h[0:8]), binary.BigEndian.Uint64(h[8:16]))}
}

// float returns a uniform value in [0, 1) with 53 random bits.
func (r *rng) float() float64 { return float64(r.src.Uint64()>>11) * 0x1p-53 }

// unif returns a uniform value in [lo, hi).
func (r *rng) unif(lo, hi float64) float64 { return lo + (hi-lo)*r.float() }

// intn returns a uniform integer in [0, n) (n > 0), by multiply-shift.
func (r *rng) intn(n int) int {
	hi, _ := bits.Mul64(r.src.Uint64(), uint64(n))
	return int(hi)
}

// irange returns a uniform integer in [lo, hi].
func (r *rng) irange(lo, hi int) int { return lo + r.intn(hi-lo+1) }

// bern returns true with probability p.
func (r *rng) bern(p float64) bool { return r.float() < p }

// norm returns a standard normal deviate (Box–Muller, polar-free form; the
// second deviate of each pair is kept for the next call).
func (r *rng) norm() float64 {
	if r.hasSpare {
		r.hasSpare = false
		return r.spare
	}
	u1 := 1 - r.float() // (0, 1]
	u2 := r.float()
	m := math.Sqrt(-2 * math.Log(u1))
	s, c := math.Sincos(2 * math.Pi * u2)
	r.spare, r.hasSpare = m*s, true
	return m * c
}

// normal returns N(mu, sd).
func (r *rng) normal(mu, sd float64) float64 { return mu + sd*r.norm() }

// gamma returns a Gamma(shape, scale) deviate by Marsaglia–Tsang (shape >= 1;
// smaller shapes use the boost Gamma(k) = Gamma(k+1)·U^(1/k)).
func (r *rng) gamma(shape, scale float64) float64 {
	boost := 1.0
	if shape < 1 {
		boost = math.Pow(1-r.float(), 1/shape)
		shape++
	}
	d := shape - 1.0/3
	c := 1 / math.Sqrt(9*d)
	for {
		x := r.norm()
		v := 1 + c*x
		if v <= 0 {
			continue
		}
		v = v * v * v
		u := 1 - r.float()
		if math.Log(u) < 0.5*x*x+d-d*v+d*math.Log(v) {
			return d * v * scale * boost
		}
	}
}

// cat draws an index with probability proportional to w.
func (r *rng) cat(w []float64) int {
	s := 0.0
	for _, v := range w {
		s += v
	}
	u := r.float() * s
	for i, v := range w {
		if u < v {
			return i
		}
		u -= v
	}
	return len(w) - 1
}

// shuffle permutes p in place (Fisher–Yates).
func (r *rng) shuffle(p []int) {
	for i := len(p) - 1; i > 0; i-- {
		j := r.intn(i + 1)
		p[i], p[j] = p[j], p[i]
	}
}

func clamp(v, lo, hi float64) float64 {
	if v < lo {
		return lo
	}
	if v > hi {
		return hi
	}
	return v
}

func logistic(x float64) float64 { return 1 / (1 + math.Exp(-x)) }
