package gen

import (
	"fmt"
	"slices"
	"strings"
)

// mgmt is a 船舶管理业务经营许可 (D04) held by an operator.
type mgmt struct {
	i          int
	op         *operator
	no         string
	scope      []string
	types      []string
	authority  string
	issue      day
	from, to   day
	status     string
	cancel     day
	reason     string
	assignable bool // ships may name it as their manager
}

// filing is a 水路运输辅助业备案 (D05).
type filing struct {
	i       int
	op      *operator
	no      string
	kind    string
	typ     string
	change  string
	handler string
	auth    string
	region  string
	date    day
	regDate day
	status  string
}

// intl is a 国际海运经营 record (D06).
type intl struct {
	i        int
	op       *operator
	no       string
	certType string
	kind     string
	routes   string
	auth     string
	issue    day
	to       day // 0 = no end date
	status   string
}

// companies returns n operators that are companies, spread over the list; when there
// are fewer companies than n some appear twice.
func (g *generator) companies(r *rng, n int, prefer func(*operator) bool) []*operator {
	var pool, rest []*operator
	for _, op := range g.w.ops {
		if op.indiv {
			continue
		}
		if prefer == nil || prefer(op) {
			pool = append(pool, op)
		} else {
			rest = append(rest, op)
		}
	}
	r.shuffle(pool)
	r.shuffle(rest)
	pool = append(pool, rest...)
	out := make([]*operator, 0, n)
	for len(out) < n && len(pool) > 0 {
		out = append(out, pool[len(out)%len(pool)])
	}
	slices.SortStableFunc(out, func(a, b *operator) int { return a.i - b.i })
	return out
}

func (r *rng) shuffle(list []*operator) {
	for i := len(list) - 1; i > 0; i-- {
		j := r.intn(i + 1)
		list[i], list[j] = list[j], list[i]
	}
}

func (g *generator) buildMgmt() {
	r := newRNG(g.seed, hMgmt)
	n := max(3, round(0.015*float64(len(g.w.ops))))
	active := func(op *operator) bool { return !op.lic.cancelled() }
	for i, op := range g.companies(r, n, active) {
		m := &mgmt{i: i, op: op, status: "1"}
		m.no = fmt.Sprintf("交%sCG%05d", g.reg.abbr(op.pl.province), i+1)
		m.scope = pickSubset(r, []string{"HW", "JW", "CY", "AF"}, 2)
		m.types = pickSubset(r, []string{"GEN", "CNT", "OIL", "CHEM", "PAX", "BARGE"}, 1)
		m.authority, _ = g.authority(r, op.pl, false)
		m.from = r.day(g.asOf-5*365+40, g.asOf-20).safe()
		m.issue, m.to = m.from, m.from.addYears(5)
		switch {
		case i == 3 || (i > 3 && r.chance(0.15)): // some cancelled ones, never the first three
			m.status = pick(r, []string{"4", "2"})
			m.cancel = r.day(m.issue+30, g.asOf-1)
			m.reason = cancelReason(r, m.status)
		case i%3 != 2: // every third active licence manages no ship yet
			m.assignable = true
		}
		op.mgmt++
		g.w.mgrs = append(g.w.mgrs, m)
	}
	if !slices.ContainsFunc(g.w.mgrs, func(m *mgmt) bool { return m.assignable }) {
		g.w.mgrs[0].assignable, g.w.mgrs[0].status = true, "1"
	}
}

// pickManager returns an assignable management licence, preferring the province.
func (g *generator) pickManager(r *rng, prov string) *mgmt {
	if g.w.assignable == nil {
		g.w.assignable = map[string][]*mgmt{}
		for _, m := range g.w.mgrs {
			if m.assignable {
				g.w.assignable[""] = append(g.w.assignable[""], m)
				g.w.assignable[m.op.pl.province] = append(g.w.assignable[m.op.pl.province], m)
			}
		}
	}
	if local := g.w.assignable[prov]; len(local) > 0 {
		return pick(r, local)
	}
	return pick(r, g.w.assignable[""])
}

// pickSubset returns 1..len(list) distinct elements of list (at least min), in list order.
func pickSubset(r *rng, list []string, least int) []string {
	n := r.between(least, len(list))
	idx := make([]int, len(list))
	for i := range idx {
		idx[i] = i
	}
	for i := len(idx) - 1; i > 0; i-- {
		j := r.intn(i + 1)
		idx[i], idx[j] = idx[j], idx[i]
	}
	idx = idx[:n]
	slices.Sort(idx)
	out := make([]string, n)
	for k, i := range idx {
		out[k] = list[i]
	}
	return out
}

func round(x float64) int { return int(x + 0.5) }

var changeTexts = []string{"变更经营地址", "变更法定代表人", "变更企业名称中的字号", "增加水路货物运输代理业务", "变更注册资本"}

func (g *generator) buildFilings() {
	r := newRNG(g.seed, hFiling)
	n := max(3, round(0.25*float64(len(g.w.ops))))
	for i, op := range g.companies(r, n, nil) {
		f := &filing{i: i, op: op, status: "1"}
		f.no = fmt.Sprintf("%s备%06d", g.reg.abbr(op.pl.province), i+1)
		f.kind = pick(r, []string{"SA", "SA", "FA", "FA", "FA", "PA"})
		f.typ = pick(r, []string{"N", "N", "N", "N", "C", "C", "T"})
		if f.typ == "C" {
			f.change = pick(r, changeTexts)
		}
		if f.typ == "T" {
			f.status = "4"
		}
		f.handler = personName(r)
		f.auth, f.region = g.authority(r, op.pl, true)
		f.date = r.day(g.asOf-8*365, g.asOf-1)
		f.regDate = r.day(f.date-10*365, f.date-30)
		op.filing++
		g.w.filings = append(g.w.filings, f)
	}
}

func (g *generator) buildIntl() {
	r := newRNG(g.seed, hIntl)
	n := max(3, round(0.06*float64(len(g.w.ops))))
	coastal := func(op *operator) bool { return op.area != "2" }
	for i, op := range g.companies(r, n, coastal) {
		x := &intl{i: i, op: op, status: "1"}
		x.certType = pick(r, []string{"4", "4", "5", "6", "7"})
		x.kind = map[string]string{"4": "IS", "5": "IA", "6": pick(r, []string{"NV", "IM"}), "7": "IL"}[x.certType]
		x.no = fmt.Sprintf("MOC-%s%05d", x.kind, i+1)
		if x.certType == "7" {
			x.routes = pick(r, []string{"上海—釜山", "宁波—大阪—名古屋", "青岛—仁川", "连云港—平泽", "广州—海防", "厦门—高雄"})
		}
		x.auth = "交通运输部"
		if x.certType != "4" && x.certType != "7" {
			x.auth, _ = g.authority(r, op.pl, false)
		}
		x.issue = r.day(g.asOf-10*365, g.asOf-1)
		if r.chance(0.5) {
			x.to = x.issue.addYears(5)
			if x.to < g.asOf { // renewed: the current period
				x.issue = r.day(g.asOf-4*365, g.asOf-1).safe()
				x.to = x.issue.addYears(5)
			}
		}
		op.intl++
		g.w.intls = append(g.w.intls, x)
	}
}

// nameVariant returns a different but plausible spelling of a company name, as clerks
// type them: a dropped 有限, an added branch, a 字号 typo.
func nameVariant(r *rng, name string) string {
	switch {
	case strings.Contains(name, "有限公司") && r.chance(0.5):
		return strings.Replace(name, "有限公司", "公司", 1)
	case r.chance(0.5):
		return name + "（分公司）"
	}
	rs := []rune(name)
	for k := 0; k < 10; k++ {
		i := 2 + r.intn(max(1, len(rs)-6))
		if i < len(rs) {
			c := []rune(pick(r, brandA))[0]
			if rs[i] != c {
				rs[i] = c
				return string(rs)
			}
		}
	}
	return name + "有限"
}
