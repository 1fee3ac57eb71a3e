// Package export writes a dataset's stored records as files people and
// scripts read: CSV (a header of field ids, as packages carry) or XLSX.
// Rows stream from the store, so memory stays flat at a million records.
package export

import (
	"bufio"
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/xuri/excelize/v2"

	"shuiyun/internal/standard"
	"shuiyun/internal/store"
)

// Options choose what to write.
type Options struct {
	AsOf time.Time // the state at this instant; zero = now
	BOM  bool      // CSV: start with a UTF-8 byte-order mark (Excel then reads it as UTF-8)
	// Safe neutralises formula injection for files people open in Excel: a
	// CSV cell starting with = + - @ (or a tab or CR) that is not a plain
	// number gets a leading apostrophe. XLSX cells are always text, never formulas.
	Safe bool
	// Where, if set, limits the records (the caller's scope); it may rewrite values in place (masking).
	Where func(v *store.Version) bool
}

// Writer takes rows one at a time; Close finishes the file.
type Writer interface {
	Write(vals []string) error
	Close() error
}

// CSV writes the records of ds to w and returns how many it wrote.
func CSV(ctx context.Context, w io.Writer, st *store.Store, ds *standard.Dataset, opt Options) (int, error) {
	out := NewCSV(w, ds, opt)
	return dump(ctx, out, st, ds, opt)
}

// XLSX writes the records of ds as one sheet named by the dataset id (so the
// workbook validates and imports as it is), every cell text.
func XLSX(ctx context.Context, w io.Writer, st *store.Store, ds *standard.Dataset, opt Options) (int, error) {
	out, err := NewXLSX(w, ds)
	if err != nil {
		return 0, err
	}
	return dump(ctx, out, st, ds, opt)
}

func dump(ctx context.Context, out Writer, st *store.Store, ds *standard.Dataset, opt Options) (int, error) {
	n := 0
	var err error
	if opt.Where == nil {
		err = st.Values(ctx, ds.Name, opt.AsOf, func(vals []string) error { n++; return out.Write(vals) })
	} else {
		err = st.Records(ctx, ds.Name, opt.AsOf, func(v *store.Version) error {
			if !opt.Where(v) {
				return nil
			}
			n++
			return out.Write(v.Values)
		})
	}
	if err != nil {
		return n, fmt.Errorf("export %s: %w", ds.Name, err)
	}
	return n, out.Close()
}

type csvWriter struct {
	bw   *bufio.Writer
	cw   *csv.Writer
	safe bool
	row  []string
	err  error
}

// NewCSV starts a CSV file of ds's records on w, writing its header.
func NewCSV(w io.Writer, ds *standard.Dataset, opt Options) Writer {
	bw := bufio.NewWriterSize(w, 256<<10)
	if opt.BOM {
		bw.WriteString("\ufeff")
	}
	c := &csvWriter{bw: bw, cw: csv.NewWriter(bw), safe: opt.Safe}
	c.err = c.cw.Write(ds.FieldNames())
	return c
}

func (c *csvWriter) Write(vals []string) error {
	if c.err != nil {
		return c.err
	}
	if c.safe {
		c.row = append(c.row[:0], vals...)
		for i, v := range c.row {
			c.row[i] = Neutralise(v)
		}
		vals = c.row
	}
	return c.cw.Write(vals)
}

func (c *csvWriter) Close() error {
	if c.err != nil {
		return c.err
	}
	c.cw.Flush()
	if err := c.cw.Error(); err != nil {
		return err
	}
	return c.bw.Flush()
}

// Neutralise makes a cell that a spreadsheet would run as a formula read as
// text, by a leading apostrophe; plain numbers (-3.5) are left alone.
func Neutralise(v string) string {
	if v == "" {
		return v
	}
	switch v[0] {
	case '=', '+', '-', '@', '\t', '\r':
		if _, err := strconv.ParseFloat(v, 64); err == nil && v[0] != '\t' && v[0] != '\r' {
			return v
		}
		return "'" + v
	}
	return v
}

type xlsxWriter struct {
	f    *excelize.File
	sw   *excelize.StreamWriter
	w    io.Writer
	text int
	row  []any
	n    int
}

// NewXLSX starts a workbook of ds's records, every cell text ("@": identifiers
// stay text, never 9.13501E+17), written to w on Close.
func NewXLSX(w io.Writer, ds *standard.Dataset) (Writer, error) {
	f := excelize.NewFile()
	x := &xlsxWriter{f: f, w: w, row: make([]any, len(ds.Fields)), n: 1}
	if err := f.SetSheetName("Sheet1", ds.Name); err != nil {
		f.Close()
		return nil, err
	}
	var err error
	if x.sw, err = f.NewStreamWriter(ds.Name); err == nil {
		x.text, err = f.NewStyle(&excelize.Style{NumFmt: 49})
	}
	if err == nil {
		err = x.sw.SetColStyle(1, len(ds.Fields), x.text)
	}
	if err == nil {
		for i, id := range ds.FieldNames() {
			x.row[i] = id
		}
		err = x.sw.SetRow("A1", x.row)
	}
	if err != nil {
		f.Close()
		return nil, err
	}
	return x, nil
}

func (x *xlsxWriter) Write(vals []string) error {
	x.n++
	for i, s := range vals {
		x.row[i] = excelize.Cell{StyleID: x.text, Value: s}
	}
	cell, _ := excelize.CoordinatesToCellName(1, x.n)
	return x.sw.SetRow(cell, x.row)
}

func (x *xlsxWriter) Close() error {
	defer x.f.Close()
	if err := x.sw.Flush(); err != nil {
		return err
	}
	return x.f.Write(x.w)
}
