package publish

import (
	"encoding/json"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"

	"shuiyun/internal/standard"
)

// WriteTableSchema writes a Frictionless Table Schema
// (https://specs.frictionlessdata.io/table-schema/) for one dataset: the
// canonical exchange form of its CSV files, with a header of field ids and codes
// (not names) in code fields. See the package comment for the mapping.
func WriteTableSchema(w io.Writer, std *standard.Standard, ds *standard.Dataset) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(tableSchema(std, ds)); err != nil {
		return fmt.Errorf("write table schema of %s: %w", ds.Name, err)
	}
	return nil
}

type tsSchema struct {
	Name          string         `json:"name"`
	Title         string         `json:"title"`
	Description   string         `json:"description,omitempty"`
	Fields        []tsField      `json:"fields"`
	PrimaryKey    []string       `json:"primaryKey,omitempty"`
	ForeignKeys   []tsForeignKey `json:"foreignKeys,omitempty"`
	MissingValues []string       `json:"missingValues"`
}

type tsField struct {
	Name        string         `json:"name"`
	Title       string         `json:"title"`
	Description string         `json:"description,omitempty"`
	Type        string         `json:"type"`
	Format      string         `json:"format,omitempty"`
	TrueValues  []string       `json:"trueValues,omitempty"`
	FalseValues []string       `json:"falseValues,omitempty"`
	Constraints *tsConstraints `json:"constraints,omitempty"`
}

type tsConstraints struct {
	Required  bool     `json:"required,omitempty"`
	MaxLength int      `json:"maxLength,omitempty"`
	Pattern   string   `json:"pattern,omitempty"`
	Minimum   *float64 `json:"minimum,omitempty"`
	Maximum   *float64 `json:"maximum,omitempty"`
	Enum      []string `json:"enum,omitempty"`
}

func (c *tsConstraints) empty() bool {
	return !c.Required && c.MaxLength == 0 && c.Pattern == "" && c.Minimum == nil && c.Maximum == nil && c.Enum == nil
}

type tsForeignKey struct {
	Fields    []string    `json:"fields"`
	Reference tsReference `json:"reference"`
}

type tsReference struct {
	Resource string   `json:"resource"`
	Fields   []string `json:"fields"`
}

// defaultMissingValues are the nulls of DAT-09, used when the settings name none.
var defaultMissingValues = []string{"", "-", "--", "1900-01-01"}

// Boolean spellings the engine accepts (any case there; Table Schema matches exactly).
var (
	trueValues  = []string{"1", "是", "Y", "y", "true", "True", "TRUE"}
	falseValues = []string{"0", "否", "N", "n", "false", "False", "FALSE"}
)

// idPatterns give the structure of each identifier kind in XML Schema syntax.
// A field's own Pattern wins over these.
var idPatterns = map[standard.IDKind]string{
	standard.IDUSCC:          `[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}`,
	standard.IDOrgCode:       `[0-9A-Z]{8}[0-9X]`,
	standard.IDCitizen:       `\d{17}[0-9X]`,
	standard.IDUSCCOrCitizen: `([0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}|\d{17}[0-9X])`,
	standard.IDIMO:           `\d{7}`,
	standard.IDMMSI:          `\d{9}`,
	standard.IDCNShip:        `CN\d{11}`,
	standard.IDRegion:        `\d{6}`,
	standard.IDPortLicense:   `（[㐀-䶿一-鿿]{1,4}）港经证（\d{3,6}）号`,
	standard.IDProjectCode:   `\d{4}-\d{6}-\d{2}-\d{2}-\d{5}[0-9A-Z]`,
}

func tableSchema(std *standard.Standard, ds *standard.Dataset) tsSchema {
	s := tsSchema{
		Name: ds.Name, Title: ds.Label, Description: datasetDescription(ds),
		Fields: []tsField{}, PrimaryKey: ds.Key, MissingValues: missingValues(std),
	}
	for _, f := range ds.Fields {
		s.Fields = append(s.Fields, schemaField(std, ds, f))
		if fk, ok := foreignKey(std, ds, f); ok {
			s.ForeignKeys = append(s.ForeignKeys, fk)
		}
	}
	return s
}

func datasetDescription(ds *standard.Dataset) string {
	parts := []string{ds.Code + " " + ds.Label}
	if len(ds.AltKey) > 0 {
		parts = append(parts, "主键字段均为空时以 "+strings.Join(ds.AltKey, "+")+" 为业务主键")
	}
	if ds.Note != "" {
		parts = append(parts, ds.Note)
	}
	return strings.Join(parts, "。")
}

// missingValues is "" plus the standard's null values, without repeats.
func missingValues(std *standard.Standard) []string {
	if len(std.Settings.NullValues) == 0 {
		return defaultMissingValues
	}
	out := []string{""}
	for _, v := range std.Settings.NullValues {
		if !contains(out, v) {
			out = append(out, v)
		}
	}
	return out
}

func contains(list []string, v string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

func schemaField(std *standard.Standard, ds *standard.Dataset, f *standard.Field) tsField {
	out := tsField{Name: f.Name, Title: f.Label, Description: fieldDescription(std, ds, f), Type: "string"}
	c := &tsConstraints{Required: f.Required == standard.Mandatory}
	switch f.Type {
	case standard.TypeDate:
		out.Type, out.Format = "date", "default"
	case standard.TypeDecimal, standard.TypeInteger:
		out.Type = "number"
		if f.Type == standard.TypeInteger {
			out.Type = "integer"
		}
		c.Minimum, c.Maximum = f.Min, f.Max
	case standard.TypeBoolean:
		out.Type, out.TrueValues, out.FalseValues = "boolean", trueValues, falseValues
	case standard.TypeCode:
		if cl := codeList(std, f.CodeList); cl != nil {
			c.Enum = codes(cl)
			break
		}
		stringConstraints(c, f)
	case standard.TypeCodes:
		if cl := codeList(std, f.CodeList); cl != nil {
			c.Pattern = codeSetPattern(cl)
			break
		}
		stringConstraints(c, f)
	default:
		stringConstraints(c, f)
	}
	if !c.empty() {
		out.Constraints = c
	}
	return out
}

// stringConstraints sets the length and pattern of a text-like field. A pattern
// the standard only warns about is left to the description.
func stringConstraints(c *tsConstraints, f *standard.Field) {
	c.MaxLength = f.Length
	switch {
	case f.Pattern != "" && f.PatternSeverity != standard.Warning:
		c.Pattern = xsdPattern(f.Pattern)
	case f.Pattern == "" && f.ID != "":
		c.Pattern = idPatterns[f.ID]
	}
}

func codes(cl *standard.CodeList) []string {
	out := make([]string, 0, len(cl.Codes))
	for _, c := range cl.Codes {
		out = append(out, c.Code)
	}
	return out
}

// codeSetPattern matches codes of the list joined by "|", with the trailing "|"
// real feeds carry: (11|12|21)(\|(11|12|21))*\|?
func codeSetPattern(cl *standard.CodeList) string {
	quoted := make([]string, 0, len(cl.Codes))
	for _, c := range cl.Codes {
		quoted = append(quoted, regexp.QuoteMeta(c.Code))
	}
	one := "(" + strings.Join(quoted, "|") + ")"
	return one + `(\|` + one + `)*\|?`
}

// fieldDescription says in Chinese what the constraints cannot: the condition
// of a conditional field, check digits, references, warning-only checks.
func fieldDescription(std *standard.Standard, ds *standard.Dataset, f *standard.Field) string {
	var parts []string
	if f.Required == standard.Conditional {
		parts = append(parts, requiredText(ds, f))
	}
	if f.ID != "" {
		parts = append(parts, name(idNames, f.ID))
		if f.IDWhen != nil {
			parts = append(parts, "仅在"+conditionText(ds, f.IDWhen)+"校验")
		}
	}
	switch f.Type {
	case standard.TypeCode, standard.TypeCodes:
		if cl := codeList(std, f.CodeList); cl != nil {
			parts = append(parts, "代码表 "+cl.ID+" "+cl.Name)
		}
		if f.Type == standard.TypeCodes {
			parts = append(parts, "多个代码用 | 分隔")
		}
	case standard.TypeDecimal:
		parts = append(parts, fmt.Sprintf("decimal(%d,%d)", f.Precision, f.Scale))
	}
	if f.Pattern != "" && f.PatternSeverity == standard.Warning {
		parts = append(parts, "应符合格式 "+xsdPattern(f.Pattern)+"（不符时仅警告）")
	}
	if f.MinExclusive && f.Min != nil {
		parts = append(parts, rangeText(f))
	}
	if r := refText(std, f); r != "" {
		parts = append(parts, r)
	}
	if r := existenceRule(std, ds, f); r != nil && r.On() {
		parts = append(parts, "须在被参照数据中存在（"+r.ID+"，"+name(severityNames, r.Severity)+"）")
	}
	if f.Note != "" {
		parts = append(parts, f.Note)
	}
	return strings.Join(parts, "；")
}

// existenceRules are the rules that reject a row whose reference is not found
// (standard.md §6): the referencing dataset and field. Their logic lives in
// package validate, keyed by rule id; this list only says which field each
// one is about, so that the schema's foreign keys mean what the engine checks.
var existenceRules = []struct{ rule, dataset, field string }{
	{"REL-01", "D03", "operator_license_no"},
	{"REL-10", "D03", "ship_id"},
	{"REL-13", "D03", "manager_license_no"},
	{"REL-15", "D09", "port_license_no"},
	{"REL-18", "D08", "holder_uscc"},
}

// existenceRule returns the rule that checks that the field's reference exists, or nil.
func existenceRule(std *standard.Standard, ds *standard.Dataset, f *standard.Field) *standard.Rule {
	for _, e := range existenceRules {
		if e.dataset == ds.Code && e.field == f.Name {
			for _, r := range std.Rules {
				if r.ID == e.rule {
					return r
				}
			}
		}
	}
	return nil
}

// foreignKey returns the foreign key of a field whose reference must exist: an
// existence rule is switched on with severity error, and the ref names the whole
// single-field key of another dataset. Table Schema foreign keys are hard
// errors, so a warning-only rule (REL-10 in v1) is described, not declared.
func foreignKey(std *standard.Standard, ds *standard.Dataset, f *standard.Field) (tsForeignKey, bool) {
	r := existenceRule(std, ds, f)
	if f.Ref == "" || r == nil || !r.On() || r.Severity != standard.Error {
		return tsForeignKey{}, false
	}
	target, tf := resolveRef(std, f.Ref)
	if target == nil || tf == nil || target == ds || len(target.Key) != 1 || target.Key[0] != tf.Name {
		return tsForeignKey{}, false
	}
	return tsForeignKey{
		Fields:    []string{f.Name},
		Reference: tsReference{Resource: target.Name, Fields: []string{tf.Name}},
	}, true
}

// hanRange is \p{Han} as a character range that XML Schema, Python and
// JavaScript all read (CJK Extension A and the Unified Ideographs block).
const hanRange = "㐀-䶿一-鿿"

// hexEscape is Go's \x{3000} or \x41, which XML Schema does not have.
var hexEscape = regexp.MustCompile(`^\\x(\{[0-9A-Fa-f]+\}|[0-9A-Fa-f]{2})`)

// xsdPattern turns one of the standard's Go patterns into XML Schema syntax,
// which Table Schema requires: anchors dropped (XML Schema patterns always
// match the whole value), (?: groups made plain groups, \p{Han} spelled as a
// range, \x escapes written as the character itself. A top-level alternation
// is wrapped in a group so that tools which add ^ and $ themselves read it
// right. Other syntax is shared by both dialects in the standard's patterns.
func xsdPattern(p string) string {
	p = strings.TrimPrefix(p, "^")
	if strings.HasSuffix(p, "$") && !strings.HasSuffix(p, `\$`) {
		p = strings.TrimSuffix(p, "$")
	}
	var b strings.Builder
	inClass, depth, topAlt := false, 0, false
	for i := 0; i < len(p); i++ {
		switch {
		case strings.HasPrefix(p[i:], `\p{Han}`):
			if inClass {
				b.WriteString(hanRange)
			} else {
				b.WriteString("[" + hanRange + "]")
			}
			i += len(`\p{Han}`) - 1
		case hexEscape.MatchString(p[i:]):
			m := hexEscape.FindStringSubmatch(p[i:])
			b.WriteString(hexChar(strings.Trim(m[1], "{}")))
			i += len(m[0]) - 1
		case p[i] == '\\' && i+1 < len(p):
			b.WriteString(p[i : i+2])
			i++
		case !inClass && strings.HasPrefix(p[i:], "(?:"):
			b.WriteByte('(')
			depth++
			i += 2
		default:
			switch c := p[i]; {
			case c == '[':
				inClass = true
			case c == ']':
				inClass = false
			case inClass:
			case c == '(':
				depth++
			case c == ')':
				depth--
			case c == '|' && depth == 0:
				topAlt = true
			}
			b.WriteByte(p[i])
		}
	}
	if topAlt {
		return "(" + b.String() + ")"
	}
	return b.String()
}

// hexChar writes the character of a hex code, escaped if it is a regexp metacharacter.
func hexChar(hex string) string {
	n, err := strconv.ParseUint(hex, 16, 32)
	if err != nil {
		return `\x` + hex
	}
	s := string(rune(n))
	if strings.ContainsAny(s, `\.+*?()|[]{}^$-`) {
		return `\` + s
	}
	return s
}
