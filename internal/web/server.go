// Package web serves the hub's pages (Chinese, server-rendered, embedded
// assets, no request leaves the intranet) and its REST API. Every handler
// asks package access what the caller may see or do; uploads and manual
// entry become exchange packages and go through the same pipeline as the
// inbox, so they get the same receipt.
package web

import (
	"context"
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"time"

	"shuiyun/internal/exchange"
	"shuiyun/internal/ingest"
	"shuiyun/internal/progress"
	"shuiyun/internal/standard"
	"shuiyun/internal/store"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// Config sets up a Server.
type Config struct {
	Store    *store.Store
	Standard *standard.Standard
	Hub      *ingest.Hub
	Progress *progress.Service // the progress and quality figures (issue 5's pages)
	Root     exchange.Root
	Data     string // the data folder: uploads wait under Data/uploads
	Logger   *slog.Logger
	// Secure marks cookies Secure (the server runs TLS, or sits behind a TLS proxy).
	Secure     bool
	MaxUpload  int64         // bytes; default 200 MiB
	SessionTTL time.Duration // default 8 h
	// SubmitWait bounds how long a page waits for a submitted package's receipt before
	// sending the clerk to the receipts list; default 2 min.
	SubmitWait time.Duration
	Now        func() time.Time
}

// Server is the hub's HTTP side.
type Server struct {
	cfg     Config
	std     *standard.Standard
	st      *store.Store
	log     *slog.Logger
	pages   map[string]*template.Template
	metrics *metrics
	submit  sync.Mutex // one sequence at a time for the hub's own packages
	keys    *keySealer
}

// New makes a Server and parses its templates.
func New(cfg Config) (*Server, error) {
	if cfg.MaxUpload <= 0 {
		cfg.MaxUpload = 200 << 20
	}
	if cfg.SessionTTL <= 0 {
		cfg.SessionTTL = 8 * time.Hour
	}
	if cfg.SubmitWait <= 0 {
		cfg.SubmitWait = 2 * time.Minute
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Progress == nil {
		cfg.Progress = progress.New(cfg.Store)
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	s := &Server{cfg: cfg, std: cfg.Standard, st: cfg.Store, log: cfg.Logger, metrics: newMetrics(), keys: newKeySealer()}
	if err := s.parseTemplates(); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(s.uploadRoot(), 0o750); err != nil {
		return nil, fmt.Errorf("upload folder: %w", err)
	}
	return s, nil
}

func (s *Server) uploadRoot() string { return filepath.Join(s.cfg.Data, "uploads") }

// Handler is the whole site: routes behind cross-origin protection (a
// state-changing request from another origin is refused), security headers,
// request metrics and a time limit.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	s.routes(mux)
	static, _ := fs.Sub(staticFS, "static")
	mux.Handle("GET /static/", http.StripPrefix("/static/", http.FileServerFS(static)))
	cop := http.NewCrossOriginProtection()
	return s.metrics.wrap(headers(cop.Handler(mux)))
}

// headers sets the security headers of every response: the pages load
// nothing from anywhere but this server.
func headers(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "same-origin")
		next.ServeHTTP(w, r)
	})
}

// Sweep removes uploads nobody confirmed within a day.
func (s *Server) Sweep(ctx context.Context) {
	entries, err := os.ReadDir(s.uploadRoot())
	if err != nil {
		return
	}
	for _, e := range entries {
		info, err := e.Info()
		if err == nil && s.cfg.Now().Sub(info.ModTime()) > 24*time.Hour {
			os.RemoveAll(filepath.Join(s.uploadRoot(), e.Name()))
		}
	}
}
