// Package standard holds the data standard that every agency's data is checked
// against: datasets and their fields, code lists, identifier kinds, rules with
// their severities and switches, and the GB/T 2260 region table.
//
// The standard is data, not code: it is read from YAML (embedded in the binary,
// or an operator's edited copy) so that a severity change or a new code needs
// no release. The rule logic itself lives in package validate, keyed by rule id.
package standard

// FieldType is the value type of a field (standard.md §2 "Field type vocabulary").
type FieldType string

const (
	TypeString  FieldType = "string"  // free text up to Length characters
	TypeCode    FieldType = "code"    // one code of CodeList (or its exact Chinese name)
	TypeCodes   FieldType = "codes"   // a "|"-separated set of codes of CodeList
	TypeDate    FieldType = "date"    // a calendar date, stored YYYY-MM-DD
	TypeDecimal FieldType = "decimal" // decimal(Precision, Scale)
	TypeInteger FieldType = "integer" // a whole number
	TypeBoolean FieldType = "boolean" // stored 1/0
	TypeID      FieldType = "id"      // an identifier checked by the algorithm named in ID
)

// IDKind names an identifier algorithm of standard.md §3.
type IDKind string

const (
	IDUSCC          IDKind = "USCC"            // 统一社会信用代码 §3.1 (rule ID-USCC)
	IDOrgCode       IDKind = "ORGCODE"         // 组织机构代码 §3.2 (rule ID-ORGCODE)
	IDCitizen       IDKind = "CITIZEN"         // 公民身份号码 §3.3 (rule ID-CITIZEN)
	IDUSCCOrCitizen IDKind = "USCC_OR_CITIZEN" // either of the above, chosen by length/shape
	IDIMO           IDKind = "IMO"             // §3.4 (rule ID-IMO)
	IDMMSI          IDKind = "MMSI"            // §3.5 (rule ID-MMSI)
	IDCNShip        IDKind = "CNSHIP"          // 船舶识别号 §3.6 (rule ID-CNSHIP)
	IDRegion        IDKind = "REGION"          // GB/T 2260 code §3.9 (rule ID-REGION)
	IDPortLicense   IDKind = "PORTLICENSE"     // 港口经营许可证编号 §3.10 (rule FMT-PATTERN)
	IDProjectCode   IDKind = "PROJECTCODE"     // 投资项目代码 §3.12 (rule FMT-PATTERN)
)

// Requirement says whether a field must be filled: mandatory, conditional or optional.
type Requirement string

const (
	Mandatory   Requirement = "M"
	Conditional Requirement = "C" // mandatory while Field.When holds
	Optional    Requirement = "O"
)

// Severity of a finding: an error rejects the row, a warning only reports it.
type Severity string

const (
	Error   Severity = "error"
	Warning Severity = "warning"
)

// Category of a rule (contracts.md §3).
type Category string

const (
	Structure    Category = "structure"
	Completeness Category = "completeness"
	Normativity  Category = "normativity"
	Relational   Category = "relational"
)

// Sharing is a field's sharing class (contracts.md §5, standard.md §8a.12).
type Sharing string

const (
	Shareable   Sharing = "shareable"   // visible to every agency
	SharedOwner Sharing = "conditional" // the owner and the ministry only
	NotShared   Sharing = "not_shared"  // personal data: masked for other agencies
)

// Standard is one version of the data standard.
type Standard struct {
	Version   string      `yaml:"version"` // "1.0"
	Title     string      `yaml:"title"`
	Source    string      `yaml:"source,omitempty"` // where the text comes from
	Datasets  []*Dataset  `yaml:"datasets"`
	CodeLists []*CodeList `yaml:"code_lists"`
	Rules     []*Rule     `yaml:"rules"`
	Settings  Settings    `yaml:"settings"`

	// RegionsFile names a GB/T 2260 table (TSV, relative to the YAML file) to use
	// instead of the embedded one.
	RegionsFile string `yaml:"regions,omitempty"`

	// Regions is the GB/T 2260 table. Loaded from the regions file, not the YAML.
	Regions *Regions `yaml:"-"`

	// Path is the file the standard was read from ("embedded:standard.yaml" for the built-in one).
	Path string `yaml:"-"`

	datasets  map[string]*Dataset // by name, code and normalised Chinese label
	codeLists map[string]*CodeList
	rules     map[string]*Rule
}

// KeySep joins the values of a composite business key (vessel_survey:
// ship_id, cert_type, cert_no) into one key: a control character, not met
// in certificate types and numbers, and not NUL, which PostgreSQL's text
// cannot hold (the separator before: no composite key could be stored
// there). Nothing rejects it inside a value yet, where it would make two
// keys alike.
const KeySep = "\x1f"

// Dataset is one table of the catalogue (standard.md §5).
type Dataset struct {
	Code      string   `yaml:"code"`                // D03
	Name      string   `yaml:"name"`                // vessel_operating_certificate
	Label     string   `yaml:"label"`               // 营运船舶（船舶营业运输证）
	Reference bool     `yaml:"reference,omitempty"` // fed by maritime/ship-survey systems (D11, D12)
	Key       []string `yaml:"key"`                 // business key fields
	AltKey    []string `yaml:"alt_key,omitempty"`   // the key used when every Key field is empty (D10)
	Fields    []*Field `yaml:"fields"`
	Note      string   `yaml:"note,omitempty"`

	Line   int            `yaml:"-"` // line in the YAML file, for error messages
	fields map[string]int // field name and normalised label → index in Fields
}

// Field is one column of a dataset.
type Field struct {
	Name   string    `yaml:"name"`  // ship_id
	Label  string    `yaml:"label"` // 船舶识别号
	Type   FieldType `yaml:"type"`
	Length int       `yaml:"length,omitempty"` // max characters (string, id, code when free)
	// Precision and Scale of a decimal(p,s): at most p digits, at most s after the point.
	Precision int `yaml:"precision,omitempty"`
	Scale     int `yaml:"scale,omitempty"`
	// ID names the identifier algorithm checked on the value (Type id, or a string/code with an ID check).
	ID IDKind `yaml:"id,omitempty"`
	// IDWhen restricts the identifier check to rows where it holds (D01.id_no is a citizen ID only when id_type = 1).
	IDWhen *Condition `yaml:"id_when,omitempty"`
	// Pattern is a regular expression the whole value must match (FMT-PATTERN).
	Pattern string `yaml:"pattern,omitempty"`
	// PatternText says the pattern in Chinese for messages ("12 位数字").
	PatternText string `yaml:"pattern_text,omitempty"`
	// PatternSeverity overrides the FMT-PATTERN severity for this field (warning for 船检登记号).
	PatternSeverity Severity `yaml:"pattern_severity,omitempty"`
	// Min and Max bound a numeric value (FMT-RANGE); MinExclusive makes Min a strict bound (GT > 0).
	Min          *float64    `yaml:"min,omitempty"`
	Max          *float64    `yaml:"max,omitempty"`
	MinExclusive bool        `yaml:"min_exclusive,omitempty"`
	Required     Requirement `yaml:"required"`
	// When is the condition under which a Conditional field is mandatory (REQ-COND).
	When     *Condition `yaml:"when,omitempty"`
	CodeList string     `yaml:"code_list,omitempty"` // C04
	// Ref documents the field this one refers to ("waterway_transport_license.license_no");
	// the REL rules that check it are in package validate.
	Ref     string  `yaml:"ref,omitempty"`
	Sharing Sharing `yaml:"sharing,omitempty"` // default shareable
	Note    string  `yaml:"note,omitempty"`

	Line int `yaml:"-"`
}

// Op is a condition operator.
type Op string

const (
	OpIn         Op = "in"         // the field's (normalised) value is one of Values
	OpNotIn      Op = "not_in"     // the field is empty or its value is none of Values
	OpPresent    Op = "present"    // the field is not null
	OpAbsent     Op = "absent"     // the field is null
	OpIntersects Op = "intersects" // a code set field shares at least one code with Values
	OpGTE        Op = "gte"        // the field is present and ≥ Values[0] (dates and codes compare as strings)
)

// Condition is a test on another field of the same row.
type Condition struct {
	Field  string   `yaml:"field"`
	Op     Op       `yaml:"op"`
	Values []string `yaml:"values,omitempty"`
	// Text says the condition in Chinese for messages and docs ("状态为撤销、吊销或注销时").
	Text string `yaml:"text,omitempty"`
}

// CodeList is a list of codes (standard.md §4).
type CodeList struct {
	ID    string `yaml:"id"`   // C04
	Name  string `yaml:"name"` // 证照状态
	Note  string `yaml:"note,omitempty"`
	Codes []Code `yaml:"codes"`

	Line   int            `yaml:"-"`
	lookup map[string]int // code, Chinese name and aliases → index in Codes
}

// Code is one entry of a code list.
type Code struct {
	Code string `yaml:"code"`
	Name string `yaml:"name"`
	// Aliases are further spellings accepted on input and normalised to Code (C06 ship type names).
	Aliases []string `yaml:"aliases,omitempty"`
	// Parent is the item code a sub-code implies (C03: 3001 implies 3000).
	Parent string `yaml:"parent,omitempty"`
}

// Rule is one check with its id, category, severity and switch. Field-level checks
// (REQ, FMT-*, CODE, ID-*) and batch checks (UNIQUE, REL-*) are all listed.
type Rule struct {
	ID       string   `yaml:"id"` // REL-01
	Category Category `yaml:"category"`
	Severity Severity `yaml:"severity"`
	// Enabled switches the rule off when false. Default true.
	Enabled *bool `yaml:"enabled,omitempty"`
	// Parts overrides Severity for named parts of a rule that has two (REL-17, REL-25, DAT-08, ID-USCC).
	Parts map[string]Severity `yaml:"parts,omitempty"`
	// Datasets the rule is reported on (empty for field-level rules).
	Datasets []string `yaml:"datasets,omitempty"`
	Title    string   `yaml:"title"`          // Chinese, one line
	Text     string   `yaml:"text,omitempty"` // the rule in full (Chinese)
	Tag      string   `yaml:"tag,omitempty"`  // V, O or R (standard.md tagging)

	Line int `yaml:"-"`
}

// Settings are the standard's tunable decisions (standard.md §8a).
type Settings struct {
	// NullValues are cell values read as "no value" after trimming (DAT-09).
	NullValues []string `yaml:"null_values"`
	// Jurisdictions lists the provinces each river administration may submit for (REL-21).
	Jurisdictions map[string][]string `yaml:"jurisdictions"`
	// GraceDays after a licence's cancellation before its certificates must be cancelled (REL-03, REL-24).
	GraceDays int `yaml:"grace_days"`
	// D02MaxYears bounds a waterway transport licence's validity (DAT-05).
	D02MaxYears int `yaml:"d02_max_years"`
	// D08MaxYearsBefore / D08MaxYearsFrom bound a port licence's validity before and from D08RuleChange (DAT-04).
	D08MaxYearsBefore int    `yaml:"d08_max_years_before"`
	D08MaxYearsFrom   int    `yaml:"d08_max_years_from"`
	D08RuleChange     string `yaml:"d08_rule_change"` // 2020-01-01
	// TrialMaxMonths bounds a trial-operation port licence (DAT-04).
	TrialMaxMonths int `yaml:"trial_max_months"`
	// TonnageTolerance is the relative gross-tonnage difference REL-11 tolerates (0.01).
	TonnageTolerance float64 `yaml:"tonnage_tolerance"`
	// InvestmentOverrun is the factor of total investment completed investment may reach (DAT-08, 1.2).
	InvestmentOverrun float64 `yaml:"investment_overrun"`
	// ShrinkGuard is the share of a sender's records a full package may withdraw before it is held (0.2).
	ShrinkGuard float64 `yaml:"shrink_guard"`
}

// Region is one GB/T 2260 code.
type Region struct {
	Code     string // 6 digits
	Name     string // 江苏省 / 南京市 / 玄武区
	Province string // the province's code (xx0000)
	// Retired is the date (YYYY-MM-DD) from which the code is no longer in use; "" while current.
	Retired string
}

// Regions is the GB/T 2260 table, with the province abbreviations of §3.9.
type Regions struct {
	Source string // where the table comes from
	Date   string // the date of the table
	codes  map[string]*Region
	// abbr maps a province code to its one-character abbreviations (first is the usual one).
	abbr map[string][]string
}
