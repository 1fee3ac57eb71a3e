package gen

import (
	"fmt"
	"slices"
	"strings"
)

// The fill functions write an entity's clean row. Defects and quirks change the row
// afterwards.

func joinCodes(codes []string) string { return strings.Join(codes, "|") }

func boolText(b bool) string {
	if b {
		return "1"
	}
	return "0"
}

func (g *generator) fillOperator(op *operator, rec *record) {
	rec.set("operator_name", op.name)
	rec.set("uscc", op.uscc)
	if op.indiv {
		rec.set("id_type", "1")
		rec.set("id_no", op.idNo)
	}
	rec.set("legal_rep", op.legalRep)
	rec.set("economic_type", op.econ)
	rec.set("enterprise_type", op.entType)
	rec.set("reg_region_code", op.pl.code)
	rec.set("address", op.address)
	rec.set("postcode", op.postcode)
	rec.set("contact_phone", op.phone)
	if op.capital > 0 {
		rec.num("registered_capital", op.capital, 4)
	}
	rec.set("is_individual", boolText(op.indiv))
	rec.num("own_fleet_count", int64(op.fleetN), 0)
	status := "1"
	if op.lic.status == "4" && strings.Contains(op.lic.reason, "解散") {
		status = "4"
	}
	rec.set("status", status)
}

func (g *generator) fillLicence(op *operator, rec *record) {
	l := &op.lic
	rec.set("license_no", l.no)
	rec.set("operator_uscc", op.usccOrID())
	rec.set("operator_name", op.name)
	rec.set("operator_address", op.address)
	rec.set("legal_rep", op.legalRep)
	rec.set("economic_type", op.econ)
	rec.set("area_type", op.area)
	rec.set("operating_area", op.opArea)
	var cargo, pax []string
	for _, c := range op.scopes {
		if c[0] == '3' {
			pax = append(pax, c)
		} else {
			cargo = append(cargo, c)
		}
	}
	rec.set("cargo_scope", joinCodes(cargo))
	rec.set("passenger_scope", joinCodes(pax))
	if op.i%4 == 0 {
		rec.set("operation_mode", pick(newRNG(g.seed, hMisc, uint64(op.i)), []string{"自营", "自营", "委托船舶管理公司管理"}))
	}
	if op.capital > 0 {
		rec.num("registered_capital", op.capital, 4)
	}
	if op.i%3 == 0 {
		rec.set("approval_doc", fmt.Sprintf("%s %s交运许〔%d〕%d号", l.authority, g.reg.abbr(op.pl.province), l.issue.year(), op.i%997+1))
	}
	rec.set("issuing_authority", l.authority)
	rec.set("issuing_authority_region", l.authRegion)
	rec.date("issue_date", l.issue)
	rec.date("valid_from", l.from)
	rec.date("valid_to", l.to)
	rec.set("status", l.status)
	if l.cancelled() {
		rec.date("cancel_date", l.cancel)
		rec.set("cancel_reason", l.reason)
	}
}

func (op *operator) usccOrID() string {
	if op.indiv {
		return op.idNo
	}
	return op.uscc
}

func (g *generator) fillVessel(s *ship, rec *record) {
	rec.set("cert_no", s.certNo)
	rec.set("ship_name_cn", s.nameCN)
	rec.set("former_name", s.former)
	rec.set("ship_id", s.id)
	rec.set("ship_reg_no", s.regNo)
	rec.set("survey_reg_no", s.surveyRegNo)
	rec.set("mmsi", s.mmsi)
	rec.set("imo_no", s.imo)
	rec.set("port_of_registry", s.port.name)
	rec.set("operator_name", s.op.name)
	rec.set("operator_license_no", s.op.lic.no)
	rec.set("owner_name", s.owner)
	if s.mgr != nil {
		rec.set("manager_name", s.mgr.op.name)
		rec.set("manager_license_no", s.mgr.no)
	}
	rec.set("ship_type", s.class.code)
	rec.set("ship_type_code", s.typeCode)
	rec.set("hull_material", s.hull)
	rec.date("build_date", s.build)
	if s.rebuild != 0 {
		rec.date("rebuild_date", s.rebuild)
	}
	rec.num("gross_tonnage", s.gt, 3)
	rec.num("net_tonnage", s.nt, 3)
	if s.dwt > 0 {
		rec.num("dwt", s.dwt, 3)
	}
	if s.pax > 0 {
		rec.num("passenger_capacity", int64(s.pax), 0)
	}
	if s.teu > 0 {
		rec.num("teu", int64(s.teu), 0)
	}
	if s.vehicles > 0 {
		rec.num("vehicle_slots", int64(s.vehicles), 0)
	}
	if s.cubic > 0 {
		rec.num("cubic_meters", s.cubic, 3)
	}
	if s.engines > 0 {
		rec.num("engine_count", int64(s.engines), 0)
		rec.num("engine_kw", s.kw, 2)
	}
	rec.set("licensed_scope", joinCodes(s.licScope))
	rec.set("ship_scope", joinCodes(s.shipScope))
	rec.set("own_ship", boolText(s.owner == s.op.name))
	rec.set("issuing_authority", s.authority)
	rec.date("issue_date", s.issue)
	rec.date("valid_to", s.to)
	rec.set("status", s.status)
	if s.status != "1" {
		rec.date("cancel_date", s.cancel)
		rec.set("cancel_reason", s.reason)
	}
}

func (g *generator) fillMSA(s *ship, rec *record) {
	rec.set("ship_id", s.id)
	rec.set("ship_reg_no", s.regNo)
	rec.set("first_reg_no", s.firstRegNo)
	rec.set("ship_name_cn", s.nameCN)
	rec.set("ship_name_en", s.nameEN)
	rec.set("mmsi", s.mmsi)
	rec.set("imo_no", s.imo)
	rec.set("call_sign", s.callSign)
	rec.set("sea_or_inland", boolText(s.sea))
	rec.set("ship_type_code", s.typeCode)
	rec.num("gross_tonnage", s.gt, 3)
	rec.num("net_tonnage", s.nt, 3)
	if s.dwt > 0 {
		rec.num("dwt", s.dwt, 3)
	}
	rec.num("length", s.length, 2)
	rec.num("breadth", s.breadth, 2)
	rec.num("depth", s.depth, 2)
	rec.set("nav_area_code", s.navCode)
	rec.set("nav_area_text", s.navText)
	rec.date("keel_laid_date", s.keel)
	rec.date("build_date", s.build)
	if s.rebuild != 0 {
		rec.date("rebuild_date", s.rebuild)
	}
	rec.set("owner", s.owner)
	rec.set("operator", s.op.name)
	if s.mgr != nil {
		rec.set("manager", s.mgr.op.name)
	}
	rec.set("reg_office_code", s.regOffice)
	rec.set("deregistered", "0")
}

func (g *generator) fillSurvey(s *ship, k int, rec *record) {
	v := &s.surveys[k]
	rec.set("ship_id", s.id)
	rec.set("survey_reg_no", s.surveyRegNo)
	rec.set("survey_org_code", v.orgCode)
	rec.set("cert_type", v.certType)
	rec.set("cert_no", v.certNo)
	rec.date("issue_date", v.issue)
	rec.date("valid_to", v.to)
	rec.date("next_survey_date", v.next)
	rec.set("nav_area_code", s.navCode)
	if s.pax > 0 {
		rec.num("passenger_limit", int64(s.pax), 0)
	}
	if s.dwt > 0 {
		rec.num("cargo_limit", s.dwt, 3)
	}
}

func (g *generator) fillMgmt(m *mgmt, rec *record) {
	op := m.op
	rec.set("license_no", m.no)
	rec.set("uscc", op.uscc)
	rec.set("company_name", op.name)
	rec.set("region_code", op.pl.code)
	rec.set("reg_address", op.address)
	rec.set("office_address", op.address)
	rec.set("legal_rep", op.legalRep)
	rec.set("scope", joinCodes(m.scope))
	rec.set("managed_ship_types", joinCodes(m.types))
	rec.set("issuing_authority", m.authority)
	rec.date("issue_date", m.issue)
	rec.date("valid_from", m.from)
	rec.date("valid_to", m.to)
	rec.set("status", m.status)
	if m.status != "1" {
		rec.date("cancel_date", m.cancel)
		rec.set("cancel_reason", m.reason)
	}
}

func (g *generator) fillFiling(f *filing, rec *record) {
	op := f.op
	rec.set("filing_no", f.no)
	rec.set("business_kind", f.kind)
	rec.set("filing_type", f.typ)
	rec.set("uscc", op.uscc)
	rec.set("name", op.name)
	rec.set("legal_rep", op.legalRep)
	rec.set("handler", f.handler)
	rec.set("phone", op.phone)
	rec.set("postcode", op.postcode)
	rec.set("address", op.address)
	rec.set("change_content", f.change)
	rec.set("filing_authority", f.auth)
	rec.set("filing_authority_region", f.region)
	rec.date("filing_date", f.date)
	rec.date("business_reg_date", f.regDate)
	rec.set("status", f.status)
}

func (g *generator) fillIntl(x *intl, rec *record) {
	op := x.op
	rec.set("cert_no", x.no)
	rec.set("cert_type", x.certType)
	rec.set("business_kind", x.kind)
	rec.set("uscc", op.uscc)
	rec.set("company_name", op.name)
	rec.set("legal_rep", op.legalRep)
	rec.set("reg_address", op.address)
	rec.set("region_code", op.pl.code)
	rec.set("liner_routes", x.routes)
	rec.set("issuing_authority", x.auth)
	rec.date("issue_date", x.issue)
	if x.to != 0 {
		rec.date("valid_to", x.to)
	}
	rec.set("status", x.status)
}

func (g *generator) fillPortOp(p *portCo, rec *record) {
	rec.set("uscc", p.uscc)
	rec.set("company_name", p.name)
	rec.set("short_name", p.short)
	rec.set("legal_rep", p.legalRep)
	rec.set("reg_region_code", p.pl.code)
	rec.set("reg_address", p.address)
	rec.set("port_name", p.port)
	rec.set("port_area", p.area)
	rec.set("economic_type", p.econ)
	rec.num("registered_capital", p.capital, 4)
	rec.num("fixed_assets", p.assets, 4)
	rec.set("main_business_type", p.mainType)
	rec.set("dg_operation", boolText(p.dg))
	rec.set("contact_name", p.contact)
	rec.set("contact_phone", p.phone)
	rec.set("contact_email", p.email)
	rec.set("status", "1")
}

func (g *generator) fillPortLic(p *portCo, rec *record) {
	rec.set("license_no", p.licNo)
	rec.set("license_serial", p.serial)
	rec.set("holder_uscc", p.uscc)
	rec.set("holder_name", p.name)
	rec.set("office_address", p.address)
	rec.set("legal_rep", p.legalRep)
	rec.set("business_items", joinCodes(p.items))
	rec.set("business_text", p.itemsText)
	rec.set("operating_area", p.opArea)
	rec.set("main_facilities", p.facility)
	rec.num("berth_count", int64(p.berths), 0)
	rec.set("is_trial", boolText(p.trial))
	rec.set("issuing_authority", p.authority)
	rec.set("issuing_region_code", p.authReg)
	rec.date("issue_date", p.issue)
	rec.date("valid_to", p.to)
	rec.set("status", p.status)
	if p.status != "1" {
		rec.date("cancel_date", p.cancel)
		rec.set("cancel_reason", p.reason)
	}
}

func (g *generator) fillAnnex(p *portCo, a *annex, rec *record) {
	rec.set("annex_no", a.no)
	rec.set("port_license_no", p.licNo)
	rec.set("holder_uscc", p.uscc)
	rec.set("holder_name", p.name)
	rec.set("site_name", a.site)
	rec.set("site_location", a.location)
	rec.set("operation_modes", joinCodes(a.modes))
	rec.set("dg_names", strings.Join(a.names, ";"))
	rec.set("un_numbers", strings.Join(a.uns, ";"))
	classes := slices.Clone(a.classes)
	slices.Sort(classes)
	rec.set("dg_classes", joinCodes(classes))
	rec.num("capacity", a.capacity, 3)
	rec.date("issue_date", a.issue)
	rec.date("valid_to", a.to)
	rec.set("status", "1")
}

func (g *generator) fillProject(p *project, rec *record) {
	rec.set("project_code", p.code)
	rec.set("project_name", p.name)
	rec.set("project_type", p.typ)
	rec.set("investment_nature", p.nature)
	rec.set("owner_uscc", p.ownerUSCC)
	rec.set("owner_name", p.ownerName)
	rec.set("region_code", p.pl.code)
	rec.set("port_or_waterway", p.water)
	rec.set("scale", p.scale)
	rec.num("total_investment", p.total, 4)
	if p.done >= 0 {
		rec.num("completed_investment", p.done, 4)
	}
	rec.set("fs_approval_no", p.fsNo)
	rec.set("pd_approval_no", p.pdNo)
	for k, f := range projectDateFields {
		if p.hasDate(k) {
			rec.date(f, p.dates[k])
		}
	}
	rec.date("planned_end_date", p.planned)
	rec.set("stage", p.stage)
	rec.set("supervisor_name", p.super)
	rec.set("contractor_name", p.builder)
}

var projectDateFields = []string{"fs_approval_date", "pd_approval_date", "cd_approval_date", "start_date", "handover_date", "completion_date"}
