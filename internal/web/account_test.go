package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/db"
	"github.com/cairn-recovery/cairn/internal/testkit"
)

func TestAccountSignedOut(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		e := newWebEnv(t, d)
		sgnExpect(t, e.do("GET", "/home", nil, ""), http.StatusSeeOther, "/signin")
		sgnExpect(t, e.do("GET", "/account", nil, ""), http.StatusSeeOther, "/signin?next=%2Faccount")
		sgnExpect(t, e.do("GET", "/account/sessions", nil, "AAAAAAAAAAAAAAAAAAAAAA"), http.StatusSeeOther, "/signin?next=%2Faccount%2Fsessions")
		sgnExpect(t, e.do("POST", "/account/password", url.Values{}, ""), http.StatusSeeOther, "/signin")
	})
}

func TestAccountPage(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		e := newWebEnv(t, d)
		cookie, _ := sgnWebSignIn(t, e, "alumnus@example.test", testPassword, "")
		body := sgnExpect(t, e.do("GET", "/account", nil, cookie), http.StatusOK, "")
		for _, want := range []string{"alumnus@example.test", "Alex R.", `href="/account/sessions"`, `autocomplete="current-password"`, "Not used"} {
			if !strings.Contains(body, want) {
				t.Errorf("account page lacks %q", want)
			}
		}
		staff := e.signIn(e.users[access.Coach])
		if body := sgnExpect(t, e.do("GET", "/account", nil, staff), http.StatusOK, ""); !strings.Contains(body, "On: you sign in with a code") {
			t.Error("staff account page does not show the second step as on")
		}
	})
}

func TestAccountPasswordChange(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		e := newWebEnv(t, d)
		here, _ := sgnWebSignIn(t, e, "alumnus@example.test", testPassword, "")
		elsewhere, _ := sgnWebSignIn(t, e, "alumnus@example.test", testPassword, "")

		cases := []struct {
			current, next, confirm, field, msg string
		}{
			{"wrong current password", "a brand new password", "a brand new password", "current", "not your current password"},
			{testPassword, "a brand new password", "a brand new passwor", "confirm", "not the same"},
			{testPassword, "tiny", "tiny", "password", "at least 8 characters"},
			{testPassword, "password123", "password123", "password", "most common"},
		}
		for _, c := range cases {
			body := sgnExpect(t, e.do("POST", "/account/password", url.Values{"current": {c.current}, "password": {c.next}, "confirm": {c.confirm}}, here),
				http.StatusUnprocessableEntity, "")
			if !strings.Contains(body, c.msg) || !strings.Contains(body, `id="`+c.field+`-error"`) || !strings.Contains(body, `aria-invalid="true"`) {
				t.Errorf("%s: page lacks %q by %s:\n%s", c.msg, c.msg, c.field, body)
			}
		}
		// Nothing changed so far.
		sgnExpect(t, e.do("GET", "/home", nil, elsewhere), http.StatusOK, "")

		sgnExpect(t, e.do("POST", "/account/password", url.Values{"current": {testPassword}, "password": {"a brand new password"},
			"confirm": {"a brand new password"}}, here), http.StatusSeeOther, "/account?done=password")
		if body := sgnExpect(t, e.do("GET", "/account?done=password", nil, here), http.StatusOK, ""); !strings.Contains(body, "Your password has been changed.") {
			t.Error("no confirmation after the change")
		}
		// The other session ended; the new password works.
		sgnExpect(t, e.do("GET", "/home", nil, elsewhere), http.StatusSeeOther, "/signin")
		sgnWebSignIn(t, e, "alumnus@example.test", "a brand new password", "")
	})
}

func TestAccountSessions(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		e := newWebEnv(t, d)
		phone := map[string]string{"User-Agent": "Mozilla/5.0 (Linux; Android 14; Pixel 7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Mobile Safari/537.36"}
		form := url.Values{"email": {"alumnus@example.test"}, "password": {testPassword}}.Encode()
		rec := sgnRequest(e, "POST", "/signin", form, "", phone)
		sgnExpect(t, rec, http.StatusSeeOther, "/home")
		onPhone := sgnSessionCookie(e, rec).Value
		laptop := map[string]string{"User-Agent": "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0"}
		rec = sgnRequest(e, "POST", "/signin", form, "", laptop)
		onLaptop := sgnSessionCookie(e, rec).Value

		body := sgnExpect(t, sgnRequest(e, "GET", "/account/sessions", "", onLaptop, laptop), http.StatusOK, "")
		if !strings.Contains(body, "Chrome on Android") || !strings.Contains(body, "Firefox on Windows") || strings.Count(body, "This device") != 1 {
			t.Fatalf("sessions page:\n%s", body)
		}
		if strings.Contains(body, onPhone) || strings.Contains(body, onLaptop) {
			t.Fatal("a session token is on the page")
		}

		ctx := context.Background()
		sessions, err := e.auth.ListSessions(ctx, e.users[access.Alumnus].Actor("t"))
		if err != nil || len(sessions) != 2 {
			t.Fatalf("sessions: %v, %v", sessions, err)
		}
		phoneSess, _, err := e.auth.Authenticate(ctx, onPhone)
		if err != nil {
			t.Fatal(err)
		}
		laptopSess, _, err := e.auth.Authenticate(ctx, onLaptop)
		if err != nil {
			t.Fatal(err)
		}

		// Another person's session cannot be revoked, and looks missing.
		other := e.signIn(e.users[access.Family])
		otherSess, _, err := e.auth.Authenticate(ctx, other)
		if err != nil {
			t.Fatal(err)
		}
		sgnExpect(t, e.do("POST", "/account/sessions/"+otherSess.ID+"/revoke", url.Values{}, onLaptop), http.StatusNotFound, "")
		sgnExpect(t, e.do("GET", "/home", nil, other), http.StatusOK, "")
		sgnExpect(t, e.do("POST", "/account/sessions/no-such-id/revoke", url.Values{}, onLaptop), http.StatusNotFound, "")

		sgnExpect(t, e.do("POST", "/account/sessions/"+phoneSess.ID+"/revoke", url.Values{}, onLaptop), http.StatusSeeOther, "/account/sessions?done=revoked")
		sgnExpect(t, e.do("GET", "/home", nil, onPhone), http.StatusSeeOther, "/signin")
		body = sgnExpect(t, e.do("GET", "/account/sessions?done=revoked", nil, onLaptop), http.StatusOK, "")
		if strings.Contains(body, "Chrome on Android") || !strings.Contains(body, "That session has been signed out.") {
			t.Errorf("after revoking:\n%s", body)
		}

		// Revoking this session signs out.
		rec = e.do("POST", "/account/sessions/"+laptopSess.ID+"/revoke", url.Values{}, onLaptop)
		sgnExpect(t, rec, http.StatusSeeOther, "/?done=signedout")
		if c := sgnSessionCookie(e, rec); c == nil || c.MaxAge >= 0 {
			t.Error("the cookie was not cleared")
		}
		sgnExpect(t, e.do("GET", "/home", nil, onLaptop), http.StatusSeeOther, "/signin")
	})
}

func TestUserAgentLabel(t *testing.T) {
	for ua, want := range map[string]string{
		"": "Unknown device",
		"Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1": "Safari on iPhone",
		"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36 Edg/126.0":                   "Edge on Windows",
		"Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36":                          "Chrome on Mac",
		"curl/8.5.0": "curl/8.5.0",
		"test-agent": "test-agent",
	} {
		if got := userAgentLabel(ua); got != want {
			t.Errorf("userAgentLabel(%q) = %q, want %q", ua, got, want)
		}
	}
	if got := userAgentLabel(strings.Repeat("x", 100)); len(got) > 50 {
		t.Errorf("long agent not shortened: %q", got)
	}
}
