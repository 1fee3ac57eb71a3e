package cli

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"shuiyun/internal/publish"
	"shuiyun/internal/standard"
)

const standardHelp = `
查看和导出数据标准（数据集、字段、代码表、校验规则）。

子命令：
  list                         列出数据集、代码表和规则（默认）
  json [--out FILE]            整个标准导出为 JSON
  schema --dataset ID [--out FILE]   某数据集的 Frictionless Table Schema
  schema --out DIR             所有数据集的 Table Schema，每个一个文件
  template --dataset ID --out FILE.xlsx   某数据集的 Excel 填报模板
  template --out DIR           所有数据集的 Excel 模板
  docs [--out FILE.html]       标准的 HTML 文档
  check FILE.yaml              检查一个（修改过的）标准文件能否加载`

func runStandard(ctx context.Context, env *Env, args []string) error {
	sub := "list"
	if len(args) > 0 && args[0] != "" && args[0][0] != '-' {
		sub, args = args[0], args[1:]
	}
	fs := newFlags(env, "standard "+sub, "[参数]", standardHelp)
	out := fs.String("out", "", "输出文件或目录；默认标准输出")
	dataset := fs.String("dataset", "", "数据集名称或编号")
	stdPath := fs.String("standard", "", "数据标准文件（YAML）；默认内置标准")
	if err := parse(fs, args); err != nil {
		return err
	}
	if sub == "check" {
		return checkStandard(env, fs.Args())
	}
	std, err := loadStandard(env, *stdPath)
	if err != nil {
		return err
	}
	var ds *standard.Dataset
	if *dataset != "" {
		if ds = std.Dataset(*dataset); ds == nil {
			return usageErr("未知的数据集 %s", *dataset)
		}
	}
	switch sub {
	case "list":
		return toOut(env, *out, func(w io.Writer) error { return publish.WriteCatalog(w, std) })
	case "json":
		return toOut(env, *out, func(w io.Writer) error { return publish.WriteJSON(w, std) })
	case "docs":
		return toOut(env, *out, func(w io.Writer) error { return publish.WriteHTMLDocs(w, std) })
	case "schema":
		return schemas(env, std, ds, *out)
	case "template":
		return templates(std, ds, *out)
	}
	return usageErr("未知的子命令 standard %s（list、json、schema、template、docs、check）", sub)
}

func schemas(env *Env, std *standard.Standard, ds *standard.Dataset, out string) error {
	if ds != nil {
		return toOut(env, out, func(w io.Writer) error { return publish.WriteTableSchema(w, std, ds) })
	}
	if out == "" {
		return usageErr("导出全部 Table Schema 时请用 --out 指定目录，或用 --dataset 指定一个数据集")
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	for _, d := range std.Datasets {
		path := filepath.Join(out, d.Name+".schema.json")
		if err := writeFile(path, func(w io.Writer) error { return publish.WriteTableSchema(w, std, d) }); err != nil {
			return err
		}
	}
	return nil
}

func templates(std *standard.Standard, ds *standard.Dataset, out string) error {
	if out == "" {
		return usageErr("请用 --out 指定模板文件（配合 --dataset）或目录")
	}
	if ds != nil {
		return publish.WriteTemplate(out, std, ds)
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	return publish.WriteTemplates(out, std)
}

func checkStandard(env *Env, files []string) error {
	if len(files) != 1 {
		return usageErr("用法：shuiyun standard check FILE.yaml")
	}
	std, err := standard.Load(files[0])
	if err != nil {
		return &exitError{code: 1, err: err}
	}
	fmt.Fprintf(env.Stdout, "%s：标准 %s 可以加载（%d 个数据集，%d 条规则）\n", files[0], std.Version, len(std.Datasets), len(std.Rules))
	return nil
}

// toOut writes to the file named by out, or to stdout.
func toOut(env *Env, out string, write func(io.Writer) error) error {
	if out == "" {
		return write(env.Stdout)
	}
	return writeFile(out, write)
}

func writeFile(path string, write func(io.Writer) error) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := write(f); err != nil {
		f.Close()
		return fmt.Errorf("写 %s: %w", path, err)
	}
	return f.Close()
}
