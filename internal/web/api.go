package web

import (
	"context"
	"errors"
	"net/http"

	"github.com/go-json-experiment/json"
	jsonv1 "github.com/go-json-experiment/json/v1"

	"shuiyun/internal/account"
	"shuiyun/internal/store"
)

// apiHandler serves an API route for a caller authenticated by token; its
// result is written as JSON, an error as {"error": {...}} with its status.
type apiHandler func(w http.ResponseWriter, r *http.Request, u *account.User) (any, error)

// api registers an API route: a bearer token (never a cookie, so a
// browser cannot be tricked into calling it) and a role that allow accepts.
func (s *Server) api(mux *http.ServeMux, pattern string, ok allow, h apiHandler) {
	mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
		u, err := s.tokenUser(r)
		if err != nil {
			if !errors.Is(err, store.ErrNotFound) {
				s.log.Error("token lookup", "err", err)
			}
			w.Header().Set("WWW-Authenticate", `Bearer realm="shuiyun"`)
			writeJSONError(w, http.StatusUnauthorized, "unauthorized", "需要有效的接口令牌（Authorization: Bearer <令牌>）")
			return
		}
		r = r.WithContext(context.WithValue(r.Context(), userKey, u))
		if !ok(callerOf(u)) {
			writeJSONError(w, http.StatusForbidden, "forbidden", errForbidden.msg)
			return
		}
		v, err := h(w, r, u)
		if err != nil {
			s.apiError(w, r, err)
			return
		}
		if v != nil {
			writeJSON(w, http.StatusOK, v)
		}
	})
}

func (s *Server) apiError(w http.ResponseWriter, r *http.Request, err error) {
	var he *httpError
	switch {
	case errors.As(err, &he):
	case errors.Is(err, store.ErrNotFound):
		he = errNotFound
	default:
		s.log.Error("api request failed", "path", r.URL.Path, "err", err)
		he = &httpError{http.StatusInternalServerError, "服务器内部错误"}
	}
	writeJSONError(w, he.code, http.StatusText(he.code), he.msg)
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(code)
	// Compact (indenting cost a sixth of a 50-record page), with encoding/json's
	// semantics, by the encoder that lets record values stream as tokens.
	if err := json.MarshalWrite(w, v, jsonv1.DefaultOptionsV1()); err == nil {
		w.Write([]byte("\n"))
	}
}

func writeJSONError(w http.ResponseWriter, code int, kind, msg string) {
	writeJSON(w, code, map[string]any{"error": map[string]any{"code": kind, "message": msg}})
}

// apiRoutes lists the API (contracts.md §2: under /api/v1, described at /api/openapi.json).
func (s *Server) apiRoutes(mux *http.ServeMux) {
	for _, rt := range s.apiTable() {
		s.api(mux, rt.Method+" "+rt.Path, rt.Allow, rt.Handler)
	}
	mux.HandleFunc("GET /api/openapi.json", s.openAPI)
}
