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
	if _, err := buddies.RunMatcher(r.Context(), s.db, actor(r)); err != nil {
		return err
	}
	http.Redirect(w, r, "/buddies/coordinate?done=saved#drafts", http.StatusSeeOther)
	return nil
}

// buddySend sends the drafts (all, or those ticked).
func (s *Server) buddySend(w http.ResponseWriter, r *http.Request) error {
	_ = r.ParseForm()
	if _, err := buddies.SendProposals(r.Context(), s.db, actor(r), r.PostForm["proposal"]); err != nil {
		return err
	}
	http.Redirect(w, r, "/buddies/coordinate?done=saved#drafts", http.StatusSeeOther)
	return nil
}

// buddyDrop drops one draft.
func (s *Server) buddyDrop(w http.ResponseWriter, r *http.Request) error {
	err := buddies.DropProposal(r.Context(), s.db, actor(r), r.PathValue("id"))
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
	http.Redirect(w, r, "/buddies/coordinate?done=saved#drafts", http.StatusSeeOther)
	return nil
}

// buddySettings saves the minimum time in recovery.
func (s *Server) buddySettings(w http.ResponseWriter, r *http.Request) error {
	err := buddies.SaveSettings(r.Context(), s.db, actor(r), r.PostFormValue("min_months"))
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
	http.Redirect(w, r, "/buddies/coordinate?done=saved#settings", http.StatusSeeOther)
	return nil
}
