package events

import (
	"fmt"
	"net/url"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/cairn-recovery/cairn/internal/members"
)

// Input is an event as a staff member submits it, from the editor or the
// API. Every field is checkedInput by Create and Update; problems come back as a
// members.ValidationError naming each field by its form and JSON name.
type Input struct {
	Kind         Kind
	Title        string
	Description  string
	LocationName string
	Address      string
	// OnlineURL is an http or https link to an online meeting.
	OnlineURL string
	// Start is the local start, YYYY-MM-DDTHH:MM, in the program's zone.
	Start           string
	DurationMinutes int
	// RRule is an RFC 5545 rule without DTSTART, "" for a one-off event.
	RRule string
	// Capacity counts people including guests; 0 means no limit.
	Capacity int
	Audience Audience
	// HostID is a staff member or an alumnus of the program, or "".
	HostID        string
	Accessibility string
	CircleID      string
	// RSVPCloseMinutes is how many minutes before the start RSVPs close;
	// nil takes the program's default (see Settings) at the time of saving.
	RSVPCloseMinutes *int
	// WindowStart and WindowEnd (YYYY-MM-DD) are a milestone dinner's
	// window of milestones; both "" means the occurrence's calendar month.
	WindowStart, WindowEnd string
}

// Limits on an event's fields.
const (
	maxEventTitle         = 200
	maxEventDescription   = 5000
	maxEventLocation      = 200
	maxEventAddress       = 500
	maxEventURL           = 2000
	maxEventAccessibility = 1000
	maxOccurrenceNote     = 500
	maxEventIDLen         = 64
	maxEventDuration      = 1440
	maxEventCapacity      = 100000
	maxRSVPCloseMinutes   = 60 * 24 * 28
	maxWindowDays         = 62
	// yearsAround bounds how far from today an event may start.
	yearsAround = 10
)

// checkedInput is an Input after validation, in the types the store keeps.
type checkedInput struct {
	kind                                   Kind
	title, description, locationName, addr string
	onlineURL, accessibility, circleID     string
	hostID                                 string
	start                                  LocalTime
	duration                               time.Duration
	rrule                                  string
	capacity                               int
	audience                               Audience
	rsvpClose                              time.Duration
	windowStart, windowEnd                 members.Date
	firstDate, lastDate                    members.Date
}

// fieldErrs collects field problems.
type fieldErrs struct{ v members.ValidationError }

func (f *fieldErrs) add(field, format string, args ...any) {
	if f.v.For(field) != "" {
		return
	}
	f.v = append(f.v, members.FieldError{Field: field, Message: fmt.Sprintf(format, args...)})
}

func (f *fieldErrs) err() error {
	if len(f.v) == 0 {
		return nil
	}
	return f.v
}

// text checks a free-text field: valid UTF-8, at most max characters, no
// control characters except newlines and tabs when multiline.
func (f *fieldErrs) text(field, s string, max int, multiline bool) string {
	s = strings.TrimSpace(s)
	switch {
	case !utf8.ValidString(s):
		f.add(field, "is not valid text")
	case utf8.RuneCountInString(s) > max:
		f.add(field, "is longer than %d characters", max)
	case strings.IndexFunc(s, func(r rune) bool {
		return unicode.IsControl(r) && !(multiline && (r == '\n' || r == '\r' || r == '\t'))
	}) >= 0:
		if multiline {
			f.add(field, "contains control characters")
		} else {
			f.add(field, "must be one line")
		}
	}
	return s
}

// validateInput checks in for a program whose zone is loc, on the day
// today, and returns its values. Checks that need the database (the host)
// are done by checkHost.
func validateInput(in *Input, loc *time.Location, today members.Date, defaultClose time.Duration) (*checkedInput, error) {
	var f fieldErrs
	c := &checkedInput{}
	if k, err := ParseKind(string(in.Kind)); err != nil {
		f.add("kind", "%s", err.Error())
	} else {
		c.kind = k
	}
	c.title = f.text("title", in.Title, maxEventTitle, false)
	if c.title == "" && f.v.For("title") == "" {
		f.add("title", "is required")
	}
	c.description = f.text("description", in.Description, maxEventDescription, true)
	c.locationName = f.text("location_name", in.LocationName, maxEventLocation, false)
	c.addr = f.text("address", in.Address, maxEventAddress, true)
	c.accessibility = f.text("accessibility", in.Accessibility, maxEventAccessibility, true)
	c.onlineURL = f.text("online_url", in.OnlineURL, maxEventURL, false)
	if c.onlineURL != "" && f.v.For("online_url") == "" {
		if u, err := url.Parse(c.onlineURL); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.User != nil ||
			strings.ContainsAny(c.onlineURL, " \t<>\"") {
			f.add("online_url", "must be a web address starting with https:// (or http://)")
		}
	}
	c.circleID = f.text("circle_id", in.CircleID, maxEventIDLen, false)
	c.hostID = f.text("host_id", in.HostID, maxEventIDLen, false)

	start, err := ParseLocalTime(in.Start)
	if err != nil {
		f.add("start", "%s", err.Error())
	} else if start.Date.Before(today.AddYears(-yearsAround)) || start.Date.After(today.AddYears(yearsAround)) {
		f.add("start", "must be within %d years of today", yearsAround)
	} else {
		c.start = start
	}
	if in.DurationMinutes < 1 || in.DurationMinutes > maxEventDuration {
		f.add("duration_minutes", "must be from 1 to %d minutes", maxEventDuration)
	} else {
		c.duration = time.Duration(in.DurationMinutes) * time.Minute
	}
	if in.Capacity < 0 || in.Capacity > maxEventCapacity {
		f.add("capacity", "must be 0 (no limit) or a number of people up to %d", maxEventCapacity)
	} else {
		c.capacity = in.Capacity
	}
	if a, err := ParseAudience(string(in.Audience)); err != nil {
		f.add("audience", "%s", err.Error())
	} else {
		c.audience = a
	}
	c.rsvpClose = defaultClose
	if in.RSVPCloseMinutes != nil {
		if m := *in.RSVPCloseMinutes; m < 0 || m > maxRSVPCloseMinutes {
			f.add("rsvp_close_minutes", "must be from 0 to %d minutes", maxRSVPCloseMinutes)
		} else {
			c.rsvpClose = time.Duration(m) * time.Minute
		}
	}
	c.validateWindow(&f, in)

	c.rrule = normalizeRule(in.RRule)
	if c.rrule != "" {
		if _, err := parseRule(c.rrule, loc); err != nil {
			f.add("rrule", "%s", err.Error())
		}
	}
	if f.v.For("start") == "" && f.v.For("rrule") == "" {
		c.firstDate, c.lastDate = c.start.Date, c.start.Date
		if c.rrule != "" {
			first, last, ok, err := ruleBounds(c.rrule, c.start, loc)
			switch {
			case err != nil:
				f.add("rrule", "%s", err.Error())
			case !ok:
				f.add("rrule", "has no occurrence on or after the start (check UNTIL and the BY parts)")
			default:
				c.firstDate, c.lastDate = first, last
				c.start.Date = first
			}
		}
	}
	return c, f.err()
}

// validateWindow checks a milestone dinner's window.
func (c *checkedInput) validateWindow(f *fieldErrs, in *Input) {
	ws, we := strings.TrimSpace(in.WindowStart), strings.TrimSpace(in.WindowEnd)
	if ws == "" && we == "" {
		return
	}
	if c.kind != MilestoneDinner {
		if ws != "" {
			f.add("window_start", "is only for milestone dinners")
		}
		if we != "" {
			f.add("window_end", "is only for milestone dinners")
		}
		return
	}
	var err1, err2 error
	c.windowStart, err1 = members.ParseDate(ws)
	c.windowEnd, err2 = members.ParseDate(we)
	if err1 != nil {
		f.add("window_start", "%s", err1.Error())
	}
	if err2 != nil {
		f.add("window_end", "%s", err2.Error())
	}
	if err1 != nil || err2 != nil {
		c.windowStart, c.windowEnd = members.Date{}, members.Date{}
		return
	}
	if c.windowEnd.Before(c.windowStart) {
		f.add("window_end", "must be on or after the window's start")
	} else if c.windowStart.DaysUntil(c.windowEnd) >= maxWindowDays {
		f.add("window_end", "must be at most %d days after the window's start", maxWindowDays)
	}
}
