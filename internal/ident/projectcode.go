package ident

import "unicode/utf8"

// 固定资产投资项目代码 (GB/T 40058-2021), standard.md §3.12. Shape only: the check
// character's algorithm is not verified, so it is not enforced.

const (
	projectName  = "投资项目代码"
	projectShape = "YYYY-RRRRRR-DD-TT-NNNNNC"
	projectLen   = len(projectShape) // 24
)

// ProjectCode checks the shape of a 固定资产投资项目代码: YYYY-RRRRRR-DD-TT- then 5 digits
// and a digit or uppercase letter (the current form, whose last character is a check) or
// 6 digits (the older form, the same pattern). Kind is FMT-PATTERN.
func ProjectCode(s string) error {
	if len(s) != projectLen {
		return projectLengthError(s)
	}
	for i := 0; i < projectLen-1; i++ {
		if hyphen := projectShape[i] == '-'; hyphen && s[i] != '-' || !hyphen && !isDigit(s[i]) {
			return projectCharError(s, i)
		}
	}
	if c := s[projectLen-1]; !isDigit(c) && (c < 'A' || c > 'Z') {
		return projectCharError(s, projectLen-1)
	}
	return nil
}

// ProjectRegion returns the 6-digit region code (characters 6–11) of a project code, or
// "" when s is not shaped like one.
func ProjectRegion(s string) string {
	if ProjectCode(s) != nil {
		return ""
	}
	return s[5:11]
}

func projectLengthError(s string) *Error {
	if len(s) == 20 && firstNonDigit(s[:19]) < 0 && (isDigit(s[19]) || s[19] >= 'A' && s[19] <= 'Z') {
		return errorf(KindPattern, "%s缺少连字符，应写作 %s-%s-%s-%s-%s", projectName, s[:4], s[4:10], s[10:12], s[12:14], s[14:])
	}
	return lengthError(KindPattern, projectName, projectLen, "格式 "+projectShape, s)
}

func projectCharError(s string, i int) *Error {
	if s[i] >= utf8.RuneSelf {
		return charError(KindPattern, projectName, s, i, false)
	}
	switch {
	case projectShape[i] == '-':
		return errorf(KindPattern, "%s第 %d 位应为连字符 “-”，实际为 %s（格式 %s）", projectName, i+1, quoteByte(s[i]), projectShape)
	case i == projectLen-1:
		return errorf(KindPattern, "%s第 %d 位应为数字或大写字母，实际为 %s（格式 %s）", projectName, i+1, quoteByte(s[i]), projectShape)
	}
	return errorf(KindPattern, "%s第 %d 位应为数字，实际为 %s（格式 %s）", projectName, i+1, quoteByte(s[i]), projectShape)
}

// quoteByte quotes an ASCII byte, naming the invisible ones.
func quoteByte(c byte) string {
	if c == ' ' || c < 0x20 || c == 0x7F {
		return describe(rune(c))
	}
	return "“" + string(rune(c)) + "”"
}
