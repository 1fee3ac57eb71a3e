package exchange

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"hash/crc32"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/emmansun/gmsm/sm3"
)

// entry is one zip entry for a hand-made package.
type entry struct {
	name  string
	data  []byte
	src   io.Reader             // streamed instead of data when set
	raw   bool                  // data is already deflated; tweak sets sizes and CRC
	tweak func(*zip.FileHeader) // mode, flags, sizes
}

// mustWriteZip writes entries to path as a zip, deflating at the best level.
func mustWriteZip(tb testing.TB, path string, entries ...entry) {
	tb.Helper()
	f, err := os.Create(path)
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	zw := zip.NewWriter(f)
	zw.RegisterCompressor(zip.Deflate, func(w io.Writer) (io.WriteCloser, error) {
		return flate.NewWriter(w, flate.BestCompression)
	})
	for _, e := range entries {
		mustAddEntry(tb, zw, e)
	}
	if err := zw.Close(); err != nil {
		tb.Fatal(err)
	}
}

func mustAddEntry(tb testing.TB, zw *zip.Writer, e entry) {
	tb.Helper()
	h := &zip.FileHeader{Name: e.name, Method: zip.Deflate}
	if e.tweak != nil {
		e.tweak(h)
	}
	var w io.Writer
	var err error
	if e.raw {
		w, err = zw.CreateRaw(h)
	} else {
		w, err = zw.CreateHeader(h)
	}
	if err != nil {
		tb.Fatal(err)
	}
	src := e.src
	if src == nil {
		src = strings.NewReader(string(e.data))
	}
	if _, err := io.Copy(w, src); err != nil {
		tb.Fatal(err)
	}
}

// manifestOf returns a manifest.json entry listing files with their true digests, changed
// by edit when given.
func manifestOf(tb testing.TB, edit func(*Manifest), files ...entry) entry {
	tb.Helper()
	m := Manifest{
		Format: ManifestFormat, Sender: "320000", Sequence: 17, CreatedAt: "2026-11-26T01:00:00+08:00",
		DataDate: "2026-11-25", Standard: "1.0", Mode: Incremental,
	}
	for _, f := range files {
		sha, sm := sha256.Sum256(f.data), sm3.Sum(f.data)
		m.Files = append(m.Files, ManifestFile{
			Name: f.name, Dataset: strings.TrimSuffix(strings.TrimSuffix(f.name, ".csv"), ".jsonl"),
			Rows: 1, SHA256: hex.EncodeToString(sha[:]), SM3: hex.EncodeToString(sm[:]),
		})
	}
	if edit != nil {
		edit(&m)
	}
	data, err := json.Marshal(m)
	if err != nil {
		tb.Fatal(err)
	}
	return entry{name: ManifestName, data: data}
}

func mustWriteFile(tb testing.TB, path string, data string) {
	tb.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		tb.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
		tb.Fatal(err)
	}
}

// listTree lists the paths under dir, relative and slash-separated.
func listTree(tb testing.TB, dir string) []string {
	tb.Helper()
	var paths []string
	err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil || path == dir {
			return err
		}
		rel, _ := filepath.Rel(dir, path)
		paths = append(paths, filepath.ToSlash(rel))
		return nil
	})
	if err != nil {
		tb.Fatal(err)
	}
	return paths
}

// zeros reads as an endless run of zero bytes.
type zeros struct{}

func (zeros) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}

// deflated returns data deflated.
func deflated(tb testing.TB, r io.Reader) []byte {
	tb.Helper()
	var b strings.Builder
	fw, _ := flate.NewWriter(&b, flate.BestCompression)
	if _, err := io.Copy(fw, r); err != nil {
		tb.Fatal(err)
	}
	fw.Close()
	return []byte(b.String())
}

// zeroDeflate returns a deflate stream of n MiB of zeros, its length and the zeros' CRC-32.
// It repeats one compressed MiB (a block that refers only to zeros before it), so a test
// neither compresses nor holds the whole.
func zeroDeflate(n int) (stream io.Reader, size int64, crc uint32) {
	var buf bytes.Buffer
	fw, _ := flate.NewWriter(&buf, flate.BestCompression)
	mib := make([]byte, 1<<20)
	block := func() []byte {
		fw.Write(mib)
		fw.Flush()
		defer buf.Reset()
		return bytes.Clone(buf.Bytes())
	}
	first, next := block(), block()
	fw.Close()
	parts := []io.Reader{bytes.NewReader(first)}
	for range n - 1 {
		parts = append(parts, bytes.NewReader(next))
	}
	parts = append(parts, bytes.NewReader(bytes.Clone(buf.Bytes())))
	for range n {
		crc = crc32.Update(crc, crc32.IEEETable, mib)
	}
	return io.MultiReader(parts...), int64(len(first) + (n-1)*len(next) + buf.Len()), crc
}
