package web

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

func TestPagesRender(t *testing.T) {
	s := newSite(t)
	s.seed("320000", 6, "shipping_operator", "waterway_transport_license", "vessel_operating_certificate")
	for _, login := range []string{"admin", "viewer", "js", "zjv", "auditor"} {
		c := s.signIn(login)
		for _, path := range []string{"/", "/records", "/records/shipping_operator", "/receipts", "/upload", "/entry",
			"/entry/shipping_operator", "/agencies", "/agencies/320000", "/standard", "/standard/datasets/vessel_operating_certificate",
			"/standard/codes", "/standard/rules", "/account", "/admin/users", "/audit"} {
			resp := c.get(path)
			if resp.code >= 500 || resp.code != http.StatusOK && resp.code != http.StatusForbidden {
				t.Errorf("%s GET %s: %d\n%s", login, path, resp.code, resp.body)
			}
			if resp.code == http.StatusOK && !strings.Contains(resp.body, "</html>") {
				t.Errorf("%s GET %s: not a whole page", login, path)
			}
		}
	}
}

func TestUploadRefusals(t *testing.T) {
	s := newSite(t)
	js := s.signIn("js")
	for _, tc := range []struct {
		name    string
		content string
		code    int
		says    string
	}{
		{"数据.xls", "\xd0\xcf\x11\xe0", http.StatusBadRequest, "另存为"},
		{"数据.pdf", "%PDF", http.StatusBadRequest, ".xlsx、.csv"},
		{"shipping_operator.csv", "\xff\xfe\x00garbage\x00\xff", http.StatusUnprocessableEntity, "shipping_operator.csv"},
	} {
		_, resp := js.upload(tc.name, []byte(tc.content), "")
		if resp.code != tc.code || !strings.Contains(resp.body, tc.says) {
			t.Errorf("upload %s: %d, want %d saying %q", tc.name, resp.code, tc.code, tc.says)
		}
	}
	s.srv.cfg.MaxUpload = 1024
	_, resp := js.upload("big.csv", []byte(strings.Repeat("x,y\n", 1000)), "")
	if resp.code != http.StatusRequestEntityTooLarge {
		t.Errorf("an upload over the limit: %d", resp.code)
	}
}

// TestEntryShowsFindings: manual entry checks with the engine's rules and
// shows each message beside its input; nothing is stored.
func TestEntryShowsFindings(t *testing.T) {
	s := newSite(t)
	js := s.signIn("js")
	header, rows := s.genRows("320000", "shipping_operator", 3, 31)
	form := url.Values{}
	for i, f := range header {
		form.Set(f, rows[0][i])
	}
	form.Set("operator_name", "")
	form.Set("reg_region_code", "999999")
	resp := js.postForm("/entry/shipping_operator", form)
	if resp.code != http.StatusUnprocessableEntity {
		t.Fatalf("entry with errors: %d", resp.code)
	}
	for _, rule := range []string{`data-rule="REQ"`, `data-rule="ID-REGION"`} {
		if !strings.Contains(resp.body, rule) {
			t.Errorf("the form does not show %s", rule)
		}
	}
	// the same checks while typing, as JSON
	check := js.postForm("/entry/shipping_operator/check", form)
	if check.code != 200 || !strings.Contains(check.body, `"reg_region_code":[`) || !strings.Contains(check.body, `"valid":false`) {
		t.Errorf("inline check: %d %s", check.code, check.body)
	}
	if n, _ := s.st.Count(t.Context(), "shipping_operator", ""); n != 0 {
		t.Errorf("%d records stored", n)
	}
}
