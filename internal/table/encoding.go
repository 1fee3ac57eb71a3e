package table

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"strings"
	"unicode/utf8"
	"unsafe"

	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/transform"
)

// sniffSize is how many bytes, from the first non-ASCII byte on, decide a CSV
// file's encoding.
const sniffSize = 64 << 10

var (
	utf8BOM = []byte("\xEF\xBB\xBF")
	// gbFFFD is U+FFFD encoded in GB18030: the only input that may legitimately
	// decode to the replacement character.
	gbFFFD   = "\x84\x31\xA4\x37"
	utf8FFFD = []byte("\uFFFD")
)

// detectEncoding reads from start until it finds a non-ASCII byte and judges the
// sniffSize bytes from there (an all-ASCII file is UTF-8). Text that is mostly
// valid UTF-8 is UTF-8 — a stray bad byte in a UTF-8 file must become a
// FILE-ENCODING finding on its row, not turn the whole file into GB18030
// mojibake; anything else is GB18030, a superset of GBK and GB2312.
func detectEncoding(r io.ReaderAt, start, size int64) (string, error) {
	buf := make([]byte, min(sniffSize, size-start))
	for off := start; off < size; {
		n, err := r.ReadAt(buf, off)
		if n == 0 {
			return "", readErr(err)
		}
		i := firstNonASCII(buf[:n])
		if i < 0 {
			off += int64(n)
			continue
		}
		off += int64(i)
		n, err = r.ReadAt(buf, off)
		if err != nil && !errors.Is(err, io.EOF) {
			return "", err
		}
		if mostlyUTF8(buf[:n], off+int64(n) >= size) {
			return UTF8, nil
		}
		return GB18030, nil
	}
	return UTF8, nil
}

// firstNonASCII returns the index of the first byte of b that is not ASCII, or -1.
func firstNonASCII(b []byte) int {
	i := 0
	for ; i+8 <= len(b); i += 8 {
		if binary.LittleEndian.Uint64(b[i:])&0x8080808080808080 != 0 {
			break
		}
	}
	for ; i < len(b); i++ {
		if b[i] >= utf8.RuneSelf {
			return i
		}
	}
	return -1
}

// readErr turns the io.EOF of a short ReadAt into a clear error.
func readErr(err error) error {
	if err == nil || errors.Is(err, io.EOF) {
		return io.ErrUnexpectedEOF
	}
	return err
}

// mostlyUTF8 reports whether valid multi-byte UTF-8 sequences outnumber invalid
// bytes at least two to one. GBK text forms a valid UTF-8 sequence only by
// chance (about one common character in seven, so the ratio stays near 0.2),
// while UTF-8 text with a damaged byte keeps almost all of its sequences.
func mostlyUTF8(b []byte, atEOF bool) bool {
	valid, invalid := 0, 0
	for i := 0; i < len(b); {
		if b[i] < utf8.RuneSelf {
			i++
			continue
		}
		r, size := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && size == 1 {
			if !atEOF && !utf8.FullRune(b[i:]) {
				break // a sequence cut by the end of the window
			}
			invalid++
		} else {
			valid++
		}
		i += size
	}
	return valid >= 2*invalid
}

// cellDecoder turns the raw cells of a CSV record into text, reusing its
// buffers from row to row.
type cellDecoder struct {
	gb    bool
	t     transform.Transformer
	buf   []byte     // the decoded text of the row's non-ASCII cells
	spans []cellSpan // where each decoded cell lies in buf
}

type cellSpan struct{ i, start, end int }

func newCellDecoder(enc string) *cellDecoder {
	d := &cellDecoder{gb: enc == GB18030}
	if d.gb {
		d.t = simplifiedchinese.GB18030.NewDecoder()
	}
	return d
}

// decode returns the text of rec, or ok == false if a cell holds bytes that are
// invalid in the file's encoding. ASCII cells are returned as they are; the
// decoded GB18030 cells of a row share one string allocation. rec may be
// modified.
func (d *cellDecoder) decode(rec []string) (cells []string, ok bool) {
	if !d.gb {
		for _, s := range rec {
			if !utf8.ValidString(s) {
				return nil, false
			}
		}
		return rec, true
	}
	d.buf, d.spans = d.buf[:0], d.spans[:0]
	for i, s := range rec {
		if isASCII(s) {
			continue
		}
		start := len(d.buf)
		if !d.decodeGB(s) {
			return nil, false
		}
		d.spans = append(d.spans, cellSpan{i, start, len(d.buf)})
	}
	if len(d.spans) == 0 {
		return rec, true
	}
	// rec is the reader's own record slice (ReuseRecord), rebuilt on every
	// Read, so the decoded cells can replace the raw ones in place.
	all := string(d.buf)
	for _, sp := range d.spans {
		rec[sp.i] = all[sp.start:sp.end]
	}
	return rec, true
}

// decodeGB appends the UTF-8 form of the GB18030 text s to d.buf. It fails if
// the decoder had to substitute U+FFFD for bytes that do not encode it.
func (d *cellDecoder) decodeGB(s string) bool {
	start := len(d.buf)
	// Every GB18030 byte sequence becomes at most three UTF-8 bytes per input byte.
	d.buf = grow(d.buf, 3*len(s)+utf8.UTFMax)
	// The transformer only reads src, so it may look at the string's bytes
	// directly instead of a copy.
	src := unsafe.Slice(unsafe.StringData(s), len(s))
	n, _, err := d.t.Transform(d.buf[start:cap(d.buf)], src, true)
	d.buf = d.buf[:start+n]
	if err != nil {
		return false
	}
	out := d.buf[start:]
	return !bytes.Contains(out, utf8FFFD) || bytes.Count(out, utf8FFFD) <= strings.Count(s, gbFFFD)
}

func grow(b []byte, n int) []byte {
	if cap(b)-len(b) >= n {
		return b
	}
	nb := make([]byte, len(b), 2*cap(b)+n)
	copy(nb, b)
	return nb
}

// isASCII reports whether s is pure ASCII, eight bytes at a time (the compiler
// merges the byte loads into one).
func isASCII(s string) bool {
	i := 0
	for ; i+8 <= len(s); i += 8 {
		v := uint64(s[i]) | uint64(s[i+1])<<8 | uint64(s[i+2])<<16 | uint64(s[i+3])<<24 |
			uint64(s[i+4])<<32 | uint64(s[i+5])<<40 | uint64(s[i+6])<<48 | uint64(s[i+7])<<56
		if v&0x8080808080808080 != 0 {
			return false
		}
	}
	for ; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// charStep reports how many bytes the character at the start of b takes in
// enc and whether it is valid. more is true when b ends inside the character
// and more input may follow (atEOF false).
func charStep(b []byte, enc string, atEOF bool, t transform.Transformer) (size int, valid, more bool) {
	if b[0] < utf8.RuneSelf {
		return 1, true, false
	}
	if enc != GB18030 {
		if !atEOF && !utf8.FullRune(b) {
			return 0, false, true
		}
		r, size := utf8.DecodeRune(b)
		return size, r != utf8.RuneError || size > 1, false
	}
	if bytes.HasPrefix(b, []byte(gbFFFD)) {
		return len(gbFFFD), true, false
	}
	// Decode exactly one character: a destination that has room for the first
	// rune only makes the transformer stop after it.
	var dst [utf8.UTFMax]byte
	n, _, err := t.Transform(dst[:], b, atEOF)
	if n == 0 {
		return 0, false, errors.Is(err, transform.ErrShortSrc)
	}
	r, rs := utf8.DecodeRune(dst[:n])
	_, size, _ = t.Transform(dst[:rs], b, atEOF)
	return size, r != utf8.RuneError, false
}
