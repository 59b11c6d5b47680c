// Package browser_test drives the web console in a real headless Chromium
// (Debian's chromium, through chromedp) on a server started in-process
// with a small demo compound: what a supervisor and a project manager do
// in a browser, page by page, with a screenshot of each.
package browser_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/chromedp"
	"github.com/xuri/excelize/v2"

	"github.com/butler-pm/butler/cmd/butler/demo"
	"github.com/butler-pm/butler/test/harness"
)

// chromium finds the browser, or skips loudly; with
// BUTLER_TEST_REQUIRE_BROWSER set (CI sets it) a missing browser fails.
func chromium(t *testing.T) string {
	for _, name := range []string{os.Getenv("BUTLER_CHROMIUM"), "chromium", "chromium-browser", "google-chrome"} {
		if name == "" {
			continue
		}
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	msg := "NO CHROMIUM: the console's browser tests DID NOT RUN (apt-get install chromium fonts-noto-cjk, or set BUTLER_CHROMIUM)"
	if os.Getenv("BUTLER_TEST_REQUIRE_BROWSER") != "" {
		t.Fatal(msg)
	}
	fmt.Fprintln(os.Stderr, "\n!!!!!!!! "+msg+" !!!!!!!!")
	t.Skip(msg)
	return ""
}

// screenshots is where each run saves a screenshot per page
// (BUTLER_SCREENSHOTS, default a temporary directory); docs/screenshots/
// holds the committed ones.
func screenshots(t *testing.T) string {
	dir := os.Getenv("BUTLER_SCREENSHOTS")
	if dir == "" {
		dir = filepath.Join(os.TempDir(), "butler-screenshots")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestConsoleInABrowser(t *testing.T) {
	bin := chromium(t)
	shots := screenshots(t)
	dir := t.TempDir()
	until := time.Date(2026, 11, 20, 0, 0, 0, 0, harness.Shanghai)
	if _, err := demo.Run(context.Background(), dir, "", demo.Options{Households: 300, Months: 6, Seed: 1, Until: until}); err != nil {
		t.Fatal(err)
	}
	b := harness.Start(t, harness.Options{Dir: dir, Start: until.Add(9 * time.Hour)})
	pm := b.Token("project_manager", "pm-001", "p1", "")
	b.Eventually(2*time.Minute, func() error {
		r := b.Do("GET", "/readyz", "", nil)
		if r.Status != 200 {
			return fmt.Errorf("readyz %d", r.Status)
		}
		if r := b.Do("GET", "/api/v1/complaints?q=漏水&size=1", pm, nil); r.Status != 200 || !strings.Contains(string(r.Raw), "漏水") {
			return fmt.Errorf("search not ready: %d", r.Status)
		}
		return nil
	})
	if _, err := b.App.Audit().SignNow(context.Background()); err != nil {
		t.Fatal(err)
	}
	proxy := newContractProxy(t, b.URL)
	front := httptest.NewServer(proxy)
	t.Cleanup(front.Close)
	t.Cleanup(func() {
		for route, n := range proxy.Used() {
			t.Logf("CONTRACT STAND-IN answered %s %d times: Butler does not serve it on this branch yet", route, n)
		}
	})
	base := front.URL

	downloads := t.TempDir()
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(bin), chromedp.NoSandbox,
		chromedp.WindowSize(1366, 768), chromedp.Flag("lang", "zh-CN"), chromedp.Flag("disable-gpu", true),
		chromedp.Env("LANG=zh_CN.UTF-8", "LANGUAGE=zh_CN:zh"))
	actx, cancelA := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancelA()
	bctx, cancel := chromedp.NewContext(actx, chromedp.WithLogf(t.Logf))
	defer cancel()
	if err := chromedp.Do(bctx, chromedp.Navigate("about:blank")); err != nil {
		t.Fatalf("starting %s: %v", bin, err)
	}
	ctx, cancelT := context.WithTimeout(bctx, 4*time.Minute)
	defer cancelT()
	c := &console{t: t, ctx: ctx, shots: shots}

	// The project manager, signed in by an operator's link, creates an
	// activation link for the supervisor s-001.
	c.do("project manager opens the staff page",
		chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
			_, err := chromedp.CallBrowser(ctx, browser.SetDownloadBehavior, browser.SetDownloadBehaviorParams{
				Behavior: browser.SetDownloadBehaviorBehaviorAllow, DownloadPath: downloads})
			return err
		}),
		chromedp.Navigate(base+"/#/signin?token="+pm),
		page("today"),
		hash("/staff"), page("staff"),
		chromedp.SendKeys(chromedp.CSS(`#issue input[name=staff]`), "s-001"),
		chromedp.Click(chromedp.CSS(`#issue button`)),
		chromedp.WaitVisible(chromedp.CSS(`#activation-url`)),
		c.shot("staff-activation"))
	link := get(c, "activation link", chromedp.Value(chromedp.CSS(`#activation-url`)))
	if !strings.Contains(link, "/activate#s-001.") {
		t.Fatalf("activation link %q", link)
	}

	// The project manager's other pages: audit and access log.
	c.do("audit page",
		hash("/audit"), page("audit"),
		chromedp.WaitVisible(chromedp.CSS(`#cp table`)), c.shot("audit"))
	if cp := get(c, "checkpoint", chromedp.Text(chromedp.CSS(`#cp`))); !strings.Contains(cp, "根哈希") {
		t.Fatalf("checkpoint shown as %q", cp)
	}
	first := b.Must(200, "GET", "/api/v1/complaints?size=1&sort=registered_at", pm, nil).JSON["items"].([]any)[0].(map[string]any)["id"].(string)
	c.do("a record's proof",
		hash("/record/complaints/"+first), page("record"),
		chromedp.WaitVisible(chromedp.CSS(`#proof .ok`)), c.shot("record-proof"))
	c.do("access log page",
		hash("/access-log"), page("access-log"),
		chromedp.WaitVisible(chromedp.CSS(`#log table`)), c.shot("access-log"))
	c.do("sign out", chromedp.Click(chromedp.CSS(`#sign-out`)), page("signin"))

	// The supervisor sets a password with the link, then signs in with it.
	link = strings.Replace(link, b.URL, base, 1)
	const password = "主管的密码2026"
	c.do("activate",
		chromedp.Navigate(link), page("activate"),
		c.shot("activate"),
		chromedp.SendKeys(chromedp.CSS(`#activate input[name=password]`), password),
		chromedp.SendKeys(chromedp.CSS(`#activate input[name=again]`), password),
		chromedp.Click(chromedp.CSS(`#activate button`)),
		page("signin"))
	if staff := get(c, "staff id", chromedp.Value(chromedp.CSS(`#signin input[name=staff_id]`))); staff != "s-001" {
		t.Fatalf("the sign-in page after activation has staff id %q", staff)
	}
	c.do("sign in",
		chromedp.SendKeys(chromedp.CSS(`#signin input[name=password]`), "wrong password"),
		chromedp.Click(chromedp.CSS(`#signin button`)),
		chromedp.WaitVisible(chromedp.CSS(`#msg .error`)),
		c.shot("signin-wrong-password"),
		chromedp.SetValue(chromedp.CSS(`#signin input[name=password]`), password),
		chromedp.Click(chromedp.CSS(`#signin button`)),
		page("today"))

	// 工作台: today's overdue items, each linking to its record.
	c.do("today", chromedp.WaitVisible(chromedp.CSS(`.counts`)), c.shot("today"))
	if n := get(c, "overdue items", chromedp.Evaluate[int](`document.querySelectorAll('table.items a.record-link').length`)); n == 0 {
		t.Fatal("the 工作台 lists no overdue items")
	}

	// 检索: 漏水, with the matches marked; open the first complaint.
	c.do("search",
		hash("/search"), page("search"),
		chromedp.SendKeys(chromedp.CSS(`#search input[name=q]`), "漏水"),
		chromedp.Click(chromedp.CSS(`#search button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`section.result[data-collection=complaints] a.record-link`)),
		c.shot("search"))
	if marked := get(c, "marks", chromedp.Text(chromedp.CSS(`section.result mark`))); !strings.ContainsAny(marked, "漏水") {
		t.Fatalf("search marks %q, not the query", marked)
	}
	c.do("open a record",
		chromedp.Click(chromedp.CSS(`section.result[data-collection=complaints] a.record-link`)),
		page("record"))

	// 记录: the timeline in Chinese; the as-of control back to the first event.
	c.do("record",
		chromedp.WaitVisible(chromedp.CSS(`.timeline li`)),
		chromedp.WaitVisible(chromedp.CSS(`#state table`)),
		c.shot("record"))
	timeline := get(c, "timeline", chromedp.Text(chromedp.CSS(`.timeline`)))
	events := get(c, "events", chromedp.Evaluate[int](`document.querySelectorAll('.timeline li').length`))
	if events < 2 || !strings.Contains(timeline, "投诉 · 登记") {
		t.Fatalf("timeline of %d events: %s", events, timeline)
	}
	now := get(c, "state now", chromedp.Text(chromedp.CSS(`#state`)))
	c.do("as-of control",
		chromedp.SetValue(chromedp.CSS(`#asof`), "0"),
		chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
			_, err := chromedp.Evaluate[bool](`document.querySelector('#asof').dispatchEvent(new Event('change'))`)(ctx, t)
			return err
		}),
		chromedp.WaitVisible(chromedp.CSS(`#state[data-as-of]:not([data-as-of=""]) table`)),
		c.shot("record-as-of"))
	then := get(c, "state then", chromedp.Text(chromedp.CSS(`#state`)))
	out := get(c, "as-of label", chromedp.Text(chromedp.CSS(`#asof-out`)))
	if then == now || out == "现在" || !strings.Contains(then, "已登记") {
		t.Fatalf("as of the first event the state reads %q (now %q, control %q)", then, now, out)
	}

	// 指标: a KPI table coloured against its target, a chart drawn.
	c.do("kpis",
		hash("/kpis?kpi=complaint-satisfaction&from=2026-06&to=2026-11"), page("kpis"),
		chromedp.WaitVisible(chromedp.CSS(`table.kpi td a`)),
		chromedp.WaitVisible(chromedp.CSS(`#chart[data-drawn] canvas`)),
		chromedp.Sleep(300*time.Millisecond),
		c.shot("kpis"))
	cells := get(c, "coloured cells", chromedp.Evaluate[int](`document.querySelectorAll('table.kpi td.good, table.kpi td.near, table.kpi td.bad').length`))
	pixels := get(c, "chart pixels", chromedp.Evaluate[int](`[...document.querySelectorAll('#chart canvas')].filter((c) => c.width && c.height)
		.reduce((n, c) => { const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
			for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++; return n; }, 0)`))
	if cells == 0 || pixels < 500 {
		t.Fatalf("KPI table has %d coloured cells; the chart %d drawn pixels", cells, pixels)
	}
	c.do("kpi drill-down",
		chromedp.Click(chromedp.CSS(`table.kpi td a`)),
		chromedp.WaitVisible(chromedp.CSS(`#drill h3`)),
		c.shot("kpis-drill-down"))
	if n := get(c, "drill-down", chromedp.Evaluate[int](`document.querySelectorAll('#drill a.record-link').length`)); n == 0 {
		t.Fatal("the KPI cell drills down to no records")
	}

	// Export: the KPI table as XLSX, opened with excelize.
	c.do("xlsx download", chromedp.Click(chromedp.CSS(`#table [data-export$="format=xlsx"]`)))
	var file string
	deadline := time.Now().Add(30 * time.Second)
	for file == "" && time.Now().Before(deadline) {
		m, _ := filepath.Glob(filepath.Join(downloads, "*.xlsx"))
		if len(m) > 0 {
			file = m[0]
		}
		time.Sleep(200 * time.Millisecond)
	}
	if file == "" {
		t.Fatal("no XLSX was downloaded")
	}
	x, err := excelize.OpenFile(file)
	if err != nil {
		t.Fatalf("the download does not open as XLSX: %v", err)
	}
	rows, err := x.GetRows(x.GetSheetList()[0])
	if err != nil || len(rows) < 2 || len(rows[0]) < 3 {
		t.Fatalf("the XLSX has rows %v (%v)", rows, err)
	}
	x.Close()

	// A phone's width.
	c.do("phone",
		chromedp.EmulateViewport(390, 844),
		hash("/today"), page("today"), chromedp.WaitVisible(chromedp.CSS(`.counts`)), c.shot("today-phone"),
		chromedp.Click(chromedp.CSS(`table.items a.record-link`)), page("record"),
		chromedp.WaitVisible(chromedp.CSS(`.timeline li`)), c.shot("record-phone"))

	// Signing out revokes the token.
	c.do("wide again", chromedp.EmulateViewport(1366, 768))
	stored := get(c, "token", chromedp.Evaluate[string](`JSON.parse(sessionStorage.getItem('butler.session')).token`))
	c.do("sign out", chromedp.Click(chromedp.CSS(`#sign-out`)), page("signin"))
	b.Eventually(10*time.Second, func() error {
		if r := b.Do(http.MethodGet, "/api/v1/complaints?size=1", stored, nil); r.Status != 401 {
			return fmt.Errorf("the signed-out token still reads: %d", r.Status)
		}
		return nil
	})

	// Without the stand-ins (a server that lacks a route of the contract),
	// the pages say so in Chinese.
	if proxy.Used()["/api/v1/overdue (format=)"] > 0 {
		// The first token was revoked when the project manager signed out.
		c.do("today without /overdue",
			chromedp.Navigate(b.URL+"/#/signin?token="+b.Token("project_manager", "pm-001", "p1", "")), page("today"),
			chromedp.WaitVisible(chromedp.CSS(`#today .error`)))
		if msg := get(c, "message", chromedp.Text(chromedp.CSS(`#today .error`))); !strings.Contains(msg, "服务器尚未提供此功能的接口") {
			t.Fatalf("without /overdue the 工作台 says %q", msg)
		}
		c.do("kpis without the table",
			hash("/kpis?kpi=complaint-satisfaction&from=2026-06&to=2026-11"), page("kpis"),
			chromedp.WaitVisible(chromedp.CSS(`#table .error`)), chromedp.WaitVisible(chromedp.CSS(`#trend-msg .error`)))
		if msg := get(c, "message", chromedp.Text(chromedp.CSS(`#table .error`))); !strings.Contains(msg, "尚未提供") {
			t.Fatalf("without the KPI table the page says %q", msg)
		}
	}
	t.Logf("screenshots in %s", shots)
}

// console is the browser tab under test.
type console struct {
	t     *testing.T
	ctx   context.Context
	shots string
}

// shot saves a screenshot of the whole page as NAME.png.
func (c *console) shot(name string) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		buf, err := chromedp.FullScreenshot(100)(ctx, t)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(c.shots, name+".png"), buf, 0o644)
	})
}

// do runs steps; on failure it saves a screenshot and shows the page's text.
func (c *console) do(what string, steps ...chromedp.Action[chromedp.Void]) {
	c.t.Helper()
	ctx, cancel := context.WithTimeout(c.ctx, time.Minute)
	defer cancel()
	if err := chromedp.Do(ctx, steps...); err != nil {
		c.fail(what, err)
	}
}

func (c *console) fail(what string, err error) {
	c.t.Helper()
	text, _ := chromedp.Run(c.ctx, chromedp.Text(chromedp.CSS("main")))
	_ = chromedp.Do(c.ctx, c.shot("failed-"+strings.ReplaceAll(what, " ", "-")))
	c.t.Fatalf("%s: %v\npage says: %s", what, err, text)
}

func get[T any](c *console, what string, a chromedp.Action[T]) T {
	c.t.Helper()
	v, err := chromedp.Run(c.ctx, a)
	if err != nil {
		c.fail(what, err)
	}
	return v
}

// hash moves within the console (a new #/… is no page load, which
// Navigate would wait for).
func hash(h string) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := chromedp.Evaluate[string](fmt.Sprintf("location.hash = %q", "#"+h))(ctx, t)
		return err
	})
}

func page(name string) chromedp.Action[chromedp.Void] {
	return chromedp.WaitVisible(chromedp.CSS(fmt.Sprintf(`main[data-page="%s"]`, name)))
}
