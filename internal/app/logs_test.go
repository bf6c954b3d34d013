package app

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/auth"
	"github.com/cairn-recovery/cairn/internal/logging"
	"github.com/cairn-recovery/cairn/internal/programs"
	"github.com/cairn-recovery/cairn/internal/testkit"
)

// TestLogsCarryNoPersonalData drives the whole application with canary
// values (an email, a name, a password, a client address) through sign-in
// failures and successes, an invitation, a password reset and a failing
// mail delivery, with logging at debug level, then greps the captured log:
// none of the canaries may appear.
func TestLogsCarryNoPersonalData(t *testing.T) {
	const (
		email    = "zebulon.quackenbush@canary.test"
		invitee  = "marigold.fennimore@canary.test"
		first    = "Zebulon"
		last     = "Quackenbush"
		password = "canary-password-7781"
		clientIP = "203.0.113.77"
	)
	cfg := testConfig(t)
	cfg.SMTPURL = "smtp://127.0.0.1:1" // nothing listens: delivery fails and is logged
	cfg.TrustProxy = true
	var logs testkit.Buffer
	ctx := context.Background()
	a, err := Open(ctx, cfg, logging.New(&logs, "debug"))
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	p, err := programs.Create(ctx, a.DB, programs.Settings{Name: "Canary Program", TimeZone: "America/Chicago"})
	if err != nil {
		t.Fatal(err)
	}
	sys := access.System(p.ID)
	if _, err := a.Auth.CreateUser(ctx, sys, auth.NewUser{ProgramID: p.ID, Email: email, FirstName: first, LastName: last,
		Role: access.Alumnus, Password: password}); err != nil {
		t.Fatal(err)
	}
	admin, err := a.Auth.CreateUser(ctx, sys, auth.NewUser{ProgramID: p.ID, Email: "admin@canary.test", FirstName: "Ada",
		LastName: "Min", Role: access.Admin, Password: password})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(a.Handler)
	defer srv.Close()
	post := func(path string, form url.Values, cookie *http.Cookie) *http.Response {
		req, _ := http.NewRequest("POST", srv.URL+path, strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("X-Forwarded-For", clientIP)
		if cookie != nil {
			req.AddCookie(cookie)
		}
		res, err := (&http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}).Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res
	}
	post("/signin", url.Values{"email": {email}, "password": {"wrong " + password}}, nil)
	post("/signin", url.Values{"email": {"nobody-" + email}, "password": {password}}, nil)
	res := post("/signin", url.Values{"email": {email}, "password": {password}}, nil)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign in: status %d", res.StatusCode)
	}
	post("/reset", url.Values{"email": {email}}, nil)
	post("/account/password", url.Values{"current": {password}, "password": {"x"}, "confirm": {"y"}}, res.Cookies()[0])
	if _, _, err := a.Auth.Invite(ctx, admin.Actor("req"), invitee, access.Alumnus); err != nil {
		t.Fatal(err)
	}
	if a.Sender == nil {
		t.Fatal("no mail sender with CAIRN_SMTP_URL set")
	}
	if _, err := a.Sender.DeliverOnce(ctx); err != nil {
		t.Logf("delivery error (expected): %v", err)
	}

	out := logs.String()
	if !strings.Contains(out, "not sent") || !strings.Contains(out, "outbox_id") {
		t.Fatalf("the failing delivery was not logged; the test would prove nothing. Log:\n%s", out)
	}
	for _, canary := range []string{email, invitee, "canary.test", first, last, password, clientIP} {
		if strings.Contains(out, canary) {
			t.Errorf("the log contains %q:\n%s", canary, out)
		}
	}
}
