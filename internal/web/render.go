package web

import (
	"bytes"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"path"
	"strings"
	"time"

	"shuiyun/internal/access"
	"shuiyun/internal/account"
	"shuiyun/internal/agency"
	"shuiyun/internal/audit"
)

// view is what every page template gets.
type view struct {
	Title  string
	User   *account.User
	Caller access.Caller
	Path   string
	Flash  string
	D      any
}

var beijing = time.FixedZone("CST", 8*3600)

var funcs = template.FuncMap{
	"time": func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.In(beijing).Format("2006-01-02 15:04:05")
	},
	"ts": func(s string) string { // an RFC 3339 time from a receipt
		t, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			return s
		}
		return t.In(beijing).Format("2006-01-02 15:04:05")
	},
	"op":         opLabel,
	"pct":        pct,
	"rate":       pctRate,
	"due":        dueLabel,
	"agencyName": agencyName,
	"agencies":   func() []agency.Agency { return agency.All },
	"roleLabel":  func(r account.Role) string { return r.Label() },
	"roles":      account.Roles,
	"action":     audit.ActionLabel,
	"status":     statusLabel,
	"statusClass": func(s string) string {
		return "st-" + s
	},
	"add":  func(a, b int) int { return a + b },
	"join": strings.Join,
	"has":  strings.HasPrefix,
}

func agencyName(code string) string {
	if a, ok := agency.Lookup(code); ok {
		return a.Name
	}
	return code
}

var statusLabels = map[string]string{
	"accepted": "全部接收", "partial": "部分接收", "rejected": "拒收", "duplicate": "重复投递", "held": "暂缓（全量包缩减过多）",
}

func statusLabel(s string) string {
	if l, ok := statusLabels[s]; ok {
		return l
	}
	return s
}

// parseTemplates parses each page with the shared layout, once at start-up.
func (s *Server) parseTemplates() error {
	base, err := template.New("").Funcs(funcs).ParseFS(templateFS, "templates/_*.html")
	if err != nil {
		return fmt.Errorf("parse layout templates: %w", err)
	}
	files, err := fs.Glob(templateFS, "templates/[a-z]*.html")
	if err != nil {
		return err
	}
	s.pages = map[string]*template.Template{}
	for _, f := range files {
		t, err := template.Must(base.Clone()).ParseFS(templateFS, f)
		if err != nil {
			return fmt.Errorf("parse template %s: %w", f, err)
		}
		s.pages[strings.TrimSuffix(path.Base(f), ".html")] = t
	}
	return nil
}

// render writes a page whole or not at all: a template failing half-way
// gives an error, not half a page.
func (s *Server) render(w http.ResponseWriter, r *http.Request, u *account.User, name, title string, data any) {
	t := s.pages[name]
	if t == nil {
		s.log.Error("no such template", "name", name)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	v := view{Title: title, User: u, Path: r.URL.Path, D: data, Flash: r.URL.Query().Get("flash")}
	if u != nil {
		v.Caller = callerOf(u)
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout", v); err != nil {
		s.log.Error("render", "template", name, "err", err)
		http.Error(w, "页面生成失败", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Write(buf.Bytes())
}
