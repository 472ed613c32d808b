package report

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/spinerad/spinerad/internal/stats/rfixture"
	"github.com/spinerad/spinerad/internal/study"
)

// chromiumPath finds Debian's headless Chromium; without it the test skips,
// except under CI=true, where .ci/run installs it and its absence fails.
func chromiumPath(t *testing.T) string {
	for _, p := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if path, err := exec.LookPath(p); err == nil {
			return path
		}
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("chromium not found (.ci/run installs Debian's chromium)")
	}
	t.Skip("chromium not installed; apt-get install chromium")
	return ""
}

// TestReportOpensInChromium writes the report of the R fixture cohort,
// opens it in headless Chromium from a loopback HTTP server, and checks that
// the page logs no console error or exception and that every figure is
// rendered (an inline SVG with a non-empty box).
func TestReportOpensInChromium(t *testing.T) {
	browser := chromiumPath(t)
	cfg := study.DefaultConfig()
	cfg.Clinical = rfixture.Path("data/cohort_b.csv")
	if _, err := os.Stat(cfg.Clinical); err != nil {
		t.Skipf("no cohort fixture: %v", err)
	}
	cfg.SplitColumn, cfg.FoldColumn = "cohort", "cv_fold"
	cfg.ClinicalVars = []string{"log:ca125", "posterior_involvement"}
	cfg.ClinicalSelection = "none"
	cfg.Bootstrap = 20
	res, err := study.Run(cfg)
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "study")
	if err := Write(out, res, Meta{Version: "test"}); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(http.FileServer(http.Dir(out)))
	defer srv.Close()

	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(browser), chromedp.Flag("headless", true), chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true), chromedp.Flag("no-first-run", true), chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true), chromedp.Flag("disable-sync", true), chromedp.UserDataDir(t.TempDir()))
	actx, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancel()
	ctx, cancel := chromedp.NewContext(actx)
	defer cancel()
	ctx, cancel = context.WithTimeout(ctx, 90*time.Second)
	defer cancel()

	var mu sync.Mutex
	var problems []string
	if err := chromedp.Listen(ctx, func(ev any) {
		mu.Lock()
		defer mu.Unlock()
		switch e := ev.(type) {
		case *runtime.EventConsoleAPICalled:
			if e.Type == runtime.ConsoleAPICalledTypeError || e.Type == runtime.ConsoleAPICalledTypeWarning {
				var args []string
				for _, a := range e.Args {
					args = append(args, string(a.Value))
				}
				problems = append(problems, fmt.Sprintf("console %s: %s", e.Type, strings.Join(args, " ")))
			}
		case *runtime.EventExceptionThrown:
			problems = append(problems, "exception: "+e.ExceptionDetails.Text)
		}
	}); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/report.html"), chromedp.WaitReady("body")); err != nil {
		t.Fatal(err)
	}
	title, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.title`))
	if err != nil {
		t.Fatal(err)
	}
	nFig, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll("figure").length`))
	if err != nil {
		t.Fatal(err)
	}
	nRendered, err := chromedp.Run(ctx, chromedp.Evaluate[int](`Array.from(document.querySelectorAll("figure svg")).filter(s => { const r = s.getBoundingClientRect(); return r.width > 50 && r.height > 50; }).length`))
	if err != nil {
		t.Fatal(err)
	}
	if nFig < 10 || nRendered != nFig {
		t.Errorf("%d figures, %d rendered", nFig, nRendered)
	}
	if !strings.Contains(title, cfg.Title) {
		t.Errorf("title %q", title)
	}
	mu.Lock()
	defer mu.Unlock()
	for _, p := range problems {
		t.Error(p)
	}
	t.Logf("report.html: %d figures rendered, %d console problems", nRendered, len(problems))
}
