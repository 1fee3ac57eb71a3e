package store_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"shuiyun/internal/standard"
	"shuiyun/internal/store"
)

// TestStandardGainsField: a field added to the standard becomes a column on
// the next start; stored versions keep their values and read the new field as null.
func TestStandardGainsField(t *testing.T) {
	data, err := os.ReadFile("../standard/standard.yaml")
	if err != nil {
		t.Fatal(err)
	}
	anchor := "      - name: operator_name\n        label: 经营者名称\n        type: string\n        length: 200\n        required: M\n"
	if !strings.Contains(string(data), anchor) {
		t.Fatal("anchor for the new field not found in standard.yaml")
	}
	edited := strings.Replace(string(data), anchor, anchor+
		"      - name: english_name\n        label: 英文名称\n        type: string\n        length: 200\n        required: O\n"+
		"      - name: fleet_size\n        label: 船队规模\n        type: integer\n        required: O\n", 1)
	path := filepath.Join(t.TempDir(), "standard.yaml")
	if err := os.WriteFile(path, []byte(edited), 0o644); err != nil {
		t.Fatal(err)
	}
	v2, err := standard.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	backends(t, func(t *testing.T, open opener) {
		s := open(mustStandard(t))
		apply(t, s, "320000", 1, false, op{'I', "K1", "甲"})
		s.Close()
		s2 := open(v2)
		ds := v2.Dataset("shipping_operator")
		v, err := s2.Current(context.Background(), "shipping_operator", "K1")
		if err != nil || v == nil {
			t.Fatalf("K1 after the standard changed: %v %v", v, err)
		}
		got := map[string]string{"operator_name": v.Values[ds.FieldIndex("operator_name")],
			"english_name": v.Values[ds.FieldIndex("english_name")], "fleet_size": v.Values[ds.FieldIndex("fleet_size")]}
		if diff := cmp.Diff(map[string]string{"operator_name": "甲", "english_name": "", "fleet_size": ""}, got); diff != "" {
			t.Error(diff)
		}
	})
}

// TestTypedRoundTrip: every field type reads back in its normal form, and
// text with the characters COPY escapes as it was.
func TestTypedRoundTrip(t *testing.T) {
	std := mustStandard(t)
	ds := std.Dataset("vessel_operating_certificate")
	sample := map[standard.FieldType]string{standard.TypeDate: "2023-05-06", standard.TypeDecimal: "1234567.5",
		standard.TypeInteger: "42", standard.TypeBoolean: "1", standard.TypeCodes: "11|12"}
	backends(t, func(t *testing.T, open opener) {
		s := open(std)
		ctx := context.Background()
		id, _, _ := s.Enqueue(ctx, store.Job{Inbox: "320000", Name: "x.zip", Path: "x", SHA256: "x"})
		job, _ := s.Claim(ctx, "w", time.Minute)
		if job == nil || job.ID != id {
			t.Fatal("no job")
		}
		tx, err := s.Begin(ctx, job, "w")
		if err != nil {
			t.Fatal(err)
		}
		defer tx.Rollback()
		w, err := tx.Dataset(ctx, ds.Name, store.Batch{Sender: "320000", Seq: 1, DataDate: "2026-11-25"})
		if err != nil {
			t.Fatal(err)
		}
		want := make([]string, len(ds.Fields))
		for i, f := range ds.Fields {
			want[i] = sample[f.Type]
			if want[i] == "" {
				want[i] = "文本" + f.Name
			}
		}
		want[ds.FieldIndex("gross_tonnage")] = "12.5"
		want[ds.FieldIndex("former_name")] = "旧\\名\t甲\n乙\r丙\\N"
		const key = `C\1\N`
		if err := w.Put(ctx, 2, 'I', key, want); err != nil {
			t.Fatal(err)
		}
		if _, err := w.Close(ctx); err != nil {
			t.Fatal(err)
		}
		if err := tx.Finish(ctx, &store.Delivery{Inbox: "320000", Name: "x.zip", Sender: "320000", Seq: 1, Status: "accepted"},
			func(*store.Delivery, []int64) ([]byte, error) { return []byte("{}"), nil }); err != nil {
			t.Fatal(err)
		}
		v, err := s.Current(ctx, ds.Name, key)
		if err != nil || v == nil {
			t.Fatal(v, err)
		}
		if v.Key != key {
			t.Errorf("key %q read back as %q", key, v.Key)
		}
		if diff := cmp.Diff(want, v.Values); diff != "" {
			t.Errorf("values (-written +read):\n%s", diff)
		}
	})
}

// TestKeyCollation: record keys compare byte by byte on both back ends,
// whatever PostgreSQL's database collation; there, a table made with the
// database's collation on its keys is retyped at the next start, its
// versions and indexes kept.
func TestKeyCollation(t *testing.T) {
	backends(t, func(t *testing.T, open opener) {
		ctx := context.Background()
		s := open(mustStandard(t))
		keys := []string{"中1", "a1", "Z1", "B1", "ä1"}
		var rows []op
		for _, k := range keys {
			rows = append(rows, op{'I', k, "名" + k})
		}
		apply(t, s, "320000", 1, false, rows...)
		var got []string
		err := s.Records(ctx, "shipping_operator", time.Time{}, func(v *store.Version) error {
			got = append(got, v.Key)
			return nil
		})
		if diff := cmp.Diff([]string{"B1", "Z1", "a1", "ä1", "中1"}, got); err != nil || diff != "" {
			t.Errorf("records in key order (-want +got):\n%s%v", diff, err)
		}
		if s.Dialect() == "postgres" {
			retypedKey(t, s, open)
		}
	})
}

// retypedKey checks that PostgreSQL gives a table with the database's
// collation on its keys the C collation at the next start.
func retypedKey(t *testing.T, s *store.Store, open opener) {
	ctx := context.Background()
	if coll, err := s.KeyCollation(ctx, "shipping_operator"); err != nil || coll != "C" {
		t.Fatalf("a new table's key collation: %q %v", coll, err)
	}
	before := indexes(t, s)
	if err := s.SetKeyCollation(ctx, "shipping_operator", "default"); err != nil {
		t.Fatal(err)
	}
	if coll, err := s.KeyCollation(ctx, "shipping_operator"); err != nil || coll != "default" {
		t.Fatalf("set up an old table: %q %v", coll, err)
	}
	s.Close()
	s = open(mustStandard(t))
	if coll, err := s.KeyCollation(ctx, "shipping_operator"); err != nil || coll != "C" {
		t.Errorf("an old table's key collation after a start: %q %v", coll, err)
	}
	sameIndexes(t, s, before, "the start")
	if v, err := s.Current(ctx, "shipping_operator", "中1"); err != nil || v == nil {
		t.Errorf("a record after the retype: %v %v", v, err)
	}
}
