package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Delivery is one processed arrival of a package file and its receipt.
type Delivery struct {
	ID          int64
	JobID       int64
	Inbox       string // the inbox it arrived in: its receipt goes to that outbox
	Name        string // the file name
	N           int    // 1 for the first delivery of this name to this inbox, 2 for the next…
	Sender      string // from the manifest; the inbox when it could not be read
	Seq         int64  // 0 when unknown
	SHA256      string
	Status      string
	Reason      string // reason code, "" when none
	Mode        string
	DataDate    string
	Applied     bool // rows were stored (accepted or partial): the sequence is used
	Total       int
	Accepted    int
	Rejected    int
	Warnings    int
	ReceivedAt  time.Time
	ProcessedAt time.Time
	Receipt     []byte // the receipt JSON, as written to the outbox
	ErrorsXLSX  bool   // an errors workbook goes with the receipt
	// Final: the outcome follows from the bytes alone (applied, or rejected
	// for what the package holds), so the same bytes again are a duplicate.
	// Held, parked, misnamed or misdelivered packages are not final.
	Final bool
}

const deliveryCols = "id, job_id, inbox, name, n, sender, seq, sha256, status, reason, mode, data_date, applied, " +
	"rows_total, rows_accepted, rows_rejected, rows_warnings, received_at, processed_at, receipt, errors_xlsx, final"

func scanDelivery(scan func(...any) error) (*Delivery, error) {
	var d Delivery
	var applied, xlsx, final int
	var received, processed int64
	var receipt string
	err := scan(&d.ID, &d.JobID, &d.Inbox, &d.Name, &d.N, &d.Sender, &d.Seq, &d.SHA256, &d.Status, &d.Reason, &d.Mode,
		&d.DataDate, &applied, &d.Total, &d.Accepted, &d.Rejected, &d.Warnings, &received, &processed, &receipt, &xlsx, &final)
	if err != nil {
		return nil, err
	}
	d.Applied, d.ErrorsXLSX, d.Final = applied == 1, xlsx == 1, final == 1
	d.ReceivedAt, d.ProcessedAt = time.UnixMicro(received), time.UnixMicro(processed)
	d.Receipt = []byte(receipt)
	return &d, nil
}

func (s *Store) oneDelivery(ctx context.Context, q querier, where string, args ...any) (*Delivery, error) {
	row := q.QueryRowContext(ctx, s.d.rebind("SELECT "+deliveryCols+" FROM deliveries WHERE "+where+" ORDER BY id LIMIT 1"), args...)
	d, err := scanDelivery(row.Scan)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	return d, err
}

// FirstDelivery returns the first final delivery of the same bytes to the
// same inbox (a duplicate repeats its outcome), or nil.
func (s *Store) FirstDelivery(ctx context.Context, inbox, sha256 string) (*Delivery, error) {
	return s.oneDelivery(ctx, s.w, "inbox = ? AND sha256 = ? AND final = 1", inbox, sha256)
}

// DeliveryOfJob returns the delivery a job committed, or nil.
func (s *Store) DeliveryOfJob(ctx context.Context, jobID int64) (*Delivery, error) {
	return s.oneDelivery(ctx, s.w, "job_id = ?", jobID)
}

// AppliedSequence returns the delivery that used a sender's sequence, or nil.
func (s *Store) AppliedSequence(ctx context.Context, sender string, seq int64) (*Delivery, error) {
	return s.oneDelivery(ctx, s.w, "sender = ? AND seq = ? AND applied = 1", sender, seq)
}

// Deliveries lists a sender's deliveries (all senders for ""), newest first.
func (s *Store) Deliveries(ctx context.Context, sender string, limit int) ([]*Delivery, error) {
	q, args := "SELECT "+deliveryCols+" FROM deliveries", []any{}
	if sender != "" {
		q += " WHERE sender = ?"
		args = append(args, sender)
	}
	args = append(args, limit)
	rows, err := s.r.QueryContext(ctx, s.d.rebind(q+" ORDER BY id DESC LIMIT ?"), args...)
	if err != nil {
		return nil, err
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

// missingSequences lists the sequences below the sender's highest applied one
// that no applied delivery has used.
func (s *Store) missingSequences(ctx context.Context, q querier, sender string) ([]int64, error) {
	rows, err := q.QueryContext(ctx, s.d.rebind("SELECT seq FROM deliveries WHERE sender = ? AND applied = 1 ORDER BY seq"), sender)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	missing := []int64{}
	next := int64(1)
	for rows.Next() {
		var seq int64
		if err := rows.Scan(&seq); err != nil {
			return nil, err
		}
		for ; next < seq; next++ {
			missing = append(missing, next)
		}
		next = seq + 1
	}
	return missing, rows.Err()
}

// MissingSequences is missingSequences outside a transaction.
func (s *Store) MissingSequences(ctx context.Context, sender string) ([]int64, error) {
	return s.missingSequences(ctx, s.r, sender)
}

func (s *Store) insertDelivery(ctx context.Context, q querier, d *Delivery) error {
	err := q.QueryRowContext(ctx, s.d.rebind("SELECT COUNT(*) + 1 FROM deliveries WHERE inbox = ? AND name = ?"), d.Inbox, d.Name).Scan(&d.N)
	if err != nil {
		return err
	}
	return q.QueryRowContext(ctx, s.d.rebind("INSERT INTO deliveries (job_id, inbox, name, n, sender, seq, sha256, status, reason, mode, "+
		"data_date, applied, rows_total, rows_accepted, rows_rejected, rows_warnings, received_at, processed_at, receipt, errors_xlsx, final) "+
		"VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id"),
		d.JobID, d.Inbox, d.Name, d.N, d.Sender, d.Seq, d.SHA256, d.Status, d.Reason, d.Mode, d.DataDate, b2i(d.Applied),
		d.Total, d.Accepted, d.Rejected, d.Warnings, d.ReceivedAt.UnixMicro(), d.ProcessedAt.UnixMicro(), string(d.Receipt), b2i(d.ErrorsXLSX), b2i(d.Final)).Scan(&d.ID)
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// DeliveryByID returns one delivery, or nil.
func (s *Store) DeliveryByID(ctx context.Context, id int64) (*Delivery, error) {
	return s.oneDelivery(ctx, s.r, "id = ?", id)
}

// LastSequence returns the highest sequence a sender has used: in a
// processed delivery, or in the name of a package queued from its inbox and
// not yet processed. The hub's own submissions (web upload, manual entry)
// take the next one, so they share the sender's single sequence space.
func (s *Store) LastSequence(ctx context.Context, sender string) (int64, error) {
	var last sql.NullInt64
	err := s.w.QueryRowContext(ctx, s.d.rebind("SELECT MAX(seq) FROM deliveries WHERE sender = ?"), sender).Scan(&last)
	if err != nil {
		return 0, fmt.Errorf("last sequence of %s: %w", sender, err)
	}
	rows, err := s.w.QueryContext(ctx, s.d.rebind("SELECT name FROM jobs WHERE inbox = ? AND state <> 'done'"), sender)
	if err != nil {
		return 0, fmt.Errorf("last sequence of %s: %w", sender, err)
	}
	defer rows.Close()
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			return 0, err
		}
		if seq := seqOfName(name); seq > last.Int64 {
			last.Int64 = seq
		}
	}
	return last.Int64, rows.Err()
}

// seqOfName reads the sequence from a package name <sender>_<yyyymmdd>_<seq>.zip (0 if not one).
func seqOfName(name string) int64 {
	name = strings.TrimSuffix(name, ".zip")
	i := strings.LastIndexByte(name, '_')
	n, err := strconv.ParseInt(name[i+1:], 10, 64)
	if i < 0 || err != nil {
		return 0
	}
	return n
}
