package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/db"
	"github.com/cairn-recovery/cairn/internal/events"
	"github.com/cairn-recovery/cairn/internal/testkit"
)

// TestEventEditSeries: the editor opens filled in, with the recurrence
// picker on the saved rule; "this and following" splits the series at the
// chosen date, "all" changes it whole; a capacity below the people going
// is refused by its field, changing nothing.
func TestEventEditSeries(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		e := newWebEnv(t, d)
		ctx := context.Background()
		ev := evwEvent(t, e, events.Input{Title: "Tuesday meeting", RRule: "FREQ=WEEKLY;BYDAY=TU;COUNT=6", Capacity: 10,
			Start: evwStart(e, 7)})
		coord := e.signIn(e.users[access.Coordinator])
		occs, err := events.Occurrences(ctx, d, e.users[access.Coordinator].Actor("t"), ev.ID, time.Now(), time.Now().AddDate(0, 3, 0))
		if err != nil || len(occs) != 6 {
			t.Fatalf("occurrences: %d %v", len(occs), err)
		}
		third := occs[2].ID
		page := e.do("GET", "/events/"+ev.ID+"/edit?from="+third, nil, coord).Body.String()
		for _, want := range []string{`value="Tuesday meeting"`, `id="repeat-weekly" name="repeat" value="weekly" checked`,
			`id="byday-TU" name="byday" value="TU" checked`, `id="ends-count" name="ends" value="count" checked`, `value="6"`,
			`<option value="` + third + `" selected>`} {
			if !strings.Contains(page, want) {
				t.Errorf("the editor lacks %s", want)
			}
		}

		// Capacity below the people going: refused, nothing changes.
		if _, err := events.SetRSVP(ctx, d, e.users[access.Alumnus].Actor("t"), ev.ID, occs[0].ID, events.RSVPInput{Status: "yes", Adults: 1}); err != nil {
			t.Fatal(err)
		}
		if _, err := events.SetRSVP(ctx, d, e.users[access.Coach].Actor("t"), ev.ID, occs[0].ID, events.RSVPInput{Status: "yes", Adults: 1}); err != nil {
			t.Fatal(err)
		}
		form := url.Values{}
		for k, v := range eventFormValues(ev) {
			form[k] = v
		}
		form.Set("capacity", "1")
		form.Set("title", "Tuesday circle")
		rec := e.do("POST", "/events/"+ev.ID+"/edit", form, coord)
		if rec.Code != http.StatusUnprocessableEntity || !strings.Contains(rec.Body.String(), `id="capacity-error"`) ||
			!strings.Contains(rec.Body.String(), `value="Tuesday circle"`) {
			t.Fatalf("capacity below going: %d\n%s", rec.Code, rec.Body.String())
		}
		if got, _ := events.Get(ctx, d, e.users[access.Coordinator].Actor("t"), ev.ID); got.Title != "Tuesday meeting" || got.Capacity != 10 {
			t.Fatalf("a refused edit changed the event: %+v", got)
		}

		// This and following from the third: a new part from that date.
		form.Set("capacity", "12")
		form.Set("scope", "from")
		form.Set("from", third)
		rec = e.do("POST", "/events/"+ev.ID+"/edit", form, coord)
		if rec.Code != http.StatusSeeOther {
			t.Fatalf("this and following: %d\n%s", rec.Code, rec.Body.String())
		}
		loc := rec.Header().Get("Location")
		if !strings.Contains(loc, "/"+third+"?done=updated") || strings.HasPrefix(loc, "/events/"+ev.ID+"/") {
			t.Errorf("redirect to %q, want the new part's %s", loc, third)
		}
		old, _ := events.Get(ctx, d, e.users[access.Coordinator].Actor("t"), ev.ID)
		if old.Title != "Tuesday meeting" || !old.LastDate.Before(occs[2].Date()) {
			t.Errorf("the first part: %q until %s", old.Title, old.LastDate)
		}
		if page := e.do("GET", loc, nil, coord).Body.String(); !strings.Contains(page, "Tuesday circle") || !strings.Contains(page, "12 people") {
			t.Errorf("the new part's page lacks its title or places")
		}

		// All occurrences of the first part.
		form.Set("scope", "all")
		form.Set("title", "Tuesday gathering")
		form.Set("capacity", "10")
		form.Set("count", "2")
		if rec := e.do("POST", "/events/"+ev.ID+"/edit", form, coord); rec.Code != http.StatusSeeOther {
			t.Fatalf("all: %d\n%s", rec.Code, rec.Body.String())
		}
		if got, _ := events.Get(ctx, d, e.users[access.Coordinator].Actor("t"), ev.ID); got.Title != "Tuesday gathering" {
			t.Errorf("after editing all: %q", got.Title)
		}
	})
}

// TestEventOccurrenceExceptions: staff move one occurrence and cancel
// another through the forms on its page; people who answered are told;
// bad input comes back by its field.
func TestEventOccurrenceExceptions(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		e := newWebEnv(t, d)
		ctx := context.Background()
		ev := evwEvent(t, e, events.Input{Title: "Tuesday meeting", RRule: "FREQ=WEEKLY;COUNT=3", LocationName: "Hall"})
		alum := e.users[access.Alumnus]
		first := ev.FirstDate.String()
		second := ev.FirstDate.AddDays(7).String()
		for _, occ := range []string{first, second} {
			if _, err := events.SetRSVP(ctx, d, alum.Actor("t"), ev.ID, occ, events.RSVPInput{Status: "yes", Adults: 1}); err != nil {
				t.Fatal(err)
			}
		}
		coord := e.signIn(e.users[access.Coordinator])
		link := occurrenceLink(ev.ID, first)
		rec := e.do("POST", link+"/move", url.Values{"move_start": {"soon"}, "move_duration_minutes": {"90"}, "move_note": {"Garden room"}}, coord)
		if rec.Code != http.StatusUnprocessableEntity || !strings.Contains(rec.Body.String(), `id="move_start-error"`) ||
			!strings.Contains(rec.Body.String(), `value="Garden room"`) || !strings.Contains(rec.Body.String(), `value="soon"`) {
			t.Fatalf("bad move: %d\n%s", rec.Code, rec.Body.String())
		}
		newStart := ev.FirstDate.String() + "T19:15"
		rec = e.do("POST", link+"/move", url.Values{"move_start": {newStart}, "move_duration_minutes": {"60"},
			"move_location_name": {"Garden room"}, "move_note": {"The hall is being painted."}}, coord)
		if rec.Code != http.StatusSeeOther {
			t.Fatalf("move: %d\n%s", rec.Code, rec.Body.String())
		}
		alumCookie := e.signIn(alum)
		page := e.do("GET", link, nil, alumCookie).Body.String()
		for _, want := range []string{"7:15 PM to 8:15 PM", "Garden room", "The hall is being painted.", "changed from the usual"} {
			if !strings.Contains(page, want) {
				t.Errorf("the moved occurrence lacks %q", want)
			}
		}
		rec = e.do("POST", occurrenceLink(ev.ID, second)+"/cancel", url.Values{"cancel_note": {"Holiday week"}}, coord)
		if rec.Code != http.StatusSeeOther {
			t.Fatalf("cancel: %d", rec.Code)
		}
		page = e.do("GET", occurrenceLink(ev.ID, second), nil, alumCookie).Body.String()
		if !strings.Contains(page, "This occurrence is cancelled.") || !strings.Contains(page, "Holiday week") || strings.Contains(page, `/rsvp"`) {
			t.Errorf("the cancelled occurrence page:\n%s", page)
		}
		if n := evwCount(t, d, `SELECT COUNT(*) FROM notifications WHERE user_id = ?`, alum.ID); n < 2 {
			t.Errorf("%d notifications for the alumnus, want the move and the cancellation", n)
		}
		// Cancelling the whole event.
		if rec := e.do("POST", "/events/"+ev.ID+"/delete", url.Values{}, coord); rec.Code != http.StatusSeeOther {
			t.Fatalf("delete: %d", rec.Code)
		}
		if page := e.do("GET", occurrenceLink(ev.ID, ev.FirstDate.AddDays(14).String()), nil, alumCookie).Body.String(); !strings.Contains(page, "This event is cancelled.") {
			t.Errorf("after deleting, the last occurrence is not marked cancelled")
		}
	})
}

// TestEventSettingsPage: the program's reminders and default close read
// back as saved; bad numbers come back by their fields.
func TestEventSettingsPage(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		e := newWebEnv(t, d)
		admin := e.signIn(e.users[access.Admin])
		page := e.do("GET", "/admin/events", nil, admin).Body.String()
		if !strings.Contains(page, `name="reminder_1" min="0" inputmode="numeric" value="24"`) || !strings.Contains(page, `name="reminder_2" min="0" inputmode="numeric" value="2"`) {
			t.Errorf("the defaults (24 and 2 hours) are not shown:\n%s", page)
		}
		if !strings.Contains(e.do("GET", "/admin", nil, admin).Body.String(), `href="/admin/events"`) {
			t.Errorf("the admin index lacks the event settings")
		}
		rec := e.do("POST", "/admin/events", url.Values{"reminder_1": {"three"}, "reminder_1_unit": {"hours"}, "rsvp_close": {"-1"}}, admin)
		if rec.Code != http.StatusUnprocessableEntity || !strings.Contains(rec.Body.String(), `id="reminder_1-error"`) ||
			!strings.Contains(rec.Body.String(), `id="rsvp_close-error"`) || !strings.Contains(rec.Body.String(), `value="three"`) {
			t.Fatalf("bad settings: %d\n%s", rec.Code, rec.Body.String())
		}
		rec = e.do("POST", "/admin/events", url.Values{"reminder_1": {"48"}, "reminder_1_unit": {"hours"},
			"reminder_2": {"30"}, "reminder_2_unit": {"minutes"}, "rsvp_close": {"3"}, "rsvp_close_unit": {"hours"}}, admin)
		if rec.Code != http.StatusSeeOther {
			t.Fatalf("save: %d\n%s", rec.Code, rec.Body.String())
		}
		set, err := events.GetSettings(context.Background(), d, e.program.ID)
		if err != nil || len(set.ReminderOffsets) != 2 || set.ReminderOffsets[0] != 48*time.Hour || set.ReminderOffsets[1] != 30*time.Minute ||
			set.RSVPClose != 3*time.Hour {
			t.Fatalf("saved %+v %v", set, err)
		}
		page = e.do("GET", "/admin/events", nil, admin).Body.String()
		if !strings.Contains(page, `value="48"`) || !strings.Contains(page, `<option value="minutes" selected>minutes before</option>`) {
			t.Errorf("the saved settings do not read back")
		}
	})
}

// TestEventCalendarAndHonour: the subscription address is shown once
// after it is made, never again; rotate and revoke work. An alumnus
// answers an honour question; the answer shows.
func TestEventCalendarAndHonour(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		e := newWebEnv(t, d)
		alum := e.signIn(e.users[access.Alumnus])
		rec := e.do("POST", "/events/calendar", url.Values{"action": {"create"}}, alum)
		body := rec.Body.String()
		i := strings.Index(body, "http://cairn.test/calendar/")
		if rec.Code != http.StatusOK || i < 0 {
			t.Fatalf("create: %d\n%s", rec.Code, body)
		}
		feedURL := body[i : i+strings.Index(body[i:], `"`)]
		token := strings.TrimSuffix(strings.TrimPrefix(feedURL, "http://cairn.test/calendar/"), ".ics")
		if got := e.do("GET", "/calendar/"+token+".ics", nil, ""); got.Code != http.StatusOK {
			t.Errorf("the new address answers %d", got.Code)
		}
		if page := e.do("GET", "/events/calendar", nil, alum).Body.String(); strings.Contains(page, token) || !strings.Contains(page, "Make a new address") {
			t.Errorf("the address is shown again, or no rotate button")
		}
		if rec := e.do("POST", "/events/calendar", url.Values{"action": {"create"}}, alum); rec.Code != http.StatusUnprocessableEntity {
			t.Errorf("a second create: %d", rec.Code)
		}
		if rec := e.do("POST", "/events/calendar", url.Values{"action": {"rotate"}}, alum); rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), "/calendar/") {
			t.Errorf("rotate: %d", rec.Code)
		}
		if got := e.do("GET", "/calendar/"+token+".ics", nil, ""); got.Code != http.StatusNotFound {
			t.Errorf("the old address still answers %d", got.Code)
		}
		if rec := e.do("POST", "/events/calendar", url.Values{"action": {"revoke"}}, alum); rec.Code != http.StatusSeeOther {
			t.Errorf("revoke: %d", rec.Code)
		}
		if page := e.do("GET", "/events/calendar?done=calendar-revoked", nil, alum).Body.String(); !strings.Contains(page, "Make my calendar address") {
			t.Errorf("after revoking, no create button")
		}

		rec = e.do("POST", "/events/honour", url.Values{"milestone_date": {"2001-01-01"}, "answer": {"maybe"}}, alum)
		if rec.Code != http.StatusUnprocessableEntity || !strings.Contains(rec.Body.String(), "Choose yes or no thanks.") {
			t.Errorf("bad honour answer: %d", rec.Code)
		}
		rec = e.do("POST", "/events/honour", url.Values{"milestone_date": {"2001-01-01"}, "answer": {"yes"}}, alum)
		if rec.Code != http.StatusUnprocessableEntity || !strings.Contains(rec.Body.String(), "not one of your milestones") {
			t.Errorf("a date that is not a milestone: %d\n%s", rec.Code, rec.Body.String())
		}
	})
}
