package api

import (
	"errors"
	"net/http"
	"time"

	"github.com/cairn-recovery/cairn/internal/db"
	"github.com/cairn-recovery/cairn/internal/events"
	"github.com/cairn-recovery/cairn/internal/members"
)

// typeConflict is the problem type of a change that lost a race with
// another one (a 409): sending it again usually works.
const typeConflict = typePrefix + "conflict"

// eventRoutes are the routes of events, their occurrences, RSVPs,
// attendance and milestone-dinner honorees.
func (a *API) eventRoutes() []route {
	return []route{
		{"GET /api/v1/events", false, a.listEvents},
		{"POST /api/v1/events", false, a.createEvent},
		{"GET /api/v1/events/{id}", false, a.getEvent},
		{"PATCH /api/v1/events/{id}", false, a.patchEvent},
		{"DELETE /api/v1/events/{id}", false, a.deleteEvent},
		{"GET /api/v1/events/{id}/occurrences/{occurrence}", false, a.getOccurrence},
		{"PUT /api/v1/events/{id}/occurrences/{occurrence}/rsvp", false, a.putRSVP},
		{"DELETE /api/v1/events/{id}/occurrences/{occurrence}/rsvp", false, a.deleteRSVP},
		{"POST /api/v1/events/{id}/occurrences/{occurrence}/attendance", false, a.postAttendance},
		{"GET /api/v1/events/{id}/occurrences/{occurrence}/honorees", false, a.getHonorees},
		{"POST /api/v1/events/{id}/occurrences/{occurrence}/cancel", false, a.cancelOccurrence},
	}
}

// eventJSON is an event (a one-off or a series) as GET, POST and PATCH
// answer it. starts_at is the first occurrence's local time in the
// program's zone (time_zone); online_url is left out for members (they get
// it per occurrence once they are confirmed).
type eventJSON struct {
	ID               string  `json:"id"`
	SeriesID         string  `json:"series_id"`
	Kind             string  `json:"kind"`
	Title            string  `json:"title"`
	Description      string  `json:"description"`
	LocationName     string  `json:"location_name"`
	Address          string  `json:"address"`
	OnlineURL        string  `json:"online_url,omitempty"`
	StartsAt         string  `json:"starts_at"`
	TimeZone         string  `json:"time_zone"`
	DurationMinutes  int     `json:"duration_minutes"`
	RRule            string  `json:"rrule"`
	FirstDate        string  `json:"first_date"`
	LastDate         *string `json:"last_date"`
	Capacity         int     `json:"capacity"`
	Audience         string  `json:"audience"`
	HostID           string  `json:"host_id"`
	Accessibility    string  `json:"accessibility"`
	RSVPCloseMinutes int     `json:"rsvp_close_minutes"`
	WindowStart      *string `json:"window_start"`
	WindowEnd        *string `json:"window_end"`
	Sequence         int     `json:"sequence"`
	Cancelled        bool    `json:"cancelled"`
	CreatedAt        string  `json:"created_at"`
	UpdatedAt        string  `json:"updated_at"`
}

// occurrenceJSON is one occurrence, in a list or on its own. occurrence
// is its id (its original local date); starts_at and ends_at are RFC 3339
// instants with the program's offset. my_state is the caller's RSVP state,
// null without one.
type occurrenceJSON struct {
	EventID         string  `json:"event_id"`
	Occurrence      string  `json:"occurrence"`
	Kind            string  `json:"kind"`
	Title           string  `json:"title"`
	StartsAt        string  `json:"starts_at"`
	EndsAt          string  `json:"ends_at"`
	Cancelled       bool    `json:"cancelled"`
	Moved           bool    `json:"moved"`
	Note            string  `json:"note"`
	LocationName    string  `json:"location_name"`
	Address         string  `json:"address"`
	Audience        string  `json:"audience"`
	Capacity        int     `json:"capacity"`
	ConfirmedPeople int     `json:"confirmed_people"`
	MyState         *string `json:"my_state"`
}

// rsvpJSON is the caller's answer for one occurrence: state is confirmed,
// waitlisted (position is the place in the waitlist, from 1), tentative or
// declined; position is 0 unless waitlisted.
type rsvpJSON struct {
	State    string `json:"state"`
	Position int    `json:"position"`
	Status   string `json:"status"`
	Adults   int    `json:"adults"`
	Children int    `json:"children"`
	Dietary  string `json:"dietary"`
	ShowMe   bool   `json:"show_me"`
}

// attendeeJSON is one person on an occurrence's attendee list. Members see
// only the confirmed people who chose to be listed, without dietary notes.
type attendeeJSON struct {
	UserID      string `json:"user_id"`
	DisplayName string `json:"display_name"`
	State       string `json:"state"`
	Adults      int    `json:"adults"`
	Children    int    `json:"children"`
	Dietary     string `json:"dietary,omitempty"`
	Position    int    `json:"position"`
}

// occurrenceDetailJSON is the answer of GET
// /api/v1/events/{id}/occurrences/{occurrence}. online_url is there for
// staff and for people confirmed to come.
type occurrenceDetailJSON struct {
	Event      eventJSON      `json:"event"`
	Occurrence occurrenceJSON `json:"occurrence"`
	OnlineURL  string         `json:"online_url,omitempty"`
	MyRSVP     *rsvpJSON      `json:"my_rsvp"`
	Attendees  []attendeeJSON `json:"attendees"`
}

func optDate(d members.Date) *string {
	if d.IsZero() {
		return nil
	}
	s := d.String()
	return &s
}

// toEventJSON writes e, with its online link when link is true.
func toEventJSON(e *events.Event, loc *time.Location, link bool) eventJSON {
	out := eventJSON{ID: e.ID, SeriesID: e.SeriesID, Kind: string(e.Kind), Title: e.Title, Description: e.Description,
		LocationName: e.LocationName, Address: e.Address, StartsAt: e.Start.String(), TimeZone: loc.String(),
		DurationMinutes: int(e.Duration / time.Minute), RRule: e.RRule, FirstDate: e.FirstDate.String(),
		LastDate: optDate(e.LastDate), Capacity: e.Capacity, Audience: string(e.Audience), HostID: e.HostID,
		Accessibility: e.Accessibility, RSVPCloseMinutes: int(e.RSVPClose / time.Minute),
		WindowStart: optDate(e.WindowStart), WindowEnd: optDate(e.WindowEnd), Sequence: e.Sequence,
		Cancelled: e.Cancelled(), CreatedAt: e.CreatedAt.UTC().Format(time.RFC3339), UpdatedAt: e.UpdatedAt.UTC().Format(time.RFC3339)}
	if link {
		out.OnlineURL = e.OnlineURL
	}
	return out
}

// toOccurrenceJSON writes o of e, with the caller's RSVP state.
func toOccurrenceJSON(e *events.Event, o *events.Occurrence, loc *time.Location, myState string) occurrenceJSON {
	out := occurrenceJSON{EventID: e.ID, Occurrence: o.ID, Kind: string(e.Kind), Title: e.Title,
		StartsAt: o.Start.In(loc).Format(time.RFC3339), EndsAt: o.End.In(loc).Format(time.RFC3339),
		Cancelled: o.Cancelled || e.Cancelled(), Moved: o.Moved, Note: o.Note,
		LocationName: e.LocationName, Address: e.Address, Audience: string(e.Audience), Capacity: e.Capacity,
		ConfirmedPeople: o.ConfirmedPeople}
	if o.LocationName != "" || o.Address != "" {
		out.LocationName, out.Address = o.LocationName, o.Address
	}
	if myState != "" {
		out.MyState = &myState
	}
	return out
}

func toRSVPJSON(r *events.RSVP) *rsvpJSON {
	out := &rsvpJSON{State: r.State, Status: r.Status, Adults: r.Adults, Children: r.Children, Dietary: r.Dietary, ShowMe: r.ShowMe}
	if r.State == "waitlisted" {
		out.Position = r.Position
	}
	return out
}

// eventFields maps the field names of the events package's validation
// errors to the members of the API's bodies, where they differ.
var eventFields = map[string]string{"start": "starts_at"}

// eventsProblem turns the events package's errors into problems: a
// members.ValidationError into a 422 naming each field as the body names
// it (eventFields, then rename), db.ErrConflict into a 409; anything else
// passes through.
func eventsProblem(err error, rename ...string) error {
	var verr members.ValidationError
	if errors.As(err, &verr) {
		out := make(members.ValidationError, len(verr))
		for i, f := range verr {
			name := f.Field
			if n, ok := eventFields[name]; ok {
				name = n
			}
			for j := 0; j+1 < len(rename); j += 2 {
				if name == rename[j] {
					name = rename[j+1]
				}
			}
			out[i] = members.FieldError{Field: name, Message: f.Message}
		}
		return membersProblem(out)
	}
	if errors.Is(err, db.ErrConflict) {
		return &Problem{Type: typeConflict, Title: "Conflict", Status: http.StatusConflict,
			Detail: "Someone changed this at the same moment; send the request again."}
	}
	return err
}

// eventPath returns the {id} path value, or a 404 when it cannot be an
// event's id.
func eventPath(r *http.Request) (string, error) {
	id := r.PathValue("id")
	if id == "" || len(id) > 64 {
		return "", errNotFound
	}
	return id, nil
}

// occurrencePath returns the {id} and {occurrence} path values, or a 404
// when they cannot name an occurrence (an occurrence is a local date).
func occurrencePath(r *http.Request) (string, string, error) {
	id, err := eventPath(r)
	if err != nil {
		return "", "", err
	}
	occ := r.PathValue("occurrence")
	if _, err := members.ParseDate(occ); err != nil {
		return "", "", errNotFound
	}
	return id, occ, nil
}

// location returns the time zone of the caller's program.
func (a *API) location(r *http.Request, c *call) (*time.Location, error) {
	p, err := a.programs.Get(r.Context(), c.user.ProgramID)
	if err != nil {
		return nil, err
	}
	return p.Location(), nil
}
