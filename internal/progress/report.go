package progress

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"shuiyun/internal/agency"
	"shuiyun/internal/standard"
	"shuiyun/internal/store"
)

// ReportData is the progress report (进展情况通报) of a period: what the
// XLSX and HTML writers lay out.
type ReportData struct {
	Title            string
	From, To         Day
	PrevFrom, PrevTo Day
	Period           Period // the unit of the trend table
	Generated        time.Time
	Summary          Summary
	Ranking          []Standing          // this period, ranked
	Previous         map[string]Standing // the previous period, by agency (empty when it was not computed)
	Details          []Detail            // per agency and dataset
	Trend            []TrendRow
	Milestones       []MilestoneState
	Formulas         []Formula
}

// Summary totals a period over every agency but the ministry.
type Summary struct {
	Standing          // the sums, and the national rates
	Agencies int      // agencies ranked
	Rules    []string // rules versions of the period's days
}

// Detail is one agency's dataset over the period.
type Detail struct {
	Standing
	Dataset *standard.Dataset
}

// TrendRow is the national figures of one unit (day, week or month) of the period.
type TrendRow struct {
	From, To Day
	Standing
}

// Comparison is an agency's standing now and in the previous period.
type Comparison struct {
	Now, Before Standing
	HasBefore   bool
}

// DetailDatasets lists the datasets the details hold, in the standard's order.
func (r *ReportData) DetailDatasets() []*standard.Dataset {
	var out []*standard.Dataset
	for _, d := range r.Details {
		if !slices.Contains(out, d.Dataset) {
			out = append(out, d.Dataset)
		}
	}
	slices.SortStableFunc(out, func(a, b *standard.Dataset) int { return strings.Compare(a.Code, b.Code) })
	return out
}

// Comparisons pairs each agency's standings, in this period's rank order.
func (r *ReportData) Comparisons() []Comparison {
	out := make([]Comparison, len(r.Ranking))
	for i, st := range r.Ranking {
		before, ok := r.Previous[st.Agency.Code]
		out[i] = Comparison{Now: st, Before: before, HasBefore: ok}
	}
	return out
}

// Report gathers the report of [from, to] from the computed days; period
// is the unit of its trend table.
func (s *Service) Report(ctx context.Context, from, to Day, period Period) (*ReportData, error) {
	if to < from {
		return nil, fmt.Errorf("结束日期 %s 早于开始日期 %s", to, from)
	}
	last, err := s.LastComputed(ctx)
	if err != nil {
		return nil, err
	}
	if last < to {
		return nil, fmt.Errorf("%s 的指标尚未计算（已算到 %s）：请先运行 shuiyun report metrics", to, last)
	}
	n := to - from + 1
	r := &ReportData{From: from, To: to, PrevFrom: from - n, PrevTo: from - 1, Period: period, Generated: s.Now(),
		Previous: map[string]Standing{}, Formulas: Formulas}
	r.Title = fmt.Sprintf("水运政务数据共享工作进展情况通报（%s—%s）", chineseDate(from), chineseDate(to))
	if r.Ranking, err = s.Standings(ctx, from, to); err != nil {
		return nil, err
	}
	if prev, err := s.Standings(ctx, r.PrevFrom, r.PrevTo); err == nil {
		for _, st := range prev {
			r.Previous[st.Agency.Code] = st
		}
	}
	days, err := s.st.Days(ctx, store.DayFilter{From: from.String(), To: to.String()})
	if err != nil {
		return nil, err
	}
	r.Summary = summarize(r.Ranking, days)
	fixes, err := s.fixesIn(ctx, from, to)
	if err != nil {
		return nil, err
	}
	r.Summary.FixMedian = median(fixes[[2]string{}])
	r.Details = s.details(days, from, to, fixes)
	r.Trend = trend(days, from, to, period)
	if r.Milestones, err = s.Milestones(ctx, to); err != nil {
		return nil, err
	}
	return r, nil
}

func chineseDate(d Day) string {
	t := d.Start()
	return fmt.Sprintf("%d年%d月%d日", t.Year(), t.Month(), t.Day())
}

// summarize adds up the agencies' standings into national figures.
func summarize(ranking []Standing, days []store.DayFigures) Summary {
	var s Summary
	for _, st := range ranking {
		if st.Ranked {
			s.Agencies++
		}
		t := &s.Standing
		t.Due, t.OnTime, t.Late, t.Missing = t.Due+st.Due, t.OnTime+st.OnTime, t.Late+st.Late, t.Missing+st.Missing
		t.RecordDays, t.CompleteDays = t.RecordDays+st.RecordDays, t.CompleteDays+st.CompleteDays
		t.ConformDays, t.RelationalDays = t.ConformDays+st.ConformDays, t.RelationalDays+st.RelationalDays
		t.Live, t.CoverageLive, t.Expected = t.Live+st.Live, t.CoverageLive+st.CoverageLive, t.Expected+st.Expected
		t.Rejected, t.Fixed, t.Backlog, t.Gaps = t.Rejected+st.Rejected, t.Fixed+st.Fixed, t.Backlog+st.Backlog, t.Gaps+st.Gaps
	}
	s.rates()
	seen := map[string]bool{}
	for _, d := range days {
		if !seen[d.Rules] {
			seen[d.Rules] = true
			s.Rules = append(s.Rules, d.Rules)
		}
	}
	return s
}

// fixesIn lists the times to fix of the rows fixed in [from, to], by
// agency and dataset, and of every agency's (the key of two empty strings).
func (s *Service) fixesIn(ctx context.Context, from, to Day) (map[[2]string][]time.Duration, error) {
	rejects, err := s.st.Rejects(ctx, store.RejectFilter{Before: to.End(), After: from.Start()})
	if err != nil {
		return nil, err
	}
	out := map[[2]string][]time.Duration{}
	for _, rj := range rejects {
		if rj.Sender != agency.Ministry && !rj.FixedAt.IsZero() && DayOf(rj.FixedAt) >= from && DayOf(rj.FixedAt) <= to {
			d := rj.FixedAt.Sub(rj.RejectedAt)
			k := [2]string{rj.Sender, rj.Dataset}
			out[k], out[[2]string{}] = append(out[k], d), append(out[[2]string{}], d)
		}
	}
	return out, nil
}

// details aggregates the days per agency and dataset.
func (s *Service) details(days []store.DayFigures, from, to Day, fixes map[[2]string][]time.Duration) []Detail {
	type key struct{ agency, dataset string }
	by := map[key]*Detail{}
	for _, d := range days {
		if d.Agency == agency.Ministry {
			continue
		}
		k := key{d.Agency, d.Dataset}
		if by[k] == nil {
			a, _ := agency.Lookup(d.Agency)
			by[k] = &Detail{Standing: Standing{Agency: a, From: from, To: to}, Dataset: s.std.Dataset(d.Dataset)}
		}
		by[k].addDay(d, d.Day == to.String())
	}
	var out []Detail
	for _, a := range agency.All {
		for _, ds := range s.std.Datasets {
			if d := by[key{a.Code, ds.Name}]; d != nil {
				d.rates()
				d.FixMedian = median(fixes[[2]string{a.Code, ds.Name}])
				out = append(out, *d)
			}
		}
	}
	return out
}

// trend sums the days into units of the period kind, nationally.
func trend(days []store.DayFigures, from, to Day, p Period) []TrendRow {
	var out []TrendRow
	index := map[Day]int{}
	for d := from; d <= to; {
		a, b := p.Span(d)
		a, b = max(a, from), min(b, to)
		index[a] = len(out)
		out = append(out, TrendRow{From: a, To: b, Standing: Standing{From: a, To: b}})
		d = b + 1
	}
	for _, d := range days {
		if d.Agency == agency.Ministry {
			continue
		}
		day, err := ParseDay(d.Day)
		if err != nil {
			continue
		}
		a, b := p.Span(day)
		row := &out[index[max(a, from)]]
		row.addDay(d, day == min(b, to))
	}
	for i := range out {
		out[i].rates()
	}
	return out
}
