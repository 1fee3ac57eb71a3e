package ingest_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"shuiyun/internal/exchange"
)

var clean = []string{"shipping_operator", "waterway_transport_license", "vessel_operating_certificate"}

func TestAcceptedPackage(t *testing.T) {
	th := newHub(t)
	dir := generate(t, "320000", 30, 0, clean...)
	pack(t, th.inboxPath("320000", "320000", 1), "320000", 1, "incremental", dir, clean...)
	got := th.run()
	if len(got) != 1 {
		t.Fatalf("%d receipts, want 1", len(got))
	}
	rc := got[0]
	if rc.Status != exchange.Accepted || rc.Rows.Rejected != 0 || rc.Rows.Accepted != rc.Rows.Total || rc.Rows.Total == 0 {
		t.Fatalf("receipt: %+v", rc)
	}
	n, _ := th.store.Count(t.Context(), "vessel_operating_certificate", "320000")
	if want := len(readCSV(t, filepath.Join(dir, "vessel_operating_certificate.csv"))) - 1; n != want {
		t.Errorf("stored %d vessel certificates, want %d", n, want)
	}
	name := "320000_20261125_000001.zip"
	if diff := cmp.Diff([]string{name + ".receipt.json"}, outboxFiles(t, th.root.Outbox("320000"))); diff != "" {
		t.Errorf("outbox (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{name}, outboxFiles(t, th.root.Archive("320000"))); diff != "" {
		t.Errorf("archive (-want +got):\n%s", diff)
	}
	if left := outboxFiles(t, th.root.Inbox("320000")); len(left) != 0 {
		t.Errorf("inbox still holds %v", left)
	}
}

func TestPartialWithErrors(t *testing.T) {
	th := newHub(t)
	dir := generate(t, "320000", 40, 0.2, clean...)
	pack(t, th.inboxPath("320000", "320000", 1), "320000", 1, "incremental", dir, clean...)
	rc := th.run()[0]
	if rc.Status != exchange.Partial || rc.Rows.Rejected == 0 || rc.Rows.Accepted == 0 || len(rc.Findings) == 0 {
		t.Fatalf("receipt: status %s rows %+v findings %d", rc.Status, rc.Rows, len(rc.Findings))
	}
	var stored int
	for _, ds := range clean {
		n, _ := th.store.Count(t.Context(), ds, "")
		stored += n
	}
	if stored != rc.Rows.Accepted {
		t.Errorf("stored %d records, receipt accepted %d", stored, rc.Rows.Accepted)
	}
	if _, err := os.Stat(filepath.Join(th.root.Outbox("320000"), "320000_20261125_000001.zip.errors.xlsx")); err != nil {
		t.Errorf("no errors workbook: %v", err)
	}
}

// TestDuplicateDelivery: the same package three times is applied once and
// answered three times, no receipt overwritten.
func TestDuplicateDelivery(t *testing.T) {
	th := newHub(t)
	dir := generate(t, "320000", 20, 0, clean...)
	src := pack(t, filepath.Join(t.TempDir(), "p.zip"), "320000", 1, "incremental", dir, clean...)
	data, _ := os.ReadFile(src)
	var statuses []string
	for range 3 {
		if err := os.WriteFile(th.inboxPath("320000", "320000", 1), data, 0o644); err != nil {
			t.Fatal(err)
		}
		for _, rc := range th.run() {
			statuses = append(statuses, rc.Status)
		}
	}
	if diff := cmp.Diff([]string{"accepted", "duplicate", "duplicate"}, statuses); diff != "" {
		t.Errorf("statuses (-want +got):\n%s", diff)
	}
	name := "320000_20261125_000001.zip"
	want := []string{name + ".2.receipt.json", name + ".3.receipt.json", name + ".receipt.json"}
	if diff := cmp.Diff(want, outboxFiles(t, th.root.Outbox("320000"))); diff != "" {
		t.Errorf("outbox (-want +got):\n%s", diff)
	}
	h, err := th.store.Deliveries(t.Context(), "320000", 10)
	if err != nil || len(h) != 3 {
		t.Fatalf("deliveries: %d %v", len(h), err)
	}
	n, _ := th.store.Count(t.Context(), "shipping_operator", "")
	versions := 0
	for _, d := range h {
		if d.Applied {
			versions++
		}
	}
	if versions != 1 || n == 0 {
		t.Errorf("%d applied deliveries, want 1", versions)
	}
}

// TestMisnamedThenNamed: bytes first rejected for their file name are not a
// duplicate when they come again under the right name.
func TestMisnamedThenNamed(t *testing.T) {
	th := newHub(t)
	dir := generate(t, "320000", 20, 0, "shipping_operator")
	src := pack(t, filepath.Join(t.TempDir(), "p.zip"), "320000", 1, "incremental", dir, "shipping_operator")
	data, _ := os.ReadFile(src)
	os.WriteFile(filepath.Join(th.root.Inbox("320000"), "jiangsu-upload.zip"), data, 0o644)
	if rc := th.run(); len(rc) != 1 || rc[0].Reason == nil || rc[0].Reason.Code != exchange.ManifestInvalid {
		t.Fatalf("misnamed: %+v", rc)
	}
	os.WriteFile(th.inboxPath("320000", "320000", 1), data, 0o644)
	if rc := th.run(); len(rc) != 1 || rc[0].Status != exchange.Accepted {
		t.Fatalf("properly named: %+v", rc)
	}
}

// TestReferenceData: the ministry's ship-survey records, whose key joins
// three fields, are stored on the suite's back end and read back by key
// (with NUL between the fields, PostgreSQL refused every one).
func TestReferenceData(t *testing.T) {
	th := newHub(t)
	dir := generate(t, "000000", 20, 0, "vessel_survey")
	pack(t, th.inboxPath("000000", "000000", 1), "000000", 1, "full", dir, "vessel_survey")
	rcs := th.run()
	if len(rcs) != 1 || rcs[0].Status != exchange.Accepted || rcs[0].Rows.Accepted == 0 {
		t.Fatalf("receipts: %+v", rcs)
	}
	rc := rcs[0]
	got := th.current("vessel_survey", "cert_no")
	if len(got) != rc.Rows.Accepted || !strings.Contains(got[0], " / ") {
		t.Errorf("stored survey records (key=cert_no@owner): %v", got)
	}
}
