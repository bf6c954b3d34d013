package events

import (
	"strings"
	"testing"
	"time"

	"github.com/cairn-recovery/cairn/internal/db"
	"github.com/cairn-recovery/cairn/internal/testkit"
)

// TestRSVPBadInput: every bad answer names its field and changes nothing.
func TestRSVPBadInput(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		rsClock(t, rsNow)
		w := rsNewWorld(t, d)
		e, o := w.event(t, rsDinner(10))
		cases := []struct {
			in          RSVPInput
			field, text string
		}{
			{RSVPInput{Status: "yes", Adults: -1}, "adults", "negative"},
			{RSVPInput{Status: "yes", Adults: 1, Children: -2}, "children", "negative"},
			{RSVPInput{Status: "maybe", Adults: 1, Children: -1}, "children", "negative"},
			{RSVPInput{Status: "yes", Adults: 0}, "adults", "at least 1"},
			{RSVPInput{Status: "yes", Adults: 21}, "adults", "at most 20"},
			{RSVPInput{Status: "yes", Adults: 1, Children: 21}, "children", "at most 20"},
			{RSVPInput{Status: "perhaps", Adults: 1}, "status", "yes, maybe or no"},
			{RSVPInput{Status: "", Adults: 1}, "status", "yes, maybe or no"},
			{RSVPInput{Status: "yes", Adults: 1, Dietary: strings.Repeat("é", 501)}, "dietary", "at most 500"},
			{RSVPInput{Status: "yes", Adults: 1, Dietary: "\xff"}, "dietary", "not valid"},
		}
		for _, c := range cases {
			_, err := SetRSVP(w.ctx, d, w.alex, e.ID, o.ID, c.in)
			wantField(t, err, c.field, c.text)
		}
		if r := w.state(t, w.alex, e, o); r != nil {
			t.Fatalf("bad input stored an RSVP: %+v", r)
		}
		if got := w.confirmedPeople(t, e, o); got != 0 {
			t.Fatalf("confirmed people %d", got)
		}
		if got := w.auditActions(t, e)["events.rsvp"]; got != 0 {
			t.Fatalf("%d rsvp audit entries for bad input", got)
		}
		// A good answer after all that.
		r, err := SetRSVP(w.ctx, d, w.alex, e.ID, o.ID, RSVPInput{Status: " YES ", Adults: 2, Children: 1, Dietary: "  no nuts ", ShowMe: true})
		if err != nil {
			t.Fatal(err)
		}
		if r.Status != "yes" || r.State != RSVPConfirmed || r.People() != 3 || r.Dietary != "no nuts" || !r.ShowMe {
			t.Fatalf("rsvp: %+v", r)
		}
		if got := w.confirmedPeople(t, e, o); got != 3 {
			t.Fatalf("confirmed people %d, want 3", got)
		}
	})
}

// TestRSVPWithoutGuests: kinds without guests count one person, whatever
// is sent, and keep no dietary notes.
func TestRSVPWithoutGuests(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		rsClock(t, rsNow)
		w := rsNewWorld(t, d)
		e, o := w.event(t, Input{Kind: WeeklyMeeting, Title: "Tuesday Alumni Meeting", Start: "2026-12-08T18:30",
			DurationMinutes: 90, RRule: "FREQ=WEEKLY;BYDAY=TU", Capacity: 2, Audience: Alumni})
		r := w.rsvp(t, w.alex, e, o, "yes", 3, 2)
		if r.Adults != 1 || r.Children != 0 || r.State != RSVPConfirmed {
			t.Fatalf("rsvp: %+v", r)
		}
		if r, err := SetRSVP(w.ctx, d, w.bo, e.ID, o.ID, RSVPInput{Status: "yes", Dietary: "vegan"}); err != nil || r.Dietary != "" || r.People() != 1 {
			t.Fatalf("rsvp: %+v, %v", r, err)
		}
		if r := w.rsvp(t, w.pat, e, o, "yes", 1, 0); r.State != RSVPWaitlisted || r.Position != 1 {
			t.Fatalf("third person for 2 places: %s #%d", r.State, r.Position)
		}
		if got := w.confirmedPeople(t, e, o); got != 2 {
			t.Fatalf("confirmed people %d, want 2", got)
		}
		// Family never see an alumni-only meeting: not found, not refused.
		_, err := SetRSVP(w.ctx, d, w.family, e.ID, o.ID, RSVPInput{Status: "yes", Adults: 1})
		wantNotFound(t, err, "family on an alumni meeting")
		_, err = SetRSVP(w.ctx, d, w.stranger, e.ID, o.ID, RSVPInput{Status: "yes", Adults: 1})
		wantNotFound(t, err, "another program's alumnus")
		_, err = MyRSVP(w.ctx, d, w.family, e.ID, o.ID)
		wantNotFound(t, err, "family reading their RSVP")
		err = CancelRSVP(w.ctx, d, w.family, e.ID, o.ID)
		wantNotFound(t, err, "family cancelling")
		// A later occurrence of the series is its own occurrence, beyond the
		// horizon too.
		far := "2029-12-04"
		r, err = SetRSVP(w.ctx, d, w.alex, e.ID, far, RSVPInput{Status: "maybe"})
		if err != nil || r.State != RSVPTentative || r.Occurrence != far {
			t.Fatalf("far occurrence: %+v, %v", r, err)
		}
		// A date that is not an occurrence (a Wednesday) is not found.
		_, err = SetRSVP(w.ctx, d, w.alex, e.ID, "2026-12-09", RSVPInput{Status: "yes"})
		wantNotFound(t, err, "a date without occurrence")
		_, err = SetRSVP(w.ctx, d, w.alex, e.ID, "not-a-date", RSVPInput{Status: "yes"})
		wantNotFound(t, err, "a malformed occurrence")
		_, err = SetRSVP(w.ctx, d, w.alex, "no-such-event", o.ID, RSVPInput{Status: "yes"})
		wantNotFound(t, err, "an unknown event")
	})
}

// TestRSVPClosed: after RSVPs close, and on a cancelled occurrence or
// event, answers are refused with a clear message and nothing changes.
func TestRSVPClosed(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		rsClock(t, rsNow)
		w := rsNewWorld(t, d)
		closeMin := 120
		in := rsDinner(10)
		in.Start, in.RSVPCloseMinutes = "2026-12-01T13:30", &closeMin // RSVPs close at 11:30, now is 12:00
		e, o := w.event(t, in)
		_, err := SetRSVP(w.ctx, d, w.alex, e.ID, o.ID, RSVPInput{Status: "yes", Adults: 1})
		wantField(t, err, "status", "RSVPs closed at 11:30 AM on Tue 1 Dec 2026")

		// Just before the close it was open.
		rsClock(t, rsNow.Add(-31*time.Minute))
		if r := w.rsvp(t, w.alex, e, o, "yes", 1, 0); r.State != RSVPConfirmed {
			t.Fatalf("before close: %s", r.State)
		}
		rsClock(t, rsNow)
		_, err = SetRSVP(w.ctx, d, w.alex, e.ID, o.ID, RSVPInput{Status: "no"})
		wantField(t, err, "status", "RSVPs closed")
		if r := w.state(t, w.alex, e, o); r.State != RSVPConfirmed {
			t.Fatalf("closed answer changed the RSVP: %s", r.State)
		}
		// Cancelling is still possible until the start.
		if err := CancelRSVP(w.ctx, d, w.alex, e.ID, o.ID); err != nil {
			t.Fatal(err)
		}
		if got := w.confirmedPeople(t, e, o); got != 0 {
			t.Fatalf("confirmed people %d", got)
		}

		// A cancelled occurrence of a series.
		weekly, _ := w.event(t, Input{Kind: WeeklyMeeting, Title: "Tuesday Alumni Meeting", Start: "2026-12-08T18:30",
			DurationMinutes: 90, RRule: "FREQ=WEEKLY;BYDAY=TU", Audience: Alumni})
		if err := CancelOccurrence(w.ctx, d, w.coord, weekly.ID, "2026-12-15", ""); err != nil {
			t.Fatal(err)
		}
		_, err = SetRSVP(w.ctx, d, w.alex, weekly.ID, "2026-12-15", RSVPInput{Status: "yes"})
		wantField(t, err, "status", "cancelled")
		if r := w.rsvp(t, w.alex, weekly, &Occurrence{ID: "2026-12-22"}, "yes", 1, 0); r.State != RSVPConfirmed {
			t.Fatalf("next week: %s", r.State)
		}
		// A cancelled event.
		if err := Delete(w.ctx, d, w.coord, weekly.ID); err != nil {
			t.Fatal(err)
		}
		_, err = SetRSVP(w.ctx, d, w.bo, weekly.ID, "2026-12-22", RSVPInput{Status: "yes"})
		wantField(t, err, "status", "cancelled")

		// An occurrence that has started can't be cancelled any more.
		started := rsDinner(0)
		started.Start = "2026-12-01T11:30"
		rsClock(t, rsNow.Add(-time.Hour)) // 11:00
		s, so := w.event(t, started)
		w.rsvp(t, w.bo, s, so, "yes", 1, 0)
		rsClock(t, rsNow)
		wantField(t, CancelRSVP(w.ctx, d, w.bo, s.ID, so.ID), "status", "already started")
	})
}

// TestRSVPChanges: changing an answer moves places the documented way.
func TestRSVPChanges(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		rsClock(t, rsNow)
		w := rsNewWorld(t, d)
		e, o := w.event(t, rsDinner(6))
		w.rsvp(t, w.alex, e, o, "yes", 2, 1) // 3
		w.rsvp(t, w.bo, e, o, "yes", 1, 1)   // 2, 1 place left
		if r := w.rsvp(t, w.pat, e, o, "yes", 2, 0); r.State != RSVPWaitlisted {
			t.Fatalf("pat: %s", r.State)
		}
		// Bo brings one more: it fits.
		if r := w.rsvp(t, w.bo, e, o, "yes", 2, 1); r.State != RSVPConfirmed || r.People() != 3 {
			t.Fatalf("bo: %+v", r)
		}
		// Alex wants two more: only 0 left, nothing changes.
		_, err := SetRSVP(w.ctx, d, w.alex, e.ID, o.ID, RSVPInput{Status: "yes", Adults: 3, Children: 2})
		wantField(t, err, "adults", "Only 0 more places are left, so your RSVP stays at 3 people")
		_, err = SetRSVP(w.ctx, d, w.alex, e.ID, o.ID, RSVPInput{Status: "yes", Adults: 2, Children: 2})
		wantField(t, err, "children", "stays at 3 people")
		if r := w.state(t, w.alex, e, o); r.People() != 3 || r.State != RSVPConfirmed {
			t.Fatalf("alex after refused change: %+v", r)
		}
		// Alex comes alone: two places free, Pat's party of two is promoted.
		if r := w.rsvp(t, w.alex, e, o, "yes", 1, 0); r.State != RSVPConfirmed {
			t.Fatalf("alex: %s", r.State)
		}
		if r := w.state(t, w.pat, e, o); r.State != RSVPConfirmed {
			t.Fatalf("pat: %s", r.State)
		}
		if got := w.confirmedPeople(t, e, o); got != 6 {
			t.Fatalf("confirmed people %d, want 6", got)
		}
		// Alex says maybe: the place is freed and nobody waits.
		if r := w.rsvp(t, w.alex, e, o, "maybe", 1, 0); r.State != RSVPTentative || r.Position != 0 {
			t.Fatalf("alex maybe: %+v", r)
		}
		if got := w.confirmedPeople(t, e, o); got != 5 {
			t.Fatalf("confirmed people %d, want 5", got)
		}
		// Maybe → yes is a new yes: one place, it fits.
		if r := w.rsvp(t, w.alex, e, o, "yes", 1, 0); r.State != RSVPConfirmed {
			t.Fatalf("alex yes again: %s", r.State)
		}
		// Family member joins: full, waitlisted; then says no and leaves the line.
		if r := w.rsvp(t, w.family, e, o, "yes", 1, 0); r.State != RSVPWaitlisted || r.Position != 1 {
			t.Fatalf("family: %+v", r)
		}
		if r := w.rsvp(t, w.family, e, o, "no", 0, 0); r.State != RSVPDeclined || r.Position != 0 || r.People() != 1 {
			t.Fatalf("family no: %+v", r)
		}
		if got := w.confirmedPeople(t, e, o); got != 6 {
			t.Fatalf("confirmed people %d, want 6", got)
		}
	})
}
