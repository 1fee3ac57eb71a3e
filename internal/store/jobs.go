package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// Job states. A job is queued when its file is claimed from an inbox, running
// while a worker holds its lease, applied once its delivery is committed (the
// receipt file and archiving may still be due), done when all is finished.
const (
	JobQueued  = "queued"
	JobRunning = "running"
	JobApplied = "applied"
	JobDone    = "done"
)

// Job is one package file to process.
type Job struct {
	ID         int64
	Inbox      string // the inbox folder (sender code) it arrived in
	Name       string // the file name as delivered
	Path       string // where the file waits, relative to the exchange root
	SHA256     string
	Size       int64
	State      string
	Attempts   int // claims so far, this one included
	LastError  string
	ReceivedAt time.Time
}

const jobCols = "id, inbox, name, path, sha256, size, state, attempts, last_error, received_at"

// claimable: a job whose lease is free, and the oldest unfinished job of its
// inbox — a sender's packages are applied in the order they arrived, even
// while a crashed worker's job waits for its lease to run out. (Any order
// gives the same current data; this keeps history the same too.)
const claimable = "state IN ('queued','running','applied') AND locked_until < ? AND NOT EXISTS " +
	"(SELECT 1 FROM jobs o WHERE o.inbox = jobs.inbox AND o.id < jobs.id AND o.state <> 'done')"

// claimSet takes the lease: worker, until, now.
const claimSet = "state = CASE WHEN state = 'applied' THEN 'applied' ELSE 'running' END, " +
	"locked_by = ?, locked_until = ?, attempts = attempts + 1, updated_at = ?"

func scanJob(row *sql.Row) (*Job, error) {
	var j Job
	var received int64
	if err := row.Scan(&j.ID, &j.Inbox, &j.Name, &j.Path, &j.SHA256, &j.Size, &j.State, &j.Attempts, &j.LastError, &received); err != nil {
		return nil, err
	}
	j.ReceivedAt = time.UnixMicro(received)
	return &j, nil
}

// Enqueue records a job for a file now waiting at j.Path. A path already
// queued is left alone (created is false), so rescans are harmless.
func (s *Store) Enqueue(ctx context.Context, j Job) (id int64, created bool, err error) {
	now := s.now()
	if j.ReceivedAt.IsZero() {
		j.ReceivedAt = s.Now()
	}
	res, err := s.w.ExecContext(ctx, s.d.rebind("INSERT INTO jobs (inbox, name, path, sha256, size, state, received_at, updated_at) "+
		"VALUES (?, ?, ?, ?, ?, 'queued', ?, ?) ON CONFLICT (path) DO NOTHING"),
		j.Inbox, j.Name, j.Path, j.SHA256, j.Size, j.ReceivedAt.UnixMicro(), now)
	if err != nil {
		return 0, false, fmt.Errorf("enqueue %s: %w", j.Path, err)
	}
	n, _ := res.RowsAffected()
	err = s.w.QueryRowContext(ctx, s.d.rebind("SELECT id FROM jobs WHERE path = ?"), j.Path).Scan(&id)
	return id, n == 1, err
}

// Claim leases the oldest job that is queued, or whose holder's lease ran out
// (a crashed worker), to worker for lease. It returns nil when there is none.
func (s *Store) Claim(ctx context.Context, worker string, lease time.Duration) (*Job, error) {
	now := s.Now()
	j, err := s.d.claimJob(ctx, s, worker, now.UnixMicro(), now.Add(lease).UnixMicro())
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("claim job: %w", err)
	}
	return j, nil
}

// Retry gives a failed job back to the queue after backoff, keeping its
// error. An applied job stays applied: only its delivery is left to finish.
func (s *Store) Retry(ctx context.Context, j *Job, worker string, cause error, backoff time.Duration) error {
	return s.setJob(ctx, j, worker, "state = CASE WHEN state = 'applied' THEN 'applied' ELSE 'queued' END, locked_until = ?, last_error = ?",
		s.Now().Add(backoff).UnixMicro(), cause.Error())
}

// Release hands a job back at once, uncounted: its worker is shutting down,
// not failing, so a restart or another instance takes it over without
// waiting for the lease to run out.
func (s *Store) Release(ctx context.Context, j *Job, worker string) error {
	return s.setJob(ctx, j, worker, "state = CASE WHEN state = 'applied' THEN 'applied' ELSE 'queued' END, locked_until = 0, attempts = attempts - 1")
}

// Done marks a job finished: its receipt is out and its file archived.
func (s *Store) Done(ctx context.Context, j *Job, worker string) error {
	return s.setJob(ctx, j, worker, "state = 'done', locked_until = 0")
}

// ErrLeaseLost means another worker holds the job now: this one must stop.
var ErrLeaseLost = errors.New("job lease lost to another worker")

func (s *Store) setJob(ctx context.Context, j *Job, worker, set string, args ...any) error {
	args = append(args, s.now(), j.ID, worker)
	res, err := s.w.ExecContext(ctx, s.d.rebind("UPDATE jobs SET "+set+", updated_at = ? WHERE id = ? AND locked_by = ?"), args...)
	if err != nil {
		return fmt.Errorf("update job %d: %w", j.ID, err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return fmt.Errorf("job %d: %w", j.ID, ErrLeaseLost)
	}
	return nil
}

// Jobs lists jobs in a state ("" for all), oldest first.
func (s *Store) Jobs(ctx context.Context, state string) ([]Job, error) {
	q := "SELECT " + jobCols + " FROM jobs"
	var args []any
	if state != "" {
		q += " WHERE state = ?"
		args = append(args, state)
	}
	rows, err := s.r.QueryContext(ctx, s.d.rebind(q+" ORDER BY id"), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Job
	for rows.Next() {
		var j Job
		var received int64
		if err := rows.Scan(&j.ID, &j.Inbox, &j.Name, &j.Path, &j.SHA256, &j.Size, &j.State, &j.Attempts, &j.LastError, &received); err != nil {
			return nil, err
		}
		j.ReceivedAt = time.UnixMicro(received)
		out = append(out, j)
	}
	return out, rows.Err()
}

// Extend renews a job's lease while its worker is still at it.
func (s *Store) Extend(ctx context.Context, j *Job, worker string, lease time.Duration) error {
	return s.setJob(ctx, j, worker, "locked_until = ?", s.Now().Add(lease).UnixMicro())
}

// HasJob reports whether a job exists for a path (in any state).
func (s *Store) HasJob(ctx context.Context, path string) (bool, error) {
	var n int
	err := s.w.QueryRowContext(ctx, s.d.rebind("SELECT COUNT(*) FROM jobs WHERE path = ?"), path).Scan(&n)
	return n > 0, err
}
