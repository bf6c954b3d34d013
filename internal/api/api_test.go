package api

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/auth"
	"github.com/cairn-recovery/cairn/internal/db"
	"github.com/cairn-recovery/cairn/internal/notify"
	"github.com/cairn-recovery/cairn/internal/programs"
	"github.com/cairn-recovery/cairn/internal/testkit"
)

const testPassword = "correct horse battery staple"

// testClock is the rate limit's clock; it moves only when told.
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *testClock) now() time.Time      { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *testClock) add(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

// apiEnv is the API on a fresh database with two programs.
type apiEnv struct {
	t       *testing.T
	d       *db.DB
	auth    *auth.Service
	h       http.Handler
	clock   *testClock
	program *programs.Program
	other   *programs.Program
}

func newAPIEnv(t *testing.T, d *db.DB) *apiEnv {
	t.Helper()
	ctx := context.Background()
	a := auth.New(d, auth.Options{SecretKey: []byte("0123456789abcdef0123456789abcdef"), BaseURL: "http://cairn.test",
		Argon: auth.CheapArgon2ParamsForTests()})
	e := &apiEnv{t: t, d: d, auth: a, clock: &testClock{t: time.Date(2026, 3, 9, 15, 0, 0, 0, time.UTC)}}
	e.h = New(Deps{DB: d, Auth: a, Logger: slog.New(slog.DiscardHandler), CookieName: "cairn_session",
		MaxBodyBytes: 1024, Now: e.clock.now})
	var err error
	if e.program, err = programs.Create(ctx, d, programs.Settings{Name: "Driftwood Recovery Alumni", TimeZone: "America/Chicago"}); err != nil {
		t.Fatal(err)
	}
	if e.other, err = programs.Create(ctx, d, programs.Settings{Name: "Other Program", TimeZone: "America/New_York"}); err != nil {
		t.Fatal(err)
	}
	return e
}

func (e *apiEnv) user(p *programs.Program, role access.Role, email, first, last string) *auth.User {
	e.t.Helper()
	u, err := e.auth.CreateUser(context.Background(), access.System(p.ID), auth.NewUser{ProgramID: p.ID, Email: email,
		FirstName: first, LastName: last, Role: role, Password: testPassword})
	if err != nil {
		e.t.Fatal(err)
	}
	return u
}

func (e *apiEnv) token(u *auth.User) (string, *auth.Token) {
	e.t.Helper()
	raw, tok, err := e.auth.CreateToken(context.Background(), u.Actor("test"), "test")
	if err != nil {
		e.t.Fatal(err)
	}
	return raw, tok
}

// notification sends u an in-app notification and returns its id.
func (e *apiEnv) notification(u *auth.User, title string) string {
	e.t.Helper()
	var id string
	err := e.d.Tx(context.Background(), func(tx *db.Tx) error {
		var err error
		id, err = notify.Send(context.Background(), tx, u.ID, notify.KindMessage, notify.Data{Title: title, Body: "Hello.", Link: "/home"})
		return err
	})
	if err != nil || id == "" {
		e.t.Fatalf("send notification: %q, %v", id, err)
	}
	return id
}

type req struct {
	method, path string
	bearer       string
	cookie       string
	contentType  string
	body         string
	header       map[string]string
}

func (e *apiEnv) do(r req) *httptest.ResponseRecorder {
	e.t.Helper()
	var body io.Reader
	if r.body != "" {
		body = strings.NewReader(r.body)
	}
	hr := httptest.NewRequest(r.method, "http://cairn.test"+r.path, body)
	if r.bearer != "" {
		hr.Header.Set("Authorization", "Bearer "+r.bearer)
	}
	if r.cookie != "" {
		hr.AddCookie(&http.Cookie{Name: "cairn_session", Value: r.cookie})
	}
	if r.contentType != "" {
		hr.Header.Set("Content-Type", r.contentType)
	}
	for k, v := range r.header {
		hr.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	e.h.ServeHTTP(rec, hr)
	return rec
}

// problem checks that rec is a problem document with status and, when
// field is not empty, an entry in errors naming it.
func problem(t *testing.T, rec *httptest.ResponseRecorder, status int, field string) Problem {
	t.Helper()
	if rec.Code != status {
		t.Fatalf("status %d, want %d; body %s", rec.Code, status, rec.Body)
	}
	if ct := rec.Header().Get("Content-Type"); ct != ProblemContentType {
		t.Fatalf("content type %q, want %s", ct, ProblemContentType)
	}
	var p Problem
	dec := json.NewDecoder(rec.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&p); err != nil {
		t.Fatalf("problem document: %v", err)
	}
	if p.Status != status || !strings.HasPrefix(p.Type, typePrefix) || p.Title == "" || p.RequestID == "" {
		t.Fatalf("problem = %+v", p)
	}
	if field != "" {
		found := false
		for _, fp := range p.Errors {
			if fp.Field == field && fp.Message != "" {
				found = true
			}
		}
		if !found {
			t.Fatalf("problem %+v does not name field %q", p, field)
		}
	}
	return p
}

func decode[T any](t *testing.T, rec *httptest.ResponseRecorder) T {
	t.Helper()
	if rec.Code != http.StatusOK {
		t.Fatalf("status %d, body %s", rec.Code, rec.Body)
	}
	var v T
	dec := json.NewDecoder(rec.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&v); err != nil {
		t.Fatal(err)
	}
	return v
}

func TestTokenLifecycle(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		e := newAPIEnv(t, d)
		alex := e.user(e.program, access.Alumnus, "alex@example.test", "Alex", "rivera")
		raw, tok := e.token(alex)

		me := decode[meJSON](t, e.do(req{method: "GET", path: "/api/v1/me", bearer: raw}))
		want := meJSON{ID: alex.ID, DisplayName: "Alex R.", Role: "alumnus",
			Program: programJSON{ID: e.program.ID, Name: "Driftwood Recovery Alumni", TimeZone: "America/Chicago"}}
		if me != want {
			t.Fatalf("me = %+v, want %+v", me, want)
		}
		list, err := e.auth.ListTokens(context.Background(), alex.Actor("t"))
		if err != nil || len(list) != 1 || list[0].ID != tok.ID || list[0].LastUsedAt == nil {
			t.Fatalf("after use, tokens = %+v, %v; want last used set", list, err)
		}

		if err := e.auth.RevokeToken(context.Background(), alex.Actor("t"), tok.ID); err != nil {
			t.Fatal(err)
		}
		rec := e.do(req{method: "GET", path: "/api/v1/me", bearer: raw})
		problem(t, rec, http.StatusUnauthorized, "")
		if got := rec.Header().Get("WWW-Authenticate"); !strings.HasPrefix(got, "Bearer") || !strings.Contains(got, "invalid_token") {
			t.Fatalf("WWW-Authenticate = %q", got)
		}

		// No credentials, a malformed header, a malformed token.
		rec = e.do(req{method: "GET", path: "/api/v1/me"})
		problem(t, rec, http.StatusUnauthorized, "")
		if got := rec.Header().Get("WWW-Authenticate"); got != `Bearer realm="cairn"` {
			t.Fatalf("WWW-Authenticate = %q", got)
		}
		rec = e.do(req{method: "GET", path: "/api/v1/me", header: map[string]string{"Authorization": "Basic YWxleDp4"}})
		problem(t, rec, http.StatusUnauthorized, "")
		if !strings.Contains(rec.Header().Get("WWW-Authenticate"), "invalid_request") {
			t.Fatalf("WWW-Authenticate = %q", rec.Header().Get("WWW-Authenticate"))
		}
		problem(t, e.do(req{method: "GET", path: "/api/v1/me", bearer: "cairn_short"}), http.StatusUnauthorized, "")

		// A disabled account's token stops working.
		sam := e.user(e.program, access.Alumnus, "sam@example.test", "Sam", "Lee")
		admin := e.user(e.program, access.Admin, "admin@example.test", "Ad", "Min")
		samRaw, _ := e.token(sam)
		if rec := e.do(req{method: "GET", path: "/api/v1/me", bearer: samRaw}); rec.Code != http.StatusOK {
			t.Fatalf("sam: %d", rec.Code)
		}
		if err := e.auth.SetDisabled(context.Background(), admin.Actor("t"), sam.ID, true); err != nil {
			t.Fatal(err)
		}
		problem(t, e.do(req{method: "GET", path: "/api/v1/me", bearer: samRaw}), http.StatusUnauthorized, "")
	})
}

func TestNotifications(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		e := newAPIEnv(t, d)
		alex := e.user(e.program, access.Alumnus, "alex@example.test", "Alex", "Rivera")
		outsider := e.user(e.other, access.Admin, "outsider@example.test", "Quinn", "Out")
		raw, _ := e.token(alex)
		outRaw, _ := e.token(outsider)
		var ids []string
		for i := range 5 {
			ids = append(ids, e.notification(alex, fmt.Sprintf("Note %d", i)))
		}
		theirs := e.notification(outsider, "Theirs")

		// Paging, newest first, two at a time.
		var seen []string
		cursor := ""
		for page := 0; ; page++ {
			path := "/api/v1/notifications?limit=2"
			if cursor != "" {
				path += "&cursor=" + cursor
			}
			p := decode[pageJSON[notificationJSON]](t, e.do(req{method: "GET", path: path, bearer: raw}))
			for _, n := range p.Items {
				if n.Kind != "message" || n.ReadAt != nil || n.Link != "/home" || n.CreatedAt.IsZero() {
					t.Fatalf("item %+v", n)
				}
				seen = append(seen, n.ID)
			}
			if p.NextCursor == nil {
				break
			}
			if len(p.Items) != 2 || page > 5 {
				t.Fatalf("page %d has %d items and a next cursor", page, len(p.Items))
			}
			cursor = *p.NextCursor
		}
		if len(seen) != 5 || seen[0] != ids[4] || seen[4] != ids[0] {
			t.Fatalf("seen %v, want %v newest first", seen, ids)
		}
		problem(t, e.do(req{method: "GET", path: "/api/v1/notifications?cursor=nonsense!", bearer: raw}), http.StatusBadRequest, "cursor")
		problem(t, e.do(req{method: "GET", path: "/api/v1/notifications?limit=0", bearer: raw}), http.StatusBadRequest, "limit")
		problem(t, e.do(req{method: "GET", path: "/api/v1/notifications?limit=many", bearer: raw}), http.StatusBadRequest, "limit")

		// Mark one read; another program's notification is not found.
		if rec := e.do(req{method: "POST", path: "/api/v1/notifications/" + ids[0] + "/read", bearer: raw}); rec.Code != http.StatusNoContent {
			t.Fatalf("mark read: %d %s", rec.Code, rec.Body)
		}
		problem(t, e.do(req{method: "POST", path: "/api/v1/notifications/" + theirs + "/read", bearer: raw}), http.StatusNotFound, "")
		problem(t, e.do(req{method: "POST", path: "/api/v1/notifications/no-such-id/read", bearer: raw}), http.StatusNotFound, "")
		// The outsider sees none of Alex's.
		p := decode[pageJSON[notificationJSON]](t, e.do(req{method: "GET", path: "/api/v1/notifications", bearer: outRaw}))
		if len(p.Items) != 1 || p.Items[0].ID != theirs {
			t.Fatalf("outsider sees %+v", p.Items)
		}

		// Several at once; a foreign id is named.
		body := fmt.Sprintf(`{"ids": [%q, %q]}`, ids[1], theirs)
		problem(t, e.do(req{method: "POST", path: "/api/v1/notifications/read", bearer: raw, contentType: "application/json", body: body}),
			http.StatusNotFound, "ids[1]")
		if n, _ := notify.UnreadCount(context.Background(), d, alex.Actor("t")); n != 4 {
			t.Fatalf("a refused list marked some: unread %d, want 4", n)
		}
		body = fmt.Sprintf(`{"ids": [%q, %q, %q]}`, ids[1], ids[2], ids[3])
		if rec := e.do(req{method: "POST", path: "/api/v1/notifications/read", bearer: raw, contentType: "application/json", body: body}); rec.Code != http.StatusNoContent {
			t.Fatalf("mark several: %d %s", rec.Code, rec.Body)
		}
		n, _ := notify.UnreadCount(context.Background(), d, alex.Actor("t"))
		if n != 1 {
			t.Fatalf("unread %d, want 1", n)
		}
		if rec := e.do(req{method: "POST", path: "/api/v1/notifications/read", bearer: raw, contentType: "application/json", body: `{"all": true}`}); rec.Code != http.StatusNoContent {
			t.Fatalf("mark all: %d %s", rec.Code, rec.Body)
		}
		if n, _ := notify.UnreadCount(context.Background(), d, alex.Actor("t")); n != 0 {
			t.Fatalf("unread %d after all, want 0", n)
		}
		if n, _ := notify.UnreadCount(context.Background(), d, outsider.Actor("t")); n != 1 {
			t.Fatalf("outsider's unread %d, want 1", n)
		}
	})
}

func TestBodies(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		e := newAPIEnv(t, d)
		alex := e.user(e.program, access.Alumnus, "alex@example.test", "Alex", "Rivera")
		raw, _ := e.token(alex)
		post := func(contentType, body string) *httptest.ResponseRecorder {
			return e.do(req{method: "POST", path: "/api/v1/notifications/read", bearer: raw, contentType: contentType, body: body})
		}
		for _, c := range []struct {
			body, field, inDetail string
		}{
			{`{"ids": ["a"], "color": "red"}`, "color", ""},
			{`{"ids": "a"}`, "ids", "array"},
			{`{"all": "yes"}`, "all", "boolean"},
			{`{"ids": ["a", 2]}`, "ids", "array of strings"},
			{`{"ids": ["a"]`, "body", "ends"},
			{`{"ids": ["a"]}}`, "body", "byte"},
			{`{"ids": ["a"]} {"all": true}`, "body", "one JSON value"},
			{`{"ids" ["a"]}`, "body", "byte 8"},
			{`["a"]`, "body", "object"},
			{``, "", ""},
			{`{}`, "ids", ""},
			{`{"ids": ["a"], "all": true}`, "ids", ""},
			{`{"ids": [""]}`, "ids[0]", ""},
		} {
			rec := post("application/json", c.body)
			if c.body == "" {
				// An empty body (sent without one) is named as the body.
				c.field = "body"
			}
			p := problem(t, rec, http.StatusBadRequest, c.field)
			if c.inDetail != "" && !strings.Contains(p.Detail, c.inDetail) {
				t.Errorf("body %q: detail %q does not say %q", c.body, p.Detail, c.inDetail)
			}
		}
		problem(t, post("text/plain", `{"all": true}`), http.StatusUnsupportedMediaType, "")
		problem(t, post("", `{"all": true}`), http.StatusUnsupportedMediaType, "")
		if rec := post("application/json; charset=utf-8", `{"all": true}`); rec.Code != http.StatusNoContent {
			t.Fatalf("JSON with charset: %d", rec.Code)
		}
		big := `{"ids": ["` + strings.Repeat("a", 2000) + `"]}`
		problem(t, post("application/json", big), http.StatusRequestEntityTooLarge, "")
		// Whitespace after the one value is fine, up to the cap.
		if rec := post("application/json", `{"all": true}`+strings.Repeat(" ", 900)); rec.Code != http.StatusNoContent {
			t.Fatalf("trailing space: %d %s", rec.Code, rec.Body)
		}
		problem(t, post("application/json", `{"all": true}`+strings.Repeat(" ", 2000)), http.StatusRequestEntityTooLarge, "")
	})
}

func TestRoutingProblems(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		e := newAPIEnv(t, d)
		problem(t, e.do(req{method: "GET", path: "/api/v1/nothing"}), http.StatusNotFound, "")
		problem(t, e.do(req{method: "GET", path: "/api/v2/me"}), http.StatusNotFound, "")
		rec := e.do(req{method: "DELETE", path: "/api/v1/me"})
		problem(t, rec, http.StatusMethodNotAllowed, "")
		if allow := rec.Header().Get("Allow"); !strings.Contains(allow, "GET") {
			t.Fatalf("Allow = %q", allow)
		}
		rec = e.do(req{method: "GET", path: "/api/openapi.json"})
		if rec.Code != http.StatusOK || !json.Valid(rec.Body.Bytes()) || rec.Header().Get("Content-Type") != "application/json" {
			t.Fatalf("openapi.json: %d %q", rec.Code, rec.Header().Get("Content-Type"))
		}
	})
}

func TestRateLimit(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		e := newAPIEnv(t, d)
		alex := e.user(e.program, access.Alumnus, "alex@example.test", "Alex", "Rivera")
		sam := e.user(e.program, access.Alumnus, "sam@example.test", "Sam", "Lee")
		raw, _ := e.token(alex)
		other, _ := e.token(alex)
		samRaw, _ := e.token(sam)
		me := func(tok string) *httptest.ResponseRecorder {
			return e.do(req{method: "GET", path: "/api/v1/me", bearer: tok})
		}
		// The clock stands still: the burst is all there is.
		for i := range DefaultBurst {
			if rec := me(raw); rec.Code != http.StatusOK {
				t.Fatalf("request %d: %d", i+1, rec.Code)
			}
		}
		rec := me(raw)
		problem(t, rec, http.StatusTooManyRequests, "")
		if ra, err := strconv.Atoi(rec.Header().Get("Retry-After")); err != nil || ra < 1 {
			t.Fatalf("Retry-After = %q", rec.Header().Get("Retry-After"))
		}
		// Limits are per token.
		if rec := me(other); rec.Code != http.StatusOK {
			t.Fatalf("another token of the same person: %d", rec.Code)
		}
		if rec := me(samRaw); rec.Code != http.StatusOK {
			t.Fatalf("another person's token: %d", rec.Code)
		}
		// A second later, DefaultRate more requests pass.
		e.clock.add(time.Second)
		for i := range DefaultRate {
			if rec := me(raw); rec.Code != http.StatusOK {
				t.Fatalf("after a second, request %d: %d", i+1, rec.Code)
			}
		}
		problem(t, me(raw), http.StatusTooManyRequests, "")
	})
}

func TestCookieAuthentication(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		e := newAPIEnv(t, d)
		ctx := context.Background()
		e.user(e.program, access.Alumnus, "alex@example.test", "Alex", "Rivera")
		coach := e.user(e.program, access.Coach, "coach@example.test", "Casey", "Nguyen")

		cookie, _, err := e.auth.SignIn(ctx, "alex@example.test", testPassword, "192.0.2.1", "test", "t")
		if err != nil {
			t.Fatal(err)
		}
		me := decode[meJSON](t, e.do(req{method: "GET", path: "/api/v1/me", cookie: cookie}))
		if me.DisplayName != "Alex R." {
			t.Fatalf("me = %+v", me)
		}
		// A change from the site itself is fine; from another site it is refused.
		if rec := e.do(req{method: "POST", path: "/api/v1/notifications/read", cookie: cookie, contentType: "application/json",
			body: `{"all": true}`, header: map[string]string{"Sec-Fetch-Site": "same-origin"}}); rec.Code != http.StatusNoContent {
			t.Fatalf("same-origin POST: %d %s", rec.Code, rec.Body)
		}
		problem(t, e.do(req{method: "POST", path: "/api/v1/notifications/read", cookie: cookie, contentType: "application/json",
			body: `{"all": true}`, header: map[string]string{"Sec-Fetch-Site": "cross-site"}}), http.StatusForbidden, "")

		// A session waiting for enrolment is not signed in.
		pending, sess, err := e.auth.SignIn(ctx, coach.Email, testPassword, "192.0.2.1", "test", "t")
		if err != nil || sess.Stage != auth.StageEnroll {
			t.Fatalf("coach sign-in: %+v, %v", sess, err)
		}
		problem(t, e.do(req{method: "GET", path: "/api/v1/me", cookie: pending}), http.StatusUnauthorized, "")
		// Nor is one waiting for the second factor.
		secret, _, err := e.auth.BeginEnrollment(ctx, pending)
		if err != nil {
			t.Fatal(err)
		}
		code, _ := totp.GenerateCode(secret, time.Now())
		if _, _, err := e.auth.CompleteEnrollment(ctx, pending, code, "t"); err != nil {
			t.Fatal(err)
		}
		second, sess, err := e.auth.SignIn(ctx, coach.Email, testPassword, "192.0.2.1", "test", "t")
		if err != nil || sess.Stage != auth.StageSecondFactor {
			t.Fatalf("coach second sign-in: %+v, %v", sess, err)
		}
		problem(t, e.do(req{method: "GET", path: "/api/v1/me", cookie: second}), http.StatusUnauthorized, "")
		problem(t, e.do(req{method: "GET", path: "/api/v1/me", cookie: "not-a-session"}), http.StatusUnauthorized, "")
	})
}
