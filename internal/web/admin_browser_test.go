package web

import (
	"context"
	"net/http/httptest"
	"testing"

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

	browserSignIn(t, ctx, srv.URL, e.users[access.Admin].Email, `a[href="/admin"]`)
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
		browserCheckPage(t, ctx, srv.URL, p)
	}
	// A form error after a post: the disable form without its confirmation.
	browserDo(t, ctx, "post disable unconfirmed",
		chromedp.Navigate(srv.URL+"/admin/people/"+e.users[access.Alumnus].ID),
		chromedp.Click(chromedp.CSS(`form[action$="/disable"] button`)),
		chromedp.WaitVisible(chromedp.CSS(".error-summary")),
	)
	testkit.Axe(t, ctx)
}
