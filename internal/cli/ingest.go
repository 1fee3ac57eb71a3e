package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"path/filepath"
	"time"

	"shuiyun/internal/exchange"
)

const ingestHelp = `
不启动服务，把交换包处理入库：校验、入库、在发送方的 outbox 写回执，并逐个打印回执。
不给文件时，处理各收件目录（inbox/<发送方>/）中等待的所有包和未完成的任务；
给出文件时，收件目录中的文件就地处理，其他位置的文件按包名中的发送方复制后处理（原文件不动）。

退出状态：0 所有包均已全部接收（accepted 或 duplicate）；1 有包被部分或全部拒收、暂停；2 无法运行。

示例：
  shuiyun ingest --data /srv/shuiyun
  shuiyun ingest --data /srv/shuiyun --format json 320000_20261125_000017.zip`

func runIngest(ctx context.Context, env *Env, args []string) error {
	fs := newFlags(env, "ingest", "[参数] [交换包...]", ingestHelp)
	hf := addHubFlags(fs, env)
	format := fs.String("format", "text", "回执输出格式：text 或 json（每行一个回执对象）")
	lease := fs.Duration("lease", time.Minute, "任务租约：进程中断后，其他进程多久后可接管它未完成的包")
	verbose := fs.Bool("v", false, "显示处理日志")
	cpuProfile := fs.String("cpuprofile", "", "把 CPU 性能剖析写入文件（供开发人员分析性能）")
	if err := hf.parse(fs, env, args); err != nil {
		return err
	}
	if *cpuProfile != "" {
		stop, err := startProfile(*cpuProfile)
		if err != nil {
			return &exitError{code: 2, err: err}
		}
		defer stop()
	}
	if *format != "text" && *format != "json" {
		return usageErr("--format 只能是 text 或 json，而不是 %q", *format)
	}
	st, std, err := hf.open(ctx, env)
	if err != nil {
		return err
	}
	defer st.Close()
	var receipts []exchange.Receipt
	hub, err := hf.hub(st, std, logger(env.Stderr, *verbose), *lease, func(r exchange.Receipt) {
		receipts = append(receipts, r)
		printReceipt(env.Stdout, *format, r)
	})
	if err != nil {
		return err
	}
	if err := hub.Recover(ctx); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		err = hub.AcceptWaiting(ctx)
	}
	for _, path := range fs.Args() {
		if err = hub.AcceptFile(ctx, path); err != nil {
			break
		}
	}
	if err != nil {
		return &exitError{code: 2, err: err}
	}
	if err := hub.Drain(ctx); err != nil {
		return &exitError{code: 2, err: err}
	}
	for _, r := range receipts {
		if r.Status != exchange.Accepted && r.Status != exchange.Duplicate {
			return &exitError{code: 1}
		}
	}
	return nil
}

var statusText = map[string]string{exchange.Accepted: "全部接收", exchange.Partial: "部分接收", exchange.Rejected: "拒收",
	exchange.Duplicate: "重复投递", exchange.Held: "暂停（待确认）"}

func printReceipt(w io.Writer, format string, r exchange.Receipt) {
	if format == "json" {
		b, _ := json.Marshal(r)
		fmt.Fprintf(w, "%s\n", b)
		return
	}
	fmt.Fprintf(w, "%s  %s  共 %d 行：接收 %d，拒收 %d，警告 %d", filepath.Base(r.Package), statusText[r.Status],
		r.Rows.Total, r.Rows.Accepted, r.Rows.Rejected, r.Rows.Warnings)
	if len(r.MissingSequences) > 0 {
		fmt.Fprintf(w, "；尚缺序号 %v", r.MissingSequences)
	}
	fmt.Fprintln(w)
	if r.Reason != nil {
		fmt.Fprintf(w, "    %s：%s\n", r.Reason.Code, r.Reason.Message)
	}
}
