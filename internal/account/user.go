package account

import (
	"fmt"
	"time"
	"unicode/utf8"
)

// Sign-in lockout: after MaxFailures wrong passwords in a row the user is
// locked for LockFor, which slows guessing to a few tries an hour.
const (
	MaxFailures = 5
	LockFor     = 15 * time.Minute
)

// User is one person (or system) signing in to the hub.
type User struct {
	ID                 int64
	Login              string
	Name               string // display name
	Agency             string // agency code; ministry roles and the auditor: 000000
	Role               Role
	PasswordHash       string // PHC string of HashPassword
	Failures           int    // wrong passwords since the last sign-in or lock
	LockedUntil        time.Time
	MustChangePassword bool // the password was set by someone else (or generated)
	Disabled           bool
	CreatedAt          time.Time
	PasswordChangedAt  time.Time
}

// Locked reports whether the user may not sign in at now for failed attempts.
func (u *User) Locked(now time.Time) bool { return now.Before(u.LockedUntil) }

// CheckLogin checks a login name: 2 to 64 characters of ASCII letters, digits
// and . _ - @, so it reads the same everywhere (logs, the audit log, a shell).
func CheckLogin(login string) error {
	if n := utf8.RuneCountInString(login); n < 2 || n > 64 {
		return fmt.Errorf("登录名须为 2 至 64 个字符，而不是 %d 个", n)
	}
	for _, c := range login {
		ok := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '_' || c == '-' || c == '@'
		if !ok {
			return fmt.Errorf("登录名 %q 只能包含英文字母、数字和 . _ - @", login)
		}
	}
	return nil
}

// Token is a user's API token; its secret is shown once and only its hash is kept.
type Token struct {
	ID        int64
	UserID    int64
	Name      string
	CreatedAt time.Time
	LastUsed  time.Time // zero when never used
	Revoked   bool
}

// Profile is what the plan asks each agency to report about its work on the
// data exchange: who answers for it and how to reach them.
type Profile struct {
	Agency     string
	Department string // 责任部门
	Person     string // 责任人
	Phone      string
	Email      string
	WorkPlan   string // 工作计划
	UpdatedAt  time.Time
	UpdatedBy  string // login of the last editor
}
