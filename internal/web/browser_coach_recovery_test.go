package web

import (
	"context"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/members"
	"github.com/cairn-recovery/cairn/internal/testkit"
)

// TestBrowserCoachSetsRecoveryDate: with the member's permission, the
// coach follows "Set recovery date" from the member's page and saves a new
// date with a note; the member's recovery page then says the coach set it.
// axe-core checks the coach's form and the member's page.
func TestBrowserCoachSetsRecoveryDate(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test")
	}
	d := testkit.SQLite(t)
	e := newWebEnv(t, d)
	alex, coach := e.users[access.Alumnus], e.users[access.Coach]
	ctx := context.Background()
	e.assignCoach(t, alex)
	if err := members.SaveRecoverySettings(ctx, d, alex.Actor("t"), members.RecoverySettings{CoachMayEdit: true}); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(e.srv.Handler())
	t.Cleanup(srv.Close)
	newDate := members.Today(e.program.Location(), time.Now()).AddDays(-3).String()

	b := testkit.Browser(t)
	coachCtx := testkit.NewContext(t, b)
	token := e.signIn(coach)
	browserDo(t, coachCtx, "coach cookie", chromedp.Navigate(srv.URL+"/"), setCookie(srv.URL, e.srv.cookieName(), token))
	browserDo(t, coachCtx, "member page", chromedp.Navigate(srv.URL+"/members/"+alex.ID),
		chromedp.WaitVisible(chromedp.CSS(`a[href="/members/`+alex.ID+`/recovery-date"]`)))
	browserDo(t, coachCtx, "follow link", chromedp.Click(chromedp.CSS(`a[href="/members/`+alex.ID+`/recovery-date"]`)),
		chromedp.WaitVisible(chromedp.CSS("#date")))
	testkit.Axe(t, coachCtx)
	browserDo(t, coachCtx, "save",
		chromedp.SetValue(chromedp.CSS("#date"), newDate),
		chromedp.SetValue(chromedp.CSS("#note"), "Proud of you for reaching out."),
		chromedp.Submit(chromedp.CSS("#date")),
		chromedp.WaitVisible(chromedp.CSS(".flash")),
	)

	browserSignIn(t, b, srv.URL, alex.Email, `form[action="/signout"]`)
	browserDo(t, b, "member's recovery page", chromedp.Navigate(srv.URL+"/recovery"), chromedp.WaitVisible(chromedp.CSS("#set-by-coach")))
	testkit.Axe(t, b)
	if got := browserText(t, b, "#set-by-coach"); !strings.Contains(got, "Casey N.") {
		t.Errorf("the member reads %q, want their coach named", got)
	}
	if got := browserText(t, b, "main"); !strings.Contains(got, "Proud of you for reaching out.") {
		t.Errorf("the coach's note is not on the member's page:\n%s", got)
	}
}
