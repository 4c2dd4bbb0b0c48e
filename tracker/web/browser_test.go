package web

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// browser starts headless chromium, or skips the test when it is
// missing (fails under PRTRACK_REQUIRE_SERVERS=1, as in CI).
func browser(t *testing.T) context.Context {
	t.Helper()
	bin, err := exec.LookPath("chromium")
	if err != nil {
		if os.Getenv("PRTRACK_REQUIRE_SERVERS") == "1" {
			t.Fatalf("chromium required: %v", err)
		}
		t.Skip("skipping the browser test: no chromium in PATH (apt-get install chromium)")
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(bin), chromedp.NoSandbox,
		chromedp.Flag("headless", "new"), chromedp.WindowSize(1280, 900))
	actx, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
	t.Cleanup(cancel)
	ctx, cancel := chromedp.NewContext(actx)
	t.Cleanup(cancel)
	ctx, cancel = context.WithTimeout(ctx, 60*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// screenshotDir is where screenshots go: $PRTRACK_SCREENSHOTS or the
// test's temporary directory.
func screenshotDir(t *testing.T) string {
	if d := os.Getenv("PRTRACK_SCREENSHOTS"); d != "" {
		return d
	}
	return t.TempDir()
}

func TestBrowserRendersPagesAndRunsNoMailScript(t *testing.T) {
	ctx := browser(t)
	_, srv := newTestSite(t, nil)
	for _, tc := range []struct {
		path, shot string
		rows       int
		text       []string
	}{
		{"/", "front.png", 5, []string{"The v6.16 merge window (next)", "<script>document.body.dataset.pwned='subject'</script>"}},
		{"/pr/3.html", "pull-3.png", 0, []string{hostileRef, hostileURL, "alert(1);document.body.dataset.pwned='tag'"}},
		{"/pr/2.html", "pull-2.png", 0, []string{"uapi-change", "include/uapi/rdma/hns-abi.h"}},
	} {
		if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+tc.path), chromedp.WaitReady("footer")); err != nil {
			t.Fatalf("%s: %v", tc.path, err)
		}
		pwned := evaluate[string](ctx, t, `document.body.dataset.pwned || ""`)
		rows := evaluate[int](ctx, t, `document.querySelectorAll("table.prs tbody tr").length`)
		scripts := evaluate[int](ctx, t, `document.querySelectorAll("script, img, iframe, object").length`)
		jsLinks := evaluate[int](ctx, t, `[...document.querySelectorAll("a")].filter(a => !/^https?:$/.test(a.protocol)).length`)
		body, err := chromedp.Run(ctx, chromedp.Text("body"))
		if err != nil {
			t.Fatal(err)
		}
		shot, err := chromedp.Run(ctx, chromedp.FullScreenshot(100)) // quality 100: PNG
		if err != nil {
			t.Fatal(err)
		}
		if pwned != "" {
			t.Errorf("%s: a script from mail ran (data-pwned=%q)", tc.path, pwned)
		}
		if scripts != 0 || jsLinks != 0 {
			t.Errorf("%s: %d script/img elements, %d non-http links in the DOM", tc.path, scripts, jsLinks)
		}
		if tc.rows > 0 && rows != tc.rows {
			t.Errorf("%s: %d rows, want %d", tc.path, rows, tc.rows)
		}
		for _, want := range tc.text {
			if !strings.Contains(body, want) {
				t.Errorf("%s: the page does not show %q", tc.path, want)
			}
		}
		path := filepath.Join(screenshotDir(t), tc.shot)
		if err := os.WriteFile(path, shot, 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("screenshot: %s", path)
	}
}

// evaluate runs a script of the test's own in the page.
func evaluate[T any](ctx context.Context, t *testing.T, js string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](js))
	if err != nil {
		t.Fatalf("%s: %v", js, err)
	}
	return v
}
