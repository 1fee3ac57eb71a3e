package progress

import (
	"context"
	"time"

	"shuiyun/internal/agency"
	"shuiyun/internal/standard"
	"shuiyun/internal/store"
)

// SubmissionRecorder is the hook ingest calls inside the transaction that
// applies a package, once per data file, with the file's dataset, its row
// count and its rejected rows (the row number, the key as the Writer would
// store it, the rules of its error findings). *store.Tx implements it.
type SubmissionRecorder interface {
	RecordSubmission(ctx context.Context, sender string, sub store.Submission) error
}

var _ SubmissionRecorder = (*store.Tx)(nil)

// Figures are a stored day's figures with their rates.
type Figures struct{ store.DayFigures }

func rate(n, of int) float64 {
	if of == 0 {
		return NA
	}
	return float64(n) / float64(of)
}

// CompleteRate, ConformRate and RelationalRate are shares of the records
// held (NA when none were); CoverageRate is records ÷ the expected count.
func (f Figures) CompleteRate() float64   { return rate(f.Complete, f.Live) }
func (f Figures) ConformRate() float64    { return rate(f.Conform, f.Live) }
func (f Figures) RelationalRate() float64 { return rate(f.Relational, f.Live) }
func (f Figures) CoverageRate() float64   { return rate(f.Live, f.ExpectedCount) }

// Levels of a cell of the overview.
const (
	Grey  = "grey"  // nothing expected, nothing held
	Green = "green" // on time (or not due), every record passes, no open backlog
	Amber = "amber" // late, or some record fails or a rejected row is open
	Red   = "red"   // missing, or under 90% of the records pass conformance or relational rules
)

// Level grades a day's figures for the overview's colours.
func (f Figures) Level() string {
	switch {
	case !f.Required && f.Live == 0 && f.Deliveries == 0 && f.Backlog == 0:
		return Grey
	case f.Status == Missing || (f.Live > 0 && (f.ConformRate() < 0.9 || f.RelationalRate() < 0.9)):
		return Red
	case f.Status == Late || f.Backlog > 0 || f.Complete < f.Live || f.Conform < f.Live || f.Relational < f.Live:
		return Amber
	}
	return Green
}

// Overview is the national picture of one day: every agency × dataset.
type Overview struct {
	Day      Day
	Datasets []*standard.Dataset // the columns: every dataset, agency datasets first
	Rows     []OverviewRow       // every agency but the ministry, in the usual order
}

// OverviewRow is one agency's line.
type OverviewRow struct {
	Agency agency.Agency
	Cells  []Figures // per dataset of Overview.Datasets; zero figures where none are stored
	Gaps   int       // its sequence gaps at the end of the day
}

// Overview reads the figures of a computed day.
func (s *Service) Overview(ctx context.Context, day Day) (*Overview, error) {
	days, err := s.st.Days(ctx, store.DayFilter{From: day.String(), To: day.String()})
	if err != nil {
		return nil, err
	}
	agencyDays, err := s.st.AgencyDays(ctx, store.DayFilter{From: day.String(), To: day.String()})
	if err != nil {
		return nil, err
	}
	o := &Overview{Day: day}
	col := map[string]int{}
	for _, ref := range []bool{false, true} {
		for _, ds := range s.std.Datasets {
			if ds.Reference == ref {
				col[ds.Name] = len(o.Datasets)
				o.Datasets = append(o.Datasets, ds)
			}
		}
	}
	row := map[string]int{}
	for _, a := range agency.All {
		if a.Code == agency.Ministry {
			continue
		}
		row[a.Code] = len(o.Rows)
		cells := make([]Figures, len(o.Datasets))
		for i, ds := range o.Datasets {
			cells[i].Day, cells[i].Agency, cells[i].Dataset = day.String(), a.Code, ds.Name
		}
		o.Rows = append(o.Rows, OverviewRow{Agency: a, Cells: cells})
	}
	for _, d := range days {
		if r, ok := row[d.Agency]; ok {
			o.Rows[r].Cells[col[d.Dataset]] = Figures{d}
		}
	}
	for _, a := range agencyDays {
		if r, ok := row[a.Agency]; ok {
			o.Rows[r].Gaps = a.Gaps
		}
	}
	return o, nil
}

// Series lists an agency's (or, with agency "", every agency's) figures of
// a dataset (or, with dataset "", every dataset) over [from, to], by day:
// the trends of the agency and dataset pages.
func (s *Service) Series(ctx context.Context, agencyCode, dataset string, from, to Day) ([]Figures, error) {
	days, err := s.st.Days(ctx, store.DayFilter{From: from.String(), To: to.String(), Agency: agencyCode, Dataset: dataset})
	if err != nil {
		return nil, err
	}
	out := make([]Figures, len(days))
	for i, d := range days {
		out[i] = Figures{d}
	}
	return out, nil
}

// Due is the state of a submission due today, as it stands now.
type Due struct {
	Agency  agency.Agency
	Dataset string
	DueAt   time.Time
	From    Day    // the period the submission covers (From = today for daily ones)
	State   string // received (on time), late, pending (not yet, before the deadline), overdue (none, after it)
	First   time.Time
}

// Due states.
const (
	Received = "received"
	Pending  = "pending"
	Overdue  = "overdue"
)

// DueToday lists every submission due today and its state at now: the
// dashboard flags the overdue ones once the deadline has passed.
func (s *Service) DueToday(ctx context.Context, now time.Time) ([]Due, error) {
	exp, err := s.Expectations(ctx)
	if err != nil {
		return nil, err
	}
	today := DayOf(now)
	deliveries, err := s.st.ProgressDeliveries(ctx, (today - 31).Start(), now.Add(time.Microsecond))
	if err != nil {
		return nil, err
	}
	var out []Due
	for _, a := range agency.All {
		for _, ds := range s.std.Datasets {
			e := exp[a.Code][ds.Name]
			from, to := periodOf(e.Frequency, today)
			if !e.Required || to != today {
				continue
			}
			d := Due{Agency: a, Dataset: ds.Name, DueAt: today.At(e.DueMinute), From: from}
			for _, dl := range deliveries {
				if dl.Sender == a.Code && dl.Applied && holds(dl, ds.Name) && DayOf(dl.ReceivedAt) >= from && !dl.ReceivedAt.After(now) {
					d.First = dl.ReceivedAt
					break
				}
			}
			switch {
			case !d.First.IsZero() && !d.First.After(d.DueAt):
				d.State = Received
			case !d.First.IsZero():
				d.State = Late
			case now.After(d.DueAt):
				d.State = Overdue
			default:
				d.State = Pending
			}
			out = append(out, d)
		}
	}
	return out, nil
}

// MilestoneState is how far the agencies are with a milestone on a day.
type MilestoneState struct {
	Milestone store.Milestone
	Day       Day // the computed day the state is read from (the due day, or the last computed before it)
	Agencies  []MilestoneAgency
	Met       int // agencies that met it
}

// MilestoneAgency is one agency's part of a milestone.
type MilestoneAgency struct {
	Agency   agency.Agency
	Met      bool
	Datasets []MilestoneDataset
}

// MilestoneDataset says whether an agency holds a dataset as the milestone asks.
type MilestoneDataset struct {
	Dataset  string
	Live     int
	Expected int  // 0 when the ministry set no expected count
	Met      bool // records held, and as many as expected where a count is set
}

// Milestones reads every milestone's state on day (or on its due day, if
// earlier), from the computed days.
func (s *Service) Milestones(ctx context.Context, day Day) ([]MilestoneState, error) {
	ms, err := s.st.Milestones(ctx)
	if err != nil {
		return nil, err
	}
	exp, err := s.Expectations(ctx)
	if err != nil {
		return nil, err
	}
	last, err := s.LastComputed(ctx)
	if err != nil {
		return nil, err
	}
	var out []MilestoneState
	for _, m := range ms {
		due, err := ParseDay(m.Due)
		if err != nil {
			return nil, err
		}
		at := min(day, due, last)
		days, err := s.st.Days(ctx, store.DayFilter{From: at.String(), To: at.String()})
		if err != nil {
			return nil, err
		}
		out = append(out, milestoneState(m, at, days, exp))
	}
	return out, nil
}

func milestoneState(m store.Milestone, at Day, days []store.DayFigures, exp map[string]map[string]store.Expectation) MilestoneState {
	live := map[[2]string]int{}
	for _, d := range days {
		live[[2]string{d.Agency, d.Dataset}] = d.Live
	}
	st := MilestoneState{Milestone: m, Day: at}
	for _, a := range agency.All {
		if !inScope(m, a.Code) {
			continue
		}
		ma := MilestoneAgency{Agency: a, Met: true}
		for _, ds := range m.Datasets {
			n, want := live[[2]string{a.Code, ds}], exp[a.Code][ds].ExpectedCount
			md := MilestoneDataset{Dataset: ds, Live: n, Expected: want, Met: n > 0 && n >= want}
			ma.Met = ma.Met && md.Met
			ma.Datasets = append(ma.Datasets, md)
		}
		if ma.Met {
			st.Met++
		}
		st.Agencies = append(st.Agencies, ma)
	}
	return st
}

// inScope: a milestone names its agencies, or concerns every agency but the ministry.
func inScope(m store.Milestone, code string) bool {
	if len(m.Agencies) == 0 {
		return code != agency.Ministry
	}
	for _, a := range m.Agencies {
		if a == code {
			return true
		}
	}
	return false
}
