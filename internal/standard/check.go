package standard

import (
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
)

// check is the semantic pass: everything the YAML decoder cannot see. It also builds
// the lookup maps of lookup.go.
func (c *checker) check() {
	s := c.std
	if strings.TrimSpace(s.Version) == "" {
		c.addf(c.root.line("version"), "缺少 version")
	}
	if strings.TrimSpace(s.Title) == "" {
		c.addf(c.root.line("title"), "缺少 title")
	}
	c.checkCodeLists()
	c.checkDatasets()
	c.checkRules()
	c.checkSettings()
}

// ---- code lists ----

func (c *checker) checkCodeLists() {
	s := c.std
	s.codeLists = map[string]*CodeList{}
	lists := c.root.child("code_lists")
	for i, cl := range s.CodeLists {
		at := lists.item(i)
		if cl == nil {
			c.addf(at.line(), "code_lists 第 %d 项为空", i+1)
			continue
		}
		cl.Line = at.line()
		switch {
		case strings.TrimSpace(cl.ID) == "":
			c.addf(at.line("id"), "代码表缺少 id")
			continue
		case s.codeLists[cl.ID] != nil:
			c.addf(at.line("id"), "代码表 %s 重复（第一次在第 %d 行）", cl.ID, s.codeLists[cl.ID].Line)
			continue
		}
		s.codeLists[cl.ID] = cl
		if strings.TrimSpace(cl.Name) == "" {
			c.addf(at.line("name"), "代码表 %s 缺少 name", cl.ID)
		}
		c.checkCodes(cl, at)
	}
}

func (c *checker) checkCodes(cl *CodeList, at src) {
	codes := at.child("codes")
	if len(cl.Codes) == 0 {
		c.addf(at.line("codes"), "代码表 %s 没有代码", cl.ID)
	}
	cl.lookup = map[string]int{}
	for j, code := range cl.Codes {
		if strings.TrimSpace(code.Code) == "" || code.Code != strings.TrimSpace(code.Code) {
			c.addf(codes.item(j).line("code"), "代码表 %s 第 %d 个代码为空或带空白", cl.ID, j+1)
			continue
		}
		if prev, dup := cl.lookup[code.Code]; dup && cl.Codes[prev].Code == code.Code {
			c.addf(codes.item(j).line("code"), "代码表 %s 代码 %s 重复", cl.ID, code.Code)
			continue
		}
		c.addKey(cl, code.Code, j, codes.item(j).line("code"))
	}
	for j, code := range cl.Codes {
		at := codes.item(j)
		if strings.TrimSpace(code.Name) == "" {
			c.addf(at.line("name"), "代码表 %s 代码 %s 缺少名称", cl.ID, code.Code)
		}
		for _, name := range append([]string{code.Name}, code.Aliases...) {
			if strings.TrimSpace(name) == "" {
				continue
			}
			c.addKey(cl, name, j, at.line("name"))
			if w := bracketWidthVariant(name); w != name {
				c.addKey(cl, w, j, at.line("name"))
			}
		}
		if code.Parent != "" {
			if p := cl.Code(code.Parent); p == nil || code.Parent == code.Code {
				c.addf(at.line("parent"), "代码表 %s 代码 %s 的上级代码 %s 不在本表中", cl.ID, code.Code, code.Parent)
			}
		}
	}
}

// addKey registers a lookup key; a name shared by two codes would make input ambiguous.
func (c *checker) addKey(cl *CodeList, key string, j, line int) {
	if prev, ok := cl.lookup[key]; ok {
		if prev != j {
			c.addf(line, "代码表 %s：%q 同时指向代码 %s 和 %s", cl.ID, key, cl.Codes[prev].Code, cl.Codes[j].Code)
		}
		return
	}
	cl.lookup[key] = j
}

// bracketWidthVariant swaps full-width brackets for half-width ones, or the other way
// round, so that a code name is found whichever width the cell uses (standard.md §2).
func bracketWidthVariant(s string) string {
	if strings.ContainsAny(s, "（）") {
		return strings.NewReplacer("（", "(", "）", ")").Replace(s)
	}
	return strings.NewReplacer("(", "（", ")", "）").Replace(s)
}

// ---- datasets ----

var identRE = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)

func (c *checker) checkDatasets() {
	s := c.std
	s.datasets = map[string]*Dataset{}
	list := c.root.child("datasets")
	if len(s.Datasets) == 0 {
		c.addf(c.root.keyLine("datasets"), "没有数据集")
	}
	for i, d := range s.Datasets {
		at := list.item(i)
		if d == nil {
			c.addf(at.line(), "datasets 第 %d 项为空", i+1)
			continue
		}
		d.Line = at.line()
		c.checkDatasetHead(d, at)
		c.checkFields(d, at)
	}
	for i, d := range s.Datasets {
		if d != nil {
			c.checkDatasetRefs(d, list.item(i))
		}
	}
	c.addStrippedDatasetLabels()
}

func (c *checker) checkDatasetHead(d *Dataset, at src) {
	s := c.std
	if strings.TrimSpace(d.Code) == "" {
		c.addf(at.line("code"), "数据集 %s 缺少 code", d.Name)
	}
	if !identRE.MatchString(d.Name) {
		c.addf(at.line("name"), "数据集名称 %q 应为小写字母、数字和下划线", d.Name)
	}
	if strings.TrimSpace(d.Label) == "" {
		c.addf(at.line("label"), "数据集 %s 缺少 label", d.Name)
	}
	keys := []struct{ key, what, yamlKey string }{
		{d.Name, "名称", "name"}, {strings.ToUpper(d.Code), "代码", "code"}, {NormalizeLabel(d.Label), "中文名", "label"},
	}
	for _, k := range keys {
		if k.key == "" {
			continue
		}
		if prev, dup := s.datasets[k.key]; dup && prev != d {
			c.addf(at.line(k.yamlKey), "数据集%s %q 与数据集 %s 重复", k.what, k.key, prev.Name)
			continue
		}
		s.datasets[k.key] = d
	}
}

// addStrippedDatasetLabels lets "营运船舶" find 营运船舶（船舶营业运输证）: a label without
// its trailing note, when no other dataset claims it.
func (c *checker) addStrippedDatasetLabels() {
	s := c.std
	labels := make([]string, len(s.Datasets))
	for i, d := range s.Datasets {
		if d != nil {
			labels[i] = d.Label
		}
	}
	addStripped(labels, s.datasets, func(i int) *Dataset { return s.Datasets[i] })
}

// addStripped registers each label without its trailing note under the value
// of its index, when the stripped form is unique among labels and not yet taken.
// Empty labels (nil entries) take no part.
func addStripped[V any](labels []string, m map[string]V, value func(i int) V) {
	seen := map[string]int{}
	for _, l := range labels {
		if l != "" {
			seen[NormalizeLabel(stripTrailingNote(l))]++
		}
	}
	for i, l := range labels {
		if l == "" {
			continue
		}
		k := NormalizeLabel(stripTrailingNote(l))
		if _, taken := m[k]; !taken && seen[k] == 1 {
			m[k] = value(i)
		}
	}
}

func (c *checker) checkFields(d *Dataset, at src) {
	d.fields = map[string]int{}
	fields := at.child("fields")
	if len(d.Fields) == 0 {
		c.addf(at.line("fields"), "数据集 %s 没有字段", d.Name)
	}
	for j, f := range d.Fields {
		fa := fields.item(j)
		if f == nil {
			c.addf(fa.line(), "数据集 %s 第 %d 个字段为空", d.Name, j+1)
			continue
		}
		f.Line = fa.line()
		c.registerField(d, j, f, fa)
		c.checkField(d, f, fa)
	}
	labels := make([]string, len(d.Fields))
	for j, f := range d.Fields {
		if f != nil {
			labels[j] = f.Label
		}
	}
	addStripped(labels, d.fields, func(j int) int { return j })
}

func (c *checker) registerField(d *Dataset, j int, f *Field, at src) {
	if !identRE.MatchString(f.Name) {
		c.addf(at.line("name"), "数据集 %s 字段名 %q 应为小写字母、数字和下划线", d.Name, f.Name)
	}
	if strings.TrimSpace(f.Label) == "" {
		c.addf(at.line("label"), "数据集 %s 字段 %s 缺少 label", d.Name, f.Name)
	}
	for _, k := range []struct{ key, yamlKey string }{{f.Name, "name"}, {NormalizeLabel(f.Label), "label"}} {
		if k.key == "" {
			continue
		}
		if prev, dup := d.fields[k.key]; dup && prev != j {
			c.addf(at.line(k.yamlKey), "数据集 %s 字段 %s：%q 与字段 %s 重复", d.Name, f.Name, k.key, d.Fields[prev].Name)
			continue
		}
		d.fields[k.key] = j
	}
}

func (c *checker) checkField(d *Dataset, f *Field, at src) {
	bad := func(key, format string, args ...any) {
		c.addf(at.line(key), "数据集 %s 字段 %s: %s", d.Name, f.Name, fmt.Sprintf(format, args...))
	}
	c.checkFieldType(f, bad)
	c.checkFieldFormat(f, bad)
	switch f.Required {
	case Mandatory, Optional:
		if f.When != nil {
			bad("when", "只有条件必填（C）的字段才能有 when")
		}
	case Conditional:
		if f.When == nil {
			bad("required", "条件必填（C）的字段必须有 when")
		}
	default:
		bad("required", "required 应为 M、C 或 O，不是 %q", f.Required)
	}
	switch f.Sharing {
	case "":
		f.Sharing = Shareable
	case Shareable, SharedOwner, NotShared:
	default:
		bad("sharing", "sharing 应为 shareable、conditional 或 not_shared，不是 %q", f.Sharing)
	}
}

func (c *checker) checkFieldType(f *Field, bad func(key, format string, args ...any)) {
	switch f.Type {
	case TypeString:
		if f.Length <= 0 {
			bad("length", "string 类型必须有正的 length")
		}
	case TypeDecimal:
		if f.Precision <= 0 || f.Scale < 0 || f.Scale > f.Precision {
			bad("precision", "decimal 类型需要 precision > 0 且 0 ≤ scale ≤ precision")
		}
	case TypeCode, TypeCodes:
		if f.CodeList == "" {
			bad("type", "%s 类型必须有 code_list", f.Type)
		} else if c.std.codeLists[f.CodeList] == nil {
			bad("code_list", "代码表 %s 不存在", f.CodeList)
		}
	case TypeID:
		if f.ID == "" {
			bad("type", "id 类型必须指明 id（标识符种类）")
		}
	case TypeDate, TypeInteger, TypeBoolean:
	default:
		bad("type", "未知的类型 %q（应为 string、code、codes、date、decimal、integer、boolean 或 id）", f.Type)
	}
	if f.CodeList != "" && f.Type != TypeCode && f.Type != TypeCodes {
		bad("code_list", "只有 code、codes 类型可以有 code_list")
	}
	if f.Type != TypeDecimal && (f.Precision != 0 || f.Scale != 0) {
		bad("precision", "只有 decimal 类型可以有 precision、scale")
	}
	if f.Length != 0 && f.Type != TypeString && f.Type != TypeID && f.Type != TypeCode {
		bad("length", "%s 类型不能有 length", f.Type)
	}
	if f.Length < 0 {
		bad("length", "length 不能为负")
	}
	if f.ID != "" {
		if !knownIDKind(f.ID) {
			bad("id", "未知的标识符种类 %q", f.ID)
		}
		if f.Type != TypeID && f.Type != TypeString {
			bad("id", "只有 id、string 类型可以有 id")
		}
	}
	if f.IDWhen != nil && f.ID == "" {
		bad("id_when", "没有 id 就不能有 id_when")
	}
}

func (c *checker) checkFieldFormat(f *Field, bad func(key, format string, args ...any)) {
	if f.Pattern != "" {
		if _, err := regexp.Compile(f.Pattern); err != nil {
			bad("pattern", "pattern 无法编译：%v", err)
		}
		if f.Type != TypeString && f.Type != TypeID {
			bad("pattern", "只有 string、id 类型可以有 pattern")
		}
	}
	switch f.PatternSeverity {
	case "":
	case Error, Warning:
		if f.Pattern == "" {
			bad("pattern_severity", "没有 pattern 就不能有 pattern_severity")
		}
	default:
		bad("pattern_severity", "pattern_severity 应为 error 或 warning，不是 %q", f.PatternSeverity)
	}
	if f.Min != nil || f.Max != nil {
		if f.Type != TypeInteger && f.Type != TypeDecimal {
			bad("min", "只有 integer、decimal 类型可以有 min、max")
		}
		for _, v := range []*float64{f.Min, f.Max} {
			if v != nil && (math.IsNaN(*v) || math.IsInf(*v, 0)) {
				bad("min", "min、max 必须是有限的数")
			}
		}
		if f.Min != nil && f.Max != nil && (*f.Min > *f.Max || (*f.Min == *f.Max && f.MinExclusive)) {
			bad("max", "范围为空：min %g > max %g", *f.Min, *f.Max)
		}
	}
	if f.MinExclusive && f.Min == nil {
		bad("min_exclusive", "没有 min 就不能有 min_exclusive")
	}
}

func knownIDKind(k IDKind) bool {
	switch k {
	case IDUSCC, IDOrgCode, IDCitizen, IDUSCCOrCitizen, IDIMO, IDMMSI, IDCNShip, IDRegion, IDPortLicense, IDProjectCode:
		return true
	}
	return false
}

// checkDatasetRefs checks what names other fields or datasets: keys, conditions, refs.
func (c *checker) checkDatasetRefs(d *Dataset, at src) {
	c.checkKey(d, d.Key, "key", at, true)
	c.checkKey(d, d.AltKey, "alt_key", at, false)
	fields := at.child("fields")
	for j, f := range d.Fields {
		if f == nil {
			continue
		}
		fa := fields.item(j)
		if f.When != nil {
			c.checkCondition(d, f, f.When, fa.child("when"), "when")
		}
		if f.IDWhen != nil {
			c.checkCondition(d, f, f.IDWhen, fa.child("id_when"), "id_when")
		}
		if f.Ref != "" {
			c.checkRef(d, f, fa)
		}
	}
}

func (c *checker) checkKey(d *Dataset, key []string, what string, at src, required bool) {
	if required && len(key) == 0 {
		c.addf(at.line(what), "数据集 %s 缺少业务键 %s", d.Name, what)
	}
	seen := map[string]bool{}
	for _, k := range key {
		if d.Field(k) == nil || d.Fields[d.FieldIndex(k)].Name != k {
			c.addf(at.line(what), "数据集 %s 的 %s 字段 %s 不存在", d.Name, what, k)
		}
		if seen[k] {
			c.addf(at.line(what), "数据集 %s 的 %s 字段 %s 重复", d.Name, what, k)
		}
		seen[k] = true
	}
}

func (c *checker) checkRef(d *Dataset, f *Field, at src) {
	ds, fname, ok := strings.Cut(f.Ref, ".")
	target := c.std.datasets[ds]
	if !ok || target == nil || target.Name != ds || target.fields == nil {
		c.addf(at.line("ref"), "数据集 %s 字段 %s: ref %q 应为 数据集名.字段名，且数据集存在", d.Name, f.Name, f.Ref)
		return
	}
	if i, ok := target.fields[fname]; !ok || target.Fields[i].Name != fname {
		c.addf(at.line("ref"), "数据集 %s 字段 %s: ref %q 的字段 %s 不存在", d.Name, f.Name, f.Ref, fname)
	}
}

func (c *checker) checkCondition(d *Dataset, owner *Field, cond *Condition, at src, what string) {
	bad := func(key, format string, args ...any) {
		c.addf(at.line(key), "数据集 %s 字段 %s: %s %s", d.Name, owner.Name, what, fmt.Sprintf(format, args...))
	}
	i, ok := d.fields[cond.Field]
	if !ok || d.Fields[i].Name != cond.Field {
		bad("field", "引用的字段 %q 不存在", cond.Field)
		return
	}
	target := d.Fields[i]
	if target == owner {
		bad("field", "不能以字段自身为条件")
	}
	if strings.TrimSpace(cond.Text) == "" {
		bad("text", "缺少中文说明 text")
	}
	switch cond.Op {
	case OpIn, OpNotIn, OpIntersects:
		if len(cond.Values) == 0 {
			bad("values", "op %s 需要 values", cond.Op)
		}
	case OpGTE:
		if len(cond.Values) != 1 {
			bad("values", "op gte 需要正好一个值")
		}
	case OpPresent, OpAbsent:
		if len(cond.Values) != 0 {
			bad("values", "op %s 不能有 values", cond.Op)
		}
		return
	default:
		bad("op", "未知的 op %q（应为 in、not_in、present、absent、intersects 或 gte）", cond.Op)
		return
	}
	if cond.Op == OpIntersects && target.Type != TypeCodes {
		bad("op", "intersects 只能用于 codes 类型的字段，%s 是 %s", target.Name, target.Type)
	}
	for _, v := range cond.Values {
		if msg := c.badConditionValue(target, v); msg != "" {
			bad("values", "值 %q %s", v, msg)
		}
	}
}

// badConditionValue checks a condition value against the normalised form of the
// field it tests: codes as codes, booleans as 1/0, dates as YYYY-MM-DD.
func (c *checker) badConditionValue(f *Field, v string) string {
	switch f.Type {
	case TypeCode, TypeCodes:
		if cl := c.std.codeLists[f.CodeList]; cl != nil && cl.Code(v) == nil {
			return fmt.Sprintf("不是代码表 %s 的代码", f.CodeList)
		}
	case TypeBoolean:
		if v != "1" && v != "0" {
			return "应为 1 或 0"
		}
	case TypeDate:
		if !isDate(v) {
			return "应为 YYYY-MM-DD 日期"
		}
	case TypeInteger, TypeDecimal:
		if _, err := strconv.ParseFloat(v, 64); err != nil {
			return "不是数"
		}
	}
	return ""
}

// ---- rules ----

func (c *checker) checkRules() {
	s := c.std
	s.rules = map[string]*Rule{}
	list := c.root.child("rules")
	for i, r := range s.Rules {
		at := list.item(i)
		if r == nil {
			c.addf(at.line(), "rules 第 %d 项为空", i+1)
			continue
		}
		r.Line = at.line()
		want := RuleCategory(r.ID)
		switch {
		case want == "":
			c.addf(at.line("id"), "未知的规则 %q（校验引擎不认识）", r.ID)
			continue
		case s.rules[r.ID] != nil:
			c.addf(at.line("id"), "规则 %s 重复（第一次在第 %d 行）", r.ID, s.rules[r.ID].Line)
			continue
		}
		s.rules[r.ID] = r
		c.checkRule(r, want, at)
	}
	for _, id := range KnownRules {
		if s.rules[id] == nil {
			c.addf(c.root.keyLine("rules"), "缺少规则 %s（停用请写 enabled: false）", id)
		}
	}
}

func (c *checker) checkRule(r *Rule, want Category, at src) {
	bad := func(key, format string, args ...any) {
		c.addf(at.line(key), "规则 %s: %s", r.ID, fmt.Sprintf(format, args...))
	}
	switch r.Category {
	case Structure, Completeness, Normativity, Relational:
		if r.Category != want {
			bad("category", "类别应为 %s（contracts.md §3），不是 %s", want, r.Category)
		}
	default:
		bad("category", "未知的类别 %q", r.Category)
	}
	if !validSeverity(r.Severity) {
		bad("severity", "未知的严重程度 %q（应为 error 或 warning）", r.Severity)
	}
	for part, sev := range r.Parts {
		if !contains(KnownParts[r.ID], part) {
			bad("parts", "没有名为 %q 的部分", part)
		}
		if !validSeverity(sev) {
			bad("parts", "部分 %s 的严重程度 %q 无效（应为 error 或 warning）", part, sev)
		}
	}
	for _, name := range r.Datasets {
		if d := c.std.datasets[name]; d == nil || d.Name != name {
			bad("datasets", "数据集 %q 不存在", name)
		}
	}
	if strings.TrimSpace(r.Title) == "" {
		bad("title", "缺少 title")
	}
	switch r.Tag {
	case "", "V", "O", "R":
	default:
		bad("tag", "tag 应为 V、O 或 R，不是 %q", r.Tag)
	}
}

func validSeverity(s Severity) bool { return s == Error || s == Warning }

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// ---- settings ----

func (c *checker) checkSettings() {
	st := &c.std.Settings
	at := c.root.child("settings")
	if at.n == nil {
		c.addf(0, "缺少 settings")
		return
	}
	for _, k := range []string{
		"null_values", "jurisdictions", "grace_days", "d02_max_years", "d08_max_years_before",
		"d08_max_years_from", "d08_rule_change", "trial_max_months", "tonnage_tolerance",
		"investment_overrun", "shrink_guard",
	} {
		if !at.has(k) {
			c.addf(c.root.keyLine("settings"), "settings 缺少 %s", k)
		}
	}
	bad := func(key, format string, args ...any) {
		c.addf(at.line(key), "settings.%s: %s", key, fmt.Sprintf(format, args...))
	}
	for _, v := range st.NullValues {
		if strings.TrimSpace(v) == "" {
			bad("null_values", "空值记号不能为空白")
		}
	}
	if !c.noRegions {
		c.checkJurisdictions(st, bad)
	}
	if st.GraceDays < 0 {
		bad("grace_days", "不能为负")
	}
	for _, p := range []struct {
		key string
		v   int
	}{{"d02_max_years", st.D02MaxYears}, {"d08_max_years_before", st.D08MaxYearsBefore},
		{"d08_max_years_from", st.D08MaxYearsFrom}, {"trial_max_months", st.TrialMaxMonths}} {
		if p.v < 1 && at.has(p.key) {
			bad(p.key, "应为正整数")
		}
	}
	if !isDate(st.D08RuleChange) && at.has("d08_rule_change") {
		bad("d08_rule_change", "%q 不是 YYYY-MM-DD 日期", st.D08RuleChange)
	}
	if !(st.TonnageTolerance >= 0 && st.TonnageTolerance < 1) {
		bad("tonnage_tolerance", "应在 0 到 1 之间（相对差，0.01 = 1%%）")
	}
	if !(st.InvestmentOverrun >= 1) && at.has("investment_overrun") {
		bad("investment_overrun", "应不小于 1")
	}
	if !(st.ShrinkGuard > 0 && st.ShrinkGuard <= 1) && at.has("shrink_guard") {
		bad("shrink_guard", "应在 0（不含）到 1 之间")
	}
}

func (c *checker) checkJurisdictions(st *Settings, bad func(key, format string, args ...any)) {
	for agency, provinces := range st.Jurisdictions {
		if agency != "CJ0000" && agency != "ZJ0000" {
			bad("jurisdictions", "%q 不是航务管理局代码（CJ0000、ZJ0000）", agency)
		}
		if len(provinces) == 0 {
			bad("jurisdictions", "%s 没有列出省份", agency)
		}
		seen := map[string]bool{}
		for _, p := range provinces {
			g, ok := c.std.Regions.Lookup(p)
			if !ok || p[2:] != "0000" || g.Retired != "" {
				bad("jurisdictions", "%s 的 %q 不是现行省级行政区划代码", agency, p)
			}
			if seen[p] {
				bad("jurisdictions", "%s 的 %s 重复", agency, p)
			}
			seen[p] = true
		}
	}
}
