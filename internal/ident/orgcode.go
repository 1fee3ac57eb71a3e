package ident

import "unicode/utf8"

// 组织机构代码 (GB 11714-1997), standard.md §3.2.

const orgName = "组织机构代码"

var orgWeights = [8]int{3, 7, 9, 10, 5, 8, 4, 2}

// OrgCode checks a 9-character 组织机构代码: 8 digits or uppercase letters, then the check
// character (a digit or X).
func OrgCode(s string) error {
	if len(s) == 9 && OrgCodeCheck(s[:8]) == s[8] {
		return nil
	}
	if len(s) != 9 {
		if len(s) == 10 && s[8] == '-' && OrgCodeCheck(s[:8]) != 0 && s[9] < utf8.RuneSelf {
			// The printed form 60003734-1 is common on old certificates.
			return errorf(KindOrgCode, "%s不含连字符，应写作 %s%s", orgName, s[:8], s[9:])
		}
		return lengthError(KindOrgCode, orgName, 9, "", s)
	}
	for i := 0; i < 8; i++ {
		if orgValue(s[i]) < 0 {
			return charError(KindOrgCode, orgName, s, i, true)
		}
	}
	if s[8] >= utf8.RuneSelf {
		return charError(KindOrgCode, orgName, s, 8, false)
	}
	want := orgCheck(s[:8])
	switch {
	case s[8] == want:
		return nil
	case s[8] == 'x' && want == 'X':
		return errorf(KindOrgCode, "%s校验位应为大写 X", orgName)
	}
	return errorf(KindOrgCode, "%s校验位错误，应为 %c", orgName, want)
}

// OrgCodeCheck returns the check character for an 8-character organization code body, or 0
// when body8 is not 8 digits or uppercase letters. Meant for data generators.
func OrgCodeCheck(body8 string) byte {
	if len(body8) != 8 {
		return 0
	}
	return orgCheck(body8)
}

// orgValue is 0–9 for digits, 10–35 for A–Z, else -1.
func orgValue(c byte) int {
	switch {
	case c >= '0' && c <= '9':
		return int(c - '0')
	case c >= 'A' && c <= 'Z':
		return int(c-'A') + 10
	}
	return -1
}

// orgCheck computes the check character of an 8-character body, or 0 when it holds a
// character other than a digit or uppercase letter.
func orgCheck(body8 string) byte {
	sum := 0
	for i, w := range orgWeights {
		v := orgValue(body8[i])
		if v < 0 {
			return 0
		}
		sum += v * w
	}
	switch c := 11 - sum%11; c {
	case 10:
		return 'X'
	case 11:
		return '0'
	default:
		return byte('0' + c)
	}
}
