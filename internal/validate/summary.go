package validate

import (
	"fmt"
	"sort"

	"shuiyun/internal/standard"
)

func sortStable[T any](s []T, less func(a, b T) bool) {
	sort.SliceStable(s, func(i, j int) bool { return less(s[i], s[j]) })
}

// report assembles the Report from the runs, in argument order.
func (c *checker) report(b *batch, runs []*tableRun) *Report {
	r := &Report{Standard: c.std.Version, AsOf: c.asOfText, Files: []*File{},
		Summary: Summary{ByRule: map[string]int{}}}
	for _, t := range runs {
		f := t.file
		f.Rows = t.rows
		t.sortFindings()
		t.truncate(c.maxFindings)
		for _, fd := range f.Findings {
			r.Summary.ByRule[fd.Rule]++
			if fd.Severity == string(standard.Error) {
				r.Summary.Errors++
				if fd.Row > 0 {
					t.tally.errRows.set(fd.Row)
				}
			} else {
				r.Summary.Warnings++
			}
		}
		for rule, n := range t.tally.dropped {
			r.Summary.ByRule[rule] += n
			f.Truncated += n
		}
		r.Summary.Errors += t.tally.dropErr
		r.Summary.Warnings += t.tally.dropWarn
		f.ErrorRows = t.tally.errRows.count()
		f.errRows, f.rejectAll = t.tally.errRows, t.rejectAll
		if t.rejectAll {
			f.ErrorRows = f.Rows
		}
		if f.Findings == nil {
			f.Findings = []Finding{}
		}
		r.Files = append(r.Files, f)
		r.Summary.Rows += f.Rows
		r.Summary.ErrorRows += f.ErrorRows
	}
	r.Summary.Files = len(r.Files)
	r.Skipped = c.skipped(b)
	r.Valid = r.Summary.Errors == 0
	return r
}

// truncate keeps the first max findings of the table (by row), counting the rest.
func (t *tableRun) truncate(max int) {
	if max <= 0 || len(t.file.Findings) <= max {
		return
	}
	for _, fd := range t.file.Findings[max:] {
		t.tally.drop(fd.Rule, standard.Severity(fd.Severity))
	}
	t.file.Findings = t.file.Findings[:max:max]
}

// sortFindings orders a table's findings by row, then by the field's place in the dataset.
func (t *tableRun) sortFindings() {
	order := map[string]int{}
	if t.plan != nil {
		for i, f := range t.plan.ds.Fields {
			order[f.Name] = i + 1
		}
	}
	sortStable(t.file.Findings, func(a, b Finding) bool {
		if a.Row != b.Row {
			return a.Row < b.Row
		}
		return order[a.Field] < order[b.Field]
	})
}

// needs lists, per rule, the dataset it is reported on and the data it needs.
var needs = []struct {
	rules   []string
	on      string
	needs   string
	missing string
}{
	{[]string{"REL-01", "REL-02", "REL-03", "REL-04", "REL-05", "REL-07", "REL-24"}, "vessel_operating_certificate", "waterway_transport_license", ""},
	{[]string{"REL-10", "REL-11"}, "vessel_operating_certificate", "msa_vessel_registration", ""},
	{[]string{"REL-13"}, "vessel_operating_certificate", "ship_management_license", ""},
	{[]string{"REL-14"}, "vessel_operating_certificate", "vessel_survey", ""},
	{[]string{"REL-15", "REL-16", "REL-17"}, "port_dg_annex", "port_operation_license", ""},
	{[]string{"REL-18"}, "port_operation_license", "port_operator", ""},
}

// skipped lists the rules that could not run for lack of data (contracts.md §3).
func (c *checker) skipped(b *batch) []Skipped {
	var out []Skipped
	add := func(rule, reason string) {
		if c.std.Rule(rule).On() {
			out = append(out, Skipped{Rule: rule, Reason: reason})
		}
	}
	for _, n := range needs {
		if !b.have[n.on] || b.have[n.needs] {
			continue
		}
		for _, rule := range n.rules {
			add(rule, fmt.Sprintf("no %s data", n.needs))
		}
	}
	if b.have["vessel_operating_certificate"] && !b.have["waterway_transport_license"] {
		add("REL-06", "no waterway_transport_license data (licence scope part)")
	}
	if len(b.have) > 0 {
		c.skippedJurisdiction(b, add)
		if !c.repository {
			add("REL-26", "needs the national repository (checked at the hub)")
		}
	}
	return out
}

func (c *checker) skippedJurisdiction(b *batch, add func(rule, reason string)) {
	regional := false
	for name := range regionField {
		regional = regional || b.have[name]
	}
	if !regional {
		return
	}
	switch {
	case c.submitter == "":
		add("REL-20", "no --submitter")
		add("REL-21", "no --submitter")
	case isProvince(c.submitter):
		add("REL-21", "--submitter is not CJ0000 or ZJ0000")
	case isRiverAdmin(c.submitter):
		add("REL-20", "--submitter is not a province")
	}
	if b.have["waterway_construction_project"] && !isProvince(c.submitter) {
		add("REL-25", "region part needs a province --submitter (project code part checked)")
	}
}
