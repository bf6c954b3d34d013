package web

import (
	"net/http"
)

// homeData is the signed-in start page.
type homeData struct {
	// Admin lists the staff sections the person may use (empty for
	// alumni and family).
	Admin []adminSection
}

// home greets the signed-in person and links to what they may use now.
func (s *Server) home(w http.ResponseWriter, r *http.Request) error {
	v := s.newView(r, "Home", homeData{Admin: adminSections(actor(r))})
	v.Nav = "home"
	return s.render(w, r, "home", v)
}
