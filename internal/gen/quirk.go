package gen

import (
	"strings"

	"shuiyun/internal/standard"
)

// excelEpoch is day 0 of Excel's date serials (for dates after 1900-03-01).
var excelEpoch = ymd(1899, 12, 30)

// quirk rewrites a clean row the way real feeds spell things, without changing what
// it means (standard.md §2, contracts.md §2): date spellings and Excel serials, Chinese
// names for codes, half-width brackets, null markers in empty fields, blank-padded MMSI,
// untidy code sets, 是/否 for booleans, full-width blanks around values, an IMO prefix.
func (g *generator) quirk(rec *record, r *rng) {
	if !r.chance(0.25) {
		return
	}
	first := -1
	for n := 1 + r.intn(2); n > 0; n-- {
		i := r.intn(len(rec.c))
		if i != first { // one quirk per cell: "IMO -" is not a spelling of anything
			g.quirkCell(rec, i, r)
		}
		first = i
	}
}

func (g *generator) quirkCell(rec *record, i int, r *rng) {
	f := rec.l.ds.Fields[i]
	c := &rec.c[i]
	text := c.text()
	switch {
	case text == "":
		switch {
		case f.Name == "mmsi":
			*c = cell{s: "         "}
		case f.Type == standard.TypeDate:
			*c = cell{s: pick(r, []string{"1900-01-01", "-", ""})}
		default:
			*c = cell{s: pick(r, []string{"-", "--", ""})}
		}
	case c.k == kDate:
		if style := r.intn(dateSpellings + 1); style < dateSpellings {
			*c = cell{s: spell(c.d, style)}
		} else {
			*c = cell{s: itoa(int(c.d - excelEpoch))}
		}
	case f.Type == standard.TypeCode && r.chance(0.7):
		if name := g.codeName(f, text, r); name != "" {
			*c = cell{s: name}
			return
		}
		*c = cell{s: "\u3000" + text + "\u3000"}
	case f.Type == standard.TypeCodes:
		codes := strings.Split(text, "|")
		*c = cell{s: text + "|" + pick(r, codes) + "|"}
	case f.Type == standard.TypeBoolean:
		words := map[string][]string{"1": {"是", "是", "Y", "true", "1|"}, "0": {"否", "否", "N", "false"}}[text]
		if len(words) > 0 {
			*c = cell{s: pick(r, words)}
		}
	case strings.ContainsAny(text, "（）"):
		*c = cell{s: strings.NewReplacer("（", "(", "）", ")").Replace(text)}
	case f.Name == "imo_no":
		*c = cell{s: "IMO " + text}
	default:
		*c = cell{s: "\u3000" + text + "\u3000"}
	}
}

// codeName returns the Chinese name (or an accepted alias) of a code, as clerks type it.
func (g *generator) codeName(f *standard.Field, code string, r *rng) string {
	if f.CodeList == "C06" {
		if c, ok := shipClasses[code]; ok {
			return pick(r, c.names)
		}
	}
	if f.CodeList == "C04" && code == "1" && r.chance(0.3) {
		return "有效"
	}
	list := g.std.CodeList(f.CodeList)
	if list == nil {
		return ""
	}
	return list.NameOf(code)
}

func itoa(n int) string { return formatScaled(int64(n), 0) }
