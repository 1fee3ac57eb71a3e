package exchange

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/emmansun/gmsm/sm3"
)

// Package is a package that Open has checked and extracted.
type Package struct {
	Manifest Manifest
	Files    []string // extracted data files, absolute paths under dir, in manifest order; base name = the entry name
	SHA256   string   // hex SHA-256 of the zip file's bytes
	Size     int64
}

// Open checks the zip at zipPath and extracts its data files into dir (which exists and
// is empty). It returns a *Error for anything wrong with the package, checked in this
// order: ZIP-UNREADABLE (not a zip, empty, truncated, encrypted, corrupt data), ZIP-UNSAFE
// (names, entry types, count, sizes, ratio), MANIFEST-INVALID, CHECKSUM-MISMATCH. Standard
// version, sender and row counts are the caller's checks. Other errors (I/O on the zip file
// or on dir) are plain wrapped errors. On any error the files Open created are removed.
func Open(zipPath, dir string, lim Limits) (*Package, error) {
	lim = lim.withDefaults()
	f, err := os.Open(zipPath)
	if err != nil {
		return nil, fmt.Errorf("open package: %w", err)
	}
	defer f.Close()
	pkg, zr, digest, err := readZip(f)
	defer digest() // before the file closes, whatever happens
	if err != nil {
		return nil, err
	}
	entries, err := checkEntries(zr.File, lim)
	if err != nil {
		return nil, err
	}
	if pkg.Manifest, err = readManifest(entries, lim); err != nil {
		return nil, err
	}
	if err := checkListing(pkg.Manifest, zr.File, entries); err != nil {
		return nil, err
	}
	if pkg.Files, err = extract(pkg.Manifest.Files, entries, dir); err != nil {
		return nil, err
	}
	if pkg.SHA256, err = digest(); err != nil {
		for _, p := range pkg.Files {
			os.Remove(p)
		}
		return nil, err
	}
	return pkg, nil
}

// readZip reads the zip's directory and hashes the whole file beside it, on
// its own goroutine and through the same handle, so both see the same bytes
// (the hash of a 73 MB package took 70 ms before anything else could start).
// digest waits for the hash; call it before the file closes.
func readZip(f *os.File) (pkg *Package, zr *zip.Reader, digest func() (string, error), err error) {
	digest = func() (string, error) { return "", nil }
	st, err := f.Stat()
	if err != nil {
		return nil, nil, digest, fmt.Errorf("open package: %w", err)
	}
	if st.Size() == 0 {
		return nil, nil, digest, errorf(ZipUnreadable, "数据包文件为空（0 字节）")
	}
	done := make(chan struct{})
	var sum string
	var hashErr error
	go func() {
		defer close(done)
		h := sha256.New()
		if _, err := io.Copy(h, io.NewSectionReader(f, 0, st.Size())); err != nil {
			hashErr = fmt.Errorf("read package %s: %w", f.Name(), err)
			return
		}
		sum = hex.EncodeToString(h.Sum(nil))
	}()
	digest = func() (string, error) {
		<-done
		return sum, hashErr
	}
	zr, err = zip.NewReader(f, st.Size())
	// With GODEBUG=zipinsecurepath=0 the reader flags bad names itself; checkEntries
	// reports them with the entry named.
	if err != nil && !(errors.Is(err, zip.ErrInsecurePath) && zr != nil) {
		return nil, nil, digest, errorf(ZipUnreadable, "文件不是完整的 ZIP 压缩包（读不到目录，可能传输不完整或已损坏）")
	}
	return &Package{Size: st.Size()}, zr, digest, nil
}

func readManifest(entries map[string]*zip.File, lim Limits) (Manifest, error) {
	f := entries[ManifestName]
	if f == nil {
		return Manifest{}, errorf(ManifestInvalid, "数据包中缺少 manifest.json")
	}
	if f.UncompressedSize64 > uint64(lim.MaxManifest) {
		return Manifest{}, errorf(ManifestInvalid, "manifest.json 有 %s，超过上限 %s", byteSize(f.UncompressedSize64), byteSize(uint64(lim.MaxManifest)))
	}
	var buf bytes.Buffer
	if err := inflate(f, &buf); err != nil {
		return Manifest{}, err
	}
	return ParseManifest(buf.Bytes())
}

// checkListing checks that the manifest lists exactly the zip's data entries.
func checkListing(m Manifest, files []*zip.File, entries map[string]*zip.File) error {
	listed := make(map[string]bool, len(m.Files))
	for _, mf := range m.Files {
		if entries[mf.Name] == nil {
			return errorf(ManifestInvalid, "manifest.json 列出的文件“%s”不在压缩包中", mf.Name)
		}
		listed[mf.Name] = true
	}
	for _, f := range files {
		if f.Name != ManifestName && !listed[f.Name] {
			return errorf(ManifestInvalid, "压缩包条目“%s”未在 manifest.json 中列出", f.Name)
		}
	}
	return nil
}

// extract writes the listed files into dir, checking their digests; on error it removes
// what it wrote.
func extract(listed []ManifestFile, entries map[string]*zip.File, dir string) (paths []string, err error) {
	if dir, err = filepath.Abs(dir); err != nil {
		return nil, fmt.Errorf("extract package: %w", err)
	}
	defer func() {
		if err != nil {
			for _, p := range paths {
				os.Remove(p)
			}
			paths = nil
		}
	}()
	for _, mf := range listed {
		path := filepath.Join(dir, mf.Name)
		out, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
		if err != nil {
			return paths, fmt.Errorf("extract package: %w", err)
		}
		paths = append(paths, path)
		if err := extractFile(out, mf, entries[mf.Name]); err != nil {
			return paths, err
		}
	}
	return paths, nil
}

func extractFile(out *os.File, mf ManifestFile, f *zip.File) error {
	sha := sha256.New()
	w := io.MultiWriter(out, sha)
	var sm *asyncHash
	if mf.SM3 != "" { // checked when the manifest gives it (contracts.md §4)
		sm = newAsyncHash(sm3.New())
		w = io.MultiWriter(out, sha, sm)
	}
	err := inflate(f, w)
	var smSum []byte
	if sm != nil {
		smSum = sm.Sum()
	}
	if cerr := out.Close(); err == nil && cerr != nil {
		err = cerr
	}
	if _, ok := errors.AsType[*Error](err); err != nil && !ok {
		return fmt.Errorf("extract %s: %w", mf.Name, err)
	} else if err != nil {
		return err
	}
	if got := hex.EncodeToString(sha.Sum(nil)); !strings.EqualFold(got, mf.SHA256) {
		return errorf(ChecksumMismatch, "文件“%s”的 SHA-256 与 manifest.json 不符（清单 %s，实际 %s）", mf.Name, mf.SHA256, got)
	}
	if got := hex.EncodeToString(smSum); mf.SM3 != "" && !strings.EqualFold(got, mf.SM3) {
		return errorf(ChecksumMismatch, "文件“%s”的 SM3 与 manifest.json 不符（清单 %s，实际 %s）", mf.Name, mf.SM3, got)
	}
	return nil
}
