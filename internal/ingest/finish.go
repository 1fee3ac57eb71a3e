package ingest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"shuiyun/internal/exchange"
	"shuiyun/internal/store"
)

// finish delivers a committed job: the receipt and errors workbook to the
// outbox, the package to the archive, then the job is done. Every step checks
// what is already there, so a crash at any point is finished by a re-run.
func (h *Hub) finish(ctx context.Context, job *store.Job) error {
	d, err := h.cfg.Store.DeliveryOfJob(ctx, job.ID)
	if err != nil {
		return err
	}
	if d == nil {
		return fmt.Errorf("job %d is applied but has no delivery", job.ID)
	}
	outbox := h.cfg.Root.Outbox(d.Inbox)
	if err := os.MkdirAll(outbox, 0o750); err != nil {
		return err
	}
	receipt := filepath.Join(outbox, exchange.ReceiptName(d.Name, d.N))
	if err := writeOnce(receipt, d.Receipt); err != nil {
		return err
	}
	if d.ErrorsXLSX {
		dest := filepath.Join(outbox, exchange.ErrorsName(d.Name, d.N))
		if err := os.Rename(filepath.Join(h.workDir(job), "errors.xlsx"), dest); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("errors workbook to outbox: %w", err)
		}
	}
	if err := h.archive(job, d); err != nil {
		return err
	}
	if err := os.RemoveAll(h.workDir(job)); err != nil {
		return err
	}
	if err := h.cfg.Store.Done(ctx, job, h.cfg.Worker); err != nil {
		return err
	}
	h.log.Info("package processed", "sender", d.Sender, "package", d.Name, "status", d.Status, "reason", d.Reason,
		"rows", d.Total, "accepted", d.Accepted, "rejected", d.Rejected)
	if h.cfg.Processed != nil {
		var rc exchange.Receipt
		if err := json.Unmarshal(d.Receipt, &rc); err == nil {
			h.cfg.Processed(rc)
		}
	}
	return nil
}

// writeOnce writes a file unless it is there, and clears the temporary files
// of earlier attempts that a crash left behind.
func writeOnce(path string, data []byte) error {
	if _, err := os.Stat(path); err != nil {
		if err := exchange.WriteFileAtomic(path, data); err != nil {
			return err
		}
	}
	stale, _ := filepath.Glob(filepath.Join(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp"))
	for _, f := range stale {
		os.Remove(f)
	}
	return nil
}

// archive moves the package file to archive/<inbox>/, as <name> for its
// first delivery and <stem>.<n>.zip for later ones.
func (h *Hub) archive(job *store.Job, d *store.Delivery) error {
	src := filepath.Join(string(h.cfg.Root), filepath.FromSlash(job.Path))
	dir := h.cfg.Root.Archive(d.Inbox)
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return err
	}
	name := d.Name
	if d.N > 1 {
		ext := filepath.Ext(name)
		name = fmt.Sprintf("%s.%d%s", strings.TrimSuffix(name, ext), d.N, ext)
	}
	if err := os.Rename(src, filepath.Join(dir, name)); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("archive %s: %w", job.Name, err)
	}
	return nil
}

// park gives up on a job that keeps failing: a rejected receipt says so.
func (h *Hub) park(ctx context.Context, job *store.Job) error {
	dl := h.newDelivery(job)
	if name, ok := exchange.ParseName(job.Name); ok {
		dl.d.Sender, dl.d.Seq, dl.rc.Sender, dl.rc.Sequence = name.Sender, name.Seq, name.Sender, name.Seq
	}
	dl.reject(exchange.Rejected, &exchange.Error{Code: exchange.Parked, Message: fmt.Sprintf(
		"处理已失败 %d 次，停止重试，请联系部级运维人员（最后一次错误：%s）", job.Attempts-1, job.LastError)})
	if err := h.record(ctx, dl); err != nil {
		return err
	}
	return h.finish(ctx, job)
}
