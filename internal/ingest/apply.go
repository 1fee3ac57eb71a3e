package ingest

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"

	"shuiyun/internal/agency"
	"shuiyun/internal/exchange"
	"shuiyun/internal/report"
	"shuiyun/internal/standard"
	"shuiyun/internal/store"
	"shuiyun/internal/validate"
)

// applier stores a validated package's accepted rows.
type applier struct {
	h    *Hub
	std  *standard.Standard // with the rules in force
	dl   *delivery
	pkg  *exchange.Package
	rep  *validate.Report
	work string
}

// heldError carries a full snapshot's SHRINK-HELD out of the transaction.
type heldError struct{ e *exchange.Error }

func (e *heldError) Error() string { return e.e.Error() }

func (a *applier) apply(ctx context.Context, tx *store.Tx) error {
	m := a.pkg.Manifest
	std := a.std
	unique := std.Rule("UNIQUE").On() && std.Rule("UNIQUE").SeverityOf("") == standard.Error
	guard := std.Settings.ShrinkGuard
	if m.AllowShrink || guard <= 0 {
		guard = 1
	}
	for i, path := range a.pkg.Files {
		f := a.rep.Files[i]
		if f.Dataset == "" {
			continue
		}
		w, err := tx.Dataset(ctx, f.Dataset, store.Batch{Sender: m.Sender, Seq: m.Sequence, DataDate: m.DataDate,
			Full: m.Mode == "full", MaxShrink: guard, UniqueKeys: unique, Rows: f.Rows})
		if err != nil {
			return err
		}
		sub := store.Submission{Dataset: f.Dataset, Rows: f.Rows}
		why := rejections(std.Dataset(f.Dataset), f)
		put := func(r *validate.Record) error {
			if f.Rejected(r.Row) {
				w.Seen(r.Key)
				sub.Rejected = append(sub.Rejected, why.row(r.Row, r.Key))
				return nil
			}
			return w.Put(ctx, r.Row, r.Op, r.Key, r.Values)
		}
		if f.Spooled() { // the rows as validation normalised them
			err = f.Records(ctx, len(std.Dataset(f.Dataset).Fields), put)
		} else {
			err = validate.Records(ctx, a.h.cfg.Standard, path, f.Dataset, func(_ validate.RecordTable, r *validate.Record) error { return put(r) })
		}
		if err != nil {
			return fmt.Errorf("apply %s: %w", filepath.Base(path), err)
		}
		counts, err := w.Close(ctx)
		if errors.Is(err, store.ErrShrink) {
			return &heldError{&exchange.Error{Code: exchange.ShrinkHeld, Message: fmt.Sprintf(
				"全量包将撤销本机构 %s 现有 %d 条记录中的 %d 条，超过 %.0f%%，已暂停处理；如确需撤销，请在清单中设置 \"allow_shrink\": true 后重新发送",
				f.Dataset, counts.Owned, counts.Withdrawn, guard*100)}}
		}
		if err != nil {
			return fmt.Errorf("apply %s: %w", filepath.Base(path), err)
		}
		a.dl.changed += counts.Inserted + counts.Updated + counts.Withdrawn
		if counts.Bulk {
			a.h.log.Info("bulk load: search indexes built again", "dataset", f.Dataset, "rows", f.Rows)
		}
		a.conflicts(f, counts.Conflicts)
		for _, c := range counts.Conflicts {
			sub.Rejected = append(sub.Rejected, store.RejectedRow{Row: c.Row, Key: c.Key, Rules: []string{"REL-26"}})
		}
		// What the package held and which rows were turned away, with their
		// keys, in the same transaction: the progress figures (timeliness,
		// the open error backlog) are read from it.
		if err := tx.RecordSubmission(ctx, m.Sender, sub); err != nil {
			return err
		}
	}
	return a.conclude()
}

// rowErrors are the rules of each rejected row's errors, and whether one
// of them is on a key field (the row's key then cannot be trusted).
type rowErrors struct {
	rules  map[int][]string
	badKey map[int]bool
}

func rejections(ds *standard.Dataset, f *validate.File) rowErrors {
	why := rowErrors{rules: map[int][]string{}, badKey: map[int]bool{}}
	for _, fd := range f.Findings {
		if fd.Severity != string(standard.Error) {
			continue
		}
		why.rules[fd.Row] = append(why.rules[fd.Row], fd.Rule)
		for _, k := range ds.Key {
			why.badKey[fd.Row] = why.badKey[fd.Row] || fd.Field == k
		}
	}
	return why
}

func (why rowErrors) row(row int, key string) store.RejectedRow {
	if why.badKey[row] {
		key = ""
	}
	return store.RejectedRow{Row: row, Key: key, Rules: why.rules[row]}
}

// conflicts adds REL-26 findings for rows whose record another agency owns.
func (a *applier) conflicts(f *validate.File, cs []store.Conflict) {
	if len(cs) == 0 {
		return
	}
	std := a.std
	ds := std.Dataset(f.Dataset)
	rule := std.Rule("REL-26")
	for _, c := range cs {
		owner := c.Owner
		if ag, ok := agency.Lookup(c.Owner); ok {
			owner = ag.Name
		}
		f.Findings = append(f.Findings, validate.Finding{Row: c.Row, Field: ds.Key[0], Rule: "REL-26", Category: string(rule.Category),
			Severity: string(standard.Error), Value: store.KeyText(c.Key),
			Message: fmt.Sprintf("该记录已由%s报送，只有该机构或交通运输部可以修改", owner)})
		f.ErrorRows++
	}
}

// conclude counts rows, gathers findings and stages errors.xlsx.
func (a *applier) conclude() error {
	d, rc := a.dl.d, &a.dl.rc
	for _, f := range a.rep.Files {
		d.Total += f.Rows
		d.Rejected += f.ErrorRows
		for _, fd := range f.Findings {
			if fd.Severity != string(standard.Error) {
				d.Warnings++
			}
			rc.Findings = append(rc.Findings, exchange.Finding{File: filepath.Base(f.Path), Row: fd.Row, Field: fd.Field,
				Rule: fd.Rule, Severity: fd.Severity, Value: fd.Value, Message: fd.Message})
		}
	}
	d.Rejected = min(d.Rejected, d.Total)
	d.Accepted = d.Total - d.Rejected
	d.Status = exchange.Accepted
	if d.Rejected > 0 {
		d.Status = exchange.Partial // every row rejected is still partial with 0 accepted (contracts.md §4)
	}
	rc.Status = d.Status
	if len(rc.Findings) == 0 {
		return nil
	}
	a.dl.staged = filepath.Join(a.work, "errors.xlsx")
	if err := report.WriteXLSX(a.dl.staged, a.rep, a.h.cfg.Standard, report.XLSXOptions{OnlyFindings: true}); err != nil {
		return fmt.Errorf("errors workbook: %w", err)
	}
	d.ErrorsXLSX = true
	return nil
}
