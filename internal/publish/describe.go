package publish

import (
	"fmt"
	"strconv"
	"strings"

	"shuiyun/internal/standard"
)

// This file holds the Chinese wording shared by the catalogue, the templates and
// the HTML page, so that every rendering says the same thing about a field.

var typeNames = map[standard.FieldType]string{
	standard.TypeString:  "文本",
	standard.TypeCode:    "代码",
	standard.TypeCodes:   "代码集",
	standard.TypeDate:    "日期",
	standard.TypeDecimal: "数值",
	standard.TypeInteger: "整数",
	standard.TypeBoolean: "是否",
	standard.TypeID:      "标识符",
}

var idNames = map[standard.IDKind]string{
	standard.IDUSCC:          "统一社会信用代码：18 位，含 GB 32100 校验位",
	standard.IDOrgCode:       "组织机构代码：9 位，含 GB 11714 校验位",
	standard.IDCitizen:       "公民身份号码：18 位，含 GB 11643 校验位",
	standard.IDUSCCOrCitizen: "统一社会信用代码（18 位）或个体的公民身份号码（18 位），均含校验位",
	standard.IDIMO:           "IMO 编号：7 位数字，末位为校验位",
	standard.IDMMSI:          "MMSI：9 位数字",
	standard.IDCNShip:        "船舶识别号：CN + 11 位数字，末位为校验位",
	standard.IDRegion:        "行政区划代码：6 位数字（GB/T 2260）",
	standard.IDPortLicense:   "港口经营许可证编号：（省市简称）港经证（序号）号",
	standard.IDProjectCode:   "投资项目代码：YYYY-RRRRRR-DD-TT-NNNNNC",
}

var requiredNames = map[standard.Requirement]string{
	standard.Mandatory:   "必填",
	standard.Conditional: "条件必填",
	standard.Optional:    "选填",
}

var sharingNames = map[standard.Sharing]string{
	standard.Shareable:   "共享",
	standard.SharedOwner: "有条件共享（仅本单位和部可见）",
	standard.NotShared:   "不共享（对其他单位脱敏）",
}

var categoryNames = map[standard.Category]string{
	standard.Structure:    "结构",
	standard.Completeness: "完整性",
	standard.Normativity:  "规范性",
	standard.Relational:   "关联性",
}

var severityNames = map[standard.Severity]string{
	standard.Error:   "错误",
	standard.Warning: "警告",
}

// name returns the Chinese name of a value from one of the tables above, or the
// value itself when the table does not know it (a newer standard file).
func name[K ~string](m map[K]string, k K) string {
	if s, ok := m[k]; ok {
		return s
	}
	return string(k)
}

// typeText says a field's type in Chinese: "文本", "代码（C04 证照状态）", "数值 decimal(12,3)".
func typeText(std *standard.Standard, f *standard.Field) string {
	t := name(typeNames, f.Type)
	switch f.Type {
	case standard.TypeCode, standard.TypeCodes:
		if cl := codeList(std, f.CodeList); cl != nil {
			t += "（" + cl.ID + " " + cl.Name + "）"
		}
	case standard.TypeDecimal:
		t += fmt.Sprintf(" decimal(%d,%d)", f.Precision, f.Scale)
	}
	return t
}

// formatText says what a value must look like: length, pattern, range,
// identifier structure. "" when nothing beyond the type is required.
func formatText(f *standard.Field) string {
	var parts []string
	switch f.Type {
	case standard.TypeDate:
		parts = append(parts, "YYYY-MM-DD")
	case standard.TypeBoolean:
		parts = append(parts, "填 1/0 或 是/否")
	case standard.TypeCodes:
		parts = append(parts, "多个代码用 | 分隔")
	case standard.TypeDecimal:
		parts = append(parts, fmt.Sprintf("最多 %d 位整数、%d 位小数", f.Precision-f.Scale, f.Scale))
	}
	if f.Length > 0 {
		parts = append(parts, fmt.Sprintf("不超过 %d 个字符", f.Length))
	}
	if f.ID != "" {
		parts = append(parts, name(idNames, f.ID))
	}
	if f.Pattern != "" {
		p := "格式 " + f.Pattern
		if f.PatternText != "" {
			p = "应为" + f.PatternText
		}
		if f.PatternSeverity == standard.Warning {
			p += "（不符时仅警告）"
		}
		parts = append(parts, p)
	}
	if r := rangeText(f); r != "" {
		parts = append(parts, r)
	}
	return strings.Join(parts, "；")
}

// rangeText says a numeric range: "> 0", "≥ 0", "0 ~ 5000".
func rangeText(f *standard.Field) string {
	num := func(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }
	ge := "≥ "
	if f.MinExclusive {
		ge = "> "
	}
	switch {
	case f.Min != nil && f.Max != nil && !f.MinExclusive:
		return "取值 " + num(*f.Min) + " ~ " + num(*f.Max)
	case f.Min != nil && f.Max != nil:
		return "取值 " + ge + num(*f.Min) + " 且 ≤ " + num(*f.Max)
	case f.Min != nil:
		return "取值 " + ge + num(*f.Min)
	case f.Max != nil:
		return "取值 ≤ " + num(*f.Max)
	}
	return ""
}

// requiredText says whether a field must be filled, with the condition of a
// conditional field: "必填", "条件必填：状态为撤销、吊销或注销时".
func requiredText(ds *standard.Dataset, f *standard.Field) string {
	s := name(requiredNames, f.Required)
	if f.Required == standard.Conditional && f.When != nil {
		s += "：" + conditionText(ds, f.When)
	}
	return s
}

// conditionText says a condition in Chinese: its own Text when the standard gives
// one, else built from the operator: "状态（status）为 2、3、4 时".
func conditionText(ds *standard.Dataset, c *standard.Condition) string {
	if c.Text != "" {
		return c.Text
	}
	subject := c.Field
	if f := field(ds, c.Field); f != nil {
		subject = f.Label + "（" + f.Name + "）"
	}
	values := strings.Join(c.Values, "、")
	switch c.Op {
	case standard.OpIn:
		return subject + "为 " + values + " 时"
	case standard.OpNotIn:
		return subject + "为空或不为 " + values + " 时"
	case standard.OpPresent:
		return subject + "已填写时"
	case standard.OpAbsent:
		return subject + "为空时"
	case standard.OpIntersects:
		return subject + "含 " + values + " 中任一代码时"
	case standard.OpGTE:
		return subject + "不早于（不小于） " + values + " 时"
	}
	return subject + " " + string(c.Op) + " " + values
}

// sharingText names a field's sharing class; an empty class is shareable.
func sharingText(s standard.Sharing) string {
	if s == "" {
		s = standard.Shareable
	}
	return name(sharingNames, s)
}

// refText says what a field refers to: "参照 D02 国内水路运输经营许可证.license_no（许可证编号）".
func refText(std *standard.Standard, f *standard.Field) string {
	if f.Ref == "" {
		return ""
	}
	ds, rf := resolveRef(std, f.Ref)
	if ds == nil {
		return "参照 " + f.Ref
	}
	s := "参照 " + ds.Code + " " + ds.Label
	if rf != nil {
		s += "." + rf.Name + "（" + rf.Label + "）"
	}
	return s
}

// codeList finds a code list by id. It scans the slice rather than using the
// standard's index so that it also works on a standard built by hand in tests.
func codeList(std *standard.Standard, id string) *standard.CodeList {
	if id == "" {
		return nil
	}
	for _, cl := range std.CodeLists {
		if cl.ID == id {
			return cl
		}
	}
	return nil
}

// dataset finds a dataset by name or code.
func dataset(std *standard.Standard, key string) *standard.Dataset {
	for _, ds := range std.Datasets {
		if ds.Name == key || strings.EqualFold(ds.Code, key) {
			return ds
		}
	}
	return nil
}

// field finds a field of a dataset by name.
func field(ds *standard.Dataset, fieldName string) *standard.Field {
	if ds == nil {
		return nil
	}
	for _, f := range ds.Fields {
		if f.Name == fieldName {
			return f
		}
	}
	return nil
}

// resolveRef splits a ref such as "waterway_transport_license.license_no" or
// "D02.license_no" into its dataset and field. The field is nil when the ref
// names a dataset only or a field the dataset does not have.
func resolveRef(std *standard.Standard, ref string) (*standard.Dataset, *standard.Field) {
	dsKey, fieldName, _ := strings.Cut(ref, ".")
	ds := dataset(std, dsKey)
	return ds, field(ds, fieldName)
}
