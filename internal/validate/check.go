package validate

import (
	"fmt"
	"math/bits"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"shuiyun/internal/ident"
	"shuiyun/internal/standard"
)

// fail is a field-level finding before it is placed on a row. The zero value means "passed".
type fail struct {
	rule string
	part string // a rule part with its own severity (standard.Rule.Parts)
	msg  string
}

// normalize reads one cell into v and runs the value checks that need no other
// field: FMT-EXCEL, the type, FMT-LEN, FMT-PATTERN, FMT-RANGE, CODE and the
// identifier checks (except those under an id_when condition, run later).
func (c *checker) normalize(fp *fieldPlan, cell string, v *value) *fail {
	s := trim(cell)
	v.raw, v.s, v.set, v.num = s, "", 0, 0
	if c.isNull(s) {
		v.state = null
		return nil
	}
	f := fp.f
	v.s, v.state = s, ok
	var facts textFacts
	if fp.text { // only free text and code names can hold decomposed characters worth composing
		if facts = scanText(s); facts&factNFC == 0 {
			v.s = compose(s)
		}
	}
	if fp.excel {
		if fl := c.checkExcel(fp, v.s); c.fires(fl) {
			return c.failed(fp, v, fl)
		}
	}
	if fl := c.checkType(fp, v, facts); c.fires(fl) {
		return c.failed(fp, v, fl)
	}
	if v.state == null { // a date equal to the 1900-01-01 placeholder
		return nil
	}
	if f.Length > 0 && len(v.s) > f.Length && fp.kind != kCodes && utf8.RuneCountInString(v.s) > f.Length {
		fl := &fail{rule: "FMT-LEN", msg: fmt.Sprintf("“%s”最长 %d 个字符，实际 %d 个", f.Label, f.Length, utf8.RuneCountInString(v.s))}
		if c.fires(fl) {
			return c.failed(fp, v, fl)
		}
	}
	if fp.match != nil && !(fp.noBlank && facts&factNoBlank != 0) && !fp.match(v.s) {
		fl := &fail{rule: "FMT-PATTERN", msg: patternMessage(f)}
		if c.fires(fl) {
			return c.failed(fp, v, fl)
		}
	}
	if fp.ranged {
		if fl := checkRange(f, v); c.fires(fl) {
			return c.failed(fp, v, fl)
		}
	}
	if fp.list != nil {
		if fl := c.checkCode(fp, v); c.fires(fl) {
			return c.failed(fp, v, fl)
		}
	}
	if f.ID != "" && fp.idWhen == nil {
		if fl := c.checkID(fp, v); c.fires(fl) {
			return c.failed(fp, v, fl)
		}
	}
	return nil
}

func patternMessage(f *standard.Field) string {
	if f.PatternText != "" {
		return fmt.Sprintf("“%s”应为%s", f.Label, f.PatternText)
	}
	return fmt.Sprintf("“%s”格式不符合规定（%s）", f.Label, f.Pattern)
}

// fires reports whether fl is a failure of a rule that is switched on.
func (c *checker) fires(fl *fail) bool {
	return fl != nil && c.std.Rule(fl.rule).On()
}

// failed marks the value unknown to later rules when the failure is an error;
// after a warning (a retired region code, an org-code mismatch) the value still counts.
func (c *checker) failed(fp *fieldPlan, v *value, fl *fail) *fail {
	if c.severity(fp, fl) == standard.Error {
		v.state = bad
	}
	return fl
}

// severity of a field-level failure: the rule's (part's) severity, or the field's own pattern severity.
func (c *checker) severity(fp *fieldPlan, fl *fail) standard.Severity {
	if fl.rule == "FMT-PATTERN" && fp != nil && fp.patternSev != "" {
		return fp.patternSev
	}
	return c.std.Rule(fl.rule).SeverityOf(fl.part)
}

func (c *checker) isNull(s string) bool {
	if s == "" {
		return true
	}
	if !c.nullFirst[s[0]] {
		return false
	}
	for _, n := range c.nulls {
		if s == n {
			return true
		}
	}
	return false
}

// checkExcel (for fields with fp.excel: numbers, dates and booleans are checked
// by their type) catches values Excel mangled: identifiers in scientific notation
// and fixed-width codes that lost their leading zeros.
func (c *checker) checkExcel(fp *fieldPlan, s string) *fail {
	if c0 := s[0]; (c0 < '0' || c0 > '9') && c0 != '+' && c0 != '-' {
		return nil // Excel mangles only numbers
	}
	if isSciNotation(s) {
		return &fail{rule: "FMT-EXCEL", msg: fmt.Sprintf("“%s”被 Excel 显示为科学计数法（%s），原值已丢失；请将该列设为文本格式后重新填写", fp.f.Label, s)}
	}
	w := fp.excelWidth
	if w == 0 || len(s) >= w || !allDigits(s) {
		return nil
	}
	padded := strings.Repeat("0", w-len(s)) + s
	if c.validPadded(fp, padded) {
		return &fail{rule: "FMT-EXCEL", msg: fmt.Sprintf("“%s”的前导 0 被 Excel 去掉了（%s 应为 %s）；请将该列设为文本格式", fp.f.Label, s, padded)}
	}
	return nil
}

func (c *checker) validPadded(fp *fieldPlan, s string) bool {
	switch {
	case fp.f.ID == standard.IDRegion:
		_, ok := c.std.Regions.Lookup(s)
		return ok
	case fp.list != nil:
		_, ok := fp.list.Lookup(s)
		return ok
	case fp.match != nil:
		return fp.match(s)
	}
	return false
}

// isSciNotation matches the way Excel displays a long number: one digit, an
// optional fraction, "E", a sign and two or three digits (9.13501E+17). A
// survey number like 2014E2501082 is not one.
func isSciNotation(s string) bool {
	i := 0
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		i++
	}
	if i >= len(s) || s[i] < '0' || s[i] > '9' {
		return false
	}
	i++
	if i < len(s) && s[i] == '.' {
		i++
		start := i
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
		if i == start {
			return false
		}
	}
	if i+3 > len(s) || (s[i] != 'E' && s[i] != 'e') || (s[i+1] != '+' && s[i+1] != '-') {
		return false
	}
	exp := s[i+2:]
	return (len(exp) == 2 || len(exp) == 3) && allDigits(exp)
}

// checkType reads v as its field's type. facts are what scanText proved of a text value.
func (c *checker) checkType(fp *fieldPlan, v *value, facts textFacts) *fail {
	f := fp.f
	switch fp.kind {
	case kDate:
		d, canonical, okDate := canonicalDay(v.s)
		if !canonical {
			d, okDate = parseDate(v.s)
		}
		if !okDate {
			return &fail{rule: "FMT-DATE", msg: fmt.Sprintf("“%s”不是有效日期（应为 YYYY-MM-DD 等格式的真实日期）", f.Label)}
		}
		if d == placeholderDay {
			v.state, v.s = null, ""
			return nil
		}
		v.day = d
		if !canonical {
			v.s = dayString(d)
		}
	case kInteger:
		s := narrow(v.s)
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil || s[0] == '+' {
			return &fail{rule: "FMT-INT", msg: fmt.Sprintf("“%s”应为整数", f.Label)}
		}
		v.num, v.s = float64(n), s
	case kDecimal:
		return c.checkDecimal(fp, v)
	case kBoolean:
		b, okBool := parseBool(v.s)
		if !okBool {
			return &fail{rule: "FMT-BOOL", msg: fmt.Sprintf("“%s”应为 是/否（1/0）", f.Label)}
		}
		v.s = b
	case kString:
		if facts&factNoParen == 0 {
			v.s = fullBrackets(v.s)
		}
	case kID:
		v.s = upperASCII(v.s)
		if f.ID == standard.IDIMO {
			v.s = strings.TrimSpace(strings.TrimPrefix(v.s, "IMO"))
		}
	}
	if f.ID != "" && fp.kind == kString {
		v.s = upperASCII(v.s)
	}
	return nil
}

var placeholderDay, _ = dayOf(1900, 1, 1)

// isCanonicalDate: already YYYY-MM-DD (the date itself was checked by parseDate).
func isCanonicalDate(s string) bool {
	return len(s) == 10 && s[4] == '-' && s[7] == '-' && allDigits(s[:4]) && allDigits(s[5:7]) && allDigits(s[8:])
}

func (c *checker) checkDecimal(fp *fieldPlan, v *value) *fail {
	f := fp.f
	if n, ok := fp.plainDecimal(v.s); ok { // the common case, in one pass; it is ASCII, so narrow would not change it
		v.num = n
		return nil
	}
	s := narrow(v.s)
	intDigits, frac, okNum := decimalShape(s)
	if !okNum {
		return &fail{rule: "FMT-DEC", msg: fmt.Sprintf("“%s”应为数字（小数点用“.”，不含千分位和单位）", f.Label)}
	}
	if fp.maxInt > 0 && intDigits > fp.maxInt {
		return &fail{rule: "FMT-DEC", msg: fmt.Sprintf("“%s”整数部分最多 %d 位", f.Label, fp.maxInt)}
	}
	if f.Scale >= 0 && len(strings.TrimRight(frac, "0")) > f.Scale && f.Precision > 0 {
		return &fail{rule: "FMT-DEC", msg: fmt.Sprintf("“%s”最多 %d 位小数", f.Label, f.Scale)}
	}
	n, exact := decimalValue(s)
	if !exact {
		var err error
		if n, err = strconv.ParseFloat(s, 64); err != nil {
			return &fail{rule: "FMT-DEC", msg: fmt.Sprintf("“%s”应为数字", f.Label)}
		}
	}
	v.num, v.s = n, s
	return nil
}

// plainDecimal reads -?\d+(\.\d+)? within the field's precision and scale in
// one pass and returns its value; ok is false for anything else, which the
// slower path then explains.
func (fp *fieldPlan) plainDecimal(s string) (float64, bool) {
	i, neg := 0, false
	if s != "" && s[0] == '-' {
		i, neg = 1, true
	}
	var m uint64
	intDigits, frac, lastNonZero := 0, -1, 0
	for ; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= '0' && c <= '9':
			m = m*10 + uint64(c-'0')
			if frac >= 0 {
				frac++
				if c != '0' {
					lastNonZero = frac
				}
			} else if m > 0 {
				intDigits++
			}
			if m >= 1<<53 || frac >= len(pow10) {
				return 0, false
			}
		case c == '.' && frac < 0 && i > 0 && s[i-1] != '-' && i+1 < len(s):
			frac = 0
		default:
			return 0, false
		}
	}
	if i == 0 || (neg && len(s) == 1) {
		return 0, false
	}
	if fp.maxInt > 0 && intDigits > fp.maxInt {
		return 0, false
	}
	if fp.f.Precision > 0 && lastNonZero > fp.f.Scale {
		return 0, false
	}
	x := float64(m) / pow10[max(frac, 0)]
	if neg {
		x = -x
	}
	return x, true
}

var pow10 = [...]float64{1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15}

// decimalValue computes the value of a string decimalShape accepted, without
// parsing it again: an integer mantissa below 2⁵³ divided by an exact power of
// ten is one correctly rounded operation, so it equals strconv.ParseFloat.
// exact is false when the number is too long for that; the caller falls back.
func decimalValue(s string) (float64, bool) {
	neg := s != "" && s[0] == '-'
	if neg {
		s = s[1:]
	}
	var m uint64
	frac, dot := 0, false
	for i := 0; i < len(s); i++ {
		if s[i] == '.' {
			dot = true
			continue
		}
		m = m*10 + uint64(s[i]-'0')
		if dot {
			frac++
		}
		if m >= 1<<53 || frac >= len(pow10) {
			return 0, false
		}
	}
	x := float64(m) / pow10[frac]
	if neg {
		x = -x
	}
	return x, true
}

// decimalShape checks -?\d+(\.\d+)? and returns the significant integer digits and the fraction.
func decimalShape(s string) (int, string, bool) {
	i := 0
	if i < len(s) && s[i] == '-' {
		i++
	}
	start := i
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	if i == start {
		return 0, "", false
	}
	intPart := strings.TrimLeft(s[start:i], "0")
	if i == len(s) {
		return len(intPart), "", true
	}
	if s[i] != '.' || i+1 == len(s) {
		return 0, "", false
	}
	frac := s[i+1:]
	if !allDigits(frac) {
		return 0, "", false
	}
	return len(intPart), frac, true
}

func parseBool(s string) (string, bool) {
	s = strings.TrimSuffix(s, "|")
	switch strings.ToLower(s) {
	case "1", "是", "y", "yes", "true":
		return "1", true
	case "0", "否", "n", "no", "false":
		return "0", true
	}
	return "", false
}

func checkRange(f *standard.Field, v *value) *fail {
	if f.Type != standard.TypeDecimal && f.Type != standard.TypeInteger {
		return nil
	}
	low := f.Min != nil && (v.num < *f.Min || (f.MinExclusive && v.num == *f.Min))
	high := f.Max != nil && v.num > *f.Max
	if !low && !high {
		return nil
	}
	return &fail{rule: "FMT-RANGE", msg: fmt.Sprintf("“%s”应%s", f.Label, rangeText(f))}
}

func rangeText(f *standard.Field) string {
	num := func(x float64) string { return strconv.FormatFloat(x, 'f', -1, 64) }
	var parts []string
	if f.Min != nil {
		if f.MinExclusive {
			parts = append(parts, "大于 "+num(*f.Min))
		} else {
			parts = append(parts, "不小于 "+num(*f.Min))
		}
	}
	if f.Max != nil {
		parts = append(parts, "不大于 "+num(*f.Max))
	}
	return strings.Join(parts, "且")
}

func (c *checker) checkCode(fp *fieldPlan, v *value) *fail {
	if fp.kind == kCodes {
		return c.checkCodes(fp, v)
	}
	j, _ := fp.codeAt(v.s)
	if j < 0 {
		return &fail{rule: "CODE", msg: fmt.Sprintf("“%s”不在代码表 %s %s 中", fp.f.Label, fp.list.ID, fp.list.Name)}
	}
	v.s = fp.codes[j]
	v.set = 1 << uint(j&63)
	return nil
}

// codeAt returns the index in the list of the code a cell names (by code, name
// or alias), or -1; exact is true when s is the code itself. Codes are short
// and lists small: a scan beats hashing.
func (fp *fieldPlan) codeAt(s string) (j int, exact bool) {
	if j = fp.exactCode(s); j >= 0 {
		return j, true
	}
	code, found := lookupCode(fp.list, s)
	if !found {
		return -1, false
	}
	return fp.codeIndex[code], false
}

// exactCode returns the index of code s in the list, or -1. Short codes are
// compared as packed words: a string comparison per code called memequal
// (checkCode was 7% of a 1M-row run's CPU).
func (fp *fieldPlan) exactCode(s string) int {
	if fp.codeWords == nil {
		return slices.Index(fp.codes, s)
	}
	w, short := packCode(s)
	if !short {
		return -1 // longer than every code
	}
	return slices.Index(fp.codeWords, w)
}

// packCode packs a string of at most 7 bytes, and its length, into a word.
func packCode(s string) (uint64, bool) {
	if len(s) > 7 {
		return 0, false
	}
	w := uint64(len(s)) << 56
	for i := 0; i < len(s); i++ {
		w |= uint64(s[i]) << (8 * i)
	}
	return w, true
}

func lookupCode(list *standard.CodeList, s string) (string, bool) {
	if code, found := list.Lookup(s); found {
		return code, true
	}
	return list.Lookup(fullBrackets(s))
}

// checkCodes reads a "|"-separated code set: blanks and repeats dropped, each
// element in the list, a sub-code only with its item code. A value that is
// already in normal form is kept as it is, without allocating.
func (c *checker) checkCodes(fp *fieldPlan, v *value) *fail {
	canonical, rest := true, v.s
	if strings.IndexByte(v.s, "｜"[0]) >= 0 { // one byte scan rules out the full-width bar
		canonical = !strings.Contains(v.s, "｜")
		rest = strings.ReplaceAll(v.s, "｜", "|")
	}
	var badOnes []string
	for rest != "" {
		var part string
		part, rest, _ = strings.Cut(rest, "|")
		t := trim(part)
		if t == "" {
			canonical = false
			continue
		}
		j, exact := fp.codeAt(t)
		if j < 0 {
			badOnes = append(badOnes, t)
			continue
		}
		bit := uint64(1) << uint(j&63)
		if v.set&bit != 0 || (exact && len(t) != len(part)) || (!exact && fp.codes[j] != part) {
			canonical = false
		}
		v.set |= bit
	}
	if strings.HasSuffix(v.s, "|") {
		canonical = false
	}
	if len(badOnes) > 0 {
		return &fail{rule: "CODE", msg: fmt.Sprintf("“%s”中的 %s 不在代码表 %s %s 中", fp.f.Label, strings.Join(badOnes, "、"), fp.list.ID, fp.list.Name)}
	}
	if fl := fp.checkParents(v.set); fl != nil {
		return fl
	}
	if v.set == 0 {
		v.state, v.s = null, ""
		return nil
	}
	if !canonical {
		v.s = fp.joinCodes(v.s)
	}
	return nil
}

// checkParents: a sub-code needs its item code (C03: 3001 needs 3000).
func (fp *fieldPlan) checkParents(set uint64) *fail {
	for m := set & fp.children; m != 0; m &= m - 1 { // most sets hold no sub-code: no loop over the list
		j := bits.TrailingZeros64(m)
		if set&fp.parentBit[j] == 0 {
			code := fp.list.Codes[j]
			return &fail{rule: "CODE", msg: fmt.Sprintf("“%s”含子项 %s 时须同时填写其所属项目 %s", fp.f.Label, code.Code, code.Parent)}
		}
	}
	return nil
}

// joinCodes writes the normal form of a code set: its codes in order of first appearance.
func (fp *fieldPlan) joinCodes(s string) string {
	var b strings.Builder
	var seen uint64
	for part := range strings.SplitSeq(strings.ReplaceAll(s, "｜", "|"), "|") {
		code, found := lookupCode(fp.list, trim(part))
		if !found {
			continue
		}
		if bit := uint64(1) << uint(fp.codeIndex[code]&63); seen&bit == 0 {
			seen |= bit
			if b.Len() > 0 {
				b.WriteByte('|')
			}
			b.WriteString(code)
		}
	}
	return b.String()
}

// checkID runs the identifier algorithm of the field on a normalised value.
func (c *checker) checkID(fp *fieldPlan, v *value) *fail {
	var err error
	switch fp.f.ID {
	case standard.IDUSCC:
		if err = ident.USCC(v.s); err == nil {
			if e := ident.USCCOrgCode(v.s); e != nil {
				return &fail{rule: "ID-USCC", part: "orgcode", msg: e.Error()}
			}
		}
	case standard.IDUSCCOrCitizen:
		return c.checkUSCCOrCitizen(v)
	case standard.IDCitizen:
		err = ident.Citizen(v.s, c.asOf)
	case standard.IDOrgCode:
		err = ident.OrgCode(v.s)
	case standard.IDIMO:
		err = ident.IMO(v.s)
	case standard.IDMMSI:
		err = ident.MMSI(v.s)
	case standard.IDCNShip:
		err = ident.CNShip(v.s, c.asOf.Year())
	case standard.IDRegion:
		return c.checkRegion(fp, v)
	case standard.IDPortLicense:
		v.s = ident.NormalizeBrackets(v.s)
		_, _, err = ident.PortLicense(v.s)
	case standard.IDProjectCode:
		err = ident.ProjectCode(v.s)
	}
	if err != nil {
		return &fail{rule: ruleOf(err, "ID-"+string(fp.f.ID)), msg: err.Error()}
	}
	return nil
}

func ruleOf(err error, fallback string) string {
	if e, isIdent := err.(*ident.Error); isIdent && e.Kind != "" {
		return e.Kind
	}
	return fallback
}

// checkUSCCOrCitizen: a credit code, or an individual operator's citizen ID.
// About 1 in 31 citizen IDs also passes the USCC check character, so a value
// that is a valid citizen ID is never reported for its USCC org-code part.
func (c *checker) checkUSCCOrCitizen(v *value) *fail {
	errU := ident.USCC(v.s)
	if errU == nil && ident.USCCOrgCode(v.s) == nil {
		return nil
	}
	errC := ident.Citizen(v.s, c.asOf)
	if errC == nil {
		return nil
	}
	if errU == nil {
		return &fail{rule: "ID-USCC", part: "orgcode", msg: ident.USCCOrgCode(v.s).Error()}
	}
	if looksCitizen(v.s) {
		return &fail{rule: "ID-CITIZEN", msg: errC.Error()}
	}
	return &fail{rule: "ID-USCC", msg: errU.Error()}
}

// looksCitizen: 17 digits + digit/X with a plausible birth date at positions 7–14.
func looksCitizen(s string) bool {
	if len(s) != 18 || !allDigits(s[:17]) || !(s[17] == 'X' || (s[17] >= '0' && s[17] <= '9')) {
		return false
	}
	y, _ := strconv.Atoi(s[6:10])
	m, _ := strconv.Atoi(s[10:12])
	d, _ := strconv.Atoi(s[12:14])
	return y >= 1850 && y <= 2100 && m >= 1 && m <= 12 && d >= 1 && d <= 31
}

func (c *checker) checkRegion(fp *fieldPlan, v *value) *fail {
	g, found := c.std.Regions.Lookup(v.s)
	if !found {
		return &fail{rule: "ID-REGION", msg: fmt.Sprintf("“%s” %s 不是 GB/T 2260 行政区划代码", fp.f.Label, v.s)}
	}
	if g.Retired != "" && g.Retired <= c.asOfText {
		return &fail{rule: "ID-REGION", part: "retired", msg: fmt.Sprintf("行政区划代码 %s（%s）已于 %s 撤销，请使用现行代码", v.s, g.Name, g.Retired)}
	}
	return nil
}
