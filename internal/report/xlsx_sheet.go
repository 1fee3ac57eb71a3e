package report

import (
	"fmt"
	"math"

	"github.com/xuri/excelize/v2"

	"shuiyun/internal/table"
	"shuiyun/internal/textwidth"
	"shuiyun/internal/validate"
)

// opinionHeader heads the column that carries the explanations in a table too
// large for comments. Validation reads it as an unknown column (a warning).
const opinionHeader = "校验意见"

// writeDataSheet copies a report file's source table into sheet name with its
// annotations (see WriteXLSX).
func (w *workbook) writeDataSheet(file *validate.File, name string) (*dataSheet, error) {
	src, err := table.Open(file.Path, table.Options{})
	if err != nil {
		return nil, fmt.Errorf("重新读取源文件：%w", err) // table's errors name the file
	}
	defer src.Close()
	t := findTable(src, file.Sheet)
	if t == nil {
		return nil, fmt.Errorf("重新读取 %s：找不到工作表 %q", file.Path, file.Sheet)
	}
	if _, err := w.f.NewSheet(name); err != nil {
		return nil, fmt.Errorf("工作表 %s：%w", name, err)
	}
	sw, err := w.f.NewStreamWriter(name)
	if err != nil {
		return nil, fmt.Errorf("工作表 %s：%w", name, err)
	}
	s := w.newSheetWriter(sw, file, t, name)
	if err := s.copyTable(t); err != nil {
		return nil, fmt.Errorf("工作表 %s（%s）：%w", name, fileTitle(file), err)
	}
	return &dataSheet{name: name, header: t.Header, fields: s.fields, headerRow: t.HeaderRow}, nil
}

// findTable returns the table of a file that a report file describes.
func findTable(src *table.File, sheet string) *table.Table {
	for _, t := range src.Tables {
		if t.Sheet == sheet {
			return t
		}
	}
	if sheet == "" && len(src.Tables) == 1 {
		return src.Tables[0]
	}
	return nil
}

// sheetWriter streams one data sheet.
type sheetWriter struct {
	w        *workbook
	sw       *excelize.StreamWriter
	name     string
	file     *validate.File
	fields   []string // the field of each column
	marks    []*mark  // sorted by row and column; next is the first not written
	next     int
	comments bool // explanations as comments; else in the 校验意见 column
	cols     int  // the header's width
	values   []any
	only     map[int]bool // XLSXOptions.OnlyFindings: the rows to copy
}

func (w *workbook) newSheetWriter(sw *excelize.StreamWriter, file *validate.File, t *table.Table, name string) *sheetWriter {
	fields := columnFields(file, t.Header, w.cat)
	marks := buildMarks(file, fields, w.cat)
	s := &sheetWriter{w: w, sw: sw, name: name, file: file, fields: fields, marks: marks,
		comments: file.Rows <= w.opt.MaxCommentRows && len(marks) <= w.opt.MaxComments,
		cols:     max(len(t.Header), len(fields), 1)}
	if w.opt.OnlyFindings {
		s.only = map[int]bool{}
		for _, f := range file.Findings {
			s.only[f.Row] = true
		}
	}
	return s
}

// opinionCol is the column of 校验意见 (0 in comment mode).
func (s *sheetWriter) opinionCol() int {
	if s.comments {
		return 0
	}
	return s.cols + 1
}

// copyTable writes the header and every data row at their row numbers.
func (s *sheetWriter) copyTable(t *table.Table) error {
	if err := s.layout(t); err != nil {
		return err
	}
	if t.HeaderRow > 0 {
		header := t.Header
		if !s.comments {
			header = make([]string, s.cols+1)
			copy(header, t.Header)
			header[s.cols] = opinionHeader
		}
		if err := s.row(t.HeaderRow, header, s.w.st.header); err != nil {
			return err
		}
	}
	if err := s.copyRows(t); err != nil {
		return err
	}
	if err := s.pending(math.MaxInt); err != nil {
		return err
	}
	// Every cell is text on purpose: no "number stored as text" triangles.
	// (The worksheet settings are written by Flush, so this works while streaming.)
	if err := s.w.f.AddIgnoredErrors(s.name, "A1:XFD1048576", excelize.IgnoredErrorsNumberStoredAsText); err != nil {
		return err
	}
	return s.sw.Flush()
}

func (s *sheetWriter) copyRows(t *table.Table) error {
	parts, err := t.Partitions(1)
	if err != nil {
		return err
	}
	for i, p := range parts {
		if err := s.copyPart(p); err != nil {
			for _, rest := range parts[i+1:] {
				rest.Close()
			}
			return err
		}
	}
	return nil
}

func (s *sheetWriter) copyPart(p table.Rows) (err error) {
	defer func() {
		if cerr := p.Close(); err == nil {
			err = cerr
		}
	}()
	for p.Next() {
		row := p.Row()
		if s.only != nil && !s.only[row.Num] {
			continue
		}
		if err := s.row(row.Num, row.Cells, s.w.st.text); err != nil {
			return err
		}
	}
	return p.Err()
}

// layout sets column widths, text format and the frozen header; the stream
// writer needs them before the first row.
func (s *sheetWriter) layout(t *table.Table) error {
	for c := 1; c <= s.cols; c++ {
		head, field := cellAt(t.Header, c), cellAt(s.fields, c)
		width := min(max(textwidth.Width(head)+2, s.w.cat.fieldLength(s.file.Dataset, field)+2, 8), 40)
		if err := s.sw.SetColWidth(c, c, float64(width)); err != nil {
			return err
		}
	}
	if err := s.sw.SetColStyle(1, s.cols, s.w.st.text); err != nil {
		return err
	}
	if c := s.opinionCol(); c > 0 {
		if err := s.sw.SetColWidth(c, c, 60); err != nil {
			return err
		}
		if err := s.sw.SetColStyle(c, c, s.w.st.opinion); err != nil {
			return err
		}
	}
	if t.HeaderRow == 0 {
		return nil
	}
	return s.sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: t.HeaderRow,
		TopLeftCell: fmt.Sprintf("A%d", t.HeaderRow+1), ActivePane: "bottomLeft"})
}

func cellAt(cells []string, col int) string {
	if col-1 < len(cells) {
		return cells[col-1]
	}
	return ""
}
