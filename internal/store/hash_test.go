package store

import (
	"hash/fnv"
	"testing"
)

// TestContentHash: the stored hashes were made with hash/fnv; the inline
// loop must give the same, or every record would look changed.
func TestContentHash(t *testing.T) {
	for _, vals := range [][]string{nil, {""}, {"", ""}, {"船舶", "MMSI 412345678", "", "2026-11-25"}, {"a\x1fb"}} {
		h := fnv.New64a()
		for _, v := range vals {
			h.Write([]byte(v))
			h.Write([]byte{0x1f})
		}
		if got, want := contentHash(vals), int64(h.Sum64()); got != want {
			t.Errorf("contentHash(%q) = %d, want %d", vals, got, want)
		}
	}
}
