package web

import (
	"context"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/pquerna/otp/totp"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/testkit"
)

// TestBrowserInvitationFlow is the foundation's end-to-end path in a real
// browser under the site's CSP: the coordinator signs in, enrols and then
// uses the second factor, and invites an alumnus; in a fresh browser
// context the alumnus accepts the invitation, sets a password and sees
// home. axe-core checks every page on the way.
func TestBrowserInvitationFlow(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test")
	}
	e := newWebEnv(t, testkit.SQLite(t))
	srv := httptest.NewServer(e.srv.Handler())
	t.Cleanup(srv.Close)
	coord := e.users[access.Coordinator]
	ctx := testkit.Browser(t)

	do := func(ctx context.Context, what string, actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		browserDo(t, ctx, what, actions...)
	}
	text := func(ctx context.Context, sel string) string {
		t.Helper()
		return browserText(t, ctx, sel)
	}

	// First sign-in: password, then enrolment of the second factor.
	do(ctx, "open sign-in", chromedp.Navigate(srv.URL+"/signin"), chromedp.WaitVisible(chromedp.CSS("#email")))
	testkit.Axe(t, ctx)
	do(ctx, "sign in",
		chromedp.SendKeys(chromedp.CSS("#email"), coord.Email),
		chromedp.SendKeys(chromedp.CSS("#password"), testPassword),
		chromedp.Submit(chromedp.CSS("#password")),
		chromedp.WaitVisible(chromedp.CSS("code.secret")),
	)
	testkit.Axe(t, ctx)
	secret := strings.ReplaceAll(text(ctx, "code.secret"), " ", "")
	code, err := totp.GenerateCode(secret, time.Now())
	if err != nil {
		t.Fatalf("setup key %q: %v", secret, err)
	}
	do(ctx, "enrol", chromedp.SendKeys(chromedp.CSS("#code"), code), chromedp.Submit(chromedp.CSS("#code")),
		chromedp.WaitVisible(chromedp.CSS("code.recovery")))
	testkit.Axe(t, ctx)
	do(ctx, "continue", chromedp.Click(chromedp.CSS("a.button")), chromedp.WaitVisible(chromedp.CSS(`a[href="/admin"]`)))

	// Sign out and in again: now the second factor is asked for.
	do(ctx, "sign out", chromedp.Click(chromedp.CSS(`form[action="/signout"] button`)), chromedp.WaitVisible(chromedp.CSS(`a[href="/signin"]`)))
	browserSignIn(t, ctx, srv.URL, coord.Email, `form[action="/signin/verify"] #code`)
	testkit.Axe(t, ctx)
	// The enrolment code's time step is spent; the app's next code is valid.
	code, _ = totp.GenerateCode(secret, time.Now().Add(30*time.Second))
	do(ctx, "second factor", chromedp.SendKeys(chromedp.CSS("#code"), code), chromedp.Submit(chromedp.CSS("#code")),
		chromedp.WaitVisible(chromedp.CSS(`a[href="/admin"]`)))
	testkit.Axe(t, ctx)

	// Invite an alumnus.
	do(ctx, "open invitations", chromedp.Navigate(srv.URL+"/admin/invitations"), chromedp.WaitVisible(chromedp.CSS("#email")))
	testkit.Axe(t, ctx)
	do(ctx, "invite",
		chromedp.SendKeys(chromedp.CSS("#email"), "new.alum@example.test"),
		chromedp.SetValue(chromedp.CSS("#role"), string(access.Alumnus)),
		chromedp.Submit(chromedp.CSS("#email")),
		chromedp.WaitVisible(chromedp.CSS(".flash")),
	)
	testkit.Axe(t, ctx)
	var body string
	if err := e.db.QueryRow(context.Background(), `SELECT body_text FROM mail_outbox WHERE to_address = ?`, "new.alum@example.test").Scan(&body); err != nil {
		t.Fatalf("invitation email: %v", err)
	}
	m := regexp.MustCompile(`/invite/([A-Za-z0-9_-]+)`).FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no invitation link in the email")
	}

	// The alumnus, in a fresh browser context with no cookies, accepts.
	alum := testkit.NewContext(t, ctx)
	do(alum, "open invitation", chromedp.Navigate(srv.URL+"/invite/"+m[1]), chromedp.WaitVisible(chromedp.CSS("#first_name")))
	testkit.Axe(t, alum)
	do(alum, "accept",
		chromedp.SendKeys(chromedp.CSS("#first_name"), "Jamie"),
		chromedp.SendKeys(chromedp.CSS("#last_name"), "Okafor"),
		chromedp.SendKeys(chromedp.CSS("#password"), "river stones at dawn"),
		chromedp.SendKeys(chromedp.CSS("#confirm"), "river stones at dawn"),
		chromedp.Submit(chromedp.CSS("#confirm")),
		chromedp.WaitVisible(chromedp.CSS(".flash")),
	)
	testkit.Axe(t, alum)
	if h1 := text(alum, "h1"); !strings.Contains(h1, "Jamie") {
		t.Errorf("home greets %q, want the alumnus' name", h1)
	}
	if main := text(alum, "main"); strings.Contains(main, "Okafor") {
		t.Errorf("home shows the surname: %q", main)
	}
	// The invitation link is single-use.
	do(alum, "reuse invitation", chromedp.Navigate(srv.URL+"/invite/"+m[1]), chromedp.WaitVisible(chromedp.CSS("h1")))
	if h := text(alum, "main"); !strings.Contains(h, "no longer valid") {
		t.Errorf("reused invitation shows %q", h)
	}
}
