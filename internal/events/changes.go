package events

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/cairn-recovery/cairn/internal/db"
	"github.com/cairn-recovery/cairn/internal/members"
	"github.com/cairn-recovery/cairn/internal/notify"
)

// A change is what happened to some occurrences, for the notice sent to
// the people who answered yes or maybe.
type change int

const (
	changeMoved     change = iota // time or place changed
	changeCancelled               // occurrence or event cancelled
	changeRemoved                 // the date is no longer part of the series
)

// noticeTarget is one person to tell, with the first occurrence of theirs
// that the change touches.
type noticeTarget struct {
	userID, occ string
}

// rsvpdPeople returns, for each person who answered yes or maybe to one of
// the occurrences occs of eventID, the earliest such occurrence.
func rsvpdPeople(ctx context.Context, tx *db.Tx, eventID string, occs []string) ([]noticeTarget, error) {
	var out []noticeTarget
	seen := map[string]bool{}
	const batch = 200
	for len(occs) > 0 {
		n := min(batch, len(occs))
		args := []any{eventID}
		for _, o := range occs[:n] {
			args = append(args, o)
		}
		rows, err := tx.Query(ctx, `SELECT user_id, occurrence FROM event_rsvps
			WHERE event_id = ? AND occurrence IN (`+db.Placeholders(n)+`) AND status IN ('yes', 'maybe')
			ORDER BY occurrence, user_id`, args...)
		if err != nil {
			return nil, fmt.Errorf("events: rsvp'd people: %w", err)
		}
		for rows.Next() {
			var t noticeTarget
			if err := rows.Scan(&t.userID, &t.occ); err != nil {
				rows.Close()
				return nil, err
			}
			if !seen[t.userID] {
				seen[t.userID] = true
				out = append(out, t)
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
		occs = occs[n:]
	}
	return out, nil
}

// notice is a change to tell the people who answered yes or maybe, found
// before the change deletes rows and sent after it.
type notice struct {
	targets []noticeTarget
	c       change
	several bool
}

// collectNotice finds who to tell about change c to the occurrences occs
// of eventID.
func collectNotice(ctx context.Context, tx *db.Tx, eventID string, occs []string, c change) (*notice, error) {
	if len(occs) == 0 {
		return &notice{}, nil
	}
	targets, err := rsvpdPeople(ctx, tx, eventID, occs)
	if err != nil {
		return nil, err
	}
	return &notice{targets: targets, c: c, several: len(occs) > 1}, nil
}

// send tells each person once, at once and inside tx, linking to their
// first affected occurrence of e (or to e's next occurrence when theirs no
// longer exists). It returns how many people were told.
func (n *notice) send(ctx context.Context, tx *db.Tx, e *Event, loc *time.Location) (int, error) {
	next := ""
	if n.c == changeRemoved && len(n.targets) > 0 {
		var err error
		if next, err = nextOccurrenceLink(ctx, tx, e.ID); err != nil {
			return 0, err
		}
	}
	for _, t := range n.targets {
		data, err := changeNotice(ctx, tx, e, loc, t.occ, n.c, n.several, next)
		if err != nil {
			return 0, err
		}
		if _, err := notify.Send(ctx, tx, t.userID, notify.KindEventReminder, data); err != nil {
			return 0, fmt.Errorf("events: notify change: %w", err)
		}
	}
	return len(n.targets), nil
}

// notifyChange tells everyone who answered yes or maybe to one of the
// occurrences occs of e what changed, at once and inside tx: one notice a
// person, linking to their first affected occurrence.
func notifyChange(ctx context.Context, tx *db.Tx, e *Event, loc *time.Location, occs []string, c change) (int, error) {
	n, err := collectNotice(ctx, tx, e.ID, occs, c)
	if err != nil {
		return 0, err
	}
	return n.send(ctx, tx, e, loc)
}

// changeNotice writes the notice about occurrence occ of e; next is the
// link to e's next occurrence, used when occ was removed.
func changeNotice(ctx context.Context, tx *db.Tx, e *Event, loc *time.Location, occ string, c change, several bool, next string) (notify.Data, error) {
	link := "/events/" + e.ID + "/" + occ
	day := occ
	if d, err := members.ParseDate(occ); err == nil {
		day = d.In(loc).Format("Mon, Jan 2")
	}
	switch c {
	case changeCancelled:
		body := fmt.Sprintf("%s on %s is cancelled.", e.Title, day)
		if several {
			body = fmt.Sprintf("%s is cancelled from %s on.", e.Title, day)
		}
		return notify.Data{Title: noticeTitle("Cancelled: ", e.Title), Body: body, Link: link}, nil
	case changeRemoved:
		return notify.Data{Title: noticeTitle("Schedule changed: ", e.Title),
			Body: fmt.Sprintf("%s no longer takes place on %s. Please check the new schedule and answer again.", e.Title, day),
			Link: next}, nil
	}
	o, err := loadOccurrence(ctx, tx, e.ID, occ)
	if err != nil {
		return notify.Data{}, err
	}
	place := e.LocationName
	if o.LocationName != "" {
		place = o.LocationName
	}
	body := fmt.Sprintf("%s on %s is now at %s", e.Title, day, o.Start.In(loc).Format("Mon, Jan 2 at 3:04 PM"))
	if place != "" {
		body += ", " + place
	}
	body += "."
	if several {
		body += " Other dates of the series changed too."
	}
	if o.Note != "" {
		body += "\n\n" + o.Note
	}
	return notify.Data{Title: noticeTitle("Changed: ", e.Title), Body: body, Link: link}, nil
}

// noticeTitle joins a prefix and an event title within a notice title's
// length.
func noticeTitle(prefix, title string) string {
	const max = 200
	t := prefix + strings.TrimSpace(title)
	if utf8.RuneCountInString(t) <= max {
		return t
	}
	r := []rune(t)
	return string(r[:max-1]) + "…"
}

// nextOccurrenceLink links to the event's next occurrence, or to the list
// of events when it has none.
func nextOccurrenceLink(ctx context.Context, tx *db.Tx, eventID string) (string, error) {
	var occ string
	err := db.Err(tx.QueryRow(ctx, `SELECT occurrence FROM event_occurrences WHERE event_id = ? AND starts_at >= ?
		ORDER BY starts_at LIMIT 1`, eventID, nowStamp()).Scan(&occ))
	if errors.Is(err, db.ErrNotFound) {
		return "/events", nil
	}
	if err != nil {
		return "", err
	}
	return "/events/" + eventID + "/" + occ, nil
}
