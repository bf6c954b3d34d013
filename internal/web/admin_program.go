package web

import (
	"errors"
	"net/http"
	"net/url"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/programs"
)

// adminProgram shows the program settings form, filled in.
func (s *Server) adminProgram(w http.ResponseWriter, r *http.Request) error {
	a := actor(r)
	if err := access.EditProgram(a, a.ProgramID); err != nil {
		return err
	}
	p, err := programs.Get(r.Context(), s.db, a.ProgramID)
	if err != nil {
		return err
	}
	v := s.adminView(r, "Program settings", nil)
	v.Form = url.Values{
		"name": {p.Name}, "timezone": {p.TimeZone}, "phone": {p.Phone},
		"address": {p.Address}, "description": {p.Description},
	}
	return s.render(w, r, "admin_program", v)
}

// adminProgramSave changes the program settings; the landing page shows
// them at once.
func (s *Server) adminProgramSave(w http.ResponseWriter, r *http.Request) error {
	a := actor(r)
	if err := access.EditProgram(a, a.ProgramID); err != nil {
		return err
	}
	if err := parseForm(r); err != nil {
		return err
	}
	settings := programs.Settings{
		Name:        r.PostFormValue("name"),
		TimeZone:    r.PostFormValue("timezone"),
		Phone:       r.PostFormValue("phone"),
		Address:     r.PostFormValue("address"),
		Description: r.PostFormValue("description"),
	}
	_, err := programs.Update(r.Context(), s.db, a, a.ProgramID, settings)
	s.programs.Forget()
	if err != nil {
		var fe *programs.FieldError
		if errors.As(err, &fe) {
			return s.formError(w, r, "admin_program", s.adminView(r, "Program settings", nil), fe.Field, fe.Message)
		}
		return err
	}
	http.Redirect(w, r, "/admin/program?done=saved", http.StatusSeeOther)
	return nil
}
