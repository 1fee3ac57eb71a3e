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
// A record: uvarint row, op byte, uvarint key length, key, then per field
// uvarint 0 for null or length+1, then the value.
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
func (f *File) Records(ctx context.Context, fields int, fn func(*Record) error) error {
	if f.spool == nil {
		return errors.New("spool: the run kept no rows of " + f.Path)
	}
	rec := &Record{Values: make([]string, fields)}
	for _, path := range f.spool {
		if err := readSpool(ctx, path, rec, fn); err != nil {
			return fmt.Errorf("spool %s: %w", path, err)
		}
	}
	return nil
}

func readSpool(ctx context.Context, path string, rec *Record, fn func(*Record) error) error {
	fh, err := os.Open(path)
	if err != nil {
		return err
	}
	defer fh.Close()
	sr := &spoolReader{r: bufio.NewReaderSize(fh, 256<<10), lens: make([]int, len(rec.Values)+1)}
	for n := 0; ; n++ {
		if n&4095 == 4095 && ctx.Err() != nil {
			return ctx.Err()
		}
		row, err := binary.ReadUvarint(sr.r)
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		if err := sr.row(rec); err != nil {
			return err
		}
		rec.Row = int(row)
		if err := fn(rec); err != nil {
			return err
		}
	}
}

type spoolReader struct {
	r    *bufio.Reader
	buf  []byte
	lens []int // the key's length, then each value's; -1 for null
}

// row reads a row's op, key and values into rec; they share one string,
// the row's one allocation.
func (sr *spoolReader) row(rec *Record) error {
	op, err := sr.r.ReadByte()
	if err != nil {
		return unexpected(err)
	}
	sr.buf = sr.buf[:0]
	for i := range sr.lens {
		n, err := binary.ReadUvarint(sr.r)
		if err != nil {
			return unexpected(err)
		}
		l := int(n) - 1 // a value: 0 is null
		if i == 0 {
			l = int(n) // the key: a plain length
		}
		if l > 0 {
			start := len(sr.buf)
			sr.buf = slices.Grow(sr.buf, l)[:start+l]
			if _, err := io.ReadFull(sr.r, sr.buf[start:]); err != nil {
				return unexpected(err)
			}
		}
		sr.lens[i] = l
	}
	s := string(sr.buf)
	rec.Op = op
	rec.Key, s = s[:sr.lens[0]], s[sr.lens[0]:]
	for i, l := range sr.lens[1:] {
		rec.Values[i] = ""
		if l > 0 {
			rec.Values[i], s = s[:l], s[l:]
		}
	}
	return nil
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
