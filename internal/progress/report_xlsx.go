package progress

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"
)

// The report workbook's sheets.
const (
	SheetSummary = "概况"
	SheetRanking = "排名"
	SheetDetails = "各单位明细"
	SheetCompare = "与上期比较"
)

// Built-in number formats: 10 is 0.00%, 2 is 0.00.
const (
	fmtPercent = 10
	fmtDecimal = 2
)

type reportBook struct {
	f                               *excelize.File
	title, header, percent, decimal int
	r                               *ReportData
}

// WriteXLSX writes the report as a workbook: 概况 (totals, trend,
// milestones, definitions), 排名, 各单位明细 and 与上期比较.
func WriteXLSX(w io.Writer, r *ReportData) error {
	f := excelize.NewFile()
	defer f.Close()
	b := &reportBook{f: f, r: r}
	if err := b.styles(); err != nil {
		return err
	}
	if err := f.SetSheetName("Sheet1", SheetSummary); err != nil {
		return err
	}
	for _, name := range []string{SheetRanking, SheetDetails, SheetCompare} {
		if _, err := f.NewSheet(name); err != nil {
			return err
		}
	}
	for _, write := range []func() error{b.summary, b.ranking, b.details, b.compare} {
		if err := write(); err != nil {
			return fmt.Errorf("write report workbook: %w", err)
		}
	}
	_, err := f.WriteTo(w)
	return err
}

func (b *reportBook) styles() error {
	var err error
	fill := excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"D9E1F2"}}
	if b.title, err = b.f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true, Size: 14}}); err != nil {
		return err
	}
	if b.header, err = b.f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Fill: fill,
		Alignment: &excelize.Alignment{WrapText: true, Vertical: "center"}}); err != nil {
		return err
	}
	if b.percent, err = b.f.NewStyle(&excelize.Style{NumFmt: fmtPercent}); err != nil {
		return err
	}
	b.decimal, err = b.f.NewStyle(&excelize.Style{NumFmt: fmtDecimal})
	return err
}

// table writes a header row and rows from (col 1, row) and sets widths.
func (b *reportBook) table(sheet string, row int, header []string, widths []float64, rows [][]any) (int, error) {
	if err := b.row(sheet, row, b.header, toAny(header)); err != nil {
		return 0, err
	}
	for i, wdt := range widths {
		col, _ := excelize.ColumnNumberToName(i + 1)
		if err := b.f.SetColWidth(sheet, col, col, wdt); err != nil {
			return 0, err
		}
	}
	for _, r := range rows {
		row++
		if err := b.row(sheet, row, 0, r); err != nil {
			return 0, err
		}
	}
	return row + 1, nil
}

func toAny(s []string) []any {
	out := make([]any, len(s))
	for i, v := range s {
		out[i] = v
	}
	return out
}

// row writes values; rates (type pct) get the percent format, scores two decimals.
func (b *reportBook) row(sheet string, row, style int, values []any) error {
	for i, v := range values {
		cell, _ := excelize.CoordinatesToCellName(i+1, row)
		st := style
		switch x := v.(type) {
		case pct:
			if float64(x) == NA {
				v = "—"
			} else {
				v, st = float64(x), b.percent
			}
		case score:
			v, st = float64(x), b.decimal
		case time.Duration:
			v = fixText(x)
		}
		if err := b.f.SetCellValue(sheet, cell, v); err != nil {
			return err
		}
		if st != 0 {
			if err := b.f.SetCellStyle(sheet, cell, cell, st); err != nil {
				return err
			}
		}
	}
	return nil
}

// pct is a rate shown as a percentage (NA as "—"); score a score.
type (
	pct   float64
	score float64
)

// fixText shows a time to fix in days with one decimal ("" when none).
func fixText(d time.Duration) string {
	if d <= 0 {
		return ""
	}
	return fmt.Sprintf("%.1f 天", d.Hours()/24)
}

func (b *reportBook) summary() error {
	r, s := b.r, b.r.Summary
	sh := SheetSummary
	if err := b.row(sh, 1, b.title, []any{r.Title}); err != nil {
		return err
	}
	lines := [][]any{
		{fmt.Sprintf("统计期间：%s 至 %s（上期：%s 至 %s）；生成时间：%s。", r.From, r.To, r.PrevFrom, r.PrevTo, r.Generated.In(Beijing).Format("2006-01-02 15:04"))},
		{fmt.Sprintf("参加排名单位 %d 个；应报 %d 次，按时 %d 次，迟报 %d 次，缺报 %d 次。", s.Agencies, s.Due, s.OnTime, s.Late, s.Missing)},
		{fmt.Sprintf("期末在库记录 %d 条；期间被拒绝 %d 行，已修正 %d 行，期末待整改 %d 行；序号缺口 %d 个。", s.Live, s.Rejected, s.Fixed, s.Backlog, s.Gaps)},
	}
	for i, l := range lines {
		if err := b.row(sh, i+2, 0, l); err != nil {
			return err
		}
	}
	next, err := b.table(sh, 6, []string{"指标", "全国"}, []float64{22, 16, 16, 14, 14, 14, 14, 14},
		[][]any{{"按时报送率", pct(s.Timeliness)}, {"完整率", pct(s.Completeness)}, {"规范率", pct(s.Conformance)},
			{"关联率", pct(s.Relational)}, {"覆盖率", pct(s.Coverage)}, {"整改用时（中位数）", s.FixMedian}})
	if err != nil {
		return err
	}
	next, err = b.trend(sh, next+1)
	if err != nil {
		return err
	}
	next, err = b.milestones(sh, next+1)
	if err != nil {
		return err
	}
	var defs [][]any
	for _, f := range r.Formulas {
		defs = append(defs, []any{f.Name, f.Text})
	}
	_, err = b.table(sh, next+1, []string{"指标说明", ""}, nil, defs)
	return err
}

func (b *reportBook) trend(sh string, row int) (int, error) {
	var rows [][]any
	for _, t := range b.r.Trend {
		label := t.From.String()
		if t.To != t.From {
			label += " 至 " + t.To.String()
		}
		rows = append(rows, []any{label, t.Due, t.OnTime, t.Late, t.Missing, pct(t.Timeliness), pct(t.Completeness),
			pct(t.Conformance), pct(t.Relational), t.Live, t.Rejected, t.Fixed, t.Backlog})
	}
	return b.table(sh, row, []string{"按" + b.r.Period.Label(), "应报", "按时", "迟报", "缺报", "按时报送率", "完整率", "规范率",
		"关联率", "期末记录数", "被拒绝行", "已修正行", "期末待整改"}, nil, rows)
}

func (b *reportBook) milestones(sh string, row int) (int, error) {
	var rows [][]any
	for _, m := range b.r.Milestones {
		var missing []string
		for _, a := range m.Agencies {
			if !a.Met {
				missing = append(missing, a.Agency.Area)
			}
		}
		rows = append(rows, []any{m.Milestone.Name, m.Milestone.Due, datasetLabels(b.r, m.Milestone.Datasets),
			fmt.Sprintf("%d / %d", m.Met, len(m.Agencies)), strings.Join(missing, "、")})
	}
	return b.table(sh, row, []string{"里程碑", "完成时限", "数据集", "已完成单位", "未完成单位"}, nil, rows)
}

func datasetLabels(r *ReportData, names []string) string {
	labels := make([]string, len(names))
	for i, n := range names {
		labels[i] = n
		for _, d := range r.Details {
			if d.Dataset != nil && d.Dataset.Name == n {
				labels[i] = d.Dataset.Code + " " + d.Dataset.Label
				break
			}
		}
	}
	return strings.Join(labels, "、")
}

func standingRow(st Standing) []any {
	return []any{st.Due, st.OnTime, st.Late, st.Missing, pct(st.Timeliness), pct(st.Completeness), pct(st.Conformance),
		pct(st.Relational), pct(st.Coverage), st.Live, st.Rejected, st.Fixed, st.Backlog, st.FixMedian}
}

var standingHeader = []string{"应报", "按时", "迟报", "缺报", "按时报送率", "完整率", "规范率", "关联率", "覆盖率",
	"期末记录数", "被拒绝行", "已修正行", "期末待整改", "整改用时（中位数）"}

func rankText(st Standing) any {
	if !st.Ranked {
		return "—"
	}
	return st.Rank
}

func (b *reportBook) ranking() error {
	var rows [][]any
	for _, st := range b.r.Ranking {
		rows = append(rows, append([]any{rankText(st), st.Agency.Name, score(st.Score)}, append(standingRow(st), st.Gaps)...))
	}
	header := append([]string{"名次", "单位", "综合得分"}, append(standingHeader, "序号缺口")...)
	if err := b.row(SheetRanking, 1, b.title, []any{"综合排名（" + b.r.From.String() + " 至 " + b.r.To.String() + "）"}); err != nil {
		return err
	}
	_, err := b.table(SheetRanking, 2, header, []float64{6, 26, 10}, rows)
	if err == nil {
		err = b.f.SetPanes(SheetRanking, &excelize.Panes{Freeze: true, YSplit: 2, TopLeftCell: "A3", ActivePane: "bottomLeft"})
	}
	return err
}

func (b *reportBook) details() error {
	var rows [][]any
	for _, d := range b.r.Details {
		label := d.Dataset.Code + " " + d.Dataset.Label
		rows = append(rows, append([]any{d.Agency.Name, label, d.Expected}, standingRow(d.Standing)...))
	}
	header := append([]string{"单位", "数据集", "应有记录数"}, standingHeader...)
	_, err := b.table(SheetDetails, 1, header, []float64{26, 36, 10}, rows)
	if err == nil {
		err = b.f.SetPanes(SheetDetails, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"})
	}
	return err
}

func (b *reportBook) compare() error {
	var rows [][]any
	for _, c := range b.r.Comparisons() {
		now, before := c.Now, c.Before
		row := []any{now.Agency.Name, rankText(now), score(now.Score)}
		if c.HasBefore {
			row = append(row, rankText(before), score(before.Score), rankChange(now, before), score(now.Score-before.Score),
				pct(delta(now.Timeliness, before.Timeliness)), pct(delta(now.Conformance, before.Conformance)),
				now.Backlog-before.Backlog)
		} else {
			row = append(row, "—", "—", "—", "—", "—", "—", "—")
		}
		rows = append(rows, row)
	}
	header := []string{"单位", "本期名次", "本期得分", "上期名次", "上期得分", "名次变化", "得分变化", "按时报送率变化", "规范率变化", "待整改变化"}
	_, err := b.table(SheetCompare, 1, header, []float64{26, 9, 9, 9, 9, 9, 9, 14, 12, 12}, rows)
	return err
}

// rankChange: places gained (positive) or lost since the previous period.
func rankChange(now, before Standing) any {
	if !now.Ranked || !before.Ranked {
		return "—"
	}
	return before.Rank - now.Rank
}

func delta(now, before float64) float64 {
	if now == NA || before == NA {
		return NA
	}
	return now - before
}
