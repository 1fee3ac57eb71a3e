package progress_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"shuiyun/internal/store"
)

const (
	d02 = "waterway_transport_license"
	d03 = "vessel_operating_certificate"
)

// relationalScenario: 江苏 sends licences and certificates; one certificate
// names a licence that does not exist (REL-01). The next day it withdraws
// licence XK000002, which five stored certificates and one new one name.
func relationalScenario(f *fixture) {
	f.only(d03)
	var certs []row
	for i := range 9 {
		set := map[string]string(nil)
		if i == 0 {
			set = map[string]string{"operator_license_no": "交苏XK000099"}
		}
		certs = append(certs, row{values: f.record(js, d03, i, set)})
	}
	f.at("2026-11-02", "09:00")
	f.send(js, 1,
		file{dataset: d02, rows: []row{{values: f.record(js, d02, 0, nil)}, {values: f.record(js, d02, 1, nil)}, {values: f.record(js, d02, 3, nil)}}},
		file{dataset: d03, rows: certs})
	f.at("2026-11-03", "10:00")
	f.send(js, 2,
		file{dataset: d02, rows: []row{{values: f.record(js, d02, 1, nil), del: true}}},
		file{dataset: d03, rows: []row{
			{values: f.record(js, d03, 9, map[string]string{"operator_license_no": "交苏XK000002"})},
			{values: f.record(js, d03, 10, nil)},
		}})
	f.at("2026-11-04", "09:00")
}

func relFigures(t *testing.T, s *store.Store) map[string][2]int {
	t.Helper()
	list, err := s.Days(t.Context(), store.DayFilter{From: "2026-11-02", To: "2026-11-03", Agency: js, Dataset: d03})
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][2]int{}
	for _, d := range list {
		out[d.Day] = [2]int{d.Live, d.Relational}
	}
	return out
}

// TestRelational: relational rules run against the repository's state. Day
// by day (the hub's way), a version is checked against the state at the end
// of the first day it is live, once: on 11-03 the new certificate naming the
// withdrawn licence fails, the five stored before do not. One sweep over
// both days checks every version live at the end of 11-03 against that day's
// state (doc.go, "Relational rules").
func TestRelational(t *testing.T) {
	backends(t, func(t *testing.T, open func() *store.Store) {
		daily := newFixture(t, open())
		relationalScenario(daily)
		daily.compute("2026-11-02")
		daily.compute("2026-11-03")
		want := map[string][2]int{"2026-11-02": {9, 8}, "2026-11-03": {11, 9}}
		if diff := cmp.Diff(want, relFigures(t, daily.s)); diff != "" {
			t.Errorf("day by day: [live, relational ok] (-want +got):\n%s", diff)
		}
		sweep := newFixture(t, open())
		relationalScenario(sweep)
		sweep.compute("2026-11-03")
		want = map[string][2]int{"2026-11-02": {9, 3}, "2026-11-03": {11, 4}}
		if diff := cmp.Diff(want, relFigures(t, sweep.s)); diff != "" {
			t.Errorf("one sweep: [live, relational ok] (-want +got):\n%s", diff)
		}
	})
}
