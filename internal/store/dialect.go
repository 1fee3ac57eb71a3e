package store

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"

	"shuiyun/internal/standard"
)

// dialect is what differs between SQLite and PostgreSQL.
type dialect interface {
	name() string
	// rebind turns "?" placeholders into the dialect's.
	rebind(q string) string
	// columnType is the SQL type of a field's column.
	columnType(f *standard.Field) string
	idColumn() string
	// keyType is the SQL type of sy_key: text compared byte by byte (code
	// point order), whatever the database's collation.
	keyType() string
	// keyIsPrimary: the (sy_key, sy_to) index is the table's primary key (PostgreSQL,
	// sparing a separate index on sy_vid); else a unique index beside the rowid.
	keyIsPrimary() bool
	// asText selects a column as text in its stored form.
	asText(f *standard.Field, col string) string
	// value converts a normalised value to what the driver writes into the column.
	value(f *standard.Field, s string) any
	// begin starts the one write transaction of a connection.
	begin(ctx context.Context, c *sql.Conn) error
	// keyIn adds "col IN (...)" for keys to a query and its arguments.
	keyIn(col string, keys []string, args []any) (string, []any)
	// claimJob takes the oldest claimable job, or returns sql.ErrNoRows.
	claimJob(ctx context.Context, s *Store, worker string, now, until int64) (*Job, error)
	// columns lists a table's columns (empty when the table does not exist).
	columns(ctx context.Context, q querier, table string) (map[string]bool, error)
}

// keyRetyper is a dialect whose tables made before keyType may need sy_key
// retyped (PostgreSQL's default collation).
type keyRetyper interface {
	retypeKey(ctx context.Context, q querier, table string) error
}

// rowInserter is a dialect that writes versions as rows of driver values
// (SQLite); the other is a preEncoder.
type rowInserter interface {
	insertVersions(ctx context.Context, tx *Tx, t *dsTable, rows [][]any) error
}

// preEncoder is a dialect whose bulk writes can be encoded ahead of the
// connection that sends them, and sent through one statement left open
// across chunks (PostgreSQL's COPY).
type preEncoder interface {
	// encodeVersions encodes versions; numbered from vid on when it is not
	// 0, else the table's identity numbers them.
	encodeVersions(t *dsTable, m sharedMeta, vs []newVersion, vid int64) []byte
	// openVersions starts a statement taking encoded versions of t on the
	// transaction's connection; until it is ended, nothing else may use it.
	// frozen: the table was emptied in this transaction (truncateEmpty), so
	// the versions may be written frozen, and they come numbered.
	openVersions(ctx context.Context, tx *Tx, t *dsTable, frozen bool) versionStream
}

// versionStream takes encoded versions until end, which reports whether
// the statement stored them all.
type versionStream interface {
	send(data []byte) error
	end() error
}

// querier is what *sql.DB, *sql.Tx and *sql.Conn share.
type querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

func quote(id string) string { return `"` + strings.ReplaceAll(id, `"`, `""`) + `"` }

// rebindDollar turns ? into $1, $2, … (no ? appears inside our SQL's literals).
func rebindDollar(q string) string {
	var b strings.Builder
	n := 0
	for i := 0; i < len(q); i++ {
		if q[i] == '?' {
			n++
			b.WriteString("$" + strconv.Itoa(n))
			continue
		}
		b.WriteByte(q[i])
	}
	return b.String()
}

func placeholders(n int) string {
	if n == 0 {
		return ""
	}
	return strings.Repeat("?,", n-1) + "?"
}

func errf(format string, args ...any) error { return fmt.Errorf(format, args...) }
