package exchange

import (
	"fmt"
	"strings"
)

const (
	kiB = 1 << 10
	miB = 1 << 20
	giB = 1 << 30

	// bombFloor is the size below which an entry's ratio is not looked at: a small file of
	// blanks compresses well and harms nobody.
	bombFloor = 1 * miB
)

// Limits bound what Open will read from a package. A zero field means its default.
type Limits struct {
	MaxEntries    int   // entries in the zip (default 64)
	MaxEntryBytes int64 // uncompressed bytes of one entry (default 8 GiB)
	MaxTotalBytes int64 // uncompressed bytes in all (default 16 GiB)
	MaxRatio      int64 // uncompressed/compressed per entry above which (and above 1 MiB) it is a bomb (default 1000)
	MaxManifest   int64 // manifest.json bytes (default 1 MiB)
}

// DefaultLimits returns the default limits.
func DefaultLimits() Limits {
	return Limits{MaxEntries: 64, MaxEntryBytes: 8 * giB, MaxTotalBytes: 16 * giB, MaxRatio: 1000, MaxManifest: 1 * miB}
}

func (l Limits) withDefaults() Limits {
	d := DefaultLimits()
	if l.MaxEntries <= 0 {
		l.MaxEntries = d.MaxEntries
	}
	if l.MaxEntryBytes <= 0 {
		l.MaxEntryBytes = d.MaxEntryBytes
	}
	if l.MaxTotalBytes <= 0 {
		l.MaxTotalBytes = d.MaxTotalBytes
	}
	if l.MaxRatio <= 0 {
		l.MaxRatio = d.MaxRatio
	}
	if l.MaxManifest <= 0 {
		l.MaxManifest = d.MaxManifest
	}
	return l
}

// isBomb reports whether size bytes inflated from compressed bytes exceed the ratio.
func (l Limits) isBomb(size, compressed uint64) bool {
	if size <= bombFloor {
		return false
	}
	if compressed <= 0 {
		return true
	}
	q, r := size/compressed, size%compressed // size > MaxRatio*compressed without overflow
	return q > uint64(l.MaxRatio) || q == uint64(l.MaxRatio) && r > 0
}

// byteSize formats a size for a message: "8 GiB", "1.5 MiB", "300 字节".
func byteSize(n uint64) string {
	units := []struct {
		size uint64
		name string
	}{{giB, "GiB"}, {miB, "MiB"}, {kiB, "KiB"}}
	for _, u := range units {
		if n >= u.size {
			s := fmt.Sprintf("%.1f", float64(n)/float64(u.size))
			s = strings.TrimSuffix(s, ".0")
			return s + " " + u.name
		}
	}
	return fmt.Sprintf("%d 字节", n)
}
