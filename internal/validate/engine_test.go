package validate_test

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"shuiyun/internal/standard"
	"shuiyun/internal/validate"
)

var update = flag.Bool("update", false, "rewrite golden files")

var asOf = time.Date(2026, 11, 26, 0, 0, 0, 0, time.UTC)

func mustStandard(t testing.TB) *standard.Standard {
	t.Helper()
	std, err := standard.Default()
	if err != nil {
		t.Fatal(err)
	}
	return std
}

// golden compares got with testdata/NAME, or rewrites it under -update.
func golden(t *testing.T, name string, got []byte) {
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
		t.Errorf("%s mismatch (-want +got):\n%s", name, diff)
	}
}

func reportJSON(t *testing.T, r *validate.Report) []byte {
	t.Helper()
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(r); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestBatchGolden(t *testing.T) {
	files, _ := filepath.Glob("testdata/batch/*.csv")
	for _, workers := range []int{1, 3} {
		r, err := validate.Run(context.Background(), mustStandard(t), files, validate.Options{AsOf: asOf, Workers: workers})
		if err != nil {
			t.Fatal(err)
		}
		golden(t, "batch.golden.json", reportJSON(t, r))
	}
}
