// Package api serves Cairn's JSON API v1 under /api/v1 and its OpenAPI 3.1
// document at /api/openapi.json.
//
// Callers authenticate with a personal access token (Authorization: Bearer
// cairn_…) or with the web session cookie of a fully signed-in session. The
// same internal/access rules apply as on the web: what a caller may not see
// answers 404, exactly like what does not exist. Errors are
// application/problem+json documents (RFC 9457) that name the field that
// was wrong. Lists are paged with opaque cursors. Each token (and each
// session) has a token-bucket rate limit kept in this instance's memory.
package api

import (
	"log/slog"
	"net/http"
	"time"

	"github.com/cairn-recovery/cairn/internal/auth"
	"github.com/cairn-recovery/cairn/internal/db"
	"github.com/cairn-recovery/cairn/internal/programs"
)

// Defaults used when Deps leaves a setting zero.
const (
	// DefaultMaxBodyBytes caps JSON request bodies.
	DefaultMaxBodyBytes = 64 << 10
	// DefaultRate and DefaultBurst are the rate limit per token or session:
	// requests per second on average, and how many may come at once.
	DefaultRate  = 20
	DefaultBurst = 40
	// programTTL bounds how long another instance's change to a program's
	// name or time zone takes to show in /api/v1/me.
	programTTL = 5 * time.Second
)

// Deps are what the API needs from the running application.
type Deps struct {
	DB     *db.DB
	Auth   *auth.Service
	Logger *slog.Logger
	// CookieName is the web session cookie's name; empty turns cookie
	// authentication off.
	CookieName string
	// MaxBodyBytes caps request bodies; zero means DefaultMaxBodyBytes.
	MaxBodyBytes int64
	// Rate (requests per second) and Burst set the rate limit per token
	// or session; zero means DefaultRate and DefaultBurst.
	Rate  float64
	Burst int
	// Now is the clock of the rate limit; nil means time.Now.
	Now func() time.Time
}

// API is the JSON API's handler.
type API struct {
	db       *db.DB
	auth     *auth.Service
	log      *slog.Logger
	cookie   string
	maxBody  int64
	now      func() time.Time
	limiter  *limiter
	programs *programs.Cache
	cop      *http.CrossOriginProtection
	mux      *http.ServeMux
	routes   []route
}

// New returns the API's handler. It panics when DB or Auth is missing,
// which is a wiring mistake.
func New(deps Deps) http.Handler {
	if deps.DB == nil || deps.Auth == nil {
		panic("api: DB and Auth are required")
	}
	a := &API{db: deps.DB, auth: deps.Auth, log: deps.Logger, cookie: deps.CookieName, maxBody: deps.MaxBodyBytes,
		now: deps.Now, programs: programs.NewCache(deps.DB, programTTL), cop: http.NewCrossOriginProtection(),
		mux: http.NewServeMux()}
	if a.log == nil {
		a.log = slog.New(slog.DiscardHandler)
	}
	if a.maxBody <= 0 {
		a.maxBody = DefaultMaxBodyBytes
	}
	if a.now == nil {
		a.now = time.Now
	}
	rate, burst := deps.Rate, deps.Burst
	if rate <= 0 {
		rate = DefaultRate
	}
	if burst <= 0 {
		burst = DefaultBurst
	}
	a.limiter = newLimiter(rate, burst)
	a.routes = a.routeTable()
	for _, rt := range a.routes {
		a.mux.Handle(rt.pattern, a.wrap(rt))
	}
	return a
}

// route is one registered pattern. The OpenAPI test walks the table, so
// that a route missing from the document fails the build.
type route struct {
	pattern string
	// open routes need no authentication (the OpenAPI document).
	open bool
	h    handlerFunc
}

// routeTable lists every route of the API.
func (a *API) routeTable() []route {
	return append([]route{
		{"GET /api/openapi.json", true, a.openAPI},
		{"GET /api/v1/me", false, a.me},
		{"GET /api/v1/notifications", false, a.listNotifications},
		{"POST /api/v1/notifications/read", false, a.markNotificationsRead},
		{"POST /api/v1/notifications/{id}/read", false, a.markNotificationRead},
		{"PUT /api/v1/me/recovery-date", false, a.putMyRecoveryDate},
		{"GET /api/v1/me/recovery-periods", false, a.getMyRecoveryPeriods},
		{"GET /api/v1/me/milestones", false, a.getMyMilestones},
		{"GET /api/v1/milestones/upcoming", false, a.getUpcomingMilestones},
		{"GET /api/v1/me/profile", false, a.getMyProfile},
		{"PATCH /api/v1/me/profile", false, a.patchMyProfile},
		{"GET /api/v1/members", false, a.listMembers},
		{"GET /api/v1/members/{id}", false, a.getMember},
		{"PUT /api/v1/members/{id}/recovery-date", false, a.putMemberRecoveryDate},
		{"GET /api/v1/me/consents", false, a.listMyConsents},
		{"POST /api/v1/me/consents", false, a.createMyConsent},
		{"POST /api/v1/me/consents/{id}/revoke", false, a.revokeMyConsent},
		{"GET /api/v1/me/disclosures", false, a.listMyDisclosures},
		{"POST /api/v1/roster-imports", false, a.importRoster},
		{"GET /api/v1/me/export", false, a.myExport},
	}, append(append(append(append(append(a.eventRoutes(), a.caseloadRoutes()...), a.conversationRoutes()...), a.safetyRoutes()...), a.circleRoutes()...), a.buddyRoutes()...)...)
}

// ServeHTTP answers the request, with a problem document for paths and
// methods the API does not have.
func (a *API) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if h, pattern := a.mux.Handler(r); pattern == "" {
		// Let the mux decide between 404 and 405 (with its Allow header),
		// then answer in JSON.
		cw := &captureWriter{header: http.Header{}}
		h.ServeHTTP(cw, r)
		c := &call{requestID: requestID(w)}
		if cw.status == http.StatusMethodNotAllowed {
			w.Header().Set("Allow", cw.header.Get("Allow"))
			a.fail(w, r, c, &Problem{Type: typeMethodNotAllowed, Title: "Method not allowed", Status: http.StatusMethodNotAllowed,
				Detail: "This path does not answer " + r.Method + "; see the Allow header."})
			return
		}
		a.fail(w, r, c, errNoRoute)
		return
	}
	a.mux.ServeHTTP(w, r)
}

// captureWriter records what the mux's own 404 and 405 handlers would
// write, without writing it.
type captureWriter struct {
	header http.Header
	status int
}

func (c *captureWriter) Header() http.Header { return c.header }
func (c *captureWriter) WriteHeader(status int) {
	if c.status == 0 {
		c.status = status
	}
}
func (c *captureWriter) Write(b []byte) (int, error) {
	c.WriteHeader(http.StatusOK)
	return len(b), nil
}
