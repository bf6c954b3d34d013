package web

import (
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/testkit"
)

// TestBrowserReportAndDismiss is the browser path: an alumnus
// reports a profile through the form, a coordinator sees it in the
// moderation queue, opens it and dismisses it. axe-core checks every
// safety and moderation page on the way: the profile with its buttons,
// the report form (with an error and after sending), the block
// confirmation, the list of blocked people, the queue and a report.
func TestBrowserReportAndDismiss(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test")
	}
	e := admEnv(t, testkit.SQLite(t)) // demo mode: staff skip the second factor
	spam := sftNewAlumnus(e, "Spammy")
	other := sftNewAlumnus(e, "Robin")
	srv := httptest.NewServer(e.srv.Handler())
	t.Cleanup(srv.Close)
	b := testkit.Browser(t)

	alex := e.users[access.Alumnus]
	browserSignIn(t, b, srv.URL, alex.Email, `a[href="/events"]`)
	browserCheckPage(t, b, srv.URL, "/members/"+spam.ID)
	browserDo(t, b, "open the report form",
		chromedp.Click(chromedp.CSS(`a[href^="/report"]`)),
		chromedp.WaitVisible(chromedp.CSS("#note")),
	)
	testkit.Axe(t, b)
	// Sent without a reason (the browser's own check is bypassed by
	// removing "required"), the form names the field.
	browserDo(t, b, "send without a reason",
		chromedp.Evaluate[chromedp.Void](`document.querySelectorAll("[required]").forEach(e => e.removeAttribute("required"))`),
		chromedp.Submit(chromedp.CSS("#note")),
		chromedp.WaitVisible(chromedp.CSS(".error-summary")),
	)
	testkit.Axe(t, b)
	browserDo(t, b, "report as spam",
		chromedp.Click(chromedp.CSS("#reason-spam")),
		chromedp.SendKeys(chromedp.CSS("#note"), "Selling things to everyone"),
		chromedp.Submit(chromedp.CSS("#note")),
		// The form's page has a link home too (the menu): wait for the
		// form to go before reading the thank-you page.
		chromedp.WaitNotPresent(chromedp.CSS("#note")),
		chromedp.WaitVisible(chromedp.CSS(`main a[href="/home"]`)),
	)
	if s := browserText(t, b, "h1"); !strings.Contains(s, "Thank you") {
		t.Fatalf("after reporting: %q", s)
	}
	testkit.Axe(t, b)
	browserCheckPage(t, b, srv.URL, "/members/"+other.ID+"/block")
	browserDo(t, b, "block Robin",
		chromedp.Submit(chromedp.CSS(`form[action$="/block"] button`)),
		chromedp.WaitVisible(chromedp.CSS(".flash")),
	)
	testkit.Axe(t, b)
	if s := browserText(t, b, "main"); !strings.Contains(s, "Robin S.") {
		t.Errorf("blocked people: %q", s)
	}

	cb := testkit.NewContext(t, b)
	coord := e.users[access.Coordinator]
	browserSignIn(t, cb, srv.URL, coord.Email, `a[href="/moderation"]`)
	browserCheckPage(t, cb, srv.URL, "/moderation")
	if s := browserText(t, cb, "main"); !strings.Contains(s, "Spammy S.") || !strings.Contains(s, "Spam or selling") {
		t.Fatalf("queue: %q", s)
	}
	browserDo(t, cb, "open the report",
		chromedp.Click(chromedp.CSS(`main table a`)),
		chromedp.WaitVisible(chromedp.CSS("#actions-heading")),
	)
	testkit.Axe(t, cb)
	if s := browserText(t, cb, "main"); !strings.Contains(s, "Selling things to everyone") {
		t.Errorf("report page: %q", s)
	}
	browserDo(t, cb, "dismiss",
		chromedp.Click(chromedp.CSS(`input[value="dismiss"] ~ button`)),
		chromedp.WaitVisible(chromedp.CSS(".flash")),
	)
	testkit.Axe(t, cb)
	if s := browserText(t, cb, "main"); !strings.Contains(s, "Report dismissed") {
		t.Errorf("history after dismissing: %q", s)
	}
	browserCheckPage(t, cb, srv.URL, "/moderation")
	if s := browserText(t, cb, "main"); !strings.Contains(s, "No open reports") {
		t.Errorf("queue after dismissing: %q", s)
	}
}
