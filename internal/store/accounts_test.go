package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"shuiyun/internal/account"
	"shuiyun/internal/store"
)

func newUser(login string, role account.Role, agency string) *account.User {
	return &account.User{Login: login, Name: "用户" + login, Agency: agency, Role: role, PasswordHash: "$argon2id$v=19$m=64,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA"}
}

func mustCreate(t *testing.T, s *store.Store, u *account.User) *account.User {
	t.Helper()
	if _, err := s.CreateUser(context.Background(), u); err != nil {
		t.Fatal(err)
	}
	return u
}

func TestUsers(t *testing.T) {
	std := mustStandard(t)
	backends(t, func(t *testing.T, open opener) {
		s := open(std)
		clk := &clock{t: time.Date(2026, 11, 25, 8, 0, 0, 0, time.UTC)}
		s.Now = clk.now
		ctx := context.Background()
		if n, err := s.CountUsers(ctx); err != nil || n != 0 {
			t.Fatalf("count of a new store: %d %v", n, err)
		}
		admin := newUser("admin", account.MinistryAdmin, "000000")
		admin.MustChangePassword = true
		id, err := s.CreateUser(ctx, admin)
		if err != nil || id == 0 || admin.ID != id {
			t.Fatalf("create: %d %v (user id %d)", id, err, admin.ID)
		}
		js := mustCreate(t, s, newUser("js", account.AgencySubmitter, "320000"))
		if _, err := s.CreateUser(ctx, newUser("admin", account.Auditor, "000000")); !errors.Is(err, store.ErrExists) {
			t.Errorf("duplicate login: %v, want ErrExists", err)
		}
		want := *admin
		want.CreatedAt, want.PasswordChangedAt = clk.t, clk.t
		got, err := s.UserByLogin(ctx, "admin")
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(&want, got); diff != "" {
			t.Errorf("UserByLogin (-want +got):\n%s", diff)
		}
		if got, err := s.UserByID(ctx, js.ID); err != nil || got.Login != "js" {
			t.Errorf("UserByID: %+v %v", got, err)
		}
		if _, err := s.UserByLogin(ctx, "nobody"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("unknown login: %v", err)
		}
		if _, err := s.UserByID(ctx, 999); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("unknown id: %v", err)
		}

		js.Name, js.Role, js.Agency, js.Disabled = "江苏查询", account.AgencyViewer, "330000", true
		if err := s.UpdateUser(ctx, js); err != nil {
			t.Fatal(err)
		}
		if err := s.UpdateUser(ctx, &account.User{ID: 999}); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("update of an unknown user: %v", err)
		}
		users, err := s.Users(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var logins []string
		for _, u := range users {
			logins = append(logins, u.Login)
		}
		if diff := cmp.Diff([]string{"admin", "js"}, logins); diff != "" {
			t.Errorf("users (-want +got):\n%s", diff)
		}
		if diff := cmp.Diff(js, users[1]); diff != "" {
			t.Errorf("updated user (-want +got):\n%s", diff)
		}
		if n, _ := s.CountUsers(ctx); n != 2 {
			t.Errorf("count %d, want 2", n)
		}
	})
}

// TestLockout: the fifth wrong password in a row locks the user for LockFor.
func TestLockout(t *testing.T) {
	std := mustStandard(t)
	backends(t, func(t *testing.T, open opener) {
		s := open(std)
		ctx := context.Background()
		u := mustCreate(t, s, newUser("js", account.AgencySubmitter, "320000"))
		now := time.Date(2026, 11, 25, 8, 0, 0, 0, time.UTC)
		fail := func(want bool) {
			t.Helper()
			if locked, err := s.LoginFailed(ctx, u.ID, now); err != nil || locked != want {
				t.Fatalf("LoginFailed: locked %v %v, want locked %v", locked, err, want)
			}
		}
		fail(false)
		fail(false)
		if err := s.LoginSucceeded(ctx, u.ID); err != nil {
			t.Fatal(err)
		}
		for range account.MaxFailures - 1 {
			fail(false)
		}
		got, _ := s.UserByID(ctx, u.ID)
		if got.Failures != account.MaxFailures-1 || got.Locked(now) {
			t.Fatalf("before the last try: %d failures, locked %v", got.Failures, got.Locked(now))
		}
		fail(true)
		got, _ = s.UserByID(ctx, u.ID)
		if !got.Locked(now) || !got.Locked(now.Add(account.LockFor-time.Second)) || got.Failures != 0 {
			t.Errorf("after %d failures: locked until %v, %d failures", account.MaxFailures, got.LockedUntil, got.Failures)
		}
		now = now.Add(account.LockFor)
		if got.Locked(now) {
			t.Error("still locked after LockFor")
		}
		fail(false) // the count started again
		if _, err := s.LoginFailed(ctx, 999, now); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("unknown user: %v", err)
		}
	})
}

func TestSessions(t *testing.T) {
	std := mustStandard(t)
	backends(t, func(t *testing.T, open opener) {
		s := open(std)
		ctx := context.Background()
		now := time.Date(2026, 11, 25, 8, 0, 0, 0, time.UTC)
		s.Now = func() time.Time { return now } // CreateSession removes sessions expired by the store's clock
		u := mustCreate(t, s, newUser("js", account.AgencySubmitter, "320000"))
		other := mustCreate(t, s, newUser("zj", account.AgencySubmitter, "330000"))
		for _, h := range []string{"a", "b"} {
			if err := s.CreateSession(ctx, h, u.ID, now.Add(time.Hour)); err != nil {
				t.Fatal(err)
			}
		}
		s.CreateSession(ctx, "c", other.ID, now.Add(time.Hour))
		live := func(hash string, at time.Time, want string) {
			t.Helper()
			got, err := s.SessionUser(ctx, hash, at)
			switch {
			case want == "" && !errors.Is(err, store.ErrNotFound):
				t.Errorf("session %s at %v: %+v %v, want ErrNotFound", hash, at, got, err)
			case want != "" && (err != nil || got.Login != want):
				t.Errorf("session %s at %v: %+v %v, want %s", hash, at, got, err, want)
			}
		}
		live("a", now, "js")
		live("a", now.Add(time.Hour), "") // expired
		live("x", now, "")
		if err := s.DeleteSession(ctx, "a"); err != nil {
			t.Fatal(err)
		}
		live("a", now, "")
		live("b", now, "js")

		// A disabled user's sessions stop working.
		u.Disabled = true
		s.UpdateUser(ctx, u)
		live("b", now, "")
		u.Disabled = false
		s.UpdateUser(ctx, u)
		live("b", now, "js")

		// A new password ends every session of the user, and only of that user.
		if err := s.SetPassword(ctx, u.ID, "new", false); err != nil {
			t.Fatal(err)
		}
		live("b", now, "")
		live("c", now, "zj")
		if got, _ := s.UserByID(ctx, u.ID); got.PasswordHash != "new" || got.MustChangePassword {
			t.Errorf("after SetPassword: %+v", got)
		}
		if err := s.DeleteSessions(ctx, other.ID); err != nil {
			t.Fatal(err)
		}
		live("c", now, "")

		// Expired sessions go when the next one is made.
		s.CreateSession(ctx, "d", u.ID, now.Add(time.Minute))
		now = now.Add(time.Hour)
		s.CreateSession(ctx, "e", u.ID, now.Add(time.Minute))
		live("d", now.Add(-time.Hour), "")
		live("e", now, "js")
		if err := s.SetPassword(ctx, 999, "x", true); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("SetPassword of an unknown user: %v", err)
		}
	})
}

func TestTokens(t *testing.T) {
	std := mustStandard(t)
	backends(t, func(t *testing.T, open opener) {
		s := open(std)
		clk := &clock{t: time.Date(2026, 11, 25, 8, 0, 0, 0, time.UTC)}
		s.Now = clk.now
		ctx := context.Background()
		u := mustCreate(t, s, newUser("js", account.AgencySubmitter, "320000"))
		other := mustCreate(t, s, newUser("zj", account.AgencySubmitter, "330000"))
		secret, hash, _ := account.NewSecret(account.TokenPrefix)
		id, err := s.CreateToken(ctx, u.ID, "报送系统", hash)
		if err != nil {
			t.Fatal(err)
		}
		id2, _ := s.CreateToken(ctx, u.ID, "备用", "h2")
		used := clk.tick()
		if got, err := s.TokenUser(ctx, account.HashSecret(secret), used); err != nil || got.ID != u.ID {
			t.Fatalf("TokenUser: %+v %v", got, err)
		}
		if _, err := s.TokenUser(ctx, secret, used); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("the secret itself works as a hash: %v", err)
		}
		tokens, err := s.Tokens(ctx, u.ID)
		if err != nil {
			t.Fatal(err)
		}
		want := []account.Token{
			{ID: id2, UserID: u.ID, Name: "备用", CreatedAt: clk.t.Add(-time.Second)},
			{ID: id, UserID: u.ID, Name: "报送系统", CreatedAt: clk.t.Add(-time.Second), LastUsed: used},
		}
		if diff := cmp.Diff(want, tokens); diff != "" {
			t.Errorf("tokens (-want +got):\n%s", diff)
		}
		if err := s.RevokeToken(ctx, other.ID, id); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("another user revoked the token: %v", err)
		}
		if err := s.RevokeToken(ctx, u.ID, id); err != nil {
			t.Fatal(err)
		}
		if _, err := s.TokenUser(ctx, hash, used); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("revoked token: %v", err)
		}
		if tokens, _ := s.Tokens(ctx, u.ID); !tokens[1].Revoked || tokens[0].Revoked {
			t.Errorf("after revoking: %+v", tokens)
		}
		// A disabled user's tokens stop working.
		u.Disabled = true
		s.UpdateUser(ctx, u)
		if _, err := s.TokenUser(ctx, "h2", used); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("token of a disabled user: %v", err)
		}
	})
}

func TestProfile(t *testing.T) {
	std := mustStandard(t)
	backends(t, func(t *testing.T, open opener) {
		s := open(std)
		ctx := context.Background()
		p, err := s.Profile(ctx, "320000")
		if err != nil || p != (account.Profile{Agency: "320000"}) {
			t.Fatalf("profile never set: %+v %v", p, err)
		}
		at := time.Date(2026, 11, 25, 8, 0, 0, 0, time.UTC)
		want := account.Profile{Agency: "320000", Department: "科技处", Person: "张三", Phone: "025-12345678",
			Email: "zhang@example.cn", WorkPlan: "2026 年底前完成存量数据报送。\n每日增量交换。", UpdatedAt: at, UpdatedBy: "js"}
		for range 2 { // the second save replaces the first
			if err := s.SetProfile(ctx, want); err != nil {
				t.Fatal(err)
			}
			got, err := s.Profile(ctx, "320000")
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("profile (-want +got):\n%s", diff)
			}
			want.Person, want.UpdatedAt = "李四", at.Add(time.Hour)
		}
		if p, _ := s.Profile(ctx, "330000"); p.Person != "" {
			t.Errorf("another agency's profile: %+v", p)
		}
	})
}
