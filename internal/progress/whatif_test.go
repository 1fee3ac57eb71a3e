package progress_test

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"

	"shuiyun/internal/agency"
	"shuiyun/internal/progress"
	"shuiyun/internal/store"
)

func TestRankTies(t *testing.T) {
	a := func(code string) agency.Agency { ag, _ := agency.Lookup(code); return ag }
	list := []progress.Standing{
		{Agency: a("110000"), Score: 85, Ranked: true},
		{Agency: a("330000"), Score: 90, Ranked: true},
		{Agency: a("120000")},
		{Agency: a("320000"), Score: 90, Ranked: true},
		{Agency: a("130000"), Score: 80, Ranked: true},
		{Agency: a("140000"), Score: 80, Ranked: true},
		{Agency: a("150000"), Score: 79.99, Ranked: true},
	}
	progress.Rank(list)
	var got []string
	for _, s := range list {
		got = append(got, s.Agency.Code+"#"+string(rune('0'+s.Rank)))
	}
	want := []string{"320000#1", "330000#1", "110000#3", "130000#4", "140000#4", "150000#6", "120000#0"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("ranks (-want +got):\n%s", diff)
	}
}

func standings(t *testing.T, f *fixture, day string) map[string]progress.Standing {
	t.Helper()
	d := progress.MustDay(day)
	list, err := f.svc.Standings(context.Background(), d, d)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]progress.Standing{}
	for _, s := range list {
		out[s.Agency.Code] = s
	}
	return out
}

type place struct {
	Score float64
	Rank  int
}

func places(m map[string]progress.Standing, codes ...string) map[string]place {
	out := map[string]place{}
	for _, c := range codes {
		out[c] = place{m[c].Score, m[c].Rank}
	}
	return out
}

// TestWhatIf: REL-22 (a USCC registered in another province than the
// record's region) becomes an error from tomorrow. The preview names the one
// 浙江 record that would newly fail; after the date the day's figures and the
// ranking change, and the figures of the days before do not.
func TestWhatIf(t *testing.T) {
	backends(t, func(t *testing.T, open func() *store.Store) {
		ctx := context.Background()
		f := newFixture(t, open())
		scenario(f)
		f.compute("2026-11-04")
		f.at("2026-11-06", "00:40") // 11-05 is over: computed with the rules in force then
		f.compute("2026-11-05")
		before := days(t, f.s, "2026-11-01", "2026-11-05")

		change := store.RuleChange{Rule: "REL-22", Effective: "2026-11-07", Enabled: true, Severity: "error", Note: "关联性二期"}
		p, err := f.svc.Preview(ctx, change)
		if err != nil {
			t.Fatal(err)
		}
		newly := map[string]int{}
		for _, im := range p.Agencies {
			if im.Newly > 0 {
				newly[im.Agency.Code] = im.Newly
			}
			if im.Agency.Code == zj && (im.Records != 1 || im.Failing != 0 || len(im.Keys) != 1 || im.Keys[0].Rules[0] != "REL-22") {
				t.Errorf("浙江 impact: %+v", im)
			}
			if im.Agency.Code == js && (im.Records != 5 || im.Failing != 1) {
				t.Errorf("江苏 impact: %+v, want 5 records of which 1 fails today", im)
			}
		}
		if diff := cmp.Diff(map[string]int{zj: 1}, newly); diff != "" || p.Newly != 1 {
			t.Errorf("newly failing by agency (-want +got):\n%s (total %d)", diff, p.Newly)
		}

		if _, err := f.svc.ScheduleRule(ctx, &store.RuleChange{Rule: "REL-22", Effective: "2026-11-05", Enabled: true, Severity: "error"}); err == nil {
			t.Error("a change effective on a computed day must be refused")
		}
		if _, err := f.svc.ScheduleRule(ctx, &change); err != nil {
			t.Fatal(err)
		}
		f.at("2026-11-08", "01:00")
		res := f.compute("2026-11-07")
		if res.Incremental != 1 || res.Full != 1 {
			t.Errorf("result %+v: want 11-06 from the day before, 11-07 swept under the new rules", res)
		}
		after := days(t, f.s, "2026-11-01", "2026-11-05")
		if diff := cmp.Diff(before, after); diff != "" {
			t.Errorf("the days before the change moved (-before +after):\n%s", diff)
		}
		got := days(t, f.s, "2026-11-06", "2026-11-07")
		wantZJ := map[string]fig{
			"2026-11-06": {Status: "missing", Live: 1, Complete: 1, Conform: 1, Relational: 1},
			"2026-11-07": {Status: "missing", Live: 1, Complete: 1, Conform: 1, Relational: 0},
		}
		for day, w := range wantZJ {
			if diff := cmp.Diff(w, got[day][zj]); diff != "" {
				t.Errorf("浙江 %s (-want +got):\n%s", day, diff)
			}
		}

		// Nothing is sent on either day: timeliness 0 for all. 江苏 has 4 of 5
		// records conformant: (0·0.3 + 1·0.2 + 0.8·0.3 + 1·0.2) = 64.
		wantBefore := map[string]place{zj: {70, 1}, ah: {70, 1}, js: {64, 3}, "110000": {0, 4}}
		if diff := cmp.Diff(wantBefore, places(standings(t, f, "2026-11-06"), zj, ah, js, "110000")); diff != "" {
			t.Errorf("ranking on 11-06 (-want +got):\n%s", diff)
		}
		wantAfter := map[string]place{ah: {70, 1}, js: {64, 2}, zj: {50, 3}, "110000": {0, 4}}
		if diff := cmp.Diff(wantAfter, places(standings(t, f, "2026-11-07"), zj, ah, js, "110000")); diff != "" {
			t.Errorf("ranking on 11-07 (-want +got):\n%s", diff)
		}

		refs, err := f.svc.Explain(ctx, zj, so, progress.MustDay("2026-11-07"), progress.MetricRelational)
		if err != nil {
			t.Fatal(err)
		}
		if len(refs) != 1 || refs[0].Key != keyOf(f.std.Dataset(so), f.record(zj, so, 1, nil)) || refs[0].Rules[0] != "REL-22" {
			t.Errorf("explain 浙江 relational on 11-07: %+v", refs)
		}
	})
}
