package web

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/cairn-recovery/cairn/internal/auth"
	"github.com/cairn-recovery/cairn/internal/metrics"
)

// level says who may reach a route at all; what they may see there is for
// internal/access to answer.
type level int

const (
	// public routes answer anyone.
	public level = iota
	// signedIn routes need a signed-in person who has passed every sign-in step.
	signedIn
	// pending routes are the sign-in steps after the password: second
	// factor and its enrolment.
	pending
)

// route is one registered pattern. The access matrix test walks s.routes,
// so that a route added without a row in the matrix fails the build.
type route struct {
	pattern string
	level   level
	h       handlerFunc
}

func (s *Server) registerRoutes(mux *http.ServeMux) {
	var all []route
	all = append(all, s.publicRoutes()...)
	all = append(all, s.signinRoutes()...)
	all = append(all, s.accountRoutes()...)
	all = append(all, s.adminRoutes()...)
	all = append(all, s.metricsRoutes()...)
	all = append(all, s.liveRoutes()...)
	all = append(all, s.notificationRoutes()...)
	all = append(all, s.recoveryRoutes()...)
	all = append(all, s.familyRoutes()...)
	all = append(all, s.profileRoutes()...)
	all = append(all, s.rosterRoutes()...)
	all = append(all, s.exportRoutes()...)
	all = append(all, s.apiRoutes()...)
	all = append(all, s.eventFeedRoutes()...)
	all = append(all, s.eventRoutes()...)
	all = append(all, s.caseloadRoutes()...)
	all = append(all, s.supportRoutes()...)
	all = append(all, s.conversationRoutes()...)
	all = append(all, s.buddyRoutes()...)
	all = append(all, s.circleRoutes()...)
	all = append(all, s.safetyRoutes()...)
	all = append(all, s.moderationRoutes()...)
	all = append(all, s.adminMessageKeyRoutes()...)
	s.routes = all
	for _, rt := range all {
		mux.Handle(rt.pattern, s.wrap(rt))
	}
	mux.Handle("/", s.wrap(route{pattern: metrics.Unmatched, level: public, h: func(w http.ResponseWriter, r *http.Request) error {
		return errNotFound
	}}))
}

// Patterns lists every registered route pattern, for tests and docs.
func (s *Server) Patterns() []string {
	out := make([]string, len(s.routes))
	for i, rt := range s.routes {
		out[i] = rt.pattern
	}
	return out
}

func (s *Server) wrap(rt route) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		st := state(r)
		st.pattern = rt.pattern // for the request metrics
		switch rt.level {
		case signedIn:
			if st.session == nil {
				s.redirectToSignIn(w, r)
				return
			}
			if st.session.Stage != auth.StageFull {
				http.Redirect(w, r, stagePath(st.session.Stage), http.StatusSeeOther)
				return
			}
		case pending:
			if st.session == nil {
				s.redirectToSignIn(w, r)
				return
			}
			if st.session.Stage == auth.StageFull {
				http.Redirect(w, r, "/home", http.StatusSeeOther)
				return
			}
		}
		if err := rt.h(w, r); err != nil {
			s.serveError(w, r, err)
		}
		st.pattern = mountedPattern(rt.pattern, r.Pattern) // for the request metrics
	})
}

// stagePath is the page for a session that has a sign-in step left.
func stagePath(stage string) string {
	if stage == auth.StageEnroll {
		return "/signin/enrol"
	}
	return "/signin/verify"
}

func (s *Server) redirectToSignIn(w http.ResponseWriter, r *http.Request) {
	target := "/signin"
	if r.Method == http.MethodGet && r.URL.Path != "/home" {
		target += "?next=" + url.QueryEscape(r.URL.RequestURI())
	}
	http.Redirect(w, r, target, http.StatusSeeOther)
}

// safeNext returns next if it is a path on this site, else "/home".
func safeNext(next string) string {
	if next == "" || !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") {
		return "/home"
	}
	if u, err := url.Parse(next); err != nil || u.Host != "" || u.Scheme != "" {
		return "/home"
	}
	return next
}
