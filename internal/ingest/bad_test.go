package ingest_test

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"shuiyun/internal/exchange"
)

type entry struct {
	name string
	data []byte
}

func writeZip(t *testing.T, path string, entries ...entry) {
	t.Helper()
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	for _, e := range entries {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: e.name, Method: zip.Deflate})
		if err != nil {
			t.Fatal(err)
		}
		w.Write(e.data)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

// manifestEntry lists the data entries with their true digests, then lets edit spoil it.
func manifestEntry(t *testing.T, sender string, seq int64, edit func(*exchange.Manifest), data ...entry) entry {
	t.Helper()
	m := exchange.Manifest{Format: exchange.ManifestFormat, Sender: sender, Sequence: seq, CreatedAt: "2026-11-26T01:00:00+08:00",
		DataDate: "2026-11-25", Standard: "1.0", Mode: "incremental"}
	for _, e := range data {
		sum := sha256.Sum256(e.data)
		ds := e.name[:len(e.name)-len(filepath.Ext(e.name))]
		m.Files = append(m.Files, exchange.ManifestFile{Name: e.name, Dataset: ds, Rows: bytes.Count(e.data, []byte("\n")) - 1,
			SHA256: hex.EncodeToString(sum[:])})
	}
	if edit != nil {
		edit(&m)
	}
	b, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return entry{"manifest.json", b}
}

// TestBadPackages: each bad input is rejected with its own reason code,
// nothing is stored, and the hub goes on to accept a good package.
func TestBadPackages(t *testing.T) {
	dir := generate(t, "320000", 20, 0, "shipping_operator")
	csvData, err := os.ReadFile(filepath.Join(dir, "shipping_operator.csv"))
	if err != nil {
		t.Fatal(err)
	}
	good := entry{"shipping_operator.csv", csvData}
	zeros := make([]byte, 64<<20)
	cases := []struct {
		name  string
		inbox string
		seq   int64
		write func(t *testing.T, path string)
		code  string
	}{
		{"dot-dot name", "320000", 1, func(t *testing.T, p string) {
			evil := entry{"../shipping_operator.csv", csvData}
			writeZip(t, p, manifestEntry(t, "320000", 1, nil, good), good, evil)
		}, exchange.ZipUnsafe},
		{"absolute name", "320000", 1, func(t *testing.T, p string) {
			writeZip(t, p, manifestEntry(t, "320000", 1, nil, good), good, entry{"/tmp/x.csv", csvData})
		}, exchange.ZipUnsafe},
		{"zip bomb", "320000", 1, func(t *testing.T, p string) {
			bomb := entry{"shipping_operator.csv", zeros}
			writeZip(t, p, manifestEntry(t, "320000", 1, nil, bomb), bomb)
		}, exchange.ZipUnsafe},
		{"truncated zip", "320000", 1, func(t *testing.T, p string) {
			writeZip(t, p, manifestEntry(t, "320000", 1, nil, good), good)
			b, _ := os.ReadFile(p)
			os.WriteFile(p, b[:len(b)/2], 0o644)
		}, exchange.ZipUnreadable},
		{"wrong checksum", "320000", 1, func(t *testing.T, p string) {
			writeZip(t, p, manifestEntry(t, "320000", 1, func(m *exchange.Manifest) { m.Files[0].SHA256 = hex.EncodeToString(make([]byte, 32)) }, good), good)
		}, exchange.ChecksumMismatch},
		{"row count mismatch", "320000", 1, func(t *testing.T, p string) {
			writeZip(t, p, manifestEntry(t, "320000", 1, func(m *exchange.Manifest) { m.Files[0].Rows++ }, good), good)
		}, exchange.RowcountMismatch},
		{"another agency's inbox", "330000", 1, func(t *testing.T, p string) {
			writeZip(t, p, manifestEntry(t, "320000", 1, nil, good), good)
		}, exchange.SenderWrongInbox},
		{"unknown sender", "990000", 1, func(t *testing.T, p string) {
			writeZip(t, p, manifestEntry(t, "990000", 1, nil, good), good)
		}, exchange.SenderUnknown},
		{"malformed manifest", "320000", 1, func(t *testing.T, p string) {
			writeZip(t, p, entry{"manifest.json", []byte(`{"format": "shuiyun.package/v1", "sender": `)}, good)
		}, exchange.ManifestInvalid},
		{"unsupported standard", "320000", 1, func(t *testing.T, p string) {
			writeZip(t, p, manifestEntry(t, "320000", 1, func(m *exchange.Manifest) { m.Standard = "2.0" }, good), good)
		}, exchange.StandardUnsupported},
		{"unknown dataset", "320000", 1, func(t *testing.T, p string) {
			other := entry{"ship_registry.csv", csvData}
			writeZip(t, p, manifestEntry(t, "320000", 1, nil, other), other)
		}, exchange.ManifestInvalid},
		{"reference data from a province", "320000", 1, func(t *testing.T, p string) {
			msa := entry{"msa_vessel_registration.csv", csvData}
			writeZip(t, p, manifestEntry(t, "320000", 1, nil, msa), msa)
		}, exchange.ManifestInvalid},
		{"not a zip", "320000", 1, func(t *testing.T, p string) { os.WriteFile(p, csvData, 0o644) }, exchange.ZipUnreadable},
		{"empty file", "320000", 1, func(t *testing.T, p string) { os.WriteFile(p, nil, 0o644) }, exchange.ZipUnreadable},
	}
	th := newHub(t)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			sender := tc.inbox
			if tc.code == exchange.SenderWrongInbox {
				sender = "320000"
			}
			path := th.inboxPath(tc.inbox, sender, tc.seq)
			tc.write(t, path)
			got := th.run()
			if len(got) != 1 {
				t.Fatalf("%d receipts, want 1", len(got))
			}
			rc := got[0]
			if rc.Status != exchange.Rejected || rc.Reason == nil || rc.Reason.Code != tc.code {
				t.Errorf("status %s reason %+v, want rejected %s", rc.Status, rc.Reason, tc.code)
			}
			if n, _ := th.store.Count(t.Context(), "shipping_operator", ""); n != 0 {
				t.Errorf("%d records stored from a rejected package", n)
			}
			if _, err := os.Stat(filepath.Join(th.root.Outbox(tc.inbox), filepath.Base(path)+".receipt.json")); err != nil {
				// later cases reuse the name: the receipt is numbered then
				matches, _ := filepath.Glob(filepath.Join(th.root.Outbox(tc.inbox), filepath.Base(path)+".*receipt.json"))
				if len(matches) == 0 {
					t.Errorf("no receipt in outbox/%s", tc.inbox)
				}
			}
		})
	}
	// Nothing escaped the work folder, and a good package still goes through.
	if _, err := os.Stat(filepath.Join(string(th.root), "work", "shipping_operator.csv")); err == nil {
		t.Error("a ../ entry was written outside the package's folder")
	}
	writeZip(t, th.inboxPath("320000", "320000", 1), manifestEntry(t, "320000", 1, nil, good), good)
	if rc := th.run(); len(rc) != 1 || rc[0].Status != exchange.Accepted {
		t.Fatalf("good package after the bad ones: %+v", rc)
	}
}
