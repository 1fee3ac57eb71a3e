package ident

import (
	"time"
	"unicode/utf8"
)

// 公民身份号码 (GB 11643-1999), standard.md §3.3.

const (
	citizenName  = "公民身份号码"
	mod112Digits = "10X98765432" // ISO 7064 MOD 11-2 check characters, by remainder
	minBirthYear = 1850
)

var citizenWeights = [17]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}

// Citizen checks an 18-character 公民身份号码: 17 digits and a digit or uppercase X; the
// first two digits one of the 31 provinces; the birth date (characters 7–14) a real date
// from 1850 on and not after today; and the check character. today's calendar date is
// read in its own location (pass a time in Asia/Shanghai); a zero today skips the
// "not after today" test.
func Citizen(s string, today time.Time) error {
	if citizenFast(s, today) {
		return nil
	}
	if e := citizenShape(s); e != nil {
		return e
	}
	if e := citizenProvince(s); e != nil {
		return e
	}
	if e := citizenBirth(s[6:14], today); e != nil {
		return e
	}
	want := citizenCheck(s[:17])
	switch {
	case s[17] == want:
		return nil
	case s[17] == 'x' && want == 'X':
		return errorf(KindCitizen, "%s末位应为大写 X", citizenName)
	}
	return errorf(KindCitizen, "%s校验位错误，应为 %c", citizenName, want)
}

// CitizenCheck returns the check character for the first 17 digits of a citizen ID
// number, or 0 when body17 is not 17 digits. Meant for data generators.
func CitizenCheck(body17 string) byte {
	if len(body17) != 17 || firstNonDigit(body17) >= 0 {
		return 0
	}
	return citizenCheck(body17)
}

// citizenFast is the hot path: it accepts a valid number in one pass and leaves explaining
// an invalid one to the step-by-step checks.
func citizenFast(s string, today time.Time) bool {
	if len(s) != 18 {
		return false
	}
	sum := 0
	for i, w := range citizenWeights {
		d := s[i] - '0'
		if d > 9 {
			return false
		}
		sum += int(d) * w
	}
	return s[17] == mod112Digits[sum%11] &&
		provinceIndex[int(s[0]-'0')*10+int(s[1]-'0')] != 0 &&
		citizenBirth(s[6:14], today) == nil
}

func citizenShape(s string) *Error {
	if len(s) != 18 {
		if len(s) == 15 && firstNonDigit(s) < 0 {
			return errorf(KindCitizen, "%s应为 18 位，实际 15 位（旧的 15 位号码应换为 18 位）", citizenName)
		}
		return lengthError(KindCitizen, citizenName, 18, "", s)
	}
	if i := firstNonDigit(s[:17]); i >= 0 {
		return charError(KindCitizen, citizenName, s, i, false)
	}
	if s[17] >= utf8.RuneSelf {
		// Other ASCII in the check position gets the right check character from Citizen.
		return charError(KindCitizen, citizenName, s, 17, false)
	}
	return nil
}

func citizenProvince(s string) *Error {
	if IsProvince(s) {
		return nil
	}
	switch s[:2] {
	case "71", "81", "82", "83":
		// 83 is not in GB/T 2260 but is used by 台湾居民居住证 numbers.
		return errorf(KindCitizen, "%s前 2 位 “%s” 是港澳台地区代码，不属于内地 31 个省级行政区", citizenName, s[:2])
	}
	return errorf(KindCitizen, "%s前 2 位 “%s” 不是有效的省级行政区划代码", citizenName, s[:2])
}

// citizenBirth checks the 8-digit YYYYMMDD birth date.
func citizenBirth(ymd string, today time.Time) *Error {
	y, m, d := atoi(ymd[:4]), atoi(ymd[4:6]), atoi(ymd[6:8])
	if m < 1 || m > 12 || d < 1 || d > DaysIn(y, m) {
		return errorf(KindCitizen, "%s中的出生日期 “%s” 不是有效日期", citizenName, ymd)
	}
	if y < minBirthYear {
		return errorf(KindCitizen, "%s中的出生日期 %s-%s-%s 早于 %d 年", citizenName, ymd[:4], ymd[4:6], ymd[6:], minBirthYear)
	}
	if today.IsZero() {
		return nil
	}
	ty, tm, td := today.Date()
	if y*10000+m*100+d > ty*10000+int(tm)*100+td {
		return errorf(KindCitizen, "%s中的出生日期 %s-%s-%s 晚于今天（%04d-%02d-%02d）",
			citizenName, ymd[:4], ymd[4:6], ymd[6:], ty, int(tm), td)
	}
	return nil
}

// citizenCheck computes the check character; body17 must be 17 digits.
func citizenCheck(body17 string) byte {
	sum := 0
	for i := 0; i < 17; i++ {
		sum += int(body17[i]-'0') * citizenWeights[i]
	}
	return mod112Digits[sum%11]
}

// atoi converts a short all-digit string.
func atoi(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		n = n*10 + int(s[i]-'0')
	}
	return n
}

// DaysIn is the number of days of month m of year y (Gregorian).
func DaysIn(y, m int) int {
	switch m {
	case 2:
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}
