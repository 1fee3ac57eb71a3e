package standard

import (
	"fmt"
	"strings"
	"time"
)

// parseRegions reads a GB/T 2260 table: comment lines "# source: …" and
// "# date: …", then one code a line: code, name, retired date ("" while current)
// and, for provinces, their abbreviations ("贵,黔"), separated by tabs.
func parseRegions(name string, data []byte) (*Regions, []Problem) {
	r := &Regions{codes: map[string]*Region{}, abbr: map[string][]string{}}
	var probs []Problem
	bad := func(line int, format string, args ...any) {
		probs = append(probs, Problem{File: name, Line: line, Message: fmt.Sprintf(format, args...)})
	}
	byAbbr := map[string]string{}
	for i, line := range strings.Split(string(data), "\n") {
		n := i + 1
		line = strings.TrimRight(line, "\r")
		if strings.TrimSpace(line) == "" {
			continue
		}
		if strings.HasPrefix(line, "#") {
			readRegionsHeader(r, line)
			continue
		}
		cols := strings.Split(line, "\t")
		if len(cols) < 2 || len(cols) > 4 {
			bad(n, "应为 代码<TAB>名称[<TAB>撤销日期[<TAB>简称]]，实有 %d 列", len(cols))
			continue
		}
		for len(cols) < 4 {
			cols = append(cols, "")
		}
		code, rname, retired, abbr := cols[0], strings.TrimSpace(cols[1]), cols[2], cols[3]
		switch {
		case !isDigits(code, 6):
			bad(n, "行政区划代码 %q 应为 6 位数字", code)
			continue
		case r.codes[code] != nil:
			bad(n, "行政区划代码 %s 重复", code)
			continue
		case rname == "":
			bad(n, "行政区划代码 %s 缺少名称", code)
		case retired != "" && !isDate(retired):
			bad(n, "行政区划代码 %s 的撤销日期 %q 不是 YYYY-MM-DD 日期", code, retired)
		}
		r.codes[code] = &Region{Code: code, Name: rname, Province: code[:2] + "0000", Retired: retired}
		if abbr == "" {
			continue
		}
		if code[2:] != "0000" {
			bad(n, "只有省级代码可以有简称，%s 不是省级代码", code)
			continue
		}
		for _, a := range strings.Split(abbr, ",") {
			a = strings.TrimSpace(a)
			if prev, dup := byAbbr[a]; dup || a == "" {
				bad(n, "简称 %q 无效或已属于 %s", a, prev)
				continue
			}
			byAbbr[a] = code
			r.abbr[code] = append(r.abbr[code], a)
		}
	}
	if len(r.codes) == 0 && len(probs) == 0 {
		bad(0, "行政区划表中没有代码")
	}
	return r, probs
}

func readRegionsHeader(r *Regions, line string) {
	k, v, ok := strings.Cut(strings.TrimSpace(strings.TrimPrefix(line, "#")), ":")
	if !ok {
		return
	}
	switch strings.TrimSpace(k) {
	case "source":
		r.Source = strings.TrimSpace(v)
	case "date":
		r.Date = strings.TrimSpace(v)
	}
}

func isDigits(s string, n int) bool {
	if len(s) != n {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func isDate(s string) bool {
	_, err := time.Parse("2006-01-02", s)
	return err == nil
}
