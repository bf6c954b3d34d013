package web

import (
	"context"
	"html"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/db"
	"github.com/cairn-recovery/cairn/internal/testkit"
)

// sgnRequest sends a request with a raw body and extra headers as the
// holder of cookie ("" for a visitor).
func sgnRequest(e *webEnv, method, path, body, cookie string, hdr map[string]string) *httptest.ResponseRecorder {
	e.t.Helper()
	var rd io.Reader
	if body != "" || method == http.MethodPost {
		rd = strings.NewReader(body)
	}
	req := httptest.NewRequest(method, "http://cairn.test"+path, rd)
	if method == http.MethodPost {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	if cookie != "" {
		req.AddCookie(&http.Cookie{Name: e.srv.cookieName(), Value: cookie})
	}
	rec := httptest.NewRecorder()
	e.srv.Handler().ServeHTTP(rec, req)
	return rec
}

// sgnSessionCookie returns the session cookie rec sets, or nil.
func sgnSessionCookie(e *webEnv, rec *httptest.ResponseRecorder) *http.Cookie {
	for _, c := range rec.Result().Cookies() {
		if c.Name == e.srv.cookieName() {
			return c
		}
	}
	return nil
}

// sgnExpect fails the test unless rec has status and, for redirects,
// location; it returns the body.
func sgnExpect(t *testing.T, rec *httptest.ResponseRecorder, status int, location string) string {
	t.Helper()
	if rec.Code != status {
		t.Fatalf("status %d, want %d; location %q; body:\n%s", rec.Code, status, rec.Header().Get("Location"), rec.Body.String())
	}
	if location != "" && rec.Header().Get("Location") != location {
		t.Fatalf("location %q, want %q", rec.Header().Get("Location"), location)
	}
	return rec.Body.String()
}

// sgnWebSignIn signs in through the form and returns the new cookie value
// and the redirect target.
func sgnWebSignIn(t *testing.T, e *webEnv, email, password, next string) (string, string) {
	t.Helper()
	form := url.Values{"email": {email}, "password": {password}}
	if next != "" {
		form.Set("next", next)
	}
	rec := e.do("POST", "/signin", form, "")
	sgnExpect(t, rec, http.StatusSeeOther, "")
	c := sgnSessionCookie(e, rec)
	if c == nil || c.Value == "" {
		t.Fatalf("no session cookie after signing in")
	}
	return c.Value, rec.Header().Get("Location")
}

func TestSigninMessages(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		e := newWebEnv(t, d)
		body := sgnExpect(t, e.do("GET", "/signin", nil, ""), http.StatusOK, "")
		if !strings.Contains(body, `autocomplete="current-password"`) || !strings.Contains(body, `href="/reset"`) {
			t.Fatalf("sign-in page lacks the password field or reset link:\n%s", body)
		}

		unknown := sgnExpect(t, e.do("POST", "/signin", url.Values{"email": {"nobody@example.test"}, "password": {testPassword}}, ""),
			http.StatusUnprocessableEntity, "")
		wrong := sgnExpect(t, e.do("POST", "/signin", url.Values{"email": {"alumnus@example.test"}, "password": {"not the password"}}, ""),
			http.StatusUnprocessableEntity, "")
		for _, b := range []string{unknown, wrong} {
			if !strings.Contains(b, "That email and password do not match.") {
				t.Fatalf("failure page lacks the message:\n%s", b)
			}
			if strings.Contains(b, "not the password") || strings.Contains(b, testPassword) {
				t.Fatal("the password was sent back to the page")
			}
		}
		if !strings.Contains(wrong, `value="alumnus@example.test"`) {
			t.Error("the email was not kept in the form")
		}

		cookie, loc := sgnWebSignIn(t, e, "Alumnus@Example.test ", testPassword, "")
		if loc != "/home" {
			t.Fatalf("alumnus redirected to %q, want /home", loc)
		}
		home := sgnExpect(t, e.do("GET", "/home", nil, cookie), http.StatusOK, "")
		for _, want := range []string{"Hello, Alex R.", "Driftwood Recovery Alumni", "Alumnus", `href="/account/sessions"`} {
			if !strings.Contains(home, want) {
				t.Errorf("home lacks %q", want)
			}
		}
		if strings.Contains(home, `href="/admin/people"`) {
			t.Error("an alumnus sees admin links")
		}

		// next is followed on this site only.
		if _, loc := sgnWebSignIn(t, e, "family@example.test", testPassword, "/account"); loc != "/account" {
			t.Errorf("next=/account redirected to %q", loc)
		}
		if _, loc := sgnWebSignIn(t, e, "family@example.test", testPassword, "//evil.example/x"); loc != "/home" {
			t.Errorf("next=//evil.example redirected to %q", loc)
		}
		// A signed-in person visiting /signin goes home.
		sgnExpect(t, e.do("GET", "/signin", nil, cookie), http.StatusSeeOther, "/home")
	})
}

func TestSigninThrottled(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		e := newWebEnv(t, d)
		form := url.Values{"email": {"alumnus@example.test"}, "password": {"wrong password"}}
		for i := 0; i < 15; i++ {
			rec := e.do("POST", "/signin", form, "")
			switch rec.Code {
			case http.StatusUnprocessableEntity:
				continue
			case http.StatusTooManyRequests:
				body := rec.Body.String()
				if !strings.Contains(body, "Please wait about") || !strings.Contains(body, "minute") {
					t.Fatalf("throttle page lacks the kind wait message:\n%s", body)
				}
				if rec.Header().Get("Retry-After") == "" {
					t.Error("no Retry-After header")
				}
				return
			default:
				t.Fatalf("attempt %d: status %d", i, rec.Code)
			}
		}
		t.Fatal("never throttled after 15 failures")
	})
}

// sgnEnrolSecret reads the TOTP secret from the enrolment page's link.
func sgnEnrolSecret(t *testing.T, body string) string {
	t.Helper()
	m := regexp.MustCompile(`href="(otpauth://[^"]+)"`).FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no otpauth link on the enrolment page:\n%s", body)
	}
	key, err := otp.NewKeyFromURL(html.UnescapeString(m[1]))
	if err != nil {
		t.Fatalf("bad otpauth link %q: %v", m[1], err)
	}
	return key.Secret()
}

func TestSigninStaffSecondFactor(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		e := newWebEnv(t, d)
		coach := e.users[access.Coach]
		pendingCookie, loc := sgnWebSignIn(t, e, coach.Email, testPassword, "")
		if loc != "/signin/enrol" {
			t.Fatalf("staff without a second factor went to %q, want /signin/enrol", loc)
		}
		// A half-signed-in session reaches no signed-in page.
		sgnExpect(t, e.do("GET", "/home", nil, pendingCookie), http.StatusSeeOther, "/signin/enrol")
		sgnExpect(t, e.do("GET", "/signin/verify", nil, pendingCookie), http.StatusSeeOther, "/signin/enrol")

		page := sgnExpect(t, e.do("GET", "/signin/enrol", nil, pendingCookie), http.StatusOK, "")
		secret := sgnEnrolSecret(t, page)
		if !strings.Contains(page, `src="data:image/png;base64,`) {
			t.Error("no QR code on the enrolment page")
		}

		// A wrong code keeps the same secret on the page.
		rec := e.do("POST", "/signin/enrol", url.Values{"code": {"000000"}, "secret": {secret}}, pendingCookie)
		body := sgnExpect(t, rec, http.StatusUnprocessableEntity, "")
		if !strings.Contains(body, "That code did not work") || sgnEnrolSecret(t, body) != secret {
			t.Fatalf("wrong code page lacks the error or changed the secret:\n%s", body)
		}

		code, err := totp.GenerateCode(secret, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		rec = e.do("POST", "/signin/enrol", url.Values{"code": {code}, "secret": {secret}}, pendingCookie)
		body = sgnExpect(t, rec, http.StatusOK, "")
		codes := regexp.MustCompile(`<code class="recovery">([^<]+)</code>`).FindAllStringSubmatch(body, -1)
		if len(codes) != 10 || !strings.Contains(body, "I have saved them, continue") {
			t.Fatalf("recovery page shows %d codes:\n%s", len(codes), body)
		}
		c := sgnSessionCookie(e, rec)
		if c == nil || c.Value == pendingCookie {
			t.Fatal("the session token was not renewed after enrolment")
		}
		sgnExpect(t, e.do("GET", "/home", nil, c.Value), http.StatusOK, "")
		// The pending token stopped working.
		sgnExpect(t, e.do("GET", "/home", nil, pendingCookie), http.StatusSeeOther, "/signin")

		// Signing in again asks for a code.
		verifyCookie, loc := sgnWebSignIn(t, e, coach.Email, testPassword, "/account")
		if loc != "/signin/verify?next=%2Faccount" {
			t.Fatalf("enrolled staff went to %q", loc)
		}
		sgnExpect(t, e.do("GET", "/home", nil, verifyCookie), http.StatusSeeOther, "/signin/verify")
		sgnExpect(t, e.do("GET", "/signin/verify", nil, verifyCookie), http.StatusOK, "")
		body = sgnExpect(t, e.do("POST", "/signin/verify", url.Values{"code": {"123456"}}, verifyCookie), http.StatusUnprocessableEntity, "")
		if !strings.Contains(body, "That code did not work") {
			t.Fatalf("wrong verify code page:\n%s", body)
		}
		// The code of the next step: the enrolment used the current one.
		code, _ = totp.GenerateCode(secret, time.Now().Add(30*time.Second))
		rec = e.do("POST", "/signin/verify", url.Values{"code": {code}, "next": {"/account"}}, verifyCookie)
		sgnExpect(t, rec, http.StatusSeeOther, "/account")
		full := sgnSessionCookie(e, rec)
		if full == nil || full.Value == verifyCookie {
			t.Fatal("no new token after the second factor")
		}
		sgnExpect(t, e.do("GET", "/account", nil, full.Value), http.StatusOK, "")

		// A recovery code works once.
		recovery := codes[3][1]
		cookie, _ := sgnWebSignIn(t, e, coach.Email, testPassword, "")
		sgnExpect(t, e.do("POST", "/signin/verify", url.Values{"code": {strings.ToUpper(recovery)}}, cookie), http.StatusSeeOther, "/home")
		cookie, _ = sgnWebSignIn(t, e, coach.Email, testPassword, "")
		sgnExpect(t, e.do("POST", "/signin/verify", url.Values{"code": {recovery}}, cookie), http.StatusUnprocessableEntity, "")
	})
}

func TestSignout(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		e := newWebEnv(t, d)
		// No session: still a calm redirect.
		sgnExpect(t, e.do("POST", "/signout", url.Values{}, ""), http.StatusSeeOther, "/?done=signedout")
		sgnExpect(t, e.do("POST", "/signout", url.Values{}, "not-a-token"), http.StatusSeeOther, "/?done=signedout")

		cookie, _ := sgnWebSignIn(t, e, "alumnus@example.test", testPassword, "")
		rec := e.do("POST", "/signout", url.Values{}, cookie)
		sgnExpect(t, rec, http.StatusSeeOther, "/?done=signedout")
		if c := sgnSessionCookie(e, rec); c == nil || c.MaxAge >= 0 {
			t.Error("signing out did not clear the cookie")
		}
		sgnExpect(t, e.do("GET", "/home", nil, cookie), http.StatusSeeOther, "/signin")
		if body := sgnExpect(t, e.do("GET", "/?done=signedout", nil, ""), http.StatusOK, ""); !strings.Contains(body, "You have signed out.") {
			t.Error("landing page does not confirm signing out")
		}

		// A pending session can sign out too.
		pending, _ := sgnWebSignIn(t, e, "coordinator@example.test", testPassword, "")
		sgnExpect(t, e.do("POST", "/signout", url.Values{}, pending), http.StatusSeeOther, "/?done=signedout")
		sgnExpect(t, e.do("GET", "/signin/enrol", nil, pending), http.StatusSeeOther, "/signin?next=%2Fsignin%2Fenrol")
	})
}

// sgnInvite invites email with role and returns the token of the link.
func sgnInvite(t testing.TB, e *webEnv, email string, role access.Role) string {
	t.Helper()
	_, link, err := e.auth.Invite(context.Background(), access.System(e.program.ID), email, role)
	if err != nil {
		t.Fatal(err)
	}
	return link[strings.LastIndexByte(link, '/')+1:]
}

func sgnCountUsers(t *testing.T, e *webEnv, email string) int {
	t.Helper()
	var n int
	if err := e.db.QueryRow(context.Background(), `SELECT COUNT(*) FROM users WHERE email = ?`, email).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestInvitation(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		e := newWebEnv(t, d)
		token := sgnInvite(t, e, "newcomer@example.test", access.Alumnus)
		path := "/invite/" + token
		page := sgnExpect(t, e.do("GET", path, nil, ""), http.StatusOK, "")
		for _, want := range []string{"Driftwood Recovery Alumni", "Alumnus", "newcomer@example.test", `autocomplete="new-password"`} {
			if !strings.Contains(page, want) {
				t.Errorf("invitation page lacks %q", want)
			}
		}

		bad := []struct {
			name, first, pw, confirm, field, msg string
		}{
			{"too short", "Robin", "short", "short", "password", "at least 8 characters"},
			{"common", "Robin", "password123", "password123", "password", "most common"},
			{"mismatch", "Robin", "a long enough password", "a different password", "confirm", "not the same"},
			{"no name", "  ", "a long enough password", "a long enough password", "first_name", "Enter a name"},
		}
		for _, c := range bad {
			rec := e.do("POST", path, url.Values{"first_name": {c.first}, "last_name": {"Gray"}, "password": {c.pw}, "confirm": {c.confirm}}, "")
			body := sgnExpect(t, rec, http.StatusUnprocessableEntity, "")
			if !strings.Contains(body, c.msg) || !strings.Contains(body, `id="`+c.field+`-error"`) {
				t.Errorf("%s: page lacks %q by field %s:\n%s", c.name, c.msg, c.field, body)
			}
			if strings.Contains(body, c.pw) && c.pw != "short" {
				t.Errorf("%s: the password was sent back", c.name)
			}
			if n := sgnCountUsers(t, e, "newcomer@example.test"); n != 0 {
				t.Fatalf("%s: %d accounts created", c.name, n)
			}
		}

		rec := e.do("POST", path, url.Values{"first_name": {"Robin"}, "last_name": {"Gray"},
			"password": {"a long enough password"}, "confirm": {"a long enough password"}}, "")
		sgnExpect(t, rec, http.StatusSeeOther, "/home?done=welcome")
		c := sgnSessionCookie(e, rec)
		if c == nil {
			t.Fatal("not signed in after accepting")
		}
		home := sgnExpect(t, e.do("GET", "/home?done=welcome", nil, c.Value), http.StatusOK, "")
		if !strings.Contains(home, "Welcome to Cairn.") || !strings.Contains(home, "Hello, Robin G.") {
			t.Errorf("welcome page:\n%s", home)
		}

		// The link works once.
		for _, m := range []string{"GET", "POST"} {
			body := sgnExpect(t, e.do(m, path, url.Values{"first_name": {"X"}, "password": {"another long password"},
				"confirm": {"another long password"}}, ""), http.StatusNotFound, "")
			if !strings.Contains(body, "This invitation link is no longer valid. Ask the program's staff for a new one.") {
				t.Errorf("%s reused link page:\n%s", m, body)
			}
		}
		sgnExpect(t, e.do("GET", "/invite/not-a-token", nil, ""), http.StatusNotFound, "")

		// An expired link.
		expired := sgnInvite(t, e, "late@example.test", access.Family)
		if _, err := d.Exec(context.Background(), `UPDATE invitations SET expires_at = ? WHERE email = ?`,
			time.Now().Add(-time.Hour), "late@example.test"); err != nil {
			t.Fatal(err)
		}
		sgnExpect(t, e.do("GET", "/invite/"+expired, nil, ""), http.StatusNotFound, "")
		sgnExpect(t, e.do("POST", "/invite/"+expired, url.Values{"first_name": {"Lee"}, "password": {"a long enough password"},
			"confirm": {"a long enough password"}}, ""), http.StatusNotFound, "")
		if n := sgnCountUsers(t, e, "late@example.test"); n != 0 {
			t.Fatal("an expired invitation created an account")
		}

		// Staff set up their second step next.
		staff := sgnInvite(t, e, "newcoach@example.test", access.Coach)
		rec = e.do("POST", "/invite/"+staff, url.Values{"first_name": {"Dana"}, "password": {"a long enough password"},
			"confirm": {"a long enough password"}}, "")
		sgnExpect(t, rec, http.StatusSeeOther, "/signin/enrol")
	})
}

// sgnResetToken reads the newest reset link sent to email from the outbox.
func sgnResetToken(t *testing.T, e *webEnv, email string) string {
	t.Helper()
	var body string
	err := e.db.QueryRow(context.Background(), `SELECT body_text FROM mail_outbox WHERE to_address = ? ORDER BY created_at DESC`, email).Scan(&body)
	if err != nil {
		t.Fatalf("no reset email for %s: %v", email, err)
	}
	m := regexp.MustCompile(`/reset/([A-Za-z0-9_-]{22})`).FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no reset link in:\n%s", body)
	}
	return m[1]
}

func TestPasswordReset(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		e := newWebEnv(t, d)
		ctx := context.Background()
		sgnExpect(t, e.do("GET", "/reset", nil, ""), http.StatusOK, "")
		sgnExpect(t, e.do("POST", "/reset", url.Values{"email": {"nobody@example.test"}}, ""), http.StatusSeeOther, "/reset?sent=1")
		unknownPage := sgnExpect(t, e.do("GET", "/reset?sent=1", nil, ""), http.StatusOK, "")
		if !strings.Contains(unknownPage, "If that email has an account, we sent a link. It works for one hour.") {
			t.Fatalf("sent page:\n%s", unknownPage)
		}
		var n int
		if err := d.QueryRow(ctx, `SELECT COUNT(*) FROM mail_outbox`).Scan(&n); err != nil || n != 0 {
			t.Fatalf("outbox has %d messages after an unknown email (%v)", n, err)
		}

		old, _ := sgnWebSignIn(t, e, "alumnus@example.test", testPassword, "")
		sgnExpect(t, e.do("POST", "/reset", url.Values{"email": {"alumnus@example.test"}}, ""), http.StatusSeeOther, "/reset?sent=1")
		token := sgnResetToken(t, e, "alumnus@example.test")
		path := "/reset/" + token
		sgnExpect(t, e.do("GET", path, nil, ""), http.StatusOK, "")
		body := sgnExpect(t, e.do("POST", path, url.Values{"password": {"a new long password"}, "confirm": {"a new long passwrd"}}, ""),
			http.StatusUnprocessableEntity, "")
		if !strings.Contains(body, "not the same") {
			t.Errorf("mismatch page:\n%s", body)
		}
		body = sgnExpect(t, e.do("POST", path, url.Values{"password": {"short"}, "confirm": {"short"}}, ""), http.StatusUnprocessableEntity, "")
		if !strings.Contains(body, `id="password-error"`) {
			t.Errorf("short password page:\n%s", body)
		}

		sgnExpect(t, e.do("POST", path, url.Values{"password": {"a new long password"}, "confirm": {"a new long password"}}, ""),
			http.StatusSeeOther, "/signin?done=reset")
		// Old sessions ended; the old password no longer works; the new one does.
		sgnExpect(t, e.do("GET", "/home", nil, old), http.StatusSeeOther, "/signin")
		sgnExpect(t, e.do("POST", "/signin", url.Values{"email": {"alumnus@example.test"}, "password": {testPassword}}, ""),
			http.StatusUnprocessableEntity, "")
		sgnWebSignIn(t, e, "alumnus@example.test", "a new long password", "")
		if body := sgnExpect(t, e.do("GET", "/signin?done=reset", nil, ""), http.StatusOK, ""); !strings.Contains(body, "Please sign in.") {
			t.Error("sign-in page does not confirm the reset")
		}
		// The link works once.
		sgnExpect(t, e.do("GET", path, nil, ""), http.StatusNotFound, "")
		sgnExpect(t, e.do("POST", path, url.Values{"password": {"yet another password"}, "confirm": {"yet another password"}}, ""),
			http.StatusNotFound, "")
	})
}

func TestSigninCookieAttributes(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		e := newWebEnv(t, d)
		rec := e.do("POST", "/signin", url.Values{"email": {"alumnus@example.test"}, "password": {testPassword}}, "")
		c := sgnSessionCookie(e, rec)
		if c == nil || c.Name != "cairn_session" || !c.HttpOnly || c.SameSite != http.SameSiteLaxMode || c.Path != "/" || c.Secure {
			t.Fatalf("plain-HTTP cookie: %+v", c)
		}

		e.cfg.BaseURL = "https://cairn.test"
		rec = e.do("POST", "/signin", url.Values{"email": {"alumnus@example.test"}, "password": {testPassword}}, "")
		c = sgnSessionCookie(e, rec)
		if c == nil || c.Name != "__Host-cairn_session" || !c.HttpOnly || !c.Secure || c.SameSite != http.SameSiteLaxMode || c.Path != "/" || c.Domain != "" {
			t.Fatalf("HTTPS cookie: %+v", c)
		}
	})
}

func TestSigninCrossSiteAndBadBodies(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		e := newWebEnv(t, d)
		cross := map[string]string{"Sec-Fetch-Site": "cross-site"}
		good := url.Values{"email": {"alumnus@example.test"}, "password": {testPassword}}.Encode()
		rec := sgnRequest(e, "POST", "/signin", good, "", cross)
		sgnExpect(t, rec, http.StatusForbidden, "")
		if sgnSessionCookie(e, rec) != nil {
			t.Fatal("a cross-site sign-in set a cookie")
		}

		cookie, _ := sgnWebSignIn(t, e, "alumnus@example.test", testPassword, "")
		change := url.Values{"current": {testPassword}, "password": {"a brand new password"}, "confirm": {"a brand new password"}}.Encode()
		sgnExpect(t, sgnRequest(e, "POST", "/account/password", change, cookie, cross), http.StatusForbidden, "")
		sgnExpect(t, sgnRequest(e, "POST", "/signout", "", cookie, cross), http.StatusForbidden, "")
		// Nothing changed: the session lives and the old password works.
		sgnExpect(t, e.do("GET", "/home", nil, cookie), http.StatusOK, "")
		sgnWebSignIn(t, e, "alumnus@example.test", testPassword, "")
		// Same-origin requests pass.
		sgnExpect(t, sgnRequest(e, "POST", "/signin", good, "", map[string]string{"Sec-Fetch-Site": "same-origin"}), http.StatusSeeOther, "/home")

		big := "email=" + strings.Repeat("a", int(e.cfg.MaxBodyBytes)+10)
		for _, p := range []string{"/signin", "/reset", "/invite/AAAAAAAAAAAAAAAAAAAAAA"} {
			body := sgnExpect(t, sgnRequest(e, "POST", p, big, "", nil), http.StatusRequestEntityTooLarge, "")
			if !strings.Contains(body, "more than we can accept") {
				t.Errorf("%s: 413 page:\n%s", p, body)
			}
			sgnExpect(t, sgnRequest(e, "POST", p, "email=%zz&password=%", "", nil), http.StatusBadRequest, "")
		}
		sgnExpect(t, sgnRequest(e, "POST", "/account/password", "current=%G0", cookie, nil), http.StatusBadRequest, "")
		sgnExpect(t, sgnRequest(e, "POST", "/account/password", big, cookie, nil), http.StatusRequestEntityTooLarge, "")
	})
}

func TestSigninPagesRender(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		e := newWebEnv(t, d)
		for _, p := range []string{"/signin", "/signin?next=/account", "/reset", "/reset?sent=1"} {
			body := sgnExpect(t, e.do("GET", p, nil, ""), http.StatusOK, "")
			if strings.Count(body, "<h1") != 1 || strings.Contains(body, "style=") {
				t.Errorf("%s: want one h1 and no inline styles", p)
			}
		}
		// Pending pages send visitors to sign in.
		sgnExpect(t, e.do("GET", "/signin/verify", nil, ""), http.StatusSeeOther, "/signin?next=%2Fsignin%2Fverify")
		sgnExpect(t, e.do("POST", "/signin/enrol", url.Values{}, ""), http.StatusSeeOther, "/signin")
		// Full sessions have nothing to do on the pending pages.
		cookie := e.signIn(e.users[access.Admin])
		sgnExpect(t, e.do("GET", "/signin/enrol", nil, cookie), http.StatusSeeOther, "/home")
		home := sgnExpect(t, e.do("GET", "/home", nil, cookie), http.StatusOK, "")
		for _, want := range []string{`href="/admin/people"`, `href="/admin/invitations"`, `href="/admin/audit"`} {
			if !strings.Contains(home, want) {
				t.Errorf("admin home lacks %s", want)
			}
		}
	})
}
