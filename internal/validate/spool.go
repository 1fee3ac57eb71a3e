package validate

import (
	"bufio"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"sync/atomic"
)

// A spool keeps the normalised rows a run has read (Options.Spool), one file
// per partition, so that the hub stores a package's rows without reading
// and normalising its files a second time: File.Records reads them back.
// That second pass (Records) cost a 1,000,000-row package about 3.3 s of
// CPU on one core; reading the spool back costs a fraction of it.
//
// A record: uvarint length of the rest, then uvarint row, op byte, uvarint
// key length, key, then per field uvarint 0 for null or length+1, then the
// value. The length lets the reader take a record in one piece.
type spoolWriter struct {
	path string
	f    *os.File
	bw   *bufio.Writer
	buf  []byte
}

var spoolSeq atomic.Int64

func newSpoolWriter(dir string) (*spoolWriter, error) {
	path := filepath.Join(dir, "rows-"+strconv.FormatInt(spoolSeq.Add(1), 10)+".spool")
	f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return nil, fmt.Errorf("spool: %w", err)
	}
	return &spoolWriter{path: path, f: f, bw: bufio.NewWriterSize(f, 256<<10)}, nil
}

// put writes one row; write errors surface at close.
func (s *spoolWriter) put(row int, op byte, key string, vals []value) {
	b := binary.AppendUvarint(s.buf[:0], uint64(row))
	b = append(b, op)
	b = binary.AppendUvarint(b, uint64(len(key)))
	b = append(b, key...)
	for i := range vals {
		if vals[i].state == null {
			b = append(b, 0)
			continue
		}
		b = binary.AppendUvarint(b, uint64(len(vals[i].s))+1)
		b = append(b, vals[i].s...)
	}
	s.buf = b
	var n [binary.MaxVarintLen64]byte
	s.bw.Write(binary.AppendUvarint(n[:0], uint64(len(b))))
	s.bw.Write(b)
}

func (s *spoolWriter) close() error {
	err := s.bw.Flush()
	if cerr := s.f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("spool %s: %w", s.path, err)
	}
	return nil
}

// openSpools gives each worker of a checked table a spool (Options.Spool).
func (t *tableRun) openSpools(workers []*worker) error {
	if t.c.spool == "" || t.fromRef {
		return nil
	}
	for i, w := range workers {
		var err error
		if w.spool, err = newSpoolWriter(t.c.spool); err != nil {
			for _, w := range workers[:i] {
				w.spool.close()
				os.Remove(w.spool.path)
			}
			return err
		}
	}
	return nil
}

// keepSpools closes the workers' spools and, when the table was read
// without error, hands them to its File in partition order (row order).
func (t *tableRun) keepSpools(workers []*worker, err error) error {
	var paths []string
	for _, w := range workers {
		if w.spool == nil {
			continue
		}
		err = errors.Join(err, w.spool.close())
		paths = append(paths, w.spool.path)
	}
	if err != nil {
		removeSpools(paths)
		return err
	}
	if paths != nil {
		t.file.spool = paths
	}
	return nil
}

// Spooled reports whether the run kept this table's rows (Options.Spool).
func (f *File) Spooled() bool { return f.spool != nil }

// Records calls fn with each data row of the table as Records would, in
// order, read from the run's spool. fn must not keep rec or its Values.
//
// The rows are decoded ahead in a goroutine of their own, so that on two
// cores decoding overlaps what fn does with them (the hub's store: an
// unchanged 1,000,000-row snapshot spent 0.7–1.1 s decoding on the
// goroutine that also puts the rows).
func (f *File) Records(ctx context.Context, fields int, fn func(*Record) error) error {
	if f.spool == nil {
		return errors.New("spool: the run kept no rows of " + f.Path)
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	full, free := make(chan *spoolBatch, 2), make(chan *spoolBatch, 3)
	go decodeSpools(ctx, f.spool, fields, full, free)
	for b := range full {
		if b.err != nil {
			return b.err
		}
		for i := range b.recs {
			if err := fn(&b.recs[i]); err != nil {
				return err
			}
		}
		select { // for reuse, unless the decoder has enough or is done
		case free <- b:
		default:
		}
	}
	return ctx.Err()
}

// spoolBatch is rows decoded ahead; their Values share one slice.
type spoolBatch struct {
	recs []Record
	vals []string
	err  error
}

const spoolBatchRows = 512

// decodeSpools sends the spools' rows in order, in batches, and closes full;
// a batch with err ends it early. It stops when ctx is done.
func decodeSpools(ctx context.Context, paths []string, fields int, full chan<- *spoolBatch, free chan *spoolBatch) {
	defer close(full)
	var b *spoolBatch
	send := func() bool {
		select {
		case full <- b:
			b = nil
			return true
		case <-ctx.Done():
			return false
		}
	}
	for _, path := range paths {
		err := readSpool(ctx, path, fields, func(next func(*Record) error) error {
			for {
				if b == nil {
					select {
					case b = <-free:
						b.recs = b.recs[:0]
					default:
						b = &spoolBatch{vals: make([]string, spoolBatchRows*fields)}
					}
				}
				i := len(b.recs)
				b.recs = append(b.recs, Record{Values: b.vals[i*fields : (i+1)*fields : (i+1)*fields]})
				if err := next(&b.recs[i]); err != nil {
					b.recs = b.recs[:i]
					return err
				}
				if len(b.recs) == spoolBatchRows && !send() {
					return ctx.Err()
				}
			}
		})
		if err == io.EOF {
			continue
		}
		if b == nil {
			b = &spoolBatch{}
		}
		b.recs, b.err = nil, fmt.Errorf("spool %s: %w", path, err)
		send()
		return
	}
	if b != nil && len(b.recs) > 0 {
		send()
	}
}

// readSpool opens a spool and calls each with a function that decodes its
// next row into a Record, or returns io.EOF after the last.
func readSpool(ctx context.Context, path string, fields int, each func(next func(*Record) error) error) error {
	fh, err := os.Open(path)
	if err != nil {
		return err
	}
	defer fh.Close()
	sr := &spoolReader{r: bufio.NewReaderSize(fh, 256<<10)}
	n := 0
	return each(func(rec *Record) error {
		if n++; n&4095 == 0 && ctx.Err() != nil {
			return ctx.Err()
		}
		return sr.row(rec, fields)
	})
}

type spoolReader struct {
	r   *bufio.Reader
	big []byte // a record longer than the buffer
}

// row reads the next record into rec; its key and values share one string,
// the row's one allocation. io.EOF: there is none.
func (sr *spoolReader) row(rec *Record, fields int) error {
	n, err := binary.ReadUvarint(sr.r)
	if err != nil {
		if err == io.EOF {
			return io.EOF
		}
		return unexpected(err)
	}
	var raw []byte
	if int(n) <= sr.r.Size() {
		raw, err = sr.r.Peek(int(n))
		sr.r.Discard(len(raw))
	} else {
		sr.big = slices.Grow(sr.big[:0], int(n))[:n]
		_, err = io.ReadFull(sr.r, sr.big)
		raw = sr.big
	}
	if err != nil {
		return unexpected(err)
	}
	return decodeRecord(string(raw), rec, fields)
}

var errSpoolRecord = errors.New("spool: a malformed record")

// decodeRecord parses one record (the part after its length).
func decodeRecord(s string, rec *Record, fields int) error {
	row, s, ok := uvarint(s)
	if !ok || len(s) == 0 {
		return errSpoolRecord
	}
	rec.Row, rec.Op, s = int(row), s[0], s[1:]
	n, s, ok := uvarint(s)
	if !ok || uint64(len(s)) < n {
		return errSpoolRecord
	}
	rec.Key, s = s[:n], s[n:]
	for i := range fields {
		if n, s, ok = uvarint(s); !ok || uint64(len(s))+1 < n {
			return errSpoolRecord
		}
		rec.Values[i] = ""
		if n > 0 {
			rec.Values[i], s = s[:n-1], s[n-1:]
		}
	}
	if len(s) > 0 {
		return errSpoolRecord
	}
	return nil
}

// uvarint reads a uvarint at the start of s.
func uvarint(s string) (uint64, string, bool) {
	var x uint64
	for i := 0; i < len(s) && i < binary.MaxVarintLen64; i++ {
		c := s[i]
		if c < 0x80 {
			return x | uint64(c)<<(7*i), s[i+1:], true
		}
		x |= uint64(c&0x7f) << (7 * i)
	}
	return 0, s, false
}

func unexpected(err error) error {
	if err == io.EOF {
		return io.ErrUnexpectedEOF
	}
	return err
}

// removeSpools deletes spool files (a run that failed).
func removeSpools(paths []string) {
	for _, p := range paths {
		os.Remove(p)
	}
}
