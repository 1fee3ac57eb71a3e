package publish

import (
	"bytes"
	"testing"

	"shuiyun/internal/golden"
	"shuiyun/internal/standard"
)

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

func TestCatalogGolden(t *testing.T) {
	std := mustDefault(t)
	var b bytes.Buffer
	if err := WriteCatalog(&b, std); err != nil {
		t.Fatalf("WriteCatalog() = %v", err)
	}
	golden.Compare(t, "catalog.txt", b.Bytes())
}

func TestJSONGolden(t *testing.T) {
	std := mustDefault(t)
	var b bytes.Buffer
	if err := WriteJSON(&b, std); err != nil {
		t.Fatalf("WriteJSON() = %v", err)
	}
	golden.Compare(t, "standard.json", b.Bytes())
}
