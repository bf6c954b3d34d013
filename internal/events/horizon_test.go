package events

import (
	"errors"
	"testing"
	"time"

	"github.com/cairn-recovery/cairn/internal/db"
	"github.com/cairn-recovery/cairn/internal/members"
	"github.com/cairn-recovery/cairn/internal/testkit"
)

// TestExtendHorizons: three months later the daily job adds the weeks that
// came into the 24-month horizon, once; series with an end, one-off and
// cancelled events are left alone.
func TestExtendHorizons(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		w := newCoreWorld(t, d, "America/Chicago")
		open := w.create(t, weekly())
		bounded := weekly()
		bounded.RRule = "FREQ=WEEKLY;BYDAY=TU;COUNT=5"
		b := w.create(t, bounded)
		gone := w.create(t, weekly())
		if err := Delete(w.ctx, d, w.coord, gone.ID); err != nil {
			t.Fatal(err)
		}
		before := w.count(t, `SELECT COUNT(*) FROM event_occurrences WHERE event_id = ?`, open.ID)
		if n, err := ExtendHorizons(w.ctx, d); err != nil || n != 0 {
			t.Errorf("nothing to do: added %d (%v)", n, err)
		}
		setCoreClock(t, time.Date(2027, 3, 1, 9, 0, 0, 0, w.loc))
		n, err := ExtendHorizons(w.ctx, d)
		if err != nil {
			t.Fatal(err)
		}
		// 1 Dec 2028 to 1 Mar 2029: 13 Tuesdays.
		if n != 13 {
			t.Errorf("added %d, want 13", n)
		}
		if got := w.count(t, `SELECT COUNT(*) FROM event_occurrences WHERE event_id = ?`, open.ID); got != before+13 {
			t.Errorf("%d rows, want %d", got, before+13)
		}
		if mu, _ := materializedUntil(w.ctx, d, open.ID); mu != members.MustDate("2029-03-01") {
			t.Errorf("materialized until %s", mu)
		}
		if got := w.count(t, `SELECT COUNT(*) FROM event_occurrences WHERE event_id = ?`, b.ID); got != 5 {
			t.Errorf("COUNT=5 series has %d rows", got)
		}
		if n, err := ExtendHorizons(w.ctx, d); err != nil || n != 0 {
			t.Errorf("second run added %d (%v)", n, err)
		}
	})
}

// TestBadTimeZone: a program whose zone cannot be loaded gives a clear
// error on "time_zone" instead of a panic, and nothing is created.
func TestBadTimeZone(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		w := newCoreWorld(t, d, "America/Chicago")
		if _, err := d.Exec(w.ctx, `UPDATE programs SET timezone = 'Mars/Olympus_Mons' WHERE id = ?`, w.prog); err != nil {
			t.Fatal(err)
		}
		var v members.ValidationError
		if _, err := Create(w.ctx, d, w.coord, weekly()); !errors.As(err, &v) || v.For("time_zone") == "" {
			t.Errorf("create: %v", err)
		}
		if n := w.count(t, `SELECT COUNT(*) FROM events`); n != 0 {
			t.Errorf("%d events stored", n)
		}
		if _, err := ExtendHorizons(w.ctx, d); err == nil {
			t.Error("the job hid the broken zone")
		}
	})
}

// TestHostMustBelong: the host is a staff member or an alumnus of the
// program.
func TestHostMustBelong(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		w := newCoreWorld(t, d, "America/Chicago")
		for name, host := range map[string]string{"family": w.family.UserID, "other program": w.alien.UserID, "unknown": "nobody"} {
			in := weekly()
			in.HostID = host
			var v members.ValidationError
			if _, err := Create(w.ctx, d, w.coord, in); !errors.As(err, &v) || v.For("host_id") == "" {
				t.Errorf("%s as host: %v", name, err)
			}
		}
		for _, host := range []string{w.alex.UserID, w.coach.UserID} {
			in := weekly()
			in.HostID = host
			if e, err := Create(w.ctx, d, w.coord, in); err != nil || e.HostID != host {
				t.Errorf("host %s: %v", host, err)
			}
		}
	})
}

// TestSettings: defaults without a row; saved offsets come back longest
// first; bad values are refused; members cannot change them; the default
// RSVP close applies to events created after.
func TestSettings(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		w := newCoreWorld(t, d, "America/Chicago")
		s, err := GetSettings(w.ctx, d, w.prog)
		if err != nil || len(s.ReminderOffsets) != 2 || s.ReminderOffsets[0] != 24*time.Hour || s.ReminderOffsets[1] != 2*time.Hour || s.RSVPClose != 0 {
			t.Errorf("defaults: %+v %v", s, err)
		}
		want := Settings{ReminderOffsets: []time.Duration{time.Hour, 48 * time.Hour}, RSVPClose: 3 * time.Hour}
		if err := SaveSettings(w.ctx, d, w.alex, w.prog, want); !errors.Is(err, db.ErrNotFound) {
			t.Errorf("alumnus saves: %v", err)
		}
		if err := SaveSettings(w.ctx, d, w.coord, w.prog, want); err != nil {
			t.Fatal(err)
		}
		s, _ = GetSettings(w.ctx, d, w.prog)
		if len(s.ReminderOffsets) != 2 || s.ReminderOffsets[0] != 48*time.Hour || s.ReminderOffsets[1] != time.Hour || s.RSVPClose != 3*time.Hour {
			t.Errorf("saved: %+v", s)
		}
		for _, bad := range []Settings{
			{ReminderOffsets: []time.Duration{-time.Hour}},
			{ReminderOffsets: []time.Duration{time.Hour, time.Hour}},
			{ReminderOffsets: []time.Duration{30 * 24 * time.Hour}},
			{ReminderOffsets: []time.Duration{1, 2, 3, 4, 5, 6}},
			{RSVPClose: -time.Minute},
		} {
			var v members.ValidationError
			if err := SaveSettings(w.ctx, d, w.coord, w.prog, bad); !errors.As(err, &v) {
				t.Errorf("%+v: %v", bad, err)
			}
		}
		e := w.create(t, weekly())
		if e.RSVPClose != 3*time.Hour {
			t.Errorf("event RSVP close %s, want the program default", e.RSVPClose)
		}
		_, o, _ := GetOccurrence(w.ctx, d, w.alex, e.ID, "2026-12-08")
		if !e.RSVPClosesAt(o).Equal(o.Start.Add(-3 * time.Hour)) {
			t.Errorf("closes at %s", e.RSVPClosesAt(o))
		}
	})
}
