package accountgen

import (
	"fmt"
	"math"
	"math/rand/v2"
	"time"
)

// rng is the generator's only source of randomness: PCG seeded from the
// configuration, so a seed always gives the same account.
type rng struct{ *rand.Rand }

func newRNG(seed, stream uint64) *rng {
	return &rng{rand.New(rand.NewPCG(seed, stream^0x9e3779b97f4a7c15))}
}

// chance is true with probability p.
func (r *rng) chance(p float64) bool { return r.Float64() < p }

// between returns an int in [lo, hi].
func (r *rng) between(lo, hi int) int {
	if hi <= lo {
		return lo
	}
	return lo + r.IntN(hi-lo+1)
}

func pick[T any](r *rng, xs []T) T { return xs[r.IntN(len(xs))] }

// sample returns n distinct elements of xs (all of them when n >= len),
// in xs's order.
func sample[T any](r *rng, xs []T, n int) []T {
	if n >= len(xs) {
		return append([]T(nil), xs...)
	}
	idx := r.Perm(len(xs))[:n]
	keep := make([]bool, len(xs))
	for _, i := range idx {
		keep[i] = true
	}
	out := make([]T, 0, n)
	for i, x := range xs {
		if keep[i] {
			out = append(out, x)
		}
	}
	return out
}

// zipf picks an index in [0, n) with a heavy head: a few items are used
// very often, most rarely (the shape of real attachment counts). It
// inverts the CDF of a continuous 1/x law over [1, n+1).
func (r *rng) zipf(n int) int {
	if n <= 1 {
		return 0
	}
	i := int(math.Pow(float64(n+1), r.Float64())) - 1
	return min(max(i, 0), n-1)
}

var epoch = time.Date(2018, 1, 1, 0, 0, 0, 0, time.UTC)

// date is a creation timestamp between 2018 and 2025, in the CLI's form.
func (r *rng) date() string {
	return epoch.Add(time.Duration(r.Int64N(int64(7*365*24*time.Hour))) / time.Second * time.Second).Format("2006-01-02T15:04:05+00:00")
}

const idChars = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"

// uniqueID is an IAM unique id with the given prefix (AIDA user, AROA
// role, AGPA group, ANPA policy, AIPA instance profile).
func (r *rng) uniqueID(prefix string) string {
	b := make([]byte, 17)
	for i := range b {
		b[i] = idChars[r.IntN(len(idChars))]
	}
	return prefix + string(b)
}

func (r *rng) hex(n int) string {
	const h = "0123456789abcdef"
	b := make([]byte, n)
	for i := range b {
		b[i] = h[r.IntN(16)]
	}
	return string(b)
}

func (r *rng) lower(n int) string {
	const l = "abcdefghijklmnopqrstuvwxyz0123456789"
	b := make([]byte, n)
	for i := range b {
		b[i] = l[r.IntN(len(l))]
	}
	return string(b)
}

func (r *rng) accountID() string {
	return fmt.Sprintf("%d%011d", 1+r.IntN(9), r.Int64N(100_000_000_000))
}
