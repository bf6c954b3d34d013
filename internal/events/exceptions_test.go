package events

import (
	"errors"
	"testing"
	"time"

	"github.com/cairn-recovery/cairn/internal/db"
	"github.com/cairn-recovery/cairn/internal/members"
	"github.com/cairn-recovery/cairn/internal/testkit"
)

// TestCancelOccurrence: one occurrence is cancelled, marked and its
// SEQUENCE bumped; the people who answered yes or maybe are told at once,
// those who said no are not; the others of the series are untouched; a
// second cancel does nothing; members cannot cancel.
func TestCancelOccurrence(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		w := newCoreWorld(t, d, "America/Chicago")
		e := w.create(t, weekly())
		w.rsvp(t, w.alex, e.ID, "2026-12-08", "yes", "confirmed", 1)
		w.rsvp(t, w.bo, e.ID, "2026-12-08", "maybe", "tentative", 1)
		w.rsvp(t, w.coach, e.ID, "2026-12-08", "no", "declined", 1)
		if err := CancelOccurrence(w.ctx, d, w.alex, e.ID, "2026-12-08", ""); !errors.Is(err, db.ErrNotFound) {
			t.Errorf("alumnus cancels: %v, want not found", err)
		}
		if err := CancelOccurrence(w.ctx, d, w.coord, e.ID, "2026-12-08", "Snow storm"); err != nil {
			t.Fatal(err)
		}
		_, o, err := GetOccurrence(w.ctx, d, w.alex, e.ID, "2026-12-08")
		if err != nil || !o.Cancelled || o.Note != "Snow storm" || o.Sequence != 1 {
			t.Errorf("cancelled occurrence: %+v %v", o, err)
		}
		_, next, _ := GetOccurrence(w.ctx, d, w.alex, e.ID, "2026-12-15")
		if next.Cancelled || next.Sequence != 0 {
			t.Errorf("the next week changed: %+v", next)
		}
		if got := w.notices(t, w.alex) + w.notices(t, w.bo); got != 2 {
			t.Errorf("yes and maybe got %d notices, want 2", got)
		}
		if w.notices(t, w.coach) != 0 {
			t.Error("a 'no' was notified")
		}
		var title, link string
		if err := d.QueryRow(w.ctx, `SELECT title, link FROM notifications WHERE user_id = ?`, w.alex.UserID).Scan(&title, &link); err != nil {
			t.Fatal(err)
		}
		if title != "Cancelled: Tuesday Alumni Meeting" || link != "/events/"+e.ID+"/2026-12-08" {
			t.Errorf("notice %q → %s", title, link)
		}
		if err := CancelOccurrence(w.ctx, d, w.coord, e.ID, "2026-12-08", "again"); err != nil || w.notices(t, w.alex) != 1 {
			t.Errorf("second cancel: %v, %d notices", err, w.notices(t, w.alex))
		}
		if e2, _ := Get(w.ctx, d, w.coord, e.ID); e2.Sequence != 1 {
			t.Errorf("event sequence %d, want 1", e2.Sequence)
		}
		if err := CancelOccurrence(w.ctx, d, w.coord, e.ID, "2026-12-09", ""); !errors.Is(err, db.ErrNotFound) {
			t.Errorf("a date off the rule: %v", err)
		}
		// Occurrences that have started cannot be cancelled.
		setCoreClock(t, time.Date(2026, 12, 15, 18, 45, 0, 0, w.loc))
		var v members.ValidationError
		if err := CancelOccurrence(w.ctx, d, w.coord, e.ID, "2026-12-15", ""); !errors.As(err, &v) || v.For("occurrence") == "" {
			t.Errorf("started: %v", err)
		}
		if w.count(t, `SELECT COUNT(*) FROM audit_log WHERE action = 'events.cancel_occurrence' AND subject_id = ?`, e.ID) != 1 {
			t.Error("cancel not audited once")
		}
	})
}

// TestMoveOccurrence: one occurrence moves to another time and place; it
// keeps its id and RSVPs, is marked moved, and the people who answered
// yes are told the new time; bad moves change nothing.
func TestMoveOccurrence(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		w := newCoreWorld(t, d, "America/Chicago")
		e := w.create(t, weekly())
		w.rsvp(t, w.alex, e.ID, "2026-12-22", "yes", "confirmed", 1)
		m := Move{Start: "2026-12-23T19:00", DurationMinutes: 60, LocationName: "Community Center", Note: "Holiday week"}
		if err := MoveOccurrence(w.ctx, d, w.coord, e.ID, "2026-12-22", m); err != nil {
			t.Fatal(err)
		}
		_, o, err := GetOccurrence(w.ctx, d, w.alex, e.ID, "2026-12-22")
		if err != nil {
			t.Fatal(err)
		}
		want := time.Date(2026, 12, 23, 19, 0, 0, 0, w.loc)
		if !o.Moved || !o.Start.Equal(want) || !o.End.Equal(want.Add(time.Hour)) || o.LocationName != "Community Center" || o.Sequence != 1 {
			t.Errorf("moved occurrence: %+v", o)
		}
		if w.count(t, `SELECT COUNT(*) FROM event_rsvps WHERE event_id = ? AND occurrence = '2026-12-22'`, e.ID) != 1 {
			t.Error("the RSVP was lost")
		}
		var body string
		if err := d.QueryRow(w.ctx, `SELECT body FROM notifications WHERE user_id = ?`, w.alex.UserID).Scan(&body); err != nil {
			t.Fatalf("no notice: %v", err)
		}
		if body != "Tuesday Alumni Meeting on Tue, Dec 22 is now at Wed, Dec 23 at 7:00 PM, Community Center.\n\nHoliday week" {
			t.Errorf("notice body %q", body)
		}
		bad := []struct {
			m     Move
			field string
		}{
			{Move{Start: "2026-13-01T10:00"}, "start"},
			{Move{Start: "2026-11-01T10:00"}, "start"},
			{Move{Start: "2026-12-29T10:00", DurationMinutes: 2000}, "duration_minutes"},
			{Move{Start: "2026-12-29T10:00", LocationName: "a\nb"}, "location_name"},
		}
		for _, b := range bad {
			var v members.ValidationError
			if err := MoveOccurrence(w.ctx, d, w.coord, e.ID, "2026-12-29", b.m); !errors.As(err, &v) || v.For(b.field) == "" {
				t.Errorf("move %+v: %v, want an error on %s", b.m, err, b.field)
			}
		}
		if _, o, _ := GetOccurrence(w.ctx, d, w.alex, e.ID, "2026-12-29"); o.Moved || o.Sequence != 0 {
			t.Errorf("a refused move changed the occurrence: %+v", o)
		}
		if err := MoveOccurrence(w.ctx, d, w.coach, e.ID, "2026-12-29", Move{Start: "2026-12-30T10:00"}); !errors.Is(err, db.ErrNotFound) {
			t.Errorf("coach moves: %v, want not found", err)
		}
	})
}

// TestDeleteCancelsEvent: deleting cancels the event and every upcoming
// occurrence, keeps past ones as they were, and tells each person who
// answered yes or maybe once.
func TestDeleteCancelsEvent(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		w := newCoreWorld(t, d, "America/Chicago")
		e := w.create(t, weekly())
		w.rsvp(t, w.alex, e.ID, "2026-12-01", "yes", "confirmed", 1)
		w.rsvp(t, w.alex, e.ID, "2026-12-15", "yes", "confirmed", 1)
		w.rsvp(t, w.bo, e.ID, "2026-12-22", "maybe", "tentative", 1)
		setCoreClock(t, time.Date(2026, 12, 10, 12, 0, 0, 0, w.loc))
		if err := Delete(w.ctx, d, w.coord, e.ID); err != nil {
			t.Fatal(err)
		}
		got, err := Get(w.ctx, d, w.alex, e.ID)
		if err != nil || !got.Cancelled() || got.Sequence != 1 {
			t.Fatalf("deleted event: %+v %v", got, err)
		}
		if n := w.count(t, `SELECT COUNT(*) FROM event_occurrences WHERE event_id = ? AND cancelled = ?`, e.ID, false); n != 2 {
			t.Errorf("%d occurrences not cancelled, want the 2 past ones", n)
		}
		if w.notices(t, w.alex) != 1 || w.notices(t, w.bo) != 1 {
			t.Errorf("notices: alex %d, bo %d; want 1 each", w.notices(t, w.alex), w.notices(t, w.bo))
		}
		if err := Delete(w.ctx, d, w.coord, e.ID); err != nil || w.notices(t, w.alex) != 1 {
			t.Errorf("second delete: %v", err)
		}
		var v members.ValidationError
		if _, err := Update(w.ctx, d, w.coord, e.ID, weekly()); !errors.As(err, &v) || v.For("event") == "" {
			t.Errorf("update of a cancelled event: %v", err)
		}
	})
}
