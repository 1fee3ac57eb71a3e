package web

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"

	"shuiyun/internal/access"
	"shuiyun/internal/account"
	"shuiyun/internal/store"
)

// handler serves a page for a signed-in user; an error it returns is shown
// as an error page (a *httpError with its status, anything else as 500).
type handler func(w http.ResponseWriter, r *http.Request, u *account.User) error

// httpError is an error the user should read.
type httpError struct {
	code int
	msg  string
}

func (e *httpError) Error() string { return e.msg }

func errorf(code int, format string, args ...any) error {
	return &httpError{code: code, msg: fmt.Sprintf(format, args...)}
}

var (
	errForbidden = &httpError{http.StatusForbidden, "您没有权限访问此页面或数据"}
	errNotFound  = &httpError{http.StatusNotFound, "没有找到您要的页面或记录"}
)

// allow says which callers may use a route.
type allow func(access.Caller) bool

var (
	signedIn  allow = func(access.Caller) bool { return true }
	dataRead  allow = access.Caller.ReadsData
	submitter allow = access.Caller.Submits
	admin     allow = access.Caller.Admin
	auditor   allow = access.Caller.Audits
)

// page registers a page route: it needs a session (else the sign-in page),
// a changed password where one was set by someone else, and a role that allow accepts.
func (s *Server) page(mux *http.ServeMux, pattern string, ok allow, h handler) {
	mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
		u := s.sessionUser(w, r)
		if u == nil {
			if r.Method == http.MethodGet {
				http.Redirect(w, r, "/login?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
			} else {
				s.renderError(w, r, nil, errorf(http.StatusUnauthorized, "请先登录"))
			}
			return
		}
		if u.MustChangePassword && r.URL.Path != "/account/password" && r.URL.Path != "/logout" {
			http.Redirect(w, r, "/account/password", http.StatusSeeOther)
			return
		}
		r = r.WithContext(context.WithValue(r.Context(), userKey, u))
		if !ok(callerOf(u)) {
			s.renderError(w, r, u, errForbidden)
			return
		}
		if err := h(w, r, u); err != nil {
			s.renderError(w, r, u, err)
		}
	})
}

// renderError shows an error page with the right status; internal errors
// are logged and shown without their detail.
func (s *Server) renderError(w http.ResponseWriter, r *http.Request, u *account.User, err error) {
	var he *httpError
	if !errors.As(err, &he) {
		if errors.Is(err, store.ErrNotFound) {
			he = errNotFound
		} else {
			s.log.Error("request failed", "path", r.URL.Path, "err", err)
			he = &httpError{http.StatusInternalServerError, "服务器内部错误，请稍后重试；如果一直出现，请联系管理员"}
		}
	}
	w.WriteHeader(he.code)
	s.render(w, r, u, "error", "出错了", map[string]any{"Code": he.code, "Message": he.msg})
}

func itoa(n int) string { return strconv.Itoa(n) }

// seeOther redirects after a successful POST.
func seeOther(w http.ResponseWriter, r *http.Request, to string) error {
	http.Redirect(w, r, to, http.StatusSeeOther)
	return nil
}
