package web

import (
	"bytes"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/db"
	"github.com/cairn-recovery/cairn/internal/events"
	"github.com/cairn-recovery/cairn/internal/members"
)

// codeEarly is how long before the start a check-in code works.
const codeEarly = 30 * time.Minute

// checkinPage is the staff check-in list of one occurrence.
type checkinPage struct {
	Event *events.Event
	Occ   *events.Occurrence
	Link  string
	When  string
	// Code is the occurrence's check-in code, valid from ValidFrom to
	// ValidUntil.
	Code                  string
	ValidFrom, ValidUntil time.Time
	Search                string
	Rows                  []checkinRow
	In                    int
}

// checkinRow is one person of the list, with what its forms need.
type checkinRow struct {
	events.CheckInRow
	Link   string
	Search string
}

// RowID is the row's element id, for htmx and for the redirect anchor.
func (r checkinRow) RowID() string {
	if r.UserID != "" {
		return "person-" + r.UserID
	}
	return "walkin-" + r.AttendanceID
}

// StateLabel says the person's RSVP for the list.
func (r checkinRow) StateLabel() string {
	if r.WalkIn {
		return "Walk-in"
	}
	switch r.RSVPState {
	case "confirmed":
		return "Going"
	case "waitlisted":
		return "Waitlisted"
	case "tentative":
		return "Maybe"
	case "declined":
		return "Said no"
	}
	return "No answer"
}

// takingAttendance reads the occurrence of the path for staff who may
// take attendance.
func (s *Server) takingAttendance(r *http.Request) (*events.Event, *events.Occurrence, error) {
	e, o, err := s.loadOccurrence(r)
	if err != nil {
		return nil, nil, err
	}
	if err := access.TakeAttendance(actor(r), e.ProgramID); err != nil {
		return nil, nil, err
	}
	return e, o, nil
}

func (s *Server) checkinView(r *http.Request, e *events.Event, o *events.Occurrence, search string) (*view, error) {
	ctx := r.Context()
	a := actor(r)
	list, err := events.CheckInList(ctx, s.db, a, e.ID, o.ID, search)
	if err != nil {
		return nil, err
	}
	code, err := events.CheckInCode(ctx, s.db, a, e.ID, o.ID)
	if err != nil {
		return nil, err
	}
	v := s.eventView(r, "Check-in: "+e.Title, nil)
	d := &checkinPage{Event: e, Occ: o, Link: occurrenceLink(e.ID, o.ID), When: whenLabel(o.Start, o.End, v.Loc),
		Code: code, ValidFrom: o.Start.Add(-codeEarly), ValidUntil: o.End, Search: search}
	for _, row := range list {
		d.Rows = append(d.Rows, checkinRow{CheckInRow: row, Link: d.Link, Search: search})
		if row.AttendanceID != "" {
			d.In++
		}
	}
	v.Data = d
	return v, nil
}

// eventCheckin is the phone-friendly check-in list.
func (s *Server) eventCheckin(w http.ResponseWriter, r *http.Request) error {
	e, o, err := s.takingAttendance(r)
	if err != nil {
		return err
	}
	search := strings.TrimSpace(r.URL.Query().Get("q"))
	if len(search) > 100 {
		search = search[:100]
	}
	v, err := s.checkinView(r, e, o, search)
	if err != nil {
		return err
	}
	return s.render(w, r, "events_checkin", v)
}

// checkinDone answers a check-in or undo: the person's row alone for
// htmx, else a redirect back to the list.
func (s *Server) checkinDone(w http.ResponseWriter, r *http.Request, e *events.Event, o *events.Occurrence, userID string) error {
	search := strings.TrimSpace(r.PostFormValue("q"))
	if !isHTMX(r) {
		target := occurrenceLink(e.ID, o.ID) + "/checkin"
		if search != "" {
			target += "?q=" + url.QueryEscape(search)
		}
		if userID != "" {
			target += "#person-" + userID
		}
		http.Redirect(w, r, target, http.StatusSeeOther)
		return nil
	}
	list, err := events.CheckInList(r.Context(), s.db, actor(r), e.ID, o.ID, "")
	if err != nil {
		return err
	}
	in := 0
	var row *events.CheckInRow
	for i := range list {
		if list[i].AttendanceID != "" {
			in++
		}
		if userID != "" && list[i].UserID == userID {
			row = &list[i]
		}
	}
	var buf bytes.Buffer
	t := s.tmpl.pages["events_checkin"]
	if row != nil {
		// An undone walk-in has no row: it leaves the list.
		if err := t.ExecuteTemplate(&buf, "events-checkin-row", checkinRow{CheckInRow: *row, Link: occurrenceLink(e.ID, o.ID), Search: search}); err != nil {
			return err
		}
	}
	if search == "" {
		// The count of everyone, swapped in out of band.
		if err := t.ExecuteTemplate(&buf, "events-checkin-count-oob", in); err != nil {
			return err
		}
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	_, _ = w.Write(buf.Bytes())
	return nil
}

// eventCheckinPerson checks one member in.
func (s *Server) eventCheckinPerson(w http.ResponseWriter, r *http.Request) error {
	e, o, err := s.takingAttendance(r)
	if err != nil {
		return err
	}
	if err := parseForm(r); err != nil {
		return err
	}
	userID := postedField(r, "user_id")
	if userID == "" {
		return errStatus(http.StatusBadRequest, "Choose the person to check in. Please go back to the list and try again.")
	}
	if !validPathID(userID) {
		return errNotFound
	}
	if _, err := events.CheckIn(r.Context(), s.db, actor(r), e.ID, o.ID, userID); err != nil {
		return err
	}
	return s.checkinDone(w, r, e, o, userID)
}

// eventCheckinUndo takes a check-in back.
func (s *Server) eventCheckinUndo(w http.ResponseWriter, r *http.Request) error {
	e, o, err := s.takingAttendance(r)
	if err != nil {
		return err
	}
	if err := parseForm(r); err != nil {
		return err
	}
	id := postedField(r, "attendance_id")
	if id == "" {
		return errStatus(http.StatusBadRequest, "Choose the check-in to undo. Please go back to the list and try again.")
	}
	if !validPathID(id) {
		return errNotFound
	}
	if err := events.UndoCheckIn(r.Context(), s.db, actor(r), e.ID, o.ID, id); err != nil {
		return err
	}
	return s.checkinDone(w, r, e, o, postedField(r, "user_id"))
}

// eventWalkIn adds someone who came without an account or an RSVP.
func (s *Server) eventWalkIn(w http.ResponseWriter, r *http.Request) error {
	e, o, err := s.takingAttendance(r)
	if err != nil {
		return err
	}
	if err := parseForm(r); err != nil {
		return err
	}
	_, err = events.AddWalkIn(r.Context(), s.db, actor(r), e.ID, o.ID, postedField(r, "walkin_name"))
	if ve, ok := asValidation(err); ok {
		v, verr := s.checkinView(r, e, o, "")
		if verr != nil {
			return verr
		}
		v.Form = r.PostForm
		for i := range ve {
			ve[i].Field = "walkin_name"
		}
		return s.eventFormError(w, r, "events_checkin", v, ve)
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, occurrenceLink(e.ID, o.ID)+"/checkin?done=walk-in", http.StatusSeeOther)
	return nil
}

// eventCodeForm is where a member types the code shown at the venue.
func (s *Server) eventCodeForm(w http.ResponseWriter, r *http.Request) error {
	v := s.eventView(r, "Check in with a code", nil)
	v.Form = url.Values{}
	return s.render(w, r, "events_code", v)
}

// eventCodeCheckin checks the member in with the venue's code and shows
// the event.
func (s *Server) eventCodeCheckin(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	code := strings.ToUpper(strings.ReplaceAll(postedField(r, "code"), " ", ""))
	in, err := events.CheckInWithCode(r.Context(), s.db, actor(r), code)
	if err == nil {
		http.Redirect(w, r, occurrenceLink(in.Event.ID, in.Occurrence.ID)+"?done=checked-in", http.StatusSeeOther)
		return nil
	}
	v := s.eventView(r, "Check in with a code", nil)
	v.Form = r.PostForm
	if ve, ok := asValidation(err); ok {
		for i := range ve {
			ve[i].Field = "code"
		}
		return s.eventFormError(w, r, "events_code", v, ve)
	}
	if errors.Is(err, db.ErrNotFound) {
		msg := "That code does not match an event happening now. Check the code on the screen; codes work from 30 minutes before the start until the end."
		if code == "" {
			msg = "Enter the code shown at the venue."
		}
		return s.eventFormError(w, r, "events_code", v, members.ValidationError{{Field: "code", Message: msg}})
	}
	return err
}
