package cli

import (
	"bytes"
	"context"
	"database/sql"
	"path/filepath"
	"strings"
	"testing"

	"shuiyun/internal/account"
	"shuiyun/internal/audit"
	"shuiyun/internal/standard"
	"shuiyun/internal/store"
)

// runStdin is run with text on standard input.
func runStdin(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	env := &Env{Stdin: strings.NewReader(stdin), Stdout: &out, Stderr: &errOut, Getenv: func(string) string { return "" }}
	code := Main(context.Background(), args, env)
	return code, out.String(), errOut.String()
}

// TestUserCommands bootstraps users as an operator would, then checks what
// the store and the audit log hold.
func TestUserCommands(t *testing.T) {
	defer account.UseTestCost()()
	data := t.TempDir()
	steps := []struct {
		name   string
		stdin  string
		args   []string
		code   int
		stdout string // part of the output
		stderr string
	}{
		{"add admin, generated password", "", []string{"user", "add", "--login", "admin", "--name", "张三", "--role", "ministry_admin"}, 0, "初始密码", ""},
		{"add submitter", "Secret12345\n", []string{"user", "add", "--login", "js01", "--name", "李四", "--agency", "320000",
			"--role", "agency_submitter", "--password-stdin"}, 0, "江苏省交通运输厅", ""},
		{"duplicate login", "", []string{"user", "add", "--login", "admin", "--role", "auditor"}, 1, "", "已被使用"},
		{"weak password", "short1\n", []string{"user", "add", "--login", "x1", "--role", "auditor", "--password-stdin"}, 2, "", "至少 10 个字符"},
		{"role at the wrong agency", "", []string{"user", "add", "--login", "x2", "--role", "auditor", "--agency", "320000"}, 2, "", "只能属于交通运输部"},
		{"agency role without agency", "", []string{"user", "add", "--login", "x3", "--role", "agency_viewer"}, 2, "", "--agency"},
		{"unknown role", "", []string{"user", "add", "--login", "x4", "--role", "root"}, 2, "", "未知的角色"},
		{"bad login", "", []string{"user", "add", "--login", "张三", "--role", "auditor"}, 2, "", "登录名"},
		{"token", "", []string{"user", "token", "--login", "js01", "--name", "报送系统"}, 0, account.TokenPrefix, "只显示这一次"},
		{"token of nobody", "", []string{"user", "token", "--login", "nobody", "--name", "x"}, 1, "", "没有登录名为 nobody"},
		{"passwd", "NewSecret678\n", []string{"user", "passwd", "--login", "admin", "--password-stdin"}, 0, "已重设", ""},
		{"disable", "", []string{"user", "disable", "--login", "js01"}, 0, "已停用", ""},
		{"list", "", []string{"user", "list"}, 0, "js01    李四  单位报送员  320000 江苏省交通运输厅  已停用", ""},
		{"no subcommand", "", []string{"user"}, 2, "", "子命令"},
		{"verify", "", []string{"audit", "verify"}, 0, "审计日志完整：共 5 条", ""},
	}
	outputs := map[string]string{}
	for _, s := range steps {
		code, stdout, stderr := runStdin(t, s.stdin, append(s.args, "--data", data)...)
		if code != s.code || !strings.Contains(stdout, s.stdout) || !strings.Contains(stderr, s.stderr) {
			t.Errorf("%s: exit %d, want %d\nstdout: %s\nstderr: %s", s.name, code, s.code, stdout, stderr)
		}
		outputs[s.name] = stdout
	}

	std, err := standard.Default()
	if err != nil {
		t.Fatal(err)
	}
	st, err := store.Open(context.Background(), store.Config{Data: data}, std)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ctx := context.Background()
	admin, err := st.UserByLogin(ctx, "admin")
	if err != nil || admin.Role != account.MinistryAdmin || admin.Agency != "000000" || admin.MustChangePassword {
		t.Fatalf("admin: %+v %v", admin, err)
	}
	if !account.CheckPassword(admin.PasswordHash, "NewSecret678") {
		t.Error("passwd did not set the password read from stdin")
	}
	generated := strings.TrimSpace(outputs["add admin, generated password"][strings.LastIndex(outputs["add admin, generated password"], "：")+len("："):])
	if account.CheckPolicy(generated) != nil {
		t.Errorf("generated password %q", generated)
	}
	js, _ := st.UserByLogin(ctx, "js01")
	if !js.Disabled || !account.CheckPassword(js.PasswordHash, "Secret12345") {
		t.Errorf("js01: %+v", js)
	}
	if _, err := st.TokenUser(ctx, account.HashSecret(strings.TrimSpace(outputs["token"])), st.Now()); err == nil {
		t.Error("the token of a disabled user works")
	}
	var details []string
	st.AuditEntries(ctx, store.AuditFilter{}, func(e audit.Entry) error {
		if e.Login != "cli" || e.Action != audit.Admin {
			t.Errorf("audit entry %+v", e)
		}
		details = append(details, e.Detail)
		return nil
	})
	if len(details) != 5 || !strings.Contains(details[2], "API 令牌") {
		t.Errorf("audit details %q", details)
	}
}

// TestAuditVerifyTampered: a log changed behind the store's back exits 1 and says where.
func TestAuditVerifyTampered(t *testing.T) {
	defer account.UseTestCost()()
	data := t.TempDir()
	for _, login := range []string{"a1", "a2", "a3"} {
		if code, _, stderr := run(t, "user", "add", "--data", data, "--login", login, "--role", "auditor"); code != 0 {
			t.Fatalf("add %s: %s", login, stderr)
		}
	}
	// The store has no way to change the log: go under it.
	db, err := sql.Open("sqlite", "file:"+filepath.Join(data, "shuiyun.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec("UPDATE audit_log SET detail = '无事' WHERE seq = 2"); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr := run(t, "audit", "verify", "--data", data)
	if code != 1 || !strings.Contains(stdout, "第 2 条：记录内容与其哈希不符") || !strings.Contains(stderr, "1 处问题") {
		t.Errorf("verify of a tampered log: exit %d\nstdout: %s\nstderr: %s", code, stdout, stderr)
	}
	if code, _, _ := run(t, "audit", "check", "--data", data); code != 2 {
		t.Errorf("unknown subcommand: exit %d", code)
	}
}
