// Package cli is the shuiyun command line: one subcommand per job, each with its
// own flag set and Chinese help, all running the same internal packages as the hub.
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
)

// Env is what a command may touch of the outside world, so tests can run the real commands.
type Env struct {
	Stdin          io.Reader
	Stdout, Stderr io.Writer
	// StderrTerminal says whether stderr is a terminal (progress bars are drawn only then).
	StderrTerminal bool
	Getenv         func(string) string
}

// Std returns the process's environment.
func Std() *Env {
	return &Env{Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr, StderrTerminal: isTerminal(os.Stderr), Getenv: os.Getenv}
}

// command is one subcommand.
type command struct {
	summary string
	run     func(ctx context.Context, env *Env, args []string) error
}

var commands = map[string]command{
	"validate": {"校验数据文件（统一数据校验工具）", runValidate},
	"gen":      {"生成带已知错误的模拟数据", runGen},
	"standard": {"查看、导出数据标准：目录、JSON、Table Schema、Excel 模板、HTML 文档", runStandard},
	"demo":     {"演示：生成模拟数据并校验，展示校验结果", runDemo},
	"version":  {"显示版本", runVersion},
	"migrate":  {"创建或升级数据库（内置 SQLite 或 PostgreSQL）", runMigrate},
	"ingest":   {"不启动服务，把交换包处理入库并写回执", runIngest},
	"export":   {"导出某数据集的当前（或某一时刻的）全部记录", runExport},
	"pack":     {"把数据文件校验后打成交换包", runPack},
	"serve":    {"运行部级平台：收件目录监视、入库、回执（--demo 演示）", runServe},
	"user":     {"管理平台用户：新建、重设密码、列出、API 令牌、停用", runUser},
	"audit":    {"校验审计日志的 SM3 哈希链是否完整", runAudit},
	"report":   {"进展情况通报、数据质量指标、规则分期及影响预览", runReport},
}

// Version is set at build time (-ldflags "-X shuiyun/internal/cli.Version=…").
var Version = "dev"

// exitError carries an exit status other than 1 (validate: 1 = errors found, 2 = could not run).
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string {
	if e.err == nil {
		return ""
	}
	return e.err.Error()
}
func (e *exitError) Unwrap() error { return e.err }

// usageErr is a bad flag or argument: exit 2.
func usageErr(format string, args ...any) error {
	return &exitError{code: 2, err: fmt.Errorf(format, args...)}
}

// Main runs the command line and returns the exit status.
func Main(ctx context.Context, args []string, env *Env) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		usage(env.Stdout)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	cmd, found := commands[args[0]]
	if !found {
		fmt.Fprintf(env.Stderr, "shuiyun: 未知命令 %q；运行 shuiyun help 查看命令列表\n", args[0])
		return 2
	}
	err := cmd.run(ctx, env, args[1:])
	return exitCode(env, args[0], err)
}

func exitCode(env *Env, name string, err error) int {
	if err == nil {
		return 0
	}
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	var ee *exitError
	if errors.As(err, &ee) {
		if ee.err != nil && ee.err.Error() != "" {
			fmt.Fprintf(env.Stderr, "shuiyun %s: %v\n", name, ee.err)
		}
		return ee.code
	}
	fmt.Fprintf(env.Stderr, "shuiyun %s: %v\n", name, err)
	return 2
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "shuiyun 水运政务数据共享 — 统一数据校验工具与部级数据平台")
	fmt.Fprintln(w, "\n用法: shuiyun <命令> [参数]\n\n命令:")
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-10s %s\n", n, commands[n].summary)
	}
	fmt.Fprintln(w, "\n运行 shuiyun <命令> --help 查看该命令的参数。")
}

// newFlags makes a command's flag set with a Chinese usage text.
func newFlags(env *Env, name, synopsis, help string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	fs.Usage = func() {
		fmt.Fprintf(env.Stderr, "用法: shuiyun %s %s\n\n%s\n\n参数:\n", name, synopsis, strings.TrimSpace(help))
		fs.PrintDefaults()
	}
	return fs
}

// parse parses flags; a bad flag is a usage error (exit 2), --help exits 0.
func parse(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return &exitError{code: 2}
	}
	return nil
}

// multi is a repeatable string flag.
type multi []string

func (m *multi) String() string     { return strings.Join(*m, ",") }
func (m *multi) Set(s string) error { *m = append(*m, s); return nil }

func runVersion(ctx context.Context, env *Env, args []string) error {
	fmt.Fprintln(env.Stdout, "shuiyun", Version)
	return nil
}
