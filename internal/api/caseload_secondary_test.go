package api

import (
	"net/http"
	"testing"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/db"
	"github.com/cairn-recovery/cairn/internal/testkit"
)

// TestSecondaryCoachAPI: PUT /members/{id}/coach sets, keeps and clears a
// secondary coach, who must differ from the primary one; the secondary
// coach's caseload lists the member as secondary with what they share
// with their coach; the history keeps both roles; outsiders get 404.
func TestSecondaryCoachAPI(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		e := newEvEnv(t, d)
		dana := e.user(e.program, access.Coach, "dana@example.test", "Dana", "Park")
		e.tok[dana], _ = e.token(dana)
		path := "/api/v1/members/" + e.alex.ID + "/coach"

		problem(t, e.call(e.coord, "PUT", path, `{"coach_id": "`+e.coach.ID+`", "secondary_coach_id": "`+e.coach.ID+`"}`),
			http.StatusUnprocessableEntity, "secondary_coach_id")
		problem(t, e.call(e.coord, "PUT", path, `{"coach_id": "`+e.coach.ID+`", "secondary_coach_id": "`+e.blair.ID+`"}`),
			http.StatusUnprocessableEntity, "secondary_coach_id")
		problem(t, e.call(e.coord, "PUT", path, `{"coach_id": "`+e.coach.ID+`", "secondary_coach_id": 7}`),
			http.StatusBadRequest, "secondary_coach_id")
		problem(t, e.call(e.outsider, "PUT", path, `{"coach_id": "`+e.coach.ID+`", "secondary_coach_id": "`+dana.ID+`"}`),
			http.StatusNotFound, "")
		problem(t, e.call(dana, "PUT", path, `{"coach_id": "`+e.coach.ID+`", "secondary_coach_id": "`+dana.ID+`"}`),
			http.StatusNotFound, "")
		if n := e.count(`SELECT COUNT(*) FROM coach_assignment_history WHERE member_id = ?`, e.alex.ID); n != 0 {
			t.Fatalf("refused requests wrote %d history rows", n)
		}

		if rec := e.call(e.coord, "PUT", path, `{"coach_id": "`+e.coach.ID+`", "secondary_coach_id": "`+dana.ID+`"}`); rec.Code != http.StatusNoContent {
			t.Fatalf("set both: %d %s", rec.Code, rec.Body)
		}
		// Alex shares milestones and pathways with their coach.
		if rec := e.do(req{method: "PATCH", path: "/api/v1/me/profile", bearer: e.tok[e.alex], contentType: "application/json",
			body: `{"pathways": ["smart"], "visibility": {"recovery": "me", "milestones": "coach", "pathways": "coach"}}`}); rec.Code != http.StatusOK {
			t.Fatalf("profile: %d %s", rec.Code, rec.Body)
		}
		if rec := e.do(req{method: "PUT", path: "/api/v1/me/recovery-date", bearer: e.tok[e.alex], contentType: "application/json",
			body: `{"date": "2025-03-14"}`}); rec.Code != http.StatusOK {
			t.Fatalf("recovery date: %d %s", rec.Code, rec.Body)
		}
		got := evOK[caseloadJSON](t, e.call(dana, "GET", "/api/v1/caseload", ""), http.StatusOK)
		if len(got.Items) != 1 || got.Items[0].MemberID != e.alex.ID || got.Items[0].Role != "secondary" {
			t.Fatalf("dana's caseload %+v", got)
		}
		alex := got.Items[0]
		if alex.RecoveryDate != nil || alex.Milestones == nil || alex.Milestones.Next == nil || len(alex.Pathways) != 1 || alex.Pathways[0] != "smart" {
			t.Errorf("alex as dana sees them: %+v", alex)
		}
		if got := evOK[caseloadJSON](t, e.call(dana, "GET", "/api/v1/caseload?role=primary", ""), http.StatusOK); len(got.Items) != 0 {
			t.Errorf("dana as primary: %+v", got)
		}
		if got := evOK[caseloadJSON](t, e.call(e.coach, "GET", "/api/v1/caseload?role=primary&sort=name", ""), http.StatusOK); len(got.Items) != 1 || got.Items[0].Role != "primary" {
			t.Errorf("casey as primary: %+v", got)
		}
		problem(t, e.call(dana, "GET", "/api/v1/caseload?role=third", ""), http.StatusBadRequest, "role")
		problem(t, e.call(dana, "GET", "/api/v1/caseload?sort=age", ""), http.StatusBadRequest, "sort")

		// The old request shape keeps the secondary coach.
		if rec := e.call(e.coord, "PUT", path, `{"coach_id": "`+e.coach.ID+`"}`); rec.Code != http.StatusNoContent {
			t.Fatalf("old shape: %d %s", rec.Code, rec.Body)
		}
		if got := evOK[caseloadJSON](t, e.call(dana, "GET", "/api/v1/caseload", ""), http.StatusOK); len(got.Items) != 1 {
			t.Errorf("the old request shape dropped the secondary coach: %+v", got)
		}
		// null clears it.
		if rec := e.call(e.coord, "PUT", path, `{"coach_id": "`+e.coach.ID+`", "secondary_coach_id": null}`); rec.Code != http.StatusNoContent {
			t.Fatalf("clear: %d %s", rec.Code, rec.Body)
		}
		if got := evOK[caseloadJSON](t, e.call(dana, "GET", "/api/v1/caseload", ""), http.StatusOK); len(got.Items) != 0 {
			t.Errorf("cleared secondary coach still sees %+v", got)
		}
		if n := e.count(`SELECT COUNT(*) FROM coach_assignment_history WHERE member_id = ? AND role = 'secondary' AND ended_at IS NOT NULL`, e.alex.ID); n != 1 {
			t.Errorf("ended secondary rows = %d, want 1", n)
		}
		if n := e.count(`SELECT COUNT(*) FROM coach_assignment_history WHERE member_id = ? AND role = 'primary' AND ended_at IS NULL`, e.alex.ID); n != 1 {
			t.Errorf("open primary rows = %d, want 1", n)
		}
	})
}
