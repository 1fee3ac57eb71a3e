package publish

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/xuri/excelize/v2"

	"shuiyun/internal/standard"
)

func TestTemplate(t *testing.T) {
	std := mustDefault(t)
	for _, code := range []string{"D03", "D08"} {
		t.Run(code, func(t *testing.T) {
			ds := mustDataset(t, std, code)
			path := filepath.Join(t.TempDir(), TemplateFileName(ds))
			if err := WriteTemplate(path, std, ds); err != nil {
				t.Fatalf("WriteTemplate(%s) = %v", code, err)
			}
			f, err := excelize.OpenFile(path)
			if err != nil {
				t.Fatalf("open %s: %v", path, err)
			}
			defer f.Close()
			sheet := TemplateSheetName(ds)
			if got := std.Dataset(sheet); got != ds {
				t.Errorf("the engine finds %v by sheet name %q, want %s", got, sheet, ds.Code)
			}
			checkSheets(t, f, sheet)
			checkHeader(t, f, sheet, ds)
			checkColumnFormats(t, f, sheet, ds)
			checkDropDowns(t, f, sheet, std, ds)
			checkGuide(t, f, ds)
			checkComments(t, f, sheet, ds)
		})
	}
}

func checkSheets(t *testing.T, f *excelize.File, sheet string) {
	t.Helper()
	if diff := cmp.Diff([]string{sheet, GuideSheet, ListSheet}, f.GetSheetList()); diff != "" {
		t.Errorf("sheets (-want +got):\n%s", diff)
	}
	if visible, err := f.GetSheetVisible(ListSheet); err != nil || visible {
		t.Errorf("GetSheetVisible(%s) = %v, %v, want hidden", ListSheet, visible, err)
	}
	if got := f.GetSheetName(f.GetActiveSheetIndex()); got != sheet {
		t.Errorf("active sheet = %q, want %q", got, sheet)
	}
	panes, err := f.GetPanes(sheet)
	if err != nil || !panes.Freeze || panes.YSplit != IDRow || panes.TopLeftCell != "A3" {
		t.Errorf("GetPanes(%s) = %+v, %v, want frozen below row %d", sheet, panes, err, IDRow)
	}
}

func checkHeader(t *testing.T, f *excelize.File, sheet string, ds *standard.Dataset) {
	t.Helper()
	rows, err := f.GetRows(sheet)
	if err != nil || len(rows) < 2 {
		t.Fatalf("GetRows(%s) = %d rows, %v, want 2", sheet, len(rows), err)
	}
	var labels, ids []string
	for _, fd := range ds.Fields {
		labels = append(labels, fd.Label)
		ids = append(ids, fd.Name)
	}
	if diff := cmp.Diff(labels, rows[LabelRow-1]); diff != "" {
		t.Errorf("row %d labels (-want +got):\n%s", LabelRow, diff)
	}
	if diff := cmp.Diff(ids, rows[IDRow-1]); diff != "" {
		t.Errorf("row %d ids (-want +got):\n%s", IDRow, diff)
	}
	for i, fd := range ds.Fields {
		style := cellStyle(t, f, sheet, cell(i, LabelRow))
		red := style.Font != nil && style.Font.Color == "FF0000"
		if red != (fd.Required == standard.Mandatory) {
			t.Errorf("label of %s (%s) red = %v, want %v", fd.Name, fd.Required, red, !red)
		}
	}
}

func checkColumnFormats(t *testing.T, f *excelize.File, sheet string, ds *standard.Dataset) {
	t.Helper()
	for i, fd := range ds.Fields {
		col, _ := excelize.ColumnNumberToName(i + 1)
		id, err := f.GetColStyle(sheet, col)
		if err != nil {
			t.Fatalf("GetColStyle(%s) = %v", col, err)
		}
		style, err := f.GetStyle(id)
		if err != nil {
			t.Fatalf("GetStyle(%d) = %v", id, err)
		}
		switch fd.Type {
		case standard.TypeID, standard.TypeCode, standard.TypeCodes, standard.TypeString, standard.TypeBoolean:
			if style.NumFmt != textFormat {
				t.Errorf("column %s (%s, %s) number format = %d, want %d (text)", col, fd.Name, fd.Type, style.NumFmt, textFormat)
			}
		case standard.TypeDate:
			if style.CustomNumFmt == nil || *style.CustomNumFmt != "yyyy-mm-dd" {
				t.Errorf("column %s (%s) date format = %v, want yyyy-mm-dd", col, fd.Name, style.CustomNumFmt)
			}
		}
	}
}

// checkDropDowns checks that every code, code-set and boolean column has a
// drop-down, and that every value a code list offers is read back by the
// engine's lookup as its code.
func checkDropDowns(t *testing.T, f *excelize.File, sheet string, std *standard.Standard, ds *standard.Dataset) {
	t.Helper()
	dvs, err := f.GetDataValidations(sheet)
	if err != nil {
		t.Fatalf("GetDataValidations(%s) = %v", sheet, err)
	}
	bySqref := map[string]*excelize.DataValidation{}
	for _, dv := range dvs {
		bySqref[dv.Sqref] = dv
	}
	for i, fd := range ds.Fields {
		col, _ := excelize.ColumnNumberToName(i + 1)
		dv := bySqref[fmt.Sprintf("%s%d:%s%d", col, FirstDataRow, col, lastExcelRow)]
		cl := std.CodeList(fd.CodeList)
		wantList := fd.Type == standard.TypeBoolean || (fd.Type == standard.TypeCode || fd.Type == standard.TypeCodes) && cl != nil
		if (dv != nil) != wantList {
			t.Errorf("column %s (%s, %s): drop-down = %v, want %v", col, fd.Name, fd.Type, dv != nil, wantList)
			continue
		}
		if dv == nil || cl == nil {
			continue
		}
		if dv.Type != "list" || !strings.HasPrefix(dv.Formula1, "'"+ListSheet+"'!") {
			t.Errorf("column %s (%s): validation %s %q, want a list on %s", col, fd.Name, dv.Type, dv.Formula1, ListSheet)
			continue
		}
		checkListValues(t, f, dv.Formula1, cl)
	}
}

// checkListValues reads the drop-down range and checks each value maps to the code in its place.
func checkListValues(t *testing.T, f *excelize.File, ref string, cl *standard.CodeList) {
	t.Helper()
	rng := strings.ReplaceAll(strings.TrimPrefix(ref, "'"+ListSheet+"'!"), "$", "")
	first, _, _ := strings.Cut(rng, ":")
	col, _, err := excelize.SplitCellName(first)
	if err != nil {
		t.Fatalf("range %q: %v", ref, err)
	}
	cols, err := f.GetCols(ListSheet)
	if err != nil {
		t.Fatal(err)
	}
	n, _ := excelize.ColumnNameToNumber(col)
	values := cols[n-1]
	for len(values) > 0 && values[len(values)-1] == "" { // GetCols pads columns to the longest
		values = values[:len(values)-1]
	}
	if got, want := values[0], cl.ID+" "+cl.Name; got != want {
		t.Errorf("%s header = %q, want %q", ref, got, want)
	}
	if len(values)-1 != len(cl.Codes) {
		t.Fatalf("%s holds %d values, want %d", ref, len(values)-1, len(cl.Codes))
	}
	for i, c := range cl.Codes {
		if got, ok := cl.Lookup(values[i+1]); !ok || got != c.Code {
			t.Errorf("%s drop-down value %q reads as %q, %v, want %q", cl.ID, values[i+1], got, ok, c.Code)
		}
	}
}

func checkGuide(t *testing.T, f *excelize.File, ds *standard.Dataset) {
	t.Helper()
	rows, err := f.GetRows(GuideSheet)
	if err != nil {
		t.Fatalf("GetRows(%s) = %v", GuideSheet, err)
	}
	if len(rows) < len(ds.Fields)+2 {
		t.Fatalf("%s has %d rows, want a header and %d fields", GuideSheet, len(rows), len(ds.Fields))
	}
	for i, fd := range ds.Fields {
		row := rows[i+1]
		if len(row) < 6 || row[1] != fd.Label || row[2] != fd.Name || !strings.HasPrefix(row[5], string(fd.Required)) {
			t.Errorf("%s row %d = %q, want %s %s %s", GuideSheet, i+2, row, fd.Label, fd.Name, fd.Required)
		}
	}
	if len(rows[len(ds.Fields)+1]) != 0 {
		t.Errorf("%s row %d = %q, want blank after the fields", GuideSheet, len(ds.Fields)+2, rows[len(ds.Fields)+1])
	}
}

func checkComments(t *testing.T, f *excelize.File, sheet string, ds *standard.Dataset) {
	t.Helper()
	comments, err := f.GetComments(sheet)
	if err != nil {
		t.Fatalf("GetComments(%s) = %v", sheet, err)
	}
	byCell := map[string]string{}
	for _, c := range comments {
		var b strings.Builder
		for _, r := range c.Paragraph {
			b.WriteString(r.Text)
		}
		byCell[c.Cell] = c.Text + b.String()
	}
	for i, fd := range ds.Fields {
		text := byCell[cell(i, LabelRow)]
		if !strings.Contains(text, "类型") {
			t.Errorf("comment on %s (%s) = %q, want the type", cell(i, LabelRow), fd.Name, text)
		}
		if strings.Contains(text, "必填") != (fd.Required != standard.Optional) {
			t.Errorf("comment on %s (%s, %s) = %q: says 必填 wrongly", cell(i, LabelRow), fd.Name, fd.Required, text)
		}
	}
}

func cell(i, row int) string {
	c, _ := excelize.CoordinatesToCellName(i+1, row)
	return c
}

func cellStyle(t *testing.T, f *excelize.File, sheet, c string) *excelize.Style {
	t.Helper()
	id, err := f.GetCellStyle(sheet, c)
	if err != nil {
		t.Fatal(err)
	}
	s, err := f.GetStyle(id)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestWriteTemplates(t *testing.T) {
	std := mustDefault(t)
	dir := t.TempDir()
	if err := WriteTemplates(dir, std); err != nil {
		t.Fatalf("WriteTemplates() = %v", err)
	}
	for _, ds := range std.Datasets {
		if _, err := os.Stat(filepath.Join(dir, ds.Code+"_"+ds.Name+".xlsx")); err != nil {
			t.Errorf("template of %s: %v", ds.Code, err)
		}
	}
}

func TestTemplateSheetName(t *testing.T) {
	for _, tc := range []struct{ label, want string }{
		{"营运船舶（船舶营业运输证）", "营运船舶（船舶营业运输证）"},
		{strings.Repeat("港", 31), strings.Repeat("港", 31)},
		{strings.Repeat("港", 32), "D99"},
		{"许可/备案", "D99"},
		{"'引号'", "D99"},
		{"", "D99"},
	} {
		if got := TemplateSheetName(&standard.Dataset{Code: "D99", Label: tc.label}); got != tc.want {
			t.Errorf("TemplateSheetName(%q) = %q, want %q", tc.label, got, tc.want)
		}
	}
}

// TestSheetNamesResolve checks that the engine finds every dataset by its template's sheet name.
func TestSheetNamesResolve(t *testing.T) {
	std := mustDefault(t)
	for _, ds := range std.Datasets {
		if got := std.Dataset(TemplateSheetName(ds)); got != ds {
			t.Errorf("std.Dataset(%q) = %v, want %s", TemplateSheetName(ds), got, ds.Code)
		}
	}
}
