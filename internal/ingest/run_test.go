package ingest_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"shuiyun/internal/exchange"
	"shuiyun/internal/ingest"
	"shuiyun/internal/standard"
	"shuiyun/internal/store"
)

// TestParked: a package whose processing keeps failing is parked with a
// rejected receipt instead of being retried forever, and the sender's next
// package goes through.
func TestParked(t *testing.T) {
	std, st, root := openStore(t)
	var got []exchange.Receipt
	hub, err := ingest.New(ingest.Config{Root: root, Store: st, Standard: std, MaxAttempts: 3, Backoff: time.Millisecond,
		Processed: func(r exchange.Receipt) { got = append(got, r) }})
	if err != nil {
		t.Fatal(err)
	}
	attempts := 0
	hub.SetFailing(func(j *store.Job) error {
		if j.Name == "320000_20261125_000001.zip" {
			attempts++
			return errors.New("磁盘已满")
		}
		return nil
	})
	data := generate(t, "320000", 20, 0, "shipping_operator")
	pack(t, filepath.Join(root.Inbox("320000"), "320000_20261125_000001.zip"), "320000", 1, "incremental", data, "shipping_operator")
	pack(t, filepath.Join(root.Inbox("320000"), "320000_20261125_000002.zip"), "320000", 2, "incremental", data, "shipping_operator")
	if err := hub.AcceptWaiting(t.Context()); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 50 && len(got) < 2; i++ {
		if err := hub.Drain(t.Context()); err != nil {
			t.Fatal(err)
		}
		time.Sleep(5 * time.Millisecond) // the backoff
	}
	if attempts != 3 {
		t.Errorf("%d attempts, want 3", attempts)
	}
	if len(got) != 2 || got[0].Status != exchange.Rejected || got[0].Reason == nil || got[0].Reason.Code != exchange.Parked {
		t.Fatalf("receipts: %+v", got)
	}
	if got[1].Status != exchange.Accepted || len(got[1].MissingSequences) != 1 {
		t.Errorf("the next package: %+v", got[1])
	}
}

// TestServeWatches: the running hub picks up a package written the way
// senders must (a .part file, then a rename) and answers it.
func TestServeWatches(t *testing.T) {
	std, st, root := openStore(t)
	done := make(chan exchange.Receipt, 1)
	hub, err := ingest.New(ingest.Config{Root: root, Store: st, Standard: std, Processed: func(r exchange.Receipt) { done <- r }})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	stopped := make(chan error, 1)
	go func() { stopped <- hub.Run(ctx, 200*time.Millisecond) }()
	data := generate(t, "320000", 20, 0, "shipping_operator")
	pkg := pack(t, filepath.Join(t.TempDir(), "320000_20261125_000001.zip"), "320000", 1, "incremental", data, "shipping_operator")
	b, _ := os.ReadFile(pkg)
	part := filepath.Join(root.Inbox("320000"), "320000_20261125_000001.zip.part")
	if err := os.WriteFile(part, b, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(part, filepath.Join(root.Inbox("320000"), "320000_20261125_000001.zip")); err != nil {
		t.Fatal(err)
	}
	select {
	case rc := <-done:
		if rc.Status != exchange.Accepted {
			t.Errorf("receipt: %+v", rc)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("no receipt within 30 s")
	}
	cancel()
	if err := <-stopped; err != nil {
		t.Errorf("Run: %v", err)
	}
}

// openStore opens a store in a temporary data folder, for tests that make their own hub.
func openStore(t *testing.T) (*standard.Standard, *store.Store, exchange.Root) {
	t.Helper()
	std, _ := standard.Default()
	dir := t.TempDir()
	cfg, err := storeConfig(dir)
	if err != nil {
		t.Fatal(err)
	}
	st, err := store.Open(t.Context(), cfg, std)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return std, st, exchange.Root(filepath.Join(dir, "exchange"))
}

// TestFinishRetried: when the receipt cannot be written after the commit,
// the job stays applied and is finished later — the package is not applied
// or answered twice.
func TestFinishRetried(t *testing.T) {
	std, st, root := openStore(t)
	var got []exchange.Receipt
	hub, err := ingest.New(ingest.Config{Root: root, Store: st, Standard: std, Backoff: time.Millisecond,
		Processed: func(r exchange.Receipt) { got = append(got, r) }})
	if err != nil {
		t.Fatal(err)
	}
	outbox := root.Outbox("320000")
	os.RemoveAll(outbox)
	os.WriteFile(outbox, []byte("in the way"), 0o644) // the outbox cannot be made
	data := generate(t, "320000", 20, 0, "shipping_operator")
	pack(t, filepath.Join(root.Inbox("320000"), "320000_20261125_000001.zip"), "320000", 1, "incremental", data, "shipping_operator")
	if err := hub.AcceptWaiting(t.Context()); err != nil {
		t.Fatal(err)
	}
	hub.Drain(t.Context())
	if len(got) != 0 {
		t.Fatalf("a receipt was reported although the outbox could not be written: %+v", got)
	}
	os.Remove(outbox)
	time.Sleep(5 * time.Millisecond) // the backoff
	if err := hub.Drain(t.Context()); err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].Status != exchange.Accepted {
		t.Fatalf("receipts after the outbox came back: %+v", got)
	}
	ds, _ := st.Deliveries(t.Context(), "320000", 10)
	if len(ds) != 1 {
		t.Errorf("%d deliveries, want 1", len(ds))
	}
	if _, err := os.Stat(filepath.Join(outbox, "320000_20261125_000001.zip.receipt.json")); err != nil {
		t.Errorf("no receipt file: %v", err)
	}
}
