package web

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/auth"
	"github.com/cairn-recovery/cairn/internal/config"
	"github.com/cairn-recovery/cairn/internal/db"
	"github.com/cairn-recovery/cairn/internal/members"
	"github.com/cairn-recovery/cairn/internal/programs"
)

// testPassword is the password of every account a webEnv creates.
const testPassword = "correct horse battery staple"

// webEnv is a web server on a fresh database with a program and one person
// of every role, plus an admin of a second program.
type webEnv struct {
	t        testing.TB
	db       *db.DB
	cfg      *config.Config
	auth     *auth.Service
	srv      *Server
	program  *programs.Program
	other    *programs.Program
	users    map[access.Role]*auth.User
	outsider *auth.User // admin of the other program
}

// newWebEnv builds the environment. Staff accounts are enrolled in TOTP
// through the auth API, so sessions made by signIn are fully signed in.
func newWebEnv(t testing.TB, d *db.DB) *webEnv {
	t.Helper()
	ctx := context.Background()
	cfg := &config.Config{Addr: "127.0.0.1:0", BaseURL: "http://cairn.test", SecretKey: []byte("0123456789abcdef0123456789abcdef"),
		StaffIdle: 30 * time.Minute, MemberIdle: 12 * time.Hour, SessionLifetime: 30 * 24 * time.Hour, MaxBodyBytes: 1 << 20}
	a := auth.New(d, auth.Options{SecretKey: cfg.SecretKey, BaseURL: cfg.BaseURL, StaffIdle: cfg.StaffIdle,
		MemberIdle: cfg.MemberIdle, Lifetime: cfg.SessionLifetime, Argon: auth.CheapArgon2ParamsForTests()})
	srv, err := New(Deps{Config: cfg, DB: d, Auth: a, Logger: slog.New(slog.DiscardHandler), Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	e := &webEnv{t: t, db: d, cfg: cfg, auth: a, srv: srv, users: map[access.Role]*auth.User{}}
	e.program, err = programs.Create(ctx, d, programs.Settings{Name: "Driftwood Recovery Alumni", TimeZone: "America/Chicago",
		Phone: "(512) 759-8330", Description: "We stay connected after treatment."})
	if err != nil {
		t.Fatal(err)
	}
	e.other, err = programs.Create(ctx, d, programs.Settings{Name: "Other Program", TimeZone: "America/New_York"})
	if err != nil {
		t.Fatal(err)
	}
	names := map[access.Role][2]string{
		access.Alumnus: {"Alex", "Rivera"}, access.Family: {"Sam", "Rivera"}, access.Coach: {"Casey", "Nguyen"},
		access.Coordinator: {"Jordan", "Blake"}, access.Admin: {"Morgan", "Lee"},
	}
	for _, role := range access.Roles {
		n := names[role]
		u, err := a.CreateUser(ctx, access.System(e.program.ID), auth.NewUser{ProgramID: e.program.ID,
			Email: string(role) + "@example.test", FirstName: n[0], LastName: n[1], Role: role, Password: testPassword})
		if err != nil {
			t.Fatalf("create %s: %v", role, err)
		}
		e.users[role] = u
	}
	e.outsider, err = a.CreateUser(ctx, access.System(e.other.ID), auth.NewUser{ProgramID: e.other.ID,
		Email: "outsider@example.test", FirstName: "Quinn", LastName: "Outside", Role: access.Admin, Password: testPassword})
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// signIn returns a session cookie value for u, completing the second
// factor (enrolling on first use) through the auth API.
func (e *webEnv) signIn(u *auth.User) string {
	e.t.Helper()
	ctx := context.Background()
	token, sess, err := e.auth.SignIn(ctx, u.Email, testPassword, "192.0.2.1", "test-agent", "req")
	if err != nil {
		e.t.Fatalf("sign in %s: %v", u.Role, err)
	}
	switch sess.Stage {
	case auth.StageEnroll:
		secret, _, err := e.auth.BeginEnrollment(ctx, token)
		if err != nil {
			e.t.Fatal(err)
		}
		code, _ := totp.GenerateCode(secret, time.Now())
		token, _, err = e.auth.CompleteEnrollment(ctx, token, code, "req")
		if err != nil {
			e.t.Fatalf("enrol %s: %v", u.Role, err)
		}
	case auth.StageSecondFactor:
		e.t.Fatalf("sign in %s: already enrolled; sign in once per test", u.Role)
	}
	return token
}

// do sends a request as the holder of cookie ("" for a visitor).
func (e *webEnv) do(method, path string, form url.Values, cookie string) *httptest.ResponseRecorder {
	e.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req := httptest.NewRequest(method, "http://cairn.test"+path, body)
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	if cookie != "" {
		req.AddCookie(&http.Cookie{Name: e.srv.cookieName(), Value: cookie})
	}
	rec := httptest.NewRecorder()
	e.srv.Handler().ServeHTTP(rec, req)
	return rec
}

// assignCoach makes the environment's coach the coach of member.
func (e *webEnv) assignCoach(t testing.TB, member *auth.User) {
	t.Helper()
	ctx := context.Background()
	if err := e.db.Tx(ctx, func(tx *db.Tx) error {
		return members.AssignCoach(ctx, tx, e.program.ID, member.ID, e.users[access.Coach].ID)
	}); err != nil {
		t.Fatal(err)
	}
}
