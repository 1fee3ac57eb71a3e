package web

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"shuiyun/internal/exchange"
)

// TestOpenAPIMatchesRoutes: every path of the document answers (it is a
// route), and every /api/v1 route is in the document.
func TestOpenAPIMatchesRoutes(t *testing.T) {
	s := newSite(t)
	resp := s.client().get("/api/openapi.json")
	if resp.code != 200 {
		t.Fatalf("openapi.json: %d", resp.code)
	}
	var doc struct {
		OpenAPI string                                `json:"openapi"`
		Paths   map[string]map[string]json.RawMessage `json:"paths"`
	}
	if err := json.Unmarshal([]byte(resp.body), &doc); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(doc.OpenAPI, "3.") {
		t.Errorf("openapi version %q", doc.OpenAPI)
	}
	var documented []string
	for path, ops := range doc.Paths {
		for method := range ops {
			documented = append(documented, strings.ToUpper(method)+" "+path)
		}
	}
	// every documented operation is routed: without a token it asks for one (401), never 404/405
	for _, op := range documented {
		method, path, _ := strings.Cut(op, " ")
		path = strings.NewReplacer("{dataset}", "shipping_operator", "{id}", "1").Replace(path)
		req, _ := http.NewRequest(method, s.http.URL+path, nil)
		if r := s.client().do(req); r.code != http.StatusUnauthorized {
			t.Errorf("%s (documented): %d without a token, want 401", op, r.code)
		}
	}
	// every routed API operation is documented: the routes come from the same table,
	// and the mux holds no other /api/v1 route
	var routed []string
	for _, rt := range s.srv.apiTable() {
		routed = append(routed, rt.Method+" "+rt.Path)
	}
	slices.Sort(routed)
	slices.Sort(documented)
	if !slices.Equal(routed, documented) {
		t.Errorf("routes and document differ:\nrouted     %v\ndocumented %v", routed, documented)
	}
	for _, probe := range []string{"/api/v1/users", "/api/v1/audit", "/api/v1/datasets/shipping_operator/records/1"} {
		if r := s.bearer("admin").get(probe); r.code != http.StatusNotFound {
			t.Errorf("undocumented %s answers %d", probe, r.code)
		}
	}
}

func TestAPIFlow(t *testing.T) {
	s := newSite(t)
	api := s.bearer("js")
	header, rows := s.genRows("320000", "shipping_operator", 4, 21)
	// dry run
	resp := api.post("/api/v1/validate?name=shipping_operator.csv", "text/csv", bytes.NewReader(csvBytes(header, rows)))
	var rep struct {
		Valid   bool `json:"valid"`
		Summary struct {
			Rows int `json:"rows"`
		} `json:"summary"`
	}
	if resp.code != 200 || json.Unmarshal([]byte(resp.body), &rep) != nil || !rep.Valid || rep.Summary.Rows != len(rows) {
		t.Fatalf("validate: %d %s", resp.code, resp.body)
	}
	if strings.Contains(resp.body, s.data) {
		t.Error("the report shows the server's folders")
	}
	// a package built by the agency's own tools
	dir := t.TempDir()
	data := writeFile(t, filepath.Join(dir, "shipping_operator.csv"), string(csvBytes(header, rows)))
	pkg := filepath.Join(dir, "320000_20261127_000001.zip")
	if _, err := exchange.Build(pkg, exchange.Manifest{Sender: "320000", Sequence: 1, DataDate: "2026-11-26", Standard: "1.0", Mode: "incremental"},
		[]exchange.BuildFile{{Path: data, Dataset: "shipping_operator"}}); err != nil {
		t.Fatal(err)
	}
	body, _ := os.ReadFile(pkg)
	resp = api.post("/api/v1/packages?name=320000_20261127_000001.zip", "application/zip", bytes.NewReader(body))
	var receipt exchange.Receipt
	if resp.code != 200 || json.Unmarshal([]byte(resp.body), &receipt) != nil || receipt.Status != "accepted" || receipt.Rows.Accepted != len(rows) {
		t.Fatalf("submit: %d %s", resp.code, resp.body)
	}
	// the same bytes again: a duplicate
	resp = api.post("/api/v1/packages?name=320000_20261127_000001.zip", "application/zip", bytes.NewReader(body))
	if json.Unmarshal([]byte(resp.body), &receipt) != nil || receipt.Status != "duplicate" {
		t.Errorf("resubmit: %s", resp.body)
	}
	// receipts, records, history
	list := api.get("/api/v1/receipts")
	if !strings.Contains(list.body, "320000_20261127_000001.zip") {
		t.Errorf("receipts: %s", list.body)
	}
	recs := api.get("/api/v1/datasets/shipping_operator/records?owner=mine&limit=2")
	var page struct {
		Records []apiRecord `json:"records"`
		Next    string      `json:"next"`
	}
	if json.Unmarshal([]byte(recs.body), &page) != nil || len(page.Records) != 2 || page.Next == "" {
		t.Fatalf("records: %s", recs.body)
	}
	next := api.get("/api/v1/datasets/shipping_operator/records?owner=mine&limit=2&after=" + url.QueryEscape(page.Next))
	if !strings.Contains(next.body, `"records"`) || strings.Contains(next.body, page.Records[0].Ref) {
		t.Errorf("second page repeats the first: %s", next.body)
	}
	hist := api.get("/api/v1/datasets/shipping_operator/history?" + page.Records[0].Ref)
	if hist.code != 200 || !strings.Contains(hist.body, `"versions"`) {
		t.Errorf("history: %d %s", hist.code, hist.body)
	}
	// a revoked token stops working
	tokens, _ := s.st.Tokens(t.Context(), s.users["js"].ID)
	if err := s.st.RevokeToken(t.Context(), s.users["js"].ID, tokens[0].ID); err != nil {
		t.Fatal(err)
	}
	if r := api.get("/api/v1/receipts"); r.code != http.StatusUnauthorized {
		t.Errorf("revoked token: %d", r.code)
	}
	// cookies do not open the API
	if r := s.signIn("js").get("/api/v1/receipts"); r.code != http.StatusUnauthorized {
		t.Errorf("a session cookie opens the API: %d", r.code)
	}
}

// TestRoles: administration, audit and operation are kept apart.
func TestRoles(t *testing.T) {
	s := newSite(t)
	for _, tc := range []struct {
		login string
		path  string
		want  int
	}{
		{"auditor", "/records/shipping_operator", 403},
		{"auditor", "/receipts", 403},
		{"auditor", "/audit", 200},
		{"auditor", "/admin/users", 403},
		{"admin", "/audit", 403},
		{"admin", "/admin/users", 200},
		{"viewer", "/admin/users", 403},
		{"viewer", "/audit", 403},
		{"viewer", "/upload", 403},
		{"js", "/audit", 403},
		{"js", "/admin/users", 403},
		{"js", "/upload", 200},
		{"jsv", "/upload", 403},
		{"jsv", "/entry/shipping_operator", 403},
		{"js", "/entry/msa_vessel_registration", 403}, // reference data comes from maritime systems
	} {
		if got := s.signIn(tc.login).get(tc.path).code; got != tc.want {
			t.Errorf("%s GET %s: %d, want %d", tc.login, tc.path, got, tc.want)
		}
	}
	if r := s.bearer("auditor").get("/api/v1/datasets/shipping_operator/records"); r.code != http.StatusForbidden {
		t.Errorf("auditor reads records through the API: %d", r.code)
	}
}
