package progress

import (
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"

	"shuiyun/internal/standard"
	"shuiyun/internal/validate"
)

// TestRefLookupsCoverEngine keeps keyedRepository in step with the engine:
// every dataset the engine's relational rules read is one refLookups
// fetches, by a field the referring dataset has, matched against the
// target's key (or its first key field).
func TestRefLookupsCoverEngine(t *testing.T) {
	std, err := standard.Default()
	if err != nil {
		t.Fatal(err)
	}
	var all []string
	for _, ds := range std.Datasets {
		all = append(all, ds.Name)
	}
	engine := validate.RefDatasets(all)
	var ours []string
	for _, l := range refLookups {
		if !slices.Contains(ours, l.Target) {
			ours = append(ours, l.Target)
		}
		on, target := std.Dataset(l.On), std.Dataset(l.Target)
		if on == nil || target == nil || on.FieldIndex(l.Field) < 0 {
			t.Errorf("lookup %+v names what the standard lacks", l)
			continue
		}
		if l.Prefix != (len(target.Key) > 1) {
			t.Errorf("lookup %+v: %s has key %v", l, l.Target, target.Key)
		}
	}
	// port_operator is read through the licences an annex names (REL-17) too.
	slices.Sort(engine)
	slices.Sort(ours)
	if diff := cmp.Diff(engine, ours); diff != "" {
		t.Errorf("datasets the engine reads vs those fetched (-engine +ours):\n%s", diff)
	}
}
