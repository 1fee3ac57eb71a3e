package table

import (
	"bufio"
	"errors"
	"io"
	"strings"
)

// lineBlock is how much of a partition blockLines turns into one string (a
// variable so that tests can put block boundaries everywhere).
var lineBlock int64 = 1 << 20

// blockLines yields the lines of a byte range as strings cut from blocks:
// one allocation and one bulk copy per block instead of a string per line
// (string(line) was 5% of a validation run's CPU, mostly malloc). A cell
// therefore keeps its whole block alive: a reader that keeps cells past the
// next row should clone them, as Rows already asks.
type blockLines struct {
	r     io.Reader
	buf   []byte // reused: each block is copied out of it into a string
	block string
	pos   int
	err   error // the reader's error once it is exhausted (io.EOF at the end)
}

func newBlockLines(r io.Reader, size int64) *blockLines {
	return &blockLines{r: r, buf: make([]byte, min(lineBlock, max(size, 4096)))}
}

// next returns the next line with its "\n", or the last bytes without one
// together with the reader's error (io.EOF at the end). It returns
// bufio.ErrBufferFull for a line longer than a block.
func (l *blockLines) next() (string, error) {
	for {
		if i := strings.IndexByte(l.block[l.pos:], '\n'); i >= 0 {
			line := l.block[l.pos : l.pos+i+1]
			l.pos += i + 1
			return line, nil
		}
		if l.err != nil {
			line := l.block[l.pos:]
			l.pos = len(l.block)
			return line, l.err
		}
		if err := l.fill(); err != nil {
			return "", err
		}
	}
}

// fill makes the next block: the unfinished line, then as much as fits.
func (l *blockLines) fill() error {
	carry := l.block[l.pos:]
	if len(carry) == len(l.buf) {
		return bufio.ErrBufferFull
	}
	n := copy(l.buf, carry)
	k, err := io.ReadFull(l.r, l.buf[n:])
	if errors.Is(err, io.ErrUnexpectedEOF) {
		err = io.EOF
	}
	l.err = err
	l.block, l.pos = string(l.buf[:n+k]), 0
	return nil
}
