package gen

import (
	"bufio"
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/transform"
)

// sink receives the tables: one begin/rows/end per dataset, then close.
type sink interface {
	begin(l *layout) error
	row(r *record) error
	end() error
	close() error
}

// csvSink writes one <dataset>.csv per table.
type csvSink struct {
	dir, encoding string
	files         []string
	f             *os.File
	bw            *bufio.Writer
	w             *csv.Writer
	closer        io.Closer
	buf           []string
}

func (s *csvSink) begin(l *layout) error {
	path := filepath.Join(s.dir, l.ds.Name+".csv")
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("create %s: %w", path, err)
	}
	s.f, s.files = f, append(s.files, path)
	s.bw = bufio.NewWriterSize(f, 1<<16)
	var out io.Writer = s.bw
	s.closer = nil
	if s.encoding == "GB18030" {
		tw := transform.NewWriter(s.bw, simplifiedchinese.GB18030.NewEncoder())
		out, s.closer = tw, tw
	} else if _, err := s.bw.WriteString("\uFEFF"); err != nil {
		return err
	}
	s.w = csv.NewWriter(out)
	s.w.UseCRLF = true
	return s.w.Write(l.header)
}

func (s *csvSink) row(r *record) error {
	s.buf = r.texts(s.buf)
	return s.w.Write(s.buf)
}

func (s *csvSink) end() error {
	s.w.Flush()
	err := s.w.Error()
	if s.closer != nil && err == nil {
		err = s.closer.Close()
	}
	if err == nil {
		err = s.bw.Flush()
	}
	if cerr := s.f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("write %s: %w", s.f.Name(), err)
	}
	return nil
}

func (s *csvSink) close() error { return nil }

// xlsxSink writes one workbook with a sheet per dataset, streamed: numbers as numeric
// cells, dates as date cells, everything else as text cells (format @) so that Excel
// does not turn identifiers into numbers when a clerk edits them.
type xlsxSink struct {
	path            string
	f               *excelize.File
	sw              *excelize.StreamWriter
	sheets          int
	text, date, num int
	rowNum          int
	vals            []any
}

func newXLSXSink(dir string) (*xlsxSink, error) {
	s := &xlsxSink{path: filepath.Join(dir, "data.xlsx"), f: excelize.NewFile()}
	var err error
	if s.text, err = s.f.NewStyle(&excelize.Style{NumFmt: 49}); err != nil {
		return nil, err
	}
	dateFmt := "yyyy-mm-dd"
	if s.date, err = s.f.NewStyle(&excelize.Style{CustomNumFmt: &dateFmt}); err != nil {
		return nil, err
	}
	return s, nil
}

func (s *xlsxSink) begin(l *layout) error {
	name := l.name
	if s.sheets == 0 {
		if err := s.f.SetSheetName("Sheet1", name); err != nil {
			return fmt.Errorf("name sheet %s: %w", name, err)
		}
	} else if _, err := s.f.NewSheet(name); err != nil {
		return fmt.Errorf("add sheet %s: %w", name, err)
	}
	s.sheets++
	sw, err := s.f.NewStreamWriter(name)
	if err != nil {
		return fmt.Errorf("stream sheet %s: %w", name, err)
	}
	s.sw, s.rowNum = sw, 1
	head := make([]any, len(l.header))
	for i, h := range l.header {
		head[i] = excelize.Cell{StyleID: s.text, Value: h}
	}
	return s.next(head)
}

func (s *xlsxSink) next(vals []any) error {
	cellName, err := excelize.CoordinatesToCellName(1, s.rowNum)
	if err != nil {
		return err
	}
	s.rowNum++
	return s.sw.SetRow(cellName, vals)
}

func (s *xlsxSink) row(r *record) error {
	s.vals = s.vals[:0]
	for i := range r.c {
		c := &r.c[i]
		switch {
		case c.k == kNum:
			if c.scale == 0 {
				s.vals = append(s.vals, excelize.Cell{Value: c.n})
			} else {
				s.vals = append(s.vals, excelize.Cell{Value: float64(c.n) / pow10[c.scale]})
			}
		case c.k == kDate:
			s.vals = append(s.vals, excelize.Cell{StyleID: s.date, Value: c.d.time()})
		case c.s == "":
			s.vals = append(s.vals, nil)
		default:
			s.vals = append(s.vals, excelize.Cell{StyleID: s.text, Value: c.s})
		}
	}
	return s.next(s.vals)
}

var pow10 = []float64{1, 10, 100, 1000, 1e4, 1e5, 1e6}

func (s *xlsxSink) end() error {
	if err := s.sw.Flush(); err != nil {
		return fmt.Errorf("write sheet: %w", err)
	}
	return nil
}

func (s *xlsxSink) close() error {
	if err := s.f.SaveAs(s.path); err != nil {
		return fmt.Errorf("save %s: %w", s.path, err)
	}
	return s.f.Close()
}
