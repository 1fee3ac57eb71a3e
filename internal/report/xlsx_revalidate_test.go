package report

import (
	"context"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/xuri/excelize/v2"

	"shuiyun/internal/validate"
)

// licenceCSV has two errors: a USCC check digit (B3) and an empty operator
// name (C5), with a blank line between them.
const licenceCSV = `license_no,operator_uscc,operator_name,operator_address,legal_rep,area_type,operating_area,cargo_scope,passenger_scope,issuing_authority,issuing_authority_region,issue_date,valid_from,valid_to,status,cancel_date,cancel_reason
苏XK001,91350100M000100Y43,江苏远东海运有限公司,南京市玄武区,张三,2,长江中下游,11|12,,江苏省交通运输厅,320000,2024-01-01,2024-01-01,2028-12-31,1,,
苏XK002,91110000600037341X,南京长江航运有限公司,南京市鼓楼区,李四,2,长江中下游,11,,江苏省交通运输厅,320000,2024-03-01,2024-03-01,2028-02-28,1,,

苏XK003,91310115MA1K3BTP2B,,苏州市,王五,2,长江,11,,江苏省交通运输厅,320500,2022-01-01,2022-01-01,2026-12-31,1,,
`

// TestWriteXLSXRevalidate is the clerk's round trip: validate a file, write
// the annotated workbook, correct the marked cells, validate the workbook:
// it passes, and only the summary sheet is skipped.
func TestWriteXLSXRevalidate(t *testing.T) {
	std := testStandard(t)
	fixes := map[string]string{"B3": "91110000600037341L", "C5": "苏州客运有限公司"}
	for _, opt := range []XLSXOptions{{}, {MaxCommentRows: 1}} {
		dir := t.TempDir()
		src := filepath.Join(dir, "许可证.csv")
		if err := os.WriteFile(src, []byte(licenceCSV), 0o644); err != nil {
			t.Fatal(err)
		}
		r := validateFiles(t, src)
		if r.Valid || r.Summary.ErrorRows != 2 {
			t.Fatalf("source: valid %v, %d error rows; want 2 error rows", r.Valid, r.Summary.ErrorRows)
		}
		out := filepath.Join(dir, "校验结果.xlsx")
		if err := WriteXLSX(out, r, std, opt); err != nil {
			t.Fatal(err)
		}
		f, err := excelize.OpenFile(out)
		if err != nil {
			t.Fatal(err)
		}
		sheet := std.Dataset("waterway_transport_license").Label
		marked := map[string]string{}
		for ref := range fixes {
			marked[ref] = fillOf(t, f, sheet, ref)
			if err := f.SetCellStr(sheet, ref, fixes[ref]); err != nil {
				t.Fatal(err)
			}
		}
		if diff := cmp.Diff(map[string]string{"B3": errorFill, "C5": errorFill}, marked); diff != "" {
			t.Errorf("options %+v: marked cells (-want +got):\n%s", opt, diff)
		}
		if err := f.Save(); err != nil {
			t.Fatal(err)
		}
		f.Close()
		again := validateFiles(t, out)
		if !again.Valid {
			var errs []validate.Finding
			for _, file := range again.Files {
				for _, x := range file.Findings {
					if x.Severity == "error" {
						errs = append(errs, x)
					}
				}
			}
			t.Errorf("options %+v: the corrected workbook does not pass: %+v", opt, errs)
		}
		if got := again.Files[0]; got.Sheet != summarySheet || got.Dataset != "" {
			t.Errorf("options %+v: first table %q is dataset %q, want the skipped summary", opt, got.Sheet, got.Dataset)
		}
		if got := again.Files[1]; got.Rows != 3 {
			t.Errorf("options %+v: %d data rows in the workbook, want 3", opt, got.Rows)
		}
	}
}

func validateFiles(t *testing.T, paths ...string) *validate.Report {
	t.Helper()
	asOf, err := time.Parse(time.DateOnly, "2026-11-26")
	if err != nil {
		t.Fatal(err)
	}
	r, err := validate.Run(context.Background(), testStandard(t), paths, validate.Options{AsOf: asOf})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// TestWriteXLSXFromWorkbook annotates a workbook source: an instructions sheet
// (skipped) and a data sheet whose header is on row 2. The copy keeps the row
// numbers and marks the cells the engine reported.
func TestWriteXLSXFromWorkbook(t *testing.T) {
	std := testStandard(t)
	sheet := std.Dataset("waterway_transport_license").Label
	dir := t.TempDir()
	src := filepath.Join(dir, "许可证.xlsx")
	var source [][]string
	for _, line := range strings.Split(strings.TrimSpace(licenceCSV), "\n") {
		source = append(source, strings.Split(line, ","))
	}
	source = append([][]string{nil}, source...) // a blank first row: the header is on row 2
	writeWorkbook(t, src, map[string][][]string{"填表说明": {{"请按模板填写"}}, sheet: source})
	r := validateFiles(t, src)
	out := filepath.Join(dir, "校验结果.xlsx")
	if err := WriteXLSX(out, r, std, XLSXOptions{}); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenFile(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if diff := cmp.Diff([]string{summarySheet, sheet}, f.GetSheetList()); diff != "" {
		t.Errorf("sheets (-want +got):\n%s", diff)
	}
	got, err := f.GetRows(sheet)
	if err != nil {
		t.Fatal(err)
	}
	for i := range got {
		got[i] = trimTrailingBlanks(got[i])
	}
	want := make([][]string, len(source))
	for i := range source {
		want[i] = trimTrailingBlanks(source[i])
	}
	if diff := cmp.Diff(want, got, cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("data sheet (-want +got):\n%s", diff)
	}
	var file *validate.File
	for _, x := range r.Files {
		if x.Sheet == sheet {
			file = x
		}
	}
	wantFills, gotFills := map[string]string{}, map[string]string{}
	for _, x := range file.Findings {
		if col := findingColumn(file.Header, x); x.Row > 0 && col > 0 {
			ref, _ := excelize.CoordinatesToCellName(col, x.Row)
			wantFills[ref] = map[string]string{"error": errorFill, "warning": warningFill}[x.Severity]
			gotFills[ref] = fillOf(t, f, sheet, ref)
		}
	}
	if len(wantFills) == 0 {
		t.Fatal("the engine reported no cell of the source")
	}
	if diff := cmp.Diff(wantFills, gotFills); diff != "" {
		t.Errorf("fills of the reported cells (-want +got):\n%s", diff)
	}
	if panes, _ := f.GetPanes(sheet); !panes.Freeze || panes.YSplit != 2 {
		t.Errorf("panes = %+v, want rows 1–2 frozen", panes)
	}
}

// writeWorkbook writes sheets of text cells; a nil row stays blank.
func writeWorkbook(t *testing.T, path string, sheets map[string][][]string) {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	for _, name := range slices.Sorted(maps.Keys(sheets)) {
		if _, err := f.NewSheet(name); err != nil {
			t.Fatal(err)
		}
		for r, row := range sheets[name] {
			for c, v := range row {
				ref, _ := excelize.CoordinatesToCellName(c+1, r+1)
				if err := f.SetCellStr(name, ref, v); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	if err := f.DeleteSheet("Sheet1"); err != nil {
		t.Fatal(err)
	}
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
}
