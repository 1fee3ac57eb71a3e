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

// Statistics reports, on PostgreSQL, the columns of a dataset's table that
// have planner statistics, each with the number of its histogram's bounds.
func (s *Store) Statistics(ctx context.Context, dataset string) (map[string]int, error) {
	t, err := s.dsTable(dataset)
	if err != nil {
		return nil, err
	}
	rows, err := s.r.QueryContext(ctx, "SELECT attname, COALESCE(array_length(histogram_bounds::text::text[], 1), 0) "+
		"FROM pg_stats WHERE tablename = $1 AND schemaname = current_schema()", t.name)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var col string
		var bounds int
		if err := rows.Scan(&col, &bounds); err != nil {
			return nil, err
		}
		out[col] = bounds
	}
	return out, rows.Err()
}

// ChangesSinceAnalyze is PostgreSQL's count of the versions of a dataset's
// table written since it was last analysed as a whole, the count by which
// autovacuum decides to analyse it.
func (s *Store) ChangesSinceAnalyze(ctx context.Context, dataset string) (int64, error) {
	t, err := s.dsTable(dataset)
	if err != nil {
		return 0, err
	}
	var n int64
	err = s.r.QueryRowContext(ctx, "SELECT n_mod_since_analyze FROM pg_stat_user_tables WHERE relid = $1::regclass", t.name).Scan(&n)
	return n, err
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

// KeyCollation is, on PostgreSQL, the collation of a dataset table's sy_key
// ("" on SQLite).
func (s *Store) KeyCollation(ctx context.Context, dataset string) (string, error) {
	t, err := s.dsTable(dataset)
	if err != nil || s.d.name() != "postgres" {
		return "", err
	}
	var coll string
	err = s.r.QueryRowContext(ctx, "SELECT c.collname FROM pg_attribute a JOIN pg_collation c ON c.oid = a.attcollation "+
		"WHERE a.attrelid = $1::regclass AND a.attname = 'sy_key'", t.name).Scan(&coll)
	return coll, err
}

// SetKeyCollation gives a dataset table's sy_key another collation on
// PostgreSQL, as tables were made before keyType.
func (s *Store) SetKeyCollation(ctx context.Context, dataset, coll string) error {
	t, err := s.dsTable(dataset)
	if err != nil {
		return err
	}
	_, err = s.w.ExecContext(ctx, "ALTER TABLE "+t.name+" ALTER COLUMN sy_key TYPE TEXT COLLATE "+quote(coll))
	return err
}

// MigrateTo migrates the database up or down to a version.
func (s *Store) MigrateTo(ctx context.Context, version int64) error {
	p, err := s.migrations()
	if err != nil {
		return err
	}
	cur, err := p.GetDBVersion(ctx)
	if err != nil {
		return err
	}
	if version < cur {
		_, err = p.DownTo(ctx, version)
	} else {
		_, err = p.UpTo(ctx, version)
	}
	return err
}
