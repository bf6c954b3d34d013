package web

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/api"
	"github.com/cairn-recovery/cairn/internal/db"
	"github.com/cairn-recovery/cairn/internal/testkit"
)

var rawTokenInPage = regexp.MustCompile(`value="(cairn_[A-Za-z0-9_-]{32})"`)

func TestAccountTokensPage(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		e := newWebEnv(t, d)
		e.srv.api = api.New(api.Deps{DB: d, Auth: e.auth, CookieName: e.srv.cookieName()})
		cookie := e.signIn(e.users[access.Alumnus])
		callAPI := func(token string) int {
			req := httptest.NewRequest("GET", "http://cairn.test/api/v1/me", nil)
			req.Header.Set("Authorization", "Bearer "+token)
			rec := httptest.NewRecorder()
			e.srv.Handler().ServeHTTP(rec, req)
			return rec.Code
		}

		rec := e.do("GET", "/account/tokens", nil, cookie)
		if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), "You have no tokens.") {
			t.Fatalf("empty page: %d", rec.Code)
		}
		if !strings.Contains(e.do("GET", "/account", nil, cookie).Body.String(), `href="/account/tokens"`) {
			t.Fatal("the account page does not link to the tokens page")
		}

		rec = e.do("POST", "/account/tokens", url.Values{"name": {strings.Repeat("x", 101)}}, cookie)
		if rec.Code != http.StatusUnprocessableEntity || !strings.Contains(rec.Body.String(), `id="name-error"`) {
			t.Fatalf("long name: %d", rec.Code)
		}

		rec = e.do("POST", "/account/tokens", url.Values{"name": {"Phone app"}}, cookie)
		if rec.Code != http.StatusOK || rec.Header().Get("Location") != "" {
			t.Fatalf("create: %d, Location %q; want the token on this page", rec.Code, rec.Header().Get("Location"))
		}
		m := rawTokenInPage.FindStringSubmatch(rec.Body.String())
		if m == nil {
			t.Fatal("the new token is not on the page")
		}
		raw := m[1]
		if got := rec.Header().Get("Cache-Control"); got != "no-store" {
			t.Errorf("Cache-Control %q on the page with the token", got)
		}
		if code := callAPI(raw); code != http.StatusOK {
			t.Fatalf("API with the new token: %d", code)
		}

		// The list shows it, used, and never the token again.
		rec = e.do("GET", "/account/tokens", nil, cookie)
		body := rec.Body.String()
		if !strings.Contains(body, "Phone app") || strings.Contains(body, raw) || strings.Contains(body, ">Never<") {
			t.Fatalf("list: name shown %v, token shown %v, never used %v", strings.Contains(body, "Phone app"),
				strings.Contains(body, raw), strings.Contains(body, ">Never<"))
		}
		list, err := e.auth.ListTokens(t.Context(), e.users[access.Alumnus].Actor("t"))
		if err != nil || len(list) != 1 {
			t.Fatalf("tokens %v, %v", list, err)
		}

		// Someone else cannot revoke it.
		other := e.signIn(e.users[access.Family])
		if rec := e.do("POST", "/account/tokens/"+list[0].ID+"/revoke", url.Values{}, other); rec.Code != http.StatusNotFound {
			t.Fatalf("another person revoking: %d", rec.Code)
		}
		rec = e.do("POST", "/account/tokens/"+list[0].ID+"/revoke", url.Values{}, cookie)
		if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/account/tokens?done=token-revoked" {
			t.Fatalf("revoke: %d %q", rec.Code, rec.Header().Get("Location"))
		}
		if !strings.Contains(e.do("GET", "/account/tokens?done=token-revoked", nil, cookie).Body.String(), "Token revoked.") {
			t.Fatal("no confirmation after revoking")
		}
		if code := callAPI(raw); code != http.StatusUnauthorized {
			t.Fatalf("API with the revoked token: %d", code)
		}

		// The session cookie works on the API through the web server too.
		req := httptest.NewRequest("GET", "http://cairn.test/api/v1/me", nil)
		req.AddCookie(&http.Cookie{Name: e.srv.cookieName(), Value: cookie})
		rec = httptest.NewRecorder()
		e.srv.Handler().ServeHTTP(rec, req)
		if rec.Code != http.StatusOK || rec.Header().Get("Content-Type") != "application/json" || rec.Header().Get("X-Request-Id") == "" {
			t.Fatalf("API with the cookie: %d %q", rec.Code, rec.Header().Get("Content-Type"))
		}
	})
}
