package api

import (
	"context"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/cairn-recovery/cairn/internal/db"
	"github.com/cairn-recovery/cairn/internal/events"
	"github.com/cairn-recovery/cairn/internal/members"
	"github.com/cairn-recovery/cairn/internal/testkit"
)

// TestEventsAPIFlow: a coordinator creates a family dinner; members list
// it, RSVP with guests until it is full, the next yes is waitlisted, and a
// cancellation promotes them.
func TestEventsAPIFlow(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		e := newEvEnv(t, d)
		day := e.day(7)
		body := fmt.Sprintf(`{"kind": "family_dinner", "title": "Family Dinner", "starts_at": "%sT18:00", "duration_minutes": 120,
			"rrule": "FREQ=WEEKLY;COUNT=3", "capacity": 4, "audience": "alumni_family", "online_url": "https://meet.example.test/dinner",
			"location_name": "Driftwood Hall"}`, day)
		rec := e.call(e.coord, "POST", "/api/v1/events", body)
		ev := evOK[eventJSON](t, rec, http.StatusCreated)
		if rec.Header().Get("Location") != "/api/v1/events/"+ev.ID {
			t.Fatalf("Location %q", rec.Header().Get("Location"))
		}
		if ev.StartsAt != day.String()+"T18:00" || ev.TimeZone != "America/Chicago" || ev.RRule != "FREQ=WEEKLY;COUNT=3" ||
			ev.Capacity != 4 || ev.Kind != "family_dinner" || ev.Audience != "alumni_family" || ev.SeriesID != ev.ID ||
			ev.FirstDate != day.String() || ev.LastDate == nil || *ev.LastDate != day.AddDays(14).String() ||
			ev.OnlineURL != "https://meet.example.test/dinner" || ev.Cancelled {
			t.Fatalf("created %+v", ev)
		}
		// Members may not create events: not found, and nothing is made.
		problem(t, e.call(e.alex, "POST", "/api/v1/events", body), http.StatusNotFound, "")
		if n := e.count(`SELECT COUNT(*) FROM events`); n != 1 {
			t.Fatalf("%d events, want 1", n)
		}

		// The list expands the series; paging one at a time gives the same.
		all := e.list(e.alex, day, day.AddDays(30), 100)
		paged := e.list(e.alex, day, day.AddDays(30), 1)
		if len(all) != 3 || len(paged) != 3 {
			t.Fatalf("listed %d and %d occurrences, want 3", len(all), len(paged))
		}
		loc := e.program.Location()
		for i, o := range all {
			want := day.AddDays(7 * i).String()
			if o.Occurrence != want || o.EventID != ev.ID || paged[i] != o || o.MyState != nil || o.Cancelled {
				t.Fatalf("occurrence %d = %+v (paged %+v), want %s", i, o, paged[i], want)
			}
			start, err := time.Parse(time.RFC3339, o.StartsAt)
			if err != nil || start.In(loc).Format("2006-01-02 15:04") != want+" 18:00" {
				t.Fatalf("starts_at %q", o.StartsAt)
			}
			if _, off := start.Zone(); off != func() int { _, o := start.In(loc).Zone(); return o }() {
				t.Fatalf("starts_at %q is not in the program's offset", o.StartsAt)
			}
			end, err := time.Parse(time.RFC3339, o.EndsAt)
			if err != nil || end.Sub(start) != 2*time.Hour {
				t.Fatalf("ends_at %q", o.EndsAt)
			}
		}
		// Members do not get the online link from the event.
		if got := evOK[eventJSON](t, e.call(e.alex, "GET", "/api/v1/events/"+ev.ID, ""), http.StatusOK); got.OnlineURL != "" || got.Title != "Family Dinner" {
			t.Fatalf("alex sees %+v", got)
		}

		occ := "/api/v1/events/" + ev.ID + "/occurrences/" + day.String()
		r := evOK[rsvpJSON](t, e.call(e.alex, "PUT", occ+"/rsvp", `{"status": "yes", "adults": 2, "children": 1, "dietary": "vegetarian", "show_me": true}`), http.StatusOK)
		if r.State != "confirmed" || r.Position != 0 || r.Adults != 2 || r.Children != 1 {
			t.Fatalf("alex's rsvp %+v", r)
		}
		r = evOK[rsvpJSON](t, e.call(e.blair, "PUT", occ+"/rsvp", `{"status": "yes", "adults": 2}`), http.StatusOK)
		if r.State != "waitlisted" || r.Position != 1 {
			t.Fatalf("blair's rsvp %+v, want waitlisted at 1", r)
		}
		r = evOK[rsvpJSON](t, e.call(e.casey, "PUT", occ+"/rsvp", `{"status": "maybe"}`), http.StatusOK)
		if r.State != "tentative" {
			t.Fatalf("casey's maybe %+v", r)
		}
		listed := e.list(e.alex, day, day.AddDays(30), 100)
		if listed[0].MyState == nil || *listed[0].MyState != "confirmed" || listed[0].ConfirmedPeople != 3 || listed[1].MyState != nil {
			t.Fatalf("alex's list %+v", listed[:2])
		}

		// Blair, waitlisted, sees Alex (who chose to be listed) without
		// dietary notes, and no online link; staff see everything.
		det := evOK[occurrenceDetailJSON](t, e.call(e.blair, "GET", occ, ""), http.StatusOK)
		if det.MyRSVP == nil || det.MyRSVP.State != "waitlisted" || det.MyRSVP.Position != 1 || det.OnlineURL != "" ||
			len(det.Attendees) != 1 || det.Attendees[0].UserID != e.alex.ID || det.Attendees[0].Dietary != "" {
			t.Fatalf("blair's view %+v", det)
		}
		det = evOK[occurrenceDetailJSON](t, e.call(e.alex, "GET", occ, ""), http.StatusOK)
		if det.OnlineURL != "https://meet.example.test/dinner" || det.Occurrence.MyState == nil || *det.Occurrence.MyState != "confirmed" {
			t.Fatalf("alex's view %+v", det)
		}
		det = evOK[occurrenceDetailJSON](t, e.call(e.coord, "GET", occ, ""), http.StatusOK)
		dietary := ""
		for _, a := range det.Attendees {
			if a.UserID == e.alex.ID {
				dietary = a.Dietary
			}
		}
		if len(det.Attendees) < 2 || dietary != "vegetarian" || det.OnlineURL == "" {
			t.Fatalf("staff view %+v", det)
		}

		// Alex cancels: Blair is promoted.
		if rec := e.call(e.alex, "DELETE", occ+"/rsvp", ""); rec.Code != http.StatusNoContent {
			t.Fatalf("cancel rsvp: %d %s", rec.Code, rec.Body)
		}
		det = evOK[occurrenceDetailJSON](t, e.call(e.blair, "GET", occ, ""), http.StatusOK)
		if det.MyRSVP == nil || det.MyRSVP.State != "confirmed" || det.MyRSVP.Position != 0 || det.Occurrence.ConfirmedPeople != 2 ||
			det.OnlineURL == "" {
			t.Fatalf("after the cancellation blair sees %+v", det)
		}
		det = evOK[occurrenceDetailJSON](t, e.call(e.alex, "GET", occ, ""), http.StatusOK)
		if det.MyRSVP != nil {
			t.Fatalf("alex's rsvp after cancelling: %+v", det.MyRSVP)
		}
	})
}

// TestEventsAPIPatch changes a whole series, then "this and following".
func TestEventsAPIPatch(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		e := newEvEnv(t, d)
		day := e.day(7)
		ev := e.create(fmt.Sprintf(`{"kind": "weekly_meeting", "title": "Tuesday Alumni Meeting", "starts_at": "%sT18:30",
			"duration_minutes": 90, "rrule": "FREQ=WEEKLY", "capacity": 40, "audience": "alumni"}`, day))
		// Alex answers for the fourth date, which moves to the new part.
		later := day.AddDays(21).String()
		evOK[rsvpJSON](t, e.call(e.alex, "PUT", "/api/v1/events/"+ev.ID+"/occurrences/"+later+"/rsvp", `{"status": "yes"}`), http.StatusOK)

		got := evOK[eventJSON](t, e.call(e.coord, "PATCH", "/api/v1/events/"+ev.ID, `{"title": "Alumni Meeting", "location_name": "Room 2"}`), http.StatusOK)
		if got.ID != ev.ID || got.Title != "Alumni Meeting" || got.LocationName != "Room 2" || got.StartsAt != ev.StartsAt ||
			got.RRule != "FREQ=WEEKLY" || got.Capacity != 40 || got.DurationMinutes != 90 || got.Sequence <= ev.Sequence {
			t.Fatalf("patched %+v", got)
		}

		from := day.AddDays(14)
		split := evOK[eventJSON](t, e.call(e.coord, "PATCH", "/api/v1/events/"+ev.ID,
			fmt.Sprintf(`{"from": %q, "starts_at": "%sT19:00", "title": "Evening Alumni Meeting"}`, from, from)), http.StatusOK)
		if split.ID == ev.ID || split.SeriesID != ev.ID || split.StartsAt != from.String()+"T19:00" || split.FirstDate != from.String() ||
			split.Title != "Evening Alumni Meeting" || split.LocationName != "Room 2" || split.Capacity != 40 {
			t.Fatalf("split part %+v", split)
		}
		old := evOK[eventJSON](t, e.call(e.coord, "GET", "/api/v1/events/"+ev.ID, ""), http.StatusOK)
		if old.LastDate == nil || *old.LastDate != from.AddDays(-1).String() || old.Title != "Alumni Meeting" {
			t.Fatalf("old part %+v", old)
		}
		loc := e.program.Location()
		list := e.list(e.alex, day, day.AddDays(28), 2)
		if len(list) != 5 {
			t.Fatalf("listed %d, want 5: %+v", len(list), list)
		}
		for i, o := range list {
			start, _ := time.Parse(time.RFC3339, o.StartsAt)
			wantID, wantTime, wantTitle := ev.ID, "18:30", "Alumni Meeting"
			if i >= 2 {
				wantID, wantTime, wantTitle = split.ID, "19:00", "Evening Alumni Meeting"
			}
			if o.Occurrence != day.AddDays(7*i).String() || o.EventID != wantID || start.In(loc).Format("15:04") != wantTime || o.Title != wantTitle {
				t.Fatalf("occurrence %d = %+v", i, o)
			}
		}
		det := evOK[occurrenceDetailJSON](t, e.call(e.alex, "GET", "/api/v1/events/"+split.ID+"/occurrences/"+later, ""), http.StatusOK)
		if det.MyRSVP == nil || det.MyRSVP.State != "confirmed" {
			t.Fatalf("alex's rsvp did not follow its date: %+v", det)
		}
		// A date that is not an occurrence.
		problem(t, e.call(e.coord, "PATCH", "/api/v1/events/"+split.ID, fmt.Sprintf(`{"from": %q}`, from.AddDays(1))),
			http.StatusUnprocessableEntity, "from")
	})
}

// TestEventsAPIBadInput: every bad input is a problem naming the field,
// and changes nothing.
func TestEventsAPIBadInput(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		e := newEvEnv(t, d)
		day := e.day(7)
		valid := func(extra string) string {
			return fmt.Sprintf(`{"kind": "weekly_meeting", "title": "Meeting", "starts_at": "%sT18:30", "duration_minutes": 60, "audience": "alumni"%s}`, day, extra)
		}
		for _, c := range []struct {
			body   string
			status int
			field  string
		}{
			{valid(`, "colour": "red"`), http.StatusBadRequest, "colour"},
			{valid(`, "capacity": "forty"`), http.StatusBadRequest, "capacity"},
			{`{"kind": "weekly_meeting", "title": "Meeting", "starts_at": "next tuesday", "duration_minutes": 60, "audience": "alumni"}`, http.StatusUnprocessableEntity, "starts_at"},
			{valid(`, "rrule": "FREQ=WEEKLY;COUNT=0"`), http.StatusUnprocessableEntity, "rrule"},
			{valid(`, "rrule": "FREQ=HOURLY"`), http.StatusUnprocessableEntity, "rrule"},
			{valid(`, "rrule": "nonsense"`), http.StatusUnprocessableEntity, "rrule"},
			{valid(`, "capacity": -1`), http.StatusUnprocessableEntity, "capacity"},
			{valid(`, "online_url": "javascript:alert(1)"`), http.StatusUnprocessableEntity, "online_url"},
			{`{"title": "Meeting", "starts_at": "2026-12-01T18:30", "duration_minutes": 60, "audience": "alumni"}`, http.StatusUnprocessableEntity, "kind"},
			{`{"kind": "weekly_meeting", "title": "Meeting", "starts_at": "2026-12-01T18:30", "duration_minutes": 0, "audience": "alumni"}`, http.StatusUnprocessableEntity, "duration_minutes"},
		} {
			problem(t, e.call(e.coord, "POST", "/api/v1/events", c.body), c.status, c.field)
		}
		if n := e.count(`SELECT COUNT(*) FROM events`); n != 0 {
			t.Fatalf("bad input made %d events", n)
		}

		ev := e.create(fmt.Sprintf(`{"kind": "family_dinner", "title": "Dinner", "starts_at": "%sT18:00", "duration_minutes": 90,
			"capacity": 4, "audience": "alumni_family"}`, day))
		occ := "/api/v1/events/" + ev.ID + "/occurrences/" + day.String()
		evOK[rsvpJSON](t, e.call(e.alex, "PUT", occ+"/rsvp", `{"status": "yes", "adults": 2, "children": 1}`), http.StatusOK)
		for _, c := range []struct {
			body   string
			status int
			field  string
		}{
			{`{"status": "yes", "adults": -1}`, http.StatusUnprocessableEntity, "adults"},
			{`{"status": "yes", "children": -2}`, http.StatusUnprocessableEntity, "children"},
			{`{"status": "perhaps"}`, http.StatusUnprocessableEntity, "status"},
			{`{"status": "yes", "adults": "two"}`, http.StatusBadRequest, "adults"},
			{`{"status": "yes", "guests": 3}`, http.StatusBadRequest, "guests"},
		} {
			problem(t, e.call(e.blair, "PUT", occ+"/rsvp", c.body), c.status, c.field)
		}
		if n := e.count(`SELECT COUNT(*) FROM event_rsvps WHERE user_id = ?`, e.blair.ID); n != 0 {
			t.Fatalf("bad RSVPs stored %d rows", n)
		}

		// Capacity below the people confirmed, and a bad start, change nothing.
		problem(t, e.call(e.coord, "PATCH", "/api/v1/events/"+ev.ID, `{"capacity": 2, "title": "Renamed"}`), http.StatusUnprocessableEntity, "capacity")
		problem(t, e.call(e.coord, "PATCH", "/api/v1/events/"+ev.ID, `{"starts_at": "2026-02-30T18:00", "title": "Renamed"}`), http.StatusUnprocessableEntity, "starts_at")
		problem(t, e.call(e.coord, "PATCH", "/api/v1/events/"+ev.ID, `{"from": "yesterday"}`), http.StatusBadRequest, "from")
		problem(t, e.call(e.coord, "PATCH", "/api/v1/events/"+ev.ID, `{"sequence": 9}`), http.StatusBadRequest, "sequence")
		got := evOK[eventJSON](t, e.call(e.coord, "GET", "/api/v1/events/"+ev.ID, ""), http.StatusOK)
		if got.Capacity != 4 || got.Title != "Dinner" || got.StartsAt != ev.StartsAt || got.Sequence != ev.Sequence {
			t.Fatalf("refused changes changed the event: %+v", got)
		}

		// The list's query parameters.
		for _, c := range []struct{ query, field string }{
			{"from=tomorrow", "from"},
			{"from=2026-02-30", "from"},
			{"to=12/01/2026", "to"},
			{"from=" + day.String() + "&to=" + day.AddDays(-1).String(), "to"},
			{"from=" + day.String() + "&to=" + day.AddYears(2).String(), "to"},
			{"from=" + day.String() + "&to=" + day.AddYears(1).AddDays(1).String(), "to"},
			{"cursor=nonsense!", "cursor"},
			{"limit=0", "limit"},
			{"limit=101", "limit"},
		} {
			problem(t, e.call(e.alex, "GET", "/api/v1/events?"+c.query, ""), http.StatusBadRequest, c.field)
		}

		// A year, its last day included, is the longest window.
		if rec := e.call(e.alex, "GET", "/api/v1/events?from="+day.String()+"&to="+day.AddYears(1).String(), ""); rec.Code != http.StatusOK {
			t.Fatalf("a year's window: %d %s", rec.Code, rec.Body)
		}

		// Attendance needs exactly one of its members; a path that is no
		// occurrence is not found.
		problem(t, e.call(e.coach, "POST", occ+"/attendance", `{}`), http.StatusBadRequest, "user_id")
		problem(t, e.call(e.coach, "POST", occ+"/attendance", fmt.Sprintf(`{"user_id": %q, "walk_in_name": "Pat"}`, e.alex.ID)), http.StatusBadRequest, "user_id")
		problem(t, e.call(e.alex, "GET", "/api/v1/events/"+ev.ID+"/occurrences/2026-13-45", ""), http.StatusNotFound, "")
		problem(t, e.call(e.alex, "GET", "/api/v1/events/"+ev.ID+"/occurrences/"+day.AddDays(1).String(), ""), http.StatusNotFound, "")
		if n := e.count(`SELECT COUNT(*) FROM event_attendance`); n != 0 {
			t.Fatalf("bad attendance stored %d rows", n)
		}
	})
}

// TestEventsAPINotAllowed: what the caller may not see or do answers 404,
// exactly like what does not exist.
func TestEventsAPINotAllowed(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		e := newEvEnv(t, d)
		day := e.day(7)
		alumni := e.create(fmt.Sprintf(`{"kind": "weekly_meeting", "title": "Alumni Circle", "starts_at": "%sT18:30", "duration_minutes": 60, "audience": "alumni"}`, day))
		family := e.create(fmt.Sprintf(`{"kind": "family_dinner", "title": "Family Night", "starts_at": "%sT18:00", "duration_minutes": 60, "audience": "alumni_family"}`, day))
		milestone := e.create(fmt.Sprintf(`{"kind": "milestone_dinner", "title": "Milestones", "starts_at": "%sT18:00", "duration_minutes": 60, "audience": "alumni_family"}`, day))
		path := func(ev eventJSON) string { return "/api/v1/events/" + ev.ID }
		occ := func(ev eventJSON) string { return path(ev) + "/occurrences/" + day.String() }

		// Someone of another program sees none of it.
		for _, c := range []struct{ method, path, body string }{
			{"GET", path(alumni), ""},
			{"PATCH", path(alumni), `{"title": "Mine now"}`},
			{"DELETE", path(alumni), ""},
			{"GET", occ(alumni), ""},
			{"PUT", occ(alumni) + "/rsvp", `{"status": "yes"}`},
			{"POST", occ(alumni) + "/cancel", `{"note": "no"}`},
			{"POST", occ(alumni) + "/attendance", fmt.Sprintf(`{"user_id": %q}`, e.alex.ID)},
			{"GET", occ(milestone) + "/honorees", ""},
		} {
			problem(t, e.call(e.outsider, c.method, c.path, c.body), http.StatusNotFound, "")
		}
		if l := e.list(e.outsider, day, day.AddDays(30), 100); len(l) != 0 {
			t.Fatalf("outsider lists %+v", l)
		}

		// Family: not the alumni-only event, but the family one.
		problem(t, e.call(e.fam, "GET", path(alumni), ""), http.StatusNotFound, "")
		problem(t, e.call(e.fam, "PUT", occ(alumni)+"/rsvp", `{"status": "yes"}`), http.StatusNotFound, "")
		problem(t, e.call(e.fam, "GET", "/api/v1/events/no-such-event", ""), http.StatusNotFound, "")
		evOK[eventJSON](t, e.call(e.fam, "GET", path(family), ""), http.StatusOK)
		if l := e.list(e.fam, day, day.AddDays(30), 100); len(l) != 2 || l[0].EventID == alumni.ID || l[1].EventID == alumni.ID {
			t.Fatalf("family lists %+v", l)
		}
		if n := e.count(`SELECT COUNT(*) FROM event_rsvps`); n != 0 {
			t.Fatalf("refused RSVPs stored %d rows", n)
		}

		// Alumni may not manage events or take attendance.
		for _, c := range []struct{ method, path, body string }{
			{"PATCH", path(alumni), `{"title": "Mine now"}`},
			{"DELETE", path(alumni), ""},
			{"POST", occ(alumni) + "/cancel", ""},
			{"POST", occ(alumni) + "/attendance", fmt.Sprintf(`{"user_id": %q}`, e.blair.ID)},
			{"POST", occ(alumni) + "/attendance", `{"walk_in_name": "Pat Visitor"}`},
			{"GET", occ(milestone) + "/honorees", ""},
		} {
			problem(t, e.call(e.alex, c.method, c.path, c.body), http.StatusNotFound, "")
		}
		got := evOK[eventJSON](t, e.call(e.coord, "GET", path(alumni), ""), http.StatusOK)
		if got.Title != "Alumni Circle" || got.Cancelled {
			t.Fatalf("refused changes changed the event: %+v", got)
		}
		// Without credentials: 401.
		problem(t, e.call(nil, "GET", "/api/v1/events", ""), http.StatusUnauthorized, "")

		// The coordinator sees the honorees (none yet).
		h := evOK[struct {
			Items []honoreeJSON `json:"items"`
		}](t, e.call(e.coord, "GET", occ(milestone)+"/honorees", ""), http.StatusOK)
		if h.Items == nil {
			t.Fatal("honorees: items is null")
		}
	})
}

// TestEventsAPIAttendanceAndCancel: staff check people in (a member, a
// walk-in), a member checks in with the code, then one occurrence and the
// whole event are cancelled.
func TestEventsAPIAttendanceAndCancel(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		e := newEvEnv(t, d)
		loc := e.program.Location()
		start := time.Now().In(loc).Add(10 * time.Minute)
		ev := e.create(fmt.Sprintf(`{"kind": "weekly_meeting", "title": "Tonight", "starts_at": %q, "duration_minutes": 90,
			"rrule": "FREQ=WEEKLY", "audience": "alumni"}`, start.Format("2006-01-02T15:04")))
		today := start.Format("2006-01-02")
		occ := "/api/v1/events/" + ev.ID + "/occurrences/" + today

		att := evOK[attendanceJSON](t, e.call(e.coach, "POST", occ+"/attendance", fmt.Sprintf(`{"user_id": %q}`, e.alex.ID)), http.StatusCreated)
		if att.AttendanceID == "" || att.EventID != ev.ID || att.Occurrence != today {
			t.Fatalf("check-in %+v", att)
		}
		again := evOK[attendanceJSON](t, e.call(e.coach, "POST", occ+"/attendance", fmt.Sprintf(`{"user_id": %q}`, e.alex.ID)), http.StatusCreated)
		if again.AttendanceID != att.AttendanceID {
			t.Fatalf("checking in twice made a second entry: %q, %q", att.AttendanceID, again.AttendanceID)
		}
		walkIn := evOK[attendanceJSON](t, e.call(e.coach, "POST", occ+"/attendance", `{"walk_in_name": "Pat Visitor"}`), http.StatusCreated)
		if walkIn.AttendanceID == "" || walkIn.AttendanceID == att.AttendanceID {
			t.Fatalf("walk-in %+v", walkIn)
		}
		problem(t, e.call(e.coach, "POST", occ+"/attendance", `{"walk_in_name": "Pat\u0007"}`), http.StatusUnprocessableEntity, "walk_in_name")

		// Blair checks in with the code shown at the venue; a wrong code is named.
		code, err := events.CheckInCode(context.Background(), d, e.coach.Actor("t"), ev.ID, today)
		if err != nil {
			t.Fatal(err)
		}
		problem(t, e.call(e.blair, "POST", occ+"/attendance", `{"code": "ZZZZZZ"}`), http.StatusUnprocessableEntity, "code")
		self := evOK[attendanceJSON](t, e.call(e.blair, "POST", occ+"/attendance", fmt.Sprintf(`{"code": %q}`, code)), http.StatusCreated)
		if self.AttendanceID == "" || self.EventID != ev.ID || self.Occurrence != today {
			t.Fatalf("self check-in %+v", self)
		}
		if n := e.count(`SELECT COUNT(*) FROM event_attendance WHERE event_id = ? AND occurrence = ?`, ev.ID, today); n != 3 {
			t.Fatalf("%d attendance entries, want 3", n)
		}

		// Next week's occurrence is cancelled (no body needed): listed as
		// cancelled, and it takes no RSVPs.
		next := start.AddDate(0, 0, 7).Format("2006-01-02")
		nextOcc := "/api/v1/events/" + ev.ID + "/occurrences/" + next
		if rec := e.call(e.coord, "POST", nextOcc+"/cancel", ""); rec.Code != http.StatusNoContent {
			t.Fatalf("cancel occurrence: %d %s", rec.Code, rec.Body)
		}
		det := evOK[occurrenceDetailJSON](t, e.call(e.alex, "GET", nextOcc, ""), http.StatusOK)
		if !det.Occurrence.Cancelled || det.Event.Cancelled {
			t.Fatalf("cancelled occurrence %+v", det.Occurrence)
		}
		problem(t, e.call(e.alex, "PUT", nextOcc+"/rsvp", `{"status": "yes"}`), http.StatusUnprocessableEntity, "status")
		third := start.AddDate(0, 0, 14).Format("2006-01-02")
		if rec := e.call(e.coord, "POST", "/api/v1/events/"+ev.ID+"/occurrences/"+third+"/cancel", `{"note": "Snow day"}`); rec.Code != http.StatusNoContent {
			t.Fatalf("cancel with a note: %d %s", rec.Code, rec.Body)
		}
		if det := evOK[occurrenceDetailJSON](t, e.call(e.alex, "GET", "/api/v1/events/"+ev.ID+"/occurrences/"+third, ""), http.StatusOK); !det.Occurrence.Cancelled || det.Occurrence.Note != "Snow day" {
			t.Fatalf("cancelled with a note: %+v", det.Occurrence)
		}

		// Deleting the event cancels it: still there, marked.
		if rec := e.call(e.coord, "DELETE", "/api/v1/events/"+ev.ID, ""); rec.Code != http.StatusNoContent {
			t.Fatalf("delete: %d %s", rec.Code, rec.Body)
		}
		if got := evOK[eventJSON](t, e.call(e.alex, "GET", "/api/v1/events/"+ev.ID, ""), http.StatusOK); !got.Cancelled {
			t.Fatalf("deleted event %+v", got)
		}
		day := members.MustDate(today)
		for _, o := range e.list(e.alex, day, day.AddDays(30), 100) {
			if !o.Cancelled {
				t.Fatalf("occurrence of a cancelled event listed as not cancelled: %+v", o)
			}
		}
	})
}
