package ident

import "unicode/utf8"

// 统一社会信用代码 (GB 32100-2015), standard.md §3.1.

const (
	usccName    = "统一社会信用代码"
	usccCharset = "0123456789ABCDEFGHJKLMNPQRTUWXY" // no I, O, S, V, Z
)

// usccValue maps a byte to its value in usccCharset, or -1.
var usccValue = func() (t [256]int8) {
	for i := range t {
		t[i] = -1
	}
	for i := 0; i < len(usccCharset); i++ {
		t[usccCharset[i]] = int8(i)
	}
	return t
}()

// usccWeights are 3^(i-1) mod 31.
var usccWeights = [17]int{1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28}

// USCC checks a 统一社会信用代码: 18 characters from the 31-character set, positions 3–8
// digits (the registration authority's region code; positions 1–2 may be letters), and
// the check character. The embedded organization code is checked by USCCOrgCode.
func USCC(s string) error {
	if usccFast(s) {
		return nil
	}
	if e := usccShape(s); e != nil {
		return e
	}
	if want := usccCheck(s[:17]); s[17] != want {
		return errorf(KindUSCC, "%s校验位错误，应为 %c", usccName, want)
	}
	return nil
}

// USCCCheck returns the check character for the first 17 characters of a USCC, or 0 when
// body17 is not 17 characters of the USCC character set. Meant for data generators.
func USCCCheck(body17 string) byte {
	if len(body17) != 17 {
		return 0
	}
	for i := 0; i < 17; i++ {
		if usccValue[body17[i]] < 0 {
			return 0
		}
	}
	return usccCheck(body17)
}

// USCCOrgCode applies the GB 11714 check to characters 9–17 of a USCC, which carry the
// 组织机构代码. All real USCCs pass it, but codes issued to bodies that never had an
// organization code need not, so the standard makes this a warning (Kind ID-USCC). When
// s is not shaped like a USCC (length, characters, digits in 3–8) it returns the error
// USCC would; the USCC's own check character is not examined.
func USCCOrgCode(s string) error {
	if usccFast(s) && orgCheck(s[8:16]) == s[16] {
		return nil
	}
	if e := usccShape(s); e != nil {
		return e
	}
	if want := orgCheck(s[8:16]); s[16] != want {
		return errorf(KindUSCC, "%s第 9–17 位（组织机构代码）校验位错误，第 17 位应为 %c", usccName, want)
	}
	return nil
}

// usccFast is the hot path: one pass that accepts a valid code and leaves explaining an
// invalid one to the slower checks.
func usccFast(s string) bool {
	if len(s) != 18 {
		return false
	}
	sum := 0
	for i, w := range usccWeights {
		v := usccValue[s[i]]
		if v < 0 || (i >= 2 && i < 8 && v > 9) {
			return false
		}
		sum += int(v) * w
	}
	return s[17] == usccCharset[(31-sum%31)%31]
}

// usccShape checks everything but the value of the check character.
func usccShape(s string) *Error {
	if len(s) != 18 {
		return lengthError(KindUSCC, usccName, 18, "", s)
	}
	for i := 0; i < 18; i++ {
		c := s[i]
		if usccValue[c] >= 0 {
			continue
		}
		upperOK := c >= 'a' && c <= 'z' && usccValue[c-'a'+'A'] >= 0
		if i < 17 || upperOK || c >= utf8.RuneSelf {
			return charError(KindUSCC, usccName, s, i, upperOK)
		}
		// Any other ASCII character in the check position is answered by USCC with the
		// right check character, which helps the clerk more than "not allowed".
	}
	for i := 2; i < 8; i++ {
		if !isDigit(s[i]) {
			return errorf(KindUSCC, "%s第 3–8 位（登记管理机关行政区划码）应为数字，第 %d 位为 “%c”", usccName, i+1, s[i])
		}
	}
	return nil
}

// usccCheck computes the check character; body17 must hold charset characters only.
func usccCheck(body17 string) byte {
	sum := 0
	for i := 0; i < 17; i++ {
		sum += int(usccValue[body17[i]]) * usccWeights[i]
	}
	return usccCharset[(31-sum%31)%31]
}
