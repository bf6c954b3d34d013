package api

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/db"
	"github.com/cairn-recovery/cairn/internal/testkit"
)

func TestCaseloadAPI(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		e := newEvEnv(t, d)
		coach2 := e.user(e.program, access.Coach, "coach2@example.test", "Dana", "Park")
		e.tok[coach2], _ = e.token(coach2)
		put := func(coach string) string { return `{"coach_id": "` + coach + `"}` }
		path := func(m string) string { return "/api/v1/members/" + m + "/coach" }

		// Only coordinators and admins of the program set a coach.
		problem(t, e.call(e.coach, "PUT", path(e.alex.ID), put(e.coach.ID)), http.StatusNotFound, "")
		problem(t, e.call(e.blair, "PUT", path(e.alex.ID), put(e.coach.ID)), http.StatusNotFound, "")
		problem(t, e.call(e.outsider, "PUT", path(e.alex.ID), put(e.coach.ID)), http.StatusNotFound, "")
		problem(t, e.call(e.coord, "PUT", path(e.alex.ID), `{}`), http.StatusBadRequest, "coach_id")
		problem(t, e.call(e.coord, "PUT", path(e.alex.ID), put(e.blair.ID)), http.StatusUnprocessableEntity, "coach_id")
		problem(t, e.call(e.coord, "PUT", path(e.fam.ID), put(e.coach.ID)), http.StatusUnprocessableEntity, "member_id")

		for _, step := range []struct{ member, coach string }{{e.alex.ID, coach2.ID}, {e.alex.ID, e.coach.ID}, {e.blair.ID, e.coach.ID}} {
			if rec := e.call(e.coord, "PUT", path(step.member), put(step.coach)); rec.Code != http.StatusNoContent {
				t.Fatalf("set coach: %d %s", rec.Code, rec.Body)
			}
		}
		if n := e.count(`SELECT COUNT(*) FROM coach_assignment_history WHERE member_id = ?`, e.alex.ID); n != 2 {
			t.Errorf("alex's history has %d rows, want 2", n)
		}

		// Alex shares the recovery date with the coach; Blair keeps it to herself.
		for _, u := range []*struct{ tok, vis, date string }{
			{e.tok[e.alex], "coach", "2025-03-14"}, {e.tok[e.blair], "me", "2024-06-01"},
		} {
			body := fmt.Sprintf(`{"visibility": {"recovery": %q}}`, u.vis)
			if rec := e.do(req{method: "PATCH", path: "/api/v1/me/profile", bearer: u.tok, contentType: "application/json", body: body}); rec.Code != http.StatusOK {
				t.Fatalf("profile: %d %s", rec.Code, rec.Body)
			}
			if rec := e.do(req{method: "PUT", path: "/api/v1/me/recovery-date", bearer: u.tok, contentType: "application/json",
				body: `{"date": "` + u.date + `"}`}); rec.Code != http.StatusOK {
				t.Fatalf("recovery date: %d %s", rec.Code, rec.Body)
			}
		}
		day := e.day(5)
		ev := e.create(fmt.Sprintf(`{"kind": "activity", "title": "Lake hike", "starts_at": "%sT09:00", "duration_minutes": 120, "audience": "alumni"}`, day))
		if rec := e.call(e.alex, "PUT", "/api/v1/events/"+ev.ID+"/occurrences/"+day.String()+"/rsvp", `{"status": "maybe"}`); rec.Code != http.StatusOK {
			t.Fatalf("rsvp: %d %s", rec.Code, rec.Body)
		}

		got := evOK[caseloadJSON](t, e.call(e.coach, "GET", "/api/v1/caseload", ""), http.StatusOK)
		if len(got.Items) != 2 || got.Items[0].MemberID != e.alex.ID || got.Items[1].MemberID != e.blair.ID {
			t.Fatalf("caseload %+v", got)
		}
		alex, blair := got.Items[0], got.Items[1]
		if alex.NextEvent == nil || alex.NextEvent.Title != "Lake hike" || alex.NextEvent.State != "tentative" || alex.NextEvent.Occurrence != day.String() {
			t.Errorf("alex's next event %+v", alex.NextEvent)
		}
		if alex.RecoveryDate == nil || *alex.RecoveryDate != "2025-03-14" {
			t.Errorf("alex's shared recovery date %v", alex.RecoveryDate)
		}
		if blair.RecoveryDate != nil || blair.NextEvent != nil {
			t.Errorf("blair shows %+v", blair)
		}
		if got := evOK[caseloadJSON](t, e.call(coach2, "GET", "/api/v1/caseload", ""), http.StatusOK); len(got.Items) != 0 {
			t.Errorf("the previous coach still sees %+v", got)
		}
		problem(t, e.call(e.alex, "GET", "/api/v1/caseload", ""), http.StatusNotFound, "")
		problem(t, e.call(e.coord, "GET", "/api/v1/caseload", ""), http.StatusNotFound, "")
	})
}
