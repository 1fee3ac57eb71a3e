package report

import (
	"encoding/json"
	"fmt"
	"io"
	"maps"

	"shuiyun/internal/validate"
)

// WriteJSON writes the report in its contract form (contracts.md §3), indented
// by two spaces. files, every file's findings and summary.by_rule are written
// as empty arrays and objects, never null, so scripts can iterate them without
// checks. The report is not changed.
func WriteJSON(w io.Writer, r *validate.Report) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	// Not embedded in HTML: keep < > & readable in values.
	enc.SetEscapeHTML(false)
	if err := enc.Encode(jsonForm(r)); err != nil {
		return fmt.Errorf("write JSON report: %w", err)
	}
	return nil
}

// jsonForm is a shallow copy of r with nil slices and maps made empty.
func jsonForm(r *validate.Report) *validate.Report {
	out := *r
	out.Files = make([]*validate.File, len(r.Files))
	for i, f := range r.Files {
		g := *f
		if g.Findings == nil {
			g.Findings = []validate.Finding{}
		}
		out.Files[i] = &g
	}
	out.Summary.ByRule = maps.Clone(r.Summary.ByRule)
	if out.Summary.ByRule == nil {
		out.Summary.ByRule = map[string]int{}
	}
	return &out
}
