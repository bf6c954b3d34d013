package members

import (
	"errors"
	"testing"
	"time"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/audit"
	"github.com/cairn-recovery/cairn/internal/db"
	"github.com/cairn-recovery/cairn/internal/testkit"
)

// addRSVP creates an event titled title with one occurrence at start and
// gives userID an RSVP in state.
func addRSVP(t *testing.T, w *world, userID, title string, start time.Time, state string, cancelled bool) {
	t.Helper()
	id := "ev-" + title
	now := time.Now().UTC()
	day := start.Format("2006-01-02")
	if _, err := w.d.Exec(w.ctx, `INSERT INTO events (id, program_id, series_id, kind, title, starts_local, duration_minutes,
		first_date, materialized_until, audience, created_at, updated_at) VALUES (?, ?, ?, 'activity', ?, '18:00', 60, ?, ?, 'alumni', ?, ?)`,
		id, w.prog, id, title, day, day, now, now); err != nil {
		t.Fatal(err)
	}
	if _, err := w.d.Exec(w.ctx, `INSERT INTO event_occurrences (event_id, occurrence, program_id, starts_at, ends_at, cancelled)
		VALUES (?, ?, ?, ?, ?, ?)`, id, day, w.prog, start, start.Add(time.Hour), cancelled); err != nil {
		t.Fatal(err)
	}
	status := map[string]string{"confirmed": "yes", "waitlisted": "yes", "tentative": "maybe", "declined": "no"}[state]
	if _, err := w.d.Exec(w.ctx, `INSERT INTO event_rsvps (id, event_id, occurrence, program_id, user_id, status, state, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, id+userID, id, day, w.prog, userID, status, state, now, now); err != nil {
		t.Fatal(err)
	}
}

func caseloadIDs(t *testing.T, w *world, coach access.Actor) map[string]CaseloadEntry {
	t.Helper()
	list, err := Caseload(w.ctx, w.d, coach, CaseloadFilter{})
	if err != nil {
		t.Fatalf("caseload: %v", err)
	}
	out := map[string]CaseloadEntry{}
	for _, e := range list {
		out[e.MemberID] = e
	}
	return out
}

func TestSetPrimaryCoachKeepsHistory(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		coach2 := addUser(t, w.ctx, d, w.prog, access.Coach, "Dana", "Park")
		for _, a := range []access.Actor{w.alex, w.peer, w.coach, w.family, {}} {
			if err := SetPrimaryCoach(w.ctx, d, a, w.alex.UserID, coach2.UserID); !errors.Is(err, access.ErrNotFound) {
				t.Errorf("%s set a coach: %v", a.Role, err)
			}
		}
		var ve ValidationError
		if err := SetPrimaryCoach(w.ctx, d, w.staff, w.alex.UserID, w.peer.UserID); !errors.As(err, &ve) || ve.For("coach_id") == "" {
			t.Errorf("an alumnus as coach: %v", err)
		}
		if err := SetPrimaryCoach(w.ctx, d, w.staff, w.alex.UserID, coach2.UserID); err != nil {
			t.Fatal(err)
		}
		if got := caseloadIDs(t, w, coach2); len(got) != 1 || got[w.alex.UserID].DisplayName != "Alex R." {
			t.Errorf("new coach's caseload = %+v", got)
		}
		if got := caseloadIDs(t, w, w.coach); len(got) != 0 {
			t.Errorf("old coach still has %+v", got)
		}
		var n int
		if err := d.QueryRow(w.ctx, `SELECT COUNT(*) FROM notifications WHERE user_id = ? AND title = 'New person in your caseload'`,
			coach2.UserID).Scan(&n); err != nil || n != 1 {
			t.Errorf("new coach notifications = %d, %v", n, err)
		}
		if err := SetPrimaryCoach(w.ctx, d, w.staff, w.alex.UserID, w.coach.UserID); err != nil {
			t.Fatal(err)
		}
		if err := SetPrimaryCoach(w.ctx, d, w.staff, w.alex.UserID, w.coach.UserID); err != nil { // no change
			t.Fatal(err)
		}
		h, err := CoachHistory(w.ctx, d, w.staff, w.alex.UserID)
		if err != nil {
			t.Fatal(err)
		}
		if len(h) != 2 || h[0].CoachID != coach2.UserID || h[0].EndedAt.IsZero() ||
			h[1].CoachID != w.coach.UserID || !h[1].EndedAt.IsZero() || h[1].AssignedBy != w.staff.UserID {
			t.Errorf("history = %+v", h)
		}
		if _, err := CoachHistory(w.ctx, d, w.coach, w.alex.UserID); !errors.Is(err, access.ErrNotFound) {
			t.Errorf("a coach read the history: %v", err)
		}
		if got := caseloadIDs(t, w, w.coach); len(got) != 1 {
			t.Errorf("coach's caseload after reassignment = %+v", got)
		}
		if got := caseloadIDs(t, w, coach2); len(got) != 0 {
			t.Errorf("previous coach still has %+v", got)
		}
		var entries int
		if err := d.QueryRow(w.ctx, `SELECT COUNT(*) FROM audit_log WHERE action = 'coach.assign' AND subject_id = ?`, w.alex.UserID).Scan(&entries); err != nil || entries != 2 {
			t.Errorf("coach.assign audit entries = %d, %v", entries, err)
		}
	})
}

func TestCaseloadShowsWhatMembersShare(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		if err := SetPrimaryCoach(w.ctx, d, w.staff, w.peer.UserID, w.coach.UserID); err != nil {
			t.Fatal(err)
		}
		if err := SetRecoveryDate(w.ctx, d, w.alex, w.alex.UserID, MustDate("2025-03-14"), ""); err != nil {
			t.Fatal(err)
		}
		if err := SetRecoveryDate(w.ctx, d, w.peer, w.peer.UserID, MustDate("2024-01-02"), ""); err != nil {
			t.Fatal(err)
		}
		in := ProfileInput{Visibility: DefaultVisibility}
		in.Visibility.Recovery = access.VisMe
		w.save(t, w.peer, in)
		now := time.Now().UTC()
		addRSVP(t, w, w.alex.UserID, "Past picnic", now.Add(-48*time.Hour), "confirmed", false)
		addRSVP(t, w, w.alex.UserID, "Cancelled hike", now.Add(24*time.Hour), "confirmed", true)
		addRSVP(t, w, w.alex.UserID, "Declined dinner", now.Add(36*time.Hour), "declined", false)
		addRSVP(t, w, w.alex.UserID, "Art night", now.Add(72*time.Hour), "waitlisted", false)
		addRSVP(t, w, w.alex.UserID, "Later workshop", now.Add(96*time.Hour), "confirmed", false)

		got := caseloadIDs(t, w, w.coach)
		if len(got) != 2 {
			t.Fatalf("caseload = %+v, want Alex and Pat", got)
		}
		alex, pat := got[w.alex.UserID], got[w.peer.UserID]
		if alex.NextEvent == nil || alex.NextEvent.Title != "Art night" || alex.NextEvent.State != "waitlisted" {
			t.Errorf("Alex's next event = %+v", alex.NextEvent)
		}
		if pat.NextEvent != nil {
			t.Errorf("Pat's next event = %+v", pat.NextEvent)
		}
		if !alex.RecoveryVisible || alex.RecoverySince.String() != "2025-03-14" {
			t.Errorf("Alex shares the recovery date with the coach: %+v", alex)
		}
		if pat.RecoveryVisible || !pat.RecoverySince.IsZero() {
			t.Errorf("Pat's hidden recovery date shown: %+v", pat)
		}
		if !alex.LastContact.IsZero() {
			t.Errorf("last contact before any = %v", alex.LastContact)
		}
		if err := audit.RecordNow(w.ctx, d, w.coach, audit.Event{Action: "member.note", SubjectType: "user", SubjectID: w.alex.UserID}); err != nil {
			t.Fatal(err)
		}
		if got := caseloadIDs(t, w, w.coach); got[w.alex.UserID].LastContact.IsZero() || !got[w.peer.UserID].LastContact.IsZero() {
			t.Errorf("last contact after a note = %+v", got)
		}
		coach2 := addUser(t, w.ctx, d, w.prog, access.Coach, "Dana", "Park")
		if got := caseloadIDs(t, w, coach2); len(got) != 0 {
			t.Errorf("another coach sees %+v", got)
		}
		for _, a := range []access.Actor{w.alex, w.staff, w.family, {}} {
			if _, err := Caseload(w.ctx, d, a, CaseloadFilter{}); !errors.Is(err, access.ErrNotFound) {
				t.Errorf("%q read a caseload: %v", a.Role, err)
			}
		}
		var n int
		if err := d.QueryRow(w.ctx, `SELECT COUNT(*) FROM audit_log WHERE action = 'caseload.view' AND actor_id = ?`, w.coach.UserID).Scan(&n); err != nil || n != 2 {
			t.Errorf("caseload.view entries = %d, %v", n, err)
		}
	})
}
