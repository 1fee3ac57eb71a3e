package ident

import (
	"fmt"
	"unicode/utf8"
)

// Rule ids (contracts.md §3) used as Error.Kind.
const (
	KindUSCC    = "ID-USCC"
	KindCitizen = "ID-CITIZEN"
	KindOrgCode = "ID-ORGCODE"
	KindIMO     = "ID-IMO"
	KindMMSI    = "ID-MMSI"
	KindCNShip  = "ID-CNSHIP"
	KindPattern = "FMT-PATTERN"
)

// Error is a failed identifier check.
type Error struct {
	Kind string // rule id, e.g. "ID-USCC"
	Msg  string // one Chinese sentence for the person who keyed the value
}

// Error returns Msg alone: it is what the report shows, and Kind travels separately.
func (e *Error) Error() string { return e.Msg }

func errorf(kind, format string, args ...any) *Error {
	return &Error{Kind: kind, Msg: fmt.Sprintf(format, args...)}
}

// lengthError reports a value of the wrong length; shape, if not empty, describes the
// expected form and is put in brackets after the length. Lengths are counted in
// characters, since that is what a clerk counts; when the byte length is wrong only
// because of a non-ASCII character (a full-width digit, say), that character is the
// real problem and is reported instead.
func lengthError(kind, name string, want int, shape, s string) *Error {
	n := utf8.RuneCountInString(s)
	if n == 0 {
		return errorf(kind, "%s为空", name)
	}
	if n == want {
		for i, r := range s {
			if r >= utf8.RuneSelf {
				return charError(kind, name, s, i, false)
			}
		}
	}
	if shape != "" {
		return errorf(kind, "%s应为 %d 位（%s），实际 %d 位", name, want, shape, n)
	}
	return errorf(kind, "%s应为 %d 位，实际 %d 位", name, want, n)
}

// charError reports the character starting at byte i of s as not allowed, with its
// 1-based character position. upperOK says the uppercase form of a lowercase letter
// would be allowed there, so that the message can say so.
func charError(kind, name string, s string, i int, upperOK bool) *Error {
	r, _ := utf8.DecodeRuneInString(s[i:])
	pos := utf8.RuneCountInString(s[:i]) + 1
	switch {
	case upperOK && r >= 'a' && r <= 'z':
		return errorf(kind, "%s含小写字母 “%c”（第 %d 位），应为大写", name, r, pos)
	case r >= '０' && r <= '９':
		return errorf(kind, "%s含全角数字 “%c”（第 %d 位），应为半角", name, r, pos)
	case r >= 'Ａ' && r <= 'Ｚ':
		return errorf(kind, "%s含全角字母 “%c”（第 %d 位），应为半角", name, r, pos)
	}
	return errorf(kind, "%s含%s（第 %d 位）", name, describe(r), pos)
}

// describe names a character that is not allowed, spelling out the ones a clerk cannot see.
func describe(r rune) string {
	switch {
	case r == ' ':
		return "空格"
	case r == 0x3000:
		return "全角空格"
	case r == utf8.RuneError:
		return "无法识别的字节"
	case r < 0x20 || r == 0x7F || (r >= 0x80 && r < 0xA0) || r == 0xFEFF || (r >= 0x200B && r <= 0x200F):
		return fmt.Sprintf("不可见字符 U+%04X", r)
	}
	return fmt.Sprintf("不允许的字符 “%c”", r)
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// firstNonDigit returns the byte index of the first byte of s that is not an ASCII digit, or -1.
func firstNonDigit(s string) int {
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return i
		}
	}
	return -1
}
