package cli

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"shuiyun/internal/exchange"
)

// TestPackIngestExport runs the hub's commands end to end: data files → pack
// → ingest (receipt in the outbox) → export, as an operator would.
func TestPackIngestExport(t *testing.T) {
	src, data, out := t.TempDir(), t.TempDir(), t.TempDir()
	if code, _, stderr := run(t, "gen", "--out", src, "--rows", "30", "--error-rate", "0", "--submitter", "320000",
		"--as-of", "2026-11-25", "--dataset", "shipping_operator,waterway_transport_license,vessel_operating_certificate"); code != 0 {
		t.Fatalf("gen: %d %s", code, stderr)
	}
	files := []string{filepath.Join(src, "shipping_operator.csv"), filepath.Join(src, "waterway_transport_license.csv"),
		filepath.Join(src, "vessel_operating_certificate.csv")}
	args := append([]string{"pack", "--sender", "320000", "--seq", "1", "--data-date", "2026-11-25", "--out", out}, files...)
	code, stdout, stderr := run(t, args...)
	if code != 0 || !strings.Contains(stdout, "320000_20261125_000001.zip") {
		t.Fatalf("pack: %d\n%s\n%s", code, stdout, stderr)
	}
	pkg := filepath.Join(out, "320000_20261125_000001.zip")
	code, stdout, stderr = run(t, "ingest", "--data", data, "--format", "json", pkg)
	if code != 0 {
		t.Fatalf("ingest: %d\n%s\n%s", code, stdout, stderr)
	}
	var rc exchange.Receipt
	if err := json.Unmarshal([]byte(strings.TrimSpace(stdout)), &rc); err != nil || rc.Status != exchange.Accepted {
		t.Fatalf("receipt %q: %v", stdout, err)
	}
	if _, err := os.Stat(filepath.Join(data, "exchange", "outbox", "320000", "320000_20261125_000001.zip.receipt.json")); err != nil {
		t.Errorf("receipt not in the outbox: %v", err)
	}
	if _, err := os.Stat(pkg); err != nil {
		t.Errorf("ingest of a file outside the inbox moved it: %v", err)
	}

	code, stdout, stderr = run(t, "export", "--data", data, "--dataset", "D03")
	if code != 0 {
		t.Fatalf("export: %d %s", code, stderr)
	}
	recs, err := csv.NewReader(strings.NewReader(stdout)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	sent, _ := csv.NewReader(bytes.NewReader(mustRead(t, files[2]))).ReadAll()
	if len(recs) != len(sent) || recs[0][0] != "cert_no" {
		t.Errorf("export: %d rows, header %v; sent %d rows", len(recs), recs[0][:3], len(sent))
	}
	xlsx := filepath.Join(t.TempDir(), "d03.xlsx")
	if code, _, stderr := run(t, "export", "--data", data, "--dataset", "vessel_operating_certificate", "--format", "xlsx", "--out", xlsx); code != 0 {
		t.Fatalf("export xlsx: %s", stderr)
	}
	f, err := excelize.OpenFile(xlsx)
	if err != nil {
		t.Fatal(err)
	}
	rows, _ := f.GetRows("vessel_operating_certificate")
	f.Close()
	if len(rows) != len(sent) {
		t.Errorf("xlsx export: %d rows, want %d", len(rows), len(sent))
	}
	// The workbook validates as it is: the export is a valid submission.
	if code, stdout, _ := run(t, "validate", "--as-of", "2026-11-25", "--ref", files[1], xlsx); code != 0 {
		t.Errorf("the exported workbook does not validate:\n%s", stdout)
	}
	if code, stdout, _ := run(t, "migrate", "--data", data); code != 0 || !strings.Contains(stdout, "sqlite") {
		t.Errorf("migrate: %d %s", code, stdout)
	}
}

// TestPackRefusesErrors: error rows stop the pack unless told what to do with them.
func TestPackRefusesErrors(t *testing.T) {
	src, out := t.TempDir(), t.TempDir()
	run(t, "gen", "--out", src, "--rows", "40", "--error-rate", "0.3", "--submitter", "320000", "--as-of", "2026-11-25",
		"--dataset", "shipping_operator")
	file := filepath.Join(src, "shipping_operator.csv")
	base := []string{"pack", "--sender", "320000", "--seq", "2", "--data-date", "2026-11-25", "--out", out}
	if code, _, stderr := run(t, append(base, file)...); code != 1 || !strings.Contains(stderr, "--skip-errors") {
		t.Fatalf("pack with errors: exit %d\n%s", code, stderr)
	}
	if _, err := os.Stat(filepath.Join(out, "320000_20261125_000002.zip")); err == nil {
		t.Fatal("a package was written although the data had errors")
	}
	code, stdout, stderr := run(t, append(append(base, "--skip-errors"), file)...)
	if code != 0 || !strings.Contains(stdout, "已剔除") {
		t.Fatalf("--skip-errors: %d\n%s\n%s", code, stdout, stderr)
	}
	data := t.TempDir()
	code, stdout, _ = run(t, "ingest", "--data", data, filepath.Join(out, "320000_20261125_000002.zip"))
	if code != 0 || !strings.Contains(stdout, "全部接收") {
		t.Errorf("a package of the good rows only: exit %d\n%s", code, stdout)
	}
	if code, _, stderr := run(t, "pack", "--sender", "999999", "--seq", "1", file); code != 2 || !strings.Contains(stderr, "--sender") {
		t.Errorf("bad sender: exit %d %s", code, stderr)
	}
}

// TestIngestExitStatus: a rejected package makes ingest exit 1, with the reason printed.
func TestIngestExitStatus(t *testing.T) {
	data := t.TempDir()
	bad := filepath.Join(t.TempDir(), "320000_20261125_000001.zip")
	os.WriteFile(bad, []byte("not a zip"), 0o644)
	code, stdout, _ := run(t, "ingest", "--data", data, bad)
	if code != 1 || !strings.Contains(stdout, "ZIP-UNREADABLE") {
		t.Errorf("exit %d\n%s", code, stdout)
	}
	if code, _, stderr := run(t, "ingest", "--data", data, filepath.Join(t.TempDir(), "whatever.zip")); code != 2 || stderr == "" {
		t.Errorf("a file named without a sender: exit %d %s", code, stderr)
	}
}

func mustRead(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestConfigFile: settings come from flags, then SHUIYUN_* variables, then the config file.
func TestConfigFile(t *testing.T) {
	dir := t.TempDir()
	fromFile, fromFlag := filepath.Join(dir, "file-data"), filepath.Join(dir, "flag-data")
	cfg := filepath.Join(dir, "shuiyun.yaml")
	os.WriteFile(cfg, []byte("data: "+fromFile+"\naddr: 127.0.0.1:9999\n"), 0o644)
	if code, _, stderr := run(t, "migrate", "--config", cfg); code != 0 {
		t.Fatalf("migrate --config: %d %s", code, stderr)
	}
	if _, err := os.Stat(filepath.Join(fromFile, "shuiyun.db")); err != nil {
		t.Errorf("the config file's data folder was not used: %v", err)
	}
	if code, _, _ := run(t, "migrate", "--config", cfg, "--data", fromFlag); code != 0 {
		t.Fatal("migrate with a flag")
	}
	if _, err := os.Stat(filepath.Join(fromFlag, "shuiyun.db")); err != nil {
		t.Errorf("the flag did not win over the config file: %v", err)
	}
	os.WriteFile(cfg, []byte("dta: x\n"), 0o644)
	if code, _, stderr := run(t, "migrate", "--config", cfg); code != 2 || !strings.Contains(stderr, "dta") {
		t.Errorf("an unknown setting: exit %d %s", code, stderr)
	}
}

// signalWriter collects output and says when a line containing want was written.
type signalWriter struct {
	mu   sync.Mutex
	buf  bytes.Buffer
	want string
	seen chan struct{}
	once sync.Once
}

func (w *signalWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.buf.Write(p)
	if strings.Contains(w.buf.String(), w.want) {
		w.once.Do(func() { close(w.seen) })
	}
	return len(p), nil
}

// TestServeDemo runs the README's first command: the demo's receipts, gaps
// and history are printed, then the hub serves until stopped.
func TestServeDemo(t *testing.T) {
	out := &signalWriter{want: "平台已启动", seen: make(chan struct{})}
	var errOut bytes.Buffer
	env := &Env{Stdin: strings.NewReader(""), Stdout: out, Stderr: &errOut, Getenv: func(string) string { return "" }}
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan int, 1)
	go func() {
		done <- Main(ctx, []string{"serve", "--demo", "--data", t.TempDir(), "--addr", "127.0.0.1:0"}, env)
	}()
	select {
	case <-out.seen:
	case code := <-done:
		t.Fatalf("serve --demo ended with %d:\n%s\n%s", code, out.buf.String(), errOut.String())
	case <-time.After(2 * time.Minute):
		t.Fatal("the demo did not start within 2 minutes")
	}
	cancel()
	if code := <-done; code != 0 {
		t.Errorf("exit %d after Ctrl-C", code)
	}
	text := out.buf.String()
	for _, want := range []string{"重复投递", "部分接收", "尚缺序号 [2]", "CJ0000 长江航务管理局      缺号：[2]", "仅历史（迟到的旧序号）", "REL-26"} {
		if !strings.Contains(text, want) {
			t.Errorf("the demo output lacks %q:\n%s", want, text)
		}
	}
}

// TestHelpHidesDatabaseURL: --help never prints SHUIYUN_DB, which may hold a password.
func TestHelpHidesDatabaseURL(t *testing.T) {
	var out bytes.Buffer
	env := &Env{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &out,
		Getenv: func(k string) string {
			if k == "SHUIYUN_DB" {
				return "postgres://hub:s3cret@db/shuiyun"
			}
			return ""
		}}
	Main(t.Context(), []string{"ingest", "--help"}, env)
	if strings.Contains(out.String(), "s3cret") {
		t.Errorf("--help shows the database password:\n%s", out.String())
	}
}
