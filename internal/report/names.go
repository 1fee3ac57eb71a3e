package report

import (
	"path/filepath"
	"strings"

	"shuiyun/internal/standard"
	"shuiyun/internal/validate"
)

// catalog looks up the Chinese names the writers show. It indexes the
// standard's slices itself, so a standard built by hand (tests) works as well
// as a loaded one, and a nil standard gives ids only.
type catalog struct {
	datasets map[string]*standard.Dataset // by name and code
	rules    map[string]*standard.Rule
}

// envelopeLabels names the envelope columns every dataset accepts (package
// validate knows them; the standard does not list them as fields).
var envelopeLabels = map[string]string{
	"op_type":        "操作类型",
	"submitter_code": "报送单位代码",
	"data_date":      "数据日期",
	"source_system":  "来源系统",
	"updated_at":     "更新时间",
}

func newCatalog(std *standard.Standard) *catalog {
	c := &catalog{datasets: map[string]*standard.Dataset{}, rules: map[string]*standard.Rule{}}
	if std == nil {
		return c
	}
	for _, d := range std.Datasets {
		c.datasets[d.Name] = d
		if d.Code != "" {
			c.datasets[d.Code] = d
		}
	}
	for _, r := range std.Rules {
		c.rules[r.ID] = r
	}
	return c
}

// datasetLabel returns the dataset's Chinese label, its id when the standard
// has no label, or "未识别" when the report could not tell the dataset.
func (c *catalog) datasetLabel(id string) string {
	if id == "" {
		return "未识别"
	}
	if d := c.datasets[id]; d != nil && d.Label != "" {
		return d.Label
	}
	return id
}

// fieldLabel returns the Chinese label of a field of a dataset, else the field
// as given (an unknown header's text, or "" for a row-level finding).
func (c *catalog) fieldLabel(dataset, field string) string {
	if field == "" {
		return ""
	}
	if d := c.datasets[dataset]; d != nil {
		for _, f := range d.Fields {
			if f.Name == field && f.Label != "" {
				return f.Label
			}
		}
	}
	if l, ok := envelopeLabels[field]; ok {
		return l
	}
	return field
}

// fieldLength returns the maximum length the standard allows a field, or 0.
func (c *catalog) fieldLength(dataset, field string) int {
	if d := c.datasets[dataset]; d != nil {
		for _, f := range d.Fields {
			if f.Name == field {
				return f.Length
			}
		}
	}
	return 0
}

// ruleTitle returns the rule's Chinese title, or "" when the standard does not list it.
func (c *catalog) ruleTitle(id string) string {
	if r := c.rules[id]; r != nil {
		return r.Title
	}
	return ""
}

// ruleSeverity returns the rule's default severity in the standard, or "".
func (c *catalog) ruleSeverity(id string) string {
	if r := c.rules[id]; r != nil {
		return string(r.Severity)
	}
	return ""
}

var severityNames = map[string]string{"error": "错误", "warning": "警告"}

// severityName returns the Chinese word for a severity.
func severityName(s string) string {
	if n, ok := severityNames[s]; ok {
		return n
	}
	return s
}

var categoryNames = map[string]string{
	"structure":    "结构",
	"completeness": "完整性",
	"normativity":  "规范性",
	"relational":   "关联性",
}

// categoryName returns the Chinese word for a rule category.
func categoryName(s string) string {
	if n, ok := categoryNames[s]; ok {
		return n
	}
	return s
}

// fileTitle names a report file for people: the path, and the sheet of a workbook.
func fileTitle(f *validate.File) string {
	if f.Sheet == "" {
		return f.Path
	}
	return f.Path + "「" + f.Sheet + "」"
}

// shortFileTitle is fileTitle with the file's base name only.
func shortFileTitle(f *validate.File) string {
	name := filepath.Base(f.Path)
	if f.Sheet == "" {
		return name
	}
	return name + "「" + f.Sheet + "」"
}

// ruleCategory returns the rule's category in the standard, or "".
func (c *catalog) ruleCategory(id string) string {
	if r := c.rules[id]; r != nil {
		return string(r.Category)
	}
	return ""
}

// fieldOf returns the field a header cell names (by id or Chinese label), or "".
func (c *catalog) fieldOf(dataset, header string) string {
	d := c.datasets[dataset]
	if d == nil {
		return ""
	}
	h := strings.TrimSpace(header)
	for _, f := range d.Fields {
		if f.Name == h || standard.NormalizeLabel(f.Label) == standard.NormalizeLabel(h) {
			return f.Name
		}
	}
	if f := d.Field(h); f != nil { // a loaded standard also strips trailing notes
		return f.Name
	}
	return ""
}
