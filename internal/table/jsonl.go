package table

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"unicode/utf8"
)

// jsonlTable reads a JSON Lines file: one JSON object per line.
type jsonlTable struct {
	src   source
	start int64 // after a UTF-8 BOM
	size  int64
	index map[string]int // key → column
	width int
}

func openJSONL(path string) (*File, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	return openJSONLSource(path, fileSource(path), fi.Size())
}

// openJSONLSource reads the file once to collect the keys, in order of first
// appearance: they are the header.
func openJSONLSource(path string, src source, size int64) (*File, error) {
	h, err := src.open()
	if err != nil {
		return nil, err
	}
	defer h.Close()
	start, err := bomLength(h, size)
	if err != nil {
		return nil, err
	}
	jt := &jsonlTable{src: src, start: start, size: size, index: map[string]int{}}
	t := &Table{Path: path, Size: size - start, open: jt.partitions}
	lr := newLineReader(h, start, size)
	for lr.scan() {
		if isBlank(lr.line) {
			continue
		}
		t.HeaderRow = 1 // the header is implied; data rows are numbered line + 1
		if !utf8.Valid(lr.line) {
			continue
		}
		_ = eachMember(lr.line, func(key string, _ json.RawMessage) error {
			if _, ok := jt.index[key]; !ok {
				jt.index[key] = len(t.Header)
				t.Header = append(t.Header, strings.TrimSpace(key))
			}
			return nil
		})
	}
	if lr.err != nil {
		return nil, lr.err
	}
	jt.width = len(t.Header)
	return &File{Path: path, Format: JSONL, Tables: []*Table{t}}, nil
}

func (jt *jsonlTable) partitions(int) ([]Rows, error) {
	h, err := jt.src.open()
	if err != nil {
		return nil, err
	}
	return []Rows{&jsonlRows{jt: jt, h: h, lr: newLineReader(h, jt.start, jt.size)}}, nil
}

func isBlank(b []byte) bool { return len(bytes.TrimSpace(b)) == 0 }

// eachMember calls fn with each member of the JSON object on line, in order.
// It fails if the line is anything but one object.
func eachMember(line []byte, fn func(key string, raw json.RawMessage) error) error {
	err := members(line, fn)
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return errIncomplete
	}
	return err
}

func members(line []byte, fn func(key string, raw json.RawMessage) error) error {
	dec := json.NewDecoder(bytes.NewReader(line))
	dec.UseNumber()
	if tok, err := dec.Token(); err != nil {
		return err
	} else if tok != json.Delim('{') {
		return errNotObject
	}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return err
		}
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return err
		}
		if err := fn(tok.(string), raw); err != nil {
			return err
		}
	}
	if _, err := dec.Token(); err != nil {
		return err
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return errTrailing
	}
	return nil
}

var (
	errNotObject  = errors.New("不是 JSON 对象 {…}")
	errTrailing   = errors.New("对象之后还有多余的内容")
	errIncomplete = errors.New("对象不完整（缺少右括号、引号或值）")
	errSurrogate  = errors.New("含有无效的 \\u 转义（单独的代理项）")
)

// jsonlRows reads the data rows of a JSONL file.
type jsonlRows struct {
	jt    *jsonlTable
	h     readAtCloser
	lr    *lineReader
	row   Row
	cells []string
	err   error
}

func (r *jsonlRows) Next() bool {
	if r.err != nil || r.lr == nil {
		return false
	}
	for r.lr.scan() {
		if isBlank(r.lr.line) {
			continue
		}
		r.row = Row{Num: r.lr.num + 1, Offset: r.lr.off}
		if !utf8.Valid(r.lr.line) {
			r.row.Problem = r.encodingProblem()
			return true
		}
		if err := r.fill(); err != nil {
			r.row.Problem = r.shapeProblem(err)
			return true
		}
		r.row.Cells = r.cells
		return true
	}
	r.err = r.lr.err
	return false
}

// fill sets r.cells from the object on the current line.
func (r *jsonlRows) fill() error {
	r.cells = r.cells[:0]
	for range r.jt.width {
		r.cells = append(r.cells, "")
	}
	return eachMember(r.lr.line, func(key string, raw json.RawMessage) error {
		i, ok := r.jt.index[key]
		if !ok {
			return nil // a key that was not there on the first pass: the file changed
		}
		v, err := jsonText(raw)
		r.cells[i] = v
		return err
	})
}

// jsonText is the cell text of a JSON value: strings as they are, numbers as
// written, true/false, "" for null, and objects and arrays as compact JSON.
func jsonText(raw json.RawMessage) (string, error) {
	switch raw[0] {
	case '"':
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return "", err
		}
		if strings.ContainsRune(s, utf8.RuneError) && strings.Count(s, "\uFFFD") > legitFFFD(raw) {
			return "", errSurrogate
		}
		return s, nil
	case 'n':
		return "", nil
	case '{', '[':
		var b bytes.Buffer
		if err := json.Compact(&b, raw); err != nil {
			return "", err
		}
		return b.String(), nil
	default: // numbers, true, false
		return string(raw), nil
	}
}

// legitFFFD counts the ways raw spells U+FFFD itself: the character, or its escape.
func legitFFFD(raw []byte) int {
	return bytes.Count(raw, utf8FFFD) + strings.Count(strings.ToLower(string(raw)), `\ufffd`)
}

func (r *jsonlRows) encodingProblem() *Problem {
	i := invalidUTF8At(r.lr.line)
	at := r.lr.off + int64(i)
	msg := fmt.Sprintf("第 %d 行第 %d 字节（文件偏移 %d）不是有效的 UTF-8 编码（JSONL 文件只能是 UTF-8）", r.lr.num, i+1, at)
	return &Problem{Rule: RuleEncoding, Offset: at, Message: msg}
}

func invalidUTF8At(b []byte) int {
	for i := 0; i < len(b); {
		r, size := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && size == 1 {
			return i
		}
		i += size
	}
	return 0
}

func (r *jsonlRows) shapeProblem(err error) *Problem {
	at := r.lr.off
	var serr *json.SyntaxError
	if errors.As(err, &serr) {
		at += max(serr.Offset-1, 0)
	}
	msg := fmt.Sprintf("第 %d 行不是一个有效的 JSON 对象：%v", r.lr.num, err)
	if errors.Is(err, errSurrogate) {
		return &Problem{Rule: RuleEncoding, Offset: at, Message: fmt.Sprintf("第 %d 行%v", r.lr.num, err)}
	}
	return &Problem{Rule: RuleRowShape, Offset: at, Message: msg}
}

func (r *jsonlRows) Row() *Row   { return &r.row }
func (r *jsonlRows) Err() error  { return r.err }
func (r *jsonlRows) Done() int64 { return r.lr.next - r.jt.start }

func (r *jsonlRows) Close() error {
	r.lr = nil
	return r.h.Close()
}

// lineReader reads the lines of [start, end) of a file, however long.
type lineReader struct {
	br   *bufio.Reader
	off  int64 // offset of the current line
	next int64 // offset of the line after it
	num  int   // line number of the current line
	line []byte
	buf  []byte
	err  error
}

func newLineReader(r io.ReaderAt, start, end int64) *lineReader {
	return &lineReader{br: bufio.NewReaderSize(io.NewSectionReader(r, start, end-start), 64<<10), next: start}
}

// scan reads the next line into l.line, without its line end.
func (l *lineReader) scan() bool {
	line, err := l.br.ReadSlice('\n')
	if errors.Is(err, bufio.ErrBufferFull) {
		l.buf = append(l.buf[:0], line...)
		for errors.Is(err, bufio.ErrBufferFull) {
			line, err = l.br.ReadSlice('\n')
			l.buf = append(l.buf, line...)
		}
		line = l.buf
	}
	if err != nil && !errors.Is(err, io.EOF) {
		l.err = err
		return false
	}
	if len(line) == 0 {
		return false
	}
	l.off, l.next, l.num = l.next, l.next+int64(len(line)), l.num+1
	l.line = bytes.TrimSuffix(bytes.TrimSuffix(line, []byte("\n")), []byte("\r"))
	return true
}
