package progress

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	"shuiyun/internal/agency"
	"shuiyun/internal/standard"
	"shuiyun/internal/store"
)

// Service computes the progress figures into the store and reads them back
// for the pages, rankings and reports.
type Service struct {
	st  *store.Store
	std *standard.Standard
	// Now is the clock; it defaults to the store's.
	Now func() time.Time
	// Grace is how long after midnight a day waits to be computed: a package
	// whose transaction began before midnight may still be committing.
	Grace time.Duration
	// TempDir holds the engine's batch files while versions are evaluated.
	TempDir string

	mu sync.Mutex // one computation at a time
}

// New makes the service of a store.
func New(st *store.Store) *Service {
	return &Service{st: st, std: st.Standard(), Now: func() time.Time { return st.Now() }, Grace: 30 * time.Minute}
}

// Standard is the standard whose datasets and rules are measured.
func (s *Service) Standard() *standard.Standard { return s.std }

// Today is the current Beijing day.
func (s *Service) Today() Day { return DayOf(s.Now()) }

// Default expectations (decisions in doc.go).
const (
	DefaultDueMinute = 18 * 60
	Daily            = "daily"
	Weekly           = "weekly"
	Monthly          = "monthly"
)

// DefaultExpectation is what applies to a pair the ministry has not set:
// every agency but the ministry sends each agency dataset (D01–D10) daily
// by 18:00; the reference datasets (D11, D12) come from the ministry's own
// feeds and are expected of no one.
func DefaultExpectation(agencyCode string, ds *standard.Dataset) store.Expectation {
	return store.Expectation{Agency: agencyCode, Dataset: ds.Name, Required: agencyCode != agency.Ministry && !ds.Reference,
		Frequency: Daily, DueMinute: DefaultDueMinute}
}

// Expectations returns the expectation of every agency and dataset: the
// ministry's settings over the defaults, by agency then dataset.
func (s *Service) Expectations(ctx context.Context) (map[string]map[string]store.Expectation, error) {
	set, err := s.st.Expectations(ctx)
	if err != nil {
		return nil, err
	}
	out := map[string]map[string]store.Expectation{}
	for _, a := range agency.All {
		out[a.Code] = map[string]store.Expectation{}
		for _, ds := range s.std.Datasets {
			out[a.Code][ds.Name] = DefaultExpectation(a.Code, ds)
		}
	}
	for _, e := range set {
		if out[e.Agency] != nil {
			out[e.Agency][e.Dataset] = e
		}
	}
	return out, nil
}

// SetExpectation checks and saves an expectation. It applies to the days
// computed from now on; stored days keep what they were computed with.
func (s *Service) SetExpectation(ctx context.Context, e store.Expectation) error {
	if !agency.Known(e.Agency) {
		return fmt.Errorf("未知的机构 %q", e.Agency)
	}
	ds := s.std.Dataset(e.Dataset)
	if ds == nil {
		return fmt.Errorf("未知的数据集 %q", e.Dataset)
	}
	e.Dataset = ds.Name
	if e.Frequency == "" {
		e.Frequency = Daily
	}
	if !slices.Contains([]string{Daily, Weekly, Monthly}, e.Frequency) {
		return fmt.Errorf("报送频率 %q 应为 daily、weekly 或 monthly", e.Frequency)
	}
	if e.DueMinute < 0 || e.DueMinute >= 24*60 {
		return fmt.Errorf("截止时间应在 00:00 至 23:59 之间")
	}
	if e.ExpectedCount < 0 {
		return fmt.Errorf("应有记录数不能为负")
	}
	return s.st.SetExpectation(ctx, e)
}

// AddMilestone checks and saves a milestone.
func (s *Service) AddMilestone(ctx context.Context, m *store.Milestone) (int64, error) {
	if m.Name == "" {
		return 0, errors.New("里程碑需要名称")
	}
	if _, err := ParseDay(m.Due); err != nil {
		return 0, err
	}
	if len(m.Datasets) == 0 {
		return 0, errors.New("里程碑至少要列出一个数据集")
	}
	for i, name := range m.Datasets {
		ds := s.std.Dataset(name)
		if ds == nil {
			return 0, fmt.Errorf("未知的数据集 %q", name)
		}
		m.Datasets[i] = ds.Name
	}
	for _, a := range m.Agencies {
		if !agency.Known(a) {
			return 0, fmt.Errorf("未知的机构 %q", a)
		}
	}
	return s.st.AddMilestone(ctx, m)
}

// ScheduleRule checks and adds a rule phase. It must take effect after the
// last computed day and not before today: figures already stored never
// change, and a rule is announced before it applies.
func (s *Service) ScheduleRule(ctx context.Context, c *store.RuleChange) (int64, error) {
	r := s.std.Rule(c.Rule)
	if r == nil {
		return 0, fmt.Errorf("未知的规则 %q", c.Rule)
	}
	if r.Category == standard.Structure {
		return 0, fmt.Errorf("结构类规则 %s 针对文件，不计入记录指标，不能排期", c.Rule)
	}
	if c.Severity == "" {
		c.Severity = string(r.Severity)
	}
	if c.Severity != string(standard.Error) && c.Severity != string(standard.Warning) {
		return 0, fmt.Errorf("严重程度 %q 应为 error 或 warning", c.Severity)
	}
	eff, err := ParseDay(c.Effective)
	if err != nil {
		return 0, err
	}
	if err := s.checkFuture(ctx, eff); err != nil {
		return 0, err
	}
	return s.st.ScheduleRule(ctx, c)
}

// checkFuture refuses a date whose figures are computed or that is past.
func (s *Service) checkFuture(ctx context.Context, eff Day) error {
	last, err := s.LastComputed(ctx)
	if err != nil {
		return err
	}
	if eff <= last {
		return fmt.Errorf("%s 及以前的指标已计算，规则调整只能从 %s 起生效", last, last+1)
	}
	if eff < s.Today() {
		return fmt.Errorf("生效日期 %s 已过", eff)
	}
	return nil
}

// CancelRuleChange removes a schedule entry that has not taken effect.
func (s *Service) CancelRuleChange(ctx context.Context, id int64) error {
	schedule, err := s.st.RuleSchedule(ctx)
	if err != nil {
		return err
	}
	i := slices.IndexFunc(schedule, func(c store.RuleChange) bool { return c.ID == id })
	if i < 0 {
		return fmt.Errorf("规则排期 #%d：%w", id, store.ErrNotFound)
	}
	eff, err := ParseDay(schedule[i].Effective)
	if err != nil {
		return err
	}
	if err := s.checkFuture(ctx, eff); err != nil {
		return err
	}
	return s.st.DeleteRuleChange(ctx, id)
}

// RulesOn returns the rules in force on a day.
func (s *Service) RulesOn(ctx context.Context, d Day) (*RuleSet, error) {
	schedule, err := s.st.RuleSchedule(ctx)
	if err != nil {
		return nil, err
	}
	return rulesOn(s.std, schedule, d), nil
}

// LastComputed is the last day whose figures are stored (0 when none).
func (s *Service) LastComputed(ctx context.Context) (Day, error) {
	last, err := s.st.LastDay(ctx)
	if err != nil || last == "" {
		return 0, err
	}
	return ParseDay(last)
}

// StandardOn returns the standard with the rules in force on day d (the
// schedule applied): what ingest and the web's checks should validate that
// day's packages with, so that a phase changes what is rejected, not only
// what is measured.
func (s *Service) StandardOn(ctx context.Context, d Day) (*standard.Standard, error) {
	schedule, err := s.st.RuleSchedule(ctx)
	if err != nil {
		return nil, err
	}
	return StandardOn(s.std, schedule, d)
}
