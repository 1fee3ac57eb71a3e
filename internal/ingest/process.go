package ingest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"shuiyun/internal/agency"
	"shuiyun/internal/exchange"
	"shuiyun/internal/store"
	"shuiyun/internal/validate"
)

// delivery is a package's outcome on its way into the store.
type delivery struct {
	job    *store.Job
	d      *store.Delivery
	rc     exchange.Receipt
	apply  func(ctx context.Context, tx *store.Tx) error // nil: nothing to store
	staged string                                        // errors.xlsx in the work folder, "" if none
	bound  bool                                          // rejected for the delivery, not the bytes
	// datasets the package's files hold (for the statistics after a large load)
	datasets []string
	changed  int // versions the package wrote: inserts, updates, withdrawals
}

// deliveryBound are the reasons that concern a delivery rather than the
// package's bytes: the same bytes delivered again are processed afresh.
// (A MANIFEST-INVALID about the file name is one too: see nameError.)
var deliveryBound = map[string]bool{exchange.SenderWrongInbox: true, exchange.SequenceConflict: true,
	exchange.ShrinkHeld: true, exchange.Parked: true}

func (h *Hub) newDelivery(job *store.Job) *delivery {
	now := time.Now()
	std := h.cfg.Standard
	return &delivery{job: job,
		d: &store.Delivery{Inbox: job.Inbox, Name: job.Name, Sender: job.Inbox, SHA256: job.SHA256,
			ReceivedAt: job.ReceivedAt, ProcessedAt: now},
		rc: exchange.Receipt{Format: exchange.ReceiptFormat, Package: job.Name, Sender: job.Inbox, SHA256: job.SHA256,
			ReceivedAt: job.ReceivedAt.In(beijing).Format(time.RFC3339), ProcessedAt: now.In(beijing).Format(time.RFC3339), Standard: std.Version}}
}

// reject makes the delivery a rejection for reason; nothing is stored.
func (dl *delivery) reject(status string, e *exchange.Error) {
	dl.d.Status, dl.rc.Status = status, status
	dl.d.Reason, dl.rc.Reason = e.Code, e.Reason()
	dl.apply = nil
	dl.bound = deliveryBound[e.Code]
}

// process checks, validates and applies a claimed package.
func (h *Hub) process(ctx context.Context, job *store.Job) error {
	dl := h.newDelivery(job)
	first, err := h.cfg.Store.FirstDelivery(ctx, job.Inbox, job.SHA256)
	if err != nil {
		return err
	}
	if first != nil {
		if err := dl.duplicate(first); err != nil {
			return err
		}
		return h.record(ctx, dl)
	}
	work := h.workDir(job)
	if err := os.RemoveAll(work); err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Join(work, "files"), 0o750); err != nil {
		return err
	}
	start := time.Now()
	pkg, err := exchange.Open(filepath.Join(string(h.cfg.Root), filepath.FromSlash(job.Path)), filepath.Join(work, "files"), h.cfg.Limits)
	h.log.Info("package opened", "file", job.Name, "took", time.Since(start))
	var xe *exchange.Error
	switch {
	case errors.As(err, &xe):
		dl.reject(exchange.Rejected, xe)
		return h.record(ctx, dl)
	case err != nil:
		return err
	}
	dl.fromManifest(pkg)
	if xe, err := h.checkPackage(ctx, job, pkg); err != nil {
		return err
	} else if xe != nil {
		dl.reject(exchange.Rejected, xe.e)
		dl.bound = xe.bound
		return h.record(ctx, dl)
	}
	start = time.Now()
	if err := h.validate(ctx, dl, pkg, work); err != nil {
		return err
	}
	h.log.Info("package validated", "file", job.Name, "took", time.Since(start))
	start = time.Now()
	defer func() { h.log.Info("package stored", "file", job.Name, "took", time.Since(start)) }()
	return h.record(ctx, dl)
}

func (dl *delivery) duplicate(first *store.Delivery) error {
	if err := json.Unmarshal(first.Receipt, &dl.rc); err != nil {
		return fmt.Errorf("receipt of delivery %d: %w", first.ID, err)
	}
	dl.rc.Status, dl.rc.ReceivedAt, dl.rc.ProcessedAt = exchange.Duplicate, dl.d.ReceivedAt.In(beijing).Format(time.RFC3339), dl.d.ProcessedAt.In(beijing).Format(time.RFC3339)
	d := dl.d
	d.Status, d.Sender, d.Seq, d.Reason, d.Mode, d.DataDate = exchange.Duplicate, first.Sender, first.Seq, first.Reason, first.Mode, first.DataDate
	d.Total, d.Accepted, d.Rejected, d.Warnings = first.Total, first.Accepted, first.Rejected, first.Warnings
	return nil
}

func (dl *delivery) fromManifest(pkg *exchange.Package) {
	m := pkg.Manifest
	dl.d.Sender, dl.d.Seq, dl.d.Mode, dl.d.DataDate = m.Sender, m.Sequence, m.Mode, m.DataDate
	dl.rc.Sender, dl.rc.Sequence = m.Sender, m.Sequence
}

// checkPackage runs the checks between a readable manifest and validation.
func (h *Hub) checkPackage(ctx context.Context, job *store.Job, pkg *exchange.Package) (*rejection, error) {
	m := pkg.Manifest
	name, ok := exchange.ParseName(job.Name)
	switch {
	case !ok:
		return nameError(fmt.Sprintf("包文件名“%s”不符合 <发送方>_<yyyymmdd>_<6 位序号>.zip", job.Name)), nil
	case name.Sender != m.Sender || name.Seq != m.Sequence:
		return nameError(fmt.Sprintf("包文件名“%s”与清单不符：清单为发送方 %s、序号 %d", job.Name, m.Sender, m.Sequence)), nil
	case !agency.Known(m.Sender):
		return rejectWith(exchange.SenderUnknown, fmt.Sprintf("发送方代码 %s 不是已登记的机构（contracts.md §1）", m.Sender)), nil
	case m.Sender != job.Inbox:
		return rejectWith(exchange.SenderWrongInbox, fmt.Sprintf("发送方 %s 的包投递到了 %s 的收件目录", m.Sender, job.Inbox)), nil
	case major(m.Standard) != major(h.cfg.Standard.Version):
		return rejectWith(exchange.StandardUnsupported, fmt.Sprintf("数据标准版本 %s 不受支持，本系统执行 %s", m.Standard, h.cfg.Standard.Version)), nil
	}
	for _, mf := range m.Files {
		ds := h.cfg.Standard.Dataset(mf.Dataset)
		switch {
		case ds == nil:
			return rejectWith(exchange.ManifestInvalid, fmt.Sprintf("清单中的数据集 %q 不在数据标准 %s 中", mf.Dataset, h.cfg.Standard.Version)), nil
		case ds.Reference && m.Sender != agency.Ministry:
			return rejectWith(exchange.ManifestInvalid, fmt.Sprintf("数据集 %s（%s）是海事、船检参考数据，只由交通运输部（000000）报送", ds.Name, ds.Label)), nil
		}
	}
	used, err := h.cfg.Store.AppliedSequence(ctx, m.Sender, m.Sequence)
	if err != nil {
		return nil, err
	}
	if used != nil && used.SHA256 != job.SHA256 {
		return rejectWith(exchange.SequenceConflict, fmt.Sprintf("序号 %d 已由包 %s（%s 处理）使用，内容不同", m.Sequence, used.Name, used.ProcessedAt.In(beijing).Format(time.DateTime))), nil
	}
	return nil, nil
}

// rejection is a check's verdict; bound when it concerns this delivery (the
// file's name, its inbox, the sequence's history) rather than the bytes.
type rejection struct {
	e     *exchange.Error
	bound bool
}

// beijing is the time zone of receipts: their readers are in China.
var beijing = func() *time.Location {
	if loc, err := time.LoadLocation("Asia/Shanghai"); err == nil {
		return loc
	}
	return time.FixedZone("CST", 8*3600)
}()

func nameError(msg string) *rejection {
	return &rejection{e: &exchange.Error{Code: exchange.ManifestInvalid, Message: msg}, bound: true}
}

func rejectWith(code, msg string) *rejection {
	return &rejection{e: &exchange.Error{Code: code, Message: msg}, bound: deliveryBound[code]}
}

func major(v string) string {
	m, _, _ := strings.Cut(v, ".")
	return m
}

// validate runs the engine on the package's files and prepares the apply.
func (h *Hub) validate(ctx context.Context, dl *delivery, pkg *exchange.Package, work string) error {
	m := pkg.Manifest
	asOf, err := time.Parse(time.DateOnly, m.DataDate)
	if err != nil {
		return fmt.Errorf("data_date %q: %w", m.DataDate, err)
	}
	std := h.cfg.Standard
	if h.cfg.RulesOn != nil {
		if std, err = h.cfg.RulesOn(ctx, h.cfg.Store.Now()); err != nil {
			return fmt.Errorf("rules in force: %w", err)
		}
	}
	// The rows are kept as validation normalises them, in the package's work
	// folder, so that storing them does not read and normalise them again.
	spool := filepath.Join(work, "spool")
	if err := os.MkdirAll(spool, 0o750); err != nil {
		return err
	}
	rep, err := validate.Run(ctx, std, pkg.Files, validate.Options{AsOf: asOf, Submitter: m.Sender, Repository: h.cfg.Store, Spool: spool})
	if err != nil {
		return fmt.Errorf("validate: %w", err)
	}
	for i, mf := range m.Files {
		if f := rep.Files[i]; f.Rows != mf.Rows {
			dl.reject(exchange.Rejected, &exchange.Error{Code: exchange.RowcountMismatch,
				Message: fmt.Sprintf("文件 %s 清单声明 %d 行，实际读到 %d 行", mf.Name, mf.Rows, f.Rows)})
			return nil
		}
	}
	ap := &applier{h: h, std: std, dl: dl, pkg: pkg, rep: rep, work: work}
	dl.apply = ap.apply
	for _, mf := range m.Files {
		dl.datasets = append(dl.datasets, mf.Dataset)
	}
	return nil
}

// analyzeRows is the size of a package after which the planner statistics
// of its datasets are refreshed.
const analyzeRows = 50000

// record stores the delivery (and, through dl.apply, its rows) in one transaction.
func (h *Hub) record(ctx context.Context, dl *delivery) error {
	tx, err := h.cfg.Store.Begin(ctx, dl.job, h.cfg.Worker)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if dl.apply != nil {
		err := dl.apply(ctx, tx)
		var held *heldError
		if errors.As(err, &held) {
			tx.Rollback()
			dl.reject(exchange.Held, held.e)
			dl.staged, dl.d.ErrorsXLSX = "", false
			return h.record(ctx, dl)
		}
		if err != nil {
			return err
		}
	}
	d := dl.d
	d.Applied = d.Status == exchange.Accepted || d.Status == exchange.Partial
	d.Final = d.Applied || (d.Status == exchange.Rejected && !dl.bound)
	dl.rc.Rows = exchange.RowCounts{Total: d.Total, Accepted: d.Accepted, Rejected: d.Rejected, Warnings: d.Warnings}
	err = tx.Finish(ctx, d, func(d *store.Delivery, missing []int64) ([]byte, error) {
		if d.Status != exchange.Duplicate {
			dl.rc.MissingSequences = missing
		}
		return dl.rc.Encode()
	})
	if err == nil && d.Applied && dl.changed >= analyzeRows {
		// Searches are planned from statistics: refresh them now rather than
		// wait for autovacuum. A failure here costs speed, not data. An
		// unchanged snapshot changes no statistics (ANALYZE of 1,000,000
		// rows: about a second).
		if err := h.cfg.Store.Analyze(ctx, dl.datasets...); err != nil {
			h.log.Warn("analyze after a large package", "err", err)
		}
	}
	return err
}
