package web

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/google/uuid"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/auth"
	"github.com/cairn-recovery/cairn/internal/db"
	"github.com/cairn-recovery/cairn/internal/testkit"
)

// bdySetStart gives u a current recovery date daysAgo days ago.
func bdySetStart(t testing.TB, e *webEnv, u *auth.User, daysAgo int) {
	t.Helper()
	start := time.Now().UTC().AddDate(0, 0, -daysAgo).Format("2006-01-02")
	if _, err := e.db.Exec(context.Background(), `INSERT INTO recovery_periods (id, program_id, user_id, start_date, end_date, note, created_at, created_by)
		VALUES (?, ?, ?, ?, NULL, '', ?, ?)`, uuid.Must(uuid.NewV7()).String(), e.program.ID, u.ID, start, time.Now().UTC(), u.ID); err != nil {
		t.Fatal(err)
	}
}

func TestBuddyPages(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		e := newWebEnv(t, d)
		al := e.users[access.Alumnus]
		alCookie, coord := e.signIn(al), e.signIn(e.users[access.Coordinator])
		bdySetStart(t, e, al, 40)

		body := e.do("GET", "/buddies", nil, alCookie).Body.String()
		if !strings.Contains(body, "You can offer to be a buddy from") || !strings.Contains(body, `action="/buddies/request"`) {
			t.Fatalf("alumnus page:\n%s", body)
		}
		rec := e.do("POST", "/buddies/offer", url.Values{"capacity": {"2"}}, alCookie)
		if rec.Code != http.StatusUnprocessableEntity || !strings.Contains(rec.Body.String(), "You can offer to be a buddy from") {
			t.Errorf("too early: %d", rec.Code)
		}
		rec = e.do("POST", "/buddies/request", url.Values{"meeting": {"teleport"}, "hopes": {"A friend"}}, alCookie)
		if rec.Code != http.StatusUnprocessableEntity || !strings.Contains(rec.Body.String(), `id="request_meeting-error"`) ||
			!strings.Contains(rec.Body.String(), "A friend</textarea>") {
			t.Errorf("bad request form: %d %s", rec.Code, rec.Body)
		}
		if rec := e.do("POST", "/buddies/request", url.Values{"hopes": {"A friend to walk with"}}, alCookie); rec.Code != http.StatusSeeOther {
			t.Fatalf("ask: %d %s", rec.Code, rec.Body)
		}
		if body := e.do("GET", "/buddies", nil, alCookie).Body.String(); !strings.Contains(body, "Your request is waiting for a match") {
			t.Errorf("after asking:\n%s", body)
		}
		// The coordinator lowers the minimum to a month; the alumnus may offer.
		if rec := e.do("GET", "/buddies", nil, coord); rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/buddies/coordinate" {
			t.Errorf("coordinator at /buddies: %d", rec.Code)
		}
		if rec := e.do("POST", "/buddies/coordinate/settings", url.Values{"min_months": {"5"}}, coord); rec.Code != http.StatusUnprocessableEntity ||
			!strings.Contains(rec.Body.String(), `id="min_months-error"`) {
			t.Errorf("odd minimum: %d", rec.Code)
		}
		if rec := e.do("POST", "/buddies/coordinate/settings", url.Values{"min_months": {"0"}}, coord); rec.Code != http.StatusSeeOther {
			t.Fatalf("settings: %d", rec.Code)
		}
		if rec := e.do("POST", "/buddies/offer", url.Values{"capacity": {"2"}, "contact_time": {"evenings"}, "about": {"Walks."}}, alCookie); rec.Code != http.StatusSeeOther {
			t.Fatalf("offer: %d %s", rec.Code, rec.Body)
		}
		body = e.do("GET", "/buddies", nil, alCookie).Body.String()
		if !strings.Contains(body, "Pause my offer") || !strings.Contains(body, `value="evenings" checked`) {
			t.Errorf("after offering:\n%s", body)
		}
		body = e.do("GET", "/buddies/coordinate", nil, coord).Body.String()
		if !strings.Contains(body, "Run the matcher") || !strings.Contains(body, "<dt>Requests waiting</dt><dd>1</dd>") {
			t.Errorf("coordinator page:\n%s", body)
		}
		if rec := e.do("GET", "/buddies/coordinate", nil, alCookie); rec.Code != http.StatusNotFound {
			t.Errorf("alumnus at the coordinator page: %d", rec.Code)
		}
	})
}

// TestBrowserBuddyFlow: an alumnus offers, another asks, the coordinator
// runs the matcher and sends the draft, both accept, and both see the
// pairing. axe-core checks every buddy page on the way.
func TestBrowserBuddyFlow(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test")
	}
	d := testkit.SQLite(t)
	e := newWebEnv(t, d)
	ctx := context.Background()
	asker := e.users[access.Alumnus]
	buddy, err := e.auth.CreateUser(ctx, access.System(e.program.ID), auth.NewUser{ProgramID: e.program.ID,
		Email: "bea@example.test", FirstName: "Bea", LastName: "Lind", Role: access.Alumnus, Password: testPassword})
	if err != nil {
		t.Fatal(err)
	}
	bdySetStart(t, e, buddy, 800)
	srv := httptest.NewServer(e.srv.Handler())
	t.Cleanup(srv.Close)

	b := testkit.Browser(t)
	buddyCtx, coordCtx := testkit.NewContext(t, b), testkit.NewContext(t, b)
	signIn := func(c context.Context, u *auth.User) {
		browserDo(t, c, "cookie "+u.FirstName, chromedp.Navigate(srv.URL+"/"), setCookie(srv.URL, e.srv.cookieName(), e.signIn(u)))
	}
	signIn(buddyCtx, buddy)
	signIn(coordCtx, e.users[access.Coordinator])
	browserSignIn(t, b, srv.URL, asker.Email, `form[action="/signout"]`)

	// The buddy offers.
	browserCheckPage(t, buddyCtx, srv.URL, "/buddies")
	browserDo(t, buddyCtx, "offer",
		chromedp.SetValue(chromedp.CSS("#capacity"), "2"),
		chromedp.Click(chromedp.CSS("#time-evenings")),
		chromedp.SendKeys(chromedp.CSS("#about"), "Coffee after meetings."),
		chromedp.Submit(chromedp.CSS("#about")),
		chromedp.WaitVisible(chromedp.CSS(".flash")),
	)

	// The alumnus asks.
	browserDo(t, b, "open buddies", chromedp.Navigate(srv.URL+"/buddies"), chromedp.WaitVisible(chromedp.CSS("#hopes")))
	browserDo(t, b, "ask",
		chromedp.SendKeys(chromedp.CSS("#hopes"), "Someone to call on hard evenings."),
		chromedp.Submit(chromedp.CSS("#hopes")),
		chromedp.WaitVisible(chromedp.CSS(".flash")),
	)

	// The coordinator runs the matcher and sends.
	browserDo(t, coordCtx, "open coordinate", chromedp.Navigate(srv.URL+"/buddies/coordinate"), chromedp.WaitVisible(chromedp.CSS("h1")))
	browserDo(t, coordCtx, "run",
		chromedp.Click(chromedp.CSS(`form[action="/buddies/coordinate/run"] button`)),
		chromedp.WaitVisible(chromedp.CSS(`button[form="send-form"]`)),
	)
	testkit.Axe(t, coordCtx)
	if got := browserText(t, coordCtx, "#drafts"); !strings.Contains(got, "Bea L.") || !strings.Contains(got, "Alex R.") {
		t.Errorf("drafts read %q", got)
	}
	// The run's page already shows a confirmation: wait for the drafts to
	// be gone, which only the send does.
	browserDo(t, coordCtx, "send",
		chromedp.Click(chromedp.CSS(`button[form="send-form"]`)),
		chromedp.WaitNotPresent(chromedp.CSS(`button[form="send-form"]`)),
	)

	// Both accept.
	for i, c := range []context.Context{b, buddyCtx} {
		browserDo(t, c, "open matches", chromedp.Navigate(srv.URL+"/buddies"), chromedp.WaitVisible(chromedp.CSS("#matches")))
		if i == 0 {
			testkit.Axe(t, c)
		}
		browserDo(t, c, "accept",
			chromedp.Click(chromedp.CSS(`form[action$="/accept"] button`)),
			chromedp.WaitVisible(chromedp.CSS(".flash")),
		)
	}
	for _, c := range []context.Context{b, buddyCtx} {
		browserDo(t, c, "see pairing", chromedp.Navigate(srv.URL+"/buddies"), chromedp.WaitVisible(chromedp.CSS("#pairings")))
	}
	testkit.Axe(t, b)
	if got := browserText(t, b, "#pairings"); !strings.Contains(got, "Bea L.") || !strings.Contains(got, "End pairing") {
		t.Errorf("asker's pairings read %q", got)
	}
	if got := browserText(t, buddyCtx, "#pairings"); !strings.Contains(got, "Alex R.") {
		t.Errorf("buddy's pairings read %q", got)
	}
}

// TestBuddyDeclineIsPrivateOnPages: when the buddy declines, the one who
// asked reads only that the match didn't go ahead, on the page and in
// their notifications; the buddy's name is not tied to a refusal anywhere.
func TestBuddyDeclineIsPrivateOnPages(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		e := newWebEnv(t, d)
		al := e.users[access.Alumnus]
		alCookie := e.signIn(al)
		id, buddy := bdyProposalWith(e, true)
		buddyCookie := e.signIn(buddy)
		body := e.do("GET", "/buddies", nil, alCookie).Body.String()
		if !strings.Contains(body, "A possible buddy: Bo L.") || !strings.Contains(body, "Coffee and walks.") {
			t.Fatalf("asker's proposal:\n%s", body)
		}
		if rec := e.do("POST", "/buddies/proposals/"+id+"/decline", nil, buddyCookie); rec.Code != http.StatusSeeOther {
			t.Fatalf("decline: %d", rec.Code)
		}
		body = e.do("GET", "/buddies", nil, alCookie).Body.String()
		if !strings.Contains(body, "This match didn&#39;t go ahead; we&#39;ll look again.") {
			t.Errorf("asker's page after the decline:\n%s", body)
		}
		if strings.Contains(strings.ToLower(body), "declin") || strings.Contains(body, "said no") {
			t.Errorf("asker's page tells who declined:\n%s", body)
		}
		notes := strings.ToLower(e.do("GET", "/notifications", nil, alCookie).Body.String())
		if strings.Contains(notes, "declin") || !strings.Contains(notes, "didn&#39;t go ahead") {
			t.Errorf("asker's notifications:\n%s", notes)
		}
		if body := e.do("GET", "/buddies", nil, buddyCookie).Body.String(); !strings.Contains(body, "You said no thanks to this match") {
			t.Errorf("buddy's own page:\n%s", body)
		}
	})
}

// TestBuddyRequestWithCrisisLanguage: the request is saved and the member
// is shown the support page with the crisis numbers.
func TestBuddyRequestWithCrisisLanguage(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		e := newWebEnv(t, d)
		alCookie := e.signIn(e.users[access.Alumnus])
		rec := e.do("POST", "/buddies/request", url.Values{"hopes": {"Some nights I want to die."}}, alCookie)
		if rec.Code != http.StatusSeeOther || !strings.HasPrefix(rec.Header().Get("Location"), "/support/now?") {
			t.Fatalf("crisis words: %d %q", rec.Code, rec.Header().Get("Location"))
		}
		if body := e.do("GET", "/buddies", nil, alCookie).Body.String(); !strings.Contains(body, "Your request is waiting for a match") {
			t.Error("request not saved")
		}
	})
}
