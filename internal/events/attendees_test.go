package events

import (
	"testing"
	"time"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/db"
	"github.com/cairn-recovery/cairn/internal/testkit"
)

// TestAttendeesPrivacy: members see only confirmed people who chose to be
// listed, by display name and nothing else; staff see everyone with party,
// dietary notes and waitlist, and each staff read is in the audit log.
func TestAttendeesPrivacy(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		rsClock(t, rsNow)
		w := rsNewWorld(t, d)
		e, o := w.event(t, rsDinner(4))
		set := func(a access.Actor, in RSVPInput) {
			t.Helper()
			if _, err := SetRSVP(w.ctx, d, a, e.ID, o.ID, in); err != nil {
				t.Fatal(err)
			}
		}
		set(w.alex, RSVPInput{Status: "yes", Adults: 2, Children: 1, Dietary: "gluten free", ShowMe: true})
		set(w.bo, RSVPInput{Status: "yes", Adults: 1, Dietary: "vegan"}) // not listed
		set(w.pat, RSVPInput{Status: "yes", Adults: 2, ShowMe: true})    // waitlisted
		set(w.family, RSVPInput{Status: "maybe", Adults: 1, ShowMe: true})

		for _, viewer := range []access.Actor{w.alex, w.bo, w.pat, w.family} {
			got, err := Attendees(w.ctx, d, viewer, e.ID, o.ID)
			if err != nil {
				t.Fatal(err)
			}
			want := Attendee{UserID: w.alex.UserID, DisplayName: "Alex R.", State: RSVPConfirmed}
			if len(got) != 1 || got[0] != want {
				t.Fatalf("member sees %+v, want only %+v", got, want)
			}
		}
		got, err := Attendees(w.ctx, d, w.coach, e.ID, o.ID)
		if err != nil {
			t.Fatal(err)
		}
		want := []Attendee{
			{UserID: w.alex.UserID, DisplayName: "Alex Rivera", State: RSVPConfirmed, Adults: 2, Children: 1, Dietary: "gluten free"},
			{UserID: w.bo.UserID, DisplayName: "Bo Lind", State: RSVPConfirmed, Adults: 1, Dietary: "vegan"},
			{UserID: w.pat.UserID, DisplayName: "Pat Quinn", State: RSVPWaitlisted, Adults: 2, Position: 1},
			{UserID: w.family.UserID, DisplayName: "Fran Rivera", State: RSVPTentative, Adults: 1},
		}
		if len(got) != len(want) {
			t.Fatalf("staff see %+v", got)
		}
		for i := range want {
			if got[i] != want[i] {
				t.Fatalf("staff line %d: %+v, want %+v", i, got[i], want[i])
			}
		}
		var audited int
		if err := d.QueryRow(w.ctx, `SELECT COUNT(*) FROM audit_log WHERE action = 'events.attendees' AND actor_id = ?`,
			w.coach.UserID).Scan(&audited); err != nil || audited != 1 {
			t.Errorf("staff reads of the attendee list audited %d times (%v), want 1", audited, err)
		}
		_ = d.QueryRow(w.ctx, `SELECT COUNT(*) FROM audit_log WHERE action = 'events.attendees'`).Scan(&audited)
		if audited != 1 {
			t.Errorf("members' reads were audited too: %d entries", audited)
		}
		_, err = Attendees(w.ctx, d, w.stranger, e.ID, o.ID)
		wantNotFound(t, err, "another program's attendee list")
		_, err = Attendees(w.ctx, d, access.Actor{}, e.ID, o.ID)
		wantNotFound(t, err, "anonymous attendee list")
	})
}

// TestMyEvents lists what the actor said yes or maybe to, by start, from
// a time.
func TestMyEvents(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		rsClock(t, rsNow)
		w := rsNewWorld(t, d)
		weekly, _ := w.event(t, Input{Kind: WeeklyMeeting, Title: "Tuesday Alumni Meeting", Start: "2026-12-08T18:30",
			DurationMinutes: 90, RRule: "FREQ=WEEKLY;BYDAY=TU", Capacity: 1, Audience: Alumni})
		dinner, dOcc := w.event(t, rsDinner(0))
		w.rsvp(t, w.bo, weekly, &Occurrence{ID: "2026-12-15"}, "yes", 1, 0)
		w.rsvp(t, w.alex, weekly, &Occurrence{ID: "2026-12-15"}, "yes", 1, 0) // waitlisted
		w.rsvp(t, w.alex, weekly, &Occurrence{ID: "2026-12-08"}, "maybe", 1, 0)
		w.rsvp(t, w.alex, weekly, &Occurrence{ID: "2026-12-22"}, "no", 1, 0)
		w.rsvp(t, w.alex, dinner, dOcc, "yes", 2, 0)

		got, err := MyEvents(w.ctx, d, w.alex, rsNow, 10)
		if err != nil {
			t.Fatal(err)
		}
		type line struct{ event, occ, state string }
		want := []line{
			{dinner.ID, "2026-12-05", RSVPConfirmed},
			{weekly.ID, "2026-12-08", RSVPTentative},
			{weekly.ID, "2026-12-15", RSVPWaitlisted},
		}
		if len(got) != len(want) {
			t.Fatalf("my events: %d lines, want %d", len(got), len(want))
		}
		for i, l := range got {
			if (line{l.Event.ID, l.Occurrence.ID, l.MyState}) != want[i] {
				t.Fatalf("line %d: %s %s %s, want %+v", i, l.Event.Title, l.Occurrence.ID, l.MyState, want[i])
			}
		}
		// From after the dinner and the first meeting.
		got, err = MyEvents(w.ctx, d, w.alex, time.Date(2026, 12, 9, 12, 0, 0, 0, time.UTC), 10)
		if err != nil || len(got) != 1 || got[0].Occurrence.ID != "2026-12-15" {
			t.Fatalf("later: %v %v", got, err)
		}
		got, err = MyEvents(w.ctx, d, w.alex, rsNow, 1)
		if err != nil || len(got) != 1 || got[0].Event.ID != dinner.ID {
			t.Fatalf("limit 1: %v %v", got, err)
		}
		if got, err := MyEvents(w.ctx, d, w.pat, rsNow, 10); err != nil || len(got) != 0 {
			t.Fatalf("pat: %v %v", got, err)
		}
		_, err = MyEvents(w.ctx, d, access.Actor{}, rsNow, 10)
		wantNotFound(t, err, "anonymous")
	})
}
