package validate_test

import (
	"context"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"shuiyun/internal/gen"
	"shuiyun/internal/validate"
)

// benchFiles generates the benchmark inputs once per process: 100,000 vessel
// certificates as UTF-8 CSV, GB18030 CSV and XLSX (20,000 rows), 1% defects.
var benchFiles = sync.OnceValues(func() (map[string]string, error) {
	dir, err := os.MkdirTemp("", "shuiyun-bench-")
	if err != nil {
		return nil, err
	}
	std, err := mustStandardErr()
	if err != nil {
		return nil, err
	}
	out := map[string]string{}
	for _, c := range []struct {
		name, format, enc string
		rows              int
	}{{"utf8", "csv", "UTF-8", 100_000}, {"gb18030", "csv", "GB18030", 100_000}, {"xlsx", "xlsx", "UTF-8", 20_000}} {
		d := filepath.Join(dir, c.name)
		res, err := gen.Generate(std, gen.Options{Seed: 7, Rows: c.rows, ErrorRate: 0.01, AsOf: asOf, Format: c.format,
			Encoding: c.enc, Header: "id", Datasets: []string{"vessel_operating_certificate"}, Dir: d})
		if err != nil {
			return nil, err
		}
		out[c.name] = res.Files[0]
	}
	return out, nil
})

func mustStandardErr() (*standardT, error) { return standardDefault() }

// BenchmarkValidate measures the whole engine (all rules) on one dataset file, in rows/s.
func BenchmarkValidate(b *testing.B) {
	files, err := benchFiles()
	if err != nil {
		b.Fatal(err)
	}
	std := mustStandard(b)
	for _, name := range []string{"utf8", "gb18030", "xlsx"} {
		b.Run(name, func(b *testing.B) {
			rows := 0
			for b.Loop() {
				r, err := validate.Run(context.Background(), std, []string{files[name]}, validate.Options{AsOf: asOf})
				if err != nil {
					b.Fatal(err)
				}
				rows = r.Summary.Rows
			}
			b.ReportMetric(float64(rows)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
		})
	}
}
