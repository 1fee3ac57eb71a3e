package gen

import (
	"fmt"
	"math"
	"slices"
	"strconv"
)

// survey is one ship-survey certificate (D12).
type survey struct {
	orgCode, certType, certNo string
	issue, to, next           day
}

// ship is one vessel: its 营运证 (D03), its MSA registration (D11) and survey
// certificates (D12). It is rebuilt from its index by every pass that needs it.
type ship struct {
	i           int
	op          *operator
	id          string
	class       shipClass
	port        registryPort
	nameCN      string
	nameEN      string
	former      string
	regNo       string
	firstRegNo  string
	regOffice   string
	surveyRegNo string
	mmsi, imo   string
	callSign    string
	sea         bool
	navCode     string
	navText     string
	owner       string
	mgr         *mgmt
	typeCode    string
	hull        string
	keel, build day
	rebuild     day   // 0 = never rebuilt
	gt, nt, dwt int64 // tonnes × 1000
	cubic       int64 // m³ × 1000
	pax, teu    int
	vehicles    int
	engines     int
	kw          int64 // kW × 100
	length      int64 // m × 100
	breadth     int64
	depth       int64
	shipScope   []string
	licScope    []string
	// The certificate (D03).
	certNo    string
	authority string
	issue, to day
	status    string
	cancel    day
	reason    string
	surveys   []survey
	// Effects of defects on other datasets.
	noMSA bool // the ship is missing from D11 and D12
}

// skeleton is what must be known about a ship before any pass: dates that fix its
// identification number's year and how many survey certificates it has.
type skeleton struct {
	keel, build, rebuild day
	surveyIssue          day // the current survey certificate
	history              bool
}

func (g *generator) skel(i int) skeleton {
	r := newRNG(g.seed, hSkel, uint64(i))
	var age int // days before as-of that the keel was laid
	if r.chance(0.6) {
		age = r.between(150, 12*365)
	} else {
		age = r.between(12*365, 32*365)
	}
	// A ship of an operator whose licence ended was built while it still ran, so that
	// its (cancelled) certificate fits inside the licence.
	latest := g.asOf - 30
	if l := &g.w.operatorOf(i).lic; l.cancelled() {
		latest = min(l.cancel, l.to) - 30
	}
	var s skeleton
	s.keel = min(g.asOf-day(age), latest-120)
	s.build = min(s.keel+day(r.between(60, 500)), latest)
	if g.asOf-s.build > 10*365 && r.chance(0.08) {
		s.rebuild = r.day(s.build+5*365, g.asOf-30)
	}
	s.surveyIssue = r.day(max(s.build, g.asOf-5*365+30), g.asOf-1)
	s.history = s.surveyIssue-5*365 >= s.build && r.chance(0.5)
	return s
}

// buildShipIDs gives every ship a unique 船舶识别号 whose year is its keel year and
// whose check digit is a digit; it also counts survey certificates.
func (g *generator) buildShipIDs() {
	n := g.opt.Rows
	g.shipIDs = make([]cnShipCode, n)
	g.surveyStart = make([]int32, n+1)
	used := map[int][]uint64{}
	for i := 0; i < n; i++ {
		sk := g.skel(i)
		y := sk.keel.year()
		bits := used[y]
		if bits == nil {
			bits = make([]uint64, 1e6/64+1)
			used[y] = bits
		}
		r := newRNG(g.seed, hShipID, uint64(i))
		for {
			serial := r.intn(1e6)
			c := cnShipCode(uint64(y)*1e6 + uint64(serial))
			if bits[serial/64]&(1<<(serial%64)) == 0 && c.issuable() {
				bits[serial/64] |= 1 << (serial % 64)
				g.shipIDs[i] = c
				break
			}
		}
		cnt := int32(1)
		if sk.history {
			cnt = 2
		}
		g.surveyStart[i+1] = g.surveyStart[i] + cnt
	}
}

// ship builds ship i and applies the entity-level part of its D03 defect, if any.
func (g *generator) ship(i int) *ship {
	s := g.cleanShip(i)
	if k := g.kindOf(dsVessel, i); k != nil && k.prep != nil {
		k.prep(g, s, g.defectRNG(dsVessel, i))
	}
	return s
}

func (g *generator) cleanShip(i int) *ship {
	r := newRNG(g.seed, hShips, uint64(i))
	sk := g.skel(i)
	op := g.w.operatorOf(i)
	s := &ship{i: i, op: op, id: g.shipIDs[i].String(), keel: sk.keel, build: sk.build, rebuild: sk.rebuild}
	s.licScope = op.scopes
	s.class, s.shipScope = chooseClass(r, op.scopes)
	ports := registryPorts[op.pl.province]
	s.port = pick(r, ports)
	if home := homePort(ports, op.pl.short); home != nil && r.chance(0.7) {
		s.port = *home // most ships are registered at the operator's own city
	}
	abbr := g.reg.abbr(op.pl.province)
	num := r.between(1, 9999)
	if r.chance(0.7) {
		num = r.between(1000, 9999)
	}
	n := strconv.Itoa(num)
	s.nameCN = abbr + s.port.name + s.class.char + n
	s.nameEN = abbrPinyin[abbr] + " " + s.port.pinyin + " " + s.class.pinyin + " " + n
	if r.chance(0.08) {
		s.former = fmt.Sprintf("%s%s%s%d", abbr, pick(r, ports).name, s.class.char, r.between(100, 9999))
	}
	s.sea = op.area == "1" || (op.area == "3" && r.chance(0.5))
	g.shipRegistration(s, r)
	g.shipSize(s, r)
	g.shipParties(s, r)
	g.shipCertificate(s, r)
	g.shipSurveys(s, sk)
	return s
}

func homePort(ports []registryPort, city string) *registryPort {
	for k := range ports {
		if ports[k].name == city {
			return &ports[k]
		}
	}
	return nil
}

// chooseClass picks a ship class the licence allows and the ship's own scope.
func chooseClass(r *rng, lic []string) (shipClass, []string) {
	type option struct {
		class string
		w     float64
	}
	var opts []option
	add := func(code string, class string, w float64) {
		if slices.Contains(lic, code) {
			opts = append(opts, option{class, w})
		}
	}
	add("11", "GEN", 70)
	add("12", "GEN", 70)
	if anyOf(lic, "11", "12") {
		opts = append(opts, option{"BARGE", 12}, option{"TUG", 8})
	}
	add("41", "CNT", 40)
	add("21", "OIL", 50)
	add("22", "CHEM", 40)
	add("23", "LPG", 30)
	add("24", "ASP", 20)
	add("31", "PAX", 50)
	add("34", "PAX", 40)
	add("32", "ROPAX", 40)
	add("33", "HSC", 30)
	if slices.Contains(lic, "34") {
		opts = append(opts, option{"HSC", 10}, option{"ROPAX", 10})
	}
	if len(opts) == 0 { // a licence with only 25 (省内危险品): oil tankers
		return shipClasses["OIL"], []string{"25"}
	}
	w := make([]float64, len(opts))
	for k, o := range opts {
		w[k] = o.w
	}
	class := opts[r.weighted(w)].class
	return shipClasses[class], shipScopeFor(r, class, lic)
}

// shipScopeFor returns the ship's own scope: the licence's codes its class may carry.
func shipScopeFor(r *rng, class string, lic []string) []string {
	var fits []string
	switch class {
	case "GEN", "BARGE", "TUG":
		fits = []string{"11", "12"}
	case "CNT":
		fits = []string{"41", "11"}
	case "OIL":
		return []string{"21"}
	case "CHEM":
		return []string{"22"}
	case "LPG":
		return []string{"23"}
	case "ASP":
		return []string{"24"}
	case "PAX":
		fits = []string{"31", "34"}
	case "ROPAX":
		fits = []string{"32", "34"}
	case "HSC":
		fits = []string{"33", "34"}
	}
	var out []string
	for _, c := range fits {
		if slices.Contains(lic, c) {
			out = append(out, c)
		}
	}
	if class == "CNT" && len(out) == 2 && r.chance(0.6) {
		out = []string{"41"}
	}
	if len(out) == 2 && class != "CNT" && r.chance(0.5) {
		out = out[:1]
	}
	return out
}

func (g *generator) shipRegistration(s *ship, r *rng) {
	office := 10 + g.reg.index[s.op.pl.province]
	s.regOffice = pad(office, 2) + pad(1+int(hashString(s.port.name)%40), 2) + "00"
	s.regNo = s.regOffice[:4] + pad(s.build.year()%100, 2) + pad((s.i*7919+104729)%1000000, 6)
	if r.chance(0.8) {
		s.firstRegNo = s.regNo
	}
	s.surveyRegNo = pad(s.build.year(), 4) + string(surveyLetters[r.intn(len(surveyLetters))]) + pad(r.intn(1e7), 7)
	s.typeCode = s.class.msa
	if r.chance(0.2) {
		s.typeCode += r.digits(6)
	}
	if r.chance(0.85) {
		s.mmsi = makeMMSI(r)
	}
	if s.sea {
		s.navCode = pick(r, []string{"10", "20", "30"})
		s.navText = map[string]string{"10": "近海航区", "20": "沿海航区", "30": "遮蔽航区"}[s.navCode]
		if r.chance(0.7) {
			s.callSign = "B" + string([]byte{byte('A' + r.intn(26)), byte('A' + r.intn(26)), byte('A' + r.intn(26))})
		}
	} else {
		s.navCode = pick(r, []string{"A", "B", "B", "C", "J2"})
		s.navText = s.navCode + "级:;"
	}
	s.hull = "01"
	if r.chance(0.12) {
		s.hull = pick(r, []string{"02", "03", "04", "05", "09"})
	}
}

// surveyLetters are the letters of 船检登记号 (2014Q2501082). E is left out: 2014E2501082
// reads as a number in scientific notation, which the validator reports as FMT-EXCEL.
const surveyLetters = "ABCDFGHJKLMNPQRSTUVWXYZ"

// pad formats a non-negative n with at least width digits.
func pad(n, width int) string {
	s := strconv.Itoa(n)
	for len(s) < width {
		s = "0" + s
	}
	return s
}

func hashString(s string) uint64 {
	h := uint64(14695981039346656037)
	for i := 0; i < len(s); i++ {
		h = (h ^ uint64(s[i])) * 1099511628211
	}
	return h
}

// shipSize sets tonnages and dimensions by class; values are what a clerk would type
// (tonnage to 3 decimals, lengths to 2).
func (g *generator) shipSize(s *ship, r *rng) {
	lo, hi := 150, 3000
	switch s.class.code {
	case "CNT":
		lo, hi = 1000, 30000
	case "OIL", "CHEM", "LPG", "ASP":
		lo, hi = 300, 8000
	case "PAX", "HSC":
		lo, hi = 20, 900
	case "ROPAX":
		lo, hi = 500, 15000
	case "TUG":
		lo, hi = 50, 500
	case "BARGE":
		lo, hi = 100, 2500
	}
	if s.sea && s.class.code == "GEN" {
		lo, hi = 1500, 40000
	}
	gt := int64(float64(lo)*math.Pow(float64(hi)/float64(lo), r.float())*1000) + int64(r.intn(1000))
	s.gt = gt
	s.nt = gt * int64(55+r.intn(16)) / 100
	cargo := anyOf(s.shipScope, "11", "12", "21", "22", "23", "24", "25", "41")
	if cargo {
		f := 1.3 + 0.5*r.float()
		if s.class.code == "TUG" {
			f = 0.05 + 0.1*r.float()
		}
		s.dwt = int64(float64(gt)*f) + 1
	}
	if anyOf(s.shipScope, "21", "22", "23", "24") {
		s.cubic = s.dwt * int64(110+r.intn(20)) / 100
	}
	t := float64(gt) / 1000
	if anyOf(s.shipScope, "31", "32", "33", "34") {
		s.pax = min(5000, max(12, int(t*(0.3+0.5*r.float()))))
	}
	if slices.Contains(s.shipScope, "32") {
		s.vehicles = max(4, int(t/60))
	}
	if slices.Contains(s.shipScope, "41") {
		s.teu = max(24, int(t/12))
	}
	length := 3.6 * math.Pow(t, 0.36)
	s.length = int64(min(length, 400) * 100)
	s.breadth = s.length * int64(14+r.intn(5)) / 100
	s.depth = s.breadth * int64(35+r.intn(15)) / 100
	if s.class.code != "BARGE" {
		s.engines = 1 + r.intn(2)
		s.kw = int64(min(t*(0.4+0.8*r.float()), 90000) * 100)
	}
	if s.sea && t >= 3000 && r.chance(0.6) {
		s.imo = makeIMO(r)
	}
}

func (g *generator) shipParties(s *ship, r *rng) {
	s.owner = s.op.name
	if !s.op.indiv && r.chance(0.12) {
		s.owner = s.op.pl.short + pick(r, brandA) + pick(r, brandB) + pick(r, []string{"船舶租赁有限公司", "融资租赁有限公司"})
	}
	if !s.op.indiv && r.chance(0.15) {
		s.mgr = g.pickManager(r, s.op.pl.province)
	}
}

// shipCertificate issues the 营运证: after the ship was built and the licence began,
// valid no longer than the licence; cancelled with the licence when that was cancelled.
func (g *generator) shipCertificate(s *ship, r *rng) {
	l := &s.op.lic
	abbr := g.reg.abbr(s.op.pl.province)
	s.authority = s.op.certAuthority
	lo := max(l.from, s.build+1)
	s.status = "1"
	if l.cancelled() {
		hi := max(l.cancel-1, lo)
		s.issue = r.day(lo, hi)
		s.to = l.to
		s.status = "4"
		s.cancel = max(l.cancel, s.issue)
		s.reason = pick(r, []string{"经营许可证注销，营运证随之注销", "经营者申请注销", "经营许可证被撤销"})
	} else {
		s.issue = r.day(lo, g.asOf-1)
		s.to = l.to
		if r.chance(0.2) && l.to > g.asOf+60 {
			s.to = r.day(g.asOf+30, l.to)
		}
	}
	s.certNo = abbr + "交营" + pad(s.issue.year(), 4) + pad(s.i+1, 7)
}

func (g *generator) shipSurveys(s *ship, sk skeleton) {
	r := newRNG(g.seed, hSurvey, uint64(s.i))
	org := pad(20+g.reg.index[s.op.pl.province], 2) + pad(10+r.intn(60), 2)
	cur := survey{orgCode: org, certType: "船舶检验证书簿", issue: sk.surveyIssue}
	cur.to = cur.issue.addYears(5)
	cur.next = min(cur.issue+day(365*(1+r.intn(2))), cur.to)
	if cur.next < g.asOf {
		cur.next = min(g.asOf+day(r.between(30, 300)), cur.to)
	}
	cur.certNo = org + pad(cur.issue.year(), 4) + pad(s.i+1, 7)
	s.surveys = []survey{cur}
	if sk.history {
		old := survey{orgCode: org, certType: "船舶检验证书簿", issue: sk.surveyIssue - 5*365}
		old.to = sk.surveyIssue - 1
		old.next = old.to
		old.certNo = org + pad(old.issue.year(), 4) + pad(s.i+1, 7)
		s.surveys = append(s.surveys, old)
	}
}
