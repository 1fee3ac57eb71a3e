package publish

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"shuiyun/internal/standard"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// mustDefault loads the built-in standard.
func mustDefault(tb testing.TB) *standard.Standard {
	tb.Helper()
	std, err := standard.Default()
	if err != nil {
		tb.Fatalf("standard.Default() = %v", err)
	}
	return std
}

// mustDataset finds a dataset of the built-in standard by code.
func mustDataset(tb testing.TB, std *standard.Standard, code string) *standard.Dataset {
	tb.Helper()
	ds := std.Dataset(code)
	if ds == nil {
		tb.Fatalf("std.Dataset(%q) = nil", code)
	}
	return ds
}

// compareGolden compares got with testdata/name, or rewrites the file with -update.
func compareGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		t.Errorf("%s differs from the output (-want +got; run go test -update if the change is intended):\n%s", path, diff)
	}
}

func TestCatalogGolden(t *testing.T) {
	std := mustDefault(t)
	var b bytes.Buffer
	if err := WriteCatalog(&b, std); err != nil {
		t.Fatalf("WriteCatalog() = %v", err)
	}
	compareGolden(t, "catalog.txt", b.Bytes())
}

func TestJSONGolden(t *testing.T) {
	std := mustDefault(t)
	var b bytes.Buffer
	if err := WriteJSON(&b, std); err != nil {
		t.Fatalf("WriteJSON() = %v", err)
	}
	compareGolden(t, "standard.json", b.Bytes())
}
