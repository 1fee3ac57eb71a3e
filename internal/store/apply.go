package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"strings"
	"sync"

	"shuiyun/internal/standard"
)

// Ministry is the agency code that may act for any agency (contracts.md §1).
const Ministry = "000000"

// Tx applies one package: every write between Begin and Finish is one
// database transaction, so a crash leaves all of the package or none of it.
type Tx struct {
	s      *Store
	c      *sql.Conn
	job    *Job
	worker string
	now    int64
	done   bool
	stmts  map[string]*sql.Stmt // prepared once per transaction: parsing a 30,000-parameter INSERT costs as much as running it
	rstmts map[string]*sql.Stmt // the same on the read connections
	rmu    sync.Mutex           // guards rstmts
	stops  []context.CancelFunc // end the reads a Writer started beside the transaction (startOwned)
}

// prepare returns the transaction's prepared statement for q.
func (tx *Tx) prepare(ctx context.Context, q string) (*sql.Stmt, error) {
	if st, ok := tx.stmts[q]; ok {
		return st, nil
	}
	st, err := tx.c.PrepareContext(ctx, q)
	if err != nil {
		return nil, err
	}
	tx.stmts[q] = st
	return st, nil
}

// prepareRead is prepare for the read connections of a Writer's pipeline,
// whose deciders call it at once.
func (tx *Tx) prepareRead(ctx context.Context, q string) (*sql.Stmt, error) {
	tx.rmu.Lock()
	defer tx.rmu.Unlock()
	if st, ok := tx.rstmts[q]; ok {
		return st, nil
	}
	st, err := tx.s.r.PrepareContext(ctx, q)
	if err != nil {
		return nil, err
	}
	tx.rstmts[q] = st
	return st, nil
}

func (tx *Tx) closeStmts() {
	for _, stop := range tx.stops {
		stop()
	}
	tx.stops = nil
	for _, st := range tx.stmts {
		st.Close()
	}
	for _, st := range tx.rstmts {
		st.Close()
	}
	tx.stmts, tx.rstmts = nil, nil
}

// Begin starts applying a job's package. The transaction's writes wait for
// other writers (SQLite has one), so keep it to the apply itself.
func (s *Store) Begin(ctx context.Context, job *Job, worker string) (*Tx, error) {
	c, err := s.w.Conn(ctx)
	if err != nil {
		return nil, err
	}
	if err := s.d.begin(ctx, c); err != nil {
		c.Close()
		return nil, fmt.Errorf("begin: %w", err)
	}
	return &Tx{s: s, c: c, job: job, worker: worker, now: s.now(), stmts: map[string]*sql.Stmt{}, rstmts: map[string]*sql.Stmt{}}, nil
}

// Rollback abandons the transaction; it is a no-op after Finish.
func (tx *Tx) Rollback() {
	if tx.done {
		return
	}
	tx.done = true
	tx.closeStmts()
	if _, err := tx.c.ExecContext(context.Background(), "ROLLBACK"); err != nil {
		// The connection's state is unknown: database/sql drops it for this error.
		tx.c.Raw(func(any) error { return driver.ErrBadConn })
	}
	tx.c.Close()
}

// Finish records the delivery and its receipt, marks the job applied and
// commits. receipt builds the receipt JSON once the delivery's number and the
// sender's missing sequences (this package counted) are known.
func (tx *Tx) Finish(ctx context.Context, d *Delivery, receipt func(d *Delivery, missing []int64) ([]byte, error)) error {
	if tx.done {
		return errors.New("transaction already ended")
	}
	s := tx.s
	d.JobID = tx.job.ID
	if err := s.insertDelivery(ctx, tx.c, d); err != nil {
		return fmt.Errorf("record delivery: %w", err)
	}
	missing, err := s.missingSequences(ctx, tx.c, d.Sender)
	if err != nil {
		return err
	}
	if d.Receipt, err = receipt(d, missing); err != nil {
		return err
	}
	if _, err := tx.c.ExecContext(ctx, s.d.rebind("UPDATE deliveries SET receipt = ? WHERE id = ?"), string(d.Receipt), d.ID); err != nil {
		return err
	}
	res, err := tx.c.ExecContext(ctx, s.d.rebind("UPDATE jobs SET state = 'applied', updated_at = ? WHERE id = ? AND locked_by = ? AND state = 'running'"),
		tx.now, tx.job.ID, tx.worker)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return fmt.Errorf("job %d: %w", tx.job.ID, ErrLeaseLost)
	}
	tx.closeStmts()
	if _, err := tx.c.ExecContext(ctx, "COMMIT"); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	tx.done = true
	tx.c.Close()
	return nil
}

// fullMark returns the highest full-snapshot sequence of a sender's dataset (0: none).
func (tx *Tx) fullMark(ctx context.Context, sender, dataset string) (int64, error) {
	var seq int64
	err := tx.c.QueryRowContext(ctx, tx.s.d.rebind("SELECT seq FROM full_marks WHERE sender = ? AND dataset = ?"), sender, dataset).Scan(&seq)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	return seq, err
}

func (tx *Tx) setFullMark(ctx context.Context, sender, dataset string, seq int64) error {
	_, err := tx.c.ExecContext(ctx, tx.s.d.rebind("INSERT INTO full_marks (sender, dataset, seq) VALUES (?, ?, ?) "+
		"ON CONFLICT (sender, dataset) DO UPDATE SET seq = excluded.seq WHERE full_marks.seq < excluded.seq"), sender, dataset, seq)
	return err
}

// updateCurrent runs an UPDATE of the current versions of keys, in chunks the
// dialect can bind. Keys, not ids, because the (key, end) index is the one
// index every back end has (PostgreSQL keeps no index on sy_vid).
func (tx *Tx) updateCurrent(ctx context.Context, t *dsTable, set string, arg any, keys []string) error {
	for len(keys) > 0 {
		n := min(len(keys), 500)
		in, args := tx.s.d.keyIn("sy_key", keys[:n], []any{arg})
		st, err := tx.prepare(ctx, tx.s.d.rebind("UPDATE "+t.name+" SET "+set+" WHERE "+isCurrent+" AND "+in))
		if err != nil {
			return fmt.Errorf("update %s: %w", t.name, err)
		}
		if _, err := st.ExecContext(ctx, args...); err != nil {
			return fmt.Errorf("update %s: %w", t.name, err)
		}
		keys = keys[n:]
	}
	return nil
}

// current is what a decision needs of a key's current version.
type current struct {
	owner   string
	sender  string
	seq     int64
	deleted bool
	hash    int64
}

// lookup returns the current versions of keys, read through q: the
// transaction's connection (seeing its own writes) or a read connection.
func (tx *Tx) lookup(ctx context.Context, q querier, t *dsTable, keys []string) (map[string]current, error) {
	out := make(map[string]current, len(keys))
	for len(keys) > 0 {
		n := min(len(keys), 900)
		in, args := tx.s.d.keyIn("sy_key", keys[:n], nil)
		text := "SELECT " + currentCols + " FROM " + t.name + " WHERE " + isCurrent + " AND " + in
		var rows *sql.Rows
		var err error
		if q == tx.c {
			var st *sql.Stmt
			if st, err = tx.prepare(ctx, tx.s.d.rebind(text)); err == nil {
				rows, err = st.QueryContext(ctx, args...)
			}
		} else {
			var st *sql.Stmt
			if st, err = tx.prepareRead(ctx, tx.s.d.rebind(text)); err == nil {
				rows, err = st.QueryContext(ctx, args...)
			}
		}
		if err != nil {
			return nil, fmt.Errorf("look up %s: %w", t.name, err)
		}
		if err := scanCurrent(rows, out); err != nil {
			return nil, err
		}
		keys = keys[n:]
	}
	return out, nil
}

// KeyText shows a business key as a person writes it: composite keys joined by " / ".
func KeyText(key string) string { return strings.ReplaceAll(key, standard.KeySep, " / ") }

func (s *Store) dsTable(name string) (*dsTable, error) {
	t := s.tables[name]
	if t == nil {
		return nil, fmt.Errorf("unknown dataset %q", name)
	}
	return t, nil
}

var _ = standard.Mandatory

// currentCols are the columns scanCurrent reads.
const currentCols = "sy_key, sy_owner, sy_sender, sy_seq, sy_deleted, sy_hash"

// scanCurrent adds the current versions rows hold to out, and closes rows.
func scanCurrent(rows *sql.Rows, out map[string]current) error {
	defer rows.Close()
	for rows.Next() {
		var c current
		var key string
		var del int
		if err := rows.Scan(&key, &c.owner, &c.sender, &c.seq, &del, &c.hash); err != nil {
			return err
		}
		c.deleted = del == 1
		out[key] = c
	}
	return rows.Err()
}
