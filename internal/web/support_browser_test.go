package web

import (
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/testkit"
)

// TestBrowserSupportNow: a member saves a recovery note with crisis
// language, lands on the support page (checked with axe-core), asks their
// coach to reach out without JavaScript needing to do anything special,
// sees the confirmation (checked again) and continues.
func TestBrowserSupportNow(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test")
	}
	e := admEnv(t, testkit.SQLite(t)) // demo mode: staff skip the second factor
	alex := e.users[access.Alumnus]
	e.assignCoach(t, alex)
	srv := httptest.NewServer(e.srv.Handler())
	t.Cleanup(srv.Close)
	b := testkit.Browser(t)

	browserSignIn(t, b, srv.URL, alex.Email, `a[href="/events"]`)
	browserDo(t, b, "save a note",
		chromedp.Navigate(srv.URL+"/recovery"),
		chromedp.WaitVisible(chromedp.CSS("#date")),
		chromedp.SetValue(chromedp.CSS("#date"), "2025-01-10"),
		chromedp.SetValue(chromedp.CSS("#note"), "Tonight I just want to die"),
		chromedp.Submit(chromedp.CSS("#date")),
		chromedp.WaitVisible(chromedp.CSS(`form[action="/support/reach-out"]`)),
	)
	if h := browserText(t, b, "h1"); h != "You are not alone" {
		t.Fatalf("after the note: %q", h)
	}
	testkit.Axe(t, b)
	browserDo(t, b, "reach out",
		chromedp.Click(chromedp.CSS(`form[action="/support/reach-out"] button`)),
		chromedp.WaitVisible(chromedp.CSS(".flash")),
	)
	if s := browserText(t, b, "main"); !strings.Contains(s, "Your request was sent.") {
		t.Fatalf("no confirmation: %q", s)
	}
	testkit.Axe(t, b)
	browserDo(t, b, "continue",
		chromedp.Click(chromedp.CSS(`main a[href^="/recovery"]`)),
		chromedp.WaitVisible(chromedp.CSS("#date")),
	)
}
