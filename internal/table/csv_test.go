package table

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestCSV(t *testing.T) {
	// 名称 and 代码 are 6 bytes each in UTF-8, 4 in GB18030.
	tests := []struct {
		name      string
		data      string
		enc       string
		header    []string
		headerRow int
		rows      []Row
	}{
		{
			name: "utf8", data: "名称,代码\n甲,01\n乙,02", enc: UTF8,
			header: []string{"名称", "代码"}, headerRow: 1,
			rows: []Row{{Num: 2, Cells: []string{"甲", "01"}, Offset: 14}, {Num: 3, Cells: []string{"乙", "02"}, Offset: 21}},
		},
		{
			name: "utf8 BOM", data: "\xEF\xBB\xBF名称,代码\n甲,01\n", enc: UTF8,
			header: []string{"名称", "代码"}, headerRow: 1,
			rows: []Row{{Num: 2, Cells: []string{"甲", "01"}, Offset: 17}},
		},
		{
			name: "ascii only", data: "a,b\n1,2\n", enc: UTF8,
			header: []string{"a", "b"}, headerRow: 1,
			rows: []Row{{Num: 2, Cells: []string{"1", "2"}, Offset: 4}},
		},
		{
			name: "header trimmed, cells not", data: " a\u3000, b \n 1 ,2\n", enc: UTF8,
			header: []string{"a", "b"}, headerRow: 1,
			rows: []Row{{Num: 2, Cells: []string{" 1 ", "2"}, Offset: 10}},
		},
		{
			name: "gb18030", data: gb(t, "名称,代码\n甲,01\n乙,02\n"), enc: GB18030,
			header: []string{"名称", "代码"}, headerRow: 1,
			rows: []Row{{Num: 2, Cells: []string{"甲", "01"}, Offset: 10}, {Num: 3, Cells: []string{"乙", "02"}, Offset: 16}},
		},
		{
			name: "gb18030 four-byte and U+FFFD", data: gb(t, "名称,代码\n\U00020000\uFFFD,€\n"), enc: GB18030,
			header: []string{"名称", "代码"}, headerRow: 1,
			rows: []Row{{Num: 2, Cells: []string{"\U00020000\uFFFD", "€"}, Offset: 10}},
		},
		{
			name: "blank lines and CRLF", data: "\r\n\na,b\r\n\r\n1,2\r\n\n\n3,4\r\n", enc: UTF8,
			header: []string{"a", "b"}, headerRow: 3,
			rows: []Row{{Num: 5, Cells: []string{"1", "2"}, Offset: 10}, {Num: 8, Cells: []string{"3", "4"}, Offset: 17}},
		},
		{
			name: "multi-line quoted cells", data: "a,b\n\"x\r\ny\",\"1\n\n2\"\n3,\"\"\"q\"\"\"\n4,5", enc: UTF8,
			header: []string{"a", "b"}, headerRow: 1,
			rows: []Row{
				{Num: 2, Cells: []string{"x\ny", "1\n\n2"}, Offset: 4},
				{Num: 6, Cells: []string{"3", `"q"`}, Offset: 18},
				{Num: 7, Cells: []string{"4", "5"}, Offset: 28},
			},
		},
		{
			name: "ragged rows", data: "a,b,c\n1\n1,2,3,4\n,,\n", enc: UTF8,
			header: []string{"a", "b", "c"}, headerRow: 1,
			rows: []Row{
				{Num: 2, Cells: []string{"1"}, Offset: 6},
				{Num: 3, Cells: []string{"1", "2", "3", "4"}, Offset: 8},
				{Num: 4, Cells: []string{"", "", ""}, Offset: 16},
			},
		},
		{name: "empty", data: "", enc: UTF8},
		{name: "only blank lines", data: "\n\r\n\n", enc: UTF8},
		{
			name: "header only", data: "a,b\n", enc: UTF8,
			header: []string{"a", "b"}, headerRow: 1,
		},
		{
			name: "invalid utf-8", data: "名称,代码\n中文,文字\n1,\xff2\n3,4\n", enc: UTF8,
			header: []string{"名称", "代码"}, headerRow: 1,
			rows: []Row{
				{Num: 2, Cells: []string{"中文", "文字"}, Offset: 14},
				{Num: 3, Offset: 28, Problem: &Problem{Rule: RuleEncoding, Offset: 30,
					Message: "第 3 行第 3 字节（文件偏移 30）不是有效的 UTF-8 编码（本文件按 UTF-8 读取）"}},
				{Num: 4, Cells: []string{"3", "4"}, Offset: 33},
			},
		},
		{
			name: "invalid utf-8 on the second line of a record", data: "名称,代码\n中文,\"文\n字\xc3\"\n3,4\n", enc: UTF8,
			header: []string{"名称", "代码"}, headerRow: 1,
			rows: []Row{
				{Num: 2, Offset: 14, Problem: &Problem{Rule: RuleEncoding, Offset: 29,
					Message: "第 3 行第 4 字节（文件偏移 29）不是有效的 UTF-8 编码（本文件按 UTF-8 读取）"}},
				{Num: 4, Cells: []string{"3", "4"}, Offset: 32},
			},
		},
		{
			name: "invalid gb18030", data: gb(t, "名称,代码\n甲,01\n乙") + "\x81 ,\xff\n" + gb(t, "丙,03\n"), enc: GB18030,
			header: []string{"名称", "代码"}, headerRow: 1,
			rows: []Row{
				{Num: 2, Cells: []string{"甲", "01"}, Offset: 10},
				{Num: 3, Offset: 16, Problem: &Problem{Rule: RuleEncoding, Offset: 18,
					Message: "第 3 行第 3 字节（文件偏移 18）不是有效的 GB18030 编码（本文件按 GB18030 读取）"}},
				{Num: 4, Cells: []string{"丙", "03"}, Offset: 23},
			},
		},
		{
			name: "bare quote", data: "a,b\n1,x\"y\n2,3\n", enc: UTF8,
			header: []string{"a", "b"}, headerRow: 1,
			rows: []Row{
				{Num: 2, Offset: 4, Problem: &Problem{Rule: RuleRowShape, Offset: 7,
					Message: "第 2 行第 4 字节（文件偏移 7）：未加引号的字段中出现了英文双引号 \"（这样的字段应整个用双引号括起，其中的 \" 写成 \"\"）"}},
				{Num: 3, Cells: []string{"2", "3"}, Offset: 10},
			},
		},
		{
			name: "text after closing quote", data: "a,b\n1,\"x\"y\n2,3\n", enc: UTF8,
			header: []string{"a", "b"}, headerRow: 1,
			rows: []Row{
				{Num: 2, Offset: 4, Problem: &Problem{Rule: RuleRowShape, Offset: 8,
					Message: "第 2 行第 5 字节（文件偏移 8）：带引号的字段在右引号之后还有内容（字段中的英文双引号应写成两个：\"\"）"}},
				{Num: 3, Cells: []string{"2", "3"}, Offset: 11},
			},
		},
		{
			name: "quote never closed", data: "a,b\n1,\"x\n2,3\n\n4,5\n", enc: UTF8,
			header: []string{"a", "b"}, headerRow: 1,
			rows: []Row{
				{Num: 2, Offset: 4, Problem: &Problem{Rule: RuleRowShape, Offset: 6,
					Message: "第 2 行第 3 字节（文件偏移 6）开始的带引号字段直到文件末尾都没有结束（缺少右引号 \"），已从第 3 行起继续读取"}},
				{Num: 3, Cells: []string{"2", "3"}, Offset: 9},
				{Num: 5, Cells: []string{"4", "5"}, Offset: 14},
			},
		},
		{
			name: "quote never closed on the last line", data: "a,b\n1,2\n3,\"x", enc: UTF8,
			header: []string{"a", "b"}, headerRow: 1,
			rows: []Row{
				{Num: 2, Cells: []string{"1", "2"}, Offset: 4},
				{Num: 3, Offset: 8, Problem: &Problem{Rule: RuleRowShape, Offset: 10,
					Message: "第 3 行第 3 字节（文件偏移 10）开始的带引号字段直到文件末尾都没有结束（缺少右引号 \"）"}},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := mustOpenBytes(t, "x.csv", []byte(tt.data))
			tab := f.Tables[0]
			if tab.Encoding != tt.enc || tab.HeaderRow != tt.headerRow {
				t.Errorf("Encoding, HeaderRow = %s, %d, want %s, %d", tab.Encoding, tab.HeaderRow, tt.enc, tt.headerRow)
			}
			if diff := cmp.Diff(tt.header, tab.Header); diff != "" {
				t.Errorf("Header (-want +got):\n%s", diff)
			}
			for n := 1; n <= 3; n++ {
				if diff := cmp.Diff(tt.rows, readRows(t, tab, n)); diff != "" {
					t.Errorf("rows with %d partitions (-want +got):\n%s", n, diff)
				}
			}
		})
	}
}

func TestCSVHeaderErrors(t *testing.T) {
	tests := []struct{ name, data, want string }{
		{"bad byte", "名称,代码中文字\xff\n1,2\n", "表头（第 1 行）无法读取：第 1 行第 23 字节（文件偏移 22）不是有效的 UTF-8 编码（本文件按 UTF-8 读取）"},
		{"bare quote", "\na\"b,c\n1,2\n", "表头（第 2 行）无法读取：第 2 行第 2 字节（文件偏移 2）：未加引号的字段中出现了英文双引号"},
		{"utf-16", "\xFF\xFEa\x00,\x00b\x00", "文件是 UTF-16 编码"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := openBytes(t, "x.csv", []byte(tt.data))
			if err == nil || !strings.HasPrefix(err.Error(), tt.want) {
				t.Errorf("open: %v, want an error starting %q", err, tt.want)
			}
		})
	}
}

// A file whose first 100 KB are ASCII is still recognised as GBK by its first
// non-ASCII bytes, and every row decodes.
func TestCSVLateGBK(t *testing.T) {
	var b strings.Builder
	b.WriteString("id,name\n")
	for i := 0; b.Len() < 100<<10; i++ {
		fmt.Fprintf(&b, "%d,ascii only\n", i)
	}
	ascii := strings.Count(b.String(), "\n")
	b.WriteString(gb(t, "9999,浙江省舟山市普陀区沈家门街道\n10000,长江航务管理局\n"))
	f := mustOpenBytes(t, "late.csv", []byte(b.String()))
	tab := f.Tables[0]
	if tab.Encoding != GB18030 {
		t.Fatalf("Encoding = %s, want %s", tab.Encoding, GB18030)
	}
	rows := readRows(t, tab, 2)
	want := []Row{
		{Num: ascii + 1, Cells: []string{"9999", "浙江省舟山市普陀区沈家门街道"}},
		{Num: ascii + 2, Cells: []string{"10000", "长江航务管理局"}},
	}
	got := rows[len(rows)-2:]
	if diff := cmp.Diff(want, got, cmp.FilterPath(func(p cmp.Path) bool { return p.Last().String() == ".Offset" }, cmp.Ignore())); diff != "" {
		t.Errorf("last rows (-want +got):\n%s", diff)
	}
}

// A UTF-8 file with one damaged byte among its first Chinese text stays UTF-8:
// only the damaged row is reported.
func TestCSVDamagedUTF8StaysUTF8(t *testing.T) {
	data := "名称,地址\n中国船级社,上海\xe6\n长江航务管理局,武汉\n"
	f := mustOpenBytes(t, "x.csv", []byte(data))
	tab := f.Tables[0]
	if tab.Encoding != UTF8 {
		t.Fatalf("Encoding = %s, want %s", tab.Encoding, UTF8)
	}
	rows := readRows(t, tab, 1)
	if len(rows) != 2 || rows[0].Problem == nil || rows[1].Problem != nil {
		t.Errorf("rows = %+v, want a problem on the first only", rows)
	}
}

func TestOpenErrors(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		path string
		want string
		is   error
	}{
		{dir + "/old.XLS", "打开文件 " + dir + "/old.XLS: 旧版 Excel", ErrXLS},
		{dir + "/notes.txt", "打开文件 " + dir + "/notes.txt: 不支持的文件类型 \".txt\"", nil},
		{dir + "/missing.csv", "打开文件 " + dir + "/missing.csv: ", nil},
	}
	for _, tt := range tests {
		_, err := Open(tt.path, Options{})
		if err == nil || !strings.HasPrefix(err.Error(), tt.want) {
			t.Errorf("Open(%q) = %v, want an error starting %q", tt.path, err, tt.want)
		}
		if tt.is != nil && !errors.Is(err, tt.is) {
			t.Errorf("Open(%q) = %v, want it to wrap %v", tt.path, err, tt.is)
		}
	}
}

// TestCSVFromDisk goes through Open and real file handles.
func TestCSVFromDisk(t *testing.T) {
	path := writeFile(t, "vessels.CSV", []byte(gb(t, "船名,船籍港\n浙普渔12345,舟山\n")))
	f, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	want := []Row{{Num: 2, Cells: []string{"浙普渔12345", "舟山"}, Offset: 12}}
	if diff := cmp.Diff(want, readRows(t, f.Tables[0], 2)); diff != "" {
		t.Errorf("rows (-want +got):\n%s", diff)
	}
	if f.Format != CSV || f.Tables[0].Size != 17 {
		t.Errorf("Format, Size = %s, %d, want csv, 17", f.Format, f.Tables[0].Size)
	}
}

// TestCSVPartitionsAgree reads many generated files with 1 to 4 partitions and
// wants the same rows every time. Small scan chunks put chunk boundaries in
// every possible place (inside `""`, between `"` and `\r\n`, ...).
func TestCSVPartitionsAgree(t *testing.T) {
	defer func(c int64) { splitChunk = c }(splitChunk)
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range 400 {
		splitChunk = []int64{1, 2, 3, 5, 8, 64, 1 << 20}[i%7]
		data := randomCSV(rng, 1+rng.IntN(60))
		if i%3 == 0 {
			data = gb(t, data)
		}
		f, err := openBytes(t, "x.csv", []byte(data))
		if err != nil {
			continue // a header the generator spoilt
		}
		tab := f.Tables[0]
		want := readRows(t, tab, 1)
		for n := 2; n <= 4; n++ {
			if diff := cmp.Diff(want, readRows(t, tab, n)); diff != "" {
				t.Fatalf("file %d %q, chunk %d: %d partitions differ from 1 (-want +got):\n%s", i, data, splitChunk, n, diff)
			}
		}
	}
}

// TestCSVPartitionsSplit checks that a clean file really is split, and that a
// stray quote stops the splitting where it is.
func TestCSVPartitionsSplit(t *testing.T) {
	var b strings.Builder
	b.WriteString("a,b\n")
	for i := range 1000 {
		fmt.Fprintf(&b, "%d,\"line\nbreak, and \"\"quotes\"\"\"\n", i)
	}
	clean := b.String()
	tests := []struct {
		name string
		data string
		want int
	}{
		{"clean", clean, 4},
		{"stray quote early", "a,b\n1,x\"\n" + clean[4:], 1},
		{"stray quote late", clean + "1,x\"\n", 4},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tab := mustOpenBytes(t, "x.csv", []byte(tt.data)).Tables[0]
			parts, err := tab.Partitions(4)
			if err != nil {
				t.Fatal(err)
			}
			closeAll(parts)
			if len(parts) != tt.want {
				t.Errorf("Partitions(4) made %d, want %d", len(parts), tt.want)
			}
			if diff := cmp.Diff(readRows(t, tab, 1), readRows(t, tab, 4)); diff != "" {
				t.Errorf("4 partitions differ from 1 (-want +got):\n%s", diff)
			}
		})
	}
}

// TestCSVDone checks that the partitions' progress adds up to the table's size.
func TestCSVDone(t *testing.T) {
	tab := mustOpenBytes(t, "x.csv", []byte(strings.Repeat("a,b\n", 1000))).Tables[0]
	parts, err := tab.Partitions(3)
	if err != nil {
		t.Fatal(err)
	}
	var done int64
	for _, p := range parts {
		for p.Next() {
		}
		done += p.Done()
		p.Close()
	}
	if done != tab.Size {
		t.Errorf("sum of Done = %d, want Size %d", done, tab.Size)
	}
}

// randomCSV makes a small CSV file from pieces that stress the reader: quoted
// cells with commas, quotes and line breaks, blank lines, CRLF, Chinese, and
// now and then a stray quote or an invalid byte.
func randomCSV(rng *rand.Rand, rows int) string {
	pieces := []string{"", "a", "12", "名称", "浙江", "\"q,uoted\"", "\"multi\nline\"", "\"crlf\r\nin\"",
		"\"\"\"esc\"\"\"", " ", "x\"y", "\"open", "\xff", "\"a\"b", "中\r文"}
	ends := []string{"\n", "\r\n", "\n\n", "\r\n\r\n"}
	var b strings.Builder
	b.WriteString("h1,h2,h3\n")
	for range rows {
		for c := range 1 + rng.IntN(4) {
			if c > 0 {
				b.WriteByte(',')
			}
			p := pieces[rng.IntN(len(pieces))]
			if rng.IntN(10) > 0 && (strings.Contains(p, "\xff") || p == "x\"y" || p == "\"open" || p == "\"a\"b") {
				p = "ok" // keep most rows well-formed
			}
			b.WriteString(p)
		}
		b.WriteString(ends[rng.IntN(len(ends))])
	}
	return b.String()
}
