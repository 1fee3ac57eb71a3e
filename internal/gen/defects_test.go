package gen

import (
	"fmt"
	"strings"
	"testing"
)

// TestEveryKind checks that every defect kind appears in the answers of a 5000-row
// data set at 10% (province- and river-administration-only kinds with such a submitter).
func TestEveryKind(t *testing.T) {
	seen := map[string]bool{}
	for _, sub := range []string{"", "330000", "CJ0000"} {
		res := generate(t, Options{Seed: 31, Rows: 5000, ErrorRate: 0.1, Submitter: sub})
		for _, d := range res.Defects {
			seen[strings.TrimSuffix(d.File, ".csv")+"/"+d.Note] = true
		}
	}
	for _, k := range DefectKinds() {
		if !seen[k.Dataset+"/"+k.Name] {
			t.Errorf("kind %s/%s (%s) never produced", k.Dataset, k.Name, k.Finds)
		}
	}
}

// TestAnswersPointAtDefects checks each answer against the row written: the row
// exists, the field is one of its columns, the row's defect is the one the answer
// names, and the row differs from its clean version (unless the defect inserted it or
// changed another dataset instead).
func TestAnswersPointAtDefects(t *testing.T) {
	g, err := newGenerator(mustStandard(t), Options{Seed: 32, Rows: 3000, ErrorRate: 0.1, AsOf: asOf, Dir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	rows := map[string]traced{}
	g.trace = func(r traced) { rows[fmt.Sprint(r.ds, ".csv:", r.row)] = r }
	res, err := g.run()
	if err != nil {
		t.Fatal(err)
	}
	byRow := map[string][]Defect{}
	for _, d := range res.Defects {
		key := fmt.Sprint(d.File, ":", d.Row)
		byRow[key] = append(byRow[key], d)
		r, ok := rows[key]
		if !ok {
			t.Errorf("answer %s:%d points at no row", d.File, d.Row)
			continue
		}
		if !r.dirty.l.has(d.Field) {
			t.Errorf("answer %s:%d names field %s, not a column", d.File, d.Row, d.Field)
		}
		if r.kind == nil || r.kind.name != d.Note {
			t.Errorf("answer %s:%d says %s, the row's defect is %v", d.File, d.Row, d.Note, r.kind)
		}
	}
	for key, r := range rows {
		if r.kind == nil {
			if len(byRow[key]) > 0 {
				t.Errorf("%s: answers on a clean row", key)
			}
			continue
		}
		changed := false
		for i := range r.clean.c {
			changed = changed || r.clean.c[i].text() != r.dirty.c[i].text()
		}
		switch {
		case r.inserted:
			if len(byRow[key]) == 0 {
				t.Errorf("%s: row inserted by %s has no answer", key, r.kind.name)
			}
		case r.kind.prep != nil, byRow[key] == nil:
			// The defect changed another dataset (a ship missing from D11, an expired
			// survey certificate, a USCC registered elsewhere) or inserted a row after this one.
		case !changed:
			t.Errorf("%s: %s reported on a row identical to its clean version: %v", key, r.kind.name, byRow[key])
		}
	}
}
