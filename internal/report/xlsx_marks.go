package report

import (
	"cmp"
	"slices"
	"strings"

	"shuiyun/internal/validate"
)

// mark is the annotation of one cell of a data sheet: the worst severity of its
// findings (it picks the fill) and one line per finding (the comment, or the
// row's 校验意见).
type mark struct {
	row, col int // 1-based
	severity string
	lines    []string // for a comment: "[RULE] message"
	opinions []string // for the 校验意见 column: "field [RULE] message"
}

// findingColumn returns the 1-based column of a finding's field among the
// table's column fields, or 0 when the finding is not about one cell (field
// "", or a field without a column).
func findingColumn(fields []string, x validate.Finding) int {
	if x.Field == "" {
		return 0
	}
	return indexOf(fields, x.Field) + 1
}

// columnFields returns the field of each column of a table: the report's
// File.Header, or, when the report has none (one read back from JSON, where
// it is not kept), the header cells matched to the dataset's fields by id or
// Chinese label.
func columnFields(f *validate.File, header []string, c *catalog) []string {
	if len(f.Header) > 0 {
		return f.Header
	}
	fields := make([]string, len(header))
	for i, h := range header {
		fields[i] = c.fieldOf(f.Dataset, h)
	}
	return fields
}

// buildMarks turns a file's row findings into cell marks sorted by row and
// column. A row-level finding (no field, or a field the table has no column
// for) marks the row's first cell, and its comment line names the field.
// File-level findings (row 0) are left to the summary sheet.
func buildMarks(f *validate.File, fields []string, c *catalog) []*mark {
	type key struct{ row, col int }
	byCell := map[key]*mark{}
	for _, x := range f.Findings {
		if x.Row <= 0 {
			continue
		}
		col := findingColumn(fields, x)
		label := c.fieldLabel(f.Dataset, x.Field)
		text := findingText(validate.Finding{Rule: x.Rule, Severity: x.Severity, Message: x.Message})
		line := text // the comment sits on the field's cell: no need to name it
		if col == 0 {
			line, col = joinNonBlank("本行", label, text), 1
		}
		k := key{x.Row, col}
		m := byCell[k]
		if m == nil {
			m = &mark{row: x.Row, col: col, severity: x.Severity}
			byCell[k] = m
		}
		if x.Severity == "error" {
			m.severity = "error"
		}
		m.lines = append(m.lines, line)
		m.opinions = append(m.opinions, joinNonBlank(label, text))
	}
	marks := make([]*mark, 0, len(byCell))
	for _, m := range byCell {
		marks = append(marks, m)
	}
	slices.SortFunc(marks, func(a, b *mark) int {
		return cmp.Or(cmp.Compare(a.row, b.row), cmp.Compare(a.col, b.col))
	})
	return marks
}

// joinNonBlank joins the non-empty parts with blanks.
func joinNonBlank(parts ...string) string {
	return strings.Join(slices.DeleteFunc(parts, func(s string) bool { return s == "" }), " ")
}
