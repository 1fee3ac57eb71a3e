package store

import (
	"context"
	"database/sql"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"

	"shuiyun/internal/standard"
)

// ErrQuery is wrapped by the errors of a search that names something the
// dataset lacks or a value its field cannot hold: the caller's mistake (400),
// with a Chinese message fit to show.
var ErrQuery = errors.New("invalid search")

// Filter narrows a search on one field of the dataset.
type Filter struct {
	Field string // a field's name (or Chinese label) in the dataset
	// Op is "eq", "prefix", "contains", "gte" or "lte". Dates, numbers and codes
	// compare by column type, text in code-point order. eq with an empty Value
	// matches records without a value; on a codes field (a "|" set) it matches
	// records whose set holds the code. prefix is exact (case-sensitive) so it
	// can use an index; contains ignores ASCII case, like Query.Text.
	Op    string
	Value string
}

// Query says which records of a dataset a search returns, and in what order.
type Query struct {
	Dataset string
	AsOf    time.Time // zero: current state; else the state at that instant (sy_from <= t < sy_to)
	Owner   string    // "" all owners; else only that agency's records
	Filters []Filter
	Text    string // contains-match over TextFields, ignoring ASCII case
	Sort    string // a field of SortableFields; "" = business key order
	Desc    bool
	After   string // opaque cursor from a previous Page.Next ("" = first page)
	Limit   int    // default 50, max 1000
	// Withdrawn includes withdrawn records. A withdrawn record is its
	// withdrawal version: Deleted set and no field values (History has the
	// ones before), so field filters other than the key's leave it out.
	Withdrawn bool
}

// Page is one page of search results.
type Page struct {
	Versions []*Version // Values in field order, "" for null
	Next     string     // cursor for the next page, "" when there are no more
}

const (
	defaultLimit = 50
	maxLimit     = 1000
)

// Search returns one page of the records q selects, in q's order. Pages are
// keyset-paginated: Next holds the last row's sort value and key, so a deep
// page costs what the first does. Errors of the caller wrap ErrQuery.
func (s *Store) Search(ctx context.Context, q Query) (*Page, error) {
	p, err := s.plan(q)
	if err != nil {
		return nil, err
	}
	release, err := s.enter(ctx)
	if err != nil {
		return nil, err
	}
	defer release()
	var got []*Version
	err = p.each(ctx, p.limit+1, func(v *Version) error {
		got = append(got, v)
		return nil
	})
	if err != nil {
		return nil, err
	}
	page := &Page{Versions: got}
	if len(got) > p.limit {
		page.Versions = got[:p.limit]
		page.Next = p.cursorAfter(got[p.limit-1])
	}
	return page, nil
}

// SearchEach calls fn with every record q selects, in q's order, from q.After
// on (Limit is ignored): the rows stream from one query per segment, so memory
// stays flat for a download of a whole filtered view.
func (s *Store) SearchEach(ctx context.Context, q Query, fn func(*Version) error) error {
	p, err := s.plan(q)
	if err != nil {
		return err
	}
	return p.each(ctx, -1, fn)
}

// SearchCount counts the records q selects (Sort and After are ignored),
// stopping at max: more is true when there are more than max. max <= 0 counts
// them all, which on a huge result reads every match.
func (s *Store) SearchCount(ctx context.Context, q Query, max int) (n int, more bool, err error) {
	q.Sort, q.Desc, q.After = "", false, ""
	p, err := s.plan(q)
	if err != nil {
		return 0, false, err
	}
	use, err := p.chooseCount(ctx)
	if err != nil {
		return 0, false, err
	}
	// Without an index term, read the table in order: left to itself SQLite
	// scanned a partial index, reading rows in its random order (5.5 s
	// against 1.0 s at 1,000,000); written +col, validAt's terms keep the
	// partial indexes out too.
	where, args := p.where(use, nil, use != nil && *use == "")
	limit := ""
	if max > 0 {
		limit, args = " LIMIT ?", append(args, max+1)
	}
	release, err := s.enter(ctx)
	if err != nil {
		return 0, false, err
	}
	defer release()
	count := "SELECT COUNT(*) FROM (SELECT 1 FROM " + p.t.name + " WHERE " + where + limit + ") AS m"
	if n, err = s.searchCount(ctx, count, args); err != nil {
		return 0, false, fmt.Errorf("count %s: %w", p.t.ds.Name, err)
	}
	if max > 0 && n > max {
		return max, true, nil
	}
	return n, false, nil
}

// TextFields lists the fields Query.Text searches: the shareable free-text
// fields whose name has a "name" part (operator_name, ship_name_cn, name,
// company_name, project_name…): names of enterprises, ships, ports, sites and
// projects. Fields not shared with other agencies (a contact person's name)
// are left out, so a search cannot probe masked data. The first is the
// dataset's display name, which is indexed and sortable.
func TextFields(ds *standard.Dataset) []string {
	var out []string
	for _, f := range ds.Fields {
		if f.Type == standard.TypeString && shareable(f) && slices.Contains(strings.Split(f.Name, "_"), "name") {
			out = append(out, f.Name)
		}
	}
	return out
}

func shareable(f *standard.Field) bool { return f.Sharing == "" || f.Sharing == standard.Shareable }

// SortableFields lists the fields Search sorts by from an index: the business
// key (when it is one field with no alternative key; sorting by it is key
// order) and the display name, the first of TextFields. Filters on these and
// on LinkFields are fast too; other filters narrow what an index or the key
// order yields.
func SortableFields(ds *standard.Dataset) []string {
	var out []string
	if k := keyOrderField(ds); k != "" {
		out = append(out, k)
	}
	if n := displayName(ds); n != nil && !slices.Contains(out, n.Name) {
		out = append(out, n.Name)
	}
	return out
}

// keyOrderField is the field whose order is the key order, or "".
func keyOrderField(ds *standard.Dataset) string {
	if len(ds.Key) != 1 || len(ds.AltKey) != 0 {
		return ""
	}
	return ds.Key[0]
}

func displayName(ds *standard.Dataset) *standard.Field {
	if names := TextFields(ds); len(names) > 0 {
		return ds.Field(names[0])
	}
	return nil
}

// searchDialect is what search needs of a dialect beyond dialect; both
// implement it here, beside the only code that uses it.
type searchDialect interface {
	// ordered is a column as search compares, sorts and indexes it.
	ordered(f *standard.Field, col string) string
	// ilike is the LIKE that ignores ASCII case.
	ilike() string
	// steered: search chooses the index itself (see plan.choose).
	steered() bool
	// caches: the driver keeps prepared statements itself.
	caches() bool
	// planned returns a search's arguments, asking for a plan made with them
	// unless generic: any plan of the statement would read the same index.
	planned(args []any, generic bool) []any
}

// ordered: SQLite compares text by bytes (BINARY), i.e. in code-point order.
func (sqliteDialect) ordered(_ *standard.Field, col string) string { return col }
func (sqliteDialect) ilike() string                                { return "LIKE" }

// steered: SQLite plans without statistics (nothing runs ANALYZE), and would
// take "an equality on an index" for few rows: it sorted all 1,000,000 of an
// owner's records to show 50.
func (sqliteDialect) steered() bool { return true }
func (sqliteDialect) caches() bool  { return false }

func (sqliteDialect) planned(args []any, _ bool) []any { return args }

// ordered: PostgreSQL compares text in the database's collation (zh_CN or
// en_US on many servers), where a range is no prefix test and the order
// differs from SQLite's; COLLATE "C" gives code-point order on both, and its
// indexes serve prefix ranges.
func (pgDialect) ordered(f *standard.Field, col string) string {
	if textStored(f) {
		return col + ` COLLATE "C"`
	}
	return col
}
func (pgDialect) ilike() string { return "ILIKE" }

// steered: PostgreSQL's planner has statistics (autovacuum analyses).
func (pgDialect) steered() bool { return false }
func (pgDialect) caches() bool  { return true }

// planned: pgx prepares a statement once per connection, and after five runs
// PostgreSQL may keep a generic plan made without the arguments; for a name
// prefix ordered by key it walked the whole key index (p50 300 ms under 50
// clients). The unnamed statement of CacheDescribe is planned with them, at
// a price (planning was as dear as running: 50 clients searched a licence's
// vessels 1.3–1.9× faster with cached statements), so only where it matters.
func (pgDialect) planned(args []any, generic bool) []any {
	if generic {
		return args
	}
	return append([]any{pgx.QueryExecModeCacheDescribe}, args...)
}

// textStored: the field's column holds text on both back ends.
func textStored(f *standard.Field) bool {
	switch f.Type {
	case standard.TypeString, standard.TypeID, standard.TypeCode, standard.TypeCodes:
		return true
	}
	return false
}

// plan is a search made ready to run: its conditions (without the
// cursor's), its order and where it starts.
type plan struct {
	s       *Store
	t       *dsTable
	terms   []term
	valid   int             // the first terms, of validAt
	indexed map[string]bool // columns with a search index
	steer   bool            // choose the index for SQLite (see choose)
	sort    int             // index of the sort field, -1 for key order
	scol    string          // the sort column, as ordered
	desc    bool
	limit   int
	after   *cursor
}

// term is one condition. col names the column an index serves it from
// ("sy_key", "sy_owner", an indexed field's); op says how: '=' or a
// '>' (lower) or '<' (upper) bound.
type term struct {
	sql  string
	args []any
	col  string
	op   byte
}

func (s *Store) plan(q Query) (*plan, error) {
	ds := s.std.Dataset(q.Dataset)
	if ds == nil || s.tables[ds.Name] == nil {
		return nil, fmt.Errorf("%w: 没有数据集 %q", ErrQuery, q.Dataset)
	}
	p := &plan{s: s, t: s.tables[ds.Name], sort: -1, desc: q.Desc, limit: q.Limit, indexed: map[string]bool{}}
	if p.limit <= 0 {
		p.limit = defaultLimit
	}
	p.limit = min(p.limit, maxLimit)
	for _, ix := range searchIndexed(s.std, ds) {
		p.indexed[quote(ix.f.Name)] = true
	}
	// The partial indexes hold live current versions only.
	p.steer = s.d.(searchDialect).steered() && q.AsOf.IsZero() && !q.Withdrawn
	p.validAt(q.AsOf, q.Withdrawn)
	if q.Owner != "" {
		p.add(term{sql: "sy_owner = ?", args: []any{q.Owner}, col: "sy_owner", op: '='})
	}
	for _, f := range q.Filters {
		if err := p.filter(f); err != nil {
			return nil, err
		}
	}
	if err := p.text(q.Text); err != nil {
		return nil, err
	}
	if err := p.order(q.Sort); err != nil {
		return nil, err
	}
	return p, p.decodeAfter(q.After)
}

func (p *plan) add(t term) { p.terms = append(p.terms, t) }

// validAt selects the versions valid now or at asOf, the plan's first terms;
// the current-state condition is a literal so that the partial indexes apply.
func (p *plan) validAt(asOf time.Time, withdrawn bool) {
	if asOf.IsZero() {
		p.add(term{sql: isCurrent})
	} else {
		at := asOf.UnixMicro()
		p.add(term{sql: "sy_from <= ? AND sy_to > ?", args: []any{at, at}})
	}
	if !withdrawn {
		p.add(term{sql: "sy_deleted = 0"})
	}
	p.valid = len(p.terms)
}

// when is the condition of validAt: it picks one version of each key.
func (p *plan) when() (string, []any) {
	var conds []string
	var args []any
	for _, t := range p.terms[:p.valid] {
		conds, args = append(conds, t.sql), append(args, t.args...)
	}
	return strings.Join(conds, " AND "), args
}

func (p *plan) field(name string) (*standard.Field, error) {
	if f := p.t.ds.Field(name); f != nil {
		return f, nil
	}
	return nil, fmt.Errorf("%w: 数据集 %s 没有字段 %q", ErrQuery, p.t.ds.Name, name)
}

func (p *plan) filter(fl Filter) error {
	f, err := p.field(fl.Field)
	if err != nil {
		return err
	}
	v := strings.TrimSpace(fl.Value)
	if v == "" {
		if fl.Op != "eq" {
			return fmt.Errorf("%w: 字段 %s 的条件 %q 缺少值", ErrQuery, f.Name, fl.Op)
		}
		p.add(term{sql: quote(f.Name) + " IS NULL"})
		return nil
	}
	switch fl.Op {
	case "eq", "gte", "lte":
		return p.compare(f, fl.Op, v)
	case "prefix":
		if !textStored(f) {
			return fmt.Errorf("%w: 字段 %s 不是文本，不能用 %s", ErrQuery, f.Name, fl.Op)
		}
		// A range, not LIKE, so that an index serves it on both back ends.
		// U+10FFFF is the highest code point: the range holds every value that
		// starts with v (save one whose next character is U+10FFFF, a noncharacter).
		v = normalID(f, v)
		p.bound(f, '>', ">=", v)
		p.bound(f, '<', "<", v+"\U0010FFFF")
	case "contains":
		if !textStored(f) {
			return fmt.Errorf("%w: 字段 %s 不是文本，不能用 %s", ErrQuery, f.Name, fl.Op)
		}
		p.add(term{sql: quote(f.Name) + " " + p.s.d.(searchDialect).ilike() + " ? ESCAPE '\\'", args: []any{"%" + escapeLike(v) + "%"}})
	default:
		return fmt.Errorf("%w: 字段 %s 的条件 %q 未知（可用 eq、prefix、contains、gte、lte）", ErrQuery, f.Name, fl.Op)
	}
	return nil
}

func (p *plan) compare(f *standard.Field, op, v string) error {
	if f.Type == standard.TypeCodes {
		if op != "eq" {
			return fmt.Errorf("%w: 字段 %s 是代码集合，不能比较大小", ErrQuery, f.Name)
		}
		p.add(term{sql: "'|' || " + quote(f.Name) + " || '|' LIKE ? ESCAPE '\\'", args: []any{"%|" + escapeLike(p.code(f, v)) + "|%"}})
		return nil
	}
	arg, err := p.value(f, v)
	if err != nil {
		return err
	}
	switch op {
	case "eq":
		p.bound(f, '=', "=", arg)
	case "gte":
		p.bound(f, '>', ">=", arg)
	case "lte":
		p.bound(f, '<', "<=", arg)
	}
	return nil
}

// bound adds "field cmp arg". The key field is compared as sy_key, which
// the key's own index serves (and a withdrawal has no field values, only its
// key); where an alternative key may stand in sy_key, an equality checks the
// field too, and a range is the field's.
func (p *plan) bound(f *standard.Field, op byte, cmp string, arg any) {
	col := quote(f.Name)
	expr := p.s.d.(searchDialect).ordered(f, col)
	ds := p.t.ds
	switch {
	case op == '=' && len(ds.Key) == 1 && ds.Key[0] == f.Name:
		if len(ds.AltKey) > 0 {
			p.add(term{sql: expr + " = ?", args: []any{arg}})
		}
		col, expr = "sy_key", "sy_key"
	case f.Name == keyOrderField(ds):
		col, expr = "sy_key", p.s.d.(searchDialect).ordered(f, "sy_key")
	}
	t := term{sql: expr + " " + cmp + " ?", args: []any{arg}, op: op}
	if col == "sy_key" || p.indexed[col] {
		t.col = col
	}
	p.add(t)
}

// LinkFields lists the fields of ds whose search index serves the links
// between records: those that refer to another agency-fed dataset's one-field
// key (a vessel's operator_license_no). A record page can list the records
// pointing at it through these fast, and follow any reference to a key (its
// target's key index); a reference to anything else (a name, a tonnage, the
// maritime data's mmsi) is a consistency rule, read by scanning.
func LinkFields(std *standard.Standard, ds *standard.Dataset) []string {
	var out []string
	for _, ix := range searchIndexed(std, ds) {
		if ix.nonNulls {
			out = append(out, ix.f.Name)
		}
	}
	return out
}

// value converts a filter or cursor value to what the field's column is
// compared with, refusing one the field cannot hold (PostgreSQL would fail
// the query, SQLite would compare text with numbers).
func (p *plan) value(f *standard.Field, v string) (any, error) {
	bad := func() error {
		return fmt.Errorf("%w: 字段 %s 的值 %q 不是%s", ErrQuery, f.Name, v, typeName[f.Type])
	}
	switch f.Type {
	case standard.TypeInteger, standard.TypeBoolean:
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return nil, bad()
		}
		return n, nil
	case standard.TypeDecimal:
		if !isDecimal(v) {
			return nil, bad()
		}
	case standard.TypeDate:
		if _, err := time.Parse(time.DateOnly, v); err != nil {
			return nil, bad()
		}
	case standard.TypeCode:
		v = p.code(f, v)
	case standard.TypeID:
		v = normalID(f, v)
	}
	return p.s.d.value(f, v), nil
}

// isDecimal: [+-]digits[.digits], what both back ends read as a number
// (ParseFloat would also take 1e5, Inf and 0x1p-2).
func isDecimal(v string) bool {
	if v != "" && (v[0] == '+' || v[0] == '-') {
		v = v[1:]
	}
	whole, frac, dot := strings.Cut(v, ".")
	digits := func(s string) bool {
		return s != "" && strings.Trim(s, "0123456789") == ""
	}
	return digits(whole) && (!dot || digits(frac))
}

var typeName = map[standard.FieldType]string{standard.TypeInteger: "整数", standard.TypeBoolean: "1 或 0",
	standard.TypeDecimal: "数值", standard.TypeDate: "日期（YYYY-MM-DD）"}

// code turns a code's Chinese name or alias into the code records store.
func (p *plan) code(f *standard.Field, v string) string {
	if cl := p.s.std.CodeList(f.CodeList); cl != nil {
		if c, ok := cl.Lookup(v); ok {
			return c
		}
	}
	return v
}

// normalID upper-cases identifiers as ingest stores them (cn… → CN…).
func normalID(f *standard.Field, v string) string {
	if f.Type == standard.TypeID {
		return strings.ToUpper(v)
	}
	return v
}

func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

func (p *plan) text(text string) error {
	text = strings.TrimSpace(text)
	if text == "" {
		return nil
	}
	names := TextFields(p.t.ds)
	if len(names) == 0 {
		return fmt.Errorf("%w: 数据集 %s 没有可全文检索的名称字段", ErrQuery, p.t.ds.Name)
	}
	pattern := "%" + escapeLike(text) + "%"
	t := term{}
	var ors []string
	for _, n := range names {
		ors = append(ors, quote(n)+" "+p.s.d.(searchDialect).ilike()+" ? ESCAPE '\\'")
		t.args = append(t.args, pattern)
	}
	t.sql = "(" + strings.Join(ors, " OR ") + ")"
	p.add(t)
	return nil
}

func (p *plan) order(sort string) error {
	if sort == "" {
		return nil
	}
	f, err := p.field(sort)
	if err != nil {
		return err
	}
	sortable := SortableFields(p.t.ds)
	if !slices.Contains(sortable, f.Name) {
		return fmt.Errorf("%w: 字段 %s 不能排序（可排序：%s）", ErrQuery, f.Name, strings.Join(sortable, "、"))
	}
	if f.Name != keyOrderField(p.t.ds) {
		p.sort = p.t.ds.FieldIndex(f.Name)
		p.scol = p.s.d.(searchDialect).ordered(f, quote(f.Name))
	}
	return nil
}

// segment is a run of a search's order. Key order is one run. A field order
// is two: the records without a value, then those with one (reversed when
// descending). Querying them apart gives the same order on both back ends
// (PostgreSQL puts nulls last, SQLite first) and keeps each run an index range.
type segment int8

const (
	segKey segment = iota
	segNull
	segValue
)

func (p *plan) segments() []segment {
	switch {
	case p.sort < 0:
		return []segment{segKey}
	case p.desc:
		return []segment{segValue, segNull}
	}
	return []segment{segNull, segValue}
}

// each calls fn with the rows of the plan's segments from its cursor on, at
// most n of them (n < 0: all).
func (p *plan) each(ctx context.Context, n int, fn func(*Version) error) error {
	use, err := p.choose(ctx)
	if err != nil {
		return err
	}
	segs := p.segments()
	start := 0
	if p.after != nil {
		start = slices.Index(segs, p.after.Seg)
	}
	for i := start; i < len(segs) && n != 0; i++ {
		c := p.after
		if i != start {
			c = nil
		}
		got, err := p.run(ctx, use, segs[i], c, n, fn)
		if err != nil {
			return err
		}
		if n > 0 {
			n -= got
		}
	}
	return nil
}

// probeMax is how many matches of an index term choose counts at most.
// Reading and sorting that many rows costs about what walking the order's
// index costs to find a page when that many records match: a few
// milliseconds each on SQLite at 1,000,000 records (doc.go).
var probeMax = 2000

// choose says which column's index a SQLite page reads: returns a column
// whose terms' index also yields the page's order (a licence's vessels in key
// order, a name prefix in name order); else the column whose terms match
// fewest records, counted up to probeMax, if below it (read them and sort);
// else "" — walk the order's index and filter, which finds a page soon when
// many records match. Other index terms are written so that SQLite cannot
// use their index (see where). nil: no choice, the database plans.
func (p *plan) choose(ctx context.Context) (*string, error) {
	if !p.steer {
		return nil, nil
	}
	// A key, else a value, else a range.
	for _, first := range []func(term) bool{
		func(t term) bool { return t.col == "sy_key" && t.op == '=' },
		func(t term) bool { return t.op == '=' },
		func(term) bool { return true },
	} {
		for _, t := range p.terms {
			if t.col != "" && first(t) && p.orders(t) {
				return &t.col, nil
			}
		}
	}
	best, fewest := "", probeMax
	for _, col := range p.indexCols() {
		n, err := p.probe(ctx, col)
		if err != nil {
			return nil, err
		}
		if n < fewest {
			best, fewest = col, n
		}
	}
	return &best, nil
}

// orderedByIndex: an index term yields the page's order, so reading that
// index is the plan whatever the values (a licence's vessels, a name prefix
// by name).
func (p *plan) orderedByIndex() bool {
	return slices.ContainsFunc(p.terms, func(t term) bool { return t.col != "" && p.orders(t) })
}

// chooseCount is choose for a count: the index term matching fewest
// records, however many; "" when there is none. nil: the database plans.
func (p *plan) chooseCount(ctx context.Context) (*string, error) {
	if !p.steer {
		return nil, nil
	}
	best, fewest := "", -1
	for _, col := range p.indexCols() {
		n, err := p.probe(ctx, col)
		if err != nil {
			return nil, err
		}
		if fewest < 0 || n < fewest {
			best, fewest = col, n
		}
	}
	return &best, nil
}

// indexCols lists the columns of the index terms, once each.
func (p *plan) indexCols() []string {
	var cols []string
	for _, t := range p.terms {
		if t.col != "" && !slices.Contains(cols, t.col) {
			cols = append(cols, t.col)
		}
	}
	return cols
}

// orders: the index of t's column yields the page's order within t.
func (p *plan) orders(t term) bool {
	switch {
	case t.col == "sy_key":
		return t.op == '=' || p.sort < 0
	case t.col == "sy_owner":
		return false // (sy_owner) alone: an owner's records in no useful order
	case p.sort < 0:
		return t.op == '=' // (field, sy_key): one value's records in key order
	}
	return t.col == quote(p.t.ds.Fields[p.sort].Name)
}

// probe counts the live current records col's terms match, up to probeMax.
func (p *plan) probe(ctx context.Context, col string) (int, error) {
	conds, args := []string{isCurrent, "sy_deleted = 0"}, []any{}
	for _, t := range p.terms {
		if t.col == col {
			conds, args = append(conds, t.sql), append(args, t.args...)
		}
	}
	q := "SELECT COUNT(*) FROM (SELECT 1 FROM " + p.t.name + " WHERE " + strings.Join(conds, " AND ") + " LIMIT ?) AS m"
	n, err := p.s.searchCount(ctx, q, append(args, probeMax))
	if err != nil {
		return 0, fmt.Errorf("search %s: %w", p.t.ds.Name, err)
	}
	return n, nil
}

// where is the plan's condition. With a chosen column (use not nil), the
// other index terms are written +col (SQLite's way to keep an index out of a
// plan); so is a bound on the sort column that the cursor c replaces (SQLite
// takes one lower and one upper bound of a range), and with table the terms
// of validAt, which would let SQLite read a partial index.
func (p *plan) where(use *string, c *cursor, table bool) (string, []any) {
	conds, args := make([]string, 0, len(p.terms)), []any{}
	for i, t := range p.terms {
		sql := t.sql
		if use != nil && t.col != "" && (t.col != *use || c != nil && t.col == p.scolName() && t.op == p.cursorOp()) ||
			table && i < p.valid {
			sql = "+" + sql
		}
		conds, args = append(conds, sql), append(args, t.args...)
	}
	return strings.Join(conds, " AND "), args
}

func (p *plan) scolName() string {
	if p.sort < 0 {
		return "sy_key"
	}
	return quote(p.t.ds.Fields[p.sort].Name)
}

// cursorOp is the kind of bound a cursor sets: after the last row.
func (p *plan) cursorOp() byte {
	if p.desc {
		return '<'
	}
	return '>'
}

// run queries one segment after cursor c (nil: from its start).
func (p *plan) run(ctx context.Context, use *string, seg segment, c *cursor, n int, fn func(*Version) error) (int, error) {
	where, args := p.where(use, c, false)
	dir, after := " ASC", " > "
	if p.desc {
		dir, after = " DESC", " < "
	}
	order := "sy_key" + dir
	switch seg {
	case segNull:
		where += " AND " + p.scolName() + " IS NULL"
	case segValue:
		where += " AND " + p.scolName() + " IS NOT NULL"
		order = p.scol + dir + ", " + order
	}
	if c != nil && seg == segValue {
		val, err := p.value(p.t.ds.Fields[p.sort], c.Val)
		if err != nil {
			return 0, err
		}
		where += " AND (" + p.scol + ", sy_key)" + after + "(?, ?)"
		args = append(args, val, c.Key)
	} else if c != nil {
		where += " AND sy_key" + after + "?"
		args = append(args, c.Key)
	}
	sel := "SELECT " + versionMeta + ", " + p.t.selQ + " FROM " + p.t.name
	if n < 0 {
		return p.scan(ctx, sel+" WHERE "+where+" ORDER BY "+order, args, p.orderedByIndex(), fn)
	}
	// A page finds its keys first and reads its rows after: sorting the
	// matches of an index by key then carries keys, not 48 columns (a name
	// prefix matching 500 ships: SQLite read all 500 rows to keep 51).
	when, whenArgs := p.when()
	q := sel + " WHERE " + when + " AND sy_key IN (SELECT sy_key FROM " + p.t.name + " WHERE " + where +
		" ORDER BY " + order + " LIMIT ?) ORDER BY " + order
	return p.scan(ctx, q, append(append(whenArgs, args...), n), p.orderedByIndex(), fn)
}

func (p *plan) scan(ctx context.Context, q string, args []any, generic bool, fn func(*Version) error) (int, error) {
	rows, err := p.s.searchRows(ctx, q, args, generic)
	if err != nil {
		return 0, fmt.Errorf("search %s: %w", p.t.ds.Name, err)
	}
	defer rows.Close()
	got := 0
	for rows.Next() {
		v, err := scanVersion(rows, len(p.t.cols))
		if err != nil {
			return got, fmt.Errorf("search %s: %w", p.t.ds.Name, err)
		}
		got++
		if err := fn(v); err != nil {
			return got, err
		}
	}
	return got, rows.Err()
}

// cursor is where a page ended: the last row's segment, sort value and key,
// with the order it belongs to so that it is not misread under another.
type cursor struct {
	Sort string  `json:"s,omitempty"` // sort field; "" key order
	Desc bool    `json:"d,omitempty"`
	Seg  segment `json:"g,omitempty"`
	Val  string  `json:"v,omitempty"`
	Key  string  `json:"k"`
}

func (p *plan) sortName() string {
	if p.sort < 0 {
		return ""
	}
	return p.t.ds.Fields[p.sort].Name
}

func (p *plan) cursorAfter(v *Version) string {
	c := cursor{Sort: p.sortName(), Desc: p.desc, Key: v.Key}
	if p.sort >= 0 {
		c.Seg, c.Val = segNull, v.Values[p.sort]
		if c.Val != "" {
			c.Seg = segValue
		}
	}
	b, _ := json.Marshal(c) // strings and small numbers: cannot fail
	return base64.RawURLEncoding.EncodeToString(b)
}

func (p *plan) decodeAfter(after string) error {
	if after == "" {
		return nil
	}
	bad := fmt.Errorf("%w: 翻页标记无效或与排序方式不符，请从第一页重新开始", ErrQuery)
	b, err := base64.RawURLEncoding.DecodeString(after)
	if err != nil {
		return bad
	}
	var c cursor
	if err := json.Unmarshal(b, &c); err != nil || c.Sort != p.sortName() || c.Desc != p.desc || !slices.Contains(p.segments(), c.Seg) {
		return bad
	}
	p.after = &c
	return nil
}

// searchGates holds each read pool's gate: a queue in front of it, as wide
// as the pool. database/sql hands a freed connection to a random waiter, so
// under 50 clients on SQLite's 4 read connections one search in a hundred
// waited four times as long as the median; a channel wakes its waiters in
// order. SearchEach goes round it: a download's fn may itself search.
var searchGates sync.Map // *sql.DB → chan struct{}

// enter waits for a place in the gate; release gives it back.
func (s *Store) enter(ctx context.Context) (release func(), err error) {
	width := s.r.Stats().MaxOpenConnections
	if width <= 0 {
		return func() {}, nil
	}
	g, _ := searchGates.LoadOrStore(s.r, make(chan struct{}, width))
	gate := g.(chan struct{})
	select {
	case gate <- struct{}{}:
		return func() { <-gate }, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// searchStmts holds each SQLite read pool's prepared search statements:
// SQLite parses a statement anew on every query, and parsing a page's
// 48-column SELECT took a fifth of its CPU. (pgx keeps a cache of its own.)
var searchStmts sync.Map // *sql.DB → *stmtCache

type stmtCache struct {
	mu sync.Mutex
	m  map[string]*sql.Stmt
}

// maxStmts bounds a pool's cached statements; later ones are not cached
// (statements are never closed while a search might be using them).
const maxStmts = 500

func (s *Store) searchRows(ctx context.Context, q string, args []any, generic bool) (*sql.Rows, error) {
	q = s.d.rebind(q)
	if st := s.searchStmt(ctx, q); st != nil {
		return st.QueryContext(ctx, args...)
	}
	return s.r.QueryContext(ctx, q, s.d.(searchDialect).planned(args, generic)...)
}

func (s *Store) searchCount(ctx context.Context, q string, args []any) (int, error) {
	rows, err := s.searchRows(ctx, q, args, false)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	var n int
	if rows.Next() {
		err = rows.Scan(&n)
	}
	return n, errors.Join(err, rows.Err())
}

func (s *Store) searchStmt(ctx context.Context, q string) *sql.Stmt {
	if s.d.(searchDialect).caches() {
		return nil
	}
	v, _ := searchStmts.LoadOrStore(s.r, &stmtCache{m: map[string]*sql.Stmt{}})
	c := v.(*stmtCache)
	c.mu.Lock()
	defer c.mu.Unlock()
	if st, ok := c.m[q]; ok || len(c.m) >= maxStmts {
		return st
	}
	st, err := s.r.PrepareContext(ctx, q)
	if err != nil {
		return nil // the query itself reports it
	}
	c.m[q] = st
	return st
}
