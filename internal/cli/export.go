package cli

import (
	"context"
	"fmt"
	"io"
	"os"
	"time"

	"shuiyun/internal/export"
)

const exportHelp = `
导出某数据集的全部当前记录（或 --as-of 给定时刻的记录）：CSV（UTF-8，表头为字段名，与交换包相同）或 XLSX。

--as-of 可写日期（YYYY-MM-DD，指北京时间该日 24 时的状态）或时刻（RFC 3339，如 2026-11-25T08:00:00+08:00）。

示例：
  shuiyun export --data /srv/shuiyun --dataset D03 > 营运船舶.csv
  shuiyun export --dataset vessel_operating_certificate --as-of 2026-11-01 --format xlsx --out 营运船舶-1101.xlsx`

func runExport(ctx context.Context, env *Env, args []string) error {
	fs := newFlags(env, "export", "[参数] --dataset 数据集", exportHelp)
	hf := addHubFlags(fs, env)
	dataset := fs.String("dataset", "", "数据集（名称或编号，如 D03）")
	asOf := fs.String("as-of", "", "导出该时刻的状态；默认当前")
	format := fs.String("format", "csv", "csv 或 xlsx")
	out := fs.String("out", "", "输出文件；默认标准输出")
	bom := fs.Bool("bom", false, "CSV 以 UTF-8 BOM 开头（便于 Excel 直接打开）")
	if err := hf.parse(fs, env, args); err != nil {
		return err
	}
	if *format != "csv" && *format != "xlsx" {
		return usageErr("--format 只能是 csv 或 xlsx，而不是 %q", *format)
	}
	at, err := parseInstant(*asOf)
	if err != nil {
		return err
	}
	st, std, err := hf.open(ctx, env)
	if err != nil {
		return err
	}
	defer st.Close()
	ds := std.Dataset(*dataset)
	if ds == nil {
		return usageErr("未知的数据集 --dataset %q（可用 shuiyun standard list 查看）", *dataset)
	}
	w := env.Stdout
	if *out != "" {
		f, err := os.Create(*out + ".part")
		if err != nil {
			return &exitError{code: 2, err: err}
		}
		defer os.Remove(f.Name())
		defer f.Close()
		w = f
	}
	write := export.CSV
	if *format == "xlsx" {
		write = export.XLSX
	}
	n, err := write(ctx, w, st, ds, export.Options{AsOf: at, BOM: *bom})
	if err != nil {
		return &exitError{code: 2, err: err}
	}
	if *out != "" {
		if err := finishFile(w, *out); err != nil {
			return &exitError{code: 2, err: err}
		}
		fmt.Fprintf(env.Stderr, "已导出 %s %d 条记录到 %s\n", ds.Name, n, *out)
	}
	return nil
}

// finishFile closes the .part file behind w and renames it to path.
func finishFile(w io.Writer, path string) error {
	f := w.(*os.File)
	if err := f.Sync(); err != nil {
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(f.Name(), path)
}

// parseInstant reads --as-of: a date (the end of that day in Beijing) or RFC 3339.
func parseInstant(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	if d, err := time.ParseInLocation(time.DateOnly, s, beijing()); err == nil {
		return d.AddDate(0, 0, 1).Add(-time.Microsecond), nil
	}
	return time.Time{}, usageErr("--as-of %q 应为 YYYY-MM-DD 或 RFC 3339 时刻", s)
}

func beijing() *time.Location {
	if loc, err := time.LoadLocation("Asia/Shanghai"); err == nil {
		return loc
	}
	return time.FixedZone("CST", 8*3600)
}
