package report

import (
	"bytes"
	"encoding/json"
	"io"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"shuiyun/internal/golden"
	"shuiyun/internal/validate"
)

func TestGolden(t *testing.T) {
	std := testStandard(t)
	tests := []struct {
		golden string
		write  func(w io.Writer) error
	}{
		{"fixture.json", func(w io.Writer) error { return WriteJSON(w, fixtureReport()) }},
		{"passing.json", func(w io.Writer) error { return WriteJSON(w, passingReport()) }},
		{"fixture.txt", func(w io.Writer) error { return WriteText(w, fixtureReport(), std, TextOptions{}) }},
		{"fixture_limit.txt", func(w io.Writer) error {
			return WriteText(w, fixtureReport(), std, TextOptions{MaxFindings: 3, Report: "校验结果.xlsx"})
		}},
		{"fixture_color.txt", func(w io.Writer) error {
			return WriteText(w, fixtureReport(), std, TextOptions{Color: true})
		}},
		{"passing.txt", func(w io.Writer) error { return WriteText(w, passingReport(), std, TextOptions{}) }},
		{"nostandard.txt", func(w io.Writer) error { return WriteText(w, fixtureReport(), nil, TextOptions{}) }},
		{"minimal.txt", func(w io.Writer) error { return WriteText(w, fixtureReport(), MinimalStandard(), TextOptions{}) }},
		{"fixture.html", func(w io.Writer) error { return WriteHTML(w, fixtureReport(), std) }},
		{"passing.html", func(w io.Writer) error { return WriteHTML(w, passingReport(), std) }},
	}
	for _, tt := range tests {
		t.Run(tt.golden, func(t *testing.T) {
			var buf bytes.Buffer
			if err := tt.write(&buf); err != nil {
				t.Fatal(err)
			}
			golden.Compare(t, tt.golden, buf.Bytes())
		})
	}
}

func TestWriteJSONNeverNull(t *testing.T) {
	r := passingReport()
	var buf bytes.Buffer
	if err := WriteJSON(&buf, r); err != nil {
		t.Fatal(err)
	}
	var got struct {
		Files []struct {
			Findings json.RawMessage `json:"findings"`
		} `json:"files"`
		Summary struct {
			ByRule json.RawMessage `json:"by_rule"`
		} `json:"summary"`
	}
	if err := json.Unmarshal(buf.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	if f := string(got.Files[0].Findings); f != "[]" {
		t.Errorf("findings = %s, want []", f)
	}
	if b := string(got.Summary.ByRule); b != "{}" {
		t.Errorf("by_rule = %s, want {}", b)
	}
	if r.Files[0].Findings != nil || r.Summary.ByRule != nil {
		t.Error("WriteJSON changed the report")
	}
}

func TestWriteJSONRoundTrip(t *testing.T) {
	want := fixtureReport()
	var buf bytes.Buffer
	if err := WriteJSON(&buf, want); err != nil {
		t.Fatal(err)
	}
	var got validate.Report
	if err := json.Unmarshal(buf.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	// Header, HeaderRow and the error-row set are not part of the contract.
	for _, f := range want.Files {
		f.Header, f.HeaderRow = nil, 0
		if f.Findings == nil {
			f.Findings = []validate.Finding{}
		}
	}
	if diff := cmp.Diff(want, &got, cmpopts.IgnoreUnexported(validate.File{})); diff != "" {
		t.Errorf("JSON round trip (-want +got):\n%s", diff)
	}
}

func TestWriteHTMLEscapes(t *testing.T) {
	r := fixtureReport()
	r.Files[0].Path = `<img src=x onerror=alert(1)>.csv`
	r.Skipped[0].Reason = `<b>粗体</b>`
	var buf bytes.Buffer
	if err := WriteHTML(&buf, r, testStandard(t)); err != nil {
		t.Fatal(err)
	}
	page := buf.String()
	for _, bad := range []string{"<script", "<img", "<b>", "<link", "url(", "http://", "https://"} {
		if strings.Contains(page, bad) {
			t.Errorf("page contains %q", bad)
		}
	}
	for _, want := range []string{
		"&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;",
		"&lt;img src=x onerror=alert(1)&gt;.csv",
		"&lt;b&gt;粗体&lt;/b&gt;",
	} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks the escaped text %q", want)
		}
	}
}

func TestWriteTextFindingLine(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteText(&buf, fixtureReport(), testStandard(t), TextOptions{}); err != nil {
		t.Fatal(err)
	}
	want := "第 14 行 船舶识别号 [ID-CNSHIP] 船舶识别号校验位错误，应为 9（值：CN20149346218）"
	if !strings.Contains(buf.String(), want) {
		t.Errorf("text summary lacks %q:\n%s", want, buf.String())
	}
	if strings.Contains(buf.String(), "\x1b[") {
		t.Error("text summary has colours without TextOptions.Color")
	}
}

func TestOutcome(t *testing.T) {
	tests := []struct {
		name string
		r    validate.Report
		want string
	}{
		{"error rows", validate.Report{Summary: validate.Summary{ErrorRows: 12, Errors: 15}}, "共 12 行有错误，不能提交。"},
		{"file errors only", validate.Report{Summary: validate.Summary{Errors: 2}}, "共 2 个错误，不能提交。"},
		{"warnings", validate.Report{Valid: true, Summary: validate.Summary{Warnings: 1234}}, "校验通过，可以提交。有 1,234 个警告，建议核对。"},
		{"clean", validate.Report{Valid: true}, "校验通过，可以提交。"},
	}
	for _, tt := range tests {
		if got := outcome(&tt.r); got != tt.want {
			t.Errorf("outcome(%s) = %q, want %q", tt.name, got, tt.want)
		}
	}
}

func TestGroupDigits(t *testing.T) {
	for n, want := range map[int]string{0: "0", 999: "999", 1000: "1,000", 1234567: "1,234,567", -1200: "-1,200"} {
		if got := groupDigits(n); got != want {
			t.Errorf("groupDigits(%d) = %q, want %q", n, got, want)
		}
	}
}

// TestZeroReport renders an empty report with every writer (and no standard).
func TestZeroReport(t *testing.T) {
	writers := map[string]func(w io.Writer, r *validate.Report) error{
		"json": WriteJSON,
		"text": func(w io.Writer, r *validate.Report) error { return WriteText(w, r, nil, TextOptions{}) },
		"html": func(w io.Writer, r *validate.Report) error { return WriteHTML(w, r, nil) },
	}
	for name, write := range writers {
		var buf bytes.Buffer
		if err := write(&buf, &validate.Report{}); err != nil {
			t.Errorf("%s: %v", name, err)
		}
		if strings.Contains(buf.String(), "null") {
			t.Errorf("%s: output has null:\n%s", name, buf.String())
		}
	}
	if err := WriteXLSX(filepath.Join(t.TempDir(), "空.xlsx"), &validate.Report{}, nil, XLSXOptions{}); err != nil {
		t.Errorf("xlsx: %v", err)
	}
}
