package cli

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"shuiyun/internal/gen"
	"shuiyun/internal/report"
	"shuiyun/internal/validate"
)

const demoHelp = `
演示统一数据校验工具：生成一批全国 12 个数据集的模拟数据（约 3% 的行带有已知错误），
像各单位报送前那样一起校验，在终端显示结果，并写出 HTML 报告和标注了错误单元格的 Excel 工作簿。`

func runDemo(ctx context.Context, env *Env, args []string) error {
	fs := newFlags(env, "demo", "[参数]", demoHelp)
	out := fs.String("out", "", "演示数据和报告的目录；默认新建临时目录")
	rows := fs.Int("rows", 2000, "营运船舶行数")
	if err := parse(fs, args); err != nil {
		return err
	}
	dir := *out
	if dir == "" {
		var err error
		if dir, err = os.MkdirTemp("", "shuiyun-demo-"); err != nil {
			return err
		}
	}
	std, err := loadStandard(env, "")
	if err != nil {
		return err
	}
	today := validate.Today()
	res, err := gen.Generate(std, gen.Options{Seed: 2019, Rows: *rows, ErrorRate: 0.03, AsOf: today, Format: "csv",
		Encoding: "UTF-8", Header: "id", Quirks: true, Dir: dir})
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "已在 %s 生成 12 个数据集的模拟数据，注入 %d 处已知错误（answers.csv）。\n\n", dir, len(res.Defects))
	var files []string
	for _, f := range res.Files {
		if filepath.Base(f) != "answers.csv" {
			files = append(files, f)
		}
	}
	rep, err := validate.Run(ctx, std, files, validate.Options{AsOf: today})
	if err != nil {
		return err
	}
	if err := report.WriteText(env.Stdout, rep, std, report.TextOptions{MaxFindings: 15}); err != nil {
		return err
	}
	html, xlsx := filepath.Join(dir, "校验报告.html"), filepath.Join(dir, "校验结果.xlsx")
	if err := writeReports(rep, std, []string{html, xlsx}); err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "\n报告：%s\n标注错误的工作簿：%s\n自己试试：shuiyun validate %s %s\n", html, xlsx,
		filepath.Join(dir, "waterway_transport_license.csv"), filepath.Join(dir, "vessel_operating_certificate.csv"))
	return nil
}
