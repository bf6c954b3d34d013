package web

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/db"
	"github.com/cairn-recovery/cairn/internal/testkit"
)

// TestCoachCaseloadPages: a coordinator sets an alumnus's coach on the
// coach form; the coach then finds the alumnus on their caseload page.
func TestCoachCaseloadPages(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		e := newWebEnv(t, d)
		al, coach := e.users[access.Alumnus], e.users[access.Coach]
		coord := e.signIn(e.users[access.Coordinator])
		coachCookie := e.signIn(coach)

		if rec := e.do("GET", "/caseload", nil, coachCookie); rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), "Nobody is assigned to you yet.") {
			t.Fatalf("empty caseload: %d", rec.Code)
		}
		path := "/members/" + al.ID + "/coach"
		rec := e.do("GET", path, nil, coord)
		if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), `<option value="`+coach.ID+`">Casey N.</option>`) {
			t.Fatalf("coach form: %d %s", rec.Code, rec.Body)
		}
		rec = e.do("POST", path, url.Values{"coach_id": {e.users[access.Family].ID}}, coord)
		if rec.Code != http.StatusUnprocessableEntity || !strings.Contains(rec.Body.String(), `id="coach_id-error"`) {
			t.Errorf("family member as coach: %d", rec.Code)
		}
		if rec := e.do("POST", path, url.Values{"coach_id": {coach.ID}}, coord); rec.Code != http.StatusSeeOther {
			t.Fatalf("set coach: %d %s", rec.Code, rec.Body)
		}
		rec = e.do("GET", path, nil, coord)
		if !strings.Contains(rec.Body.String(), `<option value="`+coach.ID+`" selected>`) || !strings.Contains(rec.Body.String(), "Now") {
			t.Errorf("coach form after saving: %s", rec.Body)
		}
		rec = e.do("GET", "/caseload", nil, coachCookie)
		if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), `<a href="/members/`+al.ID+`">Alex R.</a>`) {
			t.Errorf("caseload: %d %s", rec.Code, rec.Body)
		}
		if !strings.Contains(rec.Body.String(), `<a href="/caseload" aria-current="page">Caseload</a>`) {
			t.Error("the coach's menu has no Caseload link")
		}
		if !strings.Contains(e.do("GET", "/members/"+al.ID, nil, coord).Body.String(), `<a href="/members/`+al.ID+`/coach">Set coach</a>`) {
			t.Error("the coordinator's view of a member has no Set coach link")
		}
		alCookie := e.signIn(al)
		if rec := e.do("GET", "/caseload", nil, alCookie); rec.Code != http.StatusNotFound {
			t.Errorf("alumnus reached a caseload: %d", rec.Code)
		}
		if body := e.do("GET", "/home", nil, alCookie).Body.String(); strings.Contains(body, `href="/caseload"`) {
			t.Error("an alumnus's menu links to a caseload")
		}
		if body := e.do("GET", "/members/"+al.ID, nil, coachCookie).Body.String(); strings.Contains(body, "Set coach") {
			t.Error("a coach is offered to set coaches")
		}
	})
}
