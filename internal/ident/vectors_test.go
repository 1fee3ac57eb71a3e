package ident

import (
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// result is what a check returned, in a form cmp can compare; the zero value means valid.
type result struct{ Kind, Msg string }

func resultOf(err error) result {
	if err == nil {
		return result{}
	}
	e, ok := errors.AsType[*Error](err)
	if !ok {
		return result{Kind: "not *ident.Error", Msg: err.Error()}
	}
	return result{e.Kind, e.Msg}
}

type vector struct {
	in   string
	want result
}

func runVectors(t *testing.T, check func(string) error, vectors []vector) {
	t.Helper()
	for _, v := range vectors {
		if diff := cmp.Diff(v.want, resultOf(check(v.in))); diff != "" {
			t.Errorf("%q (-want +got):\n%s", v.in, diff)
		}
	}
}

func usccErr(msg string) result    { return result{KindUSCC, msg} }
func orgErr(msg string) result     { return result{KindOrgCode, msg} }
func citizenErr(msg string) result { return result{KindCitizen, msg} }
func imoErr(msg string) result     { return result{KindIMO, msg} }
func mmsiErr(msg string) result    { return result{KindMMSI, msg} }
func cnShipErr(msg string) result  { return result{KindCNShip, msg} }
func patternErr(msg string) result { return result{KindPattern, msg} }

// Valid USCCs of standard.md §3.1: the GB 32100 worked example and python-stdnum's list.
var usccValid = []string{
	"91350100M000100Y43", "91110000600037341L", "91310115MA1K3BTP2B", "121200004013590816", "91340600MA2PBM9HXD",
}

func TestUSCC(t *testing.T) {
	vectors := []vector{
		// Computed: letters are allowed in positions 1–2.
		{"A1110000600037341K", result{}},
		{"Y1110000600037341Y", result{}},
		// §3.1: the worked example with a wrong check character; Z is outside the set.
		{"91350100M000100Y4Z", usccErr("统一社会信用代码校验位错误，应为 3")},
		{"91110000600037341N", usccErr("统一社会信用代码校验位错误，应为 L")},
		{"91110000600037341", usccErr("统一社会信用代码应为 18 位，实际 17 位")},
		{"91110000600037341LL", usccErr("统一社会信用代码应为 18 位，实际 19 位")},
		{"", usccErr("统一社会信用代码为空")},
		{"91I10000600037341L", usccErr("统一社会信用代码含不允许的字符 “I”（第 3 位）")},
		{"91A10000600037341L", usccErr("统一社会信用代码第 3–8 位（登记管理机关行政区划码）应为数字，第 3 位为 “A”")},
		{"9111000A600037341L", usccErr("统一社会信用代码第 3–8 位（登记管理机关行政区划码）应为数字，第 8 位为 “A”")},
		{"91310115ma1K3BTP2B", usccErr("统一社会信用代码含小写字母 “m”（第 9 位），应为大写")},
		{"91110000600037341l", usccErr("统一社会信用代码含小写字母 “l”（第 18 位），应为大写")},
		{"91110000600O37341L", usccErr("统一社会信用代码含不允许的字符 “O”（第 12 位）")},
		{"９1110000600037341L", usccErr("统一社会信用代码含全角数字 “９”（第 1 位），应为半角")},
		{"9111000 600037341L", usccErr("统一社会信用代码含空格（第 8 位）")},
		{"91110000600037341L\u3000", usccErr("统一社会信用代码应为 18 位，实际 19 位")},
		{"91110000600037341\u3000", usccErr("统一社会信用代码含全角空格（第 18 位）")},
		{"9111000\t600037341L", usccErr("统一社会信用代码含不可见字符 U+0009（第 8 位）")},
		{"91110000600037341\xff", usccErr("统一社会信用代码含无法识别的字节（第 18 位）")},
	}
	for _, s := range usccValid {
		vectors = append(vectors, vector{s, result{}})
	}
	runVectors(t, USCC, vectors)
}

func TestUSCCCheck(t *testing.T) {
	for _, s := range usccValid {
		if got := USCCCheck(s[:17]); got != s[17] {
			t.Errorf("USCCCheck(%q) = %q, want %q", s[:17], got, s[17])
		}
	}
	// §3.1 worked example: Σ = 1640, 1640 mod 31 = 28, 31 − 28 = 3.
	if got := USCCCheck("91350100M000100Y4"); got != '3' {
		t.Errorf("worked example: got %q, want '3'", got)
	}
	for _, bad := range []string{"", "91350100M000100Y", "91350100M000100Y4X", "91350100I000100Y4", "9135010０M000100Y"} {
		if got := USCCCheck(bad); got != 0 {
			t.Errorf("USCCCheck(%q) = %q, want 0", bad, got)
		}
	}
}

func TestUSCCOrgCode(t *testing.T) {
	vectors := []vector{
		// Computed: a correct USCC check character over an organization code that fails GB 11714.
		{"91110000600037342P", usccErr("统一社会信用代码第 9–17 位（组织机构代码）校验位错误，第 17 位应为 1")},
		// The USCC's own check character is not this function's business.
		{"91110000600037341N", result{}},
		{"91110000600037341", usccErr("统一社会信用代码应为 18 位，实际 17 位")},
		{"91I10000600037341L", usccErr("统一社会信用代码含不允许的字符 “I”（第 3 位）")},
	}
	for _, s := range usccValid {
		vectors = append(vectors, vector{s, result{}})
	}
	runVectors(t, USCCOrgCode, vectors)
	if err := USCC("91110000600037342P"); err != nil {
		t.Errorf("91110000600037342P should pass USCC itself: %v", err)
	}
}

func TestOrgCode(t *testing.T) {
	runVectors(t, OrgCode, []vector{
		// §3.2 vectors.
		{"600037341", result{}},
		{"M000100Y4", result{}},
		{"078376286", result{}},
		{"MA1K3BTP2", result{}},
		// Characters 9–17 of the other valid USCCs of §3.1.
		{"401359081", result{}},
		{"MA2PBM9HX", result{}},
		{"600037342", orgErr("组织机构代码校验位错误，应为 1")},
		{"MA2PBM9H1", orgErr("组织机构代码校验位错误，应为 X")},
		{"MA2PBM9Hx", orgErr("组织机构代码校验位应为大写 X")},
		{"60003734-1", orgErr("组织机构代码不含连字符，应写作 600037341")},
		{"60003734", orgErr("组织机构代码应为 9 位，实际 8 位")},
		{"ma1K3BTP2", orgErr("组织机构代码含小写字母 “m”（第 1 位），应为大写")},
		{"60003734１", orgErr("组织机构代码含全角数字 “１”（第 9 位），应为半角")},
		{"6000-3734", orgErr("组织机构代码含不允许的字符 “-”（第 5 位）")},
	})
	for s, want := range map[string]byte{"60003734": '1', "M000100Y": '4', "07837628": '6', "MA1K3BTP": '2', "MA2PBM9H": 'X'} {
		if got := OrgCodeCheck(s); got != want {
			t.Errorf("OrgCodeCheck(%q) = %q, want %q", s, got, want)
		}
	}
	for _, bad := range []string{"", "6000373", "600037341", "6000373a"} {
		if got := OrgCodeCheck(bad); got != 0 {
			t.Errorf("OrgCodeCheck(%q) = %q, want 0", bad, got)
		}
	}
}

// citizenToday is the reference date of the citizen vectors.
var citizenToday = time.Date(2026, 11, 26, 0, 0, 0, 0, time.UTC)

func TestCitizen(t *testing.T) {
	check := func(s string) error { return Citizen(s, citizenToday) }
	runVectors(t, check, []vector{
		// §3.3: the standard's examples and python-stdnum's.
		{"11010519491231002X", result{}},
		{"440524188001010014", result{}},
		{"360426199101010071", result{}},
		{"44011320141005001X", result{}},
		// Computed: 29 February of a leap year (2000 is one, 1900 is not).
		{"110105200002290013", result{}},
		{"330203190002280015", result{}},
		{"330203190002290015", citizenErr("公民身份号码中的出生日期 “19000229” 不是有效日期")},
		{"11010519491231002x", citizenErr("公民身份号码末位应为大写 X")},
		{"110105194912310021", citizenErr("公民身份号码校验位错误，应为 X")},
		{"440524188001010015", citizenErr("公民身份号码校验位错误，应为 4")},
		{"44052418800101001A", citizenErr("公民身份号码校验位错误，应为 4")},
		{"11010519491232002X", citizenErr("公民身份号码中的出生日期 “19491232” 不是有效日期")},
		{"11010519491300002X", citizenErr("公民身份号码中的出生日期 “19491300” 不是有效日期")},
		{"110105203001010011", citizenErr("公民身份号码中的出生日期 2030-01-01 晚于今天（2026-11-26）")},
		{"110105202611270011", citizenErr("公民身份号码中的出生日期 2026-11-27 晚于今天（2026-11-26）")},
		{"110105184912310011", citizenErr("公民身份号码中的出生日期 1849-12-31 早于 1850 年")},
		{"710105194912310011", citizenErr("公民身份号码前 2 位 “71” 是港澳台地区代码，不属于内地 31 个省级行政区")},
		{"810000199001010011", citizenErr("公民身份号码前 2 位 “81” 是港澳台地区代码，不属于内地 31 个省级行政区")},
		{"100105194912310011", citizenErr("公民身份号码前 2 位 “10” 不是有效的省级行政区划代码")},
		{"660105194912310011", citizenErr("公民身份号码前 2 位 “66” 不是有效的省级行政区划代码")},
		{"110105491231002", citizenErr("公民身份号码应为 18 位，实际 15 位（旧的 15 位号码应换为 18 位）")},
		{"11010519491231002", citizenErr("公民身份号码应为 18 位，实际 17 位")},
		{"1101051949123100AX", citizenErr("公民身份号码含不允许的字符 “A”（第 17 位）")},
		{"110105X94912310011", citizenErr("公民身份号码含不允许的字符 “X”（第 7 位）")},
		{"11010519491231002Ｘ", citizenErr("公民身份号码含全角字母 “Ｘ”（第 18 位），应为半角")},
	})
	// A zero today skips the future test only.
	if err := Citizen("110105203001010011", time.Time{}); err == nil || resultOf(err).Msg != "公民身份号码校验位错误，应为 X" {
		t.Errorf("zero today: got %v", err)
	}
	// today is read in its own location: 2026-11-27 00:30 in Shanghai is still 2026-11-26 in UTC.
	shanghai := time.FixedZone("CST", 8*3600)
	born := "110105202611270017"
	if err := Citizen(born, time.Date(2026, 11, 27, 0, 30, 0, 0, shanghai)); err != nil {
		t.Errorf("born today in Shanghai: %v", err)
	}
	if err := Citizen(born, time.Date(2026, 11, 27, 0, 30, 0, 0, shanghai).UTC()); err == nil {
		t.Errorf("born tomorrow in UTC: got nil")
	}
}

func TestCitizenCheck(t *testing.T) {
	for _, s := range []string{"11010519491231002X", "440524188001010014", "360426199101010071", "44011320141005001X"} {
		if got := CitizenCheck(s[:17]); got != s[17] {
			t.Errorf("CitizenCheck(%q) = %q, want %q", s[:17], got, s[17])
		}
	}
	for _, bad := range []string{"", "1101051949123100", "11010519491231002X", "1101051949123100A"} {
		if got := CitizenCheck(bad); got != 0 {
			t.Errorf("CitizenCheck(%q) = %q, want 0", bad, got)
		}
	}
}

func TestIMO(t *testing.T) {
	runVectors(t, IMO, []vector{
		// §3.4.
		{"9074729", result{}},
		{"9319466", result{}},
		{"8814275", result{}},
		{"9176187", result{}},
		{"8814274", imoErr("IMO 编号校验位错误，应为 5")},
		{"907472A", imoErr("IMO 编号校验位错误，应为 9")},
		{"IMO 9074729", imoErr("IMO 编号只填 7 位数字，应去掉前缀 “IMO”")},
		{"imo9074729", imoErr("IMO 编号只填 7 位数字，应去掉前缀 “imo”")},
		{"907472", imoErr("IMO 编号应为 7 位，实际 6 位")},
		{"90747A9", imoErr("IMO 编号含不允许的字符 “A”（第 6 位）")},
	})
	for _, s := range []string{"9074729", "9319466", "8814275", "9176187"} {
		if got := IMOCheck(s[:6]); got != s[6] {
			t.Errorf("IMOCheck(%q) = %q, want %q", s[:6], got, s[6])
		}
	}
	for _, bad := range []string{"", "90747", "9074729", "90747A"} {
		if got := IMOCheck(bad); got != 0 {
			t.Errorf("IMOCheck(%q) = %q, want 0", bad, got)
		}
	}
}

func TestMMSI(t *testing.T) {
	runVectors(t, MMSI, []vector{
		// §3.5 real vectors.
		{"413905874", result{}},
		{"412475320", result{}},
		{"413358930", result{}},
		{"412271090", result{}},
		{"414000001", result{}},
		{"477123456", mmsiErr("MMSI 前 3 位 477 是香港的海上识别数字，不是内地船籍船舶")},
		{"453123456", mmsiErr("MMSI 前 3 位 453 是澳门的海上识别数字，不是内地船籍船舶")},
		{"416123456", mmsiErr("MMSI 前 3 位 416 是台湾地区的海上识别数字，不是内地船籍船舶")},
		{"273123456", mmsiErr("MMSI 前 3 位 273 不是中国内地的海上识别数字（应为 412、413 或 414）")},
		{"411123456", mmsiErr("MMSI 前 3 位 411 不是中国内地的海上识别数字（应为 412、413 或 414）")},
		{"004130001", mmsiErr("MMSI 以 0 开头，不是船舶电台识别码（内地船舶应以 412、413 或 414 开头）")},
		{"         ", mmsiErr("MMSI 全为空格，应作为空值处理")},
		{"   ", mmsiErr("MMSI 全为空格，应作为空值处理")},
		{"41390587", mmsiErr("MMSI 应为 9 位，实际 8 位")},
		{"41390587A", mmsiErr("MMSI 含不允许的字符 “A”（第 9 位）")},
		{"413 05874", mmsiErr("MMSI 含空格（第 4 位）")},
	})
}

// cnShipReal are the 13 real ship identification numbers of standard.md §3.6.
var cnShipReal = []string{
	"CN20149346219", "CN20069574152", "CN20118764119", "CN20132130544", "CN20104781479", "CN20159768141", "CN20152662724",
	"CN20047521437", "CN20035600172", "CN20106138758", "CN20109029265", "CN20112616568", "CN19944611804",
}

func TestCNShip(t *testing.T) {
	check := func(s string) error { return CNShip(s, 2026) }
	vectors := []vector{
		// §3.6 synthetic vectors.
		{"CN20215260184", result{}},
		{"CN20211590832", result{}},
		{"CN20210166132", result{}},
		{"CN20149346218", cnShipErr("船舶识别号校验位错误，应为 9")},
		{"CN2014934621X", cnShipErr("船舶识别号校验位错误，应为 9")},
		// Computed: 2014934628 gives remainder 2, i.e. X.
		{"CN20149346280", cnShipErr("船舶识别号前 12 位算出的校验码为 X，而校验码只能是数字，此号码不可能被核发")},
		{"CN2014934628X", cnShipErr("船舶识别号前 12 位算出的校验码为 X，而校验码只能是数字，此号码不可能被核发")},
		{"CN18991234567", cnShipErr("船舶识别号第 3–6 位表示安放龙骨的年份，1899 不在 1900–2026 之间")},
		{"CN20271234567", cnShipErr("船舶识别号第 3–6 位表示安放龙骨的年份，2027 不在 1900–2026 之间")},
		{"cn20149346219", cnShipErr("船舶识别号应以大写字母 “CN” 开头")},
		{"CH20149346219", cnShipErr("船舶识别号应以 “CN” 开头，后接 11 位数字")},
		{"CN2014934621", cnShipErr("船舶识别号应为 13 位（“CN” 加 11 位数字），实际 12 位")},
		{"20149346219", cnShipErr("船舶识别号应为 13 位（“CN” 加 11 位数字），实际 11 位")},
		{"CN20149A46219", cnShipErr("船舶识别号含不允许的字符 “A”（第 8 位）")},
		{"CN 2014934621", cnShipErr("船舶识别号含空格（第 3 位）")},
	}
	for _, s := range cnShipReal {
		vectors = append(vectors, vector{s, result{}})
	}
	runVectors(t, check, vectors)
	if err := CNShip("CN20271234567", 0); resultOf(err).Msg == "" || resultOf(err).Msg == vectors[8].want.Msg {
		t.Errorf("thisYear 0 should skip the upper bound, got %v", err)
	}
	if got := resultOf(CNShip("CN18991234567", 0)).Msg; got != "船舶识别号第 3–6 位表示安放龙骨的年份，1899 早于 1900 年" {
		t.Errorf("thisYear 0, year 1899: got %q", got)
	}
}

func TestCNShipCheck(t *testing.T) {
	for _, s := range append(cnShipReal, "CN20215260184", "CN20211590832", "CN20210166132") {
		got, ok := CNShipCheck(s[2:12])
		if got != s[12] || !ok {
			t.Errorf("CNShipCheck(%q) = %q, %v; want %q, true", s[2:12], got, ok, s[12])
		}
	}
	if got, ok := CNShipCheck("2014934628"); got != 'X' || ok {
		t.Errorf("CNShipCheck(2014934628) = %q, %v; want 'X', false", got, ok)
	}
	for _, bad := range []string{"", "201493462", "20149346219", "201493462A"} {
		if got, ok := CNShipCheck(bad); got != 0 || ok {
			t.Errorf("CNShipCheck(%q) = %q, %v; want 0, false", bad, got, ok)
		}
	}
}

func TestPortLicense(t *testing.T) {
	type out struct {
		Prefix, Serial string
		Err            result
	}
	const shapeMsg = "港口经营许可证编号格式应为 “（浙舟）港经证（0288）号”"
	tests := []struct {
		in   string
		want out
	}{
		// §3.10 real value, and the same with half-width or mixed brackets.
		{"（浙舟）港经证（0288）号", out{"浙舟", "0288", result{}}},
		{"(浙舟)港经证(0288)号", out{"浙舟", "0288", result{}}},
		{"（浙舟)港经证(0288）号", out{"浙舟", "0288", result{}}},
		{"（浙）港经证（123）号", out{"浙", "123", result{}}},
		{"（粤广州港）港经证（123456）号", out{"粤广州港", "123456", result{}}},
		{"（浙舟）港经证（02）号", out{Err: patternErr("港口经营许可证编号的序号应为 3–6 位数字，实际为 “02”（格式如 “（浙舟）港经证（0288）号”）")}},
		{"（浙舟）港经证（1234567）号", out{Err: patternErr("港口经营许可证编号的序号应为 3–6 位数字，实际为 “1234567”（格式如 “（浙舟）港经证（0288）号”）")}},
		{"（浙舟）港经证（０２８８）号", out{Err: patternErr("港口经营许可证编号的序号应为 3–6 位数字，实际为 “０２８８”（格式如 “（浙舟）港经证（0288）号”）")}},
		{"（浙舟）港经证（）号", out{Err: patternErr("港口经营许可证编号的序号应为 3–6 位数字，实际为 “”（格式如 “（浙舟）港经证（0288）号”）")}},
		{"（Zhe）港经证（0288）号", out{Err: patternErr("港口经营许可证编号括号内的发证机关简称应为 1–4 个汉字，实际为 “Zhe”（格式如 “（浙舟）港经证（0288）号”）")}},
		{"（浙江舟山港）港经证（0288）号", out{Err: patternErr("港口经营许可证编号括号内的发证机关简称应为 1–4 个汉字，实际为 “浙江舟山港”（格式如 “（浙舟）港经证（0288）号”）")}},
		{"（）港经证（0288）号", out{Err: patternErr("港口经营许可证编号括号内的发证机关简称应为 1–4 个汉字，实际为 “”（格式如 “（浙舟）港经证（0288）号”）")}},
		{"（浙舟）港经证（0288）", out{Err: patternErr(shapeMsg)}},
		{"浙舟港经证0288号", out{Err: patternErr(shapeMsg)}},
		{"（浙舟）港经营证（0288）号", out{Err: patternErr(shapeMsg)}},
		{"（浙舟）港经证（0288）号 ", out{Err: patternErr(shapeMsg)}},
		{"）港经证（号", out{Err: patternErr(shapeMsg)}},
		{"", out{Err: patternErr(shapeMsg)}},
	}
	for _, tt := range tests {
		prefix, serial, err := PortLicense(tt.in)
		if diff := cmp.Diff(tt.want, out{prefix, serial, resultOf(err)}); diff != "" {
			t.Errorf("PortLicense(%q) (-want +got):\n%s", tt.in, diff)
		}
	}
}

func TestNormalizeBrackets(t *testing.T) {
	for in, want := range map[string]string{
		"(浙舟)港经证(0288)号": "（浙舟）港经证（0288）号",
		"（浙舟）港经证（0288）号": "（浙舟）港经证（0288）号",
		"a(b)c((":        "a（b）c（（",
		"":               "",
		"[]{}":           "[]{}",
	} {
		if got := NormalizeBrackets(in); got != want {
			t.Errorf("NormalizeBrackets(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestProjectCode(t *testing.T) {
	const shape = "（格式 YYYY-RRRRRR-DD-TT-NNNNNC）"
	runVectors(t, ProjectCode, []vector{
		// §3.12: the current form (check character a digit or letter) and the older 6-digit serial.
		{"2020-330203-55-01-00001A", result{}},
		{"2021-330000-48-01-123457", result{}},
		{"2019-330203-48-01-000123", result{}},
		{"2020330203550100001A", patternErr("投资项目代码缺少连字符，应写作 2020-330203-55-01-00001A")},
		{"2020-330203-55-01-00001a", patternErr("投资项目代码第 24 位应为数字或大写字母，实际为 “a”" + shape)},
		{"2020-330203-55-01-0000AA", patternErr("投资项目代码第 23 位应为数字，实际为 “A”" + shape)},
		{"2020-330203-55-01 00001A", patternErr("投资项目代码第 18 位应为连字符 “-”，实际为 空格" + shape)},
		{"YYYY-RRRRRR-DD-TT-NNNNNC", patternErr("投资项目代码第 1 位应为数字，实际为 “Y”" + shape)},
		{"2020-R30203-55-01-00001A", patternErr("投资项目代码第 6 位应为数字，实际为 “R”" + shape)},
		{"2020/330203/55/01/00001A", patternErr("投资项目代码第 5 位应为连字符 “-”，实际为 “/”" + shape)},
		{"2020—330203-55-01-00001A", patternErr("投资项目代码含不允许的字符 “—”（第 5 位）")},
		{"2020-33020-55-01-00001A", patternErr("投资项目代码应为 24 位（格式 YYYY-RRRRRR-DD-TT-NNNNNC），实际 23 位")},
		{"", patternErr("投资项目代码为空")},
	})
	for in, want := range map[string]string{
		"2020-330203-55-01-00001A": "330203",
		"2019-440000-48-01-000123": "440000",
		"2020330203550100001A":     "",
		"":                         "",
	} {
		if got := ProjectRegion(in); got != want {
			t.Errorf("ProjectRegion(%q) = %q, want %q", in, got, want)
		}
	}
}
