package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime/debug"
	"runtime/pprof"
	"strings"
	"time"

	"github.com/schollz/progressbar/v3"

	"shuiyun/internal/report"
	"shuiyun/internal/standard"
	"shuiyun/internal/validate"
)

const validateHelp = `
统一数据校验工具：按部颁数据标准检查数据文件的完整性、规范性和关联性，与部级平台入库时的校验完全一致。
文件可以是 CSV（UTF-8 或 GBK/GB18030，自动识别）、XLSX（每个工作表一张表）或 JSONL。
一起给出的多个文件是同一批数据，关联性规则在它们之间互相核对；--ref 给出只用于核对的其他数据。

退出状态：0 没有错误；1 至少有一个错误；2 无法完成校验（参数错误、文件无法打开、未知数据集）。

示例：
  shuiyun validate 营运船舶.xlsx
  shuiyun validate --submitter 320000 --report 校验结果.xlsx waterway_transport_license.csv vessel_operating_certificate.csv
  shuiyun validate --format json --as-of 2026-11-26 data/*.csv > report.json`

func runValidate(ctx context.Context, env *Env, args []string) error {
	fs := newFlags(env, "validate", "[参数] 文件...", validateHelp)
	dataset := fs.String("dataset", "", "数据集（名称如 vessel_operating_certificate，或编号 D03）；默认按文件名、工作表名或表头识别")
	format := fs.String("format", "text", "标准输出格式：text 或 json")
	var reports, refs multi
	fs.Var(&reports, "report", "把报告写入文件，按扩展名：.json、.html、.xlsx（标注错误单元格的工作簿）；可重复")
	submitter := fs.String("submitter", "", "报送单位代码（如 320000、CJ0000），启用辖区规则 REL-20/21")
	asOf := fs.String("as-of", "", "日期规则的“今天”，YYYY-MM-DD；默认北京时间今天")
	fs.Var(&refs, "ref", "用于关联核对的其他数据文件或目录（只读取、不报告）；可重复")
	stdPath := fs.String("standard", "", "数据标准文件（YAML）；默认使用内置标准 1.0")
	workers := fs.Int("workers", 0, "并行读取的分段数；默认 CPU 核数")
	quiet := fs.Bool("quiet", false, "不显示进度条")
	maxShown := fs.Int("show", 20, "文本摘要中列出的问题条数")
	maxFindings := fs.Int("max-findings", validate.DefaultMaxFindings, "每张表最多保留的问题条数（其余只计数）；-1 表示不限")
	cpuProfile := fs.String("cpuprofile", "", "把 CPU 性能剖析写入文件（供开发人员分析性能）")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		return usageErr("请给出要校验的文件（shuiyun validate --help 查看用法）")
	}
	if *format != "text" && *format != "json" {
		return usageErr("--format 只能是 text 或 json，而不是 %q", *format)
	}
	for _, r := range reports {
		if !validReportExt(r) {
			return usageErr("--report %s：扩展名须为 .json、.html 或 .xlsx", r)
		}
	}
	std, err := loadStandard(env, *stdPath)
	if err != nil {
		return err
	}
	opt := validate.Options{Dataset: *dataset, Submitter: *submitter, Refs: refs, Workers: *workers, MaxFindings: *maxFindings}
	if opt.AsOf, err = parseAsOf(*asOf); err != nil {
		return err
	}
	if *submitter != "" && !knownSubmitter(std, *submitter) {
		return usageErr("--submitter %s 不是报送单位代码（省级行政区划代码 xx0000、CJ0000、ZJ0000 或 000000）", *submitter)
	}
	if env.StderrTerminal && !*quiet {
		opt.Progress = progressBar(env)
	}
	if env.Getenv == nil || env.Getenv("GOMEMLIMIT") == "" {
		// The key index of a million-row file is ~120 MB live; a soft limit makes
		// the collector work harder near it instead of letting the heap double.
		debug.SetMemoryLimit(memoryLimit)
	}
	if *cpuProfile != "" {
		stop, err := startProfile(*cpuProfile)
		if err != nil {
			return usageErr("--cpuprofile: %v", err)
		}
		defer stop()
	}
	rep, err := validate.Run(ctx, std, fs.Args(), opt)
	if err != nil {
		if errors.Is(err, validate.ErrUsage) {
			err = errors.New(strings.TrimPrefix(err.Error(), validate.ErrUsage.Error()+": "))
		}
		return &exitError{code: 2, err: err}
	}
	if err := writeReports(rep, std, reports); err != nil {
		return &exitError{code: 2, err: err}
	}
	if *format == "json" {
		err = report.WriteJSON(env.Stdout, rep)
	} else {
		err = report.WriteText(env.Stdout, rep, std, report.TextOptions{MaxFindings: *maxShown, Report: firstOf(reports)})
	}
	if err != nil {
		return &exitError{code: 2, err: err}
	}
	if !rep.Valid {
		return &exitError{code: 1}
	}
	return nil
}

func validReportExt(path string) bool {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".json", ".html", ".htm", ".xlsx":
		return true
	}
	return false
}

func writeReports(rep *validate.Report, std *standard.Standard, paths []string) error {
	for _, p := range paths {
		if err := writeReport(rep, std, p); err != nil {
			return fmt.Errorf("写报告 %s: %w", p, err)
		}
	}
	return nil
}

func writeReport(rep *validate.Report, std *standard.Standard, path string) error {
	ext := strings.ToLower(filepath.Ext(path))
	if ext == ".xlsx" {
		return report.WriteXLSX(path, rep, std, report.XLSXOptions{})
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if ext == ".json" {
		err = report.WriteJSON(f, rep)
	} else {
		err = report.WriteHTML(f, rep, std)
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// loadStandard reads the operator's standard file, or the embedded one.
func loadStandard(env *Env, path string) (*standard.Standard, error) {
	if path == "" && env.Getenv != nil {
		path = env.Getenv("SHUIYUN_STANDARD")
	}
	if path == "" {
		std, err := standard.Default()
		if err != nil {
			return nil, &exitError{code: 2, err: err}
		}
		return std, nil
	}
	std, err := standard.Load(path)
	if err != nil {
		return nil, &exitError{code: 2, err: err}
	}
	return std, nil
}

func parseAsOf(s string) (time.Time, error) {
	if s == "" {
		return validate.Today(), nil
	}
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return time.Time{}, usageErr("--as-of %q 应为 YYYY-MM-DD 格式的日期", s)
	}
	return t, nil
}

// knownSubmitter: a province code, CJ0000, ZJ0000 or the ministry (contracts.md §1).
func knownSubmitter(std *standard.Standard, code string) bool {
	switch code {
	case "000000", "CJ0000", "ZJ0000":
		return true
	}
	if len(code) != 6 || !strings.HasSuffix(code, "0000") {
		return false
	}
	return len(std.Regions.Abbreviations(code)) > 0
}

// progress draws a progress bar on stderr for large inputs.
func progressBar(env *Env) func(done, total int64) {
	var bar *progressbar.ProgressBar
	return func(done, total int64) {
		if total < 32<<20 {
			return
		}
		if bar == nil {
			bar = progressbar.NewOptions64(total, progressbar.OptionSetWriter(env.Stderr),
				progressbar.OptionSetDescription("校验中"), progressbar.OptionShowBytes(true),
				progressbar.OptionClearOnFinish(), progressbar.OptionThrottle(200*time.Millisecond))
		}
		bar.Set64(done)
		if done >= total {
			bar.Finish()
		}
	}
}

// memoryLimit is the soft heap limit of a validation run (performance.md: ≤ 200 MB RSS for 1M rows).
const memoryLimit = 160 << 20

func startProfile(path string) (stop func(), err error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, err
	}
	return func() { pprof.StopCPUProfile(); f.Close() }, nil
}

func firstOf(list []string) string {
	if len(list) == 0 {
		return ""
	}
	return list[0]
}
