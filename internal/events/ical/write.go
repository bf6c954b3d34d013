package ical

import (
	"fmt"
	"io"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// localDateTime is the RFC 5545 DATE-TIME form for local time, used with a
// TZID parameter.
const localDateTime = "20060102T150405"

// Marshal encodes c as an iCalendar object (RFC 5545): CRLF line endings,
// lines folded at 75 octets, TEXT escaped, times in c.Location with TZID
// and a generated VTIMEZONE. Bad input gives a *FieldError and no output.
func Marshal(c Calendar) ([]byte, error) {
	loc := c.Location
	if loc == nil {
		loc = time.UTC
	}
	if err := checkZone(loc); err != nil {
		return nil, err
	}
	if c.Method != "" && strings.Trim(strings.ToUpper(c.Method), "ABCDEFGHIJKLMNOPQRSTUVWXYZ-") != "" {
		return nil, fieldErr("calendar.method", "must be an iTIP method such as PUBLISH")
	}
	if c.RefreshInterval != 0 && c.RefreshInterval < time.Minute {
		return nil, fieldErr("calendar.refresh_interval", "must be at least a minute")
	}
	rules, err := checkEvents(c.Events)
	if err != nil {
		return nil, err
	}

	w := &contentWriter{}
	w.prop("BEGIN", "VCALENDAR")
	w.prop("VERSION", "2.0")
	prodID := c.ProdID
	if prodID == "" {
		prodID = DefaultProdID
	}
	w.text("PRODID", prodID)
	w.prop("CALSCALE", "GREGORIAN")
	if c.Method != "" {
		w.prop("METHOD", strings.ToUpper(c.Method))
	}
	w.text("NAME", c.Name)
	w.text("X-WR-CALNAME", c.Name)
	if c.RefreshInterval > 0 {
		w.prop("REFRESH-INTERVAL;VALUE=DURATION", icalDuration(c.RefreshInterval))
		w.prop("X-PUBLISHED-TTL", icalDuration(c.RefreshInterval))
	}
	utc := isUTC(loc)
	if !utc {
		w.text("X-WR-TIMEZONE", loc.String())
		if len(c.Events) > 0 {
			from, to := span(loc, c.Events, rules)
			w.writeVTimezone(loc, from, to)
		}
	}
	for i := range c.Events {
		w.writeEvent(&c.Events[i], rules[i], loc)
	}
	w.prop("END", "VCALENDAR")
	return w.buf.Bytes(), nil
}

// Write encodes c like Marshal and writes it to out. Nothing is written
// when c is invalid.
func Write(out io.Writer, c Calendar) error {
	b, err := Marshal(c)
	if err != nil {
		return err
	}
	_, err = out.Write(b)
	return err
}

// icalDuration formats d (positive, whole seconds) as an RFC 5545 DURATION:
// P1D for whole days, otherwise PT1H30M and the like.
func icalDuration(d time.Duration) string {
	secs := int64(d / time.Second)
	if secs%86400 == 0 {
		return fmt.Sprintf("P%dD", secs/86400)
	}
	var b strings.Builder
	b.WriteString("PT")
	if h := secs / 3600; h > 0 {
		fmt.Fprintf(&b, "%dH", h)
	}
	if m := secs / 60 % 60; m > 0 {
		fmt.Fprintf(&b, "%dM", m)
	}
	if s := secs % 60; s > 0 {
		fmt.Fprintf(&b, "%dS", s)
	}
	return b.String()
}

// isUTC reports whether times in loc are written in UTC ("Z") form.
func isUTC(loc *time.Location) bool {
	return loc == time.UTC || loc.String() == "UTC"
}

// checkZone accepts a named zone whose name is safe as a TZID parameter.
func checkZone(loc *time.Location) error {
	name := loc.String()
	if name == "" || name == "Local" {
		return fieldErr("calendar.location", "must be a named time zone such as America/Chicago")
	}
	for _, r := range name {
		if !(r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || strings.ContainsRune("/_+-", r)) {
			return fieldErr("calendar.location", "time zone name "+strconv.Quote(name)+" has characters a TZID cannot hold")
		}
	}
	return nil
}

// checkEvents validates every event and returns each one's parsed rule.
func checkEvents(events []Event) ([]recur, error) {
	rules := make([]recur, len(events))
	type key struct {
		uid string
		rid int64
	}
	seen := make(map[key]int, len(events))
	for i := range events {
		e := &events[i]
		f := func(name string) string { return fmt.Sprintf("events[%d].%s", i, name) }
		switch {
		case strings.TrimSpace(e.UID) == "":
			return nil, fieldErr(f("uid"), "is required")
		case e.Sequence < 0:
			return nil, fieldErr(f("sequence"), "cannot be negative")
		case e.Start.IsZero():
			return nil, fieldErr(f("start"), "is required")
		case e.Duration < 0:
			return nil, fieldErr(f("duration"), "cannot be negative")
		case e.stamp().IsZero():
			return nil, fieldErr(f("stamp"), "is required (or created or last_modified)")
		case e.RRule != "" && !e.RecurrenceID.IsZero():
			return nil, fieldErr(f("rrule"), "an override of one occurrence cannot have its own rule")
		case e.RRule == "" && len(e.ExDates) > 0:
			return nil, fieldErr(f("exdates"), "only a recurring event can have exceptions")
		}
		for j, x := range e.ExDates {
			if x.IsZero() {
				return nil, fieldErr(fmt.Sprintf("events[%d].exdates[%d]", i, j), "is required")
			}
		}
		if e.RRule != "" {
			r, err := parseRRule(e.RRule)
			if err != nil {
				return nil, fieldErr(f("rrule"), err.Error())
			}
			if !r.until.IsZero() && r.until.Before(e.Start) {
				return nil, fieldErr(f("rrule"), "UNTIL is before the start")
			}
			rules[i] = r
		}
		if e.URL != "" {
			if err := checkURL(e.URL); err != nil {
				return nil, fieldErr(f("url"), err.Error())
			}
		}
		k := key{e.UID, 0}
		if !e.RecurrenceID.IsZero() {
			k.rid = e.RecurrenceID.Unix()
		}
		if j, dup := seen[k]; dup {
			return nil, fieldErr(f("uid"), fmt.Sprintf("events[%d] has the same uid and recurrence id", j))
		}
		seen[k] = i
	}
	return rules, nil
}

// checkURL accepts an absolute http or https URL with nothing in it that a
// URI value cannot hold.
func checkURL(s string) error {
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" ||
		strings.ContainsFunc(s, func(r rune) bool { return r <= ' ' || r >= 0x7f || strings.ContainsRune("\"<>\\^`{|}", r) }) {
		return errorString("must be an absolute http or https address")
	}
	return nil
}

// dateTime writes a DATE-TIME property in loc: with a TZID parameter, or
// in UTC form when loc is UTC.
func (w *contentWriter) dateTime(name string, t time.Time, loc *time.Location) {
	if isUTC(loc) {
		w.prop(name, t.UTC().Format(utcDateTime))
		return
	}
	w.prop(name+";TZID="+loc.String(), t.In(loc).Format(localDateTime))
}

// utcTime writes a DATE-TIME property in UTC, if t is set.
func (w *contentWriter) utcTime(name string, t time.Time) {
	if !t.IsZero() {
		w.prop(name, t.UTC().Format(utcDateTime))
	}
}

// writeEvent writes one VEVENT; e has been checked.
func (w *contentWriter) writeEvent(e *Event, r recur, loc *time.Location) {
	w.prop("BEGIN", "VEVENT")
	w.text("UID", e.UID)
	w.prop("SEQUENCE", strconv.Itoa(e.Sequence))
	w.utcTime("DTSTAMP", e.stamp())
	w.utcTime("CREATED", e.Created)
	w.utcTime("LAST-MODIFIED", e.LastModified)
	w.dateTime("DTSTART", e.Start, loc)
	if e.Duration > 0 {
		w.dateTime("DTEND", e.Start.Add(e.Duration), loc)
	}
	if r.value != "" {
		w.prop("RRULE", r.value)
	}
	// One EXDATE per date: every client reads that, not all read lists.
	for _, x := range e.ExDates {
		w.dateTime("EXDATE", x, loc)
	}
	if !e.RecurrenceID.IsZero() {
		w.dateTime("RECURRENCE-ID", e.RecurrenceID, loc)
	}
	w.text("SUMMARY", e.Summary)
	w.text("DESCRIPTION", e.Description)
	w.text("LOCATION", e.Location)
	if e.URL != "" {
		w.prop("URL", e.URL)
	}
	var cats []string
	for _, c := range e.Categories {
		if c = escapeText(c); c != "" {
			cats = append(cats, c)
		}
	}
	if len(cats) > 0 {
		w.prop("CATEGORIES", strings.Join(cats, ","))
	}
	status := "CONFIRMED"
	if e.Cancelled {
		status = "CANCELLED"
	}
	w.prop("STATUS", status)
	w.prop("END", "VEVENT")
}
