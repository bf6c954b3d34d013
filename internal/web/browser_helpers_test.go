package web

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/cairn-recovery/cairn/internal/testkit"
)

// Shared helpers for the browser tests (chromedp under the site's CSP).

// browserDo runs actions in the browser context b with a 30-second limit
// and fails the test, naming what, if they fail.
func browserDo(t *testing.T, b context.Context, what string, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	c, cancel := context.WithTimeout(b, 30*time.Second)
	defer cancel()
	if err := chromedp.Do(c, actions...); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

// browserText reads the innerText of the first element matching sel on the
// live page (no node ids to go stale); "" when nothing matches.
func browserText(t *testing.T, b context.Context, sel string) string {
	t.Helper()
	s, err := chromedp.Run(b, chromedp.Evaluate[string]("(document.querySelector("+strconv.Quote(sel)+") || {innerText: ''}).innerText"))
	if err != nil {
		t.Fatalf("read %s: %v", sel, err)
	}
	return s
}

// browserSignIn signs email in with the test password through the sign-in
// form at base, then waits for waitFor to show.
func browserSignIn(t *testing.T, b context.Context, base, email, waitFor string) {
	t.Helper()
	browserDo(t, b, "sign in "+email,
		chromedp.Navigate(base+"/signin"),
		chromedp.SendKeys(chromedp.CSS("#email"), email),
		chromedp.SendKeys(chromedp.CSS("#password"), testPassword),
		chromedp.Submit(chromedp.CSS("#password")),
		chromedp.WaitVisible(chromedp.CSS(waitFor)),
	)
}

// browserCheckPage opens base+path, fails the test if it shows a not-found
// or internal-error page, and checks it with axe-core.
func browserCheckPage(t *testing.T, b context.Context, base, path string) {
	t.Helper()
	browserDo(t, b, "open "+path, chromedp.Navigate(base+path), chromedp.WaitVisible(chromedp.CSS("h1")))
	title, err := chromedp.Run(b, chromedp.Title())
	if err != nil || strings.HasPrefix(title, "Not Found") || strings.HasPrefix(title, "Internal") {
		t.Errorf("%s: title %q (%v)", path, title, err)
	}
	testkit.Axe(t, b)
}

// setCookie puts an HttpOnly session cookie for base into the browser.
func setCookie(base, name, value string) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		httpOnly := true
		_, err := cdp.Call(ctx, t, network.SetCookie, network.SetCookieParams{Name: name, Value: value, URL: base, HTTPOnly: &httpOnly})
		return err
	})
}
