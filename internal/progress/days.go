package progress

import (
	"fmt"
	"math"
	"time"
)

// Day is a Beijing calendar day, counted from 1970-01-01. The figures are
// kept per Beijing day: China has one time zone and no daylight saving since
// 1991, so a fixed UTC+8 is exact.
type Day int32

// Beijing is UTC+8, the time of every day, due hour and report.
var Beijing = time.FixedZone("CST", 8*3600)

const (
	microsPerDay = int64(24 * time.Hour / time.Microsecond)
	offsetMicros = int64(8 * time.Hour / time.Microsecond)
	// Never is the day of an open interval's end.
	Never Day = math.MaxInt32
)

// DayOf returns the Beijing day of an instant.
func DayOf(t time.Time) Day { return dayOfMicros(t.UnixMicro()) }

func dayOfMicros(us int64) Day {
	if us >= math.MaxInt64-offsetMicros {
		return Never
	}
	us += offsetMicros
	d := us / microsPerDay
	if us%microsPerDay < 0 {
		d--
	}
	return Day(d)
}

// ParseDay reads YYYY-MM-DD.
func ParseDay(s string) (Day, error) {
	t, err := time.ParseInLocation(time.DateOnly, s, Beijing)
	if err != nil {
		return 0, fmt.Errorf("日期 %q 应为 YYYY-MM-DD", s)
	}
	return DayOf(t), nil
}

// MustDay is ParseDay for constants in tests and defaults.
func MustDay(s string) Day {
	d, err := ParseDay(s)
	if err != nil {
		panic(err)
	}
	return d
}

// String writes the day as YYYY-MM-DD.
func (d Day) String() string { return d.Start().Format(time.DateOnly) }

// Start is the first instant of the day.
func (d Day) Start() time.Time {
	return time.UnixMicro(int64(d)*microsPerDay - offsetMicros).In(Beijing)
}

// End is the first instant after the day: the state "at the end of the day"
// is the state just before it.
func (d Day) End() time.Time { return (d + 1).Start() }

func (d Day) startMicros() int64 { return int64(d)*microsPerDay - offsetMicros }
func (d Day) endMicros() int64   { return (d + 1).startMicros() }

// At is the instant minute minutes after the day's start (a due hour).
func (d Day) At(minute int) time.Time { return d.Start().Add(time.Duration(minute) * time.Minute) }

// Weekday of the day.
func (d Day) Weekday() time.Weekday { return d.Start().Weekday() }

// Period is the length of a report or ranking: a day, an ISO week (Monday to
// Sunday) or a calendar month.
type Period string

const (
	PeriodDay   Period = "day"
	PeriodWeek  Period = "week"
	PeriodMonth Period = "month"
)

// Span returns the period of kind p that holds d.
func (p Period) Span(d Day) (from, to Day) {
	switch p {
	case PeriodWeek:
		back := (int(d.Weekday()) + 6) % 7 // days since Monday
		from = d - Day(back)
		return from, from + 6
	case PeriodMonth:
		t := d.Start()
		first := time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, Beijing)
		return DayOf(first), DayOf(first.AddDate(0, 1, -1))
	}
	return d, d
}

// Label is the period's Chinese name: 日, 周, 月.
func (p Period) Label() string {
	switch p {
	case PeriodWeek:
		return "周"
	case PeriodMonth:
		return "月"
	}
	return "日"
}

// ParsePeriod reads day, week or month.
func ParsePeriod(s string) (Period, error) {
	switch p := Period(s); p {
	case PeriodDay, PeriodWeek, PeriodMonth:
		return p, nil
	}
	return "", fmt.Errorf("周期 %q 应为 day、week 或 month", s)
}
