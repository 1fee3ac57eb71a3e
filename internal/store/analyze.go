package store

import (
	"context"
	"fmt"
)

// analyzeTarget is the statistics target of the refresh after a load: a
// tenth of PostgreSQL's default. On 1,000,000 vessel versions (48 columns)
// ANALYZE took 1.5 s at the default target of 100, 0.32 s at 30 and 0.10 s
// at 10; a first load of that size takes 12–18 s, a 100,000-row package
// 1.7–2.7 s, so at the default it was a tenth or a fifth of the whole.
// Ten most common values and ten histogram buckets a column are what a
// search's choice of plan needs (which index to walk, whether a filter is
// rare); autovacuum analyses again at the server's own target once a tenth
// of the table has changed.
const analyzeTarget = 10

// Analyze refreshes the planner statistics of datasets after a large load.
// PostgreSQL plans searches from them: straight after a first load of a
// million rows, before autovacuum's analyse (up to a minute or more), 50
// clients got 4 searches a second instead of hundreds. SQLite's searches
// choose their index themselves (search.go) and need none.
func (s *Store) Analyze(ctx context.Context, datasets ...string) error {
	if s.d.name() != "postgres" {
		for _, name := range datasets {
			if _, err := s.dsTable(name); err != nil {
				return err
			}
		}
		return nil
	}
	for _, name := range datasets {
		t, err := s.dsTable(name)
		if err != nil {
			return err
		}
		if err := s.analyze(ctx, t); err != nil {
			return fmt.Errorf("analyze %s: %w", name, err)
		}
	}
	return nil
}

func (s *Store) analyze(ctx context.Context, t *dsTable) error {
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, fmt.Sprintf("SET LOCAL default_statistics_target = %d", analyzeTarget)); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, "ANALYZE "+t.name); err != nil {
		return err
	}
	return tx.Commit()
}
