package web

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"shuiyun/internal/audit"
)

// TestAdminCreatesUser: a new user gets a password shown once, must change
// it at first sign-in, and every step is in the audit log.
func TestAdminCreatesUser(t *testing.T) {
	s := newSite(t)
	admin := s.signIn("admin")
	resp := admin.postForm("/admin/users", url.Values{"login": {"hb"}, "name": {"湖北报送员"}, "agency": {"420000"}, "role": {"agency_submitter"}})
	m := regexp.MustCompile(`id="new-password">([^<]+)<`).FindStringSubmatch(resp.body)
	if resp.code != 200 || m == nil {
		t.Fatalf("create user: %d", resp.code)
	}
	s.pw["hb"] = m[1]
	c := s.client()
	r := c.postForm("/login", url.Values{"login": {"hb"}, "password": {m[1]}})
	if r.hdr.Get("Location") != "/account/password" {
		t.Fatalf("first sign-in goes to %q, want the password page", r.hdr.Get("Location"))
	}
	if r := c.get("/records"); r.code != http.StatusSeeOther || r.hdr.Get("Location") != "/account/password" {
		t.Errorf("before changing the password /records gives %d %s", r.code, r.hdr.Get("Location"))
	}
	for _, bad := range []url.Values{
		{"old": {"wrong"}, "new": {"Hubei-2026-pass"}, "again": {"Hubei-2026-pass"}},
		{"old": {m[1]}, "new": {"short1"}, "again": {"short1"}},
		{"old": {m[1]}, "new": {"Hubei-2026-pass"}, "again": {"Hubei-2026-pas"}},
	} {
		if r := c.postForm("/account/password", bad); r.code != http.StatusBadRequest {
			t.Errorf("bad password change %v: %d", bad, r.code)
		}
	}
	if r := c.postForm("/account/password", url.Values{"old": {m[1]}, "new": {"Hubei-2026-pass"}, "again": {"Hubei-2026-pass"}}); r.code != http.StatusSeeOther {
		t.Fatalf("password change: %d %s", r.code, r.body)
	}
	if r := c.get("/records"); r.code != 200 {
		t.Errorf("after the change /records gives %d", r.code)
	}
	// the admin's own agency roles are checked
	if r := admin.postForm("/admin/users", url.Values{"login": {"bad"}, "agency": {"000000"}, "role": {"agency_submitter"}}); r.code != http.StatusBadRequest {
		t.Errorf("an agency role at the ministry: %d", r.code)
	}
	auditor := s.signIn("auditor")
	page := auditor.get("/audit?verify=1")
	for _, want := range []string{"hb", audit.ActionLabel(audit.Admin), audit.ActionLabel(audit.PasswordChange), "完整性校验通过"} {
		if !strings.Contains(page.body, want) {
			t.Errorf("audit page lacks %q", want)
		}
	}
}

func TestTokensPage(t *testing.T) {
	s := newSite(t)
	c := s.signIn("js")
	r := c.postForm("/account/tokens", url.Values{"name": {"前置机脚本"}})
	m := regexp.MustCompile(`id="new-token">(syt_[^<]+)<`).FindStringSubmatch(r.body)
	if m == nil {
		t.Fatalf("no token shown: %d", r.code)
	}
	api := s.client()
	api.hdr.Set("Authorization", "Bearer "+m[1])
	if r := api.get("/api/v1/receipts"); r.code != 200 {
		t.Fatalf("new token: %d", r.code)
	}
	if strings.Contains(c.get("/account").body, m[1]) {
		t.Error("the token is shown again")
	}
	tokens, _ := s.st.Tokens(t.Context(), s.users["js"].ID)
	if r := c.postForm("/account/tokens/"+itoa(int(tokens[0].ID))+"/revoke", nil); r.code != http.StatusSeeOther {
		t.Fatalf("revoke: %d", r.code)
	}
	if r := api.get("/api/v1/receipts"); r.code != http.StatusUnauthorized {
		t.Errorf("revoked token: %d", r.code)
	}
}

func TestAgencyProfile(t *testing.T) {
	s := newSite(t)
	form := url.Values{"department": {"综合规划处"}, "person": {"张三"}, "phone": {"025-1234567"}, "work_plan": {"2027 年底前完成全部许可数据报送"}}
	if r := s.signIn("zj").postForm("/agencies/320000", form); r.code != http.StatusForbidden {
		t.Errorf("330000 editing 320000's profile: %d", r.code)
	}
	if r := s.signIn("jsv").postForm("/agencies/320000", form); r.code != http.StatusForbidden {
		t.Errorf("a viewer editing its profile: %d", r.code)
	}
	if r := s.signIn("js").postForm("/agencies/320000", form); r.code != http.StatusSeeOther {
		t.Fatalf("320000 editing its profile: %d", r.code)
	}
	page := s.signIn("zjv").get("/agencies/320000")
	if !strings.Contains(page.body, "2027 年底前完成全部许可数据报送") || strings.Contains(page.body, `name="work_plan"`) {
		t.Error("another agency does not see the plan, or may edit it")
	}
}

// TestAuditOfReadsAndDownloads: downloads, and an agency's reads of another agency's records, are logged.
func TestAuditOfReadsAndDownloads(t *testing.T) {
	s := newSite(t)
	s.seed("320000", 6, "shipping_operator")
	zjv := s.signIn("zjv")
	zjv.get("/records/shipping_operator?owner=320000")
	zjv.get("/records/shipping_operator/download?owner=320000&format=csv")
	got := map[string]int{}
	s.st.AuditEntries(t.Context(), storeFilter(""), func(e audit.Entry) error {
		if e.Login == "zjv" {
			got[e.Action]++
		}
		return nil
	})
	if got[audit.ReadOther] != 1 || got[audit.Download] != 1 || got[audit.SignIn] != 1 {
		t.Errorf("zjv's audit entries: %v", got)
	}
}
