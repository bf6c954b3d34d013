package web

import (
	"errors"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/auth"
	"github.com/cairn-recovery/cairn/internal/metrics"
)

func (s *Server) metricsRoutes() []route {
	return []route{
		{"GET /metrics", public, s.metricsPage},
	}
}

// metricsPage serves the Prometheus metrics to a scraper on this machine
// or to the holder of an admin's API token; everyone else gets the
// not-found page.
func (s *Server) metricsPage(w http.ResponseWriter, r *http.Request) error {
	if s.metrics == nil {
		return errNotFound
	}
	ok, err := s.mayScrape(r)
	if err != nil {
		return err
	}
	if !ok {
		return errNotFound
	}
	s.metrics.Handler().ServeHTTP(w, r)
	return nil
}

// mayScrape reports whether r may read the metrics: a connection from
// loopback, unless Cairn runs behind a proxy (whose connections all come
// from loopback when it runs on the same machine, so that only a token
// tells who is asking), or an "Authorization: Bearer" API token of an
// admin. X-Forwarded-For is never consulted: it is the client's word.
func (s *Server) mayScrape(r *http.Request) (bool, error) {
	if !s.cfg.TrustProxy && isLoopback(r.RemoteAddr) {
		return true, nil
	}
	raw, ok := bearerToken(r)
	if !ok {
		return false, nil
	}
	_, u, err := s.auth.AuthenticateToken(r.Context(), raw)
	if errors.Is(err, auth.ErrNoSession) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	return access.ViewMetrics(u.Role), nil
}

// isLoopback reports whether remote ("host:port", as in
// http.Request.RemoteAddr) is a loopback address: 127.0.0.0/8 or ::1.
func isLoopback(remote string) bool {
	host, _, err := net.SplitHostPort(remote)
	if err != nil {
		return false
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// bearerToken returns the token of an "Authorization: Bearer" header.
func bearerToken(r *http.Request) (string, bool) {
	h := r.Header.Get("Authorization")
	scheme, token, ok := strings.Cut(h, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return "", false
	}
	token = strings.TrimSpace(token)
	return token, token != ""
}

// mountedPattern returns the pattern to record for a request served by the
// route registered as pattern. A subtree route ("/api/") that hands the
// request to a ServeMux of its own (the JSON API) leaves that mux's finer
// pattern ("GET /api/v1/me") in the request, since a ServeMux sets
// Request.Pattern on the request it is given; that one is recorded
// instead. It is still a pattern, never a path.
func mountedPattern(pattern, inner string) string {
	if inner != "" && inner != pattern && strings.HasSuffix(pattern, "/") {
		return inner
	}
	return pattern
}

// statusWriter remembers the status a handler sent, for the request
// metrics. Unwrap lets http.ResponseController reach the connection (for
// flushing server-sent events).
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 && code >= 200 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

// Flush sends what is buffered, for callers that assert http.Flusher.
func (w *statusWriter) Flush() {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	_ = http.NewResponseController(w.ResponseWriter).Flush()
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// recordRequest records one finished request under the route pattern
// wrap stored in st (never the path, so that no id becomes a label);
// requests that reached no route (the catch-all's 404s, forms refused
// by the cross-origin check) count as metrics.Unmatched.
func (s *Server) recordRequest(w *statusWriter, st *reqState, start time.Time) {
	pattern := st.pattern
	if pattern == "" {
		pattern = metrics.Unmatched
	}
	status := w.status
	if status == 0 {
		status = http.StatusOK
	}
	s.metrics.ObserveRequest(pattern, status, time.Since(start))
}
