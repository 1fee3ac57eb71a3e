package gen

import "strings"

// Word pools for realistic Chinese names. They are small on purpose: the data must look
// right to a clerk, not be a census.

var surnames = []string{
	"王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭", "何", "高",
	"林", "罗", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹", "彭", "曾", "肖", "田", "董", "袁",
	"潘", "于", "蒋", "蔡", "余", "杜", "叶", "程", "苏", "魏", "吕", "丁", "任", "沈", "姚", "卢", "姜", "崔",
	"钟", "谭", "陆", "汪", "范", "金", "石", "廖", "贾", "夏", "韦", "付", "方", "白", "邹", "孟", "熊", "秦",
}

var givenChars = []string{
	"伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超", "秀",
	"霞", "平", "刚", "桂", "建", "国", "华", "文", "海", "波", "红", "志", "斌", "林", "玉", "兰", "春", "东",
	"峰", "辉", "荣", "新", "宏", "俊", "卫", "德", "永", "清", "成", "晓", "金", "云", "龙", "鹏", "飞", "生",
}

// brandA and brandB build two-character 字号 (trade names).
var brandA = []string{
	"华", "海", "通", "远", "恒", "盛", "鑫", "宏", "安", "泰", "金", "长", "江", "新", "兴", "昌", "隆", "富",
	"祥", "瑞", "丰", "和", "嘉", "中", "东", "凯", "润", "荣", "德", "永", "福", "宝", "裕", "鸿", "天", "益",
	"振", "鼎", "诚", "聚", "众", "正", "顺", "运", "航", "达", "广", "信", "汇", "联",
}
var brandB = []string{
	"达", "通", "顺", "远", "洋", "运", "海", "航", "盛", "泰", "源", "丰", "利", "发", "祥", "瑞", "安", "昌",
	"兴", "隆", "鑫", "宇", "辉", "成", "业", "华", "诚", "信", "茂", "捷", "帆", "锦", "程", "舟", "川", "港",
}

// Company name endings (航运/海运/港务/物流 + 有限公司, and neighbours).
var operatorSuffix = []string{"航运有限公司", "航运有限公司", "航运有限公司", "海运有限公司", "船务有限公司", "水运有限公司", "物流有限公司", "运输有限公司"}
var portSuffix = []string{"港务有限公司", "港务有限公司", "码头有限公司", "物流有限公司", "港口发展有限公司", "仓储有限公司"}
var agencySuffix = []string{"船务代理有限公司", "国际货运代理有限公司", "物流有限公司", "船舶管理有限公司"}

var roads = []string{
	"中山路", "人民路", "解放路", "建设路", "滨江路", "沿江大道", "港口路", "长江路", "和平路", "新华路", "江海路",
	"海滨大道", "港城大道", "青年路", "工业大道", "航运路", "码头路", "临港路", "朝阳路", "环城东路", "胜利路",
}

var portAreaWords = []string{"东", "西", "南", "北", "新", "老", "前", "后", "中", "外", "大", "小"}

// registryPort is a 船籍港 with its pinyin for English ship names.
type registryPort struct{ name, pinyin string }

// registryPorts lists some 船籍港 per province (code → ports).
var registryPorts = map[string][]registryPort{
	"110000": {{"北京", "BEI JING"}},
	"120000": {{"天津", "TIAN JIN"}},
	"130000": {{"唐山", "TANG SHAN"}, {"秦皇岛", "QIN HUANG DAO"}, {"黄骅", "HUANG HUA"}},
	"140000": {{"太原", "TAI YUAN"}, {"运城", "YUN CHENG"}},
	"150000": {{"包头", "BAO TOU"}, {"呼伦贝尔", "HU LUN BEI ER"}},
	"210000": {{"大连", "DA LIAN"}, {"营口", "YING KOU"}, {"丹东", "DAN DONG"}, {"锦州", "JIN ZHOU"}},
	"220000": {{"吉林", "JI LIN"}, {"松原", "SONG YUAN"}},
	"230000": {{"哈尔滨", "HA ER BIN"}, {"佳木斯", "JIA MU SI"}, {"黑河", "HEI HE"}},
	"310000": {{"上海", "SHANG HAI"}},
	"320000": {{"南京", "NAN JING"}, {"镇江", "ZHEN JIANG"}, {"连云港", "LIAN YUN GANG"}, {"南通", "NAN TONG"},
		{"苏州", "SU ZHOU"}, {"扬州", "YANG ZHOU"}, {"泰州", "TAI ZHOU"}, {"宿迁", "SU QIAN"}, {"淮安", "HUAI AN"},
		{"徐州", "XU ZHOU"}, {"无锡", "WU XI"}, {"常州", "CHANG ZHOU"}, {"盐城", "YAN CHENG"}},
	"330000": {{"宁波", "NING BO"}, {"舟山", "ZHOU SHAN"}, {"温州", "WEN ZHOU"}, {"台州", "TAI ZHOU"},
		{"湖州", "HU ZHOU"}, {"嘉兴", "JIA XING"}, {"杭州", "HANG ZHOU"}, {"绍兴", "SHAO XING"}},
	"340000": {{"芜湖", "WU HU"}, {"马鞍山", "MA AN SHAN"}, {"安庆", "AN QING"}, {"铜陵", "TONG LING"},
		{"蚌埠", "BENG BU"}, {"合肥", "HE FEI"}, {"池州", "CHI ZHOU"}},
	"350000": {{"福州", "FU ZHOU"}, {"厦门", "XIA MEN"}, {"泉州", "QUAN ZHOU"}, {"宁德", "NING DE"}},
	"360000": {{"九江", "JIU JIANG"}, {"南昌", "NAN CHANG"}, {"鄱阳", "PO YANG"}},
	"370000": {{"青岛", "QING DAO"}, {"烟台", "YAN TAI"}, {"济宁", "JI NING"}, {"威海", "WEI HAI"},
		{"日照", "RI ZHAO"}, {"枣庄", "ZAO ZHUANG"}},
	"410000": {{"信阳", "XIN YANG"}, {"周口", "ZHOU KOU"}},
	"420000": {{"武汉", "WU HAN"}, {"宜昌", "YI CHANG"}, {"荆州", "JING ZHOU"}, {"黄石", "HUANG SHI"}, {"襄阳", "XIANG YANG"}},
	"430000": {{"岳阳", "YUE YANG"}, {"长沙", "CHANG SHA"}, {"常德", "CHANG DE"}, {"益阳", "YI YANG"}},
	"440000": {{"广州", "GUANG ZHOU"}, {"深圳", "SHEN ZHEN"}, {"佛山", "FO SHAN"}, {"东莞", "DONG GUAN"},
		{"湛江", "ZHAN JIANG"}, {"汕头", "SHAN TOU"}, {"肇庆", "ZHAO QING"}, {"中山", "ZHONG SHAN"}},
	"450000": {{"南宁", "NAN NING"}, {"梧州", "WU ZHOU"}, {"贵港", "GUI GANG"}, {"北海", "BEI HAI"},
		{"钦州", "QIN ZHOU"}, {"防城港", "FANG CHENG GANG"}},
	"460000": {{"海口", "HAI KOU"}, {"三亚", "SAN YA"}, {"洋浦", "YANG PU"}},
	"500000": {{"重庆", "CHONG QING"}, {"万州", "WAN ZHOU"}, {"涪陵", "FU LING"}},
	"510000": {{"泸州", "LU ZHOU"}, {"宜宾", "YI BIN"}, {"南充", "NAN CHONG"}},
	"520000": {{"贵阳", "GUI YANG"}, {"遵义", "ZUN YI"}},
	"530000": {{"昆明", "KUN MING"}, {"景洪", "JING HONG"}},
	"540000": {{"拉萨", "LA SA"}},
	"610000": {{"安康", "AN KANG"}, {"汉中", "HAN ZHONG"}},
	"620000": {{"兰州", "LAN ZHOU"}},
	"630000": {{"西宁", "XI NING"}},
	"640000": {{"银川", "YIN CHUAN"}},
	"650000": {{"乌鲁木齐", "WU LU MU QI"}},
}

// abbrPinyin spells the provinces' one-character abbreviations.
var abbrPinyin = map[string]string{
	"京": "JING", "津": "JIN", "冀": "JI", "晋": "JIN", "蒙": "MENG", "辽": "LIAO", "吉": "JI", "黑": "HEI",
	"沪": "HU", "苏": "SU", "浙": "ZHE", "皖": "WAN", "闽": "MIN", "赣": "GAN", "鲁": "LU", "豫": "YU", "鄂": "E",
	"湘": "XIANG", "粤": "YUE", "桂": "GUI", "琼": "QIONG", "渝": "YU", "川": "CHUAN", "贵": "GUI", "黔": "QIAN",
	"云": "YUN", "滇": "DIAN", "藏": "ZANG", "陕": "SHAN", "秦": "QIN", "甘": "GAN", "陇": "LONG", "青": "QING",
	"宁": "NING", "新": "XIN",
}

// seaPorts lists the 港口 (port) names per province for port enterprises; a province
// without one uses its capital's name + 港.
var seaPorts = map[string][]string{
	"120000": {"天津港"},
	"130000": {"唐山港", "秦皇岛港", "黄骅港"},
	"210000": {"大连港", "营口港", "锦州港", "丹东港"},
	"310000": {"上海港"},
	"320000": {"南京港", "镇江港", "苏州港", "南通港", "连云港港", "江阴港", "泰州港", "扬州港", "徐州港", "无锡港"},
	"330000": {"宁波舟山港", "温州港", "台州港", "嘉兴港", "湖州港", "杭州港"},
	"340000": {"芜湖港", "马鞍山港", "安庆港", "铜陵港", "合肥港", "池州港"},
	"350000": {"厦门港", "福州港", "泉州港", "湄洲湾港"},
	"360000": {"九江港", "南昌港"},
	"370000": {"青岛港", "日照港", "烟台港", "济宁港", "威海港"},
	"420000": {"武汉港", "宜昌港", "荆州港", "黄石港"},
	"430000": {"岳阳港", "长沙港", "常德港"},
	"440000": {"广州港", "深圳港", "东莞港", "湛江港", "佛山港", "珠海港"},
	"450000": {"北部湾港", "梧州港", "贵港港", "南宁港"},
	"460000": {"海口港", "洋浦港"},
	"500000": {"重庆港"},
	"510000": {"泸州港", "宜宾港"},
}

// shipClass describes one C06 transport class: how its ships are named and sized.
type shipClass struct {
	code   string // C06 class (GEN, OIL…)
	char   string // the character in the ship name (苏连云港货1234)
	pinyin string
	msa    string   // a 4-digit MSA 船舶种类代码
	names  []string // Chinese type names accepted for the class (quirk spelling)
}

var shipClasses = map[string]shipClass{
	"GEN":   {"GEN", "货", "HUO", "0301", []string{"散货船", "自卸砂船", "干货船", "一般干货船"}},
	"CNT":   {"CNT", "集", "JI", "0302", []string{"集装箱船"}},
	"OIL":   {"OIL", "油", "YOU", "0401", []string{"油船"}},
	"CHEM":  {"CHEM", "化", "HUA", "0402", []string{"化学品船"}},
	"LPG":   {"LPG", "气", "QI", "0403", []string{"液化气船"}},
	"ASP":   {"ASP", "沥", "LI", "0404", []string{"沥青船"}},
	"PAX":   {"PAX", "客", "KE", "0101", []string{"客船", "普通客船", "客渡船"}},
	"ROPAX": {"ROPAX", "滚", "GUN", "0102", []string{"客滚船", "车客渡船"}},
	"HSC":   {"HSC", "快", "KUAI", "0103", []string{"高速客船"}},
	"TUG":   {"TUG", "拖", "TUO", "0601", []string{"拖船", "推船"}},
	"BARGE": {"BARGE", "驳", "BO", "0701", []string{"干货驳", "驳船"}},
}

// shortPlace turns a prefecture or province name into the short form used in company
// names: 南京市 → 南京, 延边朝鲜族自治州 → 延边, 大兴安岭地区 → 大兴安岭, 广西壮族自治区 → 广西.
func shortPlace(name string) string {
	if s, ok := specialPlaces[name]; ok {
		return s
	}
	r := []rune(name)
	for _, suf := range []string{"自治区", "自治州", "自治县", "特别行政区"} {
		if strings.HasSuffix(name, suf) && len(r) > 2 {
			return string(r[:2]) // 延边朝鲜族自治州 → 延边
		}
	}
	for _, suf := range []string{"地区", "林区", "省", "市", "盟", "县", "区"} {
		if strings.HasSuffix(name, suf) && len(r) > 2 {
			return strings.TrimSuffix(name, suf)
		}
	}
	return name
}

var specialPlaces = map[string]string{
	"内蒙古自治区": "内蒙古", "黔东南苗族侗族自治州": "黔东南", "黔西南布依族苗族自治州": "黔西南",
	"西双版纳傣族自治州": "西双版纳", "湘西土家族苗族自治州": "湘西", "恩施土家族苗族自治州": "恩施",
}
