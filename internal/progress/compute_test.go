package progress_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"shuiyun/internal/progress"
	"shuiyun/internal/store"
)

const (
	js = "320000" // 江苏
	zj = "330000" // 浙江
	ah = "340000" // 安徽
	so = "shipping_operator"
)

// scenario stores three days of packages with known defects and delays:
//
//	11-02 江苏 09:00 seq 1: A1 clean, A2 without legal_rep (REQ), A3 with a
//	      letter in its postcode (FMT-PATTERN), A4 clean; A5 rejected (ID-USCC).
//	      浙江 19:30 seq 1 (late): B1 clean, B2 registered in 江苏 (REL-22,
//	      a warning); a row rejected with no readable key.
//	11-03 江苏 17:59 seq 2: A2 completed, A5 sent again (fixes its rejection).
//	      浙江 10:00 seq 3 (seq 2 never comes): B1 withdrawn — a clean
//	      resubmission, which closes the keyless rejection.
//	      安徽 18:00:00 seq 1 (on time to the second): C0.
//	11-04 安徽 23:00 seq 2 (late): C1. 江苏 and 浙江 send nothing.
func scenario(f *fixture) {
	f.only(so)
	a2 := f.record(js, so, 1, nil)
	f.at("2026-11-02", "09:00")
	f.send(js, 1, file{dataset: so, rows: []row{
		{values: f.record(js, so, 0, nil)},
		{values: f.record(js, so, 1, map[string]string{"legal_rep": ""})},
		{values: f.record(js, so, 2, map[string]string{"postcode": "21206X"})},
		{values: f.record(js, so, 3, nil)},
	}, rejected: []store.RejectedRow{{Row: 6, Key: keyOf(f.std.Dataset(so), f.record(js, so, 4, nil)), Rules: []string{"ID-USCC"}}}})
	f.at("2026-11-02", "19:30")
	f.send(zj, 1, file{dataset: so, rows: []row{
		{values: f.record(zj, so, 0, nil)},
		{values: f.record(zj, so, 1, map[string]string{"reg_region_code": "320904", "address": "江苏省盐城市大丰区航运路266号"})},
	}, rejected: []store.RejectedRow{{Row: 4, Rules: []string{"REQ"}}}})

	f.at("2026-11-03", "17:59")
	f.send(js, 2, file{dataset: so, rows: []row{{values: a2}, {values: f.record(js, so, 4, nil)}}})
	f.at("2026-11-03", "10:00")
	f.send(zj, 3, file{dataset: so, rows: []row{{values: f.record(zj, so, 0, nil), del: true}}})
	f.at("2026-11-03", "18:00:00")
	f.send(ah, 1, file{dataset: so, rows: []row{{values: f.record(ah, so, 0, nil)}}})

	f.at("2026-11-04", "23:00")
	f.send(ah, 2, file{dataset: so, rows: []row{{values: f.record(ah, so, 1, nil)}}})
	f.at("2026-11-05", "09:00")
}

// fig is the part of a day's figures a test states.
type fig struct {
	Status                              string
	First                               string // HH:MM:SS Beijing
	Deliveries                          int
	Live, Complete, Conform, Relational int
	Rejected, Backlog, Fixed            int
	FixMedian                           time.Duration
}

func figOf(d store.DayFigures) fig {
	first := ""
	if !d.FirstAt.IsZero() {
		first = d.FirstAt.In(beijing).Format("15:04:05")
	}
	return fig{d.Status, first, d.Deliveries, d.Live, d.Complete, d.Conform, d.Relational, d.Rejected, d.Backlog, d.Fixed, d.FixMedian}
}

func days(t *testing.T, s *store.Store, from, to string) map[string]map[string]fig {
	t.Helper()
	list, err := s.Days(context.Background(), store.DayFilter{From: from, To: to, Dataset: so})
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]map[string]fig{}
	for _, d := range list {
		if out[d.Day] == nil {
			out[d.Day] = map[string]fig{}
		}
		out[d.Day][d.Agency] = figOf(d)
	}
	return out
}

var wantScenario = map[string]map[string]fig{
	"2026-11-02": {
		js: {Status: "on_time", First: "09:00:00", Deliveries: 1, Live: 4, Complete: 3, Conform: 2, Relational: 4, Rejected: 1, Backlog: 1},
		zj: {Status: "late", First: "19:30:00", Deliveries: 1, Live: 2, Complete: 2, Conform: 2, Relational: 2, Rejected: 1, Backlog: 1},
		ah: {Status: "missing"},
	},
	"2026-11-03": {
		js: {Status: "on_time", First: "17:59:00", Deliveries: 1, Live: 5, Complete: 5, Conform: 4, Relational: 5, Fixed: 1, FixMedian: 32*time.Hour + 59*time.Minute},
		zj: {Status: "on_time", First: "10:00:00", Deliveries: 1, Live: 1, Complete: 1, Conform: 1, Relational: 1, Fixed: 1, FixMedian: 14*time.Hour + 30*time.Minute},
		ah: {Status: "on_time", First: "18:00:00", Deliveries: 1, Live: 1, Complete: 1, Conform: 1, Relational: 1},
	},
	"2026-11-04": {
		js: {Status: "missing", Live: 5, Complete: 5, Conform: 4, Relational: 5},
		zj: {Status: "missing", Live: 1, Complete: 1, Conform: 1, Relational: 1},
		ah: {Status: "late", First: "23:00:00", Deliveries: 1, Live: 2, Complete: 2, Conform: 2, Relational: 2},
	},
}

// TestMetricsExact computes every figure of the scenario and checks it.
func TestMetricsExact(t *testing.T) {
	backends(t, func(t *testing.T, open func() *store.Store) {
		f := newFixture(t, open())
		scenario(f)
		res := f.compute("2026-11-04")
		if res.From.String() != "2026-11-02" || res.Full != 1 || res.Incremental != 0 {
			t.Errorf("result %+v: want one full phase from 2026-11-02", res)
		}
		got := days(t, f.s, "2026-11-01", "2026-11-30")
		for day, want := range wantScenario {
			for ag, w := range want {
				if diff := cmp.Diff(w, got[day][ag]); diff != "" {
					t.Errorf("%s %s (-want +got):\n%s", day, ag, diff)
				}
			}
			// Every other agency is expected to send shipping_operator daily and sent nothing.
			for ag, g := range got[day] {
				if want[ag] == (fig{}) && g != (fig{Status: "missing"}) {
					t.Errorf("%s %s: %+v, want missing", day, ag, g)
				}
			}
			if len(got[day]) != 33 {
				t.Errorf("%s: %d agencies have figures, want the 33 expected to send", day, len(got[day]))
			}
		}
		agencyDays, err := f.s.AgencyDays(context.Background(), store.DayFilter{From: "2026-11-02", To: "2026-11-04", Agency: zj})
		if err != nil {
			t.Fatal(err)
		}
		wantZJ := []store.AgencyDay{
			{Day: "2026-11-02", Agency: zj, Deliveries: 1, Applied: 1},
			{Day: "2026-11-03", Agency: zj, Deliveries: 1, Applied: 1, Gaps: 1, Missing: []int64{2}},
			{Day: "2026-11-04", Agency: zj, Gaps: 1, Missing: []int64{2}},
		}
		if diff := cmp.Diff(wantZJ, agencyDays, cmpopts.EquateEmpty()); diff != "" {
			t.Errorf("浙江 agency days (-want +got):\n%s", diff)
		}
	})
}

// TestIncrementalEqualsFull: computing day by day (each from the day before
// and that day's versions) gives exactly what one sweep gives.
func TestIncrementalEqualsFull(t *testing.T) {
	backends(t, func(t *testing.T, open func() *store.Store) {
		f := newFixture(t, open())
		scenario(f)
		f.compute("2026-11-02")
		for _, d := range []string{"2026-11-03", "2026-11-04"} {
			if res := f.compute(d); res.Incremental != 1 || res.Full != 0 {
				t.Errorf("%s: %+v, want one incremental phase", d, res)
			}
		}
		got := days(t, f.s, "2026-11-01", "2026-11-30")
		for day, want := range wantScenario {
			for ag, w := range want {
				if diff := cmp.Diff(w, got[day][ag]); diff != "" {
					t.Errorf("%s %s (-want +got):\n%s", day, ag, diff)
				}
			}
		}
	})
}

// TestExplain: each figure's list has as many entries as the figure counts
// (or, for the rates, as the records it leaves out), and names them.
func TestExplain(t *testing.T) {
	backends(t, func(t *testing.T, open func() *store.Store) {
		f := newFixture(t, open())
		scenario(f)
		f.compute("2026-11-04")
		ds := f.std.Dataset(so)
		key := func(ag string, i int) string { return keyOf(ds, f.record(ag, so, i, nil)) }
		type short struct {
			Kind, Key string
			Rules     []string
			Row       int
			Seq       int64
		}
		cases := []struct {
			agency, day, metric string
			want                []short
		}{
			{js, "2026-11-02", progress.MetricLive, []short{{"record", key(js, 0), nil, 0, 0}, {"record", key(js, 1), nil, 0, 0},
				{"record", key(js, 2), nil, 0, 0}, {"record", key(js, 3), nil, 0, 0}}},
			{js, "2026-11-02", progress.MetricComplete, []short{{"record", key(js, 1), []string{"REQ"}, 0, 0}}},
			{js, "2026-11-02", progress.MetricConform, []short{{"record", key(js, 1), []string{"REQ"}, 0, 0}, {"record", key(js, 2), []string{"FMT-PATTERN"}, 0, 0}}},
			{js, "2026-11-03", progress.MetricConform, []short{{"record", key(js, 2), []string{"FMT-PATTERN"}, 0, 0}}},
			{js, "2026-11-02", progress.MetricRelational, nil},
			{js, "2026-11-02", progress.MetricBacklog, []short{{"reject", key(js, 4), []string{"ID-USCC"}, 6, 0}}},
			{js, "2026-11-03", progress.MetricBacklog, nil},
			{js, "2026-11-03", progress.MetricFixed, []short{{"reject", key(js, 4), []string{"ID-USCC"}, 6, 0}}},
			{zj, "2026-11-02", progress.MetricRejected, []short{{"reject", "", []string{"REQ"}, 4, 0}}},
			{zj, "2026-11-03", progress.MetricTimeliness, []short{{"delivery", "", nil, 0, 3}}},
			{ah, "2026-11-02", progress.MetricTimeliness, nil},
			{zj, "2026-11-04", progress.MetricGaps, []short{{"sequence", "", nil, 0, 2}}},
		}
		for _, c := range cases {
			refs, err := f.svc.Explain(context.Background(), c.agency, so, progress.MustDay(c.day), c.metric)
			if err != nil {
				t.Fatal(err)
			}
			var got []short
			for _, r := range refs {
				got = append(got, short{r.Kind, r.Key, r.Rules, r.Row, r.Seq})
			}
			if diff := cmp.Diff(c.want, got, cmpopts.SortSlices(func(a, b short) bool { return a.Key < b.Key })); diff != "" {
				t.Errorf("%s %s %s (-want +got):\n%s", c.agency, c.day, c.metric, diff)
			}
		}
	})
}

// TestMultilineValues: a value holding line breaks makes its row span
// lines of the engine's file; the findings of the rows after it still land
// on their own versions.
func TestMultilineValues(t *testing.T) {
	backends(t, func(t *testing.T, open func() *store.Store) {
		f := newFixture(t, open())
		f.only(so)
		f.at("2026-11-02", "09:00")
		f.send(js, 1, file{dataset: so, rows: []row{
			{values: f.record(js, so, 0, map[string]string{"address": "江苏省南京市\n鼓楼区\r\n江边路 1 号, \"东门\""})},
			{values: f.record(js, so, 1, map[string]string{"legal_rep": ""})},
			{values: f.record(js, so, 2, nil)},
		}})
		f.compute("2026-11-02")
		got := days(t, f.s, "2026-11-02", "2026-11-02")["2026-11-02"][js]
		if got.Live != 3 || got.Complete != 2 || got.Conform != 2 {
			t.Errorf("figures %+v: want 3 records, 2 complete and conformant", got)
		}
		refs, err := f.svc.Explain(context.Background(), js, so, progress.MustDay("2026-11-02"), progress.MetricComplete)
		if err != nil {
			t.Fatal(err)
		}
		if len(refs) != 1 || refs[0].Key != keyOf(f.std.Dataset(so), f.record(js, so, 1, nil)) {
			t.Errorf("incomplete records: %+v", refs)
		}
	})
}

// TestRecomputeFrom: a day computed before it was over misses what arrived
// later that day; recomputing it from the stored day before counts it.
func TestRecomputeFrom(t *testing.T) {
	backends(t, func(t *testing.T, open func() *store.Store) {
		f := newFixture(t, open())
		f.only(so)
		f.at("2026-11-02", "09:00")
		f.send(js, 1, file{dataset: so, rows: []row{{values: f.record(js, so, 0, nil)}}})
		f.compute("2026-11-02") // too early: the day is not over
		f.at("2026-11-02", "15:00")
		f.send(js, 2, file{dataset: so, rows: []row{{values: f.record(js, so, 1, nil)}}})
		f.at("2026-11-04", "09:00")
		f.compute("2026-11-03")
		if got := days(t, f.s, "2026-11-03", "2026-11-03")["2026-11-03"][js].Live; got != 1 {
			t.Errorf("live on 11-03 after an early computation: %d (the record of 15:00 is missed: that is the problem)", got)
		}
		if _, err := f.svc.RecomputeFrom(context.Background(), progress.MustDay("2026-11-02")); err != nil {
			t.Fatal(err)
		}
		got := days(t, f.s, "2026-11-02", "2026-11-03")
		if got["2026-11-02"][js].Live != 2 || got["2026-11-03"][js].Live != 2 {
			t.Errorf("after recomputing: 11-02 %d, 11-03 %d records; want 2 and 2", got["2026-11-02"][js].Live, got["2026-11-03"][js].Live)
		}
	})
}
