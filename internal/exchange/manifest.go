package exchange

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"reflect"
	"strings"
	"time"
)

// ManifestName is the manifest's entry name in a package.
const ManifestName = "manifest.json"

// Modes of a package.
const (
	Incremental = "incremental"
	Full        = "full"
)

// Manifest is a package's manifest.json (contracts.md §4).
type Manifest struct {
	Format      string         `json:"format"`
	Sender      string         `json:"sender"`
	Sequence    int64          `json:"sequence"`
	CreatedAt   string         `json:"created_at"`
	DataDate    string         `json:"data_date"` // YYYY-MM-DD
	Standard    string         `json:"standard"`
	Mode        string         `json:"mode"` // "incremental" or "full"
	AllowShrink bool           `json:"allow_shrink,omitempty"`
	Files       []ManifestFile `json:"files"`
}

// ManifestFile is one data file listed in a manifest.
type ManifestFile struct {
	Name    string `json:"name"`
	Dataset string `json:"dataset"`
	Rows    int    `json:"rows"`
	SHA256  string `json:"sha256"`
	SM3     string `json:"sm3,omitempty"`
}

// ParseManifest parses manifest.json strictly (see the package comment) and checks its
// values. It returns a *Error with code MANIFEST-INVALID for anything wrong. It does not
// compare the listing with a zip's entries: Open does.
func ParseManifest(data []byte) (Manifest, error) {
	data = bytes.TrimPrefix(data, []byte("\uFEFF"))
	present, err := checkKeys(data)
	if err != nil {
		return Manifest{}, err
	}
	var m Manifest
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&m); err != nil {
		return Manifest{}, jsonError(err)
	}
	if err := present.require(); err != nil {
		return Manifest{}, err
	}
	return m, m.check()
}

func jsonError(err error) *Error {
	if e, ok := errors.AsType[*json.UnmarshalTypeError](err); ok {
		return errorf(ManifestInvalid, "manifest.json 中字段 %s 应为%s，不能是%s", e.Field, kindName(e.Type.Kind()), jsonTypeName(e.Value))
	}
	if e, ok := errors.AsType[*json.SyntaxError](err); ok {
		return errorf(ManifestInvalid, "manifest.json 不是合法的 JSON（第 %d 字节附近）", e.Offset)
	}
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return errorf(ManifestInvalid, "manifest.json 为空或不完整")
	}
	return errorf(ManifestInvalid, "manifest.json 不是合法的 JSON：%v", err)
}

// check checks the values of a manifest, whether parsed or being built.
func (m *Manifest) check() error {
	if err := m.checkHead(); err != nil {
		return err
	}
	return m.checkFiles()
}

// checkHead checks all but the file entries.
func (m *Manifest) checkHead() error {
	switch {
	case m.Format != ManifestFormat:
		return errorf(ManifestInvalid, "manifest.json 的 format 应为 %q，实际为 %q", ManifestFormat, m.Format)
	case m.Sender == "":
		return errorf(ManifestInvalid, "manifest.json 缺少 sender（报送单位代码）")
	case m.Sequence < 1:
		return errorf(ManifestInvalid, "manifest.json 的 sequence 应为从 1 开始的整数，实际为 %d", m.Sequence)
	case !isISODate(m.DataDate):
		return errorf(ManifestInvalid, "manifest.json 的 data_date 应为 YYYY-MM-DD 格式的日期，实际为 %q", m.DataDate)
	case m.CreatedAt != "" && !isRFC3339(m.CreatedAt):
		return errorf(ManifestInvalid, "manifest.json 的 created_at 应为 RFC 3339 时间（如 2026-11-26T01:00:00+08:00），实际为 %q", m.CreatedAt)
	case m.Mode != Incremental && m.Mode != Full:
		return errorf(ManifestInvalid, "manifest.json 的 mode 应为 incremental 或 full，实际为 %q", m.Mode)
	case len(m.Files) == 0:
		return errorf(ManifestInvalid, "manifest.json 的 files 为空，数据包中至少要有一个数据文件")
	}
	return nil
}

func (m *Manifest) checkFiles() error {
	seen := make(map[string]bool, len(m.Files))
	for i, f := range m.Files {
		if err := f.check(i); err != nil {
			return err
		}
		if seen[f.Dataset] {
			return errorf(ManifestInvalid, "manifest.json 的 files 中数据集 %s 出现了不止一次", f.Dataset)
		}
		seen[f.Dataset] = true
	}
	return nil
}

func (f ManifestFile) check(i int) error {
	switch {
	case !isDatasetID(f.Dataset):
		return errorf(ManifestInvalid, "manifest.json 的 files[%d].dataset 应为小写字母开头的数据集标识（小写字母、数字、下划线），实际为 %q", i, f.Dataset)
	case f.Name != f.Dataset+".csv" && f.Name != f.Dataset+".jsonl":
		return errorf(ManifestInvalid, "manifest.json 的 files[%d].name 应为 %s.csv 或 %s.jsonl，实际为 %q", i, f.Dataset, f.Dataset, f.Name)
	case f.Rows < 0:
		return errorf(ManifestInvalid, "文件“%s”的 rows 不能为负数（%d）", f.Name, f.Rows)
	case !isHex(f.SHA256, 64):
		return errorf(ManifestInvalid, "文件“%s”的 sha256 应为 64 位十六进制数，实际为 %q", f.Name, f.SHA256)
	case f.SM3 != "" && !isHex(f.SM3, 64):
		return errorf(ManifestInvalid, "文件“%s”的 sm3 应为 64 位十六进制数，实际为 %q", f.Name, f.SM3)
	}
	return nil
}

func isISODate(s string) bool {
	_, err := time.Parse(time.DateOnly, s)
	return err == nil
}

func isRFC3339(s string) bool {
	_, err := time.Parse(time.RFC3339, s)
	return err == nil
}

// isDatasetID matches the standard's dataset names, ^[a-z][a-z0-9_]*$, capped at 64 bytes.
func isDatasetID(s string) bool {
	if s == "" || len(s) > 64 || s[0] < 'a' || s[0] > 'z' {
		return false
	}
	for i := 1; i < len(s); i++ {
		c := s[i]
		if !('a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '_') {
			return false
		}
	}
	return true
}

func isHex(s string, n int) bool {
	if len(s) != n {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
			return false
		}
	}
	return true
}

// kindName names in Chinese the JSON type a Go field of kind k takes.
func kindName(k reflect.Kind) string {
	switch k {
	case reflect.Int, reflect.Int64:
		return "整数"
	case reflect.String:
		return "字符串"
	case reflect.Bool:
		return " true 或 false"
	case reflect.Slice:
		return "数组"
	case reflect.Struct:
		return "对象"
	}
	return k.String()
}

// jsonTypeName names in Chinese the JSON value encoding/json describes as v.
func jsonTypeName(v string) string {
	names := map[string]string{"string": "字符串", "object": "对象", "array": "数组", "bool": "布尔值"}
	if n, ok := names[v]; ok {
		return n
	}
	if strings.HasPrefix(v, "number") {
		return "数字 " + strings.TrimSpace(strings.TrimPrefix(v, "number"))
	}
	return v
}
