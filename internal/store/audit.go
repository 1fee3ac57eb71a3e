package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"shuiyun/internal/audit"
)

// The audit log is append-only: the store has no method to change or remove
// an entry, and audit.Verify finds an entry changed or removed behind its back.

const auditCols = "seq, at, login, agency, action, target, detail, ip, prev, hash"

// AppendAudit seals an entry after the log's head and stores it with the new
// head, in one transaction; At defaults to now. Appenders queue on the head
// row, so several hub instances on one PostgreSQL database keep one chain.
func (s *Store) AppendAudit(ctx context.Context, e audit.Entry) (audit.Entry, error) {
	if e.At.IsZero() {
		e.At = s.Now()
	}
	tx, err := s.w.BeginTx(ctx, nil) // SQLite: BEGIN IMMEDIATE (_txlock), the one writer
	if err != nil {
		return e, fmt.Errorf("append audit entry: %w", err)
	}
	defer tx.Rollback()
	head, err := s.auditHead(ctx, tx, s.d.name() == "postgres")
	if err != nil {
		return e, err
	}
	e.Seq = head.Seq + 1
	e = audit.Seal(head.Hash, e)
	_, err = tx.ExecContext(ctx, s.d.rebind("INSERT INTO audit_log ("+auditCols+") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"),
		e.Seq, e.At.UnixMicro(), e.Login, e.Agency, e.Action, e.Target, e.Detail, e.IP, e.Prev, e.Hash)
	if err != nil {
		return e, fmt.Errorf("append audit entry %d: %w", e.Seq, err)
	}
	if _, err := tx.ExecContext(ctx, s.d.rebind("UPDATE audit_head SET seq = ?, hash = ? WHERE id = 1"), e.Seq, e.Hash); err != nil {
		return e, fmt.Errorf("move audit head to %d: %w", e.Seq, err)
	}
	if err := tx.Commit(); err != nil {
		return e, fmt.Errorf("append audit entry %d: %w", e.Seq, err)
	}
	return e, nil
}

// auditHead reads the head; lock takes its row until the transaction ends
// (PostgreSQL; SQLite's write transaction holds the whole database already).
func (s *Store) auditHead(ctx context.Context, q querier, lock bool) (audit.Head, error) {
	query := "SELECT seq, hash FROM audit_head WHERE id = 1"
	if lock {
		query += " FOR UPDATE"
	}
	var h audit.Head
	if err := q.QueryRowContext(ctx, query).Scan(&h.Seq, &h.Hash); err != nil {
		return h, fmt.Errorf("read audit head: %w", err)
	}
	return h, nil
}

// AuditHead returns the last entry as the head records it.
func (s *Store) AuditHead(ctx context.Context) (audit.Head, error) {
	return s.auditHead(ctx, s.r, false)
}

// AuditFilter selects audit entries; zero fields select all.
type AuditFilter struct {
	From, To time.Time // From ≤ At < To
	Login    string
	Agency   string
	Action   string
	Limit    int  // 0: no limit
	Desc     bool // newest first
}

func (f AuditFilter) where() (string, []any) {
	var conds []string
	var args []any
	add := func(cond string, arg any) {
		conds = append(conds, cond)
		args = append(args, arg)
	}
	if !f.From.IsZero() {
		add("at >= ?", f.From.UnixMicro())
	}
	if !f.To.IsZero() {
		add("at < ?", f.To.UnixMicro())
	}
	for _, c := range []struct{ col, val string }{{"login", f.Login}, {"agency", f.Agency}, {"action", f.Action}} {
		if c.val != "" {
			add(c.col+" = ?", c.val)
		}
	}
	if len(conds) == 0 {
		return "", nil
	}
	return " WHERE " + strings.Join(conds, " AND "), args
}

// AuditEntries calls fn with each entry the filter selects, in sequence
// order (newest first with Desc), and stops at fn's first error, returning it.
func (s *Store) AuditEntries(ctx context.Context, f AuditFilter, fn func(audit.Entry) error) error {
	where, args := f.where()
	q := "SELECT " + auditCols + " FROM audit_log" + where + " ORDER BY seq"
	if f.Desc {
		q += " DESC"
	}
	if f.Limit > 0 {
		q += " LIMIT ?"
		args = append(args, f.Limit)
	}
	return s.eachAudit(ctx, s.r, q, args, fn)
}

func (s *Store) eachAudit(ctx context.Context, q querier, query string, args []any, fn func(audit.Entry) error) error {
	rows, err := q.QueryContext(ctx, s.d.rebind(query), args...)
	if err != nil {
		return fmt.Errorf("read audit log: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var e audit.Entry
		var at int64
		if err := rows.Scan(&e.Seq, &at, &e.Login, &e.Agency, &e.Action, &e.Target, &e.Detail, &e.IP, &e.Prev, &e.Hash); err != nil {
			return fmt.Errorf("read audit log: %w", err)
		}
		e.At = time.UnixMicro(at).UTC()
		if err := fn(e); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("read audit log: %w", err)
	}
	return nil
}

// errAuditStop ends the walk when Verify wants no more entries.
var errAuditStop = errors.New("stop")

// VerifyAudit checks the whole log against its head (audit.Verify), reading
// both in one snapshot so that entries appended meanwhile do not show as a
// mismatch.
func (s *Store) VerifyAudit(ctx context.Context) ([]audit.Problem, error) {
	tx, err := s.r.BeginTx(ctx, &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true})
	if err != nil {
		return nil, fmt.Errorf("verify audit log: %w", err)
	}
	defer tx.Rollback()
	head, err := s.auditHead(ctx, tx, false)
	if err != nil {
		return nil, err
	}
	var walkErr error
	problems := audit.Verify(func(yield func(audit.Entry) bool) {
		walkErr = s.eachAudit(ctx, tx, "SELECT "+auditCols+" FROM audit_log ORDER BY seq", nil, func(e audit.Entry) error {
			if !yield(e) {
				return errAuditStop
			}
			return nil
		})
	}, head)
	if walkErr != nil && !errors.Is(walkErr, errAuditStop) {
		return nil, walkErr
	}
	return problems, nil
}
