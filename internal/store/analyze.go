package store

import (
	"context"
	"fmt"
	"strings"

	"shuiyun/internal/standard"
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
//
// Only of the columns that steer those plans (plannedColumns): on 1,000,000
// versions 0.67–0.72 s instead of 0.97–1.36 s. An ANALYZE of some columns
// leaves the table's count of changes since its last analyse as it was, so
// autovacuum still analyses the whole table soon after, off the package's
// way. (Where an operator has turned autovacuum off, as on the CI servers
// here, the other columns wait for the ANALYZE the operator runs.) The
// searches of bench/web.sh ran as fast after either: 401 and 435 q/s after a
// full ANALYZE, 427 and 423 after this one, alternately.
func (s *Store) Analyze(ctx context.Context, datasets ...string) error {
	for _, name := range datasets {
		t, err := s.dsTable(name)
		if err != nil {
			return err
		}
		if s.d.name() != "postgres" {
			continue
		}
		cols := strings.Join(plannedColumns(s.std, t.ds), ", ")
		if _, err := s.w.ExecContext(ctx, "ANALYZE "+t.name+" ("+cols+")"); err != nil {
			return fmt.Errorf("analyze %s: %w", name, err)
		}
	}
	return nil
}

// plannedColumns are the columns of a dataset's table whose statistics
// decide how searches run: the system columns that pick current, live and
// owned versions, the fields with a search index (searchIndexed), and the
// coded fields, whose values are so unevenly common that an equality on
// one decides between reading an index in order and scanning the table.
func plannedColumns(std *standard.Standard, ds *standard.Dataset) []string {
	cols := []string{"sy_key", "sy_owner", "sy_from", "sy_to", "sy_deleted"}
	indexed := map[*standard.Field]bool{}
	for _, ix := range searchIndexed(std, ds) {
		indexed[ix.f] = true
	}
	for _, f := range ds.Fields {
		if indexed[f] || f.CodeList != "" {
			cols = append(cols, quote(f.Name))
		}
	}
	return cols
}
