package web

import (
	"bytes"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"shuiyun/internal/account"
	"shuiyun/internal/agency"
	"shuiyun/internal/audit"
	"shuiyun/internal/progress"
	"shuiyun/internal/store"
)

// The progress pages publish every agency's figures to every data role:
// the plan steers by transparent, comparable numbers. Each figure links to
// what it counts (Explain); record pages then apply the caller's scope.

func (s *Server) progressDay(r *http.Request) (progress.Day, error) {
	if d := r.URL.Query().Get("day"); d != "" {
		day, err := progress.ParseDay(d)
		if err != nil {
			return 0, errorf(http.StatusBadRequest, "day 应为 YYYY-MM-DD")
		}
		return day, nil
	}
	return s.cfg.Progress.Today() - 1, nil // the last whole day
}

type overviewData struct {
	O         *progress.Overview
	Overdue   []progress.Due
	Ranking   []progress.Standing
	From, To  progress.Day
	Trend     svgChart
	Prev      progress.Day
	Next      progress.Day
	CanManage bool
}

func (s *Server) progressOverview(w http.ResponseWriter, r *http.Request, u *account.User) error {
	day, err := s.progressDay(r)
	if err != nil {
		return err
	}
	ctx := r.Context()
	o, err := s.cfg.Progress.Overview(ctx, day)
	if err != nil {
		return err
	}
	due, err := s.cfg.Progress.DueToday(ctx, s.cfg.Now())
	if err != nil {
		return err
	}
	d := overviewData{O: o, From: day - 29, To: day, Prev: day - 1, Next: day + 1, CanManage: callerOf(u).Admin()}
	for _, x := range due {
		if x.State == progress.Overdue {
			d.Overdue = append(d.Overdue, x)
		}
	}
	if d.Ranking, err = s.cfg.Progress.Standings(ctx, d.From, d.To); err != nil {
		return err
	}
	series, err := s.cfg.Progress.Series(ctx, "", "", d.From, d.To)
	if err != nil {
		return err
	}
	d.Trend = trendChart(series, d.From, d.To)
	s.render(w, r, u, "progress", "报送进展与数据质量", d)
	return nil
}

type agencyProgress struct {
	A       agency.Agency
	Day     progress.Day
	Rows    []datasetProgress
	Overall svgChart
}

type datasetProgress struct {
	F     progress.Figures
	Label string
	Trend svgChart
}

func (s *Server) progressAgency(w http.ResponseWriter, r *http.Request, u *account.User) error {
	a, ok := agency.Lookup(r.PathValue("code"))
	if !ok {
		return errNotFound
	}
	day, err := s.progressDay(r)
	if err != nil {
		return err
	}
	series, err := s.cfg.Progress.Series(r.Context(), a.Code, "", day-29, day)
	if err != nil {
		return err
	}
	d := agencyProgress{A: a, Day: day, Overall: trendChart(series, day-29, day)}
	for _, ds := range s.std.Datasets {
		var mine []progress.Figures
		for _, f := range series {
			if f.Dataset == ds.Name {
				mine = append(mine, f)
			}
		}
		row := datasetProgress{Label: ds.Code + " " + ds.Label, Trend: trendChart(mine, day-29, day)}
		if n := len(mine); n > 0 && mine[n-1].Day == day.String() {
			row.F = mine[n-1]
		} else {
			row.F.Agency, row.F.Dataset, row.F.Day = a.Code, ds.Name, day.String()
		}
		d.Rows = append(d.Rows, row)
	}
	s.render(w, r, u, "progress_agency", a.Name+" · 报送进展", d)
	return nil
}

func (s *Server) progressDataset(w http.ResponseWriter, r *http.Request, u *account.User) error {
	ds, err := s.dataset(r)
	if err != nil {
		return err
	}
	day, err := s.progressDay(r)
	if err != nil {
		return err
	}
	o, err := s.cfg.Progress.Overview(r.Context(), day)
	if err != nil {
		return err
	}
	col := -1
	for i, x := range o.Datasets {
		if x.Name == ds.Name {
			col = i
		}
	}
	var rows []datasetProgress
	for _, row := range o.Rows {
		rows = append(rows, datasetProgress{F: row.Cells[col], Label: row.Agency.Name})
	}
	s.render(w, r, u, "progress_dataset", ds.Code+" "+ds.Label+" · 各单位情况", map[string]any{"DS": ds, "Day": day, "Rows": rows})
	return nil
}

var metricLabels = map[string]string{
	progress.MetricLive: "在库记录", progress.MetricComplete: "不完整的记录", progress.MetricConform: "不规范的记录",
	progress.MetricRelational: "关联错误的记录", progress.MetricTimeliness: "据以判定报送状态的交换包", progress.MetricRejected: "被拒绝的行",
	progress.MetricBacklog: "待整改错误", progress.MetricFixed: "当日修正的行", progress.MetricGaps: "序号缺口",
}

type explainRow struct {
	Ref  progress.Ref
	Href string
	Text string
}

// progressExplain lists what one figure counts, each linked to its record
// or receipt (whose pages apply the caller's scope and masking).
func (s *Server) progressExplain(w http.ResponseWriter, r *http.Request, u *account.User) error {
	q := r.URL.Query()
	day, err := progress.ParseDay(q.Get("day"))
	if err != nil {
		return errorf(http.StatusBadRequest, "day 应为 YYYY-MM-DD")
	}
	code, dataset, metric := q.Get("agency"), q.Get("dataset"), q.Get("metric")
	if !agency.Known(code) || metricLabels[metric] == "" {
		return errorf(http.StatusBadRequest, "未知的单位或指标")
	}
	refs, err := s.cfg.Progress.Explain(r.Context(), code, dataset, day, metric)
	if err != nil {
		return errorf(http.StatusBadRequest, "%v", err)
	}
	c := callerOf(u)
	var rows []explainRow
	for _, ref := range refs {
		row := explainRow{Ref: ref}
		switch ref.Kind {
		case "record":
			ds := s.std.Dataset(ref.Dataset)
			v := &store.Version{Key: ref.Key, Owner: code}
			row.Text = keyText(c, v)
			if ds != nil {
				row.Href = "/records/" + ds.Name + "/record?" + s.recordParam(c, ds, v)
			}
		case "delivery", "reject":
			row.Href = fmt.Sprintf("/receipts/%d", ref.Delivery)
			row.Text = fmt.Sprintf("回执 %d", ref.Delivery)
			if ref.Kind == "reject" {
				row.Text += fmt.Sprintf(" 第 %d 行", ref.Row)
			}
		case "sequence":
			row.Text = fmt.Sprintf("缺少序号 %d", ref.Seq)
		}
		if len(rows) < 2000 {
			rows = append(rows, row)
		}
	}
	if !c.Owns(code) {
		s.audit(r, u, audit.ReadOther, dataset, fmt.Sprintf("查看指标明细 %s %s %s", code, day, metric))
	}
	title := fmt.Sprintf("%s · %s · %s · %s（%d 项）", agencyName(code), dataset, day, metricLabels[metric], len(refs))
	s.render(w, r, u, "progress_explain", title, map[string]any{"Rows": rows, "Total": len(refs)})
	return nil
}

func (s *Server) progressFormulas(w http.ResponseWriter, r *http.Request, u *account.User) error {
	s.render(w, r, u, "progress_formulas", "指标口径", progress.Formulas)
	return nil
}

// progressReport sends the progress report (进展情况通报) of a period.
func (s *Server) progressReport(w http.ResponseWriter, r *http.Request, u *account.User) error {
	q := r.URL.Query()
	to, err := s.progressDay(r)
	if t := q.Get("to"); t != "" {
		to, err = progress.ParseDay(t)
	}
	if err != nil {
		return errorf(http.StatusBadRequest, "to 应为 YYYY-MM-DD")
	}
	period, err := progress.ParsePeriod(orDefault(q.Get("period"), "month"))
	if err != nil {
		return errorf(http.StatusBadRequest, "%v", err)
	}
	from, _ := period.Span(to)
	if f := q.Get("from"); f != "" {
		if from, err = progress.ParseDay(f); err != nil || from > to {
			return errorf(http.StatusBadRequest, "from 应为不晚于 to 的 YYYY-MM-DD")
		}
	}
	data, err := s.cfg.Progress.Report(r.Context(), from, to, period)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	name := fmt.Sprintf("进展情况通报_%s_%s", from, to)
	if q.Get("format") == "xlsx" {
		err = progress.WriteXLSX(&buf, data)
		w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
		w.Header().Set("Content-Disposition", contentDisposition(name+".xlsx"))
	} else {
		err = progress.WriteHTML(&buf, data)
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		// the report page carries its own inline style and chart
		w.Header().Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; img-src data:")
	}
	if err != nil {
		return err
	}
	s.audit(r, u, audit.Download, "progress_report", name)
	w.Write(buf.Bytes())
	return nil
}

func orDefault(v, d string) string {
	if v == "" {
		return d
	}
	return v
}

type ruleData struct {
	Schedule []store.RuleChange
	Preview  *progress.Preview
	Change   store.RuleChange
	Rules    any
	Error    string
}

func (s *Server) progressRules(w http.ResponseWriter, r *http.Request, u *account.User) error {
	list, err := s.st.RuleSchedule(r.Context())
	if err != nil {
		return err
	}
	s.render(w, r, u, "progress_rules", "规则分期", ruleData{Schedule: list, Rules: s.std.Rules,
		Change: store.RuleChange{Effective: (s.cfg.Progress.Today() + 1).String(), Enabled: true, Severity: "error"}})
	return nil
}

// progressRuleSubmit previews a rule change (how many records per agency
// would newly fail) and, when asked, schedules it.
func (s *Server) progressRuleSubmit(w http.ResponseWriter, r *http.Request, u *account.User) error {
	c := store.RuleChange{Rule: r.PostFormValue("rule"), Effective: r.PostFormValue("effective"), Enabled: r.PostFormValue("enabled") != "0",
		Severity: r.PostFormValue("severity"), Note: strings.TrimSpace(r.PostFormValue("note")), CreatedBy: u.Login, CreatedAt: s.cfg.Now()}
	d := ruleData{Change: c, Rules: s.std.Rules}
	fail := func(msg string) error {
		d.Error = msg
		d.Schedule, _ = s.st.RuleSchedule(r.Context())
		w.WriteHeader(http.StatusBadRequest)
		s.render(w, r, u, "progress_rules", "规则分期", d)
		return nil
	}
	if s.std.Rule(c.Rule) == nil {
		return fail("未知的规则 " + c.Rule)
	}
	day, err := progress.ParseDay(c.Effective)
	if err != nil || day <= s.cfg.Progress.Today() {
		return fail("生效日期应为明天或以后的 YYYY-MM-DD：已计算的日期不再改变")
	}
	if c.Severity != "error" && c.Severity != "warning" {
		return fail("严重程度应为 error 或 warning")
	}
	if r.PostFormValue("action") == "schedule" {
		if _, err := s.cfg.Progress.ScheduleRule(r.Context(), &c); err != nil {
			return fail(err.Error())
		}
		s.audit(r, u, audit.Admin, c.Rule, fmt.Sprintf("规则分期：%s 起 启用=%v 严重程度=%s", c.Effective, c.Enabled, c.Severity))
		return seeOther(w, r, "/progress/rules?flash="+urlq("已安排"))
	}
	if d.Preview, err = s.cfg.Progress.Preview(r.Context(), c); err != nil {
		return err
	}
	d.Schedule, err = s.st.RuleSchedule(r.Context())
	if err != nil {
		return err
	}
	s.render(w, r, u, "progress_rules", "规则分期 · 影响预览", d)
	return nil
}

// pct shows a rate as a percentage, "—" when there is nothing to measure.
func pct(num, den int) string {
	if den <= 0 {
		return "—"
	}
	return fmt.Sprintf("%.1f%%", 100*float64(num)/float64(den))
}

func pctRate(f float64) string {
	if f < 0 {
		return "—"
	}
	return fmt.Sprintf("%.1f%%", 100*f)
}

var dueStates = map[string]string{progress.OnTime: "按时", progress.Late: "迟报", progress.Missing: "缺报", "": "不要求"}

func dueLabel(s string) string { return dueStates[s] }

type settingsData struct {
	Expectations []store.Expectation
	Milestones   []store.Milestone
	Datasets     any
}

// progressSettings shows what the ministry expects of the agencies beyond
// the defaults (every agency, D01–D10, daily by 18:00) and the milestones.
func (s *Server) progressSettings(w http.ResponseWriter, r *http.Request, u *account.User) error {
	exp, err := s.st.Expectations(r.Context())
	if err != nil {
		return err
	}
	ms, err := s.st.Milestones(r.Context())
	if err != nil {
		return err
	}
	s.render(w, r, u, "progress_settings", "报送要求与里程碑", settingsData{Expectations: exp, Milestones: ms, Datasets: s.std.Datasets})
	return nil
}

// progressExpect sets one agency's (or every agency's) expectation for one
// dataset (or every dataset).
func (s *Server) progressExpect(w http.ResponseWriter, r *http.Request, u *account.User) error {
	f := r.PostFormValue
	hour, err := strconv.Atoi(f("due_hour"))
	if err != nil || hour < 0 || hour > 24 {
		return errorf(http.StatusBadRequest, "截止时间应为 0 至 24 点")
	}
	count, err := strconv.Atoi(orDefault(f("expected_count"), "0"))
	if err != nil || count < 0 {
		return errorf(http.StatusBadRequest, "应有记录数应为非负整数")
	}
	agencies, datasets := []string{f("agency")}, []string{f("dataset")}
	if f("agency") == "all" {
		agencies = nil
		for _, a := range agency.All {
			if a.Code != agency.Ministry {
				agencies = append(agencies, a.Code)
			}
		}
	}
	if f("dataset") == "all" {
		datasets = nil
		for _, ds := range s.std.Datasets {
			if !ds.Reference {
				datasets = append(datasets, ds.Name)
			}
		}
	}
	for _, a := range agencies {
		for _, ds := range datasets {
			e := store.Expectation{Agency: a, Dataset: ds, Required: f("required") != "0", Frequency: f("frequency"), DueMinute: hour * 60,
				ExpectedCount: count, UpdatedAt: s.cfg.Now(), UpdatedBy: u.Login}
			if err := s.cfg.Progress.SetExpectation(r.Context(), e); err != nil {
				return errorf(http.StatusBadRequest, "%v", err)
			}
		}
	}
	s.audit(r, u, audit.Admin, "expectations", fmt.Sprintf("报送要求：%s × %s 应报=%s 频率=%s 截止=%d 时 应有记录=%d",
		f("agency"), f("dataset"), f("required"), f("frequency"), hour, count))
	return seeOther(w, r, "/progress/settings?flash="+urlq("已保存"))
}

func (s *Server) progressMilestone(w http.ResponseWriter, r *http.Request, u *account.User) error {
	if err := r.ParseForm(); err != nil {
		return errorf(http.StatusBadRequest, "表单无法读取")
	}
	if id := r.PostForm.Get("delete"); id != "" {
		n, err := strconv.ParseInt(id, 10, 64)
		if err != nil {
			return errNotFound
		}
		if err := s.st.DeleteMilestone(r.Context(), n); err != nil {
			return err
		}
		s.audit(r, u, audit.Admin, "milestone", "删除里程碑 "+id)
		return seeOther(w, r, "/progress/settings?flash="+urlq("已删除"))
	}
	m := &store.Milestone{Name: strings.TrimSpace(r.PostForm.Get("name")), Due: r.PostForm.Get("due"), Datasets: r.PostForm["datasets"],
		CreatedAt: s.cfg.Now(), CreatedBy: u.Login}
	if _, err := s.cfg.Progress.AddMilestone(r.Context(), m); err != nil {
		return errorf(http.StatusBadRequest, "%v", err)
	}
	s.audit(r, u, audit.Admin, "milestone", fmt.Sprintf("里程碑：%s %s %v", m.Name, m.Due, m.Datasets))
	return seeOther(w, r, "/progress/settings?flash="+urlq("已添加"))
}
