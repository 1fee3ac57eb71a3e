package store_test

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"shuiyun/internal/standard"
	"shuiyun/internal/store"
)

const vessels = "vessel_operating_certificate"

// vessel is one certificate row of a test: field → normalised value; cert_no is the key.
type vessel map[string]string

// putVessels applies one package of certificate rows with the same op ('U' upsert, 'D' withdraw).
func putVessels(t testing.TB, s *store.Store, sender string, seq int64, op byte, rows ...vessel) {
	t.Helper()
	ctx := context.Background()
	ds := s.Standard().Dataset(vessels)
	path := fmt.Sprintf("search/%s/%d/%s", sender, seq, hex.EncodeToString(fmt.Append(nil, time.Now().UnixNano())))
	if _, _, err := s.Enqueue(ctx, store.Job{Inbox: sender, Name: "v.zip", Path: path, SHA256: path, Size: 1}); err != nil {
		t.Fatal(err)
	}
	job, err := s.Claim(ctx, "w1", time.Minute)
	if err != nil || job == nil {
		t.Fatalf("claim: %v %v", job, err)
	}
	tx, err := s.Begin(ctx, job, "w1")
	if err != nil {
		t.Fatal(err)
	}
	defer func() {
		tx.Rollback()
		s.Done(ctx, job, "w1")
	}()
	w, err := tx.Dataset(ctx, vessels, store.Batch{Sender: sender, Seq: seq, DataDate: "2026-11-25"})
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range rows {
		vals := make([]string, len(ds.Fields))
		for name, v := range r {
			vals[ds.FieldIndex(name)] = v
		}
		if err := w.Put(ctx, i+2, op, r["cert_no"], vals); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := w.Close(ctx); err != nil {
		t.Fatal(err)
	}
	err = tx.Finish(ctx, &store.Delivery{Inbox: sender, Name: path, Sender: sender, Seq: seq, Status: "accepted", Applied: true},
		func(*store.Delivery, []int64) ([]byte, error) { return []byte("{}"), nil })
	if err != nil {
		t.Fatal(err)
	}
}

// fleet is the fixture of most search tests: V01–V09 from 320000, V10–V11
// from 330000, V12 withdrawn, and V01 renamed by a later package.
var fleet = []vessel{
	{"cert_no": "V01", "ship_name_cn": "苏州货1", "ship_id": "CN20101234561", "operator_license_no": "XK1", "ship_type": "GEN",
		"build_date": "2010-01-01", "gross_tonnage": "100.5", "engine_count": "1", "licensed_scope": "11|12", "owner_name": "苏州航运有限公司"},
	{"cert_no": "V02", "ship_name_cn": "苏州货2", "ship_id": "CN20121234562", "operator_license_no": "XK1", "ship_type": "CNT",
		"build_date": "2012-05-05", "gross_tonnage": "200", "engine_count": "2", "licensed_scope": "12"},
	{"cert_no": "V03", "ship_name_cn": "Alpha号", "operator_license_no": "XK2", "ship_type": "GEN",
		"build_date": "2015-07-31", "gross_tonnage": "1200", "engine_count": "2", "licensed_scope": "21"},
	{"cert_no": "V04", "ship_name_cn": "alpha二", "operator_license_no": "XK2", "ship_type": "PAX", "gross_tonnage": "99.25"},
	{"cert_no": "V05", "ship_name_cn": "镇江油1", "operator_license_no": "XK3", "ship_type": "GEN", "owner_name": "ALPHA SHIPPING"},
	{"cert_no": "V06", "operator_license_no": "XK3", "ship_type": "GEN", "build_date": "2020-02-29"},
	{"cert_no": "V07", "operator_license_no": "XK3", "ship_type": "CNT"},
	{"cert_no": "V08", "ship_name_cn": "50%_off", "operator_license_no": "XK4", "ship_type": "GEN"},
	{"cert_no": "V09", "ship_name_cn": "O'Brien'); DROP TABLE rec_vessel_operating_certificate;--", "operator_license_no": "XK4", "ship_type": "GEN"},
	{"cert_no": "V10", "ship_name_cn": "浙货1", "operator_license_no": "ZK1", "ship_type": "GEN"},
	{"cert_no": "V11", "ship_name_cn": "苏州货1", "operator_license_no": "ZK1", "ship_type": "PAX"},
}

// loadFleet stores the fixture and returns the instant before V01 was renamed.
func loadFleet(t *testing.T, s *store.Store) time.Time {
	t.Helper()
	clk := &clock{t: time.Date(2026, 11, 25, 8, 0, 0, 0, time.UTC)}
	s.Now = clk.now
	putVessels(t, s, "320000", 1, 'U', fleet[:9]...)
	putVessels(t, s, "320000", 2, 'U', vessel{"cert_no": "V12", "ship_name_cn": "撤回号", "operator_license_no": "XK1", "ship_type": "GEN"})
	putVessels(t, s, "330000", 1, 'U', fleet[9:]...)
	before := clk.tick()
	clk.tick()
	renamed := maps(fleet[0], "ship_name_cn", "苏州货1改")
	putVessels(t, s, "320000", 3, 'U', renamed)
	putVessels(t, s, "320000", 4, 'D', vessel{"cert_no": "V12"})
	clk.tick()
	return before
}

// maps returns a copy of v with field set to value.
func maps(v vessel, field, value string) vessel {
	out := vessel{}
	for k, x := range v {
		out[k] = x
	}
	out[field] = value
	return out
}

// keys runs a search and returns the keys of its single page.
func keys(t *testing.T, s *store.Store, q store.Query) []string {
	t.Helper()
	q.Dataset = vessels
	p, err := s.Search(context.Background(), q)
	if err != nil {
		t.Fatalf("Search(%+v): %v", q, err)
	}
	var out []string
	for _, v := range p.Versions {
		out = append(out, v.Key)
	}
	return out
}

func TestSearchFilters(t *testing.T) {
	std := mustStandard(t)
	backends(t, func(t *testing.T, open opener) {
		s := open(std)
		loadFleet(t, s)
		f := func(field, op, value string) []store.Filter {
			return []store.Filter{{Field: field, Op: op, Value: value}}
		}
		tests := []struct {
			name string
			q    store.Query
			want []string
		}{
			{"all current live", store.Query{}, []string{"V01", "V02", "V03", "V04", "V05", "V06", "V07", "V08", "V09", "V10", "V11"}},
			{"eq reference", store.Query{Filters: f("operator_license_no", "eq", "XK1")}, []string{"V01", "V02"}},
			{"eq by label", store.Query{Filters: f("经营许可证号码", "eq", "XK2")}, []string{"V03", "V04"}},
			{"eq code", store.Query{Filters: f("ship_type", "eq", "CNT")}, []string{"V02", "V07"}},
			{"eq empty is no value", store.Query{Filters: f("ship_name_cn", "eq", "")}, []string{"V06", "V07"}},
			{"eq codes holds the code", store.Query{Filters: f("licensed_scope", "eq", "12")}, []string{"V01", "V02"}},
			{"eq integer", store.Query{Filters: f("engine_count", "eq", "2")}, []string{"V02", "V03"}},
			{"eq decimal", store.Query{Filters: f("gross_tonnage", "eq", "200.0")}, []string{"V02"}},
			{"eq id, lower case", store.Query{Filters: f("ship_id", "eq", "cn20121234562")}, []string{"V02"}},
			{"prefix", store.Query{Filters: f("ship_name_cn", "prefix", "苏州货")}, []string{"V01", "V02", "V11"}},
			{"prefix is case-sensitive", store.Query{Filters: f("ship_name_cn", "prefix", "alpha")}, []string{"V04"}},
			{"prefix id", store.Query{Filters: f("ship_id", "prefix", "cn2010")}, []string{"V01"}},
			{"prefix percent is literal", store.Query{Filters: f("ship_name_cn", "prefix", "50%")}, []string{"V08"}},
			{"contains ignores ASCII case", store.Query{Filters: f("ship_name_cn", "contains", "ALPHA")}, []string{"V03", "V04"}},
			{"contains underscore is literal", store.Query{Filters: f("ship_name_cn", "contains", "%_")}, []string{"V08"}},
			{"contains percent alone", store.Query{Filters: f("ship_name_cn", "contains", "%")}, []string{"V08"}},
			{"gte date", store.Query{Filters: f("build_date", "gte", "2012-05-05")}, []string{"V02", "V03", "V06"}},
			{"lte date", store.Query{Filters: f("build_date", "lte", "2012-05-05")}, []string{"V01", "V02"}},
			{"gte decimal numerically", store.Query{Filters: f("gross_tonnage", "gte", "100.5")}, []string{"V01", "V02", "V03"}},
			{"lte decimal numerically", store.Query{Filters: f("gross_tonnage", "lte", "100")}, []string{"V04"}},
			{"gte negative decimal", store.Query{Filters: f("gross_tonnage", "gte", "-1.5")}, []string{"V01", "V02", "V03", "V04"}},
			{"gte text", store.Query{Filters: f("operator_license_no", "gte", "XK3")}, []string{"V05", "V06", "V07", "V08", "V09", "V10", "V11"}},
			{"range", store.Query{Filters: []store.Filter{{"build_date", "gte", "2011-01-01"}, {"build_date", "lte", "2016-01-01"}}}, []string{"V02", "V03"}},
			{"owner", store.Query{Owner: "330000"}, []string{"V10", "V11"}},
			{"owner and code", store.Query{Owner: "320000", Filters: f("ship_type", "eq", "GEN")}, []string{"V01", "V03", "V05", "V06", "V08", "V09"}},
			{"owner and reference", store.Query{Owner: "330000", Filters: f("operator_license_no", "eq", "XK1")}, nil},
			{"text over all names", store.Query{Text: "alpha"}, []string{"V03", "V04", "V05"}},
			{"text other name field", store.Query{Text: "航运有限"}, []string{"V01"}},
			{"text with filter", store.Query{Text: "苏州", Filters: f("ship_type", "eq", "PAX")}, []string{"V11"}},
			{"text percent is literal", store.Query{Text: "0%"}, []string{"V08"}},
			{"injection is a value", store.Query{Filters: f("ship_name_cn", "eq", "O'Brien'); DROP TABLE rec_vessel_operating_certificate;--")}, []string{"V09"}},
			{"injection in text", store.Query{Text: "'); DROP TABLE"}, []string{"V09"}},
			{"injection finds nothing", store.Query{Filters: f("operator_license_no", "eq", "' OR '1'='1")}, nil},
			{"eq key", store.Query{Filters: f("cert_no", "eq", "V03")}, []string{"V03"}},
			// A withdrawn record is its withdrawal: a version without values.
			{"withdrawn too", store.Query{Withdrawn: true, Filters: f("ship_name_cn", "eq", "")}, []string{"V06", "V07", "V12"}},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				if diff := cmp.Diff(tt.want, keys(t, s, tt.q)); diff != "" {
					t.Errorf("Search(%+v) keys (-want +got):\n%s", tt.q, diff)
				}
			})
		}
		if n, _ := s.Count(context.Background(), vessels, ""); n != 11 {
			t.Errorf("after the injection attempts %d records, want 11", n)
		}
	})
}

func TestSearchAsOfAndWithdrawn(t *testing.T) {
	std := mustStandard(t)
	backends(t, func(t *testing.T, open opener) {
		s := open(std)
		before := loadFleet(t, s)
		ds := std.Dataset(vessels)
		name := func(q store.Query) map[string]string {
			q.Dataset, q.Filters = vessels, []store.Filter{{Field: "operator_license_no", Op: "eq", Value: "XK1"}}
			p, err := s.Search(context.Background(), q)
			if err != nil {
				t.Fatal(err)
			}
			out := map[string]string{}
			for _, v := range p.Versions {
				out[v.Key] = fmt.Sprintf("%s deleted=%v", v.Values[ds.FieldIndex("ship_name_cn")], v.Deleted)
			}
			return out
		}
		tests := []struct {
			name string
			q    store.Query
			want map[string]string
		}{
			{"now", store.Query{}, map[string]string{"V01": "苏州货1改 deleted=false", "V02": "苏州货2 deleted=false"}},
			{"as of before the rename and the withdrawal", store.Query{AsOf: before},
				map[string]string{"V01": "苏州货1 deleted=false", "V02": "苏州货2 deleted=false", "V12": "撤回号 deleted=false"}},
			{"before anything", store.Query{AsOf: before.Add(-time.Hour)}, map[string]string{}},
		}
		for _, tt := range tests {
			if diff := cmp.Diff(tt.want, name(tt.q)); diff != "" {
				t.Errorf("%s (-want +got):\n%s", tt.name, diff)
			}
		}
		v12 := store.Query{Dataset: vessels, Filters: []store.Filter{{Field: "cert_no", Op: "eq", Value: "V12"}}}
		if got := keys(t, s, v12); got != nil {
			t.Errorf("withdrawn V12 found: %v", got)
		}
		v12.Withdrawn = true
		if p, err := s.Search(context.Background(), v12); err != nil || len(p.Versions) != 1 || !p.Versions[0].Deleted {
			t.Errorf("with withdrawn records, V12 = %+v, %v; want its withdrawal", p, err)
		}
		// The old name is found as of before the rename only.
		old := store.Query{Filters: []store.Filter{{Field: "ship_name_cn", Op: "eq", Value: "苏州货1"}}}
		if diff := cmp.Diff([]string{"V11"}, keys(t, s, old)); diff != "" {
			t.Errorf("old name now (-want +got):\n%s", diff)
		}
		old.AsOf = before
		if diff := cmp.Diff([]string{"V01", "V11"}, keys(t, s, old)); diff != "" {
			t.Errorf("old name as of before (-want +got):\n%s", diff)
		}
	})
}

func TestSearchSort(t *testing.T) {
	std := mustStandard(t)
	backends(t, func(t *testing.T, open opener) {
		s := open(std)
		loadFleet(t, s)
		putVessels(t, s, "320000", 5, 'U', vessel{"cert_no": "V00", "ship_name_cn": "苏州货2"}) // a tie with V02
		tests := []struct {
			name string
			q    store.Query
			want []string
		}{
			{"key", store.Query{}, []string{"V00", "V01", "V02", "V03", "V04", "V05", "V06", "V07", "V08", "V09", "V10", "V11"}},
			{"key desc", store.Query{Desc: true}, []string{"V11", "V10", "V09", "V08", "V07", "V06", "V05", "V04", "V03", "V02", "V01", "V00"}},
			{"key field is key order", store.Query{Sort: "cert_no", Desc: true, Owner: "330000"}, []string{"V11", "V10"}},
			// Code-point order on both back ends: digits, Latin capitals, small
			// letters, then CJK (浙 U+6D59 < 苏 U+82CF < 镇 U+9547); records
			// without a name first, ties by key.
			{"name", store.Query{Sort: "ship_name_cn"}, []string{"V06", "V07", "V08", "V03", "V09", "V04", "V10", "V11", "V01", "V00", "V02", "V05"}},
			{"name desc", store.Query{Sort: "ship_name_cn", Desc: true}, []string{"V05", "V02", "V00", "V01", "V11", "V10", "V04", "V09", "V03", "V08", "V07", "V06"}},
			{"name by label, filtered", store.Query{Sort: "中文船名", Filters: []store.Filter{{Field: "ship_type", Op: "eq", Value: "CNT"}}}, []string{"V07", "V02"}},
		}
		for _, tt := range tests {
			if diff := cmp.Diff(tt.want, keys(t, s, tt.q)); diff != "" {
				t.Errorf("%s: keys (-want +got):\n%s", tt.name, diff)
			}
		}
	})
}

// TestSearchPages walks every order page by page for several page sizes:
// each record comes exactly once and in the order of one big page.
func TestSearchPages(t *testing.T) {
	std := mustStandard(t)
	backends(t, func(t *testing.T, open opener) {
		s := open(std)
		rng := rand.New(rand.NewPCG(3, 5))
		var rows []vessel
		for i := range 40 {
			v := vessel{"cert_no": fmt.Sprintf("P%03d", rng.IntN(1000)*1000+i), "operator_license_no": fmt.Sprint("XK", i%3)}
			if rng.IntN(4) != 0 { // a quarter without a name; few names, so many ties
				v["ship_name_cn"] = []string{"苏货", "Alpha", "浙客", "苏货2"}[rng.IntN(4)]
			}
			rows = append(rows, v)
		}
		putVessels(t, s, "320000", 1, 'U', rows...)
		queries := map[string]store.Query{
			"key":                     {},
			"key desc":                {Desc: true},
			"name":                    {Sort: "ship_name_cn"},
			"name desc":               {Sort: "ship_name_cn", Desc: true},
			"name, filtered":          {Sort: "ship_name_cn", Filters: []store.Filter{{Field: "operator_license_no", Op: "eq", Value: "XK1"}}},
			"key desc, text":          {Desc: true, Text: "苏货"},
			"name desc, prefix":       {Sort: "ship_name_cn", Desc: true, Filters: []store.Filter{{Field: "ship_name_cn", Op: "prefix", Value: "苏"}}},
			"name, as of now":         {Sort: "ship_name_cn", AsOf: time.Now()},
			"key desc, withdrawn too": {Desc: true, Withdrawn: true},
		}
		for name, q := range queries {
			q.Dataset = vessels
			all := q
			all.Limit = 1000
			want := keys(t, s, all)
			var each []string
			err := s.SearchEach(context.Background(), q, func(v *store.Version) error { each = append(each, v.Key); return nil })
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(want, each); diff != "" {
				t.Errorf("%s: SearchEach (-one page +each):\n%s", name, diff)
			}
			for _, size := range []int{1, 2, 3, 7, 10, 40, 41} {
				if got := walk(t, s, q, size); !cmp.Equal(want, got) {
					t.Errorf("%s, pages of %d: %s", name, size, cmp.Diff(want, got))
				}
			}
		}
		if n := len(keys(t, s, store.Query{Limit: 1000})); n != 40 {
			t.Errorf("one page holds %d records, want 40", n)
		}
	})
}

// walk follows Next from the first page to the last.
func walk(t *testing.T, s *store.Store, q store.Query, size int) []string {
	t.Helper()
	q.Limit = size
	var out []string
	for range 100 {
		p, err := s.Search(context.Background(), q)
		if err != nil {
			t.Fatal(err)
		}
		if len(p.Versions) > size || (p.Next != "" && len(p.Versions) != size) {
			t.Fatalf("page of %d holds %d records (next %q)", size, len(p.Versions), p.Next)
		}
		for _, v := range p.Versions {
			out = append(out, v.Key)
		}
		if p.Next == "" {
			return out
		}
		q.After = p.Next
	}
	t.Fatal("pages never end")
	return nil
}

func TestSearchDefaultLimit(t *testing.T) {
	std := mustStandard(t)
	backends(t, func(t *testing.T, open opener) {
		s := open(std)
		var rows []vessel
		for i := range 60 {
			rows = append(rows, vessel{"cert_no": fmt.Sprintf("L%02d", i)})
		}
		putVessels(t, s, "320000", 1, 'U', rows...)
		p, err := s.Search(context.Background(), store.Query{Dataset: "D03"})
		if err != nil {
			t.Fatal(err)
		}
		if len(p.Versions) != 50 || p.Next == "" {
			t.Errorf("first page: %d records, next %q; want 50 and a cursor", len(p.Versions), p.Next)
		}
	})
}

func TestSearchCount(t *testing.T) {
	std := mustStandard(t)
	backends(t, func(t *testing.T, open opener) {
		s := open(std)
		loadFleet(t, s)
		gen := []store.Filter{{Field: "ship_type", Op: "eq", Value: "GEN"}}
		tests := []struct {
			q        store.Query
			max      int
			wantN    int
			wantMore bool
		}{
			{store.Query{}, 100, 11, false},
			{store.Query{}, 11, 11, false},
			{store.Query{}, 10, 10, true},
			{store.Query{}, 0, 11, false},
			{store.Query{Filters: gen}, 3, 3, true},
			{store.Query{Filters: gen, Owner: "320000"}, 100, 6, false},
			{store.Query{Withdrawn: true}, 100, 12, false},
			{store.Query{Text: "苏州", Sort: "ship_name_cn", After: "ignored"}, 100, 3, false},
		}
		for _, tt := range tests {
			tt.q.Dataset = vessels
			n, more, err := s.SearchCount(context.Background(), tt.q, tt.max)
			if err != nil {
				t.Fatal(err)
			}
			if n != tt.wantN || more != tt.wantMore {
				t.Errorf("SearchCount(%+v, %d) = %d, %v; want %d, %v", tt.q, tt.max, n, more, tt.wantN, tt.wantMore)
			}
		}
	})
}

func TestSearchErrors(t *testing.T) {
	std := mustStandard(t)
	backends(t, func(t *testing.T, open opener) {
		s := open(std)
		loadFleet(t, s)
		p, err := s.Search(context.Background(), store.Query{Dataset: vessels, Limit: 2})
		if err != nil {
			t.Fatal(err)
		}
		f := func(field, op, value string) []store.Filter {
			return []store.Filter{{Field: field, Op: op, Value: value}}
		}
		tests := []struct {
			q    store.Query
			want string // in the message
		}{
			{store.Query{Dataset: "no_such"}, `"no_such"`},
			{store.Query{Filters: f("ship_nmae", "eq", "x")}, `"ship_nmae"`},
			{store.Query{Filters: f("ship_name_cn", "like", "x")}, `"like"`},
			{store.Query{Filters: f("ship_name_cn", "prefix", " ")}, "缺少值"},
			{store.Query{Filters: f("gross_tonnage", "gte", "1e")}, "gross_tonnage"},
			{store.Query{Filters: f("gross_tonnage", "gte", "1e5")}, "gross_tonnage"},
			{store.Query{Filters: f("gross_tonnage", "lte", "Inf")}, "gross_tonnage"},
			{store.Query{Filters: f("gross_tonnage", "lte", "--1")}, "gross_tonnage"},
			{store.Query{Filters: f("engine_count", "eq", "2.5")}, "engine_count"},
			{store.Query{Filters: f("build_date", "lte", "2020-02-30")}, "build_date"},
			{store.Query{Filters: f("gross_tonnage", "prefix", "1")}, "不是文本"},
			{store.Query{Filters: f("licensed_scope", "gte", "11")}, "licensed_scope"},
			{store.Query{Sort: "build_date"}, "不能排序"},
			{store.Query{Sort: "no_such"}, `"no_such"`},
			{store.Query{After: "%%%"}, "翻页"},
			{store.Query{After: p.Next, Sort: "ship_name_cn"}, "翻页"},
			{store.Query{After: p.Next, Desc: true}, "翻页"},
		}
		for _, tt := range tests {
			if tt.q.Dataset == "" {
				tt.q.Dataset = vessels
			}
			_, err := s.Search(context.Background(), tt.q)
			if !errors.Is(err, store.ErrQuery) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Search(%+v) = %v, want ErrQuery naming %s", tt.q, err, tt.want)
			}
		}
		if _, _, err := s.SearchCount(context.Background(), store.Query{Dataset: vessels, Filters: f("x", "eq", "1")}, 10); !errors.Is(err, store.ErrQuery) {
			t.Errorf("SearchCount with an unknown field = %v, want ErrQuery", err)
		}
		if err := s.SearchEach(context.Background(), store.Query{Dataset: "vessel_survey", Text: "x"}, nil); !errors.Is(err, store.ErrQuery) {
			t.Errorf("SearchEach with text on a dataset without names = %v, want ErrQuery", err)
		}
	})
}

func TestSearchFields(t *testing.T) {
	std := mustStandard(t)
	ds := func(name string) *standard.Dataset { return std.Dataset(name) }
	tests := []struct {
		name           string
		text, sortable []string
	}{
		{vessels, []string{"ship_name_cn", "former_name", "operator_name", "owner_name", "manager_name"}, []string{"cert_no", "ship_name_cn"}},
		// contact_name is not shared: text search must not probe it.
		{"port_operator", []string{"company_name", "short_name", "port_name"}, []string{"uscc", "company_name"}},
		// An alternative key: sy_key order is not project_code order.
		{"waterway_construction_project", []string{"project_name", "owner_name", "supervisor_name", "contractor_name"}, []string{"project_name"}},
		{"vessel_survey", nil, nil},
	}
	for _, tt := range tests {
		if diff := cmp.Diff(tt.text, store.TextFields(ds(tt.name))); diff != "" {
			t.Errorf("TextFields(%s) (-want +got):\n%s", tt.name, diff)
		}
		if diff := cmp.Diff(tt.sortable, store.SortableFields(ds(tt.name))); diff != "" {
			t.Errorf("SortableFields(%s) (-want +got):\n%s", tt.name, diff)
		}
	}
	for _, d := range std.Datasets {
		for _, f := range append(store.TextFields(d), store.SortableFields(d)...) {
			if d.Field(f) == nil || !slices.Contains(d.Key, f) && d.Field(f).Type != standard.TypeString {
				t.Errorf("%s: %s listed, not a name or key field", d.Name, f)
			}
		}
	}
}

// TestSearchLargeResults: with more matches than choose counts, SQLite walks
// the order's index instead of reading an index term's run; both ways give
// the same records, each page after the other.
func TestSearchLargeResults(t *testing.T) {
	std := mustStandard(t)
	backends(t, func(t *testing.T, open opener) {
		s := open(std)
		var rows []vessel
		for i := range 2500 {
			v := vessel{"cert_no": fmt.Sprintf("S%04d", i), "operator_license_no": fmt.Sprint("XK", i%3),
				"ship_type": []string{"GEN", "CNT"}[min(1, i%7)]}
			if i%10 != 0 {
				v["ship_name_cn"] = fmt.Sprintf("苏%s%d", []string{"南京", "苏州"}[i%2], i%50)
			}
			rows = append(rows, v)
		}
		defer store.SetChunk(store.SetChunk(2000))
		putVessels(t, s, "320000", 1, 'U', rows...)
		has := func(field, value string) func(vessel) bool { return func(v vessel) bool { return v[field] == value } }
		prefix := func(p string) func(vessel) bool {
			return func(v vessel) bool { return strings.HasPrefix(v["ship_name_cn"], p) && v["ship_name_cn"] != "" }
		}
		tests := []struct {
			name  string
			q     store.Query
			match func(vessel) bool
		}{
			{"owner and code", store.Query{Owner: "320000", Filters: []store.Filter{{Field: "ship_type", Op: "eq", Value: "CNT"}}}, has("ship_type", "CNT")},
			{"broad prefix", store.Query{Filters: []store.Filter{{Field: "ship_name_cn", Op: "prefix", Value: "苏"}}}, prefix("苏")},
			{"broad prefix desc", store.Query{Desc: true, Filters: []store.Filter{{Field: "ship_name_cn", Op: "prefix", Value: "苏"}}}, prefix("苏")},
			{"narrow prefix", store.Query{Filters: []store.Filter{{Field: "ship_name_cn", Op: "prefix", Value: "苏南京1"}}}, prefix("苏南京1")},
			{"broad prefix by name", store.Query{Sort: "ship_name_cn", Filters: []store.Filter{{Field: "ship_name_cn", Op: "prefix", Value: "苏"}}}, prefix("苏")},
			{"licence", store.Query{Filters: []store.Filter{{Field: "operator_license_no", Op: "eq", Value: "XK1"}}}, has("operator_license_no", "XK1")},
			{"licence by name", store.Query{Sort: "ship_name_cn", Filters: []store.Filter{{Field: "operator_license_no", Op: "eq", Value: "XK1"}}}, has("operator_license_no", "XK1")},
			{"owner by name desc", store.Query{Owner: "320000", Sort: "ship_name_cn", Desc: true}, func(vessel) bool { return true }},
		}
		for _, tt := range tests {
			var want []vessel
			for _, v := range rows {
				if tt.match(v) {
					want = append(want, v)
				}
			}
			slices.SortStableFunc(want, func(a, b vessel) int {
				c := strings.Compare(a["cert_no"], b["cert_no"])
				if tt.q.Sort != "" {
					c = cmpOr(strings.Compare(a["ship_name_cn"], b["ship_name_cn"]), c)
				}
				if tt.q.Desc {
					return -c
				}
				return c
			})
			var wantKeys []string
			for _, v := range want {
				wantKeys = append(wantKeys, v["cert_no"])
			}
			tt.q.Dataset = vessels
			if got := walk(t, s, tt.q, 700); !cmp.Equal(wantKeys, got) {
				t.Errorf("%s: %d records, want %d; first difference: %s", tt.name, len(got), len(wantKeys), firstDiff(wantKeys, got))
			}
		}
	})
}

func cmpOr(a, b int) int {
	if a != 0 {
		return a
	}
	return b
}

func firstDiff(want, got []string) string {
	for i := range min(len(want), len(got)) {
		if want[i] != got[i] {
			return fmt.Sprintf("at %d want %s got %s", i, want[i], got[i])
		}
	}
	return "one is a prefix of the other"
}

// TestSearchByKey: a key lookup uses sy_key; where an alternative key (an
// individual's id_no) may stand in sy_key, the field must match too.
func TestSearchByKey(t *testing.T) {
	std := mustStandard(t)
	backends(t, func(t *testing.T, open opener) {
		s := open(std)
		apply(t, s, "320000", 1, false, op{'I', "K1", "甲"}, op{'I', "K2", "乙"})
		for _, tt := range []struct {
			field, value string
			want         []string
		}{
			{"uscc", "K2", []string{"K2"}},
			{"uscc", "K3", nil},
			{"operator_name", "甲", []string{"K1"}},
		} {
			q := store.Query{Dataset: "shipping_operator", Filters: []store.Filter{{Field: tt.field, Op: "eq", Value: tt.value}}}
			p, err := s.Search(context.Background(), q)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, v := range p.Versions {
				got = append(got, v.Key)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("%s = %s (-want +got):\n%s", tt.field, tt.value, diff)
			}
		}
	})
}

func TestLinkFields(t *testing.T) {
	std := mustStandard(t)
	want := map[string][]string{
		vessels:                      {"operator_license_no", "manager_license_no"}, // ship_id refers to maritime reference data
		"waterway_transport_license": {"operator_uscc"},
		"port_dg_annex":              {"port_license_no"}, // holder_uscc refers to a licence's field, not its key
		"msa_vessel_registration":    nil,
	}
	for name, w := range want {
		if diff := cmp.Diff(w, store.LinkFields(std, std.Dataset(name))); diff != "" {
			t.Errorf("LinkFields(%s) (-want +got):\n%s", name, diff)
		}
	}
}
