package ident

// The 31 provincial-level units of GB/T 2260, standard.md §3.9.

type province struct {
	code string // first two digits of the GB/T 2260 code
	name string
	abbr string // one-character abbreviations; the first is the licence-plate one
}

var provinces = [31]province{
	{"11", "北京市", "京"}, {"12", "天津市", "津"}, {"13", "河北省", "冀"}, {"14", "山西省", "晋"},
	{"15", "内蒙古自治区", "蒙"}, {"21", "辽宁省", "辽"}, {"22", "吉林省", "吉"}, {"23", "黑龙江省", "黑"},
	{"31", "上海市", "沪"}, {"32", "江苏省", "苏"}, {"33", "浙江省", "浙"}, {"34", "安徽省", "皖"},
	{"35", "福建省", "闽"}, {"36", "江西省", "赣"}, {"37", "山东省", "鲁"}, {"41", "河南省", "豫"},
	{"42", "湖北省", "鄂"}, {"43", "湖南省", "湘"}, {"44", "广东省", "粤"}, {"45", "广西壮族自治区", "桂"},
	{"46", "海南省", "琼"}, {"50", "重庆市", "渝"}, {"51", "四川省", "川"}, {"52", "贵州省", "贵黔"},
	{"53", "云南省", "云滇"}, {"54", "西藏自治区", "藏"}, {"61", "陕西省", "陕秦"}, {"62", "甘肃省", "甘陇"},
	{"63", "青海省", "青"}, {"64", "宁夏回族自治区", "宁"}, {"65", "新疆维吾尔自治区", "新"},
}

// provinceIndex maps the two-digit number to 1 + its index in provinces, 0 if none.
var provinceIndex = func() (t [100]uint8) {
	for i, p := range provinces {
		t[int(p.code[0]-'0')*10+int(p.code[1]-'0')] = uint8(i + 1)
	}
	return t
}()

// IsProvince reports whether the first two characters of code are one of the 31
// provincial-level units (so both "33" and "330000" give true). 71, 81 and 82 (Taiwan,
// Hong Kong, Macao) are not.
func IsProvince(code string) bool {
	return provinceAt(code) >= 0
}

// ProvinceName returns the name of the province whose code starts code ("33" or "330203"
// gives 浙江省), or "" when there is none.
func ProvinceName(code string) string {
	if i := provinceAt(code); i >= 0 {
		return provinces[i].name
	}
	return ""
}

// ProvinceByAbbr returns the two-digit code of the province with the one-character
// abbreviation abbr (浙 → "33"; the alternates 黔 滇 秦 陇 are accepted), as used in the
// prefix of 港口经营许可证编号.
func ProvinceByAbbr(abbr rune) (code string, ok bool) {
	for _, p := range provinces {
		for _, r := range p.abbr {
			if r == abbr {
				return p.code, true
			}
		}
	}
	return "", false
}

func provinceAt(code string) int {
	if len(code) < 2 || !isDigit(code[0]) || !isDigit(code[1]) {
		return -1
	}
	return int(provinceIndex[int(code[0]-'0')*10+int(code[1]-'0')]) - 1
}
