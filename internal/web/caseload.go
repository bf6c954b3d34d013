package web

import (
	"errors"
	"net/http"

	"github.com/cairn-recovery/cairn/internal/members"
)

// caseloadRoutes are a coach's caseload and the coordinator's form that
// sets a member's primary and secondary coaches.
func (s *Server) caseloadRoutes() []route {
	return []route{
		{"GET /caseload", signedIn, s.caseload},
		{"GET /members/{id}/coach", signedIn, s.coachForm},
		{"POST /members/{id}/coach", signedIn, s.setCoach},
	}
}

// caseloadPage is what the caseload page shows: the list and the filter
// it was read with.
type caseloadPage struct {
	List   []members.CaseloadEntry
	Filter members.CaseloadFilter
}

// caseload lists the coach's people, by last contact (oldest first) or
// name, as primary coach, secondary coach or both (?role=, ?sort=).
func (s *Server) caseload(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	page := &caseloadPage{Filter: members.CaseloadFilter{Role: q.Get("role"), Sort: q.Get("sort")}}
	v := s.newView(r, "My caseload", page)
	v.Nav = "caseload"
	v.Form = q
	list, err := members.Caseload(r.Context(), s.db, actor(r), page.Filter)
	var ve members.ValidationError
	if errors.As(err, &ve) {
		return s.validationError(w, r, "caseload", v, ve)
	}
	if err != nil {
		return err
	}
	page.List = list
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

// setCoach sets the member's primary coach and, when the form sends
// secondary_coach_id, the secondary coach ("" for none).
func (s *Server) setCoach(w http.ResponseWriter, r *http.Request) error {
	a, id := actor(r), r.PathValue("id")
	f, err := members.LoadCoachForm(r.Context(), s.db, a, id)
	if err != nil {
		return err
	}
	c := members.CoachChange{PrimaryID: r.PostFormValue("coach_id")}
	if sec, ok := r.PostForm["secondary_coach_id"]; ok && len(sec) > 0 {
		c.SecondaryID, c.SetSecondary = sec[0], true
	}
	err = members.SetCoaches(r.Context(), s.db, a, id, c)
	var ve members.ValidationError
	if errors.As(err, &ve) {
		f.CoachID = c.PrimaryID
		if c.SetSecondary {
			f.SecondaryID = c.SecondaryID
		}
		return s.validationError(w, r, "caseload_coach", s.newView(r, "Coach of "+f.Member.Name, f), ve)
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/members/"+id+"/coach?done=saved", http.StatusSeeOther)
	return nil
}
