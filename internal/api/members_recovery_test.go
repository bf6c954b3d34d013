package api

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/db"
	"github.com/cairn-recovery/cairn/internal/members"
	"github.com/cairn-recovery/cairn/internal/testkit"
)

func TestRecoveryAPI(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		e := newAPIEnv(t, d)
		alex := e.user(e.program, access.Alumnus, "alex@example.test", "Alex", "Rivera")
		coach := e.user(e.program, access.Coach, "coach@example.test", "Casey", "Nguyen")
		coord := e.user(e.program, access.Coordinator, "coord@example.test", "Jordan", "Blake")
		if err := d.Tx(context.Background(), func(tx *db.Tx) error {
			return members.AssignCoach(context.Background(), tx, e.program.ID, alex.ID, coach.ID)
		}); err != nil {
			t.Fatal(err)
		}
		alexTok, _ := e.token(alex)
		coachTok, _ := e.token(coach)
		coordTok, _ := e.token(coord)
		today := members.Today(e.program.Location(), time.Now())
		put := func(body string) *httptest.ResponseRecorder {
			return e.do(req{method: "PUT", path: "/api/v1/me/recovery-date", bearer: alexTok, contentType: "application/json", body: body})
		}

		// Errors name their field.
		problem(t, put(`{"date":"`+today.AddDays(2).String()+`"}`), http.StatusUnprocessableEntity, "date")
		problem(t, put(`{"date":"2025-02-30"}`), http.StatusBadRequest, "date")
		problem(t, put(`{"note":"x"}`), http.StatusBadRequest, "date")
		problem(t, put(`{"date":"2025-01-01","colour":"x"}`), http.StatusBadRequest, "colour")
		problem(t, put(`{"date":7}`), http.StatusBadRequest, "date")

		first := today.AddYears(-1).AddDays(-3)
		got := decode[recoveryJSON](t, put(`{"date":"`+first.String()+`","note":"my first"}`))
		if len(got.Items) != 1 || !got.Items[0].Current || got.Items[0].EndDate != nil || got.Years != 1 || got.DaysPart != 3 {
			t.Fatalf("after first date: %+v", got)
		}
		second := today.AddDays(-31)
		got = decode[recoveryJSON](t, put(`{"date":"`+second.String()+`"}`))
		if len(got.Items) != 2 || got.Days != 31 || got.Items[1].EndDate == nil || *got.Items[1].EndDate != second.AddDays(-1).String() ||
			got.Items[1].Note != "my first" {
			t.Fatalf("after a new start: %+v", got)
		}
		list := decode[recoveryJSON](t, e.do(req{method: "GET", path: "/api/v1/me/recovery-periods", bearer: alexTok}))
		if len(list.Items) != 2 || list.TotalDays != 31+first.DaysUntil(second) {
			t.Errorf("periods: %+v", list)
		}
		ms := decode[myMilestonesJSON](t, e.do(req{method: "GET", path: "/api/v1/me/milestones", bearer: alexTok}))
		if ms.StartDate == nil || *ms.StartDate != second.String() || len(ms.Reached) != 2 || ms.Next == nil || ms.Next.Label != "60 days" {
			t.Errorf("milestones: %+v", ms)
		}

		// Staff have no recovery date of their own; alumni no staff list.
		problem(t, e.do(req{method: "GET", path: "/api/v1/me/recovery-periods", bearer: coachTok}), http.StatusNotFound, "")
		problem(t, e.do(req{method: "GET", path: "/api/v1/me/milestones", bearer: coachTok}), http.StatusNotFound, "")
		problem(t, e.do(req{method: "GET", path: "/api/v1/milestones/upcoming", bearer: alexTok}), http.StatusNotFound, "")

		window := "/api/v1/milestones/upcoming?from=" + today.String() + "&to=" + today.AddDays(30).String()
		up := decode[upcomingListJSON](t, e.do(req{method: "GET", path: window, bearer: coachTok}))
		if len(up.Items) != 1 || up.Items[0].DisplayName != "Alex R." || up.Items[0].Label != "60 days" {
			t.Errorf("coach's list: %+v", up)
		}
		up = decode[upcomingListJSON](t, e.do(req{method: "GET", path: window, bearer: coordTok}))
		if len(up.Items) != 0 {
			t.Errorf("coordinator sees a coach-only milestone: %+v", up)
		}
		up = decode[upcomingListJSON](t, e.do(req{method: "GET", path: "/api/v1/milestones/upcoming", bearer: coordTok}))
		if up.From == "" || up.To == "" {
			t.Errorf("default window: %+v", up)
		}
		problem(t, e.do(req{method: "GET", path: "/api/v1/milestones/upcoming?from=2025-13-01", bearer: coordTok}), http.StatusBadRequest, "from")
		problem(t, e.do(req{method: "GET", path: "/api/v1/milestones/upcoming?from=2025-03-01&to=tomorrow", bearer: coordTok}), http.StatusBadRequest, "to")
		problem(t, e.do(req{method: "GET", path: "/api/v1/milestones/upcoming?from=2025-03-10&to=2025-03-01", bearer: coordTok}), http.StatusUnprocessableEntity, "to")
	})
}
