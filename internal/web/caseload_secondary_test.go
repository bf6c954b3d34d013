package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/auth"
	"github.com/cairn-recovery/cairn/internal/db"
	"github.com/cairn-recovery/cairn/internal/members"
	"github.com/cairn-recovery/cairn/internal/testkit"
)

// TestSecondaryCoachPages: a coordinator sets a secondary coach on the
// coach form (not the primary one again); the secondary coach finds the
// member on their caseload marked secondary, with what the member shares
// with their coach, a link to message them and one to their profile;
// clearing the secondary coach takes the member off that caseload. People
// of another program get 404.
func TestSecondaryCoachPages(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		e := newWebEnv(t, d)
		ctx := context.Background()
		al, casey := e.users[access.Alumnus], e.users[access.Coach]
		dana, err := e.auth.CreateUser(ctx, access.System(e.program.ID), auth.NewUser{ProgramID: e.program.ID,
			Email: "dana@example.test", FirstName: "Dana", LastName: "Park", Role: access.Coach, Password: testPassword})
		if err != nil {
			t.Fatal(err)
		}
		if err := members.SetRecoveryDate(ctx, d, access.Actor{UserID: al.ID, ProgramID: e.program.ID, Role: access.Alumnus},
			al.ID, members.MustDate("2025-03-14"), ""); err != nil {
			t.Fatal(err)
		}
		coord, danaCookie := e.signIn(e.users[access.Coordinator]), e.signIn(dana)
		path := "/members/" + al.ID + "/coach"

		rec := e.do("POST", path, url.Values{"coach_id": {casey.ID}, "secondary_coach_id": {casey.ID}}, coord)
		if rec.Code != http.StatusUnprocessableEntity || !strings.Contains(rec.Body.String(), `id="secondary_coach_id-error"`) {
			t.Fatalf("same coach twice: %d %s", rec.Code, rec.Body)
		}
		if rec := e.do("GET", "/caseload", nil, e.signIn(casey)); !strings.Contains(rec.Body.String(), "Nobody is assigned to you yet.") {
			t.Error("a refused form assigned a coach")
		}
		if rec := e.do("POST", path, url.Values{"coach_id": {casey.ID}, "secondary_coach_id": {dana.ID}}, coord); rec.Code != http.StatusSeeOther {
			t.Fatalf("set coaches: %d %s", rec.Code, rec.Body)
		}
		body := e.do("GET", path, nil, coord).Body.String()
		if !strings.Contains(body, `<option value="`+dana.ID+`" selected>Dana P.</option>`) || !strings.Contains(body, "<td>Secondary</td>") {
			t.Errorf("coach form after saving: %s", body)
		}

		rec = e.do("GET", "/caseload", nil, danaCookie)
		body = rec.Body.String()
		for _, want := range []string{`<a href="/members/` + al.ID + `">Alex R.</a> <span class="badge">Secondary</span>`,
			`href="/conversations/new?to=` + al.ID + `"`, "In recovery since", "Mar 14, 2025", "Milestones"} {
			if rec.Code != http.StatusOK || !strings.Contains(body, want) {
				t.Errorf("secondary coach's caseload lacks %q: %d %s", want, rec.Code, body)
			}
		}
		if body := e.do("GET", "/caseload?role=primary", nil, danaCookie).Body.String(); !strings.Contains(body, "Nobody here with that filter.") {
			t.Errorf("primary filter: %s", body)
		}
		if body := e.do("GET", "/caseload?role=secondary&sort=name", nil, danaCookie).Body.String(); !strings.Contains(body, "Alex R.") {
			t.Errorf("secondary filter: %s", body)
		}
		if rec := e.do("GET", "/caseload?role=everyone", nil, danaCookie); rec.Code != http.StatusUnprocessableEntity || !strings.Contains(rec.Body.String(), `id="role-error"`) {
			t.Errorf("bad filter: %d", rec.Code)
		}
		if rec := e.do("GET", "/members/"+al.ID, nil, danaCookie); rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), `<dd id="recovery-since">2025-03-14`) {
			t.Errorf("the secondary coach does not see what Alex shares with their coach: %d", rec.Code)
		}

		// Outsiders get 404.
		out := e.signIn(e.outsider)
		if rec := e.do("GET", path, nil, out); rec.Code != http.StatusNotFound {
			t.Errorf("outsider opened the coach form: %d", rec.Code)
		}
		if rec := e.do("POST", path, url.Values{"coach_id": {casey.ID}, "secondary_coach_id": {""}}, out); rec.Code != http.StatusNotFound {
			t.Errorf("outsider set coaches: %d", rec.Code)
		}
		if rec := e.do("POST", path, url.Values{"coach_id": {casey.ID}, "secondary_coach_id": {""}}, danaCookie); rec.Code != http.StatusNotFound {
			t.Errorf("a coach set coaches: %d", rec.Code)
		}

		// Clearing the secondary coach.
		if rec := e.do("POST", path, url.Values{"coach_id": {casey.ID}, "secondary_coach_id": {""}}, coord); rec.Code != http.StatusSeeOther {
			t.Fatalf("clear secondary: %d %s", rec.Code, rec.Body)
		}
		if body := e.do("GET", "/caseload", nil, danaCookie).Body.String(); !strings.Contains(body, "Nobody is assigned to you yet.") {
			t.Errorf("cleared secondary coach still sees: %s", body)
		}
		var n int
		if err := d.QueryRow(ctx, `SELECT COUNT(*) FROM coach_assignment_history WHERE member_id = ? AND role = 'secondary' AND ended_at IS NOT NULL`, al.ID).Scan(&n); err != nil || n != 1 {
			t.Errorf("ended secondary assignments = %d, %v", n, err)
		}
	})
}
