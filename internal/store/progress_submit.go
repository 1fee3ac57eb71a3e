package store

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// Submission is what an applied package held of one dataset: its rows and
// those rejected, with their keys. Ingest records one per data file inside
// the transaction that applies the package (Tx.RecordSubmission); the
// progress metrics read them for timeliness and the open error backlog.
type Submission struct {
	Dataset  string
	Rows     int
	Rejected []RejectedRow
}

// RejectedRow is a row the engine rejected: its row number in the file, its
// business key as the Writer would store it ("" when a key field was empty
// or bad) and the rules of its error findings.
type RejectedRow struct {
	Row   int
	Key   string
	Rules []string
}

// RecordSubmission notes, in the transaction applying the job's package,
// that it held a dataset and which of its rows were rejected.
func (tx *Tx) RecordSubmission(ctx context.Context, sender string, sub Submission) error {
	return tx.s.recordSubmission(ctx, tx.c, tx.job.ID, sender, tx.now, sub)
}

// RecordSubmissionOf is RecordSubmission for a package applied before, its
// submission recovered afterwards (from the archived package and its
// receipt). Recording one again changes nothing.
func (s *Store) RecordSubmissionOf(ctx context.Context, jobID int64, sender string, at time.Time, sub Submission) error {
	return s.recordSubmission(ctx, s.w, jobID, sender, at.UnixMicro(), sub)
}

func (s *Store) recordSubmission(ctx context.Context, q querier, job int64, sender string, at int64, sub Submission) error {
	_, err := q.ExecContext(ctx, s.d.rebind("INSERT INTO progress_submissions (job_id, dataset, rows, rejected) VALUES (?, ?, ?, ?) "+
		"ON CONFLICT (job_id, dataset) DO NOTHING"), job, sub.Dataset, sub.Rows, len(sub.Rejected))
	if err != nil {
		return fmt.Errorf("record submission of %s: %w", sub.Dataset, err)
	}
	const cols = 7
	for rows := sub.Rejected; len(rows) > 0; {
		n := min(len(rows), 400)
		args := make([]any, 0, n*cols)
		for _, r := range rows[:n] {
			args = append(args, job, sender, sub.Dataset, r.Row, r.Key, strings.Join(r.Rules, ","), at)
		}
		q1 := "INSERT INTO progress_rejects (job_id, sender, dataset, row, key, rules, rejected_at) VALUES " +
			strings.TrimSuffix(strings.Repeat("("+placeholders(cols)+"),", n), ",") + " ON CONFLICT (job_id, dataset, row) DO NOTHING"
		if _, err := q.ExecContext(ctx, s.d.rebind(q1), args...); err != nil {
			return fmt.Errorf("record rejected rows of %s: %w", sub.Dataset, err)
		}
		rows = rows[n:]
	}
	return nil
}

// Reject is a recorded rejected row and, once fixed, what fixed it.
type Reject struct {
	ID         int64
	JobID      int64
	DeliveryID int64 // 0 when the delivery is not (yet) recorded
	Sender     string
	Dataset    string
	Row        int
	Key        string
	Rules      []string
	RejectedAt time.Time
	FixedAt    time.Time // zero while open
	FixedVID   int64     // the version that fixed it (0: a clean resubmission fixed a keyless row)
	FixedJob   int64
}

const rejectCols = "r.id, r.job_id, COALESCE(d.id, 0), r.sender, r.dataset, r.row, r.key, r.rules, r.rejected_at, r.fixed_at, r.fixed_vid, r.fixed_job"

// RejectFilter selects rejected rows: of a sender and dataset (all when
// empty), rejected before Before and not fixed before After (open then).
type RejectFilter struct {
	Sender, Dataset string
	Before, After   time.Time // zero: no bound
	OpenOnly        bool      // still open now
}

// Rejects lists recorded rejected rows, oldest first.
func (s *Store) Rejects(ctx context.Context, f RejectFilter) ([]*Reject, error) {
	var where []string
	var args []any
	add := func(cond string, arg any) { where, args = append(where, cond), append(args, arg) }
	if f.Sender != "" {
		add("r.sender = ?", f.Sender)
	}
	if f.Dataset != "" {
		add("r.dataset = ?", f.Dataset)
	}
	if !f.Before.IsZero() {
		add("r.rejected_at < ?", f.Before.UnixMicro())
	}
	if !f.After.IsZero() {
		add("(r.fixed_at = 0 OR r.fixed_at >= ?)", f.After.UnixMicro())
	}
	if f.OpenOnly {
		where = append(where, "r.fixed_at = 0")
	}
	q := "SELECT " + rejectCols + " FROM progress_rejects r LEFT JOIN deliveries d ON d.job_id = r.job_id"
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	rows, err := s.r.QueryContext(ctx, s.d.rebind(q+" ORDER BY r.rejected_at, r.id"), args...)
	if err != nil {
		return nil, fmt.Errorf("read rejected rows: %w", err)
	}
	defer rows.Close()
	var out []*Reject
	for rows.Next() {
		var r Reject
		var rules string
		var at, fixed int64
		if err := rows.Scan(&r.ID, &r.JobID, &r.DeliveryID, &r.Sender, &r.Dataset, &r.Row, &r.Key, &rules, &at, &fixed, &r.FixedVID, &r.FixedJob); err != nil {
			return nil, err
		}
		r.Rules, r.RejectedAt, r.FixedAt = splitList(rules), time.UnixMicro(at), microsTime(fixed)
		out = append(out, &r)
	}
	return out, rows.Err()
}

// RejectFix says what fixed a rejected row.
type RejectFix struct {
	ID  int64
	At  time.Time
	VID int64
	Job int64
}

// FixRejects marks rejected rows fixed.
func (s *Store) FixRejects(ctx context.Context, fixes []RejectFix) error {
	if len(fixes) == 0 {
		return nil
	}
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	st, err := tx.PrepareContext(ctx, s.d.rebind("UPDATE progress_rejects SET fixed_at = ?, fixed_vid = ?, fixed_job = ? WHERE id = ? AND fixed_at = 0"))
	if err != nil {
		return err
	}
	defer st.Close()
	for _, f := range fixes {
		if _, err := st.ExecContext(ctx, f.At.UnixMicro(), f.VID, f.Job, f.ID); err != nil {
			return fmt.Errorf("fix rejected row #%d: %w", f.ID, err)
		}
	}
	return tx.Commit()
}

// KeyVersion is a version that became current: the first of a key after a
// rejection fixes it.
type KeyVersion struct {
	Key  string
	VID  int64
	Job  int64
	From time.Time
}

// VersionsAfter lists, per key, the versions that were current at some
// moment (withdrawals included) and began after the time given, oldest first.
func (s *Store) VersionsAfter(ctx context.Context, dataset string, keys []string, after time.Time) (map[string][]KeyVersion, error) {
	t, err := s.dsTable(dataset)
	if err != nil {
		return nil, err
	}
	out := map[string][]KeyVersion{}
	for len(keys) > 0 {
		n := min(len(keys), 500)
		in, args := s.d.keyIn("sy_key", keys[:n], nil)
		q := "SELECT sy_key, sy_vid, sy_job, sy_from FROM " + t.name + " WHERE " + in + " AND sy_to > sy_from AND sy_from > ? ORDER BY sy_from, sy_vid"
		rows, err := s.r.QueryContext(ctx, s.d.rebind(q), append(args, after.UnixMicro())...)
		if err != nil {
			return nil, fmt.Errorf("versions of rejected keys in %s: %w", dataset, err)
		}
		for rows.Next() {
			var v KeyVersion
			var from int64
			if err := rows.Scan(&v.Key, &v.VID, &v.Job, &from); err != nil {
				rows.Close()
				return nil, err
			}
			v.From = time.UnixMicro(from)
			out[v.Key] = append(out[v.Key], v)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
		keys = keys[n:]
	}
	return out, nil
}

// ProgressDelivery is a delivery as the progress metrics see it: when it
// arrived, whether it was applied, and the datasets it held.
type ProgressDelivery struct {
	ID          int64
	JobID       int64
	Sender      string
	Seq         int64
	Status      string
	Applied     bool
	ReceivedAt  time.Time
	ProcessedAt time.Time
	Rejected    int
	// Datasets held, with rows and rejected rows; nil when none were recorded
	// (a package rejected whole, or applied before submissions were recorded).
	Datasets []SubmittedDataset
}

// SubmittedDataset is one dataset of a delivery.
type SubmittedDataset struct {
	Dataset  string
	Rows     int
	Rejected int
}

// ProgressDeliveries lists the deliveries received in [from, to), by
// arrival, with the datasets recorded for them.
func (s *Store) ProgressDeliveries(ctx context.Context, from, to time.Time) ([]*ProgressDelivery, error) {
	rows, err := s.r.QueryContext(ctx, s.d.rebind("SELECT d.id, d.job_id, d.sender, d.seq, d.status, d.applied, d.received_at, d.processed_at, "+
		"d.rows_rejected, COALESCE(p.dataset, ''), COALESCE(p.rows, 0), COALESCE(p.rejected, 0) FROM deliveries d "+
		"LEFT JOIN progress_submissions p ON p.job_id = d.job_id WHERE d.received_at >= ? AND d.received_at < ? "+
		"ORDER BY d.received_at, d.id, p.dataset"), from.UnixMicro(), to.UnixMicro())
	if err != nil {
		return nil, fmt.Errorf("read deliveries: %w", err)
	}
	defer rows.Close()
	var out []*ProgressDelivery
	for rows.Next() {
		var d ProgressDelivery
		var applied int
		var recv, proc int64
		var sd SubmittedDataset
		if err := rows.Scan(&d.ID, &d.JobID, &d.Sender, &d.Seq, &d.Status, &applied, &recv, &proc, &d.Rejected,
			&sd.Dataset, &sd.Rows, &sd.Rejected); err != nil {
			return nil, err
		}
		if n := len(out); n > 0 && out[n-1].ID == d.ID {
			out[n-1].Datasets = append(out[n-1].Datasets, sd)
			continue
		}
		d.Applied, d.ReceivedAt, d.ProcessedAt = applied == 1, time.UnixMicro(recv), time.UnixMicro(proc)
		if sd.Dataset != "" {
			d.Datasets = []SubmittedDataset{sd}
		}
		out = append(out, &d)
	}
	return out, rows.Err()
}

// AppliedSequence is a sequence an applied delivery used, and when.
type AppliedSequence struct {
	Sender      string
	Seq         int64
	ProcessedAt time.Time
}

// AppliedSequences lists the sequences applied deliveries processed before
// the time given used, by sender and sequence.
func (s *Store) AppliedSequences(ctx context.Context, before time.Time) ([]AppliedSequence, error) {
	rows, err := s.r.QueryContext(ctx, s.d.rebind("SELECT sender, seq, processed_at FROM deliveries WHERE applied = 1 AND processed_at < ? "+
		"ORDER BY sender, seq"), before.UnixMicro())
	if err != nil {
		return nil, fmt.Errorf("read applied sequences: %w", err)
	}
	defer rows.Close()
	var out []AppliedSequence
	for rows.Next() {
		var a AppliedSequence
		var at int64
		if err := rows.Scan(&a.Sender, &a.Seq, &at); err != nil {
			return nil, err
		}
		a.ProcessedAt = time.UnixMicro(at)
		out = append(out, a)
	}
	return out, rows.Err()
}

// UnrecordedDeliveries lists applied deliveries whose datasets were not
// recorded (applied before ingest recorded submissions): package progress
// recovers them from the archive.
func (s *Store) UnrecordedDeliveries(ctx context.Context) ([]*Delivery, error) {
	rows, err := s.r.QueryContext(ctx, "SELECT "+deliveryCols+" FROM deliveries d WHERE applied = 1 AND NOT EXISTS "+
		"(SELECT 1 FROM progress_submissions p WHERE p.job_id = d.job_id) ORDER BY id")
	if err != nil {
		return nil, fmt.Errorf("read unrecorded deliveries: %w", err)
	}
	defer rows.Close()
	var out []*Delivery
	for rows.Next() {
		d, err := scanDelivery(rows.Scan)
		if err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, rows.Err()
}
