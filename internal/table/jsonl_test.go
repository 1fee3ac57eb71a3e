package table

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestJSONL(t *testing.T) {
	tests := []struct {
		name      string
		data      string
		header    []string
		headerRow int
		rows      []Row
	}{
		{
			name: "values",
			data: `{"ship_id":"CN20149346218","gt":1234.50,"ok":true,"no":false,"gone":null,"obj":{"a": [1, 2]}}` + "\n" +
				`{"ship_id":"0913501","gt":1e3,"new":"后来的键"}` + "\n",
			header: []string{"ship_id", "gt", "ok", "no", "gone", "obj", "new"}, headerRow: 1,
			rows: []Row{
				{Num: 2, Cells: []string{"CN20149346218", "1234.50", "true", "false", "", `{"a":[1,2]}`, ""}},
				{Num: 3, Cells: []string{"0913501", "1e3", "", "", "", "", "后来的键"}, Offset: 94},
			},
		},
		{
			name:   "BOM, blank lines, CRLF, escapes",
			data:   "\xEF\xBB\xBF{\"名称\":\"甲\\n乙\\u00e9\\ufffd\"}\r\n\r\n   \n{\"名称\":\"丙\"}",
			header: []string{"名称"}, headerRow: 1,
			rows: []Row{
				{Num: 2, Cells: []string{"甲\n乙é\uFFFD"}, Offset: 3},
				{Num: 5, Cells: []string{"丙"}, Offset: 44},
			},
		},
		{
			name:   "not objects",
			data:   "{\"a\":1}\n[1,2]\n{\"a\":\n\"text\"\n{\"a\":1} {\"a\":2}\n{\"a\":2}\n",
			header: []string{"a"}, headerRow: 1,
			rows: []Row{
				{Num: 2, Cells: []string{"1"}},
				{Num: 3, Offset: 8, Problem: &Problem{Rule: RuleRowShape, Offset: 8, Message: "第 2 行不是一个有效的 JSON 对象：不是 JSON 对象 {…}"}},
				{Num: 4, Offset: 14, Problem: &Problem{Rule: RuleRowShape, Offset: 14, Message: "第 3 行不是一个有效的 JSON 对象：对象不完整（缺少右括号、引号或值）"}},
				{Num: 5, Offset: 20, Problem: &Problem{Rule: RuleRowShape, Offset: 20, Message: "第 4 行不是一个有效的 JSON 对象：不是 JSON 对象 {…}"}},
				{Num: 6, Offset: 27, Problem: &Problem{Rule: RuleRowShape, Offset: 27, Message: "第 5 行不是一个有效的 JSON 对象：对象之后还有多余的内容"}},
				{Num: 7, Cells: []string{"2"}, Offset: 43},
			},
		},
		{
			name:   "invalid utf-8 and lone surrogates",
			data:   "{\"a\":\"ok\"}\n{\"a\":\"\xff\"}\n{\"a\":\"\\ud800\"}\n",
			header: []string{"a"}, headerRow: 1,
			rows: []Row{
				{Num: 2, Cells: []string{"ok"}},
				{Num: 3, Offset: 11, Problem: &Problem{Rule: RuleEncoding, Offset: 17, Message: "第 2 行第 7 字节（文件偏移 17）不是有效的 UTF-8 编码（JSONL 文件只能是 UTF-8）"}},
				{Num: 4, Offset: 21, Problem: &Problem{Rule: RuleEncoding, Offset: 21, Message: "第 3 行含有无效的 \\u 转义（单独的代理项）"}},
			},
		},
		{name: "empty", data: ""},
		{name: "blank", data: "\n \n", header: nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := mustOpenBytes(t, "x.jsonl", []byte(tt.data))
			tab := f.Tables[0]
			if tab.HeaderRow != tt.headerRow || tab.Encoding != "" {
				t.Errorf("HeaderRow, Encoding = %d, %q, want %d, \"\"", tab.HeaderRow, tab.Encoding, tt.headerRow)
			}
			if diff := cmp.Diff(tt.header, tab.Header); diff != "" {
				t.Errorf("Header (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.rows, readRows(t, tab, 2)); diff != "" {
				t.Errorf("rows (-want +got):\n%s", diff)
			}
		})
	}
}

func TestJSONLFromDisk(t *testing.T) {
	path := writeFile(t, "ships.NDJSON", []byte(`{"a":"1"}`+"\n"))
	f, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if f.Format != JSONL || f.Tables[0].Size != 10 {
		t.Errorf("Format, Size = %s, %d, want jsonl, 10", f.Format, f.Tables[0].Size)
	}
	parts, err := f.Tables[0].Partitions(1)
	if err != nil {
		t.Fatal(err)
	}
	for parts[0].Next() {
	}
	if parts[0].Done() != 10 {
		t.Errorf("Done = %d, want 10", parts[0].Done())
	}
	parts[0].Close()
}
