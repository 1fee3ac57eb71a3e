// Package table reads the files agencies send — CSV (UTF-8 or GB18030), XLSX and
// JSONL — as tables of text cells with the row numbers a person sees in a
// spreadsheet. It knows nothing of the data standard: mapping headers to fields
// and checking values is package validate's job.
package table

import "errors"

// Format is the kind of an input file, from its extension.
type Format string

const (
	CSV   Format = "csv"
	XLSX  Format = "xlsx"
	JSONL Format = "jsonl"
)

// Encoding names reported for CSV files (contracts.md §3 "encoding").
const (
	UTF8    = "UTF-8"
	GB18030 = "GB18030"
)

// ErrXLS is returned for legacy .xls files, which are not read: the message asks for .xlsx.
var ErrXLS = errors.New("旧版 Excel 97-2003 (.xls) 文件无法读取，请在 Excel 或 WPS 中“另存为” .xlsx 后再提交")

// File is one opened input file holding one or more tables.
type File struct {
	Path   string
	Format Format
	Tables []*Table // CSV and JSONL: one; XLSX: one per sheet, in workbook order
	close  func() error
}

// Close releases the file.
func (f *File) Close() error {
	if f.close == nil {
		return nil
	}
	return f.close()
}

// Table is one table of an input file: a CSV or JSONL file, or one XLSX sheet.
type Table struct {
	Path      string
	Sheet     string   // XLSX sheet name; "" otherwise
	Encoding  string   // CSV: UTF8 or GB18030; "" for XLSX and JSONL
	Header    []string // the header cells, trimmed; JSONL: the keys in order of first appearance
	HeaderRow int      // the row number of the header (1 unless blank rows come first); 0 if the table is empty
	Size      int64    // bytes of input behind the data rows, for progress; 0 if unknown

	open func(n int) ([]Rows, error)
}

// Partitions returns at most n readers that together yield every data row of the
// table exactly once; the rows of partition i all come before those of partition
// i+1. A CSV file is split into byte ranges at safe line starts so that the
// partitions can be read in parallel; other formats give one partition.
func (t *Table) Partitions(n int) ([]Rows, error) { return t.open(n) }

// Rows iterates over data rows.
type Rows interface {
	Next() bool
	// Row returns the current row; it and its Cells are valid until the next call to Next.
	Row() *Row
	Err() error
	Close() error
	// Done returns how many bytes of Table.Size this reader has consumed (for progress).
	Done() int64
}

// Row is one data row.
type Row struct {
	Num    int      // the row number a person sees: header is row 1 (JSONL: line number + 1)
	Cells  []string // decoded, untrimmed cell text; fewer cells than the header means the rest are empty
	Offset int64    // byte offset of the row's first byte in the file; -1 when not meaningful (XLSX)
	// Problem is set when the row could not be read as text (bytes valid in neither
	// UTF-8 nor GB18030); Cells is then nil, so no mojibake goes further.
	Problem *Problem
}

// Problem describes a row that could not be read.
type Problem struct {
	Rule    string // FILE-ENCODING
	Offset  int64  // byte offset in the file of the first bad byte
	Message string // Chinese, names the row and byte offset
}

// FromRows makes a table whose rows come from elsewhere than a file (the
// store's records): one partition, opened by open.
func FromRows(name string, header []string, open func() (Rows, error)) *Table {
	return &Table{Path: name, Header: header, HeaderRow: 1, open: func(int) ([]Rows, error) {
		r, err := open()
		if err != nil {
			return nil, err
		}
		return []Rows{r}, nil
	}}
}
