package web

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/chromedp"
	"github.com/google/go-cmp/cmp"
	"github.com/xuri/excelize/v2"

	"shuiyun/internal/gen"
	"shuiyun/internal/validate"
)

// chromiumPath is Debian's Chromium (package chromium); a test never downloads a browser.
const chromiumPath = "/usr/bin/chromium"

// TestBrowserFlow drives Chromium through a clerk's day, as the issue's
// "Done when" lists it: sign in; upload an XLSX with an error; see it;
// download the annotated workbook; fix it; resubmit; see the accepted
// receipt; find the record; open its history; download a filtered CSV;
// correct the record by manual entry. Screenshots of the main pages go to
// out/screenshots/ (git-ignored) for a person to look at.
func TestBrowserFlow(t *testing.T) {
	if _, err := os.Stat(chromiumPath); err != nil {
		if os.Getenv("SHUIYUN_REQUIRE_BROWSER") == "1" {
			t.Fatalf("SHUIYUN_REQUIRE_BROWSER=1 but %s is missing (apt-get install chromium): %v", chromiumPath, err)
		}
		t.Skipf("%s not installed (apt-get install chromium); set SHUIYUN_REQUIRE_BROWSER=1 to make this a failure", chromiumPath)
	}
	s := newSite(t)
	s.seed("320000", 12, "shipping_operator")
	s.seed("330000", 6, "shipping_operator")
	src := makeWorkbook(t)

	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	f := newFlow(t, ctx, s.http.URL)
	defer f.close()

	f.signIn("js", "今日报送")
	f.shot("home_agency")

	// Upload the workbook with a broken check digit and see the error.
	f.upload(src.path)
	if got := f.text("#verdict"); !strings.Contains(got, "有 1 行存在错误") {
		t.Errorf("verdict of the broken workbook: %q", got)
	}
	if got := f.text("#error-rows"); got != "1" {
		t.Errorf("#error-rows = %q, want 1", got)
	}
	findings := f.text("#findings")
	for _, want := range []string{"ID-USCC", "uscc", src.bad} {
		if !strings.Contains(findings, want) {
			t.Errorf("#findings lacks %q:\n%s", want, findings)
		}
	}
	t.Logf("uploaded %d rows, cell %s%d broken: %s → %s", src.rows, src.col, src.row, src.uscc, src.bad)
	f.shot("upload_result_errors")

	// The annotated workbook marks the bad cell; fix the cell in it and upload it again.
	annotated, name := f.download(chromedp.Click(chromedp.ID("annotated")))
	if want := "shipping_operator_校验结果.xlsx"; name != want {
		t.Errorf("annotated workbook is named %q, want %q", name, want)
	}
	fixed := fixAnnotated(t, annotated, src)
	f.upload(fixed)
	if got := f.text("#verdict"); !strings.Contains(got, "校验通过") {
		t.Fatalf("verdict of the fixed workbook: %q\n%s", got, f.text("main"))
	}
	f.click(chromedp.Click(chromedp.ID("confirm")))
	receipt := f.location()
	f.wantReceipt(src.rows)
	f.shot("receipt")

	// Find the record by its name and open it.
	f.open("/records/shipping_operator")
	f.shot("browse")
	f.do(chromedp.SendKeys(chromedp.CSS(`input[name=q]`), src.name))
	f.click(chromedp.Click(chromedp.CSS(`form[role=search] button[type=submit]`)))
	f.click(chromedp.Click(chromedp.Search(fmt.Sprintf(`//table//a[normalize-space()=%q]`, src.uscc))))
	record := f.location()
	if got := f.text("h1"); !strings.Contains(got, src.uscc) {
		t.Errorf("record page title %q lacks the key %s", got, src.uscc)
	}
	if got := f.current("经营者名称"); got != src.name {
		t.Errorf("record shows name %q, want %q", got, src.name)
	}
	// Its history: one version, from the package of the receipt above.
	if got := f.text("main"); !strings.Contains(got, "版本历史") {
		t.Errorf("record page has no 版本历史")
	}
	pkg := strings.TrimPrefix(receipt, f.base)
	if got := f.versions(); !slices.Equal(got, []string{pkg}) {
		t.Errorf("history links %v, want [%s]", got, pkg)
	}
	f.shot("record")

	// A filtered view downloaded as CSV holds exactly the filtered rows.
	f.filteredCSV(src)

	// Correct the record by manual entry: a second version with the new address.
	f.open(strings.TrimPrefix(record, f.base))
	f.click(chromedp.Click(chromedp.Search(`//a[normalize-space()="更正此记录"]`)))
	f.wait("#entry-form")
	f.shot("entry_form")
	const address = "江苏省南京市鼓楼区中山北路 101 号（更正）"
	f.do(chromedp.Clear(chromedp.CSS(`input[name=address]`)), chromedp.SendKeys(chromedp.CSS(`input[name=address]`), address))
	f.click(chromedp.Click(chromedp.ID("save")))
	corrected := f.location()
	f.wantReceipt(1)
	f.open(strings.TrimPrefix(record, f.base))
	if got, want := f.versions(), []string{strings.TrimPrefix(corrected, f.base), pkg}; !slices.Equal(got, want) {
		t.Errorf("history after the correction links %v, want %v (newest first)", got, want)
	}
	if got := f.current("地址"); got != address {
		t.Errorf("current address %q, want %q", got, address)
	}

	// The ministry's national picture.
	f.click(chromedp.Click(chromedp.CSS(`.me button[type=submit]`)))
	f.signIn("admin", "全国报送情况")
	f.shot("home_ministry")
}

// workbook is the clerk's source file: valid generated rows, one USCC check digit broken.
type workbook struct {
	path            string
	rows            int
	row             int    // the broken row, as a spreadsheet numbers it
	col             string // the uscc column's letter
	uscc, bad, name string // the right and the broken code, and the operator's name
}

func makeWorkbook(t *testing.T) workbook {
	t.Helper()
	dir := t.TempDir()
	res, err := gen.Generate(loadStd(t), gen.Options{Seed: 2026, Rows: 10, AsOf: validate.Today(), Datasets: []string{"shipping_operator"},
		Format: "csv", Encoding: "UTF-8", Header: "id", Submitter: "320000", Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(filepath.Join(dir, "shipping_operator.csv"))
	if err != nil {
		t.Fatal(err)
	}
	table, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(data, []byte("\ufeff")))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	head := table[0]
	col := func(name string) int {
		i := slices.Index(head, name)
		if i < 0 {
			t.Fatalf("generated header %v has no %s", head, name)
		}
		return i
	}
	wb := workbook{path: filepath.Join(dir, "shipping_operator.xlsx"), rows: res.Rows["shipping_operator"]}
	if wb.rows != len(table)-1 || wb.rows < 2 {
		t.Fatalf("generated %d rows, the file has %d", wb.rows, len(table)-1)
	}
	for i, rec := range table[1:] {
		if rec[col("is_individual")] == "0" && rec[col("uscc")] != "" {
			wb.row, wb.uscc, wb.name = i+2, rec[col("uscc")], rec[col("operator_name")]
			break
		}
	}
	if wb.row == 0 {
		t.Fatal("no generated operator with a USCC")
	}
	wb.col, _ = excelize.ColumnNumberToName(col("uscc") + 1)
	wb.bad = wb.uscc[:17] + otherCheck(wb.uscc[17])
	table[wb.row-1][col("uscc")] = wb.bad

	x := excelize.NewFile()
	defer x.Close()
	if err := x.SetSheetName(x.GetSheetName(0), "shipping_operator"); err != nil {
		t.Fatal(err)
	}
	for i, rec := range table {
		cells := make([]any, len(rec))
		for j, v := range rec {
			cells[j] = v
		}
		if err := x.SetSheetRow("shipping_operator", "A"+strconv.Itoa(i+1), &cells); err != nil {
			t.Fatal(err)
		}
	}
	if err := x.SaveAs(wb.path); err != nil {
		t.Fatal(err)
	}
	return wb
}

// otherCheck is a USCC check character other than c.
func otherCheck(c byte) string {
	if c == '0' {
		return "1"
	}
	return "0"
}

// fixAnnotated checks that the annotated workbook has a comment on the bad
// cell, puts the right code back into that cell and saves it as a new file.
func fixAnnotated(t *testing.T, path string, wb workbook) string {
	t.Helper()
	x, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatalf("open the annotated workbook: %v", err)
	}
	defer x.Close()
	cell := wb.col + strconv.Itoa(wb.row)
	sheet := ""
	for _, name := range x.GetSheetList() {
		if v, _ := x.GetCellValue(name, cell); v == wb.bad {
			sheet = name
		}
	}
	if sheet == "" {
		t.Fatalf("no sheet of the annotated workbook (%v) has %s at %s", x.GetSheetList(), wb.bad, cell)
	}
	comments, err := x.GetComments(sheet)
	if err != nil {
		t.Fatal(err)
	}
	var on []string
	for _, c := range comments {
		if c.Cell == cell {
			on = append(on, commentText(c))
		}
	}
	if len(on) != 1 || !strings.Contains(on[0], "ID-USCC") {
		t.Errorf("comments on %s!%s: %q (all: %d)", sheet, cell, on, len(comments))
	} else {
		t.Logf("annotated workbook, %s!%s: %q", sheet, cell, on[0])
	}
	if err := x.SetCellStr(sheet, cell, wb.uscc); err != nil {
		t.Fatal(err)
	}
	fixed := filepath.Join(t.TempDir(), "shipping_operator_fixed.xlsx")
	if err := x.SaveAs(fixed); err != nil {
		t.Fatal(err)
	}
	return fixed
}

func commentText(c excelize.Comment) string {
	text := c.Text
	for _, p := range c.Paragraph {
		text += p.Text
	}
	return text
}

// flow is one browser tab on the site under test.
type flow struct {
	t      *testing.T
	ctx    context.Context
	base   string
	shots  string // where screenshots go
	dl     string // where downloads go
	cancel []context.CancelFunc
}

func newFlow(t *testing.T, parent context.Context, base string) *flow {
	t.Helper()
	shots, err := filepath.Abs(filepath.Join("..", "..", "out", "screenshots"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(shots, 0o755); err != nil {
		t.Fatal(err)
	}
	var output bytes.Buffer
	alloc, cancelAlloc := chromedp.NewExecAllocator(parent,
		chromedp.ExecPath(chromiumPath),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true), // /dev/shm is small in containers
		chromedp.UserDataDir(filepath.Join(t.TempDir(), "profile")),
		chromedp.WindowSize(1366, 768),
		chromedp.CombinedOutput(&output),
	)
	ctx, cancelTab := chromedp.NewContext(alloc)
	f := &flow{t: t, ctx: ctx, base: base, shots: shots, dl: t.TempDir(), cancel: []context.CancelFunc{cancelTab, cancelAlloc}}
	if err := chromedp.Do(ctx); err != nil { // starts the browser
		f.close()
		t.Fatalf("start %s: %v\n%s", chromiumPath, err, output.String())
	}
	_, err = chromedp.Call(ctx, browser.SetDownloadBehavior, browser.SetDownloadBehaviorParams{
		Behavior: browser.SetDownloadBehaviorBehaviorAllowAndName, DownloadPath: f.dl, EventsEnabled: new(true)})
	if err != nil {
		f.close()
		t.Fatalf("download behaviour: %v", err)
	}
	return f
}

// close ends the tab and the browser, and waits for it to exit (its profile is in a TempDir).
func (f *flow) close() {
	for _, c := range f.cancel {
		c()
	}
}

func (f *flow) do(actions ...chromedp.Action[chromedp.Void]) {
	f.t.Helper()
	if err := chromedp.Do(f.ctx, actions...); err != nil {
		f.t.Fatalf("%s: %v", f.location(), err)
	}
}

// open loads a page of the site and checks its status.
func (f *flow) open(path string) {
	f.t.Helper()
	resp, err := chromedp.Run(f.ctx, chromedp.NavigateResponse(f.base+path))
	if err != nil {
		f.t.Fatalf("open %s: %v", path, err)
	}
	if resp.Status != 200 {
		f.t.Fatalf("open %s: status %d\n%s", path, resp.Status, f.text("main"))
	}
}

// click clicks something that loads a new page and checks the page's status.
func (f *flow) click(click chromedp.Action[chromedp.Void]) {
	f.t.Helper()
	from := f.location()
	resp, err := chromedp.RunResponse(f.ctx, click)
	if err != nil {
		f.t.Fatalf("%s: click: %v", from, err)
	}
	if resp.Status != 200 {
		f.t.Fatalf("%s: click led to %s, status %d\n%s", from, resp.URL, resp.Status, f.text("main"))
	}
}

func (f *flow) wait(css string) {
	f.t.Helper()
	f.do(chromedp.WaitVisible(chromedp.CSS(css)))
}

func (f *flow) text(css string) string {
	f.t.Helper()
	s, err := chromedp.Run(f.ctx, chromedp.Text(chromedp.CSS(css)))
	if err != nil {
		f.t.Fatalf("%s: text of %s: %v", f.location(), css, err)
	}
	return strings.TrimSpace(s)
}

func (f *flow) location() string {
	loc, err := chromedp.Run(f.ctx, chromedp.Location())
	if err != nil {
		return "(no page: " + err.Error() + ")"
	}
	return loc
}

func (f *flow) eval(js string) []string {
	f.t.Helper()
	out, err := chromedp.Run(f.ctx, chromedp.Evaluate[[]string](js))
	if err != nil {
		f.t.Fatalf("%s: evaluate: %v", f.location(), err)
	}
	return out
}

// shot writes a full-page PNG screenshot (FullScreenshot gives PNG only at quality 100).
func (f *flow) shot(name string) {
	f.t.Helper()
	png, err := chromedp.Run(f.ctx, chromedp.FullScreenshot(100))
	if err != nil {
		f.t.Fatalf("screenshot %s: %v", name, err)
	}
	if err := os.WriteFile(filepath.Join(f.shots, name+".png"), png, 0o644); err != nil {
		f.t.Fatal(err)
	}
}

// signIn signs in through the form and waits for the home page, whose h1 has want.
func (f *flow) signIn(login, want string) {
	f.t.Helper()
	f.open("/")
	if loc := f.location(); !strings.HasPrefix(loc, f.base+"/login") {
		f.t.Fatalf("signed out, / led to %s, not the sign-in page", loc)
	}
	if login == "js" {
		f.shot("login")
	}
	f.do(chromedp.SendKeys(chromedp.CSS(`input[name=login]`), login),
		chromedp.SendKeys(chromedp.CSS(`input[name=password]`), testPassword))
	f.click(chromedp.Click(chromedp.CSS(`section.login button[type=submit]`)))
	if loc := f.location(); loc != f.base+"/" {
		f.t.Fatalf("signed in as %s, landed on %s\n%s", login, loc, f.text("main"))
	}
	if got := f.text("main h1"); !strings.Contains(got, want) {
		f.t.Fatalf("home of %s: h1 %q lacks %q", login, got, want)
	}
}

// upload sends a file through the upload form and waits for the dry run's result.
func (f *flow) upload(path string) {
	f.t.Helper()
	f.open("/upload")
	f.do(chromedp.SetUploadFiles(chromedp.CSS(`input[name=file]`), []string{path}))
	f.click(chromedp.Click(chromedp.Search(`//button[normalize-space()="试校验"]`)))
	if !strings.Contains(f.location(), "/upload/") {
		f.t.Fatalf("upload of %s: still on %s\n%s", filepath.Base(path), f.location(), f.text("main"))
	}
	f.wait("#verdict")
}

// wantReceipt checks that this is a receipt of a package accepted whole.
func (f *flow) wantReceipt(rows int) {
	f.t.Helper()
	if !strings.Contains(f.location(), "/receipts/") {
		f.t.Fatalf("not a receipt page: %s\n%s", f.location(), f.text("main"))
	}
	got := map[string]string{"status": f.text("#receipt-status"), "accepted": f.text("#accepted"), "rejected": f.text("#rejected")}
	want := map[string]string{"status": "全部接收", "accepted": strconv.Itoa(rows), "rejected": "0"}
	if diff := cmp.Diff(want, got); diff != "" {
		f.t.Errorf("receipt %s (-want +got):\n%s", f.location(), diff)
	}
	if cls := f.eval(`[document.getElementById("receipt-status").className]`); !slices.Equal(cls, []string{"st-accepted"}) {
		f.t.Errorf("#receipt-status class %v, want st-accepted", cls)
	}
}

// current reads a field of the record page's current version by its label.
func (f *flow) current(label string) string {
	f.t.Helper()
	got := f.eval(fmt.Sprintf(`Array.from(document.querySelector("dl.record").querySelectorAll("dt"))
		.filter(dt => dt.textContent.trim() === %q).map(dt => dt.nextElementSibling.textContent.trim())`, label))
	if len(got) != 1 {
		f.t.Fatalf("record page: %d fields labelled %s", len(got), label)
	}
	return got[0]
}

// versions lists the packages the record page's history links to, newest first.
func (f *flow) versions() []string {
	f.t.Helper()
	return f.eval(`Array.from(document.querySelectorAll(".scroll table tbody > tr"))
		.filter(tr => !tr.querySelector("details"))
		.map(tr => { const a = tr.querySelector('a[href^="/receipts/"]'); return a ? a.getAttribute("href") : "" })`)
}

// download clicks a download link and waits until the file is there;
// it returns its path and the name the server suggested.
func (f *flow) download(click chromedp.Action[chromedp.Void]) (string, string) {
	f.t.Helper()
	begin := chromedp.Events(f.ctx, browser.DownloadWillBegin)
	progress := chromedp.Events(f.ctx, browser.DownloadProgress)
	f.do(click)
	var guid, name string
	for ev, err := range begin {
		if err != nil {
			f.t.Fatalf("download did not begin: %v", err)
		}
		guid, name = ev.GUID, ev.SuggestedFilename
		break
	}
	for ev, err := range progress {
		if err != nil {
			f.t.Fatalf("download %s did not end: %v", name, err)
		}
		if ev.GUID != guid {
			continue
		}
		if ev.State == browser.DownloadProgressStateCanceled {
			f.t.Fatalf("download %s canceled", name)
		}
		if ev.State == browser.DownloadProgressStateCompleted {
			break
		}
	}
	return filepath.Join(f.dl, guid), name
}

// filteredCSV filters the operators registered in Jiangsu (region code
// 32…: the seeded and the uploaded ones, not Zhejiang's) and downloads the
// view as CSV: UTF-8 with a BOM, the field ids as header, and exactly the
// rows the page counts, each in Jiangsu.
func (f *flow) filteredCSV(wb workbook) {
	t := f.t
	t.Helper()
	f.open("/records/shipping_operator")
	total := f.count()
	f.do(chromedp.SetValue(chromedp.CSS(`select[name=f]`), "reg_region_code"),
		chromedp.SetValue(chromedp.CSS(`select[name=op]`), "prefix"),
		chromedp.SendKeys(chromedp.CSS(`input[name=v]`), "32"))
	f.click(chromedp.Click(chromedp.CSS(`form[role=search] button[type=submit]`)))
	n := f.count()
	if n < wb.rows || n >= total {
		t.Errorf("filter reg_region_code 32…: %d of %d records; want at least the %d uploaded, not all", n, total, wb.rows)
	}
	path, name := f.download(chromedp.Click(chromedp.Search(`//a[normalize-space()="下载 CSV"]`)))
	if !strings.HasPrefix(name, "shipping_operator_") || !strings.HasSuffix(name, ".csv") {
		t.Errorf("CSV download named %q", name)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	body, ok := bytes.CutPrefix(data, []byte("\ufeff"))
	if !ok {
		t.Errorf("CSV has no UTF-8 BOM: starts %q", data[:min(len(data), 16)])
	}
	table, err := csv.NewReader(bytes.NewReader(body)).ReadAll()
	if err != nil || len(table) == 0 {
		t.Fatalf("CSV: %v (%d lines)", err, len(table))
	}
	ds := loadStd(t).Dataset("shipping_operator")
	if diff := cmp.Diff(ds.FieldNames(), table[0]); diff != "" {
		t.Errorf("CSV header (-want +got):\n%s", diff)
	}
	region, uscc := ds.FieldIndex("reg_region_code"), ds.FieldIndex("uscc")
	found := false
	for _, rec := range table[1:] {
		if !strings.HasPrefix(rec[region], "32") {
			t.Errorf("CSV row outside the filter: %v", rec)
		}
		found = found || rec[uscc] == wb.uscc
	}
	if len(table)-1 != n || !found {
		t.Errorf("CSV has %d rows (uploaded record among them: %v), the page counts %d", len(table)-1, found, n)
	}
	t.Logf("CSV %s: %d of %d records, reg_region_code 32…", name, n, total)
}

// count reads the browse page's "共 N 条".
func (f *flow) count() int {
	f.t.Helper()
	s := f.text(".pager span")
	n, err := strconv.Atoi(strings.TrimSuffix(strings.TrimSuffix(strings.TrimPrefix(s, "共 "), " 条"), "+"))
	if err != nil {
		f.t.Fatalf("browse count %q: %v", s, err)
	}
	return n
}
