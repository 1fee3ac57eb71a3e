package store

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// EvalRow is a version that fails rules under a rules version: Err has a bit
// per rule with an error finding, Warn per rule with only warnings (the bits
// are package progress's). Versions without a row pass.
type EvalRow struct {
	Dataset string
	Rules   string
	VID     int64
	Key     string
	Owner   string
	Err     uint64
	Warn    uint64
}

// SaveEvals stores evaluations, replacing those of the same version and rules.
func (s *Store) SaveEvals(ctx context.Context, evals []EvalRow) error {
	const cols = 7
	return s.insertChunks(ctx, "progress_eval (dataset, rules, vid, key, owner, err, warn)", cols, len(evals),
		" ON CONFLICT (dataset, rules, vid) DO UPDATE SET err = excluded.err, warn = excluded.warn",
		func(i int, args []any) []any {
			e := evals[i]
			return append(args, e.Dataset, e.Rules, e.VID, e.Key, e.Owner, int64(e.Err), int64(e.Warn))
		})
}

// insertChunks inserts n rows of cols values in multi-row statements, in one transaction.
func (s *Store) insertChunks(ctx context.Context, into string, cols, n int, suffix string, row func(i int, args []any) []any) error {
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := s.insertChunksTx(ctx, tx, into, cols, n, suffix, row); err != nil {
		return err
	}
	return tx.Commit()
}

// insertChunksTx is insertChunks in a transaction of the caller's.
func (s *Store) insertChunksTx(ctx context.Context, tx *sql.Tx, into string, cols, n int, suffix string, row func(i int, args []any) []any) error {
	per := 30000 / cols
	stmts := map[int]*sql.Stmt{}
	defer func() {
		for _, st := range stmts {
			st.Close()
		}
	}()
	args := make([]any, 0, per*cols)
	for i := 0; i < n; i += per {
		m := min(per, n-i)
		st := stmts[m]
		if st == nil {
			q := "INSERT INTO " + into + " VALUES " + strings.TrimSuffix(strings.Repeat("("+placeholders(cols)+"),", m), ",") + suffix
			var err error
			if st, err = tx.PrepareContext(ctx, s.d.rebind(q)); err != nil {
				return fmt.Errorf("insert into %s: %w", into, err)
			}
			stmts[m] = st
		}
		args = args[:0]
		for j := i; j < i+m; j++ {
			args = row(j, args)
		}
		if _, err := st.ExecContext(ctx, args...); err != nil {
			return fmt.Errorf("insert into %s: %w", into, err)
		}
	}
	return nil
}

// Evals returns the stored evaluations of versions under a rules version, by version id.
func (s *Store) Evals(ctx context.Context, dataset, rules string, vids []int64) (map[int64]EvalRow, error) {
	out := map[int64]EvalRow{}
	for len(vids) > 0 {
		n := min(len(vids), 500)
		ids := make([]string, n)
		for i, v := range vids[:n] {
			ids[i] = strconv.FormatInt(v, 10) // integers: safe to write into the statement
		}
		err := s.scanEvals(ctx, "SELECT dataset, rules, vid, key, owner, err, warn FROM progress_eval WHERE dataset = ? AND rules = ? AND vid IN ("+
			strings.Join(ids, ",")+")", []any{dataset, rules}, func(e EvalRow) { out[e.VID] = e })
		if err != nil {
			return nil, err
		}
		vids = vids[n:]
	}
	return out, nil
}

// FailingAt lists the failing evaluations, under a rules version, of an
// owner's versions of a dataset that held a record at the instant given.
func (s *Store) FailingAt(ctx context.Context, dataset, rules, owner string, at int64) ([]EvalRow, error) {
	t, err := s.dsTable(dataset)
	if err != nil {
		return nil, err
	}
	var out []EvalRow
	err = s.scanEvals(ctx, "SELECT e.dataset, e.rules, e.vid, e.key, e.owner, e.err, e.warn FROM progress_eval e JOIN "+t.name+
		" r ON r.sy_key = e.key AND r.sy_vid = e.vid WHERE e.dataset = ? AND e.rules = ? AND e.owner = ? "+
		"AND r.sy_from <= ? AND r.sy_to > ? AND r.sy_deleted = 0 ORDER BY e.key", []any{dataset, rules, owner, at, at},
		func(e EvalRow) { out = append(out, e) })
	return out, err
}

func (s *Store) scanEvals(ctx context.Context, q string, args []any, fn func(EvalRow)) error {
	rows, err := s.r.QueryContext(ctx, s.d.rebind(q), args...)
	if err != nil {
		return fmt.Errorf("read evaluations: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var e EvalRow
		var errBits, warnBits int64
		if err := rows.Scan(&e.Dataset, &e.Rules, &e.VID, &e.Key, &e.Owner, &errBits, &warnBits); err != nil {
			return err
		}
		e.Err, e.Warn = uint64(errBits), uint64(warnBits)
		fn(e)
	}
	return rows.Err()
}

// DayFigures are the stored figures of an agency's dataset on one Beijing day.
type DayFigures struct {
	Day           string // YYYY-MM-DD
	Agency        string
	Dataset       string
	Rules         string // the rules version the record figures were evaluated under
	Required      bool
	Frequency     string
	Due           bool   // a submission was due that day
	Status        string // on_time, late, missing; "" when none was due
	FirstAt       time.Time
	Deliveries    int
	Live          int
	Complete      int
	Conform       int
	Relational    int
	ExpectedCount int
	Rejected      int
	Backlog       int
	Fixed         int
	FixMedian     time.Duration // median time to fix of the rows fixed that day
}

const dayCols = "day, agency, dataset, rules, required, frequency, due, status, first_at, deliveries, live, complete, conform, " +
	"relational, expected_count, rejected, backlog, fixed, fix_micros"

// AgencyDay holds an agency's figures of a day that belong to no dataset.
type AgencyDay struct {
	Day        string
	Agency     string
	Deliveries int     // deliveries received that day
	Applied    int     // of them applied
	Gaps       int     // sequences missing at the end of the day
	Missing    []int64 // the first of them (a list long enough to act on)
}

// SaveDays stores the figures of days in one transaction: a day is stored
// whole or not at all (the agency rows mark it computed). Stored days are
// never rewritten: saving a day again is an error.
func (s *Store) SaveDays(ctx context.Context, days []DayFigures, agencies []AgencyDay) error {
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	err = s.insertChunksTx(ctx, tx, "progress_daily ("+dayCols+")", 19, len(days), "", func(i int, args []any) []any {
		d := &days[i]
		return append(args, d.Day, d.Agency, d.Dataset, d.Rules, b2i(d.Required), d.Frequency, b2i(d.Due), d.Status,
			timeMicros(d.FirstAt), d.Deliveries, d.Live, d.Complete, d.Conform, d.Relational, d.ExpectedCount,
			d.Rejected, d.Backlog, d.Fixed, d.FixMedian.Microseconds())
	})
	if err != nil {
		return err
	}
	err = s.insertChunksTx(ctx, tx, "progress_agency_daily (day, agency, deliveries, applied, gaps, missing)", 6, len(agencies), "",
		func(i int, args []any) []any {
			a := &agencies[i]
			missing := make([]string, len(a.Missing))
			for j, m := range a.Missing {
				missing[j] = strconv.FormatInt(m, 10)
			}
			return append(args, a.Day, a.Agency, a.Deliveries, a.Applied, a.Gaps, strings.Join(missing, ","))
		})
	if err != nil {
		return err
	}
	return tx.Commit()
}

// DayFilter selects stored days: [From, To] (YYYY-MM-DD), an agency and a dataset ("" for all).
type DayFilter struct {
	From, To        string
	Agency, Dataset string
}

func (f DayFilter) where() (string, []any) {
	conds, args := []string{"day >= ?", "day <= ?"}, []any{f.From, f.To}
	if f.Agency != "" {
		conds, args = append(conds, "agency = ?"), append(args, f.Agency)
	}
	if f.Dataset != "" {
		conds, args = append(conds, "dataset = ?"), append(args, f.Dataset)
	}
	return strings.Join(conds, " AND "), args
}

// Days lists stored figures by day, agency and dataset.
func (s *Store) Days(ctx context.Context, f DayFilter) ([]DayFigures, error) {
	where, args := f.where()
	rows, err := s.r.QueryContext(ctx, s.d.rebind("SELECT "+dayCols+" FROM progress_daily WHERE "+where+" ORDER BY day, agency, dataset"), args...)
	if err != nil {
		return nil, fmt.Errorf("read daily figures: %w", err)
	}
	defer rows.Close()
	var out []DayFigures
	for rows.Next() {
		var d DayFigures
		var req, due int
		var first, fix int64
		if err := rows.Scan(&d.Day, &d.Agency, &d.Dataset, &d.Rules, &req, &d.Frequency, &due, &d.Status, &first, &d.Deliveries,
			&d.Live, &d.Complete, &d.Conform, &d.Relational, &d.ExpectedCount, &d.Rejected, &d.Backlog, &d.Fixed, &fix); err != nil {
			return nil, err
		}
		d.Required, d.Due, d.FirstAt, d.FixMedian = req == 1, due == 1, microsTime(first), time.Duration(fix)*time.Microsecond
		out = append(out, d)
	}
	return out, rows.Err()
}

// AgencyDays lists stored agency figures by day and agency.
func (s *Store) AgencyDays(ctx context.Context, f DayFilter) ([]AgencyDay, error) {
	f.Dataset = ""
	where, args := f.where()
	rows, err := s.r.QueryContext(ctx, s.d.rebind("SELECT day, agency, deliveries, applied, gaps, missing FROM progress_agency_daily WHERE "+
		where+" ORDER BY day, agency"), args...)
	if err != nil {
		return nil, fmt.Errorf("read agency figures: %w", err)
	}
	defer rows.Close()
	var out []AgencyDay
	for rows.Next() {
		var a AgencyDay
		var missing string
		if err := rows.Scan(&a.Day, &a.Agency, &a.Deliveries, &a.Applied, &a.Gaps, &missing); err != nil {
			return nil, err
		}
		for _, m := range splitList(missing) {
			n, _ := strconv.ParseInt(m, 10, 64)
			a.Missing = append(a.Missing, n)
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// LastDay returns the last day with stored figures ("" when none).
func (s *Store) LastDay(ctx context.Context) (string, error) {
	var day sql.NullString
	if err := s.r.QueryRowContext(ctx, "SELECT MAX(day) FROM progress_agency_daily").Scan(&day); err != nil {
		return "", fmt.Errorf("last computed day: %w", err)
	}
	return day.String, nil
}

// FirstActivity returns when the first delivery arrived (the zero time when
// none has): every version is written by a delivery's job, after it arrived.
func (s *Store) FirstActivity(ctx context.Context) (time.Time, error) {
	var first sql.NullInt64
	if err := s.r.QueryRowContext(ctx, "SELECT MIN(received_at) FROM deliveries").Scan(&first); err != nil {
		return time.Time{}, fmt.Errorf("first activity: %w", err)
	}
	return microsTime(first.Int64), nil
}

// DeleteDaysFrom removes the stored figures of a day and every day after it,
// so they are computed again (an operator's rebuild, and the benchmarks).
// The evaluations of versions stay: they are the same under the same rules.
func (s *Store) DeleteDaysFrom(ctx context.Context, day string) error {
	for _, table := range []string{"progress_daily", "progress_agency_daily"} {
		if _, err := s.w.ExecContext(ctx, s.d.rebind("DELETE FROM "+table+" WHERE day >= ?"), day); err != nil {
			return fmt.Errorf("delete figures from %s: %w", day, err)
		}
	}
	return nil
}

// DeleteEvaluations removes every stored evaluation of versions: the next
// full computation evaluates every version again.
func (s *Store) DeleteEvaluations(ctx context.Context) error {
	if _, err := s.w.ExecContext(ctx, "DELETE FROM progress_eval"); err != nil {
		return fmt.Errorf("delete evaluations: %w", err)
	}
	return nil
}
