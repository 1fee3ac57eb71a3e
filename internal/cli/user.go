package cli

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"shuiyun/internal/account"
	"shuiyun/internal/agency"
	"shuiyun/internal/audit"
	"shuiyun/internal/store"
	"shuiyun/internal/textwidth"
)

const userHelp = `
管理部级平台的用户（首个管理员、找回密码、系统对接用的 API 令牌）。

子命令：
  add --login 登录名 --name 姓名 --agency 单位代码 --role 角色 [--password-stdin]   新建用户
  passwd --login 登录名 [--password-stdin]   重设密码（同时解除锁定，结束该用户的全部会话）
  list                                       列出用户
  token --login 登录名 --name 令牌名称       创建 API 令牌（只显示这一次）
  disable --login 登录名                     停用用户（结束其全部会话，令牌随之失效）

角色（管理、审计、业务分离）：
  ministry_admin 部级管理员 · ministry_viewer 部级查询用户 · auditor 审计员（这三种属于单位 000000）
  agency_submitter 单位报送员 · agency_viewer 单位查询用户（属于省级交通运输主管部门或航务管理局）

不给 --password-stdin 时生成随机密码，只显示这一次，用户首次登录须修改。
--password-stdin 从标准输入读第一行作密码：至少 10 个字符，须含字母和数字。
每项修改都记入审计日志（操作人 cli）。

示例：
  shuiyun user add --data /srv/shuiyun --login admin --name 张三 --role ministry_admin
  printf '%s\n' "$PW" | shuiyun user add --login js01 --name 李四 --agency 320000 --role agency_submitter --password-stdin`

// userFlags are the flags of every user subcommand.
type userFlags struct {
	hub                       *hubFlags
	login, name, agency, role string
	passwordStdin             bool
}

func runUser(ctx context.Context, env *Env, args []string) error {
	sub := ""
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		sub, args = args[0], args[1:]
	}
	fs := newFlags(env, strings.TrimSpace("user "+sub), "<add|passwd|list|token|disable> [参数]", userHelp)
	uf := &userFlags{hub: addHubFlags(fs, env)}
	fs.StringVar(&uf.login, "login", "", "登录名（英文字母、数字和 . _ - @）")
	fs.StringVar(&uf.name, "name", "", "add：姓名（默认为登录名）；token：令牌名称，如对接的系统")
	fs.StringVar(&uf.agency, "agency", "", "单位代码（部级角色和审计员默认 000000）")
	fs.StringVar(&uf.role, "role", "", "角色：ministry_admin、ministry_viewer、auditor、agency_submitter、agency_viewer")
	fs.BoolVar(&uf.passwordStdin, "password-stdin", false, "从标准输入读密码；不给时生成随机密码")
	if err := uf.hub.parse(fs, env, args); err != nil {
		return err
	}
	run, found := map[string]func(context.Context, *Env, *store.Store, *userFlags) error{
		"add": userAdd, "passwd": userPasswd, "list": userList, "token": userToken, "disable": userDisable,
	}[sub]
	if !found {
		return usageErr("请给出子命令：add、passwd、list、token 或 disable（shuiyun user --help 查看用法）")
	}
	if sub != "list" && uf.login == "" {
		return usageErr("请用 --login 指定用户")
	}
	st, _, err := uf.hub.open(ctx, env)
	if err != nil {
		return err
	}
	defer st.Close()
	return run(ctx, env, st, uf)
}

func userAdd(ctx context.Context, env *Env, st *store.Store, uf *userFlags) error {
	role := account.Role(uf.role)
	if uf.agency == "" && role.Valid() && !role.Ministry() && role != account.Auditor {
		return usageErr("%s须用 --agency 指定所属单位", role.Label())
	}
	if uf.agency == "" {
		uf.agency = agency.Ministry
	}
	if uf.name == "" {
		uf.name = uf.login
	}
	if err := account.CheckLogin(uf.login); err != nil {
		return usageErr("%v", err)
	}
	if err := account.CheckRoleAgency(role, uf.agency); err != nil {
		return usageErr("%v", err)
	}
	pw, generated, err := newPassword(env, uf.passwordStdin)
	if err != nil {
		return err
	}
	hash, err := account.HashPassword(pw)
	if err != nil {
		return err
	}
	u := &account.User{Login: uf.login, Name: uf.name, Agency: uf.agency, Role: role, PasswordHash: hash, MustChangePassword: generated}
	if _, err := st.CreateUser(ctx, u); errors.Is(err, store.ErrExists) {
		return &exitError{code: 1, err: fmt.Errorf("登录名 %s 已被使用", uf.login)}
	} else if err != nil {
		return err
	}
	if err := cliAudit(ctx, st, u.Login, fmt.Sprintf("新建用户 %s（%s，%s，%s）", u.Login, u.Name, role.Label(), agencyName(u.Agency))); err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "已新建用户 %s（%s，%s，%s）\n", u.Login, u.Name, role.Label(), agencyName(u.Agency))
	showPassword(env, pw, generated)
	return nil
}

func userPasswd(ctx context.Context, env *Env, st *store.Store, uf *userFlags) error {
	u, err := userOf(ctx, st, uf.login)
	if err != nil {
		return err
	}
	pw, generated, err := newPassword(env, uf.passwordStdin)
	if err != nil {
		return err
	}
	hash, err := account.HashPassword(pw)
	if err != nil {
		return err
	}
	if err := st.SetPassword(ctx, u.ID, hash, generated); err != nil {
		return err
	}
	if err := cliAudit(ctx, st, u.Login, "重设用户 "+u.Login+" 的密码"); err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "已重设用户 %s 的密码，其登录会话已全部结束\n", u.Login)
	showPassword(env, pw, generated)
	return nil
}

func userList(ctx context.Context, env *Env, st *store.Store, _ *userFlags) error {
	users, err := st.Users(ctx)
	if err != nil {
		return err
	}
	if len(users) == 0 {
		fmt.Fprintln(env.Stdout, "还没有用户：用 shuiyun user add 新建")
		return nil
	}
	rows := [][]string{{"登录名", "姓名", "角色", "单位", "状态"}}
	now := st.Now()
	for _, u := range users {
		rows = append(rows, []string{u.Login, u.Name, u.Role.Label(), u.Agency + " " + agencyName(u.Agency), userState(u, now)})
	}
	writeColumns(env.Stdout, rows)
	return nil
}

func userToken(ctx context.Context, env *Env, st *store.Store, uf *userFlags) error {
	if uf.name == "" {
		return usageErr("请用 --name 给令牌起个名称（如对接的系统），便于日后辨认和吊销")
	}
	u, err := userOf(ctx, st, uf.login)
	if err != nil {
		return err
	}
	secret, hash, err := account.NewSecret(account.TokenPrefix)
	if err != nil {
		return err
	}
	if _, err := st.CreateToken(ctx, u.ID, uf.name, hash); err != nil {
		return err
	}
	if err := cliAudit(ctx, st, u.Login, fmt.Sprintf("为用户 %s 创建 API 令牌“%s”", u.Login, uf.name)); err != nil {
		return err
	}
	fmt.Fprintf(env.Stderr, "已为用户 %s 创建 API 令牌“%s”。令牌只显示这一次，请妥善保存：\n", u.Login, uf.name)
	fmt.Fprintln(env.Stdout, secret)
	return nil
}

func userDisable(ctx context.Context, env *Env, st *store.Store, uf *userFlags) error {
	u, err := userOf(ctx, st, uf.login)
	if err != nil {
		return err
	}
	u.Disabled = true
	if err := st.UpdateUser(ctx, u); err != nil {
		return err
	}
	if err := st.DeleteSessions(ctx, u.ID); err != nil {
		return err
	}
	if err := cliAudit(ctx, st, u.Login, "停用用户 "+u.Login); err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "已停用用户 %s，其登录会话已全部结束\n", u.Login)
	return nil
}

func userOf(ctx context.Context, st *store.Store, login string) (*account.User, error) {
	u, err := st.UserByLogin(ctx, login)
	if errors.Is(err, store.ErrNotFound) {
		return nil, &exitError{code: 1, err: fmt.Errorf("没有登录名为 %s 的用户", login)}
	}
	return u, err
}

// newPassword reads a password from stdin, or makes one (generated: the user
// must change it).
func newPassword(env *Env, fromStdin bool) (pw string, generated bool, err error) {
	if !fromStdin {
		pw, err := account.NewPassword()
		return pw, true, err
	}
	line, err := bufio.NewReader(env.Stdin).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", false, usageErr("读标准输入：%v", err)
	}
	pw = strings.TrimRight(line, "\r\n")
	if err := account.CheckPolicy(pw); err != nil {
		return "", false, usageErr("%v", err)
	}
	return pw, false, nil
}

func showPassword(env *Env, pw string, generated bool) {
	if generated {
		fmt.Fprintf(env.Stdout, "初始密码（只显示这一次，首次登录须修改）：%s\n", pw)
	}
}

// cliAudit records an administrative change made from the command line.
func cliAudit(ctx context.Context, st *store.Store, login, detail string) error {
	_, err := st.AppendAudit(ctx, audit.Entry{Login: "cli", Agency: agency.Ministry, Action: audit.Admin, Target: "user:" + login, Detail: detail})
	if err != nil {
		return fmt.Errorf("记入审计日志：%w", err)
	}
	return nil
}

func userState(u *account.User, now time.Time) string {
	var states []string
	if u.Disabled {
		states = append(states, "已停用")
	}
	if u.Locked(now) {
		states = append(states, "锁定至 "+u.LockedUntil.In(beijing()).Format("2006-01-02 15:04"))
	}
	if u.MustChangePassword {
		states = append(states, "须修改密码")
	}
	if len(states) == 0 {
		return "正常"
	}
	return strings.Join(states, "，")
}

// writeColumns prints rows as aligned columns, Chinese counted two wide.
func writeColumns(w io.Writer, rows [][]string) {
	widths := make([]int, len(rows[0]))
	for _, r := range rows {
		for i, c := range r {
			widths[i] = max(widths[i], textwidth.Width(c))
		}
	}
	for _, r := range rows {
		var b strings.Builder
		for i, c := range r {
			if i == len(r)-1 {
				b.WriteString(c)
				break
			}
			b.WriteString(textwidth.PadRight(c, widths[i]+2))
		}
		fmt.Fprintln(w, b.String())
	}
}
