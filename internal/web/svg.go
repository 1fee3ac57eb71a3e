package web

import (
	"fmt"
	"html/template"
	"strings"

	"shuiyun/internal/progress"
)

// svgChart is a small line chart drawn on the server: no script, no
// external library, readable when printed.
type svgChart struct {
	SVG template.HTML
}

// trendChart draws the conformance and completeness rates of a span of days
// (figures of several agencies or datasets are summed per day).
func trendChart(figs []progress.Figures, from, to progress.Day) svgChart {
	n := int(to-from) + 1
	if n < 2 {
		return svgChart{}
	}
	type acc struct{ live, conform, complete, relational int }
	days := make([]acc, n)
	for _, f := range figs {
		d, err := progress.ParseDay(f.Day)
		if err != nil || d < from || d > to {
			continue
		}
		a := &days[d-from]
		a.live += f.Live
		a.conform += f.Conform
		a.complete += f.Complete
		a.relational += f.Relational
	}
	const w, h, pad = 320, 90, 4
	line := func(val func(acc) (int, int), color string) string {
		var pts []string
		for i, a := range days {
			num, den := val(a)
			if den == 0 {
				continue
			}
			x := pad + float64(i)*(w-2*pad)/float64(n-1)
			y := pad + (1-float64(num)/float64(den))*(h-2*pad)
			pts = append(pts, fmt.Sprintf("%.1f,%.1f", x, y))
		}
		if len(pts) == 0 {
			return ""
		}
		return fmt.Sprintf(`<polyline fill="none" stroke="%s" stroke-width="1.8" points="%s"/>`, color, strings.Join(pts, " "))
	}
	var b strings.Builder
	fmt.Fprintf(&b, `<svg class="trend" viewBox="0 0 %d %d" width="%d" height="%d" role="img" aria-label="%s 至 %s 规范率（蓝）、完整率（绿）、关联率（橙）">`, w, h, w, h, from, to)
	fmt.Fprintf(&b, `<rect x="0" y="0" width="%d" height="%d" fill="#fff" stroke="#d5dbe3"/>`, w, h)
	fmt.Fprintf(&b, `<line x1="%d" x2="%d" y1="%.1f" y2="%.1f" stroke="#f3b8b3" stroke-dasharray="3 3"/>`, pad, w-pad, pad+0.1*(h-2*pad), pad+0.1*(h-2*pad))
	b.WriteString(line(func(a acc) (int, int) { return a.complete, a.live }, "#1c7c3a"))
	b.WriteString(line(func(a acc) (int, int) { return a.relational, a.live }, "#a86200"))
	b.WriteString(line(func(a acc) (int, int) { return a.conform, a.live }, "#0b4f8a"))
	b.WriteString(`</svg>`)
	return svgChart{SVG: template.HTML(b.String())}
}
