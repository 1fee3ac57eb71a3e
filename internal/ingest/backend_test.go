package ingest_test

import (
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"path/filepath"

	_ "github.com/jackc/pgx/v5/stdlib"

	"shuiyun/internal/store"
)

// The ingest tests run on SQLite; with SHUIYUN_TEST_INGEST_POSTGRES holding a
// URL (scripts/test.sh sets it) they run again on PostgreSQL, each hub's data
// folder standing for a schema of its own.
const pgEnv = "SHUIYUN_TEST_INGEST_POSTGRES"

// storeConfig is the store of the hub whose data folder is dir.
func storeConfig(dir string) (store.Config, error) {
	base := os.Getenv(pgEnv)
	if base == "" {
		return store.Config{Data: filepath.Join(dir, "data")}, nil
	}
	sum := sha256.Sum256([]byte(dir))
	schema := "ingest_" + hex.EncodeToString(sum[:8])
	db, err := sql.Open("pgx", base)
	if err != nil {
		return store.Config{}, err
	}
	defer db.Close()
	if _, err := db.Exec("CREATE SCHEMA IF NOT EXISTS " + schema); err != nil {
		return store.Config{}, fmt.Errorf("create schema: %w", err)
	}
	u, err := url.Parse(base)
	if err != nil {
		return store.Config{}, err
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return store.Config{Data: filepath.Join(dir, "data"), URL: u.String()}, nil
}
