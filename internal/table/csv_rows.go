package table

import (
	"bufio"
	"encoding/csv"
	"errors"
	"io"
	"math/bits"
	"strings"
	"unicode/utf8"
)

// maxRestarts bounds how often one reader resumes after a quote left open to
// the end of the file; each resume re-reads the rest of the partition.
const maxRestarts = 16

// csvRows reads the records of one byte range [start, end) of a CSV file.
//
// The raw bytes are parsed by encoding/csv and only then decoded: the bytes
// encoding/csv acts on (", comma, CR, LF) never occur inside a GB18030
// multi-byte character, so parsing first is safe and lets ASCII cells skip
// decoding altogether.
//
// LazyQuotes is off. With it on, a quote that is never closed silently turns
// the rest of the file into one cell; with it off, a stray quote is a
// FILE-ROW-SHAPE problem on its own row, and the quote state of a line start
// follows from counting quotes, which is what lets Partitions split safely.
type csvRows struct {
	ct    *csvTable
	h     readAtCloser
	start int64 // where this partition starts
	end   int64 // where it ends

	r        *csv.Reader
	base     int64 // file offset where r started reading
	baseLine int   // line number of the line at base
	prevEnd  int64 // file offset just after the previous record
	nextLine int   // line number of the line at prevEnd

	restartAt   int64 // >= 0: resume reading here (after a quote left open to the end)
	restartLine int
	restarts    int

	// Simple lines (no quotes, or quoted fields closed on the line) are split
	// here, without encoding/csv (a third of the cost of reading); the first
	// line that is not simple hands the rest of the partition to encoding/csv,
	// which starts there outside quotes.
	fast     *blockLines
	fastOff  int64 // offset of the next line
	fastLine int   // its line number
	fields   []string

	dec  *cellDecoder
	row  Row
	done int64
	err  error
}

// fastLines switches the quote-free fast path on (tests compare both ways).
var fastLines = true

func newCSVRows(ct *csvTable, h readAtCloser, start, end int64, line int) *csvRows {
	c := &csvRows{ct: ct, h: h, start: start, end: end, dec: newCellDecoder(ct.enc), restartAt: -1}
	if !fastLines {
		c.reset(start, line)
		return c
	}
	c.fast = newBlockLines(io.NewSectionReader(h, start, end-start), end-start)
	c.fastOff, c.fastLine = start, line
	c.prevEnd, c.nextLine = start, line
	return c
}

// nextFast reads the next record if it has no quote. handled is false when
// the record must go to encoding/csv instead (c.r is then set up).
func (c *csvRows) nextFast() (handled, ok bool) {
	for {
		line, err := c.fast.next()
		if err == bufio.ErrBufferFull {
			return c.handOver()
		}
		if len(line) == 0 {
			c.fast = nil
			if !errors.Is(err, io.EOF) {
				c.err = err
			}
			return true, false
		}
		off, num := c.fastOff, c.fastLine
		c.fastOff += int64(len(line))
		c.fastLine++
		c.done = c.fastOff - c.start
		text := trimEOL(line, err != nil)
		if len(text) == 0 {
			continue // a blank line: no record, but it keeps its number
		}
		fields, simple := splitLine(text, c.fields[:0])
		if !simple { // a quoted newline, or a quote encoding/csv would refuse
			c.fastOff, c.fastLine = off, num
			return c.handOver()
		}
		c.fields = fields
		c.prevEnd, c.nextLine = c.fastOff, c.fastLine
		c.err = c.fastRecord(text, off, num)
		return true, c.err == nil
	}
}

// handOver gives the rest of the partition, from the current line, to encoding/csv.
func (c *csvRows) handOver() (handled, ok bool) {
	c.fast = nil
	c.reset(c.fastOff, c.fastLine)
	return false, false
}

// splitLine splits one line into fields as encoding/csv (strict quotes) would,
// when that is simple: unquoted fields without quotes, and quoted fields that
// close on the same line and are followed by a comma or the end. ok is false
// otherwise, and encoding/csv reads the record.
func splitLine(line string, fields []string) (_ []string, ok bool) {
	if strings.IndexByte(line, '"') < 0 { // most lines: one scan for quotes, not one per field
		return splitPlain(line, fields), true
	}
	for {
		if line != "" && line[0] == '"' {
			field, rest, closed := unquote(line[1:])
			if !closed || (rest != "" && rest[0] != ',') {
				return nil, false
			}
			fields = append(fields, field)
			if rest == "" {
				return fields, true
			}
			line = rest[1:]
			continue
		}
		i := strings.IndexByte(line, ',')
		field := line
		if i >= 0 {
			field = line[:i]
		}
		if strings.IndexByte(field, '"') >= 0 {
			return nil, false // a bare quote: encoding/csv reports it
		}
		fields = append(fields, field)
		if i < 0 {
			return fields, true
		}
		line = line[i+1:]
	}
}

// splitPlain splits a line without quotes at its commas, eight bytes at a
// time: fields are short (about 8 bytes), and a call to strings.IndexByte per
// field cost more than the search (splitLine was 11% of a validation run).
func splitPlain(line string, fields []string) []string {
	start, i := 0, 0
	for ; i+8 <= len(line); i += 8 {
		for m := commas(load64(line, i)); m != 0; m &= m - 1 {
			at := i + bits.TrailingZeros64(m)/8
			fields = append(fields, line[start:at])
			start = at + 1
		}
	}
	for ; i < len(line); i++ {
		if line[i] == ',' {
			fields = append(fields, line[start:i])
			start = i + 1
		}
	}
	return append(fields, line[start:])
}

// load64 reads 8 bytes of s from i, little-endian (one load).
func load64(s string, i int) uint64 {
	s = s[i : i+8]
	return uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
		uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56
}

// commas returns the top bit of each byte of w that is a comma, and no other
// bit: the exact zero-byte test on w XOR ",,,,,,,,", free of carries between bytes.
func commas(w uint64) uint64 {
	const lo7, comma = 0x7F7F7F7F7F7F7F7F, 0x2C2C2C2C2C2C2C2C
	x := w ^ comma
	return ^((x&lo7 + lo7) | x | lo7)
}

// unquote reads a quoted field's text up to its closing quote ("" is one quote).
func unquote(s string) (field, rest string, closed bool) {
	var b []byte
	for {
		j := strings.IndexByte(s, '"')
		if j < 0 {
			return "", "", false
		}
		if j+1 < len(s) && s[j+1] == '"' {
			b = append(b, s[:j+1]...)
			s = s[j+2:]
			continue
		}
		if b == nil {
			return s[:j], s[j+1:], true
		}
		return string(append(b, s[:j]...)), s[j+1:], true
	}
}

// trimEOL drops the line ending as encoding/csv does: "\r\n" or "\n", and a
// lone "\r" before the end of the file.
func trimEOL(line string, atEOF bool) string {
	n := len(line)
	switch {
	case n >= 2 && line[n-2] == '\r' && line[n-1] == '\n':
		return line[:n-2]
	case n >= 1 && line[n-1] == '\n':
		return line[:n-1]
	case atEOF && n >= 1 && line[n-1] == '\r':
		return line[:n-1]
	}
	return line
}

// fastRecord makes the fields splitLine found in line the current row. A UTF-8
// line is validated once, not cell by cell.
func (c *csvRows) fastRecord(line string, off int64, num int) error {
	cells, ok := c.fields, true
	if c.dec.gb || !utf8.ValidString(line) {
		cells, ok = c.dec.decode(c.fields)
	}
	if ok {
		c.row = Row{Num: num, Cells: cells, Offset: off}
		return nil
	}
	p, err := c.encodingProblem(off, c.fastOff, num)
	c.row = Row{Num: num, Offset: off, Problem: p}
	return err
}

// reset starts a fresh encoding/csv reader at offset off, which is line line.
func (c *csvRows) reset(off int64, line int) {
	sr := io.NewSectionReader(c.h, off, c.end-off)
	c.r = csv.NewReader(bufio.NewReaderSize(sr, int(min(64<<10, max(c.end-off, 4096)))))
	c.r.FieldsPerRecord = -1
	c.r.ReuseRecord = true
	c.base, c.baseLine = off, line
	c.prevEnd, c.nextLine = off, line
}

func (c *csvRows) Next() bool {
	if c.err != nil {
		return false
	}
	if c.fast != nil {
		if handled, ok := c.nextFast(); handled {
			return ok
		}
	}
	if c.r == nil {
		return false
	}
	if c.restartAt >= 0 {
		c.restarts++
		c.reset(c.restartAt, c.restartLine)
		c.restartAt = -1
	}
	rec, err := c.r.Read()
	c.done = max(c.done, c.base+c.r.InputOffset()-c.start)
	if err == nil {
		c.err = c.record(rec)
		return c.err == nil
	}
	if errors.Is(err, io.EOF) {
		c.r = nil
		return false
	}
	var perr *csv.ParseError
	if errors.As(err, &perr) {
		c.err = c.syntaxProblem(perr)
		return c.err == nil
	}
	c.err = err
	return false
}

func (c *csvRows) Row() *Row   { return &c.row }
func (c *csvRows) Err() error  { return c.err }
func (c *csvRows) Done() int64 { return c.done }

func (c *csvRows) Close() error {
	c.r, c.fast = nil, nil
	return c.h.Close()
}

// record turns a parsed record into the current row.
func (c *csvRows) record(rec []string) error {
	l, _ := c.r.FieldPos(0)
	num := c.baseLine + l - 1
	off, err := c.recordStart(num)
	if err != nil {
		return err
	}
	end := c.base + c.r.InputOffset()
	last := len(rec) - 1
	ll, _ := c.r.FieldPos(last)
	c.prevEnd, c.nextLine = end, c.baseLine+ll-1+strings.Count(rec[last], "\n")+1
	cells, ok := c.dec.decode(rec)
	if ok {
		c.row = Row{Num: num, Cells: cells, Offset: off}
		return nil
	}
	p, err := c.encodingProblem(off, end, num)
	c.row = Row{Num: num, Offset: off, Problem: p}
	return err
}

// recordStart returns the offset of the record that starts on line num. It is
// prevEnd unless encoding/csv skipped blank lines in between.
func (c *csvRows) recordStart(num int) (int64, error) {
	if num <= c.nextLine {
		return c.prevEnd, nil
	}
	return skipLines(c.h, c.prevEnd, c.end, num-c.nextLine)
}

// skipLines returns the offset just after the n-th line feed from off.
func skipLines(r io.ReaderAt, off, end int64, n int) (int64, error) {
	buf := make([]byte, 4096)
	for off < end {
		k, err := r.ReadAt(buf[:min(int64(len(buf)), end-off)], off)
		if k == 0 {
			return 0, readErr(err)
		}
		for i, b := range buf[:k] {
			if b == '\n' {
				if n--; n == 0 {
					return off + int64(i) + 1, nil
				}
			}
		}
		off += int64(k)
	}
	return end, nil
}
