package web

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"shuiyun/internal/account"
	"shuiyun/internal/exchange"
	"shuiyun/internal/gen"
	"shuiyun/internal/ingest"
	"shuiyun/internal/standard"
	"shuiyun/internal/store"
	"shuiyun/internal/validate"
)

// site is a running hub with its web server, for tests.
type site struct {
	t     *testing.T
	srv   *Server
	http  *httptest.Server
	st    *store.Store
	std   *standard.Standard
	data  string
	users map[string]*account.User
	pw    map[string]string
}

const testPassword = "Shuiyun-test-2026"

var stdOnce = sync.OnceValues(standard.Default)

func loadStd(t testing.TB) *standard.Standard {
	std, err := stdOnce()
	if err != nil {
		t.Fatal(err)
	}
	return std
}

// newSite starts a store, a hub (its workers running) and the web server,
// with one user of every role.
func newSite(t *testing.T) *site {
	t.Helper()
	restore := account.UseTestCost()
	t.Cleanup(restore)
	std := loadStd(t)
	data := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	st, err := store.Open(ctx, store.Config{Data: data}, std)
	if err != nil {
		t.Fatal(err)
	}
	root := exchange.Root(filepath.Join(data, "exchange"))
	hub, err := ingest.New(ingest.Config{Root: root, Store: st, Standard: std, Worker: "test"})
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- hub.Run(ctx, time.Second) }()
	srv, err := New(Config{Store: st, Standard: std, Hub: hub, Root: root, Data: data, SubmitWait: time.Minute,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	s := &site{t: t, srv: srv, http: httptest.NewServer(srv.Handler()), st: st, std: std, data: data,
		users: map[string]*account.User{}, pw: map[string]string{}}
	t.Cleanup(func() {
		s.http.Close()
		cancel()
		<-done
		st.Close()
	})
	for _, u := range []account.User{
		{Login: "admin", Name: "管理员", Agency: "000000", Role: account.MinistryAdmin},
		{Login: "viewer", Name: "部级查询", Agency: "000000", Role: account.MinistryViewer},
		{Login: "auditor", Name: "审计员", Agency: "000000", Role: account.Auditor},
		{Login: "js", Name: "江苏报送员", Agency: "320000", Role: account.AgencySubmitter},
		{Login: "jsv", Name: "江苏查询", Agency: "320000", Role: account.AgencyViewer},
		{Login: "zj", Name: "浙江报送员", Agency: "330000", Role: account.AgencySubmitter},
		{Login: "zjv", Name: "浙江查询", Agency: "330000", Role: account.AgencyViewer},
	} {
		s.addUser(u)
	}
	return s
}

func (s *site) addUser(u account.User) {
	s.t.Helper()
	hash, err := account.HashPassword(testPassword)
	if err != nil {
		s.t.Fatal(err)
	}
	u.PasswordHash = hash
	id, err := s.st.CreateUser(context.Background(), &u)
	if err != nil {
		s.t.Fatal(err)
	}
	u.ID = id
	s.users[u.Login] = &u
	s.pw[u.Login] = testPassword
}

// seed submits generated clean data of an agency through the web's own pipeline.
func (s *site) seed(agencyCode string, rows int, datasets ...string) {
	s.t.Helper()
	dir := s.t.TempDir()
	res, err := gen.Generate(s.std, gen.Options{Seed: uint64(len(agencyCode) + rows), Rows: rows, AsOf: validate.Today(), Datasets: datasets,
		Format: "csv", Encoding: "UTF-8", Header: "id", Submitter: agencyCode, Dir: dir})
	if err != nil {
		s.t.Fatal(err)
	}
	var files []string
	for _, f := range res.Files {
		if !strings.HasSuffix(f, "answers.csv") {
			files = append(files, f)
		}
	}
	c := callerOf(&account.User{Login: "seed", Agency: agencyCode, Role: account.AgencySubmitter})
	sub, err := s.srv.submitFiles(context.Background(), c, files, "", "incremental")
	if err != nil {
		s.t.Fatal(err)
	}
	if sub.Delivery == nil || sub.Delivery.Status != "accepted" {
		s.t.Fatalf("seed %s: %+v", agencyCode, sub.Delivery)
	}
}

// client is a browser-like HTTP client: a cookie jar, redirects not followed.
type client struct {
	s   *site
	c   *http.Client
	hdr http.Header
}

func (s *site) client() *client {
	jar, _ := cookiejar.New(nil)
	return &client{s: s, hdr: http.Header{}, c: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}}
}

// signIn signs a user in and returns its client.
func (s *site) signIn(login string) *client {
	s.t.Helper()
	c := s.client()
	resp := c.postForm("/login", url.Values{"login": {login}, "password": {s.pw[login]}})
	if resp.code != http.StatusSeeOther {
		s.t.Fatalf("sign in %s: %d %s", login, resp.code, resp.body)
	}
	return c
}

// token makes an API token for a user.
func (s *site) token(login string) string {
	s.t.Helper()
	secret, hash, err := account.NewSecret(account.TokenPrefix)
	if err != nil {
		s.t.Fatal(err)
	}
	if _, err := s.st.CreateToken(context.Background(), s.users[login].ID, "test", hash); err != nil {
		s.t.Fatal(err)
	}
	return secret
}

type response struct {
	code int
	body string
	hdr  http.Header
}

func (c *client) do(req *http.Request) response {
	c.s.t.Helper()
	for k, v := range c.hdr {
		req.Header[k] = v
	}
	resp, err := c.c.Do(req)
	if err != nil {
		c.s.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return response{code: resp.StatusCode, body: string(b), hdr: resp.Header}
}

func (c *client) get(path string) response {
	req, _ := http.NewRequest("GET", c.s.http.URL+path, nil)
	return c.do(req)
}

func (c *client) postForm(path string, form url.Values) response {
	req, _ := http.NewRequest("POST", c.s.http.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return c.do(req)
}

func (c *client) post(path, contentType string, body io.Reader) response {
	req, _ := http.NewRequest("POST", c.s.http.URL+path, body)
	req.Header.Set("Content-Type", contentType)
	return c.do(req)
}

// bearer is a client of the API with a token.
func (s *site) bearer(login string) *client {
	c := s.client()
	c.hdr.Set("Authorization", "Bearer "+s.token(login))
	return c
}

func writeFile(t *testing.T, path, content string) string {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func accountUser(login, agencyCode string) account.User {
	return account.User{Login: login, Name: login, Agency: agencyCode, Role: account.AgencySubmitter}
}

func storeFilter(action string) store.AuditFilter { return store.AuditFilter{Action: action} }
