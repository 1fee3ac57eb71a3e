package report

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"shuiyun/internal/validate"
)

// benchTable writes a CSV of n data rows of five columns and a report with an
// error on every twentieth cell (5% of the cells).
func benchTable(b *testing.B, dir string, n int) *validate.Report {
	b.Helper()
	path := filepath.Join(dir, "营运船舶.csv")
	var sb strings.Builder
	sb.WriteString("证书编号,船舶识别号,船舶中文名称,船舶经营人,状态\n")
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&sb, "ZJ-%07d,CN2014%07d,浙杭州货%d,杭州第%d运输有限公司,1\n", i, i, i, i%97)
	}
	if err := os.WriteFile(path, []byte(sb.String()), 0o644); err != nil {
		b.Fatal(err)
	}
	header := []string{"cert_no", "ship_id", "ship_name_cn", "operator_name", "status"}
	f := &validate.File{Path: path, Dataset: "vessel_operating_certificate", Encoding: "UTF-8", Rows: n, HeaderRow: 1, Header: header}
	for k := 0; k < n*len(header); k += 20 {
		row, col := k/len(header)+2, k%len(header)
		f.Findings = append(f.Findings, validate.Finding{Row: row, Field: header[col], Rule: "FMT-PATTERN",
			Category: "normativity", Severity: "error", Message: "不符合格式要求"})
	}
	f.ErrorRows = len(f.Findings)
	return &validate.Report{Standard: "1.0", AsOf: "2026-11-26", Files: []*validate.File{f},
		Summary: validate.Summary{Files: 1, Rows: n, ErrorRows: f.ErrorRows, Errors: len(f.Findings),
			ByRule: map[string]int{"FMT-PATTERN": len(f.Findings)}}}
}

// BenchmarkWriteXLSX writes the annotated workbook of a CSV table with 5% bad
// cells: 100,000 rows (校验意见 column) and 20,000 rows (5,000 comments).
func BenchmarkWriteXLSX(b *testing.B) {
	std := testStandard(b)
	for _, n := range []int{100_000, 20_000} {
		b.Run(fmt.Sprintf("rows=%d", n), func(b *testing.B) {
			dir := b.TempDir()
			r := benchTable(b, dir, n)
			out := filepath.Join(dir, "校验结果.xlsx")
			b.ReportAllocs()
			for b.Loop() {
				if err := WriteXLSX(out, r, std, XLSXOptions{}); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
		})
	}
}
