package gen

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// Defects of operating certificates (D03), MSA registrations (D11) and survey
// certificates (D12).

func shipOf(e any) *ship { return e.(*ship) }

func (s *ship) active() bool { return s.status == "1" }

func (s *ship) cargo() bool {
	return anyOf(s.shipScope, "11", "12", "21", "22", "23", "24", "25", "41")
}

// Names of the kinds that put a 存续 certificate under a cancelled licence.
const (
	kindLiveREL03 = "经营许可证已注销，营运证仍存续"
	kindLiveREL24 = "经营许可证刚注销，营运证仍存续"
)

var dgClasses = []string{"OIL", "CHEM", "LPG", "ASP"}

// swapScope returns the scope code a ship could be given by mistake instead of its own
// (same family, so no other rule is touched): 11↔12, 31↔34, 33↔34.
func swapScope(s *ship) (string, bool) {
	if len(s.shipScope) != 1 {
		return "", false
	}
	pairs := map[string]map[string]string{
		"GEN": {"11": "12", "12": "11"}, "BARGE": {"11": "12", "12": "11"}, "TUG": {"11": "12", "12": "11"},
		"PAX": {"31": "34", "34": "31"}, "HSC": {"33": "34", "34": "33"},
	}
	to, ok := pairs[s.class.code][s.shipScope[0]]
	if !ok || slices.Contains(s.licScope, to) {
		return "", false
	}
	return to, true
}

// staleScope returns the licence scope minus one code the ship does not use.
func staleScope(s *ship) ([]string, bool) {
	for k, c := range s.licScope {
		if !slices.Contains(s.shipScope, c) {
			out := slices.Delete(slices.Clone(s.licScope), k, k+1)
			return out, len(out) > 0
		}
	}
	return nil, false
}

func vesselKinds() []*kind {
	d := dsVessel
	active := func(g *generator, e any) bool { return shipOf(e).active() }
	cancelled := func(g *generator, e any) bool { return !shipOf(e).active() }
	engines := func(g *generator, e any) bool { return shipOf(e).engines > 0 }
	pax := func(g *generator, e any) bool { return shipOf(e).pax > 0 }
	managed := func(g *generator, e any) bool { return shipOf(e).mgr != nil }
	live := func(g *generator, e any, lo, hi int) bool {
		s := shipOf(e)
		l := &s.op.lic
		since := int(g.asOf - l.cancel)
		return l.cancelled() && !s.active() && since >= lo && since <= hi && l.to >= g.asOf+30
	}
	makeLive := func(c *kctx) {
		c.rec.set("status", "1")
		c.rec.set("cancel_date", "")
		c.rec.set("cancel_reason", "")
	}
	return []*kind{
		{ds: d, name: "船籍港为空", finds: "REQ port_of_registry",
			apply: func(c *kctx, e any) []want { return blank(c, "port_of_registry", "REQ") }},
		{ds: d, name: "货船载重吨为空", finds: "REQ-COND dwt",
			ok:    func(g *generator, e any) bool { return shipOf(e).cargo() },
			apply: func(c *kctx, e any) []want { return blank(c, "dwt", "REQ-COND") }},
		{ds: d, name: "有管理人无许可证号", finds: "REQ-COND manager_license_no", ok: managed,
			apply: func(c *kctx, e any) []want { return blank(c, "manager_license_no", "REQ-COND") }},
		{ds: d, name: "注销原因为空", finds: "REQ-COND cancel_reason", ok: cancelled,
			apply: func(c *kctx, e any) []want { return blank(c, "cancel_reason", "REQ-COND") }},
		{ds: d, name: "发证日期不存在", finds: "FMT-DATE issue_date",
			apply: func(c *kctx, e any) []want { return raw(c, "issue_date", badDate(c.r, shipOf(e).issue), "FMT-DATE") }},
		{ds: d, name: "主机台数带单位", finds: "FMT-INT engine_count", ok: engines,
			apply: func(c *kctx, e any) []want {
				return raw(c, "engine_count", fmt.Sprintf("%d台", shipOf(e).engines), "FMT-INT")
			}},
		{ds: d, name: "主机功率写成约数", finds: "FMT-DEC engine_kw", ok: engines,
			apply: func(c *kctx, e any) []want {
				return raw(c, "engine_kw", "约"+formatScaled(shipOf(e).kw, 2), "FMT-DEC")
			}},
		{ds: d, name: "是否自有船舶写成文字", finds: "FMT-BOOL own_ship",
			apply: func(c *kctx, e any) []want {
				return raw(c, "own_ship", pick(c.r, []string{"自有", "租用", "光租"}), "FMT-BOOL")
			}},
		{ds: d, name: "曾用名超长", finds: "FMT-LEN former_name",
			apply: func(c *kctx, e any) []want {
				s := shipOf(e)
				return raw(c, "former_name", longer(s.nameCN, 60, "（原名"+s.nameCN+"，于船舶转让时更名）"), "FMT-LEN")
			}},
		{ds: d, name: "船舶种类代码含字母", finds: "FMT-PATTERN ship_type_code",
			apply: func(c *kctx, e any) []want {
				t := shipOf(e).typeCode
				return raw(c, "ship_type_code", t[:2]+"A"+t[3:4], "FMT-PATTERN")
			}},
		{ds: d, name: "船检登记号格式不符", finds: "FMT-PATTERN(warning) survey_reg_no",
			apply: func(c *kctx, e any) []want {
				v := shipOf(e).surveyRegNo
				return raw(c, "survey_reg_no", v[:4]+"-"+v[4:], "FMT-PATTERN")
			}},
		{ds: d, name: "客位超过 5000", finds: "FMT-RANGE passenger_capacity", ok: pax,
			apply: func(c *kctx, e any) []want {
				return raw(c, "passenger_capacity", strconv.Itoa(max(shipOf(e).pax*10, 5001)), "FMT-RANGE")
			}},
		{ds: d, name: "主机功率超过 100000", finds: "FMT-RANGE engine_kw", ok: engines,
			apply: func(c *kctx, e any) []want { return raw(c, "engine_kw", "150000", "FMT-RANGE") }},
		{ds: d, name: "MMSI 被 Excel 显示为科学计数法", finds: "FMT-EXCEL mmsi",
			ok:    func(g *generator, e any) bool { return shipOf(e).mmsi != "" },
			apply: func(c *kctx, e any) []want { return raw(c, "mmsi", sci(shipOf(e).mmsi), "FMT-EXCEL") }},
		{ds: d, name: "船体材料丢了前导零", finds: "FMT-EXCEL hull_material",
			ok:    func(g *generator, e any) bool { return shipOf(e).hull == "01" },
			apply: func(c *kctx, e any) []want { return raw(c, "hull_material", "1", "FMT-EXCEL") }},
		{ds: d, name: "船舶类型不在代码表", finds: "CODE ship_type",
			apply: func(c *kctx, e any) []want {
				return raw(c, "ship_type", pick(c.r, []string{"渔船", "运输船", "货轮"}), "CODE")
			}},
		{ds: d, name: "船体材料写成铁质", finds: "CODE hull_material",
			apply: func(c *kctx, e any) []want { return raw(c, "hull_material", "铁质", "CODE") }},
		{ds: d, name: "船舶识别号校验位错", finds: "ID-CNSHIP ship_id",
			apply: func(c *kctx, e any) []want { return raw(c, "ship_id", wrongCNShip(shipOf(e).id), "ID-CNSHIP") }},
		{ds: d, name: "MMSI 为香港 MID", finds: "ID-MMSI mmsi",
			apply: func(c *kctx, e any) []want { return raw(c, "mmsi", "477"+c.r.digits(6), "ID-MMSI") }},
		{ds: d, name: "IMO 校验位错", finds: "ID-IMO imo_no",
			ok:    func(g *generator, e any) bool { return shipOf(e).imo != "" },
			apply: func(c *kctx, e any) []want { return raw(c, "imo_no", wrongIMO(shipOf(e).imo), "ID-IMO") }},
		{ds: d, name: "整行重复", finds: "UNIQUE cert_no (on the copy, inserted after it)",
			apply: func(c *kctx, e any) []want {
				c.insert(c.rec.clone(), find("cert_no", "UNIQUE"))
				return nil
			}},
		{ds: d, name: "经营许可证号码不存在", finds: "REL-01 operator_license_no",
			apply: func(c *kctx, e any) []want {
				return raw(c, "operator_license_no", shipOf(e).op.lic.no+"A", "REL-01")
			}},
		{ds: d, name: "船舶经营人与许可证不一致", finds: "REL-02 operator_name",
			apply: func(c *kctx, e any) []want {
				return raw(c, "operator_name", nameVariant(c.r, shipOf(e).op.name), "REL-02")
			}},
		{ds: d, name: kindLiveREL03, finds: "REL-03 operator_license_no",
			ok: func(g *generator, e any) bool { return live(g, e, 60, 1<<30) },
			apply: func(c *kctx, e any) []want {
				makeLive(c)
				return []want{find("operator_license_no", "REL-03")}
			}},
		{ds: d, name: kindLiveREL24, finds: "REL-24 status",
			ok: func(g *generator, e any) bool { return live(g, e, 1, 10) },
			apply: func(c *kctx, e any) []want {
				makeLive(c)
				return []want{find("status", "REL-24")}
			}},
		{ds: d, name: "有效期超过经营许可证", finds: "REL-04 valid_to",
			apply: func(c *kctx, e any) []want {
				c.rec.date("valid_to", shipOf(e).op.lic.to+day(2*365+c.r.between(1, 300)))
				return []want{find("valid_to", "REL-04")}
			}},
		{ds: d, name: "发证早于许可证有效期起", finds: "REL-05(warning) issue_date",
			ok: func(g *generator, e any) bool { s := shipOf(e); return s.op.lic.from-s.build >= 40 },
			apply: func(c *kctx, e any) []want {
				c.rec.date("issue_date", shipOf(e).op.lic.from-day(c.r.between(5, 30)))
				return []want{find("issue_date", "REL-05")}
			}},
		{ds: d, name: "本船经营范围超出核定范围", finds: "REL-06 ship_scope",
			ok: func(g *generator, e any) bool { _, ok := swapScope(shipOf(e)); return ok },
			apply: func(c *kctx, e any) []want {
				to, _ := swapScope(shipOf(e))
				c.rec.set("ship_scope", to)
				// The ship ⊆ licensed part of REL-06 reads the row alone.
				return []want{{field: "ship_scope", rule: "REL-06", needs: none}}
			}},
		{ds: d, name: "核定经营范围是旧副本", finds: "REL-07(warning) licensed_scope",
			ok: func(g *generator, e any) bool { _, ok := staleScope(shipOf(e)); return ok },
			apply: func(c *kctx, e any) []want {
				sc, _ := staleScope(shipOf(e))
				return raw(c, "licensed_scope", joinCodes(sc), "REL-07")
			}},
		{ds: d, name: "危险品船类型与范围不符", finds: "REL-08 ship_type",
			ok: func(g *generator, e any) bool {
				s := shipOf(e)
				return slices.Contains(dgClasses, s.class.code) && !slices.Contains(s.shipScope, "25")
			},
			apply: func(c *kctx, e any) []want {
				s := shipOf(e)
				k := slices.Index(dgClasses, s.class.code)
				return raw(c, "ship_type", dgClasses[(k+1+c.r.intn(3))%4], "REL-08")
			}},
		{ds: d, name: "客船客位为 0", finds: "REL-09 passenger_capacity", ok: pax,
			apply: func(c *kctx, e any) []want { return raw(c, "passenger_capacity", "0", "REL-09") }},
		{ds: d, name: "船舶未在海事登记", finds: "REL-10 ship_id; REL-14 ship_id when 存续 (the ship is missing from D11 and D12)",
			prep: func(g *generator, e any, r *rng) { shipOf(e).noMSA = true },
			apply: func(c *kctx, e any) []want {
				out := []want{find("ship_id", "REL-10")}
				if shipOf(e).active() {
					out = append(out, find("ship_id", "REL-14"))
				}
				return out
			}},
		{ds: d, name: "中文船名与海事登记不一致", finds: "REL-11(warning) ship_name_cn",
			apply: func(c *kctx, e any) []want {
				s := shipOf(e)
				name := strings.Replace(s.nameCN, s.class.char, s.class.char+"运", 1)
				return raw(c, "ship_name_cn", name, "REL-11")
			}},
		{ds: d, name: "总吨与海事登记相差超过 1%", finds: "REL-11(warning) gross_tonnage",
			apply: func(c *kctx, e any) []want {
				c.rec.num("gross_tonnage", shipOf(e).gt*105/100+1, 3)
				return []want{find("gross_tonnage", "REL-11")}
			}},
		{ds: d, name: "一船两个存续营运证", finds: "REL-12 ship_id (on a second certificate inserted after it)", ok: active,
			apply: func(c *kctx, e any) []want {
				s := shipOf(e)
				dup := c.rec.clone()
				dup.set("cert_no", s.certNo+"B")
				c.insert(dup, find("ship_id", "REL-12"))
				return nil
			}},
		{ds: d, name: "管理人许可证号不存在", finds: "REL-13 manager_license_no", ok: managed,
			apply: func(c *kctx, e any) []want {
				return raw(c, "manager_license_no", shipOf(e).mgr.no+"X", "REL-13")
			}},
		{ds: d, name: "检验证书已全部过期", finds: "REL-14(warning) ship_id (the ship's D12 certificates expired)", ok: active,
			prep: func(g *generator, e any, r *rng) {
				v := &shipOf(e).surveys[0]
				v.to = r.day(v.issue, g.asOf-1)
				v.next = v.to
			},
			apply: func(c *kctx, e any) []want { return []want{find("ship_id", "REL-14")} }},
		{ds: d, name: "发证日期晚于今天", finds: "DAT-01 issue_date",
			ok: func(g *generator, e any) bool { s := shipOf(e); return s.active() && s.to >= g.asOf+20 },
			apply: func(c *kctx, e any) []want {
				s := shipOf(e)
				c.rec.date("issue_date", c.g.asOf+day(c.r.between(1, min(15, int(s.to-c.g.asOf)-1))))
				return []want{find("issue_date", "DAT-01")}
			}},
		{ds: d, name: "已过期仍为存续", finds: "DAT-02(warning) status",
			ok: func(g *generator, e any) bool { s := shipOf(e); return s.active() && g.asOf-s.issue >= 2 },
			apply: func(c *kctx, e any) []want {
				c.rec.date("valid_to", c.r.day(shipOf(e).issue, c.g.asOf-1))
				return []want{find("status", "DAT-02")}
			}},
		{ds: d, name: "注销日期早于发证日期", finds: "DAT-03 cancel_date", ok: cancelled,
			apply: func(c *kctx, e any) []want {
				c.rec.date("cancel_date", shipOf(e).issue-day(c.r.between(1, 200)))
				return []want{find("cancel_date", "DAT-03")}
			}},
		{ds: d, name: "改建日期早于建成日期", finds: "DAT-06 rebuild_date",
			apply: func(c *kctx, e any) []want {
				c.rec.date("rebuild_date", shipOf(e).build-day(c.r.between(30, 1000)))
				return []want{find("rebuild_date", "DAT-06")}
			}},
		{ds: d, name: "发证日期早于建成日期", finds: "DAT-06 issue_date",
			ok: func(g *generator, e any) bool { s := shipOf(e); return s.build-s.op.lic.from >= 10 },
			apply: func(c *kctx, e any) []want {
				s := shipOf(e)
				c.rec.date("issue_date", s.build-day(c.r.between(1, min(9, int(s.build-s.op.lic.from)))))
				return []want{find("issue_date", "DAT-06")}
			}},
	}
}

func msaKinds() []*kind {
	d := dsMSA
	present := func(g *generator, e any) bool { return !shipOf(e).noMSA }
	and := func(f func(*ship) bool) func(*generator, any) bool {
		return func(g *generator, e any) bool { return present(g, e) && f(shipOf(e)) }
	}
	return []*kind{
		{ds: d, name: "必填项为空", finds: "REQ depth | reg_office_code | nav_area_code", ok: present,
			apply: func(c *kctx, e any) []want {
				return blank(c, pick(c.r, []string{"depth", "reg_office_code", "nav_area_code"}), "REQ")
			}},
		{ds: d, name: "总长超过 500 米", finds: "FMT-RANGE length", ok: present,
			apply: func(c *kctx, e any) []want { return raw(c, "length", "600", "FMT-RANGE") }},
		{ds: d, name: "型宽带单位", finds: "FMT-DEC breadth", ok: present,
			apply: func(c *kctx, e any) []want {
				return raw(c, "breadth", formatScaled(shipOf(e).breadth, 2)+"米", "FMT-DEC")
			}},
		{ds: d, name: "船舶种类代码丢了前导零", finds: "FMT-EXCEL ship_type_code",
			ok: and(func(s *ship) bool { return len(s.typeCode) == 4 && s.typeCode[0] == '0' }),
			apply: func(c *kctx, e any) []want {
				return raw(c, "ship_type_code", shipOf(e).typeCode[1:], "FMT-EXCEL")
			}},
		{ds: d, name: "船舶种类代码含字母", finds: "FMT-PATTERN ship_type_code", ok: present,
			apply: func(c *kctx, e any) []want {
				t := shipOf(e).typeCode
				return raw(c, "ship_type_code", t[:2]+"A"+t[3:4], "FMT-PATTERN")
			}},
		{ds: d, name: "海船内河船标识不在代码表", finds: "CODE sea_or_inland", ok: present,
			apply: func(c *kctx, e any) []want { return raw(c, "sea_or_inland", "2", "CODE") }},
		{ds: d, name: "改建日期早于建成日期", finds: "DAT-06 rebuild_date", ok: present,
			apply: func(c *kctx, e any) []want {
				c.rec.date("rebuild_date", shipOf(e).build-day(c.r.between(30, 1000)))
				return []want{find("rebuild_date", "DAT-06")}
			}},
		{ds: d, name: "安放龙骨年份与识别号不符", finds: "DAT-07(warning) keel_laid_date", ok: present,
			apply: func(c *kctx, e any) []want {
				c.rec.date("keel_laid_date", dayOf(shipOf(e).keel.time().AddDate(-1, 0, 0)))
				return []want{find("keel_laid_date", "DAT-07")}
			}},
		{ds: d, name: "MMSI 少一位", finds: "ID-MMSI mmsi",
			ok:    and(func(s *ship) bool { return s.mmsi != "" }),
			apply: func(c *kctx, e any) []want { return raw(c, "mmsi", shipOf(e).mmsi[:8], "ID-MMSI") }},
		{ds: d, name: "整行重复", finds: "UNIQUE ship_id (on the copy)", ok: present,
			apply: func(c *kctx, e any) []want {
				c.insert(c.rec.clone(), find("ship_id", "UNIQUE"))
				return nil
			}},
		{ds: d, name: "英文船名超长", finds: "FMT-LEN ship_name_en", ok: present,
			apply: func(c *kctx, e any) []want {
				return raw(c, "ship_name_en", longer(shipOf(e).nameEN, 60, " (EX "+shipOf(e).nameEN+")"), "FMT-LEN")
			}},
	}
}

func surveyOf(e any) *surveyRow { return e.(*surveyRow) }

func surveyKinds() []*kind {
	d := dsSurvey
	present := func(g *generator, e any) bool { return !surveyOf(e).s.noMSA }
	// Dates and ship id may break only on an expired, superseded certificate: the ship's
	// valid one must stay readable for REL-14.
	history := func(g *generator, e any) bool {
		v := surveyOf(e)
		k := g.kindOf(dsVessel, v.s.i)
		return present(g, e) && v.k == 1 && (k == nil || k.prep == nil)
	}
	return []*kind{
		{ds: d, name: "船检机构代码为空", finds: "REQ survey_org_code", ok: present,
			apply: func(c *kctx, e any) []want { return blank(c, "survey_org_code", "REQ") }},
		{ds: d, name: "船检登记号格式不符", finds: "FMT-PATTERN(warning) survey_reg_no", ok: present,
			apply: func(c *kctx, e any) []want {
				v := surveyOf(e).s.surveyRegNo
				return raw(c, "survey_reg_no", v[:4]+"-"+v[4:], "FMT-PATTERN")
			}},
		{ds: d, name: "乘客定额带单位", finds: "FMT-INT passenger_limit",
			ok: func(g *generator, e any) bool { return present(g, e) && surveyOf(e).s.pax > 0 },
			apply: func(c *kctx, e any) []want {
				return raw(c, "passenger_limit", fmt.Sprintf("%d人", surveyOf(e).s.pax), "FMT-INT")
			}},
		{ds: d, name: "载货限额带单位", finds: "FMT-DEC cargo_limit",
			ok: func(g *generator, e any) bool { return present(g, e) && surveyOf(e).s.dwt > 0 },
			apply: func(c *kctx, e any) []want {
				return raw(c, "cargo_limit", formatScaled(surveyOf(e).s.dwt, 3)+"吨", "FMT-DEC")
			}},
		{ds: d, name: "旧证有效期不存在", finds: "FMT-DATE valid_to (a superseded certificate)", ok: history,
			apply: func(c *kctx, e any) []want {
				v := surveyOf(e)
				return raw(c, "valid_to", badDate(c.r, v.s.surveys[v.k].to), "FMT-DATE")
			}},
		{ds: d, name: "旧证有效期早于签发日期", finds: "DAT-01 valid_to (a superseded certificate)", ok: history,
			apply: func(c *kctx, e any) []want {
				v := surveyOf(e)
				c.rec.date("valid_to", v.s.surveys[v.k].issue-day(c.r.between(1, 300)))
				return []want{find("valid_to", "DAT-01")}
			}},
		{ds: d, name: "旧证船舶识别号校验位错", finds: "ID-CNSHIP ship_id (a superseded certificate)", ok: history,
			apply: func(c *kctx, e any) []want {
				return raw(c, "ship_id", wrongCNShip(surveyOf(e).s.id), "ID-CNSHIP")
			}},
		{ds: d, name: "整行重复", finds: "UNIQUE ship_id (on the copy)", ok: present,
			apply: func(c *kctx, e any) []want {
				c.insert(c.rec.clone(), find("ship_id", "UNIQUE"))
				return nil
			}},
	}
}
