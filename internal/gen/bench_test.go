package gen

import (
	"testing"
)

// BenchmarkGenerateD03 writes 100,000 vessel certificates (CSV) per iteration and
// reports rows/s; the setup (operators, ship index) is part of each iteration, as in
// a real run.
func BenchmarkGenerateD03(b *testing.B) {
	std := mustStandard(b)
	const rows = 100_000
	dir := b.TempDir()
	b.ReportAllocs()
	for b.Loop() {
		_, err := Generate(std, Options{Seed: 1, Rows: rows, ErrorRate: 0.05, AsOf: asOf, Quirks: true,
			Datasets: []string{dsVessel}, Dir: dir})
		if err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(rows)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}
