package web

import (
	"errors"
	"net/http"

	"github.com/cairn-recovery/cairn/internal/members"
)

// caseloadRoutes are a coach's caseload and the coordinator's form that
// sets a member's primary coach.
func (s *Server) caseloadRoutes() []route {
	return []route{
		{"GET /caseload", signedIn, s.caseload},
		{"GET /members/{id}/coach", signedIn, s.coachForm},
		{"POST /members/{id}/coach", signedIn, s.setCoach},
	}
}

// caseload lists the coach's people.
func (s *Server) caseload(w http.ResponseWriter, r *http.Request) error {
	list, err := members.Caseload(r.Context(), s.db, actor(r))
	if err != nil {
		return err
	}
	v := s.newView(r, "My caseload", list)
	v.Nav = "caseload"
	return s.render(w, r, "caseload", v)
}

// coachForm shows a member's coach, the choice of coaches and the history.
func (s *Server) coachForm(w http.ResponseWriter, r *http.Request) error {
	f, err := members.LoadCoachForm(r.Context(), s.db, actor(r), r.PathValue("id"))
	if err != nil {
		return err
	}
	return s.render(w, r, "caseload_coach", s.newView(r, "Coach of "+f.Member.Name, f))
}

// setCoach sets the member's primary coach.
func (s *Server) setCoach(w http.ResponseWriter, r *http.Request) error {
	a, id := actor(r), r.PathValue("id")
	f, err := members.LoadCoachForm(r.Context(), s.db, a, id)
	if err != nil {
		return err
	}
	err = members.SetPrimaryCoach(r.Context(), s.db, a, id, r.PostFormValue("coach_id"))
	var ve members.ValidationError
	if errors.As(err, &ve) {
		return s.validationError(w, r, "caseload_coach", s.newView(r, "Coach of "+f.Member.Name, f), ve)
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/members/"+id+"/coach?done=saved", http.StatusSeeOther)
	return nil
}
