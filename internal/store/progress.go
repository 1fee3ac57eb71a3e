package store

// The ministry's settings of package progress: what it expects of each
// agency, dated milestones, and the schedule of rule phases. The figures
// computed from them are in progress_figures.go, the inputs the metrics read
// (versions, submissions, rejected rows) in progress_versions.go and
// progress_submit.go.

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Expectation is what the ministry expects of one agency for one dataset.
type Expectation struct {
	Agency        string
	Dataset       string
	Required      bool
	Frequency     string // daily, weekly or monthly
	DueMinute     int    // minutes after Beijing midnight by which the package must arrive: 1080 is 18:00
	ExpectedCount int    // records the agency should hold (coverage); 0: not set
	UpdatedAt     time.Time
	UpdatedBy     string
}

// Expectations lists the expectations the ministry has set (the defaults
// apply to the pairs it has not), by agency and dataset.
func (s *Store) Expectations(ctx context.Context) ([]Expectation, error) {
	rows, err := s.r.QueryContext(ctx, "SELECT agency, dataset, required, frequency, due_minute, expected_count, updated_at, updated_by "+
		"FROM progress_expect ORDER BY agency, dataset")
	if err != nil {
		return nil, fmt.Errorf("read expectations: %w", err)
	}
	defer rows.Close()
	var out []Expectation
	for rows.Next() {
		var e Expectation
		var req int
		var at int64
		if err := rows.Scan(&e.Agency, &e.Dataset, &req, &e.Frequency, &e.DueMinute, &e.ExpectedCount, &at, &e.UpdatedBy); err != nil {
			return nil, err
		}
		e.Required, e.UpdatedAt = req == 1, microsTime(at)
		out = append(out, e)
	}
	return out, rows.Err()
}

// SetExpectation saves the expectation of an agency's dataset, replacing any before.
func (s *Store) SetExpectation(ctx context.Context, e Expectation) error {
	if e.UpdatedAt.IsZero() {
		e.UpdatedAt = s.Now()
	}
	_, err := s.w.ExecContext(ctx, s.d.rebind("INSERT INTO progress_expect (agency, dataset, required, frequency, due_minute, expected_count, "+
		"updated_at, updated_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (agency, dataset) DO UPDATE SET required = excluded.required, "+
		"frequency = excluded.frequency, due_minute = excluded.due_minute, expected_count = excluded.expected_count, "+
		"updated_at = excluded.updated_at, updated_by = excluded.updated_by"),
		e.Agency, e.Dataset, b2i(e.Required), e.Frequency, e.DueMinute, e.ExpectedCount, e.UpdatedAt.UnixMicro(), e.UpdatedBy)
	if err != nil {
		return fmt.Errorf("set expectation %s/%s: %w", e.Agency, e.Dataset, err)
	}
	return nil
}

// ResetExpectation removes the ministry's setting: the default applies again.
func (s *Store) ResetExpectation(ctx context.Context, agency, dataset string) error {
	_, err := s.w.ExecContext(ctx, s.d.rebind("DELETE FROM progress_expect WHERE agency = ? AND dataset = ?"), agency, dataset)
	return err
}

// Milestone is a dated goal: by Due, the agencies (all when empty) hold the datasets.
type Milestone struct {
	ID        int64
	Name      string
	Due       string // YYYY-MM-DD
	Datasets  []string
	Agencies  []string // empty: every agency the datasets are expected of
	CreatedAt time.Time
	CreatedBy string
}

// Milestones lists the milestones by date.
func (s *Store) Milestones(ctx context.Context) ([]Milestone, error) {
	rows, err := s.r.QueryContext(ctx, "SELECT id, name, due, datasets, agencies, created_at, created_by FROM progress_milestones ORDER BY due, id")
	if err != nil {
		return nil, fmt.Errorf("read milestones: %w", err)
	}
	defer rows.Close()
	var out []Milestone
	for rows.Next() {
		var m Milestone
		var ds, ags string
		var at int64
		if err := rows.Scan(&m.ID, &m.Name, &m.Due, &ds, &ags, &at, &m.CreatedBy); err != nil {
			return nil, err
		}
		m.Datasets, m.Agencies, m.CreatedAt = splitList(ds), splitList(ags), microsTime(at)
		out = append(out, m)
	}
	return out, rows.Err()
}

// AddMilestone stores a milestone and returns its id.
func (s *Store) AddMilestone(ctx context.Context, m *Milestone) (int64, error) {
	if m.CreatedAt.IsZero() {
		m.CreatedAt = s.Now()
	}
	err := s.w.QueryRowContext(ctx, s.d.rebind("INSERT INTO progress_milestones (name, due, datasets, agencies, created_at, created_by) "+
		"VALUES (?, ?, ?, ?, ?, ?) RETURNING id"), m.Name, m.Due, strings.Join(m.Datasets, ","), strings.Join(m.Agencies, ","),
		m.CreatedAt.UnixMicro(), m.CreatedBy).Scan(&m.ID)
	if err != nil {
		return 0, fmt.Errorf("add milestone %s: %w", m.Name, err)
	}
	return m.ID, nil
}

// DeleteMilestone removes a milestone (ErrNotFound if there is none).
func (s *Store) DeleteMilestone(ctx context.Context, id int64) error {
	return s.deleteByID(ctx, "progress_milestones", id)
}

func (s *Store) deleteByID(ctx context.Context, table string, id int64) error {
	res, err := s.w.ExecContext(ctx, s.d.rebind("DELETE FROM "+table+" WHERE id = ?"), id)
	if err != nil {
		return fmt.Errorf("delete %s #%d: %w", table, id, err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return fmt.Errorf("%s #%d: %w", table, id, ErrNotFound)
	}
	return nil
}

func splitList(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, ",")
}

// RuleChange is one entry of the rule schedule: from Effective on, the rule
// is switched on or off and has the severity given.
type RuleChange struct {
	ID        int64
	Rule      string
	Effective string // YYYY-MM-DD, a Beijing day
	Enabled   bool
	Severity  string // error or warning
	Note      string
	CreatedAt time.Time
	CreatedBy string
}

// RuleSchedule lists the schedule by effective date, then in the order entered.
func (s *Store) RuleSchedule(ctx context.Context) ([]RuleChange, error) {
	rows, err := s.r.QueryContext(ctx, "SELECT id, rule, effective, enabled, severity, note, created_at, created_by "+
		"FROM progress_schedule ORDER BY effective, id")
	if err != nil {
		return nil, fmt.Errorf("read rule schedule: %w", err)
	}
	defer rows.Close()
	var out []RuleChange
	for rows.Next() {
		var c RuleChange
		var on int
		var at int64
		if err := rows.Scan(&c.ID, &c.Rule, &c.Effective, &on, &c.Severity, &c.Note, &at, &c.CreatedBy); err != nil {
			return nil, err
		}
		c.Enabled, c.CreatedAt = on == 1, microsTime(at)
		out = append(out, c)
	}
	return out, rows.Err()
}

// ScheduleRule adds an entry to the rule schedule and returns its id.
func (s *Store) ScheduleRule(ctx context.Context, c *RuleChange) (int64, error) {
	if c.CreatedAt.IsZero() {
		c.CreatedAt = s.Now()
	}
	err := s.w.QueryRowContext(ctx, s.d.rebind("INSERT INTO progress_schedule (rule, effective, enabled, severity, note, created_at, created_by) "+
		"VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id"), c.Rule, c.Effective, b2i(c.Enabled), c.Severity, c.Note,
		c.CreatedAt.UnixMicro(), c.CreatedBy).Scan(&c.ID)
	if err != nil {
		return 0, fmt.Errorf("schedule rule %s: %w", c.Rule, err)
	}
	return c.ID, nil
}

// DeleteRuleChange removes a schedule entry (ErrNotFound if there is none).
// Whether it may go (its date must not have been computed) is the caller's rule.
func (s *Store) DeleteRuleChange(ctx context.Context, id int64) error {
	return s.deleteByID(ctx, "progress_schedule", id)
}

// SaveRuleset records the rule configuration behind a rules version, once.
func (s *Store) SaveRuleset(ctx context.Context, version, rules string) error {
	_, err := s.w.ExecContext(ctx, s.d.rebind("INSERT INTO progress_rulesets (version, rules, created_at) VALUES (?, ?, ?) "+
		"ON CONFLICT (version) DO NOTHING"), version, rules, s.now())
	if err != nil {
		return fmt.Errorf("save rules version %s: %w", version, err)
	}
	return nil
}

// Ruleset returns the rule configuration of a rules version, or ErrNotFound.
func (s *Store) Ruleset(ctx context.Context, version string) (string, error) {
	var rules string
	err := s.r.QueryRowContext(ctx, s.d.rebind("SELECT rules FROM progress_rulesets WHERE version = ?"), version).Scan(&rules)
	if errors.Is(err, sql.ErrNoRows) {
		return "", fmt.Errorf("rules version %s: %w", version, ErrNotFound)
	}
	return rules, err
}
