package web

import (
	"strings"

	"shuiyun/internal/access"
	"shuiyun/internal/standard"
)

// shown is a stored value as a person reads it: a code with its name
// (150 有限责任（公司）), a boolean as 是/否; other values as they are. A
// masked or withheld value is left as the mask.
func (s *Server) shown(f *standard.Field, v string, masked bool) string {
	if v == "" || masked {
		return v
	}
	switch f.Type {
	case standard.TypeBoolean:
		switch v {
		case "1":
			return "是"
		case "0":
			return "否"
		}
	case standard.TypeCode:
		if cl := s.std.CodeList(f.CodeList); cl != nil {
			if name := cl.NameOf(v); name != "" {
				return v + " " + name
			}
		}
	case standard.TypeCodes:
		if cl := s.std.CodeList(f.CodeList); cl != nil {
			var names []string
			for code := range strings.SplitSeq(v, "|") {
				if name := cl.NameOf(code); name != "" {
					names = append(names, name)
				} else {
					names = append(names, code)
				}
			}
			return v + "（" + strings.Join(names, "、") + "）"
		}
	}
	return v
}

// cells are a record's values as the caller may read them, for a page.
func (s *Server) cells(c access.Caller, ds *standard.Dataset, owner string, raw []string, cols []int) []cell {
	vals := c.Values(ds, owner, raw)
	var out []cell
	for _, i := range cols {
		masked := vals[i] != raw[i]
		out = append(out, cell{Text: s.shown(ds.Fields[i], vals[i], masked), Masked: masked})
	}
	return out
}

func allColumns(ds *standard.Dataset) []int {
	cols := make([]int, len(ds.Fields))
	for i := range cols {
		cols[i] = i
	}
	return cols
}

var opLabels = map[string]string{"I": "新增", "U": "新增或修改", "D": "撤销", "W": "撤销（全量包中未包含）"}

func opLabel(op string) string {
	if l, ok := opLabels[op]; ok {
		return op + " " + l
	}
	return op
}
