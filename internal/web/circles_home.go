package web

import (
	"net/http"

	"github.com/cairn-recovery/cairn/internal/peers/circles"
)

// circleSuggestions are the circles the home page suggests.
type circleSuggestions = []circles.Suggestion

// circleSuggestions returns up to three circles to suggest to the person
// on their home page; a failure only leaves the suggestions out.
func (s *Server) circleSuggestions(r *http.Request) circleSuggestions {
	out, err := circles.Suggest(r.Context(), s.db, actor(r))
	if err != nil {
		s.log.Error("circle suggestions", "request_id", state(r).requestID, "err", err)
		return nil
	}
	return out
}

// circleNameOf is the name of the circle an event belongs to ("" when
// none), for the event page's "Part of the … circle".
func (s *Server) circleNameOf(r *http.Request, programID, circleID string) string {
	name, err := circles.Name(r.Context(), s.db, programID, circleID)
	if err != nil {
		s.log.Error("circle name", "request_id", state(r).requestID, "err", err)
	}
	return name
}

// circleChoices are the circles of the person's program that an event may
// belong to, for the event editor (none when they cannot be read).
func (s *Server) circleChoices(r *http.Request) []hostChoice {
	list, err := circles.List(r.Context(), s.db, actor(r))
	if err != nil {
		return nil
	}
	var out []hostChoice
	for _, c := range list {
		if !c.Archived {
			out = append(out, hostChoice{c.ID, c.Name})
		}
	}
	return out
}
