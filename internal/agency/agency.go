// Package agency lists the submitters of contracts.md §1: the ministry, the 31
// provincial transport departments (by GB/T 2260 province code) and the two
// river navigation administrations.
package agency

import "slices"

// Ministry is the hub's owner; it may act for any agency.
const Ministry = "000000"

// Agency is one submitter.
type Agency struct {
	Code string
	Name string // the department's name
	Area string // the province or river it answers for
}

// All lists the 34 agencies: the ministry first, then the provinces by code,
// then 长江航务管理局 and 珠江航务管理局.
var All = []Agency{
	{Ministry, "交通运输部", "全国"},
	{"110000", "北京市交通委员会", "北京市"},
	{"120000", "天津市交通运输委员会", "天津市"},
	{"130000", "河北省交通运输厅", "河北省"},
	{"140000", "山西省交通运输厅", "山西省"},
	{"150000", "内蒙古自治区交通运输厅", "内蒙古自治区"},
	{"210000", "辽宁省交通运输厅", "辽宁省"},
	{"220000", "吉林省交通运输厅", "吉林省"},
	{"230000", "黑龙江省交通运输厅", "黑龙江省"},
	{"310000", "上海市交通委员会", "上海市"},
	{"320000", "江苏省交通运输厅", "江苏省"},
	{"330000", "浙江省交通运输厅", "浙江省"},
	{"340000", "安徽省交通运输厅", "安徽省"},
	{"350000", "福建省交通运输厅", "福建省"},
	{"360000", "江西省交通运输厅", "江西省"},
	{"370000", "山东省交通运输厅", "山东省"},
	{"410000", "河南省交通运输厅", "河南省"},
	{"420000", "湖北省交通运输厅", "湖北省"},
	{"430000", "湖南省交通运输厅", "湖南省"},
	{"440000", "广东省交通运输厅", "广东省"},
	{"450000", "广西壮族自治区交通运输厅", "广西壮族自治区"},
	{"460000", "海南省交通运输厅", "海南省"},
	{"500000", "重庆市交通运输委员会", "重庆市"},
	{"510000", "四川省交通运输厅", "四川省"},
	{"520000", "贵州省交通运输厅", "贵州省"},
	{"530000", "云南省交通运输厅", "云南省"},
	{"540000", "西藏自治区交通运输厅", "西藏自治区"},
	{"610000", "陕西省交通运输厅", "陕西省"},
	{"620000", "甘肃省交通运输厅", "甘肃省"},
	{"630000", "青海省交通运输厅", "青海省"},
	{"640000", "宁夏回族自治区交通运输厅", "宁夏回族自治区"},
	{"650000", "新疆维吾尔自治区交通运输厅", "新疆维吾尔自治区"},
	{"CJ0000", "长江航务管理局", "长江干线"},
	{"ZJ0000", "珠江航务管理局", "珠江水系"},
}

// Codes returns every agency code, in the order of All.
func Codes() []string {
	out := make([]string, len(All))
	for i, a := range All {
		out[i] = a.Code
	}
	return out
}

// Known reports whether code is an agency's.
func Known(code string) bool {
	return slices.ContainsFunc(All, func(a Agency) bool { return a.Code == code })
}

// Lookup returns the agency of a code.
func Lookup(code string) (Agency, bool) {
	i := slices.IndexFunc(All, func(a Agency) bool { return a.Code == code })
	if i < 0 {
		return Agency{}, false
	}
	return All[i], true
}
