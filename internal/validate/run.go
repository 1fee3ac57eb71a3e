package validate

import (
	"fmt"

	"shuiyun/internal/table"
)

// tableRun is one table being checked: its dataset plan, column mapping and results.
type tableRun struct {
	c        *checker
	b        *batch
	tbl      *table.Table
	plan     *plan
	file     *File
	rowRules []rowRule
	fromRef  bool
	skip     bool  // no dataset: reported, not read
	id       int32 // index in batch.runs
	arg      int   // position among the command's files
	sheet    int

	colField  []int  // column → field index, -1 for none
	fieldCol  []int  // field → column, -1 when absent
	opCol     int    // the op_type column, -1 when absent
	isKey     []bool // fields of Key or AltKey
	missing   []bool // mandatory fields without a column
	rejectAll bool   // a mandatory column is missing: no row can be accepted

	f           fieldIdx
	nameField   int    // REL-23: the name field, -1 if the dataset takes no part
	usccField   int    // REL-23: the USCC field
	itemsNeeded uint64 // REL-17: C03 codes 1000 and 3000

	has               present // referenced datasets in the batch (lookup)
	rows              int
	tally             tally
	dupRows           map[int]bool // rows that failed UNIQUE
	uniqueOn, rel12On bool
}

// fieldIdx holds the positions of the fields that batch rules read (-1 if absent).
type fieldIdx struct {
	status, validFrom, validTo, cancelDate, issueDate                       int
	licenseNo, operatorName, operatorLicenseNo, cargoScope, passengerScope  int
	licensedScope, shipID, shipRegNo, shipName, mmsi, imo, owner, ownerName int
	dereg, gt, holderUSCC, items, uscc, dg, managerLicenseNo, portLicenseNo int
}

// rel23Fields names the (USCC, name) fields of the datasets REL-23 compares.
var rel23Fields = map[string][2]string{
	"shipping_operator": {"uscc", "operator_name"}, "waterway_transport_license": {"operator_uscc", "operator_name"},
	"ship_management_license": {"uscc", "company_name"}, "auxiliary_business_filing": {"uscc", "name"},
	"international_shipping_record": {"uscc", "company_name"}, "port_operator": {"uscc", "company_name"},
}

func (t *tableRun) init() {
	p := t.plan
	t.rowRules = t.c.rowRules(p)
	t.isKey = make([]bool, len(p.ds.Fields))
	for _, i := range append(append([]int(nil), p.key...), p.altKey...) {
		t.isKey[i] = true
	}
	ix := p.fieldsOf("status", "valid_from", "valid_to", "cancel_date", "issue_date",
		"license_no", "operator_name", "operator_license_no", "cargo_scope", "passenger_scope",
		"licensed_scope", "ship_id", "ship_reg_no", "ship_name_cn", "mmsi", "imo_no", "owner", "owner_name",
		"deregistered", "gross_tonnage", "holder_uscc", "business_items", "uscc", "dg_operation", "manager_license_no", "port_license_no")
	t.f = fieldIdx{ix[0], ix[1], ix[2], ix[3], ix[4], ix[5], ix[6], ix[7], ix[8], ix[9], ix[10], ix[11], ix[12],
		ix[13], ix[14], ix[15], ix[16], ix[17], ix[18], ix[19], ix[20], ix[21], ix[22], ix[23], ix[24], ix[25]}
	t.nameField, t.usccField = -1, -1
	if pair, found := rel23Fields[p.ds.Name]; found {
		idx := p.fieldsOf(pair[0], pair[1])
		t.usccField, t.nameField = idx[0], idx[1]
	}
	if t.f.items >= 0 {
		t.itemsNeeded = maskOf(p.fields[t.f.items], "1000", "3000")
	}
	t.dupRows = map[int]bool{}
}

func (t *tableRun) newWorker(first bool) *worker {
	n := len(t.plan.ds.Fields)
	return &worker{c: t.c, t: t, first: first,
		vals: make([]value, n), fails: make([]*fail, n), idx: newIndexes()}
}

func (t *tableRun) name() string {
	if t.tbl.Sheet != "" {
		return fmt.Sprintf("%s 工作表 %s", t.tbl.Path, t.tbl.Sheet)
	}
	return t.tbl.Path
}

// prepareKeys reads which of UNIQUE and REL-12 are switched on, and which
// referenced datasets the lookups can use; every table is bound by now.
func (t *tableRun) prepareKeys() {
	t.has = t.b.present()
	t.uniqueOn, t.rel12On = t.c.std.Rule("UNIQUE").On(), t.c.std.Rule("REL-12").On()
}

// resolveNames is REL-23: the first name seen for a USCC is the reference.
func (c *checker) resolveNames(b *batch) {
	if !c.std.Rule("REL-23").On() {
		return
	}
	names := b.names
	sortStable(names, func(a, b nameEntry) bool {
		if a.t.plan.rank != b.t.plan.rank {
			return a.t.plan.rank < b.t.plan.rank
		}
		if a.t.arg != b.t.arg {
			return a.t.arg < b.t.arg
		}
		if a.t.sheet != b.t.sheet {
			return a.t.sheet < b.t.sheet
		}
		return a.row < b.row
	})
	first := map[string]nameEntry{}
	for _, n := range names {
		if n.t.dupRows[n.row] {
			continue
		}
		ref, found := first[n.uscc]
		if !found {
			first[n.uscc] = n
			continue
		}
		if ref.name != n.name {
			w := &worker{c: c, t: n.t}
			f := n.t.plan.ds.Fields[n.field]
			w.add(n.row, f.Name, "REL-23", "", "", n.raw, fmt.Sprintf("同一信用代码 %s 的名称与 %s 第 %d 行的“%s”不一致", n.uscc, ref.t.name(), ref.row, ref.raw))
			n.t.file.Findings = append(n.t.file.Findings, w.findings...)
		}
	}
}
