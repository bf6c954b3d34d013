package web

import (
	"context"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/auth"
	"github.com/cairn-recovery/cairn/internal/testkit"
)

// TestBrowserRecoveryDateCoachOnly: an alumnus sets a recovery date and
// makes it visible to their coach only; another alumnus sees neither the
// date on the profile nor anything of it in the directory; the coach sees
// it. axe-core checks each page.
func TestBrowserRecoveryDateCoachOnly(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test")
	}
	d := testkit.SQLite(t)
	e := newWebEnv(t, d)
	alex, coach := e.users[access.Alumnus], e.users[access.Coach]
	ctx := context.Background()
	e.assignCoach(t, alex)
	peer, err := e.auth.CreateUser(ctx, access.System(e.program.ID), authNewUser(e.program.ID, "peer@example.test", "Pat", "Quinn"))
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(e.srv.Handler())
	t.Cleanup(srv.Close)

	do := func(b context.Context, what string, actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		browserDo(t, b, what, actions...)
	}
	text := func(b context.Context, sel string) string {
		t.Helper()
		return browserText(t, b, sel)
	}
	signIn := func(b context.Context, email string) {
		t.Helper()
		browserSignIn(t, b, srv.URL, email, `form[action="/signout"]`)
	}

	// Alex: recovery date, then "coach only" for it.
	b := testkit.Browser(t)
	signIn(b, alex.Email)
	do(b, "open recovery", chromedp.Navigate(srv.URL+"/recovery"), chromedp.WaitVisible(chromedp.CSS("#date")))
	testkit.Axe(t, b)
	do(b, "set date",
		chromedp.SetValue(chromedp.CSS("#date"), "2025-03-14"),
		chromedp.Submit(chromedp.CSS("#date")),
		chromedp.WaitVisible(chromedp.CSS(".flash")),
	)
	testkit.Axe(t, b)
	do(b, "open profile", chromedp.Navigate(srv.URL+"/profile"), chromedp.WaitVisible(chromedp.CSS("#vis_recovery")))
	testkit.Axe(t, b)
	do(b, "coach only",
		chromedp.SetValue(chromedp.CSS("#vis_recovery"), string(access.VisCoach)),
		chromedp.Submit(chromedp.CSS("#vis_recovery")),
		chromedp.WaitVisible(chromedp.CSS(".flash")),
	)

	// Another alumnus: not on the profile page, nothing in the directory.
	other := testkit.NewContext(t, b)
	signIn(other, peer.Email)
	do(other, "peer opens profile", chromedp.Navigate(srv.URL+"/members/"+alex.ID), chromedp.WaitVisible(chromedp.CSS("h1")))
	testkit.Axe(t, other)
	if got := text(other, "main"); strings.Contains(got, "2025") || strings.Contains(got, "recovery since") || text(other, "#recovery-since") != "" {
		t.Errorf("another alumnus sees the recovery date:\n%s", got)
	}
	do(other, "peer opens directory", chromedp.Navigate(srv.URL+"/directory?q=Alex"), chromedp.WaitVisible(chromedp.CSS("h1")))
	testkit.Axe(t, other)
	if got := text(other, "main"); strings.Contains(got, "2025") {
		t.Errorf("the directory shows the recovery date:\n%s", got)
	}

	// The coach sees it.
	coachCtx := testkit.NewContext(t, b)
	// Staff sign in with a second factor; the session is made through the
	// account service (the enrolment flow has its own browser test).
	token := e.signIn(coach)
	do(coachCtx, "coach cookie", chromedp.Navigate(srv.URL+"/"), setCookie(srv.URL, e.srv.cookieName(), token))
	do(coachCtx, "coach opens profile", chromedp.Navigate(srv.URL+"/members/"+alex.ID), chromedp.WaitVisible(chromedp.CSS("#recovery-since")))
	testkit.Axe(t, coachCtx)
	if got := text(coachCtx, "#recovery-since"); !strings.Contains(got, "2025-03-14") {
		t.Errorf("the coach sees %q, want the recovery date", got)
	}
}

// authNewUser is an alumnus with the test password.
func authNewUser(programID, email, first, last string) auth.NewUser {
	return auth.NewUser{ProgramID: programID, Email: email, FirstName: first, LastName: last, Role: access.Alumnus, Password: testPassword}
}
