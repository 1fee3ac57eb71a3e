package store_test

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"shuiyun/internal/audit"
	"shuiyun/internal/store"
)

// rawBackends is backends with a second way into each database: plain SQL,
// as someone tampering with it would have.
func rawBackends(t *testing.T, fn func(t *testing.T, open func() *store.Store, raw *sql.DB)) {
	std := mustStandard(t)
	t.Run("sqlite", func(t *testing.T) {
		dir := t.TempDir()
		mustOpen(t, store.Config{Data: dir}, std) // migrated before the hubs open it together
		fn(t, func() *store.Store { return mustOpen(t, store.Config{Data: dir}, std) }, rawDB(t, "sqlite", "file:"+filepath.Join(dir, "shuiyun.db")+"?_pragma=busy_timeout(30000)"))
	})
	pg := os.Getenv("SHUIYUN_TEST_POSTGRES")
	if pg == "" {
		return
	}
	t.Run("postgres", func(t *testing.T) {
		url := schemaURL(t, pg)
		mustOpen(t, store.Config{URL: url}, std)
		fn(t, func() *store.Store { return mustOpen(t, store.Config{URL: url}, std) }, rawDB(t, "pgx", url))
	})
}

func rawDB(t *testing.T, driver, dsn string) *sql.DB {
	t.Helper()
	db, err := sql.Open(driver, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// TestAuditChain: concurrent appenders (two hub instances) keep one chain, and
// VerifyAudit finds an edited entry, a deleted one and a deleted tail.
func TestAuditChain(t *testing.T) {
	rawBackends(t, func(t *testing.T, open func() *store.Store, raw *sql.DB) {
		ctx := context.Background()
		hubs := []*store.Store{open(), open()}
		if h, err := hubs[0].AuditHead(ctx); err != nil || h != (audit.Head{}) {
			t.Fatalf("head of an empty log: %+v %v", h, err)
		}
		const n = 20
		var wg sync.WaitGroup
		for i := range n {
			wg.Go(func() {
				e := audit.Entry{Login: fmt.Sprint("u", i%3), Agency: "320000", Action: audit.Download, Target: "D03", Detail: fmt.Sprint("第 ", i, " 次"), IP: "10.0.0.1"}
				if _, err := hubs[i%2].AppendAudit(ctx, e); err != nil {
					t.Error(err)
				}
			})
		}
		wg.Wait()
		s := hubs[0]
		head, err := s.AuditHead(ctx)
		if err != nil || head.Seq != n {
			t.Fatalf("head after %d appends: %+v %v", n, head, err)
		}
		verify(t, s, nil)

		var seqs []int64
		err = s.AuditEntries(ctx, store.AuditFilter{Login: "u1", Desc: true, Limit: 3}, func(e audit.Entry) error {
			seqs = append(seqs, e.Seq)
			return nil
		})
		if err != nil || len(seqs) != 3 || seqs[0] < seqs[1] || seqs[1] < seqs[2] {
			t.Errorf("last three of u1: %v %v", seqs, err)
		}

		tamper(t, raw, "UPDATE audit_log SET detail = 'nothing happened' WHERE seq = 5")
		verify(t, s, []int64{5})
		tamper(t, raw, "DELETE FROM audit_log WHERE seq = 10")
		verify(t, s, []int64{5, 11})
		tamper(t, raw, "DELETE FROM audit_log WHERE seq = 20")
		verify(t, s, []int64{5, 11, 20})
	})
}

func tamper(t *testing.T, raw *sql.DB, q string) {
	t.Helper()
	if res, err := raw.Exec(q); err != nil {
		t.Fatal(err)
	} else if n, _ := res.RowsAffected(); n != 1 {
		t.Fatalf("%s: %d rows", q, n)
	}
}

func verify(t *testing.T, s *store.Store, want []int64) {
	t.Helper()
	problems, err := s.VerifyAudit(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var got []int64
	for _, p := range problems {
		got = append(got, p.Seq)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("problems %v (-want +got seqs):\n%s", problems, diff)
	}
}

func TestAuditEntries(t *testing.T) {
	std := mustStandard(t)
	backends(t, func(t *testing.T, open opener) {
		s := open(std)
		ctx := context.Background()
		at := time.Date(2026, 11, 25, 8, 0, 0, 0, time.UTC)
		entries := []audit.Entry{
			{At: at, Login: "js", Agency: "320000", Action: audit.SignIn, IP: "10.0.0.1"},
			{At: at.Add(time.Minute), Login: "js", Agency: "320000", Action: audit.Upload, Target: "a.xlsx", Detail: "12 行"},
			{At: at.Add(2 * time.Minute), Login: "zj", Agency: "330000", Action: audit.SignIn},
			{At: at.Add(time.Hour), Login: "admin", Agency: "000000", Action: audit.Admin, Target: "user:js", Detail: "停用"},
		}
		var sealed []audit.Entry
		for _, e := range entries {
			got, err := s.AppendAudit(ctx, e)
			if err != nil {
				t.Fatal(err)
			}
			sealed = append(sealed, got)
		}
		tests := []struct {
			name string
			f    store.AuditFilter
			want []int64
		}{
			{"all", store.AuditFilter{}, []int64{1, 2, 3, 4}},
			{"newest first", store.AuditFilter{Desc: true, Limit: 2}, []int64{4, 3}},
			{"login", store.AuditFilter{Login: "js"}, []int64{1, 2}},
			{"agency", store.AuditFilter{Agency: "330000"}, []int64{3}},
			{"action", store.AuditFilter{Action: audit.SignIn}, []int64{1, 3}},
			{"period", store.AuditFilter{From: at.Add(time.Minute), To: at.Add(time.Hour)}, []int64{2, 3}},
			{"nothing", store.AuditFilter{Login: "nobody"}, nil},
		}
		for _, tt := range tests {
			var got []int64
			err := s.AuditEntries(ctx, tt.f, func(e audit.Entry) error {
				if diff := cmp.Diff(sealed[e.Seq-1], e); diff != "" {
					t.Errorf("entry %d read back (-appended +read):\n%s", e.Seq, diff)
				}
				got = append(got, e.Seq)
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("%s (-want +got):\n%s", tt.name, diff)
			}
		}
		stop := fmt.Errorf("enough")
		if err := s.AuditEntries(ctx, store.AuditFilter{}, func(audit.Entry) error { return stop }); err != stop {
			t.Errorf("fn's error: %v", err)
		}
		verify(t, s, nil)
	})
}
