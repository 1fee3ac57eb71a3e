package progress

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"time"

	"shuiyun/internal/agency"
	"shuiyun/internal/standard"
	"shuiyun/internal/store"
	"shuiyun/internal/validate"
)

// Result says what a computation did.
type Result struct {
	From, To    Day // the days computed; From > To when there was nothing to do
	Full        int // phases swept from every version (no stored day to start from, or new rules)
	Incremental int // phases swept from the day before and the new versions only
	Evaluated   int // versions evaluated against the rules
	Failing     int // of them failing some rule
	Elapsed     time.Duration
	// Stages: where the time went (records: reading and evaluating versions;
	// submissions: deliveries, rejected rows, sequences; save: writing the days).
	Stages map[string]time.Duration
}

// Update computes every day not yet computed up to yesterday, once Grace
// has passed since midnight. The hub runs it after midnight; it is cheap
// when there is nothing to do.
func (s *Service) Update(ctx context.Context) (Result, error) {
	return s.ComputeThrough(ctx, DayOf(s.Now().Add(-s.Grace))-1)
}

// RecomputeFrom drops the stored figures of day from onwards and computes
// them again up to yesterday: an operator's repair, e.g. after a day was
// computed before it was over (the versions that arrived after that would
// otherwise never be counted: the next day starts from it).
func (s *Service) RecomputeFrom(ctx context.Context, from Day) (Result, error) {
	s.mu.Lock()
	err := s.st.DeleteDaysFrom(ctx, from.String())
	s.mu.Unlock()
	if err != nil {
		return Result{}, err
	}
	return s.Update(ctx)
}

// ComputeThrough computes and stores the figures of the days after the last
// computed one (or from the first day anything was stored) through to.
func (s *Service) ComputeThrough(ctx context.Context, to Day) (Result, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	start := time.Now()
	from, base, err := s.firstToCompute(ctx)
	if err != nil || from > to {
		return Result{From: from, To: to}, err
	}
	r, err := s.newRun(ctx, from, to)
	if err != nil {
		return Result{}, err
	}
	// The record figures and those of deliveries and rejected rows need
	// nothing of each other: they are worked out side by side.
	var subErr error
	var wg sync.WaitGroup
	wg.Go(func() {
		t := time.Now()
		subErr = r.submissions(ctx)
		r.subTime = time.Since(t)
	})
	t := time.Now()
	err = r.records(ctx, base)
	r.result.Stages["records"] = time.Since(t)
	wg.Wait()
	r.result.Stages["submissions"] = r.subTime
	if err = errors.Join(err, subErr); err == nil {
		t = time.Now()
		if err = s.st.SaveEvals(ctx, r.evals); err == nil {
			err = s.st.SaveDays(ctx, r.figures(), r.agencyDays)
		}
		r.result.Stages["save"] = time.Since(t)
	}
	if err != nil {
		return Result{}, err
	}
	r.result.Elapsed = time.Since(start)
	return r.result, nil
}

// firstToCompute returns the first day to compute and whether the day
// before it is stored (a baseline to go on from).
func (s *Service) firstToCompute(ctx context.Context) (Day, bool, error) {
	last, err := s.LastComputed(ctx)
	if err != nil {
		return 0, false, err
	}
	if last != 0 {
		return last + 1, true, nil
	}
	first, err := s.st.FirstActivity(ctx)
	if err != nil || first.IsZero() {
		return Never, false, err
	}
	return DayOf(first), false, nil
}

// run is one computation over the days [from, to].
type run struct {
	s          *Service
	from, to   Day
	datasets   []*standard.Dataset
	dsIndex    map[string]int
	agIndex    map[string]int
	schedule   []store.RuleChange
	rules      []*RuleSet    // per day of the span
	counts     [][]*counters // per agency and dataset: changes per day of the span
	expect     map[string]map[string]store.Expectation
	evals      []store.EvalRow
	sub        *submissionFigures
	agencyDays []store.AgencyDay
	tmp        string
	result     Result
	subTime    time.Duration
}

// counters hold, per day of the span, the changes of the record figures
// (summed into the figures at the end: a version live over a range of days
// adds one at its first day and takes it back after its last).
type counters struct {
	live, complete, conform, relational []int32
}

func (s *Service) newRun(ctx context.Context, from, to Day) (*run, error) {
	schedule, err := s.st.RuleSchedule(ctx)
	if err != nil {
		return nil, err
	}
	expect, err := s.Expectations(ctx)
	if err != nil {
		return nil, err
	}
	r := &run{s: s, from: from, to: to, datasets: s.std.Datasets, dsIndex: map[string]int{}, agIndex: map[string]int{},
		schedule: schedule, expect: expect, result: Result{From: from, To: to, Stages: map[string]time.Duration{}}}
	for i, ds := range r.datasets {
		r.dsIndex[ds.Name] = i
	}
	n := int(to-from) + 2
	for i, a := range agency.All {
		r.agIndex[a.Code] = i
		row := make([]*counters, len(r.datasets))
		for j := range row {
			row[j] = &counters{make([]int32, n), make([]int32, n), make([]int32, n), make([]int32, n)}
		}
		r.counts = append(r.counts, row)
	}
	for d := from; d <= to; d++ {
		r.rules = append(r.rules, rulesOn(s.std, schedule, d))
	}
	return r, nil
}

// phase is a run of days under the same rules.
type phase struct {
	a, b  Day
	rules *RuleSet
}

func (r *run) phases() []phase {
	var out []phase
	for d := r.from; d <= r.to; d++ {
		rs := r.rules[d-r.from]
		if n := len(out); n > 0 && out[n-1].rules.Version == rs.Version {
			out[n-1].b = d
			continue
		}
		out = append(out, phase{a: d, b: d, rules: rs})
	}
	return out
}

// records computes the record figures, phase by phase.
func (r *run) records(ctx context.Context, base bool) error {
	tmp, err := os.MkdirTemp(r.s.TempDir, "shuiyun-progress-")
	if err != nil {
		return fmt.Errorf("evaluation folder: %w", err)
	}
	defer os.RemoveAll(tmp)
	r.tmp = tmp
	for i, p := range r.phases() {
		if err := r.s.st.SaveRuleset(ctx, p.rules.Version, p.rules.config); err != nil {
			return err
		}
		if i == 0 && base {
			ok, err := r.baseline(ctx, p)
			if err != nil {
				return err
			}
			if ok {
				r.result.Incremental++
				if err := r.incremental(ctx, p); err != nil {
					return err
				}
				continue
			}
		}
		r.result.Full++
		if err := r.full(ctx, p); err != nil {
			return err
		}
	}
	return nil
}

// add counts a version (sign 1) or takes one back (-1) over the days
// [d0, d1) of phase p, with its verdict.
func (r *run) add(ag, ds int, d0, d1 Day, p phase, v verdict, sign int32) {
	d0, d1 = max(d0, p.a), min(d1, p.b+1)
	if d0 >= d1 {
		return
	}
	c := r.counts[ag][ds]
	i0, i1 := int(d0-r.from), int(d1-r.from)
	step := func(a []int32, on bool) {
		if on {
			a[i0] += sign
			a[i1] -= sign
		}
	}
	step(c.live, true)
	step(c.complete, v.complete)
	step(c.conform, v.conform)
	step(c.relational, v.relational)
}

// baseline starts the first phase from the stored day before it, if that
// day was computed under the same rules. A pair without a stored row held
// no record then.
func (r *run) baseline(ctx context.Context, p phase) (bool, error) {
	prev := (p.a - 1).String()
	days, err := r.s.st.Days(ctx, store.DayFilter{From: prev, To: prev})
	if err != nil {
		return false, err
	}
	for _, d := range days {
		if d.Live > 0 && d.Rules != p.rules.Version {
			return false, nil
		}
	}
	for _, d := range days {
		ag, okA := r.agIndex[d.Agency]
		ds, okD := r.dsIndex[d.Dataset]
		if !okA || !okD || d.Live == 0 {
			continue
		}
		c, i0, i1 := r.counts[ag][ds], 0, int(p.b-r.from)+1
		for _, x := range []struct {
			a []int32
			n int
		}{{c.live, d.Live}, {c.complete, d.Complete}, {c.conform, d.Conform}, {c.relational, d.Relational}} {
			x.a[i0] += int32(x.n)
			x.a[i1] -= int32(x.n)
		}
	}
	return true, nil
}

// vref is a version being evaluated: where it counts and for which days.
type vref struct {
	ag, ds int
	vid    int64
	key    string
	d0, d1 Day // it holds a record at the end of the days [d0, d1)
}

// liveDays returns the days at whose end a version held its record: the
// state at the end of day d is the one at d.End() − 1µs.
func liveDays(v *store.VersionRow) (Day, Day) {
	return dayOfMicros(v.From), dayOfMicros(v.To)
}

// evaluation gathers the versions of a phase into the engine's batches:
// those live at the end of the phase make up a state (every rule but the
// batch-only ones), the others are checked field by field only.
type evaluation struct {
	r      *run
	p      phase
	refs   []vrefs // per dataset: datasets are read concurrently, each by one goroutine
	state  *batch
	fields *batch
	repo   *keyedRepository
}

// A version's reference in a batch: its dataset and its place among the
// dataset's versions.
func refOf(ds, i int) int32 { return int32(ds<<27 | i) }

// vrefs is a list of versions in chunks: a million of them grow without
// being copied over and over.
type vrefs struct {
	chunks [][]vref
	n      int
}

const vrefChunk = 1 << 16

func (l *vrefs) add(v vref) {
	if l.n%vrefChunk == 0 {
		l.chunks = append(l.chunks, make([]vref, 0, vrefChunk))
	}
	c := &l.chunks[len(l.chunks)-1]
	*c = append(*c, v)
	l.n++
}

func (l *vrefs) at(i int) *vref { return &l.chunks[i/vrefChunk][i%vrefChunk] }

func (r *run) newEvaluation(p phase, keyed bool) (*evaluation, error) {
	stateStd, err := p.rules.standardFor(true)
	if err != nil {
		return nil, err
	}
	fieldStd, err := p.rules.standardFor(false)
	if err != nil {
		return nil, err
	}
	dir := filepath.Join(r.tmp, p.a.String())
	e := &evaluation{r: r, p: p, refs: make([]vrefs, len(r.datasets))}
	if e.state, err = newBatch(filepath.Join(dir, "state"), stateStd); err != nil {
		return nil, err
	}
	if e.fields, err = newBatch(filepath.Join(dir, "fields"), fieldStd); err != nil {
		return nil, err
	}
	if keyed {
		e.repo = newKeyedRepository(r.s.st, p.b.endMicros()-1)
	}
	return e, nil
}

// add queues a version that holds a record at the end of some day of the phase.
func (e *evaluation) add(ds int, v *store.VersionRow) error {
	ag, known := e.r.agIndex[v.Owner]
	d0, d1 := liveDays(v)
	if !known || max(d0, e.p.a) >= min(d1, e.p.b+1) {
		return nil
	}
	ref := refOf(ds, e.refs[ds].n)
	e.refs[ds].add(vref{ag: ag, ds: ds, vid: v.VID, key: v.Key, d0: d0, d1: d1})
	name := e.r.datasets[ds].Name
	if d1 > e.p.b {
		if e.repo != nil {
			e.repo.note(e.state.std, name, v.Values)
		}
		return e.state.add(name, v, ref)
	}
	return e.fields.add(name, v, ref)
}

// finish runs the engine over the batches and counts every queued version.
func (e *evaluation) finish(ctx context.Context) error {
	var repo validate.Repository // nil, not a nil *keyedRepository: the whole state is in the batch
	if e.repo != nil {
		repo = e.repo
	}
	// Two runs of the engine side by side: each has stretches on one core.
	var stateOut, fieldOut map[int32]outcome
	var stateErr, fieldErr error
	var wg sync.WaitGroup
	wg.Go(func() { fieldOut, fieldErr = e.fields.run(ctx, e.fields.std, e.p.b, nil) })
	stateOut, stateErr = e.state.run(ctx, e.state.std, e.p.b, repo)
	wg.Wait()
	if err := errors.Join(stateErr, fieldErr); err != nil {
		return err
	}
	r := e.r
	for ds := range e.refs {
		refs := &e.refs[ds]
		for i := range refs.n {
			v := refs.at(i)
			o, failed := stateOut[refOf(ds, i)]
			if !failed {
				o, failed = fieldOut[refOf(ds, i)]
			}
			r.add(v.ag, v.ds, v.d0, v.d1, e.p, judge(o.err, o.warn), 1)
			// Only what a figure counts is kept: errors, and completeness
			// findings of any severity (warnings alone change no figure).
			if failed && (o.err != 0 || o.warn&complMask != 0) {
				r.result.Failing++
				r.evals = append(r.evals, store.EvalRow{Dataset: r.datasets[v.ds].Name, Rules: e.p.rules.Version, VID: v.vid,
					Key: v.key, Owner: agency.All[v.ag].Code, Err: o.err, Warn: o.warn})
			}
		}
		r.result.Evaluated += refs.n
	}
	return nil
}

// scanners is how many datasets are read at once: reading SQLite rows is
// the costly part of a full sweep, and the machine has two cores.
const scanners = 2

// full sweeps every version that held a record at the end of a day of the phase.
func (r *run) full(ctx context.Context, p phase) error {
	e, err := r.newEvaluation(p, false)
	if err != nil {
		return err
	}
	start := time.Now()
	next := make(chan int)
	errs := make([]error, len(r.datasets))
	var wg sync.WaitGroup
	for range scanners {
		wg.Go(func() {
			for ds := range next {
				errs[ds] = r.s.st.ScanLive(ctx, r.datasets[ds].Name, p.a.endMicros()-1, p.b.endMicros(), true, func(v *store.VersionRow) error {
					return e.add(ds, v)
				})
			}
		})
	}
	for ds := range r.datasets {
		next <- ds
	}
	close(next)
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return err
	}
	r.result.Stages["read"] += time.Since(start)
	start = time.Now()
	defer func() { r.result.Stages["evaluate"] += time.Since(start) }()
	return e.finish(ctx)
}

// incremental goes on from the baseline: the versions that began during
// the phase are evaluated and counted, and those they replaced or withdrew
// are taken back with the verdict they were counted with.
func (r *run) incremental(ctx context.Context, p phase) error {
	e, err := r.newEvaluation(p, true)
	if err != nil {
		return err
	}
	for i, ds := range r.datasets {
		var keys []string
		seen := map[string]bool{}
		err := r.s.st.ScanStarted(ctx, ds.Name, p.a.startMicros(), p.b.endMicros(), true, func(v *store.VersionRow) error {
			if !seen[v.Key] {
				seen[v.Key] = true
				keys = append(keys, v.Key)
			}
			if v.Deleted {
				return nil
			}
			return e.add(i, v)
		})
		if err != nil {
			return err
		}
		if err := r.takeBack(ctx, p, ds.Name, keys); err != nil {
			return err
		}
	}
	return e.finish(ctx)
}

// takeBack uncounts the versions of keys that were live before the phase
// and ended during it.
func (r *run) takeBack(ctx context.Context, p phase, dataset string, keys []string) error {
	var closed []vref
	err := r.s.st.ScanClosed(ctx, dataset, keys, p.a.startMicros(), p.b.endMicros(), func(v *store.VersionRow) error {
		if ag, known := r.agIndex[v.Owner]; known {
			_, d1 := liveDays(v)
			closed = append(closed, vref{ag: ag, ds: r.dsIndex[dataset], vid: v.VID, d0: d1, d1: p.b + 1})
		}
		return nil
	})
	if err != nil {
		return err
	}
	vids := make([]int64, len(closed))
	for i, v := range closed {
		vids[i] = v.vid
	}
	evals, err := r.s.st.Evals(ctx, dataset, p.rules.Version, vids)
	if err != nil {
		return err
	}
	for _, v := range closed {
		e := evals[v.vid]
		r.add(v.ag, v.ds, v.d0, v.d1, p, judge(e.Err, e.Warn), -1)
	}
	return nil
}
