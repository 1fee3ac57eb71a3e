package ident

// 船舶识别号, standard.md §3.6.

const (
	cnShipName    = "船舶识别号"
	minKeelYear   = 1900
	cnShipIssueNo = "此号码不可能被核发" // a body whose check would be X
)

// CNShip checks a 船舶识别号: "CN" and 11 digits; digits 3–6 (of the whole string) a keel
// year from 1900 to thisYear; the last digit the check computed from the 10 digits before
// it. When that check would be X the number cannot have been issued (the regulation allows
// digits only), and the message says so. thisYear <= 0 skips the upper year bound.
func CNShip(s string, thisYear int) error {
	if cnShipFast(s, thisYear) {
		return nil
	}
	if e := cnShipShape(s); e != nil {
		return e
	}
	if y := atoi(s[2:6]); y < minKeelYear || (thisYear > 0 && y > thisYear) {
		return cnShipYearError(y, thisYear)
	}
	want, ok := cnShipCheck(s[2:12])
	switch {
	case !ok:
		return errorf(KindCNShip, "%s前 12 位算出的校验码为 X，而校验码只能是数字，%s", cnShipName, cnShipIssueNo)
	case s[12] != want:
		return errorf(KindCNShip, "%s校验位错误，应为 %c", cnShipName, want)
	}
	return nil
}

// CNShipCheck returns the check digit for the 10 digits after "CN" (keel year and serial).
// ok is false when the computed check is X, since such bodies are never issued, and when
// body10 is not 10 digits (then the byte is 0). Meant for data generators.
func CNShipCheck(body10 string) (check byte, ok bool) {
	if len(body10) != 10 || firstNonDigit(body10) >= 0 {
		return 0, false
	}
	return cnShipCheck(body10)
}

// cnShipFast is the hot path: it accepts a valid number in one pass and leaves explaining
// an invalid one to the step-by-step checks.
func cnShipFast(s string, thisYear int) bool {
	if len(s) != 13 || s[0] != 'C' || s[1] != 'N' {
		return false
	}
	sum := 0
	for i, w := range citizenWeights[:10] {
		d := s[2+i] - '0'
		if d > 9 {
			return false
		}
		sum += int(d) * w
	}
	y := atoi(s[2:6])
	return s[12] == mod112Digits[sum%11] && s[12] != 'X' && y >= minKeelYear && (thisYear <= 0 || y <= thisYear)
}

// cnShipShape checks "CN" and the 10 body digits; the last character is left to the check
// comparison, so that a letter there is answered with the right digit.
func cnShipShape(s string) *Error {
	if len(s) != 13 {
		return lengthError(KindCNShip, cnShipName, 13, "“CN” 加 11 位数字", s)
	}
	if s[0] != 'C' || s[1] != 'N' {
		if (s[0] == 'C' || s[0] == 'c') && (s[1] == 'N' || s[1] == 'n') {
			return errorf(KindCNShip, "%s应以大写字母 “CN” 开头", cnShipName)
		}
		return errorf(KindCNShip, "%s应以 “CN” 开头，后接 11 位数字", cnShipName)
	}
	if i := firstNonDigit(s[2:12]); i >= 0 {
		return charError(KindCNShip, cnShipName, s, i+2, false)
	}
	if c := s[12]; c >= 0x80 {
		return charError(KindCNShip, cnShipName, s, 12, false)
	}
	return nil
}

func cnShipYearError(y, thisYear int) *Error {
	if thisYear <= 0 {
		return errorf(KindCNShip, "%s第 3–6 位表示安放龙骨的年份，%04d 早于 %d 年", cnShipName, y, minKeelYear)
	}
	return errorf(KindCNShip, "%s第 3–6 位表示安放龙骨的年份，%04d 不在 %d–%d 之间", cnShipName, y, minKeelYear, thisYear)
}

// cnShipCheck computes the check with the first ten GB 11643 weights and MOD 11-2 mapping;
// body10 must be 10 digits. ok is false when the check would be X.
func cnShipCheck(body10 string) (byte, bool) {
	sum := 0
	for i := 0; i < 10; i++ {
		sum += int(body10[i]-'0') * citizenWeights[i]
	}
	c := mod112Digits[sum%11]
	return c, c != 'X'
}
