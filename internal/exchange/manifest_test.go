package exchange

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

const filesPart = `,
  "files": [{"name": "vessel_operating_certificate.csv", "dataset": "vessel_operating_certificate",
             "rows": 1200, "sha256": "` + hex64 + `"}]`

const validManifest = `{
  "format": "shuiyun.package/v1",
  "sender": "320000",
  "sequence": 17,
  "created_at": "2026-11-26T01:00:00+08:00",
  "data_date": "2026-11-25",
  "standard": "1.0",
  "mode": "incremental"` + filesPart + `
}`

const hex64 = "0123456789abcdef0123456789ABCDEF0123456789abcdef0123456789abcdef"

func TestParseManifest(t *testing.T) {
	want := Manifest{
		Format: ManifestFormat, Sender: "320000", Sequence: 17, CreatedAt: "2026-11-26T01:00:00+08:00",
		DataDate: "2026-11-25", Standard: "1.0", Mode: Incremental,
		Files: []ManifestFile{{Name: "vessel_operating_certificate.csv", Dataset: "vessel_operating_certificate", Rows: 1200, SHA256: hex64}},
	}
	for _, text := range []string{validManifest, "\uFEFF" + validManifest} {
		got, err := ParseManifest([]byte(text))
		if err != nil {
			t.Fatalf("ParseManifest = %v", err)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("ParseManifest (-want +got):\n%s", diff)
		}
	}
}

// TestParseManifestInvalid edits the contract's example one way at a time; each message
// must name the key at fault.
func TestParseManifestInvalid(t *testing.T) {
	tests := []struct{ name, old, new, mention string }{
		{"empty", validManifest, "", "为空"},
		{"trailing", "\n}", "\n} {}", "结束后"},
		{"no format", `"format": "shuiyun.package/v1",`, ``, "format"},
		{"no sender", `"sender": "320000",`, ``, "sender"},
		{"empty sender", `"sender": "320000"`, `"sender": ""`, "sender"},
		{"no sequence", `"sequence": 17,`, ``, "sequence"},
		{"sequence 0", `"sequence": 17`, `"sequence": 0`, "sequence"},
		{"sequence as text", `"sequence": 17`, `"sequence": "17"`, "sequence"},
		{"sequence fraction", `"sequence": 17`, `"sequence": 17.5`, "sequence"},
		{"no data_date", `"data_date": "2026-11-25",`, ``, "data_date"},
		{"bad data_date", `"2026-11-25"`, `"2026-02-30"`, "data_date"},
		{"data_date form", `"2026-11-25"`, `"20261125"`, "data_date"},
		{"bad created_at", `"2026-11-26T01:00:00+08:00"`, `"2026-11-26 01:00"`, "created_at"},
		{"no mode", `"mode": "incremental",`, ``, "mode"},
		{"bad mode", `"incremental"`, `"Incremental"`, "mode"},
		{"no files", filesPart, ``, "files"},
		{"files empty", `"files": [{`, `"files": [], "x": [{`, "x"},
		{"files object", filesPart, `,
  "files": {}`, "files"},
		{"file not object", `"files": [`, `"files": [1, `, "files[0]"},
		{"file key unknown", `"rows": 1200`, `"rows": 1200, "size": 3`, "size"},
		{"file key case", `"rows": 1200`, `"Rows": 1200`, "Rows"},
		{"file key twice", `"rows": 1200`, `"rows": 1200, "rows": 3`, "rows"},
		{"no rows", `"rows": 1200, `, ``, "rows"},
		{"negative rows", `"rows": 1200`, `"rows": -1`, "rows"},
		{"no sha256", `, "sha256": "` + hex64 + `"`, ``, "sha256"},
		{"short sha256", hex64, hex64[1:], "sha256"},
		{"bad sm3", `"rows": 1200`, `"rows": 1200, "sm3": "xyz"`, "sm3"},
		{"bad dataset", `"dataset": "vessel_operating_certificate"`, `"dataset": "Vessel"`, "dataset"},
		{"name mismatch", `"name": "vessel_operating_certificate.csv"`, `"name": "vessel.csv"`, "name"},
		{"name extension", `"name": "vessel_operating_certificate.csv"`, `"name": "vessel_operating_certificate.xlsx"`, "name"},
		{"dataset twice", `"files": [`, `"files": [{"name": "vessel_operating_certificate.jsonl", "dataset": "vessel_operating_certificate", "rows": 1, "sha256": "` + hex64 + `"}, `, "vessel_operating_certificate"},
		{"shrink as text", `"mode": "incremental",`, `"mode": "incremental", "allow_shrink": "yes",`, "allow_shrink"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			text := strings.Replace(validManifest, tt.old, tt.new, 1)
			if text == validManifest {
				t.Fatalf("edit %q not found", tt.old)
			}
			_, err := ParseManifest([]byte(text))
			e, ok := err.(*Error)
			if !ok || e.Code != ManifestInvalid || !strings.Contains(e.Message, tt.mention) {
				t.Errorf("ParseManifest = %v, want MANIFEST-INVALID mentioning %q", err, tt.mention)
			}
		})
	}
}

// FuzzParseManifest checks that whatever ParseManifest accepts survives encoding and
// parsing again unchanged.
func FuzzParseManifest(f *testing.F) {
	f.Add([]byte(validManifest))
	f.Add([]byte(`{"format":"shuiyun.package/v1","sender":"1","sequence":1,"data_date":"2026-01-01","mode":"full","files":[]}`))
	f.Add([]byte(`{"files":[{"name":"a.csv","Name":"b"}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := ParseManifest(data)
		if err != nil {
			if _, ok := err.(*Error); !ok {
				t.Fatalf("ParseManifest error %T, want *Error", err)
			}
			return
		}
		again, err := json.Marshal(m)
		if err != nil {
			t.Fatal(err)
		}
		m2, err := ParseManifest(again)
		if err != nil {
			t.Fatalf("ParseManifest(Marshal(m)) = %v for %s", err, again)
		}
		if diff := cmp.Diff(m, m2); diff != "" {
			t.Errorf("round trip (-first +second):\n%s", diff)
		}
	})
}
