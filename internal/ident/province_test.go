package ident

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestProvinces(t *testing.T) {
	// standard.md §3.9: exactly these 31 two-digit codes.
	want := []string{"11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37",
		"41", "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64", "65"}
	var got []string
	for i := 0; i < 100; i++ {
		if code := string([]byte{byte('0' + i/10), byte('0' + i%10)}); IsProvince(code) {
			got = append(got, code)
		}
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("provinces (-want +got):\n%s", diff)
	}
	for _, code := range []string{"", "3", "71", "81", "82", "00", "3a"} {
		if IsProvince(code) {
			t.Errorf("IsProvince(%q) = true", code)
		}
	}
}

func TestProvinceName(t *testing.T) {
	for code, want := range map[string]string{"33": "浙江省", "330203": "浙江省", "11": "北京市", "65": "新疆维吾尔自治区", "71": "", "": ""} {
		if got := ProvinceName(code); got != want {
			t.Errorf("ProvinceName(%q) = %q, want %q", code, got, want)
		}
	}
}

func TestProvinceByAbbr(t *testing.T) {
	for abbr, want := range map[rune]string{'浙': "33", '京': "11", '贵': "52", '黔': "52", '云': "53", '滇': "53", '陕': "61", '秦': "61", '甘': "62", '陇': "62", '新': "65", '台': "", '舟': ""} {
		got, ok := ProvinceByAbbr(abbr)
		if got != want || ok != (want != "") {
			t.Errorf("ProvinceByAbbr(%q) = %q, %v; want %q", abbr, got, ok, want)
		}
	}
	// Every province has an abbreviation, and no abbreviation is shared.
	seen := map[rune]string{}
	for _, p := range provinces {
		if p.abbr == "" {
			t.Errorf("%s has no abbreviation", p.name)
		}
		for _, r := range p.abbr {
			if other, dup := seen[r]; dup {
				t.Errorf("%c is the abbreviation of %s and %s", r, other, p.name)
			}
			seen[r] = p.name
		}
	}
}
