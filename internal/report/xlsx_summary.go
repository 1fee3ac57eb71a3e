package report

import (
	"fmt"
	"strings"

	"github.com/xuri/excelize/v2"

	"shuiyun/internal/validate"
)

// Layout of the summary sheet: the verdict in rows 1–3; from row 5 the list of
// findings in columns A–H with a frozen header, and beside it (from column J)
// the counts by rule, the files and the skipped rules.
const (
	summaryHeaderRow = 5
	summarySideCol   = 10 // J
	excelMaxRows     = 1_048_576
)

var (
	findingsHeader = []string{"文件", "行号", "字段", "规则", "严重程度", "值", "说明", "定位"}
	findingsWidths = []float64{28, 8, 18, 14, 9, 24, 56, 10, 3, 16, 30, 12, 10, 30}
)

func (w *workbook) writeSummary() error {
	sw, err := w.f.NewStreamWriter(summarySheet)
	if err != nil {
		return err
	}
	for i, width := range findingsWidths {
		if err := sw.SetColWidth(i+1, i+1, width); err != nil {
			return err
		}
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: summaryHeaderRow,
		TopLeftCell: fmt.Sprintf("A%d", summaryHeaderRow+1), ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	if err := w.summaryHead(sw); err != nil {
		return err
	}
	if err := w.summaryBody(sw); err != nil {
		return err
	}
	return sw.Flush()
}

// summaryHead writes the verdict, what to do next and the totals.
func (w *workbook) summaryHead(sw *excelize.StreamWriter) error {
	r := w.r
	style := w.st.pass
	next := ""
	if !r.Valid {
		style = w.st.fail
		next = "请改正各工作表中标红的单元格（批注或“校验意见”列写明了原因），然后直接用 shuiyun validate 重新校验本工作簿。"
	} else if r.Summary.Warnings > 0 {
		next = "标黄的单元格是警告，建议核对。"
	}
	rows := [][]any{
		{excelize.Cell{StyleID: style, Value: "数据校验结果：" + verdict(r)}},
		{outcome(r) + next},
		{fmt.Sprintf("标准 %s，校验日期 %s；%s。", r.Standard, r.AsOf, totals(r))},
	}
	for i, row := range rows {
		if err := sw.SetRow(fmt.Sprintf("A%d", i+1), row); err != nil {
			return err
		}
	}
	return nil
}

// summaryBody writes the findings list with the side tables beside it.
func (w *workbook) summaryBody(sw *excelize.StreamWriter) error {
	b := &summaryRows{sw: sw, side: w.sideRows(), next: summaryHeaderRow}
	if err := b.write(w.headerCells(findingsHeader)); err != nil {
		return err
	}
	listed := 0
	for i, f := range w.r.Files {
		for _, x := range f.Findings {
			if b.next == excelMaxRows { // keep the last row for the note
				break
			}
			if err := b.write(w.findingRow(i, x)); err != nil {
				return err
			}
			listed++
		}
	}
	// Findings beyond Excel's rows, or counted by the engine but not kept.
	if rest := max(w.findings(), w.r.Summary.Errors+w.r.Summary.Warnings) - listed; rest > 0 {
		note := fmt.Sprintf("另有 %s 条问题未列出（见右侧按规则的计数）。", groupDigits(rest))
		if err := b.write([]any{note}); err != nil {
			return err
		}
	}
	for b.next-summaryHeaderRow < len(b.side) {
		if err := b.write(nil); err != nil {
			return err
		}
	}
	return nil
}

// findings counts the findings in the report.
func (w *workbook) findings() int {
	n := 0
	for _, f := range w.r.Files {
		n += len(f.Findings)
	}
	return n
}

// summaryRows writes the rows of the summary from the header row on, each
// with its part of the side tables.
type summaryRows struct {
	sw   *excelize.StreamWriter
	side [][]any // side[k] goes beside row summaryHeaderRow+k
	next int     // the next row number
}

func (b *summaryRows) write(left []any) error {
	row := make([]any, summarySideCol-1, summarySideCol+4)
	copy(row, left)
	if k := b.next - summaryHeaderRow; k < len(b.side) {
		row = append(row, b.side[k]...)
	}
	b.next++
	return b.sw.SetRow(fmt.Sprintf("A%d", b.next-1), row)
}

func (w *workbook) headerCells(names []string) []any {
	out := make([]any, len(names))
	for i, s := range names {
		out[i] = excelize.Cell{StyleID: w.st.header, Value: s}
	}
	return out
}

// findingRow is one line of the findings list.
func (w *workbook) findingRow(i int, x validate.Finding) []any {
	f := w.r.Files[i]
	row := any(x.Row)
	if x.Row == 0 {
		row = "文件级"
	}
	return []any{
		shortFileTitle(f), row, w.cat.fieldLabel(f.Dataset, x.Field), x.Rule,
		excelize.Cell{StyleID: w.st.forSeverity(x.Severity), Value: severityName(x.Severity)},
		excelize.Cell{StyleID: w.st.text, Value: x.Value},
		x.Message,
		w.findingLink(i, x),
	}
}

// findingLink links a finding to its cell in the copied table: the marked cell
// of a row finding, the header cell of a file-level one. nil when the file was
// not copied.
func (w *workbook) findingLink(i int, x validate.Finding) any {
	ds := w.sheets[i]
	if ds == nil {
		return nil
	}
	col, row := findingColumn(ds.fields, x), x.Row
	if row == 0 {
		row = max(ds.headerRow, 1)
		if col == 0 { // a header cell named by its text (FILE-HEADER-UNKNOWN)
			col = indexOf(ds.header, x.Field) + 1
		}
	}
	return w.link(ds.name, max(col, 1), row, "")
}

// link is a cell showing display (default: the cell reference) that jumps to
// sheet!col,row. It is a HYPERLINK formula with its value cached, which Excel
// and WPS follow; hyperlink objects would be limited to 65,530 per sheet and
// cost excelize quadratic time.
func (w *workbook) link(sheet string, col, row int, display string) any {
	ref, err := excelize.CoordinatesToCellName(col, row)
	if err != nil {
		return nil
	}
	if display == "" {
		display = ref
	}
	target := "#'" + strings.ReplaceAll(sheet, "'", "''") + "'!" + ref
	return excelize.Cell{StyleID: w.st.link, Value: display,
		Formula: "HYPERLINK(" + excelString(target) + "," + excelString(display) + ")"}
}

// excelString quotes s as a string literal of an Excel formula.
func excelString(s string) string {
	return `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
}

func indexOf(list []string, s string) int {
	for i, x := range list {
		if x == s {
			return i
		}
	}
	return -1
}

// sideRows are the tables beside the findings list: counts by rule, files and
// skipped rules, one []any per row starting at the header row.
func (w *workbook) sideRows() [][]any {
	rows := [][]any{w.headerCells([]string{"规则", "名称", "严重程度", "次数"})}
	for _, c := range ruleCounts(w.r, w.cat) {
		rows = append(rows, []any{c.Rule, c.Title,
			excelize.Cell{StyleID: w.st.forSeverity(c.Severity), Value: c.SeverityName()}, c.Count})
	}
	rows = append(rows, nil, w.headerCells([]string{"文件", "数据集", "数据行", "错误行", "工作表"}))
	for i, f := range w.r.Files {
		sheet := any("（未复制：数据集无法识别）")
		if ds := w.sheets[i]; ds != nil {
			sheet = w.sheetLink(ds)
		}
		rows = append(rows, []any{fileTitle(f), w.cat.datasetLabel(f.Dataset), f.Rows, f.ErrorRows, sheet})
	}
	if len(w.r.Skipped) > 0 {
		rows = append(rows, nil, w.headerCells([]string{"未执行的规则", "名称", "原因"}))
		for _, s := range w.r.Skipped {
			rows = append(rows, []any{s.Rule, w.cat.ruleTitle(s.Rule), s.Reason})
		}
	}
	return rows
}

// sheetLink links to the first cell of a copied table, showing the sheet's name.
func (w *workbook) sheetLink(ds *dataSheet) any {
	return w.link(ds.name, 1, max(ds.headerRow, 1), ds.name)
}
