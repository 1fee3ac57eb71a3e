package exchange

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestCountRows(t *testing.T) {
	tests := []struct {
		name, text string
		count      func(io.Reader) (int, error)
		want       int
	}{
		{"csv empty", "", countCSV, 0},
		{"csv header only", "a,b\n", countCSV, 0},
		{"csv rows", "a,b\n1,2\n3,4\n", countCSV, 2},
		{"csv no final newline", "a,b\n1,2\n3,4", countCSV, 2},
		{"csv CRLF", "a,b\r\n1,2\r\n", countCSV, 1},
		{"csv quoted newline", "a,b\n1,\"x\ny\"\n3,4\n", countCSV, 2},
		{"csv ragged", "a,b\n1\n3,4,5\n", countCSV, 2},
		{"csv blank lines", "a,b\n\n1,2\n\n", countCSV, 1},
		{"jsonl empty", "", countJSONL, 0},
		{"jsonl lines", "{}\n{}\n", countJSONL, 2},
		{"jsonl blanks", "\n{}\n \t\r\n{}", countJSONL, 2},
		{"jsonl CRLF", "{}\r\n{}\r\n", countJSONL, 2},
	}
	for _, tt := range tests {
		got, err := tt.count(strings.NewReader(tt.text))
		if err != nil || got != tt.want {
			t.Errorf("%s: count(%q) = %d, %v, want %d", tt.name, tt.text, got, err, tt.want)
		}
	}
	if _, err := countCSV(strings.NewReader("a\n\"x\n")); err == nil {
		t.Errorf("countCSV(unclosed quote) = nil error, want one")
	}
}

func TestBuildRefuses(t *testing.T) {
	dir := t.TempDir()
	csvPath, xlsxPath := filepath.Join(dir, "a.csv"), filepath.Join(dir, "a.xlsx")
	mustWriteFile(t, csvPath, "x\n1\n")
	mustWriteFile(t, xlsxPath, "x")
	head := Manifest{Sender: "320000", Sequence: 1, DataDate: "2026-11-25", Mode: Incremental}
	tests := []struct {
		name  string
		edit  func(*Manifest)
		files []BuildFile
		code  string // "" for a plain error
	}{
		{"no files", nil, nil, ManifestInvalid},
		{"not csv or jsonl", nil, []BuildFile{{xlsxPath, "a"}}, ""},
		{"missing file", nil, []BuildFile{{filepath.Join(dir, "none.csv"), "a"}}, ""},
		{"bad dataset", nil, []BuildFile{{csvPath, "A"}}, ManifestInvalid},
		{"dataset twice", nil, []BuildFile{{csvPath, "a"}, {csvPath, "a"}}, ManifestInvalid},
		{"no sender", func(m *Manifest) { m.Sender = "" }, []BuildFile{{csvPath, "a"}}, ManifestInvalid},
		{"bad mode", func(m *Manifest) { m.Mode = "delta" }, []BuildFile{{csvPath, "a"}}, ManifestInvalid},
	}
	for _, tt := range tests {
		m := head
		if tt.edit != nil {
			tt.edit(&m)
		}
		out := filepath.Join(dir, "out", "320000_20261125_000001.zip")
		os.MkdirAll(filepath.Dir(out), 0o755)
		_, err := Build(out, m, tt.files)
		e, isExchange := errors.AsType[*Error](err)
		switch {
		case err == nil:
			t.Errorf("%s: Build = nil error, want one", tt.name)
		case tt.code == "" && isExchange, tt.code != "" && (!isExchange || e.Code != tt.code):
			t.Errorf("%s: Build = %v, want code %q", tt.name, err, tt.code)
		}
		if got := listTree(t, filepath.Dir(out)); len(got) != 0 {
			t.Errorf("%s: Build left %v", tt.name, got)
		}
	}
}

// TestDigests checks SM3 against the GB/T 32905 example, through SM3File and Build.
func TestDigests(t *testing.T) {
	const (
		sm3ABC    = "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"
		sha256ABC = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
	)
	dir := t.TempDir()
	path := filepath.Join(dir, "abc.csv")
	mustWriteFile(t, path, "abc")
	if got, err := SM3File(path); got != sm3ABC || err != nil {
		t.Errorf("SM3File(abc) = %s, %v, want %s", got, err, sm3ABC)
	}
	if got, err := SHA256File(path); got != sha256ABC || err != nil {
		t.Errorf("SHA256File(abc) = %s, %v, want %s", got, err, sha256ABC)
	}
	m := Manifest{Sender: "320000", Sequence: 1, DataDate: "2026-11-25", Mode: Incremental}
	got, err := Build(filepath.Join(dir, "p.zip"), m, []BuildFile{{path, "abc"}})
	if err != nil {
		t.Fatal(err)
	}
	if f := got.Files[0]; f.SM3 != sm3ABC || f.SHA256 != sha256ABC || f.Rows != 0 {
		t.Errorf("Build(abc) file = %+v, want sm3 %s, sha256 %s, 0 rows", f, sm3ABC, sha256ABC)
	}
	if _, err := SHA256File(filepath.Join(dir, "none")); err == nil {
		t.Errorf("SHA256File(missing) = nil error, want one")
	}
}

func TestWriteFileAtomic(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "r.json")
	for _, text := range []string{"first", "second, longer"} {
		if err := WriteFileAtomic(path, []byte(text)); err != nil {
			t.Fatal(err)
		}
		got, err := os.ReadFile(path)
		if string(got) != text || err != nil {
			t.Errorf("after WriteFileAtomic(%q): file = %q, %v", text, got, err)
		}
	}
	if got := listTree(t, dir); len(got) != 1 {
		t.Errorf("WriteFileAtomic left %v, want only r.json", got)
	}
	if err := WriteFileAtomic(filepath.Join(dir, "none", "r.json"), nil); err == nil {
		t.Errorf("WriteFileAtomic into a missing folder = nil error, want one")
	}
}
