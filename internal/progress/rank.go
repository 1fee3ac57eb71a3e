package progress

import (
	"context"
	"fmt"
	"math"
	"sort"
	"time"

	"shuiyun/internal/agency"
	"shuiyun/internal/store"
)

// Weights of the composite score (doc.go, "Ranking").
var Weights = struct{ Timeliness, Completeness, Conformance, Relational float64 }{0.3, 0.2, 0.3, 0.2}

// NA marks a rate with nothing to measure (no submission due, no record).
const NA = -1.0

// Standing is an agency's figures over a period, its rates, score and rank.
type Standing struct {
	Agency agency.Agency
	From   Day
	To     Day

	Due, OnTime, Late, Missing int // due submissions (dataset × due day) and their statuses
	// Record-days: each record counted on each day it was held.
	RecordDays, CompleteDays, ConformDays, RelationalDays int
	Live                                                  int // records at the end of the period
	CoverageLive, Expected                                int // records and expected counts of the datasets with an expected count
	Rejected, Fixed                                       int // rows rejected and rows fixed in the period
	Backlog                                               int // rows open at the end of the period
	FixMedian                                             time.Duration
	Gaps                                                  int // sequences missing at the end of the period

	// Rates in [0, 1], NA when there is nothing to measure.
	Timeliness, Completeness, Conformance, Relational, Coverage float64
	Score                                                       float64 // 0–100, two decimals
	Ranked                                                      bool    // false when no rate applies
	Rank                                                        int     // 1 is best; equal scores share a rank (1, 1, 3)
}

// rates computes the rates and the score from the counts.
func (st *Standing) rates() {
	st.Timeliness, st.Completeness, st.Conformance, st.Relational, st.Coverage = NA, NA, NA, NA, NA
	if st.Due > 0 {
		st.Timeliness = (float64(st.OnTime) + 0.5*float64(st.Late)) / float64(st.Due)
	}
	switch {
	case st.RecordDays > 0:
		n := float64(st.RecordDays)
		st.Completeness, st.Conformance, st.Relational = float64(st.CompleteDays)/n, float64(st.ConformDays)/n, float64(st.RelationalDays)/n
	case st.Due > 0: // data was owed and none was held
		st.Completeness, st.Conformance, st.Relational = 0, 0, 0
	}
	if st.Expected > 0 {
		st.Coverage = float64(st.CoverageLive) / float64(st.Expected)
	}
	var sum, weights float64
	for _, c := range []struct{ rate, w float64 }{{st.Timeliness, Weights.Timeliness}, {st.Completeness, Weights.Completeness},
		{st.Conformance, Weights.Conformance}, {st.Relational, Weights.Relational}} {
		if c.rate != NA {
			sum, weights = sum+c.rate*c.w, weights+c.w
		}
	}
	st.Ranked = weights > 0
	st.Score = 0
	if st.Ranked {
		st.Score = math.Round(sum/weights*100*100) / 100
	}
}

// Rank orders standings by score (best first; unranked last; agencies in
// their usual order within a score) and gives equal scores the same rank,
// the next rank skipping as many places (competition ranking: 1, 1, 3).
func Rank(list []Standing) {
	order := map[string]int{}
	for i, a := range agency.All {
		order[a.Code] = i
	}
	sort.SliceStable(list, func(i, j int) bool {
		a, b := list[i], list[j]
		if a.Ranked != b.Ranked {
			return a.Ranked
		}
		if a.Score != b.Score {
			return a.Score > b.Score
		}
		return order[a.Agency.Code] < order[b.Agency.Code]
	})
	for i := range list {
		switch {
		case !list[i].Ranked:
			list[i].Rank = 0
		case i > 0 && list[i-1].Ranked && list[i-1].Score == list[i].Score:
			list[i].Rank = list[i-1].Rank
		default:
			list[i].Rank = i + 1
		}
	}
}

// Standings computes every agency's standing over [from, to] from the
// stored days, ranked. The ministry, who publishes the ranking, is not in it.
func (s *Service) Standings(ctx context.Context, from, to Day) ([]Standing, error) {
	last, err := s.LastComputed(ctx)
	if err != nil {
		return nil, err
	}
	if last < from {
		return nil, fmt.Errorf("%s 至 %s 的指标尚未计算（已算到 %s）", from, to, last)
	}
	end := min(to, last)
	days, err := s.st.Days(ctx, store.DayFilter{From: from.String(), To: end.String()})
	if err != nil {
		return nil, err
	}
	byAgency := map[string]*Standing{}
	var out []Standing
	for _, a := range agency.All {
		if a.Code != agency.Ministry {
			out = append(out, Standing{Agency: a, From: from, To: end})
		}
	}
	for i := range out {
		byAgency[out[i].Agency.Code] = &out[i]
	}
	for _, d := range days {
		if st := byAgency[d.Agency]; st != nil {
			st.addDay(d, d.Day == end.String())
		}
	}
	if err := s.addFixesAndGaps(ctx, byAgency, from, end); err != nil {
		return nil, err
	}
	for i := range out {
		out[i].rates()
	}
	Rank(out)
	return out, nil
}

func (st *Standing) addDay(d store.DayFigures, last bool) {
	if d.Due {
		st.Due++
		switch d.Status {
		case OnTime:
			st.OnTime++
		case Late:
			st.Late++
		default:
			st.Missing++
		}
	}
	st.RecordDays += d.Live
	st.CompleteDays += d.Complete
	st.ConformDays += d.Conform
	st.RelationalDays += d.Relational
	st.Rejected += d.Rejected
	st.Fixed += d.Fixed
	if last {
		st.Live += d.Live
		st.Backlog += d.Backlog
		if d.ExpectedCount > 0 {
			st.CoverageLive += d.Live
			st.Expected += d.ExpectedCount
		}
	}
}

// addFixesAndGaps adds the median time to fix over the period (of the rows
// fixed in it) and the sequence gaps at its end.
func (s *Service) addFixesAndGaps(ctx context.Context, by map[string]*Standing, from, to Day) error {
	rejects, err := s.st.Rejects(ctx, store.RejectFilter{Before: to.End(), After: from.Start()})
	if err != nil {
		return err
	}
	fixes := map[string][]time.Duration{}
	for _, rj := range rejects {
		if !rj.FixedAt.IsZero() && DayOf(rj.FixedAt) >= from && DayOf(rj.FixedAt) <= to {
			fixes[rj.Sender] = append(fixes[rj.Sender], rj.FixedAt.Sub(rj.RejectedAt))
		}
	}
	for code, ds := range fixes {
		if st := by[code]; st != nil {
			st.FixMedian = median(ds)
		}
	}
	days, err := s.st.AgencyDays(ctx, store.DayFilter{From: to.String(), To: to.String()})
	if err != nil {
		return err
	}
	for _, d := range days {
		if st := by[d.Agency]; st != nil {
			st.Gaps = d.Gaps
		}
	}
	return nil
}
