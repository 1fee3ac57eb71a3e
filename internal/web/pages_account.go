package web

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"shuiyun/internal/account"
	"shuiyun/internal/audit"
)

type loginData struct{ Login, Next, Error string }

func (s *Server) loginPage(w http.ResponseWriter, r *http.Request) {
	if u := s.sessionUser(w, r); u != nil {
		http.Redirect(w, r, "/", http.StatusSeeOther)
		return
	}
	s.render(w, r, nil, "login", "登录", loginData{Next: safeNext(r.URL.Query().Get("next"))})
}

func (s *Server) loginSubmit(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	login, next := strings.TrimSpace(r.PostFormValue("login")), safeNext(r.PostFormValue("next"))
	u, secret, err := s.signIn(r.Context(), r, login, r.PostFormValue("password"))
	if err != nil {
		var le lockedError
		if !errors.Is(err, errSignIn) && !errors.As(err, &le) {
			s.renderError(w, r, nil, err)
			return
		}
		s.metrics.signInFailed.Inc()
		w.WriteHeader(http.StatusUnauthorized)
		s.render(w, r, nil, "login", "登录", loginData{Login: login, Next: next, Error: err.Error()})
		return
	}
	s.setCookie(w, secret, s.cfg.Now().Add(s.cfg.SessionTTL))
	if u.MustChangePassword {
		next = "/account/password"
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
}

// safeNext keeps a post-sign-in redirect on this site.
func safeNext(next string) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") {
		return "/"
	}
	return next
}

func (s *Server) logout(w http.ResponseWriter, r *http.Request) {
	if c, err := r.Cookie(sessionCookie); err == nil && c.Value != "" {
		u := s.sessionUser(w, r)
		if err := s.st.DeleteSession(r.Context(), account.HashSecret(c.Value)); err != nil {
			s.log.Error("sign out", "err", err)
		}
		if u != nil {
			s.audit(r, u, audit.SignOut, u.Login, "")
		}
	}
	s.clearCookie(w)
	http.Redirect(w, r, "/login", http.StatusSeeOther)
}

type accountData struct {
	Tokens   []account.Token
	NewToken string
}

func (s *Server) accountPage(w http.ResponseWriter, r *http.Request, u *account.User) error {
	tokens, err := s.st.Tokens(r.Context(), u.ID)
	if err != nil {
		return err
	}
	s.render(w, r, u, "account", "我的账户", accountData{Tokens: tokens})
	return nil
}

func (s *Server) passwordPage(w http.ResponseWriter, r *http.Request, u *account.User) error {
	s.render(w, r, u, "password", "修改密码", map[string]any{})
	return nil
}

func (s *Server) passwordSubmit(w http.ResponseWriter, r *http.Request, u *account.User) error {
	old, pw, again := r.PostFormValue("old"), r.PostFormValue("new"), r.PostFormValue("again")
	fail := func(msg string) error {
		w.WriteHeader(http.StatusBadRequest)
		s.render(w, r, u, "password", "修改密码", map[string]any{"Error": msg})
		return nil
	}
	switch {
	case !account.CheckPassword(u.PasswordHash, old):
		return fail("原密码不正确")
	case pw != again:
		return fail("两次输入的新密码不一致")
	case pw == old:
		return fail("新密码不能与原密码相同")
	}
	if err := account.CheckPolicy(pw); err != nil {
		return fail(err.Error())
	}
	hash, err := account.HashPassword(pw)
	if err != nil {
		return err
	}
	// SetPassword ends every session of the user, this one too: start a new one.
	if err := s.st.SetPassword(r.Context(), u.ID, hash, false); err != nil {
		return err
	}
	s.audit(r, u, audit.PasswordChange, u.Login, "")
	secret, shash, err := account.NewSecret("")
	if err != nil {
		return err
	}
	if err := s.st.CreateSession(r.Context(), shash, u.ID, s.cfg.Now().Add(s.cfg.SessionTTL)); err != nil {
		return err
	}
	s.setCookie(w, secret, s.cfg.Now().Add(s.cfg.SessionTTL))
	return seeOther(w, r, "/?flash="+urlq("密码已修改"))
}

func (s *Server) tokenCreate(w http.ResponseWriter, r *http.Request, u *account.User) error {
	name := strings.TrimSpace(r.PostFormValue("name"))
	if name == "" || len([]rune(name)) > 64 {
		return errorf(http.StatusBadRequest, "请给令牌起一个 1 至 64 字的名称（例如用途）")
	}
	secret, hash, err := account.NewSecret(account.TokenPrefix)
	if err != nil {
		return err
	}
	if _, err := s.st.CreateToken(r.Context(), u.ID, name, hash); err != nil {
		return err
	}
	s.audit(r, u, audit.TokenCreate, u.Login, name)
	tokens, err := s.st.Tokens(r.Context(), u.ID)
	if err != nil {
		return err
	}
	s.render(w, r, u, "account", "我的账户", accountData{Tokens: tokens, NewToken: secret})
	return nil
}

func (s *Server) tokenRevoke(w http.ResponseWriter, r *http.Request, u *account.User) error {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return errNotFound
	}
	if err := s.st.RevokeToken(r.Context(), u.ID, id); err != nil {
		return err
	}
	s.audit(r, u, audit.TokenRevoke, u.Login, r.PathValue("id"))
	return seeOther(w, r, "/account?flash="+urlq("令牌已吊销"))
}
