package gen

import (
	"fmt"
	"time"
)

// day is a calendar date as days since 1970-01-01 (UTC), compact enough to keep one per
// record and cheap to compare.
type day int32

var epoch = time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC)

func dayOf(t time.Time) day {
	y, m, d := t.Date()
	return day(time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Sub(epoch).Hours() / 24)
}

func ymd(y, m, d int) day { return dayOf(time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)) }

func (d day) time() time.Time { return epoch.AddDate(0, 0, int(d)) }

func (d day) String() string { return d.time().Format(time.DateOnly) }

func (d day) year() int { return d.time().Year() }

// addYears returns d + n years − 1 day: the last day of a validity of n years from d,
// computed as the engine does (time.AddDate).
func (d day) addYears(n int) day { return dayOf(d.time().AddDate(n, 0, -1)) }

// addMonths returns d + n months (time.AddDate semantics).
func (d day) addMonths(n int) day { return dayOf(d.time().AddDate(0, n, 0)) }

// safe moves a date off 29 February and the 29th–31st, so that "+ N years − 1 day"
// means the same under every reasonable reading of month arithmetic.
func (d day) safe() day {
	t := d.time()
	if t.Day() > 28 {
		return ymd(t.Year(), int(t.Month()), 28)
	}
	return d
}

// between returns a uniform date in [lo, hi] (lo when hi < lo).
func (r *rng) day(lo, hi day) day { return day(r.between(int(lo), int(hi))) }

// spell writes a date in one of the spellings real feeds use (standard.md §2); the
// validator must read them all as the same date.
func spell(d day, style int) string {
	t := d.time()
	y, m, dd := t.Year(), int(t.Month()), t.Day()
	switch style {
	case 0:
		return fmt.Sprintf("%d/%d/%d", y, m, dd)
	case 1:
		return fmt.Sprintf("%d.%d.%d", y, m, dd)
	case 2:
		return fmt.Sprintf("%04d%02d%02d", y, m, dd)
	case 3:
		return fmt.Sprintf("%d年%d月%d日", y, m, dd)
	default:
		return t.Format(time.DateOnly) + " 00:00:00.0"
	}
}

const dateSpellings = 5
