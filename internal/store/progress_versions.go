package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"sync"

	"shuiyun/internal/standard"
	"shuiyun/internal/table"
)

// VersionRow is a version as the progress metrics read it: its interval in
// Unix microseconds (To is MaxInt64 while current) and, when asked for, its
// values in field order ("" for null).
type VersionRow struct {
	VID      int64
	Key      string
	Owner    string
	Deleted  bool
	From, To int64
	Values   []string
	// Packed is Values joined by the unit separator 0x1F when the back end
	// read them so (SQLite), else "": a writer of lines can use it whole.
	Packed string
}

// OpenEnd is VersionRow.To of a current version.
const OpenEnd = openEnd

const versionRowMeta = "sy_vid, sy_key, sy_owner, sy_deleted, sy_from, sy_to"

// ScanLive calls fn with each version of a dataset that holds a record
// (not a withdrawal, not history only) at some moment of [from, to), in no
// particular order. fn must not keep the row or its values: both are reused.
func (s *Store) ScanLive(ctx context.Context, dataset string, from, to int64, values bool, fn func(*VersionRow) error) error {
	// "+sy_from": most of the table qualifies, so read it in order rather
	// than through the index on sy_from (a lookup per row).
	return s.scanRows(ctx, dataset, "+sy_from < ? AND sy_to > ? AND sy_to > sy_from AND sy_deleted = 0", []any{to, from}, values, fn)
}

// ScanStarted calls fn with each version of a dataset that began in [from,
// to), withdrawals and history-only versions included. It reads through an
// index on sy_from that it makes the first time (a daily update reads one
// day's versions, not the table).
func (s *Store) ScanStarted(ctx context.Context, dataset string, from, to int64, values bool, fn func(*VersionRow) error) error {
	if err := s.fromIndex(ctx, dataset); err != nil {
		return err
	}
	return s.scanRows(ctx, dataset, startedIndexed+" AND sy_from >= ? AND sy_from < ?", []any{from, to}, values, fn)
}

// startedIndexed is the condition of the index on sy_from, true of every
// version. A query uses a partial index only when its own condition names
// the index's: so only ScanStarted reads through it, and the as-of reads
// elsewhere (most of a table qualifies) are not led to it by a planner
// without statistics (SQLite's).
const startedIndexed = "sy_to >= sy_from"

// ScanClosed calls fn with the versions of the keys that held a record
// before from and ended in [from, to): the versions a day's new versions
// replaced or withdrew.
func (s *Store) ScanClosed(ctx context.Context, dataset string, keys []string, from, to int64, fn func(*VersionRow) error) error {
	for len(keys) > 0 {
		n := min(len(keys), 500)
		in, args := s.d.keyIn("sy_key", keys[:n], nil)
		err := s.scanRows(ctx, dataset, in+" AND sy_to >= ? AND sy_to < ? AND sy_from < ? AND sy_deleted = 0",
			append(args, from, to, from), false, fn)
		if err != nil {
			return err
		}
		keys = keys[n:]
	}
	return nil
}

func (s *Store) scanRows(ctx context.Context, dataset, where string, args []any, values bool, fn func(*VersionRow) error) error {
	t, err := s.dsTable(dataset)
	if err != nil {
		return err
	}
	packed := values && s.d.name() == "sqlite"
	cols := versionRowMeta
	switch {
	case packed:
		cols += ", " + packedValues(s.d, t)
	case values:
		cols += ", " + t.selQ
	}
	c, err := s.scanConn(ctx, packed)
	if err != nil {
		return fmt.Errorf("read versions of %s: %w", dataset, err)
	}
	defer c.Close()
	rows, err := c.QueryContext(ctx, s.d.rebind("SELECT "+cols+" FROM "+t.name+" WHERE "+where), args...)
	if err != nil {
		return fmt.Errorf("read versions of %s: %w", dataset, err)
	}
	defer rows.Close()
	v := &VersionRow{}
	var del int
	var key, owner, all sql.RawBytes
	owners := map[string]string{}
	dest := []any{&v.VID, &key, &owner, &del, &v.From, &v.To}
	var raw []sql.RawBytes
	switch {
	case packed:
		dest = append(dest, &all)
		v.Values = make([]string, len(t.cols))
	case values:
		raw = make([]sql.RawBytes, len(t.cols))
		v.Values = make([]string, len(t.cols))
		for i := range raw {
			dest = append(dest, &raw[i])
		}
	}
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			return fmt.Errorf("read versions of %s: %w", dataset, err)
		}
		v.Key, v.Deleted = string(key), del == 1
		if v.Owner = owners[string(owner)]; v.Owner == "" { // a few dozen owners: one string each
			v.Owner = string(owner)
			owners[v.Owner] = v.Owner
		}
		for i, b := range raw {
			v.Values[i] = string(b)
		}
		if packed {
			v.Packed = string(all)
			if !unpack(v.Packed, v.Values) {
				v.Packed = ""
				if err := s.unpacked(ctx, t, v); err != nil {
					return err
				}
			}
		}
		if err := fn(v); err != nil {
			return err
		}
	}
	return rows.Err()
}

// packedValues selects a version's values as one text, joined by the unit
// separator: SQLite hands a row over much faster as one column than as
// forty (a full read of a million versions: 12 s → 7 s), and one printf
// (NULL prints as "") costs less than a concatenation per column.
func packedValues(d dialect, t *dsTable) string {
	formats := make([]string, len(t.ds.Fields))
	args := make([]string, len(t.ds.Fields))
	for i, f := range t.ds.Fields {
		formats[i], args[i] = "%s", d.asText(f, t.cols[i])
	}
	if len(args) < 100 { // SQLite takes at most 127 function arguments
		return "printf('" + strings.Join(formats, "\x1f") + "', " + strings.Join(args, ", ") + ")"
	}
	for i := range args {
		args[i] = "coalesce(" + args[i] + ", '')"
	}
	return strings.Join(args, " || char(31) || ")
}

// unpack splits packed values into vals; false when a value holds the
// separator itself and the split cannot be trusted.
func unpack(all string, vals []string) bool {
	if strings.Count(all, "\x1f") != len(vals)-1 {
		return false
	}
	for i := range vals {
		j := strings.IndexByte(all, 0x1f)
		if j < 0 {
			vals[i] = all
			break
		}
		vals[i], all = all[:j], all[j+1:]
	}
	return true
}

// unpacked reads one version's values column by column.
func (s *Store) unpacked(ctx context.Context, t *dsTable, v *VersionRow) error {
	vals := make([]sql.NullString, len(t.cols))
	dest := make([]any, len(vals))
	for i := range vals {
		dest[i] = &vals[i]
	}
	if err := s.r.QueryRowContext(ctx, s.d.rebind("SELECT "+t.selQ+" FROM "+t.name+" WHERE sy_vid = ?"), v.VID).Scan(dest...); err != nil {
		return fmt.Errorf("read version %d of %s: %w", v.VID, t.ds.Name, err)
	}
	for i, n := range vals {
		v.Values[i] = n.String
	}
	return nil
}

// scanConn returns a read connection; for a long SQLite read it maps the
// database file into memory first (SQLite then reads pages without a
// system call each: 10% of a full read's time).
func (s *Store) scanConn(ctx context.Context, long bool) (*sql.Conn, error) {
	c, err := s.r.Conn(ctx)
	if err != nil || !long || s.d.name() != "sqlite" {
		return c, err
	}
	if _, err := c.ExecContext(ctx, "PRAGMA mmap_size = 4294967296"); err != nil {
		c.Close()
		return nil, err
	}
	return c, nil
}

// fromIndexes remembers the datasets whose sy_from index exists.
var fromIndexes sync.Map

// fromIndex makes the index on sy_from of a dataset's versions table. The
// loads pay little for it: sy_from only grows, so entries go at its end.
func (s *Store) fromIndex(ctx context.Context, dataset string) error {
	t, err := s.dsTable(dataset)
	if err != nil {
		return err
	}
	id := fmt.Sprintf("%p/%s", s, t.name)
	if _, done := fromIndexes.Load(id); done {
		return nil
	}
	q := fmt.Sprintf("CREATE INDEX IF NOT EXISTS %s_started ON %s (sy_from) WHERE %s", t.name, t.name, startedIndexed)
	if _, err := s.w.ExecContext(ctx, q); err != nil {
		return fmt.Errorf("index versions of %s by start: %w", dataset, err)
	}
	fromIndexes.Store(id, true)
	return nil
}

// RecordsAt returns a dataset's records as they stood at the instant given
// (Unix microseconds) whose key is one of keys or, with prefix, begins with
// one of keys followed by the key separator — as a table with a header of
// field ids, like Table. It returns nil when the dataset held no record at
// all then: the relational rules that need it are skipped, as at ingest.
func (s *Store) RecordsAt(ctx context.Context, dataset string, at int64, keys []string, prefix bool) (*table.Table, error) {
	rows, held, err := s.RecordValuesAt(ctx, dataset, at, keys, prefix)
	if err != nil || !held {
		return nil, err
	}
	ds := s.tables[dataset].ds
	header := make([]string, len(ds.Fields))
	for i, f := range ds.Fields {
		header[i] = f.Name
	}
	return table.FromRows("repository:"+dataset, header, func() (table.Rows, error) { return newSliceRows(rows), nil }), nil
}

// RecordValuesAt is RecordsAt as value lists in field order; held says
// whether the dataset held any record at all then.
func (s *Store) RecordValuesAt(ctx context.Context, dataset string, at int64, keys []string, prefix bool) (rows [][]string, held bool, err error) {
	t, err := s.dsTable(dataset)
	if err != nil {
		return nil, false, err
	}
	live := "sy_from <= ? AND sy_to > ? AND sy_deleted = 0"
	var one int
	err = s.r.QueryRowContext(ctx, s.d.rebind("SELECT 1 FROM "+t.name+" WHERE "+live+" LIMIT 1"), at, at).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("read %s: %w", dataset, err)
	}
	for len(keys) > 0 {
		n := min(len(keys), 300)
		cond, args := s.keysCond(keys[:n], prefix)
		err := s.scanRows(ctx, dataset, live+" AND ("+cond+")", append([]any{at, at}, args...), true, func(v *VersionRow) error {
			rows = append(rows, append([]string(nil), v.Values...))
			return nil
		})
		if err != nil {
			return nil, false, err
		}
		keys = keys[n:]
	}
	return rows, true, nil
}

// keySepNext is the byte after standard.KeySep.
const keySepNext = "\x20"

// keysCond matches keys exactly, or as the first parts of composite keys
// (the key range [k+KeySep, k+keySepNext) uses the key index).
func (s *Store) keysCond(keys []string, prefix bool) (string, []any) {
	if !prefix {
		return s.d.keyIn("sy_key", keys, nil)
	}
	parts := make([]string, len(keys))
	args := make([]any, 0, 2*len(keys))
	for i, k := range keys {
		parts[i] = "(sy_key >= ? AND sy_key < ?)"
		args = append(args, k+standard.KeySep, k+keySepNext)
	}
	return strings.Join(parts, " OR "), args
}

// sliceRows serves rows held in memory as table rows.
type sliceRows struct {
	rows [][]string
	i    int
	row  table.Row
}

func newSliceRows(rows [][]string) *sliceRows {
	return &sliceRows{rows: rows, i: -1, row: table.Row{Num: 1, Offset: -1}}
}

func (r *sliceRows) Next() bool {
	if r.i+1 >= len(r.rows) {
		return false
	}
	r.i++
	r.row.Num++
	r.row.Cells = r.rows[r.i]
	return true
}

func (r *sliceRows) Row() *table.Row { return &r.row }
func (r *sliceRows) Err() error      { return nil }
func (r *sliceRows) Close() error    { return nil }
func (r *sliceRows) Done() int64     { return 0 }

// LiveKeys lists the keys and version ids of an owner's records of a
// dataset as they stood at the instant given, in key order.
func (s *Store) LiveKeys(ctx context.Context, dataset, owner string, at int64) ([]VersionRow, error) {
	var out []VersionRow
	err := s.scanRows(ctx, dataset, "sy_owner = ? AND sy_from <= ? AND sy_to > ? AND sy_deleted = 0 ORDER BY sy_key",
		[]any{owner, at, at}, false, func(v *VersionRow) error {
			out = append(out, *v)
			return nil
		})
	return out, err
}
