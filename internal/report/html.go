package report

import (
	"bufio"
	"cmp"
	"embed"
	"fmt"
	"html/template"
	"io"
	"slices"
	"strings"

	"shuiyun/internal/standard"
	"shuiyun/internal/validate"
)

//go:embed templates/report.html
var templateFS embed.FS

// maxHTMLFindingsPerGroup bounds the rows listed for one rule in one file, so a
// report with a million findings still opens in a browser; the full list is in
// the JSON and XLSX reports.
const maxHTMLFindingsPerGroup = 2000

var htmlTemplate = template.Must(template.New("report.html").Funcs(template.FuncMap{
	"num":      groupDigits,
	"category": categoryName,
}).ParseFS(templateFS, "templates/report.html"))

// WriteHTML writes the report as one self-contained Chinese HTML page (inline
// CSS, no scripts, no external requests) that reads well on screen and on
// paper: the verdict, a summary, counts by rule, then for every file its
// findings grouped by rule, and the skipped rules. Every value from the data
// is escaped by html/template. std supplies the Chinese names and may be nil.
func WriteHTML(w io.Writer, r *validate.Report, std *standard.Standard) error {
	bw := bufio.NewWriter(w)
	if err := htmlTemplate.Execute(bw, newHTMLPage(r, newCatalog(std))); err != nil {
		return fmt.Errorf("write HTML report: %w", err)
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write HTML report: %w", err)
	}
	return nil
}

// htmlPage is the template's model.
type htmlPage struct {
	Standard, AsOf   string
	Valid            bool
	Verdict, Outcome string
	Summary          validate.Summary
	Rules            []ruleCount
	Files            []htmlFile
	Skipped          []htmlSkipped
}

type htmlFile struct {
	Anchor, Title, Dataset, Encoding string
	Rows, ErrorRows, Findings        int
	Groups                           []htmlGroup
}

// htmlGroup is the findings of one rule in one file.
type htmlGroup struct {
	ruleCount
	Findings []htmlFinding
	Hidden   int // findings beyond maxHTMLFindingsPerGroup
}

type htmlFinding struct {
	Row                             int
	Field, Value, Message, Severity string
}

type htmlSkipped struct{ Rule, Title, Reason string }

func newHTMLPage(r *validate.Report, c *catalog) *htmlPage {
	p := &htmlPage{Standard: r.Standard, AsOf: r.AsOf, Valid: r.Valid, Verdict: verdict(r),
		Outcome: outcome(r), Summary: r.Summary, Rules: ruleCounts(r, c)}
	for i, f := range r.Files {
		p.Files = append(p.Files, htmlFile{Anchor: fmt.Sprintf("file-%d", i+1), Title: fileTitle(f),
			Dataset: c.datasetLabel(f.Dataset), Encoding: f.Encoding, Rows: f.Rows, ErrorRows: f.ErrorRows,
			Findings: len(f.Findings), Groups: htmlGroups(f, c)})
	}
	for _, s := range r.Skipped {
		p.Skipped = append(p.Skipped, htmlSkipped{Rule: s.Rule, Title: c.ruleTitle(s.Rule), Reason: s.Reason})
	}
	return p
}

// htmlGroups groups a file's findings by rule, most frequent rule first.
func htmlGroups(f *validate.File, c *catalog) []htmlGroup {
	index := map[string]int{}
	var groups []htmlGroup
	var severities [][2]int // errors, warnings per group
	for _, x := range f.Findings {
		i, ok := index[x.Rule]
		if !ok {
			i = len(groups)
			index[x.Rule] = i
			groups = append(groups, htmlGroup{ruleCount: ruleCount{Rule: x.Rule, Title: c.ruleTitle(x.Rule), Category: x.Category}})
			severities = append(severities, [2]int{})
		}
		g := &groups[i]
		g.Count++
		if x.Severity == "warning" {
			severities[i][1]++
		} else {
			severities[i][0]++
		}
		if len(g.Findings) == maxHTMLFindingsPerGroup {
			g.Hidden++
			continue
		}
		g.Findings = append(g.Findings, htmlFinding{Row: x.Row, Field: c.fieldLabel(f.Dataset, x.Field),
			Value: x.Value, Message: x.Message, Severity: x.Severity})
	}
	for i := range groups {
		groups[i].Severity = mixedSeverity(severities[i][0], severities[i][1], c.ruleSeverity(groups[i].Rule))
	}
	slices.SortStableFunc(groups, func(a, b htmlGroup) int {
		return cmp.Or(cmp.Compare(b.Count, a.Count), strings.Compare(a.Rule, b.Rule))
	})
	return groups
}
