package standard

import (
	"slices"
	"strings"
	"unicode"
)

// Dataset finds a dataset by its name (vessel_operating_certificate), code (D03)
// or Chinese label. Labels match ignoring blanks, bracket width and a trailing
// parenthesised note (contracts.md §3 "Dataset ids"). It returns nil if none matches.
func (s *Standard) Dataset(key string) *Dataset {
	if d, ok := s.datasets[key]; ok {
		return d
	}
	if d, ok := s.datasets[strings.ToUpper(key)]; ok {
		return d
	}
	if d, ok := s.datasets[NormalizeLabel(key)]; ok {
		return d
	}
	return s.datasets[NormalizeLabel(stripTrailingNote(key))]
}

// CodeList returns the code list with the given id, or nil.
func (s *Standard) CodeList(id string) *CodeList { return s.codeLists[id] }

// Rule returns the rule with the given id, or nil.
func (s *Standard) Rule(id string) *Rule { return s.rules[id] }

// FieldIndex returns the index of the field named by its name or Chinese label
// (matched like dataset labels), or -1.
func (d *Dataset) FieldIndex(key string) int {
	if i, ok := d.fields[key]; ok {
		return i
	}
	if i, ok := d.fields[NormalizeLabel(key)]; ok {
		return i
	}
	if i, ok := d.fields[NormalizeLabel(stripTrailingNote(key))]; ok {
		return i
	}
	return -1
}

// Field returns the field with the given name, or nil.
func (d *Dataset) Field(name string) *Field {
	if i := d.FieldIndex(name); i >= 0 {
		return d.Fields[i]
	}
	return nil
}

// Lookup normalises a cell to its code: the code itself, its exact Chinese name or
// an alias. ok is false when the value is not in the list.
func (c *CodeList) Lookup(v string) (code string, ok bool) {
	i, ok := c.lookup[v]
	if !ok {
		return "", false
	}
	return c.Codes[i].Code, true
}

// NameOf returns the Chinese name of a code, or "" if it is not in the list.
func (c *CodeList) NameOf(code string) string {
	if i, ok := c.lookup[code]; ok && c.Codes[i].Code == code {
		return c.Codes[i].Name
	}
	return ""
}

// Code returns the entry for a code, or nil.
func (c *CodeList) Code(code string) *Code {
	if i, ok := c.lookup[code]; ok && c.Codes[i].Code == code {
		return &c.Codes[i]
	}
	return nil
}

// On reports whether the rule is switched on.
func (r *Rule) On() bool { return r != nil && (r.Enabled == nil || *r.Enabled) }

// SeverityOf returns the severity of a named part of the rule, else the rule's severity.
func (r *Rule) SeverityOf(part string) Severity {
	if s, ok := r.Parts[part]; ok {
		return s
	}
	return r.Severity
}

// Lookup returns the region with the given code.
func (r *Regions) Lookup(code string) (*Region, bool) {
	g, ok := r.codes[code]
	return g, ok
}

// Abbreviations returns a province's one-character abbreviations (苏, 贵/黔…),
// the usual one first. code may be any code of the province.
func (r *Regions) Abbreviations(code string) []string {
	if len(code) < 2 {
		return nil
	}
	return r.abbr[code[:2]+"0000"]
}

// ProvinceByAbbreviation returns the province code whose abbreviation is a, or "".
func (r *Regions) ProvinceByAbbreviation(a string) string {
	for p, list := range r.abbr {
		for _, x := range list {
			if x == a {
				return p
			}
		}
	}
	return ""
}

// Len returns the number of codes in the table.
func (r *Regions) Len() int { return len(r.codes) }

// NormalizeLabel folds a Chinese label for matching: blanks (including U+3000)
// removed and full-width brackets made half-width.
func NormalizeLabel(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case unicode.IsSpace(r) || r == '\u3000':
			continue
		case r == '（':
			r = '('
		case r == '）':
			r = ')'
		}
		b.WriteRune(r)
	}
	return b.String()
}

// stripTrailingNote removes one trailing parenthesised note: "船舶识别号（CN+11位）" → "船舶识别号".
func stripTrailingNote(s string) string {
	t := strings.TrimRightFunc(NormalizeLabel(s), unicode.IsSpace)
	if !strings.HasSuffix(t, ")") {
		return s
	}
	depth := 0
	for i := len(t) - 1; i >= 0; i-- {
		switch t[i] {
		case ')':
			depth++
		case '(':
			depth--
			if depth == 0 {
				if i == 0 {
					return s
				}
				return t[:i]
			}
		}
	}
	return s
}

// All returns every region of the table, ordered by code (for generators and docs).
func (r *Regions) All() []*Region {
	out := make([]*Region, 0, len(r.codes))
	for _, g := range r.codes {
		out = append(out, g)
	}
	slices.SortFunc(out, func(a, b *Region) int { return strings.Compare(a.Code, b.Code) })
	return out
}

// FieldNames lists the field ids in order (the header of exchange CSVs and exports).
func (d *Dataset) FieldNames() []string {
	out := make([]string, len(d.Fields))
	for i, f := range d.Fields {
		out[i] = f.Name
	}
	return out
}
