package progress

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"

	"shuiyun/internal/agency"
	"shuiyun/internal/store"
	"shuiyun/internal/validate"
)

// Impact is what a scheduled rule change would do to an agency's records.
type Impact struct {
	Agency  agency.Agency
	Records int      // its current records of the datasets the rule concerns
	Failing int      // of them failing some rule (an error finding) today
	Newly   int      // of them that pass today and would fail with the change
	Keys    []RefKey // the newly failing records (all of them)
}

// RefKey names a record.
type RefKey struct {
	Dataset string
	Key     string
	Rules   []string // the rules it would fail
}

// Preview is the impact of a rule change on every agency.
type Preview struct {
	Change   store.RuleChange
	Before   string   // rules version in force today
	After    string   // with the change
	Agencies []Impact // every agency, in the order of agency.All
	Newly    int      // all agencies together
}

// Preview evaluates the current records under today's rules and under
// today's rules with the change, and counts per agency the records that
// would newly fail (pass now, an error finding with the change). The change
// need not be scheduled yet.
func (s *Service) Preview(ctx context.Context, c store.RuleChange) (*Preview, error) {
	rule := s.std.Rule(c.Rule)
	if rule == nil {
		return nil, fmt.Errorf("未知的规则 %q", c.Rule)
	}
	if c.Severity == "" {
		c.Severity = string(rule.Severity)
	}
	today := s.Today()
	before, err := s.RulesOn(ctx, today)
	if err != nil {
		return nil, err
	}
	after := before.with(c)
	counted := rule.Datasets
	if len(counted) == 0 {
		for _, ds := range s.std.Datasets {
			counted = append(counted, ds.Name)
		}
	}
	read := append(slices.Clone(counted), validate.RefDatasets(counted)...)
	refs, outs, err := s.evaluateCurrent(ctx, read, today, before, after)
	if err != nil {
		return nil, err
	}
	p := &Preview{Change: c, Before: before.Version, After: after.Version}
	idx := map[string]int{}
	for i, a := range agency.All {
		idx[a.Code] = i
		p.Agencies = append(p.Agencies, Impact{Agency: a})
	}
	for i, v := range refs {
		ag, known := idx[v.owner]
		if !known || !slices.Contains(counted, v.dataset) {
			continue
		}
		im := &p.Agencies[ag]
		im.Records++
		was, will := outs[0][int32(i)].err, outs[1][int32(i)].err
		if was != 0 {
			im.Failing++
		} else if will != 0 {
			im.Newly++
			p.Newly++
			im.Keys = append(im.Keys, RefKey{Dataset: v.dataset, Key: v.key, Rules: RuleIDs(will)})
		}
	}
	return p, nil
}

type currentRef struct{ dataset, key, owner string }

// evaluateCurrent evaluates the current records of some datasets (as a
// state, with every rule but the batch-only ones) under each rule set.
func (s *Service) evaluateCurrent(ctx context.Context, datasets []string, today Day, sets ...*RuleSet) ([]currentRef, []map[int32]outcome, error) {
	tmp, err := os.MkdirTemp(s.TempDir, "shuiyun-preview-")
	if err != nil {
		return nil, nil, err
	}
	defer os.RemoveAll(tmp)
	batches := make([]*batch, len(sets))
	for i, rs := range sets {
		std, err := rs.standardFor(true)
		if err != nil {
			return nil, nil, err
		}
		if batches[i], err = newBatch(filepath.Join(tmp, fmt.Sprint(i)), std); err != nil {
			return nil, nil, err
		}
	}
	var refs []currentRef
	now := s.Now().UnixMicro()
	for _, ds := range s.std.Datasets {
		if !slices.Contains(datasets, ds.Name) {
			continue
		}
		err := s.st.ScanLive(ctx, ds.Name, now, now+1, true, func(v *store.VersionRow) error {
			ref := int32(len(refs))
			refs = append(refs, currentRef{ds.Name, v.Key, v.Owner})
			for _, b := range batches {
				if err := b.add(ds.Name, v, ref); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return nil, nil, err
		}
	}
	outs := make([]map[int32]outcome, len(sets))
	for i, b := range batches {
		if outs[i], err = b.run(ctx, b.std, today, nil); err != nil {
			return nil, nil, err
		}
	}
	return refs, outs, nil
}
