package validate

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"shuiyun/internal/ident"
)

// rowRule is a compiled cross-field rule: it reads the row's normalised values
// and reports through the worker.
type rowRule func(w *worker, v []value)

// fieldsOf returns the indices of the named fields, -1 for those the dataset lacks.
func (p *plan) fieldsOf(names ...string) []int {
	out := make([]int, len(names))
	for i, n := range names {
		if j, found := p.at[n]; found {
			out[i] = j
		} else {
			out[i] = -1
		}
	}
	return out
}

func has(v []value, i int) bool { return i >= 0 && v[i].known() }

// rowRules compiles the cross-field rules that apply to the plan's dataset.
func (c *checker) rowRules(p *plan) []rowRule {
	var rules []rowRule
	add := func(r rowRule) {
		if r != nil {
			rules = append(rules, r)
		}
	}
	add(c.dat01(p))
	add(c.dat02(p))
	add(c.dat03(p))
	switch p.ds.Name {
	case "waterway_transport_license":
		add(c.dat05(p))
	case "vessel_operating_certificate":
		add(c.dat06(p, "build_date", "rebuild_date"))
		add(c.dat06issue(p))
		add(c.rel06ship(p))
		add(c.rel08(p))
		add(c.rel09(p))
	case "msa_vessel_registration":
		add(c.dat06(p, "keel_laid_date", "build_date", "rebuild_date"))
		add(c.dat07(p))
	case "port_operation_license":
		add(c.dat04(p))
		add(c.rel19(p))
	case "waterway_construction_project":
		add(c.dat08(p))
		add(c.rel25(p))
	}
	add(c.rel20(p))
	add(c.rel21(p))
	add(c.rel22(p))
	return rules
}

func (c *checker) dat01(p *plan) rowRule {
	f := p.fieldsOf("issue_date", "valid_from", "valid_to")
	issue, from, to := f[0], f[1], f[2]
	if issue < 0 && from < 0 {
		return nil
	}
	return func(w *worker, v []value) {
		if has(v, issue) && v[issue].day > c.today {
			w.emit(issue, "DAT-01", "", fmt.Sprintf("发证日期 %s 晚于今天 %s", v[issue].s, c.asOfText))
		}
		switch {
		case has(v, from) && has(v, to) && v[from].day > v[to].day:
			w.emit(to, "DAT-01", "", fmt.Sprintf("有效期至 %s 早于有效期起 %s", v[to].s, v[from].s))
		case has(v, issue) && has(v, to) && v[issue].day > v[to].day:
			w.emit(to, "DAT-01", "", fmt.Sprintf("有效期至 %s 早于发证日期 %s", v[to].s, v[issue].s))
		}
	}
}

func (c *checker) dat02(p *plan) rowRule {
	f := p.fieldsOf("status", "valid_to")
	status, to := f[0], f[1]
	if status < 0 || to < 0 {
		return nil
	}
	return func(w *worker, v []value) {
		if has(v, status) && v[status].s == "1" && has(v, to) && v[to].day < c.today {
			w.emit(status, "DAT-02", "", fmt.Sprintf("有效期至 %s 已过，状态仍为存续；将按“过期”处理", v[to].s))
		}
	}
}

func (c *checker) dat03(p *plan) rowRule {
	f := p.fieldsOf("status", "cancel_date", "issue_date")
	status, cancel, issue := f[0], f[1], f[2]
	if status < 0 || cancel < 0 || issue < 0 {
		return nil
	}
	return func(w *worker, v []value) {
		if has(v, status) && isCancelled(v[status].s) && has(v, cancel) && has(v, issue) && v[cancel].day < v[issue].day {
			w.emit(cancel, "DAT-03", "", fmt.Sprintf("注销/撤销/吊销日期 %s 早于发证日期 %s", v[cancel].s, v[issue].s))
		}
	}
}

func isCancelled(status string) bool { return status == "2" || status == "3" || status == "4" }

// dat04 bounds a port licence's validity: 3 years before the 2020 rule, 5 after; trial operation 6 months.
func (c *checker) dat04(p *plan) rowRule {
	f := p.fieldsOf("issue_date", "valid_to", "is_trial")
	issue, to, trial := f[0], f[1], f[2]
	s := c.std.Settings
	change, _ := parseDate(s.D08RuleChange)
	return func(w *worker, v []value) {
		if !has(v, issue) || !has(v, to) {
			return
		}
		limit, what := addYears(v[issue].day, s.D08MaxYearsFrom, 0), fmt.Sprintf("%d 年", s.D08MaxYearsFrom)
		if v[issue].day < change {
			limit, what = addYears(v[issue].day, s.D08MaxYearsBefore, 0), fmt.Sprintf("%d 年", s.D08MaxYearsBefore)
		}
		if has(v, trial) && v[trial].s == "1" {
			limit, what = addYears(v[issue].day, 0, s.TrialMaxMonths), fmt.Sprintf("试运行 %d 个月", s.TrialMaxMonths)
		}
		if v[to].day > limit {
			w.emit(to, "DAT-04", "", fmt.Sprintf("有效期超过 %s：最迟应至 %s", what, dayString(limit)))
		}
	}
}

func (c *checker) dat05(p *plan) rowRule {
	f := p.fieldsOf("issue_date", "valid_from", "valid_to")
	issue, from, to := f[0], f[1], f[2]
	years := c.std.Settings.D02MaxYears
	return func(w *worker, v []value) {
		start := from
		if !has(v, from) {
			start = issue
		}
		if !has(v, start) || !has(v, to) {
			return
		}
		if limit := addYears(v[start].day, years, 0); v[to].day > limit {
			w.emit(to, "DAT-05", "", fmt.Sprintf("许可有效期超过 %d 年：最迟应至 %s", years, dayString(limit)))
		}
	}
}

// dat06 checks a chain of ship dates, each ≤ the next and ≤ today, reporting on the later field.
func (c *checker) dat06(p *plan, names ...string) rowRule {
	idx := p.fieldsOf(names...)
	return func(w *worker, v []value) {
		prev := -1
		for _, i := range idx {
			if !has(v, i) {
				continue
			}
			switch {
			case prev >= 0 && v[i].day < v[prev].day:
				w.emit(i, "DAT-06", "", fmt.Sprintf("%s %s 早于%s %s", p.ds.Fields[i].Label, v[i].s, p.ds.Fields[prev].Label, v[prev].s))
			case v[i].day > c.today:
				w.emit(i, "DAT-06", "", fmt.Sprintf("%s %s 晚于今天", p.ds.Fields[i].Label, v[i].s))
			}
			prev = i
		}
	}
}

// dat06issue: a certificate is issued after the ship is built.
func (c *checker) dat06issue(p *plan) rowRule {
	f := p.fieldsOf("build_date", "issue_date")
	build, issue := f[0], f[1]
	return func(w *worker, v []value) {
		if has(v, build) && has(v, issue) && v[issue].day < v[build].day {
			w.emit(issue, "DAT-06", "", fmt.Sprintf("发证日期 %s 早于建成日期 %s", v[issue].s, v[build].s))
		}
	}
}

func (c *checker) dat07(p *plan) rowRule {
	f := p.fieldsOf("keel_laid_date", "ship_id")
	keel, ship := f[0], f[1]
	return func(w *worker, v []value) {
		if !has(v, keel) || !has(v, ship) || len(v[ship].s) < 6 {
			return
		}
		if y := v[ship].s[2:6]; v[keel].s[:4] != y {
			w.emit(keel, "DAT-07", "", fmt.Sprintf("安放龙骨日期的年份 %s 与船舶识别号中的年份 %s 不一致", v[keel].s[:4], y))
		}
	}
}

func (c *checker) dat08(p *plan) rowRule {
	chain := p.fieldsOf("fs_approval_date", "pd_approval_date", "cd_approval_date", "start_date", "handover_date", "completion_date")
	f := p.fieldsOf("completed_investment", "total_investment")
	done, total := f[0], f[1]
	overrun := c.std.Settings.InvestmentOverrun
	return func(w *worker, v []value) {
		prev := -1
		for _, i := range chain {
			if !has(v, i) {
				continue
			}
			if prev >= 0 && v[i].day < v[prev].day {
				w.emit(i, "DAT-08", "order", fmt.Sprintf("%s %s 早于%s %s", p.ds.Fields[i].Label, v[i].s, p.ds.Fields[prev].Label, v[prev].s))
			}
			prev = i
		}
		if has(v, done) && has(v, total) && v[done].num > v[total].num*overrun {
			w.emit(done, "DAT-08", "investment", fmt.Sprintf("累计完成投资 %s 万元超过总投资 %s 万元的 %g 倍", v[done].s, v[total].s, overrun))
		}
	}
}

// C02 scope groups (standard.md §8a.14).
var (
	cargoScopes     = []string{"11", "12", "21", "22", "23", "24", "25", "41"}
	dangerousScopes = []string{"21", "22", "23", "24", "25"}
	passengerScopes = []string{"31", "32", "33", "34"}
	dgType          = map[string]string{"21": "OIL", "22": "CHEM", "23": "LPG", "24": "ASP"}
)

// maskOf returns the code bits of codes in the field's list.
func maskOf(fp *fieldPlan, codes ...string) uint64 {
	var m uint64
	for _, code := range codes {
		if j, found := fp.codeIndex[code]; found {
			m |= 1 << uint(j&63)
		}
	}
	return m
}

func (c *checker) rel06ship(p *plan) rowRule {
	f := p.fieldsOf("ship_scope", "licensed_scope")
	ship, lic := f[0], f[1]
	return func(w *worker, v []value) {
		if has(v, ship) && has(v, lic) && v[ship].set&^v[lic].set != 0 {
			w.emit(ship, "REL-06", "", "本船经营范围超出了核定经营范围")
		}
	}
}

func (c *checker) rel08(p *plan) rowRule {
	f := p.fieldsOf("ship_scope", "ship_type")
	scope, typ := f[0], f[1]
	fp := p.fields[scope]
	dg := maskOf(fp, dangerousScopes...)
	return func(w *worker, v []value) {
		if !has(v, scope) || !has(v, typ) || v[scope].set&dg == 0 {
			return
		}
		allowed := map[string]bool{}
		for code, t := range dgType {
			if v[scope].set&maskOf(fp, code) != 0 {
				allowed[t] = true
			}
		}
		if v[scope].set&maskOf(fp, "25") != 0 || len(allowed) == 0 {
			allowed = map[string]bool{"OIL": true, "CHEM": true, "LPG": true, "ASP": true}
		}
		if !allowed[v[typ].s] {
			w.emit(typ, "REL-08", "", fmt.Sprintf("经营范围含危险品船运输，船舶类型 %s 与之不符", v[typ].s))
		}
	}
}

func (c *checker) rel09(p *plan) rowRule {
	f := p.fieldsOf("ship_scope", "passenger_capacity", "vehicle_slots", "teu", "dwt")
	scope := f[0]
	fp := p.fields[scope]
	checks := []struct {
		mask  uint64
		field int
		what  string
	}{
		{maskOf(fp, passengerScopes...), f[1], "客运经营范围的客位"},
		{maskOf(fp, "32"), f[2], "客滚船运输的车位"},
		{maskOf(fp, "41"), f[3], "集装箱船运输的箱位"},
		{maskOf(fp, cargoScopes...), f[4], "货运经营范围的载重吨"},
	}
	return func(w *worker, v []value) {
		if !has(v, scope) {
			return
		}
		for _, ck := range checks {
			if v[scope].set&ck.mask != 0 && has(v, ck.field) && v[ck.field].num <= 0 {
				w.emit(ck.field, "REL-09", "", ck.what+"应大于 0")
			}
		}
	}
}

func (c *checker) rel19(p *plan) rowRule {
	f := p.fieldsOf("license_no", "issuing_region_code")
	no, region := f[0], f[1]
	return func(w *worker, v []value) {
		if !has(v, no) || !has(v, region) {
			return
		}
		prefix, _, err := ident.PortLicense(v[no].s)
		if err != nil || prefix == "" {
			return
		}
		first, _ := utf8.DecodeRuneInString(prefix)
		abbr := c.std.Regions.Abbreviations(v[region].s)
		if !contains(abbr, string(first)) {
			w.emit(no, "REL-19", "", fmt.Sprintf("证书编号的省份简称“%c”与发证机关区划 %s 的省份简称“%s”不符", first, v[region].s, strings.Join(abbr, "/")))
		}
	}
}

// regionField names the field REL-20/21 check per dataset: the issuing
// authority's region for licences, the registered region for enterprises.
var regionField = map[string]string{
	"shipping_operator": "reg_region_code", "waterway_transport_license": "issuing_authority_region",
	"ship_management_license": "region_code", "auxiliary_business_filing": "filing_authority_region",
	"international_shipping_record": "region_code", "port_operator": "reg_region_code",
	"port_operation_license": "issuing_region_code", "waterway_construction_project": "region_code",
}

func (c *checker) rel20(p *plan) rowRule {
	name, found := regionField[p.ds.Name]
	if !found || !isProvince(c.submitter) || p.ds.Name == "waterway_construction_project" {
		return nil
	}
	i := p.at[name]
	return func(w *worker, v []value) {
		if has(v, i) && v[i].s[:2] != c.submitter[:2] {
			w.emit(i, "REL-20", "", fmt.Sprintf("区划 %s 不在报送单位 %s 的辖区内", v[i].s, c.submitter))
		}
	}
}

func (c *checker) rel21(p *plan) rowRule {
	name, found := regionField[p.ds.Name]
	provinces := c.std.Settings.Jurisdictions[c.submitter]
	if !found || !isRiverAdmin(c.submitter) {
		return nil
	}
	i := p.at[name]
	return func(w *worker, v []value) {
		if has(v, i) && !contains(provinces, v[i].s[:2]+"0000") {
			w.emit(i, "REL-21", "", fmt.Sprintf("区划 %s 不在 %s 的管辖省份内", v[i].s, c.submitter))
		}
	}
}

func isProvince(code string) bool {
	return len(code) == 6 && allDigits(code) && code[2:] == "0000" && code != "000000"
}

func isRiverAdmin(code string) bool { return code == "CJ0000" || code == "ZJ0000" }

func (c *checker) rel22(p *plan) rowRule {
	f := p.fieldsOf("uscc", "reg_region_code", "region_code")
	uscc, region := f[0], f[1]
	if region < 0 {
		region = f[2]
	}
	if uscc < 0 || region < 0 || !contains(c.std.Rule("REL-22").Datasets, p.ds.Name) {
		return nil
	}
	return func(w *worker, v []value) {
		if !has(v, uscc) || !has(v, region) || v[uscc].s[2:8] == "100000" {
			return
		}
		if v[uscc].s[2:4] != v[region].s[:2] {
			w.emit(uscc, "REL-22", "", fmt.Sprintf("信用代码第 3–4 位（登记机关省份 %s）与注册地区划 %s 的省份不一致", v[uscc].s[2:4], v[region].s))
		}
	}
}

func (c *checker) rel25(p *plan) rowRule {
	f := p.fieldsOf("region_code", "project_code")
	region, code := f[0], f[1]
	return func(w *worker, v []value) {
		if !has(v, region) {
			return
		}
		if isProvince(c.submitter) && v[region].s[:2] != c.submitter[:2] {
			w.emit(region, "REL-25", "region", fmt.Sprintf("建设地点区划 %s 不在报送单位 %s 的辖区内", v[region].s, c.submitter))
		}
		if has(v, code) {
			if r := ident.ProjectRegion(v[code].s); len(r) == 6 && r[:2] != v[region].s[:2] {
				w.emit(code, "REL-25", "project_code", fmt.Sprintf("项目代码中的区划 %s 与建设地点区划 %s 不在同一省份", r, v[region].s))
			}
		}
	}
}

// nameKey folds a name for comparison: blanks removed, brackets full-width.
func nameKey(s string) string {
	s = fullBrackets(s)
	if !strings.ContainsFunc(s, unicode.IsSpace) && !strings.ContainsRune(s, '\u3000') {
		return s
	}
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) || r == '\u3000' {
			return -1
		}
		return r
	}, s)
}
