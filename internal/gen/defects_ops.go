package gen

import (
	"fmt"
	"strings"
)

// Defects of operators (D01) and their licences (D02), management licences (D04),
// auxiliary filings (D05) and international shipping records (D06).

func opOf(e any) *operator { return e.(*operator) }

// rel23Needs lists the datasets before ds (in the engine's order) holding op's USCC
// under its true name; REL-23 fires on ds only if one of them is written.
func rel23Needs(op *operator, ds string) []string {
	needs := []string{dsOperator, dsLicence}
	if ds == dsFiling || ds == dsIntl {
		if op.mgmt > 0 {
			needs = append(needs, dsMgmt)
		}
	}
	if ds == dsIntl && op.filing > 0 {
		needs = append(needs, dsFiling)
	}
	return needs
}

// cleanOperator reports whether op's D01 and D02 rows carry no defect, so that they
// give REL-23 the operator's true name.
func (g *generator) cleanOperator(op *operator) bool {
	return g.kindOf(dsOperator, op.i) == nil && g.kindOf(dsLicence, op.i) == nil
}

func operatorKinds() []*kind {
	d := dsOperator
	company := func(g *generator, e any) bool { return !opOf(e).indiv }
	return []*kind{
		{ds: d, name: "法定代表人为空", finds: "REQ legal_rep",
			apply: func(c *kctx, e any) []want { return blank(c, "legal_rep", "REQ") }},
		{ds: d, name: "地址超长", finds: "FMT-LEN address",
			apply: func(c *kctx, e any) []want {
				return raw(c, "address", longer(opOf(e).address, 200, "（经营范围：国内沿海及长江中下游普通货船运输，船舶机务管理，船舶海务管理）"), "FMT-LEN")
			}},
		{ds: d, name: "邮编含字母", finds: "FMT-PATTERN postcode",
			apply: func(c *kctx, e any) []want { return raw(c, "postcode", opOf(e).postcode[:5]+"A", "FMT-PATTERN") }},
		{ds: d, name: "电话少一位", finds: "FMT-PATTERN contact_phone",
			apply: func(c *kctx, e any) []want {
				return raw(c, "contact_phone", "0"+c.r.digits(3)+"-"+c.r.digits(6), "FMT-PATTERN")
			}},
		{ds: d, name: "经济类型写成文字", finds: "CODE economic_type",
			apply: func(c *kctx, e any) []want { return raw(c, "economic_type", "民营企业", "CODE") }},
		{ds: d, name: "是否个体写成文字", finds: "FMT-BOOL is_individual",
			apply: func(c *kctx, e any) []want {
				v := "企业"
				if opOf(e).indiv {
					v = "个人"
				}
				return raw(c, "is_individual", v, "FMT-BOOL")
			}},
		{ds: d, name: "身份证校验位错", finds: "ID-CITIZEN id_no",
			ok: func(g *generator, e any) bool { return opOf(e).indiv },
			apply: func(c *kctx, e any) []want {
				return raw(c, "id_no", wrongCitizen(opOf(e).idNo), "ID-CITIZEN")
			}},
		{ds: d, name: "注册地区划代码不存在", finds: "ID-REGION reg_region_code",
			apply: func(c *kctx, e any) []want {
				return raw(c, "reg_region_code", c.g.reg.never(c.r, opOf(e).pl.province), "ID-REGION")
			}},
		{ds: d, name: "注册地区划代码已撤销", finds: "ID-REGION(retired, warning) reg_region_code",
			ok: func(g *generator, e any) bool { return len(g.reg.retired[opOf(e).pl.province]) > 0 },
			apply: func(c *kctx, e any) []want {
				c.rec.set("reg_region_code", pick(c.r, c.g.reg.retired[opOf(e).pl.province]))
				return []want{findPart("reg_region_code", "ID-REGION", "retired")}
			}},
		{ds: d, name: "信用代码被 Excel 显示为科学计数法", finds: "FMT-EXCEL uscc",
			ok:    func(g *generator, e any) bool { return allDigits(opOf(e).uscc) },
			apply: func(c *kctx, e any) []want { return raw(c, "uscc", sci(opOf(e).uscc), "FMT-EXCEL") }},
		{ds: d, name: "注册资本带单位", finds: "FMT-DEC registered_capital", ok: company,
			apply: func(c *kctx, e any) []want {
				return raw(c, "registered_capital", formatScaled(opOf(e).capital, 4)+"万", "FMT-DEC")
			}},
		{ds: d, name: "自有运力带单位", finds: "FMT-INT own_fleet_count",
			apply: func(c *kctx, e any) []want {
				return raw(c, "own_fleet_count", fmt.Sprintf("%d艘", opOf(e).fleetN), "FMT-INT")
			}},
		{ds: d, name: "自有运力为负数", finds: "FMT-RANGE own_fleet_count",
			apply: func(c *kctx, e any) []want { return raw(c, "own_fleet_count", "-1", "FMT-RANGE") }},
		{ds: d, name: "整行重复", finds: "UNIQUE uscc (on the copy, inserted after it)", ok: company,
			apply: func(c *kctx, e any) []want {
				c.insert(c.rec.clone(), find("uscc", "UNIQUE"))
				return nil
			}},
		{ds: d, name: "信用代码登记机关在外省", finds: "REL-22(warning) uscc",
			ok: func(g *generator, e any) bool {
				op := opOf(e)
				return !op.indiv && op.mgmt == 0 && op.intl == 0
			},
			prep: func(g *generator, e any, r *rng) {
				op := opOf(e)
				op.uscc = makeUSCC(r, "91", g.otherPlace(r, op.pl.province).code)
			},
			apply: func(c *kctx, e any) []want { return []want{find("uscc", "REL-22")} }},
		{ds: d, name: "注册地不在报送省份", finds: "REL-20 reg_region_code; REL-22 uscc for a company", sub: "province",
			apply: func(c *kctx, e any) []want { return outOfArea(c, opOf(e), "REL-20") }},
		{ds: d, name: "注册地不在航务管理局辖区", finds: "REL-21 reg_region_code; REL-22 uscc for a company", sub: "river",
			apply: func(c *kctx, e any) []want { return outOfArea(c, opOf(e), "REL-21") }},
	}
}

func outOfArea(c *kctx, op *operator, rule string) []want {
	c.rec.set("reg_region_code", c.g.otherPlace(c.r, op.pl.province).code)
	out := []want{find("reg_region_code", rule)}
	if !op.indiv {
		out = append(out, find("uscc", "REL-22"))
	}
	return out
}

// hasLiveShip reports whether a defect put a 存续 certificate under op's (cancelled)
// licence: then the licence's cancellation must stay as it is.
func (g *generator) hasLiveShip(op *operator) bool {
	for i := op.fleetStart; i < op.fleetStart+op.fleetN; i++ {
		if k := g.kindOf(dsVessel, i); k != nil && (k.name == kindLiveREL03 || k.name == kindLiveREL24) {
			return true
		}
	}
	return false
}

func licenceKinds() []*kind {
	d := dsLicence
	leaf := func(g *generator, e any) bool { return opOf(e).fleetN == 0 }
	cancelled := func(g *generator, e any) bool { return opOf(e).lic.cancelled() }
	return []*kind{
		{ds: d, name: "必填项为空", finds: "REQ operator_address | legal_rep | issuing_authority | issue_date",
			apply: func(c *kctx, e any) []want {
				return blank(c, pick(c.r, []string{"operator_address", "legal_rep", "issuing_authority", "issue_date"}), "REQ")
			}},
		{ds: d, name: "经营区域超长", finds: "FMT-LEN operating_area",
			apply: func(c *kctx, e any) []want {
				return raw(c, "operating_area", longer(opOf(e).opArea, 200, "、长江干线及其支流、京杭运河、淮河水系"), "FMT-LEN")
			}},
		{ds: d, name: "发证日期不存在", finds: "FMT-DATE issue_date",
			apply: func(c *kctx, e any) []want {
				return raw(c, "issue_date", badDate(c.r, opOf(e).lic.issue), "FMT-DATE")
			}},
		{ds: d, name: "内河沿海写成文字", finds: "CODE area_type",
			apply: func(c *kctx, e any) []want { return raw(c, "area_type", "沿江", "CODE") }},
		{ds: d, name: "发证机构区划代码不存在", finds: "ID-REGION issuing_authority_region",
			apply: func(c *kctx, e any) []want {
				return raw(c, "issuing_authority_region", c.g.reg.never(c.r, opOf(e).pl.province), "ID-REGION")
			}},
		{ds: d, name: "发证机构不在报送省份", finds: "REL-20 issuing_authority_region", sub: "province",
			apply: func(c *kctx, e any) []want {
				return raw(c, "issuing_authority_region", c.g.reg.other(c.r, opOf(e).pl.province), "REL-20")
			}},
		{ds: d, name: "发证机构不在航务管理局辖区", finds: "REL-21 issuing_authority_region", sub: "river",
			apply: func(c *kctx, e any) []want {
				return raw(c, "issuing_authority_region", c.g.reg.other(c.r, opOf(e).pl.province), "REL-21")
			}},
		{ds: d, name: "有效期超过 5 年", finds: "DAT-05 valid_to",
			apply: func(c *kctx, e any) []want {
				c.rec.date("valid_to", opOf(e).lic.from.addYears(6))
				return []want{find("valid_to", "DAT-05")}
			}},
		{ds: d, name: "已过期仍为存续", finds: "DAT-02(warning) status (a licence without certificates)",
			ok: func(g *generator, e any) bool { return leaf(g, e) && !opOf(e).lic.cancelled() },
			apply: func(c *kctx, e any) []want {
				from := (c.g.asOf - 5*365 - day(c.r.between(10, 600))).safe()
				c.rec.date("issue_date", from)
				c.rec.date("valid_from", from)
				c.rec.date("valid_to", from.addYears(5))
				return []want{find("status", "DAT-02")}
			}},
		{ds: d, name: "注销日期早于发证日期", finds: "DAT-03 cancel_date",
			ok: func(g *generator, e any) bool { return cancelled(g, e) && !g.hasLiveShip(opOf(e)) },
			apply: func(c *kctx, e any) []want {
				c.rec.date("cancel_date", opOf(e).lic.issue-day(c.r.between(1, 400)))
				return []want{find("cancel_date", "DAT-03")}
			}},
		{ds: d, name: "注销原因为空", finds: "REQ-COND cancel_reason", ok: cancelled,
			apply: func(c *kctx, e any) []want { return blank(c, "cancel_reason", "REQ-COND") }},
		{ds: d, name: "注销日期为空", finds: "REQ-COND cancel_date",
			ok:    func(g *generator, e any) bool { return cancelled(g, e) && !g.hasLiveShip(opOf(e)) },
			apply: func(c *kctx, e any) []want { return blank(c, "cancel_date", "REQ-COND") }},
		{ds: d, name: "个体身份证号校验位错", finds: "ID-CITIZEN operator_uscc",
			ok: func(g *generator, e any) bool { return opOf(e).indiv },
			apply: func(c *kctx, e any) []want {
				return raw(c, "operator_uscc", wrongCitizen(opOf(e).idNo), "ID-CITIZEN")
			}},
		{ds: d, name: "信用代码校验位错", finds: "ID-USCC operator_uscc",
			ok: func(g *generator, e any) bool { return hasLetter(opOf(e).uscc) },
			apply: func(c *kctx, e any) []want {
				return raw(c, "operator_uscc", wrongUSCC(opOf(e).uscc), "ID-USCC")
			}},
		{ds: d, name: "经营者名称与 D01 不一致", finds: "REL-23(warning) operator_name (needs D01)",
			ok: func(g *generator, e any) bool {
				op := opOf(e)
				return leaf(g, e) && !op.indiv && op.mgmt+op.filing+op.intl == 0 && g.kindOf(dsOperator, op.i) == nil
			},
			apply: func(c *kctx, e any) []want {
				c.rec.set("operator_name", nameVariant(c.r, opOf(e).name))
				return []want{{field: "operator_name", rule: "REL-23", anyOf: []string{dsOperator}}}
			}},
		{ds: d, name: "整行重复", finds: "UNIQUE license_no (on the copy)",
			apply: func(c *kctx, e any) []want {
				c.insert(c.rec.clone(), find("license_no", "UNIQUE"))
				return nil
			}},
		{ds: d, name: "许可证编号含空格", finds: "FMT-PATTERN license_no (a licence without certificates)", ok: leaf,
			apply: func(c *kctx, e any) []want {
				no := opOf(e).lic.no
				return raw(c, "license_no", no[:len(no)-6]+" "+no[len(no)-6:], "FMT-PATTERN")
			}},
		{ds: d, name: "注册资金含千分位", finds: "FMT-DEC registered_capital",
			ok: func(g *generator, e any) bool { return opOf(e).capital >= 1000*10000 },
			apply: func(c *kctx, e any) []want {
				v := formatScaled(opOf(e).capital, 4)
				return raw(c, "registered_capital", v[:len(v)-3]+","+v[len(v)-3:], "FMT-DEC")
			}},
	}
}

func mgmtOf(e any) *mgmt { return e.(*mgmt) }

func mgmtKinds() []*kind {
	d := dsMgmt
	return []*kind{
		{ds: d, name: "注册地址为空", finds: "REQ reg_address",
			apply: func(c *kctx, e any) []want { return blank(c, "reg_address", "REQ") }},
		{ds: d, name: "经营范围含无效代码", finds: "CODE scope",
			apply: func(c *kctx, e any) []want {
				return raw(c, "scope", strings.Join(mgmtOf(e).scope, "|")+"|船舶代理", "CODE")
			}},
		{ds: d, name: "企业名称与 D01 不一致", finds: "REL-23(warning) company_name (needs D01 or D02)",
			ok: func(g *generator, e any) bool {
				op := mgmtOf(e).op
				return op.mgmt == 1 && op.filing+op.intl == 0 && g.cleanOperator(op)
			},
			apply: func(c *kctx, e any) []want {
				op := mgmtOf(e).op
				c.rec.set("company_name", nameVariant(c.r, op.name))
				return []want{{field: "company_name", rule: "REL-23", anyOf: rel23Needs(op, dsMgmt)}}
			}},
		{ds: d, name: "已过期仍为存续", finds: "DAT-02(warning) status (a licence no ship names)",
			ok: func(g *generator, e any) bool { m := mgmtOf(e); return m.status == "1" && !m.assignable },
			apply: func(c *kctx, e any) []want {
				from := (c.g.asOf - 5*365 - day(c.r.between(10, 600))).safe()
				c.rec.date("issue_date", from)
				c.rec.date("valid_from", from)
				c.rec.date("valid_to", from.addYears(5))
				return []want{find("status", "DAT-02")}
			}},
		{ds: d, name: "注销原因为空", finds: "REQ-COND cancel_reason",
			ok:    func(g *generator, e any) bool { return mgmtOf(e).status != "1" },
			apply: func(c *kctx, e any) []want { return blank(c, "cancel_reason", "REQ-COND") }},
		{ds: d, name: "所属区域代码不存在", finds: "ID-REGION region_code",
			apply: func(c *kctx, e any) []want {
				return raw(c, "region_code", c.g.reg.never(c.r, mgmtOf(e).op.pl.province), "ID-REGION")
			}},
	}
}

func filingOf(e any) *filing { return e.(*filing) }

func filingKinds() []*kind {
	d := dsFiling
	return []*kind{
		{ds: d, name: "地址为空", finds: "REQ address",
			apply: func(c *kctx, e any) []want { return blank(c, "address", "REQ") }},
		{ds: d, name: "邮编含字母", finds: "FMT-PATTERN postcode",
			apply: func(c *kctx, e any) []want {
				return raw(c, "postcode", filingOf(e).op.postcode[:5]+"A", "FMT-PATTERN")
			}},
		{ds: d, name: "电话带连字符", finds: "FMT-PATTERN phone",
			apply: func(c *kctx, e any) []want {
				return raw(c, "phone", "1"+c.r.digits(2)+"-"+c.r.digits(4)+"-"+c.r.digits(4), "FMT-PATTERN")
			}},
		{ds: d, name: "变更备案无具体内容", finds: "REQ-COND change_content",
			ok:    func(g *generator, e any) bool { return filingOf(e).typ == "C" },
			apply: func(c *kctx, e any) []want { return blank(c, "change_content", "REQ-COND") }},
		{ds: d, name: "信用代码校验位错", finds: "ID-USCC uscc",
			apply: func(c *kctx, e any) []want { return raw(c, "uscc", wrongUSCC(filingOf(e).op.uscc), "ID-USCC") }},
		{ds: d, name: "信用代码内含的组织机构代码错", finds: "ID-USCC(orgcode, warning) uscc",
			apply: func(c *kctx, e any) []want {
				c.rec.set("uscc", badOrgUSCC(filingOf(e).op.uscc))
				return []want{findPart("uscc", "ID-USCC", "orgcode")}
			}},
		{ds: d, name: "名称与 D01 不一致", finds: "REL-23(warning) name (needs D01, D02 or D04)",
			ok: func(g *generator, e any) bool {
				op := filingOf(e).op
				return op.filing == 1 && op.intl == 0 && g.cleanOperator(op)
			},
			apply: func(c *kctx, e any) []want {
				op := filingOf(e).op
				c.rec.set("name", nameVariant(c.r, op.name))
				return []want{{field: "name", rule: "REL-23", anyOf: rel23Needs(op, dsFiling)}}
			}},
		{ds: d, name: "备案机关不在报送省份", finds: "REL-20 filing_authority_region", sub: "province",
			apply: func(c *kctx, e any) []want {
				return raw(c, "filing_authority_region", c.g.reg.other(c.r, filingOf(e).op.pl.province), "REL-20")
			}},
		{ds: d, name: "备案机关不在航务管理局辖区", finds: "REL-21 filing_authority_region", sub: "river",
			apply: func(c *kctx, e any) []want {
				return raw(c, "filing_authority_region", c.g.reg.other(c.r, filingOf(e).op.pl.province), "REL-21")
			}},
		{ds: d, name: "企业登记日期不存在", finds: "FMT-DATE business_reg_date",
			apply: func(c *kctx, e any) []want {
				return raw(c, "business_reg_date", badDate(c.r, filingOf(e).regDate), "FMT-DATE")
			}},
		{ds: d, name: "业务类别写成简称", finds: "CODE business_kind",
			apply: func(c *kctx, e any) []want {
				return raw(c, "business_kind", pick(c.r, []string{"船代", "货代", "客代"}), "CODE")
			}},
	}
}

func intlOf(e any) *intl { return e.(*intl) }

func intlKinds() []*kind {
	d := dsIntl
	return []*kind{
		{ds: d, name: "班轮航线为空", finds: "REQ-COND liner_routes",
			ok:    func(g *generator, e any) bool { return intlOf(e).certType == "7" },
			apply: func(c *kctx, e any) []want { return blank(c, "liner_routes", "REQ-COND") }},
		{ds: d, name: "发证日期晚于今天", finds: "DAT-01 issue_date",
			ok: func(g *generator, e any) bool { x := intlOf(e); return x.to == 0 || x.to > g.asOf+90 },
			apply: func(c *kctx, e any) []want {
				c.rec.date("issue_date", c.g.asOf+day(c.r.between(3, 60)))
				return []want{find("issue_date", "DAT-01")}
			}},
		{ds: d, name: "企业名称与 D01 不一致", finds: "REL-23(warning) company_name (needs D01, D02, D04 or D05)",
			ok: func(g *generator, e any) bool {
				op := intlOf(e).op
				return op.intl == 1 && g.cleanOperator(op)
			},
			apply: func(c *kctx, e any) []want {
				op := intlOf(e).op
				c.rec.set("company_name", nameVariant(c.r, op.name))
				return []want{{field: "company_name", rule: "REL-23", anyOf: rel23Needs(op, dsIntl)}}
			}},
		{ds: d, name: "信用代码校验位错", finds: "ID-USCC uscc",
			apply: func(c *kctx, e any) []want { return raw(c, "uscc", wrongUSCC(intlOf(e).op.uscc), "ID-USCC") }},
		{ds: d, name: "证照类型代码不存在", finds: "CODE cert_type",
			apply: func(c *kctx, e any) []want { return raw(c, "cert_type", "8", "CODE") }},
		{ds: d, name: "发证日期不存在", finds: "FMT-DATE issue_date",
			apply: func(c *kctx, e any) []want { return raw(c, "issue_date", badDate(c.r, intlOf(e).issue), "FMT-DATE") }},
	}
}
