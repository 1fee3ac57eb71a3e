package access

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"shuiyun/internal/account"
	"shuiyun/internal/ident"
	"shuiyun/internal/standard"
)

func std(t *testing.T) *standard.Standard {
	t.Helper()
	s, err := standard.Default()
	if err != nil {
		t.Fatal(err)
	}
	return s
}

var (
	jiangsu  = Caller{Login: "js", Agency: "320000", Role: account.AgencySubmitter}
	zhejiang = Caller{Login: "zj", Agency: "330000", Role: account.AgencyViewer}
	viewer   = Caller{Login: "mv", Agency: "000000", Role: account.MinistryViewer}
	admin    = Caller{Login: "ma", Agency: "000000", Role: account.MinistryAdmin}
	auditor  = Caller{Login: "au", Agency: "000000", Role: account.Auditor}
)

func TestPermissions(t *testing.T) {
	type perms struct{ Reads, SeesAll, Admin, Audits, Submits, WritesOwn, WritesOther, ProfileOwn, ProfileOther bool }
	tests := []struct {
		c    Caller
		want perms
	}{
		{jiangsu, perms{Reads: true, Submits: true, WritesOwn: true, ProfileOwn: true}},
		{zhejiang, perms{Reads: true}},
		{viewer, perms{Reads: true, SeesAll: true}},
		{admin, perms{Reads: true, SeesAll: true, Admin: true, Submits: true, WritesOwn: true, WritesOther: true, ProfileOwn: true, ProfileOther: true}},
		{auditor, perms{Audits: true}},
	}
	for _, tt := range tests {
		got := perms{tt.c.ReadsData(), tt.c.SeesAll(), tt.c.Admin(), tt.c.Audits(), tt.c.Submits(),
			tt.c.Writes(tt.c.Agency), tt.c.Writes("440000"), tt.c.EditsProfile(tt.c.Agency), tt.c.EditsProfile("440000")}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tt.c.Role, diff)
		}
	}
}

func TestValuesMasking(t *testing.T) {
	s := std(t)
	ds := s.Dataset("shipping_operator")
	row := make([]string, len(ds.Fields))
	set := func(name, v string) { row[ds.FieldIndex(name)] = v }
	set("legal_rep", "王建国")
	set("contact_phone", "13812345678")
	set("operator_name", "南京长江航运有限公司")
	for _, tt := range []struct {
		c                   Caller
		owner               string
		rep, phone, company string
	}{
		{jiangsu, "320000", "王建国", "13812345678", "南京长江航运有限公司"},
		{zhejiang, "320000", HiddenText, "138****5678", "南京长江航运有限公司"},
		{viewer, "320000", "王建国", "13812345678", "南京长江航运有限公司"},
		{jiangsu, "330000", HiddenText, "138****5678", "南京长江航运有限公司"},
	} {
		got := tt.c.Values(ds, tt.owner, row)
		want := []string{tt.rep, tt.phone, tt.company}
		have := []string{got[ds.FieldIndex("legal_rep")], got[ds.FieldIndex("contact_phone")], got[ds.FieldIndex("operator_name")]}
		if diff := cmp.Diff(want, have); diff != "" {
			t.Errorf("%s viewing %s (-want +got):\n%s", tt.c.Login, tt.owner, diff)
		}
	}
	if row[ds.FieldIndex("contact_phone")] != "13812345678" {
		t.Error("Values changed the caller's slice")
	}
}

func TestCitizenOperatorMasked(t *testing.T) {
	s := std(t)
	var f *standard.Field
	for _, ds := range s.Datasets {
		for _, fl := range ds.Fields {
			if fl.ID == standard.IDUSCCOrCitizen && fl.Sharing == standard.Shareable {
				f = fl
			}
		}
	}
	if f == nil {
		t.Fatal("the standard has no shareable field that may hold a citizen ID")
	}
	body := "11010519491231002"
	id := body + string(ident.CitizenCheck(body))
	if got := zhejiang.cell(f, id); got != "110***********"+id[14:] {
		t.Errorf("citizen ID in %s shown as %q", f.Name, got)
	}
	if got := zhejiang.cell(f, "91320100MA1XXXXX0Y"); got != "91320100MA1XXXXX0Y" {
		t.Errorf("credit code masked: %q", got)
	}
	if zhejiang.Filterable(f, id) || !viewer.Filterable(f, id) || !zhejiang.Filterable(f, "91320100MA1XXXXX0Y") {
		t.Error("filtering by a citizen ID is open to another agency, or closed to the ministry")
	}
}

func TestFilterable(t *testing.T) {
	ds := std(t).Dataset("shipping_operator")
	for _, tt := range []struct {
		field string
		c     Caller
		want  bool
	}{
		{"operator_name", zhejiang, true},
		{"contact_phone", zhejiang, false},
		{"legal_rep", zhejiang, false},
		{"contact_phone", viewer, true},
	} {
		if got := tt.c.Filterable(ds.Field(tt.field), "x"); got != tt.want {
			t.Errorf("%s filters by %s: %v, want %v", tt.c.Login, tt.field, got, tt.want)
		}
	}
}

func TestMask(t *testing.T) {
	for in, want := range map[string]string{
		"":                   "",
		"13812345678":        "138****5678",
		"张三":                 "张*",
		"欧阳小明":               "欧***",
		"li.ming@example.cn": "l******@example.cn",
		"025-1234":           "025-1234"[:3] + "*" + "1234",
		"12345":              "1****",
	} {
		if got := Mask(in); got != want {
			t.Errorf("Mask(%q) = %q, want %q", in, got, want)
		}
	}
}
