package gen

import (
	"math"
	"math/bits"
)

// rng is a small deterministic generator (SplitMix64). It is written out here rather
// than taken from math/rand so that a seed gives the same data with every Go release:
// the generated files and their answers are test fixtures.
type rng struct{ s uint64 }

// mix hashes a seed with stream labels into a new state, so that every entity (ship 17,
// operator 3, the defect plan of D05) gets its own independent, reproducible stream.
func mix(seed uint64, parts ...uint64) uint64 {
	h := seed ^ 0x9E3779B97F4A7C15
	for _, p := range parts {
		h = splitmix(h ^ splitmix(p+0x632BE59BD9B4E019))
	}
	return h
}

func splitmix(x uint64) uint64 {
	x += 0x9E3779B97F4A7C15
	x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9
	x = (x ^ (x >> 27)) * 0x94D049BB133111EB
	return x ^ (x >> 31)
}

func newRNG(seed uint64, parts ...uint64) *rng { return &rng{s: mix(seed, parts...)} }

func (r *rng) u64() uint64 {
	r.s += 0x9E3779B97F4A7C15
	z := r.s
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9
	z = (z ^ (z >> 27)) * 0x94D049BB133111EB
	return z ^ (z >> 31)
}

// intn returns a uniform int in [0, n); n must be > 0.
func (r *rng) intn(n int) int {
	if n <= 1 {
		return 0
	}
	// Lemire's multiply-shift; the tiny bias is irrelevant for synthetic data.
	hi, _ := bits.Mul64(r.u64(), uint64(n))
	return int(hi)
}

// between returns a uniform int in [lo, hi].
func (r *rng) between(lo, hi int) int {
	if hi <= lo {
		return lo
	}
	return lo + r.intn(hi-lo+1)
}

func (r *rng) float() float64 { return float64(r.u64()>>11) / (1 << 53) }

// chance is true with probability p.
func (r *rng) chance(p float64) bool { return r.float() < p }

// normal returns a standard normal deviate (Box–Muller).
func (r *rng) normal() float64 {
	u := r.float()
	for u == 0 {
		u = r.float()
	}
	return math.Sqrt(-2*math.Log(u)) * math.Cos(2*math.Pi*r.float())
}

// pick returns a uniform element of list.
func pick[T any](r *rng, list []T) T { return list[r.intn(len(list))] }

// weighted picks an index with probability proportional to w.
func (r *rng) weighted(w []float64) int {
	total := 0.0
	for _, x := range w {
		total += x
	}
	x := r.float() * total
	for i, v := range w {
		if x < v {
			return i
		}
		x -= v
	}
	return len(w) - 1
}

// digits returns n random decimal digits.
func (r *rng) digits(n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte('0' + r.intn(10))
	}
	return string(b)
}
