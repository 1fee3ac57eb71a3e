package store

import (
	"context"
	"fmt"
)

// Analyze refreshes the planner statistics of datasets after a large load.
// PostgreSQL plans searches from them: straight after a first load of a
// million rows, before autovacuum's analyse (up to a minute or more), 50
// clients got 4 searches a second instead of hundreds. SQLite's searches
// choose their index themselves (search.go) and need none.
func (s *Store) Analyze(ctx context.Context, datasets ...string) error {
	for _, name := range datasets {
		t, err := s.dsTable(name)
		if err != nil {
			return err
		}
		if s.d.name() != "postgres" {
			continue
		}
		if _, err := s.w.ExecContext(ctx, "ANALYZE "+t.name); err != nil {
			return fmt.Errorf("analyze %s: %w", name, err)
		}
	}
	return nil
}
