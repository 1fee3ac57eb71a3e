package ident

import (
	"errors"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// Seed corpora live in testdata/fuzz/<FuzzName>/ so that plain `go test` replays them.

// wantError asserts err is an *Error of the given kind with a readable message, and
// returns the message ("" for nil).
func wantError(t *testing.T, err error, kind string) string {
	t.Helper()
	if err == nil {
		return ""
	}
	e, ok := errors.AsType[*Error](err)
	if !ok {
		t.Fatalf("error %T is not *ident.Error: %v", err, err)
	}
	if e.Kind != kind {
		t.Fatalf("Kind = %q, want %q (%s)", e.Kind, kind, e.Msg)
	}
	if e.Msg == "" || !utf8.ValidString(e.Msg) || strings.Contains(e.Msg, "%!") {
		t.Fatalf("bad message %q", e.Msg)
	}
	return e.Msg
}

// wantRightCheck asserts that when msg names the right check character, putting it in
// place of the last character of s makes check accept s.
func wantRightCheck(t *testing.T, s, msg string, check func(string) error) {
	t.Helper()
	const marker = "校验位错误，应为 "
	i := strings.Index(msg, marker)
	if i < 0 {
		return
	}
	right := msg[i+len(marker):]
	if len(right) != 1 {
		t.Fatalf("message %q names no single check character", msg)
	}
	if err := check(s[:len(s)-1] + right); err != nil {
		t.Fatalf("%q: message says %q, but with it: %v", s, msg, err)
	}
}

func FuzzUSCC(f *testing.F) {
	f.Fuzz(func(t *testing.T, s string) {
		msg := wantError(t, USCC(s), KindUSCC)
		wantRightCheck(t, s, msg, USCC)
		orgMsg := wantError(t, USCCOrgCode(s), KindUSCC)
		if msg == "" {
			if USCCCheck(s[:17]) != s[17] {
				t.Fatalf("%q accepted but USCCCheck gives %q", s, USCCCheck(s[:17]))
			}
			if (orgMsg == "") != (OrgCode(s[8:17]) == nil) {
				t.Fatalf("%q: USCCOrgCode %q disagrees with OrgCode(%q)", s, orgMsg, s[8:17])
			}
		}
		if c := USCCCheck(s); c != 0 {
			// Any failure of body+check is about the shape, not the check character.
			if m := wantError(t, USCC(s+string(c)), KindUSCC); strings.Contains(m, "校验位") {
				t.Fatalf("%q + USCCCheck %q: %s", s, c, m)
			}
		}
	})
}

func FuzzOrgCode(f *testing.F) {
	f.Fuzz(func(t *testing.T, s string) {
		msg := wantError(t, OrgCode(s), KindOrgCode)
		wantRightCheck(t, s, msg, OrgCode)
		if msg == "" && OrgCodeCheck(s[:8]) != s[8] {
			t.Fatalf("%q accepted but OrgCodeCheck gives %q", s, OrgCodeCheck(s[:8]))
		}
		if c := OrgCodeCheck(s); c != 0 {
			if err := OrgCode(s + string(c)); err != nil {
				t.Fatalf("%q + OrgCodeCheck %q: %v", s, c, err)
			}
		}
	})
}

func FuzzCitizen(f *testing.F) {
	f.Fuzz(func(t *testing.T, s string, year, month, day int) {
		today := time.Date(1800+abs(year)%400, time.Month(1+abs(month)%12), 1+abs(day)%31, 12, 0, 0, 0, time.UTC)
		check := func(s string) error { return Citizen(s, today) }
		msg := wantError(t, check(s), KindCitizen)
		wantRightCheck(t, s, msg, check)
		if msg == "" {
			if CitizenCheck(s[:17]) != s[17] || !IsProvince(s) {
				t.Fatalf("%q accepted with check %q", s, CitizenCheck(s[:17]))
			}
			born, err := time.Parse("20060102", s[6:14])
			if err != nil || born.Year() < 1850 || born.After(today) {
				t.Fatalf("%q accepted with birth date %s (today %s, %v)", s, s[6:14], today.Format(time.DateOnly), err)
			}
		}
		if c := CitizenCheck(s); c != 0 {
			if m := wantError(t, check(s+string(c)), KindCitizen); strings.Contains(m, "校验位") {
				t.Fatalf("%q + CitizenCheck %q: %s", s, c, m)
			}
		}
	})
}

func FuzzIMO(f *testing.F) {
	f.Fuzz(func(t *testing.T, s string) {
		msg := wantError(t, IMO(s), KindIMO)
		wantRightCheck(t, s, msg, IMO)
		if msg == "" && IMOCheck(s[:6]) != s[6] {
			t.Fatalf("%q accepted but IMOCheck gives %q", s, IMOCheck(s[:6]))
		}
		if c := IMOCheck(s); c != 0 {
			if err := IMO(s + string(c)); err != nil {
				t.Fatalf("%q + IMOCheck %q: %v", s, c, err)
			}
		}
	})
}

func FuzzMMSI(f *testing.F) {
	f.Fuzz(func(t *testing.T, s string) {
		msg := wantError(t, MMSI(s), KindMMSI)
		if msg == "" && (len(s) != 9 || firstNonDigit(s) >= 0 || (s[:3] != "412" && s[:3] != "413" && s[:3] != "414")) {
			t.Fatalf("%q accepted", s)
		}
	})
}

func FuzzCNShip(f *testing.F) {
	f.Fuzz(func(t *testing.T, s string, thisYear int) {
		check := func(s string) error { return CNShip(s, thisYear) }
		msg := wantError(t, check(s), KindCNShip)
		wantRightCheck(t, s, msg, check)
		if msg == "" {
			c, ok := CNShipCheck(s[2:12])
			if !strings.HasPrefix(s, "CN") || !ok || c != s[12] {
				t.Fatalf("%q accepted but CNShipCheck gives %q, %v", s, c, ok)
			}
			if y := atoi(s[2:6]); y < 1900 || (thisYear > 0 && y > thisYear) {
				t.Fatalf("%q accepted with year %d (this year %d)", s, y, thisYear)
			}
		}
		if strings.Contains(msg, "不可能被核发") {
			if _, ok := CNShipCheck(s[2:12]); ok {
				t.Fatalf("%q said never issued, but CNShipCheck gives a digit", s)
			}
		}
		c, ok := CNShipCheck(s)
		switch {
		case !ok && c != 0 && c != 'X':
			t.Fatalf("CNShipCheck(%q) = %q, false", s, c)
		case ok:
			if m := wantError(t, check("CN"+s+string(c)), KindCNShip); strings.Contains(m, "校验") {
				t.Fatalf("CN%s + CNShipCheck %q: %s", s, c, m)
			}
		}
	})
}

func FuzzPortLicense(f *testing.F) {
	f.Fuzz(func(t *testing.T, s string) {
		prefix, serial, err := PortLicense(s)
		if wantError(t, err, KindPattern) != "" {
			if prefix != "" || serial != "" {
				t.Fatalf("%q refused but returned %q, %q", s, prefix, serial)
			}
			return
		}
		if !strings.Contains(s, "港经证") {
			t.Fatalf("%q accepted without 港经证", s)
		}
		if got := "（" + prefix + "）港经证（" + serial + "）号"; got != NormalizeBrackets(s) {
			t.Fatalf("%q accepted as %q, %q", s, prefix, serial)
		}
		if n := utf8.RuneCountInString(prefix); n < 1 || n > 4 || len(serial) < 3 || len(serial) > 6 || firstNonDigit(serial) >= 0 {
			t.Fatalf("%q accepted as %q, %q", s, prefix, serial)
		}
	})
}

func FuzzNormalizeBrackets(f *testing.F) {
	f.Fuzz(func(t *testing.T, s string) {
		n := NormalizeBrackets(s)
		if strings.ContainsAny(n, "()") || NormalizeBrackets(n) != n {
			t.Fatalf("NormalizeBrackets(%q) = %q", s, n)
		}
		if strings.ReplaceAll(strings.ReplaceAll(n, "（", "("), "）", ")") !=
			strings.ReplaceAll(strings.ReplaceAll(s, "（", "("), "）", ")") {
			t.Fatalf("NormalizeBrackets(%q) = %q changed more than brackets", s, n)
		}
	})
}

func FuzzProjectCode(f *testing.F) {
	f.Fuzz(func(t *testing.T, s string) {
		msg := wantError(t, ProjectCode(s), KindPattern)
		region := ProjectRegion(s)
		if msg != "" {
			if region != "" {
				t.Fatalf("%q refused but ProjectRegion = %q", s, region)
			}
			return
		}
		if len(s) != 24 || region != s[5:11] {
			t.Fatalf("%q accepted with region %q", s, region)
		}
		if digitsOnly := strings.ReplaceAll(s[:23], "-", ""); len(digitsOnly) != 19 || firstNonDigit(digitsOnly) >= 0 || s[4] != '-' || s[11] != '-' || s[14] != '-' || s[17] != '-' {
			t.Fatalf("%q accepted", s)
		}
	})
}

func abs(n int) int {
	if n < 0 {
		if n = -n; n < 0 { // math.MinInt
			return 0
		}
	}
	return n
}

func FuzzProvince(f *testing.F) {
	f.Fuzz(func(t *testing.T, code string, abbr rune) {
		if IsProvince(code) != (ProvinceName(code) != "") {
			t.Fatalf("IsProvince(%q) = %v but ProvinceName = %q", code, IsProvince(code), ProvinceName(code))
		}
		if p, ok := ProvinceByAbbr(abbr); ok != IsProvince(p) || (!ok && p != "") {
			t.Fatalf("ProvinceByAbbr(%q) = %q, %v", abbr, p, ok)
		}
	})
}
