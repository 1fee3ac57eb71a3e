package web

import (
	"context"
	"errors"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"shuiyun/internal/access"
	"shuiyun/internal/account"
	"shuiyun/internal/audit"
	"shuiyun/internal/store"
)

const sessionCookie = "sy_session"

type ctxKey int

const userKey ctxKey = 0

// userOf returns the signed-in user of a request (nil when none).
func userOf(r *http.Request) *account.User {
	u, _ := r.Context().Value(userKey).(*account.User)
	return u
}

// sessionUser reads the session cookie. A cookie that names no live session
// is cleared, so a stale or planted id is never carried into a sign-in.
func (s *Server) sessionUser(w http.ResponseWriter, r *http.Request) *account.User {
	c, err := r.Cookie(sessionCookie)
	if err != nil || c.Value == "" {
		return nil
	}
	u, err := s.st.SessionUser(r.Context(), account.HashSecret(c.Value), s.cfg.Now())
	if err != nil {
		if !errors.Is(err, store.ErrNotFound) {
			s.log.Error("session lookup", "err", err)
		}
		s.clearCookie(w)
		return nil
	}
	return u
}

// tokenUser reads an API token from "Authorization: Bearer syt_…".
func (s *Server) tokenUser(r *http.Request) (*account.User, error) {
	h := r.Header.Get("Authorization")
	secret, ok := strings.CutPrefix(h, "Bearer ")
	if !ok || secret == "" {
		return nil, store.ErrNotFound
	}
	return s.st.TokenUser(r.Context(), account.HashSecret(strings.TrimSpace(secret)), s.cfg.Now())
}

func (s *Server) setCookie(w http.ResponseWriter, secret string, expires time.Time) {
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: secret, Path: "/", Expires: expires,
		HttpOnly: true, Secure: s.cfg.Secure, SameSite: http.SameSiteLaxMode})
}

func (s *Server) clearCookie(w http.ResponseWriter) {
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: "/", MaxAge: -1,
		HttpOnly: true, Secure: s.cfg.Secure, SameSite: http.SameSiteLaxMode})
}

// errSignIn is all a failed sign-in says: it never tells which of the two was wrong.
var errSignIn = errors.New("用户名或密码错误")

// signIn checks a password, counting failures and locking the account after
// account.MaxFailures of them, and starts a new session (a fresh id every
// time: an id set before sign-in is never promoted).
func (s *Server) signIn(ctx context.Context, r *http.Request, login, password string) (*account.User, string, error) {
	// Each password check takes 64 MiB for a moment: a burst of sign-ins
	// waits its turn instead of exhausting memory.
	select {
	case signInSlots <- struct{}{}:
		defer func() { <-signInSlots }()
	case <-ctx.Done():
		return nil, "", ctx.Err()
	}
	now := s.cfg.Now()
	u, err := s.st.UserByLogin(ctx, login)
	if errors.Is(err, store.ErrNotFound) {
		account.CheckPassword(dummyHash(), password) // the same time as for a real user
		s.audit(r, nil, audit.SignInFailed, login, "未知用户")
		return nil, "", errSignIn
	}
	if err != nil {
		return nil, "", err
	}
	if u.Disabled {
		s.audit(r, u, audit.SignInFailed, login, "账户已停用")
		return nil, "", errSignIn
	}
	if u.Locked(now) {
		s.audit(r, u, audit.SignInFailed, login, "账户锁定中")
		return nil, "", lockedError(u.LockedUntil.Sub(now))
	}
	if !account.CheckPassword(u.PasswordHash, password) {
		locked, err := s.st.LoginFailed(ctx, u.ID, now)
		if err != nil {
			return nil, "", err
		}
		s.audit(r, u, audit.SignInFailed, login, "密码错误")
		if locked {
			return nil, "", lockedError(account.LockFor)
		}
		return nil, "", errSignIn
	}
	if err := s.st.LoginSucceeded(ctx, u.ID); err != nil {
		return nil, "", err
	}
	secret, hash, err := account.NewSecret("")
	if err != nil {
		return nil, "", err
	}
	if err := s.st.CreateSession(ctx, hash, u.ID, now.Add(s.cfg.SessionTTL)); err != nil {
		return nil, "", err
	}
	s.audit(r, u, audit.SignIn, login, "")
	return u, secret, nil
}

var signInSlots = make(chan struct{}, 4)

type lockedError time.Duration

func (e lockedError) Error() string {
	return "连续输错密码次数过多，账户已锁定，请 " + minutes(time.Duration(e)) + " 后再试或联系管理员"
}

func minutes(d time.Duration) string {
	m := int(d.Round(time.Minute) / time.Minute)
	if m < 1 {
		m = 1
	}
	return itoa(m) + " 分钟"
}

// dummyHash is checked for unknown logins so they take as long as known ones.
// It is made on first use: every command of the binary loads this package.
var dummyHash = sync.OnceValue(func() string {
	h, _ := account.HashPassword("shuiyun-no-such-user")
	return h
})

// audit appends to the audit log; a failure to record is logged loudly but
// does not undo what the user did (it has already happened).
func (s *Server) audit(r *http.Request, u *account.User, action, target, detail string) {
	e := audit.Entry{At: s.cfg.Now(), Action: action, Target: target, Detail: detail, IP: clientIP(r)}
	if u != nil {
		e.Login, e.Agency = u.Login, u.Agency
	}
	if _, err := s.st.AppendAudit(r.Context(), e); err != nil {
		s.log.Error("audit append failed", "action", action, "err", err)
	}
}

func clientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// callerOf is the access caller of a signed-in user.
func callerOf(u *account.User) access.Caller { return access.Of(u) }
