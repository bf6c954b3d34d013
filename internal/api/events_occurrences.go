package api

import (
	"net/http"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/events"
)

// getOccurrence answers one occurrence with the caller's RSVP and the
// attendee list as the caller may see it.
func (a *API) getOccurrence(w http.ResponseWriter, r *http.Request, c *call) error {
	id, occ, err := occurrencePath(r)
	if err != nil {
		return err
	}
	ctx, actor := r.Context(), c.actor()
	e, o, err := events.GetOccurrence(ctx, a.db, actor, id, occ)
	if err != nil {
		return err
	}
	mine, err := events.MyRSVP(ctx, a.db, actor, id, occ)
	if err != nil {
		return err
	}
	list, err := events.Attendees(ctx, a.db, actor, id, occ)
	if err != nil {
		return err
	}
	loc, err := a.location(r, c)
	if err != nil {
		return err
	}
	out := occurrenceDetailJSON{Event: toEventJSON(e, loc, access.SeeOnlineLink(actor, e.ProgramID, "") == nil),
		Attendees: make([]attendeeJSON, 0, len(list))}
	state := ""
	if mine != nil {
		state = mine.State
		out.MyRSVP = toRSVPJSON(mine)
	}
	out.Occurrence = toOccurrenceJSON(e, o, loc, state)
	if access.SeeOnlineLink(actor, e.ProgramID, state) == nil {
		out.OnlineURL = e.OnlineURL
	}
	for _, at := range list {
		out.Attendees = append(out.Attendees, attendeeJSON{UserID: at.UserID, DisplayName: at.DisplayName, State: at.State,
			Adults: at.Adults, Children: at.Children, Dietary: at.Dietary, Position: at.Position})
	}
	return writeJSON(w, out)
}

// rsvpRequest is the body of PUT .../rsvp. adults counts the member and
// defaults to 1; children defaults to 0. Kinds without guests ignore both
// (the events package checks them).
type rsvpRequest struct {
	Status   string `json:"status"`
	Adults   *int   `json:"adults"`
	Children *int   `json:"children"`
	Dietary  string `json:"dietary"`
	ShowMe   bool   `json:"show_me"`
}

// putRSVP sets the caller's answer for an occurrence. A yes takes seats
// for the member and their guests, or joins the waitlist when they do not
// fit.
func (a *API) putRSVP(w http.ResponseWriter, r *http.Request, c *call) error {
	id, occ, err := occurrencePath(r)
	if err != nil {
		return err
	}
	var body rsvpRequest
	if err := decodeJSON(w, r, a.maxBody, &body); err != nil {
		return err
	}
	in := events.RSVPInput{Status: body.Status, Adults: 1, Dietary: body.Dietary, ShowMe: body.ShowMe}
	if body.Adults != nil {
		in.Adults = *body.Adults
	}
	if body.Children != nil {
		in.Children = *body.Children
	}
	rsvp, err := events.SetRSVP(r.Context(), a.db, c.actor(), id, occ, in)
	if err != nil {
		return eventsProblem(err)
	}
	return writeJSON(w, toRSVPJSON(rsvp))
}

// deleteRSVP withdraws the caller's answer; their seats go to the first
// waitlisted people who fit.
func (a *API) deleteRSVP(w http.ResponseWriter, r *http.Request, c *call) error {
	id, occ, err := occurrencePath(r)
	if err != nil {
		return err
	}
	if err := events.CancelRSVP(r.Context(), a.db, c.actor(), id, occ); err != nil {
		return eventsProblem(err)
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// attendanceRequest is the body of POST .../attendance: staff send a
// member's user_id or a walk-in's name; a member sends the code shown at
// the venue to check themself in.
type attendanceRequest struct {
	UserID     string `json:"user_id"`
	WalkInName string `json:"walk_in_name"`
	Code       string `json:"code"`
}

// attendanceJSON is the answer of POST .../attendance: the entry and the
// occurrence it belongs to (for a code, the occurrence the code names).
type attendanceJSON struct {
	AttendanceID string `json:"attendance_id"`
	EventID      string `json:"event_id"`
	Occurrence   string `json:"occurrence"`
}

// postAttendance checks someone in at an occurrence.
func (a *API) postAttendance(w http.ResponseWriter, r *http.Request, c *call) error {
	id, occ, err := occurrencePath(r)
	if err != nil {
		return err
	}
	var body attendanceRequest
	if err := decodeJSON(w, r, a.maxBody, &body); err != nil {
		return err
	}
	sent := 0
	for _, s := range []string{body.UserID, body.WalkInName, body.Code} {
		if s != "" {
			sent++
		}
	}
	if sent != 1 {
		return invalid("user_id", "Send exactly one of user_id (staff), walk_in_name (staff) or code (checking yourself in).")
	}
	ctx, actor := r.Context(), c.actor()
	var attID string
	switch {
	case body.UserID != "":
		if len(body.UserID) > 64 {
			return invalid("user_id", "Must be a member's id.")
		}
		attID, err = events.CheckIn(ctx, a.db, actor, id, occ, body.UserID)
	case body.WalkInName != "":
		attID, err = events.AddWalkIn(ctx, a.db, actor, id, occ, body.WalkInName)
	default:
		// The code names the occurrence; the path's event must be one the
		// caller may see.
		if _, err := events.Get(ctx, a.db, actor, id); err != nil {
			return err
		}
		var in *events.CodeCheckIn
		if in, err = events.CheckInWithCode(ctx, a.db, actor, body.Code); err == nil {
			id, occ, attID = in.Event.ID, in.Occurrence.ID, in.AttendanceID
		}
	}
	if err != nil {
		return eventsProblem(err, "name", "walk_in_name")
	}
	w.Header().Set("Location", "/api/v1/events/"+id+"/occurrences/"+occ)
	return writeJSONStatus(w, http.StatusCreated, attendanceJSON{AttendanceID: attID, EventID: id, Occurrence: occ})
}

// honoreeJSON is one honoree of a milestone dinner.
type honoreeJSON struct {
	UserID         string `json:"user_id"`
	DisplayName    string `json:"display_name"`
	MilestoneLabel string `json:"milestone_label"`
	MilestoneDate  string `json:"milestone_date"`
	State          string `json:"state"`
	Invited        bool   `json:"invited"`
}

// getHonorees answers a milestone dinner's honorees (coordinators and
// admins), refreshing the list from the members' milestones first.
func (a *API) getHonorees(w http.ResponseWriter, r *http.Request, c *call) error {
	id, occ, err := occurrencePath(r)
	if err != nil {
		return err
	}
	list, err := events.Honorees(r.Context(), a.db, c.actor(), id, occ)
	if err != nil {
		return eventsProblem(err)
	}
	out := struct {
		Items []honoreeJSON `json:"items"`
	}{Items: make([]honoreeJSON, 0, len(list))}
	for _, h := range list {
		out.Items = append(out.Items, honoreeJSON{UserID: h.UserID, DisplayName: h.DisplayName, MilestoneLabel: h.MilestoneLabel,
			MilestoneDate: h.MilestoneDate.String(), State: h.State, Invited: h.Invited})
	}
	return writeJSON(w, out)
}

// cancelRequest is the body of POST .../cancel; the note goes to the
// people who answered.
type cancelRequest struct {
	Note string `json:"note"`
}

// cancelOccurrence cancels one occurrence (coordinators and admins). The
// body may be left out.
func (a *API) cancelOccurrence(w http.ResponseWriter, r *http.Request, c *call) error {
	id, occ, err := occurrencePath(r)
	if err != nil {
		return err
	}
	var body cancelRequest
	if r.ContentLength != 0 || r.Header.Get("Content-Type") != "" {
		if err := decodeJSON(w, r, a.maxBody, &body); err != nil {
			return err
		}
	}
	if err := events.CancelOccurrence(r.Context(), a.db, c.actor(), id, occ, body.Note); err != nil {
		return eventsProblem(err)
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
