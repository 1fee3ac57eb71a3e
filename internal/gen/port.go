package gen

import (
	"fmt"
	"strings"
)

// portCo is a port enterprise (D07) with its port operation licence (D08) and the
// number of dangerous-goods annexes (D09) issued with it. Port enterprises are not kept
// in memory: portCo(j) rebuilds enterprise j.
type portCo struct {
	j        int
	pl       *place
	uscc     string
	name     string
	short    string
	legalRep string
	address  string
	port     string
	area     string
	econ     string
	capital  int64
	assets   int64
	mainType string
	dg       bool
	contact  string
	phone    string
	email    string
	// The licence (D08).
	licNo     string
	serial    string
	items     []string
	itemsText string
	opArea    string
	facility  string
	berths    int
	trial     bool
	authority string
	authReg   string
	issue, to day
	status    string
	cancel    day
	reason    string
	annexes   int
}

// itemSets are typical combinations of port business items (C03).
var itemSets = [][]string{
	{"1000", "1001", "3000", "3001", "3002"},
	{"3000", "3001", "3002"},
	{"1000", "1001", "3000", "3001"},
	{"3000", "3001", "3002", "3004"},
	{"1000", "1001", "2000", "2001"},
	{"4000"},
	{"5000"},
	{"6000", "6001", "6002", "6003"},
	{"7000", "7001", "7002"},
	{"1000", "1002", "3000", "3001", "3003"},
}

// portCo builds port enterprise j with the entity-level changes of defects: its own
// (D07: a USCC registered elsewhere) and its annexes' (D09: the licence's items or the
// enterprise's dangerous-goods flag no longer fit the annex).
func (g *generator) portCo(j int) *portCo {
	p := g.cleanPortCo(j)
	if k := g.kindOf(dsPortOp, j); k != nil && k.prep != nil {
		k.prep(g, p, g.defectRNG(dsPortOp, j))
	}
	for a := 0; a < p.annexes; a++ {
		idx := int(g.annexStart[j]) + a
		if k := g.kindOf(dsAnnex, idx); k != nil && k.prep != nil {
			k.prep(g, p, g.defectRNG(dsAnnex, idx))
		}
	}
	return p
}

func (g *generator) cleanPortCo(j int) *portCo {
	r := newRNG(g.seed, hPorts, uint64(j))
	prov := g.reg.province(r)
	p := &portCo{j: j, pl: g.reg.place(r, prov), status: "1"}
	brand := pick(r, brandA) + pick(r, brandB)
	p.name = p.pl.short + brand + pick(r, portSuffix)
	p.short = brand + strings.TrimSuffix(strings.TrimSuffix(pick(r, portSuffix), "有限公司"), "发展")
	p.uscc = makeUSCC(r, "91", p.pl.code)
	p.legalRep = personName(r)
	p.address = address(r, p.pl)
	p.port = p.pl.short + "港"
	for _, name := range seaPorts[prov] {
		if strings.HasPrefix(name, p.pl.short) || (p.pl.short == "舟山" && name == "宁波舟山港") {
			p.port = name
		}
	}
	district := shortPlace(p.pl.county)
	p.area = fmt.Sprintf("%s港域%s港区%s%s码头", strings.TrimSuffix(p.port, "港"), district, pick(r, portAreaWords), brand)
	p.econ = pick(r, []string{"150", "159", "110", "173", "160"})
	p.capital = int64(pick(r, []int{500, 1000, 2000, 5000, 12000, 30000})) * 10000
	p.assets = int64(r.between(300, 90000)) * 10000
	p.dg = r.chance(0.25)
	p.contact = personName(r)
	p.phone = phone(r, prov)
	p.email = fmt.Sprintf("%s%d@%s", pick(r, []string{"port", "office", "gkjy", "info", "bgs"}), r.between(1, 99), pick(r, []string{"163.com", "126.com", "qq.com", "sina.com"}))
	g.portLicence(p, r)
	return p
}

func (g *generator) portLicence(p *portCo, r *rng) {
	p.items = append([]string(nil), pick(r, itemSets)...)
	if p.dg && !containsAny(p.items, "1000", "3000") {
		p.items = append([]string{"3000", "3001"}, p.items...)
	}
	p.mainType = mainBusiness(p)
	p.itemsText = itemsText(g, p.items)
	p.opArea = p.area
	p.facility = fmt.Sprintf("%s泊位%d个，%s", pick(r, []string{"5000吨级", "1万吨级", "3000吨级", "5万吨级", "1000吨级"}), r.between(1, 8), pick(r, []string{"堆场2万平方米", "仓库5000平方米", "储罐12座（总容量8万立方米）", "门座起重机4台"}))
	p.berths = r.between(1, 12)
	p.authority, p.authReg = g.portAuthority(r, p.pl)
	cityChar := string([]rune(p.pl.short)[0])
	p.serial = fmt.Sprintf("%04d", p.j+1)
	p.licNo = fmt.Sprintf("（%s%s）港经证（%s）号", g.reg.abbr(p.pl.province), cityChar, p.serial)
	change := ymd(2020, 1, 1)
	switch {
	case r.chance(0.05):
		p.trial = true
		p.issue = r.day(g.asOf-120, g.asOf-5).safe()
		p.to = p.issue.addMonths(5)
	case r.chance(0.2):
		p.issue = r.day(g.asOf-9*365, g.asOf-3*365-30).safe()
		p.to = p.issue.addYears(yearsFor(p.issue, change))
		p.status = "4"
		p.cancel = r.day(p.issue+200, min(p.to, g.asOf-1))
		p.reason = pick(r, []string{"许可证有效期届满未延续", "企业申请注销", "码头停止经营"})
	default:
		for k := 0; ; k++ {
			p.issue = r.day(g.asOf-5*365+30, g.asOf-10).safe()
			p.to = p.issue.addYears(yearsFor(p.issue, change))
			if p.to > g.asOf || k > 20 {
				break
			}
		}
		if p.to <= g.asOf { // before the 2020 rule only 3 years: make it a recent one
			p.issue = (g.asOf - 30).safe()
			p.to = p.issue.addYears(yearsFor(p.issue, change))
		}
	}
	if p.dg && p.status == "1" && r.chance(0.4) {
		p.annexes = r.between(1, 3)
	}
	if g.forceAnnexes && p.j < 3 {
		p.dg, p.trial, p.status, p.cancel, p.reason, p.annexes = true, false, "1", 0, "", 1
		p.items = []string{"1000", "1001", "3000", "3001", "3002"}
		p.mainType, p.itemsText = mainBusiness(p), itemsText(g, p.items)
		p.issue = (g.asOf - 30).safe()
		p.to = p.issue.addYears(yearsFor(p.issue, change))
	}
}

func yearsFor(issue, change day) int {
	if issue < change {
		return 3
	}
	return 5
}

// portAuthority is the port administration: a city's 港口管理局 / 交通运输局.
func (g *generator) portAuthority(r *rng, pl *place) (string, string) {
	pref := pl.code[:4] + "00"
	if pl.cityName != "" && g.reg.current(pref) {
		return pl.cityName + pick(r, []string{"港口管理局", "交通运输局", "港航事业发展中心"}), pref
	}
	return pl.provName + pick(r, []string{"港口管理局", "交通运输厅"}), pl.province
}

func containsAny(set []string, codes ...string) bool { return anyOf(set, codes...) }

func mainBusiness(p *portCo) string {
	switch {
	case p.dg:
		return "装卸、仓储企业(危货)"
	case containsAny(p.items, "2000"):
		return "客运站"
	case containsAny(p.items, "3000"):
		return "装卸、仓储企业"
	case containsAny(p.items, "4000"):
		return "港口拖轮"
	case containsAny(p.items, "5000"):
		return "理货"
	}
	return "港口服务"
}

func itemsText(g *generator, items []string) string {
	list := g.std.CodeList("C03")
	var parts []string
	for _, c := range items {
		if list != nil && !strings.HasSuffix(c, "000") {
			parts = append(parts, list.NameOf(c))
		}
	}
	if len(parts) == 0 && list != nil {
		parts = append(parts, list.NameOf(items[0]))
	}
	return strings.Join(parts, "；")
}

// dgGoods are common dangerous goods with UN number and GB 6944 class.
var dgGoods = []struct{ name, un, class string }{
	{"甲醇", "1230", "3"}, {"乙醇", "1170", "3"}, {"苯", "1114", "3"}, {"汽油", "1203", "3"},
	{"柴油", "1202", "3"}, {"硫酸", "1830", "8"}, {"氢氧化钠溶液", "1824", "8"}, {"液化石油气", "1075", "2"},
	{"液氨", "1005", "2"}, {"甲苯", "1294", "3"}, {"二甲苯", "1307", "3"}, {"丙酮", "1090", "3"},
	{"乙酸", "2789", "8"}, {"盐酸", "1789", "8"}, {"硝酸铵", "1942", "5"}, {"电石", "1402", "4"},
}

// annex is a 港口危险货物作业附证 (D09), the k-th of its licence.
type annex struct {
	no       string
	site     string
	location string
	modes    []string
	names    []string
	uns      []string
	classes  []string
	capacity int64
	issue    day
	to       day
}

func (g *generator) annex(p *portCo, k int) *annex {
	r := newRNG(g.seed, hAnnex, uint64(p.j), uint64(k))
	a := &annex{no: fmt.Sprintf("%s-F%02d", p.licNo, k+1)}
	a.site = fmt.Sprintf("%s%d号%s", strings.TrimSuffix(p.port, "港"), r.between(1, 20), pick(r, []string{"泊位", "储罐区", "危险品堆场", "液体化工码头"}))
	a.location = p.area
	a.modes = pickSubset(r, []string{"LOAD", "LIGHTER", "STORE", "CONTAINER"}, 1)
	n := r.between(1, 4)
	seen := map[int]bool{}
	classes := map[string]bool{}
	for len(a.names) < n {
		x := r.intn(len(dgGoods))
		if seen[x] {
			continue
		}
		seen[x] = true
		a.names = append(a.names, dgGoods[x].name)
		a.uns = append(a.uns, dgGoods[x].un)
		if !classes[dgGoods[x].class] {
			classes[dgGoods[x].class] = true
			a.classes = append(a.classes, dgGoods[x].class)
		}
	}
	a.capacity = int64(r.between(1000, 500000)) * 1000
	a.issue = r.day(p.issue, g.asOf-1)
	a.to = p.to
	if r.chance(0.3) && p.to > g.asOf+60 {
		a.to = r.day(g.asOf+30, p.to)
	}
	return a
}
