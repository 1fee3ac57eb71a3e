package gen

import (
	"fmt"
	"slices"
	"strings"

	"shuiyun/internal/standard"
)

// provinceWeight skews records towards the inland-fleet provinces (standard.md §7: 江苏,
// 浙江, 安徽, 广东, 湖北, 山东, 湖南, 江西 and 广西 hold about 70%).
var provinceWeight = map[string]float64{
	"320000": 15, "330000": 11, "340000": 9, "440000": 8, "420000": 7, "370000": 6,
	"430000": 5, "360000": 5, "450000": 4, // the nine: 70
	"310000": 2.6, "350000": 2.6, "500000": 2.4, "510000": 2.2, "210000": 2, "120000": 1.6,
	"130000": 1.6, "410000": 1.6, "460000": 1.4, "230000": 1.2, "220000": 1, "530000": 1,
	"520000": 1, "610000": 0.8, "150000": 0.6, "110000": 0.5, "140000": 0.4, "620000": 0.3,
	"640000": 0.3, "630000": 0.2, "650000": 0.2, "540000": 0.1, // the other 22: 30
}

// place is a county-level region with the names used to build addresses and company names.
type place struct {
	code     string // county code (current)
	province string // xx0000
	provName string // 江苏省
	cityName string // 南京市 (the province name for municipalities)
	county   string // 鼓楼区
	short    string // 南京: the place word in company names
}

// regionPool picks realistic region codes for records.
type regionPool struct {
	regs      *standard.Regions
	provinces []string            // eligible provinces (the submitter's, or all 31)
	weights   []float64           // parallel to provinces
	places    map[string][]*place // province → current county-level places
	all       []string            // all 31 provinces, for "another province" defects
	retired   map[string][]string // province → codes retired on or before as-of
	asOf      string
	index     map[string]int // province → position in all
}

func newRegionPool(std *standard.Standard, submitter, asOf string) (*regionPool, error) {
	p := &regionPool{regs: std.Regions, places: map[string][]*place{}, retired: map[string][]string{}, asOf: asOf}
	for _, g := range std.Regions.All() {
		p.add(g)
	}
	for prov := range provinceWeight {
		if len(p.places[prov]) == 0 {
			return nil, fmt.Errorf("region table has no current county in province %s", prov)
		}
		p.all = append(p.all, prov)
	}
	slices.Sort(p.all)
	p.index = map[string]int{}
	for i, prov := range p.all {
		p.index[prov] = i
	}
	provs, err := submitterProvinces(std, submitter, p.all)
	if err != nil {
		return nil, err
	}
	for _, prov := range provs {
		p.provinces = append(p.provinces, prov)
		p.weights = append(p.weights, provinceWeight[prov])
	}
	return p, nil
}

// submitterProvinces returns the provinces whose records a submitter sends: all for the
// national data ("" or the ministry), one for a province, the jurisdiction of a river
// administration (standard.md §8a.5).
func submitterProvinces(std *standard.Standard, submitter string, all []string) ([]string, error) {
	switch {
	case submitter == "" || submitter == "000000":
		return all, nil
	case provinceWeight[submitter] > 0:
		return []string{submitter}, nil
	}
	list := std.Settings.Jurisdictions[submitter]
	if len(list) == 0 {
		return nil, fmt.Errorf("报送单位 %s 不是省级行政区划代码，也不是 CJ0000/ZJ0000", submitter)
	}
	out := slices.Clone(list)
	slices.Sort(out)
	return out, nil
}

func (p *regionPool) add(g *standard.Region) {
	prov := g.Province
	if prov == "" && len(g.Code) == 6 {
		prov = g.Code[:2] + "0000"
	}
	if provinceWeight[prov] == 0 || strings.HasSuffix(g.Code, "00") {
		return
	}
	if g.Retired != "" {
		if g.Retired <= p.asOf {
			p.retired[prov] = append(p.retired[prov], g.Code)
		}
		return
	}
	if g.Name == "市辖区" || g.Name == "县" || strings.HasSuffix(g.Name, "直辖县级行政区划") {
		return
	}
	pl := &place{code: g.Code, province: prov, county: g.Name}
	pl.provName = p.name(prov)
	pl.cityName = p.cityOf(g.Code)
	pl.short = shortPlace(pl.cityName)
	if pl.cityName == pl.provName {
		pl.cityName = ""
	}
	p.places[prov] = append(p.places[prov], pl)
}

func (p *regionPool) name(code string) string {
	if g, ok := p.regs.Lookup(code); ok {
		return g.Name
	}
	return ""
}

// cityOf names the prefecture of a county; municipalities and counties directly under a
// province use the province's or the county's own name.
func (p *regionPool) cityOf(code string) string {
	pref := p.name(code[:4] + "00")
	switch {
	case pref == "" || pref == "市辖区" || pref == "县":
		return p.name(code[:2] + "0000")
	case strings.Contains(pref, "直辖"):
		return p.name(code)
	}
	return pref
}

// province picks a province of the submitter's area, weighted.
func (p *regionPool) province(r *rng) string { return p.provinces[r.weighted(p.weights)] }

// place picks a county of prov.
func (p *regionPool) place(r *rng, prov string) *place { return pick(r, p.places[prov]) }

// other picks a province other than prov (for out-of-jurisdiction defects); with a river
// administration submitter it picks one outside its jurisdiction.
func (p *regionPool) other(r *rng, prov string) string {
	for {
		q := pick(r, p.all)
		if q != prov && !slices.Contains(p.provinces, q) {
			return q
		}
		if len(p.provinces) == len(p.all) && q != prov {
			return q
		}
	}
}

// never returns a 6-digit code in prov that GB/T 2260 never had.
func (p *regionPool) never(r *rng, prov string) string {
	for {
		code := prov[:2] + fmt.Sprintf("%02d%02d", 80+r.intn(20), 1+r.intn(98))
		if _, ok := p.regs.Lookup(code); !ok {
			return code
		}
	}
}

// abbr returns the usual one-character abbreviation of a province.
func (p *regionPool) abbr(prov string) string {
	if a := p.regs.Abbreviations(prov); len(a) > 0 {
		return a[0]
	}
	return ""
}

// provShort is the province name without 省/市/自治区.
func provShort(name string) string {
	switch name {
	case "内蒙古自治区":
		return "内蒙古"
	}
	return shortPlace(name)
}

// current reports whether code is a GB/T 2260 code in use.
func (p *regionPool) current(code string) bool {
	g, ok := p.regs.Lookup(code)
	return ok && g.Retired == ""
}
