package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/pressly/goose/v3"

	"shuiyun/internal/standard"
)

// keySepMigration (SQLite's migration 5) rewrites the composite keys stored
// with the separator before standard.KeySep, NUL, which PostgreSQL's text
// cannot hold. In Go: SQLite's replace() stops at a NUL.
func keySepMigration() *goose.Migration {
	return goose.NewGoMigration(5,
		&goose.GoFunc{RunTx: func(ctx context.Context, tx *sql.Tx) error { return resepKeys(ctx, tx, "\x00", standard.KeySep) }},
		&goose.GoFunc{RunTx: func(ctx context.Context, tx *sql.Tx) error { return resepKeys(ctx, tx, standard.KeySep, "\x00") }})
}

// resepKeys replaces the separator from with to in every stored key: the
// dataset tables' and the progress figures'.
func resepKeys(ctx context.Context, tx *sql.Tx, from, to string) error {
	cols := [][2]string{{"progress_eval", "key"}, {"progress_rejects", "key"}}
	rows, err := tx.QueryContext(ctx, `SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'rec\_%' ESCAPE '\'`)
	if err != nil {
		return err
	}
	for rows.Next() {
		var t string
		if err := rows.Scan(&t); err != nil {
			rows.Close()
			return err
		}
		cols = append(cols, [2]string{t, "sy_key"})
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, c := range cols {
		if err := resepColumn(ctx, tx, c[0], c[1], from, to); err != nil {
			return fmt.Errorf("key separator in %s.%s: %w", c[0], c[1], err)
		}
	}
	return nil
}

func resepColumn(ctx context.Context, tx *sql.Tx, table, col, from, to string) error {
	rows, err := tx.QueryContext(ctx, "SELECT rowid, "+col+" FROM "+table+" WHERE instr(CAST("+col+" AS BLOB), CAST(? AS BLOB)) > 0", from)
	if err != nil {
		return err
	}
	type change struct {
		id  int64
		key string
	}
	var changes []change
	for rows.Next() {
		var c change
		if err := rows.Scan(&c.id, &c.key); err != nil {
			rows.Close()
			return err
		}
		changes = append(changes, c)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, c := range changes {
		if _, err := tx.ExecContext(ctx, "UPDATE "+table+" SET "+col+" = ? WHERE rowid = ?", strings.ReplaceAll(c.key, from, to), c.id); err != nil {
			return err
		}
	}
	return nil
}
