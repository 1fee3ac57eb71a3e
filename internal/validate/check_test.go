package validate

import (
	"slices"
	"testing"
)

// TestExactCode checks the packed code scan against a plain one.
func TestExactCode(t *testing.T) {
	lists := [][]string{
		{"1", "2", "3", "9"},
		{"PAX", "GEN", "CHEM", "0101", "01", "1000", "3001", "abcdefg"},
		{"PAX", "A-LONG-CODE"}, // one code too long to pack: plain scan
	}
	inputs := []string{"", "1", "01", "001", "PAX", "PA", "PAXX", "CHEM", "chem", "abcdefg", "abcdefgh",
		"A-LONG-CODE", "A-LONG-COD", "3001", "\x00", "1\x00", "GEN\x00\x00\x00\x00"}
	for _, codes := range lists {
		fp := &fieldPlan{codes: codes, codeWords: packCodes(codes)}
		for _, s := range inputs {
			if got, want := fp.exactCode(s), slices.Index(codes, s); got != want {
				t.Errorf("exactCode(%q) in %q = %d, want %d", s, codes, got, want)
			}
		}
	}
}
