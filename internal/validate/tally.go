package validate

import (
	"math/bits"

	"shuiyun/internal/standard"
)

// tally counts what a table's findings add up to, including findings that
// were counted but not kept (Options.MaxFindings).
type tally struct {
	errRows  bitset         // rows with at least one error finding
	dropped  map[string]int // rule → findings not kept
	dropErr  int
	dropWarn int
}

func (t *tally) drop(rule string, sev standard.Severity) {
	if t.dropped == nil {
		t.dropped = map[string]int{}
	}
	t.dropped[rule]++
	if sev == standard.Error {
		t.dropErr++
	} else {
		t.dropWarn++
	}
}

func (t *tally) merge(o *tally) {
	t.errRows.or(o.errRows)
	for rule, n := range o.dropped {
		if t.dropped == nil {
			t.dropped = map[string]int{}
		}
		t.dropped[rule] += n
	}
	t.dropErr += o.dropErr
	t.dropWarn += o.dropWarn
}

// bitset is a set of row numbers.
type bitset []uint64

func (b *bitset) set(i int) {
	for i/64 >= len(*b) {
		*b = append(*b, make([]uint64, max(len(*b), 16))...)
	}
	(*b)[i/64] |= 1 << uint(i%64)
}

func (b *bitset) or(o bitset) {
	for len(*b) < len(o) {
		*b = append(*b, 0)
	}
	for i, w := range o {
		(*b)[i] |= w
	}
}

func (b bitset) count() int {
	n := 0
	for _, w := range b {
		n += bits.OnesCount64(w)
	}
	return n
}

func (b bitset) has(i int) bool {
	return i >= 0 && i/64 < len(b) && b[i/64]&(1<<uint(i%64)) != 0
}
