package ident

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// 港口经营许可证编号, standard.md §3.10: （浙舟）港经证（0288）号.

const (
	portName    = "港口经营许可证编号"
	portExample = "（浙舟）港经证（0288）号"
	portOpen    = "（"
	portMid     = "）港经证（"
	portEnd     = "）号"
)

// NormalizeBrackets turns half-width brackets ( ) into full-width （ ）, since real license
// numbers mix the two. It returns s itself, without allocating, when there is nothing to change.
func NormalizeBrackets(s string) string {
	if strings.IndexAny(s, "()") < 0 {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '(':
			b.WriteString("（")
		case ')':
			b.WriteString("）")
		default:
			b.WriteByte(s[i])
		}
	}
	return b.String()
}

// PortLicense checks a 港口经营许可证编号 after NormalizeBrackets: （, 1–4 Han characters
// (the issuer's province abbreviation, then a prefecture's), ）港经证（, 3–6 digits, ）号.
// It returns the Han prefix (浙舟) and the serial (0288) on success. Whether the prefix
// starts with the issuer's province abbreviation is left to the caller (ProvinceByAbbr).
func PortLicense(s string) (prefix, serial string, err error) {
	t := NormalizeBrackets(s)
	i := strings.Index(t, portMid)
	if i < 0 || !strings.HasPrefix(t, portOpen) || !strings.HasSuffix(t, portEnd) ||
		i < len(portOpen) || i+len(portMid) > len(t)-len(portEnd) {
		return "", "", errorf(KindPattern, "%s格式应为 “%s”", portName, portExample)
	}
	prefix, serial = t[len(portOpen):i], t[i+len(portMid):len(t)-len(portEnd)]
	if n, ok := hanCount(prefix); !ok || n < 1 || n > 4 {
		return "", "", errorf(KindPattern, "%s括号内的发证机关简称应为 1–4 个汉字，实际为 “%s”（格式如 “%s”）", portName, strings.ToValidUTF8(prefix, "\uFFFD"), portExample)
	}
	if len(serial) < 3 || len(serial) > 6 || firstNonDigit(serial) >= 0 {
		return "", "", errorf(KindPattern, "%s的序号应为 3–6 位数字，实际为 “%s”（格式如 “%s”）", portName, strings.ToValidUTF8(serial, "\uFFFD"), portExample)
	}
	return prefix, serial, nil
}

// hanCount counts the characters of s and reports whether all are Han.
func hanCount(s string) (int, bool) {
	n := 0
	for _, r := range s {
		if r < utf8.RuneSelf || !unicode.Is(unicode.Han, r) {
			return n, false
		}
		n++
	}
	return n, true
}
