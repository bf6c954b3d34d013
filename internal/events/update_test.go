package events

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/cairn-recovery/cairn/internal/db"
	"github.com/cairn-recovery/cairn/internal/members"
	"github.com/cairn-recovery/cairn/internal/testkit"
)

// occurrenceTimes lists an event's occurrences as "date@local start",
// "!" marking cancelled ones.
func (w *coreWorld) occurrenceTimes(t *testing.T, eventID, from, to string) string {
	t.Helper()
	rows, err := w.d.Query(w.ctx, `SELECT occurrence, starts_at, cancelled FROM event_occurrences
		WHERE event_id = ? AND occurrence >= ? AND occurrence <= ? ORDER BY occurrence`, eventID, from, to)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var occ string
		var at time.Time
		var cancelled bool
		if err := rows.Scan(&occ, &at, &cancelled); err != nil {
			t.Fatal(err)
		}
		s := occ + "@" + at.In(w.loc).Format("Mon 15:04")
		if cancelled {
			s += "!"
		}
		out = append(out, s)
	}
	return strings.Join(out, " ")
}

// TestUpdateAllFuture: changing the whole series on 10 December moves
// every upcoming occurrence to the new time and day, leaves the past
// (with its attendance) untouched, drops the RSVPs of dates no longer in
// the rule with a notice, and tells the people whose date moved.
func TestUpdateAllFuture(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		w := newCoreWorld(t, d, "America/Chicago")
		e := w.create(t, weekly())
		w.rsvp(t, w.alex, e.ID, "2026-12-08", "yes", "confirmed", 1)
		if _, err := d.Exec(w.ctx, `INSERT INTO event_attendance (id, event_id, occurrence, program_id, user_id, method, checked_in_at)
			VALUES ('att1', ?, '2026-12-08', ?, ?, 'staff', ?)`, e.ID, w.prog, w.alex.UserID, time.Now().UTC()); err != nil {
			t.Fatal(err)
		}
		w.rsvp(t, w.alex, e.ID, "2026-12-15", "yes", "confirmed", 1)
		w.rsvp(t, w.bo, e.ID, "2026-12-22", "maybe", "tentative", 1)
		setCoreClock(t, time.Date(2026, 12, 10, 12, 0, 0, 0, w.loc))

		// Same days, new time and room: ids and RSVPs stay.
		in := weekly()
		in.Start, in.LocationName = "2026-12-01T19:00", "Room B"
		e2, err := Update(w.ctx, d, w.coord, e.ID, in)
		if err != nil {
			t.Fatal(err)
		}
		if got := w.occurrenceTimes(t, e.ID, "2026-12-01", "2026-12-22"); got != "2026-12-01@Tue 18:30 2026-12-08@Tue 18:30 2026-12-15@Tue 19:00 2026-12-22@Tue 19:00" {
			t.Errorf("after a new time: %s", got)
		}
		if e2.Sequence != 1 || e2.LocationName != "Room B" || e2.Start.String() != "2026-12-01T19:00" {
			t.Errorf("event: seq %d, place %q, start %s", e2.Sequence, e2.LocationName, e2.Start)
		}
		if w.notices(t, w.alex) != 1 || w.notices(t, w.bo) != 1 {
			t.Errorf("notices: alex %d, bo %d; want 1 each", w.notices(t, w.alex), w.notices(t, w.bo))
		}
		// Tuesdays become Wednesdays: the upcoming Tuesdays go with their
		// RSVPs; the past stays.
		in.RRule = "FREQ=WEEKLY;BYDAY=WE"
		if _, err := Update(w.ctx, d, w.coord, e.ID, in); err != nil {
			t.Fatal(err)
		}
		if got := w.occurrenceTimes(t, e.ID, "2026-12-01", "2026-12-24"); got != "2026-12-01@Tue 18:30 2026-12-08@Tue 18:30 2026-12-16@Wed 19:00 2026-12-23@Wed 19:00" {
			t.Errorf("after new days: %s", got)
		}
		if n := w.count(t, `SELECT COUNT(*) FROM event_rsvps WHERE event_id = ?`, e.ID); n != 1 {
			t.Errorf("%d RSVPs left, want the past one", n)
		}
		if n := w.count(t, `SELECT COUNT(*) FROM event_attendance WHERE event_id = ?`, e.ID); n != 1 {
			t.Error("past attendance was lost")
		}
		if w.notices(t, w.alex) != 2 || w.notices(t, w.bo) != 2 {
			t.Errorf("removal notices: alex %d, bo %d; want 2 each", w.notices(t, w.alex), w.notices(t, w.bo))
		}
		var title, link string
		if err := d.QueryRow(w.ctx, `SELECT title, link FROM notifications WHERE user_id = ? ORDER BY created_at DESC, id DESC LIMIT 1`,
			w.bo.UserID).Scan(&title, &link); err != nil {
			t.Fatal(err)
		}
		if title != "Schedule changed: Tuesday Alumni Meeting" || link != "/events/"+e.ID+"/2026-12-16" {
			t.Errorf("removal notice %q → %s", title, link)
		}
		if w.count(t, `SELECT COUNT(*) FROM audit_log WHERE action = 'events.update' AND subject_id = ?`, e.ID) != 2 {
			t.Error("updates not audited")
		}
	})
}

// TestUpdateCapacityBelowConfirmed: a capacity below the people confirmed
// for an upcoming occurrence is refused on "capacity" and nothing changes;
// a past occurrence's count does not matter.
func TestUpdateCapacityBelowConfirmed(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		w := newCoreWorld(t, d, "America/Chicago")
		e := w.create(t, weekly())
		if _, err := d.Exec(w.ctx, `UPDATE event_occurrences SET confirmed_people = 12 WHERE event_id = ? AND occurrence = '2026-12-15'`, e.ID); err != nil {
			t.Fatal(err)
		}
		in := weekly()
		in.Capacity, in.Start = 10, "2026-12-01T20:00"
		var v members.ValidationError
		if _, err := Update(w.ctx, d, w.coord, e.ID, in); !errors.As(err, &v) || v.For("capacity") == "" {
			t.Fatalf("capacity 10 below 12: %v", err)
		}
		got, _ := Get(w.ctx, d, w.coord, e.ID)
		if got.Capacity != 40 || got.Sequence != 0 || got.Start.Hour != 18 {
			t.Errorf("the refused update changed the event: %+v", got)
		}
		if s := w.occurrenceTimes(t, e.ID, "2026-12-15", "2026-12-15"); s != "2026-12-15@Tue 18:30" {
			t.Errorf("occurrence changed: %s", s)
		}
		in.Capacity = 12
		if _, err := Update(w.ctx, d, w.coord, e.ID, in); err != nil {
			t.Errorf("capacity equal to the confirmed count: %v", err)
		}
		setCoreClock(t, time.Date(2026, 12, 20, 12, 0, 0, 0, w.loc))
		in.Capacity = 5
		if _, err := Update(w.ctx, d, w.coord, e.ID, in); err != nil {
			t.Errorf("once that occurrence is past: %v", err)
		}
	})
}

// TestUpdateFromSplitsSeries: "this and following" from 15 December ends
// the old part on the 14th (its past and its rule untouched before then),
// starts a new part in the same series; RSVPs of dates the new rule keeps
// follow them, the others are removed with a notice.
func TestUpdateFromSplitsSeries(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		w := newCoreWorld(t, d, "America/Chicago")
		e := w.create(t, weekly())
		w.rsvp(t, w.alex, e.ID, "2026-12-01", "yes", "confirmed", 1)
		w.rsvp(t, w.alex, e.ID, "2026-12-22", "yes", "confirmed", 2)
		w.rsvp(t, w.bo, e.ID, "2026-12-29", "yes", "confirmed", 1)
		if _, err := d.Exec(w.ctx, `UPDATE event_occurrences SET waitlist_next = 5, waitlist_left = 2
			WHERE event_id = ? AND occurrence = '2026-12-29'`, e.ID); err != nil {
			t.Fatal(err)
		}
		setCoreClock(t, time.Date(2026, 12, 10, 12, 0, 0, 0, w.loc))
		in := weekly()
		in.Start = "2026-12-15T19:00"
		in.RRule = "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU" // every other week: 15, 29 Dec…
		var v members.ValidationError
		bad := in
		bad.Start = "2026-12-08T19:00"
		if _, err := UpdateFrom(w.ctx, d, w.coord, e.ID, "2026-12-15", bad); !errors.As(err, &v) || v.For("start") == "" {
			t.Errorf("new start before the occurrence: %v", err)
		}
		if _, err := UpdateFrom(w.ctx, d, w.coord, e.ID, "2026-12-08", in); !errors.As(err, &v) || v.For("occurrence") == "" {
			t.Errorf("from a past occurrence: %v", err)
		}
		if _, err := UpdateFrom(w.ctx, d, w.alex, e.ID, "2026-12-15", in); !errors.Is(err, db.ErrNotFound) {
			t.Errorf("alumnus: %v", err)
		}
		n, err := UpdateFrom(w.ctx, d, w.coord, e.ID, "2026-12-15", in)
		if err != nil {
			t.Fatal(err)
		}
		if n.ID == e.ID || n.SeriesID != e.ID || n.FirstDate != members.MustDate("2026-12-15") {
			t.Errorf("new part: id %s series %s first %s", n.ID, n.SeriesID, n.FirstDate)
		}
		old, _ := Get(w.ctx, d, w.coord, e.ID)
		if old.LastDate != members.MustDate("2026-12-14") || old.Sequence != 1 || !strings.Contains(old.RRule, "UNTIL=") {
			t.Errorf("old part: last %s seq %d rule %s", old.LastDate, old.Sequence, old.RRule)
		}
		if got := w.occurrenceTimes(t, e.ID, "2026-01-01", "2030-01-01"); got != "2026-12-01@Tue 18:30 2026-12-08@Tue 18:30" {
			t.Errorf("old part keeps: %s", got)
		}
		if got := w.occurrenceTimes(t, n.ID, "2026-12-01", "2027-01-13"); got != "2026-12-15@Tue 19:00 2026-12-29@Tue 19:00 2027-01-12@Tue 19:00" {
			t.Errorf("new part: %s", got)
		}
		// Bo's RSVP for the 29th followed it, with its seat count; Alex's
		// for the 22nd went, with a notice.
		if w.count(t, `SELECT COUNT(*) FROM event_rsvps WHERE event_id = ? AND occurrence = '2026-12-29' AND user_id = ?`, n.ID, w.bo.UserID) != 1 {
			t.Error("the RSVP did not follow its date")
		}
		if w.count(t, `SELECT confirmed_people FROM event_occurrences WHERE event_id = ? AND occurrence = '2026-12-29'`, n.ID) != 1 {
			t.Error("the confirmed count did not follow")
		}
		if w.count(t, `SELECT waitlist_next * 10 + waitlist_left FROM event_occurrences WHERE event_id = ? AND occurrence = '2026-12-29'`, n.ID) != 52 {
			t.Error("the waitlist counters did not follow")
		}
		if w.count(t, `SELECT COUNT(*) FROM event_rsvps WHERE occurrence = '2026-12-22'`) != 0 {
			t.Error("the RSVP of a removed date is still there")
		}
		if w.count(t, `SELECT COUNT(*) FROM event_rsvps WHERE event_id = ? AND occurrence = '2026-12-01'`, e.ID) != 1 {
			t.Error("a past RSVP moved")
		}
		if w.notices(t, w.alex) != 1 || w.notices(t, w.bo) != 1 {
			t.Errorf("notices: alex %d (removed), bo %d (new time); want 1 each", w.notices(t, w.alex), w.notices(t, w.bo))
		}
		// A listing shows both parts in order.
		got, err := List(w.ctx, d, w.alex, time.Date(2026, 12, 1, 0, 0, 0, 0, w.loc), time.Date(2027, 1, 1, 0, 0, 0, 0, w.loc), 0)
		if err != nil || len(got) != 4 || got[2].Event.ID != n.ID {
			t.Errorf("list after the split: %d (%v)", len(got), err)
		}
		// From the first occurrence it is a plain update of the same event.
		fin := weekly()
		fin.Start = "2026-12-15T18:30"
		f := w.create(t, fin)
		same, err := UpdateFrom(w.ctx, d, w.coord, f.ID, "2026-12-15", in)
		if err != nil || same.ID != f.ID {
			t.Errorf("from the first upcoming occurrence: %v", err)
		}
	})
}

// TestUpdateUnchanged: saving an event's own Input changes no occurrence
// and tells nobody.
func TestUpdateUnchanged(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		w := newCoreWorld(t, d, "America/Chicago")
		in := weekly()
		in.Kind, in.WindowStart, in.WindowEnd = MilestoneDinner, "2026-12-01", "2026-12-31"
		e := w.create(t, in)
		w.rsvp(t, w.alex, e.ID, "2026-12-15", "yes", "confirmed", 1)
		before := w.occurrenceTimes(t, e.ID, "2026-12-01", "2027-12-31")
		e2, err := Update(w.ctx, d, w.coord, e.ID, e.Input())
		if err != nil {
			t.Fatal(err)
		}
		if got := w.occurrenceTimes(t, e.ID, "2026-12-01", "2027-12-31"); got != before {
			t.Errorf("occurrences changed:\n%s\n%s", before, got)
		}
		if w.notices(t, w.alex) != 0 {
			t.Error("an unchanged update notified")
		}
		if e2.Title != e.Title || e2.WindowEnd != e.WindowEnd || e2.Capacity != e.Capacity || e2.RRule != e.RRule {
			t.Errorf("fields changed: %+v", e2)
		}
	})
}

// TestUpdateOneOffToAnotherDay: a one-off dinner moved to another day keeps
// its occurrence (id and RSVPs) and tells the people who answered yes.
func TestUpdateOneOffToAnotherDay(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		w := newCoreWorld(t, d, "America/Chicago")
		in := Input{Kind: FamilyDinner, Title: "Winter dinner", Start: "2026-12-05T17:00", DurationMinutes: 120, Audience: AlumniFamily, Capacity: 30}
		e := w.create(t, in)
		w.rsvp(t, w.family, e.ID, "2026-12-05", "yes", "confirmed", 3)
		in.Start = "2026-12-12T18:00"
		e2, err := Update(w.ctx, d, w.coord, e.ID, in)
		if err != nil {
			t.Fatal(err)
		}
		if got := w.occurrenceTimes(t, e.ID, "2026-01-01", "2027-12-31"); got != "2026-12-05@Sat 18:00" {
			t.Errorf("occurrences: %s, want the same one on the 12th", got)
		}
		_, o, err := GetOccurrence(w.ctx, d, w.family, e.ID, "2026-12-05")
		if err != nil || !o.Start.Equal(time.Date(2026, 12, 12, 18, 0, 0, 0, w.loc)) || o.ConfirmedPeople != 3 {
			t.Errorf("occurrence %+v (%v)", o, err)
		}
		if e2.FirstDate != members.MustDate("2026-12-12") || w.notices(t, w.family) != 1 {
			t.Errorf("first date %s, %d notices", e2.FirstDate, w.notices(t, w.family))
		}
		if w.count(t, `SELECT COUNT(*) FROM event_rsvps WHERE event_id = ?`, e.ID) != 1 {
			t.Error("the RSVP was lost")
		}
	})
}
