package gen

import (
	"fmt"
	"strings"
)

// Defects of port enterprises (D07), port licences (D08), dangerous-goods annexes (D09)
// and construction projects (D10).

func portOf(e any) *portCo { return e.(*portCo) }

func portOpKinds() []*kind {
	d := dsPortOp
	return []*kind{
		{ds: d, name: "所在港口为空", finds: "REQ port_name",
			apply: func(c *kctx, e any) []want { return blank(c, "port_name", "REQ") }},
		{ds: d, name: "联系电话格式不符", finds: "FMT-PATTERN contact_phone",
			apply: func(c *kctx, e any) []want {
				return raw(c, "contact_phone", "0"+c.r.digits(3)+"－"+c.r.digits(7), "FMT-PATTERN")
			}},
		{ds: d, name: "注册地区划代码不存在", finds: "ID-REGION reg_region_code",
			apply: func(c *kctx, e any) []want {
				return raw(c, "reg_region_code", c.g.reg.never(c.r, portOf(e).pl.province), "ID-REGION")
			}},
		{ds: d, name: "固定资产含千分位", finds: "FMT-DEC fixed_assets",
			ok: func(g *generator, e any) bool { return portOf(e).assets >= 1000*10000 },
			apply: func(c *kctx, e any) []want {
				v := formatScaled(portOf(e).assets, 4)
				return raw(c, "fixed_assets", v[:len(v)-3]+","+v[len(v)-3:], "FMT-DEC")
			}},
		{ds: d, name: "企业简称超长", finds: "FMT-LEN short_name",
			apply: func(c *kctx, e any) []want {
				return raw(c, "short_name", longer(portOf(e).name, 50, "（"+portOf(e).port+"港区装卸作业公司）"), "FMT-LEN")
			}},
		{ds: d, name: "信用代码登记机关在外省", finds: "REL-22(warning) uscc",
			prep: func(g *generator, e any, r *rng) {
				p := portOf(e)
				p.uscc = makeUSCC(r, "91", g.otherPlace(r, p.pl.province).code)
			},
			apply: func(c *kctx, e any) []want { return []want{find("uscc", "REL-22")} }},
		{ds: d, name: "注册地不在报送省份", finds: "REL-20 reg_region_code; REL-22 uscc", sub: "province",
			apply: func(c *kctx, e any) []want {
				c.rec.set("reg_region_code", c.g.otherPlace(c.r, portOf(e).pl.province).code)
				return []want{find("reg_region_code", "REL-20"), find("uscc", "REL-22")}
			}},
		{ds: d, name: "注册地不在航务管理局辖区", finds: "REL-21 reg_region_code; REL-22 uscc", sub: "river",
			apply: func(c *kctx, e any) []want {
				c.rec.set("reg_region_code", c.g.otherPlace(c.r, portOf(e).pl.province).code)
				return []want{find("reg_region_code", "REL-21"), find("uscc", "REL-22")}
			}},
		{ds: d, name: "是否从事危货作业写成文字", finds: "FMT-BOOL dg_operation (an enterprise without annexes)",
			ok:    func(g *generator, e any) bool { return portOf(e).annexes == 0 },
			apply: func(c *kctx, e any) []want { return raw(c, "dg_operation", "从事", "FMT-BOOL") }},
		{ds: d, name: "整行重复", finds: "UNIQUE uscc (on the copy)",
			apply: func(c *kctx, e any) []want {
				c.insert(c.rec.clone(), find("uscc", "UNIQUE"))
				return nil
			}},
		{ds: d, name: "经济类型写成文字", finds: "CODE economic_type",
			apply: func(c *kctx, e any) []want { return raw(c, "economic_type", "国企", "CODE") }},
	}
}

// otherAbbr returns the abbreviation of a province other than p's.
func (g *generator) otherAbbr(r *rng, prov string) string {
	return g.reg.abbr(g.reg.other(r, prov))
}

func portLicKinds() []*kind {
	d := dsPortLic
	noAnnex := func(g *generator, e any) bool { return portOf(e).annexes == 0 }
	cancelled := func(g *generator, e any) bool { return portOf(e).status != "1" }
	return []*kind{
		{ds: d, name: "主要设施设备为空", finds: "REQ main_facilities",
			apply: func(c *kctx, e any) []want { return blank(c, "main_facilities", "REQ") }},
		{ds: d, name: "证书编号缺括号", finds: "FMT-PATTERN license_no (a licence without annexes)", ok: noAnnex,
			apply: func(c *kctx, e any) []want {
				no := strings.NewReplacer("（", "", "）", "").Replace(portOf(e).licNo)
				return raw(c, "license_no", no, "FMT-PATTERN")
			}},
		{ds: d, name: "港口经营人不在 D07", finds: "REL-18 holder_uscc (a licence without annexes)", ok: noAnnex,
			apply: func(c *kctx, e any) []want {
				p := portOf(e)
				return raw(c, "holder_uscc", makeUSCC(c.r, "91", p.pl.code), "REL-18")
			}},
		{ds: d, name: "证书编号省份简称与发证机关不符", finds: "REL-19 license_no (a licence without annexes)", ok: noAnnex,
			apply: func(c *kctx, e any) []want {
				p := portOf(e)
				abbr := c.g.reg.abbr(p.pl.province)
				no := strings.Replace(p.licNo, "（"+abbr, "（"+c.g.otherAbbr(c.r, p.pl.province), 1)
				return raw(c, "license_no", no, "REL-19")
			}},
		{ds: d, name: "有效期超过规定年限", finds: "DAT-04 valid_to",
			apply: func(c *kctx, e any) []want {
				p := portOf(e)
				limit := p.issue.addYears(yearsFor(p.issue, ymd(2020, 1, 1)))
				if p.trial {
					limit = p.issue.addMonths(6)
				}
				c.rec.date("valid_to", max(limit, p.to)+day(c.r.between(30, 200)))
				return []want{find("valid_to", "DAT-04")}
			}},
		{ds: d, name: "已过期仍为存续", finds: "DAT-02(warning) status (a licence without annexes)",
			ok: func(g *generator, e any) bool {
				p := portOf(e)
				return noAnnex(g, e) && p.status == "1" && g.asOf-p.issue >= 2
			},
			apply: func(c *kctx, e any) []want {
				c.rec.date("valid_to", c.r.day(portOf(e).issue, c.g.asOf-1))
				return []want{find("status", "DAT-02")}
			}},
		{ds: d, name: "注销日期早于发证日期", finds: "DAT-03 cancel_date", ok: cancelled,
			apply: func(c *kctx, e any) []want {
				c.rec.date("cancel_date", portOf(e).issue-day(c.r.between(1, 300)))
				return []want{find("cancel_date", "DAT-03")}
			}},
		{ds: d, name: "注销原因为空", finds: "REQ-COND cancel_reason", ok: cancelled,
			apply: func(c *kctx, e any) []want { return blank(c, "cancel_reason", "REQ-COND") }},
		{ds: d, name: "经营项目子项缺所属项目", finds: "CODE business_items (a licence without annexes)", ok: noAnnex,
			apply: func(c *kctx, e any) []want { return raw(c, "business_items", "3001|3002", "CODE") }},
		{ds: d, name: "泊位数带单位", finds: "FMT-INT berth_count",
			apply: func(c *kctx, e any) []want {
				return raw(c, "berth_count", fmt.Sprintf("%d个", portOf(e).berths), "FMT-INT")
			}},
		{ds: d, name: "编号数字部分含字母 O", finds: "FMT-PATTERN license_serial",
			apply: func(c *kctx, e any) []want {
				return raw(c, "license_serial", "O"+portOf(e).serial[1:], "FMT-PATTERN")
			}},
		{ds: d, name: "是否试运行写成文字", finds: "FMT-BOOL is_trial",
			apply: func(c *kctx, e any) []want { return raw(c, "is_trial", "正式", "FMT-BOOL") }},
		{ds: d, name: "发证机关不在报送省份", finds: "REL-20 issuing_region_code; REL-19 license_no", sub: "province",
			apply: func(c *kctx, e any) []want { return foreignIssuer(c, portOf(e), "REL-20") }},
		{ds: d, name: "发证机关不在航务管理局辖区", finds: "REL-21 issuing_region_code; REL-19 license_no", sub: "river",
			apply: func(c *kctx, e any) []want { return foreignIssuer(c, portOf(e), "REL-21") }},
		{ds: d, name: "整行重复", finds: "UNIQUE license_no (on the copy)",
			apply: func(c *kctx, e any) []want {
				c.insert(c.rec.clone(), find("license_no", "UNIQUE"))
				return nil
			}},
	}
}

// foreignIssuer moves the issuing authority to another province: out of the
// submitter's area, and no longer matching the licence number's abbreviation.
func foreignIssuer(c *kctx, p *portCo, rule string) []want {
	c.rec.set("issuing_region_code", c.g.reg.other(c.r, p.pl.province))
	return []want{find("issuing_region_code", rule), find("license_no", "REL-19")}
}

func annexOf(e any) *annexRow { return e.(*annexRow) }

func annexKinds() []*kind {
	d := dsAnnex
	return []*kind{
		{ds: d, name: "危险货物品名为空", finds: "REQ dg_names",
			apply: func(c *kctx, e any) []want { return blank(c, "dg_names", "REQ") }},
		{ds: d, name: "联合国编号含字母 O", finds: "FMT-PATTERN un_numbers",
			apply: func(c *kctx, e any) []want {
				a := annexOf(e).a
				un := strings.Join(a.uns, ";")
				return raw(c, "un_numbers", un[:len(un)-2]+"O"+un[len(un)-1:], "FMT-PATTERN")
			}},
		{ds: d, name: "危险货物类别不存在", finds: "CODE dg_classes",
			apply: func(c *kctx, e any) []want { return raw(c, "dg_classes", "3|10", "CODE") }},
		{ds: d, name: "作业方式写成文字", finds: "CODE operation_modes",
			apply: func(c *kctx, e any) []want { return raw(c, "operation_modes", "装船|LOAD", "CODE") }},
		{ds: d, name: "所属许可证不存在", finds: "REL-15 port_license_no",
			apply: func(c *kctx, e any) []want {
				p := annexOf(e).p
				city := []rune(p.pl.short)[0]
				other := "甲"
				if city == '甲' {
					other = "乙"
				}
				no := strings.Replace(p.licNo, string(city)+"）", other+"）", 1)
				return raw(c, "port_license_no", no, "REL-15")
			}},
		{ds: d, name: "港口经营人与许可证不一致", finds: "REL-15 holder_uscc",
			apply: func(c *kctx, e any) []want {
				return raw(c, "holder_uscc", makeUSCC(c.r, "91", annexOf(e).p.pl.code), "REL-15")
			}},
		{ds: d, name: "附证有效期超过许可证", finds: "REL-16 valid_to",
			apply: func(c *kctx, e any) []want {
				c.rec.date("valid_to", annexOf(e).p.to+day(2*365+c.r.between(1, 200)))
				return []want{find("valid_to", "REL-16")}
			}},
		{ds: d, name: "发证日期晚于今天", finds: "DAT-01 issue_date",
			ok: func(g *generator, e any) bool { return annexOf(e).a.to >= g.asOf+5 },
			apply: func(c *kctx, e any) []want {
				a := annexOf(e).a
				c.rec.date("issue_date", c.g.asOf+day(c.r.between(1, min(30, int(a.to-c.g.asOf)-1))))
				return []want{find("issue_date", "DAT-01")}
			}},
		{ds: d, name: "已过期仍为存续", finds: "DAT-02(warning) status",
			ok: func(g *generator, e any) bool { return g.asOf-annexOf(e).a.issue >= 2 },
			apply: func(c *kctx, e any) []want {
				c.rec.date("valid_to", c.r.day(annexOf(e).a.issue, c.g.asOf-1))
				return []want{find("status", "DAT-02")}
			}},
		{ds: d, name: "整行重复", finds: "UNIQUE annex_no (on the copy)",
			apply: func(c *kctx, e any) []want {
				c.insert(c.rec.clone(), find("annex_no", "UNIQUE"))
				return nil
			}},
		{ds: d, name: "许可证经营项目不含装卸仓储", finds: "REL-17 port_license_no (the licence's items changed; its only annex)",
			ok: func(g *generator, e any) bool { return annexOf(e).p.annexes == 1 },
			prep: func(g *generator, e any, r *rng) {
				p := portOf(e)
				p.items = pick(r, [][]string{{"2000", "2001"}, {"4000"}, {"6000", "6001", "6002"}})
				p.itemsText = itemsText(g, p.items)
			},
			apply: func(c *kctx, e any) []want { return []want{find("port_license_no", "REL-17")} }},
		{ds: d, name: "港口企业未标注危货作业", finds: "REL-17(dg_operation, warning) holder_uscc (D07.dg_operation 0; its only annex)",
			ok: func(g *generator, e any) bool { return annexOf(e).p.annexes == 1 },
			prep: func(g *generator, e any, r *rng) {
				p := portOf(e)
				p.dg = false
				p.mainType = mainBusiness(p)
			},
			apply: func(c *kctx, e any) []want {
				return []want{{field: "holder_uscc", rule: "REL-17", part: "dg_operation", needs: []string{dsPortLic, dsPortOp}}}
			}},
		{ds: d, name: "作业能力带单位", finds: "FMT-DEC capacity",
			apply: func(c *kctx, e any) []want {
				return raw(c, "capacity", formatScaled(annexOf(e).a.capacity, 3)+"吨", "FMT-DEC")
			}},
	}
}

func projOf(e any) *project { return e.(*project) }

func projectKinds() []*kind {
	d := dsProject
	hasCode := func(g *generator, e any) bool { return projOf(e).code != "" }
	return []*kind{
		{ds: d, name: "建设规模为空", finds: "REQ scale",
			apply: func(c *kctx, e any) []want { return blank(c, "scale", "REQ") }},
		{ds: d, name: "开工阶段无开工日期", finds: "REQ-COND start_date",
			ok:    func(g *generator, e any) bool { return projOf(e).hasDate(3) && projOf(e).stage != "08" },
			apply: func(c *kctx, e any) []want { return blank(c, "start_date", "REQ-COND") }},
		{ds: d, name: "2017 年后开工无项目代码", finds: "REQ-COND project_code",
			ok: func(g *generator, e any) bool {
				p := projOf(e)
				return p.code != "" && p.hasDate(3) && p.dates[3] >= ymd(2017, 1, 1)
			},
			apply: func(c *kctx, e any) []want { return blank(c, "project_code", "REQ-COND") }},
		{ds: d, name: "项目代码缺连字符", finds: "FMT-PATTERN project_code", ok: hasCode,
			apply: func(c *kctx, e any) []want {
				return raw(c, "project_code", strings.ReplaceAll(projOf(e).code, "-", ""), "FMT-PATTERN")
			}},
		{ds: d, name: "建设单位信用代码校验位错", finds: "ID-USCC owner_uscc",
			apply: func(c *kctx, e any) []want { return raw(c, "owner_uscc", wrongUSCC(projOf(e).ownerUSCC), "ID-USCC") }},
		{ds: d, name: "开工日期早于施工图批复", finds: "DAT-08 start_date",
			ok: func(g *generator, e any) bool { return projOf(e).hasDate(3) },
			apply: func(c *kctx, e any) []want {
				c.rec.date("start_date", projOf(e).dates[2]-day(c.r.between(1, 60)))
				return []want{find("start_date", "DAT-08")}
			}},
		{ds: d, name: "累计完成投资超过总投资 1.2 倍", finds: "DAT-08(investment, warning) completed_investment",
			apply: func(c *kctx, e any) []want {
				c.rec.num("completed_investment", projOf(e).total*13/10, 4)
				return []want{findPart("completed_investment", "DAT-08", "investment")}
			}},
		{ds: d, name: "项目代码区划在外省", finds: "REL-25(project_code, warning) project_code", ok: hasCode,
			apply: func(c *kctx, e any) []want {
				p := projOf(e)
				c.rec.set("project_code", p.code[:5]+c.g.reg.other(c.r, p.pl.province)+p.code[11:])
				return []want{findPart("project_code", "REL-25", "project_code")}
			}},
		{ds: d, name: "建设地点不在报送省份", finds: "REL-25(region) region_code", sub: "province",
			apply: func(c *kctx, e any) []want { return foreignSite(c, projOf(e), "REL-25") }},
		{ds: d, name: "建设地点不在航务管理局辖区", finds: "REL-21 region_code", sub: "river",
			apply: func(c *kctx, e any) []want { return foreignSite(c, projOf(e), "REL-21") }},
		{ds: d, name: "项目阶段写成文字", finds: "CODE stage",
			apply: func(c *kctx, e any) []want { return raw(c, "stage", "施工", "CODE") }},
		{ds: d, name: "总投资为 0", finds: "FMT-RANGE total_investment",
			apply: func(c *kctx, e any) []want { return raw(c, "total_investment", "0", "FMT-RANGE") }},
	}
}

// foreignSite moves a project to another province (out of the submitter's area), its
// project code's region with it so that only the site is reported.
func foreignSite(c *kctx, p *project, rule string) []want {
	pl := c.g.otherPlace(c.r, p.pl.province)
	c.rec.set("region_code", pl.code)
	if p.code != "" {
		c.rec.set("project_code", p.code[:5]+pl.province+p.code[11:])
	}
	if rule == "REL-25" {
		return []want{findPart("region_code", "REL-25", "region")}
	}
	return []want{find("region_code", rule)}
}
