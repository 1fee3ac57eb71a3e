package exchange

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"shuiyun/internal/golden"
)

func TestOpenRoundTrip(t *testing.T) {
	src := t.TempDir()
	data := map[string]string{
		"vessel.csv": "ship_id,name\nCN20181234567,\"长江\n一号\"\nCN20181234568,二号\n",
		"port.jsonl": "{\"port\":\"南京\"}\n\n  \n{\"port\":\"武汉\"}",
	}
	var files []BuildFile
	for _, name := range []string{"vessel.csv", "port.jsonl"} {
		mustWriteFile(t, filepath.Join(src, "in", name), data[name])
		files = append(files, BuildFile{Path: filepath.Join(src, "in", name), Dataset: strings.Split(name, ".")[0]})
	}
	zipPath := filepath.Join(src, "320000_20261125_000017.zip")
	in := Manifest{Sender: "320000", Sequence: 17, DataDate: "2026-11-25", Standard: "1.0", Mode: Full, AllowShrink: true}
	built, err := Build(zipPath, in, files)
	if err != nil {
		t.Fatal(err)
	}
	if got := []int{built.Files[0].Rows, built.Files[1].Rows}; !cmp.Equal(got, []int{2, 2}) {
		t.Errorf("Build rows = %v, want [2 2]", got)
	}
	out := filepath.Join(src, "out")
	os.Mkdir(out, 0o755)
	pkg, err := Open(zipPath, out, Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(built, pkg.Manifest); diff != "" {
		t.Errorf("Open manifest differs from Build's (-built +opened):\n%s", diff)
	}
	wantSum, _ := SHA256File(zipPath)
	st, _ := os.Stat(zipPath)
	if pkg.SHA256 != wantSum || pkg.Size != st.Size() {
		t.Errorf("Open SHA256, Size = %s, %d, want %s, %d", pkg.SHA256, pkg.Size, wantSum, st.Size())
	}
	for i, name := range []string{"vessel.csv", "port.jsonl"} {
		if pkg.Files[i] != filepath.Join(out, name) {
			t.Errorf("Files[%d] = %s, want %s", i, pkg.Files[i], filepath.Join(out, name))
		}
		got, _ := os.ReadFile(pkg.Files[i])
		if string(got) != data[name] {
			t.Errorf("extracted %s = %q, want %q", name, got, data[name])
		}
	}
	if got := listTree(t, src); len(got) != 7 { // in/, 2 sources, zip, out/, 2 extracted
		t.Errorf("files after Open = %v, want no others", got)
	}
}

// openCase is one hand-made package and the code Open must reject it with.
type openCase struct {
	name string
	make makeFunc
	lim  Limits
	want string
}

var good = entry{name: "vessel.csv", data: []byte("ship_id\nCN20181234567\n")}

// withData builds a package of the manifest listing listed and the entries given.
func withData(edit func(*Manifest), listed []entry, entries ...entry) makeFunc {
	return func(t testing.TB, path string) {
		all := append([]entry{manifestOf(t, edit, listed...)}, entries...)
		mustWriteZip(t, path, all...)
	}
}

// unsafeEntry builds a package whose manifest lists good, with e added.
func unsafeEntry(e entry) makeFunc { return withData(nil, []entry{good}, good, e) }

func rawManifest(text string) makeFunc {
	return func(t testing.TB, path string) {
		mustWriteZip(t, path, entry{name: ManifestName, data: []byte(text)}, good)
	}
}

func openCases() []openCase {
	link := func(h *zip.FileHeader) { h.SetMode(fs.ModeSymlink | 0o777) }
	stored := entry{name: "x.csv", data: []byte("abc"), tweak: func(h *zip.FileHeader) { h.Method = zip.Store }}
	return []openCase{
		{"empty file", func(t testing.TB, p string) { mustWriteFile(t, p, "") }, Limits{}, ZipUnreadable},
		{"not a zip", func(t testing.TB, p string) { mustWriteFile(t, p, "ship_id\nCN1\n") }, Limits{}, ZipUnreadable},
		{"zip without entries", func(t testing.TB, p string) { mustWriteZip(t, p) }, Limits{}, ZipUnreadable},
		{"truncated", truncated, Limits{}, ZipUnreadable},
		{"bad crc", withData(nil, []entry{stored}, stored).withCRC(), Limits{}, ZipUnreadable},
		{"encrypted", unsafeEntry(entry{name: "x.csv", data: []byte("abc"), tweak: func(h *zip.FileHeader) { h.Flags |= 1 }}), Limits{}, ZipUnreadable},
		{"parent", unsafeEntry(entry{name: "../x.csv", data: []byte("x")}), Limits{}, ZipUnsafe},
		{"deep parent", unsafeEntry(entry{name: "a/../../x.csv", data: []byte("x")}), Limits{}, ZipUnsafe},
		{"absolute", unsafeEntry(entry{name: "/tmp/x.csv", data: []byte("x")}), Limits{}, ZipUnsafe},
		{"backslash", unsafeEntry(entry{name: `..\x.csv`, data: []byte("x")}), Limits{}, ZipUnsafe},
		{"drive letter", unsafeEntry(entry{name: "C:x.csv", data: []byte("x")}), Limits{}, ZipUnsafe},
		{"stream", unsafeEntry(entry{name: "x.csv:evil", data: []byte("x")}), Limits{}, ZipUnsafe},
		{"directory", unsafeEntry(entry{name: "data/"}), Limits{}, ZipUnsafe},
		{"subfolder", unsafeEntry(entry{name: "data/x.csv", data: []byte("x")}), Limits{}, ZipUnsafe},
		{"symlink", unsafeEntry(entry{name: "x.csv", data: []byte("/etc/passwd"), tweak: link}), Limits{}, ZipUnsafe},
		{"device", unsafeEntry(entry{name: "con.csv", data: []byte("x")}), Limits{}, ZipUnsafe},
		{"duplicate", unsafeEntry(good), Limits{}, ZipUnsafe},
		{"duplicate by case", unsafeEntry(entry{name: "Vessel.csv", data: []byte("x")}), Limits{}, ZipUnsafe},
		{"too many entries", tooMany, Limits{}, ZipUnsafe},
		{"entry too large", withData(nil, []entry{good}, good), Limits{MaxEntryBytes: 10}, ZipUnsafe},
		{"total too large", withData(nil, []entry{good}, good), Limits{MaxTotalBytes: 100}, ZipUnsafe},
		{"bomb", bomb, Limits{}, ZipUnsafe},
		{"lying header", lyingHeader, Limits{}, ZipUnsafe},
		{"missing manifest", func(t testing.TB, p string) { mustWriteZip(t, p, good) }, Limits{}, ManifestInvalid},
		{"manifest too large", withData(nil, []entry{good}, good), Limits{MaxManifest: 100}, ManifestInvalid},
		{"malformed manifest", rawManifest(`{"format": "shuiyun.package/v1",`), Limits{}, ManifestInvalid},
		{"manifest not an object", rawManifest(`[]`), Limits{}, ManifestInvalid},
		{"unknown key", withData(nil, []entry{good}, good).renaming(`"mode"`, `"mode":"full","kind"`), Limits{}, ManifestInvalid},
		{"key in capitals", withData(nil, []entry{good}, good).renaming(`"sender"`, `"Sender"`), Limits{}, ManifestInvalid},
		{"key twice", withData(nil, []entry{good}, good).renaming(`"mode"`, `"mode":"full","mode"`), Limits{}, ManifestInvalid},
		{"bad mode", withData(func(m *Manifest) { m.Mode = "delta" }, []entry{good}, good), Limits{}, ManifestInvalid},
		{"wrong format", withData(func(m *Manifest) { m.Format = "shuiyun.package/v2" }, []entry{good}, good), Limits{}, ManifestInvalid},
		{"name not dataset", withData(func(m *Manifest) { m.Files[0].Dataset = "port" }, []entry{good}, good), Limits{}, ManifestInvalid},
		{"unlisted entry", withData(nil, []entry{good}, good, entry{name: "port.csv", data: []byte("x")}), Limits{}, ManifestInvalid},
		{"missing listed file", withData(nil, []entry{good, {name: "port.csv"}}, good), Limits{}, ManifestInvalid},
		{"wrong sha256", withData(func(m *Manifest) { m.Files[0].SHA256 = strings.Repeat("0", 64) }, []entry{good}, good), Limits{}, ChecksumMismatch},
		{"wrong sm3", withData(func(m *Manifest) { m.Files[0].SM3 = strings.Repeat("0", 64) }, []entry{good}, good), Limits{}, ChecksumMismatch},
		{"second file wrong", secondWrong, Limits{}, ChecksumMismatch},
	}
}

// TestOpenRejects checks the code of each rejection and that nothing is left behind.
func TestOpenRejects(t *testing.T) {
	for _, tc := range openCases() {
		t.Run(tc.name, func(t *testing.T) {
			base := t.TempDir()
			e := openRejected(t, base, tc)
			if e.Code != tc.want || e.Message == "" {
				t.Errorf("Open = %v, want a *Error with code %s", e, tc.want)
			}
			if got := listTree(t, base); !cmp.Equal(got, []string{"out", "pkg.zip"}) {
				t.Errorf("files after the rejection = %v, want [out pkg.zip]", got)
			}
		})
	}
}

// TestOpenMessages compares the messages with testdata/open_messages.golden.txt.
func TestOpenMessages(t *testing.T) {
	var messages strings.Builder
	for _, tc := range openCases() {
		e := openRejected(t, t.TempDir(), tc)
		fmt.Fprintf(&messages, "%s\t%s\n", tc.name, e.Message)
	}
	golden.Compare(t, "open_messages.golden.txt", []byte(messages.String()))
}

// openRejected makes the case's package in base and opens it into base/out.
func openRejected(t *testing.T, base string, tc openCase) *Error {
	t.Helper()
	zipPath, out := filepath.Join(base, "pkg.zip"), filepath.Join(base, "out")
	os.Mkdir(out, 0o755)
	tc.make(t, zipPath)
	pkg, err := Open(zipPath, out, tc.lim)
	e, ok := err.(*Error)
	if !ok {
		t.Fatalf("%s: Open = %v, %v, want a *Error", tc.name, pkg, err)
	}
	return e
}

func truncated(t testing.TB, path string) {
	withData(nil, []entry{good}, good)(t, path)
	data, _ := os.ReadFile(path)
	mustWriteFile(t, path, string(data[:len(data)/2]))
}

func tooMany(t testing.TB, path string) {
	var listed []entry
	for i := range 64 {
		listed = append(listed, entry{name: fmt.Sprintf("d%02d.csv", i)})
	}
	withData(nil, listed, listed...)(t, path)
}

// bomb is 200 MiB of zeros in one entry, streamed: Open must refuse it from its header.
func bomb(t testing.TB, path string) {
	stream, size, crc := zeroDeflate(200)
	big := entry{name: "big.csv", src: stream, raw: true, tweak: func(h *zip.FileHeader) {
		h.CompressedSize64, h.UncompressedSize64, h.CRC32 = uint64(size), 200<<20, crc
	}}
	mustWriteZip(t, path, manifestOf(t, nil, entry{name: "big.csv"}), big)
}

// lyingHeader declares 1000 bytes for an entry that inflates to 10 MiB: Open must stop
// inflating past the declared size.
func lyingHeader(t testing.TB, path string) {
	comp := deflated(t, io.LimitReader(zeros{}, 10<<20))
	lie := entry{name: "big.csv", data: comp, raw: true, tweak: func(h *zip.FileHeader) {
		h.CompressedSize64, h.UncompressedSize64 = uint64(len(comp)), 1000
	}}
	mustWriteZip(t, path, manifestOf(t, nil, entry{name: "big.csv"}), lie)
}

func secondWrong(t testing.TB, path string) {
	port := entry{name: "port.csv", data: []byte("port\n南京\n")}
	withData(func(m *Manifest) { m.Files[1].SHA256 = strings.Repeat("a", 64) }, []entry{good, port}, good, port)(t, path)
}

// renaming returns a maker that replaces old with new in the manifest's text.
func (mk makeFunc) renaming(old, new string) makeFunc {
	return func(t testing.TB, path string) {
		mk(t, path)
		rewriteManifest(t, path, func(s string) string { return strings.Replace(s, old, new, 1) })
	}
}

// withCRC returns a maker whose last entry carries a wrong CRC-32.
func (mk makeFunc) withCRC() makeFunc {
	return func(t testing.TB, path string) {
		mk(t, path)
		data, _ := os.ReadFile(path)
		// The CRC of "abc" appears in the local header and in the directory.
		crc := []byte{0xc2, 0x41, 0x24, 0x35}
		mustWriteFile(t, path, string(bytes.ReplaceAll(data, crc, []byte{1, 2, 3, 4})))
	}
}

type makeFunc func(testing.TB, string)

// rewriteManifest rewrites a package with its manifest text changed.
func rewriteManifest(t testing.TB, path string, edit func(string) string) {
	zr, err := zip.OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	var entries []entry
	for _, f := range zr.File {
		rc, _ := f.Open()
		data, _ := io.ReadAll(rc)
		rc.Close()
		if f.Name == ManifestName {
			data = []byte(edit(string(data)))
		}
		entries = append(entries, entry{name: f.Name, data: data})
	}
	zr.Close()
	mustWriteZip(t, path, entries...)
}

// FuzzOpen feeds Open arbitrary bytes: it must answer with a *Error or a package, and
// leave nothing behind when it refuses.
func FuzzOpen(f *testing.F) {
	dir := f.TempDir()
	for i, mk := range []makeFunc{withData(nil, []entry{good}, good), unsafeEntry(entry{name: "../x.csv"}), truncated} {
		path := filepath.Join(dir, fmt.Sprint(i))
		mk(f, path)
		data, err := os.ReadFile(path)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		base := t.TempDir()
		zipPath, out := filepath.Join(base, "pkg.zip"), filepath.Join(base, "out")
		os.Mkdir(out, 0o755)
		mustWriteFile(t, zipPath, string(data))
		_, err := Open(zipPath, out, Limits{MaxTotalBytes: 1 << 20})
		if err == nil {
			return
		}
		if _, ok := err.(*Error); !ok {
			t.Fatalf("Open = %v (%T), want a *Error", err, err)
		}
		if got := listTree(t, base); !cmp.Equal(got, []string{"out", "pkg.zip"}) {
			t.Errorf("files after the rejection = %v", got)
		}
	})
}
