package exchange

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// fakeInfo is a file state for the settler.
type fakeInfo struct {
	size int64
	mod  time.Time
}

func (f fakeInfo) Name() string       { return "a" }
func (f fakeInfo) Size() int64        { return f.size }
func (f fakeInfo) Mode() fs.FileMode  { return 0o644 }
func (f fakeInfo) ModTime() time.Time { return f.mod }
func (f fakeInfo) IsDir() bool        { return false }
func (f fakeInfo) Sys() any           { return nil }

// TestSettler drives the settle rule with made-up times (Settle = 1s): "write" and "touch"
// change the file unseen, "event" and "rescan" look at it (changed or not), "rm" removes
// it, "due" looks again.
func TestSettler(t *testing.T) {
	type step struct {
		at   time.Duration
		op   string
		size int64 // for write, event, rescan
		want []string
	}
	a := []string{"a"}
	tests := []struct {
		name  string
		steps []step
	}{
		{"unchanged across settle", []step{{0, "event", 10, nil}, {999 * time.Millisecond, "due", 0, nil}, {time.Second, "due", 0, a}}},
		{"changed at the second look", []step{
			{0, "event", 10, nil}, {time.Second, "write", 20, nil}, {time.Second, "due", 0, nil},
			{1999 * time.Millisecond, "due", 0, nil}, {2 * time.Second, "due", 0, a}}},
		{"a change seen by an event restarts the clock", []step{
			{0, "event", 10, nil}, {500 * time.Millisecond, "event", 20, nil}, {time.Second, "due", 0, nil},
			{1500 * time.Millisecond, "due", 0, a}}},
		{"an event without change keeps the clock", []step{
			{0, "event", 10, nil}, {900 * time.Millisecond, "event", 10, nil}, {time.Second, "due", 0, a}}},
		{"not reported again unchanged", []step{
			{0, "event", 10, nil}, {time.Second, "due", 0, a}, {1100 * time.Millisecond, "event", 10, nil},
			{5 * time.Second, "due", 0, nil}}},
		{"reported again after a change", []step{
			{0, "event", 10, nil}, {time.Second, "due", 0, a}, {1100 * time.Millisecond, "event", 20, nil},
			{2100 * time.Millisecond, "due", 0, a}}},
		{"reported again on a rescan", []step{
			{0, "event", 10, nil}, {time.Second, "due", 0, a}, {1100 * time.Millisecond, "rescan", 10, nil},
			{2100 * time.Millisecond, "due", 0, a}}},
		{"a new time is a change", []step{
			{0, "event", 10, nil}, {time.Second, "touch", 0, nil}, {time.Second, "due", 0, nil},
			{2 * time.Second, "due", 0, a}}},
		{"removed before settling", []step{
			{0, "event", 10, nil}, {500 * time.Millisecond, "rm", 0, nil}, {time.Second, "due", 0, nil},
			{2 * time.Second, "write", 10, nil}, {3 * time.Second, "due", 0, nil}}},
	}
	t0 := time.Date(2026, 11, 26, 1, 0, 0, 0, time.UTC)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newSettler(time.Second)
			var disk *fakeInfo
			stat := func(string) (fs.FileInfo, error) {
				if disk == nil {
					return nil, fs.ErrNotExist
				}
				return *disk, nil
			}
			for i, st := range tt.steps {
				now := t0.Add(st.at)
				switch st.op {
				case "touch": // same size, new time
					disk = &fakeInfo{size: disk.size, mod: now}
				case "write", "event", "rescan": // the time follows the content
					disk = &fakeInfo{size: st.size, mod: t0.Add(time.Duration(st.size) * time.Hour)}
					if st.op != "write" {
						s.saw("a", *disk, now, st.op == "rescan")
					}
				case "rm":
					disk = nil
					s.gone("a")
				case "due":
					if got := s.due(now, stat); !cmp.Equal(got, st.want) {
						t.Errorf("step %d (%v): due = %v, want %v", i, st.at, got, st.want)
					}
				}
			}
		})
	}
}

// found is one call of Found.
type found struct {
	sender, path string
	size         int64
}

// startWatcher runs w until the test ends, sending what it finds on the channel.
func startWatcher(t *testing.T, w *Watcher) <-chan found {
	ch := make(chan found, 100)
	w.Found = func(ctx context.Context, sender, path string) {
		f := found{sender: sender, path: path, size: -1}
		if fi, err := os.Stat(path); err == nil {
			f.size = fi.Size()
		}
		select {
		case ch <- f:
		case <-ctx.Done():
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- w.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("Run = %v, want nil after cancel", err)
			}
		case <-time.After(10 * time.Second):
			t.Errorf("Run did not return after cancel")
		}
	})
	return ch
}

// waitFor returns the first report about path, failing on any report of a temporary file
// and after 10 s.
func waitFor(t *testing.T, ch <-chan found, path string) found {
	t.Helper()
	timeout := time.After(10 * time.Second)
	for {
		select {
		case f := <-ch:
			if Ignored(f.path) {
				t.Fatalf("Found(%s), a file to ignore", f.path)
			}
			if f.path == path {
				return f
			}
		case <-timeout:
			t.Fatalf("%s not found within 10 s", path)
		}
	}
}

func TestWatcherWaitsForWriting(t *testing.T) {
	r := newRoot(t, "320000")
	ch := startWatcher(t, &Watcher{Root: r, Interval: time.Hour, Settle: time.Second})
	path := filepath.Join(r.Inbox("320000"), "320000_20261125_000001.zip")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	chunk := []byte(strings.Repeat("x", 1024))
	for range 5 {
		f.Write(chunk)
		f.Sync()
		time.Sleep(20 * time.Millisecond) // pacing only: the writer is slower than a disk
	}
	f.Close()
	got := waitFor(t, ch, path)
	if want := (found{"320000", path, 5 * 1024}); got != want {
		t.Errorf("Found = %+v, want %+v", got, want)
	}
}

func TestWatcherTempThenRename(t *testing.T) {
	r := newRoot(t, "320000")
	ch := startWatcher(t, &Watcher{Root: r, Interval: time.Hour, Settle: 50 * time.Millisecond})
	path := filepath.Join(r.Inbox("320000"), "320000_20261125_000001.zip")
	mustWriteFile(t, path+".tmp", "package")
	if err := os.Rename(path+".tmp", path); err != nil {
		t.Fatal(err)
	}
	if got := waitFor(t, ch, path); got.size != int64(len("package")) {
		t.Errorf("Found %+v, want size %d", got, len("package"))
	}
}

func TestWatcherNewSender(t *testing.T) {
	r := newRoot(t, "000000")
	sentinel := filepath.Join(r.Inbox("000000"), "000000_20261125_000001.zip")
	mustWriteFile(t, sentinel, "x")
	ch := startWatcher(t, &Watcher{Root: r, Interval: time.Hour, Settle: 50 * time.Millisecond})
	waitFor(t, ch, sentinel) // Run is watching
	path := filepath.Join(r.Inbox("CJ0000"), "CJ0000_20261125_000001.zip")
	mustWriteFile(t, path, "package") // makes the folder too
	if got := waitFor(t, ch, path); got.sender != "CJ0000" {
		t.Errorf("Found sender %q, want CJ0000", got.sender)
	}
}

// TestWatcherRescan finds files with no events at all, as on a network share, and
// reports a file left in place again on a later rescan.
func TestWatcherRescan(t *testing.T) {
	r := newRoot(t, "320000")
	sentinel := filepath.Join(r.Inbox("320000"), "320000_20261125_000001.zip")
	mustWriteFile(t, sentinel, "x")
	w := &Watcher{Root: r, Interval: 50 * time.Millisecond, Settle: 20 * time.Millisecond, pollOnly: true}
	ch := startWatcher(t, w)
	waitFor(t, ch, sentinel)
	path := filepath.Join(r.Inbox("320000"), "320000_20261125_000002.zip")
	mustWriteFile(t, path, "package")
	waitFor(t, ch, path)
	waitFor(t, ch, sentinel)
}

func TestWatcherCannotStart(t *testing.T) {
	r := newRoot(t, "320000")
	tests := []struct {
		name string
		w    *Watcher
	}{
		{"no Found", &Watcher{Root: r}},
		{"no inbox", &Watcher{Root: Root(filepath.Join(string(r), "none")), Found: func(context.Context, string, string) {}}},
	}
	for _, tt := range tests {
		if err := tt.w.Run(t.Context()); err == nil {
			t.Errorf("%s: Run = nil, want an error", tt.name)
		}
	}
}

func newRoot(t *testing.T, senders ...string) Root {
	r := Root(t.TempDir())
	if err := r.Ensure(senders); err != nil {
		t.Fatal(err)
	}
	return r
}
