package web

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/events"
	"github.com/cairn-recovery/cairn/internal/members"
)

// eventPageData is an occurrence's page.
type eventPageData struct {
	Event *events.Event
	Occ   *events.Occurrence
	Link  string
	Kind  string
	When  string
	// Duration is the occurrence's length, for people.
	Duration string
	// Place and Address are where it is (the occurrence's own place when
	// it was moved); MapURL searches the address on a map.
	Place, Address, MapURL string
	// OnlineURL is shown to people whose RSVP is confirmed, and staff.
	OnlineURL string
	Online    bool
	HostName  string
	// CircleName is the circle the event belongs to ("" when none).
	CircleName string
	Cancelled  bool
	Past       bool
	// Capacity is 0 for no limit; SeatsLeft counts people.
	Capacity, SeatsLeft int
	Open                bool
	ClosesAt            time.Time
	Guests              bool
	RSVP                *events.RSVP
	StateText           string
	Attendees           []events.Attendee
	SeeAll              bool
	// Form is the RSVP form's values: my answer, or what was posted.
	Status, Dietary  string
	Adults, Children int
	ShowMe           bool
	// Staff links and forms.
	Manage, CheckIn bool
	Honorees        bool
	MoveStart       string
	MoveDuration    int
}

// myStateText says my RSVP in a sentence.
func myStateText(r *events.RSVP) string {
	if r == nil {
		return ""
	}
	switch r.State {
	case "confirmed":
		if g := r.People() - 1; g > 0 {
			if g == 1 {
				return "You're going, with 1 guest."
			}
			return fmt.Sprintf("You're going, with %d guests.", g)
		}
		return "You're going."
	case "waitlisted":
		return fmt.Sprintf("You're on the waitlist, number %d. We'll let you know if a place opens.", r.Position)
	case "tentative":
		return "You said maybe."
	case "declined":
		return "You said you can't come."
	}
	return ""
}

// eventPageView builds the occurrence page for e and o.
func (s *Server) eventPageView(r *http.Request, e *events.Event, o *events.Occurrence) (*view, *eventPageData, error) {
	ctx := r.Context()
	a := actor(r)
	v := s.eventView(r, e.Title, nil)
	rsvp, err := events.MyRSVP(ctx, s.db, a, e.ID, o.ID)
	if err != nil {
		return nil, nil, err
	}
	attendees, err := events.Attendees(ctx, s.db, a, e.ID, o.ID)
	if err != nil {
		return nil, nil, err
	}
	now := s.now()
	d := &eventPageData{Event: e, Occ: o, Link: occurrenceLink(e.ID, o.ID), Kind: e.Kind.Label(),
		When: whenLabel(o.Start, o.End, v.Loc), Duration: durationLabel(o.End.Sub(o.Start)),
		Place: e.LocationName, Address: e.Address, Cancelled: o.Cancelled || e.Cancelled(),
		Past: !o.End.After(now), Capacity: e.Capacity, Guests: e.Kind.Guests(),
		RSVP: rsvp, StateText: myStateText(rsvp), Attendees: attendees,
		SeeAll:  access.SeeAllAttendees(a, e.ProgramID) == nil,
		Manage:  access.ManageEvents(a, e.ProgramID) == nil,
		CheckIn: access.TakeAttendance(a, e.ProgramID) == nil,
		Adults:  1, Status: "yes"}
	if o.LocationName != "" || o.Address != "" {
		d.Place, d.Address = o.LocationName, o.Address
	}
	d.MapURL = mapLink(d.Address)
	d.ClosesAt = e.RSVPClosesAt(o)
	d.Open = !d.Cancelled && now.Before(d.ClosesAt)
	if e.Capacity > 0 {
		d.SeatsLeft = max(e.Capacity-o.ConfirmedPeople, 0)
	}
	d.Online = e.OnlineURL != ""
	if d.Online && (d.SeeAll || (rsvp != nil && rsvp.State == "confirmed")) {
		d.OnlineURL = e.OnlineURL
	}
	d.Honorees = d.Manage && e.Kind == events.MilestoneDinner
	if rsvp != nil {
		d.Status, d.Adults, d.Children, d.Dietary, d.ShowMe = rsvp.Status, max(rsvp.Adults, 1), rsvp.Children, rsvp.Dietary, rsvp.ShowMe
	}
	if d.HostName, err = events.HostName(ctx, s.db, a, e); err != nil {
		return nil, nil, err
	}
	d.CircleName = s.circleNameOf(r, e.ProgramID, e.CircleID)
	d.MoveStart = events.LocalTimeOf(o.Start, v.Loc).String()
	d.MoveDuration = int(o.End.Sub(o.Start) / time.Minute)
	v.Data = d
	return v, d, nil
}

// eventPage is an occurrence's page; /events/{id}/{occ}.ics, which
// shares its pattern, is the occurrence's calendar download.
func (s *Server) eventPage(w http.ResponseWriter, r *http.Request) error {
	if strings.HasSuffix(r.PathValue("occ"), ".ics") {
		return s.occurrenceICS(w, r) // events_feeds.go: the same pattern
	}
	e, o, err := s.loadOccurrence(r)
	if err != nil {
		return err
	}
	v, _, err := s.eventPageView(r, e, o)
	if err != nil {
		return err
	}
	return s.render(w, r, "events_event", v)
}

// formInt reads a whole number from a posted field; "" is def. A value
// that is not a number is reported through ok.
func formInt(r *http.Request, field string, def int) (n int, ok bool) {
	s := postedField(r, field)
	if s == "" {
		return def, true
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		return 0, false
	}
	return n, true
}

// eventRSVP saves my answer for an occurrence.
func (s *Server) eventRSVP(w http.ResponseWriter, r *http.Request) error {
	e, o, err := s.loadOccurrence(r)
	if err != nil {
		return err
	}
	if err := parseForm(r); err != nil {
		return err
	}
	in := events.RSVPInput{Status: postedField(r, "status"), Dietary: postedField(r, "dietary"),
		ShowMe: r.PostFormValue("show_me") != "", Adults: 1}
	adults, okA := formInt(r, "adults", 1)
	children, okC := formInt(r, "children", 0)
	if e.Kind.Guests() {
		in.Adults, in.Children = adults, children
	}
	rerender := func(ve members.ValidationError) error {
		v, d, err := s.eventPageView(r, e, o)
		if err != nil {
			return err
		}
		d.Status, d.Dietary, d.ShowMe = in.Status, in.Dietary, in.ShowMe
		d.Adults, d.Children = adults, children
		v.Form = r.PostForm
		return s.eventFormError(w, r, "events_event", v, ve)
	}
	var bad members.ValidationError
	if !okA {
		bad = append(bad, members.FieldError{Field: "adults", Message: "Enter the number of adults as a whole number, such as 2."})
	}
	if !okC {
		bad = append(bad, members.FieldError{Field: "children", Message: "Enter the number of children as a whole number, such as 0."})
	}
	if len(bad) > 0 {
		return rerender(bad)
	}
	rsvp, err := events.SetRSVP(r.Context(), s.db, actor(r), e.ID, o.ID, in)
	if ve, ok := asValidation(err); ok {
		return rerender(ve)
	}
	if err != nil {
		return err
	}
	done := "rsvp-" + rsvp.Status
	if rsvp.State == "waitlisted" {
		done = "rsvp-waitlisted"
	}
	http.Redirect(w, r, occurrenceLink(e.ID, o.ID)+"?done="+done, http.StatusSeeOther)
	return nil
}

// eventRSVPCancel takes back my answer; the first waitlisted person who
// fits gets the place.
func (s *Server) eventRSVPCancel(w http.ResponseWriter, r *http.Request) error {
	e, o, err := s.loadOccurrence(r)
	if err != nil {
		return err
	}
	err = events.CancelRSVP(r.Context(), s.db, actor(r), e.ID, o.ID)
	if ve, ok := asValidation(err); ok {
		v, _, verr := s.eventPageView(r, e, o)
		if verr != nil {
			return verr
		}
		return s.eventFormError(w, r, "events_event", v, ve)
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, occurrenceLink(e.ID, o.ID)+"?done=rsvp-cancelled", http.StatusSeeOther)
	return nil
}

// eventMove changes one occurrence's time or place (staff).
func (s *Server) eventMove(w http.ResponseWriter, r *http.Request) error {
	e, o, err := s.loadOccurrence(r)
	if err != nil {
		return err
	}
	if err := access.ManageEvents(actor(r), e.ProgramID); err != nil {
		return err
	}
	if err := parseForm(r); err != nil {
		return err
	}
	m := events.Move{Start: postedField(r, "move_start"), LocationName: postedField(r, "move_location_name"),
		Address: postedField(r, "move_address"), Note: postedField(r, "move_note")}
	dur, ok := formInt(r, "move_duration_minutes", 0)
	rerender := func(ve members.ValidationError) error {
		v, d, err := s.eventPageView(r, e, o)
		if err != nil {
			return err
		}
		d.MoveStart = m.Start
		d.MoveDuration = dur
		v.Form = r.PostForm
		return s.eventFormError(w, r, "events_event", v, ve)
	}
	if !ok {
		return rerender(members.ValidationError{{Field: "move_duration_minutes", Message: "Enter the length in minutes as a whole number, such as 90."}})
	}
	m.DurationMinutes = dur
	err = events.MoveOccurrence(r.Context(), s.db, actor(r), e.ID, o.ID, m)
	if ve, ok := asValidation(err); ok {
		return rerender(prefixed(ve, "move_"))
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, occurrenceLink(e.ID, o.ID)+"?done=moved", http.StatusSeeOther)
	return nil
}

// eventOccurrenceCancel cancels one occurrence (staff); RSVP'd people are
// told.
func (s *Server) eventOccurrenceCancel(w http.ResponseWriter, r *http.Request) error {
	e, o, err := s.loadOccurrence(r)
	if err != nil {
		return err
	}
	if err := access.ManageEvents(actor(r), e.ProgramID); err != nil {
		return err
	}
	if err := parseForm(r); err != nil {
		return err
	}
	err = events.CancelOccurrence(r.Context(), s.db, actor(r), e.ID, o.ID, postedField(r, "cancel_note"))
	if ve, ok := asValidation(err); ok {
		v, _, verr := s.eventPageView(r, e, o)
		if verr != nil {
			return verr
		}
		v.Form = r.PostForm
		return s.eventFormError(w, r, "events_event", v, prefixed(ve, "cancel_"))
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, occurrenceLink(e.ID, o.ID)+"?done=occ-cancelled", http.StatusSeeOther)
	return nil
}

// eventDelete cancels a whole event (staff); RSVP'd people of its future
// occurrences are told.
func (s *Server) eventDelete(w http.ResponseWriter, r *http.Request) error {
	id := r.PathValue("id")
	if !validPathID(id) {
		return errNotFound
	}
	a := actor(r)
	e, err := events.Get(r.Context(), s.db, a, id)
	if err != nil {
		return err
	}
	if err := access.ManageEvents(a, e.ProgramID); err != nil {
		return err
	}
	if err := events.Delete(r.Context(), s.db, a, id); err != nil {
		return err
	}
	http.Redirect(w, r, "/events?done=deleted", http.StatusSeeOther)
	return nil
}
