package exchange

import (
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"github.com/fsnotify/fsnotify"
)

// event handles one fsnotify event: a change to a file in a sender's folder, or a sender
// folder coming or going in inbox/.
func (r *watchRun) event(ev fsnotify.Event) {
	path := ev.Name
	dir := filepath.Dir(path)
	switch {
	case dir == r.inbox && ev.Has(fsnotify.Create):
		if fi, err := os.Lstat(path); err == nil && fi.IsDir() && !Ignored(path) {
			r.addSender(filepath.Base(path), false)
		}
	case dir == r.inbox && (ev.Has(fsnotify.Remove) || ev.Has(fsnotify.Rename)):
		if r.watched[path] {
			r.notify.Remove(path) // may fail: the kernel has dropped it already
			delete(r.watched, path)
		}
	case filepath.Dir(dir) == r.inbox && !Ignored(path):
		r.look(path, false)
	}
}

// rescan looks at every file in every sender folder, watching folders not yet watched.
func (r *watchRun) rescan() {
	senders, err := r.root.senders()
	if err != nil {
		r.log.Warn("inbox rescan", slog.Any("error", err))
		return
	}
	present := map[string]bool{}
	for _, s := range senders {
		for _, path := range r.addSender(s, true) {
			present[path] = true
		}
	}
	r.settle.forgetReported(present)
}

// addSender watches a sender folder, then looks at the files already in it (they may
// have arrived before the watch began). It returns their paths.
func (r *watchRun) addSender(sender string, rescan bool) []string {
	dir := r.root.Inbox(sender)
	if r.notify != nil && !r.watched[dir] {
		if err := r.notify.Add(dir); err != nil {
			r.log.Warn("watch sender inbox; rescans will still find its files", slog.String("dir", dir), slog.Any("error", err))
		} else {
			r.watched[dir] = true
		}
	}
	paths, err := r.root.inboxFiles(sender)
	if err != nil {
		r.log.Warn("inbox rescan", slog.Any("error", err))
	}
	for _, p := range paths {
		r.look(p, rescan)
	}
	return paths
}

// look stats one file for the settler.
func (r *watchRun) look(path string, rescan bool) {
	fi, err := os.Lstat(path)
	if err != nil || !fi.Mode().IsRegular() {
		r.settle.gone(path)
		return
	}
	r.settle.saw(path, fi, time.Now(), rescan)
}
