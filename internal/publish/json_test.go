package publish

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestJSONComplete reads the export back and checks that nothing was dropped:
// every dataset with every field in order, every code list and rule.
func TestJSONComplete(t *testing.T) {
	std := mustDefault(t)
	var b bytes.Buffer
	if err := WriteJSON(&b, std); err != nil {
		t.Fatalf("WriteJSON() = %v", err)
	}
	var got jsonStandard
	if err := json.Unmarshal(b.Bytes(), &got); err != nil {
		t.Fatalf("WriteJSON() wrote invalid JSON: %v", err)
	}
	if got.Format != JSONFormat || got.Version != std.Version {
		t.Errorf("format, version = %q, %q, want %q, %q", got.Format, got.Version, JSONFormat, std.Version)
	}
	var wantFields, gotFields []string
	for _, ds := range std.Datasets {
		for _, f := range ds.Fields {
			wantFields = append(wantFields, ds.Name+"."+f.Name)
		}
	}
	for _, ds := range got.Datasets {
		for _, f := range ds.Fields {
			gotFields = append(gotFields, ds.Name+"."+f.Name)
		}
	}
	if diff := cmp.Diff(wantFields, gotFields); diff != "" {
		t.Errorf("fields (-want +got):\n%s", diff)
	}
	if len(got.CodeLists) != len(std.CodeLists) || len(got.Rules) != len(std.Rules) {
		t.Errorf("code lists, rules = %d, %d, want %d, %d", len(got.CodeLists), len(got.Rules), len(std.CodeLists), len(std.Rules))
	}
	for i, r := range std.Rules {
		if got.Rules[i].ID != r.ID || got.Rules[i].Enabled != r.On() {
			t.Errorf("rule %d = %s enabled %v, want %s enabled %v", i, got.Rules[i].ID, got.Rules[i].Enabled, r.ID, r.On())
		}
	}
	if std.Regions != nil && (got.Regions == nil || got.Regions.Count != std.Regions.Len()) {
		t.Errorf("regions = %+v, want count %d", got.Regions, std.Regions.Len())
	}
}
