package api

import (
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"math"
	"net/http"
	"strconv"
	"strings"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/auth"
)

// handlerFunc is a route's handler; errors become problem documents in one
// place (see fail).
type handlerFunc func(w http.ResponseWriter, r *http.Request, c *call) error

// call is what the API knows about one request.
type call struct {
	requestID string
	user      *auth.User
	// limitKey names the rate-limit bucket: the token's or session's id.
	limitKey string
}

// actor is the caller as internal/access sees them.
func (c *call) actor() access.Actor {
	if c.user == nil {
		return access.Actor{RequestID: c.requestID}
	}
	return c.user.Actor(c.requestID)
}

// requestID returns the id the web middleware gave the request (its
// X-Request-Id response header), or makes one when the API runs alone.
func requestID(w http.ResponseWriter) string {
	if id := w.Header().Get("X-Request-Id"); id != "" {
		return id
	}
	b := make([]byte, 9)
	_, _ = rand.Read(b)
	id := base64.RawURLEncoding.EncodeToString(b)
	w.Header().Set("X-Request-Id", id)
	return id
}

// wrap authenticates (unless the route is open), applies the rate limit,
// runs the handler and turns its error into a problem document.
func (a *API) wrap(rt route) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c := &call{requestID: requestID(w)}
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				a.fail(w, r, c, fmt.Errorf("panic: %v", v))
			}
		}()
		if !rt.open {
			if err := a.authenticate(r, c); err != nil {
				a.fail(w, r, c, err)
				return
			}
			if ok, wait := a.limiter.allow(c.limitKey, a.now()); !ok {
				secs := int(math.Ceil(wait.Seconds()))
				w.Header().Set("Retry-After", strconv.Itoa(max(secs, 1)))
				a.fail(w, r, c, &Problem{Type: typeRateLimited, Title: "Too many requests", Status: http.StatusTooManyRequests,
					Detail: "This token or session sent more requests than the API allows; wait for the seconds in Retry-After."})
				return
			}
		}
		if err := rt.h(w, r, c); err != nil {
			a.fail(w, r, c, err)
		}
	})
}

// Answers to a request that is not authenticated. The WWW-Authenticate
// values follow RFC 6750.
var (
	errNoCredentials = &Problem{Type: typeUnauthorized, Title: "Not signed in", Status: http.StatusUnauthorized,
		Detail: "Send a personal access token in an Authorization: Bearer header.", challenge: `Bearer realm="cairn"`}
	errBadHeader = &Problem{Type: typeUnauthorized, Title: "Not signed in", Status: http.StatusUnauthorized,
		Detail: "The Authorization header must be \"Bearer\", a space and the token.", challenge: `Bearer realm="cairn", error="invalid_request"`}
	errBadToken = &Problem{Type: typeUnauthorized, Title: "Not signed in", Status: http.StatusUnauthorized,
		Detail: "This token is unknown or revoked, or its account is disabled.", challenge: `Bearer realm="cairn", error="invalid_token"`}
	errBadSession = &Problem{Type: typeUnauthorized, Title: "Not signed in", Status: http.StatusUnauthorized,
		Detail: "The session has ended or still waits for a sign-in step; sign in again.", challenge: `Bearer realm="cairn"`}
	errCrossOrigin = &Problem{Type: typeForbidden, Title: "Cross-origin request refused", Status: http.StatusForbidden,
		Detail: "A request with the session cookie must come from this site; other clients use a token."}
)

// authenticate finds the caller: the bearer token when an Authorization
// header is present, otherwise the session cookie (fully signed-in
// sessions only).
func (a *API) authenticate(r *http.Request, c *call) error {
	if h := r.Header.Get("Authorization"); h != "" {
		scheme, raw, ok := strings.Cut(h, " ")
		if !ok || !strings.EqualFold(scheme, "Bearer") || raw == "" {
			return errBadHeader
		}
		tok, u, err := a.auth.AuthenticateToken(r.Context(), strings.TrimSpace(raw))
		if errors.Is(err, auth.ErrNoSession) {
			return errBadToken
		}
		if err != nil {
			return err
		}
		c.user, c.limitKey = u, "t:"+tok.ID
		return nil
	}
	if a.cookie == "" {
		return errNoCredentials
	}
	ck, err := r.Cookie(a.cookie)
	if err != nil || ck.Value == "" {
		return errNoCredentials
	}
	sess, u, err := a.auth.Authenticate(r.Context(), ck.Value)
	if errors.Is(err, auth.ErrNoSession) || err == nil && sess.Stage != auth.StageFull {
		return errBadSession
	}
	if err != nil {
		return err
	}
	// A cookie rides along with any request the browser sends, so a
	// cross-origin one must not act (the web middleware checks this too).
	if err := a.cop.Check(r); err != nil {
		return errCrossOrigin
	}
	c.user, c.limitKey = u, "s:"+sess.ID
	return nil
}
