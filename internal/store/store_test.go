package store_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"shuiyun/internal/store"
)

func TestOpenTwice(t *testing.T) {
	std := mustStandard(t)
	backends(t, func(t *testing.T, open opener) {
		s := open(std)
		apply(t, s, "320000", 1, false, op{'I', "K1", "甲"})
		s.Close()
		s2 := open(std) // migrations and tables already there: nothing to do, nothing lost
		if diff := cmp.Diff(map[string]string{"K1": "甲@320000"}, state(t, s2)); diff != "" {
			t.Error(diff)
		}
	})
}

func TestVersions(t *testing.T) {
	std := mustStandard(t)
	backends(t, func(t *testing.T, open opener) {
		s := open(std)
		clk := &clock{t: time.Date(2026, 11, 25, 8, 0, 0, 0, time.UTC)}
		s.Now = clk.now
		ctx := context.Background()

		c := apply(t, s, "320000", 1, false, op{'I', "K1", "甲"}, op{'I', "K2", "乙"}, op{'U', "K3", "丙"})
		check(t, "first", c, store.Counts{Inserted: 3})
		t1 := clk.tick()
		c = apply(t, s, "320000", 2, false, op{'U', "K1", "甲二"}, op{'U', "K2", "乙"}, op{'D', "K3", ""}, op{'D', "K9", ""})
		check(t, "second", c, store.Counts{Updated: 1, Unchanged: 1, Withdrawn: 1})
		clk.tick()
		c = apply(t, s, "330000", 1, false, op{'U', "K1", "抢"}, op{'I', "K3", "浙"})
		check(t, "other agency", c, store.Counts{Inserted: 1, Conflicts: []store.Conflict{{Row: 2, Key: "K1", Owner: "320000"}}})
		clk.tick()
		c = apply(t, s, store.Ministry, 1, false, op{'U', "K2", "部改"})
		check(t, "ministry", c, store.Counts{Updated: 1})

		want := map[string]string{"K1": "甲二@320000", "K2": "部改@320000", "K3": "浙@330000"}
		if diff := cmp.Diff(want, state(t, s)); diff != "" {
			t.Errorf("current (-want +got):\n%s", diff)
		}
		var asOf []string
		err := s.Records(ctx, "shipping_operator", t1.Add(-time.Millisecond), func(v *store.Version) error {
			asOf = append(asOf, v.Key+"="+v.Values[std.Dataset("shipping_operator").FieldIndex("operator_name")])
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff([]string{"K1=甲", "K2=乙", "K3=丙"}, asOf); diff != "" {
			t.Errorf("as of before the second package (-want +got):\n%s", diff)
		}
		h, err := s.History(ctx, "shipping_operator", "K3")
		if err != nil {
			t.Fatal(err)
		}
		var ops []string
		for _, v := range h {
			ops = append(ops, v.Op+v.Sender)
		}
		if diff := cmp.Diff([]string{"U320000", "D320000", "I330000"}, ops); diff != "" {
			t.Errorf("K3 history (-want +got):\n%s", diff)
		}
	})
}

func check(t *testing.T, what string, got, want store.Counts) {
	t.Helper()
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("%s: counts (-want +got):\n%s", what, diff)
	}
}

func TestLateSequenceGoesToHistory(t *testing.T) {
	std := mustStandard(t)
	backends(t, func(t *testing.T, open opener) {
		s := open(std)
		apply(t, s, "320000", 5, false, op{'U', "K1", "五"})
		c := apply(t, s, "320000", 4, false, op{'U', "K1", "四"}, op{'U', "K2", "四"})
		check(t, "late", c, store.Counts{Inserted: 1, History: 1})
		if diff := cmp.Diff(map[string]string{"K1": "五@320000", "K2": "四@320000"}, state(t, s)); diff != "" {
			t.Error(diff)
		}
		h, _ := s.History(context.Background(), "shipping_operator", "K1")
		if len(h) != 2 || !h[1].HistoryOnly() || h[0].HistoryOnly() {
			t.Errorf("K1 history: want the current seq 5 and a history-only seq 4, got %+v", h)
		}
	})
}

func TestFullSnapshot(t *testing.T) {
	std := mustStandard(t)
	backends(t, func(t *testing.T, open opener) {
		s := open(std)
		var rows []op
		for _, k := range []string{"A", "B", "C", "D", "E", "F", "G", "H", "I", "J"} {
			rows = append(rows, op{'I', k, k})
		}
		apply(t, s, "320000", 1, false, rows...)
		apply(t, s, "330000", 1, false, op{'I', "Z", "Z"})
		// Withdrawing 3 of 10 is over 20%: held, nothing changes.
		if _, err := applyErr(s, "320000", 2, true, 0.2, rows[3:]...); !errors.Is(err, store.ErrShrink) {
			t.Fatalf("want ErrShrink, got %v", err)
		}
		if n, _ := s.Count(context.Background(), "shipping_operator", "320000"); n != 10 {
			t.Fatalf("after a held snapshot %d records, want 10", n)
		}
		c := apply(t, s, "320000", 3, true, append(rows[2:10:10], op{'U', "NEW", "新"})...)
		check(t, "snapshot", c, store.Counts{Inserted: 1, Unchanged: 8, Withdrawn: 2, Owned: 10})
		// An incremental package older than the snapshot changes nothing current.
		c = apply(t, s, "320000", 2, false, op{'U', "A", "旧"}, op{'U', "C", "旧"})
		check(t, "older than snapshot", c, store.Counts{History: 2})
		want := map[string]string{"Z": "Z@330000", "NEW": "新@320000"}
		for _, k := range []string{"C", "D", "E", "F", "G", "H", "I", "J"} {
			want[k] = k + "@320000"
		}
		if diff := cmp.Diff(want, state(t, s)); diff != "" {
			t.Errorf("current (-want +got):\n%s", diff)
		}
	})
}

// TestAnyOrder: the same packages applied in order and shuffled end in the same state.
func TestAnyOrder(t *testing.T) {
	std := mustStandard(t)
	backends(t, func(t *testing.T, open opener) {
		rng := rand.New(rand.NewPCG(7, 11))
		type pkg struct {
			seq  int64
			full bool
			rows []op
		}
		var pkgs []pkg
		for seq := int64(1); seq <= 10; seq++ {
			p := pkg{seq: seq, full: seq == 6}
			for k := range 30 {
				if !p.full && rng.IntN(3) != 0 {
					continue
				}
				o := op{'U', string(rune('a' + k)), string(rune('A'+rng.IntN(3))) + string(rune('0'+seq))}
				if rng.IntN(5) == 0 {
					if p.full {
						continue
					}
					o = op{'D', o.key, ""}
				}
				if rng.IntN(4) == 0 && !p.full { // unchanged content with a higher sequence
					o.name = "same"
				}
				p.rows = append(p.rows, o)
			}
			pkgs = append(pkgs, p)
		}
		var want map[string]string
		for round := range 4 {
			order := rng.Perm(len(pkgs))
			if round == 0 {
				order = []int{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}
			}
			s := open(std, fmt.Sprint(round))
			for _, i := range order {
				apply(t, s, "320000", pkgs[i].seq, pkgs[i].full, pkgs[i].rows...)
			}
			got := state(t, s)
			if round == 0 {
				want = got
				continue
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("order %v ends differently (-in order +shuffled):\n%s", order, diff)
			}
		}
	})
}

// TestRepeatedKeys: with UNIQUE switched off a package may hold a key twice;
// the later row wins and each row is one version.
func TestRepeatedKeys(t *testing.T) {
	std := mustStandard(t)
	backends(t, func(t *testing.T, open opener) {
		s := open(std)
		rows := []op{{'I', "K1", "一"}, {'I', "K2", "二"}, {'U', "K1", "一改"}, {'I', "K3", "三"}, {'U', "K1", "一再改"},
			{'D', "K2", ""}, {'I', "K4", "四"}, {'I', "K5", "五"}, {'I', "K6", "六"}, {'I', "K7", "七"}}
		c := apply(t, s, "320000", 1, false, rows...)
		check(t, "repeats", c, store.Counts{Inserted: 7, Updated: 2, Withdrawn: 1})
		want := map[string]string{"K1": "一再改@320000", "K3": "三@320000", "K4": "四@320000", "K5": "五@320000", "K6": "六@320000", "K7": "七@320000"}
		if diff := cmp.Diff(want, state(t, s)); diff != "" {
			t.Errorf("current (-want +got):\n%s", diff)
		}
		h, _ := s.History(context.Background(), "shipping_operator", "K1")
		if len(h) != 3 {
			t.Errorf("K1 has %d versions, want 3", len(h))
		}
	})
}

// TestFullSnapshotRepeatsAndAbsence: a snapshot that repeats one key and lacks
// another still withdraws the absent record (the count shortcut must not be
// fooled by the repeat).
func TestFullSnapshotRepeatsAndAbsence(t *testing.T) {
	std := mustStandard(t)
	backends(t, func(t *testing.T, open opener) {
		s := open(std)
		apply(t, s, "320000", 1, true, op{'I', "A", "a"}, op{'I', "B", "b"}, op{'I', "C", "c"}, op{'I', "D", "d"}, op{'I', "E", "e"})
		c := apply(t, s, "320000", 2, true, op{'U', "A", "a"}, op{'U', "B", "b"}, op{'U', "C", "c"}, op{'U', "D", "d"}, op{'U', "A", "a2"})
		check(t, "snapshot", c, store.Counts{Unchanged: 4, Updated: 1, Withdrawn: 1, Owned: 5})
		want := map[string]string{"A": "a2@320000", "B": "b@320000", "C": "c@320000", "D": "d@320000"}
		if diff := cmp.Diff(want, state(t, s)); diff != "" {
			t.Errorf("current (-want +got):\n%s", diff)
		}
	})
}

// TestFullSnapshotWithdrawsAndLacks: a snapshot that withdraws one record by
// a D row and lacks another still withdraws the absent one. (Counting the
// sender's records after the package, the withdrawn one went missing from
// the count while still matched, and the two made the counts agree.)
func TestFullSnapshotWithdrawsAndLacks(t *testing.T) {
	std := mustStandard(t)
	backends(t, func(t *testing.T, open opener) {
		s := open(std)
		apply(t, s, "320000", 1, true, op{'I', "A", "a"}, op{'I', "B", "b"}, op{'I', "C", "c"}, op{'I', "D", "d"}, op{'I', "E", "e"})
		c := apply(t, s, "320000", 2, true, op{'U', "A", "a"}, op{'U', "B", "b"}, op{'U', "C", "c"}, op{'D', "D", ""})
		check(t, "snapshot", c, store.Counts{Unchanged: 3, Withdrawn: 2, Owned: 5})
		want := map[string]string{"A": "a@320000", "B": "b@320000", "C": "c@320000"}
		if diff := cmp.Diff(want, state(t, s)); diff != "" {
			t.Errorf("current (-want +got):\n%s", diff)
		}
	})
}

// TestValues: the lean export path gives what Records gives, in key order,
// now and as of an earlier instant, on text COPY must escape (PostgreSQL
// streams it through COPY … TO STDOUT).
func TestValues(t *testing.T) {
	std := mustStandard(t)
	awkward := "制表\t换行\n回车\r反斜杠\\N \"引号\", 逗号"
	backends(t, func(t *testing.T, open opener) {
		s := open(std)
		clk := &clock{t: time.Date(2026, 11, 25, 8, 0, 0, 0, time.UTC)}
		s.Now = clk.now
		apply(t, s, "320000", 1, false, op{'I', "K2", awkward}, op{'I', "K1", `\N`}, op{'I', "K3", "丙"})
		t1 := clk.tick()
		apply(t, s, "320000", 2, false, op{'U', "K1", "甲二"}, op{'D', "K3", ""})
		clk.tick()
		for _, at := range []time.Time{{}, t1.Add(-time.Millisecond)} {
			var want, got [][]string
			err := s.Records(context.Background(), "shipping_operator", at, func(v *store.Version) error {
				want = append(want, v.Values)
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			err = s.Values(context.Background(), "shipping_operator", at, func(vals []string) error {
				got = append(got, append([]string(nil), vals...))
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			if len(want) != map[bool]int{true: 2, false: 3}[at.IsZero()] {
				t.Fatalf("as of %v: %d records", at, len(want))
			}
			// Stored as sent: COPY's escapes must not touch the text.
			name := std.Dataset("shipping_operator").FieldIndex("operator_name")
			if got := want[1][name]; got != awkward {
				t.Errorf("as of %v: K2's name %q, want %q", at, got, awkward)
			}
			if got := want[0][name]; !at.IsZero() && got != `\N` {
				t.Errorf("as of %v: K1's name %q, want a literal \\N", at, got)
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("as of %v (-Records +Values):\n%s", at, diff)
			}
		}
	})
}

// TestOpenOddFolder: data folders whose names a file: URI would misread
// ("#" starts a fragment, "?" a query, "%" an escape) each hold their own
// database, at the path given.
func TestOpenOddFolder(t *testing.T) {
	std := mustStandard(t)
	dir := t.TempDir()
	for _, name := range []string{"数据#1", "数据#2", "a?b", "c%41"} {
		data := filepath.Join(dir, name)
		s := mustOpen(t, store.Config{Data: data}, std)
		if n, err := s.LastSequence(t.Context(), "320000"); n != 0 || err != nil {
			t.Errorf("%s: a new store holds sequence %d (%v): it opened another folder's database", name, n, err)
		}
		apply(t, s, "320000", 1, false, op{'I', "K", name})
		if _, err := os.Stat(filepath.Join(data, "shuiyun.db")); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
}

// TestWriteFailsMidStream: a write the database refuses part-way through a
// package (here a repeated key the caller vouched was unique, against the
// one-current-version index) fails the package with the table named, ends
// without hanging however many chunks follow, and stores nothing of it.
func TestWriteFailsMidStream(t *testing.T) {
	std := mustStandard(t)
	backends(t, func(t *testing.T, open opener) {
		s := open(std)
		apply(t, s, "320000", 1, false, op{'I', "K0", "旧"})
		var rows []op
		for i := range 40 { // chunks of 3 (TestMain): the repeat is in the fourth
			rows = append(rows, op{'I', fmt.Sprintf("N%02d", i), "新"})
		}
		rows[10].key = "N01"
		_, err := applyBatch(s, store.Batch{Sender: "320000", Seq: 2, DataDate: "2026-11-25", UniqueKeys: true}, rows...)
		if err == nil || !strings.Contains(err.Error(), "rec_shipping_operator") {
			t.Fatalf("a refused write: got %v, want an error naming the table", err)
		}
		if diff := cmp.Diff(map[string]string{"K0": "旧@320000"}, state(t, s)); diff != "" {
			t.Errorf("state after a failed package (-want +got):\n%s", diff)
		}
		c := apply(t, s, "320000", 2, false, op{'I', "N01", "新"})
		check(t, "the same sequence again, mended", c, store.Counts{Inserted: 1})
	})
}
