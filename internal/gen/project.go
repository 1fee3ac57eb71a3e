package gen

import (
	"fmt"
	"slices"
	"strings"
)

// project is a 水运建设项目 (D10).
type project struct {
	i          int
	pl         *place
	code       string // "" = none (projects started before codes were required)
	name       string
	typ        string
	nature     string
	ownerUSCC  string
	ownerName  string
	water      string
	scale      string
	total      int64 // 万元 × 10^4
	done       int64 // −1 = not reported
	fsNo, pdNo string
	stage      string
	// fs, pd, cd, start, handover, completion dates; 0 = none.
	dates   [6]day
	planned day
	super   string
	builder string
}

var stages = []string{"01", "02", "03", "04", "05", "05", "05", "06", "07", "07", "08"}

func (g *generator) buildProjects() {
	r := newRNG(g.seed, hProjects)
	n := max(3, round(0.03*float64(len(g.w.ops))))
	for i := 0; i < n; i++ {
		g.w.projects = append(g.w.projects, g.makeProject(i, newRNG(g.seed, hProjects, uint64(i))))
	}
	_ = r
}

func (g *generator) makeProject(i int, r *rng) *project {
	p := &project{i: i, pl: g.reg.place(r, g.reg.province(r)), done: -1}
	p.typ = pick(r, []string{"PORT", "PORT", "PORT", "CHAN", "CHAN", "LOCK", "SUPP", "OTHER"})
	p.nature = "GOV"
	if p.typ == "PORT" {
		p.nature = pick(r, []string{"ENT_A", "ENT_F", "GOV"})
	}
	brand := pick(r, brandA) + pick(r, brandB)
	switch p.typ {
	case "PORT":
		p.name = fmt.Sprintf("%s港%s港区%d#～%d#泊位工程", p.pl.short, pick(r, portAreaWords)+brand, 2*i+1, 2*i+2)
		p.ownerName = p.pl.short + brand + "港务有限公司"
		p.scale = fmt.Sprintf("新建%s泊位%d个，设计年通过能力%d万吨", pick(r, []string{"5000吨级", "1万吨级", "3万吨级", "5万吨级"}), r.between(1, 4), r.between(50, 800))
		p.ownerUSCC = makeUSCC(r, "91", p.pl.code)
	case "CHAN":
		p.name = fmt.Sprintf("%s%s航道整治工程（第%d期）", p.pl.short, pick(r, []string{"内河", "进港", "干线", "支线"}), i+1)
		p.ownerName = p.pl.provName + "航道事业发展中心"
		p.scale = fmt.Sprintf("整治航道%d公里，按%s级航道标准建设", r.between(5, 120), pick(r, []string{"二", "三", "四"}))
		p.ownerUSCC = makeUSCC(r, "12", p.pl.province)
	case "LOCK":
		p.name = fmt.Sprintf("%s%s船闸扩容改造工程（%d）", p.pl.short, brand, i+1)
		p.ownerName = p.pl.short + "市船闸管理所"
		p.scale = fmt.Sprintf("新建%d吨级船闸一座，闸室有效尺度%d×23×5米", pick(r, []int{500, 1000, 2000}), r.between(180, 280))
		p.ownerUSCC = makeUSCC(r, "12", p.pl.code)
	default:
		p.name = fmt.Sprintf("%s水上%s建设工程（%d）", p.pl.short, pick(r, []string{"交通安全监管系统", "服务区", "应急救助基地", "锚地"}), i+1)
		p.ownerName = p.pl.short + "港航建设投资有限公司"
		p.scale = pick(r, []string{"建设监控点20处及指挥中心一座", "新建水上服务区一处", "新建锚地一处，可锚泊船舶30艘"})
		p.ownerUSCC = makeUSCC(r, "91", p.pl.code)
	}
	p.water = strings.TrimSuffix(pick(r, append(seaPorts[p.pl.province], p.pl.short+"港")), "港") + pick(r, []string{"港", "航道"})
	p.total = int64(r.between(3000, 600000)) * 10000
	p.stage = pick(r, stages)
	g.projectDates(p, r)
	g.projectCode(p, r)
	p.fsNo = fmt.Sprintf("%s发改%s〔%d〕%d号", g.reg.abbr(p.pl.province), pick(r, []string{"基础", "投资", "交能"}), p.dates[0].year(), r.between(10, 999))
	if p.dates[1] != 0 {
		p.pdNo = fmt.Sprintf("%s交%s〔%d〕%d号", g.reg.abbr(p.pl.province), pick(r, []string{"港", "航", "规划"}), p.dates[1].year(), r.between(1, 300))
	}
	switch p.stage {
	case "04", "05":
		p.done = p.total * int64(r.between(5, 90)) / 100
	case "06", "07":
		p.done = p.total * int64(r.between(92, 115)) / 100
	case "08":
		p.done = p.total * int64(r.between(0, 40)) / 100
	}
	if p.stage >= "04" {
		p.super = p.pl.short + pick(r, brandA) + pick(r, brandB) + "工程监理有限公司"
		p.builder = pick(r, []string{"中交第二航务工程局有限公司", "中交第三航务工程局有限公司", "中交上海航道局有限公司", "中交广州航道局有限公司"})
	}
	return p
}

// projectDates sets the approval and construction dates in stage order, all before
// as-of: the dates of later stages exist only once the project got there.
func (g *generator) projectDates(p *project, r *rng) {
	reached := map[string]int{"01": 1, "02": 2, "03": 3, "04": 4, "05": 4, "06": 5, "07": 6, "08": 4}[p.stage]
	d := make([]day, 6)
	d[0] = r.day(g.asOf-9*365, g.asOf-60)
	gaps := [][2]int{{0, 0}, {60, 300}, {30, 200}, {10, 150}, {365, 1100}, {90, 600}}
	for k := 1; k < 6; k++ {
		d[k] = d[k-1] + day(r.between(gaps[k][0], gaps[k][1]))
	}
	if over := d[reached-1] - (g.asOf - 1); over > 0 {
		for k := range d {
			d[k] -= over
		}
	}
	for k := 0; k < reached; k++ {
		p.dates[k] = d[k]
	}
	if reached >= 4 {
		p.planned = d[3] + day(r.between(365, 4*365))
	} else {
		p.planned = d[0] + day(r.between(3*365, 6*365))
	}
}

// projectCode gives the project its 投资项目代码 (GB/T 40058): every project started
// from 2017 has one; most older ones too.
func (g *generator) projectCode(p *project, r *rng) {
	start := p.dates[3]
	if start != 0 && start < ymd(2017, 1, 1) && r.chance(0.4) {
		return
	}
	year := p.dates[0].year()
	region := p.pl.province
	if pref := p.pl.code[:4] + "00"; r.chance(0.5) && g.reg.current(pref) {
		region = pref
	}
	serial := (p.i*7919 + 13) % 100000
	if year < 2020 {
		p.code = fmt.Sprintf("%04d-%s-%02d-%02d-%06d", year, region, 55, 1+r.intn(3), serial*10+r.intn(10))
	} else {
		p.code = fmt.Sprintf("%04d-%s-%02d-%02d-%05d%c", year, region, 55, 1+r.intn(3), serial, "0123456789ABCDEFGHJKLMNPQRTUWXY"[r.intn(31)])
	}
}

func (p *project) hasDate(k int) bool { return p.dates[k] != 0 }

var _ = slices.Contains[[]string]
