package events

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/db"
	"github.com/cairn-recovery/cairn/internal/events/ical"
	"github.com/cairn-recovery/cairn/internal/members"
	"github.com/cairn-recovery/cairn/internal/programs"
)

// Calendar UIDs are stable: a series (or a one-off event) is
// "<event id>@cairn" and, in the per-occurrence form used by the
// occurrence download and the private feed, one occurrence of a series is
// "<event id>-<occurrence>@cairn". A "this and following" change starts a
// new event, so the new part has its own UID.
const uidDomain = "@cairn"

// seriesUID is the UID of a series, or of a one-off event.
func seriesUID(e *Event) string { return e.ID + uidDomain }

// occurrenceUID is the UID of one occurrence written as its own VEVENT.
func occurrenceUID(e *Event, occ string) string {
	if !e.Recurring() {
		return seriesUID(e)
	}
	return e.ID + "-" + occ + uidDomain
}

// EventICS returns the event as an iCalendar file: a series as one VEVENT
// with its RRULE, an EXDATE for each cancelled occurrence and an override
// (RECURRENCE-ID) for each moved one; STATUS:CANCELLED when the whole
// event was cancelled. Whoever may see the event may download it; the
// online link is written only for staff (members get it per occurrence,
// once they RSVP'd yes).
func EventICS(ctx context.Context, q db.Querier, actor access.Actor, eventID string) ([]byte, error) {
	e, err := Get(ctx, q, actor, eventID)
	if err != nil {
		return nil, err
	}
	p, err := programs.Get(ctx, q, e.ProgramID)
	if err != nil {
		return nil, err
	}
	loc := p.Location()
	changed, err := changedOccurrences(ctx, q, []string{e.ID})
	if err != nil {
		return nil, err
	}
	link := access.SeeOnlineLink(actor, e.ProgramID, "") == nil
	return ical.Marshal(ical.Calendar{
		Name:     e.Title,
		Method:   "PUBLISH",
		Location: loc,
		Events:   seriesVEvents(e, changed[e.ID], loc, link),
	})
}

// OccurrenceICS returns one occurrence as an iCalendar file with a single
// VEVENT (UID "<event id>-<occurrence>@cairn" for a series). The online
// link is written for staff and for the actor when their RSVP is
// confirmed.
func OccurrenceICS(ctx context.Context, q db.Querier, actor access.Actor, eventID, occ string) ([]byte, error) {
	e, o, err := GetOccurrence(ctx, q, actor, eventID, occ)
	if err != nil {
		return nil, err
	}
	p, err := programs.Get(ctx, q, e.ProgramID)
	if err != nil {
		return nil, err
	}
	state := ""
	if !actor.Anonymous() {
		err := db.Err(q.QueryRow(ctx, `SELECT state FROM event_rsvps WHERE event_id = ? AND occurrence = ? AND user_id = ?`,
			e.ID, o.ID, actor.UserID).Scan(&state))
		if err != nil && !errors.Is(err, db.ErrNotFound) {
			return nil, fmt.Errorf("events: occurrence ics: %w", err)
		}
	}
	link := access.SeeOnlineLink(actor, e.ProgramID, state) == nil
	return ical.Marshal(ical.Calendar{
		Name:     e.Title,
		Method:   "PUBLISH",
		Location: p.Location(),
		Events:   []ical.Event{occurrenceVEvent(e, o, link, "")},
	})
}

// seriesVEvents writes an event as VEVENTs: a one-off event as one VEVENT
// of its occurrence; a series as its master VEVENT followed by an override
// for each moved occurrence. changed holds the event's cancelled and moved
// occurrences (for a one-off event, its occurrence).
func seriesVEvents(e *Event, changed []*Occurrence, loc *time.Location, link bool) []ical.Event {
	if !e.Recurring() {
		if len(changed) > 0 {
			return []ical.Event{occurrenceVEvent(e, changed[0], link, "")}
		}
		start := e.Start.In(loc)
		return []ical.Event{occurrenceVEvent(e, &Occurrence{EventID: e.ID, ID: e.Start.Date.String(), Start: start, End: start.Add(e.Duration)}, link, "")}
	}
	master := ical.Event{
		UID:          seriesUID(e),
		Sequence:     e.Sequence,
		Summary:      e.Title,
		Description:  eventDescription(e, nil, link, ""),
		Location:     joinPlace(e.LocationName, e.Address),
		Start:        e.Start.In(loc),
		Duration:     e.Duration,
		RRule:        seriesRule(e, loc),
		Cancelled:    e.Cancelled(),
		Created:      e.CreatedAt,
		LastModified: e.UpdatedAt,
		Categories:   []string{e.Kind.Label()},
	}
	var overrides []ical.Event
	for _, o := range changed {
		orig := originalStart(e, o.ID, loc)
		if o.Cancelled {
			master.ExDates = append(master.ExDates, orig)
			continue
		}
		v := occurrenceVEvent(e, o, link, "")
		v.UID = seriesUID(e)
		v.RecurrenceID = orig
		overrides = append(overrides, v)
	}
	return append([]ical.Event{master}, overrides...)
}

// occurrenceVEvent writes one occurrence as a VEVENT. Its SEQUENCE is the
// event's plus the occurrence's, so that a change to either raises it.
// note, when set, opens the description (the private feed says there how
// the person answered).
func occurrenceVEvent(e *Event, o *Occurrence, link bool, note string) ical.Event {
	place := joinPlace(e.LocationName, e.Address)
	if o.LocationName != "" || o.Address != "" {
		place = joinPlace(o.LocationName, o.Address)
	}
	return ical.Event{
		UID:          occurrenceUID(e, o.ID),
		Sequence:     e.Sequence + o.Sequence,
		Summary:      e.Title,
		Description:  eventDescription(e, o, link, note),
		Location:     place,
		Start:        o.Start,
		Duration:     o.End.Sub(o.Start),
		Cancelled:    e.Cancelled() || o.Cancelled,
		Created:      e.CreatedAt,
		LastModified: e.UpdatedAt,
		Categories:   []string{e.Kind.Label()},
	}
}

// eventDescription is the DESCRIPTION: the note about the person's answer,
// the occurrence's note, the event's description, its accessibility notes
// and, when link, the online meeting link.
func eventDescription(e *Event, o *Occurrence, link bool, note string) string {
	var parts []string
	add := func(s string) {
		if s = strings.TrimSpace(s); s != "" {
			parts = append(parts, s)
		}
	}
	add(note)
	if o != nil {
		add(o.Note)
	}
	add(e.Description)
	if e.Accessibility != "" {
		add("Accessibility: " + e.Accessibility)
	}
	if link && e.OnlineURL != "" {
		add("Join online: " + e.OnlineURL)
	}
	return strings.Join(parts, "\n\n")
}

// joinPlace writes a place name and its address on one line.
func joinPlace(name, address string) string {
	name, address = strings.TrimSpace(name), strings.TrimSpace(address)
	switch {
	case name == "":
		return address
	case address == "":
		return name
	}
	return name + ", " + address
}

// originalStart is the instant an occurrence of a series was to start
// before any move: its original local date at the series' local time.
func originalStart(e *Event, occ string, loc *time.Location) time.Time {
	d, err := members.ParseDate(occ)
	if err != nil {
		d = e.Start.Date
	}
	return LocalTime{Date: d, Hour: e.Start.Hour, Minute: e.Start.Minute}.In(loc)
}

// seriesRule is the event's RRULE as a calendar client should read it: a
// series with a last date (one that was split by a "this and following"
// change, or has COUNT or UNTIL) ends with UNTIL at the end of that local
// day, written in UTC as RFC 5545 requires with a TZID start.
func seriesRule(e *Event, loc *time.Location) string {
	var keep []string
	until := ""
	for part := range strings.SplitSeq(normalizeRule(e.RRule), ";") {
		key, value, _ := strings.Cut(part, "=")
		switch key {
		case "UNTIL":
			until = value
			continue
		case "COUNT":
			if !e.LastDate.IsZero() {
				continue
			}
		}
		keep = append(keep, part)
	}
	end := time.Time{}
	switch {
	case !e.LastDate.IsZero():
		end = time.Date(e.LastDate.Year, e.LastDate.Month, e.LastDate.Day, 23, 59, 59, 0, loc)
	case until != "":
		end = untilInstant(until, loc)
	}
	if !end.IsZero() {
		keep = append(keep, "UNTIL="+end.UTC().Format("20060102T150405Z"))
	}
	return strings.Join(keep, ";")
}

// untilInstant reads a stored UNTIL: a UTC date-time, a local date-time or
// a date (its whole day, in loc).
func untilInstant(v string, loc *time.Location) time.Time {
	if t, err := time.Parse("20060102T150405Z", v); err == nil {
		return t
	}
	if t, err := time.ParseInLocation("20060102T150405", v, loc); err == nil {
		return t
	}
	if t, err := time.ParseInLocation("20060102", v, loc); err == nil {
		return t.Add(24*time.Hour - time.Second)
	}
	return time.Time{}
}

// occurrenceColumns are the columns scanOccurrence reads, for queries on
// event_occurrences aliased o.
const occurrenceColumns = `o.event_id, o.occurrence, o.starts_at, o.ends_at, o.cancelled, o.moved,
	o.location_name, o.address, o.note, o.confirmed_people, o.sequence`

// scanOccurrenceRow reads occurrenceColumns (and then extra) from rows.
func scanOccurrenceRow(rows *sql.Rows, extra ...any) (*Occurrence, error) {
	o := &Occurrence{}
	var name, address sql.NullString
	dest := append([]any{&o.EventID, &o.ID, &o.Start, &o.End, &o.Cancelled, &o.Moved,
		&name, &address, &o.Note, &o.ConfirmedPeople, &o.Sequence}, extra...)
	if err := rows.Scan(dest...); err != nil {
		return nil, err
	}
	o.LocationName, o.Address = name.String, address.String
	return o, nil
}

// changedOccurrences returns the cancelled and moved occurrences of the
// events (and the one occurrence of a one-off event), by event and in
// order of their dates.
func changedOccurrences(ctx context.Context, q db.Querier, eventIDs []string) (map[string][]*Occurrence, error) {
	out := map[string][]*Occurrence{}
	for len(eventIDs) > 0 {
		n := min(len(eventIDs), 500)
		args := make([]any, n)
		for i, id := range eventIDs[:n] {
			args[i] = id
		}
		eventIDs = eventIDs[n:]
		rows, err := q.Query(ctx, `SELECT `+occurrenceColumns+` FROM event_occurrences o
			JOIN events e ON e.id = o.event_id
			WHERE o.event_id IN (`+db.Placeholders(n)+`) AND (o.cancelled OR o.moved OR e.rrule = '')
			ORDER BY o.event_id, o.occurrence`, args...)
		if err != nil {
			return nil, fmt.Errorf("events: changed occurrences: %w", err)
		}
		for rows.Next() {
			o, err := scanOccurrenceRow(rows)
			if err != nil {
				rows.Close()
				return nil, fmt.Errorf("events: changed occurrences: %w", err)
			}
			out[o.EventID] = append(out[o.EventID], o)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("events: changed occurrences: %w", err)
		}
	}
	return out, nil
}

// PublicICS returns the program's public calendar: every event with the
// public audience that is not cancelled and has not ended, each series
// with its RRULE, EXDATEs and overrides. No online links are written. An
// unknown program is db.ErrNotFound.
func PublicICS(ctx context.Context, q db.Querier, programID string) ([]byte, error) {
	p, err := programs.Get(ctx, q, programID)
	if err != nil {
		return nil, err
	}
	loc := p.Location()
	list, err := publicEvents(ctx, q, p, "")
	if err != nil {
		return nil, err
	}
	ids := make([]string, len(list))
	for i, e := range list {
		ids[i] = e.ID
	}
	changed, err := changedOccurrences(ctx, q, ids)
	if err != nil {
		return nil, err
	}
	var out []ical.Event
	for _, e := range list {
		out = append(out, seriesVEvents(e, changed[e.ID], loc, false)...)
	}
	return ical.Marshal(ical.Calendar{
		Name:            p.Name,
		Method:          "PUBLISH",
		RefreshInterval: feedRefresh,
		Location:        loc,
		Events:          out,
	})
}

// publicEvents returns the program's public events that are not cancelled
// and have not ended (their last date is not before today), of kind when
// kind is not empty, by start.
func publicEvents(ctx context.Context, q db.Querier, p *programs.Program, kind Kind) ([]*Event, error) {
	today := members.Today(p.Location(), now())
	query := `SELECT id FROM events WHERE program_id = ? AND audience = 'public' AND cancelled_at IS NULL
		AND (last_date IS NULL OR last_date >= ?) AND (rrule <> '' OR first_date >= ?)`
	args := []any{p.ID, today.String(), today.String()}
	if kind != "" {
		query += ` AND kind = ?`
		args = append(args, string(kind))
	}
	rows, err := q.Query(ctx, query+` ORDER BY starts_local, id`, args...)
	if err != nil {
		return nil, fmt.Errorf("events: public events: %w", err)
	}
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return nil, fmt.Errorf("events: public events: %w", err)
		}
		ids = append(ids, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("events: public events: %w", err)
	}
	out := make([]*Event, 0, len(ids))
	for _, id := range ids {
		e, err := loadEvent(ctx, q, id)
		if errors.Is(err, db.ErrNotFound) {
			continue
		}
		if err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, nil
}
