package account_test

import (
	"strings"
	"testing"
	"time"

	"shuiyun/internal/account"
)

func TestRoles(t *testing.T) {
	for _, r := range account.Roles() {
		if !r.Valid() || r.Label() == string(r) {
			t.Errorf("role %s: valid %v, label %q", r, r.Valid(), r.Label())
		}
	}
	if account.Role("root").Valid() || account.Role("").Valid() {
		t.Error("an unknown role is valid")
	}
	ministry := map[account.Role]bool{account.MinistryAdmin: true, account.MinistryViewer: true}
	for _, r := range account.Roles() {
		if r.Ministry() != ministry[r] {
			t.Errorf("%s.Ministry() = %v", r, r.Ministry())
		}
	}
}

func TestCheckRoleAgency(t *testing.T) {
	tests := []struct {
		role   account.Role
		agency string
		want   string // part of the error, "" for none
	}{
		{account.MinistryAdmin, "000000", ""},
		{account.MinistryViewer, "000000", ""},
		{account.Auditor, "000000", ""},
		{account.AgencySubmitter, "320000", ""},
		{account.AgencyViewer, "CJ0000", ""},
		{account.MinistryAdmin, "320000", "只能属于交通运输部"},
		{account.Auditor, "", "只能属于交通运输部"},
		{account.AgencySubmitter, "000000", "不能属于交通运输部"},
		{account.AgencyViewer, "999999", "未知的单位代码"},
		{account.AgencyViewer, "", "未知的单位代码"},
		{"root", "000000", "未知的角色"},
	}
	for _, tt := range tests {
		err := account.CheckRoleAgency(tt.role, tt.agency)
		if (err == nil) != (tt.want == "") || err != nil && !strings.Contains(err.Error(), tt.want) {
			t.Errorf("CheckRoleAgency(%s, %q) = %v, want %q", tt.role, tt.agency, err, tt.want)
		}
	}
}

func TestCheckLogin(t *testing.T) {
	tests := []struct {
		login string
		ok    bool
	}{
		{"admin", true},
		{"zhang.san@js", true},
		{"a", false},
		{"张三", false},
		{"a b", false},
		{"x'; DROP", false},
		{strings.Repeat("a", 65), false},
	}
	for _, tt := range tests {
		if err := account.CheckLogin(tt.login); (err == nil) != tt.ok {
			t.Errorf("CheckLogin(%q) = %v, want ok %v", tt.login, err, tt.ok)
		}
	}
}

func TestLocked(t *testing.T) {
	now := time.Date(2026, 11, 25, 8, 0, 0, 0, time.UTC)
	u := &account.User{LockedUntil: now.Add(account.LockFor)}
	if !u.Locked(now) || !u.Locked(now.Add(account.LockFor-time.Second)) || u.Locked(now.Add(account.LockFor)) {
		t.Error("lock does not last exactly LockFor")
	}
	if (&account.User{}).Locked(now) {
		t.Error("a user never locked is locked")
	}
}
