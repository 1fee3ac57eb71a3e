package gen

import (
	"strconv"
	"strings"

	"shuiyun/internal/standard"
)

// cellKind says how a value is written to XLSX: as text, a number or a date. CSV
// writes every cell as its text.
type cellKind uint8

const (
	kText cellKind = iota
	kNum
	kDate
)

// cell is one value of a record. Numbers are kept as a scaled integer (gross tonnage
// 1234.567 is n=1234567, scale=3) so their text is exact.
type cell struct {
	s     string
	k     cellKind
	n     int64
	scale int8
	d     day
}

// text returns the cell as written to CSV.
func (c *cell) text() string {
	switch c.k {
	case kNum:
		return formatScaled(c.n, int(c.scale))
	case kDate:
		return c.d.String()
	}
	return c.s
}

func formatScaled(n int64, scale int) string {
	if scale == 0 {
		return strconv.FormatInt(n, 10)
	}
	neg := n < 0
	if neg {
		n = -n
	}
	s := strconv.FormatInt(n, 10)
	for len(s) <= scale {
		s = "0" + s
	}
	s = s[:len(s)-scale] + "." + s[len(s)-scale:]
	s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	if neg {
		s = "-" + s
	}
	return s
}

// layout is a dataset's columns as written.
type layout struct {
	ds      *standard.Dataset
	at      map[string]int
	header  []string
	name    string          // file name (CSV) or sheet name (XLSX)
	missing map[string]bool // fields gen wrote that the dataset lacks (tests check it stays empty)
}

func newLayout(ds *standard.Dataset, labels bool) *layout {
	l := &layout{ds: ds, at: make(map[string]int, len(ds.Fields)), missing: map[string]bool{}}
	for i, f := range ds.Fields {
		l.at[f.Name] = i
		if labels {
			l.header = append(l.header, f.Label)
		} else {
			l.header = append(l.header, f.Name)
		}
	}
	return l
}

func (l *layout) has(field string) bool { _, ok := l.at[field]; return ok }

// record is one row being built. Setting a field the dataset does not have is ignored,
// so that an operator's edited standard with fewer fields still gets data; the tests
// check that every field gen writes exists in the built-in standard.
type record struct {
	l *layout
	c []cell
}

func (l *layout) newRecord() *record { return &record{l: l, c: make([]cell, len(l.ds.Fields))} }

func (r *record) reset() {
	for i := range r.c {
		r.c[i] = cell{}
	}
}

func (r *record) cell(f string) *cell {
	if i, ok := r.l.at[f]; ok {
		return &r.c[i]
	}
	r.l.missing[f] = true
	return nil
}

// set writes a text value.
func (r *record) set(f, s string) {
	if c := r.cell(f); c != nil {
		*c = cell{s: s}
	}
}

// num writes a number with scale decimals (n is scaled).
func (r *record) num(f string, n int64, scale int) {
	if c := r.cell(f); c != nil {
		*c = cell{k: kNum, n: n, scale: int8(scale)}
	}
}

// date writes a date.
func (r *record) date(f string, d day) {
	if c := r.cell(f); c != nil {
		*c = cell{k: kDate, d: d}
	}
}

// get returns the text of a field ("" if absent).
func (r *record) get(f string) string {
	if c := r.cell(f); c != nil {
		return c.text()
	}
	return ""
}

func (r *record) clone() *record {
	out := &record{l: r.l, c: make([]cell, len(r.c))}
	copy(out.c, r.c)
	return out
}

// texts returns every cell as text, in column order.
func (r *record) texts(dst []string) []string {
	dst = dst[:0]
	for i := range r.c {
		dst = append(dst, r.c[i].text())
	}
	return dst
}
