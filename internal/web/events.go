package web

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/cairn-recovery/cairn/internal/events"
	"github.com/cairn-recovery/cairn/internal/members"
)

// eventRoutes are the events pages: the list and month view, an
// occurrence's page with its RSVP form, "my events", the staff editor and
// occurrence exceptions, check-in (staff list and member code), milestone
// dinner honorees and name cards, a member's honour questions, the private
// calendar subscription and the program's event settings. The .ics and
// feed routes are in events_feeds.go.
func (s *Server) eventRoutes() []route {
	return []route{
		{"GET /events", signedIn, s.eventsList},
		{"GET /events/mine", signedIn, s.eventsMine},
		{"GET /events/new", signedIn, s.eventNew},
		{"POST /events/new", signedIn, s.eventCreate},
		{"GET /events/{id}/edit", signedIn, s.eventEdit},
		{"POST /events/{id}/edit", signedIn, s.eventUpdate},
		{"POST /events/{id}/delete", signedIn, s.eventDelete},
		{"GET /events/{id}/{occ}", signedIn, s.eventPage},
		{"POST /events/{id}/{occ}/rsvp", signedIn, s.eventRSVP},
		{"POST /events/{id}/{occ}/rsvp/cancel", signedIn, s.eventRSVPCancel},
		{"POST /events/{id}/{occ}/move", signedIn, s.eventMove},
		{"POST /events/{id}/{occ}/cancel", signedIn, s.eventOccurrenceCancel},
		{"GET /events/{id}/{occ}/checkin", signedIn, s.eventCheckin},
		{"POST /events/{id}/{occ}/checkin", signedIn, s.eventCheckinPerson},
		{"POST /events/{id}/{occ}/checkin/undo", signedIn, s.eventCheckinUndo},
		{"POST /events/{id}/{occ}/checkin/walkin", signedIn, s.eventWalkIn},
		{"GET /events/checkin", signedIn, s.eventCodeForm},
		{"POST /events/checkin", signedIn, s.eventCodeCheckin},
		{"GET /events/{id}/{occ}/honorees", signedIn, s.eventHonorees},
		{"POST /events/{id}/{occ}/honorees", signedIn, s.eventHonoreeAdd},
		{"POST /events/{id}/{occ}/honorees/{user}/remove", signedIn, s.eventHonoreeRemove},
		{"POST /events/{id}/{occ}/honorees/invite", signedIn, s.eventHonoreesInvite},
		{"GET /events/{id}/{occ}/namecards", signedIn, s.eventNamecards},
		{"GET /events/honour", signedIn, s.eventHonour},
		{"POST /events/honour", signedIn, s.eventHonourAnswer},
		{"GET /events/calendar", signedIn, s.eventCalendar},
		{"POST /events/calendar", signedIn, s.eventCalendarChange},
		{"GET /admin/events", signedIn, s.adminEventSettings},
		{"POST /admin/events", signedIn, s.adminEventSettingsSave},
	}
}

// eventFlashes are the confirmations the events pages show after a
// redirect with ?done=…; like flashes, only these fixed texts.
var eventFlashes = map[string]string{
	"rsvp-yes":         "Thank you. You're going.",
	"rsvp-waitlisted":  "The event is full, so you're on the waitlist. We'll let you know if a place opens.",
	"rsvp-maybe":       "Saved as maybe. We'll remind you before it starts.",
	"rsvp-no":          "Saved. Thank you for letting us know.",
	"rsvp-cancelled":   "Your RSVP is cancelled.",
	"created":          "Event created.",
	"updated":          "Event saved. People who RSVP'd have been told of any change of time or place.",
	"deleted":          "Event cancelled. People who RSVP'd have been told.",
	"moved":            "Occurrence changed. People who RSVP'd have been told.",
	"occ-cancelled":    "Occurrence cancelled. People who RSVP'd have been told.",
	"checked-in":       "You're checked in. Welcome!",
	"walk-in":          "Walk-in added.",
	"honoree-added":    "Honoree added.",
	"honorees-invited": "Invitations sent.",
	"honoree-removed":  "Honoree removed.",
	"honour-yes":       "Thank you. We look forward to celebrating you.",
	"honour-no":        "Thank you for letting us know. Nobody else is told.",
	"calendar-revoked": "Your calendar link no longer works. Calendars subscribed to it stop updating.",
}

// eventView is newView for the events pages, with their own confirmations.
func (s *Server) eventView(r *http.Request, title string, data any) *view {
	v := s.newView(r, title, data)
	v.Nav = "events"
	if f, ok := eventFlashes[r.URL.Query().Get("done")]; ok {
		v.Flash = f
	}
	return v
}

// occurrenceLink is the path of an occurrence's page.
func occurrenceLink(eventID, occ string) string {
	return "/events/" + url.PathEscape(eventID) + "/" + url.PathEscape(occ)
}

// validPathID reports whether a path value is worth a database look-up.
func validPathID(id string) bool {
	return id != "" && len(id) <= 64 && !strings.ContainsAny(id, "/\\")
}

// loadOccurrence reads the occurrence named by the path, or answers 404.
func (s *Server) loadOccurrence(r *http.Request) (*events.Event, *events.Occurrence, error) {
	id, occ := r.PathValue("id"), r.PathValue("occ")
	if !validPathID(id) || !validPathID(occ) {
		return nil, nil, errNotFound
	}
	return events.GetOccurrence(r.Context(), s.db, actor(r), id, occ)
}

// isHTMX reports whether htmx sent the request (to swap part of a page).
func isHTMX(r *http.Request) bool { return r.Header.Get("HX-Request") == "true" }

// asValidation returns err's field problems, if it is a validation error.
func asValidation(err error) (members.ValidationError, bool) {
	var ve members.ValidationError
	if errors.As(err, &ve) {
		return ve, true
	}
	return nil, false
}

// eventFieldLabels name the events forms' fields, for the store's
// messages that begin with a verb ("is required").
var eventFieldLabels = map[string]string{
	"kind": "Kind of event", "title": "Title", "description": "Description", "location_name": "Place",
	"address": "Address", "online_url": "Online meeting link", "start": "Start", "duration_minutes": "Length",
	"capacity": "Places", "audience": "Who it is for", "host_id": "Host", "accessibility": "Accessibility notes",
	"rsvp_close_minutes": "When answers close", "window_start": "Window start", "window_end": "Window end",
	"rrule": "The recurrence rule", "rrule_custom": "The recurrence rule", "circle_id": "Circle",
	"from": "First occurrence to change", "occurrence": "This occurrence",
	"status": "Your answer", "adults": "Adults", "children": "Children", "dietary": "Dietary needs",
	"move_start": "Start", "move_duration_minutes": "Length", "move_location_name": "Place",
	"move_address": "Address", "move_note": "Note", "move_occurrence": "This occurrence",
	"cancel_note": "Note", "cancel_occurrence": "This occurrence", "code": "The code", "walkin_name": "Name",
	"user_id": "Member", "reminder_1": "Reminders", "rsvp_close": "When answers close",
}

// humane turns the store's short messages into sentences that name their
// field: "is required" on title becomes "Title is required."
func humane(ve members.ValidationError) members.ValidationError {
	out := make(members.ValidationError, len(ve))
	for i, f := range ve {
		m := strings.TrimSpace(f.Message)
		if m != "" && m[0] >= 'a' && m[0] <= 'z' {
			label := eventFieldLabels[f.Field]
			if label == "" {
				label = "This field"
			}
			m = label + " " + m
		}
		if m != "" && !strings.ContainsAny(m[len(m)-1:], ".?!") {
			m += "."
		}
		out[i] = members.FieldError{Field: f.Field, Message: m}
	}
	return out
}

// eventFormError re-renders an events form page with status 422 and the
// problems by their fields, in sentences.
func (s *Server) eventFormError(w http.ResponseWriter, r *http.Request, page string, v *view, ve members.ValidationError) error {
	return s.validationError(w, r, page, v, humane(ve))
}

// prefixed renames every field of ve with prefix, for pages with more than
// one form whose fields would share names.
func prefixed(ve members.ValidationError, prefix string) members.ValidationError {
	out := make(members.ValidationError, len(ve))
	for i, f := range ve {
		out[i] = members.FieldError{Field: prefix + f.Field, Message: f.Message}
	}
	return out
}

// whenLabel is an occurrence's local day, time and end, such as
// "Tuesday, December 1, 2026, 6:30 PM to 8:00 PM CST".
func whenLabel(start, end time.Time, loc *time.Location) string {
	s, e := start.In(loc), end.In(loc)
	out := s.Format("Monday, January 2, 2006, 3:04 PM")
	if members.DateOf(s) == members.DateOf(e) {
		return out + " to " + e.Format("3:04 PM MST")
	}
	return out + " to " + e.Format("Monday, January 2, 3:04 PM MST")
}

// durationLabel writes a duration in hours and minutes, such as
// "1 hour 30 minutes".
func durationLabel(d time.Duration) string {
	h, m := int(d/time.Hour), int(d%time.Hour/time.Minute)
	var parts []string
	switch {
	case h == 1:
		parts = append(parts, "1 hour")
	case h > 1:
		parts = append(parts, fmt.Sprintf("%d hours", h))
	}
	switch {
	case m == 1:
		parts = append(parts, "1 minute")
	case m > 1 || h == 0:
		parts = append(parts, fmt.Sprintf("%d minutes", m))
	}
	return strings.Join(parts, " ")
}

// mapLink is a plain link to search for address on OpenStreetMap; the
// page makes no request to it, the person may follow it.
func mapLink(address string) string {
	if strings.TrimSpace(address) == "" {
		return ""
	}
	return "https://www.openstreetmap.org/search?query=" + url.QueryEscape(address)
}

// stateLabel is the short badge for my RSVP state in lists.
func stateLabel(state string, position int) string {
	switch state {
	case "confirmed":
		return "Going"
	case "waitlisted":
		if position > 0 {
			return fmt.Sprintf("Waitlisted #%d", position)
		}
		return "Waitlisted"
	case "tentative":
		return "Maybe"
	case "declined":
		return "Not going"
	}
	return ""
}
