package report

import (
	"testing"

	"shuiyun/internal/standard"
	"shuiyun/internal/validate"
)

// testStandard returns the standard built into the binary.
func testStandard(t testing.TB) *standard.Standard {
	t.Helper()
	std, err := standard.Default()
	if err != nil {
		t.Fatalf("standard.Default: %v", err)
	}
	return std
}

// MinimalStandard is a hand-built standard with just what the report tests
// name: two datasets, their fields and the rules of the fixture report. The
// writers index the standard's slices themselves, so it needs no loader; tests
// use it where they change the standard (sheet names of long labels) or to show
// that a hand-built standard works.
func MinimalStandard() *standard.Standard {
	rule := func(id string, cat standard.Category, sev standard.Severity, title string) *standard.Rule {
		return &standard.Rule{ID: id, Category: cat, Severity: sev, Title: title}
	}
	return &standard.Standard{
		Version: "1.0",
		Title:   "测试用最小标准",
		Datasets: []*standard.Dataset{
			{Code: "D03", Name: "vessel_operating_certificate", Label: "营运船舶（船舶营业运输证）",
				Key: []string{"cert_no"}, Fields: []*standard.Field{
					{Name: "cert_no", Label: "证书编号", Type: standard.TypeString, Length: 30, Required: standard.Mandatory},
					{Name: "ship_id", Label: "船舶识别号", Type: standard.TypeID, ID: standard.IDCNShip, Length: 13, Required: standard.Mandatory},
					{Name: "ship_name_cn", Label: "船舶中文名称", Type: standard.TypeString, Length: 50, Required: standard.Mandatory},
					{Name: "operator_name", Label: "经营人名称", Type: standard.TypeString, Length: 100, Required: standard.Mandatory},
					{Name: "status", Label: "证书状态", Type: standard.TypeCode, CodeList: "C04", Required: standard.Mandatory},
				}},
			{Code: "D08", Name: "port_operation_license", Label: "港口经营许可证",
				Key: []string{"license_no"}, Fields: []*standard.Field{
					{Name: "license_no", Label: "许可证编号", Type: standard.TypeString, Length: 20, Required: standard.Mandatory},
					{Name: "issue_date", Label: "发证日期", Type: standard.TypeDate, Required: standard.Mandatory},
				}},
		},
		Rules: []*standard.Rule{
			rule("FILE-DATASET", standard.Structure, standard.Error, "无法确定数据集"),
			rule("FILE-HEADER-UNKNOWN", standard.Structure, standard.Warning, "标准未定义的列"),
			rule("FILE-ROW-SHAPE", standard.Structure, standard.Error, "行的单元格多于表头"),
			rule("REQ", standard.Completeness, standard.Error, "必填项为空"),
			rule("FMT-DATE", standard.Normativity, standard.Error, "日期格式错误"),
			rule("CODE", standard.Normativity, standard.Error, "不在代码表中"),
			rule("ID-CNSHIP", standard.Normativity, standard.Error, "船舶识别号不符合编码规则"),
			rule("REL-02", standard.Relational, standard.Warning, "经营人名称与许可证不一致"),
			rule("REL-10", standard.Relational, standard.Error, "船舶应在海事登记中存在且未注销"),
		},
	}
}

// fixtureReport is a hand-made report: a CSV file with findings of several
// rules (one file-level, one row-level, a warning, Chinese values and a value
// that is markup), an XLSX sheet, a sheet whose dataset is unknown, and a
// skipped rule.
func fixtureReport() *validate.Report {
	vessels := &validate.File{
		Path: "data/vessels.csv", Dataset: "vessel_operating_certificate", Encoding: "GB18030",
		Rows: 1200, ErrorRows: 4, HeaderRow: 1,
		Header: []string{"cert_no", "ship_id", "ship_name_cn", "operator_name", "status", ""},
		Findings: []validate.Finding{
			{Row: 0, Field: "备注", Rule: "FILE-HEADER-UNKNOWN", Category: "structure", Severity: "warning",
				Message: "标准未定义的列“备注”，已忽略"},
			{Row: 3, Field: "ship_name_cn", Rule: "REQ", Category: "completeness", Severity: "error",
				Message: "船舶中文名称不能为空"},
			{Row: 14, Field: "ship_id", Rule: "ID-CNSHIP", Category: "normativity", Severity: "error",
				Value: "CN20149346218", Message: "船舶识别号校验位错误，应为 9"},
			{Row: 14, Field: "operator_name", Rule: "REL-02", Category: "relational", Severity: "warning",
				Value: "南京长江航运有限公司", Message: "经营人名称与许可证上的“南京长江航运（集团）有限公司”不一致"},
			{Row: 15, Field: "status", Rule: "CODE", Category: "normativity", Severity: "error",
				Value: "<script>alert('x')</script>", Message: "不是证照状态（C04）中的代码"},
			{Row: 16, Field: "", Rule: "FILE-ROW-SHAPE", Category: "structure", Severity: "error",
				Message: "本行有 8 个单元格，多于表头的 6 列"},
			{Row: 20, Field: "ship_name_cn", Rule: "REQ", Category: "completeness", Severity: "error",
				Message: "船舶中文名称不能为空"},
		},
	}
	ports := &validate.File{
		Path: "data/ports.xlsx", Sheet: "港口经营许可证", Dataset: "port_operation_license",
		Rows: 35, ErrorRows: 1, HeaderRow: 2, Header: []string{"license_no", "issue_date"},
		Findings: []validate.Finding{
			{Row: 7, Field: "issue_date", Rule: "FMT-DATE", Category: "normativity", Severity: "error",
				Value: "2023-02-30", Message: "不是有效的日期"},
		},
	}
	notes := &validate.File{
		Path: "data/ports.xlsx", Sheet: "填表说明", Findings: []validate.Finding{
			{Row: 0, Rule: "FILE-DATASET", Category: "structure", Severity: "warning",
				Message: "工作表“填表说明”不是任何数据集，已跳过"},
		},
	}
	return &validate.Report{
		Standard: "1.0", Valid: false, AsOf: "2026-11-26",
		Files:   []*validate.File{vessels, ports, notes},
		Skipped: []validate.Skipped{{Rule: "REL-10", Reason: "没有 msa_vessel_registration（海事船舶登记）数据"}},
		Summary: validate.Summary{Files: 3, Rows: 1235, ErrorRows: 5, Errors: 6, Warnings: 3,
			ByRule: map[string]int{"REQ": 2, "ID-CNSHIP": 1, "REL-02": 1, "CODE": 1, "FILE-ROW-SHAPE": 1,
				"FMT-DATE": 1, "FILE-HEADER-UNKNOWN": 1, "FILE-DATASET": 1}},
	}
}

// passingReport is a report without findings; its findings and by_rule are nil.
func passingReport() *validate.Report {
	return &validate.Report{
		Standard: "1.0", Valid: true, AsOf: "2026-11-26",
		Files:   []*validate.File{{Path: "ports.csv", Dataset: "port_operation_license", Encoding: "UTF-8", Rows: 35}},
		Summary: validate.Summary{Files: 1, Rows: 35},
	}
}
