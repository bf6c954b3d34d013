package web

import (
	"errors"
	"net/http"
	"net/url"
	"strings"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/members"
)

// interestRoutes are the staff page that edits the interests the program
// suggests on the profile form.
func (s *Server) interestRoutes() []route {
	return []route{
		{"GET /admin/interests", signedIn, s.adminInterests},
		{"POST /admin/interests", signedIn, s.adminInterestsSave},
	}
}

// mayEditInterests asks internal/access.
func mayEditInterests(a access.Actor) bool {
	return access.EditInterests(a, a.ProgramID) == nil
}

func (s *Server) adminInterests(w http.ResponseWriter, r *http.Request) error {
	a := actor(r)
	if !mayEditInterests(a) {
		return errNotFound
	}
	list, err := members.ProgramInterests(r.Context(), s.db, a.ProgramID)
	if err != nil {
		return err
	}
	v := s.adminView(r, "Interests", nil)
	v.Form = url.Values{"interests": {strings.Join(list, "\n")}}
	return s.render(w, r, "members_profile_interests", v)
}

func (s *Server) adminInterestsSave(w http.ResponseWriter, r *http.Request) error {
	a := actor(r)
	if !mayEditInterests(a) {
		return errNotFound
	}
	if err := parseForm(r); err != nil {
		return err
	}
	names := strings.Split(strings.ReplaceAll(r.PostFormValue("interests"), "\r\n", "\n"), "\n")
	err := members.SetProgramInterests(r.Context(), s.db, a, names)
	var ve members.ValidationError
	if errors.As(err, &ve) {
		return s.formError(w, r, "members_profile_interests", s.adminView(r, "Interests", nil), ve[0].Field, ve[0].Message)
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/admin/interests?done=saved", http.StatusSeeOther)
	return nil
}
