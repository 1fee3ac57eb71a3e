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
//
// At the server's own statistics target: sampled at a tenth of it (10),
// ANALYZE of 1,000,000 versions took 0.1 s instead of 1.5 s, but the same
// 50 clients then got 94 searches a second instead of 548 (p99 2.5 s
// against 0.23 s; bench/web.sh): ten histogram buckets misjudge a name
// prefix.
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
