package report

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"shuiyun/internal/validate"
)

// largeTable writes a CSV of n data rows (ship ids, Chinese names) and a
// report with a finding on the ship id of every bad-th row.
func largeTable(tb testing.TB, dir string, n, bad int) (string, *validate.Report) {
	tb.Helper()
	path := filepath.Join(dir, "营运船舶.csv")
	var b strings.Builder
	b.WriteString("证书编号,船舶识别号,船舶中文名称,经营人名称,证书状态\n")
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&b, "ZJ-%07d,CN2014%07d,浙杭州货%d,杭州第%d运输有限公司,1\n", i, i, i, i%97)
	}
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		tb.Fatal(err)
	}
	f := &validate.File{Path: path, Dataset: "vessel_operating_certificate", Encoding: "UTF-8", Rows: n, HeaderRow: 1,
		Header: []string{"cert_no", "ship_id", "ship_name_cn", "operator_name", "status"}}
	for i := bad; i <= n; i += bad {
		f.Findings = append(f.Findings, validate.Finding{Row: i + 1, Field: "ship_id", Rule: "ID-CNSHIP",
			Category: "normativity", Severity: "error", Value: fmt.Sprintf("CN2014%07d", i), Message: "校验位错误"})
	}
	f.ErrorRows = len(f.Findings)
	return path, &validate.Report{Standard: "1.0", AsOf: "2026-11-26", Files: []*validate.File{f},
		Summary: validate.Summary{Files: 1, Rows: n, ErrorRows: f.ErrorRows, Errors: f.ErrorRows,
			ByRule: map[string]int{"ID-CNSHIP": f.ErrorRows}}}
}

// TestWriteXLSXLarge writes a table above MaxCommentRows: the explanations go
// into the 校验意见 column and there are no comments.
func TestWriteXLSXLarge(t *testing.T) {
	const n, bad = 60_000, 1000
	dir := t.TempDir()
	_, r := largeTable(t, dir, n, bad)
	out := filepath.Join(dir, "校验结果.xlsx")
	std := testStandard(t)
	if err := WriteXLSX(out, r, std, XLSXOptions{}); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenFile(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	opinion := std.Dataset("vessel_operating_certificate").Field("ship_id").Label + " [ID-CNSHIP] 校验位错误"
	cells := map[string]string{
		"A1": "证书编号", "F1": opinionHeader,
		"A2": "ZJ-0000001", "B2": "CN20140000001", "C2": "浙杭州货1", "F2": "",
		"B1001": "CN20140001000", "F1001": opinion,
		"D30001": "杭州第27运输有限公司", "F30001": opinion,
		"E60001": "1", "B60001": "CN20140060000", "F60001": opinion,
		"A60002": "",
	}
	for ref, want := range cells {
		if got, _ := f.GetCellValue(vesselSheet, ref); got != want {
			t.Errorf("%s = %q, want %q", ref, got, want)
		}
	}
	fills := map[string]string{"B1001": errorFill, "B60001": errorFill, "B1002": "", "A1001": "", "B2": ""}
	for ref, want := range fills {
		if got := fillOf(t, f, vesselSheet, ref); got != want {
			t.Errorf("fill of %s = %q, want %q", ref, got, want)
		}
	}
	if list, _ := f.GetComments(vesselSheet); len(list) != 0 {
		t.Errorf("%d comments, want none in a large table", len(list))
	}
	formula, _ := f.GetCellFormula(summarySheet, fmt.Sprintf("H%d", summaryHeaderRow+n/bad))
	if want := fmt.Sprintf(`HYPERLINK("#'%s'!B60001","B60001")`, vesselSheet); formula != want {
		t.Errorf("last finding's link = %s, want %s", formula, want)
	}
}

func TestSheetNames(t *testing.T) {
	files := func(datasets ...string) []*validate.File {
		var out []*validate.File
		for _, d := range datasets {
			out = append(out, &validate.File{Dataset: d})
		}
		return out
	}
	std := MinimalStandard()
	std.Datasets[1].Label = "港口经营许可证（这是一个为了测试而写得特别特别长的数据集中文名称）"
	tests := []struct {
		name  string
		files []*validate.File
		want  []string
	}{
		{"label", files("vessel_operating_certificate"), []string{vesselSheet}},
		{"label too long: id", files("port_operation_license"), []string{"port_operation_license"}},
		{"unknown dataset: not copied", files(""), []string{""}},
		{"dataset not in the standard: its id", files("some_dataset"), []string{"some_dataset"}},
		{"repeated", files("vessel_operating_certificate", "vessel_operating_certificate", "port_operation_license", "port_operation_license"),
			[]string{vesselSheet, vesselSheet + "（2）", "port_operation_license", "port_operation_license（2）"}},
		{"no room for a suffix", files("a_dataset_id_of_thirty_one_char", "a_dataset_id_of_thirty_one_char"),
			[]string{"a_dataset_id_of_thirty_one_char", "数据（2）"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := sheetNames(tt.files, newCatalog(std))
			if strings.Join(got, "|") != strings.Join(tt.want, "|") {
				t.Errorf("sheetNames = %q, want %q", got, tt.want)
			}
		})
	}
}
