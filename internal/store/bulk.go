package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
)

// bulkRows is the smallest package a Writer considers a bulk load.
var bulkRows = 50_000

// bulkShare: a load is bulk when the table holds at most this share of the
// package's rows as current versions (a first snapshot, or one agency's
// first snapshot beside a few others).
const bulkShare = 4

// startBulk prepares a bulk load: it drops the table's search indexes, to be
// built again at Close, and reads the table's current versions once instead
// of looking the package's keys up chunk by chunk. Maintaining the three
// search indexes row by row cost a 1,000,000-row first load 30% on
// PostgreSQL (12.4 s without them, 16.8 s with) and 40–60% on SQLite;
// building them afterwards takes 2–5 s. All of it happens in the
// transaction: a rollback or a crash leaves the indexes as they were.
//
// On PostgreSQL DROP INDEX locks the table until the commit, so searches of
// that dataset wait for the load. That is why only a table the package
// outweighs four times qualifies, and why the keys are not looked up on a
// read connection meanwhile: it would wait for the same lock. Read after the
// lock is taken, the versions are all that is committed; no other writer can
// add to them before this one commits.
func (w *Writer) startBulk(ctx context.Context) error {
	if w.b.Rows < bulkRows {
		return nil
	}
	limit := w.b.Rows / bulkShare
	if w.tx.s.d.name() == "postgres" {
		// The planner's estimate of the table's versions, kept by ANALYZE
		// and CREATE INDEX: well above the limit, the count is not needed
		// (it read 250,000 rows of a 1,000,000-row table, 74 ms). Versions
		// include history, so this may pass over a table of few current
		// ones: that load goes row by row, as correct and slower.
		var est float64
		err := w.tx.c.QueryRowContext(ctx, "SELECT reltuples FROM pg_class WHERE oid = $1::regclass", w.t.name).Scan(&est)
		if err == nil && est > 2*float64(limit) {
			return nil
		}
	}
	var n int
	q := "SELECT COUNT(*) FROM (SELECT 1 FROM " + w.t.name + " WHERE " + isCurrent + " LIMIT ?) AS c"
	if err := w.tx.c.QueryRowContext(ctx, w.tx.s.d.rebind(q), limit+1).Scan(&n); err != nil {
		return fmt.Errorf("count %s: %w", w.t.name, err)
	}
	if n > limit {
		return nil
	}
	// Into a table with no current versions, a stream of distinct keys
	// never updates a version in place, so nothing needs the key index
	// until the stream ends: it is built then, as one sort (keyless).
	keyless := n == 0 && w.b.UniqueKeys
	if ok, err := w.dropIndexes(ctx, keyless); !ok || err != nil {
		return err
	}
	w.keyless = keyless
	if keyless {
		if err := w.truncateEmpty(ctx); err != nil {
			return err
		}
	}
	rows, err := w.tx.c.QueryContext(ctx, "SELECT "+currentCols+" FROM "+w.t.name+" WHERE "+isCurrent)
	if err != nil {
		return fmt.Errorf("read %s: %w", w.t.name, err)
	}
	w.counts.Bulk = true
	w.committed = make(map[string]current, n)
	if err := scanCurrent(rows, w.committed); err != nil {
		return fmt.Errorf("read %s: %w", w.t.name, err)
	}
	return nil
}

// bulkLockWait is how long a bulk load waits for PostgreSQL's lock on the table.
var bulkLockWait = 2 * time.Second

// dropIndexes drops the table's search indexes, and its key and owner
// indexes too when keys is set, or reports false when PostgreSQL could not
// lock the table within bulkLockWait: a long read (a download) holds it, and
// while DROP INDEX waited, every new search of the table would queue behind
// it. The load then goes row by row.
func (w *Writer) dropIndexes(ctx context.Context, keys bool) (bool, error) {
	exec := func(qs ...string) error {
		for _, q := range qs {
			if _, err := w.tx.c.ExecContext(ctx, q); err != nil {
				return err
			}
		}
		return nil
	}
	pg := w.tx.s.d.name() == "postgres"
	if pg {
		if err := exec("SAVEPOINT sy_bulk"); err != nil {
			return false, err
		}
		if err := exec(fmt.Sprintf("SET LOCAL lock_timeout = %d", bulkLockWait.Milliseconds())); err != nil {
			return false, err
		}
	}
	var drops []string
	for _, ix := range searchIndexed(w.tx.s.std, w.t.ds) {
		drops = append(drops, "DROP INDEX IF EXISTS "+searchIndexName(w.t, ix.f))
	}
	if keys {
		drops = append(drops, w.tx.s.dropKeyIndexes(w.t)...)
	}
	for _, q := range drops {
		err := exec(q)
		var pe *pgconn.PgError
		if pg && errors.As(err, &pe) && pe.Code == "55P03" { // lock_not_available
			// Undoes the drops and the timeout, and lets the lock go.
			return false, exec("ROLLBACK TO SAVEPOINT sy_bulk", "RELEASE SAVEPOINT sy_bulk")
		}
		if err != nil {
			return false, fmt.Errorf("bulk load of %s: %w", w.t.name, err)
		}
	}
	if pg {
		return true, exec("SET LOCAL lock_timeout TO DEFAULT", "RELEASE SAVEPOINT sy_bulk")
	}
	return true, nil
}

// truncateEmpty truncates the table if it holds no versions at all, so that
// PostgreSQL may write the load's versions frozen (COPY FREEZE wants a table
// emptied in the same transaction). The first reads after a plain load set
// every version's hint bits and so write its pages again: ANALYZE of a
// 300,000-version table took 1.15–1.40 s after a plain load, 0.83–1.22 s
// after a frozen one; reading a sender's records the first time, 0.32 s
// against 0.27–0.28 s. The table is locked already (dropIndexes), and a
// rollback brings it back as it was.
//
// Frozen versions are visible to a transaction whose snapshot predates the
// commit, as TRUNCATE's emptiness would be; a table with nothing in it is
// the only one this happens to.
func (w *Writer) truncateEmpty(ctx context.Context) error {
	if w.tx.s.d.name() != "postgres" {
		return nil
	}
	var held bool
	if err := w.tx.c.QueryRowContext(ctx, "SELECT EXISTS (SELECT 1 FROM "+w.t.name+")").Scan(&held); err != nil {
		return fmt.Errorf("bulk load of %s: %w", w.t.name, err)
	}
	if held {
		return nil
	}
	if _, err := w.tx.c.ExecContext(ctx, "TRUNCATE "+w.t.name); err != nil {
		return fmt.Errorf("bulk load of %s: %w", w.t.name, err)
	}
	w.frozen = true
	return w.numberVersions(ctx)
}

// numberVersions has the Writer number the versions of a frozen load
// itself, from the table's identity on: each drawn from the identity by
// the server cost COPY of 1,000,000 versions 0.25–0.4 s (6–9 %). No one
// else draws from it meanwhile: the table is locked until the commit, and
// numbered ends the draw. A rollback leaves a gap, as identities do.
func (w *Writer) numberVersions(ctx context.Context) error {
	var next int64
	err := w.tx.c.QueryRowContext(ctx, "SELECT nextval(pg_get_serial_sequence($1, 'sy_vid'))", w.t.name).Scan(&next)
	if err != nil {
		return fmt.Errorf("bulk load of %s: number its versions: %w", w.t.name, err)
	}
	w.vids.Store(next)
	return nil
}

// numbered moves the table's identity past the versions the Writer
// numbered (numberVersions), once it has written them all.
func (w *Writer) numbered(ctx context.Context) error {
	if !w.frozen {
		return nil
	}
	_, err := w.tx.c.ExecContext(ctx, "SELECT setval(pg_get_serial_sequence($1, 'sy_vid'), $2, false)", w.t.name, w.vids.Load())
	if err != nil {
		return fmt.Errorf("bulk load of %s: number its versions: %w", w.t.name, err)
	}
	return nil
}

// restoreKeys builds the key and owner indexes a bulk load dropped
// (keyless), once the pipeline has written the stream: whatever follows
// looks keys up on the transaction's connection.
func (w *Writer) restoreKeys(ctx context.Context) error {
	if !w.keyless {
		return nil
	}
	w.keyless = false
	for _, q := range w.tx.s.keyIndexes(w.t) {
		if _, err := w.tx.c.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("bulk load of %s: build its key indexes: %w", w.t.name, err)
		}
	}
	return nil
}

// endBulk builds the search indexes a bulk load dropped.
func (w *Writer) endBulk(ctx context.Context) error {
	if w.committed == nil {
		return nil
	}
	return w.tx.s.createSearchIndexes(ctx, w.tx.c, w.t)
}

// lookupCommitted gives the current versions of keys as committed before
// this transaction: what a chunk of distinct keys needs (see pipeline.decide).
func (w *Writer) lookupCommitted(ctx context.Context, keys []string) (map[string]current, error) {
	if w.committed == nil {
		return w.tx.lookup(ctx, w.tx.s.r, w.t, keys)
	}
	out := make(map[string]current)
	for _, k := range keys {
		if c, ok := w.committed[k]; ok {
			out[k] = c
		}
	}
	return out, nil
}
