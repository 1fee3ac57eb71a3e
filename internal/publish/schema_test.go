package publish

import (
	"bytes"
	"encoding/json"
	"regexp"
	"testing"

	"github.com/google/go-cmp/cmp"

	"shuiyun/internal/golden"
	"shuiyun/internal/standard"
)

func TestTableSchemaGolden(t *testing.T) {
	std := mustDefault(t)
	var b bytes.Buffer
	if err := WriteTableSchema(&b, std, mustDataset(t, std, "D03")); err != nil {
		t.Fatalf("WriteTableSchema(D03) = %v", err)
	}
	golden.Compare(t, "D03.schema.json", b.Bytes())
}

// TestTableSchemaEveryDataset checks each dataset's schema: valid JSON, one
// field per standard field in order, the key as primaryKey, known types,
// patterns that compile, enums equal to the code lists, foreign keys that point
// at an existing dataset's key.
func TestTableSchemaEveryDataset(t *testing.T) {
	std := mustDefault(t)
	for _, ds := range std.Datasets {
		t.Run(ds.Code, func(t *testing.T) {
			var b bytes.Buffer
			if err := WriteTableSchema(&b, std, ds); err != nil {
				t.Fatalf("WriteTableSchema(%s) = %v", ds.Code, err)
			}
			var got tsSchema
			if err := json.Unmarshal(b.Bytes(), &got); err != nil {
				t.Fatalf("WriteTableSchema(%s) wrote invalid JSON: %v", ds.Code, err)
			}
			var want, names []string
			for _, f := range ds.Fields {
				want = append(want, f.Name)
			}
			for _, f := range got.Fields {
				names = append(names, f.Name)
				checkSchemaField(t, std, ds, f)
			}
			if diff := cmp.Diff(want, names); diff != "" {
				t.Errorf("fields (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(ds.Key, got.PrimaryKey); diff != "" {
				t.Errorf("primaryKey (-want +got):\n%s", diff)
			}
			for _, fk := range got.ForeignKeys {
				target := std.Dataset(fk.Reference.Resource)
				if target == nil || !cmp.Equal(target.Key, fk.Reference.Fields) {
					t.Errorf("foreign key %v → %s.%v: not the key of a dataset", fk.Fields, fk.Reference.Resource, fk.Reference.Fields)
				}
			}
			if !cmp.Equal(got.MissingValues[:1], []string{""}) {
				t.Errorf("missingValues = %q, want \"\" first", got.MissingValues)
			}
		})
	}
}

var schemaTypes = map[string]bool{"string": true, "date": true, "number": true, "integer": true, "boolean": true}

func checkSchemaField(t *testing.T, std *standard.Standard, ds *standard.Dataset, f tsField) {
	t.Helper()
	sf := ds.Field(f.Name)
	if sf == nil {
		t.Errorf("field %s is not in %s", f.Name, ds.Code)
		return
	}
	if !schemaTypes[f.Type] || f.Title != sf.Label {
		t.Errorf("field %s: type %q, title %q; want a Table Schema type and title %q", f.Name, f.Type, f.Title, sf.Label)
	}
	c := f.Constraints
	if c == nil {
		c = &tsConstraints{}
	}
	if c.Required != (sf.Required == standard.Mandatory) {
		t.Errorf("field %s: required = %v, want %v", f.Name, c.Required, sf.Required == standard.Mandatory)
	}
	if sf.Required == standard.Conditional && f.Description == "" {
		t.Errorf("field %s is conditional but has no description", f.Name)
	}
	if c.Pattern != "" {
		// XML Schema patterns match the whole value; Go needs the anchors.
		if _, err := regexp.Compile("^(?:" + c.Pattern + ")$"); err != nil {
			t.Errorf("field %s: pattern %q does not compile: %v", f.Name, c.Pattern, err)
		}
	}
	if sf.Type == standard.TypeCode && sf.CodeList != "" {
		if diff := cmp.Diff(codes(std.CodeList(sf.CodeList)), c.Enum); diff != "" {
			t.Errorf("field %s: enum (-want +got):\n%s", f.Name, diff)
		}
	}
}

// TestCodeSetPattern checks that a code set's pattern takes what the engine
// normalises (codes joined by "|", a trailing "|") and nothing else.
func TestCodeSetPattern(t *testing.T) {
	cl := &standard.CodeList{ID: "C02", Codes: []standard.Code{{Code: "11"}, {Code: "12"}, {Code: "21"}}}
	re := regexp.MustCompile("^(?:" + codeSetPattern(cl) + ")$")
	for _, tc := range []struct {
		in   string
		want bool
	}{
		{"11", true}, {"11|21", true}, {"11|12|", true}, {"21|11|11", true},
		{"", false}, {"13", false}, {"11||12", false}, {"|11", false}, {"11,12", false}, {"111", false},
	} {
		if got := re.MatchString(tc.in); got != tc.want {
			t.Errorf("codeSetPattern matches %q = %v, want %v", tc.in, got, tc.want)
		}
	}
}

func TestXSDPattern(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{`^\d{6}$`, `\d{6}`},
		{`^\d{4}(\d{6})?$`, `\d{4}(\d{6})?`},
		{`^(?:\d{4}|\d{6})$`, `(\d{4}|\d{6})`},
		{`^（[\p{Han}]{1,4}）港经证（\d{3,6}）号$`, `（[㐀-䶿一-鿿]{1,4}）港经证（\d{3,6}）号`},
		{`^\p{Han}+$`, `[㐀-䶿一-鿿]+`},
		{`^a\$`, `a\$`},
		{`[(?:]x`, `[(?:]x`},
		{`^[^\s\x{3000}]+$`, "[^\\s\u3000]+"},
		{`^a\x2Eb$`, `a\.b`},
		{`^1\d{2}|0\d{3}$`, `(1\d{2}|0\d{3})`},
		{`^(1|2)[|]$`, `(1|2)[|]`},
	} {
		if got := xsdPattern(tc.in); got != tc.want {
			t.Errorf("xsdPattern(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
