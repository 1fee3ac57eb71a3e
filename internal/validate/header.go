package validate

import (
	"fmt"
	"path/filepath"
	"strings"

	"shuiyun/internal/standard"
	"shuiyun/internal/table"
)

// envelope columns may appear in any dataset's files (standard.md §2 "Record envelope").
var envelope = map[string]bool{"op_type": true, "submitter_code": true, "data_date": true, "source_system": true, "updated_at": true}

// detect finds the dataset of a table: forced by --dataset, else by sheet name,
// file name, then header (see doc.go).
func detect(std *standard.Standard, t *table.Table, sheets int) *standard.Dataset {
	if t.Sheet != "" {
		if ds := std.Dataset(strings.TrimSpace(t.Sheet)); ds != nil {
			return ds
		}
	}
	if t.Sheet == "" || sheets == 1 {
		if ds := byFileName(std, t.Path); ds != nil {
			return ds
		}
	}
	return byHeader(std, t.Header)
}

func byFileName(std *standard.Standard, path string) *standard.Dataset {
	stem := strings.TrimSuffix(filepath.Base(path), filepath.Ext(path))
	if ds := std.Dataset(stem); ds != nil {
		return ds
	}
	for _, part := range strings.FieldsFunc(stem, func(r rune) bool { return r == '_' || r == '-' || r == '.' || r == ' ' }) {
		if ds := std.Dataset(part); ds != nil {
			return ds
		}
	}
	// "320000_vessel_operating_certificate_20261125": names contain "_" themselves.
	for _, ds := range std.Datasets {
		if strings.Contains(stem, ds.Name) || strings.Contains(standard.NormalizeLabel(stem), standard.NormalizeLabel(ds.Label)) {
			return ds
		}
	}
	return nil
}

// byHeader picks the dataset whose fields match the most header cells, if at least half of them.
func byHeader(std *standard.Standard, header []string) *standard.Dataset {
	var best *standard.Dataset
	bestN := 0
	for _, ds := range std.Datasets {
		n := 0
		for _, h := range header {
			if ds.FieldIndex(trim(h)) >= 0 {
				n++
			}
		}
		if n > bestN {
			best, bestN = ds, n
		}
	}
	if bestN == 0 || bestN*2 < nonBlank(header) {
		return nil
	}
	return best
}

func nonBlank(cells []string) int {
	n := 0
	for _, c := range cells {
		if trim(c) != "" {
			n++
		}
	}
	return n
}

// bindHeader maps the table's columns to the plan's fields and reports
// unknown, duplicate and missing columns.
func (t *tableRun) bindHeader() {
	ds := t.plan.ds
	t.colField = make([]int, len(t.tbl.Header))
	t.fieldCol = make([]int, len(ds.Fields))
	for i := range t.fieldCol {
		t.fieldCol[i] = -1
	}
	t.opCol = -1
	for col, h := range t.tbl.Header {
		t.colField[col] = -1
		h = trim(h)
		if h == "" {
			continue
		}
		if envelope[h] {
			if h == "op_type" {
				t.opCol = col
			}
			continue
		}
		i := ds.FieldIndex(h)
		switch {
		case i < 0:
			t.fileFinding(h, "FILE-HEADER-UNKNOWN", "", fmt.Sprintf("第 %d 列“%s”不是数据集 %s 的字段，将被忽略", col+1, h, ds.Label))
		case t.fieldCol[i] >= 0:
			t.fileFinding(ds.Fields[i].Name, "FILE-HEADER-DUPLICATE", "", fmt.Sprintf("第 %d 列“%s”与第 %d 列同为字段“%s”", col+1, h, t.fieldCol[i]+1, ds.Fields[i].Label))
		default:
			t.colField[col], t.fieldCol[i] = i, col
		}
	}
	t.missing = make([]bool, len(ds.Fields))
	for i, f := range ds.Fields {
		if t.fieldCol[i] < 0 && f.Required == standard.Mandatory {
			t.missing[i] = true
			if t.fileFinding(f.Name, "FILE-HEADER-MISSING", "", fmt.Sprintf("缺少必填字段“%s”（%s）的列", f.Label, f.Name)) {
				t.rejectAll = true
			}
		}
	}
}

// isFieldIDRow reports whether a row repeats the field ids of the header's
// columns: the second header row of our Excel templates.
func (t *tableRun) isFieldIDRow(cells []string) bool {
	n := 0
	for col, cell := range cells {
		s := trim(cell)
		if s == "" {
			continue
		}
		if col >= len(t.colField) {
			return false
		}
		if i := t.colField[col]; i >= 0 && s == t.plan.ds.Fields[i].Name {
			n++
			continue
		}
		if envelope[s] && trim(t.tbl.Header[col]) == s {
			n++
			continue
		}
		return false
	}
	return n > 0
}

// fileFinding adds a file-level finding (row 0) to the table's report entry and
// reports whether it is an error.
func (t *tableRun) fileFinding(field, rule, part, msg string) bool {
	return addFileFinding(t.c.std, t.file, field, rule, part, msg)
}

func addFileFinding(std *standard.Standard, f *File, field, rule, part, msg string) bool {
	r := std.Rule(rule)
	if !r.On() {
		return false
	}
	sev := r.SeverityOf(part)
	f.Findings = append(f.Findings, Finding{Row: 0, Field: field, Rule: rule, Category: string(r.Category),
		Severity: string(sev), Message: msg})
	return sev == standard.Error
}
