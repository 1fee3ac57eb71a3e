package publish

import (
	"embed"
	"fmt"
	"html/template"
	"io"
	"sort"
	"strconv"
	"strings"

	"shuiyun/internal/standard"
)

//go:embed templates/standard.html
var templateFS embed.FS

// docTemplate is parsed once at start-up, so a broken template fails every test.
var docTemplate = template.Must(template.ParseFS(templateFS, "templates/standard.html"))

// WriteHTMLDocs writes the standard as one self-contained Chinese HTML page:
// contents, every dataset with its fields, the code lists, the rules, the
// settings and the region table's source. CSS is inline and nothing is fetched.
func WriteHTMLDocs(w io.Writer, std *standard.Standard) error {
	if err := docTemplate.Execute(w, newHTMLPage(std)); err != nil {
		return fmt.Errorf("write standard HTML: %w", err)
	}
	return nil
}

// htmlPage is the view model of the page: every string already in Chinese, so
// the template only lays things out.
type htmlPage struct {
	Title, Version, Source string
	Datasets               []htmlDataset
	CodeLists              []htmlCodeList
	Rules                  []htmlRule
	Settings               []htmlSetting
	Regions                *jsonRegionInfo
}

type htmlDataset struct {
	Code, Name, Label, Key, Note string
	Reference                    bool
	Fields                       []htmlField
}

type htmlField struct {
	N                                   int
	Name, Label, Type, CodeList, Format string
	Required, RequiredText              string
	Ref, Sharing, Note                  string
}

type htmlCodeList struct {
	ID, Name, Note string
	Codes          []htmlCode
	UsedBy         []string
}

type htmlCode struct {
	Code, Name, Aliases, Parent string
}

type htmlRule struct {
	ID, Category, Severity, SeverityClass string
	Enabled                               bool
	Title, Text, Datasets, Parts, Tag     string
}

type htmlSetting struct {
	Label, Key, Value string
}

func newHTMLPage(std *standard.Standard) htmlPage {
	p := htmlPage{Title: std.Title, Version: std.Version, Source: std.Source, Settings: htmlSettings(std.Settings)}
	usedBy := map[string][]string{}
	for _, ds := range std.Datasets {
		p.Datasets = append(p.Datasets, htmlDatasetOf(std, ds))
		for _, f := range ds.Fields {
			if f.CodeList != "" {
				usedBy[f.CodeList] = append(usedBy[f.CodeList], ds.Code+"."+f.Name)
			}
		}
	}
	for _, cl := range std.CodeLists {
		p.CodeLists = append(p.CodeLists, htmlCodeListOf(cl, usedBy[cl.ID]))
	}
	for _, r := range std.Rules {
		p.Rules = append(p.Rules, htmlRuleOf(r))
	}
	if r := std.Regions; r != nil {
		p.Regions = &jsonRegionInfo{Source: r.Source, Date: r.Date, Count: r.Len()}
	}
	return p
}

func htmlDatasetOf(std *standard.Standard, ds *standard.Dataset) htmlDataset {
	key := strings.Join(ds.Key, " + ")
	if len(ds.AltKey) > 0 {
		key += "（均为空时用 " + strings.Join(ds.AltKey, " + ") + "）"
	}
	out := htmlDataset{Code: ds.Code, Name: ds.Name, Label: ds.Label, Key: key, Note: ds.Note, Reference: ds.Reference}
	for i, f := range ds.Fields {
		rt := name(requiredNames, f.Required)
		if f.Required == standard.Conditional && f.When != nil {
			rt = conditionText(ds, f.When)
		}
		cl := ""
		if codeList(std, f.CodeList) != nil {
			cl = f.CodeList
		}
		out.Fields = append(out.Fields, htmlField{
			N: i + 1, Name: f.Name, Label: f.Label, Type: typeText(std, f), CodeList: cl, Format: formatText(f),
			Required: string(f.Required), RequiredText: rt, Ref: strings.TrimPrefix(refText(std, f), "参照 "),
			Sharing: sharingText(f.Sharing), Note: f.Note,
		})
	}
	return out
}

func htmlCodeListOf(cl *standard.CodeList, usedBy []string) htmlCodeList {
	out := htmlCodeList{ID: cl.ID, Name: cl.Name, Note: cl.Note, UsedBy: usedBy}
	for _, c := range cl.Codes {
		out.Codes = append(out.Codes, htmlCode{Code: c.Code, Name: c.Name, Aliases: strings.Join(c.Aliases, "、"), Parent: c.Parent})
	}
	return out
}

func htmlRuleOf(r *standard.Rule) htmlRule {
	var parts []string
	for _, k := range sortedKeys(r.Parts) {
		parts = append(parts, k+"："+name(severityNames, r.Parts[k]))
	}
	return htmlRule{
		ID: r.ID, Category: name(categoryNames, r.Category), Severity: name(severityNames, r.Severity),
		SeverityClass: string(r.Severity), Enabled: r.On(), Title: r.Title, Text: r.Text,
		Datasets: strings.Join(r.Datasets, "、"), Parts: strings.Join(parts, "；"), Tag: r.Tag,
	}
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func htmlSettings(s standard.Settings) []htmlSetting {
	num := func(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }
	var jur []string
	for _, k := range sortedKeys(s.Jurisdictions) {
		jur = append(jur, k+"："+strings.Join(s.Jurisdictions[k], "、"))
	}
	quoted := make([]string, len(s.NullValues))
	for i, v := range s.NullValues {
		quoted[i] = "“" + v + "”"
	}
	return []htmlSetting{
		{"视为空值的内容（另含空白）", "null_values", strings.Join(quoted, "、")},
		{"长航局、珠航局可报送的省份", "jurisdictions", strings.Join(jur, "；")},
		{"许可注销后证书注销的宽限天数", "grace_days", strconv.Itoa(s.GraceDays)},
		{"D02 有效期上限（年）", "d02_max_years", strconv.Itoa(s.D02MaxYears)},
		{"D08 有效期上限（规则变更前发证，年）", "d08_max_years_before", strconv.Itoa(s.D08MaxYearsBefore)},
		{"D08 有效期上限（规则变更起发证，年）", "d08_max_years_from", strconv.Itoa(s.D08MaxYearsFrom)},
		{"D08 规则变更日期", "d08_rule_change", s.D08RuleChange},
		{"试运行许可有效期上限（月）", "trial_max_months", strconv.Itoa(s.TrialMaxMonths)},
		{"总吨比对容差（比例）", "tonnage_tolerance", num(s.TonnageTolerance)},
		{"完成投资上限（总投资的倍数）", "investment_overrun", num(s.InvestmentOverrun)},
		{"全量包撤回记录比例上限", "shrink_guard", num(s.ShrinkGuard)},
	}
}
