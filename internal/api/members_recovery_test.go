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
		if got.CrisisSupport != nil {
			t.Errorf("crisis support for a calm note: %+v", got.CrisisSupport)
		}
		// A note with crisis language is saved all the same, and the answer
		// carries the crisis numbers.
		got = decode[recoveryJSON](t, put(`{"date":"`+first.String()+`","note":"some days I want to die"}`))
		if got.CrisisSupport == nil || len(got.CrisisSupport.Numbers) < 3 || got.Items[0].Note != "some days I want to die" {
			t.Fatalf("after a crisis note: %+v", got)
		}
		got = decode[recoveryJSON](t, put(`{"date":"`+first.String()+`","note":"my first"}`))
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

// TestCoachRecoveryAPI: PUT /api/v1/members/{id}/recovery-date works for
// the member's assigned coach while the member allows it; everyone else
// gets 404; the member's history keeps its periods and shows who set the
// new one.
func TestCoachRecoveryAPI(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		e := newAPIEnv(t, d)
		ctx := context.Background()
		alex := e.user(e.program, access.Alumnus, "alex@example.test", "Alex", "Rivera")
		coach := e.user(e.program, access.Coach, "coach@example.test", "Casey", "Nguyen")
		other := e.user(e.program, access.Coach, "other@example.test", "Robin", "Hale")
		peer := e.user(e.program, access.Alumnus, "peer@example.test", "Pat", "Quinn")
		if err := d.Tx(ctx, func(tx *db.Tx) error {
			return members.AssignCoach(ctx, tx, e.program.ID, alex.ID, coach.ID)
		}); err != nil {
			t.Fatal(err)
		}
		alexTok, _ := e.token(alex)
		coachTok, _ := e.token(coach)
		otherTok, _ := e.token(other)
		peerTok, _ := e.token(peer)
		today := members.Today(e.program.Location(), time.Now())
		first := today.AddYears(-1)
		if rec := e.do(req{method: "PUT", path: "/api/v1/me/recovery-date", bearer: alexTok, contentType: "application/json",
			body: `{"date":"` + first.String() + `","note":"my own"}`}); rec.Code != http.StatusOK {
			t.Fatalf("member's own date: %d %s", rec.Code, rec.Body)
		}
		path := "/api/v1/members/" + alex.ID + "/recovery-date"
		put := func(tok, body string) *httptest.ResponseRecorder {
			return e.do(req{method: "PUT", path: path, bearer: tok, contentType: "application/json", body: body})
		}
		newDate := `{"date":"` + today.AddDays(-7).String() + `","note":"Glad you called. One day at a time."}`

		// Not allowed yet: 404, even for a bad body.
		problem(t, put(coachTok, newDate), http.StatusNotFound, "")
		problem(t, put(coachTok, `{"date":"nonsense"}`), http.StatusNotFound, "")
		if err := members.SaveRecoverySettings(ctx, d, alex.Actor("t"), members.RecoverySettings{CoachMayEdit: true}); err != nil {
			t.Fatal(err)
		}
		for name, tok := range map[string]string{"another coach": otherTok, "an alumnus": peerTok} {
			if rec := put(tok, newDate); rec.Code != http.StatusNotFound {
				t.Errorf("%s: %d, want 404", name, rec.Code)
			}
		}
		problem(t, e.do(req{method: "PUT", path: "/api/v1/members/no-such-id/recovery-date", bearer: coachTok,
			contentType: "application/json", body: newDate}), http.StatusNotFound, "")

		// Allowed: errors name their field, then the date is set.
		problem(t, put(coachTok, `{"date":"`+today.AddDays(3).String()+`"}`), http.StatusUnprocessableEntity, "date")
		problem(t, put(coachTok, `{"note":"x"}`), http.StatusBadRequest, "date")
		if rec := put(coachTok, newDate); rec.Code != http.StatusNoContent {
			t.Fatalf("coach sets it: %d %s", rec.Code, rec.Body)
		}
		got := decode[recoveryJSON](t, e.do(req{method: "GET", path: "/api/v1/me/recovery-periods", bearer: alexTok}))
		if len(got.Items) != 2 || got.Days != 7 {
			t.Fatalf("member's periods: %+v", got)
		}
		cur, old := got.Items[0], got.Items[1]
		if !cur.Current || cur.SetByCoach == nil || *cur.SetByCoach != "Casey N." || cur.Note != "Glad you called. One day at a time." {
			t.Errorf("current period: %+v", cur)
		}
		if old.StartDate != first.String() || old.Note != "my own" || old.SetByCoach != nil || old.EndDate == nil {
			t.Errorf("earlier period: %+v", old)
		}
		var n int
		if err := d.QueryRow(ctx, `SELECT COUNT(*) FROM audit_log WHERE action = 'recovery.new_period' AND actor_id = ? AND subject_id = ?`,
			coach.ID, alex.ID).Scan(&n); err != nil || n != 1 {
			t.Errorf("audit entries %d (%v), want 1", n, err)
		}
	})
}
