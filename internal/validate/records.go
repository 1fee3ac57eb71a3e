package validate

import (
	"context"
	"fmt"
	"strings"

	"shuiyun/internal/standard"
)

// Record is one data row in stored form: what the hub writes once the engine
// has accepted the row.
type Record struct {
	Row int  // the row number the report uses
	Op  byte // 'I', 'U' or 'D'
	// Key is the business key ("" when a key field is null or bad); the fields
	// of a composite key are joined by standard.KeySep.
	Key string
	// Values are the normalised values in the dataset's field order, "" for
	// null: codes for code names, YYYY-MM-DD dates, 1/0 booleans. A D row
	// carries its key fields only.
	Values []string
}

// RecordTable says which table of the file the records of a call come from.
type RecordTable struct {
	Dataset *standard.Dataset
	Sheet   string // XLSX sheet name; "" otherwise
}

// Records reads a file as Run does (the same dataset detection, header binding
// and normalisation) and calls fn for each data row of each table bound to a
// dataset, in order. It checks nothing: callers pair it with the report of
// Run on the same file to keep only the rows File.Rejected lets through.
func Records(ctx context.Context, std *standard.Standard, path, dataset string, fn func(RecordTable, *Record) error) error {
	c, forced, err := newChecker(std, Options{Dataset: dataset, Workers: 1})
	if err != nil {
		return err
	}
	b := &batch{idx: newIndexes(), have: map[string]bool{}, unique: map[string][]firsts{}}
	runs, files, err := c.open(b, []string{path}, forced, false)
	defer closeAll(files)
	if err != nil {
		return err
	}
	for _, t := range runs {
		if t.skip || t.tbl.HeaderRow == 0 || t.plan == nil {
			continue
		}
		if err := t.records(ctx, fn); err != nil {
			return fmt.Errorf("读取 %s: %w", t.name(), err)
		}
	}
	return nil
}

func (t *tableRun) records(ctx context.Context, fn func(RecordTable, *Record) error) error {
	parts, err := t.tbl.Partitions(1)
	if err != nil {
		return err
	}
	rows := parts[0]
	defer rows.Close()
	w := t.newWorker(true)
	w.c.maxFindings = 1 // op_type findings are the engine's business, not ours
	info := RecordTable{Dataset: t.plan.ds, Sheet: t.tbl.Sheet}
	rec := &Record{Values: make([]string, len(t.plan.fields))}
	for n := 0; rows.Next(); n++ {
		if n&4095 == 4095 && ctx.Err() != nil {
			return ctx.Err()
		}
		r := rows.Row()
		if r.Problem != nil || blankRow(r.Cells) {
			continue
		}
		if w.first {
			w.first = false
			if t.isFieldIDRow(r.Cells) {
				continue
			}
		}
		w.row = r
		w.op = w.opType(r.Cells)
		t.normalizeRow(w, r.Cells, rec)
		if err := fn(info, rec); err != nil {
			return err
		}
	}
	return rows.Err()
}

// normalizeRow fills rec from the row's cells with the values' normal forms.
func (t *tableRun) normalizeRow(w *worker, cells []string, rec *Record) {
	rec.Row, rec.Op = w.row.Num, w.op
	for i, fp := range t.plan.fields {
		rec.Values[i] = ""
		if w.op == 'D' && !t.isKey[i] {
			w.vals[i] = value{}
			continue
		}
		cell := ""
		if col := t.fieldCol[i]; col >= 0 && col < len(cells) {
			cell = cells[col]
		}
		w.c.normalize(fp, cell, &w.vals[i])
		if w.vals[i].state != null {
			rec.Values[i] = strings.Clone(w.vals[i].s)
		}
	}
	rec.Key = strings.Clone(t.keyOf(w.vals))
}
