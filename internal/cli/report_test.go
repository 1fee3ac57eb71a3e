package cli

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"shuiyun/internal/standard"
	"shuiyun/internal/store"
)

// storeDays stores two days of packages in a data folder, as the hub would
// have: 江苏 on time both days, 浙江 late on the first and silent on the second.
func storeDays(t *testing.T, data string) {
	t.Helper()
	ctx := context.Background()
	std, err := standard.Default()
	if err != nil {
		t.Fatal(err)
	}
	s, err := store.Open(ctx, store.Config{Data: data}, std)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ds := std.Dataset("shipping_operator")
	send := func(sender string, seq int64, at string, keys ...string) {
		now, err := time.ParseInLocation("2006-01-02 15:04", at, time.FixedZone("CST", 8*3600))
		if err != nil {
			t.Fatal(err)
		}
		s.Now = func() time.Time { return now }
		name := fmt.Sprintf("%s_%s_%06d.zip", sender, now.Format("20060102"), seq)
		if _, _, err := s.Enqueue(ctx, store.Job{Inbox: sender, Name: name, Path: "processing/" + name, SHA256: name}); err != nil {
			t.Fatal(err)
		}
		job, err := s.Claim(ctx, "t", time.Minute)
		if err != nil {
			t.Fatal(err)
		}
		tx, err := s.Begin(ctx, job, "t")
		if err != nil {
			t.Fatal(err)
		}
		w, err := tx.Dataset(ctx, ds.Name, store.Batch{Sender: sender, Seq: seq, DataDate: now.Format(time.DateOnly)})
		if err != nil {
			t.Fatal(err)
		}
		for i, k := range keys {
			vals := make([]string, len(ds.Fields))
			vals[ds.FieldIndex("uscc")], vals[ds.FieldIndex("operator_name")] = k, "航运公司"+k
			if err := w.Put(ctx, i+2, 'U', k, vals); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := w.Close(ctx); err != nil {
			t.Fatal(err)
		}
		if err := tx.RecordSubmission(ctx, sender, store.Submission{Dataset: ds.Name, Rows: len(keys)}); err != nil {
			t.Fatal(err)
		}
		d := &store.Delivery{Inbox: sender, Name: name, Sender: sender, Seq: seq, SHA256: name, Status: "accepted", Applied: true,
			Total: len(keys), Accepted: len(keys), ReceivedAt: now, ProcessedAt: now}
		if err := tx.Finish(ctx, d, func(*store.Delivery, []int64) ([]byte, error) { return []byte("{}"), nil }); err != nil {
			t.Fatal(err)
		}
		if err := s.Done(ctx, job, "t"); err != nil {
			t.Fatal(err)
		}
	}
	send("320000", 1, "2026-11-02 09:00", "K1", "K2")
	send("330000", 1, "2026-11-02 20:00", "Z1")
	send("320000", 2, "2026-11-03 09:00", "K3")
}

func TestReportCommands(t *testing.T) {
	data, out := t.TempDir(), t.TempDir()
	storeDays(t, data)

	code, stdout, stderr := run(t, "report", "metrics", "--data", data, "--through", "2026-11-03")
	if code != 0 || !strings.Contains(stdout, "已计算 2026-11-02 至 2026-11-03 的指标") {
		t.Fatalf("report metrics: %d\n%s\n%s", code, stdout, stderr)
	}
	if code, stdout, _ = run(t, "report", "metrics", "--data", data, "--through", "2026-11-03"); code != 0 || !strings.Contains(stdout, "无需计算") {
		t.Errorf("metrics again: %d %s", code, stdout)
	}

	xlsx := filepath.Join(out, "通报.xlsx")
	code, _, stderr = run(t, "report", "progress", "--data", data, "--from", "2026-11-02", "--to", "2026-11-03", "--out", xlsx)
	if code != 0 {
		t.Fatalf("report progress: %d\n%s", code, stderr)
	}
	f, err := excelize.OpenFile(xlsx)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, _ := f.GetRows("排名")
	if len(rows) < 4 || rows[2][1] != "江苏省交通运输厅" || rows[3][1] != "浙江省交通运输厅" {
		t.Errorf("ranking: %q", rows[:min(4, len(rows))])
	}
	html := filepath.Join(out, "通报.html")
	if code, _, stderr = run(t, "report", "progress", "--data", data, "--from", "2026-11-02", "--to", "2026-11-03", "--out", html); code != 0 {
		t.Fatalf("report progress html: %d\n%s", code, stderr)
	}
	if page, _ := os.ReadFile(html); !strings.Contains(string(page), "进展情况通报") {
		t.Error("the HTML report lacks its title")
	}

	tests := []struct {
		args   []string
		stderr string
	}{
		{[]string{"report", "progress", "--data", data, "--from", "2026-11-02", "--to", "2026-11-03", "--out", "x.pdf"}, "--out 应为 .xlsx 或 .html"},
		{[]string{"report", "progress", "--data", data, "--from", "2026-11-03", "--to", "2026-11-02", "--out", xlsx}, "早于"},
		{[]string{"report", "progress", "--data", data, "--from", "2026-11-02", "--to", "2999-01-01", "--out", xlsx}, "尚未结束"},
		{[]string{"report", "schedule", "--data", data, "--rule", "REL-22", "--effective", "2026-11-03"}, "已计算"},
		{[]string{"report", "frobnicate", "--data", data}, "需要子命令"},
	}
	for _, tt := range tests {
		if code, _, stderr := run(t, tt.args...); code != 2 || !strings.Contains(stderr, tt.stderr) {
			t.Errorf("%v: exit %d, stderr %q; want 2 and %q", tt.args[1:3], code, stderr, tt.stderr)
		}
	}

	code, stdout, stderr = run(t, "report", "preview", "--data", data, "--rule", "REQ", "--disable")
	if code != 0 || !strings.Contains(stdout, "规则 REQ 停用") {
		t.Errorf("preview: %d\n%s\n%s", code, stdout, stderr)
	}
}
