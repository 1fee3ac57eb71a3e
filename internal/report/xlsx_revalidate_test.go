package report

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
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
