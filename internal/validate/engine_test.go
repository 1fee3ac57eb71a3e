package validate_test

import (
	"bytes"
	"context"
	"encoding/json"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"shuiyun/internal/golden"
	"shuiyun/internal/standard"
	"shuiyun/internal/validate"
)

var asOf = time.Date(2026, 11, 26, 0, 0, 0, 0, time.UTC)

func mustStandard(t testing.TB) *standard.Standard {
	t.Helper()
	std, err := standard.Default()
	if err != nil {
		t.Fatal(err)
	}
	return std
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
		golden.Compare(t, "batch.golden.json", reportJSON(t, r))
	}
}

// TestMaxFindings: a capped run keeps the first findings by row and counts
// the rest, so the summary and error rows equal those of an uncapped run.
func TestMaxFindings(t *testing.T) {
	files, _ := filepath.Glob("testdata/batch/*.csv")
	std := mustStandard(t)
	full, err := validate.Run(context.Background(), std, files, validate.Options{AsOf: asOf, MaxFindings: -1})
	if err != nil {
		t.Fatal(err)
	}
	capped, err := validate.Run(context.Background(), std, files, validate.Options{AsOf: asOf, MaxFindings: 3})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(full.Summary, capped.Summary); diff != "" {
		t.Errorf("summary differs when capped (-full +capped):\n%s", diff)
	}
	for i, f := range capped.Files {
		all := full.Files[i].Findings
		if n := min(3, len(all)); len(f.Findings) != n || f.Truncated != len(all)-n {
			t.Errorf("%s: kept %d, truncated %d; want %d and %d", f.Path, len(f.Findings), f.Truncated, n, len(all)-n)
		}
		if diff := cmp.Diff(all[:len(f.Findings)], f.Findings); diff != "" {
			t.Errorf("%s: kept findings are not the first ones (-want +got):\n%s", f.Path, diff)
		}
		if f.ErrorRows != full.Files[i].ErrorRows {
			t.Errorf("%s: error rows %d capped, %d uncapped", f.Path, f.ErrorRows, full.Files[i].ErrorRows)
		}
	}
}
