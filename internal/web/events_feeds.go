package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/cairn-recovery/cairn/internal/events"
	"github.com/cairn-recovery/cairn/internal/members"
	"github.com/cairn-recovery/cairn/internal/programs"
)

// Content types of the calendar feeds.
const (
	calendarType = "text/calendar; charset=utf-8"
	// publicFeedCache lets calendar apps and the Meeting Guide app cache
	// a public feed for a few minutes.
	publicFeedCache = "public, max-age=300"
	// maxFeedToken bounds a private feed's token before it is looked up.
	maxFeedToken = 128
)

// eventFeedRoutes are the calendar downloads and feeds. A ServeMux
// wildcard is a whole path segment, so "{id}.ics" is matched as a segment
// that must end in .ics. The download of one occurrence,
// /events/{id}/{occ}.ics, shares its pattern with the event page, which
// hands it to occurrenceICS.
func (s *Server) eventFeedRoutes() []route {
	return []route{
		{"GET /events/{file}", signedIn, s.eventICS},
		{"GET /calendar/{file}", public, s.memberFeed},
		{"GET /programs/{program}/events.ics", public, s.publicEventsICS},
		{"GET /programs/{program}/meetings.json", public, s.meetingGuideJSON},
	}
}

// icsName returns the part of a path segment before ".ics", or false when
// the segment does not end so.
func icsName(segment string) (string, bool) {
	name, ok := strings.CutSuffix(segment, ".ics")
	return name, ok && name != "" && len(name) <= 64
}

// fileSafe keeps the characters of s that are safe in a download's file
// name (ids and dates are made of them).
func fileSafe(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' {
			return r
		}
		return -1
	}, s)
}

// writeCalendar answers an iCalendar document; a non-empty filename makes
// it a download.
func writeCalendar(w http.ResponseWriter, b []byte, filename, cache string) {
	h := w.Header()
	h.Set("Content-Type", calendarType)
	h.Set("Cache-Control", cache)
	if filename != "" {
		h.Set("Content-Disposition", `attachment; filename="`+filename+`"`)
	}
	h.Set("Content-Length", strconv.Itoa(len(b)))
	_, _ = w.Write(b)
}

// eventICS downloads a whole event (a series with its rule and
// exceptions) as iCalendar: GET /events/{id}.ics.
func (s *Server) eventICS(w http.ResponseWriter, r *http.Request) error {
	id, ok := icsName(r.PathValue("file"))
	if !ok {
		return errNotFound
	}
	b, err := events.EventICS(r.Context(), s.db, actor(r), id)
	if err != nil {
		return err
	}
	writeCalendar(w, b, "cairn-event-"+fileSafe(id)+".ics", "no-store, private")
	return nil
}

// occurrenceICS downloads one occurrence as iCalendar:
// GET /events/{id}/{occ}.ics. The event page's handler, whose pattern
// (GET /events/{id}/{occ}) matches these paths too, calls it for an {occ}
// that ends in .ics.
func (s *Server) occurrenceICS(w http.ResponseWriter, r *http.Request) error {
	occ, ok := icsName(r.PathValue("occ"))
	if !ok {
		return errNotFound
	}
	id := r.PathValue("id")
	if _, err := members.ParseDate(occ); err != nil || id == "" || len(id) > 64 {
		return errNotFound
	}
	b, err := events.OccurrenceICS(r.Context(), s.db, actor(r), id, occ)
	if err != nil {
		return err
	}
	writeCalendar(w, b, "cairn-event-"+fileSafe(id)+"-"+occ+".ics", "no-store, private")
	return nil
}

// memberFeed is a member's private calendar subscription:
// GET /calendar/{token}.ics. It needs no session (calendar apps have
// none); the token is the key, so an unknown or revoked one is not found,
// and the answer is never stored by a cache. Neither the path nor the
// token is ever logged: errors are logged with the route pattern only.
func (s *Server) memberFeed(w http.ResponseWriter, r *http.Request) error {
	token, ok := strings.CutSuffix(r.PathValue("file"), ".ics")
	if !ok || token == "" || len(token) > maxFeedToken {
		return errNotFound
	}
	b, err := events.MemberFeed(r.Context(), s.db, token)
	if err != nil {
		return err
	}
	writeCalendar(w, b, "", "no-store, private")
	return nil
}

// feedProgram returns the program named by the {program} path value (its
// id), or errNotFound.
func (s *Server) feedProgram(r *http.Request) (*programs.Program, error) {
	id := r.PathValue("program")
	if id == "" || len(id) > 64 {
		return nil, errNotFound
	}
	return s.programs.Get(r.Context(), id)
}

// publicEventsICS is a program's public calendar: the occurrences of the
// events it chose to publish (audience public), for anyone.
func (s *Server) publicEventsICS(w http.ResponseWriter, r *http.Request) error {
	p, err := s.feedProgram(r)
	if err != nil {
		return err
	}
	b, err := events.PublicICS(r.Context(), s.db, p.ID)
	if err != nil {
		return err
	}
	writeCalendar(w, b, "", publicFeedCache)
	return nil
}

// meetingGuideJSON is a program's public meetings in the Meeting Guide
// format (code4recovery), which the Meeting Guide app and TSML sites read
// from other origins: hence Access-Control-Allow-Origin: *.
func (s *Server) meetingGuideJSON(w http.ResponseWriter, r *http.Request) error {
	p, err := s.feedProgram(r)
	if err != nil {
		return err
	}
	b, err := events.MeetingGuide(r.Context(), s.db, p.ID, s.cfg.BaseURL)
	if err != nil {
		return err
	}
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("Cache-Control", publicFeedCache)
	h.Set("Access-Control-Allow-Origin", "*")
	h.Set("Content-Length", strconv.Itoa(len(b)))
	_, _ = w.Write(b)
	return nil
}
