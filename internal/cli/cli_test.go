package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// run runs the command line as a user would and returns the exit status and outputs.
func run(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	env := &Env{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errOut, Getenv: func(string) string { return "" }}
	code := Main(context.Background(), args, env)
	return code, out.String(), errOut.String()
}

const cleanLicense = "license_no,operator_uscc,operator_name,operator_address,legal_rep,area_type,operating_area,cargo_scope,issuing_authority,issuing_authority_region,issue_date,valid_from,valid_to,status\n" +
	"苏XK001,91350100M000100Y43,江苏远东海运有限公司,南京市玄武区,张三,2,长江中下游,11|12,江苏省交通运输厅,320000,2023-01-01,2023-01-01,2027-12-31,1\n"

func writeTestFile(t *testing.T, dir, name, content string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestValidateExitCodes(t *testing.T) {
	dir := t.TempDir()
	clean := writeTestFile(t, dir, "waterway_transport_license.csv", cleanLicense)
	os.MkdirAll(filepath.Join(dir, "bad"), 0o755)
	bad := writeTestFile(t, dir, "bad/waterway_transport_license.csv", strings.Replace(cleanLicense, "91350100M000100Y43", "91350100M000100Y4Z", 1))
	tests := []struct {
		name   string
		args   []string
		code   int
		stderr string
	}{
		{"clean", []string{"validate", "--as-of", "2026-11-26", clean}, 0, ""},
		{"errors", []string{"validate", "--as-of", "2026-11-26", bad}, 1, ""},
		{"no file", []string{"validate"}, 2, "请给出要校验的文件"},
		{"missing file", []string{"validate", filepath.Join(dir, "nope.csv")}, 2, "nope.csv"},
		{"bad flag", []string{"validate", "--frobnicate", clean}, 2, "frobnicate"},
		{"bad format", []string{"validate", "--format", "xml", clean}, 2, "--format"},
		{"unknown dataset", []string{"validate", "--dataset", "D99", clean}, 2, "D99"},
		{"bad as-of", []string{"validate", "--as-of", "26/11/2026", clean}, 2, "--as-of"},
		{"bad submitter", []string{"validate", "--submitter", "329999", clean}, 2, "--submitter"},
		{"bad report ext", []string{"validate", "--report", filepath.Join(dir, "r.pdf"), clean}, 2, ".pdf"},
		{"xls", []string{"validate", writeTestFile(t, dir, "old.xls", "x")}, 2, ".xlsx"},
		{"help", []string{"validate", "--help"}, 0, "退出状态"},
		{"unknown command", []string{"frobnicate"}, 2, "未知命令"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, stderr := run(t, tt.args...)
			if code != tt.code {
				t.Errorf("exit status = %d, want %d (stderr: %s)", code, tt.code, stderr)
			}
			if !strings.Contains(stderr, tt.stderr) {
				t.Errorf("stderr = %q, want it to mention %q", stderr, tt.stderr)
			}
		})
	}
}

func TestValidateReports(t *testing.T) {
	dir := t.TempDir()
	bad := writeTestFile(t, dir, "waterway_transport_license.csv", strings.Replace(cleanLicense, "91350100M000100Y43", "91350100M000100Y4Z", 1))
	jsonPath, htmlPath, xlsxPath := filepath.Join(dir, "r.json"), filepath.Join(dir, "r.html"), filepath.Join(dir, "r.xlsx")
	code, stdout, stderr := run(t, "validate", "--format", "json", "--as-of", "2026-11-26",
		"--report", jsonPath, "--report", htmlPath, "--report", xlsxPath, bad)
	if code != 1 {
		t.Fatalf("exit status = %d, want 1 (stderr: %s)", code, stderr)
	}
	var rep struct {
		Valid bool `json:"valid"`
		Files []struct {
			Findings []struct {
				Row   int    `json:"row"`
				Field string `json:"field"`
				Rule  string `json:"rule"`
			} `json:"findings"`
		} `json:"files"`
	}
	if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
		t.Fatalf("stdout is not JSON: %v\n%s", err, stdout)
	}
	if rep.Valid || len(rep.Files) != 1 || len(rep.Files[0].Findings) != 1 {
		t.Fatalf("report = %+v, want one finding", rep)
	}
	if f := rep.Files[0].Findings[0]; f.Row != 2 || f.Field != "operator_uscc" || f.Rule != "ID-USCC" {
		t.Errorf("finding = %+v, want row 2 operator_uscc ID-USCC", f)
	}
	saved, _ := os.ReadFile(jsonPath)
	if !bytes.Equal(saved, []byte(stdout)) {
		t.Error("--report r.json differs from --format json output")
	}
	if html, _ := os.ReadFile(htmlPath); !strings.Contains(string(html), "ID-USCC") {
		t.Error("HTML report does not mention ID-USCC")
	}
	x, err := excelize.OpenFile(xlsxPath)
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	if len(x.GetSheetList()) < 2 {
		t.Errorf("annotated workbook sheets = %v, want a summary and the data", x.GetSheetList())
	}
}

func TestGenValidateDemo(t *testing.T) {
	dir := t.TempDir()
	if code, _, stderr := run(t, "gen", "--out", dir, "--rows", "200", "--error-rate", "0", "--as-of", "2026-11-26"); code != 0 {
		t.Fatalf("gen exit %d: %s", code, stderr)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*.csv"))
	var data []string
	for _, f := range files {
		if filepath.Base(f) != "answers.csv" {
			data = append(data, f)
		}
	}
	if len(data) != 12 {
		t.Fatalf("gen wrote %d data files, want 12", len(data))
	}
	args := append([]string{"validate", "--as-of", "2026-11-26"}, data...)
	if code, stdout, stderr := run(t, args...); code != 0 {
		t.Errorf("clean generated data: exit %d\n%s\n%s", code, stdout, stderr)
	}
	code, stdout, stderr := run(t, "demo", "--out", t.TempDir(), "--rows", "300")
	if code != 0 || !strings.Contains(stdout, "校验报告.html") {
		t.Errorf("demo: exit %d\n%s\n%s", code, stdout, stderr)
	}
}

func TestStandardCommands(t *testing.T) {
	dir := t.TempDir()
	tests := [][]string{
		{"standard"},
		{"standard", "json", "--out", filepath.Join(dir, "std.json")},
		{"standard", "schema", "--dataset", "D03", "--out", filepath.Join(dir, "d03.schema.json")},
		{"standard", "schema", "--out", filepath.Join(dir, "schemas")},
		{"standard", "template", "--dataset", "D08", "--out", filepath.Join(dir, "d08.xlsx")},
		{"standard", "docs", "--out", filepath.Join(dir, "std.html")},
		{"version"},
	}
	for _, args := range tests {
		if code, _, stderr := run(t, args...); code != 0 {
			t.Errorf("%v: exit %d: %s", args, code, stderr)
		}
	}
	if n, _ := filepath.Glob(filepath.Join(dir, "schemas", "*.json")); len(n) != 12 {
		t.Errorf("standard schema --out wrote %d files, want 12", len(n))
	}
	bad := writeTestFile(t, dir, "bad.yaml", "version: \"1.0\"\nfrobnicate: 1\n")
	if code, _, stderr := run(t, "standard", "check", bad); code != 1 || !strings.Contains(stderr, "bad.yaml") {
		t.Errorf("standard check of a bad file: exit %d, stderr %q", code, stderr)
	}
}
