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

// String formats the date as YYYY-MM-DD without going through time.Time: it runs
// several times per generated row.
func (d day) String() string {
	y, m, dd := d.civil()
	b := make([]byte, 10)
	b[0], b[1], b[2], b[3] = byte('0'+y/1000), byte('0'+y/100%10), byte('0'+y/10%10), byte('0'+y%10)
	b[4], b[5], b[6] = '-', byte('0'+m/10), byte('0'+m%10)
	b[7], b[8], b[9] = '-', byte('0'+dd/10), byte('0'+dd%10)
	return string(b)
}

// civil converts the day number to year, month, day (H. Hinnant's civil_from_days).
func (d day) civil() (y, m, dd int) {
	z := int(d) + 719468
	era := z / 146097
	if z < 0 && z%146097 != 0 {
		era--
	}
	doe := z - era*146097
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365
	y = yoe + era*400
	doy := doe - (365*yoe + yoe/4 - yoe/100)
	mp := (5*doy + 2) / 153
	dd = doy - (153*mp+2)/5 + 1
	m = mp + 3
	if m > 12 {
		m -= 12
	}
	if m <= 2 {
		y++
	}
	return y, m, dd
}

func (d day) year() int { y, _, _ := d.civil(); return y }

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
