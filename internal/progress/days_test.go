package progress_test

import (
	"testing"
	"time"

	"shuiyun/internal/progress"
)

func TestDays(t *testing.T) {
	d := progress.MustDay("2026-11-25") // a Wednesday
	if d.String() != "2026-11-25" || d.Start().Format(time.RFC3339) != "2026-11-25T00:00:00+08:00" || d.End() != (d+1).Start() {
		t.Errorf("day %s starts %v ends %v", d, d.Start(), d.End())
	}
	// A Beijing day runs from 16:00 UTC the day before.
	for _, c := range []struct {
		utc  string
		want string
	}{{"2026-11-24T15:59:59Z", "2026-11-24"}, {"2026-11-24T16:00:00Z", "2026-11-25"}, {"1969-12-31T16:00:00Z", "1970-01-01"}, {"1969-12-31T15:00:00Z", "1969-12-31"}} {
		tm, _ := time.Parse(time.RFC3339, c.utc)
		if got := progress.DayOf(tm).String(); got != c.want {
			t.Errorf("DayOf(%s) = %s, want %s", c.utc, got, c.want)
		}
	}
	for _, c := range []struct {
		p        progress.Period
		day      string
		from, to string
	}{
		{progress.PeriodDay, "2026-11-25", "2026-11-25", "2026-11-25"},
		{progress.PeriodWeek, "2026-11-25", "2026-11-23", "2026-11-29"},
		{progress.PeriodWeek, "2026-11-29", "2026-11-23", "2026-11-29"}, // Sunday ends the ISO week
		{progress.PeriodWeek, "2026-11-30", "2026-11-30", "2026-12-06"},
		{progress.PeriodMonth, "2026-02-10", "2026-02-01", "2026-02-28"},
		{progress.PeriodMonth, "2026-12-31", "2026-12-01", "2026-12-31"},
	} {
		from, to := c.p.Span(progress.MustDay(c.day))
		if from.String() != c.from || to.String() != c.to {
			t.Errorf("%s of %s = %s..%s, want %s..%s", c.p, c.day, from, to, c.from, c.to)
		}
	}
	if _, err := progress.ParseDay("2026/11/25"); err == nil {
		t.Error("ParseDay accepted 2026/11/25")
	}
}
