package web

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"shuiyun/internal/gen"
	"shuiyun/internal/standard"
	"shuiyun/internal/store"
	"shuiyun/internal/validate"
)

// genRows returns the header and clean rows gen makes for an agency's dataset.
func (s *site) genRows(agencyCode, dataset string, rows int, seed uint64) ([]string, [][]string) {
	s.t.Helper()
	dir := s.t.TempDir()
	_, err := gen.Generate(s.std, gen.Options{Seed: seed, Rows: rows, AsOf: validate.Today(), Datasets: []string{dataset},
		Format: "csv", Encoding: "UTF-8", Header: "id", Submitter: agencyCode, Dir: dir})
	if err != nil {
		s.t.Fatal(err)
	}
	f, err := os.Open(filepath.Join(dir, dataset+".csv"))
	if err != nil {
		s.t.Fatal(err)
	}
	defer f.Close()
	all, err := csv.NewReader(f).ReadAll()
	if err != nil {
		s.t.Fatal(err)
	}
	all[0][0] = strings.TrimPrefix(all[0][0], "\ufeff")
	return all[0], all[1:]
}

func csvBytes(header []string, rows [][]string) []byte {
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	w.Write(header)
	w.WriteAll(rows)
	return b.Bytes()
}

// upload posts a file to the dry run and returns the upload's page path.
func (c *client) upload(name string, content []byte, dataset string) (string, response) {
	c.s.t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, _ := mw.CreateFormFile("file", name)
	fw.Write(content)
	mw.WriteField("dataset", dataset)
	mw.WriteField("mode", "incremental")
	mw.Close()
	resp := c.post("/upload", mw.FormDataContentType(), &body)
	return resp.hdr.Get("Location"), resp
}

// submit uploads and confirms a file, returning the receipt page.
func (c *client) submit(name string, content []byte, dataset string) response {
	c.s.t.Helper()
	loc, resp := c.upload(name, content, dataset)
	if resp.code != http.StatusSeeOther {
		c.s.t.Fatalf("upload %s: %d %s", name, resp.code, resp.body)
	}
	conf := c.postForm(loc+"/confirm", nil)
	if conf.code != http.StatusSeeOther || !strings.HasPrefix(conf.hdr.Get("Location"), "/receipts/") {
		c.s.t.Fatalf("confirm %s: %d %s %s", name, conf.code, conf.hdr.Get("Location"), conf.body)
	}
	return c.get(conf.hdr.Get("Location"))
}

// secrets are the values of 320000's records that other agencies must never see.
func (s *site) secrets(dataset string) []string {
	s.t.Helper()
	ds := s.std.Dataset(dataset)
	var out []string
	err := s.st.Records(context.Background(), dataset, time.Time{}, func(v *store.Version) error {
		for i, f := range ds.Fields {
			val := v.Values[i]
			if val == "" || len([]rune(val)) < 4 {
				continue
			}
			if f.Sharing == standard.NotShared || f.Sharing == standard.SharedOwner || (f.ID == standard.IDUSCCOrCitizen || f.ID == standard.IDCitizen) && isCitizen(val) {
				out = append(out, val)
			}
		}
		return nil
	})
	if err != nil {
		s.t.Fatal(err)
	}
	if len(out) == 0 {
		s.t.Fatalf("no unshared values in %s: the test would prove nothing", dataset)
	}
	return out
}

func isCitizen(v string) bool { return personalKey(v) }

func leaks(body string, secrets []string) []string {
	var out []string
	for _, sec := range secrets {
		if strings.Contains(body, sec) || strings.Contains(body, url.QueryEscape(sec)) {
			out = append(out, sec)
		}
	}
	return out
}

func xlsxText(t *testing.T, data []byte) string {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var b strings.Builder
	for _, sheet := range f.GetSheetList() {
		rows, err := f.GetRows(sheet)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range rows {
			b.WriteString(strings.Join(r, "\t") + "\n")
		}
	}
	return b.String()
}

// TestCrossAgencyReads: an agency reads another agency's records only in
// their shared fields, personal data masked, through every route.
func TestCrossAgencyReads(t *testing.T) {
	s := newSite(t)
	s.seed("320000", 60, "shipping_operator")
	secrets := s.secrets("shipping_operator")
	zjv, api := s.signIn("zjv"), s.bearer("zjv")
	jsv := s.signIn("jsv")
	browse := zjv.get("/records/shipping_operator?owner=320000&limit=1000")
	if browse.code != 200 {
		t.Fatalf("browse: %d", browse.code)
	}
	// every record page the browse page links to
	pages := map[string]response{"browse": browse}
	for _, href := range links(browse.body, "/records/shipping_operator/record?") {
		pages[href] = zjv.get(href)
		if pages[href].code != 200 {
			t.Errorf("%s: %d", href, pages[href].code)
		}
	}
	if len(pages) < 2 {
		t.Fatal("browse page links no record")
	}
	pages["csv"] = zjv.get("/records/shipping_operator/download?owner=320000&format=csv")
	x := zjv.get("/records/shipping_operator/download?owner=320000&format=xlsx")
	pages["xlsx"] = response{code: x.code, body: xlsxText(t, []byte(x.body))}
	pages["api records"] = api.get("/api/v1/datasets/shipping_operator/records?owner=320000&limit=1000")
	pages["api export"] = api.get("/api/v1/datasets/shipping_operator/export?owner=320000")
	for _, ref := range apiRefs(pages["api records"].body) {
		pages["api history "+ref] = api.get("/api/v1/datasets/shipping_operator/history?" + ref)
	}
	for name, p := range pages {
		if p.code != 200 {
			t.Errorf("%s: status %d", name, p.code)
		}
		if l := leaks(p.body, secrets); len(l) > 0 {
			t.Errorf("%s shows 320000's unshared data to 330000: %q", name, l)
		}
	}
	// the owner sees them
	own := jsv.get("/records/shipping_operator/download?owner=mine&format=csv")
	if l := leaks(own.body, secrets); len(l) != len(secrets) {
		t.Errorf("the owner's own download lacks %d of %d unshared values", len(secrets)-len(l), len(secrets))
	}
}

// links lists the hrefs in a page starting with prefix.
func links(body, prefix string) []string {
	var out []string
	for _, part := range strings.Split(body, `href="`)[1:] {
		href, _, _ := strings.Cut(part, `"`)
		href = strings.ReplaceAll(href, "&amp;", "&")
		if strings.HasPrefix(href, prefix) {
			out = append(out, href)
		}
	}
	return out
}

func apiRefs(body string) []string {
	var out []string
	for _, part := range strings.Split(body, `"ref":"`)[1:] {
		ref, _, _ := strings.Cut(part, `"`)
		out = append(out, strings.ReplaceAll(ref, `\u0026`, "&"))
	}
	return out
}

// TestGuessedIDs: guessing a key, a receipt id, an upload id or a token id
// of another agency or user shows nothing.
func TestGuessedIDs(t *testing.T) {
	s := newSite(t)
	s.seed("320000", 60, "shipping_operator")
	var personal string
	s.st.Records(context.Background(), "shipping_operator", time.Time{}, func(v *store.Version) error {
		if personalKey(v.Key) {
			personal = v.Key
		}
		return nil
	})
	if personal == "" {
		t.Fatal("seed has no individual operator: the test would prove nothing")
	}
	zj, zjAPI := s.signIn("zj"), s.bearer("zj")
	js := s.signIn("js")
	for _, tc := range []struct {
		c    *client
		path string
	}{
		{zj, "/records/shipping_operator/record?key=" + url.QueryEscape(personal)},
		{zjAPI, "/api/v1/datasets/shipping_operator/history?key=" + url.QueryEscape(personal)},
		{zj, "/records/shipping_operator/record?ref=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"},
		{zj, "/receipts/1"},
		{zj, "/receipts/1/errors.xlsx"},
		{zjAPI, "/api/v1/receipts/1"},
		{zj, "/entry/shipping_operator?key=" + url.QueryEscape(personal)},
	} {
		if resp := tc.c.get(tc.path); resp.code != http.StatusNotFound && resp.code != http.StatusForbidden {
			t.Errorf("GET %s by 330000: %d, want 404 or 403", tc.path, resp.code)
		}
	}
	if resp := js.get("/receipts/1"); resp.code != 200 {
		t.Errorf("the sender's own receipt: %d", resp.code)
	}
	// another user's upload, even of the same agency
	header, rows := s.genRows("320000", "shipping_operator", 3, 7)
	loc, _ := js.upload("d01.csv", csvBytes(header, rows), "shipping_operator")
	other := s.signIn("jsv")
	s.addUser(accountUser("js2", "320000"))
	js2 := s.signIn("js2")
	for _, c := range []*client{zj, js2} {
		if resp := c.get(loc); resp.code != http.StatusNotFound {
			t.Errorf("another user's upload %s: %d", loc, resp.code)
		}
		if resp := c.postForm(loc+"/confirm", nil); resp.code != http.StatusNotFound {
			t.Errorf("confirming another user's upload: %d", resp.code)
		}
	}
	if resp := other.get(loc); resp.code != http.StatusForbidden {
		t.Errorf("a viewer opening an upload: %d, want 403", resp.code)
	}
	// a token id of another user
	tokenID, _ := s.st.CreateToken(context.Background(), s.users["js"].ID, "x", "hash-of-nothing")
	if resp := zj.postForm(fmt.Sprintf("/account/tokens/%d/revoke", tokenID), nil); resp.code != http.StatusNotFound {
		t.Errorf("revoking another user's token: %d", resp.code)
	}
}
