package store_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"shuiyun/internal/store"
)

// progressPackage applies shipping_operator rows (key → name; "" name
// withdraws) as one job, recording its submission with the rejected rows.
func progressPackage(t *testing.T, s *store.Store, sender string, seq int64, rows map[string]string, rejected ...store.RejectedRow) *store.Delivery {
	t.Helper()
	ctx := context.Background()
	name := fmt.Sprintf("%s_20261125_%06d.zip", sender, seq)
	b := make([]byte, 8)
	rand.Read(b)
	if _, _, err := s.Enqueue(ctx, store.Job{Inbox: sender, Name: name, Path: "processing/" + hex.EncodeToString(b), SHA256: hex.EncodeToString(b)}); err != nil {
		t.Fatal(err)
	}
	job, err := s.Claim(ctx, "w", time.Minute)
	if err != nil || job == nil {
		t.Fatalf("claim: %v %v", job, err)
	}
	tx, err := s.Begin(ctx, job, "w")
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	w, err := tx.Dataset(ctx, "shipping_operator", store.Batch{Sender: sender, Seq: seq, DataDate: "2026-11-25"})
	if err != nil {
		t.Fatal(err)
	}
	ds := s.Standard().Dataset("shipping_operator")
	row := 2
	for key, name := range rows {
		vals := make([]string, len(ds.Fields))
		vals[ds.FieldIndex("uscc")], vals[ds.FieldIndex("operator_name")] = key, name
		op := byte('U')
		if name == "" {
			op = 'D'
		}
		if err := w.Put(ctx, row, op, key, vals); err != nil {
			t.Fatal(err)
		}
		row++
	}
	if _, err := w.Close(ctx); err != nil {
		t.Fatal(err)
	}
	sub := store.Submission{Dataset: "shipping_operator", Rows: len(rows) + len(rejected), Rejected: rejected}
	if err := tx.RecordSubmission(ctx, sender, sub); err != nil {
		t.Fatal(err)
	}
	d := &store.Delivery{Inbox: sender, Name: name, Sender: sender, Seq: seq, SHA256: job.SHA256, Status: "accepted", Applied: true,
		Total: sub.Rows, Rejected: len(rejected), ReceivedAt: job.ReceivedAt, ProcessedAt: s.Now()}
	if err := tx.Finish(ctx, d, func(*store.Delivery, []int64) ([]byte, error) { return []byte("{}"), nil }); err != nil {
		t.Fatal(err)
	}
	if err := s.Done(ctx, job, "w"); err != nil {
		t.Fatal(err)
	}
	return d
}

func TestProgressSettings(t *testing.T) {
	std := mustStandard(t)
	backends(t, func(t *testing.T, open opener) {
		s := open(std)
		ctx := context.Background()
		at := time.Date(2026, 11, 1, 8, 0, 0, 0, time.UTC)
		s.Now = func() time.Time { return at }
		e := store.Expectation{Agency: "320000", Dataset: "port_dg_annex", Required: false, Frequency: "weekly", DueMinute: 600, ExpectedCount: 12, UpdatedBy: "部"}
		if err := s.SetExpectation(ctx, e); err != nil {
			t.Fatal(err)
		}
		e.Required, e.ExpectedCount = true, 30
		if err := s.SetExpectation(ctx, e); err != nil { // replaces
			t.Fatal(err)
		}
		if err := s.SetExpectation(ctx, store.Expectation{Agency: "330000", Dataset: "port_dg_annex", Frequency: "daily", DueMinute: 1080}); err != nil {
			t.Fatal(err)
		}
		if err := s.ResetExpectation(ctx, "330000", "port_dg_annex"); err != nil {
			t.Fatal(err)
		}
		got, err := s.Expectations(ctx)
		if err != nil {
			t.Fatal(err)
		}
		e.UpdatedAt = at
		if diff := cmp.Diff([]store.Expectation{e}, got, cmpopts.EquateApproxTime(time.Microsecond)); diff != "" {
			t.Errorf("expectations (-want +got):\n%s", diff)
		}

		m := &store.Milestone{Name: "许可备案类数据全部报送", Due: "2026-12-31", Datasets: []string{"shipping_operator", "waterway_transport_license"}}
		if _, err := s.AddMilestone(ctx, m); err != nil {
			t.Fatal(err)
		}
		m2 := &store.Milestone{Name: "江苏先行", Due: "2026-12-15", Datasets: []string{"port_operator"}, Agencies: []string{"320000"}}
		if _, err := s.AddMilestone(ctx, m2); err != nil {
			t.Fatal(err)
		}
		ms, err := s.Milestones(ctx)
		if err != nil {
			t.Fatal(err)
		}
		m.CreatedAt, m2.CreatedAt = at, at
		if diff := cmp.Diff([]store.Milestone{*m2, *m}, ms, cmpopts.EquateApproxTime(time.Microsecond)); diff != "" {
			t.Errorf("milestones by date (-want +got):\n%s", diff)
		}
		if err := s.DeleteMilestone(ctx, m2.ID); err != nil {
			t.Fatal(err)
		}
		if err := s.DeleteMilestone(ctx, m2.ID); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("deleting twice: %v, want ErrNotFound", err)
		}

		late := &store.RuleChange{Rule: "REL-22", Effective: "2026-12-01", Enabled: true, Severity: "error", Note: "二期"}
		early := &store.RuleChange{Rule: "REQ-COND", Effective: "2026-11-15", Enabled: false, Severity: "error"}
		for _, c := range []*store.RuleChange{late, early} {
			if _, err := s.ScheduleRule(ctx, c); err != nil {
				t.Fatal(err)
			}
			c.CreatedAt = at
		}
		sched, err := s.RuleSchedule(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff([]store.RuleChange{*early, *late}, sched, cmpopts.EquateApproxTime(time.Microsecond)); diff != "" {
			t.Errorf("schedule by effective date (-want +got):\n%s", diff)
		}

		if err := s.SaveRuleset(ctx, "abc", `{"rules":1}`); err != nil {
			t.Fatal(err)
		}
		if err := s.SaveRuleset(ctx, "abc", `{"rules":2}`); err != nil { // once: the first stays
			t.Fatal(err)
		}
		if rs, err := s.Ruleset(ctx, "abc"); err != nil || rs != `{"rules":1}` {
			t.Errorf("Ruleset = %q, %v", rs, err)
		}
		if _, err := s.Ruleset(ctx, "zzz"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("unknown rules version: %v", err)
		}
	})
}

// TestProgressSubmissions: what ingest records in the apply transaction
// comes back with the delivery, rejected rows are listed and fixed, and the
// versions after a rejection are found by key.
func TestProgressSubmissions(t *testing.T) {
	std := mustStandard(t)
	backends(t, func(t *testing.T, open opener) {
		s := open(std)
		ctx := context.Background()
		clk := &clock{t: time.Date(2026, 11, 2, 1, 0, 0, 0, time.UTC)}
		s.Now = clk.now
		t0 := clk.t
		d1 := progressPackage(t, s, "320000", 1, map[string]string{"K1": "甲"},
			store.RejectedRow{Row: 3, Key: "K2", Rules: []string{"REQ", "CODE"}}, store.RejectedRow{Row: 4, Key: ""})
		clk.tick()
		progressPackage(t, s, "320000", 3, map[string]string{"K2": "乙"})
		clk.tick()
		progressPackage(t, s, "330000", 1, map[string]string{"K3": "丙"})

		got, err := s.ProgressDeliveries(ctx, t0, clk.t.Add(time.Second))
		if err != nil {
			t.Fatal(err)
		}
		type short struct {
			Sender   string
			Seq      int64
			Datasets []store.SubmittedDataset
		}
		var shorts []short
		for _, d := range got {
			shorts = append(shorts, short{d.Sender, d.Seq, d.Datasets})
		}
		want := []short{
			{"320000", 1, []store.SubmittedDataset{{Dataset: "shipping_operator", Rows: 3, Rejected: 2}}},
			{"320000", 3, []store.SubmittedDataset{{Dataset: "shipping_operator", Rows: 1}}},
			{"330000", 1, []store.SubmittedDataset{{Dataset: "shipping_operator", Rows: 1}}},
		}
		if diff := cmp.Diff(want, shorts); diff != "" {
			t.Errorf("deliveries (-want +got):\n%s", diff)
		}

		rejects, err := s.Rejects(ctx, store.RejectFilter{Sender: "320000", OpenOnly: true})
		if err != nil {
			t.Fatal(err)
		}
		if len(rejects) != 2 || rejects[0].Key != "K2" || rejects[0].DeliveryID != d1.ID || rejects[1].Row != 4 ||
			!rejects[0].RejectedAt.Equal(t0) || fmt.Sprint(rejects[0].Rules) != "[REQ CODE]" {
			t.Fatalf("open rejects: %+v", rejects)
		}
		after, err := s.VersionsAfter(ctx, "shipping_operator", []string{"K1", "K2"}, t0)
		if err != nil {
			t.Fatal(err)
		}
		if len(after["K1"]) != 0 || len(after["K2"]) != 1 || !after["K2"][0].From.Equal(t0.Add(time.Second)) {
			t.Fatalf("versions after the rejection: %+v", after)
		}
		fix := after["K2"][0]
		if err := s.FixRejects(ctx, []store.RejectFix{{ID: rejects[0].ID, At: fix.From, VID: fix.VID, Job: fix.Job}}); err != nil {
			t.Fatal(err)
		}
		still, err := s.Rejects(ctx, store.RejectFilter{OpenOnly: true})
		if err != nil || len(still) != 1 || still[0].Row != 4 {
			t.Fatalf("open after the fix: %+v %v", still, err)
		}
		// Open at some moment of [t0+2s, …): the fixed one ended before.
		window, err := s.Rejects(ctx, store.RejectFilter{After: t0.Add(2 * time.Second)})
		if err != nil || len(window) != 1 {
			t.Fatalf("open in the window: %+v %v", window, err)
		}

		seqs, err := s.AppliedSequences(ctx, clk.t.Add(time.Second))
		if err != nil {
			t.Fatal(err)
		}
		if len(seqs) != 3 || seqs[1].Seq != 3 || seqs[2].Sender != "330000" {
			t.Errorf("applied sequences: %+v", seqs)
		}
		if un, err := s.UnrecordedDeliveries(ctx); err != nil || len(un) != 0 {
			t.Errorf("unrecorded deliveries: %v %v", un, err)
		}
		apply(t, s, "320000", 4, false, op{'U', "K9", "无记录"}) // applied without a submission record
		if un, err := s.UnrecordedDeliveries(ctx); err != nil || len(un) != 1 || un[0].Seq != 4 {
			t.Errorf("unrecorded deliveries: %v %v", un, err)
		}
	})
}

// TestProgressScans: the version scans the metrics sweep with.
func TestProgressScans(t *testing.T) {
	std := mustStandard(t)
	backends(t, func(t *testing.T, open opener) {
		s := open(std)
		ctx := context.Background()
		clk := &clock{t: time.Date(2026, 11, 2, 1, 0, 0, 0, time.UTC)}
		s.Now = clk.now
		t0 := clk.t
		progressPackage(t, s, "320000", 1, map[string]string{"K1": "甲", "K2": "乙"})
		t1 := clk.tick()
		progressPackage(t, s, "320000", 2, map[string]string{"K1": "甲二", "K2": ""})
		t2 := clk.tick()

		collect := func(scan func(fn func(*store.VersionRow) error) error) []string {
			t.Helper()
			var out []string
			err := scan(func(v *store.VersionRow) error {
				to := "open"
				if v.To != store.OpenEnd {
					to = time.UnixMicro(v.To).Sub(t0).String()
				}
				out = append(out, fmt.Sprintf("%s %s→%s del=%v %s", v.Key, time.UnixMicro(v.From).Sub(t0), to, v.Deleted, v.Values[0]))
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			return sortStrings(out)
		}
		live := collect(func(fn func(*store.VersionRow) error) error {
			return s.ScanLive(ctx, "shipping_operator", t0.UnixMicro(), t2.UnixMicro(), true, fn)
		})
		if diff := cmp.Diff([]string{"K1 0s→1s del=false 甲", "K1 1s→open del=false 甲二", "K2 0s→1s del=false 乙"}, live); diff != "" {
			t.Errorf("live (-want +got):\n%s", diff)
		}
		started := collect(func(fn func(*store.VersionRow) error) error {
			return s.ScanStarted(ctx, "shipping_operator", t1.UnixMicro(), t2.UnixMicro(), true, fn)
		})
		if diff := cmp.Diff([]string{"K1 1s→open del=false 甲二", "K2 1s→open del=true "}, started); diff != "" {
			t.Errorf("started (-want +got):\n%s", diff)
		}
		var closed []string
		err := s.ScanClosed(ctx, "shipping_operator", []string{"K1", "K2"}, t1.UnixMicro(), t2.UnixMicro(), func(v *store.VersionRow) error {
			closed = append(closed, v.Key)
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff([]string{"K1", "K2"}, sortStrings(closed)); diff != "" {
			t.Errorf("closed (-want +got):\n%s", diff)
		}

		rows, held, err := s.RecordValuesAt(ctx, "shipping_operator", t0.UnixMicro(), []string{"K2", "K7"}, false)
		if err != nil || !held || len(rows) != 1 || rows[0][0] != "乙" {
			t.Errorf("K2 at t0: %v %v %v", rows, held, err)
		}
		if _, held, _ := s.RecordValuesAt(ctx, "vessel_survey", t0.UnixMicro(), []string{"X"}, true); held {
			t.Error("vessel_survey holds nothing")
		}
	})
}

func sortStrings(s []string) []string {
	out := append([]string(nil), s...)
	for i := range out {
		for j := i + 1; j < len(out); j++ {
			if out[j] < out[i] {
				out[i], out[j] = out[j], out[i]
			}
		}
	}
	return out
}

func TestProgressFigures(t *testing.T) {
	std := mustStandard(t)
	backends(t, func(t *testing.T, open opener) {
		s := open(std)
		ctx := context.Background()
		clk := &clock{t: time.Date(2026, 11, 2, 1, 0, 0, 0, time.UTC)}
		s.Now = clk.now
		if day, err := s.LastDay(ctx); err != nil || day != "" {
			t.Fatalf("LastDay of nothing = %q, %v", day, err)
		}
		if first, err := s.FirstActivity(ctx); err != nil || !first.IsZero() {
			t.Fatalf("FirstActivity of nothing = %v, %v", first, err)
		}
		progressPackage(t, s, "320000", 1, map[string]string{"K1": "甲", "K2": "乙"})
		if first, err := s.FirstActivity(ctx); err != nil || !first.Equal(clk.t) {
			t.Errorf("FirstActivity = %v, %v; want %v", first, err, clk.t)
		}
		var vids = map[string]int64{}
		s.ScanLive(ctx, "shipping_operator", 0, store.OpenEnd, false, func(v *store.VersionRow) error { vids[v.Key] = v.VID; return nil })
		evals := []store.EvalRow{
			{Dataset: "shipping_operator", Rules: "r1", VID: vids["K1"], Key: "K1", Owner: "320000", Err: 1 << 63, Warn: 5},
			{Dataset: "shipping_operator", Rules: "r2", VID: vids["K2"], Key: "K2", Owner: "320000", Err: 2},
		}
		if err := s.SaveEvals(ctx, evals); err != nil {
			t.Fatal(err)
		}
		evals[1].Err = 3
		if err := s.SaveEvals(ctx, evals[1:]); err != nil { // replaces
			t.Fatal(err)
		}
		got, err := s.Evals(ctx, "shipping_operator", "r1", []int64{vids["K1"], vids["K2"]})
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(map[int64]store.EvalRow{vids["K1"]: evals[0]}, got); diff != "" {
			t.Errorf("evals r1 (-want +got):\n%s", diff)
		}
		failing, err := s.FailingAt(ctx, "shipping_operator", "r2", "320000", clk.t.UnixMicro())
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff([]store.EvalRow{evals[1]}, failing); diff != "" {
			t.Errorf("failing at now (-want +got):\n%s", diff)
		}

		days := []store.DayFigures{
			{Day: "2026-11-02", Agency: "320000", Dataset: "shipping_operator", Rules: "r1", Required: true, Frequency: "daily", Due: true,
				Status: "on_time", FirstAt: clk.t, Deliveries: 1, Live: 2, Complete: 2, Conform: 1, Relational: 2, ExpectedCount: 10,
				Rejected: 3, Backlog: 2, Fixed: 1, FixMedian: 36 * time.Hour},
			{Day: "2026-11-03", Agency: "330000", Dataset: "port_operator", Rules: "r1", Frequency: "weekly"},
		}
		agencies := []store.AgencyDay{{Day: "2026-11-02", Agency: "320000", Deliveries: 2, Applied: 1, Gaps: 3, Missing: []int64{2, 3, 5}},
			{Day: "2026-11-03", Agency: "320000"}}
		if err := s.SaveDays(ctx, days, agencies); err != nil {
			t.Fatal(err)
		}
		if err := s.SaveDays(ctx, days[:1], nil); err == nil {
			t.Error("saving a stored day again must fail")
		}
		readDays, err := s.Days(ctx, store.DayFilter{From: "2026-11-01", To: "2026-11-30"})
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(days, readDays, cmpopts.EquateApproxTime(time.Microsecond)); diff != "" {
			t.Errorf("days (-want +got):\n%s", diff)
		}
		one, err := s.Days(ctx, store.DayFilter{From: "2026-11-01", To: "2026-11-30", Agency: "330000", Dataset: "port_operator"})
		if err != nil || len(one) != 1 {
			t.Errorf("filtered days: %v %v", one, err)
		}
		readAg, err := s.AgencyDays(ctx, store.DayFilter{From: "2026-11-02", To: "2026-11-02"})
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(agencies[:1], readAg); diff != "" {
			t.Errorf("agency days (-want +got):\n%s", diff)
		}
		if day, err := s.LastDay(ctx); err != nil || day != "2026-11-03" {
			t.Errorf("LastDay = %q, %v", day, err)
		}
	})
}

// TestProgressValues: the values the scans read, packed into one column on
// SQLite, are the stored ones — typed columns, nulls, and a value holding
// the packing's separator.
func TestProgressValues(t *testing.T) {
	std := mustStandard(t)
	backends(t, func(t *testing.T, open opener) {
		s := open(std)
		ctx := context.Background()
		ds := s.Standard().Dataset("shipping_operator")
		vals := make([]string, len(ds.Fields))
		set := func(name, v string) { vals[ds.FieldIndex(name)] = v }
		set("operator_name", "甲\x1f乙")
		set("uscc", "K1")
		set("registered_capital", "1234567.5")
		set("own_fleet_count", "12")
		set("is_individual", "0")
		set("address", "第一行\n第二行")
		want := append([]string(nil), vals...)
		progressPackage(t, s, "320000", 1, map[string]string{"K2": "乙"})
		// K1 through a Writer with all its values.
		job := func() {
			if _, _, err := s.Enqueue(ctx, store.Job{Inbox: "320000", Name: "v.zip", Path: "p/v", SHA256: "v"}); err != nil {
				t.Fatal(err)
			}
		}
		job()
		j, err := s.Claim(ctx, "w", time.Minute)
		if err != nil {
			t.Fatal(err)
		}
		tx, err := s.Begin(ctx, j, "w")
		if err != nil {
			t.Fatal(err)
		}
		w, _ := tx.Dataset(ctx, ds.Name, store.Batch{Sender: "320000", Seq: 2, DataDate: "2026-11-25"})
		if err := w.Put(ctx, 2, 'U', "K1", vals); err != nil {
			t.Fatal(err)
		}
		if _, err := w.Close(ctx); err != nil {
			t.Fatal(err)
		}
		if err := tx.Finish(ctx, &store.Delivery{Inbox: "320000", Name: "v.zip", Sender: "320000", Seq: 2, Status: "accepted", Applied: true},
			func(*store.Delivery, []int64) ([]byte, error) { return []byte("{}"), nil }); err != nil {
			t.Fatal(err)
		}
		got := map[string][]string{}
		err = s.ScanLive(ctx, ds.Name, 0, store.OpenEnd, true, func(v *store.VersionRow) error {
			got[v.Key] = append([]string(nil), v.Values...)
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(want, got["K1"]); diff != "" {
			t.Errorf("values of K1 (-want +got):\n%s", diff)
		}
		if got["K2"][0] != "乙" || got["K2"][3] != "" {
			t.Errorf("values of K2: %q", got["K2"])
		}
	})
}
