package table

import (
	"bytes"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
)

// FuzzCSV: any bytes open without a panic; every cell is valid UTF-8 and holds
// U+FFFD only as often as the input encodes it; rows come in order; and the
// partitions read exactly the rows of a single reader. Seeds: testdata/fuzz/FuzzCSV.
func FuzzCSV(f *testing.F) {
	for _, s := range []string{
		"a,b\n1,2\n",
		"\xEF\xBB\xBFa,b\r\n\"x\ny\",\"\"\"\"\r\n\r\n3,4",
		gb(f, "名称,代码\n甲,\"多\n行\"\n乙,02\n") + "\x81\x20,\xff\n",
		"a,b\n1,x\"y\n\"open,2\n3,4\n",
		"a\n\"\"\"\n\"\n\"a\"b\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		file, err := openBytes(t, "fuzz.csv", data)
		if err != nil {
			return // a header that cannot be read is an error of Open
		}
		tab := file.Tables[0]
		legit := bytes.Count(data, utf8FFFD)
		if tab.Encoding == GB18030 {
			legit = bytes.Count(data, []byte(gbFFFD))
		}
		checkCells(t, append([]string{}, tab.Header...), legit)
		want, _, err := readPartitions(tab, 1)
		if err != nil {
			t.Fatalf("read: %v", err)
		}
		checkRows(t, want, legit)
		for n := 2; n <= 4; n++ {
			got, _, err := readPartitions(tab, n)
			if err != nil {
				t.Fatalf("read with %d partitions: %v", n, err)
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Fatalf("%d partitions differ from 1 (-want +got):\n%s", n, diff)
			}
		}
	})
}

// FuzzJSONL: any bytes read without a panic, with valid UTF-8 cells, U+FFFD
// only where the input spells it, and rows in order. Seeds: testdata/fuzz/FuzzJSONL.
func FuzzJSONL(f *testing.F) {
	for _, s := range []string{
		`{"a":"x","b":1.50,"c":true,"d":null,"e":{"f":[1]}}` + "\n" + `{"g":"\ufffd"}`,
		"\xEF\xBB\xBF{\"a\":1}\r\n\r\n[1]\n{\"a\":\"\\ud800\"}\n{\"a\":\"\xff\"}\n",
		`{"a":1} {"a":2}` + "\n" + `{"a":`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		file, err := openBytes(t, "fuzz.jsonl", data)
		if err != nil {
			t.Fatalf("open: %v", err)
		}
		rows, _, err := readPartitions(file.Tables[0], 2)
		if err != nil {
			t.Fatalf("read: %v", err)
		}
		legit := bytes.Count(data, utf8FFFD) + strings.Count(strings.ToLower(string(data)), `\ufffd`)
		checkRows(t, rows, legit)
	})
}

// checkRows checks the rows of one table: numbers and offsets increase, a row
// with a problem has no cells, and the cells pass checkCells.
func checkRows(t *testing.T, rows []Row, legitFFFD int) {
	t.Helper()
	var all []string
	for i, r := range rows {
		if i > 0 && (r.Num <= rows[i-1].Num || r.Offset <= rows[i-1].Offset) {
			t.Fatalf("row %d (line %d, offset %d) after line %d, offset %d", i, r.Num, r.Offset, rows[i-1].Num, rows[i-1].Offset)
		}
		if r.Problem != nil && r.Cells != nil {
			t.Fatalf("row %d has a problem and cells: %+v", r.Num, r)
		}
		all = append(all, r.Cells...)
	}
	checkCells(t, all, legitFFFD)
}

// checkCells wants valid UTF-8 and no more U+FFFD than the input encodes.
func checkCells(t *testing.T, cells []string, legitFFFD int) {
	t.Helper()
	n := 0
	for _, c := range cells {
		if !utf8.ValidString(c) {
			t.Fatalf("cell %q is not valid UTF-8", c)
		}
		n += strings.Count(c, "\uFFFD")
	}
	if n > legitFFFD {
		t.Fatalf("cells hold %d U+FFFD, the input encodes %d: %q", n, legitFFFD, cells)
	}
}
