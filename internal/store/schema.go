package store

import (
	"context"
	"fmt"
	"math"
	"strings"

	"shuiyun/internal/standard"
)

// dsTable is the versions table of one dataset.
type dsTable struct {
	ds    *standard.Dataset
	name  string   // rec_<dataset>
	cols  []string // quoted field columns, in field order
	key   []int    // key field indexes (for reading a key back)
	insQ  string   // INSERT column list: meta columns then fields
	selQ  string   // the field columns as text, for reads
	width int      // columns of an inserted version
}

// openEnd is sy_to of a current version: its interval is open.
const openEnd = math.MaxInt64

// isCurrent is the SQL condition for current versions.
const isCurrent = "sy_to = 9223372036854775807"

// meta columns of every versions table, in insert order (sy_vid is generated).
var metaCols = []string{"sy_key", "sy_owner", "sy_sender", "sy_seq", "sy_job", "sy_op", "sy_deleted",
	"sy_from", "sy_to", "sy_hash", "sy_data_date"}

func (s *Store) table(ds *standard.Dataset) *dsTable { return s.tables[ds.Name] }

// syncTables creates missing dataset tables and adds columns for fields the
// standard has gained. It never drops or retypes a column: data is kept.
func (s *Store) syncTables(ctx context.Context) error {
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	s.tables = map[string]*dsTable{}
	for _, ds := range s.std.Datasets {
		t := newDSTable(s.d, ds)
		have, err := s.d.columns(ctx, tx, t.name)
		if err != nil {
			return fmt.Errorf("read columns of %s: %w", t.name, err)
		}
		if len(have) == 0 {
			if err := s.createTable(ctx, tx, t); err != nil {
				return err
			}
		} else {
			for _, f := range ds.Fields {
				if have[f.Name] {
					continue
				}
				q := fmt.Sprintf("ALTER TABLE %s ADD COLUMN %s %s", t.name, quote(f.Name), s.d.columnType(f))
				if _, err := tx.ExecContext(ctx, q); err != nil {
					return fmt.Errorf("add field %s.%s: %w", ds.Name, f.Name, err)
				}
			}
			if r, ok := s.d.(keyRetyper); ok {
				if err := r.retypeKey(ctx, tx, t.name); err != nil {
					return fmt.Errorf("collation of %s.sy_key: %w", t.name, err)
				}
			}
			// Tables made before search existed gain its indexes here.
			if err := s.createSearchIndexes(ctx, tx, t); err != nil {
				return err
			}
		}
		s.tables[ds.Name] = t
	}
	return tx.Commit()
}

func newDSTable(d dialect, ds *standard.Dataset) *dsTable {
	t := &dsTable{ds: ds, name: "rec_" + ds.Name}
	var sel []string
	for _, f := range ds.Fields {
		t.cols = append(t.cols, quote(f.Name))
		sel = append(sel, d.asText(f, quote(f.Name)))
	}
	for _, k := range ds.Key {
		t.key = append(t.key, ds.FieldIndex(k))
	}
	t.insQ = strings.Join(append(append([]string{}, metaCols...), t.cols...), ",")
	t.selQ = strings.Join(sel, ",")
	t.width = len(metaCols) + len(t.cols)
	return t
}

func (s *Store) createTable(ctx context.Context, q querier, t *dsTable) error {
	var b strings.Builder
	fmt.Fprintf(&b, "CREATE TABLE %s (\n  sy_vid %s,\n", t.name, s.d.idColumn())
	b.WriteString("  sy_key " + s.d.keyType() + " NOT NULL, sy_owner TEXT NOT NULL, sy_sender TEXT NOT NULL, sy_seq BIGINT NOT NULL,\n" +
		"  sy_job BIGINT NOT NULL, sy_op TEXT NOT NULL, sy_deleted SMALLINT NOT NULL,\n" +
		"  sy_from BIGINT NOT NULL, sy_to BIGINT NOT NULL, sy_hash BIGINT NOT NULL, sy_data_date TEXT NOT NULL")
	for _, f := range t.ds.Fields {
		fmt.Fprintf(&b, ",\n  %s %s", quote(f.Name), s.d.columnType(f))
	}
	b.WriteString("\n)")
	for _, stmt := range append([]string{b.String()}, s.keyIndexes(t)...) {
		if _, err := q.ExecContext(ctx, stmt); err != nil {
			return fmt.Errorf("create table for %s: %w", t.ds.Name, err)
		}
	}
	return s.createSearchIndexes(ctx, q, t)
}

// searchIndex is one index search adds to a dataset's table.
type searchIndex struct {
	f        *standard.Field
	nonNulls bool // records without a value are left out (lookups, never a sort)
}

// searchIndexed lists the indexes search adds to a dataset's table, each on
// (field, sy_key) over live current versions, so that a page is a range of
// one index read in order:
//   - the display name, the first of TextFields (sorting, prefix search);
//   - each field that refers to the one-field key of another agency-fed
//     dataset: the links record pages follow backwards (a licence's vessels,
//     an operator's licences, a port licence's annexes). Records without a
//     value are left out of these, so a sparse link costs little.
//
// Each index on values in random order costs ingest dearly (doc.go), so there
// are no others: references into the maritime reference data (ship_id) and
// code fields are read by scanning in key order.
func searchIndexed(std *standard.Standard, ds *standard.Dataset) []searchIndex {
	var out []searchIndex
	if n := displayName(ds); n != nil {
		out = append(out, searchIndex{f: n})
	}
	for _, f := range ds.Fields {
		target, field, ok := strings.Cut(f.Ref, ".")
		if !ok || (len(out) > 0 && out[0].f == f) {
			continue
		}
		if t := std.Dataset(target); t != nil && t != ds && !t.Reference && len(t.Key) == 1 && t.Key[0] == field {
			out = append(out, searchIndex{f: f, nonNulls: true})
		}
	}
	return out
}

// createSearchIndexes adds the search indexes a table lacks: at creation, and
// at start-up to tables made before (on 1,000,000 rows a few seconds each).
func (s *Store) createSearchIndexes(ctx context.Context, q querier, t *dsTable) error {
	for _, ix := range searchIndexed(s.std, t.ds) {
		col := quote(ix.f.Name)
		where := isCurrent + " AND sy_deleted = 0"
		if ix.nonNulls {
			where += " AND " + col + " IS NOT NULL"
		}
		stmt := fmt.Sprintf("CREATE INDEX IF NOT EXISTS %s ON %s (%s, sy_key) WHERE %s",
			searchIndexName(t, ix.f), t.name, s.d.(searchDialect).ordered(ix.f, col), where)
		if _, err := q.ExecContext(ctx, stmt); err != nil {
			return fmt.Errorf("index %s.%s: %w", t.ds.Name, ix.f.Name, err)
		}
	}
	return nil
}

// keyIndexes makes a table's indexes other than search's.
//
// One index on (sy_key, sy_to) serves lookups of current versions, a
// record's history, and keeps one current version per key (they all end at
// openEnd); a second index on keys would cost 10–30% of load speed.
//
// The owner index holds live records only: a full snapshot counts the
// sender's records with it instead of reading the table (an unchanged
// 100,000-row snapshot 1.2 s instead of 1.8 s, first loads the same).
func (s *Store) keyIndexes(t *dsTable) []string {
	key := fmt.Sprintf("CREATE UNIQUE INDEX %s_key ON %s (sy_key, sy_to)", t.name, t.name)
	if s.d.keyIsPrimary() {
		key = fmt.Sprintf("ALTER TABLE %s ADD CONSTRAINT %s_pkey PRIMARY KEY (sy_key, sy_to)", t.name, t.name)
	}
	return []string{key, fmt.Sprintf("CREATE INDEX %s_owner ON %s (sy_owner) WHERE %s AND sy_deleted = 0", t.name, t.name, isCurrent)}
}

// dropKeyIndexes undoes keyIndexes.
func (s *Store) dropKeyIndexes(t *dsTable) []string {
	key := "DROP INDEX " + t.name + "_key"
	if s.d.keyIsPrimary() {
		key = "ALTER TABLE " + t.name + " DROP CONSTRAINT " + t.name + "_pkey"
	}
	return []string{key, "DROP INDEX " + t.name + "_owner"}
}

func searchIndexName(t *dsTable, f *standard.Field) string { return quote(t.name + "_by_" + f.Name) }
