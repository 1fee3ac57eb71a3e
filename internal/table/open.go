package table

import (
	"fmt"
	"path/filepath"
	"strings"
)

// Default limits for XLSX files (see Options).
const (
	DefaultMaxUnzipSize   = 2 << 30  // 2 GiB: a full 1,048,576-row sheet of 31 columns fits
	DefaultMaxXMLInMemory = 16 << 20 // excelize's own default
)

// Options tunes Open. The zero value is ready to use.
type Options struct {
	// MaxUnzipSize bounds the total uncompressed size of an XLSX package, so a
	// zip bomb is refused before it is inflated. 0 means DefaultMaxUnzipSize.
	MaxUnzipSize int64
	// MaxXMLInMemory is the size above which excelize unpacks a worksheet or the
	// shared-string table to a temporary file instead of memory. 0 means
	// DefaultMaxXMLInMemory.
	MaxXMLInMemory int64
	// TmpDir is where excelize puts those temporary files; "" means os.TempDir.
	TmpDir string
}

func (o Options) withDefaults() Options {
	if o.MaxUnzipSize <= 0 {
		o.MaxUnzipSize = DefaultMaxUnzipSize
	}
	if o.MaxXMLInMemory <= 0 {
		o.MaxXMLInMemory = DefaultMaxXMLInMemory
	}
	o.MaxXMLInMemory = min(o.MaxXMLInMemory, o.MaxUnzipSize)
	return o
}

// FormatOf returns the format of a file from its extension (case-insensitive),
// or an error naming the file for .xls and unknown extensions.
func FormatOf(path string) (Format, error) {
	switch ext := strings.ToLower(filepath.Ext(path)); ext {
	case ".csv":
		return CSV, nil
	case ".xlsx", ".xlsm":
		return XLSX, nil
	case ".jsonl", ".ndjson":
		return JSONL, nil
	case ".xls":
		return "", fmt.Errorf("打开文件 %s: %w", path, ErrXLS)
	default:
		return "", fmt.Errorf("打开文件 %s: 不支持的文件类型 %q，只能读取 .csv、.xlsx 和 .jsonl 文件", path, ext)
	}
}

// Open opens an input file, choosing the reader by the file's extension:
// .csv, .xlsx or .xlsm, .jsonl or .ndjson. A legacy .xls file gives an error
// wrapping ErrXLS. Errors name the file. The caller must Close the File.
func Open(path string, opt Options) (*File, error) {
	format, err := FormatOf(path)
	if err != nil {
		return nil, err
	}
	var f *File
	switch format {
	case CSV:
		f, err = openCSV(path)
	case XLSX:
		f, err = openXLSX(path, opt.withDefaults())
	case JSONL:
		f, err = openJSONL(path)
	}
	if err != nil {
		return nil, fmt.Errorf("打开文件 %s: %w", path, err)
	}
	return f, nil
}
