package export

import "testing"

func TestNeutralise(t *testing.T) {
	for in, want := range map[string]string{
		"":                    "",
		"南京港":                 "南京港",
		"=HYPERLINK(\"x\")":   "'=HYPERLINK(\"x\")",
		"+86 025":             "'+86 025",
		"-1+2":                "'-1+2",
		"@SUM(A1)":            "'@SUM(A1)",
		"\tcmd":               "'\tcmd",
		"-3.5":                "-3.5",
		"+12":                 "+12",
		"913201001234567890X": "913201001234567890X",
	} {
		if got := Neutralise(in); got != want {
			t.Errorf("Neutralise(%q) = %q, want %q", in, got, want)
		}
	}
}
