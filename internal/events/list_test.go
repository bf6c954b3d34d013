package events

import (
	"errors"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/db"
	"github.com/cairn-recovery/cairn/internal/testkit"
)

// TestListByAudience: each role lists the occurrences of the events meant
// for it (staff all; alumni alumni, alumni and family, public; family
// alumni and family, public), other programs and visitors none, with
// their own RSVP state and cancelled occurrences marked.
func TestListByAudience(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		w := newCoreWorld(t, d, "America/Chicago")
		one := func(title string, aud Audience, start string) *Event {
			return w.create(t, Input{Kind: Activity, Title: title, Start: start, DurationMinutes: 60, Audience: aud})
		}
		al := one("Alumni hike", Alumni, "2026-12-02T10:00")
		fam := one("Family picnic", AlumniFamily, "2026-12-03T10:00")
		one("Staff meeting", StaffOnly, "2026-12-04T10:00")
		one("Open meeting", Public, "2026-12-05T10:00")
		one("Next year", Public, "2027-02-05T10:00")
		w.rsvp(t, w.alex, al.ID, "2026-12-02", "yes", "confirmed", 1)
		if err := CancelOccurrence(w.ctx, d, w.coord, fam.ID, "2026-12-03", "Rain"); err != nil {
			t.Fatal(err)
		}
		from := time.Date(2026, 12, 1, 0, 0, 0, 0, w.loc)
		to := time.Date(2027, 1, 1, 0, 0, 0, 0, w.loc)
		titles := func(a access.Actor) string {
			t.Helper()
			got, err := List(w.ctx, d, a, from, to, 0)
			if err != nil {
				t.Fatal(err)
			}
			var out []string
			for _, l := range got {
				s := l.Event.Title
				if l.Occurrence.Cancelled {
					s += " (cancelled)"
				}
				if l.MyState != "" {
					s += " [" + l.MyState + "]"
				}
				out = append(out, s)
			}
			return strings.Join(out, ", ")
		}
		cases := map[string]struct {
			a    access.Actor
			want string
		}{
			"coordinator": {w.coord, "Alumni hike, Family picnic (cancelled), Staff meeting, Open meeting"},
			"coach":       {w.coach, "Alumni hike, Family picnic (cancelled), Staff meeting, Open meeting"},
			"alumnus":     {w.alex, "Alumni hike [confirmed], Family picnic (cancelled), Open meeting"},
			"other alum":  {w.bo, "Alumni hike, Family picnic (cancelled), Open meeting"},
			"family":      {w.family, "Family picnic (cancelled), Open meeting"},
			"other prog":  {w.alien, ""},
		}
		names := make([]string, 0, len(cases))
		for n := range cases {
			names = append(names, n)
		}
		sort.Strings(names)
		for _, n := range names {
			if got := titles(cases[n].a); got != cases[n].want {
				t.Errorf("%s lists %q, want %q", n, got, cases[n].want)
			}
		}
		if _, err := List(w.ctx, d, access.Actor{}, from, to, 0); !errors.Is(err, db.ErrNotFound) {
			t.Errorf("visitor: %v, want not found", err)
		}
		got, err := List(w.ctx, d, w.coord, from, to, 2)
		if err != nil || len(got) != 2 || got[0].Event.Title != "Alumni hike" {
			t.Errorf("limit 2: %d (%v)", len(got), err)
		}
	})
}

// TestListRecurringAndBeyondHorizon: a weekly series lists one occurrence
// a week, in order, and a window past the horizon is materialized.
func TestListRecurringAndBeyondHorizon(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		w := newCoreWorld(t, d, "America/Chicago")
		e := w.create(t, weekly())
		got, err := List(w.ctx, d, w.alex, time.Date(2026, 12, 1, 0, 0, 0, 0, w.loc), time.Date(2027, 1, 1, 0, 0, 0, 0, w.loc), 0)
		if err != nil {
			t.Fatal(err)
		}
		var occ []string
		for _, l := range got {
			occ = append(occ, l.Occurrence.ID)
		}
		if strings.Join(occ, " ") != "2026-12-01 2026-12-08 2026-12-15 2026-12-22 2026-12-29" {
			t.Errorf("December: %v", occ)
		}
		far, err := List(w.ctx, d, w.alex, time.Date(2029, 3, 1, 0, 0, 0, 0, w.loc), time.Date(2029, 3, 15, 0, 0, 0, 0, w.loc), 0)
		if err != nil || len(far) != 2 || far[0].Occurrence.ID != "2029-03-06" {
			t.Errorf("March 2029: %d (%v)", len(far), err)
		}
		os, err := Occurrences(w.ctx, d, w.alex, e.ID, time.Date(2027, 3, 1, 0, 0, 0, 0, w.loc), time.Date(2027, 3, 20, 0, 0, 0, 0, w.loc))
		if err != nil || len(os) != 3 {
			t.Fatalf("Occurrences: %d (%v)", len(os), err)
		}
		// Across the change to daylight time on 14 March 2027, 18:30 stays
		// 18:30 in Chicago.
		for _, o := range os {
			if l := o.Start.In(w.loc); l.Hour() != 18 || l.Minute() != 30 {
				t.Errorf("%s starts %s", o.ID, l)
			}
		}
		if os[1].Start.UTC().Hour() != 0 || os[2].Start.UTC().Hour() != 23 {
			t.Errorf("UTC hours %d and %d, want 0 (CST) and 23 (CDT)", os[1].Start.UTC().Hour(), os[2].Start.UTC().Hour())
		}
		if _, err := Occurrences(w.ctx, d, w.family, e.ID, time.Now(), time.Now().Add(time.Hour)); !errors.Is(err, db.ErrNotFound) {
			t.Errorf("family: %v, want not found", err)
		}
	})
}

// TestListWaitlistPlaces: the list and my events carry each person's own
// place on a waitlist (1 = next), as MyRSVP tells it, and 0 when not waitlisted; the
// places move up when someone ahead leaves the waitlist.
func TestListWaitlistPlaces(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		rsClock(t, rsNow)
		w := rsNewWorld(t, d)
		e, o := w.event(t, rsDinner(1))
		w.rsvp(t, w.alex, e, o, "yes", 1, 0)
		w.rsvp(t, w.bo, e, o, "yes", 1, 0)
		w.rsvp(t, w.pat, e, o, "yes", 1, 0)
		from, to := o.Start.Add(-time.Hour), o.Start.Add(time.Hour)
		place := func(a access.Actor) (string, int) {
			t.Helper()
			got, err := List(w.ctx, d, a, from, to, 0)
			if err != nil || len(got) != 1 {
				t.Fatalf("list: %d, %v", len(got), err)
			}
			if mine, err := MyRSVP(w.ctx, d, a, e.ID, o.ID); err != nil || mine.Position != got[0].MyPosition {
				t.Fatalf("MyRSVP says place %+v (%v), the list %d", mine, err, got[0].MyPosition)
			}
			if mine, err := MyEvents(w.ctx, d, a, from, 0); err != nil || len(mine) == 1 && mine[0].MyPosition != got[0].MyPosition {
				t.Fatalf("my events say %+v (%v), the list %d", mine, err, got[0].MyPosition)
			}
			return got[0].MyState, got[0].MyPosition
		}
		for _, c := range []struct {
			who   access.Actor
			state string
			pos   int
		}{{w.alex, RSVPConfirmed, 0}, {w.bo, RSVPWaitlisted, 1}, {w.pat, RSVPWaitlisted, 2}} {
			if state, pos := place(c.who); state != c.state || pos != c.pos {
				t.Errorf("%s: %s #%d, want %s #%d", c.who.UserID, state, pos, c.state, c.pos)
			}
		}
		w.rsvp(t, w.bo, e, o, "no", 1, 0)
		if state, pos := place(w.pat); state != RSVPWaitlisted || pos != 1 {
			t.Errorf("after the one ahead left: %s #%d, want waitlisted #1", state, pos)
		}
	})
}
