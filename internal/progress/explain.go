package progress

import (
	"context"
	"fmt"
	"time"

	"shuiyun/internal/store"
)

// Metrics Explain can list the records, deliveries or rows behind.
const (
	MetricLive       = "live"       // records held at the end of the day (the base of every rate and of coverage)
	MetricComplete   = "complete"   // records not complete: the ones completeness leaves out
	MetricConform    = "conform"    // records failing conformance
	MetricRelational = "relational" // records failing relational rules
	MetricTimeliness = "timeliness" // deliveries holding the dataset that the day's status was judged on
	MetricRejected   = "rejected"   // rows rejected that day
	MetricBacklog    = "backlog"    // rejected rows still open at the end of the day
	MetricFixed      = "fixed"      // rejected rows fixed that day
	MetricGaps       = "gaps"       // sequences missing at the end of the day (the agency's, any dataset)
)

// Ref is one thing a figure counts: a record version, a delivery, a
// rejected row or a missing sequence.
type Ref struct {
	Kind     string // record, delivery, reject or sequence
	Dataset  string
	Key      string    // a record's business key (composite keys joined by standard.KeySep: store.KeyText shows them)
	VID      int64     // the record's version
	Delivery int64     // the delivery (a delivery, or the one that held a rejected row)
	Row      int       // a rejected row's row number in its file
	Seq      int64     // a delivery's or missing sequence
	Rules    []string  // rules a record fails, or that rejected a row
	At       time.Time // when the delivery arrived or the row was rejected
	FixedAt  time.Time // when a rejected row was fixed (zero while open)
	FixedVID int64     // the version that fixed it
}

// Explain lists what a stored figure of an agency's dataset on a day counts:
// the figure is always computable from the list (doc.go, "Traceability").
func (s *Service) Explain(ctx context.Context, agencyCode, dataset string, day Day, metric string) ([]Ref, error) {
	ds := s.std.Dataset(dataset)
	if ds == nil && metric != MetricGaps {
		return nil, fmt.Errorf("未知的数据集 %q", dataset)
	}
	switch metric {
	case MetricLive, MetricComplete, MetricConform, MetricRelational:
		return s.explainRecords(ctx, agencyCode, ds.Name, day, metric)
	case MetricTimeliness:
		return s.explainDeliveries(ctx, agencyCode, ds.Name, day)
	case MetricRejected, MetricBacklog, MetricFixed:
		return s.explainRejects(ctx, agencyCode, ds.Name, day, metric)
	case MetricGaps:
		return s.explainGaps(ctx, agencyCode, day)
	}
	return nil, fmt.Errorf("未知的指标 %q", metric)
}

func (s *Service) dayFigures(ctx context.Context, agencyCode, dataset string, day Day) (*store.DayFigures, error) {
	list, err := s.st.Days(ctx, store.DayFilter{From: day.String(), To: day.String(), Agency: agencyCode, Dataset: dataset})
	if err != nil {
		return nil, err
	}
	if len(list) == 0 {
		return nil, nil
	}
	return &list[0], nil
}

func (s *Service) explainRecords(ctx context.Context, agencyCode, dataset string, day Day, metric string) ([]Ref, error) {
	at := day.endMicros() - 1
	if metric == MetricLive {
		keys, err := s.st.LiveKeys(ctx, dataset, agencyCode, at)
		if err != nil {
			return nil, err
		}
		out := make([]Ref, len(keys))
		for i, k := range keys {
			out[i] = Ref{Kind: "record", Dataset: dataset, Key: k.Key, VID: k.VID}
		}
		return out, nil
	}
	fig, err := s.dayFigures(ctx, agencyCode, dataset, day)
	if err != nil || fig == nil {
		return nil, err
	}
	failing, err := s.st.FailingAt(ctx, dataset, fig.Rules, agencyCode, at)
	if err != nil {
		return nil, err
	}
	var out []Ref
	for _, e := range failing {
		v := judge(e.Err, e.Warn)
		if (metric == MetricComplete && !v.complete) || (metric == MetricConform && !v.conform) || (metric == MetricRelational && !v.relational) {
			out = append(out, Ref{Kind: "record", Dataset: dataset, Key: e.Key, VID: e.VID, Rules: RuleIDs(e.Err | e.Warn)})
		}
	}
	return out, nil
}

func (s *Service) explainDeliveries(ctx context.Context, agencyCode, dataset string, day Day) ([]Ref, error) {
	exp, err := s.Expectations(ctx)
	if err != nil {
		return nil, err
	}
	from := day
	if fig, err := s.dayFigures(ctx, agencyCode, dataset, day); err != nil {
		return nil, err
	} else if fig != nil && fig.Due {
		from, _ = periodOf(fig.Frequency, day)
	} else if e := exp[agencyCode][dataset]; e.Required {
		from, _ = periodOf(e.Frequency, day)
	}
	list, err := s.st.ProgressDeliveries(ctx, from.Start(), day.End())
	if err != nil {
		return nil, err
	}
	var out []Ref
	for _, d := range list {
		if d.Sender == agencyCode && d.Applied && holds(d, dataset) {
			out = append(out, Ref{Kind: "delivery", Dataset: dataset, Delivery: d.ID, Seq: d.Seq, At: d.ReceivedAt})
		}
	}
	return out, nil
}

func holds(d *store.ProgressDelivery, dataset string) bool {
	for _, sd := range d.Datasets {
		if sd.Dataset == dataset {
			return true
		}
	}
	return false
}

func (s *Service) explainRejects(ctx context.Context, agencyCode, dataset string, day Day, metric string) ([]Ref, error) {
	f := store.RejectFilter{Sender: agencyCode, Dataset: dataset, Before: day.End()}
	if metric != MetricRejected {
		f.After = day.Start()
	}
	list, err := s.st.Rejects(ctx, f)
	if err != nil {
		return nil, err
	}
	var out []Ref
	for _, rj := range list {
		var in bool
		switch metric {
		case MetricRejected:
			in = DayOf(rj.RejectedAt) == day
		case MetricBacklog:
			in = rj.FixedAt.IsZero() || !rj.FixedAt.Before(day.End())
		case MetricFixed:
			in = !rj.FixedAt.IsZero() && DayOf(rj.FixedAt) == day
		}
		if in {
			out = append(out, Ref{Kind: "reject", Dataset: rj.Dataset, Key: rj.Key, Delivery: rj.DeliveryID, Row: rj.Row,
				Rules: rj.Rules, At: rj.RejectedAt, FixedAt: rj.FixedAt, FixedVID: rj.FixedVID})
		}
	}
	return out, nil
}

func (s *Service) explainGaps(ctx context.Context, agencyCode string, day Day) ([]Ref, error) {
	days, err := s.st.AgencyDays(ctx, store.DayFilter{From: day.String(), To: day.String(), Agency: agencyCode})
	if err != nil || len(days) == 0 {
		return nil, err
	}
	var out []Ref
	for _, seq := range days[0].Missing {
		out = append(out, Ref{Kind: "sequence", Seq: seq})
	}
	return out, nil
}
