package standard

import "fmt"

// KnownRules lists every rule id the validation engine implements (contracts.md §3),
// in report order. A standard must configure each of them exactly once; a rule is
// switched off with `enabled: false`, never by leaving it out.
var KnownRules = knownRules()

// KnownParts names the parts of a rule that may carry their own severity
// (Rule.Parts), as the engine reports them.
var KnownParts = map[string][]string{
	"FILE-DATASET": {"sheet"},        // an XLSX sheet that matches no dataset
	"ID-USCC":      {"orgcode"},      // the embedded organisation code fails GB 11714
	"ID-REGION":    {"retired"},      // a code retired before the record's date
	"REL-17":       {"dg_operation"}, // D07.dg_operation is not true
	"REL-25":       {"project_code"}, // the project code's region part
	"DAT-08":       {"investment"},   // completed investment above the overrun factor
}

func knownRules() []string {
	ids := []string{
		"FILE-ENCODING", "FILE-DATASET", "FILE-HEADER-MISSING", "FILE-HEADER-UNKNOWN",
		"FILE-HEADER-DUPLICATE", "FILE-ROW-SHAPE",
		"REQ", "REQ-COND",
		"FMT-DATE", "FMT-INT", "FMT-DEC", "FMT-BOOL", "FMT-LEN", "FMT-PATTERN", "FMT-RANGE", "FMT-EXCEL",
		"CODE",
		"ID-USCC", "ID-CITIZEN", "ID-ORGCODE", "ID-IMO", "ID-MMSI", "ID-CNSHIP", "ID-REGION",
		"UNIQUE",
	}
	for i := 1; i <= 26; i++ {
		ids = append(ids, fmt.Sprintf("REL-%02d", i))
	}
	for i := 1; i <= 9; i++ {
		ids = append(ids, fmt.Sprintf("DAT-%02d", i))
	}
	return ids
}

// RuleCategory returns the category contracts.md §3 fixes for a rule id, or "" for
// an unknown id.
func RuleCategory(id string) Category {
	if !knownRuleSet[id] {
		return ""
	}
	switch {
	case len(id) > 5 && id[:5] == "FILE-":
		return Structure
	case id == "REQ" || id == "REQ-COND" || id == "DAT-09":
		return Completeness
	case id == "UNIQUE" || id[:4] == "REL-":
		return Relational
	}
	return Normativity
}

var knownRuleSet = func() map[string]bool {
	m := map[string]bool{}
	for _, id := range KnownRules {
		m[id] = true
	}
	return m
}()
