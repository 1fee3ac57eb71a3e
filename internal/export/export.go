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
	"time"

	"github.com/xuri/excelize/v2"

	"shuiyun/internal/standard"
	"shuiyun/internal/store"
)

// Options choose what to write.
type Options struct {
	AsOf time.Time // the state at this instant; zero = now
	BOM  bool      // CSV: start with a UTF-8 byte-order mark (Excel then reads it as UTF-8)
	// Where, if set, limits the records (the caller's scope); it may rewrite values in place (masking).
	Where func(v *store.Version) bool
}

// CSV writes the records of ds to w and returns how many it wrote.
func CSV(ctx context.Context, w io.Writer, st *store.Store, ds *standard.Dataset, opt Options) (int, error) {
	bw := bufio.NewWriterSize(w, 256<<10)
	if opt.BOM {
		bw.WriteString("\ufeff")
	}
	cw := csv.NewWriter(bw)
	if err := cw.Write(ds.FieldNames()); err != nil {
		return 0, err
	}
	n := 0
	var err error
	if opt.Where == nil {
		err = st.Values(ctx, ds.Name, opt.AsOf, func(vals []string) error { n++; return cw.Write(vals) })
	} else {
		err = st.Records(ctx, ds.Name, opt.AsOf, func(v *store.Version) error {
			if !opt.Where(v) {
				return nil
			}
			n++
			return cw.Write(v.Values)
		})
	}
	if err != nil {
		return n, fmt.Errorf("export %s: %w", ds.Name, err)
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return n, err
	}
	return n, bw.Flush()
}

// XLSX writes the records of ds as one sheet named by the dataset id (so the
// workbook validates and imports as it is), every cell text.
func XLSX(ctx context.Context, w io.Writer, st *store.Store, ds *standard.Dataset, opt Options) (int, error) {
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", ds.Name); err != nil {
		return 0, err
	}
	sw, err := f.NewStreamWriter(ds.Name)
	if err != nil {
		return 0, err
	}
	text, err := f.NewStyle(&excelize.Style{NumFmt: 49}) // "@": identifiers stay text, never 9.13501E+17
	if err != nil {
		return 0, err
	}
	if err := sw.SetColStyle(1, len(ds.Fields), text); err != nil {
		return 0, err
	}
	row := make([]any, len(ds.Fields))
	for i, id := range ds.FieldNames() {
		row[i] = id
	}
	if err := sw.SetRow("A1", row); err != nil {
		return 0, err
	}
	n := 0
	err = st.Records(ctx, ds.Name, opt.AsOf, func(v *store.Version) error {
		if opt.Where != nil && !opt.Where(v) {
			return nil
		}
		n++
		for i, s := range v.Values {
			row[i] = excelize.Cell{StyleID: text, Value: s}
		}
		cell, _ := excelize.CoordinatesToCellName(1, n+1)
		return sw.SetRow(cell, row)
	})
	if err != nil {
		return n, fmt.Errorf("export %s: %w", ds.Name, err)
	}
	if err := sw.Flush(); err != nil {
		return n, err
	}
	return n, f.Write(w)
}
