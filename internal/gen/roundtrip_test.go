package gen

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"shuiyun/internal/standard"
	"shuiyun/internal/validate"
)

// finding is the part of a finding answers.csv fixes.
type finding struct {
	File, Sheet string
	Row         int
	Field, Rule string
	Severity    string
}

func (f finding) String() string {
	return fmt.Sprintf("%s[%s]:%d %s %s %s", f.File, f.Sheet, f.Row, f.Field, f.Rule, f.Severity)
}

// roundTrip generates data, validates it as one batch and compares the findings with
// the answers.
func roundTrip(t *testing.T, opt Options) {
	roundTripVia(t, opt, nil)
}

// roundTripVia is roundTrip with the data files passed through convert first
// (a re-save by another program) before they are validated.
func roundTripVia(t *testing.T, opt Options, convert func(t *testing.T, files []string) []string) {
	t.Helper()
	std := mustStandard(t)
	opt.Dir = t.TempDir()
	res, err := Generate(std, opt)
	if err != nil {
		t.Fatalf("Generate: %v", err)
	}
	var data []string
	for _, f := range res.Files {
		if filepath.Base(f) != "answers.csv" {
			data = append(data, f)
		}
	}
	if convert != nil {
		data = convert(t, data)
	}
	// Odd seeds read each table in several partitions, even seeds in one, so both
	// ways of resolving UNIQUE and REL-12 are held to the same answers.
	workers := 1 + int(opt.Seed%2)*2
	rep, err := validate.Run(context.Background(), std, data, validate.Options{AsOf: opt.AsOf, Submitter: opt.Submitter, Workers: workers})
	if err != nil {
		t.Fatalf("validate.Run: %v", err)
	}
	got := map[finding]string{}
	for _, f := range rep.Files {
		for _, x := range f.Findings {
			got[finding{filepath.Base(f.Path), f.Sheet, x.Row, x.Field, x.Rule, x.Severity}] = x.Value + " — " + x.Message
		}
	}
	want := map[finding]string{}
	for _, d := range res.Defects {
		want[finding{d.File, d.Sheet, d.Row, d.Field, d.Rule, d.Severity}] = d.Note
	}
	var extra, missing []string
	for f, msg := range got {
		if _, ok := want[f]; !ok {
			extra = append(extra, f.String()+"  "+msg)
		}
	}
	for f, note := range want {
		if _, ok := got[f]; !ok {
			missing = append(missing, f.String()+"  ("+note+")")
		}
	}
	slices.Sort(extra)
	slices.Sort(missing)
	if len(extra)+len(missing) > 0 {
		t.Errorf("%d findings not in answers.csv:\n%s\n%d answers not found:\n%s", len(extra), head(extra), len(missing), head(missing))
	}
}

func head(list []string) string {
	if len(list) > 40 {
		list = append(list[:40], "…")
	}
	return strings.Join(list, "\n")
}

func mustStandard(t testing.TB) *standard.Standard {
	t.Helper()
	std, err := standard.Default()
	if err != nil {
		t.Fatal(err)
	}
	return std
}

var asOf = time.Date(2026, 11, 26, 0, 0, 0, 0, time.UTC)

func TestRoundTrip(t *testing.T) {
	tests := []struct {
		name string
		opt  Options
	}{
		{"clean", Options{Seed: 1, Rows: 2000, AsOf: asOf}},
		{"clean quirks", Options{Seed: 2, Rows: 2000, AsOf: asOf, Quirks: true}},
		{"defects", Options{Seed: 3, Rows: 3000, ErrorRate: 0.1, AsOf: asOf, Quirks: true}},
		{"many defects", Options{Seed: 4, Rows: 2000, ErrorRate: 0.5, AsOf: asOf, Quirks: true}},
		{"province", Options{Seed: 5, Rows: 2000, ErrorRate: 0.1, AsOf: asOf, Quirks: true, Submitter: "320000"}},
		{"small province", Options{Seed: 6, Rows: 300, ErrorRate: 0.2, AsOf: asOf, Quirks: true, Submitter: "540000"}},
		{"changjiang", Options{Seed: 7, Rows: 2000, ErrorRate: 0.1, AsOf: asOf, Quirks: true, Submitter: "CJ0000"}},
		{"zhujiang", Options{Seed: 8, Rows: 1000, ErrorRate: 0.1, AsOf: asOf, Quirks: true, Submitter: "ZJ0000"}},
		{"ministry", Options{Seed: 9, Rows: 1000, ErrorRate: 0.1, AsOf: asOf, Quirks: true, Submitter: "000000"}},
		{"gb18030 labels", Options{Seed: 10, Rows: 1000, ErrorRate: 0.1, AsOf: asOf, Quirks: true, Encoding: "GB18030", Header: "label"}},
		{"xlsx", Options{Seed: 11, Rows: 1000, ErrorRate: 0.1, AsOf: asOf, Quirks: true, Format: "xlsx"}},
		{"xlsx labels", Options{Seed: 12, Rows: 500, ErrorRate: 0.1, AsOf: asOf, Quirks: true, Format: "xlsx", Header: "label"}},
		{"some datasets", Options{Seed: 13, Rows: 1000, ErrorRate: 0.2, AsOf: asOf, Quirks: true,
			Datasets: []string{"vessel_operating_certificate", "D11", "auxiliary_business_filing", "port_dg_annex", "international_shipping_record"}}},
		{"tiny", Options{Seed: 14, Rows: 3, ErrorRate: 1, AsOf: asOf, Quirks: true}},
		{"early as-of", Options{Seed: 15, Rows: 1000, ErrorRate: 0.1, AsOf: time.Date(2021, 3, 1, 0, 0, 0, 0, time.UTC), Quirks: true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { roundTrip(t, tt.opt) })
	}
}

// TestRoundTripLibreOffice re-saves the generated workbook with LibreOffice
// (shared strings, its own styles and date cells, as agencies' files are) and
// expects exactly the same findings. .ci/run installs LibreOffice.
func TestRoundTripLibreOffice(t *testing.T) {
	office, err := exec.LookPath("libreoffice")
	if err != nil {
		if os.Getenv("CI") == "" {
			t.Skip("LibreOffice is not installed (scripts/setup.sh installs it; CI always has it)")
		}
		t.Fatal("LibreOffice is not installed: run scripts/setup.sh")
	}
	resave := func(t *testing.T, files []string) []string {
		out := t.TempDir()
		args := append([]string{"--headless", "-env:UserInstallation=file://" + t.TempDir(), "--convert-to", "xlsx", "--outdir", out}, files...)
		if b, err := exec.Command(office, args...).CombinedOutput(); err != nil {
			t.Fatalf("libreoffice: %v\n%s", err, b)
		}
		var saved []string
		for _, f := range files {
			saved = append(saved, filepath.Join(out, filepath.Base(f)))
		}
		return saved
	}
	roundTripVia(t, Options{Seed: 21, Rows: 400, ErrorRate: 0.1, AsOf: asOf, Quirks: true, Format: "xlsx"}, resave)
}
