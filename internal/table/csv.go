package table

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
)

// csvTable knows where the data rows of a CSV file begin, so that Partitions
// can read them from there with fresh handles.
type csvTable struct {
	src       source
	size      int64  // file size
	enc       string // UTF8 or GB18030
	dataStart int64  // offset of the first byte after the header record
	dataLine  int    // line number of the line that starts at dataStart
}

func openCSV(path string) (*File, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	return openCSVSource(path, fileSource(path), fi.Size())
}

// openCSVSource detects the encoding, reads the header (the first record that
// is not a blank line) and remembers where the data rows start.
func openCSVSource(path string, src source, size int64) (*File, error) {
	h, err := src.open()
	if err != nil {
		return nil, err
	}
	defer h.Close()
	if err := refuseUTF16(h, size); err != nil {
		return nil, err
	}
	start, err := bomLength(h, size)
	if err != nil {
		return nil, err
	}
	enc := UTF8
	if start == 0 {
		if enc, err = detectEncoding(h, 0, size); err != nil {
			return nil, err
		}
	}
	ct := &csvTable{src: src, size: size, enc: enc}
	t := &Table{Path: path, Encoding: enc, open: ct.partitions}
	if err := ct.readHeader(h, start, t); err != nil {
		return nil, err
	}
	return &File{Path: path, Format: CSV, Tables: []*Table{t}}, nil
}

func bomLength(r io.ReaderAt, size int64) (int64, error) {
	if size < int64(len(utf8BOM)) {
		return 0, nil
	}
	b := make([]byte, len(utf8BOM))
	if _, err := r.ReadAt(b, 0); err != nil {
		return 0, err
	}
	if bytes.Equal(b, utf8BOM) {
		return int64(len(b)), nil
	}
	return 0, nil
}

// refuseUTF16 rejects a file that starts with a UTF-16 byte order mark, as
// Excel writes "Unicode text": read as GB18030 it would turn into mojibake
// rather than errors, since UTF-16 code units often look like GBK characters.
func refuseUTF16(r io.ReaderAt, size int64) error {
	if size < 2 {
		return nil
	}
	b := make([]byte, 2)
	if _, err := r.ReadAt(b, 0); err != nil {
		return err
	}
	if string(b) == "\xFF\xFE" || string(b) == "\xFE\xFF" {
		return errors.New("文件是 UTF-16 编码（Excel 的“Unicode 文本”），请另存为 UTF-8 或 GBK 编码的 CSV 文件")
	}
	return nil
}

// readHeader reads the first record with the same reader the data rows use, so
// that the header gets the same encoding and syntax checks.
func (ct *csvTable) readHeader(h readAtCloser, start int64, t *Table) error {
	rows := newCSVRows(ct, h, start, ct.size, 1)
	if !rows.Next() {
		ct.dataStart, ct.dataLine = ct.size, rows.nextLine
		return rows.Err()
	}
	row := rows.Row()
	if row.Problem != nil {
		return fmt.Errorf("表头（第 %d 行）无法读取：%s", row.Num, row.Problem.Message)
	}
	t.HeaderRow = row.Num
	t.Header = make([]string, len(row.Cells))
	for i, c := range row.Cells {
		t.Header[i] = strings.Clone(strings.TrimSpace(strings.TrimPrefix(c, "\uFEFF"))) // not its line's block
	}
	ct.dataStart, ct.dataLine = rows.prevEnd, rows.nextLine
	t.Size = ct.size - ct.dataStart
	return nil
}

// partitions opens up to n readers over the data rows, split at safe line
// starts (see findSplits).
func (ct *csvTable) partitions(n int) ([]Rows, error) {
	if ct.dataStart >= ct.size {
		return []Rows{emptyRows{}}, nil
	}
	starts := []split{{ct.dataStart, ct.dataLine}}
	if n > 1 {
		more, err := ct.findSplits(n)
		if err != nil {
			return nil, err
		}
		starts = append(starts, more...)
	}
	parts := make([]Rows, 0, len(starts))
	for i, s := range starts {
		end := ct.size
		if i+1 < len(starts) {
			end = starts[i+1].off
		}
		h, err := ct.src.open()
		if err != nil {
			closeAll(parts)
			return nil, err
		}
		parts = append(parts, newCSVRows(ct, h, s.off, end, s.line))
	}
	return parts, nil
}

func closeAll(rs []Rows) {
	for _, r := range rs {
		r.Close()
	}
}
