package ingest_test

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"shuiyun/internal/exchange"
	"shuiyun/internal/ingest"
	"shuiyun/internal/standard"
	"shuiyun/internal/store"
)

// The crash test runs this test binary again as the hub, in a separate
// process it kills with SIGKILL.
const childEnv = "SHUIYUN_CRASH_CHILD"

func TestMain(m *testing.M) {
	if dir := os.Getenv(childEnv); dir != "" {
		if err := crashChild(dir); err != nil {
			fmt.Fprintln(os.Stderr, "child:", err)
			os.Exit(3)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// crashChild processes everything waiting under dir, then exits.
func crashChild(dir string) error {
	ctx := context.Background()
	std, err := standard.Default()
	if err != nil {
		return err
	}
	cfg, err := storeConfig(dir)
	if err != nil {
		return err
	}
	st, err := store.Open(ctx, cfg, std)
	if err != nil {
		return err
	}
	defer st.Close()
	hub, err := ingest.New(ingest.Config{Root: exchange.Root(filepath.Join(dir, "exchange")), Store: st, Standard: std,
		Worker: fmt.Sprint("child-", os.Getpid()), Lease: 150 * time.Millisecond, Backoff: 10 * time.Millisecond})
	if err != nil {
		return err
	}
	fmt.Println(childReady)
	if err := hub.Recover(ctx); err != nil {
		return err
	}
	for {
		if err := hub.AcceptWaiting(ctx); err != nil {
			return err
		}
		if err := hub.Drain(ctx); err != nil {
			return err
		}
		open, err := st.Jobs(ctx, "")
		if err != nil {
			return err
		}
		if !slices.ContainsFunc(open, func(j store.Job) bool { return j.State != store.JobDone }) {
			return nil
		}
		time.Sleep(50 * time.Millisecond) // a dead process's lease has to run out
	}
}

// TestCrashSafety kills the hub at random moments while it ingests a stream
// of packages, restarts it, and checks the end is as if nothing had happened:
// every package applied once, none half applied, one receipt each, history intact.
func TestCrashSafety(t *testing.T) {
	if testing.Short() {
		t.Skip("kills and restarts a process 25 times")
	}
	const packages = 30
	dirs := variants(t, packages, 3000)
	crashed, calm, staged := t.TempDir(), t.TempDir(), t.TempDir()
	var stream []string
	for seq := 1; seq <= packages; seq++ {
		name := exchange.Name{Sender: "320000", Date: "20261125", Seq: int64(seq)}.String()
		stream = append(stream, pack(t, filepath.Join(staged, name), "320000", int64(seq), "incremental", dirs[seq-1], "shipping_operator"))
		if seq == 5 { // the same bytes under a wrong name: rejected, and not a duplicate later
			data, _ := os.ReadFile(stream[len(stream)-1])
			wrong := filepath.Join(staged, "320000_20261125_000005.again.zip")
			os.WriteFile(wrong, data, 0o644)
			stream = append(stream[:len(stream)-1], wrong, stream[len(stream)-1])
		}
	}
	// The calm hub gets the stream at once; the crashed one a few packages per
	// run, so that kills land while packages arrive, wait and are applied.
	for _, p := range stream {
		deliver(t, p, calm)
	}
	rng := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 1))
	kills := 0
	var progress []int
	for kills < 25 {
		for range 2 {
			if len(stream) > 0 {
				deliver(t, stream[0], crashed)
				stream = stream[1:]
			}
		}
		cmd := child(t, crashed)
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		// Half the kills land anywhere in the first 320 ms, start-up
		// included; the others once the store is open, so that the stream
		// advances however long opening takes (PostgreSQL under a loaded CI
		// took longer than 320 ms in every run once).
		if rng.IntN(2) == 0 {
			waitReady(t, out)
		}
		time.Sleep(time.Duration(20+rng.IntN(300)) * time.Millisecond)
		if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
			t.Fatal(err)
		}
		cmd.Wait()
		kills++
		progress = append(progress, doneJobs(t, crashed))
	}
	t.Logf("jobs done after each kill: %v", progress)
	if !slices.ContainsFunc(progress, func(n int) bool { return n > 0 && n < packages+1 }) {
		t.Errorf("no kill landed while packages were being processed: %v", progress)
	}
	for _, p := range stream {
		deliver(t, p, crashed)
	}
	for _, base := range []string{crashed, calm} {
		if out, err := child(t, base).CombinedOutput(); err != nil {
			t.Fatalf("final run in %s: %v\n%s", base, err, out)
		}
	}
	t.Logf("killed the hub %d times", kills)
	compareHubs(t, calm, crashed)
}

// deliver copies a package into the hub's inbox as a sender does: a .part, then a rename.
func deliver(t *testing.T, pkg, hub string) {
	t.Helper()
	data, err := os.ReadFile(pkg)
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(hub, "exchange", "inbox", "320000")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	tmp := filepath.Join(dir, filepath.Base(pkg)+".part")
	if err := os.WriteFile(tmp, data, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(tmp, filepath.Join(dir, filepath.Base(pkg))); err != nil {
		t.Fatal(err)
	}
}

func doneJobs(t *testing.T, dir string) int {
	std, _ := standard.Default()
	cfg, err := storeConfig(dir)
	if err != nil {
		t.Fatal(err)
	}
	st, err := store.Open(context.Background(), cfg, std)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	jobs, err := st.Jobs(context.Background(), store.JobDone)
	if err != nil {
		t.Fatal(err)
	}
	return len(jobs)
}

// childReady is the line a child prints once its store is open.
const childReady = "ready"

// waitReady reads a child's output until it is ready (or gone).
func waitReady(t *testing.T, out io.Reader) {
	t.Helper()
	sc := bufio.NewScanner(out)
	for sc.Scan() {
		if sc.Text() == childReady { // and it prints nothing after
			return
		}
	}
}

func child(t *testing.T, dir string) *exec.Cmd {
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), childEnv+"="+dir)
	return cmd
}

// compareHubs checks that the crashed hub holds what the calm one does.
func compareHubs(t *testing.T, calm, crashed string) {
	want, got := hubState(t, calm), hubState(t, crashed)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("state after crashes differs (-calm +crashed):\n%s", diff)
	}
	for _, sub := range []string{"inbox/320000", "processing/320000"} {
		if left, _ := os.ReadDir(filepath.Join(crashed, "exchange", sub)); len(left) != 0 {
			t.Errorf("%s still holds %d files", sub, len(left))
		}
	}
}

// hubState is everything that must not depend on crashes: versions (without
// times and ids), deliveries, receipt and archive file names.
func hubState(t *testing.T, dir string) map[string][]string {
	t.Helper()
	ctx := context.Background()
	std, _ := standard.Default()
	cfg, err := storeConfig(dir)
	if err != nil {
		t.Fatal(err)
	}
	st, err := store.Open(ctx, cfg, std)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	out := map[string][]string{}
	keys := map[string]bool{}
	var versions []string
	err = st.Records(ctx, "shipping_operator", time.Time{}, func(v *store.Version) error { keys[v.Key] = true; return nil })
	if err != nil {
		t.Fatal(err)
	}
	for k := range keys {
		h, err := st.History(ctx, "shipping_operator", k)
		if err != nil {
			t.Fatal(err)
		}
		for _, v := range h {
			versions = append(versions, fmt.Sprintf("%s seq=%d op=%s del=%v history-only=%v current=%v %s", k, v.Seq, v.Op, v.Deleted,
				v.HistoryOnly(), v.To.IsZero(), strings.Join(v.Values, "|")))
		}
	}
	sort.Strings(versions)
	out["versions"] = versions
	ds, err := st.Deliveries(ctx, "", 1000)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range ds {
		out["deliveries"] = append(out["deliveries"], fmt.Sprintf("%s n=%d %s seq=%d applied=%v rows=%d/%d", d.Name, d.N, d.Status, d.Seq, d.Applied, d.Accepted, d.Total))
	}
	sort.Strings(out["deliveries"])
	for _, sub := range []string{"outbox/320000", "archive/320000"} {
		entries, _ := os.ReadDir(filepath.Join(dir, "exchange", sub))
		for _, e := range entries {
			out[sub] = append(out[sub], e.Name())
		}
	}
	return out
}
