package api

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/auth"
	"github.com/cairn-recovery/cairn/internal/db"
	"github.com/cairn-recovery/cairn/internal/members"
	"github.com/cairn-recovery/cairn/internal/testkit"
)

func TestMyProfile(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		e := newAPIEnv(t, d)
		alex := e.user(e.program, access.Alumnus, "alex@example.test", "Alex", "Rivera")
		tok, _ := e.token(alex)
		got := decode[profileJSON](t, e.do(req{method: "GET", path: "/api/v1/me/profile", bearer: tok}))
		if got.DisplayName != "Alex R." || got.Visibility.Pathways != "coach" || got.Pathways == nil {
			t.Errorf("default profile = %+v", got)
		}
		patch := func(body string) *httptest.ResponseRecorder {
			return e.do(req{method: "PATCH", path: "/api/v1/me/profile", bearer: tok, contentType: "application/json", body: body})
		}
		got = decode[profileJSON](t, patch(`{"city":"Duluth","pathways":["SMART Recovery"],"visibility":{"pathways":"program"}}`))
		if got.City != "Duluth" || len(got.Pathways) != 1 || got.Pathways[0] != "smart" || got.Visibility.Pathways != "program" ||
			got.Visibility.Recovery != "coach" {
			t.Errorf("patched profile = %+v", got)
		}
		// Members left out keep their value.
		got = decode[profileJSON](t, patch(`{"bio":"<script>hi</script>"}`))
		if got.City != "Duluth" || got.Bio != "<script>hi</script>" {
			t.Errorf("second patch = %+v", got)
		}
		problem(t, patch(`{"nickname":"Al"}`), http.StatusBadRequest, "nickname")
		problem(t, patch(`{"visibility":{"everyone":"program"}}`), http.StatusBadRequest, "everyone")
		problem(t, patch(`{"city":3}`), http.StatusBadRequest, "city")
		problem(t, patch(`{"pathways":["astrology"]}`), http.StatusUnprocessableEntity, "pathways")
		problem(t, patch(`{"visibility":{"recovery":"world"}}`), http.StatusUnprocessableEntity, "visibility.recovery")
		long := make([]byte, members.MaxBio+1)
		for i := range long {
			long[i] = 'x'
		}
		problem(t, patch(`{"bio":"`+string(long)+`"}`), http.StatusUnprocessableEntity, "bio")

		fam := e.user(e.program, access.Family, "fam@example.test", "Fran", "Rivera")
		ftok, _ := e.token(fam)
		problem(t, e.do(req{method: "GET", path: "/api/v1/me/profile", bearer: ftok}), http.StatusNotFound, "")
	})
}

func TestMembersVisibilityMatrix(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		e := newAPIEnv(t, d)
		ctx := context.Background()
		alex := e.user(e.program, access.Alumnus, "alex@example.test", "Alex", "Rivera")
		viewers := []struct {
			name string
			u    *auth.User
		}{
			{"self", alex},
			{"coach", e.user(e.program, access.Coach, "coach@example.test", "Casey", "Moreno")},
			{"buddy", e.user(e.program, access.Alumnus, "buddy@example.test", "Bo", "Lind")},
			{"peer", e.user(e.program, access.Alumnus, "peer@example.test", "Pat", "Quinn")},
			{"staff", e.user(e.program, access.Coordinator, "staff@example.test", "Sam", "Ortiz")},
			{"alien", e.user(e.other, access.Alumnus, "alien@example.test", "Ola", "Nord")},
			{"family", e.user(e.program, access.Family, "fam@example.test", "Fran", "Rivera")},
		}
		err := d.Tx(ctx, func(tx *db.Tx) error {
			if err := members.AssignCoach(ctx, tx, e.program.ID, alex.ID, viewers[1].u.ID); err != nil {
				return err
			}
			return members.AddBuddies(ctx, tx, e.program.ID, alex.ID, viewers[2].u.ID)
		})
		if err != nil {
			t.Fatal(err)
		}
		tokens := map[string]string{}
		for _, v := range viewers {
			tokens[v.name], _ = e.token(v.u)
		}
		want := map[string]map[string]bool{
			"me":      {"self": true},
			"coach":   {"self": true, "coach": true},
			"buddy":   {"self": true, "coach": true, "buddy": true},
			"program": {"self": true, "coach": true, "buddy": true, "peer": true, "staff": true},
		}
		for _, vis := range []string{"me", "coach", "buddy", "program"} {
			rec := e.do(req{method: "PATCH", path: "/api/v1/me/profile", bearer: tokens["self"], contentType: "application/json",
				body: `{"pathways":["smart"],"visibility":{"pathways":"` + vis + `"}}`})
			decode[profileJSON](t, rec)
			for _, v := range viewers {
				rec := e.do(req{method: "GET", path: "/api/v1/members/" + alex.ID, bearer: tokens[v.name]})
				if v.name == "alien" || v.name == "family" {
					problem(t, rec, http.StatusNotFound, "")
				} else {
					m := decode[memberJSON](t, rec)
					if (m.Pathways != nil) != want[vis][v.name] {
						t.Errorf("%s/%s: member shows pathways %v", vis, v.name, m.Pathways)
					}
					if m.FullName != "" && v.name != "self" && !v.u.Role.Staff() {
						t.Errorf("%s sees the full name", v.name)
					}
				}
				rec = e.do(req{method: "GET", path: "/api/v1/members?pathway=smart", bearer: tokens[v.name]})
				if v.name == "family" {
					problem(t, rec, http.StatusNotFound, "")
					continue
				}
				page := decode[pageJSON[memberJSON]](t, rec)
				found := false
				for _, m := range page.Items {
					found = found || m.ID == alex.ID
				}
				if found != want[vis][v.name] {
					t.Errorf("%s/%s: search by hidden pathway lists alex = %v", vis, v.name, found)
				}
			}
		}
		problem(t, e.do(req{method: "GET", path: "/api/v1/members?pathway=astrology", bearer: tokens["peer"]}), http.StatusBadRequest, "pathway")
	})
}
