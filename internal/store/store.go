package store

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/pressly/goose/v3"

	"shuiyun/internal/standard"
)

//go:embed migrations
var migrations embed.FS

// Config says which database to open.
type Config struct {
	Data string // data folder: the SQLite database is Data/shuiyun.db
	URL  string // postgres://… instead of SQLite
	// MapFile lets SQLite's readers map the database file into memory: a
	// server answering searches reads rows at random through indexes, and
	// each read then skips a pread and a copy (1,000,000 vessels, 50
	// clients: 920 → 1,546 searches/s). One-shot commands gain nothing and
	// would show the file they read in their RSS, so it is the server's choice.
	MapFile bool
}

// Store is the national repository.
type Store struct {
	d      dialect
	w      *sql.DB // writes (SQLite: one connection)
	r      *sql.DB // reads (SQLite: a pool of read-only connections)
	std    *standard.Standard
	tables map[string]*dsTable
	// Now is the clock of system time; tests may replace it.
	Now func() time.Time
}

// Open opens (creating if need be) the store and brings its schema up to date:
// the migrations, then one table per dataset of the standard.
func Open(ctx context.Context, cfg Config, std *standard.Standard) (*Store, error) {
	var s *Store
	var err error
	if cfg.URL != "" {
		s, err = openPostgres(cfg.URL)
	} else {
		s, err = openSQLite(cfg.Data, cfg.MapFile)
	}
	if err != nil {
		return nil, err
	}
	s.std, s.Now = std, time.Now
	if err := s.migrate(ctx); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// Close closes the database.
func (s *Store) Close() error {
	err := s.w.Close()
	if s.r != s.w {
		err = errors.Join(err, s.r.Close())
	}
	return err
}

// Dialect names the back end ("sqlite" or "postgres").
func (s *Store) Dialect() string { return s.d.name() }

func (s *Store) now() int64 { return s.Now().UnixMicro() }

func (s *Store) migrate(ctx context.Context) error {
	p, err := s.migrations()
	if err != nil {
		return err
	}
	if _, err := p.Up(ctx); err != nil {
		return fmt.Errorf("migrate %s database: %w", s.d.name(), err)
	}
	return s.syncTables(ctx)
}

// migrations are the dialect's: its SQL files, and on SQLite the key
// separator's rewrite (keySepMigration).
func (s *Store) migrations() (*goose.Provider, error) {
	dir, err := fs.Sub(migrations, "migrations/"+s.d.name())
	if err != nil {
		return nil, err
	}
	gd, opts := goose.DialectPostgres, []goose.ProviderOption(nil)
	if s.d.name() == "sqlite" {
		gd, opts = goose.DialectSQLite3, append(opts, goose.WithGoMigrations(keySepMigration()))
	}
	p, err := goose.NewProvider(gd, s.w, dir, opts...)
	if err != nil {
		return nil, fmt.Errorf("migrations: %w", err)
	}
	return p, nil
}

// uriPath escapes what a file: URI would read as its own: a data folder
// named "数据#2" opened "数据" before, and one with "?" lost its pragmas.
var uriPath = strings.NewReplacer("%", "%25", "?", "%3f", "#", "%23")

func openSQLite(data string, mapFile bool) (*Store, error) {
	if data == "" {
		return nil, errors.New("no data folder (--data) for the embedded database")
	}
	if err := os.MkdirAll(data, 0o750); err != nil {
		return nil, fmt.Errorf("data folder %s: %w", data, err)
	}
	path := filepath.Join(data, "shuiyun.db")
	uri := "file:" + uriPath.Replace(path)
	pragmas := "_pragma=busy_timeout(30000)&_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)&_pragma=foreign_keys(1)"
	// The writer keeps 64 MB of pages: a package's index updates stay in memory until commit.
	w, err := sql.Open("sqlite", uri+"?"+pragmas+"&_pragma=cache_size(-65536)&_txlock=immediate")
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	w.SetMaxOpenConns(1) // SQLite has one writer; queueing here beats busy errors
	reader := "&_pragma=query_only(1)&_pragma=cache_size(-16384)"
	if mapFile {
		// SQLite caps it at its build's limit (2 GB); beyond, pages are read as before.
		reader += "&_pragma=mmap_size(8589934592)"
	}
	r, err := sql.Open("sqlite", uri+"?"+pragmas+reader)
	if err != nil {
		w.Close()
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	// Keep every reader open: database/sql keeps two idle by default, and under
	// load each search beyond them opened a connection (mapping the file,
	// reading the schema) and closed it again, 9% of a search's CPU.
	r.SetMaxOpenConns(4)
	r.SetMaxIdleConns(4)
	if err := w.Ping(); err != nil {
		w.Close()
		r.Close()
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	return &Store{d: sqliteDialect{}, w: w, r: r}, nil
}

func openPostgres(url string) (*Store, error) {
	db, err := sql.Open("pgx", url)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", redact(url), err)
	}
	db.SetMaxOpenConns(8)
	db.SetMaxIdleConns(8) // not the default two: a new connection forks a server process
	db.SetConnMaxIdleTime(5 * time.Minute)
	if err := db.Ping(); err != nil {
		db.Close()
		return nil, fmt.Errorf("connect %s: %w", redact(url), err)
	}
	return &Store{d: pgDialect{}, w: db, r: db}, nil
}

// redact hides a password in a database URL: secrets never reach logs.
func redact(url string) string {
	at := strings.LastIndex(url, "@")
	scheme := strings.Index(url, "://")
	if at < 0 || scheme < 0 {
		return url
	}
	user := url[scheme+3 : at]
	if name, _, found := strings.Cut(user, ":"); found {
		return url[:scheme+3] + name + ":***" + url[at:]
	}
	return url
}

// Standard is the standard the store's tables were made from.
func (s *Store) Standard() *standard.Standard { return s.std }
