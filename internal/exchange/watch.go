package exchange

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"github.com/fsnotify/fsnotify"
)

// Watcher finds files in inbox/<sender>/ (every subfolder of inbox/, one level) that have
// stopped changing: fsnotify events plus a full rescan every Interval (fsnotify misses
// events on network shares); a file is reported once its size and modification time are
// unchanged across two looks at least Settle apart. It calls Found (sender = the inbox
// subfolder name, path = full path) from one goroutine; a file still present after Found
// returns is reported again only after it changes or on the next rescan if still there
// (callers are idempotent). New inbox subfolders are picked up.
type Watcher struct {
	Root     Root
	Interval time.Duration // default 30s
	Settle   time.Duration // default 2s
	Found    func(ctx context.Context, sender, path string)
	Logger   *slog.Logger // may be nil

	pollOnly bool // tests: rescans only, as on a share where events never come
}

// Run watches until ctx is done, then returns nil. It returns an error only if it cannot
// start: Found is nil or inbox/ cannot be read. If fsnotify cannot start it logs a
// warning and relies on rescans.
func (w *Watcher) Run(ctx context.Context) error {
	if w.Found == nil {
		return errors.New("watch inbox: Watcher.Found is nil")
	}
	r, err := w.start()
	if err != nil {
		return err
	}
	defer r.close()
	return r.loop(ctx)
}

// watchRun is the state of one Run.
type watchRun struct {
	w        *Watcher
	root     Root
	inbox    string
	interval time.Duration
	log      *slog.Logger
	notify   *fsnotify.Watcher // nil when polling only
	watched  map[string]bool   // sender folders given to notify
	settle   *settler
}

func (w *Watcher) start() (*watchRun, error) {
	abs, err := filepath.Abs(string(w.Root))
	if err != nil {
		return nil, fmt.Errorf("watch inbox: %w", err)
	}
	r := &watchRun{w: w, root: Root(abs), inbox: filepath.Join(abs, "inbox"), log: w.Logger, watched: map[string]bool{}}
	if r.log == nil {
		r.log = slog.New(slog.DiscardHandler)
	}
	r.interval = cmp.Or(max(w.Interval, 0), 30*time.Second)
	r.settle = newSettler(cmp.Or(max(w.Settle, 0), 2*time.Second))
	if _, err := os.ReadDir(r.inbox); err != nil {
		return nil, fmt.Errorf("watch inbox: %w", err)
	}
	if !w.pollOnly {
		r.startNotify()
	}
	return r, nil
}

func (r *watchRun) startNotify() {
	n, err := fsnotify.NewWatcher()
	if err == nil {
		if err = n.Add(r.inbox); err != nil {
			n.Close()
		}
	}
	if err != nil {
		r.log.Warn("inbox events unavailable; rescanning only", slog.String("inbox", r.inbox),
			slog.Duration("interval", r.interval), slog.Any("error", err))
		return
	}
	r.notify = n
}

func (r *watchRun) close() {
	if r.notify != nil {
		r.notify.Close()
	}
}

func (r *watchRun) loop(ctx context.Context) error {
	var events <-chan fsnotify.Event
	var errs <-chan error
	if r.notify != nil {
		events, errs = r.notify.Events, r.notify.Errors
	}
	rescan := time.NewTicker(r.interval)
	defer rescan.Stop()
	tick := time.NewTicker(max(r.settle.settle/2, time.Millisecond))
	defer tick.Stop()
	r.rescan()
	for {
		select {
		case <-ctx.Done():
			return nil
		case ev, ok := <-events:
			if !ok {
				events = nil
				continue
			}
			r.event(ev)
		case err, ok := <-errs:
			if !ok {
				errs = nil
				continue
			}
			// Usually an overflow: events were lost, so look at everything.
			r.log.Warn("inbox events", slog.Any("error", err))
			r.rescan()
		case <-rescan.C:
			r.rescan()
		case <-tick.C:
			r.report(ctx)
		}
	}
}

// report calls Found for each file that has settled.
func (r *watchRun) report(ctx context.Context) {
	for _, path := range r.settle.due(time.Now(), os.Lstat) {
		if ctx.Err() != nil {
			return
		}
		sender := filepath.Base(filepath.Dir(path))
		r.log.Debug("inbox file settled", slog.String("sender", sender), slog.String("path", path))
		r.w.Found(ctx, sender, path)
	}
}
