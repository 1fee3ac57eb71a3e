package gen

import (
	"bufio"
	"cmp"
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"

	"shuiyun/internal/standard"
)

// table writes one dataset: row numbering, defects, quirks and answers.
type table struct {
	g    *generator
	l    *layout
	out  sink
	file string // answers' file column
	sh   string // answers' sheet column
	row  int    // the spreadsheet row number of the last row written
	rec  *record
}

func (g *generator) writeAll() ([]string, error) {
	var out sink
	var files []string
	if g.opt.Format == "xlsx" {
		x, err := newXLSXSink(g.opt.Dir)
		if err != nil {
			return nil, err
		}
		out = x
		files = append(files, x.path)
	} else {
		out = &csvSink{dir: g.opt.Dir, encoding: g.opt.Encoding}
	}
	for _, name := range allDatasets {
		if !g.written[name] {
			continue
		}
		if err := g.writeDataset(out, name); err != nil {
			return nil, err
		}
	}
	if err := out.close(); err != nil {
		return nil, err
	}
	if c, ok := out.(*csvSink); ok {
		files = append(files, c.files...)
	}
	return files, nil
}

func (g *generator) writeDataset(out sink, name string) error {
	ds := g.std.Dataset(name)
	l := newLayout(ds, g.opt.Header == "label")
	t := &table{g: g, l: l, out: out, row: 1, rec: l.newRecord()}
	if g.opt.Format == "xlsx" {
		l.name = sheetName(ds.Label)
		t.file, t.sh = "data.xlsx", l.name
	} else {
		l.name = ds.Name
		t.file = ds.Name + ".csv"
	}
	if err := out.begin(l); err != nil {
		return err
	}
	if err := g.writeRows(t, name); err != nil {
		return fmt.Errorf("write %s: %w", name, err)
	}
	g.rows[name] = t.row - 1
	g.layouts[name] = l
	return out.end()
}

// sheetName makes a Chinese label a valid sheet name (31 characters, none of :\/?*[]):
// 国际海运经营（许可/备案） becomes 国际海运经营（许可／备案）, which the validator still
// matches (a trailing parenthesised note is ignored).
func sheetName(label string) string {
	r := []rune(label)
	out := r[:0]
	for _, c := range r {
		switch c {
		case ':', '\\', '/', '?', '*', '[', ']':
			c += 0xFEE0 // the full-width form
		}
		out = append(out, c)
	}
	if len(out) > 31 {
		out = out[:31]
	}
	return string(out)
}

func (g *generator) writeRows(t *table, name string) error {
	switch name {
	case dsOperator:
		for _, op := range g.w.ops {
			g.fillOperator(op, t.clear())
			if err := t.finish(op.i, op); err != nil {
				return err
			}
		}
	case dsLicence:
		for _, op := range g.w.ops {
			g.fillLicence(op, t.clear())
			if err := t.finish(op.i, op); err != nil {
				return err
			}
		}
	case dsMgmt:
		for _, m := range g.w.mgrs {
			g.fillMgmt(m, t.clear())
			if err := t.finish(m.i, m); err != nil {
				return err
			}
		}
	case dsFiling:
		for _, f := range g.w.filings {
			g.fillFiling(f, t.clear())
			if err := t.finish(f.i, f); err != nil {
				return err
			}
		}
	case dsIntl:
		for _, x := range g.w.intls {
			g.fillIntl(x, t.clear())
			if err := t.finish(x.i, x); err != nil {
				return err
			}
		}
	case dsProject:
		for _, p := range g.w.projects {
			g.fillProject(p, t.clear())
			if err := t.finish(p.i, p); err != nil {
				return err
			}
		}
	default:
		return g.writeStreamed(t, name)
	}
	return nil
}

// writeStreamed writes the datasets rebuilt from an index: ships and port enterprises.
func (g *generator) writeStreamed(t *table, name string) error {
	switch name {
	case dsVessel, dsMSA, dsSurvey:
		for i := 0; i < g.opt.Rows; i++ {
			s := g.ship(i)
			if err := g.writeShip(t, name, s); err != nil {
				return err
			}
		}
	case dsPortOp, dsPortLic, dsAnnex:
		for j := 0; j < g.nPorts; j++ {
			p := g.portCo(j)
			if err := g.writePort(t, name, p); err != nil {
				return err
			}
		}
	}
	return nil
}

func (g *generator) writeShip(t *table, name string, s *ship) error {
	switch name {
	case dsVessel:
		g.fillVessel(s, t.clear())
		return t.finish(s.i, s)
	case dsMSA:
		if s.noMSA {
			return nil
		}
		g.fillMSA(s, t.clear())
		return t.finish(s.i, s)
	}
	if s.noMSA {
		return nil
	}
	for k := range s.surveys {
		g.fillSurvey(s, k, t.clear())
		if err := t.finish(int(g.surveyStart[s.i])+k, &surveyRow{s: s, k: k}); err != nil {
			return err
		}
	}
	return nil
}

func (g *generator) writePort(t *table, name string, p *portCo) error {
	switch name {
	case dsPortOp:
		g.fillPortOp(p, t.clear())
		return t.finish(p.j, p)
	case dsPortLic:
		g.fillPortLic(p, t.clear())
		return t.finish(p.j, p)
	}
	for k := 0; k < p.annexes; k++ {
		a := g.annex(p, k)
		g.fillAnnex(p, a, t.clear())
		if err := t.finish(int(g.annexStart[p.j])+k, &annexRow{p: p, k: k, a: a}); err != nil {
			return err
		}
	}
	return nil
}

func (t *table) clear() *record {
	t.rec.reset()
	return t.rec
}

// finish applies the row's defect (or, on a clean row, quirks) and writes it with any
// rows the defect inserts.
func (t *table) finish(idx int, e any) error {
	name := t.l.ds.Name
	kd := t.g.kindOf(name, idx)
	var clean *record
	if t.g.trace != nil {
		clean = t.rec.clone()
	}
	var wants []want
	c := &kctx{g: t.g, rec: t.rec}
	if kd != nil {
		c.r = t.g.defectRNG(name, idx)
		wants = kd.apply(c, e)
	} else if t.g.opt.Quirks {
		t.g.quirk(t.rec, newRNG(t.g.seed, hQuirk, hashString(name), uint64(idx)))
	}
	note := ""
	if kd != nil {
		note = kd.name
	}
	if err := t.emit(t.rec, wants, note); err != nil {
		return err
	}
	if t.g.trace != nil {
		t.g.trace(traced{ds: name, row: t.row, kind: kd, clean: clean, dirty: t.rec.clone()})
	}
	for _, x := range c.extra {
		if err := t.emit(x.rec, x.wants, note); err != nil {
			return err
		}
		if t.g.trace != nil {
			t.g.trace(traced{ds: name, row: t.row, kind: kd, clean: clean, dirty: x.rec, inserted: true})
		}
	}
	return nil
}

// traced is a written row as tests see it: the clean row and the row written.
type traced struct {
	ds           string
	row          int
	kind         *kind
	clean, dirty *record
	inserted     bool // a row a defect added after the target row
}

func (t *table) emit(rec *record, wants []want, note string) error {
	t.row++
	for _, w := range wants {
		t.g.expect(t, w, note)
	}
	return t.out.row(rec)
}

// expect records a finding with the severity the standard gives its rule (and part);
// a rule switched off in this standard reports nothing.
func (g *generator) expect(t *table, w want, note string) {
	rule := g.std.Rule(w.rule)
	if !rule.On() {
		return
	}
	sev := rule.SeverityOf(w.part)
	if w.rule == "FMT-PATTERN" {
		if f := t.l.ds.Field(w.field); f != nil && f.PatternSeverity != "" {
			sev = f.PatternSeverity
		}
	}
	needs := w.needs
	if needs == nil {
		needs = ruleNeeds[w.rule]
	}
	written := func(ds string) bool { return g.written[ds] }
	if !all(needs, written) || (len(w.anyOf) > 0 && !slices.ContainsFunc(w.anyOf, written)) {
		return
	}
	g.answers = append(g.answers, Defect{File: t.file, Sheet: t.sh, Row: t.row, Field: w.field,
		Rule: w.rule, Severity: string(sev), Note: note})
}

func all(list []string, f func(string) bool) bool {
	for _, x := range list {
		if !f(x) {
			return false
		}
	}
	return true
}

// writeAnswers writes answers.csv (UTF-8 with BOM), sorted by file, sheet, row, field, rule.
func (g *generator) writeAnswers() (string, error) {
	slices.SortFunc(g.answers, func(a, b Defect) int {
		return cmp.Or(cmp.Compare(a.File, b.File), cmp.Compare(a.Sheet, b.Sheet), cmp.Compare(a.Row, b.Row),
			cmp.Compare(a.Field, b.Field), cmp.Compare(a.Rule, b.Rule))
	})
	path := filepath.Join(g.opt.Dir, "answers.csv")
	f, err := os.Create(path)
	if err != nil {
		return "", fmt.Errorf("create %s: %w", path, err)
	}
	bw := bufio.NewWriter(f)
	bw.WriteString("\uFEFF")
	w := csv.NewWriter(bw)
	w.UseCRLF = true
	w.Write([]string{"file", "sheet", "row", "field", "rule", "severity", "note"})
	for _, a := range g.answers {
		w.Write([]string{a.File, a.Sheet, strconv.Itoa(a.Row), a.Field, a.Rule, a.Severity, a.Note})
	}
	w.Flush()
	err = w.Error()
	if err == nil {
		err = bw.Flush()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return "", fmt.Errorf("write %s: %w", path, err)
	}
	return path, nil
}

var _ = standard.Error
