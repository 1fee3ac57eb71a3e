package validate

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"unsafe"

	"shuiyun/internal/standard"
	"shuiyun/internal/table"
)

// worker checks the rows of one partition of a table. Its findings, keys and
// index entries are local, merged in partition order when the table is done.
type worker struct {
	c     *checker
	t     *tableRun
	first bool // the partition holding the table's first data row
	vals  []value
	fails []*fail
	row   *table.Row
	op    byte

	rows     int
	findings []Finding
	tally    tally
	keys     []keyEntry
	keyBytes [][]byte // the keys' text, back to back in blocks of keyBlock bytes
	names    []nameEntry
	idx      *indexes // entries this partition contributes (referenced datasets only)
	spool    *spoolWriter
}

// keyEntry is a keyed row, resolved for UNIQUE and REL-12 after the table is
// read (resolveKeys). Its text lives in worker.keyBytes: a million rows must fit in memory.
type keyEntry struct {
	row     int32
	off     uint32 // block<<keyBlockBits | offset of the key in the block; the ship id follows it
	keyLen  uint16 // 0: the row has no key
	shipLen uint16 // REL-12: length of the ship id of a 存续 certificate, 0 if none
}

// keyBlock is the size of the blocks holding the keys' text. They are filled
// once and never move: one growing slice was copied again at each growth
// (memmove and growslice were 6% of a 1M-row run's CPU).
const (
	keyBlockBits = 20
	keyBlock     = 1 << keyBlockBits
)

// reserveKeys sizes the key list for about rows rows: growing it by
// doubling copied half a million keys twice (8% of a 1M-row run's CPU).
func (w *worker) reserveKeys(rows int) {
	w.keys = make([]keyEntry, 0, rows+rows/8)
}

func (w *worker) addKey(row int, key, ship string) {
	if key == "" && ship == "" {
		return
	}
	if len(key) > math.MaxUint16 || len(ship) > math.MaxUint16 {
		// Lengths are kept in 16 bits. No identifier is 64 KB long: the
		// field's own length check has already failed such a row.
		return
	}
	n, last := len(key)+len(ship), len(w.keyBytes)-1
	if last < 0 || len(w.keyBytes[last])+n > cap(w.keyBytes[last]) {
		w.keyBytes = append(w.keyBytes, make([]byte, 0, max(keyBlock, n)))
		last++
	}
	b := w.keyBytes[last]
	off := uint32(last)<<keyBlockBits | uint32(len(b))
	w.keyBytes[last] = append(append(b, key...), ship...)
	w.keys = append(w.keys, keyEntry{row: int32(row), off: off, keyLen: uint16(len(key)), shipLen: uint16(len(ship))})
}

// keyText returns the key and ship id of an entry as strings over keyBytes.
func (w *worker) keyText(k keyEntry) (key, ship string) {
	start := int(k.off & (keyBlock - 1))
	b := w.keyBytes[k.off>>keyBlockBits][start : start+int(k.keyLen)+int(k.shipLen)]
	if k.keyLen > 0 {
		key = unsafe.String(&b[0], int(k.keyLen))
	}
	if k.shipLen > 0 {
		ship = unsafe.String(&b[k.keyLen], int(k.shipLen))
	}
	return key, ship
}

// nameEntry is a (USCC, name) pair for REL-23.
type nameEntry struct {
	t     *tableRun
	row   int
	field int
	uscc  string
	name  string // nameKey form
	raw   string
}

func (w *worker) process(r *table.Row) {
	w.row = r
	if r.Problem != nil {
		w.rows++
		w.emitRow(r.Problem.Rule, "", r.Problem.Message)
		return
	}
	if blankRow(r.Cells) {
		return
	}
	if w.first {
		w.first = false
		if w.t.isFieldIDRow(r.Cells) {
			return
		}
	}
	w.rows++
	w.checkShape(r.Cells)
	w.op = w.opType(r.Cells)
	w.checkFields(r.Cells)
	if w.op != 'D' {
		for _, rule := range w.t.rowRules {
			rule(w, w.vals)
		}
	}
	if w.spool != nil {
		w.spool.put(w.row.Num, w.op, w.t.keyOf(w.vals), w.vals)
	}
	w.collect()
}

func blankRow(cells []string) bool {
	for _, c := range cells {
		if trim(c) != "" {
			return false
		}
	}
	return true
}

func (w *worker) checkShape(cells []string) {
	for i := len(w.t.colField); i < len(cells); i++ {
		if trim(cells[i]) != "" {
			w.emitRow("FILE-ROW-SHAPE", "", fmt.Sprintf("第 %d 行有 %d 列，多于表头的 %d 列", w.row.Num, len(cells), len(w.t.colField)))
			return
		}
	}
}

// opType reads the row's op_type: I and U upsert, D withdraws; blank means U.
func (w *worker) opType(cells []string) byte {
	if w.t.opCol < 0 || w.t.opCol >= len(cells) {
		return 'U'
	}
	switch s := strings.ToUpper(trim(cells[w.t.opCol])); s {
	case "", "U":
		return 'U'
	case "I", "D":
		return s[0]
	default:
		w.emitAt("op_type", "CODE", "", s, "操作类型 op_type 应为 I、U 或 D")
		return 'U'
	}
}

// checkFields normalises every field, then runs the checks that need the whole
// row (id_when identifier checks, REQ, REQ-COND) and reports at most one
// field-level finding per field.
func (w *worker) checkFields(cells []string) {
	p := w.t.plan
	for i, fp := range p.fields {
		col := w.t.fieldCol[i]
		cell := ""
		if col >= 0 && col < len(cells) {
			cell = cells[col]
		}
		if w.op == 'D' && !w.t.isKey[i] {
			w.vals[i], w.fails[i] = value{}, nil
			continue
		}
		w.fails[i] = w.c.normalize(fp, cell, &w.vals[i])
	}
	for i, fp := range p.fields {
		v := &w.vals[i]
		// rowFieldCheck has nothing to say of a value without id_when: most
		// of them (skipping the call: 1M-row CSV, CPU 1.77 → 1.72 s).
		if w.fails[i] != nil || (v.state != null && fp.idWhen == nil) || (w.op == 'D' && !w.t.isKey[i]) {
			continue
		}
		w.fails[i] = w.rowFieldCheck(fp, v)
	}
	for i, fl := range w.fails {
		if fl != nil {
			w.emit(i, fl.rule, fl.part, fl.msg)
		}
	}
}

func (w *worker) rowFieldCheck(fp *fieldPlan, v *value) *fail {
	f := fp.f
	if v.state == null {
		if w.t.missing[fp.idx] {
			return nil // reported once as FILE-HEADER-MISSING
		}
		if w.op == 'D' { // a withdrawal needs its key and nothing else
			if w.keyNeeded(fp.idx) {
				return w.c.active(&fail{rule: "REQ", msg: fmt.Sprintf("必填字段“%s”为空", f.Label)})
			}
			return nil
		}
		if f.Required == standard.Mandatory {
			return w.c.active(&fail{rule: "REQ", msg: fmt.Sprintf("必填字段“%s”为空", f.Label)})
		}
		if f.Required == standard.Conditional && fp.when != nil && fp.when.holds(w.vals) {
			return w.c.active(&fail{rule: "REQ-COND", msg: fmt.Sprintf("“%s”为空，但%s必须填写", f.Label, condText(f.When))})
		}
		return nil
	}
	if v.state == ok && fp.idWhen != nil && fp.idWhen.holds(w.vals) {
		if fl := w.c.checkID(fp, v); w.c.fires(fl) {
			return w.c.failed(fp, v, fl)
		}
	}
	return nil
}

// keyNeeded: field i is part of the business key a D row names — the key, or
// the alternative key when every key field is empty (D10, individuals in D01).
func (w *worker) keyNeeded(i int) bool {
	p := w.t.plan
	for _, k := range p.key {
		if w.vals[k].state != null {
			return slices.Contains(p.key, i)
		}
	}
	if len(p.altKey) > 0 {
		return slices.Contains(p.altKey, i)
	}
	return slices.Contains(p.key, i)
}

// condText says a condition in Chinese, ending in "时" ("状态为撤销、吊销或注销时").
func condText(c *standard.Condition) string {
	t := c.Text
	if t == "" {
		t = fmt.Sprintf("%s %s %s", c.Field, c.Op, strings.Join(c.Values, ","))
	}
	if !strings.HasSuffix(t, "时") {
		t += "时"
	}
	return t
}

// emit reports a finding on field i of the current row.
func (w *worker) emit(i int, rule, part, msg string) {
	fp := w.t.plan.fields[i]
	var sev standard.Severity
	if part == "" && rule == "FMT-PATTERN" && fp.patternSev != "" {
		sev = fp.patternSev
	}
	w.add(w.row.Num, fp.f.Name, rule, part, sev, strings.Clone(w.vals[i].raw), msg)
}

// emitAt reports a finding on a column that is not a field of the dataset (op_type).
func (w *worker) emitAt(field, rule, part, val, msg string) {
	w.add(w.row.Num, field, rule, part, "", strings.Clone(val), msg)
}

// emitRow reports a finding on the whole row.
func (w *worker) emitRow(rule, part, msg string) {
	w.add(w.row.Num, "", rule, part, "", "", msg)
}

func (w *worker) add(row int, field, rule, part string, sev standard.Severity, val, msg string) {
	r := w.c.std.Rule(rule)
	if !r.On() || w.t.fromRef {
		return
	}
	if sev == "" {
		sev = r.SeverityOf(part)
	}
	if sev == standard.Error {
		w.tally.errRows.set(row)
	}
	if max := w.c.maxFindings; max > 0 && len(w.findings) >= max {
		w.tally.drop(rule, sev) // counted, not kept: a file where every row is bad must not exhaust memory
		return
	}
	w.findings = append(w.findings, Finding{Row: row, Field: field, Rule: rule, Category: string(r.Category),
		Severity: string(sev), Value: val, Message: msg})
}

// active returns fl if its rule is switched on, else no failure.
func (c *checker) active(fl *fail) *fail {
	if c.fires(fl) {
		return fl
	}
	return nil
}
