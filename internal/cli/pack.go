package cli

import (
	"context"
	"fmt"
	"time"

	"shuiyun/internal/pack"
	"shuiyun/internal/report"
	"shuiyun/internal/standard"
	"shuiyun/internal/validate"
)

const packHelp = `
把数据文件（CSV、XLSX、JSONL，任意编码和表头写法）校验后打成交换包 <发送方>_<yyyymmdd>_<序号>.zip，
包内每个数据集一个 UTF-8 CSV（表头为字段名、值为规范写法），附清单 manifest.json 及 SHA-256 和 SM3 摘要。

有错误行时默认不打包（退出状态 1），并给出校验摘要；--skip-errors 只打包无错误的行，--keep-errors 连同错误行一起打包
（部级平台会拒收这些行并在回执中说明）。

示例：
  shuiyun pack --sender 320000 --seq 17 --out outbox/ 许可证.xlsx 营运船舶.csv
  shuiyun pack --sender 320000 --seq 18 --mode full --skip-errors --report 校验结果.xlsx data/*.csv`

type packOptions struct {
	sender, mode, out, dataDate string
	seq                         int64
	allowShrink, skip, keep     bool
	reports                     multi
}

func runPack(ctx context.Context, env *Env, args []string) error {
	fs := newFlags(env, "pack", "[参数] 文件...", packHelp)
	var o packOptions
	fs.StringVar(&o.sender, "sender", "", "发送方代码（如 320000、CJ0000）")
	fs.Int64Var(&o.seq, "seq", 0, "包序号：每个发送方从 1 开始，每包加 1")
	fs.StringVar(&o.mode, "mode", "incremental", "incremental（增量，按 op_type 新增、修改、撤销）或 full（全量：未包含的本单位记录将被撤销）")
	fs.StringVar(&o.dataDate, "data-date", "", "数据日期 YYYY-MM-DD；默认北京时间昨天")
	fs.StringVar(&o.out, "out", ".", "交换包写入的目录")
	fs.BoolVar(&o.allowShrink, "allow-shrink", false, "全量包允许撤销超过 20% 的本单位记录")
	fs.BoolVar(&o.skip, "skip-errors", false, "只打包没有错误的行")
	fs.BoolVar(&o.keep, "keep-errors", false, "连同错误行一起打包")
	fs.Var(&o.reports, "report", "把校验报告写入文件（.json、.html、.xlsx）；可重复")
	stdPath := fs.String("standard", "", "数据标准文件（YAML）；默认使用内置标准 1.0")
	if err := parse(fs, args); err != nil {
		return err
	}
	std, err := loadStandard(env, *stdPath)
	if err != nil {
		return err
	}
	day, err := o.check(std, fs.NArg())
	if err != nil {
		return err
	}
	rep, err := validate.Run(ctx, std, fs.Args(), validate.Options{AsOf: day, Submitter: o.sender})
	if err != nil {
		return &exitError{code: 2, err: err}
	}
	if err := writeReports(rep, std, o.reports); err != nil {
		return &exitError{code: 2, err: err}
	}
	if !rep.Valid && !o.skip && !o.keep {
		report.WriteText(env.Stderr, rep, std, report.TextOptions{MaxFindings: 20, Report: firstOf(o.reports)})
		return &exitError{code: 1, err: fmt.Errorf("有 %d 行数据存在错误，未打包：请改正后重试，或用 --skip-errors 只打包无错误的行", rep.Summary.ErrorRows)}
	}
	path, m, err := pack.Build(ctx, std, rep, fs.Args(), o.out, pack.Options{Sender: o.sender, Seq: o.seq, Mode: o.mode,
		DataDate: day, AllowShrink: o.allowShrink, KeepErrors: o.keep})
	if err != nil {
		return &exitError{code: 2, err: err}
	}
	fmt.Fprintf(env.Stdout, "已生成交换包 %s（%s，%d 个数据文件）\n", path, m.Mode, len(m.Files))
	for _, f := range m.Files {
		fmt.Fprintf(env.Stdout, "  %-36s %8d 行\n", f.Name, f.Rows)
	}
	if !rep.Valid && o.skip {
		fmt.Fprintf(env.Stdout, "已剔除 %d 行有错误的数据\n", rep.Summary.ErrorRows)
	}
	return nil
}

func (o *packOptions) check(std *standard.Standard, files int) (time.Time, error) {
	switch {
	case files == 0:
		return time.Time{}, usageErr("请给出要打包的数据文件（shuiyun pack --help 查看用法）")
	case !knownSubmitter(std, o.sender):
		return time.Time{}, usageErr("--sender %q 不是报送单位代码（省级行政区划代码 xx0000、CJ0000、ZJ0000 或 000000）", o.sender)
	case o.seq < 1 || o.seq > 999999:
		return time.Time{}, usageErr("--seq 应为 1 至 999999 的包序号")
	case o.mode != "incremental" && o.mode != "full":
		return time.Time{}, usageErr("--mode 只能是 incremental 或 full")
	case o.skip && o.keep:
		return time.Time{}, usageErr("--skip-errors 与 --keep-errors 只能选一个")
	}
	if o.dataDate == "" {
		return validate.Today().AddDate(0, 0, -1), nil
	}
	return parseAsOf(o.dataDate)
}
