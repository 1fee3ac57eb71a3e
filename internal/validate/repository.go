package validate

import (
	"context"
	"fmt"
	"slices"
)

// RefDatasets lists the datasets whose records the relational rules of the
// given datasets read: what a caller must supply as references.
func RefDatasets(datasets []string) []string {
	var out []string
	for _, n := range needs {
		if slices.Contains(datasets, n.on) && !slices.Contains(out, n.needs) {
			out = append(out, n.needs)
		}
	}
	return out
}

// stored binds the repository's records of the datasets the batch refers to
// as reference tables. Batch rows win over stored ones (put keeps the first
// non-reference entry), so a package that changes a licence is checked
// against its own new version.
func (c *checker) stored(ctx context.Context, b *batch, repo Repository, runs []*tableRun) ([]*tableRun, error) {
	if repo == nil {
		return nil, nil
	}
	var present []string
	for _, t := range runs {
		if t.plan != nil {
			present = append(present, t.plan.ds.Name)
		}
	}
	var out []*tableRun
	for _, name := range RefDatasets(present) {
		tbl, err := repo.Table(ctx, name)
		if err != nil {
			return nil, fmt.Errorf("stored %s records: %w", name, err)
		}
		if tbl == nil {
			continue
		}
		t, err := c.bind(b, tbl, c.std.Dataset(name), 1, true)
		if err != nil {
			return nil, err
		}
		if t != nil {
			out = append(out, t)
		}
	}
	return out, nil
}
