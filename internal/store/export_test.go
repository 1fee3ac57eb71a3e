package store

import (
	"context"
	"fmt"
	"time"
)

// SetChunk sets how many rows the Writer looks up and writes together and
// returns the size before: small chunks make tests with a few rows run
// through the pipeline and its ordering rules; benchmarks put it back.
func SetChunk(n int) int {
	old := chunk
	chunk = n
	return old
}

// SetBulkRows sets the smallest bulk load and returns the size before.
func SetBulkRows(n int) int {
	old := bulkRows
	bulkRows = n
	return old
}

// SetOwnedRows sets, on every back end, the smallest full snapshot whose
// sender's records are read at once (0: never), and returns the sizes before.
func SetOwnedRows(n int) map[string]int {
	old := ownedRows
	ownedRows = map[string]int{"postgres": n, "sqlite": n}
	return old
}

// RestoreOwnedRows puts back what SetOwnedRows returned.
func RestoreOwnedRows(old map[string]int) { ownedRows = old }

// Indexes lists the indexes of a dataset's table by name, each with its
// definition (and, on PostgreSQL, whether it is the primary key).
func (s *Store) Indexes(ctx context.Context, dataset string) ([]string, error) {
	t, err := s.dsTable(dataset)
	if err != nil {
		return nil, err
	}
	q := "SELECT name || ': ' || COALESCE(sql, '') FROM sqlite_master WHERE type = 'index' AND tbl_name = ? ORDER BY name"
	if s.d.name() == "postgres" {
		q = `SELECT indexname || ': ' || replace(indexdef, schemaname || '.', '') || CASE WHEN EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = format('%I.%I', schemaname, indexname)::regclass AND c.contype = 'p') THEN ' (primary key)' ELSE '' END
			FROM pg_indexes i WHERE tablename = $1 AND schemaname = current_schema() ORDER BY indexname`
	}
	rows, err := s.r.QueryContext(ctx, q, t.name)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			return nil, err
		}
		out = append(out, n)
	}
	return out, rows.Err()
}

// SetBulkLockWait sets how long a bulk load waits for PostgreSQL's table lock
// and returns the wait before.
func SetBulkLockWait(d time.Duration) time.Duration {
	old := bulkLockWait
	bulkLockWait = d
	return old
}

// Statistics reports, on PostgreSQL, how many columns of a dataset's table
// have planner statistics and the most histogram bounds any of them has.
func (s *Store) Statistics(ctx context.Context, dataset string) (columns, bounds int, err error) {
	t, err := s.dsTable(dataset)
	if err != nil {
		return 0, 0, err
	}
	err = s.r.QueryRowContext(ctx, "SELECT COUNT(*), COALESCE(MAX(array_length(histogram_bounds::text::text[], 1)), 0) "+
		"FROM pg_stats WHERE tablename = $1 AND schemaname = current_schema()", t.name).Scan(&columns, &bounds)
	return columns, bounds, err
}

// FrozenPages counts the pages of a dataset's table that PostgreSQL's
// visibility map marks all frozen (pg_visibility, which it creates); SQLite
// has none and says 0.
func (s *Store) FrozenPages(ctx context.Context, dataset string) (int, error) {
	t, err := s.dsTable(dataset)
	if err != nil || s.d.name() != "postgres" {
		return 0, err
	}
	if _, err := s.w.ExecContext(ctx, "CREATE EXTENSION IF NOT EXISTS pg_visibility"); err != nil {
		return 0, fmt.Errorf("pg_visibility: %w", err)
	}
	var n int
	err = s.r.QueryRowContext(ctx, "SELECT all_frozen FROM pg_visibility_map_summary($1::regclass)", t.name).Scan(&n)
	return n, err
}
