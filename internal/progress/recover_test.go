package progress_test

import (
	"context"
	"encoding/csv"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"shuiyun/internal/exchange"
	"shuiyun/internal/store"
)

// TestRecover: a delivery applied before ingest recorded submissions gets
// them back from its archived package and receipt — the dataset, the row
// count, and the rejected row with the key read from the package.
func TestRecover(t *testing.T) {
	backends(t, func(t *testing.T, open func() *store.Store) {
		ctx := context.Background()
		f := newFixture(t, open())
		root := exchange.Root(t.TempDir())
		ds := f.std.Dataset(so)
		good := f.record(js, so, 0, nil)
		bad := f.record(js, so, 1, map[string]string{"legal_rep": ""})

		csvPath := filepath.Join(t.TempDir(), so+".csv")
		out, err := os.Create(csvPath)
		if err != nil {
			t.Fatal(err)
		}
		w := csv.NewWriter(out)
		header := make([]string, len(ds.Fields))
		for i, fd := range ds.Fields {
			header[i] = fd.Name
		}
		w.WriteAll([][]string{header, good, bad})
		out.Close()
		f.at("2026-11-02", "09:00")
		name := "320000_20261102_000001.zip"
		if err := os.MkdirAll(root.Archive(js), 0o755); err != nil {
			t.Fatal(err)
		}
		_, err = exchange.Build(filepath.Join(root.Archive(js), name), exchange.Manifest{Sender: js, Sequence: 1, DataDate: "2026-11-01",
			Standard: "1.0", Mode: "incremental"}, []exchange.BuildFile{{Path: csvPath, Dataset: so}})
		if err != nil {
			t.Fatal(err)
		}
		f.legacy = true
		f.receipt = []byte(`{"findings":[{"file":"shipping_operator.csv","row":3,"field":"legal_rep","rule":"REQ","severity":"error"},` +
			`{"file":"shipping_operator.csv","row":2,"field":"postcode","rule":"FMT-PATTERN","severity":"warning"}]}`)
		d := f.send(js, 1, file{dataset: so, rows: []row{{values: good}}})

		got, err := f.svc.Recover(ctx, root)
		if err != nil {
			t.Fatal(err)
		}
		if got.Deliveries != 1 || got.Rejected != 1 || got.Missing != 0 {
			t.Errorf("recovered %+v", got)
		}
		rejects, err := f.s.Rejects(ctx, store.RejectFilter{})
		if err != nil {
			t.Fatal(err)
		}
		type short struct {
			Delivery int64
			Row      int
			Key      string
			Rules    []string
		}
		var list []short
		for _, r := range rejects {
			list = append(list, short{r.DeliveryID, r.Row, r.Key, r.Rules})
		}
		if diff := cmp.Diff([]short{{d.ID, 3, keyOf(ds, bad), []string{"REQ"}}}, list); diff != "" {
			t.Errorf("recovered rejects (-want +got):\n%s", diff)
		}
		if again, err := f.svc.Recover(ctx, root); err != nil || again.Deliveries+again.Missing != 0 {
			t.Errorf("second recover: %+v %v", again, err)
		}
	})
}
