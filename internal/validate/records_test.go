package validate_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"shuiyun/internal/validate"
)

// TestRecordsPairWithReport: Records yields one record per counted row, with the
// row numbers the report uses, so File.Rejected picks exactly the error rows
// even when findings are capped.
func TestRecordsPairWithReport(t *testing.T) {
	std := mustStandard(t)
	files, _ := filepath.Glob("testdata/batch/*.csv")
	capped, err := validate.Run(context.Background(), std, files, validate.Options{AsOf: asOf, MaxFindings: 1})
	if err != nil {
		t.Fatal(err)
	}
	for i, path := range files {
		f := capped.Files[i]
		var n, rejected int
		err := validate.Records(context.Background(), std, path, "", func(tb validate.RecordTable, r *validate.Record) error {
			if tb.Dataset.Name != f.Dataset {
				t.Errorf("%s: dataset %s, report says %s", path, tb.Dataset.Name, f.Dataset)
			}
			if len(r.Values) != len(tb.Dataset.Fields) {
				t.Fatalf("%s row %d: %d values for %d fields", path, r.Row, len(r.Values), len(tb.Dataset.Fields))
			}
			n++
			if f.Rejected(r.Row) {
				rejected++
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if n != f.Rows || rejected != f.ErrorRows {
			t.Errorf("%s: %d records, %d rejected; report has %d rows, %d error rows", path, n, rejected, f.Rows, f.ErrorRows)
		}
	}
}

// TestRecordsNormalise: stored values are the normal forms, whatever the cell
// spelling; a D row carries its key only.
func TestRecordsNormalise(t *testing.T) {
	path := filepath.Join(t.TempDir(), "waterway_transport_license.csv")
	csv := "license_no,operator_uscc,operator_name,area_type,cargo_scope,issue_date,status,op_type\n" +
		"苏xk9 , 91350100M000100Y43,江苏(远东)海运,2,12｜11|11,2023/5/6,存续,\n" +
		"苏XK8,x,y,2,11,2023年5月6日,1,D\n"
	if err := os.WriteFile(path, []byte(csv), 0o644); err != nil {
		t.Fatal(err)
	}
	std := mustStandard(t)
	var got []map[string]string
	err := validate.Records(context.Background(), std, path, "", func(tb validate.RecordTable, r *validate.Record) error {
		m := map[string]string{"#key": r.Key, "#op": string(r.Op)}
		for i, f := range tb.Dataset.Fields {
			if r.Values[i] != "" {
				m[f.Name] = r.Values[i]
			}
		}
		got = append(got, m)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	want := []map[string]string{
		{"#key": "苏xk9", "#op": "U", "license_no": "苏xk9", "operator_uscc": "91350100M000100Y43", "operator_name": "江苏（远东）海运",
			"area_type": "2", "cargo_scope": "12|11", "issue_date": "2023-05-06", "status": "1"},
		{"#key": "苏XK8", "#op": "D", "license_no": "苏XK8"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("records (-want +got):\n%s", diff)
	}
}

// TestWithdrawNeedsItsKeyOnly: a D row names its record by the key (or, when
// every key field is empty, the alternative key) and needs nothing else.
func TestWithdrawNeedsItsKeyOnly(t *testing.T) {
	path := filepath.Join(t.TempDir(), "shipping_operator.csv")
	std := mustStandard(t)
	var header []string
	for _, f := range std.Dataset("shipping_operator").Fields {
		header = append(header, f.Name)
	}
	row := func(field, value string) string {
		cells := make([]string, len(header)+1)
		if field != "" {
			cells[slices.Index(header, field)] = value
		}
		cells[len(header)] = "D"
		return strings.Join(cells, ",") + "\n"
	}
	csv := strings.Join(header, ",") + ",op_type\n" + row("uscc", "913213110346062113") + row("id_no", "320102199001011234") + row("", "")
	if err := os.WriteFile(path, []byte(csv), 0o644); err != nil {
		t.Fatal(err)
	}
	r, err := validate.Run(context.Background(), std, []string{path}, validate.Options{AsOf: asOf})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range r.Files[0].Findings {
		got = append(got, fmt.Sprint(f.Row, f.Field, f.Rule))
	}
	if diff := cmp.Diff([]string{"4id_noREQ"}, got); diff != "" {
		t.Errorf("findings (-want +got):\n%s", diff)
	}
}
