package gen

import (
	"fmt"
	"strconv"
	"strings"
	"sync"
)

// defectKinds is the table of defect kinds, by dataset. Each kind breaks one thing on
// one row and lists every finding that causes under the engine's semantics
// (internal/validate/doc.go). Add a kind by appending to the dataset's list.
var defectKinds = sync.OnceValue(func() []*kind {
	var all []*kind
	for _, list := range [][]*kind{operatorKinds(), licenceKinds(), vesselKinds(), mgmtKinds(), filingKinds(),
		intlKinds(), portOpKinds(), portLicKinds(), annexKinds(), projectKinds(), msaKinds(), surveyKinds()} {
		all = append(all, list...)
	}
	return all
})

// DefectKind describes one kind of injected defect, for documentation.
type DefectKind struct {
	Dataset, Name, Finds string
}

// DefectKinds lists every kind of injected defect.
func DefectKinds() []DefectKind {
	var out []DefectKind
	for _, k := range defectKinds() {
		out = append(out, DefectKind{Dataset: k.ds, Name: k.name, Finds: k.finds})
	}
	return out
}

// nullOf returns an empty value as clerks leave it: blank, or a null marker (DAT-09).
func nullOf(r *rng, date bool) string {
	if date {
		return pick(r, []string{"", "1900-01-01"})
	}
	return pick(r, []string{"", "", "-", "--"})
}

// blank empties a field and reports want (REQ or REQ-COND).
func blank(c *kctx, field, rule string) []want {
	date := c.rec.cell(field) != nil && c.rec.cell(field).k == kDate
	c.rec.set(field, nullOf(c.r, date))
	return []want{find(field, rule)}
}

// raw puts a text value in a field.
func raw(c *kctx, field, value, rule string) []want {
	c.rec.set(field, value)
	return []want{find(field, rule)}
}

// longer returns s padded past n characters with text that looks pasted in by mistake.
func longer(s string, n int, filler string) string {
	for len([]rune(s)) <= n {
		s += filler
	}
	return s
}

// badDate returns a date that does not exist in the year of d.
func badDate(r *rng, d day) string {
	y := d.year()
	switch r.intn(3) {
	case 0:
		return fmt.Sprintf("%d-02-30", y)
	case 1:
		return fmt.Sprintf("%d-04-31", y)
	}
	return fmt.Sprintf("%d-13-01", y)
}

// sci writes an all-digit identifier the way Excel displays a long number.
func sci(s string) string {
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return "9.13201E+17"
	}
	return strconv.FormatFloat(f, 'E', 5, 64)
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

func hasLetter(s string) bool {
	return strings.IndexFunc(s, func(r rune) bool { return r >= 'A' && r <= 'Z' }) >= 0
}

// otherPlace picks a county of another province (another jurisdiction for river
// administrations) for out-of-area defects.
func (g *generator) otherPlace(r *rng, prov string) *place {
	return g.reg.place(r, g.reg.other(r, prov))
}

// badOrgUSCC returns a valid USCC (check character right) whose embedded organisation
// code fails GB 11714.
func badOrgUSCC(s string) string {
	org := s[8:16]
	right := s[16]
	var wrong byte = '0'
	for _, c := range []byte("0123456789") {
		if c != right {
			wrong = c
			break
		}
	}
	b17 := s[:8] + org + string(wrong)
	return b17 + string(usccCheckFor(b17))
}
