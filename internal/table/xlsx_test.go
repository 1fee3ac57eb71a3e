package table

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/xuri/excelize/v2"
)

// sheetWant is what one sheet must read as.
type sheetWant struct {
	sheet     string
	header    []string
	headerRow int
	rows      []Row
}

func xrow(num int, cells ...string) Row { return Row{Num: num, Cells: cells, Offset: -1} }

// checkWorkbook opens path twice: with the default options, and with parts
// over 512 bytes unpacked to temporary files (excelize's other code path for
// sheets and shared strings).
func checkWorkbook(t *testing.T, path string, want []sheetWant) {
	t.Helper()
	for _, opt := range []Options{{}, {MaxXMLInMemory: 512, TmpDir: t.TempDir()}} {
		checkWorkbookWith(t, path, opt, want)
	}
}

func checkWorkbookWith(t *testing.T, path string, opt Options, want []sheetWant) {
	t.Helper()
	f, err := Open(path, opt)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if f.Format != XLSX || len(f.Tables) != len(want) {
		t.Fatalf("Format = %s with %d tables, want xlsx with %d", f.Format, len(f.Tables), len(want))
	}
	for i, w := range want {
		tab := f.Tables[i]
		if tab.Sheet != w.sheet || tab.HeaderRow != w.headerRow || tab.Encoding != "" {
			t.Errorf("table %d: Sheet, HeaderRow, Encoding = %q, %d, %q; want %q, %d, \"\"", i, tab.Sheet, tab.HeaderRow, tab.Encoding, w.sheet, w.headerRow)
		}
		if diff := cmp.Diff(w.header, tab.Header); diff != "" {
			t.Errorf("sheet %s: Header (-want +got):\n%s", w.sheet, diff)
		}
		if diff := cmp.Diff(w.rows, readRows(t, tab, 2)); diff != "" {
			t.Errorf("sheet %s: rows (-want +got):\n%s", w.sheet, diff)
		}
	}
}

// TestXLSXLibreOfficeBook reads testdata/lo_book.xlsx, which LibreOffice wrote
// from lo_book.ods (see testdata/README.md): leading empty rows, a date cell, a
// text with leading zeros, a long number, an empty row, a merged cell,
// formulas, a boolean, a cell after empty columns.
func TestXLSXLibreOfficeBook(t *testing.T) {
	checkWorkbook(t, "testdata/lo_book.xlsx", []sheetWant{
		{
			sheet: "船舶", headerRow: 3,
			header: []string{"船名", "区划", "经营人统一社会信用代码", "登记日期", "总吨", "备注"},
			rows: []Row{
				xrow(4, "浙普渔12345", "001100", "9.13501001234568E+17", "43525", "30.3", "中文备注"),
				xrow(6, "合并单元格", "", "913501001234567890", "2", "0.3", "1"),
				xrow(7, "只有A列", "", "", "", "0.00001", "2023.10"),
			},
		},
		{sheet: "说明", headerRow: 1, header: []string{"填表说明"}},
		{sheet: "空表"},
	})
}

// TestXLSXLibreOfficeCSV reads testdata/lo_vessels.xlsx, which LibreOffice
// converted from src/lo_vessels.csv: its CSV import turned dates, codes and
// identifiers into numbers, as Excel does.
func TestXLSXLibreOfficeCSV(t *testing.T) {
	checkWorkbook(t, "testdata/lo_vessels.xlsx", []sheetWant{{
		sheet: "lo_vessels", headerRow: 1,
		header: []string{"船舶识别号", "船名", "船籍港", "MMSI", "总吨", "登记日期", "经营人统一社会信用代码", "区划"},
		rows: []Row{
			xrow(2, "CN20149346218", "浙普渔12345", "舟山", "412345678", "1234.5", "43525", "9.13302001234568E+17", "330903"),
			xrow(3, "CN20110002223", "长江之星", "武汉", "", "30.3", "2021/7/15", "91420100MA4KXXXX1L", "420100"),
			xrow(5, "CN20170000001", `粤"珠"号`, "广州", "412000001", "0.1", "20230508", "9.13501E+17", "1100"),
		},
	}})
}

// TestXLSXExcelize reads a workbook written by excelize's StreamWriter.
func TestXLSXExcelize(t *testing.T) {
	path := filepath.Join(t.TempDir(), "excelize.xlsx")
	writeStream(t, path, map[string][]streamRow{
		"Sheet1": {
			{"A2", []any{"名称", "代码", "整数", "小数", "大数", "布尔", "日期"}},
			{"A3", []any{"浙江", "0913501", 913501, 30.3, int64(913501001234567890), true, 43525}},
			{"E5", []any{"只有E列"}},
			{"A7", []any{" 空格 ", "", nil, -12.5, 1e-5, false}},
		},
		"第二页": {{"C1", []any{"表头"}}, {"C3", []any{"值"}}},
	})
	checkWorkbook(t, path, []sheetWant{
		{
			sheet: "Sheet1", headerRow: 2,
			header: []string{"名称", "代码", "整数", "小数", "大数", "布尔", "日期"},
			rows: []Row{
				xrow(3, "浙江", "0913501", "913501", "30.3", "9.13501001234568E+17", "1", "43525"),
				xrow(5, "", "", "", "", "只有E列"),
				xrow(7, " 空格 ", "", "", "-12.5", "0.00001", "0"),
			},
		},
		{sheet: "第二页", headerRow: 1, header: []string{"", "", "表头"}, rows: []Row{xrow(3, "", "", "值")}},
	})
}

// TestXLSXChartSheet: a chart sheet is an empty table.
func TestXLSXChartSheet(t *testing.T) {
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetRow("Sheet1", "A1", &[]any{"名称", "值"}); err != nil {
		t.Fatal(err)
	}
	if err := f.SetSheetRow("Sheet1", "A2", &[]any{"甲", 1}); err != nil {
		t.Fatal(err)
	}
	chart := &excelize.Chart{Type: excelize.Col, Series: []excelize.ChartSeries{
		{Name: "Sheet1!$A$1", Categories: "Sheet1!$A$2", Values: "Sheet1!$B$2"},
	}}
	if err := f.AddChartSheet("图表", chart); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "chart.xlsx")
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
	checkWorkbook(t, path, []sheetWant{
		{sheet: "Sheet1", headerRow: 1, header: []string{"名称", "值"}, rows: []Row{xrow(2, "甲", "1")}},
		{sheet: "图表"},
	})
}

// TestXLSXCellValues pins down how raw cell XML reads: the numeric
// normalisation, and every cell type. The cells are spliced into an
// excelize-written sheet.
func TestXLSXCellValues(t *testing.T) {
	tests := []struct{ xml, want string }{
		{`<v>913501</v>`, "913501"},
		{`<v>913501.0</v>`, "913501"},
		{`<v>30.300000000000001</v>`, "30.3"},
		{`<v>0.30000000000000004</v>`, "0.3"},
		{`<v>-12.5</v>`, "-12.5"},
		{`<v>9.1350100000000003E+17</v>`, "9.13501E+17"},
		{`<v>9.13501001234568E+017</v>`, "9.13501001234568E+17"},
		{`<v>913501001234567890</v>`, "9.13501001234568E+17"},
		{`<v>123456789012345</v>`, "123456789012345"},
		{`<v>1000000000000000</v>`, "1000000000000000"}, // 15 significant digits or fewer: excelize prints them
		{`<v>1E-005</v>`, "0.00001"},
		{`<v>1.0000000000000001E-5</v>`, "0.00001"},
		{`<v>43525</v>`, "43525"},
		{`<v>43525.5</v>`, "43525.5"},
		{` s="1"><v>43525</v>`, "43525"}, // styled as a date: the serial stays
		{` t="n"><v>7</v>`, "7"},
		{` t="b"><v>1</v>`, "1"},
		{` t="b"><v>0</v>`, "0"},
		{` t="str"><f>A1</f><v>公式文本 0913501</v>`, "公式文本 0913501"},
		{` t="str"><v>2023.10</v>`, "2023.10"},
		{` t="inlineStr"><is><t>0913501</t></is>`, "0913501"},
		{` t="inlineStr"><is><r><t>富</t></r><r><t>文本</t></r></is>`, "富文本"},
		{` t="e"><v>#N/A</v>`, "#N/A"},
		{` t="d"><v>2019-03-01T00:00:00Z</v>`, "43525"},
		{`><f>1+1</f><v>2</v>`, "2"},
	}
	cells := make([]string, len(tests))
	want := make([]Row, len(tests))
	for i, tt := range tests {
		x := tt.xml
		if strings.HasPrefix(x, "<") {
			x = ">" + x
		}
		cells[i] = `<c r="B%d"` + x + `</c>`
		want[i] = xrow(i+2, "", tt.want)
	}
	path := splicedWorkbook(t, cells)
	checkWorkbook(t, path, []sheetWant{{sheet: "Sheet1", headerRow: 1, header: []string{"名称", "值"}, rows: want}})
}

// splicedWorkbook writes a one-sheet workbook with a header and one row per
// cell XML (%d is the row number), spliced into excelize's output.
func splicedWorkbook(t *testing.T, cells []string) string {
	t.Helper()
	rows := []streamRow{{"A1", []any{"名称", "值"}}}
	for i := range cells {
		rows = append(rows, streamRow{fmt.Sprintf("B%d", i+2), []any{fmt.Sprintf("@@%d@@", i)}})
	}
	dir := t.TempDir()
	src := filepath.Join(dir, "src.xlsx")
	writeStream(t, src, map[string][]streamRow{"Sheet1": rows})
	placeholder := regexp.MustCompile(`<c r="B(\d+)" t="inlineStr"><is><t>@@(\d+)@@</t></is></c>`)
	path := filepath.Join(dir, "spliced.xlsx")
	rewriteZip(t, src, path, func(name string, data []byte) []byte {
		if name != "xl/worksheets/sheet1.xml" {
			return data
		}
		return placeholder.ReplaceAllFunc(data, func(m []byte) []byte {
			sub := placeholder.FindSubmatch(m)
			var i int
			fmt.Sscan(string(sub[2]), &i)
			return []byte(fmt.Sprintf(cells[i], i+2))
		})
	})
	return path
}

// TestXLSXWPSStyle reads a workbook shaped like WPS writes them: formula
// strings (t="str"), inline strings, no <dimension>, absolute part names in the
// relationships, rows and cells without r attributes.
func TestXLSXWPSStyle(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join(dir, "src.xlsx")
	writeStream(t, src, map[string][]streamRow{"数据": {
		{"A1", []any{"船名", "区划", "备注"}},
		{"A2", []any{"@@str@@", "330903", "x"}},
		{"A4", []any{"甲", "乙"}},
	}})
	path := filepath.Join(dir, "wps.xlsx")
	rewriteZip(t, src, path, func(name string, data []byte) []byte {
		s := string(data)
		switch {
		case strings.HasSuffix(name, ".rels"):
			s = strings.ReplaceAll(s, `Target="worksheets/`, `Target="/xl/worksheets/`)
			s = strings.ReplaceAll(s, `Target="xl/workbook.xml"`, `Target="/xl/workbook.xml"`)
		case strings.HasPrefix(name, "xl/worksheets/sheet"):
			s = regexp.MustCompile(`<dimension[^>]*>(</dimension>)?`).ReplaceAllString(s, "")
			s = strings.Replace(s, `<c r="A2" t="inlineStr"><is><t>@@str@@</t></is></c>`, `<c r="A2" t="str"><f>"浙"&amp;"普"</f><v>浙普</v></c>`, 1)
			s = strings.Replace(s, `<row r="4">`, `<row>`, 1)
			s = strings.Replace(s, `<c r="B4" `, `<c `, 1)
		}
		return []byte(s)
	})
	checkZipContains(t, path, `Target="/xl/worksheets/sheet`)
	checkWorkbook(t, path, []sheetWant{{
		sheet: "数据", headerRow: 1, header: []string{"船名", "区划", "备注"},
		rows: []Row{xrow(2, "浙普", "330903", "x"), xrow(3, "甲", "乙")},
	}})
	f, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if f.Tables[0].Size == 0 {
		t.Errorf("Size = 0, want the sheet's size found through the absolute part name")
	}
}

// TestXLSXSizeAndDone checks the progress figures of a sheet.
func TestXLSXSizeAndDone(t *testing.T) {
	path := filepath.Join(t.TempDir(), "done.xlsx")
	rows := []streamRow{{"A1", []any{"h"}}}
	for i := 2; i <= 101; i++ {
		rows = append(rows, streamRow{fmt.Sprintf("A%d", i), []any{i}})
	}
	writeStream(t, path, map[string][]streamRow{"Sheet1": rows})
	f, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	tab := f.Tables[0]
	if tab.Size <= 0 {
		t.Fatalf("Size = %d, want the sheet XML's size", tab.Size)
	}
	parts, err := tab.Partitions(4)
	if err != nil || len(parts) != 1 {
		t.Fatalf("Partitions(4) = %d readers, %v; want 1", len(parts), err)
	}
	p := parts[0]
	defer p.Close()
	var last int64
	for p.Next() {
		if p.Done() < last || p.Done() > tab.Size {
			t.Fatalf("row %d: Done = %d after %d, Size %d", p.Row().Num, p.Done(), last, tab.Size)
		}
		last = p.Done()
	}
	if p.Done() != tab.Size {
		t.Errorf("Done at the end = %d, want %d", p.Done(), tab.Size)
	}
}

func TestXLSXOpenErrors(t *testing.T) {
	dir := t.TempDir()
	ole := filepath.Join(dir, "renamed.xlsx")
	if err := os.WriteFile(ole, append(append([]byte{}, oleMagic...), make([]byte, 504)...), 0o644); err != nil {
		t.Fatal(err)
	}
	text := filepath.Join(dir, "text.xlsx")
	if err := os.WriteFile(text, []byte("a,b\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	big := filepath.Join(dir, "big.xlsx")
	writeStream(t, big, map[string][]streamRow{"Sheet1": {{"A1", []any{strings.Repeat("x", 100<<10)}}}})

	damaged := filepath.Join(dir, "damaged.xlsx")
	writeStream(t, damaged, map[string][]streamRow{"Sheet1": {{"A1", []any{"h"}}, {"A2", []any{strings.Repeat("数据", 1000)}}}})
	corrupt(t, damaged, "xl/worksheets/sheet1.xml")

	tests := []struct {
		path string
		opt  Options
		want string
		is   error
	}{
		{damaged, Options{}, "打开文件 " + damaged + ": 文件已损坏（xl/worksheets/sheet1.xml 无法解压）", nil},
		{ole, Options{}, "打开文件 " + ole + ": 文件实际是 OLE 复合文档", ErrXLS},
		{text, Options{}, "打开文件 " + text + ": 不是有效的 .xlsx 文件", nil},
		{big, Options{MaxUnzipSize: 32 << 10}, "打开文件 " + big + ": 解压后超过 32 KB 的上限", nil},
	}
	for _, tt := range tests {
		_, err := Open(tt.path, tt.opt)
		if err == nil || !strings.HasPrefix(err.Error(), tt.want) {
			t.Errorf("Open(%q) = %v, want an error starting %q", tt.path, err, tt.want)
		}
		if tt.is != nil && !errors.Is(err, tt.is) {
			t.Errorf("Open(%q) = %v, want it to wrap %v", tt.path, err, tt.is)
		}
	}
}

// corrupt flips a byte in the middle of the compressed data of a zip part.
func corrupt(tb testing.TB, path, part string) {
	tb.Helper()
	zr, err := zip.OpenReader(path)
	if err != nil {
		tb.Fatal(err)
	}
	var at int64 = -1
	for _, zf := range zr.File {
		if zf.Name == part {
			off, err := zf.DataOffset()
			if err != nil {
				tb.Fatal(err)
			}
			at = off + int64(zf.CompressedSize64)/2
		}
	}
	zr.Close()
	if at < 0 {
		tb.Fatalf("%s: no part %s", path, part)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		tb.Fatal(err)
	}
	data[at] ^= 0xFF
	if err := os.WriteFile(path, data, 0o644); err != nil {
		tb.Fatal(err)
	}
}

type streamRow struct {
	cell   string
	values []any
}

// writeStream writes a workbook with excelize's StreamWriter, sheets in name
// order with "Sheet1" first. Style 1 is a date format.
func writeStream(tb testing.TB, path string, sheets map[string][]streamRow) {
	tb.Helper()
	f := excelize.NewFile()
	defer f.Close()
	if _, err := f.NewStyle(&excelize.Style{NumFmt: 14}); err != nil {
		tb.Fatal(err)
	}
	var others []string
	for name := range sheets {
		if name != "Sheet1" {
			others = append(others, name)
		}
	}
	slices.Sort(others)
	names := append([]string{"Sheet1"}, others...)
	for _, name := range names {
		rows, ok := sheets[name]
		if !ok {
			continue
		}
		if name != "Sheet1" {
			if _, err := f.NewSheet(name); err != nil {
				tb.Fatal(err)
			}
		}
		sw, err := f.NewStreamWriter(name)
		if err != nil {
			tb.Fatal(err)
		}
		for _, r := range rows {
			if err := sw.SetRow(r.cell, r.values); err != nil {
				tb.Fatal(err)
			}
		}
		if err := sw.Flush(); err != nil {
			tb.Fatal(err)
		}
	}
	if _, ok := sheets["Sheet1"]; !ok {
		if err := f.DeleteSheet("Sheet1"); err != nil {
			tb.Fatal(err)
		}
	}
	if err := f.SaveAs(path); err != nil {
		tb.Fatal(err)
	}
}

// rewriteZip copies the zip src to dst, passing each part through edit.
func rewriteZip(tb testing.TB, src, dst string, edit func(name string, data []byte) []byte) {
	tb.Helper()
	zr, err := zip.OpenReader(src)
	if err != nil {
		tb.Fatal(err)
	}
	defer zr.Close()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, zf := range zr.File {
		rc, err := zf.Open()
		if err != nil {
			tb.Fatal(err)
		}
		data, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			tb.Fatal(err)
		}
		w, err := zw.Create(zf.Name)
		if err != nil {
			tb.Fatal(err)
		}
		if _, err := w.Write(edit(zf.Name, data)); err != nil {
			tb.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		tb.Fatal(err)
	}
	if err := os.WriteFile(dst, buf.Bytes(), 0o644); err != nil {
		tb.Fatal(err)
	}
}

func checkZipContains(tb testing.TB, path, text string) {
	tb.Helper()
	zr, err := zip.OpenReader(path)
	if err != nil {
		tb.Fatal(err)
	}
	defer zr.Close()
	for _, zf := range zr.File {
		rc, _ := zf.Open()
		data, _ := io.ReadAll(rc)
		rc.Close()
		if bytes.Contains(data, []byte(text)) {
			return
		}
	}
	tb.Fatalf("%s: no part contains %q", path, text)
}
