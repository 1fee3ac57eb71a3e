package ingest_test

import (
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"shuiyun/internal/exchange"
)

// variants writes ten incremental packages' CSV files of shipping_operator
// from generated rows: each package updates some addresses and withdraws some
// operators.
func variants(t *testing.T, n, rows int) []string {
	t.Helper()
	base := readCSV(t, filepath.Join(generate(t, "320000", rows, 0, "shipping_operator"), "shipping_operator.csv"))
	addr := slices.Index(base[0], "address")
	rng := rand.New(rand.NewPCG(3, 5))
	var dirs []string
	for seq := 1; seq <= n; seq++ {
		recs := [][]string{append(slices.Clone(base[0]), "op_type")}
		for i, rec := range base[1:] {
			if seq > 1 && rng.IntN(3) != 0 {
				continue
			}
			r := append(slices.Clone(rec), "U")
			r[addr] = fmt.Sprintf("江苏省南京市第%d号-%d", i, seq)
			if seq > 1 && rng.IntN(6) == 0 {
				r[len(r)-1] = "D"
			}
			recs = append(recs, r)
		}
		dir := t.TempDir()
		writeCSV(t, filepath.Join(dir, "shipping_operator.csv"), recs)
		dirs = append(dirs, dir)
	}
	return dirs
}

// TestAnyOrder: packages 1…10 in shuffled order end in the same state as in
// order, and while a sequence is missing the receipts say which.
func TestAnyOrder(t *testing.T) {
	dirs := variants(t, 10, 80)
	var want []string
	for round, order := range [][]int{{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, {7, 3, 10, 1, 9, 2, 8, 5, 4, 6}, {10, 9, 8, 7, 6, 5, 4, 3, 2, 1}} {
		th := newHub(t)
		var gaps [][]int64
		for _, seq := range order {
			pack(t, th.inboxPath("320000", "320000", int64(seq)), "320000", int64(seq), "incremental", dirs[seq-1], "shipping_operator")
			rc := th.run()
			if len(rc) != 1 || rc[0].Status != exchange.Accepted {
				t.Fatalf("round %d seq %d: %+v", round, seq, rc)
			}
			gaps = append(gaps, rc[0].MissingSequences)
		}
		got := th.current("shipping_operator", "address")
		if round == 0 {
			want = got
			if len(want) == 0 {
				t.Fatal("nothing stored")
			}
			continue
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("order %v ends differently (-in order +shuffled):\n%s", order, diff)
		}
		if round == 1 {
			wantGaps := [][]int64{{1, 2, 3, 4, 5, 6}, {1, 2, 4, 5, 6}, {1, 2, 4, 5, 6, 8, 9}, {2, 4, 5, 6, 8, 9},
				{2, 4, 5, 6, 8}, {4, 5, 6, 8}, {4, 5, 6}, {4, 6}, {6}, {}}
			if diff := cmp.Diff(wantGaps, gaps); diff != "" {
				t.Errorf("missing_sequences (-want +got):\n%s", diff)
			}
		}
	}
}

// TestSequenceConflict: a used sequence with other bytes is rejected; the
// sequence stays with the first package.
func TestSequenceConflict(t *testing.T) {
	dirs := variants(t, 2, 80)
	th := newHub(t)
	pack(t, th.inboxPath("320000", "320000", 1), "320000", 1, "incremental", dirs[0], "shipping_operator")
	th.run()
	before := th.current("shipping_operator", "address")
	pack(t, th.inboxPath("320000", "320000", 1), "320000", 1, "incremental", dirs[1], "shipping_operator")
	rc := th.run()
	if len(rc) != 1 || rc[0].Status != exchange.Rejected || rc[0].Reason.Code != exchange.SequenceConflict {
		t.Fatalf("receipt: %+v", rc)
	}
	if diff := cmp.Diff(before, th.current("shipping_operator", "address")); diff != "" {
		t.Errorf("a conflicting package changed data:\n%s", diff)
	}
}

// TestOwnership: an agency cannot change another's record (REL-26), the ministry can.
func TestOwnership(t *testing.T) {
	th := newHub(t)
	dir := generate(t, "320000", 20, 0, "shipping_operator")
	pack(t, th.inboxPath("320000", "320000", 1), "320000", 1, "incremental", dir, "shipping_operator")
	th.run()
	recs := readCSV(t, filepath.Join(dir, "shipping_operator.csv"))
	addr := slices.Index(recs[0], "address")
	recs[1][addr] = "改写的地址"
	other := t.TempDir()
	writeCSV(t, filepath.Join(other, "shipping_operator.csv"), recs[:2])
	// 长江航务管理局 may submit for Jiangsu (REL-21), but the record is Jiangsu's own.
	pack(t, th.inboxPath("CJ0000", "CJ0000", 1), "CJ0000", 1, "incremental", other, "shipping_operator")
	rc := th.run()[0]
	if rc.Status != exchange.Partial || rc.Rows.Accepted != 0 || len(rc.Findings) != 1 || rc.Findings[0].Rule != "REL-26" {
		t.Fatalf("another agency's change: %+v", rc)
	}
	pack(t, th.inboxPath(store0, store0, 1), store0, 1, "incremental", other, "shipping_operator")
	if rc := th.run()[0]; rc.Status != exchange.Accepted {
		t.Fatalf("the ministry's change: %+v", rc)
	}
	if got := th.current("shipping_operator", "address"); !slices.ContainsFunc(got, func(s string) bool { return strings.HasSuffix(s, "=改写的地址@320000") }) {
		t.Errorf("ministry change not stored under the owner: %v", got)
	}
}

const store0 = "000000"

// TestShrinkHeld: a full snapshot withdrawing over 20% is held until allowed.
func TestShrinkHeld(t *testing.T) {
	th := newHub(t)
	dir := generate(t, "320000", 60, 0, "shipping_operator")
	pack(t, th.inboxPath("320000", "320000", 1), "320000", 1, "full", dir, "shipping_operator")
	th.run()
	all := th.current("shipping_operator", "address")
	recs := readCSV(t, filepath.Join(dir, "shipping_operator.csv"))
	half := t.TempDir()
	writeCSV(t, filepath.Join(half, "shipping_operator.csv"), recs[:len(recs)/2])
	pack(t, th.inboxPath("320000", "320000", 2), "320000", 2, "full", half, "shipping_operator")
	rc := th.run()[0]
	if rc.Status != exchange.Held || rc.Reason == nil || rc.Reason.Code != exchange.ShrinkHeld {
		t.Fatalf("receipt: %+v", rc)
	}
	if diff := cmp.Diff(all, th.current("shipping_operator", "address")); diff != "" {
		t.Errorf("a held package changed data:\n%s", diff)
	}
	path := th.inboxPath("320000", "320000", 2)
	m := exchange.Manifest{Sender: "320000", Sequence: 2, DataDate: "2026-11-25", Standard: "1.0", Mode: "full", AllowShrink: true}
	if _, err := exchange.Build(path, m, []exchange.BuildFile{{Path: filepath.Join(half, "shipping_operator.csv"), Dataset: "shipping_operator"}}); err != nil {
		t.Fatal(err)
	}
	if rc := th.run()[0]; rc.Status != exchange.Accepted {
		t.Fatalf("allowed shrink: %+v", rc)
	}
	if n := len(th.current("shipping_operator", "address")); n != len(recs)/2-1 {
		t.Errorf("%d records after the allowed shrink, want %d", n, len(recs)/2-1)
	}
}
