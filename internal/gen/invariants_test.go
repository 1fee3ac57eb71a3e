package gen

import (
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"shuiyun/internal/ident"
	"shuiyun/internal/standard"
)

// world is a generated data set read back from its CSV files.
type dataSet map[string][]map[string]string

func cleanData(t *testing.T, opt Options) dataSet {
	t.Helper()
	res := generate(t, opt)
	data := dataSet{}
	for _, f := range res.Files {
		name := strings.TrimSuffix(filepath.Base(f), ".csv")
		if name != "answers" {
			data[name] = readCSV(t, f)
		}
	}
	return data
}

func TestCleanFields(t *testing.T) {
	std := mustStandard(t)
	for _, sub := range []string{"", "320000", "CJ0000"} {
		t.Run("submitter "+sub, func(t *testing.T) {
			data := cleanData(t, Options{Seed: 21, Rows: 2000, Submitter: sub})
			for name, rows := range data {
				ds := std.Dataset(name)
				for i, row := range rows {
					for _, f := range ds.Fields {
						if msg := checkField(std, f, row); msg != "" {
							t.Errorf("%s row %d %s = %q: %s", name, i+2, f.Name, row[f.Name], msg)
						}
					}
				}
			}
		})
	}
}

// checkField is a small field-level validator for clean data: required, length,
// pattern, range, decimals, dates, codes and identifiers.
func checkField(std *standard.Standard, f *standard.Field, row map[string]string) string {
	v := row[f.Name]
	if v == "" {
		switch {
		case f.Required == standard.Mandatory:
			return "mandatory field empty"
		case f.Required == standard.Conditional && holds(f.When, row):
			return "conditional field empty while " + f.When.Text
		}
		return ""
	}
	if f.Length > 0 && f.Type != standard.TypeCodes && utf8.RuneCountInString(v) > f.Length {
		return "too long"
	}
	if f.Pattern != "" && !regexp.MustCompile(f.Pattern).MatchString(v) {
		return "does not match " + f.Pattern
	}
	switch f.Type {
	case standard.TypeDate:
		if _, err := time.Parse(time.DateOnly, v); err != nil {
			return "not a date"
		}
	case standard.TypeInteger, standard.TypeDecimal:
		return checkNumber(f, v)
	case standard.TypeBoolean:
		if v != "0" && v != "1" {
			return "not 0/1"
		}
	case standard.TypeCode, standard.TypeCodes:
		list := std.CodeList(f.CodeList)
		for _, c := range strings.Split(v, "|") {
			if code, ok := list.Lookup(c); !ok || code != c {
				return "not a code of " + f.CodeList
			}
			if p := list.Code(c).Parent; p != "" && !slices.Contains(strings.Split(v, "|"), p) {
				return "sub-code without its item"
			}
		}
	}
	if f.IDWhen != nil && !holds(f.IDWhen, row) {
		return ""
	}
	return checkID(std, f.ID, v)
}

func checkNumber(f *standard.Field, v string) string {
	x, err := strconv.ParseFloat(v, 64)
	if err != nil {
		return "not a number"
	}
	if f.Type == standard.TypeInteger && strings.Contains(v, ".") {
		return "not an integer"
	}
	if i := strings.IndexByte(v, '.'); i >= 0 && (len(v)-i-1 > f.Scale || i > f.Precision-f.Scale) {
		return "too many digits"
	}
	if f.Min != nil && (x < *f.Min || (f.MinExclusive && x == *f.Min)) || f.Max != nil && x > *f.Max {
		return "out of range"
	}
	return ""
}

func checkID(std *standard.Standard, kind standard.IDKind, v string) string {
	var err error
	switch kind {
	case standard.IDUSCC:
		if err = ident.USCC(v); err == nil {
			err = ident.USCCOrgCode(v)
		}
	case standard.IDCitizen:
		err = ident.Citizen(v, asOf)
	case standard.IDUSCCOrCitizen:
		if ident.USCC(v) == nil {
			err = ident.USCCOrgCode(v)
		} else {
			err = ident.Citizen(v, asOf)
		}
	case standard.IDIMO:
		err = ident.IMO(v)
	case standard.IDMMSI:
		err = ident.MMSI(v)
	case standard.IDCNShip:
		err = ident.CNShip(v, asOf.Year())
	case standard.IDPortLicense:
		_, _, err = ident.PortLicense(v)
	case standard.IDProjectCode:
		err = ident.ProjectCode(v)
	case standard.IDRegion:
		if g, ok := std.Regions.Lookup(v); !ok || g.Retired != "" {
			return "not a current GB/T 2260 code"
		}
	}
	if err != nil {
		return err.Error()
	}
	return ""
}

func holds(c *standard.Condition, row map[string]string) bool {
	v := row[c.Field]
	switch c.Op {
	case standard.OpIn:
		return slices.Contains(c.Values, v)
	case standard.OpNotIn:
		return !slices.Contains(c.Values, v)
	case standard.OpPresent:
		return v != ""
	case standard.OpAbsent:
		return v == ""
	case standard.OpIntersects:
		return slices.ContainsFunc(strings.Split(v, "|"), func(x string) bool { return slices.Contains(c.Values, x) })
	case standard.OpGTE:
		return v != "" && v >= c.Values[0]
	}
	return false
}

// index returns rows by the value of a field.
func index(rows []map[string]string, field string) map[string][]map[string]string {
	out := map[string][]map[string]string{}
	for _, r := range rows {
		out[r[field]] = append(out[r[field]], r)
	}
	return out
}

func TestCleanReferences(t *testing.T) {
	std := mustStandard(t)
	today := asOf.Format(time.DateOnly)
	data := cleanData(t, Options{Seed: 22, Rows: 2000})
	lic := index(data[dsLicence], "license_no")
	mgr := index(data[dsMgmt], "license_no")
	msa := index(data[dsMSA], "ship_id")
	surveys := index(data[dsSurvey], "ship_id")
	active := map[string]int{}
	for _, v := range data[dsVessel] {
		ctx := v["cert_no"]
		l := lic[v["operator_license_no"]]
		if len(l) != 1 {
			t.Fatalf("%s: licence %s found %d times", ctx, v["operator_license_no"], len(l))
		}
		d02 := l[0]
		scope := strings.Join(slices.DeleteFunc([]string{d02["cargo_scope"], d02["passenger_scope"]}, func(s string) bool { return s == "" }), "|")
		switch {
		case v["operator_name"] != d02["operator_name"]:
			t.Errorf("%s: operator name %s, licence says %s", ctx, v["operator_name"], d02["operator_name"])
		case !sameSet(v["licensed_scope"], scope):
			t.Errorf("%s: licensed scope %s, licence %s", ctx, v["licensed_scope"], scope)
		case !subset(v["ship_scope"], v["licensed_scope"]):
			t.Errorf("%s: ship scope %s not in %s", ctx, v["ship_scope"], v["licensed_scope"])
		case v["valid_to"] > d02["valid_to"] || v["issue_date"] < d02["valid_from"] || v["issue_date"] > today:
			t.Errorf("%s: dates %s–%s outside licence %s–%s", ctx, v["issue_date"], v["valid_to"], d02["valid_from"], d02["valid_to"])
		case v["build_date"] > v["issue_date"] || (v["rebuild_date"] != "" && v["rebuild_date"] < v["build_date"]):
			t.Errorf("%s: built %s, rebuilt %s, issued %s", ctx, v["build_date"], v["rebuild_date"], v["issue_date"])
		}
		if msg := typeFits(v); msg != "" {
			t.Errorf("%s: %s", ctx, msg)
		}
		if v["status"] == "1" {
			active[v["ship_id"]]++
			if d02["status"] != "1" || d02["valid_to"] < today || v["valid_to"] < today {
				t.Errorf("%s: 存续 under licence status %s valid to %s (own valid_to %s)", ctx, d02["status"], d02["valid_to"], v["valid_to"])
			}
			if !validSurvey(surveys[v["ship_id"]], today) {
				t.Errorf("%s: no survey certificate valid on %s", ctx, today)
			}
		} else if v["cancel_date"] < v["issue_date"] || v["cancel_reason"] == "" {
			t.Errorf("%s: cancelled %s (issued %s), reason %q", ctx, v["cancel_date"], v["issue_date"], v["cancel_reason"])
		}
		if d02["status"] != "1" && v["status"] == "1" {
			t.Errorf("%s: 存续 under cancelled licence", ctx)
		}
		if no := v["manager_license_no"]; no != "" {
			if m := mgr[no]; len(m) != 1 || m[0]["status"] != "1" || m[0]["valid_to"] < today || m[0]["company_name"] != v["manager_name"] {
				t.Errorf("%s: manager licence %s not active", ctx, no)
			}
		}
		m := msa[v["ship_id"]]
		if len(m) != 1 {
			t.Fatalf("%s: ship %s in D11 %d times", ctx, v["ship_id"], len(m))
		}
		checkMSA(t, v, m[0], today)
	}
	for ship, n := range active {
		if n > 1 {
			t.Errorf("ship %s has %d 存续 certificates", ship, n)
		}
	}
	checkCancelled(t, data, std)
}

func validSurvey(rows []map[string]string, today string) bool {
	return slices.ContainsFunc(rows, func(r map[string]string) bool { return r["issue_date"] <= today && r["valid_to"] >= today })
}

func sameSet(a, b string) bool { return subset(a, b) && subset(b, a) }

func subset(a, b string) bool {
	set := strings.Split(b, "|")
	for _, x := range strings.Split(a, "|") {
		if !slices.Contains(set, x) {
			return false
		}
	}
	return true
}

// typeFits checks REL-08/REL-09 and §8a.14 on a certificate.
func typeFits(v map[string]string) string {
	scope := strings.Split(v["ship_scope"], "|")
	dg := map[string]string{"21": "OIL", "22": "CHEM", "23": "LPG", "24": "ASP"}
	for code, class := range dg {
		if slices.Contains(scope, code) != (v["ship_type"] == class) && slices.Contains(scope, code) {
			return "scope " + code + " on a " + v["ship_type"]
		}
	}
	positive := func(f string) bool { x, err := strconv.ParseFloat(v[f], 64); return err == nil && x > 0 }
	has := func(codes ...string) bool { return anyOf(scope, codes...) }
	switch {
	case has("31", "32", "33", "34") && !positive("passenger_capacity"):
		return "passenger scope without capacity"
	case has("32") && !positive("vehicle_slots"):
		return "ro-ro scope without vehicle slots"
	case has("41") && !positive("teu"):
		return "container scope without TEU"
	case has("11", "12", "21", "22", "23", "24", "25", "41") && !positive("dwt"):
		return "cargo scope without dwt"
	case has("21", "22", "23", "24") && !positive("cubic_meters"):
		return "liquid cargo without cubic metres"
	}
	return ""
}

// checkMSA checks the D11 registration of a certificate's ship (REL-10, REL-11, DAT-06, DAT-07).
func checkMSA(t *testing.T, v, m map[string]string, today string) {
	t.Helper()
	for _, pair := range [][2]string{{"ship_reg_no", "ship_reg_no"}, {"ship_name_cn", "ship_name_cn"}, {"mmsi", "mmsi"},
		{"imo_no", "imo_no"}, {"gross_tonnage", "gross_tonnage"}, {"owner_name", "owner"}, {"build_date", "build_date"}} {
		if v[pair[0]] != m[pair[1]] {
			t.Errorf("%s: %s %q, D11 %s %q", v["cert_no"], pair[0], v[pair[0]], pair[1], m[pair[1]])
		}
	}
	switch {
	case m["deregistered"] != "0":
		t.Errorf("%s: deregistered", m["ship_id"])
	case m["keel_laid_date"][:4] != m["ship_id"][2:6]:
		t.Errorf("%s: keel laid %s", m["ship_id"], m["keel_laid_date"])
	case m["keel_laid_date"] > m["build_date"] || (m["rebuild_date"] != "" && m["rebuild_date"] < m["build_date"]) || m["build_date"] > today:
		t.Errorf("%s: keel %s build %s rebuild %s", m["ship_id"], m["keel_laid_date"], m["build_date"], m["rebuild_date"])
	}
}

// checkCancelled checks every cancelled licence and the status rules of all datasets.
func checkCancelled(t *testing.T, data dataSet, std *standard.Standard) {
	t.Helper()
	today := asOf.Format(time.DateOnly)
	for _, name := range []string{dsLicence, dsVessel, dsMgmt, dsPortLic, dsIntl, dsAnnex} {
		for _, r := range data[name] {
			switch {
			case r["status"] == "1" && r["valid_to"] != "" && r["valid_to"] < today:
				t.Errorf("%s: 存续 but expired %s", name, r["valid_to"])
			case r["status"] != "1" && r["cancel_date"] != "" && r["cancel_date"] < r["issue_date"]:
				t.Errorf("%s: cancelled %s before issue %s", name, r["cancel_date"], r["issue_date"])
			case r["issue_date"] > today || (r["valid_to"] != "" && r["valid_to"] < r["issue_date"]):
				t.Errorf("%s: issued %s valid to %s", name, r["issue_date"], r["valid_to"])
			}
		}
	}
	for _, r := range data[dsLicence] {
		if limit := parseDay(r["valid_from"]).addYears(std.Settings.D02MaxYears); parseDay(r["valid_to"]) > limit {
			t.Errorf("licence %s valid to %s beyond %s", r["license_no"], r["valid_to"], limit)
		}
	}
}

func parseDay(s string) day {
	tm, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return dayOf(tm)
}

func TestCleanCompanies(t *testing.T) {
	std := mustStandard(t)
	data := cleanData(t, Options{Seed: 23, Rows: 2000})
	names := map[string]string{}
	for _, src := range []struct{ ds, uscc, name string }{{dsOperator, "uscc", "operator_name"}, {dsLicence, "operator_uscc", "operator_name"},
		{dsMgmt, "uscc", "company_name"}, {dsFiling, "uscc", "name"}, {dsIntl, "uscc", "company_name"}, {dsPortOp, "uscc", "company_name"}} {
		for _, r := range data[src.ds] {
			u, n := r[src.uscc], r[src.name]
			if u == "" {
				continue
			}
			if prev, ok := names[u]; ok && prev != n {
				t.Errorf("%s: USCC %s named %s, elsewhere %s", src.ds, u, n, prev)
			}
			names[u] = n
		}
	}
	// REL-22 and the province skew of standard.md §7.
	nine := []string{"32", "33", "34", "44", "42", "37", "43", "36", "45"}
	inNine := 0
	for _, name := range []string{dsOperator, dsPortOp} {
		for _, r := range data[name] {
			if r["uscc"] != "" && r["uscc"][2:4] != r["reg_region_code"][:2] {
				t.Errorf("%s: USCC %s registered outside %s", name, r["uscc"], r["reg_region_code"])
			}
			if name == dsOperator && slices.Contains(nine, r["reg_region_code"][:2]) {
				inNine++
			}
		}
	}
	if share := float64(inNine) / float64(len(data[dsOperator])); share < 0.6 || share > 0.8 {
		t.Errorf("%.0f%% of operators in the nine inland-fleet provinces, want about 70%%", share*100)
	}
	checkPorts(t, data, std)
	checkProjects(t, data)
}

func checkPorts(t *testing.T, data dataSet, std *standard.Standard) {
	t.Helper()
	today := asOf.Format(time.DateOnly)
	ops := index(data[dsPortOp], "uscc")
	lics := index(data[dsPortLic], "license_no")
	for _, l := range data[dsPortLic] {
		if len(ops[l["holder_uscc"]]) != 1 {
			t.Errorf("licence %s: holder %s not in D07", l["license_no"], l["holder_uscc"])
		}
		prefix, _, err := ident.PortLicense(l["license_no"])
		if err != nil || !slices.Contains(std.Regions.Abbreviations(l["issuing_region_code"]), string([]rune(prefix)[0])) {
			t.Errorf("licence %s issued in %s", l["license_no"], l["issuing_region_code"])
		}
		issue, to := parseDay(l["issue_date"]), parseDay(l["valid_to"])
		limit := issue.addYears(yearsFor(issue, ymd(2020, 1, 1)))
		if l["is_trial"] == "1" {
			limit = dayOf(issue.time().AddDate(0, 6, -1))
		}
		if to > limit {
			t.Errorf("licence %s valid %s–%s beyond %s", l["license_no"], l["issue_date"], l["valid_to"], limit)
		}
	}
	for _, a := range data[dsAnnex] {
		l := lics[a["port_license_no"]]
		if len(l) != 1 {
			t.Fatalf("annex %s: licence %s missing", a["annex_no"], a["port_license_no"])
		}
		items := strings.Split(l[0]["business_items"], "|")
		switch {
		case l[0]["holder_uscc"] != a["holder_uscc"] || l[0]["status"] != "1" || l[0]["valid_to"] < today:
			t.Errorf("annex %s: licence holder %s status %s", a["annex_no"], l[0]["holder_uscc"], l[0]["status"])
		case !anyOf(items, "1000", "3000") || ops[a["holder_uscc"]][0]["dg_operation"] != "1":
			t.Errorf("annex %s: licence items %v, holder not a DG operator", a["annex_no"], items)
		case a["valid_to"] > l[0]["valid_to"]:
			t.Errorf("annex %s valid to %s after its licence %s", a["annex_no"], a["valid_to"], l[0]["valid_to"])
		}
	}
	if len(data[dsAnnex]) == 0 {
		t.Error("no annexes")
	}
}

func checkProjects(t *testing.T, data dataSet) {
	t.Helper()
	for _, p := range data[dsProject] {
		if code := p["project_code"]; code != "" && code[5:7] != p["region_code"][:2] {
			t.Errorf("project %s in %s", code, p["region_code"])
		}
		prev := ""
		for _, f := range projectDateFields {
			if d := p[f]; d != "" {
				if d < prev {
					t.Errorf("project %s: %s %s before %s", p["project_name"], f, d, prev)
				}
				prev = d
			}
		}
		total, _ := strconv.ParseFloat(p["total_investment"], 64)
		if done, err := strconv.ParseFloat(p["completed_investment"], 64); err == nil && done > 1.2*total {
			t.Errorf("project %s: completed %g of %g", p["project_name"], done, total)
		}
	}
}

func TestVolumes(t *testing.T) {
	res := generate(t, Options{Seed: 24, Rows: 12000})
	n := res.Rows
	ops := float64(n[dsOperator])
	within := func(name string, got, want float64) {
		if got < want*0.75 || got > want*1.25 {
			t.Errorf("%s: %g rows, want about %g", name, got, want)
		}
	}
	within(dsOperator, ops, 12000/12.0)
	within(dsLicence, float64(n[dsLicence]), ops)
	within(dsMgmt, float64(n[dsMgmt]), 0.015*ops)
	within(dsFiling, float64(n[dsFiling]), 0.25*ops)
	within(dsIntl, float64(n[dsIntl]), 0.06*ops)
	within(dsPortOp, float64(n[dsPortOp]), 2000)
	within(dsPortLic, float64(n[dsPortLic]), float64(n[dsPortOp]))
	within(dsAnnex, float64(n[dsAnnex]), 0.2*float64(n[dsPortLic]))
	within(dsProject, float64(n[dsProject]), 0.03*ops)
	if n[dsMSA] != 12000 || n[dsSurvey] < 12000 || n[dsSurvey] > 24000 {
		t.Errorf("D11 %d, D12 %d rows for 12000 ships", n[dsMSA], n[dsSurvey])
	}
	small := generate(t, Options{Seed: 25, Rows: 5})
	for name, rows := range small.Rows {
		if rows < 3 {
			t.Errorf("Rows 5: %s has %d rows, want at least 3", name, rows)
		}
	}
}

// TestFleetSizes checks the heavy tail: median about 3 ships per operator.
func TestFleetSizes(t *testing.T) {
	sizes := fleetSizes(newRNG(1, 1), 100000)
	slices.Sort(sizes)
	if m := sizes[len(sizes)/2]; m < 2 || m > 4 {
		t.Errorf("median fleet %d, want about 3", m)
	}
	if top := sizes[len(sizes)*99/100]; top < 60 {
		t.Errorf("99th percentile fleet %d, want a heavy tail", top)
	}
}
