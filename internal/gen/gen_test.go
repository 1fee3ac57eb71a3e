package gen

import (
	"bytes"
	"encoding/csv"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"
)

// readCSV reads a generated CSV into rows keyed by header (the BOM dropped).
func readCSV(t *testing.T, path string) []map[string]string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	data = bytes.TrimPrefix(data, []byte("\uFEFF"))
	recs, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
	if err != nil {
		t.Fatalf("read %s: %v", path, err)
	}
	var out []map[string]string
	for _, rec := range recs[1:] {
		m := map[string]string{}
		for i, h := range recs[0] {
			m[h] = rec[i]
		}
		out = append(out, m)
	}
	return out
}

func generate(t *testing.T, opt Options) *Result {
	t.Helper()
	if opt.Dir == "" {
		opt.Dir = t.TempDir()
	}
	if opt.AsOf.IsZero() {
		opt.AsOf = asOf
	}
	res, err := Generate(mustStandard(t), opt)
	if err != nil {
		t.Fatalf("Generate: %v", err)
	}
	return res
}

func readAll(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]byte{}
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		out[e.Name()] = b
	}
	return out
}

func TestDeterminism(t *testing.T) {
	for _, format := range []string{"csv", "xlsx"} {
		t.Run(format, func(t *testing.T) {
			opt := Options{Seed: 42, Rows: 800, ErrorRate: 0.1, Quirks: true, Format: format}
			a, b := t.TempDir(), t.TempDir()
			opt.Dir = a
			generate(t, opt)
			opt.Dir = b
			generate(t, opt)
			fa, fb := readAll(t, a), readAll(t, b)
			if len(fa) == 0 {
				t.Fatal("no files written")
			}
			for name := range fa {
				if name == "data.xlsx" {
					if diff := cmp.Diff(sheets(t, filepath.Join(a, name)), sheets(t, filepath.Join(b, name))); diff != "" {
						t.Errorf("same seed, different workbook contents (-a +b):\n%s", diff)
					}
					continue
				}
				if !bytes.Equal(fa[name], fb[name]) {
					t.Errorf("same seed, %s differs", name)
				}
			}
			opt.Dir, opt.Seed = t.TempDir(), 43
			generate(t, opt)
			fc := readAll(t, opt.Dir)
			if format == "csv" && bytes.Equal(fa["vessel_operating_certificate.csv"], fc["vessel_operating_certificate.csv"]) {
				t.Error("seeds 42 and 43 gave the same vessel certificates")
			}
		})
	}
}

// sheets reads every sheet of a workbook as text.
func sheets(t *testing.T, path string) map[string][][]string {
	t.Helper()
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatalf("open %s: %v", path, err)
	}
	defer f.Close()
	out := map[string][][]string{}
	for _, name := range f.GetSheetList() {
		rows, err := f.GetRows(name)
		if err != nil {
			t.Fatal(err)
		}
		out[name] = rows
	}
	return out
}

func TestXLSX(t *testing.T) {
	std := mustStandard(t)
	res := generate(t, Options{Seed: 7, Rows: 300, ErrorRate: 0.05, Format: "xlsx"})
	path := res.Files[0]
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatalf("excelize cannot open %s: %v", path, err)
	}
	defer f.Close()
	var want []string
	for _, name := range allDatasets {
		want = append(want, sheetName(std.Dataset(name).Label))
	}
	if diff := cmp.Diff(want, f.GetSheetList()); diff != "" {
		t.Errorf("sheets (-want +got):\n%s", diff)
	}
	if got, want := sheetName("国际海运经营（许可/备案）"), "国际海运经营（许可／备案）"; got != want {
		t.Errorf("sheetName = %q, want %q", got, want)
	}
	sheet := std.Dataset(dsVessel).Label
	rows, err := f.GetRows(sheet)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows)-1 != res.Rows[dsVessel] {
		t.Errorf("sheet %s has %d data rows, Result says %d", sheet, len(rows)-1, res.Rows[dsVessel])
	}
	// Cell types: identifiers as text, tonnage as a number, dates as dates.
	col := map[string]int{}
	for i, h := range rows[0] {
		col[h] = i + 1
	}
	cellType := func(field string) excelize.CellType {
		name, _ := excelize.CoordinatesToCellName(col[field], 2)
		ct, err := f.GetCellType(sheet, name)
		if err != nil {
			t.Fatal(err)
		}
		return ct
	}
	for field, want := range map[string]excelize.CellType{"ship_id": excelize.CellTypeInlineString,
		"gross_tonnage": excelize.CellTypeUnset, "build_date": excelize.CellTypeUnset} {
		if got := cellType(field); got != want {
			t.Errorf("cell type of %s = %v, want %v", field, got, want)
		}
	}
	name, _ := excelize.CoordinatesToCellName(col["build_date"], 2)
	if v, _ := f.GetCellValue(sheet, name); len(v) != 10 || v[4] != '-' {
		t.Errorf("build_date shows as %q, want a YYYY-MM-DD date", v)
	}
}

func TestGB18030(t *testing.T) {
	opt := Options{Seed: 9, Rows: 500, ErrorRate: 0.1, Quirks: true}
	utf := generate(t, opt)
	opt.Encoding = "GB18030"
	gb := generate(t, opt)
	for i, path := range gb.Files {
		if filepath.Base(path) == "answers.csv" {
			continue
		}
		raw, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		decoded, err := simplifiedchinese.GB18030.NewDecoder().Bytes(raw)
		if err != nil {
			t.Fatalf("decode %s: %v", path, err)
		}
		want, err := os.ReadFile(utf.Files[i])
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(decoded, bytes.TrimPrefix(want, []byte("\uFEFF"))) {
			t.Errorf("%s: GB18030 text differs from the UTF-8 file", filepath.Base(path))
		}
		if bytes.HasPrefix(raw, []byte("\uFEFF")) {
			t.Errorf("%s: GB18030 file starts with a UTF-8 BOM", filepath.Base(path))
		}
	}
}

func TestOptionsErrors(t *testing.T) {
	std := mustStandard(t)
	tests := []struct {
		name string
		opt  Options
		want string
	}{
		{"no as-of", Options{Rows: 10}, "AsOf"},
		{"bad format", Options{Rows: 10, AsOf: asOf, Format: "xls"}, "format"},
		{"bad encoding", Options{Rows: 10, AsOf: asOf, Encoding: "GBK"}, "encoding"},
		{"bad header", Options{Rows: 10, AsOf: asOf, Header: "name"}, "header"},
		{"bad dataset", Options{Rows: 10, AsOf: asOf, Datasets: []string{"vessels"}}, "dataset"},
		{"bad submitter", Options{Rows: 10, AsOf: asOf, Submitter: "990000"}, "990000"},
		{"bad rate", Options{Rows: 10, AsOf: asOf, ErrorRate: 2}, "rate"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.opt.Dir = t.TempDir()
			_, err := Generate(std, tt.opt)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Generate(%+v) error = %v, want one mentioning %q", tt.opt, err, tt.want)
			}
		})
	}
}

// TestFieldsExist checks that every field gen writes is a field of the built-in standard.
func TestFieldsExist(t *testing.T) {
	g, err := newGenerator(mustStandard(t), Options{Seed: 1, Rows: 400, ErrorRate: 0.5, Quirks: true, AsOf: asOf, Dir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := g.run(); err != nil {
		t.Fatal(err)
	}
	for name, l := range g.layouts {
		if len(l.missing) > 0 {
			t.Errorf("%s: gen writes fields the standard lacks: %v", name, l.missing)
		}
	}
}
