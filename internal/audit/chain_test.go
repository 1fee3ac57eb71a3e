package audit_test

import (
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"shuiyun/internal/audit"
)

// chain seals n entries.
func chain(n int) []audit.Entry {
	at := time.Date(2026, 11, 25, 8, 0, 0, 123456789, time.FixedZone("CST", 8*3600))
	var out []audit.Entry
	prev := ""
	for i := range n {
		e := audit.Seal(prev, audit.Entry{Seq: int64(i + 1), At: at.Add(time.Duration(i) * time.Second), Login: "zhang",
			Agency: "320000", Action: audit.Upload, Target: "320000_20261125_000001.zip", Detail: "上传", IP: "10.0.0.1"})
		out = append(out, e)
		prev = e.Hash
	}
	return out
}

func head(es []audit.Entry) audit.Head {
	if len(es) == 0 {
		return audit.Head{}
	}
	return audit.Head{Seq: es[len(es)-1].Seq, Hash: es[len(es)-1].Hash}
}

func TestSeal(t *testing.T) {
	es := chain(2)
	if es[0].Prev != "" || es[1].Prev != es[0].Hash || len(es[0].Hash) != 64 {
		t.Fatalf("links: %+v", es)
	}
	if es[0].At.Location() != time.UTC || es[0].At.Nanosecond() != 123456000 {
		t.Errorf("At %v is not UTC microseconds", es[0].At)
	}
	// Sealing is deterministic: the same entry and link give the same hash.
	again := audit.Seal("", es[0])
	if again.Hash != es[0].Hash {
		t.Error("sealing twice gives another hash")
	}
	// Each field counts, and moving text between fields changes the hash.
	base := es[0]
	variants := map[string]func(e *audit.Entry){
		"seq":    func(e *audit.Entry) { e.Seq = 2 },
		"at":     func(e *audit.Entry) { e.At = e.At.Add(time.Microsecond) },
		"login":  func(e *audit.Entry) { e.Login = "li" },
		"agency": func(e *audit.Entry) { e.Agency = "330000" },
		"action": func(e *audit.Entry) { e.Action = audit.Download },
		"target": func(e *audit.Entry) { e.Target = "x" },
		"detail": func(e *audit.Entry) { e.Detail = "下载" },
		"ip":     func(e *audit.Entry) { e.IP = "10.0.0.2" },
		"shift":  func(e *audit.Entry) { e.Login, e.Agency = "zhang3", "20000" },
	}
	for name, change := range variants {
		e := base
		change(&e)
		if audit.Seal("", e).Hash == base.Hash {
			t.Errorf("changing %s keeps the hash", name)
		}
	}
	if audit.Seal("00", base).Hash == base.Hash {
		t.Error("the link is not in the hash")
	}
}

func TestVerify(t *testing.T) {
	tests := []struct {
		name   string
		tamper func(es []audit.Entry) ([]audit.Entry, audit.Head)
		want   []int64 // seqs of the problems
	}{
		{"intact", func(es []audit.Entry) ([]audit.Entry, audit.Head) { return es, head(es) }, nil},
		{"empty", func([]audit.Entry) ([]audit.Entry, audit.Head) { return nil, audit.Head{} }, nil},
		{"edited detail", func(es []audit.Entry) ([]audit.Entry, audit.Head) {
			es[2].Detail = "改过"
			return es, head(es)
		}, []int64{3}},
		{"edited and resealed", func(es []audit.Entry) ([]audit.Entry, audit.Head) {
			es[2].Detail = "改过"
			es[2] = audit.Seal(es[2].Prev, es[2])
			return es, head(es)
		}, []int64{4}},
		{"middle deleted", func(es []audit.Entry) ([]audit.Entry, audit.Head) {
			es = slices.Delete(es, 2, 3)
			return es, head(chain(5))
		}, []int64{4}},
		{"first deleted", func(es []audit.Entry) ([]audit.Entry, audit.Head) { return es[1:], head(es) }, []int64{2}},
		{"tail deleted", func(es []audit.Entry) ([]audit.Entry, audit.Head) { return es[:3], head(es) }, []int64{5}},
		{"all deleted", func(es []audit.Entry) ([]audit.Entry, audit.Head) { return nil, head(es) }, []int64{5}},
		{"head behind", func(es []audit.Entry) ([]audit.Entry, audit.Head) { return es, head(es[:4]) }, []int64{5}},
		{"last replaced", func(es []audit.Entry) ([]audit.Entry, audit.Head) {
			h := head(es)
			es[4].Detail = "改过"
			es[4] = audit.Seal(es[4].Prev, es[4])
			return es, h
		}, []int64{5}},
		{"renumbered", func(es []audit.Entry) ([]audit.Entry, audit.Head) {
			es[3].Seq = 3
			return es, head(es)
		}, []int64{3, 3, 5}},
		{"swapped", func(es []audit.Entry) ([]audit.Entry, audit.Head) {
			es[1], es[2] = es[2], es[1]
			return es, head(es)
		}, []int64{3, 2, 4}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			es, h := tt.tamper(chain(5))
			var got []int64
			for _, p := range audit.Verify(slices.Values(es), h) {
				if p.What == "" {
					t.Errorf("problem at %d has no text", p.Seq)
				}
				got = append(got, p.Seq)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("problem seqs (-want +got):\n%s", diff)
			}
		})
	}
}

func TestActionLabels(t *testing.T) {
	for _, a := range audit.Actions() {
		if audit.ActionLabel(a) == a {
			t.Errorf("action %s has no label", a)
		}
	}
	if audit.ActionLabel("unknown") != "unknown" {
		t.Error("an unknown action is not shown as itself")
	}
}
