package store_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"shuiyun/internal/store"
)

// TestBulkLoad: a package that outweighs its table is loaded with the
// search indexes dropped and built again at the end; what it stores, the
// conflicts it finds and the indexes afterwards are those of a row-by-row
// load, and a rolled-back bulk load leaves the indexes in place.
func TestBulkLoad(t *testing.T) {
	std := mustStandard(t)
	defer store.SetBulkRows(store.SetBulkRows(8))
	backends(t, func(t *testing.T, open opener) {
		ctx := context.Background()
		s, clk, before := bulkStore(t, open(std))
		// Another agency's two records: 2 ≤ 10/4, so the next package is bulk.
		apply(t, s, "330000", 1, false, op{'I', "Z1", "浙一"}, op{'I', "Z2", "浙二"})
		clk.tick()
		var rows []op
		for i := range 9 {
			rows = append(rows, op{'I', fmt.Sprintf("K%d", i), fmt.Sprintf("苏%d", i)})
		}
		rows = append(rows, op{'U', "Z1", "抢"})
		c, err := applyBatch(s, store.Batch{Sender: "320000", Seq: 1, DataDate: "2026-11-25", Full: true, MaxShrink: 0.2, Rows: len(rows)}, rows...)
		if err != nil {
			t.Fatal(err)
		}
		check(t, "bulk", c, store.Counts{Inserted: 9, Bulk: true, Conflicts: []store.Conflict{{Row: 11, Key: "Z1", Owner: "330000"}}})
		st := state(t, s)
		if len(st) != 11 || st["K3"] != "苏3@320000" || st["Z1"] != "浙一@330000" {
			t.Errorf("state after the bulk load: %v", st)
		}
		sameIndexes(t, s, before, "the bulk load")
		page, err := s.Search(ctx, store.Query{Dataset: "shipping_operator", Sort: "operator_name", Limit: 3})
		if err != nil || len(page.Versions) != 3 || page.Versions[0].Values[std.Dataset("shipping_operator").FieldIndex("operator_name")] != "浙一" {
			t.Errorf("search by name after the bulk load: %v, %v", page, err)
		}

		// A bulk load that fails (the shrink guard: 330000's two records
		// would be withdrawn) rolls back, indexes included.
		clk.tick()
		var other []op
		for i := range 10 {
			other = append(other, op{'I', fmt.Sprintf("N%d", i), "新"})
		}
		// 11 current versions ≤ 44/4: bulk.
		c, err = applyBatch(s, store.Batch{Sender: "330000", Seq: 2, DataDate: "2026-11-25", Full: true, MaxShrink: 0.2, Rows: 44}, other...)
		if !errors.Is(err, store.ErrShrink) || !c.Bulk {
			t.Fatalf("shrinking bulk snapshot: %v (bulk %v), want ErrShrink in bulk", err, c.Bulk)
		}
		sameIndexes(t, s, before, "a failed bulk load")
		if got := state(t, s); len(got) != 11 {
			t.Errorf("state after a failed bulk load: %v", got)
		}
	})
}

// TestBulkLoadWaitsBriefly: on PostgreSQL, a bulk load that cannot lock its
// table soon (a long read holds it) goes row by row instead of making every
// search wait behind it.
func TestBulkLoadWaitsBriefly(t *testing.T) {
	pg := os.Getenv("SHUIYUN_TEST_POSTGRES")
	if pg == "" {
		return // the lock is PostgreSQL's; SQLite readers never hold up a writer in WAL mode
	}
	std := mustStandard(t)
	defer store.SetBulkRows(store.SetBulkRows(8))
	defer store.SetBulkLockWait(store.SetBulkLockWait(200 * time.Millisecond))
	url := schemaURL(t, pg)
	s := mustOpen(t, store.Config{URL: url}, std)
	ctx := context.Background()
	db, err := sql.Open("pgx", url)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	reader, err := db.BeginTx(ctx, nil) // a download in progress
	if err != nil {
		t.Fatal(err)
	}
	var n int
	if err := reader.QueryRowContext(ctx, "SELECT COUNT(*) FROM rec_shipping_operator").Scan(&n); err != nil {
		t.Fatal(err)
	}
	var rows []op
	for i := range 10 {
		rows = append(rows, op{'I', fmt.Sprintf("K%d", i), "苏"})
	}
	c, err := applyBatch(s, store.Batch{Sender: "320000", Seq: 1, DataDate: "2026-11-25", Full: true, MaxShrink: 0.2, Rows: len(rows)}, rows...)
	reader.Rollback()
	if err != nil {
		t.Fatal(err)
	}
	check(t, "row by row", c, store.Counts{Inserted: 10})
	// Without the reader, the next one is a bulk load.
	c, err = applyBatch(s, store.Batch{Sender: "330000", Seq: 1, DataDate: "2026-11-25", Full: true, MaxShrink: 0.2, Rows: 40}, op{'I', "Z1", "浙"})
	if err != nil {
		t.Fatal(err)
	}
	check(t, "bulk", c, store.Counts{Inserted: 1, Bulk: true})
	if got := state(t, s); len(got) != 11 {
		t.Errorf("state: %v", got)
	}
}

// TestBulkLoadEstimate: on PostgreSQL an analysed table whose versions far
// outnumber the package's share is not counted and not loaded in bulk, even
// when few of its versions are current (history); SQLite counts current
// versions and loads it in bulk.
func TestBulkLoadEstimate(t *testing.T) {
	std := mustStandard(t)
	defer store.SetBulkRows(store.SetBulkRows(8))
	backends(t, func(t *testing.T, open opener) {
		s := open(std)
		for seq := range int64(10) { // 5 records, 50 versions
			var rows []op
			for k := range 5 {
				rows = append(rows, op{'U', fmt.Sprintf("K%d", k), fmt.Sprint("名", seq)})
			}
			apply(t, s, "330000", seq+1, false, rows...)
		}
		if err := s.Analyze(t.Context(), "shipping_operator"); err != nil {
			t.Fatal(err)
		}
		// 5 current versions ≤ 20/4; 50 versions > 2 × 5.
		c, err := applyBatch(s, store.Batch{Sender: "320000", Seq: 1, DataDate: "2026-11-25", Full: true, MaxShrink: 0.2, Rows: 20}, op{'I', "N", "新"})
		if err != nil {
			t.Fatal(err)
		}
		check(t, s.Dialect(), c, store.Counts{Inserted: 1, Bulk: s.Dialect() != "postgres"})
	})
}

// TestBulkLoadIntoEmptyTable: a bulk load of distinct keys into a table with
// no current versions drops its key and owner indexes too and builds them
// once the rows are in; they come back as they were, they do their work for
// the packages after, and a repeated key the caller vouched was unique fails
// the package when they are built, leaving nothing behind.
func TestBulkLoadIntoEmptyTable(t *testing.T) {
	std := mustStandard(t)
	defer store.SetBulkRows(store.SetBulkRows(8))
	backends(t, func(t *testing.T, open opener) {
		ctx := context.Background()
		s, clk, before := bulkStore(t, open(std))
		var rows []op
		for i := range 21 { // chunks of 3 (TestMain), none left for the end
			rows = append(rows, op{'I', fmt.Sprintf("K%02d", i), fmt.Sprintf("苏%d", i)})
		}
		rows[7].op = 'D' // a record never stored: a tombstone only
		first := store.Batch{Sender: "320000", Seq: 1, DataDate: "2026-11-25", Full: true, UniqueKeys: true, MaxShrink: 0.2, Rows: len(rows)}
		c, err := applyBatch(s, first, rows...)
		if err != nil {
			t.Fatal(err)
		}
		check(t, "bulk into an empty table", c, store.Counts{Inserted: 20, Bulk: true})
		frozen, err := s.FrozenPages(ctx, "shipping_operator")
		if err != nil {
			t.Fatal(err)
		}
		if pg := s.Dialect() == "postgres"; pg != (frozen > 0) {
			t.Errorf("PostgreSQL %v: %d pages written frozen, want some on PostgreSQL only", pg, frozen)
		}
		sameIndexes(t, s, before, "the bulk load")

		clk.tick()
		c = apply(t, s, "320000", 2, false, op{'U', "K03", "改"}, op{'I', "K07", "回"})
		check(t, "the next package, row by row", c, store.Counts{Inserted: 1, Updated: 1})
		if n, err := s.Count(ctx, "shipping_operator", "320000"); err != nil || n != 21 {
			t.Errorf("live records of 320000: %d, %v; want 21", n, err)
		}
		h, err := s.History(ctx, "shipping_operator", "K03")
		if err != nil || len(h) != 2 || h[1].Values[std.Dataset("shipping_operator").FieldIndex("operator_name")] != "改" {
			t.Errorf("K03 history: %+v, %v", h, err)
		}
		numberedOnce(t, s, rows)

		other := open(std, "repeat")
		rows[12].key = "K02"
		_, err = applyBatch(other, first, rows...)
		if err == nil || !strings.Contains(err.Error(), "build its key indexes") {
			t.Fatalf("a repeated key in a keyless bulk load: got %v, want it refused as the key index is built", err)
		}
		sameIndexes(t, other, before, "a failed bulk load")
		if got := state(t, other); len(got) != 0 {
			t.Errorf("state after a failed bulk load: %v", got)
		}
	})
}

// numberedOnce checks that the versions of the keys of rows have distinct
// ids, the first package's (a bulk load, numbered by the Writer on
// PostgreSQL) below the second's (numbered by the table).
func numberedOnce(t *testing.T, s *store.Store, rows []op) {
	t.Helper()
	seen := map[int64]string{}
	var first, second []int64
	for _, r := range rows {
		h, err := s.History(context.Background(), "shipping_operator", r.key)
		if err != nil {
			t.Fatal(err)
		}
		for _, v := range h {
			if k, ok := seen[v.VID]; ok {
				t.Errorf("versions of %s and %s both numbered %d", k, r.key, v.VID)
			}
			seen[v.VID] = r.key
			if v.Seq == 1 {
				first = append(first, v.VID)
			} else {
				second = append(second, v.VID)
			}
		}
	}
	if len(first) != len(rows) || len(second) != 2 || slices.Max(first) >= slices.Min(second) {
		t.Errorf("version ids: bulk load %v, the package after %v", first, second)
	}
}

// indexes is s.Indexes of shipping_operator.
func indexes(t *testing.T, s *store.Store) []string {
	t.Helper()
	got, err := s.Indexes(context.Background(), "shipping_operator")
	if err != nil {
		t.Fatal(err)
	}
	return got
}

// sameIndexes checks that shipping_operator's indexes are still want.
func sameIndexes(t *testing.T, s *store.Store, want []string, after string) {
	t.Helper()
	if diff := cmp.Diff(want, indexes(t, s)); diff != "" {
		t.Errorf("indexes after %s (-before +after):\n%s", after, diff)
	}
}

// bulkStore readies a store for a bulk-load test: a clock to move on, and
// shipping_operator's indexes as they were made.
func bulkStore(t *testing.T, s *store.Store) (*store.Store, *clock, []string) {
	t.Helper()
	clk := &clock{t: time.Date(2026, 11, 25, 8, 0, 0, 0, time.UTC)}
	s.Now = clk.now
	before := indexes(t, s)
	if len(before) < 3 {
		t.Fatalf("indexes %v", before)
	}
	return s, clk, before
}
