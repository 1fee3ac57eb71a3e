package progress

import (
	"context"
	"slices"
	"sort"
	"time"

	"shuiyun/internal/agency"
	"shuiyun/internal/store"
)

// cell holds the figures of an agency's dataset on one day that come from
// deliveries and rejected rows.
type cell struct {
	deliveries int
	first      time.Time
	due        bool
	status     string
	rejected   int
	backlog    int32 // a change: summed over the days at the end
	fixed      int
	fixTimes   []time.Duration
}

// Timeliness statuses of a due day.
const (
	OnTime  = "on_time"
	Late    = "late"
	Missing = "missing"
)

type submissionFigures struct {
	cells    [][][]cell     // agency, dataset, day of the span
	received [][][]int64    // agency, dataset: arrival times of applied deliveries holding it, in order
	agencies [][]*agencyDay // agency, day
}

type agencyDay struct{ deliveries, applied int }

func (r *run) cell(ag, ds int, d Day) *cell { return &r.sub.cells[ag][ds][d-r.from] }

// submissions computes the figures of deliveries, rejected rows and sequences.
func (r *run) submissions(ctx context.Context) error {
	n := int(r.to-r.from) + 1
	r.sub = &submissionFigures{}
	for range agency.All {
		cells, recv := make([][]cell, len(r.datasets)), make([][]int64, len(r.datasets))
		for j := range cells {
			cells[j] = make([]cell, n+1)
		}
		days := make([]*agencyDay, n)
		for j := range days {
			days[j] = &agencyDay{}
		}
		r.sub.cells, r.sub.received, r.sub.agencies = append(r.sub.cells, cells), append(r.sub.received, recv), append(r.sub.agencies, days)
	}
	if err := r.s.fixRejects(ctx, r.to.End()); err != nil {
		return err
	}
	if err := r.deliveries(ctx); err != nil {
		return err
	}
	r.timeliness()
	if err := r.rejects(ctx); err != nil {
		return err
	}
	return r.gaps(ctx)
}

// deliveries counts the deliveries of the span and keeps the arrival times
// a due day's window looks at (a month back at most).
func (r *run) deliveries(ctx context.Context) error {
	list, err := r.s.st.ProgressDeliveries(ctx, (r.from - 31).Start(), r.to.End())
	if err != nil {
		return err
	}
	for _, dl := range list {
		ag, known := r.agIndex[dl.Sender]
		if !known {
			continue
		}
		d := DayOf(dl.ReceivedAt)
		inSpan := d >= r.from && d <= r.to
		if inSpan {
			day := r.sub.agencies[ag][d-r.from]
			day.deliveries++
			if dl.Applied {
				day.applied++
			}
		}
		if !dl.Applied {
			continue
		}
		for _, sd := range dl.Datasets {
			ds, ok := r.dsIndex[sd.Dataset]
			if !ok {
				continue
			}
			r.sub.received[ag][ds] = append(r.sub.received[ag][ds], dl.ReceivedAt.UnixMicro())
			if inSpan {
				c := r.cell(ag, ds, d)
				if c.deliveries == 0 || dl.ReceivedAt.Before(c.first) {
					c.first = dl.ReceivedAt
				}
				c.deliveries++
			}
		}
	}
	return nil
}

// periodOf returns the reporting period of a frequency that holds d.
func periodOf(frequency string, d Day) (Day, Day) {
	switch frequency {
	case Weekly:
		return PeriodWeek.Span(d)
	case Monthly:
		return PeriodMonth.Span(d)
	}
	return d, d
}

// timeliness sets the status of every due day: on time when a delivery
// holding the dataset arrived in the period by the due hour of its last day,
// late when the first arrived on that day after the due hour, else missing.
func (r *run) timeliness() {
	for ag, a := range agency.All {
		for ds, dset := range r.datasets {
			exp := r.expect[a.Code][dset.Name]
			if !exp.Required {
				continue
			}
			times := r.sub.received[ag][ds]
			slices.Sort(times)
			for d := r.from; d <= r.to; d++ {
				pf, pt := periodOf(exp.Frequency, d)
				if d != pt {
					continue
				}
				c := r.cell(ag, ds, d)
				c.due, c.status = true, Missing
				dueAt := d.At(exp.DueMinute).UnixMicro()
				i := sort.Search(len(times), func(i int) bool { return times[i] >= pf.startMicros() })
				switch {
				case i < len(times) && times[i] <= dueAt:
					c.status = OnTime
				case i < len(times) && times[i] < d.endMicros():
					c.status = Late
				}
			}
		}
	}
}

// rejects counts rows rejected and fixed each day, and the open backlog at
// the end of each day.
func (r *run) rejects(ctx context.Context) error {
	list, err := r.s.st.Rejects(ctx, store.RejectFilter{Before: r.to.End(), After: r.from.Start()})
	if err != nil {
		return err
	}
	for _, rj := range list {
		ag, okA := r.agIndex[rj.Sender]
		ds, okD := r.dsIndex[rj.Dataset]
		if !okA || !okD {
			continue
		}
		d0, d1 := DayOf(rj.RejectedAt), Never
		if !rj.FixedAt.IsZero() {
			d1 = DayOf(rj.FixedAt)
		}
		if d0 >= r.from && d0 <= r.to {
			r.cell(ag, ds, d0).rejected++
		}
		if d1 >= r.from && d1 <= r.to {
			c := r.cell(ag, ds, d1)
			c.fixed++
			c.fixTimes = append(c.fixTimes, rj.FixedAt.Sub(rj.RejectedAt))
		}
		// Open at the end of the days [d0, d1).
		d0, d1 = max(d0, r.from), min(d1, r.to+1)
		if d0 < d1 {
			r.cell(ag, ds, d0).backlog++
			r.cell(ag, ds, d1).backlog--
		}
	}
	return nil
}

// gaps lists, for every agency and day, the sequences below its highest
// applied one that no applied delivery had used by the end of the day.
func (r *run) gaps(ctx context.Context) error {
	seqs, err := r.s.st.AppliedSequences(ctx, r.to.End())
	if err != nil {
		return err
	}
	bySender := map[string][]store.AppliedSequence{}
	for _, a := range seqs {
		bySender[a.Sender] = append(bySender[a.Sender], a)
	}
	for ag, a := range agency.All {
		list := bySender[a.Code]
		sort.Slice(list, func(i, j int) bool { return list[i].ProcessedAt.Before(list[j].ProcessedAt) })
		var used []int64
		next := 0
		for d := r.from; d <= r.to; d++ {
			for ; next < len(list) && list[next].ProcessedAt.Before(d.End()); next++ {
				i, found := slices.BinarySearch(used, list[next].Seq)
				if !found && list[next].Seq > 0 {
					used = slices.Insert(used, i, list[next].Seq)
				}
			}
			day := r.sub.agencies[ag][d-r.from]
			gaps := 0
			if len(used) > 0 {
				gaps = int(used[len(used)-1]) - len(used)
			}
			r.agencyDays = append(r.agencyDays, store.AgencyDay{Day: d.String(), Agency: a.Code, Deliveries: day.deliveries,
				Applied: day.applied, Gaps: gaps, Missing: missingOf(used, maxListed)})
		}
	}
	sort.SliceStable(r.agencyDays, func(i, j int) bool { return r.agencyDays[i].Day < r.agencyDays[j].Day }) // the table's key order
	return nil
}

// maxListed caps the missing sequences listed per agency and day (the
// count is exact: AgencyDay.Gaps).
const maxListed = 200

// missingOf lists the numbers in [1, max(used)] that used (sorted, distinct,
// positive) lacks, at most limit of them.
func missingOf(used []int64, limit int) []int64 {
	var out []int64
	next := int64(1)
	for _, u := range used {
		for ; next < u && len(out) < limit; next++ {
			out = append(out, next)
		}
		next = u + 1
	}
	return out
}

// figures assembles the stored rows, in the order of the table's key:
// every pair an agency is expected to send or did anything with.
func (r *run) figures() []store.DayFigures {
	for ag := range agency.All {
		for ds := range r.datasets {
			c := r.counts[ag][ds]
			for i := 1; i <= int(r.to-r.from); i++ { // changes → running figures
				c.live[i] += c.live[i-1]
				c.complete[i] += c.complete[i-1]
				c.conform[i] += c.conform[i-1]
				c.relational[i] += c.relational[i-1]
				r.sub.cells[ag][ds][i].backlog += r.sub.cells[ag][ds][i-1].backlog
			}
		}
	}
	out := make([]store.DayFigures, 0, int(r.to-r.from+1)*len(agency.All)*len(r.datasets)/2)
	for d := r.from; d <= r.to; d++ {
		i := int(d - r.from)
		for ag, a := range agency.All {
			for ds, dset := range r.datasets {
				exp, c, sc := r.expect[a.Code][dset.Name], r.counts[ag][ds], r.cell(ag, ds, d)
				if !exp.Required && c.live[i] == 0 && sc.deliveries == 0 && sc.rejected == 0 && sc.backlog == 0 && sc.fixed == 0 {
					continue
				}
				out = append(out, store.DayFigures{Day: d.String(), Agency: a.Code, Dataset: dset.Name, Rules: r.rules[i].Version,
					Required: exp.Required, Frequency: exp.Frequency, Due: sc.due, Status: sc.status, FirstAt: sc.first,
					Deliveries: sc.deliveries, Live: int(c.live[i]), Complete: int(c.complete[i]), Conform: int(c.conform[i]),
					Relational: int(c.relational[i]), ExpectedCount: exp.ExpectedCount, Rejected: sc.rejected, Backlog: int(sc.backlog),
					Fixed: sc.fixed, FixMedian: median(sc.fixTimes)})
			}
		}
	}
	return out
}

// median of durations (the lower middle of an even count: a real fix time).
func median(ds []time.Duration) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[(len(s)-1)/2]
}
