package web

import (
	"context"
	"net/http"
	"time"
)

func (s *Server) publicRoutes() []route {
	return []route{
		{"GET /{$}", public, s.landing},
		{"GET /healthz", public, s.healthz},
		{"GET /readyz", public, s.readyz},
		{"GET /static/", public, func(w http.ResponseWriter, r *http.Request) error {
			s.static.handler().ServeHTTP(w, r)
			return nil
		}},
	}
}

// landing is the public page of the program: its description and how to
// reach it. Signed-in people go straight home.
func (s *Server) landing(w http.ResponseWriter, r *http.Request) error {
	if v := s.newView(r, "", nil); v.SignedIn() {
		http.Redirect(w, r, "/home", http.StatusSeeOther)
		return nil
	}
	v := s.newView(r, "Alumni program", nil)
	if v.Program != nil {
		v.Title = v.Program.Name
	}
	return s.render(w, r, "landing", v)
}

// healthz says the process is up.
func (s *Server) healthz(w http.ResponseWriter, r *http.Request) error {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	_, _ = w.Write([]byte("ok\n"))
	return nil
}

// readyz says the database answers and its schema is current.
func (s *Server) readyz(w http.ResponseWriter, r *http.Request) error {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	if err := s.db.Ping(ctx); err != nil {
		s.log.Warn("readyz: database unreachable", "err", err)
		w.WriteHeader(http.StatusServiceUnavailable)
		_, _ = w.Write([]byte("database unreachable\n"))
		return nil
	}
	ok, err := s.db.MigrationsCurrent(ctx)
	if err != nil || !ok {
		w.WriteHeader(http.StatusServiceUnavailable)
		_, _ = w.Write([]byte("migrations pending\n"))
		return nil
	}
	_, _ = w.Write([]byte("ready\n"))
	return nil
}
