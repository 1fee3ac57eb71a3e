package validate_test

import (
	"bytes"
	"context"
	"encoding/json"
	"path/filepath"
	"shuiyun/internal/golden"
	"testing"
	"time"


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
