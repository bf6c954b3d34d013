package events

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/cairn-recovery/cairn/internal/db"
	"github.com/cairn-recovery/cairn/internal/notify"
	"github.com/cairn-recovery/cairn/internal/programs"
)

// reminderBatch is how many reminders one transaction sends.
const reminderBatch = 200

// reminder is one reminder due: a person's RSVP to an occurrence and the
// offset it is for.
type reminder struct {
	eventID, occ, userID string
	state                string
	start                time.Time
	title                string
	place                string
	onlineURL            string
	offset               time.Duration
}

// SendReminders sends the reminders that are due: for each program's
// reminder offsets (by default 24 hours and 2 hours before), each
// occurrence that is not cancelled and starts within the offset, and each
// RSVP to it that is confirmed or tentative (maybe), one notification
// "Reminder: <title> at <local time>" with the place (and the online link
// for confirmed RSVPs). Only the nearest offset not yet passed is sent, so
// an RSVP made an hour before the start gets the 2-hour reminder only,
// and a reminder whose moment passed while the job was not running is not
// sent late. Each goes once: a row in event_reminders_sent, written in the
// same transaction as the notification, makes later runs (and other
// instances) skip it. It runs every few minutes as a periodic job and
// returns how many reminders it sent.
func SendReminders(ctx context.Context, d *db.DB) (int, error) {
	list, err := programs.List(ctx, d)
	if err != nil {
		return 0, err
	}
	t := now()
	sent := 0
	for _, p := range list {
		s, err := GetSettings(ctx, d, p.ID)
		if err != nil {
			return sent, err
		}
		due, err := dueReminders(ctx, d, p, s.ReminderOffsets, t)
		if err != nil {
			return sent, err
		}
		for len(due) > 0 {
			n := min(len(due), reminderBatch)
			k, err := sendReminderBatch(ctx, d, p.Location(), due[:n], t)
			sent += k
			if err != nil {
				return sent, err
			}
			due = due[n:]
		}
	}
	return sent, nil
}

// dueReminders reads, in one query over the program's occurrences that
// start within the largest offset, the confirmed and tentative RSVPs whose
// reminder is due at t: the nearest offset not yet passed (the smallest
// one at least the time left), unless that reminder or a later one was
// sent already.
func dueReminders(ctx context.Context, q db.Querier, p *programs.Program, offsets []time.Duration, t time.Time) ([]reminder, error) {
	offs := make([]time.Duration, 0, len(offsets))
	for _, o := range offsets {
		if o = o.Truncate(time.Minute); o > 0 {
			offs = append(offs, o)
		}
	}
	if len(offs) == 0 {
		return nil, nil
	}
	sort.Slice(offs, func(i, j int) bool { return offs[i] < offs[j] })
	// due is the offset, in minutes, whose reminder is due now.
	due := "CASE"
	var dueArgs []any
	for _, o := range offs {
		due += " WHEN o.starts_at <= ? THEN " + strconv.Itoa(int(o/time.Minute))
		dueArgs = append(dueArgs, t.Add(o).UTC())
	}
	due += " END"
	args := append(append([]any{}, dueArgs...), p.ID, t.UTC(), t.Add(offs[len(offs)-1]).UTC())
	args = append(args, dueArgs...)
	rows, err := q.Query(ctx, `SELECT o.event_id, o.occurrence, o.starts_at, r.user_id, r.state,
			e.title, e.location_name, e.address, e.online_url, o.location_name, o.address, `+due+`
		FROM event_occurrences o
		JOIN events e ON e.id = o.event_id
		JOIN event_rsvps r ON r.event_id = o.event_id AND r.occurrence = o.occurrence
		WHERE o.program_id = ? AND o.starts_at > ? AND o.starts_at <= ? AND NOT o.cancelled
		  AND e.cancelled_at IS NULL AND r.state IN ('confirmed', 'tentative')
		  AND NOT EXISTS (SELECT 1 FROM event_reminders_sent s
			WHERE s.event_id = o.event_id AND s.occurrence = o.occurrence AND s.user_id = r.user_id
			  AND s.offset_minutes <= `+due+`)
		ORDER BY o.starts_at, o.event_id, r.user_id`, args...)
	if err != nil {
		return nil, fmt.Errorf("events: reminders: %w", err)
	}
	defer rows.Close()
	var list []reminder
	for rows.Next() {
		var r reminder
		var name, address string
		var moName, moAddress sql.NullString
		var minutes int
		if err := rows.Scan(&r.eventID, &r.occ, &r.start, &r.userID, &r.state,
			&r.title, &name, &address, &r.onlineURL, &moName, &moAddress, &minutes); err != nil {
			return nil, fmt.Errorf("events: reminders: %w", err)
		}
		r.offset = time.Duration(minutes) * time.Minute
		r.place = joinPlace(name, address)
		if moName.String != "" || moAddress.String != "" {
			r.place = joinPlace(moName.String, moAddress.String)
		}
		list = append(list, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("events: reminders: %w", err)
	}
	return list, nil
}

// sendReminderBatch records and sends the reminders in one transaction;
// one that another run recorded already is skipped.
func sendReminderBatch(ctx context.Context, d *db.DB, loc *time.Location, due []reminder, t time.Time) (int, error) {
	n := 0
	err := d.Tx(ctx, func(tx *db.Tx) error {
		n = 0
		for _, r := range due {
			res, err := tx.Exec(ctx, `INSERT INTO event_reminders_sent (event_id, occurrence, user_id, offset_minutes, sent_at)
				VALUES (?, ?, ?, ?, ?) ON CONFLICT (event_id, occurrence, user_id, offset_minutes) DO NOTHING`,
				r.eventID, r.occ, r.userID, int(r.offset/time.Minute), t.UTC())
			if err != nil {
				return fmt.Errorf("events: reminders: %w", err)
			}
			if k, err := res.RowsAffected(); err != nil || k == 0 {
				continue
			}
			if _, err := notify.Send(ctx, tx, r.userID, notify.KindEventReminder, reminderData(r, loc)); err != nil {
				return fmt.Errorf("events: reminders: %w", err)
			}
			n++
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	return n, nil
}

// reminderData is the notification of one reminder.
func reminderData(r reminder, loc *time.Location) notify.Data {
	var body []string
	if r.place != "" {
		body = append(body, "Where: "+r.place)
	}
	if r.state == "confirmed" && r.onlineURL != "" {
		body = append(body, "Join online: "+r.onlineURL)
	}
	if r.state == "tentative" {
		body = append(body, "You answered maybe. If you can come, or cannot, please update your answer.")
	}
	return notify.Data{
		Title: "Reminder: " + clipRunes(r.title, 120) + " at " + localWhen(r.start, loc),
		Body:  strings.Join(body, "\n\n"),
		Link:  "/events/" + r.eventID + "/" + r.occ,
	}
}

// localWhen writes an instant in loc as people read it: "Tue Dec 1, 6:30 PM".
func localWhen(t time.Time, loc *time.Location) string {
	return t.In(loc).Format("Mon Jan 2, 3:04 PM")
}
