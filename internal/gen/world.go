package gen

import (
	"fmt"
	"math"
	"slices"
)

// Dataset names (standard.md §5).
const (
	dsOperator = "shipping_operator"
	dsLicence  = "waterway_transport_license"
	dsVessel   = "vessel_operating_certificate"
	dsMgmt     = "ship_management_license"
	dsFiling   = "auxiliary_business_filing"
	dsIntl     = "international_shipping_record"
	dsPortOp   = "port_operator"
	dsPortLic  = "port_operation_license"
	dsAnnex    = "port_dg_annex"
	dsProject  = "waterway_construction_project"
	dsMSA      = "msa_vessel_registration"
	dsSurvey   = "vessel_survey"
)

// allDatasets in the order files are written (and the engine's processing order).
var allDatasets = []string{dsOperator, dsLicence, dsMgmt, dsFiling, dsIntl, dsPortOp, dsPortLic,
	dsMSA, dsSurvey, dsProject, dsVessel, dsAnnex}

// licence is a 国内水路运输经营许可证 (D02).
type licence struct {
	no         string
	authority  string
	authRegion string
	issue      day
	from, to   day
	status     string // "1", or 2/3/4 cancelled
	cancel     day
	reason     string
}

func (l *licence) cancelled() bool { return l.status != "1" }

// operator is a 水路运输经营者 (D01) with its licence (D02) and its fleet (D03 ships
// fleetStart … fleetStart+fleetN−1).
type operator struct {
	i          int
	pl         *place
	indiv      bool
	uscc       string // "" for an individual
	idNo       string // citizen ID of an individual
	name       string
	legalRep   string
	address    string
	postcode   string
	phone      string
	econ       string
	entType    string
	capital    int64 // 万元 × 10^4
	area       string
	opArea     string
	scopes     []string // licensed C02 codes, sorted
	fleetStart int
	fleetN     int
	lic        licence
	// certAuthority issues the operator's ships' certificates (营运证).
	certAuthority string
	// Which other datasets hold this operator (for REL-23 answers).
	mgmt, filing, intl int  // count of D04/D05/D06 rows
	liveShips          bool // a defect put a 存续 certificate under a cancelled licence
}

// world holds what references need: operators and the small datasets. Ships and port
// enterprises are regenerated from their index whenever needed.
type world struct {
	g          *generator
	ops        []*operator
	fleetOps   []*operator // operators with ships, by fleetStart
	mgrs       []*mgmt
	assignable map[string][]*mgmt // D04 licences ships may name as manager, by province ("" = all)
	filings    []*filing
	intls      []*intl
	projects   []*project
	usedNames  map[string]bool
}

// fleetSizes draws heavy-tailed fleet sizes (log-normal, median 3, mean about 13, top 1%
// over 150 ships) that sum to rows.
func fleetSizes(r *rng, rows int) []int {
	cap := max(5, rows/20)
	var out []int
	left := rows
	for left > 0 {
		n := int(math.Round(3 * math.Exp(1.7*r.normal())))
		n = min(max(n, 1), cap, left)
		out = append(out, n)
		left -= n
	}
	return out
}

func (g *generator) buildOperators() {
	w := g.w
	r := newRNG(g.seed, hOperators)
	sizes := fleetSizes(r, g.opt.Rows)
	extra := max(len(sizes)/12, 3-len(sizes), 1) // operators without ships: new or cancelled licences
	n := len(sizes) + extra
	// Spread the shipless operators among the others.
	shipless := map[int]bool{}
	for len(shipless) < extra {
		shipless[r.intn(n)] = true
	}
	start, k := 0, 0
	for i := 0; i < n; i++ {
		op := &operator{i: i}
		if !shipless[i] {
			op.fleetStart, op.fleetN = start, sizes[k]
			start += sizes[k]
			k++
		}
		g.makeOperator(op, newRNG(g.seed, hOperators, uint64(i)))
		w.ops = append(w.ops, op)
		if op.fleetN > 0 {
			w.fleetOps = append(w.fleetOps, op)
		}
	}
}

// operatorOf returns the operator of ship i.
func (w *world) operatorOf(i int) *operator {
	k, _ := slices.BinarySearchFunc(w.fleetOps, i, func(op *operator, i int) int {
		switch {
		case op.fleetStart+op.fleetN <= i:
			return -1
		case op.fleetStart > i:
			return 1
		}
		return 0
	})
	return w.fleetOps[k]
}

// profiles are the kinds of transport business, with their licence scopes and areas.
var profiles = []struct {
	weight float64
	area   []string
	scopes [][]string
	text   []string
}{
	{50, []string{"2"}, [][]string{{"11"}, {"12"}, {"11", "12"}, {"11", "12"}, {"11", "41"}},
		[]string{"长江中下游及其支流", "长江干线及其支流", "京杭运河及长江中下游", "省内内河", "珠江水系", "淮河水系"}},
	{14, []string{"1", "3"}, [][]string{{"11"}, {"11", "41"}, {"11", "12"}},
		[]string{"国内沿海及长江中下游", "国内沿海", "国内沿海及长江干线"}},
	{12, []string{"1", "2", "3"}, [][]string{{"21"}, {"21", "24"}, {"22"}, {"21", "22"}, {"23"}, {"21", "25"}, {"11", "21"}},
		[]string{"国内沿海及长江中下游", "长江中下游及其支流", "国内沿海"}},
	{16, []string{"2", "1"}, [][]string{{"31"}, {"34"}, {"31", "32"}, {"33"}, {"31", "34"}, {"32"}},
		[]string{"省内内河", "长江干线", "琼州海峡", "渤海湾", "太湖水域", "千岛湖水域"}},
	{8, []string{"1", "3"}, [][]string{{"41"}, {"11", "41"}},
		[]string{"国内沿海", "国内沿海及长江中下游"}},
}

func (g *generator) makeOperator(op *operator, r *rng) {
	prov := g.reg.province(r)
	op.pl = g.reg.place(r, prov)
	op.indiv = op.i >= 3 && op.fleetN <= 3 && r.chance(0.2)
	op.legalRep = personName(r)
	if op.indiv {
		op.name = op.legalRep
		op.idNo = makeCitizen(r, op.pl.code, g.asOf.year()-70, g.asOf.year()-22)
		op.econ = "175"
	} else {
		op.name = g.companyName(r, op.pl, operatorSuffix)
		op.uscc = makeUSCC(r, "91", op.pl.code)
		op.econ = pick(r, []string{"150", "159", "173", "173", "173", "160", "110", "171"})
		op.entType = pick(r, []string{"3", "3", "3", "3", "9", "1", "5"})
		op.capital = int64(pick(r, []int{50, 100, 200, 300, 500, 800, 1000, 2000, 2800, 5000, 10000})) * 10000
	}
	op.address = address(r, op.pl)
	op.postcode = postcode(r, prov)
	op.phone = phone(r, prov)
	p := profiles[r.weighted([]float64{profiles[0].weight, profiles[1].weight, profiles[2].weight, profiles[3].weight, profiles[4].weight})]
	op.area = pick(r, p.area)
	op.scopes = slices.Clone(pick(r, p.scopes))
	slices.Sort(op.scopes)
	op.opArea = pick(r, p.text)
	if op.area == "2" && p.text[0] == profiles[0].text[0] {
		op.opArea = pick(r, inlandAreas(prov))
	}
	g.makeLicence(op, r)
	op.certAuthority, _ = g.authority(r, op.pl, true)
}

// makeLicence issues the operator's current licence. About 6% of licences are
// cancelled (their ships' certificates are cancelled too); a third of those only days ago.
func (g *generator) makeLicence(op *operator, r *rng) {
	l := &op.lic
	l.no = fmt.Sprintf("交%sXK%06d", g.reg.abbr(op.pl.province), op.i+1)
	l.authority, l.authRegion = g.authority(r, op.pl, anyOf(op.scopes, "12", "25", "34"))
	l.status = "1"
	switch {
	case r.chance(0.06) || (op.fleetN == 0 && r.chance(0.4)):
		l.status = pick(r, []string{"4", "4", "4", "2", "3"})
		l.reason = cancelReason(r, l.status)
		if r.chance(0.35) { // cancelled only days ago: its certificates are still within the grace period
			l.from = r.day(g.asOf-5*365+40, g.asOf-400).safe()
			l.to = l.from.addYears(5)
			l.cancel = r.day(g.asOf-10, g.asOf-1)
		} else {
			l.from = r.day(g.asOf-7*365, g.asOf-400).safe()
			l.to = l.from.addYears(5)
			l.cancel = r.day(l.from+100, min(l.to, g.asOf-60))
		}
	default:
		l.from = r.day(g.asOf-5*365+40, g.asOf-20).safe()
		l.to = l.from.addYears(5)
	}
	l.issue = l.from
	if r.chance(0.3) {
		l.issue = l.from - day(r.between(1, 15))
	}
}

// inlandAreas are the inland waters an operator of a province typically works on.
func inlandAreas(prov string) []string {
	switch prov {
	case "440000", "450000", "520000", "530000":
		return []string{"珠江水系", "西江干线", "珠江三角洲水网"}
	case "320000", "330000", "370000":
		return []string{"长江中下游及其支流", "京杭运河及长江中下游", "省内内河", "太湖流域"}
	case "230000", "220000":
		return []string{"黑龙江水系", "松花江干线"}
	case "410000":
		return []string{"淮河水系", "沙颍河"}
	}
	return []string{"长江中下游及其支流", "长江干线及其支流", "省内内河", "长江干线"}
}

// authority names a transport administration for a place: the province's department
// (区划 = the province) or the city's bureau (区划 = the prefecture), whichever local says.
func (g *generator) authority(r *rng, pl *place, local bool) (name, region string) {
	pref := pl.code[:4] + "00"
	if local && pl.cityName != "" && g.reg.current(pref) {
		return pl.cityName + "交通运输局", pref
	}
	if pl.province == "310000" || pl.province == "110000" {
		return pl.provName + "交通委员会", pl.province
	}
	return pl.provName + "交通运输厅", pl.province
}

func anyOf(set []string, codes ...string) bool {
	for _, c := range codes {
		if slices.Contains(set, c) {
			return true
		}
	}
	return false
}

func cancelReason(r *rng, status string) string {
	switch status {
	case "2":
		return pick(r, []string{"以欺骗手段取得许可，依法撤销", "不再具备许可条件，依法撤销"})
	case "3":
		return pick(r, []string{"违法经营，依法吊销", "发生重大安全事故，依法吊销"})
	}
	return pick(r, []string{"企业申请注销", "许可证有效期届满未延续", "企业解散", "不再从事水路运输经营", "经营者申请终止经营"})
}

// personName returns a Chinese personal name.
func personName(r *rng) string {
	n := pick(r, surnames) + pick(r, givenChars)
	if r.chance(0.7) {
		n += pick(r, givenChars)
	}
	return n
}

// companyName returns a new company name: place + 字号 + suffix; a few carry （集团）.
func (g *generator) companyName(r *rng, pl *place, suffixes []string) string {
	for {
		name := pl.short + pick(r, brandA) + pick(r, brandB)
		if r.chance(0.05) {
			name += "（集团）"
		}
		name += pick(r, suffixes)
		if !g.w.usedNames[name] {
			g.w.usedNames[name] = true
			return name
		}
	}
}

func address(r *rng, pl *place) string {
	return pl.provName + pl.cityName + pl.county + pick(r, roads) + fmt.Sprintf("%d号", r.between(1, 999))
}

// postcodePrefix gives the first two digits of postcodes per province.
var postcodePrefix = map[string]string{
	"110000": "10", "120000": "30", "130000": "06", "140000": "03", "150000": "01", "210000": "11",
	"220000": "13", "230000": "15", "310000": "20", "320000": "21", "330000": "31", "340000": "23",
	"350000": "35", "360000": "33", "370000": "26", "410000": "45", "420000": "43", "430000": "41",
	"440000": "51", "450000": "53", "460000": "57", "500000": "40", "510000": "61", "520000": "55",
	"530000": "65", "540000": "85", "610000": "71", "620000": "73", "630000": "81", "640000": "75",
	"650000": "83",
}

func postcode(r *rng, prov string) string { return postcodePrefix[prov] + r.digits(4) }

func phone(r *rng, prov string) string {
	codes := areaCodes[prov]
	if len(codes) == 0 || r.chance(0.6) {
		return "1" + pick(r, []string{"3", "5", "8", "9", "7"}) + r.digits(9)
	}
	code := pick(r, codes)
	local := 7 // 8-digit numbers behind 3-digit area codes, 7 or 8 behind 4-digit ones
	if len(code) == 4 {
		local = 6 + r.intn(2)
	}
	return code + "-" + string(byte('2'+r.intn(8))) + r.digits(local)
}

// areaCodes are telephone area codes of port and river cities, by province.
var areaCodes = map[string][]string{
	"110000": {"010"}, "120000": {"022"}, "310000": {"021"}, "500000": {"023"},
	"320000": {"025", "0510", "0511", "0512", "0513", "0514", "0518", "0523", "0527"},
	"330000": {"0571", "0573", "0574", "0576", "0577", "0580", "0572"},
	"340000": {"0551", "0553", "0555", "0556", "0562", "0566"},
	"440000": {"020", "0755", "0757", "0769", "0759", "0754", "0758"},
	"420000": {"027", "0717", "0716", "0714"}, "370000": {"0532", "0535", "0537", "0633", "0631"},
	"430000": {"0731", "0730", "0736", "0737"}, "360000": {"0791", "0792"},
	"450000": {"0771", "0774", "0775", "0779", "0777"}, "350000": {"0591", "0592", "0595", "0593"},
	"210000": {"0411", "0417", "0415"}, "130000": {"0315", "0335", "0317"}, "460000": {"0898"},
	"510000": {"028", "0830", "0831"},
}
