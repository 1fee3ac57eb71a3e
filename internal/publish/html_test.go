package publish

import (
	"bytes"
	"regexp"
	"strings"
	"testing"

	"shuiyun/internal/standard"
)

// external matches anything that would make a browser fetch from the network.
var external = regexp.MustCompile(`(?i)(src|href)\s*=\s*["']?\s*(https?:)?//|url\(|@import|<link\b|<script\b`)

func TestHTMLDocs(t *testing.T) {
	std := mustDefault(t)
	var b bytes.Buffer
	if err := WriteHTMLDocs(&b, std); err != nil {
		t.Fatalf("WriteHTMLDocs() = %v", err)
	}
	page := b.String()
	if !strings.HasPrefix(page, "<!DOCTYPE html>") || !strings.Contains(page, "</html>") {
		t.Errorf("WriteHTMLDocs() is not a whole HTML page")
	}
	for _, ds := range std.Datasets {
		if !strings.Contains(page, `id="`+ds.Code+`"`) || !strings.Contains(page, ds.Name) {
			t.Errorf("page lacks dataset %s (%s)", ds.Code, ds.Name)
		}
		for _, f := range ds.Fields {
			if !strings.Contains(page, "<code>"+f.Name+"</code>") {
				t.Errorf("page lacks field %s.%s", ds.Code, f.Name)
			}
		}
	}
	for _, cl := range std.CodeLists {
		if !strings.Contains(page, `id="`+cl.ID+`"`) {
			t.Errorf("page lacks code list %s", cl.ID)
		}
	}
	for _, r := range std.Rules {
		if !strings.Contains(page, `id="rule-`+r.ID+`"`) {
			t.Errorf("page lacks rule %s", r.ID)
		}
	}
	if m := external.FindString(page); m != "" {
		t.Errorf("page refers to something outside itself: %q", m)
	}
}

// TestHTMLZeroStandard renders an empty standard: the template must not depend
// on anything being present.
func TestHTMLZeroStandard(t *testing.T) {
	var b bytes.Buffer
	if err := WriteHTMLDocs(&b, &standard.Standard{}); err != nil {
		t.Fatalf("WriteHTMLDocs(empty) = %v", err)
	}
	if !strings.Contains(b.String(), "未加载行政区划代码表") {
		t.Errorf("WriteHTMLDocs(empty) does not say that no region table is loaded")
	}
}
