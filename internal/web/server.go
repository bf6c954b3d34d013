// Package web serves Cairn's HTML interface: routes, middleware, handlers
// and the embedded templates and static files. Handlers parse input, call
// feature packages with the acting person, and render; they hold no rules.
package web

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/cairn-recovery/cairn/internal/auth"
	"github.com/cairn-recovery/cairn/internal/config"
	"github.com/cairn-recovery/cairn/internal/db"
	"github.com/cairn-recovery/cairn/internal/jobs"
	"github.com/cairn-recovery/cairn/internal/live"
	"github.com/cairn-recovery/cairn/internal/metrics"
	"github.com/cairn-recovery/cairn/internal/programs"
)

// Deps are what the web server needs from the running application.
type Deps struct {
	Config  *config.Config
	DB      *db.DB
	Auth    *auth.Service
	Logger  *slog.Logger
	Version string

	// Live fans out live updates to GET /live; nil turns the route into
	// a 404 (tests that do not need it).
	Live *live.Hub

	// Metrics records every request and serves GET /metrics; nil records
	// nothing and turns the route into a 404.
	Metrics *metrics.Metrics

	// Jobs backs the dead-letter list at /admin/jobs; nil turns those
	// routes into 404s (tests that do not need it).
	Jobs *jobs.Jobs

	// API serves the JSON API under /api/ (internal/api), which
	// authenticates its callers itself; nil turns /api/ into a 404.
	API http.Handler
}

// Server is Cairn's web interface.
type Server struct {
	cfg     *config.Config
	db      *db.DB
	auth    *auth.Service
	log     *slog.Logger
	version string
	liveHub *live.Hub
	metrics *metrics.Metrics
	jobs    *jobs.Jobs
	api     http.Handler

	programs *programs.Cache

	tmpl    *templates
	footers footerCache
	static  *staticFiles
	routes  []route
	handler http.Handler
}

// New builds the server: it parses every template and registers every route.
func New(deps Deps) (*Server, error) {
	if deps.Config == nil || deps.DB == nil || deps.Auth == nil {
		return nil, fmt.Errorf("web: Config, DB and Auth are required")
	}
	s := &Server{cfg: deps.Config, db: deps.DB, auth: deps.Auth, log: deps.Logger, version: deps.Version,
		programs: programs.NewCache(deps.DB, programCacheTTL)}
	s.liveHub = deps.Live
	s.metrics = deps.Metrics
	s.jobs = deps.Jobs
	s.api = deps.API
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	var err error
	if s.static, err = loadStatic(); err != nil {
		return nil, err
	}
	if s.tmpl, err = parseTemplates(s.static); err != nil {
		return nil, err
	}
	mux := http.NewServeMux()
	s.registerRoutes(mux)
	s.handler = s.middleware(mux)
	return s, nil
}

// Handler returns the server's root handler, with all middleware.
func (s *Server) Handler() http.Handler { return s.handler }

// programCacheTTL bounds how long another instance's change to a
// program's settings takes to show here.
const programCacheTTL = 5 * time.Second

// defaultProgram is the program the public pages describe: the oldest one.
// An installation with several programs shows the signed-in person's own.
func (s *Server) defaultProgram(ctx context.Context) (*programs.Program, error) {
	return s.programs.Default(ctx)
}

// programFor returns the program a page is about: the signed-in person's,
// or the default one for visitors.
func (s *Server) programFor(r *http.Request) *programs.Program {
	st := state(r)
	if st.program != nil || st.programLoaded {
		return st.program
	}
	st.programLoaded = true
	var p *programs.Program
	var err error
	if st.user != nil {
		p, err = s.programs.Get(r.Context(), st.user.ProgramID)
	} else {
		p, err = s.defaultProgram(r.Context())
	}
	if err != nil {
		s.log.Error("load program", "err", err, "request_id", st.requestID)
		return nil
	}
	st.program = p
	return p
}

func (s *Server) now() time.Time { return time.Now() }
