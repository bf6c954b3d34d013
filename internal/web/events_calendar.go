package web

import (
	"errors"
	"net/http"
	"strings"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/db"
	"github.com/cairn-recovery/cairn/internal/events"
	"github.com/cairn-recovery/cairn/internal/members"
)

// calendarPage is the private calendar subscription page.
type calendarPage struct {
	HasFeed bool
	// URL is the subscription address just made: shown on this one
	// response and never again (Cairn keeps only its hash).
	URL string
}

func (s *Server) calendarView(r *http.Request, page *calendarPage) (*view, error) {
	has, err := events.HasFeed(r.Context(), s.db, actor(r))
	if err != nil {
		return nil, err
	}
	page.HasFeed = has
	return s.eventView(r, "Calendar subscription", page), nil
}

// eventCalendar explains the subscription and offers to make, replace or
// stop it.
func (s *Server) eventCalendar(w http.ResponseWriter, r *http.Request) error {
	if err := access.UseCalendarFeed(actor(r)); err != nil {
		return err
	}
	v, err := s.calendarView(r, &calendarPage{})
	if err != nil {
		return err
	}
	return s.render(w, r, "events_calendar", v)
}

// eventCalendarChange makes, replaces or revokes my subscription. A new
// address is shown on the response itself, so that it never travels in a
// redirect.
func (s *Server) eventCalendarChange(w http.ResponseWriter, r *http.Request) error {
	a := actor(r)
	if err := access.UseCalendarFeed(a); err != nil {
		return err
	}
	if err := parseForm(r); err != nil {
		return err
	}
	switch action := r.PostFormValue("action"); action {
	case "create", "rotate":
		token, err := events.FeedURLToken(r.Context(), s.db, a, action == "rotate")
		if errors.Is(err, db.ErrConflict) {
			v, verr := s.calendarView(r, &calendarPage{})
			if verr != nil {
				return verr
			}
			return s.eventFormError(w, r, "events_calendar", v, members.ValidationError{{Field: "action",
				Message: "You already have a calendar address. If you lost it, make a new one below."}})
		}
		if err != nil {
			return err
		}
		v, err := s.calendarView(r, &calendarPage{URL: strings.TrimRight(s.cfg.BaseURL, "/") + "/calendar/" + token + ".ics"})
		if err != nil {
			return err
		}
		if action == "rotate" {
			v.Flash = "Your calendar has a new address. The old one no longer works."
		}
		return s.render(w, r, "events_calendar", v)
	case "revoke":
		if err := events.RevokeFeed(r.Context(), s.db, a); err != nil {
			return err
		}
		http.Redirect(w, r, "/events/calendar?done=calendar-revoked", http.StatusSeeOther)
		return nil
	default:
		v, err := s.calendarView(r, &calendarPage{})
		if err != nil {
			return err
		}
		return s.eventFormError(w, r, "events_calendar", v, members.ValidationError{{Field: "action", Message: "Choose one of the buttons below."}})
	}
}
