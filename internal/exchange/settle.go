package exchange

import (
	"io/fs"
	"slices"
	"time"
)

// look is what one stat of a file saw, and when.
type look struct {
	size int64
	mod  time.Time
	at   time.Time
}

func (l look) same(fi fs.FileInfo) bool { return l.size == fi.Size() && l.mod.Equal(fi.ModTime()) }

// settler decides when a file has stopped changing: two looks at least settle apart see
// the same size and modification time. It does no I/O of its own, so tests can drive it
// with made-up times.
type settler struct {
	settle   time.Duration
	pending  map[string]look // not reported yet: the earliest look of the current state
	reported map[string]look // reported, and what the report saw
}

func newSettler(settle time.Duration) *settler {
	return &settler{settle: settle, pending: map[string]look{}, reported: map[string]look{}}
}

// saw records a look at path. A look that finds the state the last report saw is not news,
// unless rescan says the file should be reported again anyway.
func (s *settler) saw(path string, fi fs.FileInfo, now time.Time, rescan bool) {
	if r, ok := s.reported[path]; ok && !rescan && r.same(fi) {
		return
	}
	if p, ok := s.pending[path]; ok && p.same(fi) {
		return // the clock keeps running from the first look at this state
	}
	s.pending[path] = look{size: fi.Size(), mod: fi.ModTime(), at: now}
}

// gone forgets a path that was removed or renamed away.
func (s *settler) gone(path string) {
	delete(s.pending, path)
	delete(s.reported, path)
}

// due looks again at the files whose last look is at least settle old and returns, sorted,
// those that have not changed; it counts them as reported.
func (s *settler) due(now time.Time, stat func(string) (fs.FileInfo, error)) []string {
	var ready []string
	for path, l := range s.pending {
		if now.Sub(l.at) < s.settle {
			continue
		}
		fi, err := stat(path)
		switch {
		case err != nil || !fi.Mode().IsRegular():
			s.gone(path)
		case l.same(fi):
			ready = append(ready, path)
			delete(s.pending, path)
			s.reported[path] = look{size: fi.Size(), mod: fi.ModTime(), at: now}
		default:
			s.pending[path] = look{size: fi.Size(), mod: fi.ModTime(), at: now}
		}
	}
	slices.Sort(ready)
	return ready
}

// forgetReported drops what it knew of reported files no longer present.
func (s *settler) forgetReported(present map[string]bool) {
	for path := range s.reported {
		if !present[path] {
			delete(s.reported, path)
		}
	}
}
