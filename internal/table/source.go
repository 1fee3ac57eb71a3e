package table

import (
	"bytes"
	"io"
	"os"
)

// source hands out independent read handles on one input, so that the
// partitions of a table can be read concurrently, each with its own offset.
type source interface {
	open() (readAtCloser, error)
}

type readAtCloser interface {
	io.ReaderAt
	io.Closer
}

// fileSource is a file on disk.
type fileSource string

func (p fileSource) open() (readAtCloser, error) { return os.Open(string(p)) }

// memSource is an input held in memory (tests and fuzzing).
type memSource []byte

func (m memSource) open() (readAtCloser, error) { return nopCloser{bytes.NewReader(m)}, nil }

type nopCloser struct{ io.ReaderAt }

func (nopCloser) Close() error { return nil }

// emptyRows is the reader of a table without data rows.
type emptyRows struct{}

func (emptyRows) Next() bool   { return false }
func (emptyRows) Row() *Row    { return nil }
func (emptyRows) Err() error   { return nil }
func (emptyRows) Close() error { return nil }
func (emptyRows) Done() int64  { return 0 }
