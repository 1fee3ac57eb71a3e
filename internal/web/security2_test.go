package web

import (
	"archive/zip"
	"bytes"
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"shuiyun/internal/audit"
)

// TestCrossAgencyWrites: an agency cannot change another agency's record
// through manual entry, upload, or the API, and viewers cannot write at all.
func TestCrossAgencyWrites(t *testing.T) {
	s := newSite(t)
	s.seed("320000", 6, "shipping_operator")
	header, rows := s.genRows("320000", "shipping_operator", 6, uint64(len("320000")+6))
	ds := s.std.Dataset("shipping_operator")
	before := s.snapshot("shipping_operator")
	addr := ds.FieldIndex("address")
	changed := append([]string(nil), rows[0]...)
	changed[addr] = "浙江改写的地址"
	zj := s.signIn("zj")

	// manual entry with the key of 320000's record
	form := url.Values{}
	for i, f := range header {
		form.Set(f, changed[i])
	}
	if resp := zj.postForm("/entry/shipping_operator", form); resp.code != http.StatusForbidden {
		t.Errorf("330000 correcting 320000's record by manual entry: %d, want 403", resp.code)
	}
	// upload: the hub refuses the row (another agency's record, REL-26, and
	// outside 330000's jurisdiction, REL-20) and says so in the receipt
	receipt := zj.submit("d01.csv", csvBytes(header, [][]string{changed}), "shipping_operator")
	if !strings.Contains(receipt.body, `<span id="rejected">1</span>`) || !strings.Contains(receipt.body, "REL-2") {
		t.Errorf("330000's upload of 320000's record is not rejected with its rule:\n%s", receipt.body)
	}
	// the Yangtze administration may report for Jiangsu's region, but not change Jiangsu's record
	s.addUser(accountUser("cj", "CJ0000"))
	receipt = s.signIn("cj").submit("d01.csv", csvBytes(header, [][]string{changed}), "shipping_operator")
	if !strings.Contains(receipt.body, `<span id="rejected">1</span>`) || !strings.Contains(receipt.body, "<td>REL-26</td>") {
		t.Errorf("CJ0000's upload of 320000's record is not rejected by REL-26:\n%s", receipt.body)
	}
	// API: a package in 320000's name
	api := s.bearer("zj")
	if resp := api.post("/api/v1/packages?name=320000_20261127_000009.zip", "application/zip", bytes.NewReader(emptyZip())); resp.code != http.StatusForbidden {
		t.Errorf("330000 submitting a package as 320000: %d, want 403", resp.code)
	}
	// viewers, auditors and the ministry's viewer write nothing
	for _, login := range []string{"zjv", "jsv", "viewer", "auditor"} {
		c := s.signIn(login)
		if resp := c.postForm("/entry/shipping_operator", form); resp.code != http.StatusForbidden {
			t.Errorf("%s manual entry: %d, want 403", login, resp.code)
		}
		if _, resp := c.upload("d01.csv", csvBytes(header, [][]string{changed}), "shipping_operator"); resp.code != http.StatusForbidden {
			t.Errorf("%s upload: %d, want 403", login, resp.code)
		}
		if resp := s.bearer(login).post("/api/v1/packages?name=320000_20261127_000009.zip", "application/zip", bytes.NewReader(emptyZip())); resp.code != http.StatusForbidden {
			t.Errorf("%s API package: %d, want 403", login, resp.code)
		}
	}
	if after := s.snapshot("shipping_operator"); after != before {
		t.Errorf("320000's records changed:\nbefore %s\nafter  %s", before, after)
	}
	// the owner can
	js := s.signIn("js")
	if resp := js.postForm("/entry/shipping_operator", form); resp.code != http.StatusSeeOther {
		t.Fatalf("320000 correcting its own record: %d %s", resp.code, resp.body)
	}
	if after := s.snapshot("shipping_operator"); !strings.Contains(after, "浙江改写的地址") {
		t.Error("the owner's correction is not stored")
	}
}

func emptyZip() []byte {
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	zw.Close()
	return b.Bytes()
}

// snapshot is every current record of a dataset, as text.
func (s *site) snapshot(dataset string) string {
	s.t.Helper()
	var b strings.Builder
	c := s.bearer("admin")
	resp := c.get("/api/v1/datasets/" + dataset + "/export?format=csv")
	if resp.code != 200 {
		s.t.Fatalf("snapshot: %d", resp.code)
	}
	b.WriteString(resp.body)
	return b.String()
}

// stateChanging lists every POST route of the site with a form that would
// change something if it were accepted.
var stateChanging = []string{"/login", "/logout", "/account/password", "/account/tokens", "/account/tokens/1/revoke",
	"/upload", "/upload/00000000000000000000000000000000/confirm", "/entry/shipping_operator", "/entry/shipping_operator/check", "/agencies/320000",
	"/admin/users", "/admin/users/1", "/progress/rules", "/progress/settings/expectations", "/progress/settings/milestones", "/api/v1/packages?name=320000_20261127_000001.zip", "/api/v1/validate?name=a.csv"}

// TestCrossOriginRefused: a POST from another origin is refused on every
// state-changing route, signed in or not, and changes nothing.
func TestCrossOriginRefused(t *testing.T) {
	s := newSite(t)
	s.addUser(accountUser("victim", "320000"))
	c := s.signIn("admin")
	form := url.Values{"login": {"mallory"}, "role": {"ministry_admin"}, "agency": {"000000"}, "name": {"x"}, "action": {"reset"},
		"department": {"hacked"}, "old": {testPassword}, "new": {"Hacked-2026-pw"}, "again": {"Hacked-2026-pw"}}
	for _, path := range stateChanging {
		for _, hdr := range []map[string]string{
			{"Origin": "http://evil.example", "Sec-Fetch-Site": "cross-site"},
			{"Origin": "http://evil.example"},
			{"Sec-Fetch-Site": "cross-site"},
		} {
			req, _ := http.NewRequest("POST", s.http.URL+path, strings.NewReader(form.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			for k, v := range hdr {
				req.Header.Set(k, v)
			}
			if resp := c.do(req); resp.code != http.StatusForbidden {
				t.Errorf("cross-origin POST %s %v: %d, want 403", path, hdr, resp.code)
			}
		}
	}
	if _, err := s.st.UserByLogin(context.Background(), "mallory"); err == nil {
		t.Error("a cross-origin POST created a user")
	}
	if p, _ := s.st.Profile(context.Background(), "320000"); p.Department == "hacked" {
		t.Error("a cross-origin POST changed a profile")
	}
	if resp := c.get("/account"); resp.code != 200 {
		t.Errorf("the session did not survive: %d", resp.code)
	}
	// the same form from the site itself works
	req, _ := http.NewRequest("POST", s.http.URL+"/agencies/320000", strings.NewReader(url.Values{"department": {"综合规划处"}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", s.http.URL)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	if resp := c.do(req); resp.code != http.StatusSeeOther {
		t.Errorf("same-origin POST: %d", resp.code)
	}
}

// TestSessionFixation: an id planted before sign-in is never the session after it.
func TestSessionFixation(t *testing.T) {
	s := newSite(t)
	planted := "attacker-chosen-session-id"
	c := s.client()
	u, _ := url.Parse(s.http.URL)
	c.c.Jar.SetCookies(u, []*http.Cookie{{Name: sessionCookie, Value: planted, Path: "/"}})
	resp := c.postForm("/login", url.Values{"login": {"js"}, "password": {testPassword}})
	if resp.code != http.StatusSeeOther {
		t.Fatalf("sign in: %d", resp.code)
	}
	var got string
	for _, ck := range c.c.Jar.Cookies(u) {
		if ck.Name == sessionCookie {
			got = ck.Value
		}
	}
	if got == "" || got == planted {
		t.Fatalf("session cookie after sign-in = %q (planted %q)", got, planted)
	}
	attacker := s.client()
	attacker.c.Jar.SetCookies(u, []*http.Cookie{{Name: sessionCookie, Value: planted, Path: "/"}})
	if resp := attacker.get("/"); resp.code != http.StatusSeeOther || !strings.HasPrefix(resp.hdr.Get("Location"), "/login") {
		t.Errorf("the planted id opens a session: %d %s", resp.code, resp.hdr.Get("Location"))
	}
	// the cookie's flags
	resp = s.client().postForm("/login", url.Values{"login": {"js"}, "password": {testPassword}})
	sc := resp.hdr.Get("Set-Cookie")
	for _, flag := range []string{"HttpOnly", "SameSite=Lax", "Path=/"} {
		if !strings.Contains(sc, flag) {
			t.Errorf("session cookie lacks %s: %s", flag, sc)
		}
	}
	// sign-out ends the session on the server, not only in the browser
	old := got
	c.postForm("/logout", nil)
	replay := s.client()
	replay.c.Jar.SetCookies(u, []*http.Cookie{{Name: sessionCookie, Value: old, Path: "/"}})
	if resp := replay.get("/"); resp.code != http.StatusSeeOther {
		t.Errorf("a signed-out session still works: %d", resp.code)
	}
}

// TestLockout: after five wrong passwords even the right one is refused for a while.
func TestLockout(t *testing.T) {
	s := newSite(t)
	c := s.client()
	for i := range 5 {
		resp := c.postForm("/login", url.Values{"login": {"js"}, "password": {"wrong-password-1"}})
		if resp.code != http.StatusUnauthorized {
			t.Fatalf("attempt %d: %d", i+1, resp.code)
		}
	}
	resp := c.postForm("/login", url.Values{"login": {"js"}, "password": {testPassword}})
	if resp.code != http.StatusUnauthorized || !strings.Contains(resp.body, "锁定") {
		t.Errorf("right password while locked: %d, body says locked: %v", resp.code, strings.Contains(resp.body, "锁定"))
	}
	// an unknown login says the same as a wrong password
	unknown := c.postForm("/login", url.Values{"login": {"nobody"}, "password": {"x"}})
	wrong := c.postForm("/login", url.Values{"login": {"jsv"}, "password": {"x"}})
	if unknown.code != wrong.code || !strings.Contains(unknown.body, errSignIn.Error()) || !strings.Contains(wrong.body, errSignIn.Error()) {
		t.Error("an unknown login is told apart from a wrong password")
	}
	n := 0
	s.st.AuditEntries(context.Background(), storeFilter(audit.SignInFailed), func(audit.Entry) error { n++; return nil })
	if n != 8 {
		t.Errorf("failed sign-ins in the audit log: %d, want 8", n)
	}
}

// TestXSSRendersAsText: markup in uploaded cells is shown as text on every page it reaches.
func TestXSSRendersAsText(t *testing.T) {
	s := newSite(t)
	header, rows := s.genRows("320000", "shipping_operator", 3, 11)
	ds := s.std.Dataset("shipping_operator")
	payload := `<script>alert("x")</script><img src=x onerror=alert(1)>`
	rows[0][ds.FieldIndex("operator_name")] = "航运" + payload
	rows[0][ds.FieldIndex("reg_region_code")] = payload // a bad code: shown in the findings
	js := s.signIn("js")
	loc, resp := js.upload("d01.csv", csvBytes(header, rows), "shipping_operator")
	if resp.code != http.StatusSeeOther {
		t.Fatalf("upload: %d", resp.code)
	}
	result := js.get(loc)
	rows[0][ds.FieldIndex("reg_region_code")] = "320100"
	receipt := js.submit("d01.csv", csvBytes(header, rows), "shipping_operator")
	browse := js.get("/records/shipping_operator?q=" + url.QueryEscape("航运<script>"))
	for name, page := range map[string]response{"dry run": result, "receipt": receipt, "browse": browse} {
		if strings.Contains(page.body, "<script>alert") || strings.Contains(page.body, "<img src=x") {
			t.Errorf("%s renders the payload as markup", name)
		}
	}
	if !strings.Contains(result.body, "&lt;script&gt;") {
		t.Error("the dry run does not show the bad value at all")
	}
	if !strings.Contains(browse.body, "&lt;script&gt;") {
		t.Errorf("browse does not show the stored name as text:\n%s", browse.body)
	}
	if csp := browse.hdr.Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'self'") {
		t.Errorf("no script policy: %q", csp)
	}
}

// TestFormulaInjection: downloads neutralise cells a spreadsheet would run.
func TestFormulaInjection(t *testing.T) {
	s := newSite(t)
	header, rows := s.genRows("320000", "shipping_operator", 3, 13)
	ds := s.std.Dataset("shipping_operator")
	rows[0][ds.FieldIndex("address")] = `=HYPERLINK("http://evil.example","点我")`
	rows[1][ds.FieldIndex("address")] = "@SUM(1+1)*cmd|' /C calc'!A0"
	rows[2][ds.FieldIndex("address")] = "-2+3"
	js := s.signIn("js")
	if r := js.submit("d01.csv", csvBytes(header, rows), "shipping_operator"); !strings.Contains(r.body, "全部接收") {
		t.Fatalf("submit: %s", r.body)
	}
	csvBody := js.get("/records/shipping_operator/download?format=csv").body
	if !strings.HasPrefix(csvBody, "\ufeff") {
		t.Error("the CSV has no BOM")
	}
	for _, bad := range []string{`"=HYPERLINK`, ",=HYPERLINK", ",@SUM", ",-2+3"} {
		if strings.Contains(csvBody, bad) {
			t.Errorf("CSV holds a live formula: %s", bad)
		}
	}
	for _, good := range []string{`'=HYPERLINK`, `'@SUM`, `'-2+3`} {
		if !strings.Contains(csvBody, good) {
			t.Errorf("CSV lacks the neutralised %s", good)
		}
	}
	x := js.get("/records/shipping_operator/download?format=xlsx")
	f, err := excelize.OpenReader(strings.NewReader(x.body))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sheet := f.GetSheetList()[0]
	rowsX, _ := f.GetRows(sheet)
	found := 0
	for r := range rowsX {
		for c := range rowsX[r] {
			cell, _ := excelize.CoordinatesToCellName(c+1, r+1)
			if formula, _ := f.GetCellFormula(sheet, cell); formula != "" {
				t.Errorf("XLSX cell %s is a formula: %s", cell, formula)
			}
			if strings.HasPrefix(rowsX[r][c], "=HYPERLINK") {
				found++
				if typ, _ := f.GetCellType(sheet, cell); typ != excelize.CellTypeInlineString && typ != excelize.CellTypeSharedString {
					t.Errorf("XLSX cell %s has type %v, want a string", cell, typ)
				}
			}
		}
	}
	if found != 1 {
		t.Errorf("the address is %d times in the XLSX, want once (as text)", found)
	}
}
