package store

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5/stdlib"
)

// copyValues runs query (no parameters: COPY takes none) through PostgreSQL's
// COPY … TO STDOUT and calls fn with each row's fields as text, NULL as "".
// An export of a whole dataset streams this way at the server's own rate:
// through pgx's row decoding it was client-CPU bound (performance.md: 291k
// against 342k rows/s). fn must not keep the slice.
func (s *Store) copyValues(ctx context.Context, query string, fields int, fn func([]string) error) error {
	c, err := s.r.Conn(ctx)
	if err != nil {
		return err
	}
	defer c.Close()
	return s.copyOut(ctx, c, query, newCopyRows(fields, fn))
}

// copyLines is copyValues handing fn each row's raw line, escapes and all:
// for a caller that needs no strings. fn must not keep the line.
func (s *Store) copyLines(ctx context.Context, query string, fn func(line []byte) error) error {
	c, err := s.r.Conn(ctx)
	if err != nil {
		return err
	}
	defer c.Close()
	return s.copyOut(ctx, c, query, &copyRows{line: fn})
}

func (s *Store) copyOut(ctx context.Context, c *sql.Conn, query string, rows *copyRows) error {
	return c.Raw(func(dc any) error {
		pg := dc.(*stdlib.Conn).Conn().PgConn()
		if _, err := pg.CopyTo(ctx, rows, "COPY ("+query+") TO STDOUT"); err != nil {
			return err
		}
		if len(rows.buf) > 0 {
			return fmt.Errorf("copy: %d bytes after the last row", len(rows.buf))
		}
		return nil
	})
}

// copyRows splits COPY's text format (fields by tab, rows by newline,
// backslash escapes, \N for NULL) into rows as it arrives. PostgreSQL sends
// a row per message, but nothing here relies on it.
type copyRows struct {
	buf  []byte // the start of a row not yet complete
	line func([]byte) error
	vals []string
	fn   func([]string) error
}

// newCopyRows splits rows into fields for fn.
func newCopyRows(fields int, fn func([]string) error) *copyRows {
	r := &copyRows{vals: make([]string, fields), fn: fn}
	r.line = r.row
	return r
}

func (r *copyRows) Write(p []byte) (int, error) {
	n := len(p)
	if len(r.buf) > 0 {
		i := bytes.IndexByte(p, '\n')
		if i < 0 {
			r.buf = append(r.buf, p...)
			return n, nil
		}
		r.buf = append(r.buf, p[:i]...)
		if err := r.line(r.buf); err != nil {
			return 0, err
		}
		r.buf, p = r.buf[:0], p[i+1:]
	}
	for {
		i := bytes.IndexByte(p, '\n')
		if i < 0 {
			r.buf = append(r.buf, p...)
			return n, nil
		}
		if err := r.line(p[:i]); err != nil {
			return 0, err
		}
		p = p[i+1:]
	}
}

// row decodes one row; its fields share one string, the row's only allocation
// unless a field holds an escape.
func (r *copyRows) row(line []byte) error {
	s := string(line)
	last := len(r.vals) - 1
	for i := range r.vals {
		f := s
		if i < last {
			j := strings.IndexByte(s, '\t')
			if j < 0 {
				return fmt.Errorf("copy: a row of %d fields, want %d", i+1, len(r.vals))
			}
			f, s = s[:j], s[j+1:]
		} else if strings.IndexByte(f, '\t') >= 0 {
			return fmt.Errorf("copy: a row of more than %d fields", len(r.vals))
		}
		switch {
		case f == `\N`:
			f = ""
		case strings.IndexByte(f, '\\') >= 0:
			f = unescapeCopy(f)
		}
		r.vals[i] = f
	}
	return r.fn(r.vals)
}

// unescapeCopy undoes the escapes COPY TO writes: \\ \b \f \n \r \t \v
// (it never writes octal or hex ones).
func unescapeCopy(f string) string {
	var b strings.Builder
	b.Grow(len(f))
	for i := 0; i < len(f); i++ {
		c := f[i]
		if c != '\\' || i+1 == len(f) {
			b.WriteByte(c)
			continue
		}
		i++
		switch f[i] {
		case 'b':
			c = '\b'
		case 'f':
			c = '\f'
		case 'n':
			c = '\n'
		case 'r':
			c = '\r'
		case 't':
			c = '\t'
		case 'v':
			c = '\v'
		default:
			c = f[i]
		}
		b.WriteByte(c)
	}
	return b.String()
}
