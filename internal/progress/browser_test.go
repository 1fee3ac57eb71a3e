package progress_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"shuiyun/internal/progress"
)

// chromiumPath is Debian's Chromium (scripts/setup.sh); a test never downloads a browser.
const chromiumPath = "/usr/bin/chromium"

// TestReportBrowser opens the report page in Chromium from a file (so any
// request it made elsewhere would fail), checks the chart and tables are
// drawn, prints it to PDF as a person would, and keeps a screenshot and the
// PDF in out/screenshots/ (git-ignored).
func TestReportBrowser(t *testing.T) {
	if _, err := os.Stat(chromiumPath); err != nil {
		if os.Getenv("SHUIYUN_REQUIRE_BROWSER") == "1" {
			t.Fatalf("SHUIYUN_REQUIRE_BROWSER=1 but %s is missing (apt-get install chromium): %v", chromiumPath, err)
		}
		t.Skipf("%s not installed (apt-get install chromium); set SHUIYUN_REQUIRE_BROWSER=1 to make this a failure", chromiumPath)
	}
	_, r := reportFixture(t)
	var buf bytes.Buffer
	if err := progress.WriteHTML(&buf, r); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "通报.html")
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	shots, err := filepath.Abs(filepath.Join("..", "..", "out", "screenshots"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(shots, 0o755); err != nil {
		t.Fatal(err)
	}

	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	alloc, cancelAlloc := chromedp.NewExecAllocator(ctx, chromedp.ExecPath(chromiumPath), chromedp.Headless, chromedp.NoSandbox,
		chromedp.DisableGPU, chromedp.NoFirstRun, chromedp.NoDefaultBrowserCheck, chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("disable-background-networking", true), chromedp.UserDataDir(filepath.Join(t.TempDir(), "profile")),
		chromedp.WindowSize(1024, 768))
	defer cancelAlloc()
	tab, cancelTab := chromedp.NewContext(alloc)
	defer cancelTab()

	if err := chromedp.Do(tab, chromedp.Navigate("file://"+path)); err != nil {
		t.Fatal(err)
	}
	title, err := chromedp.Run(tab, chromedp.Title())
	if err != nil {
		t.Fatal(err)
	}
	count := func(expr string) float64 {
		t.Helper()
		n, err := chromedp.Run(tab, chromedp.Evaluate[float64](expr))
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	bars, rankingRows := count(`document.querySelectorAll('.chart svg rect').length`), count(`document.querySelectorAll('#ranking tbody tr').length`)
	chartWidth := count(`document.querySelector('.chart svg').getBoundingClientRect().width`)
	png, err := chromedp.Run(tab, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatal(err)
	}
	printed, err := chromedp.Call(tab, page.PrintToPDF, page.PrintToPDFParams{PrintBackground: new(true), PaperWidth: 8.27, PaperHeight: 11.69})
	if err != nil {
		t.Fatal(err)
	}
	pdf := printed.Data
	if title != r.Title || bars != 33 || rankingRows != 33 || chartWidth < 600 {
		t.Errorf("page %q: %.0f bars, %.0f ranking rows, chart %.0f px wide; want 33, 33, ≥ 600", title, bars, rankingRows, chartWidth)
	}
	if !bytes.HasPrefix(pdf, []byte("%PDF-")) {
		t.Errorf("printing gave no PDF: %q", pdf[:min(8, len(pdf))])
	}
	for name, data := range map[string][]byte{"progress_report.png": png, "progress_report.pdf": pdf} {
		if err := os.WriteFile(filepath.Join(shots, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
