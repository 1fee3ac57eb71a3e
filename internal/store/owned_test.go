package store_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"shuiyun/internal/store"
)

// TestOwnedMatchesLookups: a full snapshot that reads its sender's records
// at once decides every row as one that looks each key up: the same counts
// per package, the same state and the same history, through unchanged,
// changed, withdrawn, re-inserted, rejected (seen only), absent records,
// another agency's records and the ministry's edits of the sender's, and
// keys both rejected and put in one package.
func TestOwnedMatchesLookups(t *testing.T) {
	std := mustStandard(t)
	pkgs := ownedScenario()
	backends(t, func(t *testing.T, open opener) {
		run := func(name string, preload bool) ([]string, map[string][]*store.Version) {
			defer store.RestoreOwnedRows(store.SetOwnedRows(map[bool]int{true: 1, false: 0}[preload]))
			s := open(std, name)
			clk := &clock{t: time.Date(2026, 11, 25, 8, 0, 0, 0, time.UTC)}
			s.Now = clk.now
			var log []string
			for _, p := range pkgs {
				clk.tick()
				c, err := applyBatch(s, store.Batch{Sender: p.sender, Seq: p.seq, DataDate: "2026-11-25", Full: p.full,
					MaxShrink: 0.5, UniqueKeys: true, Rows: len(p.rows)}, p.rows...)
				if err != nil && !errors.Is(err, store.ErrShrink) {
					t.Fatalf("%s: package %s #%d: %v", name, p.sender, p.seq, err)
				}
				log = append(log, fmt.Sprintf("%s #%d: %+v %v", p.sender, p.seq, c, err))
				log = append(log, fmt.Sprint(state(t, s)))
			}
			return log, histories(t, s)
		}
		wantLog, want := run("lookups", false)
		gotLog, got := run("owned", true)
		if diff := cmp.Diff(wantLog, gotLog); diff != "" {
			t.Errorf("counts (-lookups +owned):\n%s", diff)
		}
		if diff := cmp.Diff(want, got, cmpopts.IgnoreFields(store.Version{}, "VID")); diff != "" {
			t.Errorf("histories (-lookups +owned):\n%s", diff)
		}
	})
}

type scenarioPkg struct {
	sender string
	seq    int64
	full   bool
	rows   []op
}

// ownedScenario: three senders over 40 keys, full snapshots among
// incremental packages, ministry edits, and one snapshot the shrink guard
// holds.
func ownedScenario() []scenarioPkg {
	rng := rand.New(rand.NewPCG(3, 5))
	seqs := map[string]int64{}
	var out []scenarioPkg
	for n := range 24 {
		sender := []string{"320000", "320000", "330000", store.Ministry}[rng.IntN(4)]
		seqs[sender]++
		p := scenarioPkg{sender: sender, seq: seqs[sender], full: sender != store.Ministry && n%3 == 2}
		for _, k := range rng.Perm(40) {
			if rng.IntN(4) == 0 || (!p.full && rng.IntN(2) == 0) {
				continue // absent: a snapshot withdraws it if it is the sender's
			}
			o := op{'U', fmt.Sprintf("K%02d", k), fmt.Sprintf("名%d", rng.IntN(3))}
			switch r := rng.IntN(10); {
			case r == 0:
				o = op{'D', o.key, ""}
			case r == 1:
				o = op{'S', o.key, ""}
			}
			p.rows = append(p.rows, o)
		}
		if n%4 == 1 && len(p.rows) > 2 { // a key rejected in one row and put in another, both ways round
			p.rows = append([]op{{'S', p.rows[1].key, ""}}, append(p.rows, op{'S', p.rows[0].key, ""})...)
		}
		out = append(out, p)
	}
	return out
}

// histories is every version of every key, by key.
func histories(t *testing.T, s *store.Store) map[string][]*store.Version {
	t.Helper()
	out := map[string][]*store.Version{}
	for k := range 40 {
		key := fmt.Sprintf("K%02d", k)
		h, err := s.History(context.Background(), "shipping_operator", key)
		if err != nil {
			t.Fatal(err)
		}
		slices.SortFunc(h, func(a, b *store.Version) int { return a.From.Compare(b.From) })
		out[key] = h
	}
	return out
}

// TestSnapshotRowRejectedAndPut: a key both put and rejected in one
// snapshot, in either order, is one record held, not two, so an absent
// record is still withdrawn — with the sender's records read at once or
// looked up.
func TestSnapshotRowRejectedAndPut(t *testing.T) {
	std := mustStandard(t)
	kept := []op{{'U', "A", "a"}, {'U', "B", "b"}, {'U', "C", "c"}, {'U', "D", "d"}}
	for i, c := range []struct {
		name string
		rows []op
	}{
		{"rejected first", append([]op{{'S', "A", ""}}, kept...)},
		{"rejected after", append(kept[:4:4], op{'S', "D", ""})},
	} {
		for _, preload := range []int{0, 1} {
			old := store.SetOwnedRows(preload)
			backends(t, func(t *testing.T, open opener) {
				s := open(std, fmt.Sprintf("c%dp%d", i, preload))
				apply(t, s, "320000", 1, true, op{'I', "A", "a"}, op{'I', "B", "b"}, op{'I', "C", "c"}, op{'I', "D", "d"}, op{'I', "E", "e"})
				got, err := applyBatch(s, store.Batch{Sender: "320000", Seq: 2, DataDate: "2026-11-25", Full: true, MaxShrink: 0.5, UniqueKeys: true, Rows: len(c.rows)}, c.rows...)
				if err != nil {
					t.Fatal(err)
				}
				check(t, fmt.Sprintf("%s, preload %d", c.name, preload), got, store.Counts{Unchanged: 4, Withdrawn: 1, Owned: 5})
				want := map[string]string{"A": "a@320000", "B": "b@320000", "C": "c@320000", "D": "d@320000"}
				if diff := cmp.Diff(want, state(t, s)); diff != "" {
					t.Errorf("%s, preload %d: current (-want +got):\n%s", c.name, preload, diff)
				}
			})
			store.RestoreOwnedRows(old)
		}
	}
}
