package agency

import (
	"testing"

	"shuiyun/internal/standard"
)

// TestProvincesMatchGBT2260: every provincial agency's code is a current
// province of the embedded GB/T 2260 table and its area is that province's name.
func TestProvincesMatchGBT2260(t *testing.T) {
	std, err := standard.Default()
	if err != nil {
		t.Fatal(err)
	}
	if len(All) != 34 {
		t.Fatalf("%d agencies, want 34 (contracts.md §1)", len(All))
	}
	provinces := 0
	for _, a := range All[1:32] {
		r, ok := std.Regions.Lookup(a.Code)
		if !ok {
			t.Errorf("%s %s is not a GB/T 2260 code", a.Code, a.Name)
			continue
		}
		if r.Name != a.Area {
			t.Errorf("%s: area %q, GB/T 2260 says %q", a.Code, a.Area, r.Name)
		}
		provinces++
	}
	if provinces != 31 || !Known("CJ0000") || !Known("ZJ0000") || !Known(Ministry) || Known("990000") {
		t.Error("agency codes do not match contracts.md §1")
	}
}
