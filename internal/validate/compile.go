package validate

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"shuiyun/internal/standard"
)

// plan is a dataset compiled for checking: per-field checkers and the
// positions of the fields that cross-field and batch rules read.
type plan struct {
	ds     *standard.Dataset
	rank   int // processing order (dependencies first)
	fields []*fieldPlan
	key    []int
	altKey []int
	at     map[string]int // field name → index, for rules
}

// fieldPlan is one field compiled for checking.
type fieldPlan struct {
	f          *standard.Field
	idx        int
	list       *standard.CodeList
	codeIndex  map[string]int // code → bit position, for code sets
	parentBit  []uint64       // per code: the bit of its item code (C03), 0 if none
	children   uint64         // code sets: the bits of the codes that have an item code
	codes      []string       // the list's codes in order, scanned before the name map
	codeWords  []uint64       // the codes packed by packCode; nil if one is longer than 7 bytes
	match      func(string) bool
	noBlank    bool // match is noBlank (the pattern noBlankPattern)
	patternSev standard.Severity
	excelWidth int // fixed digit width for FMT-EXCEL lost-leading-zero detection; 0 = none
	when       *cond
	idWhen     *cond
	maxInt     int  // decimal: most integer digits
	text       bool // free text: normalised to NFC
	kind       kind // f.Type as a small integer: the hot path switches on it
	excel      bool // FMT-EXCEL applies (identifiers, codes, text)
	ranged     bool // FMT-RANGE applies (a number with a bound)
}

// kind is a FieldType compiled to an integer.
type kind uint8

const (
	kString kind = iota
	kCode
	kCodes
	kDate
	kDecimal
	kInteger
	kBoolean
	kID
)

var kinds = map[standard.FieldType]kind{
	standard.TypeString: kString, standard.TypeCode: kCode, standard.TypeCodes: kCodes, standard.TypeDate: kDate,
	standard.TypeDecimal: kDecimal, standard.TypeInteger: kInteger, standard.TypeBoolean: kBoolean, standard.TypeID: kID,
}

// cond is a compiled standard.Condition.
type cond struct {
	field  int
	op     standard.Op
	values []string
	mask   uint64 // OpIntersects: the values as code bits
}

func (c *cond) holds(vals []value) bool {
	v := &vals[c.field]
	switch c.op {
	case standard.OpPresent:
		return v.state == ok
	case standard.OpAbsent:
		return v.state == null
	case standard.OpIn:
		return v.state == ok && contains(c.values, v.s)
	case standard.OpNotIn:
		return v.state == null || (v.state == ok && !contains(c.values, v.s))
	case standard.OpIntersects:
		return v.state == ok && v.set&c.mask != 0
	case standard.OpGTE:
		return v.state == ok && v.s >= c.values[0]
	}
	return false
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// rank orders datasets so that referenced ones are read before those that refer to them.
var rank = map[string]int{
	"shipping_operator": 1, "waterway_transport_license": 2, "ship_management_license": 3,
	"auxiliary_business_filing": 4, "international_shipping_record": 5, "port_operator": 6,
	"port_operation_license": 7, "msa_vessel_registration": 8, "vessel_survey": 9,
	"waterway_construction_project": 10, "vessel_operating_certificate": 11, "port_dg_annex": 12,
}

func compile(std *standard.Standard, ds *standard.Dataset) (*plan, error) {
	p := &plan{ds: ds, rank: rank[ds.Name], at: map[string]int{}}
	if p.rank == 0 {
		p.rank = 100
	}
	for i, f := range ds.Fields {
		p.at[f.Name] = i
	}
	for i, f := range ds.Fields {
		fp, err := compileField(std, ds, f, i)
		if err != nil {
			return nil, fmt.Errorf("compile %s.%s: %w", ds.Name, f.Name, err)
		}
		p.fields = append(p.fields, fp)
	}
	for _, name := range ds.Key {
		p.key = append(p.key, p.at[name])
	}
	for _, name := range ds.AltKey {
		p.altKey = append(p.altKey, p.at[name])
	}
	var err error
	for _, fp := range p.fields {
		if fp.when, err = compileCond(std, ds, fp.f.When); err != nil {
			return nil, err
		}
		if fp.idWhen, err = compileCond(std, ds, fp.f.IDWhen); err != nil {
			return nil, err
		}
	}
	return p, nil
}

func compileField(std *standard.Standard, ds *standard.Dataset, f *standard.Field, i int) (*fieldPlan, error) {
	fp := &fieldPlan{f: f, idx: i, patternSev: f.PatternSeverity}
	fp.kind = kinds[f.Type]
	fp.text = fp.kind == kString
	fp.excel = fp.kind <= kCodes || fp.kind == kID
	fp.ranged = (fp.kind == kDecimal || fp.kind == kInteger) && (f.Min != nil || f.Max != nil)
	if f.CodeList != "" {
		fp.list = std.CodeList(f.CodeList)
		if fp.list == nil {
			return nil, fmt.Errorf("unknown code list %s", f.CodeList)
		}
		fp.codeIndex = make(map[string]int, len(fp.list.Codes))
		for j, c := range fp.list.Codes {
			fp.codeIndex[c.Code] = j
			fp.codes = append(fp.codes, c.Code)
		}
		fp.codeWords = packCodes(fp.codes)
		if f.Type == standard.TypeCodes && len(fp.list.Codes) > 64 {
			return nil, fmt.Errorf("code set on list %s with more than 64 codes", f.CodeList)
		}
		fp.parentBit = make([]uint64, len(fp.list.Codes))
		for j, c := range fp.list.Codes {
			if k, found := fp.codeIndex[c.Parent]; found && c.Parent != "" {
				fp.parentBit[j] = 1 << uint(k&63)
				fp.children |= 1 << uint(j&63)
			}
		}
	}
	if f.Pattern != "" {
		m, err := matcher(f.Pattern)
		if err != nil {
			return nil, err
		}
		fp.match, fp.noBlank = m, f.Pattern == noBlankPattern
	}
	if f.Type == standard.TypeDecimal && f.Precision > 0 {
		fp.maxInt = f.Precision - f.Scale
	}
	fp.excelWidth = excelWidth(f, fp.list)
	return fp, nil
}

// packCodes packs every code, or returns nil when one does not fit a word.
func packCodes(codes []string) []uint64 {
	words := make([]uint64, len(codes))
	for j, code := range codes {
		w, short := packCode(code)
		if !short {
			return nil
		}
		words[j] = w
	}
	return words
}

// excelWidth returns the digit width a value of f must have, when Excel could
// have dropped its leading zeros; 0 when that cannot happen.
func excelWidth(f *standard.Field, list *standard.CodeList) int {
	if f.ID == standard.IDRegion {
		return 6
	}
	if n, ok := fixedDigits(f.Pattern); ok {
		return n
	}
	if list == nil || len(list.Codes) == 0 {
		return 0
	}
	w, lead := len(list.Codes[0].Code), false
	for _, c := range list.Codes {
		if len(c.Code) != w || !allDigits(c.Code) {
			return 0
		}
		lead = lead || c.Code[0] == '0'
	}
	if !lead {
		return 0
	}
	return w
}

var fixedDigitsRE = regexp.MustCompile(`^\^\\d\{(\d+)\}(\(\\d\{\d+\}\)\?)?\$$`)

// fixedDigits recognises patterns `^\d{N}$` and `^\d{N}(\d{M})?$` and returns N.
func fixedDigits(pattern string) (int, bool) {
	m := fixedDigitsRE.FindStringSubmatch(pattern)
	if m == nil {
		return 0, false
	}
	n, err := strconv.Atoi(m[1])
	return n, err == nil
}

// noBlank is `^[^\s\x{3000}]+$`: RE2's \s is the ASCII blanks \t \n \f \r and space.
func noBlank(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '\t', '\n', '\f', '\r', ' ':
			return false
		}
	}
	return !strings.Contains(s, "\u3000")
}

func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func compileCond(std *standard.Standard, ds *standard.Dataset, c *standard.Condition) (*cond, error) {
	if c == nil {
		return nil, nil
	}
	i := ds.FieldIndex(c.Field)
	if i < 0 {
		return nil, fmt.Errorf("condition on unknown field %s", c.Field)
	}
	out := &cond{field: i, op: c.Op, values: c.Values}
	if c.Op == standard.OpIntersects {
		f := ds.Fields[i]
		list := std.CodeList(f.CodeList)
		if list == nil {
			return nil, fmt.Errorf("intersects on %s, which has no code list", c.Field)
		}
		for j, code := range list.Codes {
			if contains(c.Values, code.Code) {
				out.mask |= 1 << uint(j)
			}
		}
	}
	if c.Op == standard.OpGTE && len(c.Values) != 1 {
		return nil, fmt.Errorf("gte on %s needs one value", c.Field)
	}
	return out, nil
}
