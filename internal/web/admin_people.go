package web

import (
	"errors"
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/auth"
)

// maxSearch bounds the people search, so a long query is a clear error.
const maxSearch = 100

// adminPeopleData is the people list with its filters.
type adminPeopleData struct {
	People []*auth.User
	// Total is the number of people before filtering.
	Total int
	Roles []access.Role
	// Filtered reports whether a filter is in use.
	Filtered bool
}

// adminPeople lists the people of the actor's program, optionally only one
// role and only those whose name or email contains the search text.
func (s *Server) adminPeople(w http.ResponseWriter, r *http.Request) error {
	a := actor(r)
	all, err := s.auth.ListUsers(r.Context(), a, a.ProgramID)
	if err != nil {
		return err
	}
	query := r.URL.Query()
	data := &adminPeopleData{Total: len(all), Roles: access.Roles}
	v := s.adminView(r, "People", data)
	v.Form = query

	var role access.Role
	if rs := strings.TrimSpace(query.Get("role")); rs != "" {
		if role, err = access.ParseRole(rs); err != nil {
			return s.formError(w, r, "admin_people", v, "role", "Choose one of the listed roles.")
		}
	}
	q := strings.TrimSpace(query.Get("q"))
	if utf8.RuneCountInString(q) > maxSearch || !utf8.ValidString(q) {
		return s.formError(w, r, "admin_people", v, "q", "Use at most 100 characters in the search.")
	}
	data.Filtered = role != "" || q != ""
	needle := strings.ToLower(q)
	for _, u := range all {
		if role != "" && u.Role != role {
			continue
		}
		if needle != "" && !personMatches(u, needle) {
			continue
		}
		data.People = append(data.People, u)
	}
	return s.render(w, r, "admin_people", v)
}

// personMatches reports whether the lower-cased needle is in the person's
// name or email.
func personMatches(u *auth.User, needle string) bool {
	for _, h := range []string{u.FirstName + " " + u.LastName, u.Email, u.DisplayName()} {
		if strings.Contains(strings.ToLower(h), needle) {
			return true
		}
	}
	return false
}

// adminPersonData is one person's page.
type adminPersonData struct {
	Person *auth.User
	// CanManage reports whether the actor may change the role and disable
	// or enable the account.
	CanManage bool
	// Self reports whether the page is the actor's own.
	Self  bool
	Roles []access.Role
}

// loadPerson returns the person named by the path for staff who may view
// the program's people; anyone else, and any other program's person, is
// not found.
func (s *Server) loadPerson(r *http.Request) (*adminPersonData, error) {
	a := actor(r)
	if err := access.ViewPeople(a, a.ProgramID); err != nil {
		return nil, err
	}
	u, err := s.auth.GetUser(r.Context(), a, r.PathValue("id"))
	if err != nil {
		return nil, err
	}
	if u.ProgramID != a.ProgramID {
		return nil, access.ErrNotFound
	}
	return &adminPersonData{
		Person:    u,
		CanManage: access.ManageAccount(a, u.ProgramID, u.ID) == nil,
		Self:      u.ID == a.UserID,
		Roles:     access.Roles,
	}, nil
}

// adminPerson shows one person, with the role and account forms for admins.
func (s *Server) adminPerson(w http.ResponseWriter, r *http.Request) error {
	data, err := s.loadPerson(r)
	if err != nil {
		return err
	}
	return s.render(w, r, "admin_person", s.adminView(r, data.Person.DisplayName(), data))
}

// managedPerson loads the person for a change and checks that the actor may
// make it, before any form value is looked at.
func (s *Server) managedPerson(r *http.Request) (*adminPersonData, error) {
	data, err := s.loadPerson(r)
	if err != nil {
		return nil, err
	}
	if !data.CanManage {
		return nil, access.ErrNotFound
	}
	return data, nil
}

// adminPersonRole changes a person's role.
func (s *Server) adminPersonRole(w http.ResponseWriter, r *http.Request) error {
	data, err := s.managedPerson(r)
	if err != nil {
		return err
	}
	if err := parseForm(r); err != nil {
		return err
	}
	v := s.adminView(r, data.Person.DisplayName(), data)
	role, err := access.ParseRole(r.PostFormValue("role"))
	if err != nil {
		return s.formError(w, r, "admin_person", v, "role", "Choose one of the listed roles.")
	}
	if err := s.auth.SetRole(r.Context(), actor(r), data.Person.ID, role); err != nil {
		var fe *auth.FieldError
		if errors.As(err, &fe) {
			return s.formError(w, r, "admin_person", v, fe.Field, fe.Message)
		}
		return err
	}
	http.Redirect(w, r, "/admin/people/"+data.Person.ID+"?done=role", http.StatusSeeOther)
	return nil
}

// adminPersonDisable disables an account once the admin has ticked the
// confirmation; its sessions end at once.
func (s *Server) adminPersonDisable(w http.ResponseWriter, r *http.Request) error {
	data, err := s.managedPerson(r)
	if err != nil {
		return err
	}
	if err := parseForm(r); err != nil {
		return err
	}
	if r.PostFormValue("confirm") != "yes" {
		v := s.adminView(r, data.Person.DisplayName(), data)
		return s.formError(w, r, "admin_person", v, "confirm", "Tick the box to confirm that you want to disable this account.")
	}
	if err := s.auth.SetDisabled(r.Context(), actor(r), data.Person.ID, true); err != nil {
		return err
	}
	http.Redirect(w, r, "/admin/people/"+data.Person.ID+"?done=disabled", http.StatusSeeOther)
	return nil
}

// adminPersonEnable lets a disabled account sign in again.
func (s *Server) adminPersonEnable(w http.ResponseWriter, r *http.Request) error {
	data, err := s.managedPerson(r)
	if err != nil {
		return err
	}
	if err := parseForm(r); err != nil {
		return err
	}
	if err := s.auth.SetDisabled(r.Context(), actor(r), data.Person.ID, false); err != nil {
		return err
	}
	http.Redirect(w, r, "/admin/people/"+data.Person.ID+"?done=enabled", http.StatusSeeOther)
	return nil
}
