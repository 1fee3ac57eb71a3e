package report

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	"shuiyun/internal/standard"
	"shuiyun/internal/textwidth"
	"shuiyun/internal/validate"
)

// TextOptions tune the terminal summary.
type TextOptions struct {
	// MaxFindings is how many findings are listed: 0 means 20, a negative number all.
	MaxFindings int
	// Color adds ANSI colours (set it only when writing to a terminal).
	Color bool
	// Report is the path of the report file this run also writes (--report), if
	// any; the closing line then points to it instead of suggesting --report.
	Report string
}

const defaultMaxFindings = 20

// ANSI escape sequences used when TextOptions.Color is set.
const (
	ansiReset  = "\x1b[0m"
	ansiBold   = "\x1b[1m"
	ansiRed    = "\x1b[31m"
	ansiGreen  = "\x1b[32m"
	ansiYellow = "\x1b[33m"
)

// WriteText writes the Chinese terminal summary of a report: each file with its
// dataset, encoding, rows and error rows; counts by rule with titles and
// severities, most frequent first; the first findings; the rules that were
// skipped and why; and a closing line saying what to do next. std supplies
// the Chinese names and may be nil.
func WriteText(w io.Writer, r *validate.Report, std *standard.Standard, opt TextOptions) error {
	t := &textWriter{w: bufio.NewWriter(w), color: opt.Color, cat: newCatalog(std)}
	t.head(r)
	t.files(r)
	t.rules(r)
	t.findings(r, opt.MaxFindings)
	t.skipped(r)
	t.closing(r, opt.Report)
	if err := t.w.Flush(); err != nil {
		return fmt.Errorf("write text report: %w", err)
	}
	return nil
}

type textWriter struct {
	w     *bufio.Writer // errors are sticky and reported by Flush
	color bool
	cat   *catalog
}

func (t *textWriter) printf(format string, args ...any) { fmt.Fprintf(t.w, format, args...) }

// paint wraps s in an ANSI colour when colours are on.
func (t *textWriter) paint(code, s string) string {
	if !t.color || s == "" {
		return s
	}
	return code + s + ansiReset
}

func (t *textWriter) severityColor(sev string) string {
	switch sev {
	case "error":
		return ansiRed
	case "warning":
		return ansiYellow
	}
	return ansiBold
}

func (t *textWriter) head(r *validate.Report) {
	v := t.paint(ansiGreen, verdict(r))
	if !r.Valid {
		v = t.paint(ansiRed, verdict(r))
	}
	t.printf("%s%s（标准 %s，校验日期 %s）\n", t.paint(ansiBold, "数据校验结果："), v, r.Standard, r.AsOf)
	t.printf("%s\n", totals(r))
}

func (t *textWriter) files(r *validate.Report) {
	if len(r.Files) == 0 {
		return
	}
	t.printf("\n%s\n", t.paint(ansiBold, "文件"))
	for _, f := range r.Files {
		if f.Dataset == "" {
			t.printf("  %s：数据集未识别，未校验\n", fileTitle(f))
			continue
		}
		parts := []string{"数据集 " + t.cat.datasetLabel(f.Dataset)}
		if f.Encoding != "" {
			parts = append(parts, "编码 "+f.Encoding)
		}
		parts = append(parts, "数据 "+groupDigits(f.Rows)+" 行")
		errRows := "错误行 " + groupDigits(f.ErrorRows)
		if f.ErrorRows > 0 {
			errRows = t.paint(ansiRed, errRows)
		}
		parts = append(parts, errRows)
		t.printf("  %s：%s\n", fileTitle(f), strings.Join(parts, "，"))
	}
}

func (t *textWriter) rules(r *validate.Report) {
	counts := ruleCounts(r, t.cat)
	if len(counts) == 0 {
		return
	}
	t.printf("\n%s\n", t.paint(ansiBold, "按规则统计"))
	idW, titleW, sevW, nW := textwidth.Width("规则"), textwidth.Width("名称"), textwidth.Width("严重程度"), textwidth.Width("次数")
	for _, c := range counts {
		idW, titleW = max(idW, textwidth.Width(c.Rule)), max(titleW, textwidth.Width(c.Title))
		sevW, nW = max(sevW, textwidth.Width(c.SeverityName())), max(nW, len(groupDigits(c.Count)))
	}
	t.printf("  %s  %s  %s  %s\n", textwidth.PadRight("规则", idW), textwidth.PadRight("名称", titleW), textwidth.PadRight("严重程度", sevW), textwidth.PadLeft("次数", nW))
	for _, c := range counts {
		sev := t.paint(t.severityColor(c.Severity), textwidth.PadRight(c.SeverityName(), sevW))
		t.printf("  %s  %s  %s  %s\n", textwidth.PadRight(c.Rule, idW), textwidth.PadRight(c.Title, titleW), sev, textwidth.PadLeft(groupDigits(c.Count), nW))
	}
}

func (t *textWriter) findings(r *validate.Report, limit int) {
	total := 0
	for _, f := range r.Files {
		total += len(f.Findings)
	}
	if total == 0 {
		return
	}
	if limit == 0 {
		limit = defaultMaxFindings
	}
	if limit < 0 || limit > total {
		limit = total
	}
	// The engine may count more findings than it keeps.
	all := max(total, r.Summary.Errors+r.Summary.Warnings)
	title := fmt.Sprintf("问题（共 %s 条）", groupDigits(all))
	if limit < all {
		title = fmt.Sprintf("问题（前 %s 条，共 %s 条）", groupDigits(limit), groupDigits(all))
	}
	t.printf("\n%s\n", t.paint(ansiBold, title))
	for _, f := range r.Files {
		if limit == 0 {
			break
		}
		if len(f.Findings) == 0 {
			continue
		}
		n := min(limit, len(f.Findings))
		t.printf("  %s\n", fileTitle(f))
		for _, x := range f.Findings[:n] {
			line := findingLine(x, t.cat.fieldLabel(f.Dataset, x.Field))
			t.printf("    %s\n", t.paint(t.severityColor(x.Severity), line))
		}
		limit -= n
	}
}

func (t *textWriter) skipped(r *validate.Report) {
	if len(r.Skipped) == 0 {
		return
	}
	t.printf("\n%s\n", t.paint(ansiBold, "未执行的规则（缺少所需数据）"))
	idW := 0
	for _, s := range r.Skipped {
		idW = max(idW, textwidth.Width(s.Rule))
	}
	for _, s := range r.Skipped {
		title := t.cat.ruleTitle(s.Rule)
		if title != "" {
			title += "："
		}
		t.printf("  %s  %s%s\n", textwidth.PadRight(s.Rule, idW), title, s.Reason)
	}
}

func (t *textWriter) closing(r *validate.Report, report string) {
	line := outcome(r)
	if !r.Valid {
		line += nextStepHint(report)
	}
	code := ansiGreen
	if !r.Valid {
		code = ansiRed
	}
	t.printf("\n%s\n", t.paint(code, line))
}

// nextStepHint tells a submitter how to find and fix the errors.
func nextStepHint(report string) string {
	if strings.HasSuffix(strings.ToLower(report), ".xlsx") {
		return "错误单元格已在 " + report + " 中标出，改正后重新校验。"
	}
	return "可用 --report 校验结果.xlsx 生成标注了错误单元格的工作簿，改正后重新校验。"
}
