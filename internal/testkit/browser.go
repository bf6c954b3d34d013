package testkit

import (
	"context"
	_ "embed"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// DefaultChromium is where Debian (and this project's CI) installs Chromium.
// CAIRN_CHROMIUM overrides it.
const DefaultChromium = "/usr/bin/chromium"

// axeSource is axe-core's axe.min.js; see testdata/README.md for its
// version and licence.
//
//go:embed testdata/axe.min.js
var axeSource string

// axeTags are the rule sets Cairn's pages must pass: WCAG 2.0 and 2.1,
// levels A and AA.
var axeTags = []string{"wcag2a", "wcag2aa", "wcag21a", "wcag21aa"}

// axeTimeout bounds one accessibility check, so that a stuck page fails the
// test instead of hanging it.
const axeTimeout = 60 * time.Second

// ChromiumPath returns the browser binary tests use: CAIRN_CHROMIUM when
// set, otherwise [DefaultChromium].
func ChromiumPath() string {
	if p := os.Getenv("CAIRN_CHROMIUM"); p != "" {
		return p
	}
	return DefaultChromium
}

// Browser starts a fresh headless Chromium with its own temporary profile
// and returns a chromedp context for its first tab. The browser stops when
// the test ends. Without a browser binary the test is skipped, except in CI
// where it fails.
func Browser(t testing.TB) context.Context {
	t.Helper()
	path := ChromiumPath()
	if _, err := os.Stat(path); err != nil {
		if InCI() {
			t.Fatalf("browser tests are required in CI but Chromium is missing at %s (set CAIRN_CHROMIUM): %v", path, err)
		}
		t.Skipf("skipping browser test: no Chromium at %s (install chromium or set CAIRN_CHROMIUM)", path)
	}
	profile := t.TempDir() // created first, so it is removed after the browser stops
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(path),
		chromedp.UserDataDir(profile),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("disable-extensions", true),
		chromedp.Flag("disable-default-apps", true),
		chromedp.Flag("disable-breakpad", true),
		chromedp.Flag("metrics-recording-only", true),
		chromedp.Flag("password-store", "basic"),
		chromedp.Flag("use-mock-keychain", true),
	}
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(allocCtx)
	t.Cleanup(func() {
		cancel()
		cancelAlloc()
	})
	// The first Do starts the browser; it must run on the context that
	// lives as long as the browser, without a timeout.
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start Chromium at %s: %v", path, err)
	}
	return ctx
}

// NewContext opens a new tab in a new browser context of the browser that
// parent (from [Browser]) runs: cookies and storage are not shared with any
// other tab, as for a second person on another computer. The tab closes when
// the test ends.
func NewContext(t testing.TB, parent context.Context) context.Context {
	t.Helper()
	if c := chromedp.FromContext(parent); c == nil || c.Browser == nil {
		t.Fatalf("testkit.NewContext: parent is not a started browser context from testkit.Browser")
	}
	ctx, cancel := chromedp.NewContext(parent, chromedp.WithNewBrowserContext())
	t.Cleanup(cancel)
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("open a new browser context: %v", err)
	}
	return ctx
}

// AxeViolation is one failed accessibility rule on the current page.
type AxeViolation struct {
	// ID is axe's rule id, such as "image-alt".
	ID string `json:"id"`
	// Impact is "minor", "moderate", "serious" or "critical".
	Impact string `json:"impact"`
	// Help is a one-line description of the rule.
	Help string `json:"help"`
	// HelpURL links to the rule's explanation.
	HelpURL string `json:"helpUrl"`
	// Targets holds a CSS selector for each offending element.
	Targets []string `json:"targets"`
}

// String formats the violation for a test failure, with at most three
// target selectors.
func (v AxeViolation) String() string {
	targets := v.Targets
	more := ""
	if len(targets) > 3 {
		more = fmt.Sprintf(" and %d more", len(targets)-3)
		targets = targets[:3]
	}
	return fmt.Sprintf("%s (%s): %s; at %s%s", v.ID, v.Impact, v.Help, strings.Join(targets, ", "), more)
}

// Axe checks the page currently loaded in ctx against WCAG 2.0/2.1 level A
// and AA with axe-core, and reports every violation as a test error.
func Axe(t testing.TB, ctx context.Context) {
	t.Helper()
	vs, err := AxeViolations(ctx)
	if err != nil {
		t.Fatalf("run axe: %v", err)
	}
	if len(vs) == 0 {
		return
	}
	loc, _ := chromedp.Run(ctx, chromedp.Location())
	var b strings.Builder
	fmt.Fprintf(&b, "%d accessibility violation(s) on %s:", len(vs), loc)
	for _, v := range vs {
		b.WriteString("\n  - ")
		b.WriteString(v.String())
	}
	t.Errorf("%s", b.String())
}

// AxeViolations runs axe-core on the page currently loaded in ctx and
// returns the WCAG 2.0/2.1 A and AA violations. The script is injected
// through the DevTools protocol (Runtime.evaluate), which the page's
// Content-Security-Policy does not govern, so pages keep their strict CSP.
func AxeViolations(ctx context.Context) ([]AxeViolation, error) {
	ctx, cancel := context.WithTimeout(ctx, axeTimeout)
	defer cancel()
	loaded, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`typeof window.axe === "object"`))
	if err != nil {
		return nil, fmt.Errorf("probe for axe: %w", err)
	}
	if !loaded {
		if err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](axeSource)); err != nil {
			return nil, fmt.Errorf("inject axe: %w", err)
		}
	}
	tags := `["` + strings.Join(axeTags, `","`) + `"]`
	script := `axe.run(document, {runOnly: {type: "tag", values: ` + tags + `}, resultTypes: ["violations"]})
	.then(r => r.violations.map(v => ({
		id: v.id,
		impact: v.impact || "",
		help: v.help,
		helpUrl: v.helpUrl,
		targets: v.nodes.map(n => [].concat(n.target).flat(Infinity).join(" >>> ")),
	})))`
	vs, err := chromedp.Run(ctx, chromedp.Evaluate[[]AxeViolation](script, chromedp.EvalAwaitPromise))
	if err != nil {
		return nil, fmt.Errorf("axe.run: %w", err)
	}
	return vs, nil
}
