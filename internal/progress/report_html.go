package progress

import (
	_ "embed"
	"fmt"
	"html"
	"html/template"
	"io"
	"strings"
	"time"
)

//go:embed report.html.tmpl
var reportHTML string

var reportTemplate = template.Must(template.New("report").Funcs(template.FuncMap{
	"pct":      pctText,
	"score":    func(f float64) string { return fmt.Sprintf("%.2f", f) },
	"fix":      fixText,
	"rank":     func(st Standing) string { return fmt.Sprint(rankText(st)) },
	"change":   func(now, before Standing) string { return signed(rankChange(now, before)) },
	"delta":    func(now, before float64) string { return signedFloat(now - before) },
	"deltaPct": func(now, before float64) string { return deltaPctText(delta(now, before)) },
	"date":     func(t time.Time) string { return t.In(Beijing).Format("2006-01-02 15:04") },
	"chart":    rankingChart,
	"labels":   datasetLabels,
	"missing":  milestoneMissing,
	"minus":    func(a, b int) int { return a - b },
}).Parse(reportHTML))

// WriteHTML writes the report as one self-contained Chinese HTML page:
// inline CSS and an inline SVG chart, no request to anywhere, laid out to
// print on A4 (or to save as PDF from the browser).
func WriteHTML(w io.Writer, r *ReportData) error {
	if err := reportTemplate.Execute(w, r); err != nil {
		return fmt.Errorf("write report page: %w", err)
	}
	return nil
}

func pctText(f float64) string {
	if f == NA {
		return "—"
	}
	return fmt.Sprintf("%.2f%%", f*100)
}

func deltaPctText(f float64) string {
	if f == NA {
		return "—"
	}
	return signedFloat(f*100) + "%"
}

func signed(v any) string {
	n, ok := v.(int)
	switch {
	case !ok:
		return "—"
	case n > 0:
		return fmt.Sprintf("↑%d", n)
	case n < 0:
		return fmt.Sprintf("↓%d", -n)
	}
	return "—"
}

func signedFloat(f float64) string {
	if f > 0 {
		return fmt.Sprintf("+%.2f", f)
	}
	return fmt.Sprintf("%.2f", f)
}

func milestoneMissing(m MilestoneState) string {
	var out []string
	for _, a := range m.Agencies {
		if !a.Met {
			out = append(out, a.Agency.Area)
		}
	}
	return strings.Join(out, "、")
}

// rankingChart draws the ranking as horizontal bars, one per ranked agency,
// in SVG: text the page holds, so it prints sharply and needs nothing else.
func rankingChart(ranking []Standing) template.HTML {
	const (
		label, bar, barH, gap, top = 150, 480, 14, 6, 24
		width                      = label + bar + 70
	)
	var rows []Standing
	for _, st := range ranking {
		if st.Ranked {
			rows = append(rows, st)
		}
	}
	height := top + len(rows)*(barH+gap) + 10
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="综合得分排名" width="%d" height="%d" viewBox="0 0 %d %d" font-size="12">`,
		width, height, width, height)
	for _, x := range []int{0, 25, 50, 75, 100} {
		px := label + x*bar/100
		fmt.Fprintf(&b, `<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="#ccc"/><text x="%d" y="%d" text-anchor="middle" fill="#666">%d</text>`,
			px, top-6, px, height-8, px, top-10, x)
	}
	for i, st := range rows {
		y := top + i*(barH+gap)
		w := int(st.Score / 100 * bar)
		fill := "#2e7d32"
		switch {
		case st.Score < 60:
			fill = "#c62828"
		case st.Score < 85:
			fill = "#ef8f00"
		}
		fmt.Fprintf(&b, `<text x="%d" y="%d" text-anchor="end">%d. %s</text>`, label-6, y+barH-3, st.Rank, html.EscapeString(st.Agency.Area))
		fmt.Fprintf(&b, `<rect x="%d" y="%d" width="%d" height="%d" fill="%s"/>`, label, y, w, barH, fill)
		fmt.Fprintf(&b, `<text x="%d" y="%d">%.2f</text>`, label+w+4, y+barH-3, st.Score)
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}
