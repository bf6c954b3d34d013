package web

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/auth"
	"github.com/cairn-recovery/cairn/internal/programs"
)

// reqState is what the middleware learns about a request and the handlers
// and templates read back.
type reqState struct {
	requestID string
	nonce     string
	token     string // the session token from the cookie, when valid
	session   *auth.Session
	user      *auth.User

	program       *programs.Program
	programLoaded bool

	// pattern is the route pattern that served the request, set by wrap,
	// for the request metrics ("" when no route was reached).
	pattern string
}

type stateKey struct{}

func state(r *http.Request) *reqState {
	if st, ok := r.Context().Value(stateKey{}).(*reqState); ok {
		return st
	}
	return &reqState{}
}

// actor returns the person making the request, as access sees them.
func actor(r *http.Request) access.Actor {
	st := state(r)
	if st.user == nil || st.session == nil || st.session.Stage != auth.StageFull {
		return access.Actor{RequestID: st.requestID}
	}
	return st.user.Actor(st.requestID)
}

func randomString(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// middleware wraps the mux: request id and nonce, security headers, panic
// recovery, body cap, cross-origin protection and the session.
func (s *Server) middleware(next http.Handler) http.Handler {
	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.serveError(w, r, errStatus(http.StatusForbidden, "This form was sent from another site, so we did not act on it. Please go back, reload the page and try again."))
	}))
	inner := cop.Handler(s.withSession(next))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		st := &reqState{requestID: randomString(12), nonce: randomString(16)}
		r = r.WithContext(context.WithValue(r.Context(), stateKey{}, st))
		if s.metrics != nil {
			// Deferred first, so it runs last: after a panic is turned
			// into the error page.
			sw := &statusWriter{ResponseWriter: w}
			w = sw
			defer s.recordRequest(sw, st, time.Now())
		}
		s.securityHeaders(w, r, st)
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.serveError(w, r, fmt.Errorf("panic: %v", v))
			}
		}()
		r.Body = http.MaxBytesReader(w, r.Body, s.bodyLimit(r))
		inner.ServeHTTP(w, r)
	})
}

func (s *Server) securityHeaders(w http.ResponseWriter, r *http.Request, st *reqState) {
	h := w.Header()
	h.Set("Content-Security-Policy", "default-src 'self'; script-src 'self' 'nonce-"+st.nonce+"'; style-src 'self'; img-src 'self' data:; "+
		"connect-src 'self'; form-action 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Cross-Origin-Opener-Policy", "same-origin")
	h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), interest-cohort=()")
	h.Set("X-Request-Id", st.requestID)
	if s.cfg.TLS() {
		h.Set("Strict-Transport-Security", "max-age=63072000; includeSubDomains")
	}
	if !strings.HasPrefix(r.URL.Path, "/static/") {
		h.Set("Cache-Control", "no-store")
	}
}

// cookieName is the session cookie's name: with the __Host- prefix under
// TLS, so that no subdomain or plain-HTTP page can set it.
func (s *Server) cookieName() string {
	if s.cfg.TLS() {
		return "__Host-cairn_session"
	}
	return "cairn_session"
}

func (s *Server) setSessionCookie(w http.ResponseWriter, token string) {
	http.SetCookie(w, &http.Cookie{
		Name: s.cookieName(), Value: token, Path: "/", HttpOnly: true, Secure: s.cfg.TLS(),
		SameSite: http.SameSiteLaxMode, MaxAge: int(s.cfg.SessionLifetime.Seconds()),
	})
}

func (s *Server) clearSessionCookie(w http.ResponseWriter) {
	http.SetCookie(w, &http.Cookie{
		Name: s.cookieName(), Value: "", Path: "/", HttpOnly: true, Secure: s.cfg.TLS(),
		SameSite: http.SameSiteLaxMode, MaxAge: -1,
	})
}

// withSession loads the session named by the cookie, if any.
func (s *Server) withSession(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// Static files and probes need no session; the API authenticates
		// itself (token or cookie), so it is not looked up twice.
		if strings.HasPrefix(r.URL.Path, "/static/") || strings.HasPrefix(r.URL.Path, "/api/") ||
			r.URL.Path == "/healthz" || r.URL.Path == "/readyz" {
			next.ServeHTTP(w, r)
			return
		}
		c, err := r.Cookie(s.cookieName())
		if err == nil && c.Value != "" {
			authenticate := s.auth.Authenticate
			if r.URL.Path == "/live" {
				// The browser reconnects the live stream by itself; that
				// is not activity, so it does not extend the session.
				authenticate = s.auth.Check
			}
			sess, user, err := authenticate(r.Context(), c.Value)
			switch {
			case err == nil:
				st := state(r)
				st.token, st.session, st.user = c.Value, sess, user
			case errors.Is(err, auth.ErrNoSession):
				s.clearSessionCookie(w)
			default:
				s.serveError(w, r, err)
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}

// clientAddr is the address sign-in throttling counts by. It is never logged.
func (s *Server) clientAddr(r *http.Request) string {
	if s.cfg.TrustProxy {
		if xff := r.Header.Get("X-Forwarded-For"); xff != "" {
			first, _, _ := strings.Cut(xff, ",")
			return strings.TrimSpace(first)
		}
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// uploadPaths are the routes that take files (roster CSVs, photos), which
// may be larger than a form. Their handlers enforce their own, smaller
// limits on top.
var uploadPaths = map[string]bool{
	"/admin/roster":          true,
	"/api/v1/roster-imports": true,
	"/profile/photo":         true,
}

// uploadBodyBytes caps the body of an upload route.
const uploadBodyBytes = 6 << 20

// bodyLimit is the cap on r's body: CAIRN_MAX_BODY_BYTES, or more for the
// upload routes.
func (s *Server) bodyLimit(r *http.Request) int64 {
	if r.Method == http.MethodPost && uploadPaths[r.URL.Path] {
		return max(s.cfg.MaxBodyBytes, uploadBodyBytes)
	}
	return s.cfg.MaxBodyBytes
}
