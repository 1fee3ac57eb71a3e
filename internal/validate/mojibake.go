package validate

import (
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"
)

// mojibake recognises Chinese text that was read with the wrong encoding
// before it reached us: a UTF-8 or GBK file opened as Latin-1/Windows-1252
// (what Excel and LibreOffice do with a CSV they cannot identify) and saved
// again. The bytes are valid, so the readers cannot tell; the header can. It
// returns the text as it was meant to read, or "" if s does not look like that.
func mojibake(s string) string {
	if s == "" || isASCII(s) {
		return ""
	}
	raw, ok := latin1Bytes(s)
	if !ok {
		return ""
	}
	if t := trimBOM(string(raw)); utf8Mostly(t) && hanCount(t) >= 2 {
		return t
	}
	if t, err := simplifiedchinese.GB18030.NewDecoder().Bytes(raw); err == nil && hanCount(string(t)) >= 2 && !containsRune(string(t), utf8.RuneError) {
		return string(t)
	}
	return ""
}

// cp1252 maps the characters Windows-1252 puts at 0x80–0x9F back to their bytes.
var cp1252 = map[rune]byte{'€': 0x80, '‚': 0x82, 'ƒ': 0x83, '„': 0x84, '…': 0x85, '†': 0x86, '‡': 0x87, 'ˆ': 0x88,
	'‰': 0x89, 'Š': 0x8A, '‹': 0x8B, 'Œ': 0x8C, 'Ž': 0x8E, '\u2018': 0x91, '\u2019': 0x92, '\u201C': 0x93, '\u201D': 0x94,
	'•': 0x95, '–': 0x96, '—': 0x97, '˜': 0x98, '™': 0x99, 'š': 0x9A, '›': 0x9B, 'œ': 0x9C, 'ž': 0x9E, 'Ÿ': 0x9F}

// latin1Bytes returns the bytes a Windows-1252 (or Latin-1) reader turned
// into s; ok is false if s holds characters neither can produce.
func latin1Bytes(s string) ([]byte, bool) {
	out := make([]byte, 0, len(s))
	for _, r := range s {
		switch b, special := cp1252[r]; {
		case special:
			out = append(out, b)
		case r <= 0xFF:
			out = append(out, byte(r))
		case r >= 0xF180 && r <= 0xF1FF: // LibreOffice keeps bytes 1252 leaves undefined as U+F1xx
			out = append(out, byte(r-0xF100))
		default:
			return nil, false
		}
	}
	return out, true
}

// utf8Mostly: the text is UTF-8 but for at most one byte in eight lost on the way
// (Windows-1252 has no character for 0x81, 0x8D, 0x8F, 0x90 and 0x9D).
func utf8Mostly(s string) bool {
	bad, n := 0, 0
	for _, r := range s {
		n++
		if r == utf8.RuneError {
			bad++
		}
	}
	return n > 0 && bad*8 <= n
}

func hanCount(s string) int {
	n := 0
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			n++
		}
	}
	return n
}

func trimBOM(s string) string {
	if len(s) >= 3 && s[:3] == "\ufeff" {
		return s[3:]
	}
	return s
}

func containsRune(s string, want rune) bool {
	for _, r := range s {
		if r == want {
			return true
		}
	}
	return false
}

// mojibakeHeader finds the first header cell that is mojibake.
func mojibakeHeader(header []string) (col int, meant string, found bool) {
	for i, h := range header {
		if m := mojibake(trim(h)); m != "" {
			return i, m, true
		}
	}
	return 0, "", false
}

// meantHeader is the header with every mojibake cell read as it was meant.
func meantHeader(header []string) []string {
	out := make([]string, len(header))
	for i, h := range header {
		out[i] = h
		if m := mojibake(trim(h)); m != "" {
			out[i] = m
		}
	}
	return out
}
