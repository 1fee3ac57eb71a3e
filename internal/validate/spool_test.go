package validate_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"shuiyun/internal/gen"
	"shuiyun/internal/validate"
)

// TestSpoolMatchesRecords: the rows a run keeps (Options.Spool) read back as
// exactly what Records gives for the same file — rows, ops, keys, values and
// order — over files with defects, D rows, CSV split into two partitions,
// GB18030 and XLSX.
func TestSpoolMatchesRecords(t *testing.T) {
	std := mustStandard(t)
	files, _ := filepath.Glob("testdata/batch/*.csv")
	dir := t.TempDir()
	for _, c := range []struct{ name, format, enc string }{{"utf8", "csv", "UTF-8"}, {"gbk", "csv", "GB18030"}, {"xlsx", "xlsx", "UTF-8"}} {
		res, err := gen.Generate(std, gen.Options{Seed: 3, Rows: 3000, ErrorRate: 0.05, AsOf: asOf, Format: c.format,
			Encoding: c.enc, Header: "id", Datasets: []string{"vessel_operating_certificate"}, Dir: filepath.Join(dir, c.name)})
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, res.Files[0]) // the data; then the answer file
	}
	spool := t.TempDir()
	rep, err := validate.Run(context.Background(), std, files, validate.Options{AsOf: asOf, Workers: 2, Spool: spool})
	if err != nil {
		t.Fatal(err)
	}
	for i, path := range files {
		f := rep.Files[i]
		if !f.Spooled() {
			t.Fatalf("%s: no spool", path)
		}
		var want, got []validate.Record
		keep := func(out *[]validate.Record) func(*validate.Record) error {
			return func(r *validate.Record) error {
				c := *r
				c.Values = append([]string(nil), r.Values...)
				*out = append(*out, c)
				return nil
			}
		}
		add := keep(&want)
		err := validate.Records(context.Background(), std, path, "", func(_ validate.RecordTable, r *validate.Record) error { return add(r) })
		if err != nil {
			t.Fatal(err)
		}
		if err := f.Records(context.Background(), len(std.Dataset(f.Dataset).Fields), keep(&got)); err != nil {
			t.Fatal(err)
		}
		if len(want) < 2 {
			t.Fatalf("%s: %d records", path, len(want))
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("%s (-Records +spool):\n%s", path, diff)
		}
	}
	// The generated CSVs are read as two partitions: two spools each.
	if n, _ := os.ReadDir(spool); len(n) < len(files)+2 {
		t.Errorf("%d spool files for %d files", len(n), len(files))
	}
}

// TestSpoolStopsAndBreaks: a caller that stops early gets its error back at
// once (the decoder ahead of it does not hold it up), and a spool cut short
// is an error naming the spool, never a shorter table.
func TestSpoolStopsAndBreaks(t *testing.T) {
	std := mustStandard(t)
	dir := t.TempDir()
	res, err := gen.Generate(std, gen.Options{Seed: 5, Rows: 5000, AsOf: asOf, Format: "csv", Encoding: "UTF-8",
		Datasets: []string{"vessel_operating_certificate"}, Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	spool := t.TempDir()
	rep, err := validate.Run(context.Background(), std, res.Files[:1], validate.Options{AsOf: asOf, Workers: 1, Spool: spool})
	if err != nil {
		t.Fatal(err)
	}
	f := rep.Files[0]
	fields := len(std.Dataset(f.Dataset).Fields)
	stop := errors.New("enough")
	n := 0
	err = f.Records(context.Background(), fields, func(*validate.Record) error {
		if n++; n == 1500 {
			return stop
		}
		return nil
	})
	if !errors.Is(err, stop) || n != 1500 {
		t.Errorf("stopping at row 1500: %d rows, %v", n, err)
	}

	spools, _ := filepath.Glob(filepath.Join(spool, "*"))
	if len(spools) != 1 {
		t.Fatalf("spools %v", spools)
	}
	st, _ := os.Stat(spools[0])
	if err := os.Truncate(spools[0], st.Size()-7); err != nil {
		t.Fatal(err)
	}
	n = 0
	err = f.Records(context.Background(), fields, func(*validate.Record) error { n++; return nil })
	if err == nil || !strings.Contains(err.Error(), spools[0]) || n >= f.Rows {
		t.Errorf("a truncated spool: %d of %d rows, %v", n, f.Rows, err)
	}
}
