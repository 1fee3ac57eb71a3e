package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"shuiyun/internal/account"
)

// Errors of lookups and inserts, for callers to test with errors.Is.
var (
	ErrNotFound = errors.New("not found")
	ErrExists   = errors.New("already exists")
)

const userCols = "id, login, name, agency, role, password_hash, failures, locked_until, must_change, disabled, created_at, password_changed_at"

func scanUser(scan func(...any) error) (*account.User, error) {
	var u account.User
	var role string
	var locked, created, changed int64
	var must, disabled int
	err := scan(&u.ID, &u.Login, &u.Name, &u.Agency, &role, &u.PasswordHash, &u.Failures, &locked, &must, &disabled, &created, &changed)
	if err != nil {
		return nil, err
	}
	u.Role, u.MustChangePassword, u.Disabled = account.Role(role), must == 1, disabled == 1
	u.LockedUntil, u.CreatedAt, u.PasswordChangedAt = microsTime(locked), microsTime(created), microsTime(changed)
	return &u, nil
}

// timeMicros is a time as stored: Unix microseconds, 0 for the zero time.
func timeMicros(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixMicro()
}

func microsTime(n int64) time.Time {
	if n == 0 {
		return time.Time{}
	}
	return time.UnixMicro(n)
}

// CreateUser stores a new user and returns its id (also set in u). A login
// already taken is ErrExists. CreatedAt and PasswordChangedAt default to now.
func (s *Store) CreateUser(ctx context.Context, u *account.User) (int64, error) {
	if u.CreatedAt.IsZero() {
		u.CreatedAt = s.Now()
	}
	if u.PasswordChangedAt.IsZero() {
		u.PasswordChangedAt = u.CreatedAt
	}
	err := s.w.QueryRowContext(ctx, s.d.rebind("INSERT INTO users (login, name, agency, role, password_hash, failures, locked_until, "+
		"must_change, disabled, created_at, password_changed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (login) DO NOTHING RETURNING id"),
		u.Login, u.Name, u.Agency, string(u.Role), u.PasswordHash, u.Failures, timeMicros(u.LockedUntil), b2i(u.MustChangePassword),
		b2i(u.Disabled), timeMicros(u.CreatedAt), timeMicros(u.PasswordChangedAt)).Scan(&u.ID)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, fmt.Errorf("user %s: %w", u.Login, ErrExists)
	}
	if err != nil {
		return 0, fmt.Errorf("create user %s: %w", u.Login, err)
	}
	return u.ID, nil
}

func (s *Store) oneUser(ctx context.Context, what, where string, arg any) (*account.User, error) {
	u, err := scanUser(s.r.QueryRowContext(ctx, s.d.rebind("SELECT "+userCols+" FROM users WHERE "+where), arg).Scan)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("user %s: %w", what, ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("user %s: %w", what, err)
	}
	return u, nil
}

// UserByLogin returns the user of a login, or ErrNotFound.
func (s *Store) UserByLogin(ctx context.Context, login string) (*account.User, error) {
	return s.oneUser(ctx, login, "login = ?", login)
}

// UserByID returns the user of an id, or ErrNotFound.
func (s *Store) UserByID(ctx context.Context, id int64) (*account.User, error) {
	return s.oneUser(ctx, fmt.Sprint("#", id), "id = ?", id)
}

// Users lists every user by agency, then login.
func (s *Store) Users(ctx context.Context) ([]*account.User, error) {
	rows, err := s.r.QueryContext(ctx, "SELECT "+userCols+" FROM users ORDER BY agency, login")
	if err != nil {
		return nil, fmt.Errorf("list users: %w", err)
	}
	defer rows.Close()
	var out []*account.User
	for rows.Next() {
		u, err := scanUser(rows.Scan)
		if err != nil {
			return nil, fmt.Errorf("list users: %w", err)
		}
		out = append(out, u)
	}
	return out, rows.Err()
}

// CountUsers counts the users (the first start creates an admin when there are none).
func (s *Store) CountUsers(ctx context.Context) (int, error) {
	var n int
	err := s.r.QueryRowContext(ctx, "SELECT COUNT(*) FROM users").Scan(&n)
	return n, err
}

// UpdateUser saves a user's name, role, agency and disabled flag.
func (s *Store) UpdateUser(ctx context.Context, u *account.User) error {
	return s.updateUser(ctx, u.ID, "name = ?, role = ?, agency = ?, disabled = ?", u.Name, string(u.Role), u.Agency, b2i(u.Disabled))
}

func (s *Store) updateUser(ctx context.Context, id int64, set string, args ...any) error {
	res, err := s.w.ExecContext(ctx, s.d.rebind("UPDATE users SET "+set+" WHERE id = ?"), append(args, id)...)
	if err != nil {
		return fmt.Errorf("update user #%d: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return fmt.Errorf("user #%d: %w", id, ErrNotFound)
	}
	return nil
}

// SetPassword replaces a user's password hash and ends all the user's
// sessions (whoever held the old password is signed out). It also lifts a
// lockout: setting a password is how an administrator unlocks a user.
func (s *Store) SetPassword(ctx context.Context, id int64, hash string, mustChange bool) error {
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("set password of user #%d: %w", id, err)
	}
	defer tx.Rollback()
	res, err := tx.ExecContext(ctx, s.d.rebind("UPDATE users SET password_hash = ?, must_change = ?, password_changed_at = ?, "+
		"failures = 0, locked_until = 0 WHERE id = ?"), hash, b2i(mustChange), s.now(), id)
	if err != nil {
		return fmt.Errorf("set password of user #%d: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return fmt.Errorf("user #%d: %w", id, ErrNotFound)
	}
	if _, err := tx.ExecContext(ctx, s.d.rebind("DELETE FROM sessions WHERE user_id = ?"), id); err != nil {
		return fmt.Errorf("end sessions of user #%d: %w", id, err)
	}
	return tx.Commit()
}

// LoginFailed counts a wrong password. The MaxFailures-th in a row locks the
// user until now+LockFor and starts the count again; locked says whether the
// user is locked now. One statement, so concurrent guesses all count.
func (s *Store) LoginFailed(ctx context.Context, id int64, now time.Time) (locked bool, err error) {
	var until int64
	err = s.w.QueryRowContext(ctx, s.d.rebind("UPDATE users SET "+
		"failures = CASE WHEN failures + 1 >= ? THEN 0 ELSE failures + 1 END, "+
		"locked_until = CASE WHEN failures + 1 >= ? THEN ? ELSE locked_until END "+
		"WHERE id = ? RETURNING locked_until"),
		account.MaxFailures, account.MaxFailures, now.Add(account.LockFor).UnixMicro(), id).Scan(&until)
	if errors.Is(err, sql.ErrNoRows) {
		return false, fmt.Errorf("user #%d: %w", id, ErrNotFound)
	}
	if err != nil {
		return false, fmt.Errorf("count failed sign-in of user #%d: %w", id, err)
	}
	return until > now.UnixMicro(), nil
}

// LoginSucceeded clears the count of wrong passwords.
func (s *Store) LoginSucceeded(ctx context.Context, id int64) error {
	return s.updateUser(ctx, id, "failures = 0")
}

// CreateSession records a session by the hash of its secret. Sessions past
// their expiry are removed on the way.
func (s *Store) CreateSession(ctx context.Context, hash string, userID int64, expires time.Time) error {
	now := s.now()
	if _, err := s.w.ExecContext(ctx, s.d.rebind("DELETE FROM sessions WHERE expires_at <= ?"), now); err != nil {
		return fmt.Errorf("remove expired sessions: %w", err)
	}
	_, err := s.w.ExecContext(ctx, s.d.rebind("INSERT INTO sessions (hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)"),
		hash, userID, now, expires.UnixMicro())
	if err != nil {
		return fmt.Errorf("create session of user #%d: %w", userID, err)
	}
	return nil
}

// SessionUser returns the user of a live session; an unknown or expired
// session, or a disabled user, is ErrNotFound.
func (s *Store) SessionUser(ctx context.Context, hash string, now time.Time) (*account.User, error) {
	u, err := scanUser(s.r.QueryRowContext(ctx, s.d.rebind("SELECT "+aliasCols("u.", userCols)+" FROM sessions s JOIN users u ON u.id = s.user_id "+
		"WHERE s.hash = ? AND s.expires_at > ? AND u.disabled = 0"), hash, now.UnixMicro()).Scan)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("session: %w", ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("session: %w", err)
	}
	return u, nil
}

// DeleteSession ends one session (sign-out).
func (s *Store) DeleteSession(ctx context.Context, hash string) error {
	if _, err := s.w.ExecContext(ctx, s.d.rebind("DELETE FROM sessions WHERE hash = ?"), hash); err != nil {
		return fmt.Errorf("delete session: %w", err)
	}
	return nil
}

// DeleteSessions ends all of a user's sessions.
func (s *Store) DeleteSessions(ctx context.Context, userID int64) error {
	if _, err := s.w.ExecContext(ctx, s.d.rebind("DELETE FROM sessions WHERE user_id = ?"), userID); err != nil {
		return fmt.Errorf("delete sessions of user #%d: %w", userID, err)
	}
	return nil
}

// aliasCols qualifies each of a list of columns with a table alias.
func aliasCols(alias, cols string) string {
	return alias + strings.ReplaceAll(cols, ", ", ", "+alias)
}

// CreateToken records an API token of a user by the hash of its secret and returns its id.
func (s *Store) CreateToken(ctx context.Context, userID int64, name, hash string) (int64, error) {
	var id int64
	err := s.w.QueryRowContext(ctx, s.d.rebind("INSERT INTO tokens (user_id, name, hash, created_at) VALUES (?, ?, ?, ?) RETURNING id"),
		userID, name, hash, s.now()).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("create token %q of user #%d: %w", name, userID, err)
	}
	return id, nil
}

// tokenTouch: last_used is written at most this often per token, sparing the
// single SQLite writer a write on every API call.
const tokenTouch = time.Minute

// TokenUser returns the user of a token and notes its use; an unknown or
// revoked token, or a disabled user, is ErrNotFound.
func (s *Store) TokenUser(ctx context.Context, hash string, now time.Time) (*account.User, error) {
	var id, lastUsed int64
	u, err := scanUser(func(dest ...any) error {
		return s.r.QueryRowContext(ctx, s.d.rebind("SELECT t.id, t.last_used, "+aliasCols("u.", userCols)+" FROM tokens t JOIN users u ON u.id = t.user_id "+
			"WHERE t.hash = ? AND t.revoked = 0 AND u.disabled = 0"), hash).Scan(append([]any{&id, &lastUsed}, dest...)...)
	})
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("token: %w", ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("token: %w", err)
	}
	if now.Sub(microsTime(lastUsed)) >= tokenTouch {
		if _, err := s.w.ExecContext(ctx, s.d.rebind("UPDATE tokens SET last_used = ? WHERE id = ?"), now.UnixMicro(), id); err != nil {
			return nil, fmt.Errorf("note use of token #%d: %w", id, err)
		}
	}
	return u, nil
}

// Tokens lists a user's tokens, revoked ones too, newest first.
func (s *Store) Tokens(ctx context.Context, userID int64) ([]account.Token, error) {
	rows, err := s.r.QueryContext(ctx, s.d.rebind("SELECT id, user_id, name, created_at, last_used, revoked FROM tokens WHERE user_id = ? ORDER BY id DESC"), userID)
	if err != nil {
		return nil, fmt.Errorf("tokens of user #%d: %w", userID, err)
	}
	defer rows.Close()
	var out []account.Token
	for rows.Next() {
		var t account.Token
		var created, used int64
		var revoked int
		if err := rows.Scan(&t.ID, &t.UserID, &t.Name, &created, &used, &revoked); err != nil {
			return nil, fmt.Errorf("tokens of user #%d: %w", userID, err)
		}
		t.CreatedAt, t.LastUsed, t.Revoked = microsTime(created), microsTime(used), revoked == 1
		out = append(out, t)
	}
	return out, rows.Err()
}

// RevokeToken revokes one of a user's tokens; another user's token, or none,
// is ErrNotFound.
func (s *Store) RevokeToken(ctx context.Context, userID, tokenID int64) error {
	res, err := s.w.ExecContext(ctx, s.d.rebind("UPDATE tokens SET revoked = 1 WHERE id = ? AND user_id = ?"), tokenID, userID)
	if err != nil {
		return fmt.Errorf("revoke token #%d: %w", tokenID, err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return fmt.Errorf("token #%d of user #%d: %w", tokenID, userID, ErrNotFound)
	}
	return nil
}
