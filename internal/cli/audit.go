package cli

import (
	"context"
	"fmt"
	"strings"
)

const auditHelp = `
校验审计日志：逐条重算 SM3 哈希链，并与单独记下的链头比对，找出被修改、删除的记录和被删去的末尾。

子命令：
  verify    校验整条哈希链

退出码：0 完整；1 发现问题（逐条列出）；2 无法校验（如数据库打不开）。

示例：
  shuiyun audit verify --data /srv/shuiyun`

func runAudit(ctx context.Context, env *Env, args []string) error {
	sub := ""
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		sub, args = args[0], args[1:]
	}
	fs := newFlags(env, strings.TrimSpace("audit "+sub), "verify [参数]", auditHelp)
	hf := addHubFlags(fs, env)
	if err := hf.parse(fs, env, args); err != nil {
		return err
	}
	if sub != "verify" {
		return usageErr("请给出子命令 verify（shuiyun audit --help 查看用法）")
	}
	st, _, err := hf.open(ctx, env)
	if err != nil {
		return err
	}
	defer st.Close()
	problems, err := st.VerifyAudit(ctx)
	if err != nil {
		return &exitError{code: 2, err: err}
	}
	head, err := st.AuditHead(ctx)
	if err != nil {
		return &exitError{code: 2, err: err}
	}
	if len(problems) == 0 {
		fmt.Fprintf(env.Stdout, "审计日志完整：共 %d 条，链头 SM3 %s\n", head.Seq, head.Hash)
		return nil
	}
	for _, p := range problems {
		fmt.Fprintf(env.Stdout, "第 %d 条：%s\n", p.Seq, p.What)
	}
	return &exitError{code: 1, err: fmt.Errorf("审计日志有 %d 处问题：日志被改动过", len(problems))}
}
