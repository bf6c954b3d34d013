package web

import (
	"errors"
	"net/http"
	"net/url"

	"github.com/cairn-recovery/cairn/internal/auth"
	"github.com/cairn-recovery/cairn/internal/config"
)

// apiRoutes are the JSON API, mounted as it is (it authenticates its own
// callers and answers in JSON), and the account pages that manage the
// personal access tokens it accepts.
func (s *Server) apiRoutes() []route {
	return []route{
		{"/api/", public, s.serveAPI},
		{"GET /account/tokens", signedIn, s.accountTokens},
		{"POST /account/tokens", signedIn, s.accountCreateToken},
		{"POST /account/tokens/{id}/revoke", signedIn, s.accountRevokeToken},
	}
}

// serveAPI hands the request to the JSON API.
func (s *Server) serveAPI(w http.ResponseWriter, r *http.Request) error {
	if s.api == nil {
		return errNotFound
	}
	s.api.ServeHTTP(w, r)
	return nil
}

// tokensPage is what the tokens page shows.
type tokensPage struct {
	Tokens []*auth.Token
	// NewToken is the raw token just made: shown on this one response
	// and never again.
	NewToken     string
	NewTokenName string
}

func (s *Server) tokensView(r *http.Request, page *tokensPage) (*view, error) {
	list, err := s.auth.ListTokens(r.Context(), actor(r))
	if err != nil {
		return nil, err
	}
	page.Tokens = list
	v := s.newView(r, "API tokens", page)
	v.Nav = "account"
	if r.URL.Query().Get("done") == "token-revoked" {
		v.Flash = "Token revoked. Programs that used it can no longer reach your account."
	}
	return v, nil
}

func (s *Server) accountTokens(w http.ResponseWriter, r *http.Request) error {
	v, err := s.tokensView(r, &tokensPage{})
	if err != nil {
		return err
	}
	return s.render(w, r, "account_tokens", v)
}

// accountCreateToken makes a token and shows it on the response page
// itself, so that it never travels in a URL or a redirect.
func (s *Server) accountCreateToken(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	raw, tok, err := s.auth.CreateToken(r.Context(), actor(r), postedField(r, "name"))
	var fe *auth.FieldError
	if errors.As(err, &fe) {
		v, verr := s.tokensView(r, &tokensPage{})
		if verr != nil {
			return verr
		}
		return s.formError(w, r, "account_tokens", v, fe.Field, fe.Message)
	}
	if err != nil {
		return err
	}
	v, err := s.tokensView(r, &tokensPage{NewToken: raw, NewTokenName: tok.Name})
	if err != nil {
		return err
	}
	v.Form = url.Values{}
	return s.render(w, r, "account_tokens", v)
}

func (s *Server) accountRevokeToken(w http.ResponseWriter, r *http.Request) error {
	if err := s.auth.RevokeToken(r.Context(), actor(r), r.PathValue("id")); err != nil {
		return err
	}
	http.Redirect(w, r, "/account/tokens?done=token-revoked", http.StatusSeeOther)
	return nil
}

// SessionCookieName is the name of the session cookie under cfg, for the
// JSON API's cookie authentication.
func SessionCookieName(cfg *config.Config) string {
	return (&Server{cfg: cfg}).cookieName()
}
