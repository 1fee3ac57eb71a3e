package store_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"shuiyun/internal/store"
)

func TestJobs(t *testing.T) {
	std := mustStandard(t)
	backends(t, func(t *testing.T, open opener) {
		s := open(std)
		clk := &clock{t: time.Date(2026, 11, 25, 8, 0, 0, 0, time.UTC)}
		s.Now = clk.now
		ctx := context.Background()
		j := store.Job{Inbox: "320000", Name: "p.zip", Path: "processing/320000/1-p.zip", SHA256: "ab", Size: 3}
		id, created, err := s.Enqueue(ctx, j)
		if err != nil || !created {
			t.Fatalf("enqueue: %v created=%v", err, created)
		}
		if id2, again, _ := s.Enqueue(ctx, j); again || id2 != id {
			t.Fatalf("second enqueue of one path made a job (id %d, created %v)", id2, again)
		}
		a, err := s.Claim(ctx, "a", time.Minute)
		if err != nil || a == nil || a.ID != id || a.Attempts != 1 {
			t.Fatalf("claim: %+v %v", a, err)
		}
		if b, _ := s.Claim(ctx, "b", time.Minute); b != nil {
			t.Fatalf("a leased job was claimed again: %+v", b)
		}
		clk.t = clk.t.Add(2 * time.Minute) // a's lease runs out: a crashed worker
		b, err := s.Claim(ctx, "b", time.Minute)
		if err != nil || b == nil || b.ID != id || b.Attempts != 2 {
			t.Fatalf("takeover: %+v %v", b, err)
		}
		if err := s.Done(ctx, a, "a"); !errors.Is(err, store.ErrLeaseLost) {
			t.Fatalf("the old holder finished a job it lost: %v", err)
		}
		if err := s.Retry(ctx, b, "b", errors.New("disk full"), time.Minute); err != nil {
			t.Fatal(err)
		}
		if c, _ := s.Claim(ctx, "c", time.Minute); c != nil {
			t.Fatalf("claimed during backoff: %+v", c)
		}
		clk.t = clk.t.Add(2 * time.Minute)
		c, _ := s.Claim(ctx, "c", time.Minute)
		if c == nil || c.LastError != "disk full" || c.Attempts != 3 {
			t.Fatalf("after backoff: %+v", c)
		}
		if err := s.Done(ctx, c, "c"); err != nil {
			t.Fatal(err)
		}
		if d, _ := s.Claim(ctx, "d", time.Minute); d != nil {
			t.Fatalf("a done job was claimed: %+v", d)
		}
		// A worker shutting down hands its job back at once, uncounted.
		s.Enqueue(ctx, store.Job{Inbox: "330000", Name: "q.zip", Path: "processing/330000/q.zip", SHA256: "cd"})
		e, _ := s.Claim(ctx, "e", time.Hour)
		if err := s.Release(ctx, e, "e"); err != nil {
			t.Fatal(err)
		}
		if f, _ := s.Claim(ctx, "f", time.Hour); f == nil || f.ID != e.ID || f.Attempts != 1 {
			t.Fatalf("after release: %+v", f)
		}
	})
}

// TestConcurrentClaims: workers racing on one queue never take a job twice.
func TestConcurrentClaims(t *testing.T) {
	std := mustStandard(t)
	backends(t, func(t *testing.T, open opener) {
		s := open(std)
		ctx := context.Background()
		const n = 40
		for i := range n {
			if _, _, err := s.Enqueue(ctx, store.Job{Inbox: fmt.Sprint(i), Name: "p.zip", Path: fmt.Sprint("processing/", i), SHA256: "x"}); err != nil {
				t.Fatal(err)
			}
		}
		var mu sync.Mutex
		seen := map[int64]string{}
		var wg sync.WaitGroup
		for w := range 4 {
			wg.Go(func() {
				other := open(std) // a second hub instance on the same database
				name := fmt.Sprint("w", w)
				for {
					j, err := other.Claim(ctx, name, time.Hour)
					if err != nil {
						t.Error(err)
						return
					}
					if j == nil {
						return
					}
					mu.Lock()
					if prev, dup := seen[j.ID]; dup {
						t.Errorf("job %d claimed by %s and %s", j.ID, prev, name)
					}
					seen[j.ID] = name
					mu.Unlock()
				}
			})
		}
		wg.Wait()
		if len(seen) != n {
			t.Errorf("%d jobs claimed, want %d", len(seen), n)
		}
	})
}

// TestInboxOrder: a sender's next package waits until the one before it is done.
func TestInboxOrder(t *testing.T) {
	std := mustStandard(t)
	backends(t, func(t *testing.T, open opener) {
		s := open(std)
		ctx := context.Background()
		for i, inbox := range []string{"320000", "320000", "330000"} {
			if _, _, err := s.Enqueue(ctx, store.Job{Inbox: inbox, Name: "p.zip", Path: fmt.Sprint("p/", i), SHA256: "x"}); err != nil {
				t.Fatal(err)
			}
		}
		a, _ := s.Claim(ctx, "a", time.Minute)
		b, _ := s.Claim(ctx, "b", time.Minute)
		if a == nil || b == nil || a.Inbox != "320000" || b.Inbox != "330000" {
			t.Fatalf("claims: %+v %+v", a, b)
		}
		if c, _ := s.Claim(ctx, "c", time.Minute); c != nil {
			t.Fatalf("320000's second package was claimed while its first runs: %+v", c)
		}
		s.Done(ctx, a, "a")
		if c, _ := s.Claim(ctx, "c", time.Minute); c == nil || c.Path != "p/1" {
			t.Fatalf("after the first is done: %+v", c)
		}
	})
}
