package demo

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/db"
	"github.com/cairn-recovery/cairn/internal/events"
	"github.com/cairn-recovery/cairn/internal/testkit"
)

// demoActor returns the demo account email as an actor of programID.
func demoActor(t *testing.T, d *db.DB, programID, email string) access.Actor {
	t.Helper()
	var id, role string
	if err := d.QueryRow(context.Background(), `SELECT id, role FROM users WHERE email = ? AND program_id = ?`, email, programID).Scan(&id, &role); err != nil {
		t.Fatalf("%s: %v", email, err)
	}
	return access.Actor{UserID: id, ProgramID: programID, Role: access.Role(role)}
}

func TestSeedEvents(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		p, err := Seed(ctx, d, newService(d), "driftwood-demo-1")
		if err != nil {
			t.Fatal(err)
		}
		var n int
		if err := d.QueryRow(ctx, `SELECT COUNT(*) FROM events WHERE program_id = ?`, p.ID).Scan(&n); err != nil || n != 5 {
			t.Fatalf("%d demo events (%v), want 5", n, err)
		}
		if _, err := Seed(ctx, d, newService(d), "driftwood-demo-1"); err != nil {
			t.Fatal(err)
		}
		if err := d.QueryRow(ctx, `SELECT COUNT(*) FROM events WHERE program_id = ?`, p.ID).Scan(&n); err != nil || n != 5 {
			t.Fatalf("%d demo events after a second seed (%v), want 5", n, err)
		}
		alex := demoActor(t, d, p.ID, "alex@demo.cairn.test")
		coord := demoActor(t, d, p.ID, "coordinator@demo.cairn.test")

		// Alex sees the weekly meeting, the family dinner (his RSVP with
		// two guests, confirmed), the milestone dinner, the hike and the
		// cooking class in the coming weeks.
		now := time.Now()
		list, err := events.List(ctx, d, alex, now, now.AddDate(0, 0, 45), 0)
		if err != nil {
			t.Fatal(err)
		}
		seen := map[string]bool{}
		var dinner *events.Listed
		for i, l := range list {
			seen[l.Event.Title] = true
			if l.Event.Title == FamilyDinnerTitle && l.MyState != "" && dinner == nil {
				dinner = &list[i]
			}
		}
		for _, title := range []string{MeetingTitle, FamilyDinnerTitle, MilestoneDinnerTitle, HikeTitle, CookingTitle} {
			if !seen[title] {
				t.Errorf("alex does not see %q in the next 45 days", title)
			}
		}
		if dinner == nil || dinner.MyState != events.RSVPConfirmed {
			t.Fatalf("alex's family dinner RSVP: %+v", dinner)
		}
		mine, err := events.MyRSVP(ctx, d, alex, dinner.Event.ID, dinner.Occurrence.ID)
		if err != nil || mine == nil || mine.Adults != 2 || mine.Children != 1 || mine.State != events.RSVPConfirmed {
			t.Fatalf("alex's RSVP = %+v, %v", mine, err)
		}

		// That dinner is full, with families waiting in order.
		_, o, err := events.GetOccurrence(ctx, d, coord, dinner.Event.ID, dinner.Occurrence.ID)
		if err != nil || o.ConfirmedPeople != familyDinnerSeats || dinner.Event.Capacity != familyDinnerSeats {
			t.Fatalf("family dinner: %d of %d seats taken (%v)", o.ConfirmedPeople, dinner.Event.Capacity, err)
		}
		att, err := events.Attendees(ctx, d, coord, dinner.Event.ID, dinner.Occurrence.ID)
		if err != nil {
			t.Fatal(err)
		}
		waiting := 0
		for _, a := range att {
			if a.State == events.RSVPWaitlisted {
				waiting++
				if a.Position != waiting {
					t.Errorf("waitlist position %d, want %d", a.Position, waiting)
				}
			}
		}
		if waiting != 2 {
			t.Errorf("%d families on the waitlist, want 2", waiting)
		}

		// Alex came to most past Tuesdays and the hike.
		hist, err := events.AttendanceHistory(ctx, d, alex, alex.UserID, 100)
		if err != nil {
			t.Fatal(err)
		}
		tuesdays := 0
		for _, h := range hist {
			if h.Start.After(now) {
				t.Errorf("attendance in the future: %+v", h)
			}
			if h.Title == MeetingTitle {
				tuesdays++
			}
		}
		if tuesdays < 7 {
			t.Errorf("alex attended %d past meetings, want at least 7", tuesdays)
		}
		var checkins int
		if err := d.QueryRow(ctx, `SELECT COUNT(*) FROM event_attendance WHERE program_id = ?`, p.ID).Scan(&checkins); err != nil || checkins < 100 {
			t.Errorf("%d check-ins in the demo (%v), want at least 100", checkins, err)
		}

		// The weekly meeting is in the public Meeting Guide feed, with its address.
		feed, err := events.MeetingGuide(ctx, d, p.ID, "http://127.0.0.1:8080")
		if err != nil || !strings.Contains(string(feed), MeetingTitle) || !strings.Contains(string(feed), "Barton Springs") {
			t.Errorf("meeting guide feed: %v\n%s", err, feed)
		}
		if strings.Contains(string(feed), FamilyDinnerTitle) {
			t.Error("the family dinner is in the public feed")
		}

		// The next milestone dinner has honorees, all of whom agreed.
		var dinnerID, occ string
		for _, l := range list {
			if l.Event.Title == MilestoneDinnerTitle && dinnerID == "" {
				dinnerID, occ = l.Event.ID, l.Occurrence.ID
			}
		}
		hs, err := events.Honorees(ctx, d, coord, dinnerID, occ)
		if err != nil || len(hs) == 0 {
			t.Fatalf("milestone dinner honorees: %v, %v", hs, err)
		}
		var declined int
		if err := d.QueryRow(ctx, `SELECT COUNT(*) FROM honour_answers WHERE answer = 'no'`).Scan(&declined); err != nil || declined != 1 {
			t.Errorf("%d declined honours (%v), want 1", declined, err)
		}
	})
}
