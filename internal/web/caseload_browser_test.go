package web

import (
	"context"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/auth"
	"github.com/cairn-recovery/cairn/internal/members"
	"github.com/cairn-recovery/cairn/internal/testkit"
)

// TestBrowserCaseload, in a real browser under the site's CSP: a
// coordinator opens Alex's coach form, tries the same coach twice (a clear
// error), then sets a primary and a secondary coach; the secondary coach
// opens their caseload, filters it to where they are secondary and finds
// Alex with what Alex shares with their coach. axe-core checks the coach
// form (blank, with an error, saved) and the caseload (all, filtered).
func TestBrowserCaseload(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test")
	}
	e := admEnv(t, testkit.SQLite(t)) // demo mode: staff skip the second factor
	ctx := context.Background()
	alex, casey := e.users[access.Alumnus], e.users[access.Coach]
	dana, err := e.auth.CreateUser(ctx, access.System(e.program.ID), auth.NewUser{ProgramID: e.program.ID,
		Email: "dana@example.test", FirstName: "Dana", LastName: "Park", Role: access.Coach, Password: testPassword})
	if err != nil {
		t.Fatal(err)
	}
	if err := members.SetRecoveryDate(ctx, e.db, access.Actor{UserID: alex.ID, ProgramID: e.program.ID, Role: access.Alumnus},
		alex.ID, members.MustDate("2025-03-14"), ""); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(e.srv.Handler())
	t.Cleanup(srv.Close)
	b := testkit.Browser(t)
	text := func(ctx context.Context, sel string) string { t.Helper(); return browserText(t, ctx, sel) }

	form := "/members/" + alex.ID + "/coach"
	browserSignIn(t, b, srv.URL, e.users[access.Coordinator].Email, `a[href="/events"]`)
	browserCheckPage(t, b, srv.URL, form)
	browserDo(t, b, "choose the same coach twice",
		chromedp.SetValue(chromedp.CSS("#coach_id"), casey.ID),
		chromedp.SetValue(chromedp.CSS("#secondary_coach_id"), casey.ID),
		chromedp.Submit(chromedp.CSS("#coach_id")),
		chromedp.WaitVisible(chromedp.CSS("#secondary_coach_id-error")),
	)
	testkit.Axe(t, b)
	browserDo(t, b, "set a primary and a secondary coach",
		chromedp.SetValue(chromedp.CSS("#coach_id"), casey.ID),
		chromedp.SetValue(chromedp.CSS("#secondary_coach_id"), dana.ID),
		chromedp.Submit(chromedp.CSS("#coach_id")),
		chromedp.WaitVisible(chromedp.CSS(".flash")),
	)
	testkit.Axe(t, b)
	if s := text(b, "main table"); !strings.Contains(s, "Secondary") || !strings.Contains(s, "Dana P.") {
		t.Errorf("the history reads %q", s)
	}

	cb := testkit.NewContext(t, b)
	browserSignIn(t, cb, srv.URL, dana.Email, `a[href="/caseload"]`)
	browserCheckPage(t, cb, srv.URL, "/caseload")
	browserDo(t, cb, "filter to secondary",
		chromedp.SetValue(chromedp.CSS("#role"), "secondary"),
		chromedp.Submit(chromedp.CSS("#role")),
		chromedp.WaitVisible(chromedp.CSS(".caseload-member")),
	)
	testkit.Axe(t, cb)
	main := text(cb, "main")
	for _, want := range []string{"Alex R.", "Secondary", "In recovery since", "Mar 14, 2025", "Message Alex R."} {
		if !strings.Contains(main, want) {
			t.Errorf("the caseload lacks %q: %q", want, main)
		}
	}
	browserCheckPage(t, cb, srv.URL, "/caseload?role=primary&sort=name")
	if s := text(cb, "main"); !strings.Contains(s, "Nobody here with that filter.") {
		t.Errorf("primary filter reads %q", s)
	}
}
