package cli

import (
	"context"
	"fmt"
	"time"

	"shuiyun/internal/account"
	"shuiyun/internal/audit"
	"shuiyun/internal/store"
)

// bootstrapUsers creates the first administrator when there is no user at
// all, and prints how to sign in (the password only here, once). The demo
// also creates one user of each kind, so a newcomer can see every view.
func bootstrapUsers(ctx context.Context, env *Env, st *store.Store, demo bool) error {
	n, err := st.CountUsers(ctx)
	if err != nil || n > 0 {
		return err
	}
	users := []account.User{{Login: "admin", Name: "系统管理员", Agency: "000000", Role: account.MinistryAdmin, MustChangePassword: !demo}}
	if demo {
		users = append(users,
			account.User{Login: "viewer", Name: "部级查询", Agency: "000000", Role: account.MinistryViewer},
			account.User{Login: "auditor", Name: "审计员", Agency: "000000", Role: account.Auditor},
			account.User{Login: "jiangsu", Name: "江苏报送员", Agency: "320000", Role: account.AgencySubmitter},
			account.User{Login: "zhejiang", Name: "浙江查询", Agency: "330000", Role: account.AgencyViewer},
		)
	}
	if demo {
		fmt.Fprintln(env.Stdout, "演示用户（密码只显示这一次）：")
	} else {
		fmt.Fprintln(env.Stdout, "首次启动，已创建系统管理员（密码只显示这一次，登录后须修改）：")
	}
	for _, u := range users {
		pw, err := account.NewPassword()
		if err != nil {
			return err
		}
		if u.PasswordHash, err = account.HashPassword(pw); err != nil {
			return err
		}
		if _, err := st.CreateUser(ctx, &u); err != nil {
			return fmt.Errorf("create user %s: %w", u.Login, err)
		}
		if _, err := st.AppendAudit(ctx, audit.Entry{At: time.Now(), Login: "serve", Agency: "000000", Action: audit.Admin,
			Target: u.Login, Detail: "首次启动创建用户：" + u.Role.Label()}); err != nil {
			return err
		}
		fmt.Fprintf(env.Stdout, "  %-9s 密码 %s  （%s，%s）\n", u.Login, pw, agencyName(u.Agency), u.Role.Label())
	}
	fmt.Fprintln(env.Stdout, "以后用 shuiyun user add 增加用户。")
	return nil
}
