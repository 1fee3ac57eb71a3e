package validate

// Report is the validation report of contracts.md §3. Its JSON form is a contract.
type Report struct {
	Standard string    `json:"standard"`
	Valid    bool      `json:"valid"`
	AsOf     string    `json:"as_of"`
	Files    []*File   `json:"files"`
	Skipped  []Skipped `json:"skipped,omitempty"`
	Summary  Summary   `json:"summary"`
}

// File is the part of a report about one table: a CSV or JSONL file, or one XLSX sheet.
type File struct {
	Path      string    `json:"path"`
	Sheet     string    `json:"sheet,omitempty"`
	Dataset   string    `json:"dataset"`
	Encoding  string    `json:"encoding,omitempty"`
	Rows      int       `json:"rows"`
	ErrorRows int       `json:"error_rows"`
	Findings  []Finding `json:"findings"`
	// Truncated counts findings left out of Findings (Options.MaxFindings); they
	// are in the summary's counts. Omitted when nothing was left out.
	Truncated int `json:"truncated,omitempty"`
	// Header maps column index to field name ("" for an unknown column); used by
	// the annotated-workbook writer to find the cell of a finding. Not in JSON.
	Header []string `json:"-"`
	// HeaderRow is the row number of the header in the table. Not in JSON.
	HeaderRow int `json:"-"`

	errRows   bitset   // rows with an error finding, kept or not
	rejectAll bool     // no row can be accepted (a mandatory column is missing)
	spool     []string // the table's normalised rows, a file per partition (Options.Spool)
}

// Rejected reports whether row n has at least one error finding, including
// findings beyond Options.MaxFindings: the hub stores only rows where it is false.
func (f *File) Rejected(n int) bool {
	return f.rejectAll || f.errRows.has(n)
}

// Finding is one rule failing on one row and field.
type Finding struct {
	Row      int    `json:"row"`
	Field    string `json:"field"`
	Rule     string `json:"rule"`
	Category string `json:"category"`
	Severity string `json:"severity"`
	Value    string `json:"value"`
	Message  string `json:"message"`
}

// Skipped is a rule that could not run for lack of the data it needs.
type Skipped struct {
	Rule   string `json:"rule"`
	Reason string `json:"reason"`
}

// Summary totals a report.
type Summary struct {
	Files     int            `json:"files"`
	Rows      int            `json:"rows"`
	ErrorRows int            `json:"error_rows"`
	Errors    int            `json:"errors"`
	Warnings  int            `json:"warnings"`
	ByRule    map[string]int `json:"by_rule"`
}
