package validate

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/simplifiedchinese"

	"shuiyun/internal/standard"
)

func TestMojibake(t *testing.T) {
	// asLatin1 reads bytes as LibreOffice does with a CSV it takes for
	// Windows-1252: bytes 1252 leaves undefined come out as U+F1xx.
	asLatin1 := func(b []byte) string {
		var out []rune
		for _, c := range b {
			r, err := charmap.Windows1252.NewDecoder().Bytes([]byte{c})
			if err != nil || string(r) == "\ufffd" {
				out = append(out, 0xF100+rune(c))
				continue
			}
			out = append(out, []rune(string(r))...)
		}
		return string(out)
	}
	gbk, _ := simplifiedchinese.GB18030.NewEncoder().String("船舶识别号")
	tests := []struct {
		in, want string
	}{
		{asLatin1([]byte("\ufeff经营者名称")), "经营者名称"},
		{asLatin1([]byte("经营者名称")), "经营者名称"},
		{asLatin1([]byte(gbk)), "船舶识别号"},
		{"经营者名称", ""},
		{"uscc", ""},
		{"Zürich", ""},
	}
	for _, tt := range tests {
		if got := mojibake(tt.in); got != tt.want {
			t.Errorf("mojibake(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestMojibakeHeaderFile: a file whose header was mangled by a Latin-1 reader
// is refused with FILE-ENCODING naming the header as it was meant, not with a
// wall of unknown-column warnings.
func TestMojibakeHeaderFile(t *testing.T) {
	header := "经营者名称,统一社会信用代码,法定代表人（负责人）"
	var mangled []rune
	for _, c := range []byte(header) {
		r, err := charmap.Windows1252.NewDecoder().Bytes([]byte{c})
		if err != nil || string(r) == "\ufffd" {
			mangled = append(mangled, 0xF100+rune(c))
			continue
		}
		mangled = append(mangled, []rune(string(r))...)
	}
	path := filepath.Join(t.TempDir(), "data.csv")
	if err := os.WriteFile(path, []byte(string(mangled)+"\nx,y,z\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	std, err := standard.Default()
	if err != nil {
		t.Fatal(err)
	}
	r, err := Run(context.Background(), std, []string{path}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	f := r.Files[0]
	if r.Valid || len(f.Findings) != 1 || f.Findings[0].Rule != "FILE-ENCODING" || !strings.Contains(f.Findings[0].Message, "经营者名称") {
		t.Errorf("findings = %+v, want one FILE-ENCODING naming 经营者名称", f.Findings)
	}
	if f.Dataset != "shipping_operator" {
		t.Errorf("dataset = %q, want shipping_operator (from the header as meant)", f.Dataset)
	}
}
