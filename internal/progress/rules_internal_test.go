package progress

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"shuiyun/internal/standard"
	"shuiyun/internal/store"
)

// TestRulesOn: the rules in force on a day are the standard's overridden by
// the latest entry of each rule effective on or before it; the derived
// standards the engine runs with follow them.
func TestRulesOn(t *testing.T) {
	std, err := standard.Default()
	if err != nil {
		t.Fatal(err)
	}
	schedule := []store.RuleChange{ // as the store lists them: by date, then entry
		{ID: 1, Rule: "REL-22", Effective: "2026-11-10", Enabled: true, Severity: "error"},
		{ID: 3, Rule: "REQ", Effective: "2026-11-15", Enabled: true, Severity: "warning"},
		{ID: 2, Rule: "REL-22", Effective: "2026-11-20", Enabled: false, Severity: "error"},
		{ID: 4, Rule: "REL-22", Effective: "2026-11-20", Enabled: true, Severity: "warning"},
	}
	type inForce struct {
		REL22on  bool
		REL22sev standard.Severity
		REQsev   standard.Severity
	}
	want := map[string]inForce{
		"2026-11-09": {true, standard.Warning, standard.Error},
		"2026-11-10": {true, standard.Error, standard.Error},
		"2026-11-15": {true, standard.Error, standard.Warning},
		"2026-11-20": {true, standard.Warning, standard.Warning}, // entry 4 after entry 2 on the same day
	}
	versions := map[string]string{}
	for day, w := range want {
		rs := rulesOn(std, schedule, MustDay(day))
		got := inForce{rs.On("REL-22"), rs.Severity("REL-22"), rs.Severity("REQ")}
		if diff := cmp.Diff(w, got); diff != "" {
			t.Errorf("%s (-want +got):\n%s", day, diff)
		}
		versions[day] = rs.Version
	}
	if versions["2026-11-09"] == versions["2026-11-10"] || versions["2026-11-10"] == versions["2026-11-15"] {
		t.Errorf("different rules share a version: %v", versions)
	}
	if versions["2026-11-20"] != rulesOn(std, schedule, MustDay("2026-12-31")).Version || versions["2026-11-09"] != rulesOn(std, nil, 0).Version {
		t.Error("the same rules must keep the same version")
	}

	rs := rulesOn(std, schedule, MustDay("2026-11-10"))
	state, err := rs.standardFor(true)
	if err != nil {
		t.Fatal(err)
	}
	fields, err := rs.standardFor(false)
	if err != nil {
		t.Fatal(err)
	}
	on := func(s *standard.Standard, id string) bool { return s.Rule(id).On() }
	checks := []struct {
		id            string
		state, fields bool
	}{
		{"REQ", true, true},
		{"FMT-PATTERN", true, true},
		{"REL-22", true, false}, // an error from 11-10
		{"REL-01", true, false},
		{"UNIQUE", false, false}, // batch-only
		{"REL-26", false, false},
		{"DAT-02", false, false}, // a warning on its own: changes no figure
		{"REL-11", false, false},
		{"DAT-01", true, true},
	}
	for _, c := range checks {
		if on(state, c.id) != c.state || on(fields, c.id) != c.fields {
			t.Errorf("%s: on in state %v, fields %v; want %v, %v", c.id, on(state, c.id), on(fields, c.id), c.state, c.fields)
		}
	}
	if state.Rule("REL-22").Severity != standard.Error || len(state.Datasets) != len(std.Datasets) || state.Regions != std.Regions {
		t.Error("the derived standard lost its datasets, regions or severities")
	}
	if std.Rule("REL-22").Severity != standard.Warning || !std.Rule("UNIQUE").On() {
		t.Error("deriving changed the standard itself")
	}
}

// TestStandardOn: the standard ingest would check a day's packages with.
func TestStandardOn(t *testing.T) {
	std, err := standard.Default()
	if err != nil {
		t.Fatal(err)
	}
	schedule := []store.RuleChange{{ID: 1, Rule: "REL-22", Effective: "2026-11-10", Enabled: true, Severity: "error"}}
	before, err := StandardOn(std, schedule, MustDay("2026-11-09"))
	if err != nil || before != std {
		t.Errorf("before any change: %p, %v; want the standard itself", before, err)
	}
	after, err := StandardOn(std, schedule, MustDay("2026-11-10"))
	if err != nil {
		t.Fatal(err)
	}
	if after.Rule("REL-22").Severity != standard.Error || !after.Rule("UNIQUE").On() || !after.Rule("DAT-02").On() {
		t.Error("the day's standard must have REL-22 as an error and every other rule as it was")
	}
}
