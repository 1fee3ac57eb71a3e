package store

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestCopyRows(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want [][]string
		err  string
	}{
		{name: "plain", in: "a\tb\tc\nd\te\tf\n", want: [][]string{{"a", "b", "c"}, {"d", "e", "f"}}},
		{name: "null and empty", in: "\\N\t\t中文\n", want: [][]string{{"", "", "中文"}}},
		{name: "escapes", in: `a\tb` + "\t" + `x\ny\r\\z` + "\t" + `\b\f\v\N` + "\n",
			want: [][]string{{"a\tb", "x\ny\r\\z", "\b\f\v" + "N"}}},
		{name: "too few fields", in: "a\tb\n", err: "a row of 2 fields, want 3"},
		{name: "too many fields", in: "a\tb\tc\td\n", err: "more than 3 fields"},
		{name: "trailing tab", in: "a\tb\tc\t\n", err: "more than 3 fields"},
	}
	for _, tt := range tests {
		// Whole, and a byte at a time: a row may span writes.
		for _, chunk := range []int{len(tt.in), 1, 5} {
			var got [][]string
			r := newCopyRows(3, func(v []string) error {
				got = append(got, append([]string(nil), v...))
				return nil
			})
			var err error
			for in := tt.in; in != "" && err == nil; {
				n := min(chunk, len(in))
				_, err = r.Write([]byte(in[:n]))
				in = in[n:]
			}
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Errorf("%s/%d: error %v, want %q", tt.name, chunk, err, tt.err)
				}
				continue
			}
			if err != nil || len(r.buf) != 0 {
				t.Fatalf("%s/%d: %v, %d bytes left", tt.name, chunk, err, len(r.buf))
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("%s/%d (-want +got):\n%s", tt.name, chunk, diff)
			}
		}
	}
}

func TestCopyRowsStopsOnError(t *testing.T) {
	stop := errors.New("client gone")
	n := 0
	r := newCopyRows(1, func([]string) error { n++; return stop })
	if _, err := r.Write([]byte("a\nb\n")); !errors.Is(err, stop) || n != 1 {
		t.Fatalf("err %v after %d rows, want %v after 1", err, n, stop)
	}
}
