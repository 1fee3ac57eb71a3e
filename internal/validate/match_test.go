package validate

import (
	"regexp"
	"testing"
)

// TestMatchersAgree checks every hand-compiled matcher against regexp.
func TestMatchersAgree(t *testing.T) {
	inputs := []string{"", "0", "123", "1234", "12345", "123456", "1234567", "0123456789", "01234567890",
		"2014Q2501082", "2014q2501082", "2014QQ501082", "1824", "1824;1830", "1824;", "1824;183", "1824;1830;1090",
		"13912345678", "12912345678", "1391234567", "0580-2263888", "05802263888", "010-12345678", "0101-1234567",
		"010-1234567", "0388-436780", "0-1234567", "a b", "ab", "a\u3000b", "苏XK001", " x", "x\t",
		"139123456789", "0580--2263888", "1234567890a"}
	for pattern, m := range byteMatchers {
		re := regexp.MustCompile(pattern)
		for _, s := range inputs {
			if got, want := m(s), re.MatchString(s); got != want {
				t.Errorf("matcher %s (%q) = %v, regexp says %v", pattern, s, got, want)
			}
		}
	}
}

func FuzzMatchers(f *testing.F) {
	for _, s := range []string{"13912345678", "0580-2263888", "2014Q2501082", "1824;1830", "0601", "苏 1"} {
		f.Add(s)
	}
	res := map[string]*regexp.Regexp{}
	for p := range byteMatchers {
		res[p] = regexp.MustCompile(p)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for p, m := range byteMatchers {
			if got, want := m(s), res[p].MatchString(s); got != want {
				t.Errorf("matcher %s (%q) = %v, regexp says %v", p, s, got, want)
			}
		}
	})
}
