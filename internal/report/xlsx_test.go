package report

import (
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/xuri/excelize/v2"

	"shuiyun/internal/validate"
)

const vesselSheet = "营运船舶（船舶营业运输证）"

// smallFields are the columns of smallCSV ("" for a column the standard does not define).
var smallFields = []string{"cert_no", "ship_id", "ship_name_cn", "operator_name", "status", ""}

// smallCSV is the source of the annotated-workbook test: Chinese text, a blank
// line (row 4), a row wider than the header (row 5), a value that looks like a
// formula and one with leading zeros. Its header (row 1) is set from the
// standard's labels by smallSource.
var smallCSV = [][]string{
	{"营运证编号", "船舶识别号", "中文船名", "船舶经营人", "状态", "备注"},
	{"ZJ-2024-0001", "CN20149346219", "浙杭州货1234", "杭州运输有限公司", "1", ""},
	{"ZJ-2024-0002", "CN20149346218", "", "南京长江航运有限公司", "<script>alert('x')</script>", ""},
	nil,
	{"ZJ-2024-0003", "CN2014934621", "=1+1", "含,逗号的公司", "007", "备注文字", "多出1", "多出2"},
	{"9.13501E+17", "CN20149346219", "浙杭州货5678", "杭州运输有限公司", "1", ""},
}

// writeCSV writes records as a UTF-8 CSV file; a nil record is a blank line.
func writeCSV(t testing.TB, path string, records [][]string) {
	t.Helper()
	var b strings.Builder
	w := csv.NewWriter(&b)
	for _, rec := range records {
		if rec == nil {
			w.Flush()
			b.WriteString("\n")
			continue
		}
		if err := w.Write(rec); err != nil {
			t.Fatal(err)
		}
	}
	w.Flush()
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
}

func smallReport(path string) *validate.Report {
	f := &validate.File{
		Path: path, Dataset: "vessel_operating_certificate", Encoding: "UTF-8", Rows: 4, ErrorRows: 3, HeaderRow: 1,
		Header: smallFields,
		Findings: []validate.Finding{
			{Row: 0, Field: "备注", Rule: "FILE-HEADER-UNKNOWN", Category: "structure", Severity: "warning", Message: "标准未定义的列“备注”"},
			{Row: 3, Field: "ship_name_cn", Rule: "REQ", Category: "completeness", Severity: "error", Message: "船舶中文名称不能为空"},
			{Row: 3, Field: "ship_id", Rule: "ID-CNSHIP", Category: "normativity", Severity: "error", Value: "CN20149346218", Message: "校验位错误，应为 9"},
			{Row: 3, Field: "operator_name", Rule: "REL-02", Category: "relational", Severity: "warning", Value: "南京长江航运有限公司", Message: "与许可证上的名称不一致"},
			{Row: 3, Field: "status", Rule: "CODE", Category: "normativity", Severity: "error", Value: "<script>alert('x')</script>", Message: "不是证照状态代码"},
			{Row: 5, Rule: "FILE-ROW-SHAPE", Category: "structure", Severity: "error", Message: "本行有 8 个单元格，多于表头的 6 列"},
			{Row: 5, Field: "operator_name", Rule: "REL-02", Category: "relational", Severity: "warning", Value: "含,逗号的公司", Message: "与许可证上的名称不一致"},
			{Row: 6, Field: "cert_no", Rule: "REL-02", Category: "relational", Severity: "warning", Value: "9.13501E+17", Message: "示例警告"},
			{Row: 6, Field: "cert_no", Rule: "FMT-EXCEL", Category: "normativity", Severity: "error", Value: "9.13501E+17", Message: "被 Excel 改成了科学计数法"},
		},
	}
	return &validate.Report{Standard: "1.0", AsOf: "2026-11-26", Files: []*validate.File{f},
		Summary: validate.Summary{Files: 1, Rows: 4, ErrorRows: 3, Errors: 5, Warnings: 4,
			ByRule: map[string]int{"REQ": 1, "ID-CNSHIP": 1, "REL-02": 3, "CODE": 1, "FILE-ROW-SHAPE": 1, "FMT-EXCEL": 1, "FILE-HEADER-UNKNOWN": 1}}}
}

func TestWriteXLSX(t *testing.T) {
	std := testStandard(t)
	d := std.Dataset("vessel_operating_certificate")
	if d.Label != vesselSheet {
		t.Fatalf("the standard calls D03 %q; the test expects %q", d.Label, vesselSheet)
	}
	label := func(field string) string { return d.Field(field).Label }
	for i, field := range smallFields[:5] {
		if smallCSV[0][i] != label(field) {
			t.Fatalf("the standard calls %s %q; the test expects %q", field, label(field), smallCSV[0][i])
		}
	}
	comments := map[string]string{
		"B3": "[ID-CNSHIP] 校验位错误，应为 9",
		"C3": "[REQ] 船舶中文名称不能为空",
		"D3": "[REL-02 警告] 与许可证上的名称不一致",
		"E3": "[CODE] 不是证照状态代码",
		"A5": "本行 [FILE-ROW-SHAPE] 本行有 8 个单元格，多于表头的 6 列",
		"D5": "[REL-02 警告] 与许可证上的名称不一致",
		"A6": "[REL-02 警告] 示例警告\n[FMT-EXCEL] 被 Excel 改成了科学计数法",
	}
	opinions := map[string]string{ // column mode: the 校验意见 cells
		"G1": "校验意见",
		"G3": label("ship_id") + " [ID-CNSHIP] 校验位错误，应为 9；" + label("ship_name_cn") + " [REQ] 船舶中文名称不能为空；" +
			label("operator_name") + " [REL-02 警告] 与许可证上的名称不一致；" + label("status") + " [CODE] 不是证照状态代码",
		"I5": "[FILE-ROW-SHAPE] 本行有 8 个单元格，多于表头的 6 列；" + label("operator_name") + " [REL-02 警告] 与许可证上的名称不一致",
		"G6": label("cert_no") + " [REL-02 警告] 示例警告；" + label("cert_no") + " [FMT-EXCEL] 被 Excel 改成了科学计数法",
	}
	tests := []struct {
		name         string
		opt          XLSXOptions
		wantComments bool
		fromJSON     bool // the report has no File.Header
	}{
		{"comments", XLSXOptions{}, true, false},
		{"too many rows for comments", XLSXOptions{MaxCommentRows: 3}, false, false},
		{"too many cells for comments", XLSXOptions{MaxComments: 6}, false, false},
		{"report read from JSON", XLSXOptions{}, true, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			src := filepath.Join(dir, "船舶.csv")
			writeCSV(t, src, smallCSV)
			out := filepath.Join(dir, "校验结果.xlsx")
			r := smallReport(src)
			if tt.fromJSON {
				r.Files[0].Header = nil
			}
			if err := WriteXLSX(out, r, std, tt.opt); err != nil {
				t.Fatal(err)
			}
			f, err := excelize.OpenFile(out)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			if diff := cmp.Diff([]string{summarySheet, vesselSheet}, f.GetSheetList()); diff != "" {
				t.Errorf("sheets (-want +got):\n%s", diff)
			}
			wantOpinions := map[string]string{}
			if !tt.wantComments {
				wantOpinions = opinions
			}
			checkValues(t, f, smallCSV, wantOpinions)
			checkFills(t, f, map[string]string{
				"B3": errorFill, "C3": errorFill, "D3": warningFill, "E3": errorFill,
				"A5": errorFill, "D5": warningFill, "A6": errorFill,
			})
			wantComments := map[string]string{}
			if tt.wantComments {
				wantComments = comments
			}
			checkComments(t, f, wantComments)
			checkTextFormat(t, f)
			checkSummary(t, f, label, func(id string) string { return std.Rule(id).Title })
		})
	}
}

// checkValues compares the data sheet with the source, cell by cell, plus the
// 校验意见 cells of column mode.
func checkValues(t *testing.T, f *excelize.File, source [][]string, opinions map[string]string) {
	t.Helper()
	want := make([][]string, len(source))
	for i, rec := range source {
		want[i] = append([]string(nil), rec...)
	}
	for ref, v := range opinions {
		col, row, _ := excelize.CellNameToCoordinates(ref)
		for len(want[row-1]) < col {
			want[row-1] = append(want[row-1], "")
		}
		want[row-1][col-1] = v
	}
	for i := range want { // GetRows drops trailing blank cells
		want[i] = trimTrailingBlanks(want[i])
	}
	got, err := f.GetRows(vesselSheet)
	if err != nil {
		t.Fatal(err)
	}
	for i := range got {
		got[i] = trimTrailingBlanks(got[i])
	}
	if diff := cmp.Diff(want, got, cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("data sheet values (-want +got):\n%s", diff)
	}
	if formula, _ := f.GetCellFormula(vesselSheet, "C5"); formula != "" {
		t.Errorf("C5 has formula %q, want the text =1+1", formula)
	}
}

func trimTrailingBlanks(s []string) []string {
	for len(s) > 0 && s[len(s)-1] == "" {
		s = s[:len(s)-1]
	}
	return s
}

// checkFills checks that exactly the wanted data cells (below the header) are filled.
func checkFills(t *testing.T, f *excelize.File, want map[string]string) {
	t.Helper()
	got := map[string]string{}
	rows, err := f.GetRows(vesselSheet)
	if err != nil {
		t.Fatal(err)
	}
	for r := 2; r <= len(rows)+1; r++ {
		for c := 1; c <= 10; c++ {
			ref, _ := excelize.CoordinatesToCellName(c, r)
			if color := fillOf(t, f, vesselSheet, ref); color != "" {
				got[ref] = color
			}
		}
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("filled cells (-want +got):\n%s", diff)
	}
}

func fillOf(t *testing.T, f *excelize.File, sheet, ref string) string {
	t.Helper()
	id, err := f.GetCellStyle(sheet, ref)
	if err != nil {
		t.Fatal(err)
	}
	st, err := f.GetStyle(id)
	if err != nil {
		t.Fatal(err)
	}
	if st.Fill.Pattern != 1 || len(st.Fill.Color) == 0 {
		return ""
	}
	return strings.TrimPrefix(strings.ToUpper(st.Fill.Color[0]), "#")
}

func checkComments(t *testing.T, f *excelize.File, want map[string]string) {
	t.Helper()
	list, err := f.GetComments(vesselSheet)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, c := range list {
		if c.Author != "shuiyun" {
			t.Errorf("comment %s: author %q, want shuiyun", c.Cell, c.Author)
		}
		got[c.Cell] = c.Text
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("comments (-want +got):\n%s", diff)
	}
}

// checkTextFormat checks that data cells and their columns are text ("@"),
// and that the header row is frozen.
func checkTextFormat(t *testing.T, f *excelize.File) {
	t.Helper()
	for _, ref := range []string{"A2", "B3", "E5"} {
		id, _ := f.GetCellStyle(vesselSheet, ref)
		if st, _ := f.GetStyle(id); st.NumFmt != numFmtText {
			t.Errorf("%s: number format %d, want %d (text)", ref, st.NumFmt, numFmtText)
		}
		if typ, _ := f.GetCellType(vesselSheet, ref); typ != excelize.CellTypeInlineString {
			t.Errorf("%s: cell type %v, want an inline string", ref, typ)
		}
	}
	id, err := f.GetColStyle(vesselSheet, "B")
	if err != nil {
		t.Fatal(err)
	}
	if st, _ := f.GetStyle(id); st.NumFmt != numFmtText {
		t.Errorf("column B: number format %d, want %d (text)", st.NumFmt, numFmtText)
	}
	panes, err := f.GetPanes(vesselSheet)
	if err != nil {
		t.Fatal(err)
	}
	if !panes.Freeze || panes.YSplit != 1 {
		t.Errorf("panes = %+v, want the header row frozen", panes)
	}
}

func checkSummary(t *testing.T, f *excelize.File, label, title func(string) string) {
	t.Helper()
	if v, _ := f.GetCellValue(summarySheet, "A1"); v != "数据校验结果：不通过" {
		t.Errorf("A1 = %q", v)
	}
	rows, err := f.GetRows(summarySheet)
	if err != nil {
		t.Fatal(err)
	}
	var counts [][]string
	for _, row := range rows[summaryHeaderRow-1:] {
		if len(row) < summarySideCol || row[summarySideCol-1] == "" {
			break
		}
		counts = append(counts, row[summarySideCol-1:summarySideCol+3])
	}
	wantCounts := [][]string{
		{"规则", "名称", "严重程度", "次数"},
		{"REL-02", title("REL-02"), "警告", "3"},
		{"CODE", title("CODE"), "错误", "1"},
		{"FILE-HEADER-UNKNOWN", title("FILE-HEADER-UNKNOWN"), "警告", "1"},
		{"FILE-ROW-SHAPE", title("FILE-ROW-SHAPE"), "错误", "1"},
		{"FMT-EXCEL", title("FMT-EXCEL"), "错误", "1"},
		{"ID-CNSHIP", title("ID-CNSHIP"), "错误", "1"},
		{"REQ", title("REQ"), "错误", "1"},
	}
	if diff := cmp.Diff(wantCounts, counts); diff != "" {
		t.Errorf("counts by rule (-want +got):\n%s", diff)
	}
	var findings [][]string
	for _, row := range rows[summaryHeaderRow-1:] {
		if len(row) == 0 || row[0] == "" {
			break
		}
		findings = append(findings, row[:8])
	}
	wantFindings := [][]string{
		{"文件", "行号", "字段", "规则", "严重程度", "值", "说明", "定位"},
		{"船舶.csv", "文件级", "备注", "FILE-HEADER-UNKNOWN", "警告", "", "标准未定义的列“备注”", "F1"},
		{"船舶.csv", "3", label("ship_name_cn"), "REQ", "错误", "", "船舶中文名称不能为空", "C3"},
		{"船舶.csv", "3", label("ship_id"), "ID-CNSHIP", "错误", "CN20149346218", "校验位错误，应为 9", "B3"},
		{"船舶.csv", "3", label("operator_name"), "REL-02", "警告", "南京长江航运有限公司", "与许可证上的名称不一致", "D3"},
		{"船舶.csv", "3", label("status"), "CODE", "错误", "<script>alert('x')</script>", "不是证照状态代码", "E3"},
		{"船舶.csv", "5", "", "FILE-ROW-SHAPE", "错误", "", "本行有 8 个单元格，多于表头的 6 列", "A5"},
		{"船舶.csv", "5", label("operator_name"), "REL-02", "警告", "含,逗号的公司", "与许可证上的名称不一致", "D5"},
		{"船舶.csv", "6", label("cert_no"), "REL-02", "警告", "9.13501E+17", "示例警告", "A6"},
		{"船舶.csv", "6", label("cert_no"), "FMT-EXCEL", "错误", "9.13501E+17", "被 Excel 改成了科学计数法", "A6"},
	}
	if diff := cmp.Diff(wantFindings, findings); diff != "" {
		t.Errorf("findings list (-want +got):\n%s", diff)
	}
	for i, w := range wantFindings[1:] {
		ref := fmt.Sprintf("H%d", summaryHeaderRow+1+i)
		formula, err := f.GetCellFormula(summarySheet, ref)
		if err != nil {
			t.Fatal(err)
		}
		want := fmt.Sprintf(`HYPERLINK("#'%s'!%s","%s")`, vesselSheet, w[7], w[7])
		if formula != want {
			t.Errorf("%s: formula %s, want %s", ref, formula, want)
		}
	}
	panes, err := f.GetPanes(summarySheet)
	if err != nil {
		t.Fatal(err)
	}
	if !panes.Freeze || panes.YSplit != summaryHeaderRow {
		t.Errorf("summary panes = %+v, want rows 1–%d frozen", panes, summaryHeaderRow)
	}
}

func TestWriteXLSXSheets(t *testing.T) {
	std := testStandard(t)
	dir := t.TempDir()
	src := filepath.Join(dir, "船舶.csv")
	writeCSV(t, src, smallCSV)
	r := smallReport(src)
	second := *r.Files[0]
	unknown := &validate.File{Path: filepath.Join(dir, "说明.csv"), Findings: []validate.Finding{
		{Rule: "FILE-DATASET", Category: "structure", Severity: "error", Message: "无法确定数据集"}}}
	r.Files = append(r.Files, &second, unknown)
	out := filepath.Join(dir, "校验结果.xlsx")
	if err := WriteXLSX(out, r, std, XLSXOptions{}); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenFile(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if diff := cmp.Diff([]string{summarySheet, vesselSheet, vesselSheet + "（2）"}, f.GetSheetList()); diff != "" {
		t.Errorf("sheets (-want +got):\n%s", diff)
	}
	rows, err := f.GetRows(summarySheet)
	if err != nil {
		t.Fatal(err)
	}
	var sheets []string
	for _, row := range rows {
		if len(row) > summarySideCol+3 && row[summarySideCol-1] != "文件" {
			sheets = append(sheets, row[summarySideCol+3])
		}
	}
	if diff := cmp.Diff([]string{vesselSheet, vesselSheet + "（2）", "（未复制：数据集无法识别）"}, sheets); diff != "" {
		t.Errorf("files table, column 工作表 (-want +got):\n%s", diff)
	}
}

func TestWriteXLSXErrors(t *testing.T) {
	std := testStandard(t)
	dir := t.TempDir()
	src := filepath.Join(dir, "船舶.csv")
	writeCSV(t, src, smallCSV)
	tests := []struct {
		name string
		out  string
		r    *validate.Report
		want string
	}{
		{"over its source", src, smallReport(src), "不能覆盖被校验的文件"},
		{"source gone", filepath.Join(dir, "a.xlsx"), smallReport(filepath.Join(dir, "没有.csv")), "没有.csv"},
		{"no such folder", filepath.Join(dir, "没有", "a.xlsx"), smallReport(src), "没有"},
	}
	for _, tt := range tests {
		err := WriteXLSX(tt.out, tt.r, std, XLSXOptions{})
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: WriteXLSX = %v, want an error with %q", tt.name, err, tt.want)
		}
	}
	if got, err := os.ReadFile(src); err != nil || !strings.HasPrefix(string(got), "营运证编号") {
		t.Errorf("the source changed: %v", err)
	}
	if left, _ := filepath.Glob(filepath.Join(dir, ".*.part")); len(left) > 0 {
		t.Errorf("temporary files left: %v", left)
	}
}

// TestWriteXLSXOnlyFindings: the hub's errors workbook keeps the header and
// the rows with findings at their own row numbers, and nothing else.
func TestWriteXLSXOnlyFindings(t *testing.T) {
	std := testStandard(t)
	dir := t.TempDir()
	src := filepath.Join(dir, "船舶.csv")
	writeCSV(t, src, smallCSV)
	out := filepath.Join(dir, "errors.xlsx")
	if err := WriteXLSX(out, smallReport(src), std, XLSXOptions{OnlyFindings: true}); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenFile(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	got, err := f.GetRows(vesselSheet)
	if err != nil {
		t.Fatal(err)
	}
	for i := range got {
		got[i] = trimTrailingBlanks(got[i])
	}
	var want [][]string
	for i, rec := range smallCSV {
		switch i + 1 {
		case 1, 3, 5, 6:
			want = append(want, trimTrailingBlanks(rec))
		default:
			want = append(want, nil)
		}
	}
	if diff := cmp.Diff(want, got, cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("rows (-want +got):\n%s", diff)
	}
}
