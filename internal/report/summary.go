package report

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"shuiyun/internal/validate"
)

// ruleCount is one line of "counts by rule".
type ruleCount struct {
	Rule     string
	Title    string
	Category string
	Severity string // error, warning, or "" when findings of both severities exist
	Count    int
}

// SeverityName is the Chinese severity shown for the line.
func (rc ruleCount) SeverityName() string {
	if rc.Severity == "" {
		return "错误/警告"
	}
	return severityName(rc.Severity)
}

// ruleCounts totals a report by rule, most frequent first. The counts are the
// summary's by_rule (the engine may keep fewer findings than it counts); rules
// only seen in findings are counted from them.
func ruleCounts(r *validate.Report, c *catalog) []ruleCount {
	type seen struct {
		n, errors, warnings int
		category            string
	}
	by := map[string]*seen{}
	get := func(id string) *seen {
		if by[id] == nil {
			by[id] = &seen{}
		}
		return by[id]
	}
	for _, f := range r.Files {
		for _, x := range f.Findings {
			s := get(x.Rule)
			s.n++
			s.category = x.Category
			if x.Severity == "warning" {
				s.warnings++
			} else {
				s.errors++
			}
		}
	}
	for id, n := range r.Summary.ByRule {
		get(id).n = max(n, get(id).n)
	}
	out := make([]ruleCount, 0, len(by))
	for id, s := range by {
		out = append(out, ruleCount{Rule: id, Title: c.ruleTitle(id), Count: s.n,
			Category: cmp.Or(s.category, c.ruleCategory(id)), Severity: mixedSeverity(s.errors, s.warnings, c.ruleSeverity(id))})
	}
	slices.SortFunc(out, func(a, b ruleCount) int {
		return cmp.Or(cmp.Compare(b.Count, a.Count), strings.Compare(a.Rule, b.Rule))
	})
	return out
}

func mixedSeverity(errors, warnings int, fallback string) string {
	switch {
	case errors > 0 && warnings > 0:
		return ""
	case errors > 0:
		return "error"
	case warnings > 0:
		return "warning"
	}
	return fallback
}

// verdict is the one-word outcome.
func verdict(r *validate.Report) string {
	if r.Valid {
		return "通过"
	}
	return "不通过"
}

// outcome says whether the data can be submitted, e.g. "共 12 行有错误，不能提交。"
func outcome(r *validate.Report) string {
	s := r.Summary
	switch {
	case !r.Valid && s.ErrorRows > 0:
		return fmt.Sprintf("共 %s 行有错误，不能提交。", groupDigits(s.ErrorRows))
	case !r.Valid:
		return fmt.Sprintf("共 %s 个错误，不能提交。", groupDigits(max(s.Errors, 1)))
	case s.Warnings > 0:
		return fmt.Sprintf("校验通过，可以提交。有 %s 个警告，建议核对。", groupDigits(s.Warnings))
	}
	return "校验通过，可以提交。"
}

// totals is the one-line summary of a report's numbers.
func totals(r *validate.Report) string {
	s := r.Summary
	return fmt.Sprintf("文件 %s 个，数据 %s 行，错误行 %s，错误 %s 个，警告 %s 个",
		groupDigits(s.Files), groupDigits(s.Rows), groupDigits(s.ErrorRows),
		groupDigits(s.Errors), groupDigits(s.Warnings))
}

// groupDigits writes n with thousands separators: 1200000 → 1,200,000.
func groupDigits(n int) string {
	s := strconv.Itoa(n)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

// findingLine says one finding for people, without its file:
// 第 14 行 船舶识别号 [ID-CNSHIP] 船舶识别号校验位错误，应为 9（值：CN20149346218）
func findingLine(x validate.Finding, label string) string {
	var b strings.Builder
	if x.Row > 0 {
		fmt.Fprintf(&b, "第 %d 行 ", x.Row)
	} else {
		b.WriteString("文件级 ")
	}
	if label != "" {
		b.WriteString(label)
		b.WriteByte(' ')
	}
	b.WriteString(findingText(x))
	return b.String()
}

// findingText is a finding's rule, severity (warnings only), message and value:
// [ID-CNSHIP] 船舶识别号校验位错误，应为 9（值：CN20149346218）
func findingText(x validate.Finding) string {
	var b strings.Builder
	b.WriteString("[" + x.Rule)
	if x.Severity == "warning" {
		b.WriteString(" 警告")
	}
	b.WriteString("] " + x.Message)
	if x.Value != "" {
		b.WriteString("（值：" + x.Value + "）")
	}
	return b.String()
}
