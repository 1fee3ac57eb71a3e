package validate

import (
	"fmt"
	"math"
	"strings"

	"shuiyun/internal/standard"
)

const noDay = math.MinInt32

func dayOrNone(v []value, i int) int32 {
	if has(v, i) {
		return v[i].day
	}
	return noDay
}

func textOrNone(v []value, i int) string {
	if has(v, i) {
		return strings.Clone(v[i].s)
	}
	return ""
}

// Entries of the referenced datasets, holding only what the REL rules compare.
type (
	licEntry struct { // D02 waterway_transport_license
		status                     string
		validFrom, validTo, cancel int32
		name                       string
		scope                      uint64
		scopeKnown                 bool
	}
	mgrEntry struct { // D04 ship_management_license
		status  string
		validTo int32
	}
	msaEntry struct { // D11 msa_vessel_registration
		regNo, name, mmsi, imo, owner, dereg string
		gt                                   float64
		gtKnown                              bool
	}
	portLicEntry struct { // D08 port_operation_license
		holder, status string
		validTo        int32
		items          uint64
		itemsKnown     bool
		itemsOK        bool
	}
)

// indexes holds the referenced records of the batch and --ref data, by business key.
type indexes struct {
	lic     map[string]*ref[licEntry]
	mgr     map[string]*ref[mgrEntry]
	msa     map[string]*ref[msaEntry]
	survey  map[string]*ref[bool] // ship_id → holds a certificate valid today
	portLic map[string]*ref[portLicEntry]
	portOp  map[string]*ref[string] // D07 uscc → dg_operation ("1"/"0"/"" unknown)
}

// ref is an index entry; batch entries win over --ref entries, the first batch entry over later ones.
type ref[T any] struct {
	v       T
	fromRef bool
}

func newIndexes() *indexes {
	return &indexes{lic: map[string]*ref[licEntry]{}, mgr: map[string]*ref[mgrEntry]{}, msa: map[string]*ref[msaEntry]{},
		survey: map[string]*ref[bool]{}, portLic: map[string]*ref[portLicEntry]{}, portOp: map[string]*ref[string]{}}
}

func put[T any](m map[string]*ref[T], key string, v T, fromRef bool) {
	if cur, found := m[key]; found && (!cur.fromRef || fromRef) {
		return
	}
	m[key] = &ref[T]{v: v, fromRef: fromRef}
}

func mergeInto[T any](dst, src map[string]*ref[T]) {
	for k, e := range src {
		put(dst, k, e.v, e.fromRef)
	}
}

func (x *indexes) merge(o *indexes) {
	mergeInto(x.lic, o.lic)
	mergeInto(x.mgr, o.mgr)
	mergeInto(x.msa, o.msa)
	mergeInto(x.portLic, o.portLic)
	mergeInto(x.portOp, o.portOp)
	for k, e := range o.survey { // any valid certificate counts
		if cur, found := x.survey[k]; !found || (e.v && !cur.v) {
			x.survey[k] = e
		}
	}
}

// collect adds the current row to the batch state: its key, its name (REL-23),
// the index of a referenced dataset, and runs the lookups of a referencing one.
func (w *worker) collect() {
	t, v := w.t, w.vals
	if !t.fromRef {
		w.addKey(w.row.Num, t.keyOf(v), t.activeShip(v, w.op))
		if t.nameField >= 0 && has(v, t.usccField) && has(v, t.nameField) {
			w.names = append(w.names, nameEntry{t: t, row: w.row.Num, field: t.nameField,
				uscc: strings.Clone(v[t.usccField].s), name: strings.Clone(nameKey(v[t.nameField].s)), raw: strings.Clone(v[t.nameField].raw)})
		}
	}
	if w.op != 'D' {
		t.contribute(w.idx, v)
		if !t.fromRef {
			t.lookup(w, v)
		}
	}
}

// keyOf returns the business key of a row (Key, else AltKey when every Key field
// is null), or "" when a key field is null or failed.
func (t *tableRun) keyOf(v []value) string {
	key := t.plan.key
	allNull := true
	for _, i := range key {
		if v[i].state != null {
			allNull = false
		}
	}
	if allNull && len(t.plan.altKey) > 0 {
		key = t.plan.altKey
	}
	if len(key) == 1 {
		if !v[key[0]].known() {
			return ""
		}
		return v[key[0]].s
	}
	var b strings.Builder
	for n, i := range key {
		if !v[i].known() {
			return ""
		}
		if n > 0 {
			b.WriteString(standard.KeySep)
		}
		b.WriteString(v[i].s)
	}
	return b.String()
}

// activeShip returns the ship id of a 存续 vessel certificate, for REL-12.
func (t *tableRun) activeShip(v []value, op byte) string {
	if t.plan.ds.Name != "vessel_operating_certificate" || op == 'D' {
		return ""
	}
	f := &t.f // not a copy: fieldIdx is 26 ints, and copying it per row was about 1% of a 1M-row run's CPU
	if has(v, f.status) && v[f.status].s == "1" && has(v, f.shipID) {
		return v[f.shipID].s
	}
	return ""
}

// contribute records a row of a referenced dataset in the partition's index.
func (t *tableRun) contribute(x *indexes, v []value) {
	f := &t.f
	switch t.plan.ds.Name {
	case "waterway_transport_license":
		if has(v, f.licenseNo) {
			e := licEntry{status: textOrNone(v, f.status), validFrom: dayOrNone(v, f.validFrom), validTo: dayOrNone(v, f.validTo),
				cancel: dayOrNone(v, f.cancelDate), name: nameKey(textOrNone(v, f.operatorName))}
			for _, i := range []int{f.cargoScope, f.passengerScope} {
				if has(v, i) {
					e.scope |= v[i].set
					e.scopeKnown = true
				}
			}
			put(x.lic, strings.Clone(v[f.licenseNo].s), e, t.fromRef)
		}
	case "ship_management_license":
		if has(v, f.licenseNo) {
			put(x.mgr, strings.Clone(v[f.licenseNo].s), mgrEntry{status: textOrNone(v, f.status), validTo: dayOrNone(v, f.validTo)}, t.fromRef)
		}
	case "msa_vessel_registration":
		if has(v, f.shipID) {
			e := msaEntry{regNo: textOrNone(v, f.shipRegNo), name: nameKey(textOrNone(v, f.shipName)), mmsi: textOrNone(v, f.mmsi),
				imo: textOrNone(v, f.imo), owner: nameKey(textOrNone(v, f.owner)), dereg: textOrNone(v, f.dereg),
				gtKnown: has(v, f.gt)}
			if e.gtKnown {
				e.gt = v[f.gt].num
			}
			put(x.msa, strings.Clone(v[f.shipID].s), e, t.fromRef)
		}
	case "vessel_survey":
		t.contributeSurvey(x, v)
	case "port_operation_license":
		if has(v, f.licenseNo) {
			e := portLicEntry{holder: textOrNone(v, f.holderUSCC), status: textOrNone(v, f.status), validTo: dayOrNone(v, f.validTo)}
			if e.itemsKnown = has(v, f.items); e.itemsKnown {
				e.items = v[f.items].set
				e.itemsOK = e.items&t.itemsNeeded != 0
			}
			put(x.portLic, strings.Clone(v[f.licenseNo].s), e, t.fromRef)
		}
	case "port_operator":
		if has(v, f.uscc) {
			put(x.portOp, strings.Clone(v[f.uscc].s), textOrNone(v, f.dg), t.fromRef)
		}
	}
}

func (t *tableRun) contributeSurvey(x *indexes, v []value) {
	f := &t.f
	if !has(v, f.shipID) {
		return
	}
	valid := has(v, f.validTo) && v[f.validTo].day >= t.c.today && (!has(v, f.issueDate) || v[f.issueDate].day <= t.c.today)
	key := v[f.shipID].s
	if cur, found := x.survey[key]; found {
		cur.v = cur.v || valid
		return
	}
	x.survey[strings.Clone(key)] = &ref[bool]{v: valid, fromRef: t.fromRef}
}

// present says which referenced datasets the batch or --ref holds: read per
// table, not looked up by name on every row (3% of a row's checks).
type present struct{ lic, mgr, msa, survey, portLic, portOp bool }

func (b *batch) present() present {
	return present{lic: b.have["waterway_transport_license"], mgr: b.have["ship_management_license"],
		msa: b.have["msa_vessel_registration"], survey: b.have["vessel_survey"],
		portLic: b.have["port_operation_license"], portOp: b.have["port_operator"]}
}

// lookup runs the rules that compare a row with the records it refers to.
func (t *tableRun) lookup(w *worker, v []value) {
	switch t.plan.ds.Name {
	case "vessel_operating_certificate":
		t.lookupLicense(w, v)
		t.lookupShip(w, v)
		t.lookupManager(w, v)
	case "port_dg_annex":
		t.lookupPortLicense(w, v)
	case "port_operation_license":
		f := &t.f
		if t.has.portOp && has(v, f.holderUSCC) {
			if _, found := t.b.idx.portOp[v[f.holderUSCC].s]; !found {
				w.emit(f.holderUSCC, "REL-18", "", fmt.Sprintf("港口经营人 %s 不在港口企业基本信息中", v[f.holderUSCC].s))
			}
		}
	}
}

func (t *tableRun) lookupLicense(w *worker, v []value) {
	f, c := &t.f, t.c
	if !t.has.lic || !has(v, f.operatorLicenseNo) {
		return
	}
	e, found := t.b.idx.lic[v[f.operatorLicenseNo].s]
	if !found {
		w.emit(f.operatorLicenseNo, "REL-01", "", fmt.Sprintf("经营许可证 %s 不存在", v[f.operatorLicenseNo].s))
		return
	}
	l := e.v
	if has(v, f.operatorName) && l.name != "" && nameKey(v[f.operatorName].s) != l.name {
		w.emit(f.operatorName, "REL-02", "", "船舶经营人与经营许可证上的经营者名称不一致")
	}
	if has(v, f.status) && v[f.status].s == "1" && l.status != "" {
		switch {
		case isCancelled(l.status) && l.cancel != noDay && c.today-l.cancel < int32(c.std.Settings.GraceDays):
			w.emit(f.status, "REL-24", "", fmt.Sprintf("经营许可证已于 %s 注销/撤销/吊销，本营运证应在 %d 日内注销", dayString(l.cancel), c.std.Settings.GraceDays))
		case l.status != "1":
			w.emit(f.operatorLicenseNo, "REL-03", "", "营运证为存续状态，但其经营许可证不是存续状态")
		case l.validTo != noDay && l.validTo < c.today:
			w.emit(f.operatorLicenseNo, "REL-03", "", fmt.Sprintf("营运证为存续状态，但其经营许可证已于 %s 到期", dayString(l.validTo)))
		}
	}
	if has(v, f.validTo) && l.validTo != noDay && v[f.validTo].day > l.validTo {
		w.emit(f.validTo, "REL-04", "", fmt.Sprintf("营运证有效期至 %s 晚于经营许可证有效期至 %s", v[f.validTo].s, dayString(l.validTo)))
	}
	if has(v, f.issueDate) && l.validFrom != noDay && v[f.issueDate].day < l.validFrom {
		w.emit(f.issueDate, "REL-05", "", fmt.Sprintf("发证日期 %s 早于经营许可证有效期起 %s", v[f.issueDate].s, dayString(l.validFrom)))
	}
	if has(v, f.licensedScope) && l.scopeKnown {
		if v[f.licensedScope].set&^l.scope != 0 {
			w.emit(f.licensedScope, "REL-06", "", "核定经营范围超出了经营许可证的经营范围")
		} else if v[f.licensedScope].set != l.scope {
			w.emit(f.licensedScope, "REL-07", "", "核定经营范围与经营许可证现行经营范围不一致")
		}
	}
}

func (t *tableRun) lookupShip(w *worker, v []value) {
	f, c := &t.f, t.c
	if !has(v, f.shipID) {
		return
	}
	ship := v[f.shipID].s
	if t.has.msa {
		e, found := t.b.idx.msa[ship]
		switch {
		case !found:
			w.emit(f.shipID, "REL-10", "", fmt.Sprintf("船舶识别号 %s 在海事船舶登记信息中不存在", ship))
		case e.v.dereg == "1":
			w.emit(f.shipID, "REL-10", "", fmt.Sprintf("船舶识别号 %s 在海事船舶登记信息中已注销", ship))
		default:
			t.compareMSA(w, v, &e.v)
		}
	}
	if t.has.survey && has(v, f.status) && v[f.status].s == "1" {
		if e, found := t.b.idx.survey[ship]; !found || !e.v {
			w.emit(f.shipID, "REL-14", "", fmt.Sprintf("船舶 %s 在 %s 没有有效的船舶检验证书", ship, c.asOfText))
		}
	}
}

// compareMSA is REL-11: the certificate agrees with the maritime registration.
func (t *tableRun) compareMSA(w *worker, v []value, m *msaEntry) {
	f := &t.f
	differs := func(i int, want string, key func(string) string) {
		if has(v, i) && want != "" && key(v[i].s) != want {
			w.emit(i, "REL-11", "", fmt.Sprintf("%s与海事船舶登记信息不一致（海事：%s）", t.plan.ds.Fields[i].Label, want))
		}
	}
	same := func(s string) string { return s }
	differs(f.shipRegNo, m.regNo, same)
	differs(f.shipName, m.name, nameKey)
	differs(f.mmsi, m.mmsi, same)
	differs(f.imo, m.imo, same)
	differs(f.ownerName, m.owner, nameKey)
	if has(v, f.gt) && m.gtKnown && m.gt > 0 && math.Abs(v[f.gt].num-m.gt) > t.c.std.Settings.TonnageTolerance*m.gt {
		w.emit(f.gt, "REL-11", "", fmt.Sprintf("总吨与海事船舶登记信息相差超过 %g%%（海事：%g）", t.c.std.Settings.TonnageTolerance*100, m.gt))
	}
}

func (t *tableRun) lookupManager(w *worker, v []value) {
	f, c := &t.f, t.c
	if !t.has.mgr || !has(v, f.managerLicenseNo) {
		return
	}
	no := v[f.managerLicenseNo].s
	e, found := t.b.idx.mgr[no]
	switch {
	case !found:
		w.emit(f.managerLicenseNo, "REL-13", "", fmt.Sprintf("船舶管理业务经营许可 %s 不存在", no))
	case e.v.status != "" && e.v.status != "1":
		w.emit(f.managerLicenseNo, "REL-13", "", fmt.Sprintf("船舶管理业务经营许可 %s 不是存续状态", no))
	case e.v.validTo != noDay && e.v.validTo < c.today:
		w.emit(f.managerLicenseNo, "REL-13", "", fmt.Sprintf("船舶管理业务经营许可 %s 已于 %s 到期", no, dayString(e.v.validTo)))
	}
}

func (t *tableRun) lookupPortLicense(w *worker, v []value) {
	f, c := &t.f, t.c
	if !t.has.portLic || !has(v, f.portLicenseNo) {
		return
	}
	no := v[f.portLicenseNo].s
	e, found := t.b.idx.portLic[no]
	if !found {
		w.emit(f.portLicenseNo, "REL-15", "", fmt.Sprintf("港口经营许可证 %s 不存在", no))
		return
	}
	l := e.v
	if has(v, f.holderUSCC) && l.holder != "" && v[f.holderUSCC].s != l.holder {
		w.emit(f.holderUSCC, "REL-15", "", fmt.Sprintf("港口经营人信用代码与许可证持证人 %s 不一致", l.holder))
	}
	if has(v, f.validTo) && l.validTo != noDay && v[f.validTo].day > l.validTo {
		w.emit(f.validTo, "REL-16", "", fmt.Sprintf("附证有效期至 %s 晚于港口经营许可证有效期至 %s", v[f.validTo].s, dayString(l.validTo)))
	}
	if has(v, f.status) && v[f.status].s == "1" && l.status != "" && (l.status != "1" || (l.validTo != noDay && l.validTo < c.today)) {
		w.emit(f.status, "REL-16", "", "附证为存续状态，但其港口经营许可证不是存续状态或已到期")
	}
	if l.itemsKnown && !l.itemsOK {
		w.emit(f.portLicenseNo, "REL-17", "", "港口经营许可证的经营项目不含码头设施服务（1000）或货物装卸仓储（3000），不应有危险货物作业附证")
	}
	if t.has.portOp && l.holder != "" {
		if op, found := t.b.idx.portOp[l.holder]; found && op.v == "0" {
			w.emit(f.holderUSCC, "REL-17", "dg_operation", "港口经营人在港口企业基本信息中未标注从事危险货物作业")
		}
	}
}
