package gen

import (
	"testing"
	"time"
)

func TestDayString(t *testing.T) {
	for d := ymd(1890, 1, 1); d < ymd(2200, 1, 1); d += 7 {
		if got, want := d.String(), d.time().Format(time.DateOnly); got != want {
			t.Fatalf("day(%d).String() = %s, want %s", d, got, want)
		}
		if got, want := d.year(), d.time().Year(); got != want {
			t.Fatalf("day(%d).year() = %d, want %d", d, got, want)
		}
	}
}
