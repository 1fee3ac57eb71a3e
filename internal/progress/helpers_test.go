package progress_test

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"

	"shuiyun/internal/gen"
	"shuiyun/internal/progress"
	"shuiyun/internal/standard"
	"shuiyun/internal/store"
	"shuiyun/internal/validate"
)

func mustStandard(t testing.TB) *standard.Standard {
	t.Helper()
	std, err := standard.Default()
	if err != nil {
		t.Fatal(err)
	}
	return std
}

// backends runs a test on SQLite and, when SHUIYUN_TEST_POSTGRES holds a URL,
// on PostgreSQL (a schema of its own, dropped afterwards), as the store's tests do.
func backends(t *testing.T, fn func(t *testing.T, open func() *store.Store)) {
	std := mustStandard(t)
	t.Run("sqlite", func(t *testing.T) {
		fn(t, func() *store.Store { return mustOpen(t, store.Config{Data: t.TempDir()}, std) })
	})
	pg := os.Getenv("SHUIYUN_TEST_POSTGRES")
	if pg == "" {
		return
	}
	t.Run("postgres", func(t *testing.T) {
		fn(t, func() *store.Store { return mustOpen(t, store.Config{URL: schemaURL(t, pg)}, std) })
	})
}

func schemaURL(t testing.TB, base string) string {
	t.Helper()
	b := make([]byte, 6)
	rand.Read(b)
	schema := "t_" + hex.EncodeToString(b)
	db, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec("CREATE SCHEMA " + schema); err != nil {
		t.Fatalf("create schema: %v", err)
	}
	t.Cleanup(func() {
		if db, err := sql.Open("pgx", base); err == nil {
			db.Exec("DROP SCHEMA " + schema + " CASCADE")
			db.Close()
		}
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

func mustOpen(t testing.TB, cfg store.Config, std *standard.Standard) *store.Store {
	t.Helper()
	s, err := store.Open(context.Background(), cfg, std)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// fixture is a store with a clock, and the metrics service over it.
type fixture struct {
	t   *testing.T
	s   *store.Store
	svc *progress.Service
	std *standard.Standard
	now time.Time
	// legacy sends packages as ingest did before it recorded submissions,
	// with this receipt.
	legacy  bool
	receipt []byte
}

func newFixture(t *testing.T, s *store.Store) *fixture {
	f := &fixture{t: t, s: s, std: s.Standard(), now: time.Date(2026, 11, 1, 8, 0, 0, 0, progress.Beijing)}
	s.Now = func() time.Time { return f.now }
	f.svc = progress.New(s)
	f.svc.TempDir = t.TempDir()
	return f
}

// at sets the clock to a Beijing day and time ("2026-11-02", "09:00").
func (f *fixture) at(day, hhmm string) time.Time {
	f.t.Helper()
	tm, err := time.ParseInLocation("2006-01-02 15:04:05", day+" "+hhmm+":00", progress.Beijing)
	if len(hhmm) == 8 {
		tm, err = time.ParseInLocation("2006-01-02 15:04:05", day+" "+hhmm, progress.Beijing)
	}
	if err != nil {
		f.t.Fatal(err)
	}
	f.now = tm
	return tm
}

// file is one dataset of a package: rows to store and rows rejected.
type file struct {
	dataset  string
	rows     []row
	rejected []store.RejectedRow
}

// row is a record's values in field order; del withdraws it.
type row struct {
	values []string
	del    bool
}

// send applies a package at the clock's time, as ingest does: one job, the
// accepted rows through a Writer, the submission recorded, the delivery.
func (f *fixture) send(sender string, seq int64, files ...file) *store.Delivery {
	f.t.Helper()
	ctx := context.Background()
	s := f.s
	name := fmt.Sprintf("%s_%s_%06d.zip", sender, f.now.Format("20060102"), seq)
	b := make([]byte, 8)
	rand.Read(b)
	if _, _, err := s.Enqueue(ctx, store.Job{Inbox: sender, Name: name, Path: "processing/" + hex.EncodeToString(b), SHA256: hex.EncodeToString(b)}); err != nil {
		f.t.Fatal(err)
	}
	job, err := s.Claim(ctx, "w", time.Minute)
	if err != nil || job == nil {
		f.t.Fatalf("claim: %v %v", job, err)
	}
	tx, err := s.Begin(ctx, job, "w")
	if err != nil {
		f.t.Fatal(err)
	}
	defer tx.Rollback()
	d := &store.Delivery{Inbox: sender, Name: name, Sender: sender, Seq: seq, SHA256: job.SHA256, Status: "accepted", Applied: true,
		ReceivedAt: job.ReceivedAt, ProcessedAt: f.now}
	for _, fl := range files {
		ds := f.std.Dataset(fl.dataset)
		w, err := tx.Dataset(ctx, ds.Name, store.Batch{Sender: sender, Seq: seq, DataDate: f.now.Format(time.DateOnly)})
		if err != nil {
			f.t.Fatal(err)
		}
		for i, r := range fl.rows {
			op := byte('U')
			if r.del {
				op = 'D'
			}
			if err := w.Put(ctx, i+2, op, keyOf(ds, r.values), r.values); err != nil {
				f.t.Fatal(err)
			}
		}
		if _, err := w.Close(ctx); err != nil {
			f.t.Fatal(err)
		}
		sub := store.Submission{Dataset: ds.Name, Rows: len(fl.rows) + len(fl.rejected), Rejected: fl.rejected}
		if !f.legacy {
			if err := tx.RecordSubmission(ctx, sender, sub); err != nil {
				f.t.Fatal(err)
			}
		}
		d.Total += sub.Rows
		d.Rejected += len(fl.rejected)
	}
	if d.Rejected > 0 {
		d.Status = "partial"
	}
	d.Accepted = d.Total - d.Rejected
	receipt := []byte("{}")
	if f.receipt != nil {
		receipt = f.receipt
	}
	if err := tx.Finish(ctx, d, func(*store.Delivery, []int64) ([]byte, error) { return receipt, nil }); err != nil {
		f.t.Fatal(err)
	}
	if err := s.Done(ctx, job, "w"); err != nil {
		f.t.Fatal(err)
	}
	return d
}

// keyOf is the business key the engine gives a row (Key, else AltKey).
func keyOf(ds *standard.Dataset, values []string) string {
	fields := ds.Key
	empty := true
	for _, k := range fields {
		if values[ds.FieldIndex(k)] != "" {
			empty = false
		}
	}
	if empty && len(ds.AltKey) > 0 {
		fields = ds.AltKey
	}
	parts := make([]string, len(fields))
	for i, k := range fields {
		parts[i] = values[ds.FieldIndex(k)]
	}
	return strings.Join(parts, standard.KeySep)
}

// compute computes through a day.
func (f *fixture) compute(through string) progress.Result {
	f.t.Helper()
	res, err := f.svc.ComputeThrough(context.Background(), progress.MustDay(through))
	if err != nil {
		f.t.Fatal(err)
	}
	return res
}

// only makes one dataset the only one expected of anyone, so the figures
// of a test stay few.
func (f *fixture) only(dataset string) {
	f.t.Helper()
	ctx := context.Background()
	exp, err := f.svc.Expectations(ctx)
	if err != nil {
		f.t.Fatal(err)
	}
	for _, byDS := range exp {
		for name, e := range byDS {
			if e.Required && name != dataset {
				e.Required = false
				if err := f.svc.SetExpectation(ctx, e); err != nil {
					f.t.Fatal(err)
				}
			}
		}
	}
}

// clean holds generated clean records per agency and dataset (package gen):
// consistent, with valid check digits and codes.
var clean = sync.OnceValues(func() (map[string]map[string][][]string, error) {
	std, err := standard.Default()
	if err != nil {
		return nil, err
	}
	out := map[string]map[string][][]string{}
	for _, sub := range []string{"320000", "330000", "340000"} {
		dir, err := os.MkdirTemp("", "shuiyun-progress-gen-")
		if err != nil {
			return nil, err
		}
		defer os.RemoveAll(dir)
		res, err := gen.Generate(std, gen.Options{Seed: 1, Rows: 60, AsOf: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC), Format: "csv",
			Encoding: "UTF-8", Header: "id", Submitter: sub, Dir: dir,
			Datasets: []string{"shipping_operator", "waterway_transport_license", "vessel_operating_certificate"}})
		if err != nil {
			return nil, err
		}
		out[sub] = map[string][][]string{}
		for _, path := range res.Files {
			if strings.HasSuffix(path, "answers.csv") {
				continue
			}
			err := validate.Records(context.Background(), std, path, "", func(rt validate.RecordTable, r *validate.Record) error {
				out[sub][rt.Dataset.Name] = append(out[sub][rt.Dataset.Name], append([]string(nil), r.Values...))
				return nil
			})
			if err != nil {
				return nil, err
			}
		}
	}
	return out, nil
})

// record returns generated record i of an agency's dataset with some fields changed.
func (f *fixture) record(agencyCode, dataset string, i int, set map[string]string) []string {
	f.t.Helper()
	recs, err := clean()
	if err != nil {
		f.t.Fatal(err)
	}
	base := recs[agencyCode][dataset]
	if i >= len(base) {
		f.t.Fatalf("only %d generated %s records of %s", len(base), dataset, agencyCode)
	}
	ds := f.std.Dataset(dataset)
	out := append([]string(nil), base[i]...)
	for name, v := range set {
		j := ds.FieldIndex(name)
		if j < 0 {
			f.t.Fatalf("no field %s in %s", name, dataset)
		}
		out[j] = v
	}
	return out
}

var beijing = progress.Beijing
