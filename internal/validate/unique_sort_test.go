package validate

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestSortAll: sorting the lists together equals a stable sort of their
// concatenation by hash, for few and many entries, repeated hashes, and one
// to three lists.
func TestSortAll(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for _, n := range []int{0, 1, 63, 64, 65, 1000, 50_000} {
		for parts := 1; parts <= 3; parts++ {
			lists := make([][]hashed, parts)
			row := uint32(0)
			for range n {
				h := rng.Uint64()
				if rng.IntN(4) == 0 {
					h = uint64(rng.IntN(8)) << 61 // repeats, and crowded buckets
				}
				k := rng.IntN(parts)
				lists[k] = append(lists[k], hashed{h: h, check: rng.Uint32(), row: row})
				row++
			}
			want := slices.Concat(lists...)
			slices.SortStableFunc(want, func(a, b hashed) int { return cmpHash(a.h, b.h) })
			if diff := cmp.Diff(want, sortAll(lists), cmp.AllowUnexported(hashed{})); diff != "" {
				t.Fatalf("%d entries in %d lists (-want +got):\n%s", n, parts, diff)
			}
		}
	}
}

func cmpHash(a, b uint64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
