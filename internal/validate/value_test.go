package validate

import (
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"shuiyun/internal/standard"
)

func TestParseDate(t *testing.T) {
	tests := []struct {
		in   string
		want string // "" = invalid
	}{
		{"2023-05-06", "2023-05-06"},
		{"2023/5/6", "2023-05-06"},
		{"2023.5.6", "2023-05-06"},
		{"20230506", "2023-05-06"},
		{"2023年5月6日", "2023-05-06"},
		{"2014-12-05 00:00:00.0", "2014-12-05"},
		{"2014-12-05 13:45:10", "2014-12-05"},
		{"2014-12-05T13:45", "2014-12-05"},
		{"２０２３－０５－０６", "2023-05-06"},
		{"45000", "2023-03-15"},
		{"45000.5", "2023-03-15"},
		{"2023-02-30", ""},
		{"2023-13-01", ""},
		{"2023", ""},
		{"2023-5", ""},
		{"2023/05-06", ""},
		{"20230230", ""},
		{"2023-05-06 25:00", ""},
		{"abc", ""},
		{"2024-02-29", "2024-02-29"},
		{"2100-02-29", ""},
	}
	for _, tt := range tests {
		d, ok := parseDate(tt.in)
		got := ""
		if ok {
			got = dayString(d)
		}
		if got != tt.want {
			t.Errorf("parseDate(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestDecimalShape(t *testing.T) {
	tests := []struct {
		in     string
		intDig int
		frac   string
		wantOK bool
	}{
		{"12.345", 2, "345", true},
		{"0.5", 0, "5", true},
		{"-3", 1, "", true},
		{"007", 1, "", true},
		{"1,200", 0, "", false},
		{"1.", 0, "", false},
		{".5", 0, "", false},
		{"1e5", 0, "", false},
		{"", 0, "", false},
	}
	for _, tt := range tests {
		n, frac, ok := decimalShape(tt.in)
		if ok != tt.wantOK || (ok && (n != tt.intDig || frac != tt.frac)) {
			t.Errorf("decimalShape(%q) = %d, %q, %v; want %d, %q, %v", tt.in, n, frac, ok, tt.intDig, tt.frac, tt.wantOK)
		}
	}
}

func TestSciNotation(t *testing.T) {
	for in, want := range map[string]bool{
		"9.13501E+17": true, "4.13906E+08": true, "1E+05": true, "9.1e+17": true,
		"913501": false, "E5": false, "9.1E": false, "CN2014E1": false, "1.5": false,
		"2014E2501082": false, "1E5": false, "12.5E+03": false,
	} {
		if got := isSciNotation(in); got != want {
			t.Errorf("isSciNotation(%q) = %v, want %v", in, got, want)
		}
	}
}

func TestTrimAndBool(t *testing.T) {
	if got := trim("\u3000 苏州 \u3000\t"); got != "苏州" {
		t.Errorf("trim = %q", got)
	}
	for in, want := range map[string]string{"是": "1", "否": "0", "Y": "1", "n": "0", "TRUE": "1", "1|": "1", "0": "0"} {
		if got, ok := parseBool(in); !ok || got != want {
			t.Errorf("parseBool(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
	if _, ok := parseBool("可能"); ok {
		t.Error("parseBool(可能) accepted")
	}
}

func TestAddYears(t *testing.T) {
	d, _ := dayOf(2014, 5, 23)
	if got := dayString(addYears(d, 3, 0)); got != "2017-05-22" {
		t.Errorf("addYears(2014-05-23, 3) = %s, want 2017-05-22", got)
	}
	if got := dayString(addYears(d, 0, 6)); got != "2014-11-22" {
		t.Errorf("addYears(2014-05-23, 6 months) = %s, want 2014-11-22", got)
	}
}

func TestDecimalValue(t *testing.T) {
	for _, s := range []string{"0", "1200.5", "-3.25", "0.1", "123456789.123", "0.000001", "9007199254740991", "30.300", "007.50"} {
		want, _ := strconv.ParseFloat(s, 64)
		got, exact := decimalValue(s)
		if exact && got != want {
			t.Errorf("decimalValue(%q) = %v, want %v", s, got, want)
		}
	}
	if _, exact := decimalValue("12345678901234567890"); exact {
		t.Error("decimalValue of a 20-digit number claims to be exact")
	}
}

func FuzzDecimalValue(f *testing.F) {
	for _, s := range []string{"1200.5", "-0.001", "99999999.999", "1"} {
		f.Add(s)
	}
	fp := &fieldPlan{f: &standard.Field{Type: standard.TypeDecimal, Precision: 8, Scale: 3}, maxInt: 5}
	f.Fuzz(func(t *testing.T, s string) {
		intDigits, frac, shapeOK := decimalShape(s)
		n, plainOK := fp.plainDecimal(s)
		fits := shapeOK && intDigits <= 5 && len(strings.TrimRight(frac, "0")) <= 3
		if plainOK && !fits {
			t.Errorf("plainDecimal(%q) accepted a value the slow path refuses", s)
		}
		if plainOK {
			if want, _ := strconv.ParseFloat(s, 64); n != want {
				t.Errorf("plainDecimal(%q) = %v, ParseFloat = %v", s, n, want)
			}
		}
		if !shapeOK {
			return
		}
		want, err := strconv.ParseFloat(s, 64)
		if got, exact := decimalValue(s); exact && (err != nil || got != want) {
			t.Errorf("decimalValue(%q) = %v, ParseFloat = %v, %v", s, got, want, err)
		}
	})
}

// scanTextAgrees checks what scanText proves against the scans it replaces.
func scanTextAgrees(t *testing.T, s string) {
	f := scanText(s)
	if got, want := f&factNFC != 0, nfcInert(s); got != want {
		t.Errorf("scanText(%q) NFC-inert = %v, nfcInert says %v", s, got, want)
	}
	if f&factNoParen != 0 && strings.ContainsAny(s, "()") {
		t.Errorf("scanText(%q) claims no brackets", s)
	}
	if f&factNoBlank != 0 && s != "" && !noBlank(s) {
		t.Errorf("scanText(%q) claims no blanks", s)
	}
	if !utf8.ValidString(s) {
		return // broken text: scanText needs only be sound
	}
	if f&factNFC != 0 && (f&factNoParen == 0) != strings.ContainsAny(s, "()") {
		t.Errorf("scanText(%q) misses a fact: brackets", s)
	}
	if f&factNFC != 0 && s != "" && (f&factNoBlank == 0) != !noBlank(s) {
		t.Errorf("scanText(%q) misses a fact: blanks", s)
	}
}

func TestScanText(t *testing.T) {
	for _, s := range []string{"", "abc", "a b", "a\tb", "a\vb", "(x)", "苏州(中国)", "苏州（中国）", "鄂交营2026",
		"a\u3000b", "\u3001\u3002", "\u3000", "ｘ１", "\uff5f", "e\u0301", "é", "Ａ(", "\u4dc0", "\xe4\xb8", "x\xe3\x80",
		"\xe3\x80\x80(", "café ", "交鄂XK000001"} {
		scanTextAgrees(t, s)
	}
}

func FuzzScanText(f *testing.F) {
	for _, s := range []string{"苏州(中国)", "a\u3000b", "e\u0301 x", "ｘ１"} {
		f.Add(s)
	}
	f.Fuzz(scanTextAgrees)
}

// FuzzCanonicalDay: the YYYY-MM-DD fast path reads what parseDate reads.
func FuzzCanonicalDay(f *testing.F) {
	for _, s := range []string{"2023-05-06", "2024-02-29", "2100-02-29", "0000-01-01", "2023-13-01", "2023-5-06", "1900-01-01"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, canonical, ok := canonicalDay(s)
		if !canonical {
			return
		}
		if wd, wok := parseDate(s); d != wd || ok != wok {
			t.Errorf("canonicalDay(%q) = %d, %v; parseDate = %d, %v", s, d, ok, wd, wok)
		}
	})
}

// FuzzTrim: the look at both ends that lets most cells through agrees with
// trimming blanks the long way.
func FuzzTrim(f *testing.F) {
	for _, s := range []string{"苏州", " x ", "\u3000苏州\u3000", "x\u00a0", "\ufeffx", "中\xe4", "a\xe4\xb8 ", "\x7f"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		want := strings.TrimFunc(strings.TrimFunc(s, func(r rune) bool { return r < utf8.RuneSelf && isASCIISpace(byte(r)) }), isBlankRune)
		if !utf8.ValidString(s) {
			return // blankStart and blankEnd judge broken text by its lead bytes
		}
		if got := trim(s); got != want {
			t.Errorf("trim(%q) = %q, want %q", s, got, want)
		}
	})
}
