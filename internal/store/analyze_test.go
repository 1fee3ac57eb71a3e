package store_test

import "testing"

func TestAnalyze(t *testing.T) {
	backends(t, func(t *testing.T, open opener) {
		s := open(mustStandard(t))
		if err := s.Analyze(t.Context(), "shipping_operator", "vessel_operating_certificate"); err != nil {
			t.Fatal(err)
		}
		if err := s.Analyze(t.Context(), "no_such_dataset"); err == nil {
			t.Error("an unknown dataset analysed without an error")
		}
	})
}
