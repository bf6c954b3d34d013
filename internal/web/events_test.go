package web

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/db"
	"github.com/cairn-recovery/cairn/internal/events"
	"github.com/cairn-recovery/cairn/internal/members"
	"github.com/cairn-recovery/cairn/internal/testkit"
)

// evwStart is a local start n days from today at 18:30 in the program's
// zone, as the editor writes it.
func evwStart(e *webEnv, n int) string {
	return members.DateOf(time.Now().In(e.program.Location())).AddDays(n).String() + "T18:30"
}

// evwEvent creates an event of the test program as its coordinator; empty
// fields get a weekly meeting for alumni and family a week ahead.
func evwEvent(t testing.TB, e *webEnv, in events.Input) *events.Event {
	t.Helper()
	if in.Kind == "" {
		in.Kind = events.WeeklyMeeting
	}
	if in.Title == "" {
		in.Title = "Alumni gathering"
	}
	if in.Start == "" {
		in.Start = evwStart(e, 7)
	}
	if in.DurationMinutes == 0 {
		in.DurationMinutes = 90
	}
	if in.Audience == "" {
		in.Audience = events.AlumniFamily
	}
	ev, err := events.Create(context.Background(), e.db, e.users[access.Coordinator].Actor("test"), in)
	if err != nil {
		t.Fatalf("create event %q: %v", in.Title, err)
	}
	return ev
}

// evwMatrixEvent makes a fresh one-off event of kind for alumni and family
// a week ahead, for one cell of the access matrix.
func evwMatrixEvent(f *admFixture, kind events.Kind) *events.Event {
	return evwEvent(f.e.t, f.e, events.Input{Kind: kind, Title: "Matrix " + string(kind)})
}

// evwMatrixOcc is the path of a fresh event's occurrence, plus suffix.
func evwMatrixOcc(f *admFixture, kind events.Kind, suffix string) string {
	ev := evwMatrixEvent(f, kind)
	return occurrenceLink(ev.ID, ev.FirstDate.String()) + suffix
}

// evwCount counts rows of a table matching a condition.
func evwCount(t *testing.T, d *db.DB, query string, args ...any) int {
	t.Helper()
	var n int
	if err := d.QueryRow(context.Background(), query, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestEventEditorKeepsInput: a form with problems comes back with 422,
// each problem next to its field, and everything typed still there;
// nothing is saved.
func TestEventEditorKeepsInput(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		e := newWebEnv(t, d)
		coord := e.signIn(e.users[access.Coordinator])
		form := url.Values{"kind": {"family_dinner"}, "title": {"Harvest Family Dinner"}, "start": {"next tuesday"},
			"duration_minutes": {"120"}, "audience": {"alumni_family"}, "location_name": {"Driftwood Hall"},
			"repeat": {"weekly"}, "capacity": {"-3"}, "accessibility": {"Step-free entrance"}}
		rec := e.do("POST", "/events/new", form, coord)
		if rec.Code != http.StatusUnprocessableEntity {
			t.Fatalf("status %d, want 422", rec.Code)
		}
		body := rec.Body.String()
		for _, want := range []string{
			`value="Harvest Family Dinner"`, `value="Driftwood Hall"`, `value="Step-free entrance"`, `value="next tuesday"`,
			`id="start-error"`, `id="byday-error"`, `Choose at least one day of the week.`,
			`<option value="family_dinner" selected>`,
		} {
			if !strings.Contains(body, want) {
				t.Errorf("the form lacks %s", want)
			}
		}
		// The store's own checks name their fields too, once the picker is fine.
		form.Set("repeat", "none")
		form.Set("start", evwStart(e, 10))
		form.Set("online_url", "javascript:alert(1)")
		rec = e.do("POST", "/events/new", form, coord)
		body = rec.Body.String()
		if rec.Code != http.StatusUnprocessableEntity || !strings.Contains(body, `id="online_url-error"`) || !strings.Contains(body, `id="capacity-error"`) ||
			!strings.Contains(body, "Places must be") || !strings.Contains(body, `value="`+evwStart(e, 10)+`"`) {
			t.Errorf("store errors: %d\n%s", rec.Code, body)
		}
		if n := evwCount(t, d, `SELECT COUNT(*) FROM events`); n != 0 {
			t.Errorf("%d events saved from a bad form", n)
		}
		// Fixed, it saves and shows the new event's page.
		form.Set("capacity", "30")
		form.Set("online_url", "")
		rec = e.do("POST", "/events/new", form, coord)
		loc := rec.Header().Get("Location")
		if rec.Code != http.StatusSeeOther || !strings.HasPrefix(loc, "/events/") {
			t.Fatalf("create: %d %q\n%s", rec.Code, loc, rec.Body.String())
		}
		rec = e.do("GET", loc, nil, coord)
		if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), "Harvest Family Dinner") || !strings.Contains(rec.Body.String(), "Event created.") {
			t.Errorf("event page after create: %d", rec.Code)
		}
	})
}

// TestEventNotAllowedIsNotFound: an event someone may not see answers
// exactly like a missing one, and staff-only pages answer 404 to alumni,
// changing nothing.
func TestEventNotAllowedIsNotFound(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		e := newWebEnv(t, d)
		staffOnly := evwEvent(t, e, events.Input{Title: "Staff huddle", Audience: events.StaffOnly})
		alumniOnly := evwEvent(t, e, events.Input{Title: "Alumni circle", Audience: events.Alumni})
		dinner := evwEvent(t, e, events.Input{Title: "Milestone dinner", Kind: events.MilestoneDinner})
		alum := e.signIn(e.users[access.Alumnus])
		family := e.signIn(e.users[access.Family])
		outsider := e.signIn(e.outsider)
		missing := e.do("GET", "/events/no-such-event/2026-12-01", nil, alum)
		if missing.Code != http.StatusNotFound {
			t.Fatalf("missing event: %d", missing.Code)
		}
		cases := []struct {
			who, path string
			cookie    string
		}{
			{"alumnus", occurrenceLink(staffOnly.ID, staffOnly.FirstDate.String()), alum},
			{"family", occurrenceLink(alumniOnly.ID, alumniOnly.FirstDate.String()), family},
			{"outsider", occurrenceLink(alumniOnly.ID, alumniOnly.FirstDate.String()), outsider},
			{"alumnus, wrong date", occurrenceLink(alumniOnly.ID, "1999-01-01"), alum},
		}
		for _, c := range cases {
			rec := e.do("GET", c.path, nil, c.cookie)
			if rec.Code != http.StatusNotFound || !strings.Contains(rec.Body.String(), "We could not find that page.") {
				t.Errorf("%s at %s: %d", c.who, c.path, rec.Code)
			}
			if strings.Contains(rec.Body.String(), "Staff huddle") || strings.Contains(rec.Body.String(), "Alumni circle") {
				t.Errorf("%s at %s: the 404 names the event", c.who, c.path)
			}
		}
		// The family member's list does not show the alumni-only event.
		if body := e.do("GET", "/events", nil, family).Body.String(); strings.Contains(body, "Alumni circle") || strings.Contains(body, "Staff huddle") {
			t.Errorf("family list shows events not for families")
		}

		// Staff-only pages and actions, as an alumnus who may see the event.
		occ := occurrenceLink(dinner.ID, dinner.FirstDate.String())
		for _, get := range []string{"/events/new", "/events/" + dinner.ID + "/edit", occ + "/checkin", occ + "/honorees", occ + "/namecards", "/admin/events"} {
			if rec := e.do("GET", get, nil, alum); rec.Code != http.StatusNotFound {
				t.Errorf("alumnus GET %s: %d, want 404", get, rec.Code)
			}
		}
		for _, post := range []struct {
			path string
			form url.Values
		}{
			{"/events/new", url.Values{"title": {"Sneaky"}, "kind": {"activity"}, "start": {evwStart(e, 3)}, "duration_minutes": {"60"}, "audience": {"alumni"}}},
			{"/events/" + dinner.ID + "/edit", url.Values{"title": {"Renamed"}}},
			{"/events/" + dinner.ID + "/delete", url.Values{}},
			{occ + "/move", url.Values{"move_start": {evwStart(e, 8)}}},
			{occ + "/cancel", url.Values{"cancel_note": {"no"}}},
			{occ + "/checkin", url.Values{"user_id": {e.users[access.Alumnus].ID}}},
			{occ + "/checkin/walkin", url.Values{"walkin_name": {"Pat"}}},
			{occ + "/honorees", url.Values{"user_id": {e.users[access.Alumnus].ID}}},
			{occ + "/honorees/invite", url.Values{}},
			{"/admin/events", url.Values{"reminder_1": {"5"}}},
		} {
			if rec := e.do("POST", post.path, post.form, alum); rec.Code != http.StatusNotFound {
				t.Errorf("alumnus POST %s: %d, want 404", post.path, rec.Code)
			}
		}
		got, err := events.Get(context.Background(), d, e.users[access.Coordinator].Actor("t"), dinner.ID)
		if err != nil || got.Title != "Milestone dinner" || got.Cancelled() {
			t.Errorf("the dinner changed: %+v %v", got, err)
		}
		if n := evwCount(t, d, `SELECT COUNT(*) FROM events`); n != 3 {
			t.Errorf("%d events, want 3", n)
		}
		if n := evwCount(t, d, `SELECT COUNT(*) FROM event_attendance`) + evwCount(t, d, `SELECT COUNT(*) FROM event_honorees`); n != 0 {
			t.Errorf("%d attendance or honoree rows written by an alumnus", n)
		}
		if n := evwCount(t, d, `SELECT COUNT(*) FROM event_occurrences WHERE cancelled = TRUE OR moved = TRUE`); n != 0 {
			t.Errorf("%d occurrences changed by an alumnus", n)
		}
	})
}

// TestEventRSVPAfterClose: once answers closed, the page says so, and a
// posted answer comes back with the store's message by the field, and
// nothing is saved.
func TestEventRSVPAfterClose(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		e := newWebEnv(t, d)
		closeMinutes := 2 * 24 * 60
		ev := evwEvent(t, e, events.Input{Title: "Family dinner", Kind: events.FamilyDinner, Start: evwStart(e, 1), RSVPCloseMinutes: &closeMinutes})
		alum := e.signIn(e.users[access.Alumnus])
		link := occurrenceLink(ev.ID, ev.FirstDate.String())
		page := e.do("GET", link, nil, alum).Body.String()
		if strings.Contains(page, `action="`+link+`/rsvp"`) || !strings.Contains(page, "Answers for this event closed") {
			t.Errorf("the page offers an RSVP after close")
		}
		rec := e.do("POST", link+"/rsvp", url.Values{"status": {"yes"}, "adults": {"2"}, "children": {"1"}, "dietary": {"vegetarian"}}, alum)
		body := rec.Body.String()
		if rec.Code != http.StatusUnprocessableEntity || !strings.Contains(body, "RSVPs closed at") || !strings.Contains(body, `id="status-error"`) {
			t.Errorf("late RSVP: %d\n%s", rec.Code, body)
		}
		if n := evwCount(t, d, `SELECT COUNT(*) FROM event_rsvps`); n != 0 {
			t.Errorf("%d RSVPs saved after close", n)
		}
	})
}

// TestEventRSVPForm: an alumnus answers yes with guests through the form
// and sees it; bad numbers come back by their fields with what was typed.
func TestEventRSVPForm(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		e := newWebEnv(t, d)
		ev := evwEvent(t, e, events.Input{Title: "Family dinner", Kind: events.FamilyDinner, Capacity: 10,
			Address: "12 Shore Rd, Austin, TX", OnlineURL: "https://meet.example.test/family"})
		alum := e.signIn(e.users[access.Alumnus])
		link := occurrenceLink(ev.ID, ev.FirstDate.String())
		page := e.do("GET", link, nil, alum).Body.String()
		if !strings.Contains(page, "https://www.openstreetmap.org/search?query=12+Shore+Rd%2c+Austin%2c+TX") &&
			!strings.Contains(page, "https://www.openstreetmap.org/search?query=12&#43;Shore&#43;Rd") {
			t.Errorf("no map link on the page")
		}
		if strings.Contains(page, "meet.example.test") {
			t.Errorf("the online link shows before an RSVP")
		}
		rec := e.do("POST", link+"/rsvp", url.Values{"status": {"yes"}, "adults": {"two"}, "children": {"-1"}, "dietary": {"no nuts"}}, alum)
		body := rec.Body.String()
		if rec.Code != http.StatusUnprocessableEntity || !strings.Contains(body, `id="adults-error"`) || !strings.Contains(body, `value="no nuts"`) {
			t.Fatalf("bad numbers: %d\n%s", rec.Code, body)
		}
		rec = e.do("POST", link+"/rsvp", url.Values{"status": {"yes"}, "adults": {"2"}, "children": {"-1"}}, alum)
		if body := rec.Body.String(); rec.Code != http.StatusUnprocessableEntity || !strings.Contains(body, `id="children-error"`) || !strings.Contains(body, "Children can") {
			t.Fatalf("negative children: %d\n%s", rec.Code, body)
		}
		rec = e.do("POST", link+"/rsvp", url.Values{"status": {"yes"}, "adults": {"2"}, "children": {"1"}, "show_me": {"on"}}, alum)
		if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != link+"?done=rsvp-yes" {
			t.Fatalf("rsvp: %d %q", rec.Code, rec.Header().Get("Location"))
		}
		page = e.do("GET", link+"?done=rsvp-yes", nil, alum).Body.String()
		for _, want := range []string{"going, with 2 guests.", "7 places left", "https://meet.example.test/family", "Alex R."} {
			if !strings.Contains(page, want) {
				t.Errorf("the page lacks %q", want)
			}
		}
		// Other members see Alex, who chose to be listed; staff see the
		// party and dietary needs too.
		famCookie, coachCookie := e.signIn(e.users[access.Family]), e.signIn(e.users[access.Coach])
		if page := e.do("GET", link, nil, famCookie).Body.String(); !strings.Contains(page, "<li>Alex R.") ||
			strings.Contains(page, "Dietary needs</th>") {
			t.Errorf("the family member attendee list:\n%s", page)
		}
		if page := e.do("GET", link, nil, coachCookie).Body.String(); !strings.Contains(page, "Dietary needs</th>") ||
			!strings.Contains(page, `<td>Going</td><td>2</td><td>1</td>`) {
			t.Errorf("the coach's attendee table:\n%s", page)
		}
		if list := e.do("GET", "/events", nil, alum).Body.String(); !strings.Contains(list, "Going") || !strings.Contains(list, "Family dinner") {
			t.Errorf("the list lacks my state")
		}
		if mine := e.do("GET", "/events/mine", nil, alum).Body.String(); !strings.Contains(mine, "Family dinner") {
			t.Errorf("my events lacks the dinner")
		}
		rec = e.do("POST", link+"/rsvp/cancel", url.Values{}, alum)
		if rec.Code != http.StatusSeeOther {
			t.Fatalf("cancel: %d", rec.Code)
		}
		if page := e.do("GET", link, nil, alum).Body.String(); strings.Contains(page, "going, with") || !strings.Contains(page, "10 places left") {
			t.Errorf("after cancelling the page still says going")
		}
	})
}

// TestEventMonthView: the month view is a table with the month's events as
// links, a cancelled occurrence marked, and links to the next and previous
// months; a bad month is a 400 page.
func TestEventMonthView(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		e := newWebEnv(t, d)
		ev := evwEvent(t, e, events.Input{Title: "Tuesday meeting", RRule: "FREQ=WEEKLY;COUNT=3"})
		if err := events.CancelOccurrence(context.Background(), d, e.users[access.Coordinator].Actor("t"), ev.ID, ev.FirstDate.String(), "Holiday"); err != nil {
			t.Fatal(err)
		}
		alum := e.signIn(e.users[access.Alumnus])
		month := ev.FirstDate.String()[:7]
		rec := e.do("GET", "/events?view=month&month="+month, nil, alum)
		body := rec.Body.String()
		if rec.Code != http.StatusOK || !strings.Contains(body, `<table class="month">`) || !strings.Contains(body, `<th scope="col">`) ||
			!strings.Contains(body, occurrenceLink(ev.ID, ev.FirstDate.String())) || !strings.Contains(body, "Cancelled") {
			t.Fatalf("month view: %d\n%s", rec.Code, body)
		}
		next := members.MustDate(month + "-01").AddMonths(1).String()[:7]
		if !strings.Contains(body, "month="+next) {
			t.Errorf("no link to %s", next)
		}
		if rec := e.do("GET", "/events?view=month&month=2026-13", nil, alum); rec.Code != http.StatusBadRequest {
			t.Errorf("bad month: %d", rec.Code)
		}
		list := e.do("GET", "/events", nil, alum).Body.String()
		if !strings.Contains(list, "Tuesday meeting") || !strings.Contains(list, "Cancelled") {
			t.Errorf("the list lacks the series or its cancelled date")
		}
		if rec := e.do("GET", "/events?page=999", nil, alum); rec.Code != http.StatusNotFound {
			t.Errorf("page 999: %d", rec.Code)
		}
	})
}

// TestEventCheckinHTMX: a tap on "Check in" with htmx answers that
// person's row alone; without htmx it redirects back to the list.
func TestEventCheckinHTMX(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		e := newWebEnv(t, d)
		ev := evwEvent(t, e, events.Input{Title: "Hike", Kind: events.Activity})
		alum := e.users[access.Alumnus]
		if _, err := events.SetRSVP(context.Background(), d, alum.Actor("t"), ev.ID, ev.FirstDate.String(), events.RSVPInput{Status: "yes", Adults: 1}); err != nil {
			t.Fatal(err)
		}
		coach := e.signIn(e.users[access.Coach])
		link := occurrenceLink(ev.ID, ev.FirstDate.String())
		page := e.do("GET", link+"/checkin", nil, coach).Body.String()
		if !strings.Contains(page, `id="person-`+alum.ID+`"`) || !strings.Contains(page, `hx-post="`+link+`/checkin"`) || !strings.Contains(page, `class="big-code"`) {
			t.Fatalf("check-in list:\n%s", page)
		}
		req := url.Values{"user_id": {alum.ID}}
		r := httptestRequest(e, "POST", link+"/checkin", req, coach, map[string]string{"HX-Request": "true"})
		if r.Code != http.StatusOK || !strings.HasPrefix(strings.TrimSpace(r.Body.String()), `<li class="checkin-row is-in" id="person-`+alum.ID+`"`) ||
			strings.Contains(r.Body.String(), "<html") || !strings.Contains(r.Body.String(), `hx-swap-oob="true">1 checked in.</p>`) {
			t.Fatalf("htmx check-in: %d\n%s", r.Code, r.Body.String())
		}
		if n := evwCount(t, d, `SELECT COUNT(*) FROM event_attendance WHERE user_id = ?`, alum.ID); n != 1 {
			t.Fatalf("%d attendance rows", n)
		}
		var attID string
		if err := d.QueryRow(context.Background(), `SELECT id FROM event_attendance WHERE user_id = ?`, alum.ID).Scan(&attID); err != nil {
			t.Fatal(err)
		}
		rec := e.do("POST", link+"/checkin/undo", url.Values{"attendance_id": {attID}, "user_id": {alum.ID}, "q": {"Al"}}, coach)
		if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != link+"/checkin?q=Al#person-"+alum.ID {
			t.Fatalf("undo without htmx: %d %q", rec.Code, rec.Header().Get("Location"))
		}
		if n := evwCount(t, d, `SELECT COUNT(*) FROM event_attendance`); n != 0 {
			t.Fatalf("%d attendance rows after undo", n)
		}
		rec = e.do("POST", link+"/checkin/walkin", url.Values{"walkin_name": {""}}, coach)
		if rec.Code != http.StatusUnprocessableEntity || !strings.Contains(rec.Body.String(), `id="walkin_name-error"`) {
			t.Errorf("empty walk-in: %d", rec.Code)
		}
		rec = e.do("POST", link+"/checkin/walkin", url.Values{"walkin_name": {"Robin"}}, coach)
		if rec.Code != http.StatusSeeOther {
			t.Errorf("walk-in: %d", rec.Code)
		}
		if page := e.do("GET", link+"/checkin", nil, coach).Body.String(); !strings.Contains(page, "Robin") || !strings.Contains(page, "Walk-in") {
			t.Errorf("the walk-in is not listed")
		}
	})
}

// httptestRequest is webEnv.do with extra headers.
func httptestRequest(e *webEnv, method, path string, form url.Values, cookie string, headers map[string]string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, "http://cairn.test"+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	if cookie != "" {
		req.AddCookie(&http.Cookie{Name: e.srv.cookieName(), Value: cookie})
	}
	rec := httptest.NewRecorder()
	e.srv.Handler().ServeHTTP(rec, req)
	return rec
}
