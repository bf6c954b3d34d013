package web

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/cairn-recovery/cairn/internal/members"
	"github.com/cairn-recovery/cairn/internal/peers/buddies"
)

// buddyCoordPage is what buddies_coordinate.html shows.
type buddyCoordPage struct {
	*buddies.Coordination
	MinChoices []buddies.Choice
	// MinMonths is the setting as the form's value.
	MinMonths string
}

func (s *Server) coordView(r *http.Request) (*view, error) {
	c, err := buddies.Coordinate(r.Context(), s.db, actor(r))
	if err != nil {
		return nil, err
	}
	p := &buddyCoordPage{Coordination: c, MinChoices: buddies.MinMonthsChoices, MinMonths: strconv.Itoa(c.Settings.MinMonths)}
	v := s.newView(r, "Buddy matching", p)
	v.Nav = "buddies"
	return v, nil
}

// buddyCoordinate shows the coordinator's buddy page.
func (s *Server) buddyCoordinate(w http.ResponseWriter, r *http.Request) error {
	v, err := s.coordView(r)
	if err != nil {
		return err
	}
	return s.render(w, r, "buddies_coordinate", v)
}

// buddyRun runs the matcher; its drafts show on the page.
func (s *Server) buddyRun(w http.ResponseWriter, r *http.Request) error {
	_, err := buddies.RunMatcher(r.Context(), s.db, actor(r))
	return s.coordDone(w, r, err, "drafts")
}

// buddySend sends the drafts (all, or those ticked).
func (s *Server) buddySend(w http.ResponseWriter, r *http.Request) error {
	_ = r.ParseForm()
	_, err := buddies.SendProposals(r.Context(), s.db, actor(r), r.PostForm["proposal"])
	return s.coordDone(w, r, err, "drafts")
}

// buddyDrop drops one draft.
func (s *Server) buddyDrop(w http.ResponseWriter, r *http.Request) error {
	err := buddies.DropProposal(r.Context(), s.db, actor(r), r.PathValue("id"))
	return s.coordDone(w, r, err, "drafts")
}

// buddySettings saves the minimum time in recovery.
func (s *Server) buddySettings(w http.ResponseWriter, r *http.Request) error {
	err := buddies.SaveSettings(r.Context(), s.db, actor(r), r.PostFormValue("min_months"))
	return s.coordDone(w, r, err, "settings")
}

// coordDone answers every form of the coordinator's page: a
// ValidationError shows the page again with it, another error is the
// error, and a success goes back to the page's section.
func (s *Server) coordDone(w http.ResponseWriter, r *http.Request, err error, section string) error {
	var ve members.ValidationError
	if errors.As(err, &ve) {
		v, lerr := s.coordView(r)
		if lerr != nil {
			return lerr
		}
		return s.validationError(w, r, "buddies_coordinate", v, ve)
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/buddies/coordinate?done=saved#"+section, http.StatusSeeOther)
	return nil
}
