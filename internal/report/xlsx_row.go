package report

import (
	"fmt"
	"strings"

	"github.com/xuri/excelize/v2"

	"shuiyun/internal/textwidth"
)

// Comment boxes: wide enough for a Chinese sentence per line.
const (
	commentWidth      = 320 // pixels
	commentLineChars  = 40  // half-width characters per line at that width
	commentLineHeight = 18
)

// row writes row num (the header when base is the header style) with its
// annotations, after the pending marks of earlier rows.
func (s *sheetWriter) row(num int, cells []string, base int) error {
	if err := s.pending(num); err != nil {
		return err
	}
	return s.writeRow(num, cells, base)
}

// pending writes the marks of rows before row num that were not written: rows
// the reader did not yield get an empty row with the marked cells.
func (s *sheetWriter) pending(num int) error {
	for s.next < len(s.marks) && s.marks[s.next].row < num {
		if err := s.writeRow(s.marks[s.next].row, nil, s.w.st.text); err != nil {
			return err
		}
	}
	return nil
}

// writeRow writes one row and consumes its marks.
func (s *sheetWriter) writeRow(num int, cells []string, base int) error {
	if num > excelize.TotalRows {
		return fmt.Errorf("第 %d 行超出了 Excel 的 %d 行上限，请改用 --report 生成 .json 报告", num, excelize.TotalRows)
	}
	end := s.next
	for end < len(s.marks) && s.marks[end].row == num {
		end++
	}
	marks := s.marks[s.next:end]
	s.next = end
	ref, err := excelize.CoordinatesToCellName(1, num)
	if err != nil {
		return err
	}
	if err := s.sw.SetRow(ref, s.rowValues(cells, base, marks)); err != nil {
		return err
	}
	if !s.comments {
		return nil
	}
	for _, m := range marks {
		if err := s.comment(m); err != nil {
			return err
		}
	}
	return nil
}

// rowValues lays out a row: the cells as text, marked cells filled, and in
// column mode the row's explanations after the header's last column (or after
// the row's last cell, so no cell of a too-wide row is overwritten).
func (s *sheetWriter) rowValues(cells []string, base int, marks []*mark) []any {
	width, opinion := len(cells), 0
	if len(marks) > 0 {
		width = max(width, marks[len(marks)-1].col)
		if !s.comments {
			opinion = max(s.opinionCol(), len(cells)+1)
			width = max(width, opinion)
		}
	}
	values := s.values[:0]
	for c, mi := 1, 0; c <= width; c++ {
		v, style, marked := cellAt(cells, c), base, false
		if mi < len(marks) && marks[mi].col == c {
			style, marked = s.w.st.forSeverity(marks[mi].severity), true
			mi++
		}
		switch {
		case c == opinion:
			values = append(values, excelize.Cell{StyleID: s.w.st.opinion, Value: opinionText(marks)})
		case v == "" && !marked:
			values = append(values, nil)
		default:
			values = append(values, excelize.Cell{StyleID: style, Value: v})
		}
	}
	s.values = values
	return values
}

// opinionText is a row's explanations for the 校验意见 column.
func opinionText(marks []*mark) string {
	var parts []string
	for _, m := range marks {
		parts = append(parts, m.opinions...)
	}
	return strings.Join(parts, "；")
}

func (s *sheetWriter) comment(m *mark) error {
	ref, err := excelize.CoordinatesToCellName(m.col, m.row)
	if err != nil {
		return err
	}
	lines := 0
	for _, l := range m.lines {
		lines += (textwidth.Width(l) + commentLineChars - 1) / commentLineChars
	}
	height := min(max(lines*commentLineHeight+12, 50), 400)
	return s.w.f.AddComment(s.name, excelize.Comment{Cell: ref, Author: "shuiyun",
		Text: strings.Join(m.lines, "\n"), Width: commentWidth, Height: uint(height)})
}
