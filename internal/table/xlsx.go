package table

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"
)

// oleMagic starts every OLE compound file: a legacy .xls, or an encrypted .xlsx.
var oleMagic = []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}

// openXLSX opens a workbook with excelize; every sheet is a table, in workbook order.
//
// Cell values: excelize's streaming reader returns strings only, so a number
// cell and a text cell that look alike cannot be told apart afterwards. With
// RawCellValue a number comes back as the XML text (30.300000000000001,
// 9.13501001234568E+017), and normalising every numeric-looking string would
// also rewrite text cells ("2023.10", a text id of 18 digits). Without
// RawCellValue excelize normalises number cells itself (15 significant digits,
// E-notation above that) and leaves text alone — but it also applies number
// formats, which would turn a date cell into "05-06-23". So the workbook is
// read without RawCellValue and with the cell formats removed from the
// in-memory style sheet (excelize returns a value unformatted when there are no
// cell formats): number cells are normalised, text is exact, date cells stay
// serial numbers. The tests pin this down on LibreOffice and excelize files.
func openXLSX(path string, opt Options) (*File, error) {
	sizes, err := zipPartSizes(path, opt.MaxUnzipSize)
	if err != nil {
		return nil, err
	}
	f, err := excelize.OpenFile(path, excelize.Options{
		UnzipSizeLimit:    opt.MaxUnzipSize,
		UnzipXMLSizeLimit: opt.MaxXMLInMemory,
		TmpDir:            opt.TmpDir,
	})
	if err != nil {
		return nil, fmt.Errorf("无法按 .xlsx 读取: %w", err)
	}
	if f.Styles == nil {
		f.Close()
		return nil, errors.New("无法读取工作簿的样式表")
	}
	f.Styles.CellXfs = nil
	file := &File{Path: path, Format: XLSX, close: f.Close}
	parts := sheetParts(f)
	for _, name := range f.GetSheetList() {
		t, err := newXLSXTable(f, path, name, sizes[parts[name]])
		if err != nil {
			f.Close()
			return nil, err
		}
		file.Tables = append(file.Tables, t)
	}
	return file, nil
}

// zipPartSizes checks that path is a zip within the size limit before excelize
// inflates anything, and returns the uncompressed size of each part. archive/zip
// refuses to read more than a part's declared size, so the sum of declared
// sizes bounds what will be inflated.
//
// It also inflates every part once to check its CRC: excelize ignores read
// errors while unpacking, so a damaged part would otherwise read as a sheet
// that simply ends early. Inflating costs a fraction of excelize's XML decoding.
func zipPartSizes(path string, limit int64) (map[string]int64, error) {
	zr, err := zip.OpenReader(path)
	if err != nil {
		if isOLE(path) {
			return nil, fmt.Errorf("文件实际是 OLE 复合文档而不是 .xlsx（也可能是设置了打开密码的工作簿）: %w", ErrXLS)
		}
		return nil, fmt.Errorf("不是有效的 .xlsx 文件（无法按 zip 格式读取）: %w", err)
	}
	defer zr.Close()
	sizes := make(map[string]int64, len(zr.File))
	var total uint64
	for _, zf := range zr.File {
		total += zf.UncompressedSize64
		if total > uint64(limit) {
			return nil, fmt.Errorf("解压后超过 %s 的上限，拒绝读取（可能是压缩炸弹）", sizeText(limit))
		}
		sizes[strings.ReplaceAll(zf.Name, `\`, "/")] = int64(zf.UncompressedSize64)
	}
	for _, zf := range zr.File {
		if err := checkPart(zf); err != nil {
			return nil, fmt.Errorf("文件已损坏（%s 无法解压）: %w", zf.Name, err)
		}
	}
	return sizes, nil
}

func checkPart(zf *zip.File) error {
	rc, err := zf.Open()
	if err != nil {
		return err
	}
	defer rc.Close()
	_, err = io.Copy(io.Discard, rc)
	return err
}

// sizeText writes a byte count for people: 2048 MB, 64 KB.
func sizeText(n int64) string {
	if n >= 1<<20 {
		return fmt.Sprintf("%d MB", n>>20)
	}
	return fmt.Sprintf("%d KB", n>>10)
}

func isOLE(path string) bool {
	fh, err := os.Open(path)
	if err != nil {
		return false
	}
	defer fh.Close()
	b := make([]byte, len(oleMagic))
	_, err = fh.ReadAt(b, 0)
	return err == nil && bytes.Equal(b, oleMagic)
}

// xlsxTable reads one sheet.
type xlsxTable struct {
	f         *excelize.File
	sheet     string
	headerRow int
	lastRow   int // from the sheet's <dimension>, 0 if absent
	size      int64
}

// newXLSXTable finds the header: the first row with a non-blank cell.
func newXLSXTable(f *excelize.File, path, sheet string, size int64) (*Table, error) {
	xt := &xlsxTable{f: f, sheet: sheet, size: size, lastRow: dimensionLastRow(f, sheet)}
	t := &Table{Path: path, Sheet: sheet, open: xt.partitions}
	rows, err := f.Rows(sheet)
	if err != nil {
		return nil, fmt.Errorf("读取工作表 %s: %w", sheet, err)
	}
	defer rows.Close()
	for num := 1; rows.Next(); num++ {
		cells, err := rows.Columns()
		if err != nil {
			return nil, fmt.Errorf("读取工作表 %s 第 %d 行: %w", sheet, num, err)
		}
		if !blankRow(cells) {
			t.Header = make([]string, len(cells))
			for i, c := range cells {
				t.Header[i] = strings.TrimSpace(c)
			}
			t.HeaderRow, xt.headerRow = num, num
			t.Size = size
			return t, nil
		}
	}
	if err := rows.Error(); err != nil {
		return nil, fmt.Errorf("读取工作表 %s: %w", sheet, err)
	}
	return t, nil
}

func (xt *xlsxTable) partitions(int) ([]Rows, error) {
	if xt.headerRow == 0 {
		return []Rows{emptyRows{}}, nil
	}
	rows, err := xt.f.Rows(xt.sheet)
	if err != nil {
		return nil, fmt.Errorf("读取工作表 %s: %w", xt.sheet, err)
	}
	return []Rows{&xlsxRows{t: xt, rows: rows}}, nil
}

// dimensionLastRow returns the last row of the sheet's <dimension ref>, which
// excelize reads without loading the sheet; 0 if there is none (WPS omits it).
func dimensionLastRow(f *excelize.File, sheet string) int {
	ref, err := f.GetSheetDimension(sheet)
	if err != nil || ref == "" {
		return 0
	}
	_, last, _ := strings.Cut(ref, ":")
	if last == "" {
		last = ref
	}
	_, row, err := excelize.CellNameToCoordinates(last)
	if err != nil {
		return 0
	}
	return row
}

func blankRow(cells []string) bool {
	for _, c := range cells {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

// xlsxRows streams the data rows of a sheet.
type xlsxRows struct {
	t    *xlsxTable
	rows *excelize.Rows
	num  int // the row number excelize is on
	row  Row
	done int64
	err  error
}

// Next skips rows without any value. excelize's Rows.Next steps through every
// row number, including rows absent from the XML (Columns then returns
// nothing), so counting Next calls gives the sheet's row numbers.
func (r *xlsxRows) Next() bool {
	if r.err != nil || r.rows == nil {
		return false
	}
	for r.rows.Next() {
		r.num++
		if r.num <= r.t.headerRow {
			continue
		}
		cells, err := r.rows.Columns()
		if err != nil {
			r.err = fmt.Errorf("读取工作表 %s 第 %d 行: %w", r.t.sheet, r.num, err)
			return false
		}
		if allEmpty(cells) {
			continue
		}
		for i, c := range cells {
			cells[i] = normalizeCell(c)
		}
		r.row = Row{Num: r.num, Cells: cells, Offset: -1}
		if r.t.lastRow > 0 {
			r.done = r.t.size * int64(min(r.num, r.t.lastRow)) / int64(r.t.lastRow)
		}
		return true
	}
	r.err = r.rows.Error()
	r.done = r.t.size
	return false
}

func allEmpty(cells []string) bool {
	for _, c := range cells {
		if c != "" {
			return false
		}
	}
	return true
}

func (r *xlsxRows) Row() *Row   { return &r.row }
func (r *xlsxRows) Err() error  { return r.err }
func (r *xlsxRows) Done() int64 { return r.done }

func (r *xlsxRows) Close() error {
	if r.rows == nil {
		return nil
	}
	err := r.rows.Close()
	r.rows = nil
	return err
}

// normalizeCell finishes what excelize's number normalisation leaves: booleans
// become 1/0, and small numbers that excelize writes in E-notation (1E-05)
// become decimals. Large numbers keep their E-notation (9.13501E+17) so that
// an identifier Excel turned into a number is recognisable (FMT-EXCEL).
func normalizeCell(s string) string {
	switch s {
	case "TRUE":
		return "1"
	case "FALSE":
		return "0"
	}
	if !strings.Contains(s, "E-") || strings.Trim(s, "0123456789.E+-") != "" {
		return s
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return s
	}
	return strconv.FormatFloat(v, 'f', -1, 64)
}
