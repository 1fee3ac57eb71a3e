package ingest_test

import (
	"context"
	"encoding/csv"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"shuiyun/internal/exchange"
	"shuiyun/internal/gen"
	"shuiyun/internal/ingest"
	"shuiyun/internal/standard"
	"shuiyun/internal/store"
)

var dataDay = time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)

type testHub struct {
	t     *testing.T
	hub   *ingest.Hub
	store *store.Store
	root  exchange.Root
	std   *standard.Standard
	mu    sync.Mutex
	got   []exchange.Receipt
}

func newHub(t *testing.T) *testHub {
	t.Helper()
	std, st, root := openStore(t)
	th := &testHub{t: t, store: st, root: root, std: std}
	var err error
	th.hub, err = ingest.New(ingest.Config{Root: th.root, Store: st, Standard: std, Worker: "test", Logger: slog.New(slog.NewTextHandler(t.Output(), nil)),
		Processed: func(r exchange.Receipt) { th.mu.Lock(); th.got = append(th.got, r); th.mu.Unlock() }})
	if err != nil {
		t.Fatal(err)
	}
	return th
}

// run accepts whatever waits in the inboxes and processes it; it returns the receipts.
func (th *testHub) run() []exchange.Receipt {
	th.t.Helper()
	th.got = nil
	ctx := context.Background()
	if err := th.hub.AcceptWaiting(ctx); err != nil {
		th.t.Fatal(err)
	}
	if err := th.hub.Drain(ctx); err != nil {
		th.t.Fatal(err)
	}
	return th.got
}

// generate writes clean (or, with errRate, faulty) data of a sender's datasets.
func generate(t *testing.T, sender string, rows int, errRate float64, datasets ...string) string {
	t.Helper()
	std, _ := standard.Default()
	dir := t.TempDir()
	_, err := gen.Generate(std, gen.Options{Seed: 1, Rows: rows, ErrorRate: errRate, AsOf: dataDay, Datasets: datasets,
		Format: "csv", Encoding: "UTF-8", Header: "id", Submitter: sender, Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

// pack builds a package from the named CSV files of dir into path.
func pack(t *testing.T, path, sender string, seq int64, mode string, dir string, datasets ...string) string {
	t.Helper()
	var files []exchange.BuildFile
	for _, ds := range datasets {
		files = append(files, exchange.BuildFile{Path: filepath.Join(dir, ds+".csv"), Dataset: ds})
	}
	m := exchange.Manifest{Sender: sender, Sequence: seq, DataDate: dataDay.Format(time.DateOnly), Standard: "1.0", Mode: mode}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if _, err := exchange.Build(path, m, files); err != nil {
		t.Fatal(err)
	}
	return path
}

func (th *testHub) inboxPath(inbox, sender string, seq int64) string {
	return filepath.Join(th.root.Inbox(inbox), exchange.Name{Sender: sender, Date: "20261125", Seq: seq}.String())
}

// readCSV and writeCSV edit generated files for a test's packages.
func readCSV(t *testing.T, path string) [][]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	recs[0][0] = strings.TrimPrefix(recs[0][0], "\ufeff")
	return recs
}

func writeCSV(t *testing.T, path string, recs [][]string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w := csv.NewWriter(f)
	w.WriteAll(recs)
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}

// current returns a dataset's current records as "key=field value@owner".
func (th *testHub) current(dataset, field string) []string {
	th.t.Helper()
	ds := th.std.Dataset(dataset)
	var out []string
	err := th.store.Records(context.Background(), dataset, time.Time{}, func(v *store.Version) error {
		out = append(out, fmt.Sprintf("%s=%s@%s", store.KeyText(v.Key), v.Values[ds.FieldIndex(field)], v.Owner))
		return nil
	})
	if err != nil {
		th.t.Fatal(err)
	}
	sort.Strings(out)
	return out
}

func outboxFiles(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range entries {
		out = append(out, e.Name())
	}
	return out
}
