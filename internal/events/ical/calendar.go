package ical

import (
	"time"
)

// Calendar is one iCalendar object: a feed or a single-event download.
type Calendar struct {
	// ProdID identifies the product that wrote the calendar (PRODID);
	// DefaultProdID when empty.
	ProdID string
	// Name is the calendar's display name, written as NAME (RFC 7986) and
	// X-WR-CALNAME (read by Apple and Google clients). Optional.
	Name string
	// Method is the iTIP method, normally "PUBLISH" for a subscribable feed.
	// Optional; only letters and hyphens.
	Method string
	// RefreshInterval, when not zero, tells subscribed clients how often to
	// fetch the feed again (REFRESH-INTERVAL from RFC 7986, and
	// X-PUBLISHED-TTL read by Outlook and Apple). At least a minute.
	RefreshInterval time.Duration
	// Location is the IANA time zone all event times are written in, e.g.
	// America/Chicago. Nil means UTC: times are then written with a "Z" and
	// no VTIMEZONE is needed.
	Location *time.Location
	// Events are written in the order given. An occurrence override
	// (RecurrenceID set) should follow its series, with the same UID.
	Events []Event
}

// DefaultProdID is the PRODID written when Calendar.ProdID is empty.
const DefaultProdID = "-//Cairn//Cairn Events//EN"

// ContentType is the media type to serve Marshal's output with.
const ContentType = "text/calendar; charset=utf-8"

// Event is one VEVENT: a single event, a recurring series, or an override
// of one occurrence of a series.
type Event struct {
	// UID is the event's stable, globally unique identifier, for example
	// "event-42@alumni.example.org". Required. An override of one
	// occurrence carries the UID of its series.
	UID string
	// Sequence is the revision number; raise it on every change that
	// matters to attendees (time, place, cancellation). Zero or more.
	Sequence int
	// Summary is the title. Description, Location and URL are optional.
	Summary     string
	Description string
	Location    string
	// URL is the event's page; an absolute http or https URL, or empty.
	URL string
	// Start is when the (first) occurrence begins. It is written as wall
	// clock time in Calendar.Location. Required. (A start in the hour that
	// repeats when clocks go back is read by clients as the first of the
	// two.)
	Start time.Time
	// Duration is the length of each occurrence; zero writes no DTEND.
	Duration time.Duration
	// RRule is an RFC 5545 recurrence rule without the "RRULE:" prefix,
	// e.g. "FREQ=WEEKLY;BYDAY=TU", or empty for a single event. UNTIL, if
	// present, must be a UTC date-time such as 20271231T235959Z.
	RRule string
	// ExDates are the original starts of occurrences removed from the
	// series. Only with RRule.
	ExDates []time.Time
	// RecurrenceID, when not zero, makes this VEVENT an override of the
	// series occurrence that originally started at RecurrenceID; Start then
	// holds its new start. An override has no RRule.
	RecurrenceID time.Time
	// Cancelled writes STATUS:CANCELLED instead of STATUS:CONFIRMED.
	Cancelled bool
	// Created and LastModified are written in UTC when not zero.
	Created      time.Time
	LastModified time.Time
	// Stamp is DTSTAMP, written in UTC. When zero, LastModified is used,
	// then Created; one of the three is required.
	Stamp time.Time
	// Categories are written as one CATEGORIES list; empty ones are skipped.
	Categories []string
}

// stamp returns the DTSTAMP value for e, or the zero time if none is known.
func (e *Event) stamp() time.Time {
	switch {
	case !e.Stamp.IsZero():
		return e.Stamp
	case !e.LastModified.IsZero():
		return e.LastModified
	default:
		return e.Created
	}
}
