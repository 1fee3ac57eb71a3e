package store_test

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"

	"shuiyun/internal/standard"
	"shuiyun/internal/store"
)

// opener opens the test's database; each distinct name is a database of its own.
type opener func(std *standard.Standard, name ...string) *store.Store

// backends runs a test on SQLite and, when SHUIYUN_TEST_POSTGRES holds a URL,
// on PostgreSQL (each database a schema of its own, dropped afterwards).
func backends(t *testing.T, fn func(t *testing.T, open opener)) {
	t.Run("sqlite", func(t *testing.T) {
		dir := t.TempDir()
		fn(t, func(std *standard.Standard, name ...string) *store.Store {
			return mustOpen(t, store.Config{Data: filepath.Join(append([]string{dir}, name...)...)}, std)
		})
	})
	pg := os.Getenv("SHUIYUN_TEST_POSTGRES")
	if pg == "" {
		return
	}
	t.Run("postgres", func(t *testing.T) {
		urls := map[string]string{}
		fn(t, func(std *standard.Standard, name ...string) *store.Store {
			key := strings.Join(name, "/")
			if urls[key] == "" {
				urls[key] = schemaURL(t, pg)
			}
			return mustOpen(t, store.Config{URL: urls[key]}, std)
		})
	})
}

func schemaURL(t *testing.T, base string) string { return schemaURLB(t, base) }

func schemaURLB(t testing.TB, base string) string {
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
		db, err := sql.Open("pgx", base)
		if err == nil {
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

func mustOpen(t *testing.T, cfg store.Config, std *standard.Standard) *store.Store {
	t.Helper()
	s, err := store.Open(context.Background(), cfg, std)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func mustStandard(t testing.TB) *standard.Standard {
	t.Helper()
	std, err := standard.Default()
	if err != nil {
		t.Fatal(err)
	}
	return std
}

// clock is a controllable system time: each tick moves it one second.
type clock struct{ t time.Time }

func (c *clock) now() time.Time { return c.t }
func (c *clock) tick() time.Time {
	c.t = c.t.Add(time.Second)
	return c.t
}

// op is one row of a test package; op 'S' is a rejected row (Writer.Seen).
type op struct {
	op   byte
	key  string // shipping_operator.uscc
	name string // shipping_operator.operator_name
}

// apply runs one package of shipping_operator rows through a job, as ingest does.
func apply(t *testing.T, s *store.Store, sender string, seq int64, full bool, rows ...op) store.Counts {
	t.Helper()
	c, err := applyErr(s, sender, seq, full, 0.2, rows...)
	if err != nil {
		t.Fatalf("apply %s #%d: %v", sender, seq, err)
	}
	return c
}

func applyErr(s *store.Store, sender string, seq int64, full bool, shrink float64, rows ...op) (store.Counts, error) {
	return applyBatch(s, store.Batch{Sender: sender, Seq: seq, DataDate: "2026-11-25", Full: full, MaxShrink: shrink}, rows...)
}

// applyBatch is applyErr with the whole Batch given.
func applyBatch(s *store.Store, b store.Batch, rows ...op) (store.Counts, error) {
	sender, seq := b.Sender, b.Seq
	ctx := context.Background()
	name := fmt.Sprintf("%s_20261125_%06d.zip", sender, seq)
	id := make([]byte, 8)
	rand.Read(id)
	path := "processing/" + sender + "/" + hex.EncodeToString(id) + "-" + name
	if _, _, err := s.Enqueue(ctx, store.Job{Inbox: sender, Name: name, Path: path, SHA256: hex.EncodeToString(id), Size: 1}); err != nil {
		return store.Counts{}, err
	}
	job, err := s.Claim(ctx, "w1", time.Minute)
	if err != nil || job == nil {
		return store.Counts{}, fmt.Errorf("claim: %v %v", job, err)
	}
	tx, err := s.Begin(ctx, job, "w1")
	if err != nil {
		return store.Counts{}, err
	}
	defer func() {
		tx.Rollback()
		s.Done(ctx, job, "w1") // a failed apply must not hold up the sender's later packages
	}()
	w, err := tx.Dataset(ctx, "shipping_operator", b)
	if err != nil {
		return store.Counts{}, err
	}
	ds := s.Standard().Dataset("shipping_operator")
	for i, r := range rows {
		if r.op == 'S' { // a row validation rejected: its key is only seen
			w.Seen(r.key)
			continue
		}
		vals := make([]string, len(ds.Fields))
		vals[ds.FieldIndex("uscc")], vals[ds.FieldIndex("operator_name")] = r.key, r.name
		if err := w.Put(ctx, i+2, r.op, r.key, vals); err != nil {
			return store.Counts{}, err
		}
	}
	counts, err := w.Close(ctx)
	if err != nil {
		return counts, err
	}
	d := &store.Delivery{Inbox: sender, Name: name, Sender: sender, Seq: seq, SHA256: job.SHA256, Status: "accepted", Applied: true,
		Total: len(rows), Accepted: len(rows) - len(counts.Conflicts), ReceivedAt: job.ReceivedAt, ProcessedAt: s.Now()}
	err = tx.Finish(ctx, d, func(d *store.Delivery, missing []int64) ([]byte, error) {
		return fmt.Appendf(nil, `{"n":%d,"missing":%v}`, d.N, missing), nil
	})
	return counts, err
}

// state is the current names by key.
func state(t *testing.T, s *store.Store) map[string]string {
	t.Helper()
	ds := s.Standard().Dataset("shipping_operator")
	out := map[string]string{}
	err := s.Records(context.Background(), "shipping_operator", time.Time{}, func(v *store.Version) error {
		out[v.Key] = v.Values[ds.FieldIndex("operator_name")] + "@" + v.Owner
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestMain(m *testing.M) {
	store.SetChunk(3)
	os.Exit(m.Run())
}
