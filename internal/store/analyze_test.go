package store_test

import (
	"fmt"
	"testing"
	"time"

	"shuiyun/internal/store"
)

// TestAnalyze: on PostgreSQL a dataset gains statistics for the columns that
// steer searches, at the server's target (a name histogram of more than ten
// buckets), and for no others; and the table's count of changes is kept, so
// that autovacuum still analyses the whole table. An unknown dataset is an
// error on both back ends.
func TestAnalyze(t *testing.T) {
	backends(t, func(t *testing.T, open opener) {
		s := open(mustStandard(t))
		var rows []op
		for i := range 300 {
			rows = append(rows, op{'I', fmt.Sprintf("K%03d", i), fmt.Sprintf("名%d", i)})
		}
		apply(t, s, "320000", 1, false, rows...)
		if s.Dialect() == "postgres" {
			waitChanges(t, s, "shipping_operator", 300)
		}
		if err := s.Analyze(t.Context(), "shipping_operator", "vessel_operating_certificate"); err != nil {
			t.Fatal(err)
		}
		if s.Dialect() == "postgres" {
			stats, err := s.Statistics(t.Context(), "shipping_operator")
			if err != nil {
				t.Fatal(err)
			}
			for _, col := range []string{"sy_key", "sy_owner", "sy_to", "sy_deleted", "operator_name", "status", "economic_type"} {
				if _, ok := stats[col]; !ok {
					t.Errorf("after Analyze: no statistics for %s (have %v)", col, stats)
				}
			}
			if stats["operator_name"] <= 11 {
				t.Errorf("after Analyze: the name's histogram has %d bounds", stats["operator_name"])
			}
			if _, ok := stats["address"]; ok {
				t.Error("after Analyze: statistics for address, which no search plan uses")
			}
			if n, err := s.ChangesSinceAnalyze(t.Context(), "shipping_operator"); err != nil || n < 300 {
				t.Errorf("after Analyze: %d changes since the last analyse for autovacuum, want 300 (%v)", n, err)
			}
		}
		if err := s.Analyze(t.Context(), "no_such_dataset"); err == nil {
			t.Error("an unknown dataset analysed without an error")
		}
	})
}

// waitChanges waits until PostgreSQL's statistics count n changes of a
// dataset's table: a connection reports its writes when it is next idle.
func waitChanges(t *testing.T, s *store.Store, dataset string, n int64) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		got, err := s.ChangesSinceAnalyze(t.Context(), dataset)
		if err != nil {
			t.Fatal(err)
		}
		if got >= n || time.Now().After(deadline) {
			return
		}
	}
}
