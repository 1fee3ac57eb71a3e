package cli

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"

	prog "shuiyun/internal/progress"
	"shuiyun/internal/store"
)

const reportHelp = `
进展情况与数据质量指标（部级平台）。

子命令：
  progress --from 日期 --to 日期 [--period day|week|month] --out 文件.xlsx|文件.html
           生成进展情况通报：各单位按时/迟报/缺报、记录数、完整率、规范率、关联率、待整改错误、
           综合排名及与上期（紧接本期之前、天数相同）的比较。.xlsx 含“概况”“排名”“各单位明细”
           “与上期比较”四个工作表；.html 为单个中文网页，可直接打印或另存为 PDF。
           尚未计算的日期先计算（只能到昨天），同 metrics。
  metrics [--through 日期]
           计算至指定日期（默认昨天）各日的指标；先从交换目录的归档包和回执中补录早先入库的
           交换包所含数据集和被拒绝的行。已计算的日期不再重算。
  preview --rule 规则 [--severity error|warning] [--disable]
           预览一项规则调整：按今天生效的规则与调整后的规则分别校验现有记录，列出各单位将新增
           不合格的记录数。
  schedule --rule 规则 --effective 日期 [--severity error|warning] [--disable] [--note 说明]
           安排规则分期：自生效日期起启用（或 --disable 停用）该规则并采用给定严重程度。
           生效日期须在已计算的日期之后且不早于今天。

日期为北京时间 YYYY-MM-DD。指标的定义见 shuiyun 平台“指标说明”页（与通报附注相同）。

示例：
  shuiyun report metrics --data /srv/shuiyun
  shuiyun report progress --data /srv/shuiyun --from 2026-11-01 --to 2026-11-30 --out 通报.xlsx
  shuiyun report progress --from 2026-11-23 --to 2026-11-29 --period day --out 周报.html
  shuiyun report preview --rule REL-22 --severity error
  shuiyun report schedule --rule REL-22 --severity error --effective 2027-01-01 --note 关联性第二阶段`

// reportFlags are the flags of every report subcommand.
type reportFlags struct {
	hub                       *hubFlags
	from, to, period, out     string
	through                   string
	rule, severity, effective string
	note                      string
	disable                   bool
}

func runReport(ctx context.Context, env *Env, args []string) error {
	sub := ""
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		sub, args = args[0], args[1:]
	}
	fs := newFlags(env, strings.TrimSpace("report "+sub), "<progress|metrics|preview|schedule> [参数]", reportHelp)
	rf := &reportFlags{hub: addHubFlags(fs, env)}
	fs.StringVar(&rf.from, "from", "", "progress：开始日期")
	fs.StringVar(&rf.to, "to", "", "progress：结束日期（含）")
	fs.StringVar(&rf.period, "period", "", "progress：分期统计的单位 day、week 或 month；默认按期间长短选择")
	fs.StringVar(&rf.out, "out", "", "progress：输出文件，.xlsx 或 .html")
	fs.StringVar(&rf.through, "through", "", "metrics：计算到该日；默认昨天")
	fs.StringVar(&rf.rule, "rule", "", "preview、schedule：规则编号，如 REL-22")
	fs.StringVar(&rf.severity, "severity", "", "preview、schedule：error 或 warning；默认规则现有的严重程度")
	fs.StringVar(&rf.effective, "effective", "", "schedule：生效日期")
	fs.StringVar(&rf.note, "note", "", "schedule：说明")
	fs.BoolVar(&rf.disable, "disable", false, "preview、schedule：停用该规则（默认为启用）")
	if err := rf.hub.parse(fs, env, args); err != nil {
		return err
	}
	run, ok := map[string]func(context.Context, *Env, *reportFlags, *prog.Service) error{
		"progress": reportProgress, "metrics": reportMetrics, "preview": reportPreview, "schedule": reportSchedule,
	}[sub]
	if !ok {
		fs.Usage()
		return usageErr("report 需要子命令 progress、metrics、preview 或 schedule")
	}
	st, _, err := rf.hub.open(ctx, env)
	if err != nil {
		return err
	}
	defer st.Close()
	return run(ctx, env, rf, prog.New(st))
}

func reportProgress(ctx context.Context, env *Env, rf *reportFlags, svc *prog.Service) error {
	from, err := dayFlag("from", rf.from)
	if err != nil {
		return err
	}
	to, err := dayFlag("to", rf.to)
	if err != nil {
		return err
	}
	ext := strings.ToLower(filepath.Ext(rf.out))
	if ext != ".xlsx" && ext != ".html" {
		return usageErr("--out 应为 .xlsx 或 .html 文件，而不是 %q", rf.out)
	}
	if to < from {
		return usageErr("--to %s 早于 --from %s", to, from)
	}
	if to >= svc.Today() {
		return usageErr("--to %s 尚未结束：通报只能统计到昨天（%s）", to, svc.Today()-1)
	}
	period := defaultPeriod(to - from + 1)
	if rf.period != "" {
		if period, err = prog.ParsePeriod(rf.period); err != nil {
			return usageErr("--period：%v", err)
		}
	}
	if _, err := svc.Recover(ctx, rf.hub.root()); err != nil {
		return &exitError{code: 2, err: err}
	}
	if _, err := svc.ComputeThrough(ctx, to); err != nil {
		return &exitError{code: 2, err: err}
	}
	r, err := svc.Report(ctx, from, to, period)
	if err != nil {
		return &exitError{code: 2, err: err}
	}
	write := prog.WriteXLSX
	if ext == ".html" {
		write = prog.WriteHTML
	}
	if err := writeAtomic(rf.out, func(w io.Writer) error { return write(w, r) }); err != nil {
		return &exitError{code: 2, err: err}
	}
	fmt.Fprintf(env.Stderr, "已生成 %s（%s 至 %s，%d 个单位参加排名）\n", rf.out, from, to, r.Summary.Agencies)
	return nil
}

// defaultPeriod picks the trend unit from the report's length.
func defaultPeriod(days prog.Day) prog.Period {
	switch {
	case days <= 14:
		return prog.PeriodDay
	case days <= 92:
		return prog.PeriodWeek
	}
	return prog.PeriodMonth
}

// writeAtomic writes through a .part file renamed into place: a half-written report never takes the name.
func writeAtomic(path string, fill func(io.Writer) error) error {
	f, err := os.Create(path + ".part")
	if err != nil {
		return err
	}
	defer os.Remove(f.Name())
	defer f.Close()
	if err := fill(f); err != nil {
		return err
	}
	return finishFile(f, path)
}

func dayFlag(name, value string) (prog.Day, error) {
	if value == "" {
		return 0, usageErr("需要 --%s 日期（YYYY-MM-DD）", name)
	}
	d, err := prog.ParseDay(value)
	if err != nil {
		return 0, usageErr("--%s：%v", name, err)
	}
	return d, nil
}

func reportMetrics(ctx context.Context, env *Env, rf *reportFlags, svc *prog.Service) error {
	through := svc.Today() - 1
	if rf.through != "" {
		d, err := dayFlag("through", rf.through)
		if err != nil {
			return err
		}
		if d > through {
			return usageErr("--through %s 尚未结束：只能计算到昨天（%s）", d, through)
		}
		through = d
	}
	rec, err := svc.Recover(ctx, rf.hub.root())
	if err != nil {
		return &exitError{code: 2, err: err}
	}
	if rec.Deliveries+rec.Missing > 0 {
		fmt.Fprintf(env.Stdout, "补录交换包 %d 个（被拒绝的行 %d 行）；归档中找不到的 %d 个\n", rec.Deliveries, rec.Rejected, rec.Missing)
	}
	res, err := svc.ComputeThrough(ctx, through)
	if err != nil {
		return &exitError{code: 2, err: err}
	}
	if res.From > res.To {
		fmt.Fprintf(env.Stdout, "指标已计算到 %s，无需计算\n", through)
		return nil
	}
	fmt.Fprintf(env.Stdout, "已计算 %s 至 %s 的指标：校验记录版本 %d 个（其中不合格 %d 个），用时 %.1f 秒\n",
		res.From, res.To, res.Evaluated, res.Failing, res.Elapsed.Seconds())
	return nil
}

func (rf *reportFlags) change(svc *prog.Service) (store.RuleChange, error) {
	if rf.rule == "" {
		return store.RuleChange{}, usageErr("需要 --rule 规则编号")
	}
	if svc.Standard().Rule(rf.rule) == nil {
		return store.RuleChange{}, usageErr("未知的规则 --rule %s", rf.rule)
	}
	return store.RuleChange{Rule: rf.rule, Effective: rf.effective, Enabled: !rf.disable, Severity: rf.severity, Note: rf.note, CreatedBy: "cli"}, nil
}

func reportPreview(ctx context.Context, env *Env, rf *reportFlags, svc *prog.Service) error {
	c, err := rf.change(svc)
	if err != nil {
		return err
	}
	p, err := svc.Preview(ctx, c)
	if err != nil {
		return &exitError{code: 2, err: err}
	}
	action := "启用，严重程度 " + p.Change.Severity
	if !p.Change.Enabled {
		action = "停用"
	}
	fmt.Fprintf(env.Stdout, "规则 %s %s：共 %d 条现有记录将新增不合格\n\n", c.Rule, action, p.Newly)
	tw := tabwriter.NewWriter(env.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "单位\t相关记录\t现不合格\t将新增不合格")
	for _, im := range p.Agencies {
		if im.Records > 0 {
			fmt.Fprintf(tw, "%s\t%d\t%d\t%d\n", im.Agency.Name, im.Records, im.Failing, im.Newly)
		}
	}
	return tw.Flush()
}

func reportSchedule(ctx context.Context, env *Env, rf *reportFlags, svc *prog.Service) error {
	c, err := rf.change(svc)
	if err != nil {
		return err
	}
	if _, err := dayFlag("effective", rf.effective); err != nil {
		return err
	}
	id, err := svc.ScheduleRule(ctx, &c)
	if err != nil {
		return usageErr("%v", err)
	}
	fmt.Fprintf(env.Stdout, "已安排 #%d：规则 %s 自 %s 起%s\n", id, c.Rule, c.Effective, map[bool]string{true: "启用（" + c.Severity + "）", false: "停用"}[c.Enabled])
	return nil
}
