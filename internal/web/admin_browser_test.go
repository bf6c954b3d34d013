package web

import (
	"context"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/testkit"
)

// TestAdminAccessibility signs an admin in through the sign-in form in a
// real browser, under the site's strict CSP, and checks every admin page
// (including its error states) with axe-core against WCAG 2.1 AA.
func TestAdminAccessibility(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test")
	}
	e := admEnv(t, testkit.SQLite(t))
	if _, _, err := e.auth.Invite(context.Background(), e.users[access.Admin].Actor("a11y"), "a11y@example.test", access.Family); err != nil {
		t.Fatal(err)
	}
	var outboxID string
	if err := e.db.QueryRow(context.Background(), `SELECT id FROM mail_outbox`).Scan(&outboxID); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(e.srv.Handler())
	t.Cleanup(srv.Close)
	ctx := testkit.Browser(t)

	do := func(what string, actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		c, cancel := context.WithTimeout(ctx, 30*time.Second)
		defer cancel()
		if err := chromedp.Do(c, actions...); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	do("sign in",
		chromedp.Navigate(srv.URL+"/signin"),
		chromedp.SendKeys(chromedp.CSS("#email"), e.users[access.Admin].Email),
		chromedp.SendKeys(chromedp.CSS("#password"), testPassword),
		chromedp.Submit(chromedp.CSS("#password")),
		chromedp.WaitVisible(chromedp.CSS(`a[href="/admin"]`)),
	)
	pages := []string{
		"/admin",
		"/admin/people",
		"/admin/people?role=wizard",
		"/admin/people/" + e.users[access.Alumnus].ID,
		"/admin/people/" + e.users[access.Admin].ID,
		"/admin/invitations",
		"/admin/audit",
		"/admin/audit?from=2026-13-45",
		"/admin/program",
		"/admin/outbox",
		"/admin/outbox/" + outboxID,
	}
	for _, p := range pages {
		do("open "+p, chromedp.Navigate(srv.URL+p), chromedp.WaitVisible(chromedp.CSS("h1")))
		title, err := chromedp.Run(ctx, chromedp.Title())
		if err != nil || strings.HasPrefix(title, "Not Found") || strings.HasPrefix(title, "Internal") {
			t.Errorf("%s: title %q (%v)", p, title, err)
		}
		testkit.Axe(t, ctx)
	}
	// A form error after a post: the disable form without its confirmation.
	do("post disable unconfirmed",
		chromedp.Navigate(srv.URL+"/admin/people/"+e.users[access.Alumnus].ID),
		chromedp.Click(chromedp.CSS(`form[action$="/disable"] button`)),
		chromedp.WaitVisible(chromedp.CSS(".error-summary")),
	)
	testkit.Axe(t, ctx)
}
