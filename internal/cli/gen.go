package cli

import (
	"context"
	"fmt"
	"os"
	"sort"
	"strings"

	"shuiyun/internal/gen"
)

const genHelp = `
生成逼真的模拟数据：所有数据集互相一致（营运证引用同批的经营许可证、校验位正确、中文名称、按省份分布），
并按 --error-rate 注入已知错误，另写 answers.csv 列出每个注入错误（文件、行、字段、规则）。
相同的 --seed 和 --as-of 总是生成完全相同的文件。

示例：
  shuiyun gen --out demo --rows 5000 --error-rate 0.05
  shuiyun gen --out big --dataset vessel_operating_certificate --rows 1000000 --error-rate 0
  shuiyun gen --out gbk --encoding gb18030 --header label`

func runGen(ctx context.Context, env *Env, args []string) error {
	fs := newFlags(env, "gen", "[参数]", genHelp)
	out := fs.String("out", "", "输出目录（必填）")
	seed := fs.Uint64("seed", 1, "随机种子")
	rows := fs.Int("rows", 1000, "营运船舶（vessel_operating_certificate）行数；其他数据集按比例生成")
	errRate := fs.Float64("error-rate", 0.05, "注入错误的行比例（0–1）")
	asOf := fs.String("as-of", "", "数据的“今天”，YYYY-MM-DD；默认北京时间今天")
	var datasets multi
	fs.Var(&datasets, "dataset", "只写出这些数据集（可重复或用逗号分隔）；默认全部 12 个")
	format := fs.String("format", "csv", "csv 或 xlsx")
	encoding := fs.String("encoding", "utf-8", "CSV 编码：utf-8 或 gb18030")
	header := fs.String("header", "id", "表头：id（字段名）或 label（中文名）")
	submitter := fs.String("submitter", "", "只生成该报送单位的数据（如 320000）；默认全国")
	noQuirks := fs.Bool("no-quirks", false, "不加入真实数据中常见的书写差异（日期写法、代码写中文名等）")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *out == "" {
		return usageErr("请用 --out 指定输出目录")
	}
	if *errRate < 0 || *errRate > 1 {
		return usageErr("--error-rate 应在 0 到 1 之间")
	}
	opt := gen.Options{Seed: *seed, Rows: *rows, ErrorRate: *errRate, Format: strings.ToLower(*format),
		Header: *header, Submitter: *submitter, Quirks: !*noQuirks, Dir: *out}
	switch strings.ToLower(*encoding) {
	case "utf-8", "utf8":
		opt.Encoding = "UTF-8"
	case "gb18030", "gbk":
		opt.Encoding = "GB18030"
	default:
		return usageErr("--encoding 只能是 utf-8 或 gb18030")
	}
	for _, d := range datasets {
		opt.Datasets = append(opt.Datasets, strings.Split(d, ",")...)
	}
	var err error
	if opt.AsOf, err = parseAsOf(*asOf); err != nil {
		return err
	}
	std, err := loadStandard(env, "")
	if err != nil {
		return err
	}
	if err := os.MkdirAll(*out, 0o755); err != nil {
		return err
	}
	res, err := gen.Generate(std, opt)
	if err != nil {
		return err
	}
	names := make([]string, 0, len(res.Rows))
	for n := range res.Rows {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(env.Stdout, "%-32s %8d 行\n", n, res.Rows[n])
	}
	fmt.Fprintf(env.Stdout, "已写入 %s：%d 个文件，注入错误 %d 处（见 answers.csv）\n", *out, len(res.Files), len(res.Defects))
	return nil
}
