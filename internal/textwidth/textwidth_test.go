package textwidth

import "testing"

func TestWidth(t *testing.T) {
	tests := []struct {
		in   string
		want int
	}{{"", 0}, {"REQ", 3}, {"规则", 4}, {"ID-USCC 错误", 12}, {"（１）", 6}}
	for _, tt := range tests {
		if got := Width(tt.in); got != tt.want {
			t.Errorf("Width(%q) = %d, want %d", tt.in, got, tt.want)
		}
	}
	if got := PadRight("规则", 6); got != "规则  " {
		t.Errorf("PadRight = %q", got)
	}
	if got := PadLeft("12", 4); got != "  12" {
		t.Errorf("PadLeft = %q", got)
	}
}
