package members

import (
	"errors"
	"testing"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/db"
	"github.com/cairn-recovery/cairn/internal/testkit"
)

func TestUpcomingRespectsVisibility(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		today := chicagoToday(t)
		// Everyone has a 30-day milestone tomorrow.
		start := today.AddDays(-29)
		vis := func(a access.Actor, v access.Visibility) {
			fv := DefaultVisibility
			fv.Milestones = v
			w.save(t, a, ProfileInput{Visibility: fv})
		}
		vis(w.buddy, access.VisProgram)
		vis(w.peer, access.VisMe)
		// alex keeps the default, "coach".
		for _, a := range []access.Actor{w.alex, w.buddy, w.peer, w.alien} {
			if err := SetRecoveryDate(w.ctx, d, a, a.UserID, start, "private"); err != nil {
				t.Fatal(err)
			}
		}
		names := func(viewer access.Actor) []string {
			t.Helper()
			list, err := UpcomingMilestones(w.ctx, d, viewer, today, today.AddDays(30))
			if err != nil {
				t.Fatalf("%s: %v", viewer.Role, err)
			}
			var out []string
			for _, u := range list {
				if u.Milestone.Label != "30 days" || u.Milestone.Date != today.AddDays(1) {
					t.Errorf("milestone %+v", u.Milestone)
				}
				out = append(out, u.DisplayName)
			}
			return out
		}
		if got := names(w.coach); len(got) != 2 || got[0] != "Alex R." || got[1] != "Bo L." {
			t.Errorf("coach sees %v", got)
		}
		if got := names(w.staff); len(got) != 1 || got[0] != "Bo L." {
			t.Errorf("coordinator sees %v", got)
		}
		// Alex opens milestones to the program: now the coordinator sees
		// both; Pat (only me) is never listed or counted.
		vis(w.alex, access.VisProgram)
		if got := names(w.staff); len(got) != 2 {
			t.Errorf("coordinator sees %v", got)
		}
		var detail string
		if err := d.QueryRow(w.ctx, `SELECT detail FROM audit_log WHERE action = 'milestones.upcoming' AND actor_id = ? ORDER BY seq DESC LIMIT 1`,
			w.staff.UserID).Scan(&detail); err != nil || detail == "" {
			t.Fatalf("audit: %q %v", detail, err)
		}
		for _, a := range []access.Actor{w.alex, w.family, {}} {
			if _, err := UpcomingMilestones(w.ctx, d, a, today, today.AddDays(30)); !errors.Is(err, access.ErrNotFound) {
				t.Errorf("%q: err = %v", a.Role, err)
			}
		}
		_, err := UpcomingMilestones(w.ctx, d, w.coach, today, today.AddDays(-1))
		wantField(t, err, "to")
		_, err = UpcomingMilestones(w.ctx, d, w.coach, today, today.AddDays(400))
		wantField(t, err, "to")
		_, err = UpcomingMilestones(w.ctx, d, w.coach, Date{}, today)
		wantField(t, err, "from")
		// A lapse: the closed period's milestones are gone, the new
		// period's come.
		if err := SetRecoveryDate(w.ctx, d, w.buddy, w.buddy.UserID, today, ""); err != nil {
			t.Fatal(err)
		}
		list, err := UpcomingMilestones(w.ctx, d, w.staff, today, today.AddDays(30))
		if err != nil {
			t.Fatal(err)
		}
		var bo []string
		for _, u := range list {
			if u.MemberID == w.buddy.UserID {
				bo = append(bo, u.Milestone.Label)
			}
		}
		if len(bo) != 2 || bo[0] != "24 hours" || bo[1] != "30 days" {
			t.Errorf("after a new start: %v", bo)
		}
	})
}
