package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/events"
	"github.com/cairn-recovery/cairn/internal/members"
)

// reminderRows is how many reminder times the settings form offers.
const reminderRows = 4

// settingsPage is the program's event settings form; the values are in
// view.Form as reminder_N / reminder_N_unit and rsvp_close /
// rsvp_close_unit.
type settingsPage struct {
	Rows []int
}

// durationFields writes d as an amount and a unit: hours when whole,
// else minutes.
func durationFields(d time.Duration) (string, string) {
	if d%time.Hour == 0 && d != 0 {
		return strconv.Itoa(int(d / time.Hour)), "hours"
	}
	return strconv.Itoa(int(d / time.Minute)), "minutes"
}

// parseDurationFields reads an amount and a unit; "" is no value.
func parseDurationFields(amount, unit string) (time.Duration, bool, error) {
	amount = strings.TrimSpace(amount)
	if amount == "" {
		return 0, false, nil
	}
	n, err := strconv.Atoi(amount)
	if err != nil || n < 0 || n > 60*24*60 {
		return 0, false, fmt.Errorf("bad amount")
	}
	if unit == "hours" {
		return time.Duration(n) * time.Hour, true, nil
	}
	return time.Duration(n) * time.Minute, true, nil
}

func (s *Server) settingsView(r *http.Request) *view {
	v := s.adminView(r, "Event settings", &settingsPage{Rows: []int{1, 2, 3, 4}})
	return v
}

// adminEventSettings shows the program's reminder times and default RSVP
// close.
func (s *Server) adminEventSettings(w http.ResponseWriter, r *http.Request) error {
	a := actor(r)
	if err := access.ManageEvents(a, a.ProgramID); err != nil {
		return err
	}
	set, err := events.GetSettings(r.Context(), s.db, a.ProgramID)
	if err != nil {
		return err
	}
	v := s.settingsView(r)
	v.Form = url.Values{}
	for i, d := range set.ReminderOffsets {
		if i >= reminderRows {
			break
		}
		n, unit := durationFields(d)
		v.Form.Set(fmt.Sprintf("reminder_%d", i+1), n)
		v.Form.Set(fmt.Sprintf("reminder_%d_unit", i+1), unit)
	}
	n, unit := durationFields(set.RSVPClose)
	v.Form.Set("rsvp_close", n)
	v.Form.Set("rsvp_close_unit", unit)
	return s.render(w, r, "events_settings", v)
}

// adminEventSettingsSave saves the settings; upcoming reminders follow.
func (s *Server) adminEventSettingsSave(w http.ResponseWriter, r *http.Request) error {
	a := actor(r)
	if err := access.ManageEvents(a, a.ProgramID); err != nil {
		return err
	}
	if err := parseForm(r); err != nil {
		return err
	}
	var set events.Settings
	var ve members.ValidationError
	for i := 1; i <= reminderRows; i++ {
		field := fmt.Sprintf("reminder_%d", i)
		d, ok, err := parseDurationFields(r.PostFormValue(field), r.PostFormValue(field+"_unit"))
		switch {
		case err != nil:
			ve = append(ve, members.FieldError{Field: field, Message: "Enter a whole number of hours or minutes before the start, or leave it empty."})
		case ok:
			set.ReminderOffsets = append(set.ReminderOffsets, d)
		}
	}
	d, _, err := parseDurationFields(r.PostFormValue("rsvp_close"), r.PostFormValue("rsvp_close_unit"))
	if err != nil {
		ve = append(ve, members.FieldError{Field: "rsvp_close", Message: "Enter a whole number of hours or minutes before the start; 0 keeps answers open until the start."})
	}
	set.RSVPClose = d
	if len(ve) == 0 {
		err := events.SaveSettings(r.Context(), s.db, a, a.ProgramID, set)
		if sve, ok := asValidation(err); ok {
			for _, f := range sve {
				if f.Field == "rsvp_close_minutes" {
					f.Field = "rsvp_close"
				} else {
					f.Field = "reminder_1"
				}
				ve = append(ve, f)
			}
		} else if err != nil {
			return err
		}
	}
	if len(ve) > 0 {
		v := s.settingsView(r)
		v.Form = r.PostForm
		return s.eventFormError(w, r, "events_settings", v, ve)
	}
	http.Redirect(w, r, "/admin/events?done=saved", http.StatusSeeOther)
	return nil
}
