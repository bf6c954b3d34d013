package demo

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/cairn-recovery/cairn/internal/db"
	"github.com/cairn-recovery/cairn/internal/notify"
)

// demoNotification is one in-app notification of the demo alumnus.
type demoNotification struct {
	kind       notify.Kind
	title      string
	body, link string
	ago        time.Duration
}

// alexNotifications are Alex's unread notifications: a welcome, a meeting
// reminder and a milestone.
var alexNotifications = []demoNotification{
	{notify.KindMessage, "Welcome to Driftwood Recovery Alumni",
		"We are glad you are here. Have a look around, say hello at a meeting, and reach out to your coach whenever you like.", "/home", 72 * time.Hour},
	{notify.KindEventReminder, "Weekly alumni meeting tomorrow at 7 PM",
		"We meet in the community room and online. Come as you are; there is always a seat for you.", "/home", 20 * time.Hour},
	{notify.KindMilestone, "Ninety days: congratulations, Alex",
		"Ninety days is something to be proud of. Every day counts, and we are glad to be walking this road with you.", "/home", 2 * time.Hour},
}

// sentReminders are reminder emails the outbox shows as sent.
var sentReminders = []struct {
	to   string
	ago  time.Duration
	when string
}{
	{"alex@demo.cairn.test", 7*24*time.Hour + 20*time.Hour, "Tuesday at 7 PM"},
	{"priya.raman@demo.cairn.test", 27 * time.Hour, "Tuesday at 7 PM"},
	{"tomas.delgado@demo.cairn.test", 26 * time.Hour, "Tuesday at 7 PM"},
	{"keisha.freeman@demo.cairn.test", 3 * time.Hour, "Thursday family dinner at 6 PM"},
}

// seedNotifications gives the demo alumnus unread notifications and puts a
// few sent reminder emails in the outbox. It does nothing once the demo
// alumnus has any notification, so a second run adds nothing.
func seedNotifications(ctx context.Context, d *db.DB, programID string) error {
	alex, ok, err := userID(ctx, d, programID, "alex@demo.cairn.test")
	if err != nil {
		return fmt.Errorf("demo: notifications: %w", err)
	}
	if !ok {
		return nil
	}
	var n int
	if err := d.QueryRow(ctx, `SELECT COUNT(*) FROM notifications WHERE user_id = ?`, alex).Scan(&n); err != nil {
		return fmt.Errorf("demo: notifications: %w", err)
	}
	if n > 0 {
		return nil
	}
	now := time.Now().UTC().Truncate(time.Microsecond)
	return d.Tx(ctx, func(tx *db.Tx) error {
		for _, x := range alexNotifications {
			_, err := tx.Exec(ctx, `INSERT INTO notifications (id, program_id, user_id, kind, title, body, link, created_at)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, uuid.Must(uuid.NewV7()).String(), programID, alex, string(x.kind),
				x.title, x.body, x.link, now.Add(-x.ago))
			if err != nil {
				return fmt.Errorf("demo: notifications: %w", err)
			}
		}
		for _, r := range sentReminders {
			id, err := notify.Enqueue(ctx, tx, notify.Message{ProgramID: programID, To: r.to,
				Subject: "Reminder: " + r.when,
				Text:    "Hello,\n\nA reminder that we meet " + r.when + ". We hope to see you there.\n\nDriftwood Recovery Alumni\n"})
			if err != nil {
				return err
			}
			at := now.Add(-r.ago)
			if _, err := tx.Exec(ctx, `UPDATE mail_outbox SET status = 'sent', attempts = 1, created_at = ?,
				last_attempt_at = ?, sent_at = ?, next_attempt_at = NULL WHERE id = ?`, at, at, at.Add(2*time.Second), id); err != nil {
				return fmt.Errorf("demo: outbox: %w", err)
			}
		}
		return nil
	})
}
