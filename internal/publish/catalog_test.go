package publish

import (
	"bytes"
	"testing"

	"github.com/google/go-cmp/cmp"

	"shuiyun/internal/textwidth"
)

func TestDisplayWidth(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want int
	}{
		{"", 0}, {"D03", 3}, {"营运船舶", 8}, {"（船）", 6}, {"a中b", 4},
	} {
		if got := textwidth.Width(tc.in); got != tc.want {
			t.Errorf("textwidth.Width(%q) = %d, want %d", tc.in, got, tc.want)
		}
	}
}

func TestWriteColumns(t *testing.T) {
	var b bytes.Buffer
	writeColumns(&b, [][]string{{"代码", "名称", "x"}, {"D03", "营运船舶", "y"}})
	want := "  代码  名称      x\n  D03   营运船舶  y\n"
	if diff := cmp.Diff(want, b.String()); diff != "" {
		t.Errorf("writeColumns (-want +got):\n%s", diff)
	}
}
