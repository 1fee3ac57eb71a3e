package validate

import (
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
	"golang.org/x/text/width"

	"shuiyun/internal/ident"
)

// value is one cell after normalisation. Cross-field and batch rules read only
// values whose state is ok.
type value struct {
	s     string  // normalised text; "" when null
	raw   string  // the trimmed cell as written (for findings)
	state state   // null, ok or bad
	num   float64 // integer and decimal fields
	day   int32   // date fields: days since 1970-01-01
	set   uint64  // code-set fields: bit i = the list's i-th code
}

type state uint8

const (
	null state = iota
	ok
	bad
)

func (v *value) known() bool { return v.state == ok }

// trim removes Unicode blanks (including U+3000 and a stray BOM) at both ends.
func trim(s string) string {
	if s == "" || plainStart(s[0]) && plainEnd(s) { // nearly every cell: one look at each end
		return s
	}
	i, j := 0, len(s)
	for i < j && isASCIISpace(s[i]) {
		i++
	}
	for j > i && isASCIISpace(s[j-1]) {
		j--
	}
	s = s[i:j]
	if s == "" || s[0] < utf8.RuneSelf && s[len(s)-1] < utf8.RuneSelf { // ASCII ends: no blank left
		return s
	}
	if !blankStart(s) && !blankEnd(s) {
		return s
	}
	return strings.TrimFunc(s, isBlankRune)
}

// plainStart: a first byte that starts no blank, without decoding: printable
// ASCII or the lead byte of a CJK ideograph (E4–E9).
func plainStart(c byte) bool {
	return c > ' ' && c < utf8.RuneSelf || c >= 0xE4 && c <= 0xE9
}

// plainEnd: s ends in printable ASCII or in a CJK ideograph.
func plainEnd(s string) bool {
	n := len(s)
	c := s[n-1]
	return c > ' ' && c < utf8.RuneSelf || n >= 3 && s[n-3] >= 0xE4 && s[n-3] <= 0xE9 && c >= 0x80
}

// blankStart and blankEnd look at the first and last character; a CJK
// ideograph (lead byte E4–E9) is decided without decoding.
func blankStart(s string) bool {
	if c := s[0]; c >= 0xE4 && c <= 0xE9 {
		return false
	}
	r, _ := utf8.DecodeRuneInString(s)
	return isBlankRune(r)
}

func blankEnd(s string) bool {
	if n := len(s); n >= 3 && s[n-3] >= 0xE4 && s[n-3] <= 0xE9 {
		return false
	}
	r, _ := utf8.DecodeLastRuneInString(s)
	return isBlankRune(r)
}

// isBlankRune: Unicode white space (unicode.IsSpace), U+3000 and a stray BOM, without table lookups.
func isBlankRune(r rune) bool {
	switch r {
	case ' ', '\t', '\n', '\v', '\f', '\r', 0x85, 0xA0, 0x1680, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000, 0xFEFF:
		return true
	}
	return r >= 0x2000 && r <= 0x200A
}

func isASCIISpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f'
}

// nfc returns s in Unicode normal form C. ASCII, CJK unified ideographs,
// CJK punctuation and full-width forms are unchanged by NFC, and they are
// nearly all the text agencies send, so only other text goes through x/text.
func nfc(s string) string {
	if nfcInert(s) {
		return s
	}
	return compose(s)
}

// compose is nfc for text that nfcInert (or scanText) could not clear.
func compose(s string) string {
	if norm.NFC.IsNormalString(s) {
		return s
	}
	return norm.NFC.String(s)
}

// nfcInert reports whether s holds only characters that NFC never changes
// and that never combine with a neighbour: ASCII, U+3000–U+303F,
// U+4E00–U+9FFF and U+FF01–U+FF5E.
func nfcInert(s string) bool {
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c < utf8.RuneSelf:
			i++
		case c >= 0xE4 && c <= 0xE9 && i+2 < len(s): // U+4000–U+9FFF
			if c == 0xE4 && s[i+1] < 0xB8 { // below U+4E00: CJK extension A and Yijing, still inert but rare
				return false
			}
			i += 3
		case c == 0xE3 && i+2 < len(s) && s[i+1] == 0x80: // U+3000–U+303F
			i += 3
		case c == 0xEF && i+2 < len(s) && (s[i+1] == 0xBC || (s[i+1] == 0xBD && s[i+2] <= 0x9E)): // U+FF00–U+FF5E
			i += 3
		default:
			return false
		}
	}
	return true
}

// textFacts are what one pass over a text value proves, so that NFC, the
// bracket replacement and the no-blank pattern need not scan it again (the
// three scans were 8% of a 1M-row run's CPU). The zero value proves nothing.
type textFacts uint8

const (
	factNFC     textFacts = 1 << iota // nfcInert: NFC leaves the text unchanged
	factNoParen                       // no '(' or ')'
	factNoBlank                       // no \t \n \f \r, space or U+3000 (the pattern ^[^\s\x{3000}]+$)
	factsAll    = factNFC | factNoParen | factNoBlank
)

// asciiSpoils lists, per ASCII byte, the facts it disproves.
var asciiSpoils = func() (t [utf8.RuneSelf]textFacts) {
	for _, c := range "()" {
		t[c] = factNoParen
	}
	for _, c := range "\t\n\f\r " {
		t[c] = factNoBlank
	}
	return t
}()

// scanText is nfcInert that also looks for brackets and blanks. A character
// outside the inert set proves nothing more: the caller composes the text and
// falls back to the separate checks.
func scanText(s string) textFacts {
	f := factsAll
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c < utf8.RuneSelf:
			f &^= asciiSpoils[c]
			i++
		case c >= 0xE4 && c <= 0xE9 && i+2 < len(s): // U+4000–U+9FFF
			if c == 0xE4 && s[i+1] < 0xB8 {
				return 0
			}
			f &^= hidden(s[i+1] & s[i+2])
			i += 3
		case c == 0xE3 && i+2 < len(s) && s[i+1] == 0x80: // U+3000–U+303F
			if s[i+2] == 0x80 {
				f &^= factNoBlank
			}
			f &^= hidden(s[i+2])
			i += 3
		case c == 0xEF && i+2 < len(s) && (s[i+1] == 0xBC || (s[i+1] == 0xBD && s[i+2] <= 0x9E)): // U+FF00–U+FF5E
			f &^= hidden(s[i+2])
			i += 3
		default:
			return 0
		}
	}
	return f
}

// hidden returns the facts that broken UTF-8 may hide: an ASCII byte where a
// continuation byte belongs (b ANDs the skipped bytes) is stepped over with
// the character, like nfcInert does. A U+3000 cannot hide: its last byte
// would then start a character, which ends the scan.
func hidden(b byte) textFacts {
	if b < utf8.RuneSelf {
		return factNoParen | factNoBlank
	}
	return 0
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// narrow folds full-width digits, letters and punctuation to ASCII (for numbers and dates).
func narrow(s string) string {
	if isASCII(s) {
		return s
	}
	return width.Narrow.String(s)
}

// fullBrackets makes half-width brackets full-width, as licence numbers and names are compared (standard.md §2).
func fullBrackets(s string) string {
	if strings.IndexByte(s, '(') < 0 && strings.IndexByte(s, ')') < 0 { // two SIMD scans beat one byte loop
		return s
	}
	return strings.NewReplacer("(", "（", ")", "）").Replace(s)
}

// upperASCII upper-cases ASCII letters, allocating only when needed.
func upperASCII(s string) string {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= 'a' && c <= 'z' {
			return strings.ToUpper(s)
		}
	}
	return s
}

var epoch = time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC)

// dayOf returns the day number (days since 1970-01-01) of a calendar date, or false if it does not exist.
func dayOf(y, m, d int) (int32, bool) {
	if y < 1 || y > 9999 || m < 1 || m > 12 || d < 1 || d > ident.DaysIn(y, m) {
		return 0, false
	}
	return daysFromCivil(y, m, d), true
}

// daysFromCivil is Howard Hinnant's days_from_civil: days since 1970-01-01.
func daysFromCivil(y, m, d int) int32 {
	if m <= 2 {
		y--
	}
	era := y / 400
	yoe := y - era*400
	mp := (m + 9) % 12
	doy := (153*mp+2)/5 + d - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return int32(era*146097 + doe - 719468)
}

// dayString formats a day number as YYYY-MM-DD.
func dayString(d int32) string {
	return epoch.AddDate(0, 0, int(d)).Format(time.DateOnly)
}

// dayFromTime returns the day number of t's calendar date.
func dayFromTime(t time.Time) int32 {
	d, _ := dayOf(t.Year(), int(t.Month()), t.Day())
	return d
}

// addYears returns day + n years − 1 day: the last day of a validity of n years from day.
func addYears(day int32, years, months int) int32 {
	t := epoch.AddDate(0, 0, int(day)).AddDate(years, months, -1)
	return dayFromTime(t)
}

// excelEpoch is Excel's day 0 for serials above 60 (Excel counts a non-existent 1900-02-29).
// Only 5-digit serials are read, so the phantom day never matters.
var excelEpoch = time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)

// canonicalDay reads YYYY-MM-DD, the spelling nearly every date has, without
// the general parser (narrow, serial, separators and time: parseDate was 5%
// of a 1M-row run's CPU). canonical is false for any other spelling, which
// parseDate then reads; ok is whether the date exists.
func canonicalDay(s string) (day int32, canonical, ok bool) {
	if !isCanonicalDate(s) {
		return 0, false, false
	}
	y := int(s[0]-'0')*1000 + int(s[1]-'0')*100 + int(s[2]-'0')*10 + int(s[3]-'0')
	m := int(s[5]-'0')*10 + int(s[6]-'0')
	d := int(s[8]-'0')*10 + int(s[9]-'0')
	day, ok = dayOf(y, m, d)
	return day, true, ok
}

// parseDate reads the date spellings of standard.md §2 and Excel serials.
// It returns the day number and whether the text is a real date.
func parseDate(s string) (int32, bool) {
	s = narrow(s)
	if isSerial(s) {
		return parseSerial(s)
	}
	y, rest, ok := leadingInt(s, 4, 4)
	if !ok {
		return 0, false
	}
	if len(rest) == 4 && allDigits(rest) { // YYYYMMDD
		m, _, ok1 := leadingInt(rest[:2], 2, 2)
		d, _, ok2 := leadingInt(rest[2:], 2, 2)
		if ok1 && ok2 {
			return dayOf(y, m, d)
		}
		return 0, false
	}
	sep, size := utf8.DecodeRuneInString(rest)
	var m, d int
	switch sep {
	case '-', '/', '.':
		rest = rest[size:]
		if m, rest, ok = leadingInt(rest, 1, 2); !ok || rest == "" || rest[0] != byte(sep) {
			return 0, false
		}
		if d, rest, ok = leadingInt(rest[1:], 1, 2); !ok {
			return 0, false
		}
		if !isTime(rest) {
			return 0, false
		}
	case '年':
		rest = rest[size:]
		if m, rest, ok = leadingInt(rest, 1, 2); !ok || !strings.HasPrefix(rest, "月") {
			return 0, false
		}
		if d, rest, ok = leadingInt(rest[len("月"):], 1, 2); !ok || rest != "日" {
			return 0, false
		}
	default:
		return 0, false
	}
	return dayOf(y, m, d)
}

// isTime accepts the end of a date: nothing, or a blank or "T" and a time HH:MM[:SS[.f]] (truncated).
func isTime(s string) bool {
	if s == "" {
		return true
	}
	if s[0] != ' ' && s[0] != 'T' {
		return false
	}
	s = strings.TrimLeft(s[1:], " ")
	h, s, ok := leadingInt(s, 1, 2)
	if !ok || h > 23 || s == "" || s[0] != ':' {
		return false
	}
	mi, s, ok := leadingInt(s[1:], 2, 2)
	if !ok || mi > 59 {
		return false
	}
	if s == "" {
		return true
	}
	if s[0] != ':' {
		return false
	}
	sec, s, ok := leadingInt(s[1:], 2, 2)
	if !ok || sec > 60 {
		return false
	}
	if s == "" {
		return true
	}
	if s[0] != '.' || len(s) == 1 {
		return false
	}
	for i := 1; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// leadingInt reads min..max leading ASCII digits.
func leadingInt(s string, min, max int) (int, string, bool) {
	n, i := 0, 0
	for i < len(s) && i < max && s[i] >= '0' && s[i] <= '9' {
		n = n*10 + int(s[i]-'0')
		i++
	}
	if i < min {
		return 0, s, false
	}
	if i == max && i < len(s) && s[i] >= '0' && s[i] <= '9' {
		if max == 4 { // more than 4 digits: maybe YYYYMMDD, handled by the caller via rest
			return n, s[i:], true
		}
		return 0, s, false
	}
	return n, s[i:], true
}

// isSerial reports whether s looks like an Excel date serial: 5 digits
// (1927-05-18 to 2173), optional fraction. Shorter numbers are not taken as
// serials: a clerk's "2023" in a date column is a year, not 1905-07-15.
func isSerial(s string) bool {
	i := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	if i != 5 {
		return false
	}
	if i == len(s) {
		return true
	}
	if s[i] != '.' || i+1 == len(s) {
		return false
	}
	for j := i + 1; j < len(s); j++ {
		if s[j] < '0' || s[j] > '9' {
			return false
		}
	}
	return true
}

func parseSerial(s string) (int32, bool) {
	n, _, _ := leadingInt(s, 5, 5)
	return dayFromTime(excelEpoch.AddDate(0, 0, n)), true
}
