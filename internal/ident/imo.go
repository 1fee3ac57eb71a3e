package ident

import (
	"strings"
	"unicode/utf8"
)

// IMO ship number, standard.md §3.4.

const imoName = "IMO 编号"

// IMO checks a 7-digit IMO ship number: the last digit is Σ d_i·(8−i) mod 10 over the first six.
func IMO(s string) error {
	if len(s) != 7 {
		if len(s) > 3 && strings.EqualFold(s[:3], "IMO") {
			return errorf(KindIMO, "%s只填 7 位数字，应去掉前缀 “%s”", imoName, s[:3])
		}
		return lengthError(KindIMO, imoName, 7, "", s)
	}
	if i := firstNonDigit(s[:6]); i >= 0 {
		return charError(KindIMO, imoName, s, i, false)
	}
	if s[6] >= utf8.RuneSelf {
		return charError(KindIMO, imoName, s, 6, false)
	}
	if want := imoCheck(s[:6]); s[6] != want {
		return errorf(KindIMO, "%s校验位错误，应为 %c", imoName, want)
	}
	return nil
}

// IMOCheck returns the check digit for the first 6 digits of an IMO number, or 0 when
// body6 is not 6 digits. Meant for data generators.
func IMOCheck(body6 string) byte {
	if len(body6) != 6 || firstNonDigit(body6) >= 0 {
		return 0
	}
	return imoCheck(body6)
}

func imoCheck(body6 string) byte {
	sum := 0
	for i := 0; i < 6; i++ {
		sum += int(body6[i]-'0') * (7 - i)
	}
	return byte('0' + sum%10)
}
