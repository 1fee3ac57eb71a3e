package table

import (
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"io"

	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/transform"
)

// Rule ids of the problems the readers report (contracts.md §3).
const (
	RuleEncoding = "FILE-ENCODING"
	RuleRowShape = "FILE-ROW-SHAPE"
)

// encodingProblem locates the first byte of the record [off, end) that is
// invalid in the file's encoding. The raw record holds the same non-ASCII bytes
// in the same order as its cells (encoding/csv only drops quotes, commas and
// line ends, none of which can complete a multi-byte character), so the first
// bad byte of the raw record is the one that spoilt a cell.
func (c *csvRows) encodingProblem(off, end int64, num int) (*Problem, error) {
	bad, line, col, err := firstInvalidByte(c.h, off, end, num, c.ct.enc)
	if err != nil {
		return nil, err
	}
	msg := fmt.Sprintf("第 %d 行第 %d 字节（文件偏移 %d）不是有效的 %s 编码（本文件按 %[4]s 读取）", line, col, bad, c.ct.enc)
	return &Problem{Rule: RuleEncoding, Offset: bad, Message: msg}, nil
}

// firstInvalidByte scans [off, end), which starts on line line, for the first
// character that is invalid in enc, and returns its offset, line and 1-based
// byte column. If every character is valid it returns off.
func firstInvalidByte(r io.ReaderAt, off, end int64, line int, enc string) (bad int64, l, col int, err error) {
	var t transform.Transformer
	if enc == GB18030 {
		t = simplifiedchinese.GB18030.NewDecoder()
	}
	buf := make([]byte, 64<<10)
	lineStart, pos, firstLine := off, off, line
	for pos < end {
		n, err := r.ReadAt(buf[:min(int64(len(buf)), end-pos)], pos)
		if n == 0 {
			return 0, 0, 0, readErr(err)
		}
		b, atEOF, i := buf[:n], pos+int64(n) >= end, 0
		for i < len(b) {
			size, valid, more := charStep(b[i:], enc, atEOF, t)
			if more {
				break
			}
			if !valid {
				at := pos + int64(i)
				return at, line, int(at-lineStart) + 1, nil
			}
			if b[i] == '\n' {
				line, lineStart = line+1, pos+int64(i)+1
			}
			i += size
		}
		if i == 0 {
			break
		}
		pos += int64(i)
	}
	return off, firstLine, 1, nil
}

// syntaxProblem turns an encoding/csv parse error into a FILE-ROW-SHAPE row.
// encoding/csv has then consumed the line the error is on; reading goes on
// with the next line, except after a quote left open to the end of the range,
// where it resumes on the line after the opening quote so that one stray quote
// does not hide every row after it.
func (c *csvRows) syntaxProblem(perr *csv.ParseError) error {
	num := c.baseLine + perr.StartLine - 1
	off, err := c.recordStart(num)
	if err != nil {
		return err
	}
	errLine := c.baseLine + perr.Line - 1
	c.prevEnd, c.nextLine = c.base+c.r.InputOffset(), errLine+1
	q := int64(-1)
	if errors.Is(perr.Err, csv.ErrQuote) && c.prevEnd >= c.end {
		if q, err = openQuoteAt(c.h, off, c.end); err != nil {
			return err
		}
	}
	var p *Problem
	if q >= 0 {
		p, err = c.openQuoteProblem(off, num, q)
	} else {
		p, err = c.quoteProblem(off, num, errLine, perr)
	}
	c.row = Row{Num: num, Offset: off, Problem: p}
	return err
}

func (c *csvRows) quoteProblem(off int64, num, errLine int, perr *csv.ParseError) (*Problem, error) {
	lineOff := off
	if errLine > num {
		var err error
		if lineOff, err = skipLines(c.h, off, c.end, errLine-num); err != nil {
			return nil, err
		}
	}
	at := lineOff + int64(perr.Column) - 1
	what := "带引号的字段在右引号之后还有内容（字段中的英文双引号应写成两个：\"\"）"
	if errors.Is(perr.Err, csv.ErrBareQuote) {
		what = "未加引号的字段中出现了英文双引号 \"（这样的字段应整个用双引号括起，其中的 \" 写成 \"\"）"
	}
	msg := fmt.Sprintf("第 %d 行第 %d 字节（文件偏移 %d）：%s", errLine, perr.Column, at, what)
	return &Problem{Rule: RuleRowShape, Offset: at, Message: msg}, nil
}

// openQuoteProblem reports a quote that is never closed and arranges for
// reading to resume on the line after it.
func (c *csvRows) openQuoteProblem(off int64, num int, q int64) (*Problem, error) {
	qLine, qCol, lineOff, err := lineCol(c.h, off, num, q)
	if err != nil {
		return nil, err
	}
	next, err := skipLines(c.h, lineOff, c.end, 1)
	if err != nil {
		return nil, err
	}
	msg := fmt.Sprintf("第 %d 行第 %d 字节（文件偏移 %d）开始的带引号字段直到文件末尾都没有结束（缺少右引号 \"）", qLine, qCol, q)
	switch {
	case next >= c.end:
	case c.restarts < maxRestarts:
		c.restartAt, c.restartLine = next, qLine+1
		msg += fmt.Sprintf("，已从第 %d 行起继续读取", qLine+1)
	default:
		msg += "，其后的内容无法读取"
	}
	return &Problem{Rule: RuleRowShape, Offset: q, Message: msg}, nil
}

// openQuoteAt returns the offset of the opening quote that is still open at
// end, scanning from off (outside quotes), or -1 if none is. It is called for
// a record that ends in a quote error at the end of the range: either a quote
// is still open (all the record's quotes are then regular), or text follows a
// closing quote.
func openQuoteAt(r io.ReaderAt, off, end int64) (int64, error) {
	br := bufio.NewReader(io.NewSectionReader(r, off, end-off))
	in, at := false, int64(-1)
	for pos := off; ; pos++ {
		b, err := br.ReadByte()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return 0, err
		}
		if b != '"' {
			continue
		}
		switch {
		case !in:
			in, at = true, pos
		case peekByte(br) == '"':
			br.ReadByte()
			pos++
		default:
			in = false
		}
	}
	if !in {
		return -1, nil
	}
	return at, nil
}

func peekByte(br *bufio.Reader) int {
	b, err := br.Peek(1)
	if err != nil {
		return -1
	}
	return int(b[0])
}

// lineCol returns the line, 1-based byte column and line start of the byte at
// target, counting from off, which is at the start of line line.
func lineCol(r io.ReaderAt, off int64, line int, target int64) (l, col int, lineOff int64, err error) {
	buf := make([]byte, 4096)
	lineOff = off
	for pos := off; pos < target; {
		n, err := r.ReadAt(buf[:min(int64(len(buf)), target-pos)], pos)
		if n == 0 {
			return 0, 0, 0, readErr(err)
		}
		for i, b := range buf[:n] {
			if b == '\n' {
				line, lineOff = line+1, pos+int64(i)+1
			}
		}
		pos += int64(n)
	}
	return line, int(target-lineOff) + 1, lineOff, nil
}
