package web

import (
	"context"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/auth"
	"github.com/cairn-recovery/cairn/internal/events"
	"github.com/cairn-recovery/cairn/internal/testkit"
)

// TestBrowserEventWaitlistPromotion is the browser path, in a real
// browser under the site's strict CSP: a family dinner for four people;
// the first alumnus answers yes for two adults and a child through the
// form; a second alumnus' party of two no longer fits and is waitlisted;
// the first alumnus cancels, and the second, promoted, sees on the event
// page that they are going and in their notifications why. A coordinator
// then checks the second alumnus in with one tap (htmx swaps the row).
// axe-core checks every events page on the way: list, month, event (in
// each state), editor (with an error), check-in, my events, calendar,
// code, settings, honorees and name cards.
func TestBrowserEventWaitlistPromotion(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test")
	}
	e := admEnv(t, testkit.SQLite(t)) // demo mode: staff skip the second factor
	ctx0 := context.Background()
	jamie, err := e.auth.CreateUser(ctx0, access.System(e.program.ID), auth.NewUser{ProgramID: e.program.ID,
		Email: "jamie@example.test", FirstName: "Jamie", LastName: "Okafor", Role: access.Alumnus, Password: testPassword})
	if err != nil {
		t.Fatal(err)
	}
	dinner := evwEvent(t, e, events.Input{Title: "December Family Dinner", Kind: events.FamilyDinner, Capacity: 4,
		LocationName: "Driftwood Hall", Address: "12 Shore Rd, Austin, TX 78701", Accessibility: "Step-free entrance"})
	evwEvent(t, e, events.Input{Title: "Tuesday Alumni Meeting", RRule: "FREQ=WEEKLY;BYDAY=TU;COUNT=8", Start: evwStart(e, 2)})
	milestone := evwEvent(t, e, events.Input{Title: "Milestone Dinner", Kind: events.MilestoneDinner, Start: evwStart(e, 9)})
	link := occurrenceLink(dinner.ID, dinner.FirstDate.String())
	srv := httptest.NewServer(e.srv.Handler())
	t.Cleanup(srv.Close)
	b := testkit.Browser(t)
	text := func(ctx context.Context, sel string) string { t.Helper(); return browserText(t, ctx, sel) }

	// Alex answers yes for two adults and a child.
	alex := e.users[access.Alumnus]
	browserSignIn(t, b, srv.URL, alex.Email, `a[href="/events"]`)
	browserCheckPage(t, b, srv.URL, "/events")
	if main := text(b, "main"); !strings.Contains(main, "December Family Dinner") || !strings.Contains(main, "Tuesday Alumni Meeting") {
		t.Fatalf("the list lacks the events: %q", main)
	}
	browserCheckPage(t, b, srv.URL, "/events?view=month&month="+dinner.FirstDate.String()[:7])
	browserCheckPage(t, b, srv.URL, link)
	browserDo(t, b, "answer yes with guests",
		chromedp.Click(chromedp.CSS("#status-yes")),
		chromedp.SetValue(chromedp.CSS("#adults"), "2"),
		chromedp.SetValue(chromedp.CSS("#children"), "1"),
		chromedp.SendKeys(chromedp.CSS("#dietary"), "one vegetarian"),
		chromedp.Click(chromedp.CSS("#show_me")),
		chromedp.Submit(chromedp.CSS("#adults")),
		chromedp.WaitVisible(chromedp.CSS(".flash")),
	)
	testkit.Axe(t, b)
	if s := text(b, "#rsvp .state"); !strings.Contains(s, "going, with 2 guests") {
		t.Fatalf("Alex's state reads %q", s)
	}
	if s := text(b, "main"); !strings.Contains(s, "1 place left") {
		t.Errorf("places left: %q", s)
	}

	// Jamie's party of two does not fit: waitlisted, number 1.
	jb := testkit.NewContext(t, b)
	browserSignIn(t, jb, srv.URL, jamie.Email, `a[href="/events"]`)
	browserDo(t, jb, "open the dinner", chromedp.Navigate(srv.URL+link), chromedp.WaitVisible(chromedp.CSS("#status-yes")))
	browserDo(t, jb, "answer yes for two",
		chromedp.Click(chromedp.CSS("#status-yes")),
		chromedp.SetValue(chromedp.CSS("#adults"), "2"),
		chromedp.SetValue(chromedp.CSS("#children"), "0"),
		chromedp.Submit(chromedp.CSS("#adults")),
		chromedp.WaitVisible(chromedp.CSS(".flash")),
	)
	testkit.Axe(t, jb)
	if s := text(jb, "#rsvp .state"); !strings.Contains(s, "waitlist, number 1") {
		t.Fatalf("Jamie's state reads %q", s)
	}
	browserCheckPage(t, jb, srv.URL, "/events/mine")
	if s := text(jb, "main"); !strings.Contains(s, "Waitlisted #1") {
		t.Errorf("my events reads %q", s)
	}

	// Alex cancels; Jamie is promoted.
	browserDo(t, b, "cancel",
		chromedp.Navigate(srv.URL+link),
		chromedp.Click(chromedp.CSS(`form[action$="/rsvp/cancel"] button`)),
		chromedp.WaitVisible(chromedp.CSS(".flash")),
	)
	if s := text(b, ".flash"); !strings.Contains(s, "cancelled") {
		t.Errorf("Alex's confirmation reads %q", s)
	}
	if s := text(b, "#rsvp"); strings.Contains(s, "going") {
		t.Errorf("after cancelling Alex's answer reads %q", s)
	}
	browserCheckPage(t, jb, srv.URL, link)
	if s := text(jb, "#rsvp .state"); !strings.Contains(s, "You") || !strings.Contains(s, "going") || strings.Contains(s, "waitlist") {
		t.Fatalf("promoted Jamie's state reads %q", s)
	}
	if s := text(jb, "#bell-count"); !strings.Contains(s, "1 new") {
		t.Errorf("Jamie's bell reads %q", s)
	}
	browserCheckPage(t, jb, srv.URL, "/notifications")
	if s := text(jb, "main"); !strings.Contains(s, "December Family Dinner") || !strings.Contains(s, "place opened up") {
		t.Errorf("Jamie's notifications read %q", s)
	}
	browserCheckPage(t, jb, srv.URL, "/events/calendar")
	browserCheckPage(t, jb, srv.URL, "/events/checkin")
	browserCheckPage(t, jb, srv.URL, "/events/honour")

	// The coordinator: editor (and its error state), check-in with a tap,
	// settings.
	cb := testkit.NewContext(t, b)
	browserSignIn(t, cb, srv.URL, e.users[access.Coordinator].Email, `a[href="/events"]`)
	browserCheckPage(t, cb, srv.URL, "/events/new")
	browserDo(t, cb, "submit an incomplete event",
		chromedp.Click(chromedp.CSS("#repeat-weekly")),
		chromedp.SendKeys(chromedp.CSS("#title"), "Book club"),
		chromedp.Evaluate[chromedp.Void](`document.querySelector("form.event-editor").noValidate = true`),
		chromedp.Submit(chromedp.CSS("#title")),
		chromedp.WaitVisible(chromedp.CSS(".error-summary")),
	)
	testkit.Axe(t, cb)
	browserCheckPage(t, cb, srv.URL, "/events/"+dinner.ID+"/edit")
	browserCheckPage(t, cb, srv.URL, link)
	browserCheckPage(t, cb, srv.URL, link+"/checkin")
	row := "#person-" + jamie.ID
	browserDo(t, cb, "check Jamie in",
		chromedp.Click(chromedp.CSS(row+` button`)),
		chromedp.WaitVisible(chromedp.CSS(row+`.is-in`)),
	)
	if s := text(cb, row); !strings.Contains(s, "Undo") || !strings.Contains(s, "checked in") {
		t.Errorf("Jamie's row after the tap reads %q", s)
	}
	if s := text(cb, "#checkin-count"); s != "1 checked in." {
		t.Errorf("the count after the tap reads %q", s)
	}
	if url, _ := chromedp.Run(cb, chromedp.Location()); !strings.HasSuffix(url, "/checkin") {
		t.Errorf("the tap reloaded the page to %q, want the row swapped in place", url)
	}
	testkit.Axe(t, cb)
	if n := evwCount(t, e.db, `SELECT COUNT(*) FROM event_attendance WHERE user_id = ?`, jamie.ID); n != 1 {
		t.Errorf("%d attendance rows for Jamie", n)
	}
	browserCheckPage(t, cb, srv.URL, "/admin/events")
	honorees := occurrenceLink(milestone.ID, milestone.FirstDate.String())
	browserCheckPage(t, cb, srv.URL, honorees+"/honorees")
	browserCheckPage(t, cb, srv.URL, honorees+"/honorees?q=Jamie")
	browserDo(t, cb, "add Jamie as an honoree",
		chromedp.Click(chromedp.CSS(`ul.found button`)),
		chromedp.WaitVisible(chromedp.CSS(".flash")),
	)
	testkit.Axe(t, cb)
	browserCheckPage(t, cb, srv.URL, honorees+"/namecards")
	if s := text(cb, ".namecards"); !strings.Contains(s, "Jamie O.") {
		t.Errorf("name cards read %q", s)
	}
}
