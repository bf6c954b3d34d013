package web

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/db"
	"github.com/cairn-recovery/cairn/internal/events"
	"github.com/cairn-recovery/cairn/internal/members"
	"github.com/cairn-recovery/cairn/internal/testkit"
)

// evfStart is a local start n days from now in the test program's zone,
// at 6:30 pm.
func evfStart(e *webEnv, n int) string {
	loc := e.program.Location()
	return members.DateOf(time.Now().In(loc)).AddDays(n).String() + "T18:30"
}

// evfEvent creates an event of the test program as its coordinator.
func evfEvent(e *webEnv, in events.Input) *events.Event {
	e.t.Helper()
	if in.Kind == "" {
		in.Kind = events.WeeklyMeeting
	}
	if in.Start == "" {
		in.Start = evfStart(e, 7)
	}
	if in.DurationMinutes == 0 {
		in.DurationMinutes = 90
	}
	ev, err := events.Create(context.Background(), e.db, e.users[access.Coordinator].Actor("test"), in)
	if err != nil {
		e.t.Fatalf("create event %q: %v", in.Title, err)
	}
	return ev
}

// evfMatrixEvent creates a one-off event for alumni and family and returns
// its id.
func evfMatrixEvent(f *admFixture) string {
	return evfEvent(f.e, events.Input{Title: "Matrix dinner", Kind: events.FamilyDinner, Audience: events.AlumniFamily}).ID
}

// evfMatrixFeed gives the alumnus a new private feed token.
func evfMatrixFeed(f *admFixture) string {
	token, err := events.FeedURLToken(context.Background(), f.e.db, f.e.users[access.Alumnus].Actor("matrix"), true)
	if err != nil {
		f.e.t.Fatal(err)
	}
	return token
}

func TestPublicEventFeeds(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		e := newWebEnv(t, d)
		evfEvent(e, events.Input{Title: "Tuesday Open Meeting", Audience: events.Public, RRule: "FREQ=WEEKLY;COUNT=4",
			LocationName: "Driftwood Hall", Address: "12 Shore Rd, Austin, TX 78701"})
		evfEvent(e, events.Input{Title: "Alumni Only Circle", Audience: events.Alumni})
		evfEvent(e, events.Input{Title: "Staff Huddle", Audience: events.StaffOnly})

		rec := e.do("GET", "/programs/"+e.program.ID+"/events.ics", nil, "")
		if rec.Code != http.StatusOK || rec.Header().Get("Content-Type") != "text/calendar; charset=utf-8" {
			t.Fatalf("public ics: %d %q", rec.Code, rec.Header().Get("Content-Type"))
		}
		body := rec.Body.String()
		if !strings.HasPrefix(body, "BEGIN:VCALENDAR") || !strings.Contains(body, "Tuesday Open Meeting") {
			t.Fatalf("public ics lacks the public meeting:\n%s", body)
		}
		if strings.Contains(body, "Alumni Only Circle") || strings.Contains(body, "Staff Huddle") {
			t.Fatalf("public ics shows a private event:\n%s", body)
		}
		if cc := rec.Header().Get("Cache-Control"); !strings.HasPrefix(cc, "public") {
			t.Fatalf("public ics Cache-Control %q", cc)
		}

		rec = e.do("GET", "/programs/"+e.program.ID+"/meetings.json", nil, "")
		if rec.Code != http.StatusOK || rec.Header().Get("Content-Type") != "application/json" ||
			rec.Header().Get("Access-Control-Allow-Origin") != "*" {
			t.Fatalf("meeting guide: %d %q %q", rec.Code, rec.Header().Get("Content-Type"), rec.Header().Get("Access-Control-Allow-Origin"))
		}
		var meetings []map[string]any
		if err := json.Unmarshal(rec.Body.Bytes(), &meetings); err != nil {
			t.Fatalf("meeting guide is not a JSON array: %v\n%s", err, rec.Body)
		}
		if len(meetings) != 1 || meetings[0]["name"] != "Tuesday Open Meeting" {
			t.Fatalf("meeting guide = %s", rec.Body)
		}

		// Another program's feeds hold none of these; an unknown program is not found.
		rec = e.do("GET", "/programs/"+e.other.ID+"/events.ics", nil, "")
		if rec.Code != http.StatusOK || strings.Contains(rec.Body.String(), "Tuesday Open Meeting") {
			t.Fatalf("other program's ics: %d\n%s", rec.Code, rec.Body)
		}
		for _, p := range []string{"/programs/no-such-program/events.ics", "/programs/no-such-program/meetings.json"} {
			if rec := e.do("GET", p, nil, ""); rec.Code != http.StatusNotFound {
				t.Fatalf("%s: %d, want 404", p, rec.Code)
			}
		}
	})
}

func TestPrivateEventFeed(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		e := newWebEnv(t, d)
		var logs bytes.Buffer
		e.srv.log = slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
		ctx := context.Background()
		alex := e.users[access.Alumnus]
		going := evfEvent(e, events.Input{Title: "Family Dinner", Kind: events.FamilyDinner, Audience: events.AlumniFamily})
		evfEvent(e, events.Input{Title: "Not Answered", Audience: events.Alumni})
		occ := members.MustDate(evfStart(e, 7)[:10]).String()
		if _, err := events.SetRSVP(ctx, d, alex.Actor("t"), going.ID, occ, events.RSVPInput{Status: "yes", Adults: 1}); err != nil {
			t.Fatal(err)
		}
		token, err := events.FeedURLToken(ctx, d, alex.Actor("t"), false)
		if err != nil {
			t.Fatal(err)
		}

		rec := e.do("GET", "/calendar/"+token+".ics", nil, "")
		if rec.Code != http.StatusOK || rec.Header().Get("Content-Type") != "text/calendar; charset=utf-8" {
			t.Fatalf("feed: %d %q", rec.Code, rec.Header().Get("Content-Type"))
		}
		if cc := rec.Header().Get("Cache-Control"); cc != "no-store, private" {
			t.Fatalf("feed Cache-Control %q", cc)
		}
		if b := rec.Body.String(); !strings.Contains(b, "Family Dinner") || strings.Contains(b, "Not Answered") {
			t.Fatalf("feed holds the wrong occurrences:\n%s", b)
		}
		for _, p := range []string{"/calendar/" + token, "/calendar/nonsense.ics", "/calendar/.ics", "/calendar/" + strings.Repeat("a", 300) + ".ics"} {
			if rec := e.do("GET", p, nil, ""); rec.Code != http.StatusNotFound {
				t.Fatalf("%s: %d, want 404", p, rec.Code)
			}
		}

		// Revoked, the URL stops working at once.
		if err := events.RevokeFeed(ctx, d, alex.Actor("t")); err != nil {
			t.Fatal(err)
		}
		if rec := e.do("GET", "/calendar/"+token+".ics", nil, ""); rec.Code != http.StatusNotFound {
			t.Fatalf("revoked feed: %d, want 404", rec.Code)
		}
		if strings.Contains(logs.String(), token) {
			t.Fatalf("the feed token was logged:\n%s", logs.String())
		}
	})
}

func TestEventDownloads(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		e := newWebEnv(t, d)
		alumni := evfEvent(e, events.Input{Title: "Tuesday Alumni Meeting", Audience: events.Alumni, RRule: "FREQ=WEEKLY"})
		alex := e.signIn(e.users[access.Alumnus])
		sam := e.signIn(e.users[access.Family])

		rec := e.do("GET", "/events/"+alumni.ID+".ics", nil, alex)
		if rec.Code != http.StatusOK || rec.Header().Get("Content-Type") != "text/calendar; charset=utf-8" {
			t.Fatalf("event ics: %d %q", rec.Code, rec.Header().Get("Content-Type"))
		}
		if cd := rec.Header().Get("Content-Disposition"); cd != `attachment; filename="cairn-event-`+alumni.ID+`.ics"` {
			t.Fatalf("Content-Disposition %q", cd)
		}
		if b := rec.Body.String(); !strings.Contains(b, "RRULE:FREQ=WEEKLY") || !strings.Contains(b, "Tuesday Alumni Meeting") {
			t.Fatalf("event ics:\n%s", b)
		}
		// One occurrence (served through the event page's pattern).
		occ := alumni.FirstDate.AddDays(7).String()
		rec = e.do("GET", "/events/"+alumni.ID+"/"+occ+".ics", nil, alex)
		if rec.Code != http.StatusOK || rec.Header().Get("Content-Type") != "text/calendar; charset=utf-8" ||
			rec.Header().Get("Content-Disposition") != `attachment; filename="cairn-event-`+alumni.ID+`-`+occ+`.ics"` {
			t.Fatalf("occurrence ics: %d %q %q", rec.Code, rec.Header().Get("Content-Type"), rec.Header().Get("Content-Disposition"))
		}
		if b := rec.Body.String(); strings.Contains(b, "RRULE") || !strings.Contains(b, "Tuesday Alumni Meeting") {
			t.Fatalf("occurrence ics:\n%s", b)
		}
		// Family may not see an alumni-only event; a visitor is sent to sign in.
		if rec := e.do("GET", "/events/"+alumni.ID+".ics", nil, sam); rec.Code != http.StatusNotFound {
			t.Fatalf("family: %d, want 404", rec.Code)
		}
		if rec := e.do("GET", "/events/"+alumni.ID+"/"+occ+".ics", nil, sam); rec.Code != http.StatusNotFound {
			t.Fatalf("family, occurrence: %d, want 404", rec.Code)
		}
		if rec := e.do("GET", "/events/"+alumni.ID+"/"+alumni.FirstDate.AddDays(1).String()+".ics", nil, alex); rec.Code != http.StatusNotFound {
			t.Fatalf("a date that is no occurrence: %d, want 404", rec.Code)
		}
		if rec := e.do("GET", "/events/"+alumni.ID+".ics", nil, ""); rec.Code != http.StatusSeeOther {
			t.Fatalf("visitor: %d, want 303", rec.Code)
		}
		for _, p := range []string{"/events/" + alumni.ID, "/events/no-such-event.ics"} {
			if rec := e.do("GET", p, nil, alex); rec.Code != http.StatusNotFound {
				t.Fatalf("%s: %d, want 404", p, rec.Code)
			}
		}
	})
}
