package store

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"

	_ "modernc.org/sqlite" // the embedded database, pure Go

	"shuiyun/internal/standard"
)

type sqliteDialect struct{}

func (sqliteDialect) name() string           { return "sqlite" }
func (sqliteDialect) rebind(q string) string { return q }
func (sqliteDialect) idColumn() string       { return "INTEGER PRIMARY KEY" }
func (sqliteDialect) keyIsPrimary() bool     { return false }
func (sqliteDialect) keyType() string        { return "TEXT" } // SQLite compares text by bytes

// asText: SQLite keeps decimals as REAL; %.15g prints 1200 and 1234567.5
// (CAST would print 1200.0, Go's default 1.2345675e+06).
func (sqliteDialect) asText(f *standard.Field, col string) string {
	if f.Type == standard.TypeDecimal {
		return "iif(" + col + " IS NULL, NULL, printf('%.15g', " + col + "))"
	}
	return col
}

func (sqliteDialect) columnType(f *standard.Field) string {
	switch f.Type {
	case standard.TypeInteger, standard.TypeBoolean:
		return "INTEGER"
	case standard.TypeDecimal:
		return "REAL"
	}
	return "TEXT"
}

func (sqliteDialect) value(f *standard.Field, s string) any { return plainValue(f, s) }

// plainValue is a normalised value as the driver takes it: nil for null,
// int64 for integers and booleans, float64 for decimals, else the text.
func plainValue(f *standard.Field, s string) any {
	if s == "" {
		return nil
	}
	switch f.Type {
	case standard.TypeInteger, standard.TypeBoolean:
		if n, err := strconv.ParseInt(s, 10, 64); err == nil {
			return n
		}
	case standard.TypeDecimal:
		if x, err := strconv.ParseFloat(s, 64); err == nil {
			return x
		}
	}
	return s
}

func (sqliteDialect) begin(ctx context.Context, c *sql.Conn) error {
	_, err := c.ExecContext(ctx, "BEGIN IMMEDIATE")
	return err
}

func (sqliteDialect) keyIn(col string, keys []string, args []any) (string, []any) {
	for _, k := range keys {
		args = append(args, k)
	}
	return col + " IN (" + placeholders(len(keys)) + ")", args
}

// insertVersions writes multi-row INSERTs of insertRows rows (measured best:
// performance.md), then single rows, each statement prepared once per transaction.
func (sqliteDialect) insertVersions(ctx context.Context, tx *Tx, t *dsTable, rows [][]any) error {
	args := make([]any, 0, insertRows*t.width)
	for len(rows) > 0 {
		n := insertRows
		if len(rows) < n {
			n = 1
		}
		one := "(" + placeholders(t.width) + ")"
		stmt, err := tx.prepare(ctx, "INSERT INTO "+t.name+" ("+t.insQ+") VALUES "+strings.Repeat(one+",", n-1)+one)
		if err != nil {
			return fmt.Errorf("prepare insert into %s: %w", t.name, err)
		}
		args = args[:0]
		for _, r := range rows[:n] {
			args = append(args, r...)
		}
		if _, err := stmt.ExecContext(ctx, args...); err != nil {
			return fmt.Errorf("insert into %s: %w", t.name, err)
		}
		rows = rows[n:]
	}
	return nil
}

const insertRows = 50

func (sqliteDialect) claimJob(ctx context.Context, s *Store, worker string, now, until int64) (*Job, error) {
	tx, err := s.w.BeginTx(ctx, nil) // BEGIN IMMEDIATE (_txlock): one claimant at a time
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	var id int64
	err = tx.QueryRowContext(ctx, "SELECT id FROM jobs WHERE "+claimable+" ORDER BY id LIMIT 1", now).Scan(&id)
	if err != nil {
		return nil, err
	}
	j, err := scanJob(tx.QueryRowContext(ctx, "UPDATE jobs SET "+claimSet+" WHERE id = ? RETURNING "+jobCols, worker, until, now, id))
	if err != nil {
		return nil, err
	}
	return j, tx.Commit()
}

func (sqliteDialect) columns(ctx context.Context, q querier, table string) (map[string]bool, error) {
	rows, err := q.QueryContext(ctx, "SELECT name FROM pragma_table_info(?)", table)
	if err != nil {
		return nil, err
	}
	return nameSet(rows)
}

func nameSet(rows *sql.Rows) (map[string]bool, error) {
	defer rows.Close()
	out := map[string]bool{}
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			return nil, err
		}
		out[n] = true
	}
	return out, rows.Err()
}
