package api

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/auth"
	"github.com/cairn-recovery/cairn/internal/db"
	"github.com/cairn-recovery/cairn/internal/members"
)

// evEnv is the API with one person of each role the events tests use, and
// an admin of another program, each with a token.
type evEnv struct {
	*apiEnv
	coord, coach, alex, blair, casey, fam, outsider *auth.User
	tok                                             map[*auth.User]string
}

func newEvEnv(t *testing.T, d *db.DB) *evEnv {
	t.Helper()
	e := &evEnv{apiEnv: newAPIEnv(t, d), tok: map[*auth.User]string{}}
	// The events package works on the real clock; so does this API.
	e.clock.t = time.Now()
	mk := func(p string, role access.Role, email, first string) *auth.User {
		prog := e.program
		if p == "other" {
			prog = e.other
		}
		u := e.user(prog, role, email, first, "Test")
		e.tok[u], _ = e.token(u)
		return u
	}
	e.coord = mk("", access.Coordinator, "coord@example.test", "Jordan")
	e.coach = mk("", access.Coach, "coach@example.test", "Casey")
	e.alex = mk("", access.Alumnus, "alex@example.test", "Alex")
	e.blair = mk("", access.Alumnus, "blair@example.test", "Blair")
	e.casey = mk("", access.Alumnus, "casey@example.test", "Cas")
	e.fam = mk("", access.Family, "fam@example.test", "Sam")
	e.outsider = mk("other", access.Admin, "outsider@example.test", "Quinn")
	return e
}

// day is the local date n days from today in the program's zone.
func (e *evEnv) day(n int) members.Date {
	return members.DateOf(time.Now().In(e.program.Location())).AddDays(n)
}

// call sends a JSON request as u (nil: no credentials).
func (e *evEnv) call(u *auth.User, method, path, body string) *httptest.ResponseRecorder {
	e.t.Helper()
	r := req{method: method, path: path, body: body}
	if u != nil {
		r.bearer = e.tok[u]
	}
	if body != "" {
		r.contentType = "application/json"
	}
	return e.do(r)
}

// ok decodes a successful answer with status into T, strictly.
func evOK[T any](t *testing.T, rec *httptest.ResponseRecorder, status int) T {
	t.Helper()
	if rec.Code != status {
		t.Fatalf("status %d, want %d; body %s", rec.Code, status, rec.Body)
	}
	var v T
	dec := json.NewDecoder(rec.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&v); err != nil {
		t.Fatalf("decode: %v", err)
	}
	return v
}

// create makes an event as the coordinator and returns it.
func (e *evEnv) create(body string) eventJSON {
	e.t.Helper()
	return evOK[eventJSON](e.t, e.call(e.coord, "POST", "/api/v1/events", body), http.StatusCreated)
}

// list returns every occurrence u sees from from to to (dates), paging
// with limit.
func (e *evEnv) list(u *auth.User, from, to members.Date, limit int) []occurrenceJSON {
	e.t.Helper()
	t := e.t
	var out []occurrenceJSON
	cursor := ""
	for page := 0; page < 100; page++ {
		path := "/api/v1/events?from=" + from.String() + "&to=" + to.String() + "&limit=" + itoa(limit)
		if cursor != "" {
			path += "&cursor=" + cursor
		}
		p := evOK[pageJSON[occurrenceJSON]](t, e.call(u, "GET", path, ""), http.StatusOK)
		out = append(out, p.Items...)
		if p.NextCursor == nil {
			return out
		}
		if len(p.Items) != limit {
			t.Fatalf("page %d has %d items and a next cursor", page, len(p.Items))
		}
		cursor = *p.NextCursor
	}
	t.Fatal("too many pages")
	return nil
}

// count counts rows of a table matching a condition.
func (e *evEnv) count(query string, args ...any) int {
	e.t.Helper()
	var n int
	if err := e.d.QueryRow(context.Background(), query, args...).Scan(&n); err != nil {
		e.t.Fatal(err)
	}
	return n
}
