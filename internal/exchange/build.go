package exchange

import (
	"archive/zip"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/emmansun/gmsm/sm3"
)

// BuildFile is one data file to put in a package: a UTF-8 CSV with a header of field ids
// (Path ending in .csv), or JSONL (.jsonl).
type BuildFile struct{ Path, Dataset string }

// Build writes a package to outPath atomically (temporary file in the same folder, fsync,
// rename): entries "<dataset>.csv|.jsonl" (deflate) and "manifest.json" (indented JSON).
// It fills Format, Files (name, dataset, rows, sha256, sm3) and, when empty, CreatedAt
// (now), and checks the result as Open would. Rows are data records: CSV records after the
// header as encoding/csv reads them, or non-blank JSONL lines. Returns the manifest written.
func Build(outPath string, m Manifest, files []BuildFile) (Manifest, error) {
	m.Format = ManifestFormat
	if m.CreatedAt == "" {
		m.CreatedAt = time.Now().Format(time.RFC3339)
	}
	m.Files = nil
	for _, f := range files {
		mf, err := fileEntry(f)
		if err != nil {
			return Manifest{}, fmt.Errorf("build %s: %w", outPath, err)
		}
		m.Files = append(m.Files, mf)
	}
	if err := m.checkHead(); err != nil { // before reading any data
		return Manifest{}, fmt.Errorf("build %s: %w", outPath, err)
	}
	err := writeAtomic(outPath, func(w io.Writer) error { return writeZip(w, &m, files) })
	if err != nil {
		return Manifest{}, fmt.Errorf("build: %w", err)
	}
	return m, nil
}

func fileEntry(f BuildFile) (ManifestFile, error) {
	ext := strings.ToLower(filepath.Ext(f.Path))
	if ext != ".csv" && ext != ".jsonl" {
		return ManifestFile{}, fmt.Errorf("%s: data files must be .csv or .jsonl", f.Path)
	}
	return ManifestFile{Name: f.Dataset + ext, Dataset: f.Dataset}, nil
}

// writeZip writes the data entries, filling in their counts and digests in m as each file
// is read once, then checks m and writes it.
func writeZip(w io.Writer, m *Manifest, files []BuildFile) error {
	zw := zip.NewWriter(w)
	modified, _ := time.Parse(time.RFC3339, m.CreatedAt)
	for i, f := range files {
		if err := addFile(zw, &m.Files[i], f.Path, modified); err != nil {
			return err
		}
	}
	if err := m.checkFiles(); err != nil {
		return err
	}
	data, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return err
	}
	ew, err := zw.CreateHeader(&zip.FileHeader{Name: ManifestName, Method: zip.Deflate, Modified: modified})
	if err != nil {
		return err
	}
	if _, err := ew.Write(append(data, '\n')); err != nil {
		return err
	}
	return zw.Close()
}

func addFile(zw *zip.Writer, mf *ManifestFile, path string, modified time.Time) error {
	in, err := os.Open(path)
	if err != nil {
		return err
	}
	defer in.Close()
	ew, err := zw.CreateHeader(&zip.FileHeader{Name: mf.Name, Method: zip.Deflate, Modified: modified})
	if err != nil {
		return err
	}
	sha, sm := sha256.New(), sm3.New()
	r := io.TeeReader(in, io.MultiWriter(ew, sha, sm))
	count := countCSV
	if strings.HasSuffix(mf.Name, ".jsonl") {
		count = countJSONL
	}
	if mf.Rows, err = count(r); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	if _, err := io.Copy(io.Discard, r); err != nil { // whatever the counter left unread
		return fmt.Errorf("%s: %w", path, err)
	}
	mf.SHA256, mf.SM3 = hex.EncodeToString(sha.Sum(nil)), hex.EncodeToString(sm.Sum(nil))
	return nil
}
