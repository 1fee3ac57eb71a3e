package store_test

import (
	"context"
	"fmt"
	"os"
	"testing"
	"time"

	"shuiyun/internal/standard"
	"shuiyun/internal/store"
)

// BenchmarkApply writes 20,000 vessel certificates through a Writer (lookups,
// decisions, inserts with history), then the same rows again unchanged. The
// end-to-end figures (unzip, validation, receipt) come from bench/ingest.sh.
//
//	go test -bench Apply -benchtime 3x ./internal/store
func BenchmarkApply(b *testing.B) {
	defer store.SetChunk(store.SetChunk(2000)) // the product's chunk, not the tests' tiny one
	const rows = 20_000
	std, err := standard.Default()
	if err != nil {
		b.Fatal(err)
	}
	ds := std.Dataset("vessel_operating_certificate")
	values := make([][]string, rows)
	for i := range values {
		v := make([]string, len(ds.Fields))
		for j, f := range ds.Fields {
			switch f.Type {
			case standard.TypeDate:
				v[j] = fmt.Sprintf("2020-01-%02d", 1+i%28)
			case standard.TypeInteger, standard.TypeBoolean:
				v[j] = fmt.Sprint(i % 2)
			case standard.TypeDecimal:
				v[j] = fmt.Sprintf("%d.5", i%997)
			default:
				v[j] = fmt.Sprintf("%s-%d", f.Name, i%97)
			}
		}
		v[ds.FieldIndex("cert_no")] = fmt.Sprintf("苏营%08d", i)
		values[i] = v
	}
	backendsB(b, func(b *testing.B, open func() *store.Store) {
		for _, again := range []bool{false, true} {
			name := "first"
			if again {
				name = "unchanged"
			}
			b.Run(name, func(b *testing.B) {
				b.ReportMetric(0, "ns/op")
				var total time.Duration
				for range b.N {
					b.StopTimer()
					s := open()
					if again {
						applyRows(b, s, ds.Name, 1, values)
					}
					b.StartTimer()
					start := time.Now()
					applyRows(b, s, ds.Name, 2, values)
					total += time.Since(start)
					b.StopTimer()
					s.Close()
				}
				b.ReportMetric(float64(rows*b.N)/total.Seconds(), "rows/s")
			})
		}
	})
}

func applyRows(b *testing.B, s *store.Store, dataset string, seq int64, values [][]string) {
	ctx := context.Background()
	path := fmt.Sprint("bench/", seq, "/", time.Now().UnixNano())
	if _, _, err := s.Enqueue(ctx, store.Job{Inbox: "320000", Name: "b.zip", Path: path, SHA256: path}); err != nil {
		b.Fatal(err)
	}
	job, err := s.Claim(ctx, "b", time.Hour)
	if err != nil || job == nil {
		b.Fatal("claim", err)
	}
	tx, err := s.Begin(ctx, job, "b")
	if err != nil {
		b.Fatal(err)
	}
	w, err := tx.Dataset(ctx, dataset, store.Batch{Sender: "320000", Seq: seq, DataDate: "2026-11-25", Full: true, MaxShrink: 1})
	if err != nil {
		b.Fatal(err)
	}
	for i, v := range values {
		if err := w.Put(ctx, i+2, 'U', v[0], v); err != nil {
			b.Fatal(err)
		}
	}
	if _, err := w.Close(ctx); err != nil {
		b.Fatal(err)
	}
	err = tx.Finish(ctx, &store.Delivery{Inbox: "320000", Name: path, Sender: "320000", Seq: seq, Status: "accepted", Applied: true},
		func(*store.Delivery, []int64) ([]byte, error) { return []byte("{}"), nil })
	if err != nil {
		b.Fatal(err)
	}
	if err := s.Done(ctx, job, "b"); err != nil {
		b.Fatal(err)
	}
}

// backendsB is backends for benchmarks: a fresh database for each open.
func backendsB(b *testing.B, fn func(b *testing.B, open func() *store.Store)) {
	std, _ := standard.Default()
	b.Run("sqlite", func(b *testing.B) {
		fn(b, func() *store.Store {
			s, err := store.Open(context.Background(), store.Config{Data: b.TempDir()}, std)
			if err != nil {
				b.Fatal(err)
			}
			return s
		})
	})
	pg := os.Getenv("SHUIYUN_TEST_POSTGRES")
	if pg == "" {
		return
	}
	b.Run("postgres", func(b *testing.B) {
		fn(b, func() *store.Store {
			s, err := store.Open(context.Background(), store.Config{URL: schemaURLB(b, pg)}, std)
			if err != nil {
				b.Fatal(err)
			}
			return s
		})
	})
}
