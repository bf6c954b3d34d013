// Package events holds the program's gatherings: weekly meetings, family
// dinners, milestone dinners, activities and workshops; their recurrence in
// the program's time zone and its exceptions; RSVPs with guests, capacity
// and waitlists; attendance; milestone-dinner honorees; reminders; and the
// calendar feeds (iCalendar and Meeting Guide JSON).
//
// A recurring event's occurrences are kept as rows up to a horizon (see
// Horizon), so that lists are index scans and every RSVP, attendance and
// capacity count belongs to one occurrence. An occurrence is named by its
// original local date (YYYY-MM-DD), which stays its id when it is moved.
package events

import (
	"fmt"
	"strings"
	"time"

	"github.com/cairn-recovery/cairn/internal/members"
)

// Kind is what sort of gathering an event is.
type Kind string

// The kinds of event.
const (
	WeeklyMeeting   Kind = "weekly_meeting"
	FamilyDinner    Kind = "family_dinner"
	MilestoneDinner Kind = "milestone_dinner"
	Activity        Kind = "activity"
	Workshop        Kind = "workshop"
)

// Kinds lists every kind, in the order forms offer them.
var Kinds = []Kind{WeeklyMeeting, FamilyDinner, MilestoneDinner, Activity, Workshop}

// Label is the kind's name for people.
func (k Kind) Label() string {
	switch k {
	case WeeklyMeeting:
		return "Weekly meeting"
	case FamilyDinner:
		return "Family dinner"
	case MilestoneDinner:
		return "Milestone dinner"
	case Activity:
		return "Activity"
	case Workshop:
		return "Workshop"
	}
	return string(k)
}

// Guests reports whether RSVPs to this kind bring guests (adults and
// children) and dietary notes.
func (k Kind) Guests() bool { return k == FamilyDinner || k == MilestoneDinner }

// ParseKind returns the kind named s, or an error naming the choices.
func ParseKind(s string) (Kind, error) {
	for _, k := range Kinds {
		if string(k) == s {
			return k, nil
		}
	}
	return "", fmt.Errorf("must be one of %s", joinKinds())
}

func joinKinds() string {
	names := make([]string, len(Kinds))
	for i, k := range Kinds {
		names[i] = string(k)
	}
	return strings.Join(names, ", ")
}

// Audience is who may see and RSVP to an event.
type Audience string

// The audiences. Public events are open to alumni and family and are also
// listed in the program's public calendar and Meeting Guide feed.
const (
	Alumni       Audience = "alumni"
	AlumniFamily Audience = "alumni_family"
	StaffOnly    Audience = "staff"
	Public       Audience = "public"
)

// Audiences lists every audience, in the order forms offer them.
var Audiences = []Audience{Alumni, AlumniFamily, StaffOnly, Public}

// Label is the audience's name for people.
func (a Audience) Label() string {
	switch a {
	case Alumni:
		return "Alumni"
	case AlumniFamily:
		return "Alumni and family"
	case StaffOnly:
		return "Staff only"
	case Public:
		return "Public listing (alumni and family)"
	}
	return string(a)
}

// ParseAudience returns the audience named s, or an error naming the
// choices.
func ParseAudience(s string) (Audience, error) {
	for _, a := range Audiences {
		if string(a) == s {
			return a, nil
		}
	}
	return "", fmt.Errorf("must be one of alumni, alumni_family, staff, public")
}

// Event is one gathering, or one series of them.
type Event struct {
	ID        string
	ProgramID string
	// SeriesID is shared by the parts of a series split by a "this and
	// following" change; it is the id of the first part.
	SeriesID    string
	Kind        Kind
	Title       string
	Description string
	// LocationName and Address describe a place, as plain text.
	LocationName string
	Address      string
	// OnlineURL is the meeting link, shown only to people who RSVP'd yes
	// (and staff).
	OnlineURL string
	// Start is the first occurrence's local start in the program's zone.
	Start    LocalTime
	Duration time.Duration
	// RRule is an RFC 5545 recurrence rule without DTSTART ("" for a
	// one-off event), such as "FREQ=WEEKLY;BYDAY=TU".
	RRule string
	// FirstDate and LastDate bound the local dates of the occurrences;
	// LastDate is zero for a series without end.
	FirstDate members.Date
	LastDate  members.Date
	// Capacity counts people including guests; 0 means no limit.
	Capacity      int
	Audience      Audience
	HostID        string
	Accessibility string
	CircleID      string
	// RSVPClose is how long before an occurrence's start RSVPs close.
	RSVPClose time.Duration
	// WindowStart and WindowEnd are a milestone dinner's window of
	// milestones; zero means the occurrence's calendar month.
	WindowStart members.Date
	WindowEnd   members.Date
	// Sequence is the iCalendar SEQUENCE, bumped on every change.
	Sequence    int
	CancelledAt time.Time
	CreatedAt   time.Time
	UpdatedAt   time.Time
	CreatedBy   string
}

// Recurring reports whether the event is a series.
func (e *Event) Recurring() bool { return e.RRule != "" }

// Cancelled reports whether the whole event was cancelled (deleted).
func (e *Event) Cancelled() bool { return !e.CancelledAt.IsZero() }

// Occurrence is one occurrence of an event.
type Occurrence struct {
	EventID string
	// ID is the occurrence's original local date, YYYY-MM-DD.
	ID string
	// Start and End are instants; show them in the program's zone.
	Start     time.Time
	End       time.Time
	Cancelled bool
	// Moved reports that this occurrence's time or place differs from the
	// series'.
	Moved bool
	// LocationName and Address are this occurrence's place when it was
	// moved somewhere else; empty otherwise.
	LocationName string
	Address      string
	Note         string
	// ConfirmedPeople counts confirmed members and their guests.
	ConfirmedPeople int
	Sequence        int
}

// Date returns the occurrence's id as a date.
func (o *Occurrence) Date() members.Date { return members.MustDate(o.ID) }

// LocalTime is a wall-clock time on a civil date in the program's zone,
// written YYYY-MM-DDTHH:MM.
type LocalTime struct {
	Date   members.Date
	Hour   int
	Minute int
}

// ParseLocalTime reads YYYY-MM-DDTHH:MM (a space instead of the T is
// accepted, as are seconds of :00).
func ParseLocalTime(s string) (LocalTime, error) {
	bad := fmt.Errorf("must be a local date and time written as YYYY-MM-DDTHH:MM, such as 2026-12-01T18:30")
	s = strings.TrimSpace(s)
	if len(s) == 19 && strings.HasSuffix(s, ":00") {
		s = s[:16]
	}
	if len(s) != 16 || (s[10] != 'T' && s[10] != ' ') || s[13] != ':' {
		return LocalTime{}, bad
	}
	d, err := members.ParseDate(s[:10])
	if err != nil {
		return LocalTime{}, bad
	}
	h, m := atoi2(s[11:13]), atoi2(s[14:16])
	if h < 0 || h > 23 || m < 0 || m > 59 {
		return LocalTime{}, bad
	}
	return LocalTime{Date: d, Hour: h, Minute: m}, nil
}

func atoi2(s string) int {
	if len(s) != 2 || s[0] < '0' || s[0] > '9' || s[1] < '0' || s[1] > '9' {
		return -1
	}
	return int(s[0]-'0')*10 + int(s[1]-'0')
}

// String writes the time as YYYY-MM-DDTHH:MM.
func (t LocalTime) String() string {
	return fmt.Sprintf("%sT%02d:%02d", t.Date, t.Hour, t.Minute)
}

// In returns the instant of the wall-clock time in loc. A time that does
// not exist (skipped by a daylight-saving change) moves forward by the gap,
// as RFC 5545 says; an ambiguous one takes the first of the two.
func (t LocalTime) In(loc *time.Location) time.Time {
	at := time.Date(t.Date.Year, t.Date.Month, t.Date.Day, t.Hour, t.Minute, 0, 0, loc)
	// In a gap, Go uses the offset after it (02:30 becomes 01:30 standard
	// time); RFC 5545 uses the offset before it (03:30 daylight time).
	want := time.Date(t.Date.Year, t.Date.Month, t.Date.Day, t.Hour, t.Minute, 0, 0, time.UTC)
	y, m, d := at.Date()
	got := time.Date(y, m, d, at.Hour(), at.Minute(), 0, 0, time.UTC)
	if gap := want.Sub(got); gap > 0 {
		at = at.Add(gap)
	}
	return at
}

// LocalTimeOf returns the wall-clock time of instant t in loc.
func LocalTimeOf(t time.Time, loc *time.Location) LocalTime {
	t = t.In(loc)
	return LocalTime{Date: members.DateOf(t), Hour: t.Hour(), Minute: t.Minute()}
}
