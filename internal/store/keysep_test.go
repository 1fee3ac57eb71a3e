package store_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"shuiyun/internal/standard"
	"shuiyun/internal/store"
)

// TestCompositeKeys: a key joining several fields (standard.KeySep) is
// stored, looked up and matched by its first part on both back ends (NUL,
// the separator before, failed every write on PostgreSQL); on SQLite,
// migration 5 rewrites keys stored with NUL, and back.
func TestCompositeKeys(t *testing.T) {
	backends(t, func(t *testing.T, open opener) {
		ctx := context.Background()
		s := open(mustStandard(t))
		key := strings.Join([]string{"CN123", "01", "X9"}, standard.KeySep)
		apply(t, s, "320000", 1, false, op{'I', key, "甲"}, op{'I', "CN1234", "乙"})
		if v, err := s.Current(ctx, "shipping_operator", key); err != nil || v == nil || v.Key != key {
			t.Fatalf("the composite key: %+v %v", v, err)
		}
		if got := store.KeyText(key); got != "CN123 / 01 / X9" {
			t.Errorf("KeyText: %q", got)
		}
		at := time.Now().Add(time.Hour).UnixMicro()
		rows, _, err := s.RecordValuesAt(ctx, "shipping_operator", at, []string{"CN123"}, true)
		if err != nil || len(rows) != 1 {
			t.Errorf("records whose key begins with CN123 and a separator: %v %v; want the composite one", rows, err)
		}
		if s.Dialect() == "sqlite" {
			resep(t, s, key)
		}
	})
}

// resep checks SQLite's migration 5 both ways on a stored key.
func resep(t *testing.T, s *store.Store, key string) {
	ctx := context.Background()
	old := strings.ReplaceAll(key, standard.KeySep, "\x00")
	for _, step := range []struct {
		version   int64
		have, not string
	}{{4, old, key}, {5, key, old}} {
		if err := s.MigrateTo(ctx, step.version); err != nil {
			t.Fatal(err)
		}
		if v, err := s.Current(ctx, "shipping_operator", step.have); err != nil || v == nil {
			t.Errorf("at migration %d: no record under %q (%v)", step.version, step.have, err)
		}
		if v, _ := s.Current(ctx, "shipping_operator", step.not); v != nil {
			t.Errorf("at migration %d: a record under %q", step.version, step.not)
		}
	}
}
