package table

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"
)

// gb encodes s in GB18030.
func gb(tb testing.TB, s string) string {
	tb.Helper()
	b, err := simplifiedchinese.GB18030.NewEncoder().String(s)
	if err != nil {
		tb.Fatalf("encode %q: %v", s, err)
	}
	return b
}

// openBytes opens data as if it were a file called name, without touching disk.
func openBytes(tb testing.TB, name string, data []byte) (*File, error) {
	tb.Helper()
	switch filepath.Ext(name) {
	case ".csv":
		return openCSVSource(name, memSource(data), int64(len(data)))
	case ".jsonl":
		return openJSONLSource(name, memSource(data), int64(len(data)))
	}
	tb.Fatalf("openBytes: unknown extension %q", name)
	return nil, nil
}

func mustOpenBytes(tb testing.TB, name string, data []byte) *File {
	tb.Helper()
	f, err := openBytes(tb, name, data)
	if err != nil {
		tb.Fatalf("open %s: %v", name, err)
	}
	return f
}

// writeFile writes data to a file called name in a temporary directory.
func writeFile(tb testing.TB, name string, data []byte) string {
	tb.Helper()
	path := filepath.Join(tb.TempDir(), name)
	if err := os.WriteFile(path, data, 0o644); err != nil {
		tb.Fatal(err)
	}
	return path
}

// readRows reads the n partitions of t concurrently and returns their rows in
// partition order, with the Cells copied (a reader reuses them).
func readRows(tb testing.TB, t *Table, n int) []Row {
	tb.Helper()
	rows, nparts, err := readPartitions(t, n)
	if err != nil {
		tb.Fatalf("read %s with %d partitions (%d made): %v", t.Path, n, nparts, err)
	}
	return rows
}

func readPartitions(t *Table, n int) ([]Row, int, error) {
	parts, err := t.Partitions(n)
	if err != nil {
		return nil, 0, err
	}
	if len(parts) > max(n, 1) {
		return nil, len(parts), fmt.Errorf("%d partitions, asked for %d", len(parts), n)
	}
	got := make([][]Row, len(parts))
	errs := make([]error, len(parts))
	var wg sync.WaitGroup
	for i, p := range parts {
		wg.Go(func() {
			defer p.Close()
			for p.Next() {
				r := *p.Row()
				r.Cells = slices.Clone(r.Cells)
				got[i] = append(got[i], r)
			}
			errs[i] = p.Err()
		})
	}
	wg.Wait()
	var all []Row
	for i := range parts {
		if errs[i] != nil {
			return nil, len(parts), errs[i]
		}
		all = append(all, got[i]...)
	}
	return all, len(parts), nil
}
