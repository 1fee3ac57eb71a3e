package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"time"

	"shuiyun/internal/table"
)

// Version is one stored version of a record.
type Version struct {
	VID      int64
	Key      string
	Owner    string
	Sender   string
	Seq      int64
	Job      int64
	Op       string // I, U, D (withdrawn by a D row), W (withdrawn: absent from a full snapshot)
	Deleted  bool
	From     time.Time
	To       time.Time // zero while current
	DataDate string
	Values   []string // in the dataset's field order; "" for null
}

// HistoryOnly: the version arrived after a newer one and was never current.
func (v *Version) HistoryOnly() bool { return !v.To.IsZero() && v.To.Equal(v.From) }

const versionMeta = "sy_vid, sy_key, sy_owner, sy_sender, sy_seq, sy_job, sy_op, sy_deleted, sy_from, sy_to, sy_data_date"

func scanVersion(rows *sql.Rows, n int) (*Version, error) {
	v := &Version{Values: make([]string, n)}
	var del int
	var from int64
	var to int64
	vals := make([]sql.NullString, n)
	dest := []any{&v.VID, &v.Key, &v.Owner, &v.Sender, &v.Seq, &v.Job, &v.Op, &del, &from, &to, &v.DataDate}
	for i := range vals {
		dest = append(dest, &vals[i])
	}
	if err := rows.Scan(dest...); err != nil {
		return nil, err
	}
	v.Deleted, v.From = del == 1, time.UnixMicro(from)
	if to != openEnd {
		v.To = time.UnixMicro(to)
	}
	for i, s := range vals {
		v.Values[i] = s.String
	}
	return v, nil
}

// History returns every version of a record, oldest first.
func (s *Store) History(ctx context.Context, dataset, key string) ([]*Version, error) {
	t, err := s.dsTable(dataset)
	if err != nil {
		return nil, err
	}
	rows, err := s.r.QueryContext(ctx, s.d.rebind("SELECT "+versionMeta+", "+t.selQ+" FROM "+t.name+" WHERE sy_key = ? ORDER BY sy_vid"), key)
	if err != nil {
		return nil, fmt.Errorf("history of %s %s: %w", dataset, KeyText(key), err)
	}
	defer rows.Close()
	var out []*Version
	for rows.Next() {
		v, err := scanVersion(rows, len(t.cols))
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// Current returns the record of a key as it is now, or nil if there is none
// (never stored, or withdrawn).
func (s *Store) Current(ctx context.Context, dataset, key string) (*Version, error) {
	var found *Version
	err := s.scan(ctx, dataset, time.Time{}, "sy_key = ?", []any{key}, func(v *Version) error { found = v; return nil })
	return found, err
}

// Records calls fn with each record of a dataset as it stood at asOf (the
// zero time: now), in key order. Withdrawn records are left out.
func (s *Store) Records(ctx context.Context, dataset string, asOf time.Time, fn func(*Version) error) error {
	return s.scan(ctx, dataset, asOf, "", nil, fn)
}

func (s *Store) scan(ctx context.Context, dataset string, asOf time.Time, where string, args []any, fn func(*Version) error) error {
	t, err := s.dsTable(dataset)
	if err != nil {
		return err
	}
	cond := isCurrent
	if !asOf.IsZero() {
		at := asOf.UnixMicro()
		cond = "sy_from <= ? AND sy_to > ?"
		args = append([]any{at, at}, args...)
	}
	cond += " AND sy_deleted = 0"
	if where != "" {
		cond += " AND " + where
	}
	rows, err := s.r.QueryContext(ctx, s.d.rebind("SELECT "+versionMeta+", "+t.selQ+" FROM "+t.name+" WHERE "+cond+" ORDER BY sy_key"), args...)
	if err != nil {
		return fmt.Errorf("read %s: %w", dataset, err)
	}
	defer rows.Close()
	for rows.Next() {
		v, err := scanVersion(rows, len(t.cols))
		if err != nil {
			return err
		}
		if err := fn(v); err != nil {
			return err
		}
	}
	return rows.Err()
}

// Count returns how many current records a dataset holds (an owner's, if given).
func (s *Store) Count(ctx context.Context, dataset, owner string) (int, error) {
	t, err := s.dsTable(dataset)
	if err != nil {
		return 0, err
	}
	q, args := "SELECT COUNT(*) FROM "+t.name+" WHERE "+isCurrent+" AND sy_deleted = 0", []any{}
	if owner != "" {
		q += " AND sy_owner = ?"
		args = append(args, owner)
	}
	var n int
	err = s.r.QueryRowContext(ctx, s.d.rebind(q), args...).Scan(&n)
	return n, err
}

// Table gives the engine a dataset's current records as a table with a header
// of field ids (validate.Repository), or nil when none are stored.
func (s *Store) Table(ctx context.Context, dataset string) (*table.Table, error) {
	t, err := s.dsTable(dataset)
	if err != nil {
		return nil, err
	}
	var one int
	err = s.r.QueryRowContext(ctx, "SELECT 1 FROM "+t.name+" WHERE "+isCurrent+" AND sy_deleted = 0 LIMIT 1").Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	header := make([]string, len(t.ds.Fields))
	for i, f := range t.ds.Fields {
		header[i] = f.Name
	}
	q := "SELECT " + t.selQ + " FROM " + t.name + " WHERE " + isCurrent + " AND sy_deleted = 0"
	return table.FromRows("repository:"+dataset, header, func() (table.Rows, error) {
		rows, err := s.r.QueryContext(ctx, q)
		if err != nil {
			return nil, fmt.Errorf("read stored %s: %w", dataset, err)
		}
		return newSQLRows(rows, len(header)), nil
	}), nil
}

// sqlRows reads query results as table rows.
type sqlRows struct {
	rows *sql.Rows
	vals []sql.NullString
	dest []any
	row  table.Row
	err  error
}

func newSQLRows(rows *sql.Rows, n int) *sqlRows {
	r := &sqlRows{rows: rows, vals: make([]sql.NullString, n), row: table.Row{Num: 1, Cells: make([]string, n), Offset: -1}}
	for i := range r.vals {
		r.dest = append(r.dest, &r.vals[i])
	}
	return r
}

func (r *sqlRows) Next() bool {
	if r.err != nil || !r.rows.Next() {
		return false
	}
	if r.err = r.rows.Scan(r.dest...); r.err != nil {
		return false
	}
	r.row.Num++
	for i, v := range r.vals {
		r.row.Cells[i] = v.String
	}
	return true
}

func (r *sqlRows) Row() *table.Row { return &r.row }
func (r *sqlRows) Err() error      { return errors.Join(r.err, r.rows.Err()) }
func (r *sqlRows) Close() error    { return r.rows.Close() }
func (r *sqlRows) Done() int64     { return 0 }

// Values calls fn with the field values of each record of a dataset as it
// stood at asOf (zero: now), in key order — the lean path of exports: no
// version metadata, one reused slice. fn must not keep the slice.
func (s *Store) Values(ctx context.Context, dataset string, asOf time.Time, fn func([]string) error) error {
	t, err := s.dsTable(dataset)
	if err != nil {
		return err
	}
	cond := isCurrent
	if !asOf.IsZero() {
		at := strconv.FormatInt(asOf.UnixMicro(), 10)
		cond = "sy_from <= " + at + " AND sy_to > " + at
	}
	q := "SELECT " + t.selQ + " FROM " + t.name + " WHERE " + cond + " AND sy_deleted = 0 ORDER BY sy_key"
	if err := s.readText(ctx, q, len(t.cols), fn); err != nil {
		return fmt.Errorf("read %s: %w", dataset, err)
	}
	return nil
}

// readText calls fn with each row of q (no parameters) as text, NULL as "",
// on a read connection: PostgreSQL sends it through COPY (copyValues), SQLite
// through a query. fn must not keep the slice.
func (s *Store) readText(ctx context.Context, q string, fields int, fn func([]string) error) error {
	if _, ok := s.d.(pgDialect); ok {
		return s.copyValues(ctx, q, fields, fn)
	}
	rows, err := s.r.QueryContext(ctx, q)
	if err != nil {
		return err
	}
	defer rows.Close()
	raw := make([]sql.RawBytes, fields)
	dest := make([]any, len(raw))
	for i := range raw {
		dest[i] = &raw[i]
	}
	vals := make([]string, len(raw))
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			return err
		}
		for i, b := range raw {
			vals[i] = string(b)
		}
		if err := fn(vals); err != nil {
			return err
		}
	}
	return rows.Err()
}
