package exchange

import "testing"

func TestParseName(t *testing.T) {
	tests := []struct {
		base string
		want Name
		ok   bool
	}{
		{"320000_20261125_000017.zip", Name{"320000", "20261125", 17}, true},
		{"CJ0000_20240229_999999.zip", Name{"CJ0000", "20240229", 999999}, true},
		{"320000_20261125_000000.zip", Name{}, false}, // sequences start at 1
		{"320000_20261125_17.zip", Name{}, false},
		{"320000_20261125_0000017.zip", Name{}, false},
		{"320000_20261131_000017.zip", Name{}, false}, // no 31 November
		{"320000_2026-11-25_000017.zip", Name{}, false},
		{"320000_20261125_000017.ZIP", Name{}, false},
		{"320000_20261125_000017.zip.tmp", Name{}, false},
		{"32000_20261125_000017.zip", Name{}, false},
		{"cj0000_20261125_000017.zip", Name{}, false},
		{"320000_20261125_000017_x.zip", Name{}, false},
		{"320000_20261125_+00017.zip", Name{}, false},
		{"", Name{}, false},
	}
	for _, tt := range tests {
		got, ok := ParseName(tt.base)
		if got != tt.want || ok != tt.ok {
			t.Errorf("ParseName(%q) = %v, %v, want %v, %v", tt.base, got, ok, tt.want, tt.ok)
		}
		if ok && got.String() != tt.base {
			t.Errorf("ParseName(%q).String() = %q, want it back", tt.base, got.String())
		}
	}
}

func TestReceiptNames(t *testing.T) {
	const pkg = "320000_20261125_000017.zip"
	tests := []struct {
		n                  int
		receipt, errorsXLS string
	}{
		{0, pkg + ".receipt.json", pkg + ".errors.xlsx"},
		{1, pkg + ".receipt.json", pkg + ".errors.xlsx"},
		{2, pkg + ".2.receipt.json", pkg + ".2.errors.xlsx"},
		{12, pkg + ".12.receipt.json", pkg + ".12.errors.xlsx"},
	}
	for _, tt := range tests {
		if got := ReceiptName(pkg, tt.n); got != tt.receipt {
			t.Errorf("ReceiptName(%q, %d) = %q, want %q", pkg, tt.n, got, tt.receipt)
		}
		if got := ErrorsName(pkg, tt.n); got != tt.errorsXLS {
			t.Errorf("ErrorsName(%q, %d) = %q, want %q", pkg, tt.n, got, tt.errorsXLS)
		}
	}
}
