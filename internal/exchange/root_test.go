package exchange

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestIgnored(t *testing.T) {
	tests := []struct {
		name string
		want bool
	}{
		{"320000_20261125_000017.zip", false},
		{"320000_20261125_000017.zip.tmp", true},
		{"320000_20261125_000017.zip.TMP", true},
		{"320000_20261125_000017.zip.part", true},
		{".320000_20261125_000017.zip", true},
		{".DS_Store", true},
		{"~$报送清单.xlsx", true},
		{"Thumbs.db", true},
		{"desktop.ini", true},
		{"inbox/320000/x.tmp", true},
		{"notes.txt", false}, // not a package, but the caller says so in a receipt
	}
	for _, tt := range tests {
		if got := Ignored(tt.name); got != tt.want {
			t.Errorf("Ignored(%q) = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestRootScan(t *testing.T) {
	r := Root(t.TempDir())
	if err := r.Ensure([]string{"320000", "CJ0000"}); err != nil {
		t.Fatal(err)
	}
	for _, dir := range []string{r.Inbox("CJ0000"), r.Outbox("CJ0000"), r.Archive("CJ0000"), r.Processing("CJ0000")} {
		if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
			t.Errorf("Ensure did not make %s: %v", dir, err)
		}
	}
	for _, name := range []string{
		"inbox/320000/320000_20261125_000002.zip", "inbox/320000/320000_20261125_000001.zip",
		"inbox/320000/320000_20261125_000003.zip.part", "inbox/320000/sub/x.zip",
		"inbox/CJ0000/CJ0000_20261125_000001.zip", "inbox/stray.zip", "outbox/320000/r.json",
	} {
		mustWriteFile(t, filepath.Join(string(r), name), "x")
	}
	os.Symlink(filepath.Join(string(r), "inbox/stray.zip"), r.Inbox("CJ0000")+"/link.zip")
	got, err := r.Scan()
	if err != nil {
		t.Fatal(err)
	}
	want := []Inbound{
		{"320000", filepath.Join(r.Inbox("320000"), "320000_20261125_000001.zip")},
		{"320000", filepath.Join(r.Inbox("320000"), "320000_20261125_000002.zip")},
		{"CJ0000", filepath.Join(r.Inbox("CJ0000"), "CJ0000_20261125_000001.zip")},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Scan (-want +got):\n%s", diff)
	}
	if _, err := Root(filepath.Join(string(r), "none")).Scan(); err == nil {
		t.Errorf("Scan of a missing root = nil error, want one")
	}
}
