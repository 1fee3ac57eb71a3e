package validate

import (
	"regexp"
	"strings"
)

// byteMatchers are hand-compiled forms of the standard's fixed-format patterns.
// regexp costs 100–200 ns a call even on short fields (performance.md); these
// cost a few. Any other pattern (an operator's edited standard) uses regexp.
// TestMatchersAgree checks each against regexp.
var byteMatchers = map[string]func(string) bool{
	noBlankPattern:                      noBlank,
	`^\d{3,6}$`:                         func(s string) bool { return len(s) >= 3 && len(s) <= 6 && allDigits(s) },
	`^\d{4}(\d{6})?$`:                   func(s string) bool { return (len(s) == 4 || len(s) == 10) && allDigits(s) },
	`^\d{4}[A-Z]\d{7}$`:                 surveyRegNo,
	`^\d{4}(;\d{4})*$`:                  unNumbers,
	`^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$`: phone,
}

// noBlankPattern is the standard's "a number without blanks"; normalize
// answers it from scanText when it can (compile sets fieldPlan.noBlank).
const noBlankPattern = `^[^\s\x{3000}]+$`

// matcher compiles a field pattern: a byte matcher for known shapes, else regexp.
func matcher(pattern string) (func(string) bool, error) {
	if m, found := byteMatchers[pattern]; found {
		return m, nil
	}
	if n, fixed := fixedDigits(pattern); fixed && !strings.Contains(pattern, "(") {
		return func(s string) bool { return len(s) == n && allDigits(s) }, nil
	}
	re, err := regexp.Compile(pattern)
	if err != nil {
		return nil, err
	}
	return re.MatchString, nil
}

func surveyRegNo(s string) bool {
	return len(s) == 12 && allDigits(s[:4]) && s[4] >= 'A' && s[4] <= 'Z' && allDigits(s[5:])
}

func unNumbers(s string) bool {
	for {
		if len(s) < 4 || !allDigits(s[:4]) {
			return false
		}
		if len(s) == 4 {
			return true
		}
		if s[4] != ';' {
			return false
		}
		s = s[5:]
	}
}

// phone: a mobile number 1[3-9] + 9 digits, or a fixed line 0 + 2–3 digit area
// code, an optional "-", and 7–8 digits.
func phone(s string) bool {
	if len(s) == 11 && s[0] == '1' && s[1] >= '3' && s[1] <= '9' && allDigits(s) {
		return true
	}
	if len(s) < 10 || s[0] != '0' {
		return false
	}
	for area := 3; area <= 4; area++ { // "0" plus 2–3 digits
		if len(s) <= area || !allDigits(s[:area]) {
			continue
		}
		rest := s[area:]
		if rest[0] == '-' {
			rest = rest[1:]
		}
		if (len(rest) == 7 || len(rest) == 8) && allDigits(rest) {
			return true
		}
	}
	return false
}
