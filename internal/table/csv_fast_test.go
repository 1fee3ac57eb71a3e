package table

import (
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// readBothWays reads a table with the quote-free fast path and with
// encoding/csv alone.
func readBothWays(t *testing.T, data string, n int) (fast, slow []Row, ok bool) {
	t.Helper()
	defer func(v bool) { fastLines = v }(fastLines)
	var errs [2]error
	for k, on := range []bool{true, false} {
		fastLines = on
		f, err := openBytes(t, "x.csv", []byte(data))
		if errs[k] = err; err != nil {
			continue
		}
		rows := readRows(t, f.Tables[0], n)
		if on {
			fast = rows
		} else {
			slow = rows
		}
	}
	if (errs[0] == nil) != (errs[1] == nil) {
		t.Fatalf("%q: opening with the fast path: %v; with encoding/csv: %v", data, errs[0], errs[1])
	}
	return fast, slow, errs[0] == nil
}

// TestCSVFastPathAgrees: the fast path gives exactly what encoding/csv gives,
// for files with and without quotes, in UTF-8 and GB18030, with CRLF, blank
// lines, a missing final newline and bad bytes.
func TestCSVFastPathAgrees(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for i := range 600 {
		data := randomCSV(rng, 1+rng.IntN(60))
		if i%2 == 0 { // quote-free: the fast path reads the whole file
			data = strings.ReplaceAll(data, `"`, "")
		}
		if i%5 == 0 {
			data = strings.TrimRight(data, "\n")
		}
		if i%3 == 0 {
			data = gb(t, data)
		}
		fast, slow, ok := readBothWays(t, data, 1+i%3)
		if !ok {
			continue
		}
		if diff := cmp.Diff(slow, fast); diff != "" {
			t.Fatalf("file %d %q: fast path differs from encoding/csv (-csv +fast):\n%s", i, data, diff)
		}
	}
}

func FuzzCSVFastPath(f *testing.F) {
	for _, s := range []string{"a,b\n1,2\n", "a,b\r\n1,2\r\n\r\n3,4", "a\n\"x\ny\",2\n3\n", "a,b\n中,\xff\n", "a\n\r", "a\nb\rc\n"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data string) {
		fast, slow, ok := readBothWays(t, data, 2)
		if ok {
			if diff := cmp.Diff(slow, fast); diff != "" {
				t.Errorf("%q: fast path differs from encoding/csv (-csv +fast):\n%s", data, diff)
			}
		}
	})
}

// TestSplitPlain: splitting eight bytes at a time equals strings.Split, also
// for bytes one bit away from a comma (0x2D, 0xAC, 0x6C) and at every length.
func TestSplitPlain(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	alphabet := []byte{',', 0x2D, 0x2B, 0xAC, 0x6C, 0x0C, 'a', 0xE4, 0x00}
	for n := range 2000 {
		b := make([]byte, n%70)
		for i := range b {
			b[i] = alphabet[rng.IntN(len(alphabet))]
		}
		line := string(b)
		if diff := cmp.Diff(strings.Split(line, ","), splitPlain(line, nil)); diff != "" {
			t.Fatalf("%q (-strings.Split +splitPlain):\n%s", line, diff)
		}
	}
}

// TestCSVFastPathBlocks: lines cut across block boundaries, and lines longer
// than a block (read by encoding/csv), still read as encoding/csv reads them.
func TestCSVFastPathBlocks(t *testing.T) {
	defer func(v int64) { lineBlock = v }(lineBlock)
	rng := rand.New(rand.NewPCG(7, 8))
	for i := range 300 {
		lineBlock = int64(5 + i%60)
		data := randomCSV(rng, 1+rng.IntN(40))
		if i%2 == 0 {
			data = strings.ReplaceAll(data, `"`, "")
		}
		if i%3 == 0 {
			data = gb(t, data)
		}
		fast, slow, ok := readBothWays(t, data, 1+i%3)
		if !ok {
			continue
		}
		if diff := cmp.Diff(slow, fast); diff != "" {
			t.Fatalf("file %d, blocks of %d, %q: fast path differs from encoding/csv (-csv +fast):\n%s", i, lineBlock, data, diff)
		}
	}
}
