package web

import (
	"errors"
	"net/http"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/members"
	"github.com/cairn-recovery/cairn/internal/peers/circles"
)

// circleFormData is the staff's form for a new or existing circle.
type circleFormData struct {
	// Circle is nil for a new circle.
	Circle *circles.Circle
	Kinds  []string
}

// KindLabel names a kind for the form.
func (circleFormData) KindLabel(k string) string { return circles.KindLabel(k) }

// circleNew shows the form for a new circle (coordinators and admins).
func (s *Server) circleNew(w http.ResponseWriter, r *http.Request) error {
	a := actor(r)
	if err := access.ManageCircles(a, a.ProgramID); err != nil {
		return err
	}
	v := s.circleView(r, "New circle", circleFormData{Kinds: circles.Kinds})
	v.Form = map[string][]string{"kind": {circles.KindInterest}, "join_policy": {circles.JoinOpen}}
	return s.render(w, r, "circles_edit", v)
}

// circleInput reads the circle form.
func circleInput(r *http.Request) circles.Input {
	return circles.Input{Kind: r.PostFormValue("kind"), Name: r.PostFormValue("name"), Description: r.PostFormValue("description"),
		Interest: r.PostFormValue("interest"), JoinPolicy: r.PostFormValue("join_policy"), Archived: r.PostFormValue("archived") == "1"}
}

// circleCreate makes a circle.
func (s *Server) circleCreate(w http.ResponseWriter, r *http.Request) error {
	a := actor(r)
	if err := access.ManageCircles(a, a.ProgramID); err != nil {
		return err
	}
	if err := parseForm(r); err != nil {
		return err
	}
	c, err := circles.Create(r.Context(), s.db, a, circleInput(r))
	var ve members.ValidationError
	if errors.As(err, &ve) {
		v := s.circleView(r, "New circle", circleFormData{Kinds: circles.Kinds})
		v.Form = r.PostForm
		return s.validationError(w, r, "circles_edit", v, ve)
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/circles/"+c.ID+"?done=created", http.StatusSeeOther)
	return nil
}

// managedCircle loads the circle for its staff, or not found.
func (s *Server) managedCircle(r *http.Request) (*circles.Circle, error) {
	a := actor(r)
	c, err := circles.Get(r.Context(), s.db, a, r.PathValue("id"))
	if err != nil {
		return nil, err
	}
	if !c.MayManage(a) {
		return nil, errNotFound
	}
	return c, nil
}

// circleEdit shows the form to change a circle.
func (s *Server) circleEdit(w http.ResponseWriter, r *http.Request) error {
	c, err := s.managedCircle(r)
	if err != nil {
		return err
	}
	v := s.circleView(r, "Edit "+c.Name, circleFormData{Circle: c, Kinds: circles.Kinds})
	archived := ""
	if c.Archived {
		archived = "1"
	}
	v.Form = map[string][]string{"kind": {c.Kind}, "name": {c.Name}, "description": {c.Description},
		"interest": {c.Interest}, "join_policy": {c.JoinPolicy}, "archived": {archived}}
	return s.render(w, r, "circles_edit", v)
}

// circleUpdate saves the circle form.
func (s *Server) circleUpdate(w http.ResponseWriter, r *http.Request) error {
	c, err := s.managedCircle(r)
	if err != nil {
		return err
	}
	if err := parseForm(r); err != nil {
		return err
	}
	err = circles.Update(r.Context(), s.db, actor(r), c.ID, circleInput(r))
	var ve members.ValidationError
	if errors.As(err, &ve) {
		v := s.circleView(r, "Edit "+c.Name, circleFormData{Circle: c, Kinds: circles.Kinds})
		v.Form = r.PostForm
		return s.validationError(w, r, "circles_edit", v, ve)
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/circles/"+c.ID+"?done=saved", http.StatusSeeOther)
	return nil
}

// circlePeopleData is the moderators' page of members and requests.
type circlePeopleData struct {
	Circle            *circles.Circle
	Requests, Members []circles.Person
	CanManage         bool
}

// circlePeople lists the circle's members and join requests (moderators).
func (s *Server) circlePeople(w http.ResponseWriter, r *http.Request) error {
	a := actor(r)
	c, err := circles.Get(r.Context(), s.db, a, r.PathValue("id"))
	if err != nil {
		return err
	}
	people, err := circles.People(r.Context(), s.db, a, c.ID)
	if err != nil {
		return err
	}
	d := circlePeopleData{Circle: c, CanManage: c.MayManage(a)}
	for _, p := range people {
		if p.State == "requested" {
			d.Requests = append(d.Requests, p)
		} else {
			d.Members = append(d.Members, p)
		}
	}
	return s.render(w, r, "circles_people", s.circleView(r, "People of "+c.Name, d))
}

// circleAnswer approves or declines a request to join.
func (s *Server) circleAnswer(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	id := r.PathValue("id")
	answer := r.PostFormValue("answer")
	if answer != "approve" && answer != "decline" {
		// Check access first, so that not allowed still reads as not found.
		if _, err := circles.People(r.Context(), s.db, actor(r), id); err != nil {
			return err
		}
		return errStatus(http.StatusUnprocessableEntity, "Choose approve or decline.")
	}
	if err := circles.Answer(r.Context(), s.db, actor(r), id, r.PathValue("user"), answer == "approve"); err != nil {
		return err
	}
	http.Redirect(w, r, "/circles/"+id+"/people?done=answered", http.StatusSeeOther)
	return nil
}

// circleModerator makes a member a moderator, or not (staff).
func (s *Server) circleModerator(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	id := r.PathValue("id")
	err := circles.SetModerator(r.Context(), s.db, actor(r), id, r.PathValue("user"), on(r))
	var ve members.ValidationError
	if errors.As(err, &ve) {
		return errStatus(http.StatusUnprocessableEntity, ve[0].Message)
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/circles/"+id+"/people?done=saved", http.StatusSeeOther)
	return nil
}
