package publish

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"

	"shuiyun/internal/standard"
	"shuiyun/internal/textwidth"
)

// WriteCatalog writes a Chinese listing of the standard for the terminal: each
// dataset with its code, id, key, field count and whether it is reference data;
// the code lists; and the rules counted by category and severity.
func WriteCatalog(w io.Writer, std *standard.Standard) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "数据标准 %s：%s\n", std.Version, std.Title)
	if std.Source != "" {
		fmt.Fprintf(bw, "来源：%s\n", std.Source)
	}
	writeDatasetTable(bw, std)
	writeCodeListTable(bw, std)
	writeRuleCounts(bw, std)
	if r := std.Regions; r != nil {
		fmt.Fprintf(bw, "\n行政区划表：%d 个代码（%s，%s）\n", r.Len(), r.Source, r.Date)
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write catalogue: %w", err)
	}
	return nil
}

func writeDatasetTable(w io.Writer, std *standard.Standard) {
	fmt.Fprintf(w, "\n数据集（%d 个）\n", len(std.Datasets))
	rows := [][]string{{"代码", "标识", "主键", "字段数", "参考数据", "名称"}}
	for _, ds := range std.Datasets {
		ref := ""
		if ds.Reference {
			ref = "是"
		}
		rows = append(rows, []string{ds.Code, ds.Name, keyText(ds), strconv.Itoa(len(ds.Fields)), ref, ds.Label})
	}
	writeColumns(w, rows)
}

// keyText joins a dataset's business key, with the alternative key after a slash.
func keyText(ds *standard.Dataset) string {
	s := strings.Join(ds.Key, "+")
	if len(ds.AltKey) > 0 {
		s += " / " + strings.Join(ds.AltKey, "+")
	}
	return s
}

func writeCodeListTable(w io.Writer, std *standard.Standard) {
	fmt.Fprintf(w, "\n代码表（%d 个）\n", len(std.CodeLists))
	rows := [][]string{{"代码表", "代码数", "名称"}}
	for _, cl := range std.CodeLists {
		rows = append(rows, []string{cl.ID, strconv.Itoa(len(cl.Codes)), cl.Name})
	}
	writeColumns(w, rows)
}

func writeRuleCounts(w io.Writer, std *standard.Standard) {
	on, bySeverity := 0, map[standard.Severity]int{}
	byCategory := map[standard.Category]int{}
	for _, r := range std.Rules {
		byCategory[r.Category]++
		if r.On() {
			on++
			bySeverity[r.Severity]++
		}
	}
	fmt.Fprintf(w, "\n规则：共 %d 条，启用 %d 条（错误 %d 条，警告 %d 条）\n",
		len(std.Rules), on, bySeverity[standard.Error], bySeverity[standard.Warning])
	var parts []string
	for _, c := range []standard.Category{standard.Structure, standard.Completeness, standard.Normativity, standard.Relational} {
		parts = append(parts, fmt.Sprintf("%s %d 条", categoryNames[c], byCategory[c]))
	}
	fmt.Fprintf(w, "  %s\n", strings.Join(parts, "，"))
}

// writeColumns writes rows as aligned columns, two blanks apart, indented by two.
// Widths are display widths (a Chinese character takes two columns), which
// text/tabwriter does not know about. The last column is not padded.
func writeColumns(w io.Writer, rows [][]string) {
	widths := map[int]int{}
	for _, row := range rows {
		for i, cell := range row {
			widths[i] = max(widths[i], textwidth.Width(cell))
		}
	}
	for _, row := range rows {
		var b strings.Builder
		b.WriteString("  ")
		for i, cell := range row {
			b.WriteString(cell)
			if i < len(row)-1 {
				b.WriteString(strings.Repeat(" ", widths[i]-textwidth.Width(cell)+2))
			}
		}
		fmt.Fprintln(w, strings.TrimRight(b.String(), " "))
	}
}
