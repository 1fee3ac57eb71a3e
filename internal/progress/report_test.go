package progress_test

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/xuri/excelize/v2"

	"shuiyun/internal/progress"
	"shuiyun/internal/store"
)

// reportFixture is the scenario computed through 11-04, with a milestone.
func reportFixture(t *testing.T) (*fixture, *progress.ReportData) {
	t.Helper()
	f := newFixture(t, mustOpen(t, store.Config{Data: t.TempDir()}, mustStandard(t)))
	scenario(f)
	ctx := context.Background()
	if _, err := f.svc.AddMilestone(ctx, &store.Milestone{Name: "航运企业信息全部报送", Due: "2026-11-30", Datasets: []string{so}}); err != nil {
		t.Fatal(err)
	}
	f.compute("2026-11-04")
	r, err := f.svc.Report(ctx, progress.MustDay("2026-11-03"), progress.MustDay("2026-11-04"), progress.PeriodDay)
	if err != nil {
		t.Fatal(err)
	}
	return f, r
}

// TestReportData: the report's tables of the scenario for 11-03..11-04,
// compared with 11-01..11-02.
func TestReportData(t *testing.T) {
	_, r := reportFixture(t)
	if r.Title != "水运政务数据共享工作进展情况通报（2026年11月3日—2026年11月4日）" || r.PrevFrom.String() != "2026-11-01" || r.PrevTo.String() != "2026-11-02" {
		t.Errorf("title %q, previous %s..%s", r.Title, r.PrevFrom, r.PrevTo)
	}
	type row struct {
		Code                   string
		Rank                   int
		Score                  float64
		Due, OnTime, Late, Mis int
	}
	var got []row
	for _, st := range r.Ranking[:4] {
		got = append(got, row{st.Agency.Code, st.Rank, st.Score, st.Due, st.OnTime, st.Late, st.Missing})
	}
	// 安徽: on time, then late: timeliness 0.75, every record passes → 92.5.
	// 浙江: on time, then missing: 0.5 → 85. 江苏: 0.5, 8 of 10 record-days
	// conformant (A3 both days) → 0.15 + 0.2 + 0.24 + 0.2 = 79.
	want := []row{{ah, 1, 92.5, 2, 1, 1, 0}, {zj, 2, 85, 2, 1, 0, 1}, {js, 3, 79, 2, 1, 0, 1}, {"110000", 4, 0, 2, 0, 0, 2}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("ranking (-want +got):\n%s", diff)
	}
	if s := r.Summary; s.Due != 66 || s.OnTime != 3 || s.Late != 1 || s.Live != 8 || s.Fixed != 2 || s.Agencies != 33 {
		t.Errorf("summary: %+v", s.Standing)
	}
	if r.Summary.FixMedian != 14*time.Hour+30*time.Minute {
		t.Errorf("national median time to fix %v, want 14h30m (of 14h30m and 32h59m)", r.Summary.FixMedian)
	}
	for _, d := range r.Details {
		if d.Agency.Code == js && (d.FixMedian != 32*time.Hour+59*time.Minute || d.Fixed != 1 || d.Live != 5) {
			t.Errorf("江苏 detail: %+v", d.Standing)
		}
	}
	if prev := r.Previous[js]; prev.Rank == 0 || prev.Due != 1 {
		t.Errorf("江苏 in the previous period: %+v", prev)
	}
	if len(r.Trend) != 2 || r.Trend[0].OnTime != 3 || r.Trend[1].Late != 1 {
		t.Errorf("trend: %+v", r.Trend)
	}
	if len(r.Milestones) != 1 || r.Milestones[0].Met != 3 || len(r.Milestones[0].Agencies) != 33 {
		t.Errorf("milestones: %+v", r.Milestones)
	}
}

// TestReportXLSX: the workbook reads back with excelize — its four sheets,
// the ranking in order — and LibreOffice converts it to PDF.
func TestReportXLSX(t *testing.T) {
	_, r := reportFixture(t)
	var buf bytes.Buffer
	if err := progress.WriteXLSX(&buf, r); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "通报.xlsx")
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if diff := cmp.Diff([]string{"概况", "排名", "各单位明细", "与上期比较"}, f.GetSheetList()); diff != "" {
		t.Errorf("sheets (-want +got):\n%s", diff)
	}
	rows, err := f.GetRows("排名")
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 2+33 || rows[1][0] != "名次" || rows[2][1] != "安徽省交通运输厅" || rows[2][2] != "92.50" || rows[4][1] != "江苏省交通运输厅" {
		t.Errorf("ranking sheet: %q", rows[:min(len(rows), 5)])
	}
	title, _ := f.GetCellValue("概况", "A1")
	if !strings.HasPrefix(title, "水运政务数据共享工作进展情况通报") {
		t.Errorf("title cell %q", title)
	}
	details, _ := f.GetRows("各单位明细")
	if len(details) != 1+33 {
		t.Errorf("details: %d rows, want a header and 33 agencies' shipping_operator", len(details))
	}
	convert(t, path, dir)
}

// convert runs LibreOffice (scripts/setup.sh installs it) on the workbook.
func convert(t *testing.T, path, dir string) {
	t.Helper()
	office, err := exec.LookPath("libreoffice")
	if err != nil {
		t.Fatal("libreoffice not installed: run scripts/setup.sh (Debian package libreoffice-calc-nogui)")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, office, "--headless", "-env:UserInstallation=file://"+filepath.Join(dir, "lo-profile"),
		"--convert-to", "pdf", "--outdir", dir, path)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("libreoffice: %v\n%s", err, out)
	}
	pdf, err := os.ReadFile(strings.TrimSuffix(path, ".xlsx") + ".pdf")
	if err != nil {
		t.Fatalf("no PDF: %v", err)
	}
	if !bytes.HasPrefix(pdf, []byte("%PDF-")) || len(pdf) < 2000 {
		t.Errorf("PDF of %d bytes starts %q", len(pdf), pdf[:min(len(pdf), 8)])
	}
}

// TestReportHTML: the page is self-contained (no external reference),
// Chinese, and holds the chart and the tables.
func TestReportHTML(t *testing.T) {
	_, r := reportFixture(t)
	var buf bytes.Buffer
	if err := progress.WriteHTML(&buf, r); err != nil {
		t.Fatal(err)
	}
	page := buf.String()
	for _, want := range []string{`<html lang="zh-CN">`, "<svg", "1. 安徽省", "92.50", `id="ranking"`, `id="compare"`, `id="details"`,
		"指标说明", "综合得分"} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	for _, bad := range []string{"http://", "https://", "src=", "<link", "@import"} {
		if strings.Contains(strings.ReplaceAll(page, `xmlns="http://www.w3.org/2000/svg"`, ""), bad) {
			t.Errorf("page refers outside itself: %q", bad)
		}
	}
	if os.Getenv("SHUIYUN_REPORT_OUT") != "" {
		os.WriteFile(os.Getenv("SHUIYUN_REPORT_OUT"), buf.Bytes(), 0o644)
	}
}
