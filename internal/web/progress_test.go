package web

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// TestProgressPages: the dashboards, a figure's explanation, the report and
// the rule preview, each for the roles that may see them.
func TestProgressPages(t *testing.T) {
	s := newSite(t)
	s.seed("320000", 6, "shipping_operator", "waterway_transport_license", "vessel_operating_certificate")
	ps := s.srv.cfg.Progress
	today := ps.Today()
	if _, err := ps.ComputeThrough(t.Context(), today); err != nil {
		t.Fatal(err)
	}
	day := today.String()
	zjv := s.signIn("zjv")
	for _, path := range []string{"/progress?day=" + day, "/progress/agencies/320000?day=" + day, "/progress/datasets/shipping_operator?day=" + day, "/progress/formulas"} {
		if r := zjv.get(path); r.code != 200 || !strings.Contains(r.body, "</html>") {
			t.Errorf("GET %s: %d", path, r.code)
		}
	}
	agencyPage := zjv.get("/progress/agencies/320000?day=" + day)
	if !strings.Contains(agencyPage.body, "<svg") {
		t.Error("the agency page has no trend chart")
	}
	explain := zjv.get("/progress/explain?agency=320000&dataset=shipping_operator&day=" + day + "&metric=live")
	if explain.code != 200 || len(links(explain.body, "/records/shipping_operator/record?")) == 0 {
		t.Errorf("explain of live records: %d, %d links", explain.code, len(links(explain.body, "/records/shipping_operator/record?")))
	}
	// reports
	html := zjv.get("/progress/report?period=month&to=" + day + "&format=html")
	if html.code != 200 || !strings.Contains(html.body, "江苏省交通运输厅") {
		t.Errorf("report page: %d", html.code)
	}
	x := zjv.get("/progress/report?period=month&to=" + day + "&format=xlsx")
	f, err := excelize.OpenReader(strings.NewReader(x.body))
	if err != nil {
		t.Fatalf("report workbook: %v", err)
	}
	if len(f.GetSheetList()) < 2 {
		t.Errorf("report sheets: %v", f.GetSheetList())
	}
	f.Close()
	// rule phases: the ministry's administrator only
	if r := zjv.get("/progress/rules"); r.code != http.StatusForbidden {
		t.Errorf("an agency viewer on the rule schedule: %d", r.code)
	}
	admin := s.signIn("admin")
	form := url.Values{"rule": {"REQ"}, "effective": {(today + 1).String()}, "enabled": {"1"}, "severity": {"error"}, "action": {"preview"}}
	if r := admin.postForm("/progress/rules", form); r.code != 200 || !strings.Contains(r.body, `id="newly"`) {
		t.Errorf("preview: %d", r.code)
	}
	form.Set("effective", day)
	if r := admin.postForm("/progress/rules", form); r.code != http.StatusBadRequest {
		t.Errorf("a rule change for a computed day: %d", r.code)
	}
	// expectations and milestones, set by the ministry
	if r := admin.postForm("/progress/settings/expectations", url.Values{"agency": {"320000"}, "dataset": {"shipping_operator"},
		"required": {"1"}, "frequency": {"weekly"}, "due_hour": {"12"}, "expected_count": {"100"}}); r.code != http.StatusSeeOther {
		t.Fatalf("set expectation: %d %s", r.code, r.body)
	}
	exp, _ := ps.Expectations(t.Context())
	if e := exp["320000"]["shipping_operator"]; e.Frequency != "weekly" || e.DueMinute != 720 || e.ExpectedCount != 100 {
		t.Errorf("stored expectation: %+v", e)
	}
	if r := admin.postForm("/progress/settings/milestones", url.Values{"name": {"许可数据报齐"}, "due": {"2027-06-30"}, "datasets": {"shipping_operator", "waterway_transport_license"}}); r.code != http.StatusSeeOther {
		t.Fatalf("add milestone: %d %s", r.code, r.body)
	}
	if page := admin.get("/progress/settings"); !strings.Contains(page.body, "许可数据报齐") {
		t.Error("the milestone is not listed")
	}
	if r := zjv.postForm("/progress/settings/expectations", url.Values{"agency": {"all"}}); r.code != http.StatusForbidden {
		t.Errorf("an agency setting expectations: %d", r.code)
	}
	if r := s.signIn("auditor").get("/progress"); r.code != http.StatusForbidden {
		t.Errorf("the auditor on the dashboards: %d", r.code)
	}
}
