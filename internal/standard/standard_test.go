package standard

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func mustDefault(t testing.TB) *Standard {
	t.Helper()
	s, err := Default()
	if err != nil {
		t.Fatalf("Default: %v", err)
	}
	return s
}

func TestDefaultLoads(t *testing.T) {
	s := mustDefault(t)
	again := mustDefault(t)
	if s != again {
		t.Error("Default is not cached")
	}
	got := struct {
		Version, Path   string
		Datasets, Rules int
	}{s.Version, s.Path, len(s.Datasets), len(s.Rules)}
	want := struct {
		Version, Path   string
		Datasets, Rules int
	}{"1.0", EmbeddedPath, 12, len(KnownRules)}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Default() mismatch (-want +got):\n%s", diff)
	}
}

// The counts are those of the field tables of standard.md §5, counted by hand.
func TestDatasetFieldCounts(t *testing.T) {
	want := []struct {
		code, name string
		fields     int
		key        []string
	}{
		{"D01", "shipping_operator", 16, []string{"uscc"}},
		{"D02", "waterway_transport_license", 22, []string{"license_no"}},
		{"D03", "vessel_operating_certificate", 37, []string{"cert_no"}},
		{"D04", "ship_management_license", 16, []string{"license_no"}},
		{"D05", "auxiliary_business_filing", 16, []string{"filing_no"}},
		{"D06", "international_shipping_record", 14, []string{"cert_no"}},
		{"D07", "port_operator", 17, []string{"uscc"}},
		{"D08", "port_operation_license", 19, []string{"license_no"}},
		{"D09", "port_dg_annex", 14, []string{"annex_no"}},
		{"D10", "waterway_construction_project", 23, []string{"project_code"}},
		{"D11", "msa_vessel_registration", 26, []string{"ship_id"}},
		{"D12", "vessel_survey", 11, []string{"ship_id", "cert_type", "cert_no"}},
	}
	s := mustDefault(t)
	if len(s.Datasets) != len(want) {
		t.Fatalf("got %d datasets, want %d", len(s.Datasets), len(want))
	}
	for i, w := range want {
		d := s.Datasets[i]
		got := []any{d.Code, d.Name, len(d.Fields), d.Key}
		if diff := cmp.Diff([]any{w.code, w.name, w.fields, w.key}, got); diff != "" {
			t.Errorf("dataset %d mismatch (-want +got):\n%s", i, diff)
		}
		if d.Line == 0 {
			t.Errorf("%s: Line not filled", d.Code)
		}
		for _, f := range d.Fields {
			if f.Line == 0 {
				t.Errorf("%s.%s: Line not filled", d.Code, f.Name)
			}
		}
	}
	alt := map[string][]string{}
	for _, d := range s.Datasets {
		if d.AltKey != nil {
			alt[d.Code] = d.AltKey
		}
	}
	wantAlt := map[string][]string{"D01": {"id_no"}, "D10": {"owner_uscc", "project_name"}}
	if diff := cmp.Diff(wantAlt, alt); diff != "" {
		t.Errorf("alt keys mismatch (-want +got):\n%s", diff)
	}
}

func TestCodeLists(t *testing.T) {
	want := map[string][]string{
		"C01":  {"1", "2", "3"},
		"C02":  {"11", "12", "21", "22", "23", "24", "25", "31", "32", "33", "34", "41"},
		"C03":  {"1000", "1001", "1002", "1003", "2000", "2001", "3000", "3001", "3002", "3003", "3004", "3005", "4000", "5000", "6000", "6001", "6002", "6003", "6004", "6005", "6006", "7000", "7001", "7002"},
		"C04":  {"1", "2", "3", "4", "5", "6"},
		"C05":  {"1", "2", "3", "4", "A", "B", "C", "J1", "J2"},
		"C06":  {"PAX", "ROPAX", "HSC", "GEN", "CNT", "OIL", "CHEM", "LPG", "ASP", "TUG", "BARGE", "OTHER"},
		"C07":  {"01", "02", "03", "04", "05", "09"},
		"C08":  {"100", "110", "120", "130", "140", "141", "142", "143", "149", "150", "151", "159", "160", "170", "171", "172", "173", "174", "175", "179", "200", "210", "220", "230", "240", "290", "300", "310", "320", "330", "340", "390", "900"},
		"C09":  {"1", "2", "3", "4", "5", "6", "7", "90"},
		"C10":  {"SM", "SA", "PA", "FA"},
		"C11":  {"IS", "IL", "NV", "IA", "IM"},
		"C12":  {"PORT", "CHAN", "LOCK", "SUPP", "OTHER"},
		"C12N": {"GOV", "ENT_A", "ENT_F"},
		"C12S": {"01", "02", "03", "04", "05", "06", "07", "08"},
		"C13":  {"1", "0"},
		"C14":  {"1", "2", "3", "4", "5", "6", "9"},
		"X01":  {"1", "2", "3", "5", "9"},
		"X02":  {"N", "C", "T"},
		"X03":  {"LOAD", "LIGHTER", "STORE", "CONTAINER"},
		"X04":  {"1", "2", "3", "4", "5", "6", "7", "8", "9"},
		"X05":  {"0", "1"},
		"X06":  {"HW", "JW", "CY", "AF"},
	}
	s := mustDefault(t)
	got := map[string][]string{}
	for _, cl := range s.CodeLists {
		for _, c := range cl.Codes {
			got[cl.ID] = append(got[cl.ID], c.Code)
		}
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("code lists mismatch (-want +got):\n%s", diff)
	}
	parents := map[string]string{}
	for _, c := range s.CodeList("C03").Codes {
		if c.Parent != "" {
			parents[c.Code] = c.Parent
		}
	}
	for code, p := range parents {
		if code[:1] != p[:1] || p[1:] != "000" {
			t.Errorf("C03 %s has parent %s, want its item code", code, p)
		}
	}
	if len(parents) != 17 {
		t.Errorf("C03 has %d sub-codes with a parent, want 17", len(parents))
	}
}

func TestRules(t *testing.T) {
	s := mustDefault(t)
	for _, id := range KnownRules {
		r := s.Rule(id)
		if r == nil {
			t.Errorf("rule %s missing", id)
			continue
		}
		if r.Category != RuleCategory(id) || r.Title == "" || r.Text == "" || r.Tag == "" || !r.On() {
			t.Errorf("rule %s incomplete: %+v", id, r)
		}
	}
	type sev struct {
		Severity Severity
		Parts    map[string]Severity
	}
	want := map[string]sev{
		"FILE-DATASET":        {Error, map[string]Severity{"sheet": Warning}},
		"FILE-HEADER-UNKNOWN": {Warning, nil},
		"ID-USCC":             {Error, map[string]Severity{"orgcode": Warning}},
		"ID-REGION":           {Error, map[string]Severity{"retired": Warning}},
		"ID-CNSHIP":           {Error, nil},
		"REL-02":              {Warning, nil},
		"REL-03":              {Error, nil},
		"REL-05":              {Warning, nil},
		"REL-07":              {Warning, nil},
		"REL-10":              {Warning, nil},
		"REL-11":              {Warning, nil},
		"REL-14":              {Warning, nil},
		"REL-17":              {Error, map[string]Severity{"dg_operation": Warning}},
		"REL-22":              {Warning, nil},
		"REL-23":              {Warning, nil},
		"REL-24":              {Warning, nil},
		"REL-25":              {Error, map[string]Severity{"project_code": Warning}},
		"REL-26":              {Error, nil},
		"DAT-02":              {Warning, nil},
		"DAT-07":              {Warning, nil},
		"DAT-08":              {Error, map[string]Severity{"investment": Warning}},
		"DAT-09":              {Error, nil},
	}
	got := map[string]sev{}
	for id := range want {
		r := s.Rule(id)
		got[id] = sev{r.Severity, r.Parts}
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("severities mismatch (-want +got):\n%s", diff)
	}
	categories := map[string]Category{"FILE-ROW-SHAPE": Structure, "REQ-COND": Completeness, "DAT-09": Completeness,
		"DAT-01": Normativity, "DAT-08": Normativity, "ID-MMSI": Normativity, "UNIQUE": Relational, "REL-26": Relational}
	for id, c := range categories {
		if got := s.Rule(id).Category; got != c {
			t.Errorf("%s category %s, want %s", id, got, c)
		}
	}
}

func TestDatasetLookup(t *testing.T) {
	s := mustDefault(t)
	tests := []struct{ key, want string }{
		{"D03", "vessel_operating_certificate"},
		{"d03", "vessel_operating_certificate"},
		{"vessel_operating_certificate", "vessel_operating_certificate"},
		{"营运船舶（船舶营业运输证）", "vessel_operating_certificate"},
		{"营运船舶(船舶营业运输证)", "vessel_operating_certificate"},
		{" 营运船舶 ( 船舶营业运输证 ) ", "vessel_operating_certificate"},
		{"营运船舶", "vessel_operating_certificate"},
		{"航运企业（水路运输经营者）基本信息", "shipping_operator"},
		{"国际海运经营", "international_shipping_record"},
		{"海事船舶登记信息", "msa_vessel_registration"},
		{"D99", ""},
		{"船舶", ""},
	}
	for _, tt := range tests {
		got := ""
		if d := s.Dataset(tt.key); d != nil {
			got = d.Name
		}
		if got != tt.want {
			t.Errorf("Dataset(%q) = %q, want %q", tt.key, got, tt.want)
		}
	}
}

func TestFieldLookup(t *testing.T) {
	s := mustDefault(t)
	tests := []struct{ dataset, key, want string }{
		{"D03", "ship_id", "ship_id"},
		{"D03", "船舶识别号", "ship_id"},
		{"D03", "船舶识别号（CN+11位）", "ship_id"},
		{"D03", "客位（载客定额）", "passenger_capacity"},
		{"D03", "客位(载客定额)", "passenger_capacity"},
		{"D03", "客位", "passenger_capacity"},
		{"D03", "集装箱箱位 TEU", "teu"},
		{"D01", "证件类型 (个体)", "id_type"},
		{"D01", "证件类型", "id_type"},
		{"D01", "注册资本", "registered_capital"},
		{"D01", "自有运力", ""}, // two fields share it: ambiguous, so not matched
		{"D01", "自有运力（艘）", "own_fleet_count"},
		{"D05", "备案事项", "filing_type"},
		{"D11", "总长", "length"},
		{"D11", "总长 (m)", "length"},
		{"D03", "no_such_field", ""},
	}
	for _, tt := range tests {
		d := s.Dataset(tt.dataset)
		got := ""
		if f := d.Field(tt.key); f != nil {
			got = f.Name
		}
		if got != tt.want {
			t.Errorf("%s.Field(%q) = %q, want %q", tt.dataset, tt.key, got, tt.want)
		}
	}
}

func TestCodeLookup(t *testing.T) {
	s := mustDefault(t)
	tests := []struct {
		list, value, want string
		ok                bool
	}{
		{"C06", "自卸砂船", "GEN", true},
		{"C06", "GEN", "GEN", true},
		{"C06", "普通货船/散货/杂货/多用途", "GEN", true},
		{"C06", "客滚船", "ROPAX", true},
		{"C06", "快艇", "HSC", true},
		{"C06", "拖（推）船", "TUG", true},
		{"C06", "拖(推)船", "TUG", true},
		{"C06", "半舱货驳", "BARGE", true},
		{"C06", "游艇（12人及以下）", "OTHER", true},
		{"C06", "游艇(12人及以下)", "OTHER", true},
		{"C06", "液货船", "OTHER", true},
		{"C06", "渔船", "", false},
		{"C06", "gen", "", false},
		{"C04", "存续", "1", true},
		{"C04", "1", "1", true},
		{"C04", "有效", "1", true},
		{"C04", "暂扣/停业", "6", true},
		{"C04", "7", "", false},
		{"C02", "省际普通客船运输", "31", true},
		{"C02", "省际普通客船运输(含旅游客船)", "31", true},
		{"C03", "码头设施", "1001", true},
		{"C12S", "07", "07", true},
		{"C12S", "7", "", false},
	}
	for _, tt := range tests {
		got, ok := s.CodeList(tt.list).Lookup(tt.value)
		if got != tt.want || ok != tt.ok {
			t.Errorf("%s.Lookup(%q) = %q, %v; want %q, %v", tt.list, tt.value, got, ok, tt.want, tt.ok)
		}
	}
	if got := s.CodeList("C04").NameOf("1"); got != "存续" {
		t.Errorf("C04.NameOf(1) = %q", got)
	}
	if got := s.CodeList("C04").NameOf("存续"); got != "" {
		t.Errorf("C04.NameOf(存续) = %q, want \"\" (a name is not a code)", got)
	}
	if c := s.CodeList("C03").Code("3001"); c == nil || c.Parent != "3000" {
		t.Errorf("C03 3001 = %+v, want parent 3000", c)
	}
}

func TestRegions(t *testing.T) {
	r := mustDefault(t).Regions
	tests := []struct {
		code                    string
		ok                      bool
		name, province, retired string
	}{
		{"320000", true, "江苏省", "320000", ""},
		{"320106", true, "鼓楼区", "320000", ""},
		{"330282", true, "慈溪市", "330000", ""},
		{"110103", true, "崇文区", "110000", "2010-10-31"},
		{"330103", true, "下城区", "330000", "2023-06-30"},
		{"710000", true, "台湾省", "710000", ""},
		{"810000", true, "香港特别行政区", "810000", ""},
		{"820000", true, "澳门特别行政区", "820000", ""},
		{"130171", false, "", "", ""}, // NBS statistical development zone, not GB/T 2260
		{"999999", false, "", "", ""},
	}
	for _, tt := range tests {
		g, ok := r.Lookup(tt.code)
		var got []any
		if ok {
			got = []any{true, g.Name, g.Province, g.Retired}
		} else {
			got = []any{false, "", "", ""}
		}
		if diff := cmp.Diff([]any{tt.ok, tt.name, tt.province, tt.retired}, got); diff != "" {
			t.Errorf("Lookup(%s) mismatch (-want +got):\n%s", tt.code, diff)
		}
	}
	abbr := []struct{ a, province string }{{"苏", "320000"}, {"黔", "520000"}, {"贵", "520000"}, {"滇", "530000"},
		{"秦", "610000"}, {"陇", "620000"}, {"浙", "330000"}, {"京", "110000"}, {"X", ""}}
	for _, tt := range abbr {
		if got := r.ProvinceByAbbreviation(tt.a); got != tt.province {
			t.Errorf("ProvinceByAbbreviation(%s) = %q, want %q", tt.a, got, tt.province)
		}
	}
	if diff := cmp.Diff([]string{"贵", "黔"}, r.Abbreviations("520102")); diff != "" {
		t.Errorf("Abbreviations(520102) mismatch (-want +got):\n%s", diff)
	}
	provinces, counties, retired := 0, 0, 0
	for _, g := range r.All() {
		switch {
		case g.Retired != "":
			retired++
		case g.Code[2:] == "0000":
			provinces++
		case g.Code[4:] != "00":
			counties++
		}
		if g.Code[2:] == "0000" && g.Retired == "" && !slices.Contains([]string{"710000", "810000", "820000"}, g.Code) && len(r.Abbreviations(g.Code)) == 0 {
			t.Errorf("province %s has no abbreviation", g.Code)
		}
	}
	if provinces != 34 || counties < 2800 || retired < 500 || r.Source == "" || r.Date == "" {
		t.Errorf("region table: %d provinces, %d counties, %d retired, source %q, date %q", provinces, counties, retired, r.Source, r.Date)
	}
}

// TestConventions pins the encoding decisions the validation engine relies on.
func TestConventions(t *testing.T) {
	type spec struct {
		Type     FieldType
		ID       IDKind
		Length   int
		Required Requirement
		Sharing  Sharing
		CodeList string
		Pattern  string
	}
	const phone = `^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$`
	const licence = `^[^\s\x{3000}]+$`
	region := spec{Type: TypeID, ID: IDRegion, Length: 6, Required: Mandatory, Sharing: Shareable}
	uscc := spec{Type: TypeID, ID: IDUSCC, Length: 18, Required: Mandatory, Sharing: Shareable}
	want := map[string]spec{
		"D01.reg_region_code":          region,
		"D02.issuing_authority_region": region,
		"D04.region_code":              region,
		"D05.filing_authority_region":  region,
		"D06.region_code":              region,
		"D07.reg_region_code":          region,
		"D08.issuing_region_code":      region,
		"D10.region_code":              region,
		"D01.uscc":                     {Type: TypeID, ID: IDUSCC, Length: 18, Required: Conditional, Sharing: Shareable},
		"D04.uscc":                     uscc,
		"D05.uscc":                     uscc,
		"D06.uscc":                     uscc,
		"D07.uscc":                     uscc,
		"D08.holder_uscc":              uscc,
		"D09.holder_uscc":              uscc,
		"D10.owner_uscc":               uscc,
		"D02.operator_uscc":            {Type: TypeID, ID: IDUSCCOrCitizen, Length: 18, Required: Mandatory, Sharing: Shareable},
		"D01.id_no":                    {Type: TypeString, ID: IDCitizen, Length: 18, Required: Conditional, Sharing: NotShared},
		"D03.ship_id":                  {Type: TypeID, ID: IDCNShip, Length: 13, Required: Mandatory, Sharing: Shareable},
		"D03.mmsi":                     {Type: TypeID, ID: IDMMSI, Length: 9, Required: Optional, Sharing: Shareable},
		"D11.imo_no":                   {Type: TypeID, ID: IDIMO, Length: 7, Required: Optional, Sharing: Shareable},
		"D08.license_no":               {Type: TypeString, ID: IDPortLicense, Length: 40, Required: Mandatory, Sharing: Shareable},
		"D10.project_code":             {Type: TypeString, ID: IDProjectCode, Length: 24, Required: Conditional, Sharing: Shareable},
		"D01.contact_phone":            {Type: TypeString, Length: 30, Required: Optional, Sharing: NotShared, Pattern: phone},
		"D05.phone":                    {Type: TypeString, Length: 30, Required: Optional, Sharing: NotShared, Pattern: phone},
		"D05.handler":                  {Type: TypeString, Length: 50, Required: Optional, Sharing: NotShared},
		"D07.contact_email":            {Type: TypeString, Length: 100, Required: Optional, Sharing: NotShared},
		"D03.legal_rep":                {}, // D03 has no legal_rep
		"D02.legal_rep":                {Type: TypeString, Length: 50, Required: Mandatory, Sharing: SharedOwner},
		"D02.license_no":               {Type: TypeString, Length: 32, Required: Mandatory, Sharing: Shareable, Pattern: licence},
		"D03.manager_license_no":       {Type: TypeString, Length: 32, Required: Conditional, Sharing: Shareable, Pattern: licence},
		"D11.nav_area_code":            {Type: TypeString, Length: 10, Required: Mandatory, Sharing: Shareable},
		"D11.sea_or_inland":            {Type: TypeCode, Required: Mandatory, Sharing: Shareable, CodeList: "X05"},
		"D04.scope":                    {Type: TypeCodes, Required: Mandatory, Sharing: Shareable, CodeList: "X06"},
		"D04.managed_ship_types":       {Type: TypeCodes, Required: Optional, Sharing: Shareable, CodeList: "C06"},
		"D09.operation_modes":          {Type: TypeCodes, Required: Mandatory, Sharing: Shareable, CodeList: "X03"},
		"D09.dg_classes":               {Type: TypeCodes, Required: Optional, Sharing: Shareable, CodeList: "X04"},
		"D06.cert_type":                {Type: TypeCode, Required: Mandatory, Sharing: Shareable, CodeList: "C09"},
		"D06.business_kind":            {Type: TypeCode, Required: Mandatory, Sharing: Shareable, CodeList: "C11"},
		"D05.business_kind":            {Type: TypeCode, Required: Mandatory, Sharing: Shareable, CodeList: "C10"},
		"D05.filing_type":              {Type: TypeCode, Required: Mandatory, Sharing: Shareable, CodeList: "X02"},
		"D01.enterprise_type":          {Type: TypeCode, Required: Optional, Sharing: Shareable, CodeList: "X01"},
		"D07.dg_operation":             {Type: TypeBoolean, Required: Mandatory, Sharing: Shareable},
	}
	s := mustDefault(t)
	got := map[string]spec{}
	for key := range want {
		ds, name, _ := strings.Cut(key, ".")
		f := s.Dataset(ds).Field(name)
		if f == nil || f.Name != name {
			got[key] = spec{}
			continue
		}
		got[key] = spec{f.Type, f.ID, f.Length, f.Required, f.Sharing, f.CodeList, f.Pattern}
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("field conventions mismatch (-want +got):\n%s", diff)
	}
}

func TestConditions(t *testing.T) {
	s := mustDefault(t)
	want := map[string]Condition{
		"D01.uscc":                {Field: "is_individual", Op: OpNotIn, Values: []string{"1"}},
		"D01.id_no":               {Field: "is_individual", Op: OpIn, Values: []string{"1"}},
		"D02.cargo_scope":         {Field: "passenger_scope", Op: OpAbsent},
		"D03.dwt":                 {Field: "ship_scope", Op: OpIntersects, Values: []string{"11", "12", "21", "22", "23", "24", "25", "41"}},
		"D03.cubic_meters":        {Field: "ship_scope", Op: OpIntersects, Values: []string{"21", "22", "23", "24"}},
		"D03.vehicle_slots":       {Field: "ship_scope", Op: OpIntersects, Values: []string{"32"}},
		"D03.manager_license_no":  {Field: "manager_name", Op: OpPresent},
		"D03.cancel_reason":       {Field: "status", Op: OpIn, Values: []string{"2", "3", "4"}},
		"D06.liner_routes":        {Field: "cert_type", Op: OpIn, Values: []string{"7"}},
		"D10.project_code":        {Field: "start_date", Op: OpGTE, Values: []string{"2017-01-01"}},
		"D10.pd_approval_no":      {Field: "stage", Op: OpIn, Values: []string{"02", "03", "04", "05", "06", "07"}},
		"D10.handover_date":       {Field: "stage", Op: OpIn, Values: []string{"06", "07"}},
		"D10.completion_date":     {Field: "stage", Op: OpIn, Values: []string{"07"}},
		"D05.change_content":      {Field: "filing_type", Op: OpIn, Values: []string{"C"}},
		"D03.passenger_capacity":  {Field: "ship_scope", Op: OpIntersects, Values: []string{"31", "32", "33", "34"}},
		"D02.passenger_scope":     {Field: "cargo_scope", Op: OpAbsent},
		"D08.cancel_date":         {Field: "status", Op: OpIn, Values: []string{"2", "3", "4"}},
		"D10.cd_approval_date":    {Field: "stage", Op: OpIn, Values: []string{"03", "04", "05", "06", "07"}},
		"D10.start_date":          {Field: "stage", Op: OpIn, Values: []string{"04", "05", "06", "07"}},
		"D03.teu":                 {Field: "ship_scope", Op: OpIntersects, Values: []string{"41"}},
		"D04.cancel_date":         {Field: "status", Op: OpIn, Values: []string{"2", "3", "4"}},
		"D01.id_type":             {Field: "is_individual", Op: OpIn, Values: []string{"1"}},
		"D10.pd_approval_date":    {Field: "stage", Op: OpIn, Values: []string{"02", "03", "04", "05", "06", "07"}},
		"D02.cancel_date":         {Field: "status", Op: OpIn, Values: []string{"2", "3", "4"}},
		"D02.cancel_reason":       {Field: "status", Op: OpIn, Values: []string{"2", "3", "4"}},
		"D03.cancel_date":         {Field: "status", Op: OpIn, Values: []string{"2", "3", "4"}},
		"D04.cancel_reason":       {Field: "status", Op: OpIn, Values: []string{"2", "3", "4"}},
		"D08.cancel_reason":       {Field: "status", Op: OpIn, Values: []string{"2", "3", "4"}},
		"D01.id_no(id_when)":      {Field: "id_type", Op: OpIn, Values: []string{"1"}},
		"D03.gross_tonnage(none)": {},
	}
	got := map[string]Condition{}
	conditional := 0
	for _, d := range s.Datasets {
		for _, f := range d.Fields {
			if f.Required == Conditional {
				conditional++
			}
			for _, c := range []struct {
				suffix string
				cond   *Condition
			}{{"", f.When}, {"(id_when)", f.IDWhen}} {
				key := d.Code + "." + f.Name + c.suffix
				if c.cond == nil {
					continue
				}
				if c.cond.Text == "" {
					t.Errorf("%s: condition without text", key)
				}
				if _, ok := want[key]; ok {
					got[key] = Condition{Field: c.cond.Field, Op: c.cond.Op, Values: c.cond.Values}
				}
			}
		}
	}
	got["D03.gross_tonnage(none)"] = Condition{}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("conditions mismatch (-want +got):\n%s", diff)
	}
	if conditional != len(want)-2 {
		t.Errorf("%d conditional fields, the test lists %d", conditional, len(want)-2)
	}
}

func TestRanges(t *testing.T) {
	type rng struct {
		Min, Max  *float64
		Exclusive bool
	}
	f := func(v float64) *float64 { return &v }
	want := map[string]rng{
		"D03.gross_tonnage":        {f(0), nil, true},
		"D11.gross_tonnage":        {f(0), nil, true},
		"D03.net_tonnage":          {f(0), nil, false},
		"D11.length":               {f(1), f(500), false},
		"D03.passenger_capacity":   {f(0), f(5000), false},
		"D03.teu":                  {f(0), f(30000), false},
		"D03.engine_kw":            {f(0), f(100000), false},
		"D10.total_investment":     {f(0), nil, true},
		"D10.completed_investment": {f(0), nil, false},
		"D08.berth_count":          {f(0), nil, false},
		"D12.passenger_limit":      {f(0), nil, false},
		"D01.own_fleet_dwt":        {f(0), nil, false},
		"D07.fixed_assets":         {f(0), nil, false},
		"D09.capacity":             {f(0), nil, false},
		"D11.breadth":              {},
	}
	s := mustDefault(t)
	got := map[string]rng{}
	for key := range want {
		ds, name, _ := strings.Cut(key, ".")
		fl := s.Dataset(ds).Field(name)
		got[key] = rng{fl.Min, fl.Max, fl.MinExclusive}
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("ranges mismatch (-want +got):\n%s", diff)
	}
}

func TestSettings(t *testing.T) {
	want := Settings{
		NullValues: []string{"-", "--", "1900-01-01"},
		Jurisdictions: map[string][]string{
			"CJ0000": {"510000", "500000", "530000", "420000", "430000", "360000", "340000", "320000", "310000"},
			"ZJ0000": {"440000", "450000", "520000", "530000", "460000"},
		},
		GraceDays: 30, D02MaxYears: 5, D08MaxYearsBefore: 3, D08MaxYearsFrom: 5, D08RuleChange: "2020-01-01",
		TrialMaxMonths: 6, TonnageTolerance: 0.01, InvestmentOverrun: 1.2, ShrinkGuard: 0.2,
	}
	if diff := cmp.Diff(want, mustDefault(t).Settings); diff != "" {
		t.Errorf("settings mismatch (-want +got):\n%s", diff)
	}
}

func TestLoadFile(t *testing.T) {
	dir := t.TempDir()
	tsv := "# source: test\n# date: 2024-01-01\n320000\t江苏省\t\t苏\n" +
		"510000\t四川省\t\t川\n500000\t重庆市\t\t渝\n530000\t云南省\t\t云,滇\n420000\t湖北省\t\t鄂\n430000\t湖南省\t\t湘\n" +
		"360000\t江西省\t\t赣\n340000\t安徽省\t\t皖\n310000\t上海市\t\t沪\n440000\t广东省\t\t粤\n450000\t广西壮族自治区\t\t桂\n" +
		"520000\t贵州省\t\t贵,黔\n460000\t海南省\t\t琼\n320106\t鼓楼区\t\t\n"
	if err := os.WriteFile(filepath.Join(dir, "mini.tsv"), []byte(tsv), 0o644); err != nil {
		t.Fatal(err)
	}
	data := strings.Replace(string(embeddedYAML), "version: \"1.0\"", "version: \"1.0\"\nregions: mini.tsv", 1)
	path := filepath.Join(dir, "edited.yaml")
	if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
	s, err := Load(path)
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	got := []any{s.Path, s.RegionsFile, s.Regions.Len(), s.Regions.Source, s.Regions.Date}
	if diff := cmp.Diff([]any{path, "mini.tsv", 14, "test", "2024-01-01"}, got); diff != "" {
		t.Errorf("Load mismatch (-want +got):\n%s", diff)
	}

	plain := filepath.Join(dir, "plain.yaml")
	if err := os.WriteFile(plain, embeddedYAML, 0o644); err != nil {
		t.Fatal(err)
	}
	s, err = Load(plain)
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	if s.Regions != mustDefault(t).Regions {
		t.Error("a standard without `regions` does not use the embedded table")
	}

	if _, err := Load(filepath.Join(dir, "missing.yaml")); err == nil || !strings.Contains(err.Error(), "missing.yaml") {
		t.Errorf("Load(missing) = %v, want an error naming the file", err)
	}
}

func TestParseRegionsErrors(t *testing.T) {
	tests := []struct {
		name, data string
		want       []string
	}{
		{"columns", "110000\n", []string{"r.tsv:1: 应为 代码<TAB>名称[<TAB>撤销日期[<TAB>简称]]，实有 1 列"}},
		{"code", "# date: 2024-01-01\n11000\t北京\n", []string{"r.tsv:2: 行政区划代码 \"11000\" 应为 6 位数字"}},
		{"dup", "110000\t北京市\n110000\t北京市\n", []string{"r.tsv:2: 行政区划代码 110000 重复"}},
		{"date", "110103\t崇文区\t2010\n", []string{"r.tsv:1: 行政区划代码 110103 的撤销日期 \"2010\" 不是 YYYY-MM-DD 日期"}},
		{"abbr", "110101\t东城区\t\t京\n", []string{"r.tsv:1: 只有省级代码可以有简称，110101 不是省级代码"}},
		{"abbr dup", "110000\t北京市\t\t京\n120000\t天津市\t\t京\n", []string{"r.tsv:2: 简称 \"京\" 无效或已属于 110000"}},
		{"empty", "# source: x\n", []string{"r.tsv: 行政区划表中没有代码"}},
	}
	for _, tt := range tests {
		_, probs := parseRegions("r.tsv", []byte(tt.data))
		var got []string
		for _, p := range probs {
			got = append(got, p.String())
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("%s: problems mismatch (-want +got):\n%s", tt.name, diff)
		}
	}
}

// mutation changes the embedded standard and names the line the problem must be
// reported on by a marker: the first line of the changed text that contains it.
type mutation struct {
	name     string
	old, new string // replace the first occurrence of old by new
	marker   string // the problem's line is the first line containing marker (in the changed text)
	msg      string // a problem on that line contains msg
}

func TestParseRefusesMalformed(t *testing.T) {
	tests := []mutation{
		{"unknown top key", "title: ", "colour: red\ntitle: ", "colour:", `未知的键 "colour"`},
		{"unknown field key", "        length: 200\n", "        lenght: 200\n", "lenght", `datasets[0].fields[0]: 未知的键 "lenght"`},
		{"unknown condition key", "text: 经营者不是个体时}", "txt: 经营者不是个体时}", "txt:", `datasets[0].fields[1].when: 未知的键 "txt"`},
		{"unknown code key", "{code: \"1\", name: 沿海}", "{code: \"1\", nmae: 沿海}", "nmae", `未知的键 "nmae"`},
		{"type error", "grace_days: 30", "grace_days: thirty", "grace_days", "YAML 错误"},
		{"syntax error", "    name: 经营区域（内河/沿海）\n", "    name: [经营区域\n", "", "YAML 错误"},
		{"duplicate dataset", "name: waterway_transport_license", "name: shipping_operator", "name: shipping_operator\n    label: 国内", `数据集名称 "shipping_operator" 与数据集 shipping_operator 重复`},
		{"duplicate dataset code", "code: D02\n", "code: D01\n", "code: D01\n    name: waterway", `数据集代码 "D01" 与数据集 shipping_operator 重复`},
		{"duplicate field", "name: former_name", "name: cert_no", "name: cert_no\n        label: 曾用名", `数据集 vessel_operating_certificate 字段 cert_no："cert_no" 与字段 cert_no 重复`},
		{"duplicate label", "label: 曾用名", "label: 中文船名", "label: 中文船名\n        type: string\n        length: 60\n        required: O", `"中文船名" 与字段 ship_name_cn 重复`},
		{"duplicate code", "{code: \"2\", name: 内河}", "{code: \"1\", name: 内河}", "name: 内河", "代码表 C01 代码 1 重复"},
		{"duplicate code list", "id: C02\n", "id: C01\n", "id: C01\n    name: 水路", "代码表 C01 重复"},
		{"duplicate rule", "id: REL-02\n", "id: REL-01\n", "id: REL-01\n    category: relational\n    severity: warning", "规则 REL-01 重复"},
		{"unknown rule", "id: REL-26\n", "id: REL-27\n", "id: REL-27", `未知的规则 "REL-27"`},
		{"missing rule", "id: REL-26\n", "id: REL-27\n", "rules:", "缺少规则 REL-26（停用请写 enabled: false）"},
		{"unknown type", "type: code\n        code_list: C07", "type: enum\n        code_list: C07", "type: enum", `数据集 vessel_operating_certificate 字段 hull_material: 未知的类型 "enum"`},
		{"missing length", "        type: string\n        length: 200\n", "        type: string\n", "- name: operator_name\n        label: 经营者名称\n        type: string\n", "数据集 shipping_operator 字段 operator_name: string 类型必须有正的 length"},
		{"bad decimal", "precision: 14\n        scale: 4", "precision: 4\n        scale: 14", "precision: 4", "decimal 类型需要 precision > 0 且 0 ≤ scale ≤ precision"},
		{"unknown code list", "code_list: C07", "code_list: C99", "C99", "数据集 vessel_operating_certificate 字段 hull_material: 代码表 C99 不存在"},
		{"code list on string", "        length: 200\n        required: M\n", "        length: 200\n        code_list: C01\n        required: M\n", "code_list: C01", "只有 code、codes 类型可以有 code_list"},
		{"unknown id kind", "id: CNSHIP", "id: CNSHIPX", "CNSHIPX", `未知的标识符种类 "CNSHIPX"`},
		{"id on date", "type: date\n", "type: date\n        id: USCC\n", "id: USCC", "只有 id、string 类型可以有 id"},
		{"when on M field", "        required: C\n        when: {field: is_individual, op: not_in", "        required: M\n        when: {field: is_individual, op: not_in", "when: {field: is_individual, op: not_in", "只有条件必填（C）的字段才能有 when"},
		{"C without when", "        required: C\n        when: {field: passenger_scope, op: absent, text: 未填客运经营范围时}\n", "        required: C\n", "required: C", "数据集 waterway_transport_license 字段 cargo_scope: 条件必填（C）的字段必须有 when"},
		{"bad required", "required: O", "required: X", "required: X", `required 应为 M、C 或 O，不是 "X"`},
		{"condition unknown field", "field: is_individual, op: not_in", "field: is_indiv, op: not_in", "is_indiv", `when 引用的字段 "is_indiv" 不存在`},
		{"condition unknown op", "op: not_in", "op: notin", "op: notin", `未知的 op "notin"`},
		{"condition no values", `op: in, values: ["C"]`, "op: in", "op: in, text: 备案事项", "op in 需要 values"},
		{"condition bad value", `values: ["2", "3", "4"]`, `values: ["2", "3", "9"]`, `"9"`, `值 "9" 不是代码表 C04 的代码`},
		{"condition bad date", `values: ["2017-01-01"]`, `values: ["2017"]`, `"2017"`, `值 "2017" 应为 YYYY-MM-DD 日期`},
		{"intersects on code", `field: ship_scope, op: intersects, values: ["32"]`, `field: status, op: intersects, values: ["1"]`, `field: status, op: intersects`, "intersects 只能用于 codes 类型的字段"},
		{"condition no text", ", text: 备案事项为变更时}", "}", `values: ["C"]}`, "when 缺少中文说明 text"},
		{"self condition", "when: {field: manager_name, op: present", "when: {field: manager_license_no, op: present", "field: manager_license_no, op: present", "不能以字段自身为条件"},
		{"bad key", "key: [license_no]", "key: [licence_no]", "licence_no", "数据集 waterway_transport_license 的 key 字段 licence_no 不存在"},
		{"no key", "    key: [license_no]\n", "", "code: D02", "数据集 waterway_transport_license 缺少业务键 key"},
		{"bad alt key", "alt_key: [id_no]", "alt_key: [id_number]", "id_number", "alt_key 字段 id_number 不存在"},
		{"bad ref", "ref: shipping_operator.uscc", "ref: shipping_operatr.uscc", "operatr", `ref "shipping_operatr.uscc" 应为 数据集名.字段名`},
		{"bad ref field", "ref: shipping_operator.uscc", "ref: shipping_operator.usc", "operator.usc\n", `ref "shipping_operator.usc" 的字段 usc 不存在`},
		{"bad pattern", `pattern: '^\d{6}$'`, `pattern: '^\d{6$('`, `\d{6$(`, "pattern 无法编译"},
		{"bad pattern severity", "pattern_severity: warning", "pattern_severity: info", "pattern_severity: info", `pattern_severity 应为 error 或 warning，不是 "info"`},
		{"empty range", "min: 1\n        max: 500", "min: 600\n        max: 500", "max: 500", "范围为空：min 600 > max 500"},
		{"range on string", "        length: 200\n        required: M\n", "        length: 200\n        min: 1\n        required: M\n", "min: 1", "只有 integer、decimal 类型可以有 min、max"},
		{"bad sharing", "sharing: not_shared", "sharing: private", "sharing: private", `sharing 应为 shareable、conditional 或 not_shared，不是 "private"`},
		{"bad severity", "severity: warning\n    title: 数据标准未定义的列", "severity: warn\n    title: 数据标准未定义的列", "severity: warn", `规则 FILE-HEADER-UNKNOWN: 未知的严重程度 "warn"`},
		{"bad category", "category: completeness\n    severity: error\n    title: 必填字段为空", "category: complete\n    severity: error\n    title: 必填字段为空", "category: complete", `规则 REQ: 未知的类别 "complete"`},
		{"wrong category", "category: completeness\n    severity: error\n    title: 占位值", "category: normativity\n    severity: error\n    title: 占位值", "category: normativity\n    severity: error\n    title: 占位值", "规则 DAT-09: 类别应为 completeness（contracts.md §3），不是 normativity"},
		{"bad part severity", "parts: {orgcode: warning}", "parts: {orgcode: fatal}", "orgcode: fatal", `部分 orgcode 的严重程度 "fatal" 无效`},
		{"bad part name", "parts: {sheet: warning}", "parts: {sheets: warning}", "sheets", `规则 FILE-DATASET: 没有名为 "sheets" 的部分`},
		{"bad rule dataset", "datasets: [port_dg_annex]", "datasets: [port_dg_annexes]", "port_dg_annexes", `规则 REL-15: 数据集 "port_dg_annexes" 不存在`},
		{"bad tag", "tag: V\n", "tag: X\n", "tag: X", "tag 应为 V、O 或 R"},
		{"name shared by codes", "aliases: [客滚船,", "aliases: [客船, 客滚船,", "aliases: [客船, 客滚船,", `代码表 C06："客船" 同时指向代码 PAX 和 ROPAX`},
		{"name equals other code", "{code: \"3\", name: 沿海及内河}", "{code: \"3\", name: \"1\"}", `name: "1"}`, `代码表 C01："1" 同时指向代码 1 和 3`},
		{"bad parent", `parent: "1000", aliases: [码头设施]`, `parent: "1999", aliases: [码头设施]`, "1999", "代码表 C03 代码 1001 的上级代码 1999 不在本表中"},
		{"empty code list", "    codes:\n      - {code: SM, name: 船舶管理}\n      - {code: SA, name: 船舶代理}\n      - {code: PA, name: 水路旅客运输代理}\n      - {code: FA, name: 水路货物运输代理}\n", "    codes: []\n", "codes: []", "代码表 C10 没有代码"},
		{"negative grace", "grace_days: 30", "grace_days: -1", "grace_days", "settings.grace_days: 不能为负"},
		{"bad rule change", `d08_rule_change: "2020-01-01"`, `d08_rule_change: "2020-13-01"`, "d08_rule_change", `settings.d08_rule_change: "2020-13-01" 不是 YYYY-MM-DD 日期`},
		{"zero years", "d02_max_years: 5", "d02_max_years: 0", "d02_max_years", "settings.d02_max_years: 应为正整数"},
		{"bad tolerance", "tonnage_tolerance: 0.01", "tonnage_tolerance: 1.5", "tonnage_tolerance", "settings.tonnage_tolerance: 应在 0 到 1 之间"},
		{"bad overrun", "investment_overrun: 1.2", "investment_overrun: 0.5", "investment_overrun", "settings.investment_overrun: 应不小于 1"},
		{"bad shrink guard", "shrink_guard: 0.2", "shrink_guard: 0", "shrink_guard", "settings.shrink_guard: 应在 0（不含）到 1 之间"},
		{"missing setting", "  grace_days: 30\n", "", "settings:", "settings 缺少 grace_days"},
		{"bad jurisdiction", `CJ0000: ["510000"`, `CJ0000: ["519999"`, "519999", `settings.jurisdictions: CJ0000 的 "519999" 不是现行省级行政区划代码`},
		{"bad jurisdiction agency", "CJ0000:", "CX0000:", "CX0000", `settings.jurisdictions: "CX0000" 不是航务管理局代码`},
		{"empty null value", `null_values: ["-", "--", "1900-01-01"]`, `null_values: ["-", " "]`, "null_values", "settings.null_values: 空值记号不能为空白"},
		{"null dataset", "datasets:\n  - code: D01", "datasets:\n  - ~\n  - code: D01", "  - ~", "datasets 第 1 项为空"},
		{"null field", "    fields:\n      - name: operator_name", "    fields:\n      - ~\n      - name: operator_name", "      - ~", "数据集 shipping_operator 第 1 个字段为空"},
		{"missing version", "version: \"1.0\"\n", "", "", "缺少 version"},
		{"regions not a file", "version: \"1.0\"\n", "version: \"1.0\"\nregions: /dev/null\n", "regions:", "无法读取行政区划表 /dev/null：不是普通文件"},
		{"missing regions file", "version: \"1.0\"\n", "version: \"1.0\"\nregions: no-such.tsv\n", "regions:", "无法读取行政区划表 no-such.tsv"},
	}
	base := string(embeddedYAML)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !strings.Contains(base, tt.old) {
				t.Fatalf("old text %q not in the embedded standard", tt.old)
			}
			data := strings.Replace(base, tt.old, tt.new, 1)
			line := 0
			if tt.marker != "" {
				// the first marker that ends after the change, else the last one before it
				changed := strings.Index(base, tt.old)
				at := -1
				for from := 0; ; {
					i := strings.Index(data[from:], tt.marker)
					if i < 0 {
						break
					}
					if from+i+len(tt.marker) > changed {
						at = from + i
						break
					}
					from += i + 1
				}
				if at < 0 {
					at = strings.LastIndex(data[:changed], tt.marker)
				}
				if at < 0 {
					t.Fatalf("marker %q not in the changed text", tt.marker)
				}
				line = strings.Count(data[:at], "\n") + 1
			}
			_, err := Parse("standard.yaml", []byte(data))
			var le *LoadError
			if !errors.As(err, &le) {
				t.Fatalf("Parse = %v, want a *LoadError", err)
			}
			for _, p := range le.Problems {
				if (line == 0 || p.Line == line) && p.File == "standard.yaml" && strings.Contains(p.Message, tt.msg) {
					return
				}
			}
			t.Errorf("no problem on line %d containing %q; got:\n%v", line, tt.msg, err)
		})
	}
}

// The example of the brief, in full: file:line: what is wrong.
func TestParseErrorFormat(t *testing.T) {
	data := strings.Replace(string(embeddedYAML), "code_list: C07", "code_list: C99", 1)
	data = strings.Replace(data, "grace_days: 30", "grace_days: -1", 1)
	_, err := Parse("standard.yaml", []byte(data))
	if err == nil {
		t.Fatal("Parse accepted a broken standard")
	}
	lineOf := func(s string) int { return strings.Count(data[:strings.Index(data, s)], "\n") + 1 }
	// grace_days is named in rule texts too: find the setting itself
	graceLine := strings.Count(data[:strings.Index(data, "  grace_days: -1")], "\n") + 1
	want := []string{
		"standard.yaml:" + strconv.Itoa(lineOf("C99")) + ": 数据集 vessel_operating_certificate 字段 hull_material: 代码表 C99 不存在",
		"standard.yaml:" + strconv.Itoa(graceLine) + ": settings.grace_days: 不能为负",
	}
	if diff := cmp.Diff(want, strings.Split(err.Error(), "\n")); diff != "" {
		t.Errorf("error text mismatch (-want +got):\n%s", diff)
	}
}

func TestParseNotAStandard(t *testing.T) {
	tests := []struct{ data, want string }{
		{"", "x.yaml: 文件为空"},
		{"- a\n- b\n", "x.yaml:1: 顶层应为键值映射"},
		{"version: [\n", "x.yaml:1: YAML 错误"},
		{"version: a\nversion: b\n", "x.yaml:2: YAML 错误"},
		{"a: 1\nb: 2\n", "x.yaml:1: 未知的键 \"a\"\nx.yaml:2: 未知的键 \"b\""},
	}
	for _, tt := range tests {
		_, err := Parse("x.yaml", []byte(tt.data))
		if err == nil || !strings.HasPrefix(err.Error(), tt.want) {
			t.Errorf("Parse(%q) = %v, want %q…", tt.data, err, tt.want)
		}
	}
}

func FuzzParse(f *testing.F) {
	f.Add(embeddedYAML)
	f.Add([]byte("version: \"1.0\"\ntitle: t\ndatasets:\n  - code: D01\n    name: a\n    label: 甲\n    key: [x]\n    fields:\n      - {name: x, label: 乙, type: string, length: 3, required: C, when: {field: x, op: in}}\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := Parse("fuzz.yaml", data)
		if err != nil {
			if err.Error() == "" {
				t.Error("empty error text")
			}
			return
		}
		for _, d := range s.Datasets {
			s.Dataset(d.Label)
			d.Field(d.Key[0])
		}
	})
}
