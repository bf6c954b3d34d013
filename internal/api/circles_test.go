package api

import (
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/cairn-recovery/cairn/internal/db"
	"github.com/cairn-recovery/cairn/internal/testkit"
)

func TestCirclesAPI(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		e := newEvEnv(t, d)
		// Only coordinators and admins create; bad input names the field.
		problem(t, e.call(e.alex, "POST", "/api/v1/circles", `{"kind":"interest","name":"Hiking"}`), http.StatusNotFound, "")
		problem(t, e.call(e.coord, "POST", "/api/v1/circles", `{"kind":"club","name":"Hiking"}`), http.StatusUnprocessableEntity, "kind")
		problem(t, e.call(e.coord, "POST", "/api/v1/circles", `{"kind":"interest","name":""}`), http.StatusUnprocessableEntity, "name")
		problem(t, e.call(e.coord, "POST", "/api/v1/circles", `{"kind":"interest","name":"X","colour":1}`), http.StatusBadRequest, "colour")
		problem(t, e.call(e.coord, "POST", "/api/v1/circles", `{"kind":"interest","name":5}`), http.StatusBadRequest, "name")
		hike := evOK[circleJSON](t, e.call(e.coord, "POST", "/api/v1/circles", `{"kind":"interest","name":"Hiking","interest":"hiking"}`), http.StatusCreated)
		cohort := evOK[circleJSON](t, e.call(e.coord, "POST", "/api/v1/circles", `{"kind":"cohort","name":"March 2025","join_policy":"request"}`), http.StatusCreated)
		fam := evOK[circleJSON](t, e.call(e.coord, "POST", "/api/v1/circles", `{"kind":"family","name":"Family circle"}`), http.StatusCreated)
		if hike.JoinPolicy != "open" || hike.State != "none" {
			t.Errorf("created %+v", hike)
		}
		list := evOK[circleListJSON](t, e.call(e.alex, "GET", "/api/v1/circles", ""), http.StatusOK)
		if len(list.Items) != 2 {
			t.Errorf("alumnus sees %d circles", len(list.Items))
		}
		if l := evOK[circleListJSON](t, e.call(e.fam, "GET", "/api/v1/circles", ""), http.StatusOK); len(l.Items) != 1 || l.Items[0].ID != fam.ID {
			t.Errorf("family sees %+v", l.Items)
		}
		if l := evOK[circleListJSON](t, e.call(e.outsider, "GET", "/api/v1/circles", ""), http.StatusOK); len(l.Items) != 0 {
			t.Errorf("outsider sees %+v", l.Items)
		}
		// Join: open at once, by request pending; non-members of by-request circles get 404 for posts.
		if j := evOK[joinJSON](t, e.call(e.alex, "POST", "/api/v1/circles/"+hike.ID+"/join", ""), http.StatusOK); j.State != "member" {
			t.Errorf("join open = %q", j.State)
		}
		if j := evOK[joinJSON](t, e.call(e.alex, "POST", "/api/v1/circles/"+cohort.ID+"/join", ""), http.StatusOK); j.State != "requested" {
			t.Errorf("join by request = %q", j.State)
		}
		problem(t, e.call(e.alex, "GET", "/api/v1/circles/"+cohort.ID+"/posts", ""), http.StatusNotFound, "")
		problem(t, e.call(e.fam, "POST", "/api/v1/circles/"+hike.ID+"/join", ""), http.StatusNotFound, "")
		problem(t, e.call(e.alex, "POST", "/api/v1/circles/"+fam.ID+"/join", ""), http.StatusNotFound, "")
		// Posts: 21 then two pages by cursor; counts in the list.
		posts := "/api/v1/circles/" + hike.ID + "/posts"
		problem(t, e.call(e.blair, "POST", posts, `{"body":"not a member yet"}`), http.StatusNotFound, "")
		problem(t, e.call(e.alex, "POST", posts, `{"body":"  "}`), http.StatusUnprocessableEntity, "body")
		problem(t, e.call(e.alex, "POST", posts, `{}`), http.StatusUnprocessableEntity, "body")
		var first createdJSON
		for i := range 21 {
			first = evOK[createdJSON](t, e.call(e.alex, "POST", posts, fmt.Sprintf(`{"body":"post %d"}`, i)), http.StatusCreated)
			if first.CrisisSupport != nil {
				t.Fatalf("crisis support for a plain post")
			}
		}
		comments := posts + "/" + first.ID + "/comments"
		evOK[createdJSON](t, e.call(e.alex, "POST", comments, `{"body":"first comment"}`), http.StatusCreated)
		problem(t, e.call(e.alex, "POST", posts+"/"+first.ID+"/reactions", `{"kind":"shrug"}`), http.StatusUnprocessableEntity, "kind")
		if r := evOK[reactionJSON](t, e.call(e.alex, "POST", posts+"/"+first.ID+"/reactions", `{"kind":"heart"}`), http.StatusOK); !r.On {
			t.Errorf("reaction not on")
		}
		page := evOK[pageJSON[circlePostJSON]](t, e.call(e.blair, "GET", posts, ""), http.StatusOK)
		if len(page.Items) != 20 || page.NextCursor == nil || page.Items[0].ID != first.ID || page.Items[0].Comments != 1 ||
			page.Items[0].Reactions["heart"] != 1 || len(page.Items[0].Mine) != 0 {
			t.Fatalf("first page: %d items, first %+v", len(page.Items), page.Items[0])
		}
		next := evOK[pageJSON[circlePostJSON]](t, e.call(e.blair, "GET", posts+"?cursor="+*page.NextCursor, ""), http.StatusOK)
		if len(next.Items) != 1 || next.NextCursor != nil || next.Items[0].Body != "post 0" {
			t.Errorf("second page: %+v", next)
		}
		problem(t, e.call(e.blair, "GET", posts+"?cursor=xyz", ""), http.StatusBadRequest, "cursor")
		cl := evOK[struct {
			Items []circleCommentJSON `json:"items"`
		}](t, e.call(e.alex, "GET", comments, ""), http.StatusOK)
		if len(cl.Items) != 1 || cl.Items[0].Body != "first comment" {
			t.Errorf("comments %+v", cl.Items)
		}
		// Crisis language: saved, and the numbers come back.
		sent := evOK[createdJSON](t, e.call(e.alex, "POST", posts, `{"body":"I want to die"}`), http.StatusCreated)
		if sent.CrisisSupport == nil || len(sent.CrisisSupport.Numbers) < 3 {
			t.Errorf("no crisis support: %+v", sent)
		}
		if c := evOK[createdJSON](t, e.call(e.alex, "POST", comments, `{"body":"I want to die"}`), http.StatusCreated); c.CrisisSupport == nil {
			t.Errorf("no crisis support for a comment")
		}
		if rec := e.call(e.alex, "POST", "/api/v1/circles/"+hike.ID+"/leave", ""); rec.Code != http.StatusNoContent {
			t.Errorf("leave: %d", rec.Code)
		}
	})
}

func FuzzCircleRequests(f *testing.F) {
	for _, s := range []string{`{"kind":"interest","name":"n","description":"d","interest":"i","join_policy":"open"}`, `{"body":"hi"}`,
		`{"kind":"heart"}`, `{"name":1}`, `{"body":null}`, `[`, `null`, "\xff", `{"body":"\u0000"}`, `{} {}`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, body string) {
		for _, v := range []any{&circleRequest{}, &textRequest{}, &reactionRequest{}} {
			r := httptest.NewRequest("POST", "/api/v1/circles", strings.NewReader(body))
			r.Header.Set("Content-Type", "application/json")
			err := decodeJSON(httptest.NewRecorder(), r, 512, v)
			if err == nil {
				continue
			}
			var p *Problem
			if !errors.As(err, &p) || (p.Status != http.StatusBadRequest && p.Status != http.StatusRequestEntityTooLarge) {
				t.Fatalf("%q: %v", body, err)
			}
			if p.Status == http.StatusBadRequest && (len(p.Errors) != 1 || p.Errors[0].Field == "") {
				t.Fatalf("%q: 400 without a field: %+v", body, p)
			}
		}
	})
}
