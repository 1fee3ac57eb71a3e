package progress

import (
	"context"
	"time"

	"shuiyun/internal/store"
)

// fixRejects records what fixed the rejected rows still open: the first
// version of the same key that became current after the rejection (from any
// sender: a correction by the ministry counts), or, for a row whose key could
// not be read, the sender's next applied delivery holding the dataset with
// no rejected row in it. Only fixes before until are recorded.
func (s *Service) fixRejects(ctx context.Context, until time.Time) error {
	open, err := s.st.Rejects(ctx, store.RejectFilter{OpenOnly: true, Before: until})
	if err != nil || len(open) == 0 {
		return err
	}
	byDataset := map[string][]*store.Reject{}
	var keyless []*store.Reject
	for _, rj := range open {
		if rj.Key == "" {
			keyless = append(keyless, rj)
		} else {
			byDataset[rj.Dataset] = append(byDataset[rj.Dataset], rj)
		}
	}
	var fixes []store.RejectFix
	for dataset, list := range byDataset {
		f, err := s.keyFixes(ctx, dataset, list, until)
		if err != nil {
			return err
		}
		fixes = append(fixes, f...)
	}
	f, err := s.cleanResubmissions(ctx, keyless, until)
	if err != nil {
		return err
	}
	return s.st.FixRejects(ctx, append(fixes, f...))
}

func (s *Service) keyFixes(ctx context.Context, dataset string, list []*store.Reject, until time.Time) ([]store.RejectFix, error) {
	var keys []string
	seen := map[string]bool{}
	after := list[0].RejectedAt
	for _, rj := range list {
		if !seen[rj.Key] {
			seen[rj.Key] = true
			keys = append(keys, rj.Key)
		}
		if rj.RejectedAt.Before(after) {
			after = rj.RejectedAt
		}
	}
	versions, err := s.st.VersionsAfter(ctx, dataset, keys, after)
	if err != nil {
		return nil, err
	}
	var fixes []store.RejectFix
	for _, rj := range list {
		for _, v := range versions[rj.Key] {
			if v.From.After(rj.RejectedAt) && v.From.Before(until) {
				fixes = append(fixes, store.RejectFix{ID: rj.ID, At: v.From, VID: v.VID, Job: v.Job})
				break
			}
		}
	}
	return fixes, nil
}

func (s *Service) cleanResubmissions(ctx context.Context, keyless []*store.Reject, until time.Time) ([]store.RejectFix, error) {
	if len(keyless) == 0 {
		return nil, nil
	}
	deliveries, err := s.st.ProgressDeliveries(ctx, keyless[0].RejectedAt.Add(-24*time.Hour), until)
	if err != nil {
		return nil, err
	}
	var fixes []store.RejectFix
	for _, rj := range keyless {
		for _, d := range deliveries {
			if d.Sender != rj.Sender || !d.Applied || !d.ProcessedAt.After(rj.RejectedAt) || !d.ProcessedAt.Before(until) || d.JobID == rj.JobID {
				continue
			}
			if cleanly(d, rj.Dataset) {
				fixes = append(fixes, store.RejectFix{ID: rj.ID, At: d.ProcessedAt, Job: d.JobID})
				break
			}
		}
	}
	return fixes, nil
}

// cleanly reports whether a delivery held a dataset with no rejected row.
func cleanly(d *store.ProgressDelivery, dataset string) bool {
	for _, sd := range d.Datasets {
		if sd.Dataset == dataset {
			return sd.Rejected == 0
		}
	}
	return false
}
