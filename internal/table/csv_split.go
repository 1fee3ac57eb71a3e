package table

import (
	"bytes"
	"io"
)

// split is where a partition starts: a file offset at the start of a line, and
// that line's number.
type split struct {
	off  int64
	line int
}

// splitChunk is how much findSplits reads at a time (a variable so that tests
// can put chunk boundaries everywhere).
var splitChunk int64 = 1 << 20

// findSplits returns the starts of partitions 2..n (fewer if it cannot find
// safe ones). It reads the data part once from the start up to the last split,
// tracking whether each position is inside a quoted field and counting line
// feeds. A line start outside quotes is a record boundary for encoding/csv
// (strict quotes), so a fresh reader started there reads exactly the records
// a single reader would.
//
// Inside a well-formed file a line start is outside quotes when the number of
// quotes before it is even. A stray quote (one that is not at the start of a
// field, or a closing quote not followed by a comma or line end) breaks that
// rule, so the scan stops there: later line starts are never split points,
// and the rest of the file is read by the last partition, exactly as a single
// reader would.
func (ct *csvTable) findSplits(n int) ([]split, error) {
	h, err := ct.src.open()
	if err != nil {
		return nil, err
	}
	defer h.Close()
	s := &splitScanner{
		targets: splitTargets(ct.dataStart, ct.size, n),
		size:    ct.size,
		line:    ct.dataLine,
		prev:    '\n',
	}
	err = s.run(h, ct.dataStart)
	return s.found, err
}

// splitTargets returns the n-1 offsets that cut [start, size) into n equal ranges.
func splitTargets(start, size int64, n int) []int64 {
	t := make([]int64, 0, n-1)
	for k := 1; k < n; k++ {
		t = append(t, start+(size-start)*int64(k)/int64(n))
	}
	return t
}

type splitScanner struct {
	targets []int64 // offsets still to find a split at or after
	found   []split
	size    int64
	floor   int64 // the next split must come after this offset

	in   bool // inside a quoted field
	line int  // line number at the start of the current chunk
	prev byte // the byte before the current chunk
	stop bool // a stray quote: no further splits
}

// run scans the file from off in chunks. Each chunk keeps two bytes of look-ahead
// (a closing quote is judged by what follows it: `""`, `",`, `"\n`, `"\r\n`),
// carried over to the next chunk.
func (s *splitScanner) run(r io.ReaderAt, off int64) error {
	buf := make([]byte, 0, min(splitChunk, s.size-off)+2)
	skip := 0 // bytes at the start of buf already handled
	for len(s.targets) > 0 && !s.stop {
		k := len(buf)
		buf = buf[:cap(buf)]
		n, err := r.ReadAt(buf[k:], off+int64(k))
		buf = buf[:k+n]
		atEOF := off+int64(len(buf)) >= s.size
		if n == 0 && !atEOF {
			return readErr(err)
		}
		limit := len(buf)
		if !atEOF {
			limit -= 2
		}
		next := s.chunk(buf, off, skip, limit, atEOF)
		if atEOF {
			break
		}
		s.line += bytes.Count(buf[:limit], []byte{'\n'})
		s.prev = buf[limit-1]
		skip = next - limit
		off += int64(limit)
		buf = append(buf[:0], buf[limit:]...)
	}
	return nil
}

// chunk handles the quotes in buf[from:limit] (buf starts at file offset base)
// and looks for split points between them. It returns where it stopped, which
// may be one byte past limit after an escaped quote.
func (s *splitScanner) chunk(buf []byte, base int64, from, limit int, atEOF bool) int {
	i := from
	for len(s.targets) > 0 && !s.stop && i < limit {
		q := bytes.IndexByte(buf[i:limit], '"')
		end := limit
		if q >= 0 {
			end = i + q
		}
		if !s.in {
			s.splitIn(buf, base, i, end)
		}
		if q < 0 {
			return limit
		}
		i = s.quote(buf, end, atEOF)
	}
	return i
}

// splitIn looks for split points at line starts in buf[i:end], a stretch
// outside quotes.
func (s *splitScanner) splitIn(buf []byte, base int64, i, end int) {
	for len(s.targets) > 0 {
		from := max(int64(i), s.targets[0]-1-base, s.floor-base)
		if from >= int64(end) {
			return
		}
		nl := bytes.IndexByte(buf[from:end], '\n')
		if nl < 0 {
			return
		}
		at := int(from) + nl + 1
		off := base + int64(at)
		if off >= s.size {
			s.targets = nil
			return
		}
		line := s.line + bytes.Count(buf[:at], []byte{'\n'})
		s.found = append(s.found, split{off, line})
		s.floor = off
		for len(s.targets) > 0 && s.targets[0] <= off {
			s.targets = s.targets[1:]
		}
	}
}

// quote handles the quote at buf[q] and returns where to go on.
func (s *splitScanner) quote(buf []byte, q int, atEOF bool) int {
	if !s.in {
		before := s.prev
		if q > 0 {
			before = buf[q-1]
		}
		if before != ',' && before != '\n' {
			s.stop = true // a quote inside an unquoted field
		}
		s.in = true
		return q + 1
	}
	switch after(buf, q+1) {
	case '"':
		return q + 2 // an escaped quote
	case ',', '\n', -1:
		s.in = false
	case '\r':
		if a := after(buf, q+2); a == '\n' || (a == -1 && atEOF) {
			s.in = false
		} else {
			s.stop = true
		}
	default:
		s.stop = true // text after a closing quote
	}
	return q + 1
}

// after returns buf[i], or -1 past the end of buf.
func after(buf []byte, i int) int {
	if i >= len(buf) {
		return -1
	}
	return int(buf[i])
}
