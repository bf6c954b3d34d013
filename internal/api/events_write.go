package api

import (
	"errors"
	"net/http"
	"time"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/db"
	"github.com/cairn-recovery/cairn/internal/events"
	"github.com/cairn-recovery/cairn/internal/members"
)

// eventRequest is the body of POST /api/v1/events. starts_at is a local
// time in the program's zone (YYYY-MM-DDTHH:MM); rrule is an RFC 5545
// rule without DTSTART, empty for a one-off; capacity 0 means no limit;
// rsvp_close_minutes left out means the program's default.
type eventRequest struct {
	Kind             string `json:"kind"`
	Title            string `json:"title"`
	Description      string `json:"description"`
	LocationName     string `json:"location_name"`
	Address          string `json:"address"`
	OnlineURL        string `json:"online_url"`
	StartsAt         string `json:"starts_at"`
	DurationMinutes  int    `json:"duration_minutes"`
	RRule            string `json:"rrule"`
	Capacity         int    `json:"capacity"`
	Audience         string `json:"audience"`
	HostID           string `json:"host_id"`
	Accessibility    string `json:"accessibility"`
	RSVPCloseMinutes *int   `json:"rsvp_close_minutes"`
	WindowStart      string `json:"window_start"`
	WindowEnd        string `json:"window_end"`
}

// eventPatch is the body of PATCH /api/v1/events/{id}: members left out
// keep their value. With from (an occurrence id), the change applies to
// that occurrence and the following ones only.
type eventPatch struct {
	Kind             *string `json:"kind"`
	Title            *string `json:"title"`
	Description      *string `json:"description"`
	LocationName     *string `json:"location_name"`
	Address          *string `json:"address"`
	OnlineURL        *string `json:"online_url"`
	StartsAt         *string `json:"starts_at"`
	DurationMinutes  *int    `json:"duration_minutes"`
	RRule            *string `json:"rrule"`
	Capacity         *int    `json:"capacity"`
	Audience         *string `json:"audience"`
	HostID           *string `json:"host_id"`
	Accessibility    *string `json:"accessibility"`
	RSVPCloseMinutes *int    `json:"rsvp_close_minutes"`
	WindowStart      *string `json:"window_start"`
	WindowEnd        *string `json:"window_end"`
	From             *string `json:"from"`
}

func (b eventRequest) input() events.Input {
	return events.Input{Kind: events.Kind(b.Kind), Title: b.Title, Description: b.Description, LocationName: b.LocationName,
		Address: b.Address, OnlineURL: b.OnlineURL, Start: b.StartsAt, DurationMinutes: b.DurationMinutes, RRule: b.RRule,
		Capacity: b.Capacity, Audience: events.Audience(b.Audience), HostID: b.HostID, Accessibility: b.Accessibility,
		RSVPCloseMinutes: b.RSVPCloseMinutes, WindowStart: b.WindowStart, WindowEnd: b.WindowEnd}
}

// inputOf returns the input that would save e unchanged.
func inputOf(e *events.Event) events.Input {
	closeMin := int(e.RSVPClose / time.Minute)
	in := events.Input{Kind: e.Kind, Title: e.Title, Description: e.Description, LocationName: e.LocationName,
		Address: e.Address, OnlineURL: e.OnlineURL, Start: e.Start.String(), DurationMinutes: int(e.Duration / time.Minute),
		RRule: e.RRule, Capacity: e.Capacity, Audience: e.Audience, HostID: e.HostID, Accessibility: e.Accessibility,
		CircleID: e.CircleID, RSVPCloseMinutes: &closeMin}
	if !e.WindowStart.IsZero() {
		in.WindowStart = e.WindowStart.String()
	}
	if !e.WindowEnd.IsZero() {
		in.WindowEnd = e.WindowEnd.String()
	}
	return in
}

// apply sets the members of p that were sent onto in.
func (p eventPatch) apply(in *events.Input) {
	set := func(dst *string, src *string) {
		if src != nil {
			*dst = *src
		}
	}
	if p.Kind != nil {
		in.Kind = events.Kind(*p.Kind)
	}
	if p.Audience != nil {
		in.Audience = events.Audience(*p.Audience)
	}
	set(&in.Title, p.Title)
	set(&in.Description, p.Description)
	set(&in.LocationName, p.LocationName)
	set(&in.Address, p.Address)
	set(&in.OnlineURL, p.OnlineURL)
	set(&in.Start, p.StartsAt)
	set(&in.RRule, p.RRule)
	set(&in.HostID, p.HostID)
	set(&in.Accessibility, p.Accessibility)
	set(&in.WindowStart, p.WindowStart)
	set(&in.WindowEnd, p.WindowEnd)
	if p.DurationMinutes != nil {
		in.DurationMinutes = *p.DurationMinutes
	}
	if p.Capacity != nil {
		in.Capacity = *p.Capacity
	}
	if p.RSVPCloseMinutes != nil {
		in.RSVPCloseMinutes = p.RSVPCloseMinutes
	}
}

// answerEvent writes e with status, as the caller may see it.
func (a *API) answerEvent(w http.ResponseWriter, r *http.Request, c *call, status int, e *events.Event) error {
	loc, err := a.location(r, c)
	if err != nil {
		return err
	}
	return writeJSONStatus(w, status, toEventJSON(e, loc, access.SeeOnlineLink(c.actor(), e.ProgramID, "") == nil))
}

// createEvent creates an event (coordinators and admins; others 404).
func (a *API) createEvent(w http.ResponseWriter, r *http.Request, c *call) error {
	var body eventRequest
	if err := decodeJSON(w, r, a.maxBody, &body); err != nil {
		return err
	}
	e, err := events.Create(r.Context(), a.db, c.actor(), body.input())
	if err != nil {
		return eventsProblem(err)
	}
	w.Header().Set("Location", "/api/v1/events/"+e.ID)
	return a.answerEvent(w, r, c, http.StatusCreated, e)
}

// getEvent answers one event the caller may see.
func (a *API) getEvent(w http.ResponseWriter, r *http.Request, c *call) error {
	id, err := eventPath(r)
	if err != nil {
		return err
	}
	e, err := events.Get(r.Context(), a.db, c.actor(), id)
	if err != nil {
		return err
	}
	return a.answerEvent(w, r, c, http.StatusOK, e)
}

// patchEvent changes the members the body names, for the whole series, or
// with from for that occurrence and the following ones (the answer is
// then the new part of the series, which has an id of its own).
func (a *API) patchEvent(w http.ResponseWriter, r *http.Request, c *call) error {
	id, err := eventPath(r)
	if err != nil {
		return err
	}
	var patch eventPatch
	if err := decodeJSON(w, r, a.maxBody, &patch); err != nil {
		return err
	}
	var from members.Date
	if patch.From != nil {
		if from, err = members.ParseDate(*patch.From); err != nil {
			return invalid("from", "Must be an occurrence id: its local date, YYYY-MM-DD.")
		}
	}
	actor := c.actor()
	cur, err := events.Get(r.Context(), a.db, actor, id)
	if err != nil {
		return err
	}
	in := inputOf(cur)
	if patch.From != nil && patch.StartsAt == nil {
		// The following part starts on the first date it covers, at the
		// series' time of day.
		start := cur.Start
		start.Date = from
		in.Start = start.String()
	}
	patch.apply(&in)
	if err := access.ManageEvents(actor, cur.ProgramID); err != nil {
		return err
	}
	var e *events.Event
	if patch.From != nil {
		e, err = events.UpdateFrom(r.Context(), a.db, actor, id, from.String(), in)
		if errors.Is(err, db.ErrNotFound) {
			// The caller may change the event, so it is the date that is
			// not one of its occurrences.
			return membersProblem(members.ValidationError{{Field: "from", Message: "is not an occurrence of this event"}})
		}
		err = eventsProblem(err, "occurrence", "from")
	} else {
		e, err = events.Update(r.Context(), a.db, actor, id, in)
		err = eventsProblem(err)
	}
	if err != nil {
		return err
	}
	return a.answerEvent(w, r, c, http.StatusOK, e)
}

// deleteEvent cancels an event: it stays listed, marked cancelled, and
// the people who answered for its coming occurrences are told.
func (a *API) deleteEvent(w http.ResponseWriter, r *http.Request, c *call) error {
	id, err := eventPath(r)
	if err != nil {
		return err
	}
	if err := events.Delete(r.Context(), a.db, c.actor(), id); err != nil {
		return eventsProblem(err)
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
