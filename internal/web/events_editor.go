package web

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/events"
	"github.com/cairn-recovery/cairn/internal/members"
)

// editorPage is the staff event editor's data; the field values are in
// view.Form.
type editorPage struct {
	Event     *events.Event
	Kinds     []events.Kind
	Audiences []events.Audience
	Hosts     []hostChoice
	// Circles are the circles an event may belong to (circles_home.go).
	Circles  []hostChoice
	Weekdays []weekdayCode
	Ordinals []ordinal
	// Occurrences are the upcoming occurrences a "this and following"
	// change may start from.
	Occurrences []occurrenceChoice
	Action      string
}

// DayChecked reports whether the weekly picker's day code is ticked in f.
func (p *editorPage) DayChecked(f url.Values, code string) bool {
	return slices.Contains(f["byday"], code)
}

type hostChoice struct{ ID, Name string }

type occurrenceChoice struct{ ID, Label string }

// eventEditorFields maps the store's field names to the editor's, where
// they differ.
var eventEditorFields = map[string]string{
	"starts_at": "start", "starts_local": "start", "duration": "duration_minutes",
	"rsvp_close": "rsvp_close_minutes", "host": "host_id", "location": "location_name",
	"online": "online_url", "window": "window_start",
}

func editorValidation(ve members.ValidationError) members.ValidationError {
	out := make(members.ValidationError, len(ve))
	for i, f := range ve {
		if n, ok := eventEditorFields[f.Field]; ok {
			f.Field = n
		}
		out[i] = f
	}
	return out
}

// editorView builds the editor for a new event (e nil) or for e.
func (s *Server) editorView(r *http.Request, e *events.Event) (*view, error) {
	a := actor(r)
	hosts, err := events.Hosts(r.Context(), s.db, a)
	if err != nil {
		return nil, err
	}
	d := &editorPage{Event: e, Kinds: events.Kinds, Audiences: events.Audiences, Weekdays: rruleWeekdays,
		Ordinals: rruleOrdinals, Action: "/events/new"}
	for _, h := range hosts {
		d.Hosts = append(d.Hosts, hostChoice{h.ID, h.Name + " (" + h.Role.Label() + ")"})
	}
	d.Circles = s.circleChoices(r)
	title := "New event"
	if e != nil {
		title = "Edit " + e.Title
		d.Action = "/events/" + e.ID + "/edit"
		if e.Recurring() {
			loc := s.programLoc(r)
			from := s.now()
			occs, err := events.Occurrences(r.Context(), s.db, a, e.ID, from, from.AddDate(1, 0, 0))
			if err != nil {
				return nil, err
			}
			for i, o := range occs {
				if i == 60 {
					break
				}
				d.Occurrences = append(d.Occurrences, occurrenceChoice{o.ID, o.Start.In(loc).Format("Monday, January 2, 2006")})
			}
		}
	}
	v := s.eventView(r, title, d)
	return v, nil
}

// programLoc is the program's time zone (UTC if it cannot be read).
func (s *Server) programLoc(r *http.Request) *time.Location {
	if p := s.programFor(r); p != nil {
		return p.Location()
	}
	return time.UTC
}

// eventFormValues are the editor's fields for a saved event.
func eventFormValues(e *events.Event) url.Values {
	f := pickerValues(e.RRule, e.Start.Date)
	set := func(k, v string) { f.Set(k, v) }
	set("kind", string(e.Kind))
	set("title", e.Title)
	set("description", e.Description)
	set("location_name", e.LocationName)
	set("address", e.Address)
	set("online_url", e.OnlineURL)
	set("start", e.Start.String())
	set("duration_minutes", strconv.Itoa(int(e.Duration/time.Minute)))
	if e.Capacity > 0 {
		set("capacity", strconv.Itoa(e.Capacity))
	}
	set("audience", string(e.Audience))
	set("host_id", e.HostID)
	set("accessibility", e.Accessibility)
	set("circle_id", e.CircleID)
	set("rsvp_close_minutes", strconv.Itoa(int(e.RSVPClose/time.Minute)))
	set("window_start", e.WindowStart.String())
	set("window_end", e.WindowEnd.String())
	set("scope", "all")
	return f
}

// decodeEventForm reads the editor's fields into an Input; problems with
// numbers and the recurrence picker are returned for the form.
func decodeEventForm(f url.Values) (events.Input, members.ValidationError) {
	get := func(k string) string { return strings.TrimSpace(f.Get(k)) }
	var ve members.ValidationError
	bad := func(field, msg string) { ve = append(ve, members.FieldError{Field: field, Message: msg}) }
	in := events.Input{Kind: events.Kind(get("kind")), Title: get("title"), Description: f.Get("description"),
		LocationName: get("location_name"), Address: get("address"), OnlineURL: get("online_url"),
		Start: get("start"), Audience: events.Audience(get("audience")), HostID: get("host_id"),
		Accessibility: get("accessibility"), CircleID: get("circle_id"),
		WindowStart: get("window_start"), WindowEnd: get("window_end")}
	if n := get("duration_minutes"); n != "" {
		d, err := strconv.Atoi(n)
		if err != nil {
			bad("duration_minutes", "Enter the length in minutes as a whole number, such as 90.")
		}
		in.DurationMinutes = d
	}
	if n := get("capacity"); n != "" {
		c, err := strconv.Atoi(n)
		if err != nil {
			bad("capacity", "Enter the number of places as a whole number, or leave it empty for no limit.")
		}
		in.Capacity = c
	}
	if n := get("rsvp_close_minutes"); n != "" {
		c, err := strconv.Atoi(n)
		if err != nil {
			bad("rsvp_close_minutes", "Enter minutes before the start as a whole number, or leave it empty for the program's default.")
		}
		in.RSVPCloseMinutes = &c
	}
	if _, err := events.ParseLocalTime(in.Start); err != nil {
		bad("start", err.Error())
	}
	rule, rve := buildRRule(f)
	in.RRule = rule
	return in, append(ve, rve...)
}

// eventNew is the empty editor.
func (s *Server) eventNew(w http.ResponseWriter, r *http.Request) error {
	a := actor(r)
	if err := access.ManageEvents(a, a.ProgramID); err != nil {
		return err
	}
	v, err := s.editorView(r, nil)
	if err != nil {
		return err
	}
	v.Form = pickerValues("", members.Date{})
	v.Form.Set("kind", string(events.WeeklyMeeting))
	v.Form.Set("audience", string(events.Alumni))
	v.Form.Set("duration_minutes", "90")
	return s.render(w, r, "events_editor", v)
}

// eventCreate saves a new event and shows its first occurrence.
func (s *Server) eventCreate(w http.ResponseWriter, r *http.Request) error {
	a := actor(r)
	if err := access.ManageEvents(a, a.ProgramID); err != nil {
		return err
	}
	if err := parseForm(r); err != nil {
		return err
	}
	in, ve := decodeEventForm(r.PostForm)
	if len(ve) == 0 {
		e, err := events.Create(r.Context(), s.db, a, in)
		if sve, ok := asValidation(err); ok {
			ve = editorValidation(sve)
		} else if err != nil {
			return err
		} else {
			occ, err := s.nextOccurrence(r, e)
			if err != nil {
				return err
			}
			http.Redirect(w, r, occurrenceLink(e.ID, occ)+"?done=created", http.StatusSeeOther)
			return nil
		}
	}
	v, err := s.editorView(r, nil)
	if err != nil {
		return err
	}
	v.Form = r.PostForm
	return s.eventFormError(w, r, "events_editor", v, ve)
}

// editableEvent reads the event named by the path for a person who may
// manage it.
func (s *Server) editableEvent(r *http.Request) (*events.Event, error) {
	id := r.PathValue("id")
	if !validPathID(id) {
		return nil, errNotFound
	}
	a := actor(r)
	e, err := events.Get(r.Context(), s.db, a, id)
	if err != nil {
		return nil, err
	}
	if err := access.ManageEvents(a, e.ProgramID); err != nil {
		return nil, err
	}
	return e, nil
}

// eventEdit is the editor filled in; ?from= preselects "this and
// following" from that occurrence.
func (s *Server) eventEdit(w http.ResponseWriter, r *http.Request) error {
	e, err := s.editableEvent(r)
	if err != nil {
		return err
	}
	v, err := s.editorView(r, e)
	if err != nil {
		return err
	}
	v.Form = eventFormValues(e)
	if from := r.URL.Query().Get("from"); from != "" && e.Recurring() {
		v.Form.Set("from", from)
	}
	return s.render(w, r, "events_editor", v)
}

// eventUpdate saves the editor: the whole series, or this and following
// occurrences from a date.
func (s *Server) eventUpdate(w http.ResponseWriter, r *http.Request) error {
	e, err := s.editableEvent(r)
	if err != nil {
		return err
	}
	if err := parseForm(r); err != nil {
		return err
	}
	a := actor(r)
	in, ve := decodeEventForm(r.PostForm)
	from := strings.TrimSpace(r.PostFormValue("from"))
	scope := r.PostFormValue("scope")
	if e.Recurring() && scope == "from" && from == "" {
		ve = append(ve, members.FieldError{Field: "from", Message: "Choose the first occurrence to change."})
	}
	if len(ve) == 0 {
		var saved *events.Event
		if e.Recurring() && scope == "from" {
			in.Start = startFrom(in.Start, from)
			saved, err = events.UpdateFrom(r.Context(), s.db, a, e.ID, from, in)
		} else {
			saved, err = events.Update(r.Context(), s.db, a, e.ID, in)
		}
		if sve, ok := asValidation(err); ok {
			ve = editorValidation(sve)
		} else if err != nil {
			return err
		} else {
			occ, err := s.nextOccurrence(r, saved)
			if err != nil {
				return err
			}
			http.Redirect(w, r, occurrenceLink(saved.ID, occ)+"?done=updated", http.StatusSeeOther)
			return nil
		}
	}
	v, err := s.editorView(r, e)
	if err != nil {
		return err
	}
	v.Form = r.PostForm
	return s.eventFormError(w, r, "events_editor", v, ve)
}

// nextOccurrence is the id of e's next occurrence from now, or of its
// first when none is ahead.
func (s *Server) nextOccurrence(r *http.Request, e *events.Event) (string, error) {
	now := s.now()
	occs, err := events.Occurrences(r.Context(), s.db, actor(r), e.ID, now, now.AddDate(2, 0, 0))
	if err != nil {
		return "", err
	}
	if len(occs) > 0 {
		return occs[0].ID, nil
	}
	return e.FirstDate.String(), nil
}

// startFrom moves a "this and following" change's start to the first
// changed occurrence's date when the form's start is earlier (the editor
// shows the series' first start), keeping its time of day.
func startFrom(start, from string) string {
	st, err := events.ParseLocalTime(start)
	if err != nil {
		return start
	}
	d, err := members.ParseDate(from)
	if err != nil || !st.Date.Before(d) {
		return start
	}
	st.Date = d
	return st.String()
}
