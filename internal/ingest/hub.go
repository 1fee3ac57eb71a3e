package ingest

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"shuiyun/internal/agency"
	"shuiyun/internal/exchange"
	"shuiyun/internal/standard"
	"shuiyun/internal/store"
)

// Config sets up a Hub.
type Config struct {
	Root        exchange.Root
	Store       *store.Store
	Standard    *standard.Standard
	Worker      string        // this worker's name in job leases; default host:pid
	Lease       time.Duration // how long a claim holds without renewal; default 1 min
	Backoff     time.Duration // wait before a failed job is tried again; default 30 s
	MaxAttempts int           // claims before a failing job is parked; default 5
	Limits      exchange.Limits
	Logger      *slog.Logger
	// Processed, if set, is called with each receipt once it is in the outbox.
	Processed func(exchange.Receipt)
	// RulesOn, if set, gives the standard with the rules in force at an
	// instant (the ministry's rule phases); packages are checked with the
	// rules of the moment they are processed. Nil: Standard as it is.
	RulesOn func(ctx context.Context, at time.Time) (*standard.Standard, error)
}

// Hub processes the packages of one exchange root into one store.
type Hub struct {
	cfg  Config
	log  *slog.Logger
	wake chan struct{}
	// failing, if set, makes processing fail before it starts (tests of retries and parking).
	failing func(*store.Job) error
}

// New makes a Hub, creating the exchange folders of every agency.
func New(cfg Config) (*Hub, error) {
	if cfg.Worker == "" {
		host, _ := os.Hostname()
		cfg.Worker = fmt.Sprintf("%s:%d", host, os.Getpid())
	}
	if cfg.Lease <= 0 {
		cfg.Lease = time.Minute
	}
	if cfg.Backoff <= 0 {
		cfg.Backoff = 30 * time.Second
	}
	if cfg.MaxAttempts <= 0 {
		cfg.MaxAttempts = 5
	}
	if cfg.Limits == (exchange.Limits{}) {
		cfg.Limits = exchange.DefaultLimits()
	}
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if err := cfg.Root.Ensure(agency.Codes()); err != nil {
		return nil, fmt.Errorf("exchange folders under %s: %w", cfg.Root, err)
	}
	return &Hub{cfg: cfg, log: log, wake: make(chan struct{}, 1)}, nil
}

func (h *Hub) workDir(job *store.Job) string {
	return filepath.Join(string(h.cfg.Root), "work", fmt.Sprint("job-", job.ID))
}

// Accept takes a settled file from inbox/<sender>/: it moves it into
// processing/<sender>/ and queues a job. A file another instance took first
// is not an error.
func (h *Hub) Accept(ctx context.Context, sender, path string) error {
	sum, err := exchange.SHA256File(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("accept %s: %w", path, err)
	}
	dir := h.cfg.Root.Processing(sender)
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return err
	}
	base := filepath.Base(path)
	dest := filepath.Join(dir, fmt.Sprintf("%d-%s", time.Now().UnixNano(), base))
	if err := os.Rename(path, dest); errors.Is(err, fs.ErrNotExist) {
		return nil
	} else if err != nil {
		return fmt.Errorf("accept %s: %w", path, err)
	}
	if err := h.enqueue(ctx, sender, base, dest, sum); err != nil {
		return err
	}
	h.log.Info("package accepted", "sender", sender, "file", base)
	h.poke()
	return nil
}

func (h *Hub) enqueue(ctx context.Context, inbox, name, path, sum string) error {
	_, err := h.enqueueJob(ctx, inbox, name, path, sum)
	return err
}

func (h *Hub) enqueueJob(ctx context.Context, inbox, name, path, sum string) (int64, error) {
	rel, err := filepath.Rel(string(h.cfg.Root), path)
	if err != nil {
		return 0, err
	}
	info, err := os.Stat(path)
	if err != nil {
		return 0, err
	}
	id, _, err := h.cfg.Store.Enqueue(ctx, store.Job{Inbox: inbox, Name: name, Path: filepath.ToSlash(rel), SHA256: sum, Size: info.Size()})
	return id, err
}

// AcceptFile takes a package named on the command line: a file in an inbox
// as Accept does; any other file is copied (the original stays) into the
// processing folder of the sender its name gives.
func (h *Hub) AcceptFile(ctx context.Context, path string) error {
	abs, err := filepath.Abs(path)
	if err != nil {
		return err
	}
	inbox, _ := filepath.Abs(filepath.Join(string(h.cfg.Root), "inbox"))
	if rel, err := filepath.Rel(inbox, abs); err == nil && !strings.HasPrefix(rel, "..") && strings.Count(filepath.ToSlash(rel), "/") == 1 {
		return h.Accept(ctx, filepath.Dir(rel), abs)
	}
	_, err = h.Submit(ctx, path)
	return err
}

// Submit queues a copy of a package built on the hub itself (the web's upload
// and manual entry) for the sender its name gives, as if it had arrived in
// that sender's inbox, and returns its job; Await waits for the outcome.
func (h *Hub) Submit(ctx context.Context, path string) (jobID int64, err error) {
	base := filepath.Base(path)
	name, ok := exchange.ParseName(base)
	if !ok {
		return 0, fmt.Errorf("%s：包名应为 <发送方>_<yyyymmdd>_<6 位序号>.zip，无法判断发送方", path)
	}
	dir := h.cfg.Root.Processing(name.Sender)
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return 0, err
	}
	dest := filepath.Join(dir, fmt.Sprintf("%d-%s", time.Now().UnixNano(), base))
	if err := copyFile(path, dest); err != nil {
		return 0, fmt.Errorf("copy %s: %w", path, err)
	}
	sum, err := exchange.SHA256File(dest)
	if err != nil {
		return 0, err
	}
	id, err := h.enqueueJob(ctx, name.Sender, base, dest, sum)
	if err == nil {
		h.poke()
	}
	return id, err
}

// Await returns the delivery of a job once a worker (this hub's Run, or
// another instance's) has processed it, polling every interval.
func (h *Hub) Await(ctx context.Context, jobID int64, interval time.Duration) (*store.Delivery, error) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		d, err := h.cfg.Store.DeliveryOfJob(ctx, jobID)
		if d != nil || err != nil {
			return d, err
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-t.C:
		}
	}
}

// copyFile copies src to dst through a temporary name, so Recover never sees half a file.
func copyFile(src, dst string) error {
	data, err := os.Open(src)
	if err != nil {
		return err
	}
	defer data.Close()
	tmp := filepath.Join(filepath.Dir(dst), "."+filepath.Base(dst)+".part")
	out, err := os.Create(tmp)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, data); err != nil {
		out.Close()
		os.Remove(tmp)
		return err
	}
	if err := errors.Join(out.Sync(), out.Close()); err != nil {
		os.Remove(tmp)
		return err
	}
	return os.Rename(tmp, dst)
}

// Recover queues the files a crash left in processing/ between their move and
// their job (a file whose job exists is left alone).
func (h *Hub) Recover(ctx context.Context) error {
	senders, err := os.ReadDir(filepath.Join(string(h.cfg.Root), "processing"))
	if err != nil {
		return fmt.Errorf("recover: %w", err)
	}
	for _, s := range senders {
		if !s.IsDir() {
			continue
		}
		dir := h.cfg.Root.Processing(s.Name())
		files, err := os.ReadDir(dir)
		if err != nil {
			return fmt.Errorf("recover: %w", err)
		}
		for _, f := range files {
			_, name, ok := strings.Cut(f.Name(), "-")
			if f.IsDir() || !ok || exchange.Ignored(f.Name()) {
				continue
			}
			path := filepath.Join(dir, f.Name())
			rel, _ := filepath.Rel(string(h.cfg.Root), path)
			if queued, err := h.cfg.Store.HasJob(ctx, filepath.ToSlash(rel)); err != nil || queued {
				if err != nil {
					return fmt.Errorf("recover %s: %w", path, err)
				}
				continue
			}
			sum, err := exchange.SHA256File(path)
			if err != nil {
				return fmt.Errorf("recover %s: %w", path, err)
			}
			if err := h.enqueue(ctx, s.Name(), name, path, sum); err != nil {
				return fmt.Errorf("recover %s: %w", path, err)
			}
		}
	}
	return nil
}

// AcceptWaiting accepts every file now in an inbox, without waiting for it
// to settle (the command line: the operator says the files are complete).
func (h *Hub) AcceptWaiting(ctx context.Context) error {
	found, err := h.cfg.Root.Scan()
	if err != nil {
		return err
	}
	for _, in := range found {
		if err := h.Accept(ctx, in.Sender, in.Path); err != nil {
			return err
		}
	}
	return nil
}

func (h *Hub) poke() {
	select {
	case h.wake <- struct{}{}:
	default:
	}
}

// Drain processes jobs until none can be claimed now.
func (h *Hub) Drain(ctx context.Context) error {
	for ctx.Err() == nil {
		job, err := h.cfg.Store.Claim(ctx, h.cfg.Worker, h.cfg.Lease)
		if err != nil {
			return err
		}
		if job == nil {
			return nil
		}
		if err := h.run(ctx, job); err != nil {
			h.log.Error("package processing failed", "job", job.ID, "file", job.Name, "attempt", job.Attempts, "err", err)
			if errors.Is(err, store.ErrLeaseLost) {
				continue
			}
			if ctx.Err() != nil { // shutting down: hand the job back for the next start
				if rerr := h.cfg.Store.Release(context.Background(), job, h.cfg.Worker); rerr != nil {
					h.log.Warn("job not released", "job", job.ID, "err", rerr)
				}
				continue
			}
			if rerr := h.cfg.Store.Retry(ctx, job, h.cfg.Worker, err, h.cfg.Backoff); rerr != nil {
				h.log.Error("job retry not recorded", "job", job.ID, "err", rerr)
			}
		}
	}
	return ctx.Err()
}

// run processes a job while renewing its lease.
func (h *Hub) run(ctx context.Context, job *store.Job) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	go h.renew(ctx, job)
	if job.State == store.JobApplied {
		return h.finish(ctx, job)
	}
	if job.Attempts > h.cfg.MaxAttempts {
		return h.park(ctx, job)
	}
	if h.failing != nil {
		if err := h.failing(job); err != nil {
			return err
		}
	}
	if err := h.process(ctx, job); err != nil {
		return err
	}
	return h.finish(ctx, job)
}

func (h *Hub) renew(ctx context.Context, job *store.Job) {
	t := time.NewTicker(h.cfg.Lease / 3)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if err := h.cfg.Store.Extend(ctx, job, h.cfg.Worker, h.cfg.Lease); err != nil && ctx.Err() == nil {
				h.log.Warn("job lease not renewed", "job", job.ID, "err", err)
			}
		}
	}
}

// Run watches the inboxes and processes what arrives until ctx is done.
// Several hubs may run on one database: jobs are claimed, never shared.
func (h *Hub) Run(ctx context.Context, rescan time.Duration) error {
	if err := h.Recover(ctx); err != nil {
		return err
	}
	w := &exchange.Watcher{Root: h.cfg.Root, Interval: rescan, Logger: h.log,
		Found: func(ctx context.Context, sender, path string) {
			if err := h.Accept(ctx, sender, path); err != nil {
				h.log.Error("package not accepted", "path", path, "err", err)
			}
		}}
	done := make(chan error, 1)
	go func() { done <- w.Run(ctx) }()
	tick := time.NewTicker(2 * time.Second) // jobs queued by other instances, backoffs ending
	defer tick.Stop()
	sweep := time.NewTicker(max(rescan, time.Second))
	defer sweep.Stop()
	for {
		if err := h.Drain(ctx); err != nil && ctx.Err() == nil {
			h.log.Error("claiming jobs failed", "err", err)
		}
		select {
		case <-ctx.Done():
			return <-done
		case <-h.wake:
		case <-tick.C:
		case <-sweep.C:
			// Another instance may have died between moving a file and queueing it.
			if err := h.Recover(ctx); err != nil && ctx.Err() == nil {
				h.log.Error("recovering orphaned packages failed", "err", err)
			}
		}
	}
}
