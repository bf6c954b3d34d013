package events

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/audit"
	"github.com/cairn-recovery/cairn/internal/db"
	"github.com/cairn-recovery/cairn/internal/events/ical"
	"github.com/cairn-recovery/cairn/internal/programs"
)

// feedTokenBytes is the size of a private feed's random token.
const feedTokenBytes = 32

// feedPast is how far back the private feed reaches.
const feedPast = 30 * 24 * time.Hour

// feedRefresh is how often subscribed calendars are asked to fetch the
// private and public feeds again.
const feedRefresh = time.Hour

// hashFeedToken is what calendar_feeds stores of a raw token.
func hashFeedToken(raw string) []byte {
	h := sha256.Sum256([]byte(raw))
	return h[:]
}

// FeedURLToken gives the actor a private calendar subscription and returns
// its token, which goes in the URL /calendar/{token}.ics. The raw token is
// returned only here, once: the database keeps its SHA-256. With rotate,
// a new token replaces the old one (the old URL stops working at once).
// Without rotate, a person who already has a subscription gets
// db.ErrConflict (the web page then offers to rotate); a person without
// one gets a new one. Audited as "events.feed_create" or
// "events.feed_rotate".
func FeedURLToken(ctx context.Context, d *db.DB, actor access.Actor, rotate bool) (string, error) {
	if err := access.UseCalendarFeed(actor); err != nil {
		return "", err
	}
	b := make([]byte, feedTokenBytes)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("events: feed token: %w", err)
	}
	raw := base64.RawURLEncoding.EncodeToString(b)
	err := d.Tx(ctx, func(tx *db.Tx) error {
		var n int
		if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM calendar_feeds WHERE user_id = ?`, actor.UserID).Scan(&n); err != nil {
			return fmt.Errorf("events: feed token: %w", err)
		}
		if n > 0 && !rotate {
			return db.ErrConflict
		}
		if _, err := tx.Exec(ctx, `DELETE FROM calendar_feeds WHERE user_id = ?`, actor.UserID); err != nil {
			return fmt.Errorf("events: feed token: %w", err)
		}
		if _, err := tx.Exec(ctx, `INSERT INTO calendar_feeds (user_id, program_id, token_hash, created_at) VALUES (?, ?, ?, ?)`,
			actor.UserID, actor.ProgramID, hashFeedToken(raw), now().UTC()); err != nil {
			return fmt.Errorf("events: feed token: %w", err)
		}
		action := "events.feed_create"
		if n > 0 {
			action = "events.feed_rotate"
		}
		return audit.Record(ctx, tx, actor, audit.Event{Action: action, SubjectType: "user", SubjectID: actor.UserID})
	})
	if err != nil {
		return "", err
	}
	return raw, nil
}

// RevokeFeed ends the actor's private calendar subscription: its URL stops
// working. Revoking when there is none does nothing. Audited as
// "events.feed_revoke".
func RevokeFeed(ctx context.Context, d *db.DB, actor access.Actor) error {
	if err := access.UseCalendarFeed(actor); err != nil {
		return err
	}
	return d.Tx(ctx, func(tx *db.Tx) error {
		res, err := tx.Exec(ctx, `DELETE FROM calendar_feeds WHERE user_id = ?`, actor.UserID)
		if err != nil {
			return fmt.Errorf("events: revoke feed: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return nil
		}
		return audit.Record(ctx, tx, actor, audit.Event{Action: "events.feed_revoke", SubjectType: "user", SubjectID: actor.UserID})
	})
}

// HasFeed reports whether the actor has a private calendar subscription.
func HasFeed(ctx context.Context, q db.Querier, actor access.Actor) (bool, error) {
	if err := access.UseCalendarFeed(actor); err != nil {
		return false, err
	}
	var n int
	if err := q.QueryRow(ctx, `SELECT COUNT(*) FROM calendar_feeds WHERE user_id = ?`, actor.UserID).Scan(&n); err != nil {
		return false, fmt.Errorf("events: has feed: %w", err)
	}
	return n > 0, nil
}

// feedRow is one occurrence of a private feed with the person's answer.
type feedRow struct {
	o        *Occurrence
	state    string
	position int
}

// MemberFeed returns the private calendar of the person whose token this
// is: every occurrence they RSVP'd yes, maybe or joined the waitlist of,
// from 30 days ago to the horizon, each as its own VEVENT (UID
// "<event id>-<occurrence>@cairn" for a series, "<event id>@cairn" for a
// one-off event) with STATUS:CANCELLED once cancelled. The online link is
// written only where their RSVP is confirmed; events they may no longer
// see (a family member sees only family events) are left out. An unknown,
// rotated or revoked token, or a disabled account, is db.ErrNotFound.
// Each fetch is audited as "events.feed_read" (without the token), so q
// must be a *db.DB or a *db.Tx.
func MemberFeed(ctx context.Context, q db.Querier, token string) ([]byte, error) {
	b, err := base64.RawURLEncoding.DecodeString(token)
	if err != nil || len(b) != feedTokenBytes {
		return nil, db.ErrNotFound
	}
	var who access.Actor
	var role string
	var disabled *time.Time
	err = db.Err(q.QueryRow(ctx, `SELECT u.id, u.program_id, u.role, u.disabled_at FROM calendar_feeds f
		JOIN users u ON u.id = f.user_id
		WHERE f.token_hash = ? AND u.program_id = f.program_id`, hashFeedToken(token)).Scan(&who.UserID, &who.ProgramID, &role, &disabled))
	if err != nil {
		return nil, err
	}
	if disabled != nil {
		return nil, db.ErrNotFound
	}
	who.Role = access.Role(role)
	p, err := programs.Get(ctx, q, who.ProgramID)
	if err != nil {
		return nil, err
	}
	rows, err := q.Query(ctx, `SELECT `+occurrenceColumns+`, r.state, COALESCE(r.waitlist_position, 0)
		FROM event_rsvps r
		JOIN event_occurrences o ON o.event_id = r.event_id AND o.occurrence = r.occurrence
		WHERE r.user_id = ? AND r.state IN ('confirmed', 'tentative', 'waitlisted') AND o.starts_at >= ?
		ORDER BY o.starts_at, o.event_id`, who.UserID, now().Add(-feedPast).UTC())
	if err != nil {
		return nil, fmt.Errorf("events: member feed: %w", err)
	}
	var list []feedRow
	for rows.Next() {
		var f feedRow
		o, err := scanOccurrenceRow(rows, &f.state, &f.position)
		if err != nil {
			rows.Close()
			return nil, fmt.Errorf("events: member feed: %w", err)
		}
		f.o = o
		list = append(list, f)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("events: member feed: %w", err)
	}
	evs, err := loadEventSet(ctx, q, list)
	if err != nil {
		return nil, err
	}
	var out []ical.Event
	for _, f := range list {
		e := evs[f.o.EventID]
		if e == nil || e.ProgramID != who.ProgramID || access.ViewEvent(who, e.ProgramID, string(e.Audience)) != nil {
			continue
		}
		link := access.SeeOnlineLink(who, e.ProgramID, f.state) == nil
		out = append(out, occurrenceVEvent(e, f.o, link, answerNote(f.state, f.position)))
	}
	body, err := ical.Marshal(ical.Calendar{
		Name:            p.Name + " events",
		Method:          "PUBLISH",
		RefreshInterval: feedRefresh,
		Location:        p.Location(),
		Events:          out,
	})
	if err != nil {
		return nil, err
	}
	ev := audit.Event{Action: "events.feed_read", SubjectType: "user", SubjectID: who.UserID,
		Detail: map[string]string{"count": strconv.Itoa(len(out))}}
	switch q := q.(type) {
	case *db.Tx:
		err = audit.Record(ctx, q, who, ev)
	case *db.DB:
		err = audit.RecordNow(ctx, q, who, ev)
	default:
		err = errors.New("events: member feed: the read cannot be audited without a *db.DB or *db.Tx")
	}
	if err != nil {
		return nil, err
	}
	return body, nil
}

// answerNote says in the feed how the person answered.
func answerNote(state string, position int) string {
	switch state {
	case "tentative":
		return "You answered maybe."
	case "waitlisted":
		if position > 0 {
			return "You are on the waitlist (number " + strconv.Itoa(position) + ")."
		}
		return "You are on the waitlist."
	}
	return ""
}

// loadEventSet loads each event the rows belong to, once, a few hundred
// at a time (one query per batch, not one per event); events that are
// gone are left out.
func loadEventSet(ctx context.Context, q db.Querier, list []feedRow) (map[string]*Event, error) {
	evs := map[string]*Event{}
	var ids []any
	for _, f := range list {
		if _, ok := evs[f.o.EventID]; !ok {
			evs[f.o.EventID] = nil
			ids = append(ids, f.o.EventID)
		}
	}
	const batch = 500
	for len(ids) > 0 {
		n := min(batch, len(ids))
		if err := loadEventsInto(ctx, q, evs, ids[:n]); err != nil {
			return nil, err
		}
		ids = ids[n:]
	}
	return evs, nil
}

// loadEventsInto loads the events with ids into evs, without any access
// check.
func loadEventsInto(ctx context.Context, q db.Querier, evs map[string]*Event, ids []any) error {
	rows, err := q.Query(ctx, `SELECT `+eventColumns+` FROM events e WHERE e.id IN (`+db.Placeholders(len(ids))+`)`, ids...)
	if err != nil {
		return fmt.Errorf("events: load events: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		e := &Event{}
		dest, finish := eventDest(e)
		if err := rows.Scan(dest...); err != nil {
			return fmt.Errorf("events: load events: %w", err)
		}
		if err := finish(); err != nil {
			return err
		}
		evs[e.ID] = e
	}
	return rows.Err()
}
