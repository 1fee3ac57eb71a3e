package store_test

import (
	"fmt"
	"testing"
)

// TestAnalyze: on PostgreSQL a dataset gains statistics for its columns, at
// the server's target (a name histogram of more than ten buckets); an
// unknown dataset is an error on both back ends.
func TestAnalyze(t *testing.T) {
	backends(t, func(t *testing.T, open opener) {
		s := open(mustStandard(t))
		var rows []op
		for i := range 300 {
			rows = append(rows, op{'I', fmt.Sprintf("K%03d", i), fmt.Sprintf("名%d", i)})
		}
		apply(t, s, "320000", 1, false, rows...)
		if err := s.Analyze(t.Context(), "shipping_operator", "vessel_operating_certificate"); err != nil {
			t.Fatal(err)
		}
		if s.Dialect() == "postgres" {
			cols, bounds, err := s.Statistics(t.Context(), "shipping_operator")
			if err != nil || cols < 10 || bounds <= 11 {
				t.Errorf("after Analyze: %d columns with statistics, at most %d histogram bounds, %v", cols, bounds, err)
			}
		}
		if err := s.Analyze(t.Context(), "no_such_dataset"); err == nil {
			t.Error("an unknown dataset analysed without an error")
		}
	})
}
