package gen

import (
	"slices"
)

// want is one finding a defect causes on the row it is reported on.
type want struct {
	field, rule, part string
	// needs lists the datasets that must all be written for the finding to exist (the
	// datasets a relational rule looks into); nil means the rule's usual ones (ruleNeeds).
	needs []string
	// anyOf lists datasets one of which must be written too (REL-23: one that holds
	// the USCC's first, true name).
	anyOf []string
}

func find(field, rule string) want { return want{field: field, rule: rule} }

// none says a finding needs no other dataset (a rule part that reads the row alone).
var none = []string{}

func findPart(field, rule, part string) want { return want{field: field, rule: rule, part: part} }

// ruleNeeds names the datasets a relational rule reads; without them the engine skips the rule.
var ruleNeeds = map[string][]string{
	"REL-01": {dsLicence}, "REL-02": {dsLicence}, "REL-03": {dsLicence}, "REL-04": {dsLicence},
	"REL-05": {dsLicence}, "REL-06": {dsLicence}, "REL-07": {dsLicence}, "REL-24": {dsLicence},
	"REL-10": {dsMSA}, "REL-11": {dsMSA}, "REL-13": {dsMgmt}, "REL-14": {dsSurvey},
	"REL-15": {dsPortLic}, "REL-16": {dsPortLic}, "REL-17": {dsPortLic}, "REL-18": {dsPortOp},
}

// kctx is what a defect's apply sees: the row, a random stream of its own, and rows
// it inserts after the target row.
type kctx struct {
	g     *generator
	r     *rng
	rec   *record
	extra []extraRow
}

type extraRow struct {
	rec   *record
	wants []want
}

// insert adds a row after the target row, with the findings it causes.
func (c *kctx) insert(rec *record, w ...want) { c.extra = append(c.extra, extraRow{rec, w}) }

// kind is one kind of injected defect. ok says whether it applies to an entity (and
// keeps it from interfering with other rows' expectations); prep changes the entity
// itself, so that other datasets see it too (a ship missing from D11); apply changes
// the row and returns the findings on it.
type kind struct {
	ds    string
	name  string
	finds string // the findings, for the defect-kind table in the docs
	sub   string // "province" or "river": only with such a submitter
	ok    func(g *generator, e any) bool
	prep  func(g *generator, e any, r *rng)
	apply func(c *kctx, e any) []want
}

// plan is the defect assignment of one dataset: logical row → kind.
type plan struct {
	kinds    []*kind
	assigned map[int]*kind
}

func (g *generator) kindOf(ds string, idx int) *kind {
	if p := g.plans[ds]; p != nil {
		return p.assigned[idx]
	}
	return nil
}

func (g *generator) defectRNG(ds string, idx int) *rng {
	return newRNG(g.seed, hDefect, hashString(ds), uint64(idx))
}

// kindsFor returns the kinds of a dataset that can fire with this submitter and standard.
func (g *generator) kindsFor(ds string) []*kind {
	var out []*kind
	sub := g.opt.Submitter
	for _, k := range defectKinds() {
		if k.ds != ds {
			continue
		}
		switch k.sub {
		case "province":
			if provinceWeight[sub] == 0 {
				continue
			}
		case "river":
			if sub != "CJ0000" && sub != "ZJ0000" {
				continue
			}
		}
		out = append(out, k)
	}
	return out
}

// planDefects chooses the defect rows of every dataset. Ships come first, since
// defects elsewhere must stay clear of what ship defects rely on (a licence whose
// certificate is wrongly 存续 must keep its cancellation date).
func (g *generator) planDefects() {
	g.plans = map[string]*plan{}
	survey := func(idx int) any {
		i, _ := slices.BinarySearchFunc(g.surveyStart, int32(idx+1), func(a, b int32) int { return int(a - b) })
		i--
		return &surveyRow{s: g.ship(i), k: idx - int(g.surveyStart[i])}
	}
	annex := func(idx int) any {
		j, _ := slices.BinarySearchFunc(g.annexStart, int32(idx+1), func(a, b int32) int { return int(a - b) })
		j--
		p := g.portCo(j)
		k := idx - int(g.annexStart[j])
		return &annexRow{p: p, k: k, a: g.annex(p, k)}
	}
	ops := func(idx int) any { return g.w.ops[idx] }
	// Datasets no other one depends on are planned only when written; the others
	// always, so that a dataset's rows do not depend on which others are written.
	g.planDataset(dsVessel, g.opt.Rows, func(i int) any { return g.ship(i) })
	if g.written[dsMSA] {
		g.planDataset(dsMSA, g.opt.Rows, func(i int) any { return g.ship(i) })
	}
	if g.written[dsSurvey] {
		g.planDataset(dsSurvey, int(g.surveyStart[g.opt.Rows]), survey)
	}
	g.planDataset(dsOperator, len(g.w.ops), ops)
	g.planDataset(dsLicence, len(g.w.ops), ops)
	g.planDataset(dsMgmt, len(g.w.mgrs), func(i int) any { return g.w.mgrs[i] })
	g.planDataset(dsFiling, len(g.w.filings), func(i int) any { return g.w.filings[i] })
	g.planDataset(dsIntl, len(g.w.intls), func(i int) any { return g.w.intls[i] })
	if g.portsWritten() {
		g.planDataset(dsPortOp, g.nPorts, func(j int) any { return g.portCo(j) })
		g.planDataset(dsPortLic, g.nPorts, func(j int) any { return g.portCo(j) })
		g.planDataset(dsAnnex, int(g.annexStart[g.nPorts]), annex)
	}
	if g.written[dsProject] {
		g.planDataset(dsProject, len(g.w.projects), func(i int) any { return g.w.projects[i] })
	}
}

// planDataset picks round(rate × n) rows — but at least one per kind while rows
// last, so that small datasets (D04 has 1.5% of D01's rows) still show every kind,
// plus a row for each kind no picked row fits — and gives each row a kind that
// applies to it: rows with the fewest choices first, each taking its least used
// kind (the scarcest among equals), so that every kind appears as soon as it can.
// Kinds with a prep on an in-memory entity (an operator's USCC) are prepared here.
func (g *generator) planDataset(ds string, n int, entity func(int) any) {
	p := &plan{kinds: g.kindsFor(ds), assigned: map[int]*kind{}}
	g.plans[ds] = p
	if g.opt.ErrorRate <= 0 || n == 0 || len(p.kinds) == 0 {
		return
	}
	k := max(round(g.opt.ErrorRate*float64(n)), min(len(p.kinds), n))
	r := newRNG(g.seed, hPlan, hashString(ds))
	type choice struct {
		idx  int
		fits []uint16
	}
	fits := func(idx int) choice {
		e := entity(idx)
		c := choice{idx: idx}
		for j, kd := range p.kinds {
			if kd.ok == nil || kd.ok(g, e) {
				c.fits = append(c.fits, uint16(j))
			}
		}
		return c
	}
	rows := sample(r, n, k)
	choices := make([]choice, 0, len(rows))
	taken := make(map[int]bool, len(rows))
	for _, idx := range rows {
		taken[idx] = true
		if c := fits(idx); len(c.fits) > 0 {
			choices = append(choices, c)
		}
	}
	slices.SortStableFunc(choices, func(a, b choice) int { return len(a.fits) - len(b.fits) })
	// supply counts the rows still to come that a kind fits: among the least used
	// kinds a row takes the scarcest, so that rare kinds find their few rows.
	used, supply := make([]int, len(p.kinds)), make([]int, len(p.kinds))
	for _, c := range choices {
		for _, j := range c.fits {
			supply[j]++
		}
	}
	for turn, c := range choices {
		best := c.fits[turn%len(c.fits)]
		for _, j := range c.fits {
			if used[j] < used[best] || (used[j] == used[best] && supply[j] < supply[best]) {
				best = j
			}
		}
		for _, j := range c.fits {
			supply[j]--
		}
		used[best]++
		p.assigned[c.idx] = p.kinds[best]
	}
	// A kind still unused (it needs a rare row: a recently cancelled licence with
	// ships) gets one more row, found by probing others in random order.
	for j, kd := range p.kinds {
		for probe := 0; used[j] == 0 && probe < min(n, 5000); probe++ {
			idx := r.intn(n)
			if taken[idx] {
				continue
			}
			if c := fits(idx); slices.Contains(c.fits, uint16(j)) {
				taken[idx] = true
				used[j]++
				p.assigned[idx] = kd
				choices = append(choices, c)
			}
		}
	}
	if inMemory(ds) {
		for _, c := range choices {
			if kd := p.assigned[c.idx]; kd.prep != nil {
				kd.prep(g, entity(c.idx), g.defectRNG(ds, c.idx))
			}
		}
	}
}

func inMemory(ds string) bool {
	switch ds {
	case dsVessel, dsMSA, dsSurvey, dsPortOp, dsPortLic, dsAnnex:
		return false
	}
	return true
}

// sample returns k distinct sorted integers of [0, n) (Floyd's algorithm).
func sample(r *rng, n, k int) []int {
	k = min(k, n)
	seen := make(map[int]bool, k)
	out := make([]int, 0, k)
	for j := n - k; j < n; j++ {
		t := r.intn(j + 1)
		if seen[t] {
			t = j
		}
		seen[t] = true
		out = append(out, t)
	}
	slices.Sort(out)
	return out
}

// surveyRow is the k-th survey certificate of a ship (a D12 row).
type surveyRow struct {
	s *ship
	k int
}

// annexRow is the k-th annex of a port licence (a D09 row).
type annexRow struct {
	p *portCo
	k int
	a *annex
}
